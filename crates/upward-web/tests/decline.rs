//! The decline page and `/api/v1/decline`, `/api/v1/declines`: the draft, recording it as
//! sent, the list; every bad input a 4xx with one line, never a 500, never unescaped.

mod sample;
mod support;

use axum::http::StatusCode;
use sample::*;
use serde_json::json;
use support::*;

const DRAFT: &str = "/decline?title=Run+the+Q1+hackathon&from=Dana&reason=the+billing+migration+needs+me&alternative=Judge+the+final&alternative=&after=";

async fn ready() -> Harness {
    let mut h = Harness::new();
    tour(&h.db);
    h.login().await;
    h
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)]).unwrap()[2..].to_string()
}

#[tokio::test]
async fn the_form_the_draft_and_recording_it_as_sent() {
    let h = ready().await;
    let form = h.get("/decline").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("No decline recorded yet"));
    assert!(form.body.contains(r#"<label for="decline-reason">"#));
    let d = h.get(DRAFT).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    for part in [
        r#"<pre class="draft" id="decline-draft">"#,
        r#"data-copy="decline-draft""#,
        r#"<form method="post" action="/declines">"#,
        "Judge the final",
        "I sent it: record it",
    ] {
        assert!(d.body.contains(part), "{part} missing");
    }
    let r = h
        .post_form(
            "/declines",
            &[
                ("title", "Run the Q1 hackathon"),
                ("from", "Dana"),
                ("reason", "the billing migration needs me"),
                ("alternative", "Judge the final"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.headers["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/decline?recorded="), "{to}");
    let list = h.get(&to).await;
    assert!(
        list.body.contains("Recorded as decline #1"),
        "{}",
        list.body
    );
    assert!(list.body.contains("<td>Run the Q1 hackathon</td>"));
    let api = h.api("GET", "/api/v1/declines", None).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.json().as_array().unwrap().len(), 1);
    let dana = h.api("GET", "/api/v1/declines?person=Dana", None).await;
    assert_eq!(dana.json().as_array().unwrap().len(), 1);
    let nobody = h.api("GET", "/api/v1/declines?person=Nobody", None).await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_drafts_and_records_with_201() {
    let h = ready().await;
    let d = h.api("GET", &format!("/api/v1{DRAFT}"), None).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    let v = d.json();
    assert!(v["text"].is_string() && v.get("recorded").is_none());
    let r = h
        .api(
            "POST",
            "/api/v1/declines",
            Some(json!({"title": "Run the Q1 hackathon", "from": "Dana", "reason": "busy until March", "alternatives": ["Judge the final"], "after": "2027-03-01"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["recorded"]["id"], 1);
    assert_eq!(r.json()["recorded"]["after"], "2027-03-01");
}

#[tokio::test]
async fn bad_input_is_a_4xx_with_one_line_never_a_500_and_never_raw() {
    let h = ready().await;
    let big = "x".repeat(1024 * 1024 + 10);
    let s = urlencode(SCRIPT);
    let pages = [
        "/decline?title=&from=Dana&reason=busy".to_string(),
        "/decline?title=A&from=Dana&reason=".to_string(),
        "/decline?title=A&from=Dana&reason=+++".to_string(),
        "/decline?title=A&from=Nobody&reason=busy".to_string(),
        "/decline?title=A&reason=busy".to_string(),
        "/decline?title=A&from=Dana&reason=busy&after=2026-13-45".to_string(),
        "/decline?title=A&from=Dana&reason=busy&after=99999999999d".to_string(),
        format!("/decline?title=A&from={s}&reason=busy"),
        format!("/decline?title=A&from=Dana&reason=busy&after={s}"),
    ];
    for path in &pages {
        let a = h.get(path).await;
        assert!(a.status.is_client_error(), "{path}: {}", a.status);
        assert!(a.body.contains(r#"role="alert""#), "{path}");
        escaped_only(&a.body);
        let api = h.api("GET", &format!("/api/v1{path}"), None).await;
        assert!(api.status.is_client_error(), "{path}: {}", api.status);
        let msg = api.json()["error"].as_str().unwrap().to_string();
        assert!(!msg.is_empty() && !msg.contains('\n'), "{msg}");
    }
    // Hostile text in a draft is escaped on the page.
    let a = h
        .get(&format!(
            "/decline?title={s}&from=Dana&reason={s}&alternative={s}"
        ))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    escaped_only(&a.body);
    for fields in [
        vec![
            ("title", big.as_str()),
            ("from", "Dana"),
            ("reason", "busy"),
        ],
        vec![("title", "A"), ("from", "Dana"), ("reason", big.as_str())],
        vec![("title", "A"), ("from", SCRIPT), ("reason", "busy")],
        vec![("title", "A"), ("from", "Dana")],
        vec![],
    ] {
        let a = h.post_form("/declines", &fields).await;
        let names: Vec<_> = fields.iter().map(|(k, v)| (k, v.len())).collect();
        assert!(a.status.is_client_error(), "{names:?}: {}", a.status);
        escaped_only(&a.body);
    }
    for body in [
        json!({"title": "A", "from": "Dana"}),
        json!({"title": "A", "from": "Dana", "reason": 3}),
        json!({"title": "A", "from": "Dana", "reason": "busy", "alternatives": "one"}),
        json!({"title": "A", "from": "Dana", "reason": "busy", "alternatives": [1, 2]}),
        json!({"title": "A", "from": "Dana", "reason": "busy", "after": "whenever"}),
        json!({"title": "A", "from": "Nobody", "reason": "busy"}),
        json!({"title": "A", "from": "Dana", "reason": big}),
        json!(null),
    ] {
        let a = h.api("POST", "/api/v1/declines", Some(body)).await;
        assert!(a.status.is_client_error(), "{}", a.status);
        assert!(a.json()["error"].is_string());
    }
    let list = h.api("GET", "/api/v1/declines", None).await;
    assert_eq!(list.json(), json!([]), "nothing recorded by bad input");
}
