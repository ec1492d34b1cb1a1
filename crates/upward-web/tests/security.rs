//! The guard: every status of docs/serve.md's security rules, through the real router.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use support::*;

#[tokio::test]
async fn no_credentials_is_401_and_the_api_says_so_in_json() {
    let h = Harness::new();
    let page = h.get("/").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.body.contains("not signed in"), "{}", page.body);
    let api = h.get("/api/v1/nudges").await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert!(
        api.json()["error"]
            .as_str()
            .unwrap()
            .contains("not signed in")
    );
}

#[tokio::test]
async fn a_wrong_token_or_bearer_is_401() {
    let h = Harness::new();
    let a = h.get(&format!("/?token={}", "f".repeat(64))).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.headers.get(header::SET_COOKIE).is_none());
    let b = h
        .send(
            Request::get("/api/v1/nudges")
                .header(header::HOST, HOST)
                .header(header::AUTHORIZATION, "Bearer nope")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(b.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_foreign_host_is_421_even_with_the_token() {
    let h = Harness::new();
    for host in ["evil.example:4799", "127.0.0.1:4800", "localhost", ""] {
        let a = h
            .send(
                Request::get("/api/v1/nudges")
                    .header(header::HOST, host)
                    .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, StatusCode::MISDIRECTED_REQUEST, "Host {host:?}");
    }
    let ok = h
        .send(
            Request::get("/api/v1/nudges")
                .header(header::HOST, "localhost:4799")
                .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn the_token_url_sets_a_strict_httponly_cookie_named_for_the_port_and_redirects() {
    let h = Harness::new();
    let a = h
        .send(
            Request::get(format!("/?token={TOKEN}"))
                .header(header::HOST, HOST)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.headers[header::LOCATION], "/");
    let cookie = a.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("upward_4799="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(
        !cookie.contains(TOKEN),
        "the cookie holds a session id, not the token"
    );
}

#[tokio::test]
async fn a_posted_login_signs_in_too() {
    let h = Harness::new();
    let a = h
        .send(
            Request::post("/login")
                .header(header::HOST, HOST)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("token={TOKEN}")))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .starts_with("upward_4799=")
    );
    assert!(a.body.contains("url=/"), "{}", a.body);
}

#[tokio::test]
async fn an_unsafe_request_by_cookie_needs_the_csrf_token_and_the_exact_origin() {
    let mut h = Harness::new();
    h.login().await;
    let cookie = h.cookie.clone().unwrap();
    let csrf = h.csrf.clone().unwrap();
    let post = |origin: Option<&str>, body: String| {
        let mut b = Request::post("/no-such-form")
            .header(header::HOST, HOST)
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(o) = origin {
            b = b.header(header::ORIGIN, o);
        }
        b.body(Body::from(body)).unwrap()
    };
    let cases = [
        (None, format!("csrf={csrf}")),
        (Some("http://evil.example"), format!("csrf={csrf}")),
        (Some("http://127.0.0.1:4800"), format!("csrf={csrf}")),
        (Some("null"), format!("csrf={csrf}")),
        (Some(ORIGIN), String::new()),
        (Some(ORIGIN), format!("csrf={}", "0".repeat(64))),
        (Some(ORIGIN), "csrf=short".to_string()),
    ];
    for (origin, body) in cases {
        let a = h.send(post(origin, body.clone())).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{origin:?} {body}");
    }
    // With both, the guard lets it through (to a 404: there is no such form).
    let a = h.send(post(Some(ORIGIN), format!("csrf={csrf}"))).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    // The header works as well as the field.
    let a = h
        .send(
            Request::post("/api/v1/no-such-route")
                .header(header::HOST, HOST)
                .header(header::COOKIE, &cookie)
                .header(header::ORIGIN, ORIGIN)
                .header("x-csrf-token", &csrf)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(a.json()["error"].is_string());
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let mut h = Harness::new();
    for a in [h.get("/").await, h.get("/assets/style.css").await] {
        let csp = a.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(a.headers["x-content-type-options"], "nosniff");
        assert_eq!(a.headers["referrer-policy"], "same-origin");
        assert_eq!(a.headers["cache-control"], "no-store");
    }
    h.login().await;
    let a = h.get("/").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert!(!a.body.contains("<script>"), "no inline script");
    assert!(
        a.headers.get("access-control-allow-origin").is_none(),
        "no CORS"
    );
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused_without_a_500() {
    let mut h = Harness::new();
    h.login().await;
    let big = "x".repeat(upward_web::BODY_LIMIT + 1);
    let a = h.post_form("/items", &[("title", &big)]).await;
    assert_eq!(
        a.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        &a.body[..a.body.len().min(200)]
    );
}

#[tokio::test]
async fn every_refusal_of_the_api_is_json_even_the_body_limit_and_a_wrong_method() {
    let h = Harness::new();
    let big =
        serde_json::json!({ "kind": "note", "title": "x".repeat(upward_web::BODY_LIMIT + 1) });
    let a = h.api("POST", "/api/v1/items", Some(big)).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        a.json()["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{}",
        a.body
    );
    let b = h.api("DELETE", "/api/v1/nudges", None).await;
    assert_eq!(b.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(b.json()["error"].is_string(), "{}", b.body);
}
