//! Agenda and 1:1s through the pages and the API: the prep as headings and links, the
//! meeting form that records the 1:1, its page and undo; bad input is a one-line 4xx.

mod support;

use axum::http::{StatusCode, header};
use serde_json::json;
use support::*;
use upward_domain::Clock;
use upward_store::StoreExt;
use upward_store_sqlite::SqliteStore;

const HOSTILE: &str = "<script>alert(\"x\")</script> & 'quoted'";

/// Me, a manager with a hostile name, a peer; a promise, a topic, feedback given, a risk.
async fn ready() -> Harness {
    let mut h = Harness::new();
    {
        let mut store = SqliteStore::open(&h.db).unwrap();
        let now = Clock::fixed("2026-11-23T09:00:00Z").unwrap().now;
        store
            .write(|tx| {
                upward_app::people::init(tx, "Alex", None, Some("Dana <b>W</b>"), now)?;
                upward_app::people::add(
                    tx,
                    &upward_domain::Person::new("Sam Ortiz", upward_domain::Relation::Peer, now)?,
                )
            })
            .unwrap();
    }
    h.login().await;
    for item in [
        json!({"kind": "promise", "title": HOSTILE, "person": "Dana", "due": "-2d"}),
        json!({"kind": "topic", "title": "Career path", "person": "Dana"}),
        json!({"kind": "feedback", "title": "Great demo", "person": "Dana", "direction": "given", "tone": "positive"}),
        json!({"kind": "risk", "title": "Vendor sunset", "severity": "high", "person": "Dana"}),
    ] {
        let a = h.api("POST", "/api/v1/items", Some(item)).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    }
    h
}

fn refused(a: &Answer, what: &str) {
    let body: String = a.body.chars().take(300).collect();
    assert!(a.status.is_client_error(), "{what}: {} {body}", a.status);
    assert!(!a.body.contains("<script>alert"), "{what}: unescaped");
}

#[tokio::test]
async fn the_agenda_page_shows_the_prep_and_the_meeting_form() {
    let h = ready().await;
    for path in [
        "/agenda",
        "/agenda/Dana",
        "/agenda/Dana?all=1",
        "/agenda/Sam",
        "/agenda/Dana%20%3Cb%3EW%3C%2Fb%3E",
    ] {
        let a = h.get(path).await;
        assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.body);
        assert!(
            !a.body.contains("<script>alert") && !a.body.contains("<b>W"),
            "{path}"
        );
    }
    let a = h.get("/agenda").await;
    assert!(a.body.contains("Dana &lt;b&gt;W&lt;/b&gt;"), "{}", a.body);
    assert!(a.body.contains("&lt;script&gt;alert"));
    assert!(a.body.contains("<h2>"), "sections as headings");
    assert!(a.body.contains("name=\"discussed\" value=\"1\""));
    assert!(a.body.contains("name=\"consent_asked\" value=\"3\""));
    assert!(a.body.contains("name=\"action_title_0\""));
    assert!(a.body.contains("href=\"/items/1\""));
    assert!(
        !a.body.contains("upward prep"),
        "no command lines on a page"
    );
    let shared = h.get("/agenda?shared=1").await;
    assert_eq!(shared.status, StatusCode::OK);
    assert!(shared.body.contains("data-copy=\"agenda-text\""));
    assert!(!shared.body.contains("name=\"discussed\""));
    assert!(!shared.body.contains("(#1)"), "no ids on the shared agenda");
}

#[tokio::test]
async fn recording_a_meeting_redirects_to_its_page_and_undo_takes_it_back() {
    let h = ready().await;
    let a = h
        .post_form(
            "/meetings",
            &[
                ("person", "Dana <b>W</b>"),
                ("discussed", "1"),
                ("discussed", "2"),
                ("consent_asked", "3"),
                ("action_title_0", HOSTILE),
                ("action_owner_0", "them"),
                ("action_due_0", "fri"),
                ("action_title_1", "Send notes"),
                ("action_owner_1", "me"),
                ("action_due_1", ""),
                ("action_title_2", ""),
                ("notes", "Talked <script>x</script>\nsecond line"),
                ("date", ""),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.headers[header::LOCATION], "/meetings/1");
    let page = h.get("/meetings/1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("&lt;script&gt;x&lt;/script&gt;<br>second line"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script>alert") && !page.body.contains("<script>x"));
    assert!(page.body.contains("Undo this 1:1"));
    assert!(
        page.body.contains("theirs, due 2026-11-27"),
        "{}",
        page.body
    );
    let shown = h.api("GET", "/api/v1/meetings/1", None).await.json();
    assert_eq!(shown["actions"].as_array().unwrap().len(), 2);
    assert_eq!(shown["discussed"].as_array().unwrap().len(), 3);
    assert_eq!(
        h.api("GET", "/api/v1/items/3", None).await.json()["consent"],
        true
    );
    let list = h.get("/meetings").await;
    assert!(list.body.contains("href=\"/meetings/1\""));
    assert_eq!(h.get("/meetings?person=Dana").await.status, StatusCode::OK);
    let undo = h.post_form("/meetings/1/undo", &[]).await;
    assert_eq!(undo.status, StatusCode::SEE_OTHER);
    assert_eq!(undo.headers[header::LOCATION], "/meetings?undone=1");
    assert!(h.get("/meetings?undone=1").await.body.contains("is undone"));
    refused(&h.get("/meetings/1").await, "undone");
    assert_eq!(
        h.api("GET", "/api/v1/meetings", None).await.json(),
        json!([])
    );
}

