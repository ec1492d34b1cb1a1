//! Search: the page marks matches with <mark> and escapes everything else; the API answers
//! the command line's JSON; bad parameters are a 4xx.

mod support;

use axum::http::StatusCode;
use support::*;
use upward_domain::{Clock, ItemInput, Kind};
use upward_store::StoreExt;
use upward_store_sqlite::SqliteStore;

fn add(h: &Harness, kind: Kind, title: &str, body: &str) {
    let mut store = SqliteStore::open(&h.db).unwrap();
    let clock = Clock::fixed("2026-11-23T09:00:00Z").unwrap();
    store
        .write(|tx| {
            let input = ItemInput {
                title: Some(title.into()),
                body: Some(body.into()),
                ..Default::default()
            };
            upward_app::items::add(tx, kind, input, None, &clock)
        })
        .unwrap();
}

async fn workspace() -> Harness {
    let mut h = Harness::new();
    add(
        &h,
        Kind::Win,
        "Cut checkout latency",
        "Moved the pricing call off the hot path",
    );
    add(
        &h,
        Kind::Note,
        "Lunch <script>alert(1)</script>",
        "Talked about latency & \"budgets\"",
    );
    h.login().await;
    h
}

#[tokio::test]
async fn results_are_ranked_with_matches_marked_and_the_rest_escaped() {
    let h = workspace().await;
    let page = h.get("/search?q=latency").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let win = page.body.find("Cut checkout latency").unwrap();
    let note = page.body.find("Lunch &lt;script&gt;").unwrap();
    assert!(win < note, "the title match first");
    assert!(page.body.contains("<mark>latency</mark>"), "{}", page.body);
    assert!(
        page.body.contains("&amp; &quot;budgets&quot;") || page.body.contains("&amp; \"budgets\"")
    );
    assert!(!page.body.contains("<script>alert"));
    assert!(page.body.contains("href=\"/items/1\""));
    let none = h.get("/search?q=zzz").await;
    assert!(none.body.contains("No matches for"));
    let form = h.get("/search").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("label for=\"q\""));
}

#[tokio::test]
async fn the_api_answers_the_hits_with_matches_in_stars() {
    let h = workspace().await;
    let a = h.api("GET", "/api/v1/search?q=pricing", None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let hits = a.json();
    assert_eq!(hits[0]["title"], "Cut checkout latency");
    assert!(hits[0]["snippet"].as_str().unwrap().contains("**pricing**"));
    assert_eq!(
        h.api("GET", "/api/v1/search?q=", None).await.json(),
        serde_json::json!([])
    );
}

#[tokio::test]
async fn hostile_queries_are_text_and_bad_limits_are_400() {
    let h = workspace().await;
    for q in [
        "%3Cscript%3E",
        "%22%20OR%20NEAR(a",
        "*",
        "a%00b",
        &"x".repeat(5000),
    ] {
        let page = h.get(&format!("/search?q={q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{q}: {}", page.body);
        assert!(!page.body.contains("<script>"));
        let api = h.api("GET", &format!("/api/v1/search?q={q}"), None).await;
        assert_eq!(api.status, StatusCode::OK, "{q}: {}", api.body);
    }
    for limit in ["-1", "abc", "99999999999999999999999"] {
        let page = h.get(&format!("/search?q=latency&limit={limit}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{limit}");
        assert!(page.body.contains("role=\"alert\""));
        let api = h
            .api(
                "GET",
                &format!("/api/v1/search?q=latency&limit={limit}"),
                None,
            )
            .await;
        assert_eq!(api.status, StatusCode::BAD_REQUEST, "{limit}");
        assert!(api.json()["error"].is_string());
    }
    let huge = h
        .api("GET", "/api/v1/search?q=latency&limit=100000", None)
        .await;
    assert_eq!(
        huge.status,
        StatusCode::OK,
        "kept within 1–1000 as the CLI keeps it"
    );
}
