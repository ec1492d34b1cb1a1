//! Update through the page and the API: the draft in every channel and length, the copy
//! button, "mark as sent"; bad input is a one-line 4xx.

mod support;

use axum::http::{StatusCode, header};
use serde_json::json;
use support::*;
use upward_domain::{Channel, Clock, Length};
use upward_store::StoreExt;
use upward_store_sqlite::SqliteStore;

const HOSTILE: &str = "<script>alert(\"x\")</script> & 'quoted'";

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
        json!({"kind": "win", "title": HOSTILE, "metric": "p99 -38%", "date": "-3d"}),
        json!({"kind": "promise", "title": "Ship the limiter", "person": "Dana", "due": "-2d"}),
        json!({"kind": "risk", "title": "Vendor sunset", "severity": "high"}),
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
async fn the_update_page_shows_the_draft_in_every_channel_and_length() {
    let h = ready().await;
    let a = h.get("/update").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(a.body.contains("<pre class=\"draft\" id=\"draft\">"));
    assert!(a.body.contains("data-copy=\"draft\" hidden"));
    assert!(a.body.contains("&lt;script&gt;alert"));
    assert!(!a.body.contains("<script>alert") && !a.body.contains("<b>W"));
    assert!(a.body.contains("Mark as sent"));
    for c in Channel::ALL {
        for l in Length::ALL {
            let link = format!("channel={c}&amp;length={l}");
            assert!(a.body.contains(&link), "{link}");
            let page = h.get(&format!("/update/Dana?channel={c}&length={l}")).await;
            assert_eq!(page.status, StatusCode::OK, "{c} {l}");
            let api = h
                .api(
                    "GET",
                    &format!("/api/v1/update/Dana?channel={c}&length={l}"),
                    None,
                )
                .await
                .json();
            assert_eq!(api["channel"], c.as_str());
            let text = api["text"].as_str().unwrap();
            let escaped = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;");
            assert!(
                page.body.contains(&escaped),
                "{c} {l}: the page shows the API's text"
            );
        }
    }
    assert_eq!(
        h.get("/update/Sam?since=2026-11-01").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn mark_as_sent_records_it_and_the_next_update_starts_from_there() {
    let h = ready().await;
    let a = h
        .post_form(
            "/update/Dana/sent",
            &[("channel", "email"), ("length", "detailed")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let to = a.headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(to.contains("sent=1"), "{to}");
    let page = h.get(&to).await;
    assert!(page.body.contains("Recorded as sent"));
    let next = h.api("GET", "/api/v1/update/Dana", None).await.json();
    assert_eq!(next["since"], "2026-11-23");
    let api = h
        .api(
            "POST",
            "/api/v1/update/Sam/sent",
            Some(json!({"channel": "chat"})),
        )
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert_eq!(api.json()["sent"], true);
    assert_eq!(api.json()["person"], "Sam Ortiz");
}

#[tokio::test]
async fn bad_update_input_is_a_4xx_never_a_500() {
    let h = ready().await;
    for q in [
        "/update?channel=pigeon",
        "/update?length=epic",
        "/update?since=someday",
        "/update/Nobody",
        "/update/%3Cscript%3E",
    ] {
        refused(&h.get(q).await, q);
        let api = h.api("GET", &format!("/api/v1{q}"), None).await;
        refused(&api, q);
        assert!(api.json()["error"].is_string(), "{q}");
    }
    refused(&h.post_form("/update/Nobody/sent", &[]).await, "nobody");
    refused(
        &h.post_form("/update/Dana/sent", &[("channel", "pigeon")])
            .await,
        "channel",
    );
    for body in [
        json!({"channel": 1}),
        json!({"tone": "x"}),
        json!([1]),
        json!({"since": "never"}),
    ] {
        let a = h
            .api("POST", "/api/v1/update/Dana/sent", Some(body.clone()))
            .await;
        refused(&a, &body.to_string());
        assert!(a.json()["error"].is_string());
    }
    assert!(
        h.api("GET", "/api/v1/update/Dana", None).await.json()["since"] != "2026-11-23",
        "nothing was recorded as sent"
    );
}
