//! Items through the pages and the API: every route answers, every bad input is a one-line
//! 4xx (never a 500), and hostile text is shown escaped.

mod support;

use axum::http::{StatusCode, header};
use serde_json::json;
use support::*;
use upward_domain::{Clock, Kind};
use upward_store::StoreExt;
use upward_store_sqlite::SqliteStore;

const HOSTILE: &str = "<script>alert(\"x\")</script> & 'quoted'";

/// Me, a manager with a hostile name, and a peer.
fn people(h: &Harness) {
    let mut store = SqliteStore::open(&h.db).unwrap();
    let now = Clock::fixed("2026-11-23T09:00:00Z").unwrap().now;
    store
        .write(|tx| {
            upward_app::people::init(tx, "Alex", None, Some("Dana <b>Whitfield</b>"), now)?;
            upward_app::people::add(
                tx,
                &upward_domain::Person::new("Sam Ortiz", upward_domain::Relation::Peer, now)?,
            )
        })
        .unwrap();
}

async fn ready() -> Harness {
    let mut h = Harness::new();
    people(&h);
    h.login().await;
    h
}

/// The message of a page or a JSON error, short enough to read in a failure.
fn short(body: &str) -> String {
    let at = body.find("role=\"alert\"").unwrap_or(0);
    body[at..].chars().take(300).collect()
}

/// A refusal: a 4xx with a one-line message, never a 500.
fn refused(a: &Answer, what: &str) {
    let what: String = what.chars().take(80).collect();
    assert!(
        a.status.is_client_error(),
        "{what}: {} {}",
        a.status,
        short(&a.body)
    );
    assert!(!a.body.contains("<script>alert"), "{what}: unescaped");
}

fn refused_json(a: &Answer, what: &str) {
    refused(a, what);
    let e = a.json()["error"].as_str().unwrap_or_default().to_string();
    assert!(
        !e.is_empty() && !e.contains('\n'),
        "{what}: {}",
        short(&a.body)
    );
}

#[tokio::test]
async fn the_add_form_of_every_kind_shows_its_own_fields() {
    let h = ready().await;
    let a = h.get("/items/new").await;
    assert_eq!(a.status, StatusCode::OK);
    for kind in Kind::ALL {
        assert!(a.body.contains(&format!("/items/new?kind={kind}")));
        let a = h.get(&format!("/items/new?kind={kind}")).await;
        assert_eq!(a.status, StatusCode::OK, "{kind}: {}", a.body);
        for field in kind.fields() {
            let name = match *field {
                "for_item" => "for",
                f => f,
            };
            if matches!(
                name,
                "ranked"
                    | "confirmed_by"
                    | "communicated_severity"
                    | "communicated_likelihood"
                    | "communicated_state"
            ) {
                continue;
            }
            assert!(
                a.body.contains(&format!("name=\"{name}\"")),
                "{kind} lacks {name}"
            );
        }
        assert!(a.body.contains("for=\"f-title\""));
    }
    refused(&h.get("/items/new?kind=unicorn").await, "unknown kind");
}

