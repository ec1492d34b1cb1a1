//! The team server (`upward server start`, on SQLite) in real browsers: two headless Chromium
//! sessions at once, each with its own profile and cookies, driven through chromedriver as two
//! people would use them — a report and their manager, each an account made by `upward server
//! add-user`, signing in through the Login page with the keyboard and sharing a space. Every
//! page reached is screenshotted (`target/browser-screenshots/journey-server-*.png`, not
//! committed) and checked by axe-core (a serious or critical violation fails), with the browser
//! and axe runner of browser.rs and the server harness of server_team.rs. The tools and the
//! skip rule are those of browser.rs (web_tools.rs).

use crate::browser::{Browser, ENTER, TAB};
use crate::harness::Env;
use crate::journeys::{seen, wait_for_text};
use crate::server_team::{Db, PASSWORD, Team, email, printed_link, sqlite, stderr};

/// `upward server add-user EMAIL --name NAME --password-stdin`, the password on its stdin.
fn add_user(env: &Env, db: &Db, email: &str, name: &str) {
    let out = env.server_stdin(
        &[
            "add-user",
            email,
            "--name",
            name,
            "--database",
            &db.url,
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(out.status.success(), "add-user {email}: {}", stderr(&out));
}

/// Signs in through the Login page as a person does: the email field has the focus when the
/// page opens, the email is typed, Tab moves to the password, it is typed, Enter sends the
/// form. Lands on Home.
fn sign_in(browser: &mut Browser, team: &Team, email: &str, who: &str) {
    browser.goto(&format!("{}/login", team.base));
    seen(browser, "server", &format!("{who}-login"));
    assert!(
        browser.focused().contains("id=\"email\""),
        "the Login page opens with the focus in the email field: {}",
        browser.focused()
    );
    browser.fill("#email", email);
    browser.press(TAB);
    assert!(
        browser.focused().contains("id=\"password\""),
        "Tab goes from the email to the password: {}",
        browser.focused()
    );
    browser.fill("#password", PASSWORD);
    browser.press(ENTER);
    browser.wait_for_path("/");
    let home = browser.text();
    assert!(
        home.contains("Signed in as") && home.contains(email),
        "{who} is signed in on Home:\n{home}"
    );
}

/// Types the date `iso` (YYYY-MM-DD) into the date field `css` the way a person does in
/// Chromium's date field (en-US: month, day, year, each segment moving on by itself), and
/// checks the field holds it.
fn type_date(browser: &Browser, css: &str, iso: &str) {
    let (y, rest) = iso.split_once('-').expect("YYYY-MM-DD");
    let (m, d) = rest.split_once('-').expect("YYYY-MM-DD");
    browser.fill(css, &format!("{m}{d}{y}"));
    assert_eq!(browser.value(css), iso, "the date typed into {css}");
}

/// The follow-through table of the space page shown: each row's cells (member, on time, late,
/// open, overdue), the caller's first.
fn follow_through(browser: &Browser) -> Vec<Vec<String>> {
    let rows = browser.script(
        "return Array.from(document.querySelectorAll('#follow-through + table tbody tr'))\
         .map(r => Array.from(r.cells).map(c => c.innerText.trim()))",
    );
    serde_json::from_value(rows).expect("rows of cells")
}

/// The rows of the table after the heading `h2#{id}`, as their text.
fn rows(browser: &Browser, id: &str) -> Vec<String> {
    browser.texts(&format!("h2#{id} + table tbody tr"))
}

/// Tab by Tab from where the focus is to the button whose HTML holds `label` and `title` (a
/// status button names its item in hidden text), then Enter; waits for the page to come back.
fn press_button(browser: &Browser, label: &str, title: &str, back_to: &str) {
    browser.tab_to(300, |h| {
        h.starts_with("<button") && h.contains(label) && h.contains(title)
    });
    browser.press(ENTER);
    browser.wait_for_path(back_to);
}

/// A report (Ana, browser A) and her manager (Bo, browser B) at the same time on one server:
/// A invites B, B accepts on Home; A adds a topic, B sees it on Home and on the space page,
/// adds their own and records the 1:1 (both topics ticked, notes, an action for each side);
/// A ticks hers; both reload and see each side's follow-through.
#[test]
fn a_report_and_their_manager_share_a_space_in_two_browsers_at_once() {
    let Some(mut a) = Browser::start() else {
        return;
    };
    let Some(mut b) = Browser::start() else {
        return;
    };
    let env = Env::new();
    let db = sqlite(&env);
    let ana = email("ana");
    let bo = email("bo");
    add_user(&env, &db, &ana, "Ana Ruiz");
    add_user(&env, &db, &bo, "Bo Lind");
    let team = env.start(&db, &[]);
    let base = team.base.clone();

    sign_in(&mut a, &team, &ana, "a");
    sign_in(&mut b, &team, &bo, "b");
    // Two profiles: each browser is signed in as its own person.
    assert!(a.text().contains(&ana) && !a.text().contains(&bo));
    assert!(b.text().contains(&bo) && !b.text().contains(&ana));

    // A invites B, as his report: the role first, then the email, and Enter in it.
    a.choose("#as", "report");
    a.fill("#with", &bo);
    a.press(ENTER);
    a.wait_for_path("/?done=invited");
    let home = wait_for_text(&a, "The invitation is sent");
    assert!(
        home.contains("Waiting for an answer") && home.contains(&bo),
        "A's Home lists the invitation she sent:\n{home}"
    );

    // B finds it on his Home, and accepts it: Tab to Accept, Enter.
    b.goto(&format!("{base}/"));
    let home = wait_for_text(&b, "Invitations");
    assert!(
        home.contains(&format!(
            "Ana Ruiz ({ana}) invites you to a space, as their report (you: manager)."
        )),
        "B's Home shows the invitation:\n{home}"
    );
    seen(&mut b, "server", "b-home-invitation");
    b.tab_to(60, |h| h.starts_with("<button") && h.contains(">Accept<"));
    b.press(ENTER);
    let space_path = b.wait_for_path_prefix("/spaces/");
    let id = space_path
        .strip_prefix("/spaces/")
        .expect("the space's page")
        .to_string();
    let page = b.text();
    assert!(
        page.contains("Space with Ana Ruiz") && page.contains("your report"),
        "accepting opens the space with A:\n{page}"
    );
    seen(&mut b, "server", "b-space-new");

    // A's Home now lists the space; she follows its link and adds a topic.
    a.goto(&format!("{base}/"));
    let home = wait_for_text(&a, "With Bo Lind");
    assert!(home.contains("active"), "the space is active:\n{home}");
    seen(&mut a, "server", "a-home-spaces");
    a.click(&format!("a[href=\"/spaces/{id}\"]"));
    a.wait_for_path(&space_path);
    a.fill("#topic-title", "Promotion timeline");
    a.press(ENTER);
    let saved = format!("{space_path}?done=saved");
    a.wait_for_path(&saved);
    let topics = rows(&a, "topics");
    assert!(
        topics.len() == 1 && topics[0].starts_with("Promotion timeline\tyou\topen"),
        "A's topic is on the space page, by her: {topics:?}"
    );

    // B reloads his Home: the topic A added is there, and on the space page with her name.
    b.goto(&format!("{base}/"));
    let home = wait_for_text(&b, "New topic from them: Promotion timeline");
    seen(&mut b, "server", "b-home-their-topic");
    assert!(home.contains("With Ana Ruiz"), "{home}");
    b.click(&format!("a[href=\"/spaces/{id}\"]"));
    b.wait_for_path(&space_path);
    let topics = rows(&b, "topics");
    assert!(
        topics.len() == 1 && topics[0].starts_with("Promotion timeline\tAna Ruiz\topen"),
        "B sees A's topic, by her: {topics:?}"
    );

    // B adds his own topic, then records the 1:1: both topics ticked (Space), his notes, an
    // action for A due 2026-11-30 and one for himself due 2026-12-04; Tab to the button, Enter.
    b.fill("#topic-title", "Hiring plan for Q1");
    b.press(ENTER);
    b.wait_for_path(&saved);
    wait_for_text(&b, "Hiring plan for Q1");
    let boxes: Vec<String> = serde_json::from_value(b.script(
        "return Array.from(document.querySelectorAll('input[name=discussed]')).map(e => e.id)",
    ))
    .expect("ids");
    assert_eq!(boxes.len(), 2, "both open topics can be ticked: {boxes:?}");
    for id in &boxes {
        b.tick(&format!("#{id}"));
    }
    b.fill(
        "#meeting-notes",
        "Promotion: Ana drafts the packet. Hiring: two roles in Q1.",
    );
    b.fill("#title1", "Draft the promotion packet");
    b.choose("#owner-1", &ana);
    type_date(&b, "#due1", "2026-11-30");
    b.fill("#title2", "Share the Q1 headcount");
    b.choose("#owner-2", &bo);
    type_date(&b, "#due2", "2026-12-04");
    b.tab_to(5, |h| h.contains("Record the 1:1"));
    b.press(ENTER);
    b.wait_for_path(&saved);
    let page = wait_for_text(&b, "Discussed: ");
    assert!(
        page.contains("Bo Lind: Promotion: Ana drafts the packet."),
        "the 1:1 shows B's notes:\n{page}"
    );
    let topics = rows(&b, "topics");
    assert!(
        topics.len() == 2 && topics.iter().all(|t| t.contains("discussed 2026-11-23")),
        "both topics are discussed on the 1:1's day: {topics:?}"
    );

    // A reloads the space: her action is there; she ticks it (Tab to its Done button, Enter).
    a.goto(&format!("{base}{space_path}"));
    let page = wait_for_text(&a, "Draft the promotion packet");
    assert!(page.contains("Hiring plan for Q1"), "{page}");
    press_button(&a, "Done", "Draft the promotion packet", &saved);
    // A shares a win too, so the page has something in each section.
    a.choose("#item-kind", "win");
    a.fill("#item-impact", "Two teams unblocked");
    a.fill("#item-title", "Shipped the rate limiter");
    a.press(ENTER);
    a.wait_for_path(&saved);

    // Both reload: each side's follow-through, the caller's row first.
    a.goto(&format!("{base}{space_path}"));
    b.goto(&format!("{base}{space_path}"));
    let ana_row = ["Ana Ruiz", "1", "0", "0", "0"].map(String::from).to_vec();
    let bo_row = ["Bo Lind", "0", "0", "1", "0"].map(String::from).to_vec();
    assert_eq!(
        follow_through(&a),
        vec![ana_row.clone(), bo_row.clone()],
        "A: 1 done on time; B: 1 open"
    );
    assert_eq!(
        follow_through(&b),
        vec![bo_row, ana_row],
        "B sees the same, his row first"
    );
    let page = b.text();
    for shown in [
        "Shipped the rate limiter",
        "Draft the promotion packet",
        "Share the Q1 headcount",
        "Hiring plan for Q1",
    ] {
        assert!(
            page.contains(shown),
            "B's space page shows {shown:?}:\n{page}"
        );
    }
    seen(&mut a, "server", "a-space-full");
    seen(&mut b, "server", "b-space-full");
    drop(a);
    drop(b);
    team.stop();
}

/// The pages of a new account, in one browser: the set-password form of the link `add-user`
/// printed (without `--password-stdin`), Home once the password is set, Settings with a token
/// made there, and the error page of a space that does not exist. axe over each.
#[test]
fn a_new_account_sets_its_password_from_the_printed_link_and_makes_a_token() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let env = Env::new();
    let db = sqlite(&env);
    let team = env.start(&db, &[]);
    let cy = email("cy");
    let out = env.server(&[
        "add-user",
        &cy,
        "--name",
        "Cy Okafor",
        "--database",
        &db.url,
        "--public-url",
        &team.base,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let link = printed_link(&out);

    browser.goto(&link);
    assert!(browser.path().starts_with("/set-password?token="));
    seen(&mut browser, "server", "set-password");
    assert!(
        browser.focused().contains("id=\"password\""),
        "the form opens with the focus in the password: {}",
        browser.focused()
    );
    browser.fill("#password", PASSWORD);
    browser.press(TAB);
    assert!(
        browser.focused().contains("id=\"confirm\""),
        "Tab goes from the password to the confirmation: {}",
        browser.focused()
    );
    browser.fill("#confirm", PASSWORD);
    browser.press(ENTER);
    browser.wait_for_path("/");
    let home = wait_for_text(&browser, "No spaces yet");
    assert!(home.contains(&cy), "signed in as Cy:\n{home}");
    seen(&mut browser, "server", "home-empty");

    browser.click("nav a[href=\"/settings\"]");
    browser.wait_for_path("/settings");
    browser.fill("#token-name", "laptop");
    browser.press(ENTER);
    let page = wait_for_text(&browser, "copy it now");
    assert!(page.contains("laptop"), "{page}");
    seen(&mut browser, "server", "settings-new-token");
    browser.goto(&format!("{}/settings", team.base));
    let listed = browser.texts("table tbody tr");
    assert!(
        listed.len() == 1 && listed[0].starts_with("laptop"),
        "Settings lists the token: {listed:?}"
    );
    seen(&mut browser, "server", "settings-token-listed");

    browser.goto(&format!("{}/spaces/no-such-space", team.base));
    let page = browser.text();
    assert!(
        page.contains("Not Found") && page.contains("Back to Home"),
        "the error page:\n{page}"
    );
    seen(&mut browser, "server", "error-page");
    drop(browser);
    team.stop();
}
