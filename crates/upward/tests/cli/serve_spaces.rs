//! `upward serve`'s spaces and sharing through the real binaries: the Spaces page lists the
//! sync links as `upward remote status` knows them, and an item's "Share with NAME" button is
//! `upward share ID` — refused with the command line's words when the person has no email or
//! no space (nothing written), and with a space the next `upward sync` pushes it, as "Make
//! private" then takes it out of the space.

use crate::harness::Env;
use crate::serve_intake::Browser;
use crate::server_team::{Team, email, sqlite};
use crate::sync_privacy::add_user;

const DANA: &str = "Dana Whitfield";

fn visibility(env: &Env, id: &str) -> String {
    env.json(&["show", id])["visibility"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The cursor of the Spaces page's one row: its last cell.
fn cursor(body: &str) -> i64 {
    let row = &body[body.find("<tbody>").expect("a table")..body.find("</tbody>").unwrap()];
    let cell = row.rsplit("<td>").next().unwrap();
    cell[..cell.find("</td>").unwrap()]
        .parse()
        .expect("a number")
}

#[test]
fn sharing_without_a_space_is_refused_with_what_to_do_and_writes_nothing() {
    let env = Env::new().with_people();
    let item = env.json(&["add", "topic", "Offsite plans", "--with", DANA]);
    let id = item["id"].to_string();
    let server = env.serve();
    let browser = Browser::login(&server);

    let page = browser.get(&format!("/items/{id}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h2>Sharing</h2>"), "{}", page.body);
    assert!(
        page.body.contains("Share with Dana Whitfield"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("action=\"/items/{id}/share\"")));

    // No email: the refusal names the command that sets it.
    let got = browser.post(&format!("/items/{id}/share"), &[]);
    assert_eq!(got.status, 409, "{}", got.body);
    assert!(
        got.body.contains("has no email") && got.body.contains("upward person set"),
        "{}",
        got.body
    );
    assert_eq!(visibility(&env, &id), "private");

    // An email but no accepted space: the refusal names the invitation.
    env.ok(&["person", "set", DANA, "email", "dana@example.com"]);
    let got = browser.post(&format!("/items/{id}/share"), &[]);
    assert_eq!(got.status, 409, "{}", got.body);
    assert!(
        got.body.contains("no accepted space") && got.body.contains("upward remote invite"),
        "{}",
        got.body
    );
    assert_eq!(visibility(&env, &id), "private");

    // The Spaces page: none yet, and how to start.
    let spaces = browser.get("/spaces");
    assert_eq!(spaces.status, 200);
    assert!(
        spaces.body.contains("No space is linked") && spaces.body.contains("upward sync"),
        "{}",
        spaces.body
    );
    assert!(spaces.body.contains("aria-current=\"page\">Spaces<"));

    // An item of no one has nothing to share with.
    let alone = env.json(&["add", "note", "Read the RFC"]);
    let page = browser.get(&format!("/items/{}", alone["id"]));
    assert!(!page.body.contains("Share with"), "{}", page.body);
}

#[test]
fn shared_from_the_page_the_next_sync_pushes_it_and_make_private_takes_it_out() {
    let server_env = Env::new();
    let db = sqlite(&server_env);
    let (alex_email, dana_email) = (email("alex"), email("dana"));
    add_user(&server_env, &db, &alex_email, "Alex Kim");
    add_user(&server_env, &db, &dana_email, DANA);
    let mut team: Team = server_env.start(&db, &[]);
    let alex = crate::sync::report(&team, &alex_email, &dana_email);
    let (token, space) = crate::sync::space(&mut team, &alex, &dana_email);
    alex.json(&["sync"]);
    let item = alex.json(&["add", "topic", "Team offsite venue", "--with", DANA]);
    let id = item["id"].to_string();

    let web = alex.serve();
    let browser = Browser::login(&web);
    let spaces = browser.get("/spaces");
    assert_eq!(spaces.status, 200);
    assert!(spaces.body.contains(DANA), "{}", spaces.body);
    assert!(spaces.body.contains(&team.base), "{}", spaces.body);
    assert!(spaces.body.contains("<td>active</td>"), "{}", spaces.body);
    assert!(
        spaces.body.contains("<td>0 operations</td>"),
        "{}",
        spaces.body
    );
    let before = cursor(&spaces.body);

    let got = browser.post(&format!("/items/{id}/share"), &[]);
    assert_eq!(got.status, 303, "{}", got.body);
    assert_eq!(
        got.location.as_deref(),
        Some(format!("/items/{id}").as_str())
    );
    assert_eq!(visibility(&alex, &id), "shared");
    let page = browser.get(&format!("/items/{id}"));
    assert!(page.body.contains("Make private"), "{}", page.body);
    assert!(!page.body.contains("Share with"), "{}", page.body);

    let dana_titles = |team: &mut Team| {
        team.api(
            "GET",
            &format!("/api/v1/spaces/{space}/items"),
            Some(&token),
            None,
        )
        .json()
        .to_string()
    };
    assert!(!dana_titles(&mut team).contains("Team offsite venue"));
    let r = alex.json(&["sync"]);
    assert!(r["pushed"].as_u64().unwrap() >= 1, "{r}");
    assert!(dana_titles(&mut team).contains("Team offsite venue"));

    // The Spaces page follows: the cursor moved past the pushed operation.
    let spaces = browser.get("/spaces");
    assert!(cursor(&spaces.body) > before, "{}", spaces.body);

    let got = browser.post(&format!("/items/{id}/unshare"), &[]);
    assert_eq!(got.status, 303, "{}", got.body);
    assert_eq!(visibility(&alex, &id), "private");
    alex.json(&["sync"]);
    assert!(!dana_titles(&mut team).contains("Team offsite venue"));
}