#[tokio::test]
async fn adding_through_the_form_redirects_to_the_item_and_shows_it_escaped() {
    let h = ready().await;
    let a = h
        .post_form(
            "/items",
            &[
                ("kind", "risk"),
                ("title", HOSTILE),
                ("with", "Dana"),
                ("severity", "high"),
                ("likelihood", "medium"),
                ("tag", "infra, <b>tag</b>"),
                ("body", HOSTILE),
                ("due", "fri"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.headers[header::LOCATION], "/items/1");
    let page = h.get("/items/1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("&lt;script&gt;alert"), "{}", page.body);
    assert!(!page.body.contains("<script>alert"));
    assert!(!page.body.contains("<b>"));
    assert!(page.body.contains("Mark done"));
    let list = h.get("/items").await;
    assert!(list.body.contains("&lt;script&gt;alert"));
    assert!(!list.body.contains("<script>alert"));
    for q in [
        "?kind=risk",
        "?status=all",
        "?person=Dana",
        "?tag=infra",
        "?since=2026-11-01",
        "?kind=win",
        "?kind=priority&status=done",
    ] {
        let a = h.get(&format!("/items{q}")).await;
        assert_eq!(a.status, StatusCode::OK, "{q}: {}", a.body);
    }
    assert!(h.get("/items?kind=risk").await.body.contains("/items/1"));
    assert!(!h.get("/items?kind=win").await.body.contains("/items/1\""));
}

#[tokio::test]
async fn edit_done_drop_and_reopen_through_the_forms() {
    let h = ready().await;
    h.post_form(
        "/items",
        &[
            ("kind", "promise"),
            ("title", "Send the plan"),
            ("due", "2026-11-30"),
            ("with", "Dana"),
        ],
    )
    .await;
    // The form sends every field back; only the changed title changes anything.
    let a = h
        .post_form(
            "/items/1",
            &[
                ("title", "Send the <i>plan</i>"),
                ("with", "Dana <b>Whitfield</b>"),
                ("due", "2026-11-30"),
                ("tag", ""),
                ("body", ""),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let item = h.api("GET", "/api/v1/items/1", None).await.json();
    assert_eq!(item["title"], "Send the <i>plan</i>");
    assert_eq!(item["renegotiated"], 0);
    let unchanged = h
        .post_form("/items/1", &[("title", "Send the <i>plan</i>")])
        .await;
    refused(&unchanged, "nothing changed");
    let a = h.post_form("/items/1/done", &[("date", "")]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        h.api("GET", "/api/v1/items/1", None).await.json()["status"],
        "done"
    );
    assert!(h.get("/items/1").await.body.contains("Reopen"));
    let a = h.post_form("/items/1/reopen", &[]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let a = h.post_form("/items/1/drop", &[("why", HOSTILE)]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let page = h.get("/items/1").await;
    assert!(page.body.contains("&lt;script&gt;alert") && !page.body.contains("<script>alert"));
    assert_eq!(
        h.api("GET", "/api/v1/items/1", None).await.json()["status"],
        "dropped"
    );
}

#[tokio::test]
async fn bad_form_input_is_a_4xx_never_a_500() {
    let h = ready().await;
    h.post_form("/items", &[("kind", "win"), ("title", "Shipped")])
        .await;
    let big = "x".repeat((1 << 20) + 1);
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("kind", "unicorn"), ("title", "x")],
        vec![("title", "no kind")],
        vec![("kind", "win")],
        vec![("kind", "win"), ("title", "")],
        vec![("kind", "win"), ("title", "   ")],
        vec![("kind", "win"), ("title", &big)],
        vec![
            ("kind", "risk"),
            ("title", "x"),
            ("body", &big),
            ("severity", "high"),
        ],
        vec![
            ("kind", "win"),
            ("title", "x"),
            ("date", "the 32nd of Never"),
        ],
        vec![("kind", "promise"), ("title", "x"), ("due", "2026-02-30")],
        vec![("kind", "priority"), ("title", "x"), ("rank", "-5")],
        vec![
            ("kind", "priority"),
            ("title", "x"),
            ("rank", "99999999999999999999999"),
        ],
        vec![("kind", "priority"), ("title", "x"), ("effort", "forever")],
        vec![("kind", "win"), ("title", "x"), ("severity", "high")],
        vec![
            ("kind", "risk"),
            ("title", "x"),
            ("severity", "apocalyptic"),
        ],
        vec![("kind", "win"), ("title", "x"), ("with", "Nobody <script>")],
        vec![("kind", "win"), ("title", "x"), ("for", "abc")],
        vec![("kind", "win"), ("title", "x"), ("for", "999")],
        vec![("kind", "win"), ("title", "x"), ("for", "1")],
        vec![("kind", "feedback"), ("title", "x"), ("answers", "-1")],
        vec![("kind", "feedback"), ("title", "x"), ("consent", "perhaps")],
    ];
    for fields in &cases {
        let a = h.post_form("/items", fields).await;
        refused(&a, &format!("{:?}", &fields[..fields.len().min(2)]));
        assert!(a.body.contains("role=\"alert\""));
    }
    for path in [
        "/items/999",
        "/items/abc",
        "/items/-1",
        "/items/0",
        "/items/99999999999999999999",
    ] {
        refused(&h.get(path).await, path);
        refused(&h.post_form(&format!("{path}/done"), &[]).await, path);
        refused(&h.post_form(&format!("{path}/drop"), &[]).await, path);
        refused(&h.post_form(&format!("{path}/reopen"), &[]).await, path);
        refused(&h.post_form(&format!("{path}/share"), &[]).await, path);
        refused(&h.post_form(&format!("{path}/unshare"), &[]).await, path);
        refused(&h.post_form(path, &[("title", "x")]).await, path);
    }
    refused(
        &h.post_form("/items/1/reopen", &[]).await,
        "reopen an open win?",
    );
    refused(
        &h.post_form("/items/1/done", &[("date", "someday")]).await,
        "bad date",
    );
    for q in [
        "?kind=unicorn",
        "?status=maybe",
        "?since=never",
        "?person=Nobody",
    ] {
        refused(&h.get(&format!("/items{q}")).await, q);
    }
}

#[tokio::test]
async fn the_api_adds_shows_edits_and_closes_items() {
    let h = ready().await;
    let a = h
        .api(
            "POST",
            "/api/v1/items",
            Some(json!({"kind": "priority", "title": HOSTILE, "effort": "3d", "person": "Dana", "tags": ["q4"], "visibility": "shared"})),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let added = a.json();
    // As `add --json`: the item, with the tone check's warnings (none for a priority).
    assert_eq!(added["warnings"], json!([]));
    let mut item = added.clone();
    item.as_object_mut().unwrap().remove("warnings");
    assert_eq!(item["title"], HOSTILE);
    assert_eq!(item["rank"], 1);
    assert_eq!(item["visibility"], "shared");
    assert_eq!(h.api("GET", "/api/v1/items/1", None).await.json(), item);
    // A stored item sent back is accepted (upward's own keys are ignored), as is an answer.
    let again = h.api("POST", "/api/v1/items", Some(added.clone())).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    let list = h
        .api("GET", "/api/v1/items?kind=priority", None)
        .await
        .json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let e = h
        .api(
            "PATCH",
            "/api/v1/items/2",
            Some(json!({"rank": 1, "visibility": "private"})),
        )
        .await;
    assert_eq!(e.status, StatusCode::OK, "{}", e.body);
    assert_eq!(e.json()["rank"], 1);
    assert_eq!(e.json()["warnings"], json!([]));
    // Feedback is checked as `add --json` checks it (docs/tone.md).
    let f = h
        .api(
            "POST",
            "/api/v1/items",
            Some(json!({"kind": "feedback", "title": "You never test", "tone": "constructive"})),
        )
        .await;
    assert_eq!(f.status, StatusCode::CREATED, "{}", f.body);
    let answer = f.json();
    let rules: Vec<&str> = answer["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["blame", "past_only"]);
    let list = h
        .api("GET", "/api/v1/items?kind=priority", None)
        .await
        .json();
    assert_eq!(list[0]["id"], 2, "priorities by rank");
    let d = h
        .api(
            "POST",
            "/api/v1/items/1/done",
            Some(json!({"date": "yesterday"})),
        )
        .await;
    assert_eq!(d.json()["done"], "2026-11-22");
    let r = h.api("POST", "/api/v1/items/1/reopen", None).await;
    assert_eq!(r.json()["status"], "open");
    let x = h
        .api(
            "POST",
            "/api/v1/items/1/drop",
            Some(json!({"why": "superseded"})),
        )
        .await;
    assert_eq!(x.json()["status"], "dropped");
    let all = h
        .api(
            "GET",
            "/api/v1/items?status=all&person=Dana&tag=q4&since=2026-11-01",
            None,
        )
        .await;
    assert_eq!(all.status, StatusCode::OK);
}

#[tokio::test]
async fn bad_api_input_is_a_json_4xx() {
    let h = ready().await;
    let big = "x".repeat((1 << 20) + 1);
    let bodies = [
        json!({"title": "no kind"}),
        json!({"kind": "unicorn", "title": "x"}),
        json!({"kind": "win"}),
        json!({"kind": "win", "title": big}),
        json!({"kind": "win", "title": "x", "colour": "red"}),
        json!({"kind": "win", "title": "x", "tags": "not a list"}),
        json!({"kind": "win", "title": "x", "tags": [1]}),
        json!({"kind": "win", "title": "x", "visibility": "secret"}),
        json!({"kind": "win", "title": "x", "date": "2026-13-01"}),
        json!({"kind": "priority", "title": "x", "rank": -1}),
        json!({"kind": "priority", "title": "x", "rank": 1e300}),
        json!({"kind": "win", "title": "x", "impact": {"nested": true}}),
        json!({"kind": "win", "title": "x", "person": "Nobody"}),
        json!({"kind": "win", "title": "x", "severity": "high"}),
        json!([1, 2]),
        json!("a string"),
    ];
    for b in bodies {
        let a = h.api("POST", "/api/v1/items", Some(b.clone())).await;
        refused_json(&a, &b.to_string()[..b.to_string().len().min(80)]);
    }
    let raw = h
        .send(
            axum::http::Request::post("/api/v1/items")
                .header(header::HOST, HOST)
                .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
                .body(axum::body::Body::from("{not json"))
                .unwrap(),
        )
        .await;
    refused_json(&raw, "not JSON");
    for path in ["/api/v1/items/999", "/api/v1/items/abc", "/api/v1/items/-3"] {
        refused_json(&h.api("GET", path, None).await, path);
        refused_json(
            &h.api("PATCH", path, Some(json!({"title": "x"}))).await,
            path,
        );
        refused_json(&h.api("POST", &format!("{path}/done"), None).await, path);
        refused_json(&h.api("POST", &format!("{path}/drop"), None).await, path);
        refused_json(&h.api("POST", &format!("{path}/reopen"), None).await, path);
    }
    h.api(
        "POST",
        "/api/v1/items",
        Some(json!({"kind": "idea", "title": "x"})),
    )
    .await;
    refused_json(
        &h.api("PATCH", "/api/v1/items/1", Some(json!({}))).await,
        "nothing",
    );
    refused_json(
        &h.api("PATCH", "/api/v1/items/1", Some(json!({"kind": "win"})))
            .await,
        "kind",
    );
    refused_json(
        &h.api("POST", "/api/v1/items/1/done", Some(json!({"when": "x"})))
            .await,
        "key",
    );
    refused_json(&h.api("POST", "/api/v1/items/1/reopen", None).await, "open");
    for q in [
        "?kind=unicorn",
        "?status=maybe",
        "?since=never",
        "?person=Nobody",
    ] {
        refused_json(&h.api("GET", &format!("/api/v1/items{q}"), None).await, q);
    }
}

#[tokio::test]
async fn the_openapi_document_lists_the_item_routes() {
    let h = ready().await;
    let doc = h.api("GET", "/api/v1/openapi.json", None).await.json();
    for p in [
        "/items",
        "/items/{id}",
        "/items/{id}/done",
        "/items/{id}/drop",
        "/items/{id}/reopen",
    ] {
        assert!(doc["paths"][p].is_object(), "{p}");
    }
}

#[tokio::test]
async fn a_long_list_comes_a_hundred_items_a_page_with_its_filters_kept() {
    // Written before the server reads: a store of this process that writes cannot open
    // while the server keeps read stores open (see `AppState`).
    let mut h = Harness::new();
    people(&h);
    let mut store = SqliteStore::open(&h.db).unwrap();
    let clock = Clock::fixed("2026-11-23T09:00:00Z").unwrap();
    store
        .write(|tx| {
            for n in 1..=250 {
                let input = upward_domain::ItemInput {
                    title: Some(format!("Note {n}")),
                    tags: Some(vec!["t".into()]),
                    ..Default::default()
                };
                upward_app::items::add(tx, Kind::Note, input, None, &clock)?;
            }
            Ok::<_, upward_app::AppError>(())
        })
        .unwrap();
    drop(store);
    h.login().await;
    let rows = |body: &str| body.matches("<th scope=\"row\">").count();
    let first = h.get("/items?kind=note&tag=t").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(rows(&first.body), 100);
    assert!(
        first.body.contains("250 items"),
        "the count is of every match"
    );
    assert!(first.body.contains("Showing 1–100 of 250."));
    assert!(
        first
            .body
            .contains("href=\"/items?kind=note&amp;tag=t&amp;page=2\""),
        "the next page keeps the filters"
    );
    assert!(!first.body.contains("rel=\"prev\""));
    let last = h.get("/items?kind=note&tag=t&page=3").await;
    assert_eq!(rows(&last.body), 50);
    assert!(last.body.contains("Page 3 of 3"));
    assert!(!last.body.contains("rel=\"next\""));
    // Past the last page: the last page.
    assert_eq!(rows(&h.get("/items?kind=note&page=99").await.body), 50);
    for bad in ["0", "-1", "x", "99999999999999999999999"] {
        let a = h.get(&format!("/items?page={bad}")).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "page={bad}");
        assert!(a.body.contains("accepted: a whole number from 1"));
    }
    // The API answers every one, as `list --json` does.
    let all = h.api("GET", "/api/v1/items?kind=note", None).await.json();
    assert_eq!(all.as_array().unwrap().len(), 250);
}
