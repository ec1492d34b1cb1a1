//! The spaces' pages: Home's invitations and invite form, a space's page with its forms, the
//! 404 of a space for anyone but its two members, CSRF on every form, escaping.

use crate::both;
use crate::support::*;
use axum::body::Body;
use axum::http::{StatusCode, header};
use upward_server_store::{Account, ServerStoreExt};

/// Signs `who` in through the page on a fresh cookie jar.
async fn as_user(h: &mut Harness, who: &Account) {
    h.cookie = None;
    h.csrf = None;
    let r = h.login(&who.email, PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

/// The space id in a `Location` such as `/spaces/ID` or `/spaces/ID?done=saved`.
fn space_in(location: &str) -> String {
    location
        .trim_start_matches("/spaces/")
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

/// Ana invites Ben on Home, Ben accepts on his: the space's id.
async fn joined(h: &mut Harness, ana: &Account, ben: &Account) -> String {
    as_user(h, ana).await;
    let r = h
        .post_form("/spaces", &[("with", &ben.email), ("as", "manager")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let home = h.get("/?done=invited").await;
    assert!(home.body.contains("Waiting for an answer"), "{}", home.body);
    assert!(home.body.contains(&ben.email));
    as_user(h, ben).await;
    let home = h.get("/").await;
    assert!(home.body.contains("Invitations"), "{}", home.body);
    assert!(home.body.contains(&ana.name));
    let at = home.body.find("/accept\"").expect("an accept button");
    let start = home.body[..at].rfind("/spaces/").unwrap();
    let id = home.body[start + "/spaces/".len()..at].to_string();
    let r = h.post_form(&format!("/spaces/{id}/accept"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(space_in(r.header("location").unwrap()), id);
    id
}

async fn both_members_use_the_space_page(mut h: Harness) {
    let ana = h.account("ana").await;
    let ben = h.account("ben").await;
    let id = joined(&mut h, &ana, &ben).await;
    let page = h.get(&format!("/spaces/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("whoever operates the database can read them")
    );
    assert!(page.body.contains("<th scope=\"col\">"));
    // A topic with markup: escaped.
    let r = h
        .post_form(
            &format!("/spaces/{id}/topics"),
            &[("title", "<script>alert(1)</script>"), ("body", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = h.get(&format!("/spaces/{id}")).await;
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.body.contains("<script>alert(1)"));
    // An action for the other member, a 1:1 with the topic discussed and an action agreed.
    let r = h
        .post_form(
            &format!("/spaces/{id}/actions"),
            &[
                ("title", "Send the plan"),
                ("owner", &ana.email),
                ("due", "2026-11-20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let items = h.get(&format!("/api/v1/spaces/{id}/items")).await.json();
    let topic = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "topic")
        .unwrap()
        .clone();
    let uuid = topic["uuid"].as_str().unwrap().to_string();
    let r = h
        .post_form(
            &format!("/spaces/{id}/meetings"),
            &[
                ("date", "2026-11-22"),
                ("discussed", &uuid),
                ("notes", "Good talk"),
                ("title1", "Book rooms"),
                ("owner1", &ben.email),
                ("due1", ""),
                ("title2", ""),
                ("owner2", &ben.email),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for (path, fields) in [
        ("cadence", vec![("cadence", "2w")]),
        (
            "card",
            vec![
                ("channel", "chat"),
                ("length", "brief"),
                ("decides_by", ""),
                ("feedback", ""),
                ("cadence", ""),
            ],
        ),
    ] {
        let r = h.post_form(&format!("/spaces/{id}/{path}"), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.body);
    }
    // Ben is the report: he shares a win and an update.
    for (path, fields) in [
        (
            "items",
            vec![("kind", "win"), ("title", "Shipped search"), ("impact", "")],
        ),
        (
            "updates",
            vec![("channel", "email"), ("date", ""), ("text", "On track")],
        ),
    ] {
        let r = h.post_form(&format!("/spaces/{id}/{path}"), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.body);
    }
    // Ana, the manager, sees it all; wins are the report's; she ticks her action.
    as_user(&mut h, &ana).await;
    let home = h.get("/").await;
    assert!(
        home.body.contains("Your action Send the plan is overdue"),
        "{}",
        home.body
    );
    let page = h.get(&format!("/spaces/{id}")).await;
    assert!(page.body.contains("Good talk"));
    assert!(page.body.contains("Book rooms"));
    assert!(page.body.contains("discussed 2026-11-22"), "{}", page.body);
    assert!(page.body.contains("You meet every 2w"));
    let r = h
        .post_form(
            &format!("/spaces/{id}/items"),
            &[("kind", "win"), ("title", "W")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let action = h.get(&format!("/api/v1/spaces/{id}/items")).await.json();
    let send = action
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Send the plan")
        .unwrap()["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let r = h
        .post_form(
            &format!("/spaces/{id}/items/{send}/status"),
            &[("status", "done")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = h.get(&format!("/spaces/{id}")).await;
    assert!(page.body.contains("Shipped search") && page.body.contains("On track"));
    // Bad input on a page: the error page, 4xx, escaped.
    let r = h
        .post_form(
            &format!("/spaces/{id}/meetings"),
            &[("date", "<b>soon</b>")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("role=\"alert\""));
    assert!(!r.body.contains("<b>soon"));
    // Close, then delete.
    let r = h.post_form(&format!("/spaces/{id}/close"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = h.get(&format!("/spaces/{id}")).await;
    assert!(page.body.contains("This space is closed"));
    let r = h
        .post_form(&format!("/spaces/{id}/topics"), &[("title", "Late")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = h.post_form(&format!("/spaces/{id}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        h.get(&format!("/spaces/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}
both!(space_page, both_members_use_the_space_page);

/// Every form of a space: (path after /spaces/{id}, fields).
fn forms(item: &str, owner: &str) -> Vec<(String, Vec<(String, String)>)> {
    let f = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
    };
    vec![
        ("/topics".into(), f(&[("title", "T")])),
        ("/actions".into(), f(&[("title", "A"), ("owner", owner)])),
        ("/items".into(), f(&[("kind", "goal"), ("title", "G")])),
        (format!("/items/{item}/status"), f(&[("status", "parked")])),
        (format!("/items/{item}/edit"), f(&[("title", "E")])),
        (format!("/items/{item}/remove"), vec![]),
        (
            "/meetings".into(),
            f(&[("date", "2026-11-21"), ("notes", "n")]),
        ),
        ("/updates".into(), f(&[("channel", "chat"), ("text", "u")])),
        ("/card".into(), f(&[("channel", "email")])),
        ("/cadence".into(), f(&[("cadence", "1w")])),
        ("/accept".into(), vec![]),
        ("/decline".into(), vec![]),
        ("/cancel".into(), vec![]),
        ("/close".into(), vec![]),
        ("/delete".into(), vec![]),
    ]
}

async fn the_pages_of_a_space_are_its_members_alone(mut h: Harness) {
    let ana = h.account("ana").await;
    let ben = h.account("ben").await;
    let carl = h.account("carl").await;
    let id = joined(&mut h, &ana, &ben).await;
    let r = h
        .post_form(
            &format!("/spaces/{id}/topics"),
            &[("title", "Secret plans")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let items = h.get(&format!("/api/v1/spaces/{id}/items")).await.json();
    let item = items[0]["uuid"].as_str().unwrap().to_string();
    let missing = uuid::Uuid::new_v4();
    // Anonymous: the page sends to /login, a form too (its CSRF check refuses first).
    h.cookie = None;
    let r = h.get(&format!("/spaces/{id}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.header("location").unwrap().starts_with("/login"));
    // Carl: 404 for the page and every form, the answer for a space that does not exist.
    as_user(&mut h, &carl).await;
    let nothing = h.get(&format!("/spaces/{missing}")).await;
    assert_eq!(nothing.status, StatusCode::NOT_FOUND);
    let r = h.get(&format!("/spaces/{id}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body, nothing.body);
    let r = h.get(&format!("/spaces/{id}/items/{item}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body, nothing.body);
    for (rest, fields) in forms(&item, &ben.email) {
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = h.post_form(&format!("/spaces/{id}{rest}"), &pairs).await;
        let n = h
            .post_form(&format!("/spaces/{missing}{rest}"), &pairs)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{rest}: {}", r.body);
        assert_eq!(r.body, n.body, "{rest}");
        assert!(!r.body.contains("Secret"));
    }
    // A member: CSRF refused on every form (no token, a wrong one, a foreign Origin).
    as_user(&mut h, &ben).await;
    let csrf = h.csrf.clone().unwrap();
    for (rest, fields) in forms(&item, &ben.email) {
        for (origin, token) in [
            (ORIGIN, String::new()),
            (ORIGIN, "0".repeat(64)),
            ("https://evil.example", csrf.clone()),
        ] {
            let mut all = fields.clone();
            if !token.is_empty() {
                all.push(("csrf".into(), token));
            }
            let r = h
                .request("POST", &format!("/spaces/{id}{rest}"))
                .header(header::ORIGIN, origin)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
                .unwrap();
            let a = h.send(r).await;
            assert_eq!(
                a.status,
                StatusCode::FORBIDDEN,
                "{rest} {origin}: {}",
                a.body
            );
        }
    }
    let page = h.get(&format!("/spaces/{id}")).await;
    assert!(page.body.contains("Secret plans"));
    assert!(
        !page.body.contains("This space is closed"),
        "nothing changed"
    );
}
both!(
    space_page_access,
    the_pages_of_a_space_are_its_members_alone
);

async fn a_declined_invitation_is_listed_until_removed(mut h: Harness) {
    let ana = h.account("ana").await;
    let cleo = h.account("cleo").await;
    as_user(&mut h, &ana).await;
    let r = h
        .post_form("/spaces", &[("with", &cleo.email), ("as", "peer")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Bad input on Home's form: the error page, escaped.
    let r = h
        .post_form("/spaces", &[("with", "<i>x</i>"), ("as", "peer")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(!r.body.contains("<i>x"));
    let r = h
        .post_form("/spaces", &[("with", &ana.email), ("as", "peer")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    as_user(&mut h, &cleo).await;
    let home = h.get("/").await;
    let at = home.body.find("/decline\"").expect("a decline button");
    let start = home.body[..at].rfind("/spaces/").unwrap();
    let id = home.body[start + "/spaces/".len()..at].to_string();
    let r = h.post_form(&format!("/spaces/{id}/decline"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    as_user(&mut h, &ana).await;
    let home = h.get("/").await;
    assert!(home.body.contains("Ended invitations"), "{}", home.body);
    assert!(home.body.contains("declined"));
    let r = h.post_form(&format!("/spaces/{id}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let home = h.get("/").await;
    assert!(!home.body.contains("Ended invitations"));
}
both!(
    ended_invitations,
    a_declined_invitation_is_listed_until_removed
);

/// The value of every hidden `csrf` field of a page.
fn csrf_values(body: &str) -> Vec<String> {
    body.match_indices("name=\"csrf\" value=\"")
        .map(|(at, m)| {
            let rest = &body[at + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

async fn items_are_edited_and_removed_on_their_page(mut h: Harness) {
    let ana = h.account("ana").await;
    let ben = h.account("ben").await;
    let id = joined(&mut h, &ana, &ben).await;
    // Ben (signed in last) adds a topic and an action for Ana.
    for (path, fields) in [
        ("topics", vec![("title", "Ben's topic"), ("body", "")]),
        (
            "actions",
            vec![
                ("title", "Review the doc"),
                ("owner", &ana.email),
                ("due", ""),
            ],
        ),
    ] {
        let r = h.post_form(&format!("/spaces/{id}/{path}"), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.body);
    }
    let items = h.get(&format!("/api/v1/spaces/{id}/items")).await.json();
    let uuid_of = |title: &str| {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["title"] == title)
            .unwrap()["uuid"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (topic, action) = (uuid_of("Ben's topic"), uuid_of("Review the doc"));
    let ben_csrf = h.csrf.clone().unwrap();
    let page = h.get(&format!("/spaces/{id}")).await;
    assert!(
        page.body
            .contains(&format!("href=\"/spaces/{id}/items/{topic}\"")),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Edit or remove<span class=\"visually-hidden\">: Ben's topic")
    );
    // Every form of the (cached) page carries this session's token.
    let tokens = csrf_values(&page.body);
    assert!(tokens.len() > 5);
    assert!(tokens.iter().all(|t| *t == ben_csrf), "{tokens:?}");
    // Ana reads the same space at the same head: her own token, no edit link for Ben's items.
    as_user(&mut h, &ana).await;
    let ana_csrf = h.csrf.clone().unwrap();
    assert_ne!(ana_csrf, ben_csrf);
    let page = h.get(&format!("/spaces/{id}")).await;
    assert!(page.body.contains("Ben's topic"));
    assert!(
        !page.body.contains(&format!("/items/{topic}\"")),
        "{}",
        page.body
    );
    let tokens = csrf_values(&page.body);
    assert!(tokens.iter().all(|t| *t == ana_csrf), "{tokens:?}");
    // Her view of Ben's item: no forms; editing or removing it anyway is refused.
    let item = h.get(&format!("/spaces/{id}/items/{topic}")).await;
    assert_eq!(item.status, StatusCode::OK, "{}", item.body);
    assert!(
        item.body
            .contains(&format!("Only {}, who added it", ben.name)),
        "{}",
        item.body
    );
    assert!(!item.body.contains("/remove\""));
    let r = h
        .post_form(&format!("/spaces/{id}/items/{topic}/remove"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // Ben edits his action on its page (the owner kept as it was), then removes his topic.
    as_user(&mut h, &ben).await;
    let item = h.get(&format!("/spaces/{id}/items/{action}")).await;
    assert!(
        item.body.contains("<label for=\"edit-title\">"),
        "{}",
        item.body
    );
    assert!(
        item.body
            .contains(&format!("<option value=\"{}\" selected>", ana.email)),
        "{}",
        item.body
    );
    let r = h
        .post_form(
            &format!("/spaces/{id}/items/{action}/edit"),
            &[
                ("title", "Review the plan"),
                ("body", "Section 2"),
                ("owner", &ana.email),
                ("due", "2026-12-04"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = h
        .post_form(&format!("/spaces/{id}/items/{topic}/remove"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some(format!("/spaces/{id}?done=removed").as_str())
    );
    let page = h.get(&format!("/spaces/{id}?done=removed")).await;
    assert!(page.body.contains("Removed, for both of you."));
    assert!(!page.body.contains("Ben's topic"));
    assert!(page.body.contains("Review the plan") && page.body.contains("2026-12-04"));
    let items = h.get(&format!("/api/v1/spaces/{id}/items")).await.json();
    let edited = items.as_array().unwrap();
    assert_eq!(edited.len(), 1);
    assert_eq!(edited[0]["owner_email"], ana.email.as_str());
    assert_eq!(edited[0]["body"], "Section 2");
    // Its page is gone too.
    assert_eq!(
        h.get(&format!("/spaces/{id}/items/{topic}")).await.status,
        StatusCode::NOT_FOUND
    );
}
both!(item_pages, items_are_edited_and_removed_on_their_page);

async fn the_page_shows_the_latest_ten_meetings_unless_asked_for_all(mut h: Harness) {
    let ana = h.account("ana").await;
    let ben = h.account("ben").await;
    let id = joined(&mut h, &ana, &ben).await;
    for day in 1..=12 {
        let date = format!("2026-11-{day:02}");
        let notes = format!("Notes of {date}");
        let r = h
            .post_form(
                &format!("/spaces/{id}/meetings"),
                &[("date", &date), ("notes", &notes)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = h.get(&format!("/spaces/{id}")).await;
    assert!(
        page.body
            .contains("The latest 10 of 12 1:1s, newest first.")
    );
    assert!(page.body.contains(&format!(
        "href=\"/spaces/{id}?meetings=all#meetings\">Show all 12 1:1s"
    )));
    assert!(page.body.contains("Notes of 2026-11-12") && page.body.contains("Notes of 2026-11-03"));
    assert!(
        !page.body.contains("Notes of 2026-11-02") && !page.body.contains("Notes of 2026-11-01")
    );
    assert!(page.body.find("2026-11-12").unwrap() < page.body.find("2026-11-03").unwrap());
    let all = h.get(&format!("/spaces/{id}?meetings=all")).await;
    assert!(all.body.contains("All 12 1:1s, newest first."));
    assert!(all.body.contains("Notes of 2026-11-01"));
    assert!(all.body.contains(&format!(
        "href=\"/spaces/{id}#meetings\">Show the latest 10 only"
    )));
    // Topics: the open ones and the 10 closed last; the rest behind a link (and back).
    for n in 1..=13 {
        let title = format!("Topic number {n:02}");
        let r = h
            .post_form(
                &format!("/spaces/{id}/topics"),
                &[("title", &title), ("body", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let items = h.get(&format!("/api/v1/spaces/{id}/items")).await.json();
    for t in items
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["title"] != "Topic number 13")
    {
        let r = h
            .post_form(
                &format!("/spaces/{id}/items/{}/status", t["uuid"].as_str().unwrap()),
                &[("status", "parked")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = h.get(&format!("/spaces/{id}")).await;
    assert!(
        page.body
            .contains("The open topics and the last 10 closed; 2 older not shown."),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!(
        "href=\"/spaces/{id}?topics=all#topics\">Show all topics"
    )));
    assert!(page.body.contains("Topic number 13") && page.body.contains("Topic number 12"));
    assert!(page.body.contains("Topic number 03") && !page.body.contains("Topic number 02"));
    let all = h
        .get(&format!("/spaces/{id}?topics=all&meetings=all"))
        .await;
    assert!(all.body.contains("Topic number 01") && all.body.contains("Notes of 2026-11-01"));
    assert!(all.body.contains(&format!(
        "href=\"/spaces/{id}?meetings=all#topics\">Show the open topics and the last 10 closed only"
    )));
    assert!(all.body.contains(&format!(
        "href=\"/spaces/{id}?topics=all#meetings\">Show the latest 10 only"
    )));
    // A new name shows at once (the page is cached per head, and per the members' names).
    h.with_store(move |s| {
        s.write(|tx| {
            let mut a = tx.account(ana.id)?.unwrap();
            a.name = "Ana Renamed".into();
            tx.update_account(&a)
        })
        .expect("rename")
    })
    .await;
    let page = h.get(&format!("/spaces/{id}")).await;
    assert!(
        page.body.contains("Space with Ana Renamed"),
        "{}",
        page.body
    );
    assert!(page.body.contains("With Ana Renamed ("));
}
both!(
    meeting_paging,
    the_page_shows_the_latest_ten_meetings_unless_asked_for_all
);

/// The space page, Home and Home's API sign a bearer token in within their own read
/// transaction: with the same checks as every route, at every request. A disabled account or a
/// revoked token is refused at once as before (the API's 401, a page sent to /login), before
/// the space is looked for (an unknown space too, not a 404); the token's last use is written.
async fn a_bearer_token_reads_the_pages_until_disabled_or_revoked(mut h: Harness) {
    let ana = h.account("ana").await;
    let ben = h.account("ben").await;
    let id = joined(&mut h, &ana, &ben).await;
    let token = h.token(&ana.email, PASSWORD).await;
    let page = format!("/spaces/{id}");
    let unknown = format!("/spaces/{}", uuid::Uuid::new_v4());
    let paths = [page.as_str(), "/", "/api/v1/home"];
    for path in paths {
        let r = h.api("GET", path, Some(&token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    }
    assert!(
        h.api("GET", &page, Some(&token), None)
            .await
            .body
            .contains("whoever operates the database can read them")
    );
    assert_eq!(
        h.api("GET", &unknown, Some(&token), None).await.status,
        StatusCode::NOT_FOUND
    );
    let tokens = h
        .api("GET", "/api/v1/tokens", Some(&token), None)
        .await
        .json();
    assert!(tokens[0]["last_used"].is_string(), "{tokens}");

    // Refused as before: the API with its 401, a page sent to sign in.
    let refused = |r: &Answer, path: &str, what: &str| {
        if path.starts_with("/api/") {
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{what}: {}", r.body);
            assert!(
                r.error().contains("bearer token is not valid"),
                "{what}: {}",
                r.body
            );
        } else {
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{what}: {}", r.body);
            assert!(
                r.header("location")
                    .unwrap_or_default()
                    .starts_with("/login"),
                "{what}: {:?}",
                r.header("location")
            );
        }
    };
    let set_disabled = |disabled: bool| {
        let mut a = ana.clone();
        a.disabled = disabled;
        move |s: &dyn upward_server_store::ServerStore| {
            s.write(|tx| tx.update_account(&a)).unwrap();
        }
    };
    h.with_store(set_disabled(true)).await;
    for path in paths.iter().copied().chain([unknown.as_str()]) {
        let r = h.api("GET", path, Some(&token), None).await;
        refused(&r, path, &format!("{path}, the account disabled"));
    }
    h.with_store(set_disabled(false)).await;
    assert_eq!(
        h.api("GET", &page, Some(&token), None).await.status,
        StatusCode::OK
    );
    let a = ana.id;
    h.with_store(move |s| s.write(|tx| tx.delete_tokens_of(a)).unwrap())
        .await;
    for path in paths.iter().copied().chain([unknown.as_str()]) {
        let r = h.api("GET", path, Some(&token), None).await;
        refused(&r, path, &format!("{path}, the token revoked"));
    }
}
both!(
    bearer_pages,
    a_bearer_token_reads_the_pages_until_disabled_or_revoked
);
