//! The intake page and `/api/v1/intake`: the analysis, accepting it, and every bad input a
//! 4xx with one line, never a 500, never unescaped.

mod sample;
mod support;

use axum::http::StatusCode;
use sample::*;
use serde_json::json;
use support::*;
use upward_domain::Kind;

const REQUEST: &str = "/intake?title=New+dashboard&from=Dana&due=2w&effort=5d";

async fn ready() -> Harness {
    let mut h = Harness::new();
    tour(&h.db);
    h.login().await;
    h
}

#[tokio::test]
async fn the_form_and_the_analysis_show_both_plans_the_draft_and_the_accept_button() {
    let h = ready().await;
    let form = h.get("/intake").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains(r#"<label for="intake-title">"#));
    let a = h.get(REQUEST).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    for part in [
        "Plan without the request",
        "Plan with the request",
        r#"id="plan-before""#,
        r#"id="plan-after""#,
        "(the request)",
        "Draft message to",
        r#"data-copy="intake-draft""#,
        r#"<form method="post" action="/intake">"#,
        r#"name="csrf""#,
        "Fits: ",
    ] {
        assert!(a.body.contains(part), "{part} missing: {}", a.body);
    }
    // Nothing written by looking.
    let before = count(&h.db, Kind::Priority);
    h.get(REQUEST).await;
    assert_eq!(count(&h.db, Kind::Priority), before);
}

#[tokio::test]
async fn accepting_adds_the_priority_and_redirects_to_what_was_added() {
    let h = ready().await;
    let before = count(&h.db, Kind::Priority);
    let a = h
        .post_form(
            "/intake",
            &[
                ("title", "New dashboard"),
                ("from", "Dana"),
                ("due", "2026-12-07"),
                ("effort", "5d"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let to = a.headers["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/intake?accepted="), "{to}");
    assert_eq!(count(&h.db, Kind::Priority), before + 1);
    let shown = h.get(&to).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("Added priority #"), "{}", shown.body);
    assert!(shown.body.contains("New dashboard"));
}

#[tokio::test]
async fn the_api_answers_the_analysis_and_accepts_with_201() {
    let h = ready().await;
    let a = h.api("GET", &format!("/api/v1{REQUEST}"), None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v = a.json();
    assert!(v["accepted"].is_null() && v["plan"].is_array() && v["message"].is_string());
    let before = count(&h.db, Kind::Priority);
    let p = h
        .api(
            "POST",
            "/api/v1/intake",
            Some(json!({"title": "New dashboard", "from": "Dana", "due": "2w", "effort": "5d", "rank": 2})),
        )
        .await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
    assert_eq!(p.json()["accepted"]["rank"], 2);
    assert_eq!(count(&h.db, Kind::Priority), before + 1);
}

#[tokio::test]
async fn bad_input_is_a_4xx_with_one_line_never_a_500_and_never_raw() {
    let h = ready().await;
    let big = "x".repeat(1024 * 1024 + 10);
    let script = SCRIPT;
    let bad_pages = [
        "/intake?title=&from=Dana&due=fri&effort=2d".to_string(),
        "/intake?title=A&from=Nobody&due=fri&effort=2d".to_string(),
        "/intake?title=A&from=Dana&due=2026-02-31&effort=2d".to_string(),
        "/intake?title=A&from=Dana&due=fri&effort=-3d".to_string(),
        "/intake?title=A&from=Dana&due=fri&effort=99999999999999999999d".to_string(),
        "/intake?title=A&from=Dana&due=fri&effort=2d&rank=-1".to_string(),
        "/intake?title=A&from=Dana&due=fri&effort=2d&rank=99999999999999999999".to_string(),
        "/intake?title=A&from=Dana".to_string(),
        format!(
            "/intake?title=A&from={}&due=fri&effort=2d",
            urlencode(script)
        ),
        format!(
            "/intake?title=A&from=Dana&due={}&effort=2d",
            urlencode(script)
        ),
        "/intake?accepted=abc".to_string(),
        "/intake?accepted=999999".to_string(),
    ];
    for path in &bad_pages {
        let a = h.get(path).await;
        assert!(
            a.status.is_client_error(),
            "{path}: {} {}",
            a.status,
            a.body
        );
        assert!(a.body.contains(r#"role="alert""#), "{path}");
        escaped_only(&a.body);
        let api = h.api("GET", &format!("/api/v1{path}"), None).await;
        if path.contains("accepted") {
            continue;
        }
        assert!(api.status.is_client_error(), "{path}: {}", api.body);
        let msg = api.json()["error"].as_str().unwrap().to_string();
        assert!(!msg.is_empty() && !msg.contains('\n'), "{msg}");
    }
    // A hostile title is shown escaped.
    let a = h
        .get(&format!(
            "/intake?title={}&from=Dana&due=fri&effort=2d",
            urlencode(script)
        ))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    escaped_only(&a.body);
    // Forms: a huge title, hostile people, missing fields.
    for fields in [
        vec![
            ("title", big.as_str()),
            ("from", "Dana"),
            ("due", "fri"),
            ("effort", "2d"),
        ],
        vec![
            ("title", "A"),
            ("from", script),
            ("due", "fri"),
            ("effort", "2d"),
        ],
        vec![
            ("title", "A"),
            ("from", "Dana"),
            ("due", "fri"),
            ("effort", "0d"),
            ("rank", "0"),
        ],
        vec![("title", "A")],
        vec![],
    ] {
        let before = count(&h.db, Kind::Priority);
        let a = h.post_form("/intake", &fields).await;
        let names: Vec<_> = fields.iter().map(|(k, v)| (k, v.len())).collect();
        assert!(a.status.is_client_error(), "{names:?}: {}", a.status);
        escaped_only(&a.body);
        assert_eq!(count(&h.db, Kind::Priority), before);
    }
    // The API's bodies.
    for body in [
        json!({"title": "A", "from": "Dana", "due": "fri"}),
        json!({"title": 5, "from": "Dana", "due": "fri", "effort": "2d"}),
        json!({"title": "A", "from": "Dana", "due": "fri", "effort": "2d", "rank": -4}),
        json!({"title": "A", "from": "Dana", "due": "fri", "effort": "2d", "rank": [1]}),
        json!({"title": "A", "from": script, "due": "fri", "effort": "2d"}),
        json!(["not", "an", "object"]),
        json!({"title": big, "from": "Dana", "due": "fri", "effort": "2d"}),
    ] {
        let a = h.api("POST", "/api/v1/intake", Some(body.clone())).await;
        assert!(
            a.status.is_client_error(),
            "{}: {}",
            a.status,
            &a.body[..a.body.len().min(300)]
        );
        assert!(a.json()["error"].is_string());
    }
    let rank_on_get = h
        .api(
            "GET",
            "/api/v1/intake?title=A&from=Dana&due=fri&effort=2d&rank=1",
            None,
        )
        .await;
    assert_eq!(rank_on_get.status, StatusCode::BAD_REQUEST);
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)]).unwrap()[2..].to_string()
}

#[tokio::test]
async fn the_openapi_document_describes_the_workflow_routes() {
    let h = ready().await;
    let doc = h.api("GET", "/api/v1/openapi.json", None).await.json();
    for (path, method) in [
        ("/intake", "get"),
        ("/intake", "post"),
        ("/decline", "get"),
        ("/declines", "get"),
        ("/declines", "post"),
        ("/review", "get"),
        ("/reflect/{person}", "get"),
        ("/reflections", "post"),
    ] {
        let op = &doc["paths"][path][method];
        assert!(op["operationId"].is_string(), "{method} {path}");
        assert!(op["responses"]["401"].is_object(), "{method} {path}");
    }
}
