//! The review page and `/api/v1/review`: the period picker, the packet, the charts with
//! their tables; bad periods a 4xx with one line, never a 500.

mod sample;
mod support;

use axum::http::StatusCode;
use sample::*;
use support::*;

async fn ready() -> Harness {
    let mut h = Harness::new();
    tour(&h.db);
    h.login().await;
    h
}

#[tokio::test]
async fn the_page_has_the_picker_the_packet_and_four_charts_each_with_a_table() {
    let h = ready().await;
    let a = h.get("/review").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    for part in [
        r#"<input type="date" id="review-from" name="from" value="2026-05-23">"#,
        r#"<input type="date" id="review-to" name="to" value="2026-11-23">"#,
        r#"href="/review?from=2026-10-23&amp;to=2026-11-23">Last month</a>"#,
        r#"href="/review?from=2025-11-23&amp;to=2026-11-23">Last year</a>"#,
        "Review packet: Sam Rivera",
        "Follow-through",
    ] {
        assert!(a.body.contains(part), "{part} missing");
    }
    for id in ["chart-wins", "chart-promises", "chart-actions"] {
        assert!(
            a.body
                .contains(&format!(r#"role="img" aria-labelledby="{id}-title""#)),
            "{id}"
        );
    }
    assert!(a.body.matches("<caption>").count() >= 3);
    assert!(a.body.contains(r#"<th scope="row">2026-11</th>"#));
    assert!(!a.body.contains("style="), "no inline style");
    // A chosen period.
    let q = h.get("/review?from=2026-09-01&to=2026-10-31").await;
    assert_eq!(q.status, StatusCode::OK);
    assert!(q.body.contains(r#"<th scope="row">2026-09</th>"#));
    assert!(!q.body.contains(r#"<th scope="row">2026-11</th>"#));
}

#[tokio::test]
async fn the_api_answers_the_packet() {
    let h = ready().await;
    let a = h
        .api("GET", "/api/v1/review?from=2026-06-01&to=2026-11-23", None)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v = a.json();
    assert_eq!(v["from"], "2026-06-01");
    assert!(v["wins"].is_array() && v["follow_through"]["promises"].is_object());
}

#[tokio::test]
async fn bad_periods_are_a_4xx_with_one_line_never_a_500() {
    let h = ready().await;
    for q in [
        "from=2026-11-24&to=2026-11-01",
        "from=2026-02-30",
        "to=notadate",
        "from=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "from=-99999999999m",
        "from=0001-01-01&to=9999-12-31",
    ] {
        let a = h.get(&format!("/review?{q}")).await;
        if a.status == StatusCode::OK {
            // A huge but valid period is drawn by year.
            assert!(q.contains("0001"), "{q}");
            continue;
        }
        assert!(a.status.is_client_error(), "{q}: {}", a.status);
        assert!(a.body.contains(r#"role="alert""#));
        escaped_only(&a.body);
        let api = h.api("GET", &format!("/api/v1/review?{q}"), None).await;
        assert!(api.status.is_client_error(), "{q}: {}", api.status);
        let msg = api.json()["error"].as_str().unwrap().to_string();
        assert!(!msg.contains('\n'), "{msg}");
    }
}

#[tokio::test]
async fn hostile_tags_and_titles_are_escaped_in_the_packet_and_the_charts() {
    // Written before the server opens a reader (it shares the process's WAL index).
    let mut h = Harness::new();
    tour(&h.db);
    let mut store = upward_store_sqlite::SqliteStore::open(&h.db).unwrap();
    let clock = upward_domain::Clock::fixed("2026-11-23T09:00:00Z").unwrap();
    use upward_store::StoreExt;
    store
        .write(|tx| {
            upward_app::items::add(
                tx,
                upward_domain::Kind::Win,
                upward_domain::ItemInput {
                    title: Some(SCRIPT.into()),
                    tags: Some(vec!["x\"><img".into()]),
                    date: Some(clock.today),
                    ..Default::default()
                },
                None,
                &clock,
            )
        })
        .unwrap();
    drop(store);
    h.login().await;
    let a = h.get("/review").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("&lt;script&gt;"));
    escaped_only(&a.body);
}

#[tokio::test]
async fn a_busy_period_shows_five_entries_a_group_and_the_whole_packet_downloads() {
    let mut h = Harness::new();
    tour(&h.db);
    {
        use upward_store::StoreExt;
        let mut store = upward_store_sqlite::SqliteStore::open(&h.db).unwrap();
        let clock = upward_domain::Clock::fixed("2026-11-23T09:00:00Z").unwrap();
        store
            .write(|tx| {
                for n in 1..=25 {
                    let input = upward_domain::ItemInput {
                        title: Some(format!("Shipped slice {n}")),
                        tags: Some(vec!["busy".into()]),
                        ..Default::default()
                    };
                    upward_app::items::add(tx, upward_domain::Kind::Win, input, None, &clock)?;
                }
                Ok::<_, upward_app::AppError>(())
            })
            .unwrap();
    }
    h.login().await;
    let a = h.get("/review").await;
    assert_eq!(a.status, StatusCode::OK);
    let shown = a.body.matches("Shipped slice ").count();
    assert_eq!(shown, 5, "the busy tag's group shows five");
    assert!(a.body.contains("…and 20 more in the whole packet."));
    assert!(
        a.body
            .contains("href=\"/review/packet.html?from=2026-05-23&amp;to=2026-11-23\"")
    );
    let file = h
        .get("/review/packet.html?from=2026-05-23&to=2026-11-23")
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(
        file.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(
        file.body.matches("Shipped slice ").count(),
        25,
        "the file holds every one"
    );
    let bad = h.get("/review/packet.html?from=nope").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