#[tokio::test]
async fn bad_meeting_input_is_a_4xx_never_a_500() {
    let h = ready().await;
    let big = "x".repeat((1 << 20) + 1);
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("person", "Dana")],
        vec![("discussed", "abc")],
        vec![("discussed", "-1")],
        vec![("discussed", "999")],
        vec![("discussed", "99999999999999999999999")],
        vec![("consent_asked", "1")],
        vec![("person", "Nobody <script>"), ("notes", "x")],
        vec![("notes", &big)],
        vec![("notes", "x"), ("date", "the 32nd")],
        vec![("action_title_0", "x"), ("action_owner_0", "everyone")],
        vec![("action_title_0", "x"), ("action_due_0", "2026-02-30")],
        vec![("action_due_0", "fri")],
        vec![("action", "x@nobody")],
    ];
    for fields in &cases {
        let a = h.post_form("/meetings", fields).await;
        refused(&a, &format!("{:?}", &fields[..fields.len().min(1)]));
    }
    for path in [
        "/meetings/999",
        "/meetings/abc",
        "/meetings/-1",
        "/meetings/0",
    ] {
        refused(&h.get(path).await, path);
        refused(&h.post_form(&format!("{path}/undo"), &[]).await, path);
    }
    refused(&h.get("/agenda/Nobody").await, "no such person");
    refused(&h.get("/meetings?person=Nobody").await, "no such person");
    assert_eq!(
        h.api("GET", "/api/v1/meetings", None).await.json(),
        json!([]),
        "nothing recorded"
    );
}

#[tokio::test]
async fn the_api_preps_records_lists_shows_and_undoes() {
    let h = ready().await;
    let prep = h.api("GET", "/api/v1/prep", None).await;
    assert_eq!(prep.status, StatusCode::OK, "{}", prep.body);
    assert_eq!(prep.json()["person"], "Dana <b>W</b>");
    assert_eq!(
        h.api("GET", "/api/v1/prep/Dana?shared=1", None)
            .await
            .json()["shared"],
        true
    );
    assert_eq!(
        h.api("GET", "/api/v1/prep/Sam?all=1", None).await.status,
        StatusCode::OK
    );
    let met = h
        .api(
            "POST",
            "/api/v1/meetings",
            Some(
                json!({"person": "Dana", "discussed": [1, 2], "notes": HOSTILE,
                "actions": ["Send plan@me:fri", {"title": "Intro to VP", "owner": "them"}]}),
            ),
        )
        .await;
    assert_eq!(met.status, StatusCode::CREATED, "{}", met.body);
    let met = met.json();
    assert_eq!(met["meeting"]["notes"], HOSTILE);
    assert_eq!(met["actions"].as_array().unwrap().len(), 2);
    assert_eq!(met["given_without_consent"], json!([]));
    let list = h
        .api("GET", "/api/v1/meetings?person=Dana", None)
        .await
        .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let shown = h.api("GET", "/api/v1/meetings/1", None).await;
    assert_eq!(shown.status, StatusCode::OK);
    let undo = h.api("POST", "/api/v1/meetings/1/undo", None).await;
    assert_eq!(undo.status, StatusCode::OK, "{}", undo.body);
    assert_eq!(undo.json()["dropped"].as_array().unwrap().len(), 2);
    for (body, what) in [
        (json!({}), "nothing"),
        (json!({"discussed": "1"}), "not a list"),
        (json!({"discussed": [1], "mood": "good"}), "unknown key"),
        (json!({"actions": [42]}), "bad action"),
        (
            json!({"actions": [{"title": "x", "colour": "red"}]}),
            "bad action key",
        ),
        (json!({"actions": ["x@nobody"]}), "bad owner"),
        (json!({"person": "Nobody", "notes": "x"}), "no such person"),
        (json!({"discussed": [999]}), "no such item"),
        (json!({"consent_asked": [1]}), "not feedback"),
        (json!([1]), "not an object"),
    ] {
        let a = h.api("POST", "/api/v1/meetings", Some(body)).await;
        refused(&a, what);
        assert!(a.json()["error"].is_string(), "{what}");
    }
    for path in [
        "/api/v1/meetings/999",
        "/api/v1/meetings/x",
        "/api/v1/prep/Nobody",
        "/api/v1/meetings?person=Nobody",
    ] {
        let a = h.api("GET", path, None).await;
        refused(&a, path);
        assert!(a.json()["error"].is_string(), "{path}");
    }
    refused(
        &h.api("POST", "/api/v1/meetings/1/undo", None).await,
        "undone twice",
    );
}

/// Issue #12: the meeting form takes shared notes, the meeting's page shows them apart from
/// the private notes, and the API takes `shared_notes`.
#[tokio::test]
async fn the_meeting_form_and_api_take_shared_notes() {
    let h = ready().await;
    assert!(
        h.get("/agenda")
            .await
            .body
            .contains("name=\"shared_notes\"")
    );
    let a = h
        .post_form(
            "/meetings",
            &[
                ("person", "Dana <b>W</b>"),
                ("notes", "private"),
                ("shared_notes", "Agreed <b>Friday</b>"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let page = h.get("/meetings/1").await;
    assert!(
        page.body.contains("<h2>Shared notes</h2>")
            && page.body.contains("Agreed &lt;b&gt;Friday&lt;/b&gt;"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Their notes"));
    let shown = h.api("GET", "/api/v1/meetings/1", None).await.json();
    assert_eq!(shown["meeting"]["shared_notes"], "Agreed <b>Friday</b>");
    assert_eq!(shown["meeting"]["notes"], "private");
    let a = h
        .api(
            "POST",
            "/api/v1/meetings",
            Some(json!({"person": "Dana", "date": "2026-11-20", "shared_notes": "ours"})),
        )
        .await;
    assert!(a.status.is_success(), "{}", a.body);
    assert_eq!(a.json()["meeting"]["shared_notes"], "ours");
}
