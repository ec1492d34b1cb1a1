//! The reflect pages and `/api/v1/reflect/{person}`, `/api/v1/reflections`: the five
//! questions, saving, the trend and the scores over time; every bad input a 4xx with one
//! line, never a 500, never unescaped.

mod sample;
mod support;

use axum::http::StatusCode;
use sample::*;
use serde_json::json;
use support::*;

async fn ready() -> Harness {
    let mut h = Harness::new();
    tour(&h.db);
    h.login().await;
    h
}

#[tokio::test]
async fn the_five_questions_saving_and_the_trend() {
    let h = ready().await;
    let page = h.get("/reflect").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Reflect on working with Dana Whitfield"));
    for area in [
        "priorities",
        "expectations",
        "delivery",
        "visibility",
        "rapport",
    ] {
        assert!(
            page.body
                .contains(&format!(r#"<label for="score-{area}">"#)),
            "{area}"
        );
        assert!(
            page.body
                .contains(&format!(r#"<label for="answer-{area}">"#)),
            "{area}"
        );
    }
    assert!(
        page.body
            .contains(r#"role="img" aria-labelledby="chart-reflections-title""#)
    );
    let saved = h
        .post_form(
            "/reflect/Dana",
            &[
                ("score-rapport", "4"),
                ("score-visibility", "2"),
                ("score-delivery", ""),
                ("answer-visibility", "they missed the migration"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let to = saved.headers["location"].to_str().unwrap().to_string();
    assert_eq!(to, "/reflect/Dana%20Whitfield#trend");
    let shown = h.get("/reflect/Dana%20Whitfield").await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(
        shown.body.contains("The last reflection, 2026-11-23"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("they missed the migration"));
    assert!(shown.body.contains("Focus on visibility (2/5)"));
    assert!(shown.body.contains(r#"<th scope="row">2026-11-23</th>"#));
    // The manager's page posts to the manager by default.
    let m = h.post_form("/reflect", &[("score-rapport", "5")]).await;
    assert_eq!(m.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_api_stores_with_201_and_answers_the_latest_trend() {
    let h = ready().await;
    let r = h
        .api(
            "POST",
            "/api/v1/reflections",
            Some(json!({"person": "Dana", "scores": {"rapport": 4, "Visibility": "2"}, "answers": {"rapport": "good"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let g = h.api("GET", "/api/v1/reflect/Dana", None).await;
    assert_eq!(g.status, StatusCode::OK, "{}", g.body);
    assert_eq!(
        g.json(),
        r.json(),
        "the trend as it was answered when stored"
    );
    let manager = h
        .api(
            "POST",
            "/api/v1/reflections",
            Some(json!({"scores": {"delivery": 3}})),
        )
        .await;
    assert_eq!(manager.status, StatusCode::CREATED);
    assert_eq!(manager.json()["person"], "Dana Whitfield");
}

#[tokio::test]
async fn bad_input_is_a_4xx_with_one_line_never_a_500_and_never_raw() {
    let h = ready().await;
    let big = "x".repeat(1024 * 1024 + 10);
    for fields in [
        vec![],
        vec![("score-rapport", "0")],
        vec![("score-rapport", "6")],
        vec![("score-rapport", "-1")],
        vec![("score-rapport", "99999999999999999999")],
        vec![("score-rapport", SCRIPT)],
        vec![("answer-rapport", "only words")],
        vec![("score-rapport", "3"), ("answer-rapport", big.as_str())],
    ] {
        let a = h.post_form("/reflect/Dana", &fields).await;
        let names: Vec<_> = fields.iter().map(|(k, v)| (k, v.len())).collect();
        assert!(a.status.is_client_error(), "{names:?}: {}", a.status);
        assert!(a.body.contains(r#"role="alert""#));
        escaped_only(&a.body);
    }
    for path in [
        "/reflect/Nobody".to_string(),
        format!("/reflect/{}", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    ] {
        let a = h.get(&path).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        escaped_only(&a.body);
        let p = h.post_form(&path, &[("score-rapport", "3")]).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{path}");
        escaped_only(&p.body);
        let api = h.api("GET", &format!("/api/v1{path}"), None).await;
        assert_eq!(api.status, StatusCode::NOT_FOUND);
        assert!(api.json()["error"].is_string());
    }
    let none_yet = h.api("GET", "/api/v1/reflect/Priya", None).await;
    assert_eq!(none_yet.status, StatusCode::NOT_FOUND, "{}", none_yet.body);
    for body in [
        json!({}),
        json!({"scores": {}}),
        json!({"scores": {"rapport": 0}}),
        json!({"scores": {"rapport": 6}}),
        json!({"scores": {"rapport": 3.5}}),
        json!({"scores": {"rapport": -1}}),
        json!({"scores": {"rapport": 1e300}}),
        json!({"scores": {"charm": 3}}),
        json!({"scores": [3]}),
        json!({"scores": {"rapport": 3}, "answers": {"rapport": 3}}),
        json!({"scores": {"rapport": 3}, "answers": {"rapport": big}}),
        json!({"scores": {"rapport": 3}, "person": "Nobody"}),
        json!({"scores": {"rapport": 3}, "person": 7}),
        json!("text"),
    ] {
        let a = h
            .api("POST", "/api/v1/reflections", Some(body.clone()))
            .await;
        assert!(
            a.status.is_client_error(),
            "{}: {}",
            a.status,
            &a.body[..a.body.len().min(200)]
        );
        let msg = a.json()["error"].as_str().unwrap().to_string();
        assert!(!msg.contains('\n'), "{msg}");
    }
}

/// Reads and writes at once all succeed: a write never opens beside a reader of the same
/// process (whose read-only WAL index SQLite would share with it; `AppState`'s gate).
#[tokio::test]
async fn concurrent_reads_and_writes_all_succeed() {
    let h = ready().await;
    let writes = (0..10).map(|i| {
        let h = &h;
        async move {
            let score = (i % 5 + 1).to_string();
            h.api(
                "POST",
                "/api/v1/reflections",
                Some(json!({"scores": {"rapport": score}})),
            )
            .await
            .status
        }
    });
    let reads = (0..20).map(|_| {
        let h = &h;
        async move { h.get("/reflect/Dana").await.status }
    });
    let (w, r) = tokio::join!(
        futures_join_all(writes.collect()),
        futures_join_all(reads.collect())
    );
    assert!(w.iter().all(|s| *s == StatusCode::CREATED), "{w:?}");
    assert!(r.iter().all(|s| *s == StatusCode::OK), "{r:?}");
}

/// Awaits every future at once (without a futures dependency).
async fn futures_join_all<F: std::future::Future>(fs: Vec<F>) -> Vec<F::Output> {
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = fs.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().flatten().collect()
}
