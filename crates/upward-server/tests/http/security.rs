//! The layers in front of every route: Host (421), CSRF and Origin (403), the headers of
//! every response, refusals as JSON under /api/, /healthz, the OpenAPI document.

use crate::both;
use crate::support::*;
use axum::body::Body;
use axum::http::{StatusCode, header};

async fn foreign_hosts_are_421(mut h: Harness) {
    for host in ["evil.example:8080", "127.0.0.1:8081", "localhost", ""] {
        let r = axum::http::Request::get("/api/v1/me")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        let a = h.send(r).await;
        assert_eq!(a.status, StatusCode::MISDIRECTED_REQUEST, "Host {host:?}");
        assert!(a.error().contains("127.0.0.1:8080"), "{}", a.body);
        let r = axum::http::Request::get("/login")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        let a = h.send(r).await;
        assert_eq!(a.status, StatusCode::MISDIRECTED_REQUEST, "Host {host:?}");
        assert!(a.body.contains("<html"), "a page: {}", a.body);
    }
    for host in ["127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080"] {
        let r = axum::http::Request::get("/healthz")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        assert_eq!(h.send(r).await.status, StatusCode::OK, "Host {host:?}");
    }
}
both!(foreign_hosts, foreign_hosts_are_421);

async fn the_public_url_s_host_and_origin_are_this_server(_h: Harness) {
    let config = upward_server::ServerConfig::new(
        "sqlite://unused",
        Some("127.0.0.1:8080"),
        Some("https://upward.example.com"),
        None,
    )
    .unwrap();
    let mut h = Harness::new(_h.backend, Some(config)).await.unwrap();
    for (host, status) in [
        ("upward.example.com", StatusCode::OK),
        ("upward.example.com:443", StatusCode::OK),
        ("127.0.0.1:8080", StatusCode::OK),
        ("upward.example.com:8443", StatusCode::MISDIRECTED_REQUEST),
        ("other.example.com", StatusCode::MISDIRECTED_REQUEST),
    ] {
        let r = axum::http::Request::get("/login")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        let a = h.send(r).await;
        assert_eq!(a.status, status, "Host {host:?}");
        if status == StatusCode::OK {
            // Behind https the cookie is Secure and __Host- prefixed.
            let set = a.header("set-cookie").unwrap();
            assert!(set.starts_with("__Host-upward_session="), "{set}");
            assert!(set.contains("Secure") && set.contains("HttpOnly"), "{set}");
        }
    }
    // A form from the public origin passes the Origin check; from the listen address too.
    let a = h.account("pub").await;
    for origin in ["https://upward.example.com", "http://127.0.0.1:8080"] {
        h.cookie = None;
        let page = h.get("/login").await;
        let csrf = page.csrf_field();
        let body = serde_urlencoded::to_string([
            ("email", a.email.as_str()),
            ("password", PASSWORD),
            ("csrf", &csrf),
        ])
        .unwrap();
        let r = h
            .request("POST", "/login")
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        assert_eq!(h.send(r).await.status, StatusCode::SEE_OTHER, "{origin}");
    }
}
both!(public_url, the_public_url_s_host_and_origin_are_this_server);

async fn every_response_carries_the_security_headers(mut h: Harness) {
    let a = h.account("hdr").await;
    h.login(&a.email, PASSWORD).await;
    for path in [
        "/",
        "/login",
        "/settings",
        "/api/v1/me",
        "/nothing",
        "/healthz",
    ] {
        let r = h.get(path).await;
        let csp = r.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(r.header("referrer-policy"), Some("same-origin"), "{path}");
        assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
    }
    // No inline script or style on a page: the CSP would block it.
    let page = h.get("/settings").await;
    assert!(!page.body.contains("<script>"), "{}", page.body);
    assert!(!page.body.contains("style="), "{}", page.body);
    let css = h.get("/assets/style.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
}
both!(headers, every_response_carries_the_security_headers);

async fn unsafe_cookie_requests_need_the_csrf_token_and_this_origin(mut h: Harness) {
    let a = h.account("csrf").await;
    h.login(&a.email, PASSWORD).await;
    let csrf = h.csrf.clone().unwrap();
    let form = |token: &str| {
        serde_urlencoded::to_string([("time_zone", "Europe/Madrid"), ("csrf", token)]).unwrap()
    };
    // No token, a wrong one; no Origin, a foreign one, "null": each 403, nothing changed.
    let cases: Vec<(Option<&str>, String)> = vec![
        (Some(ORIGIN), form("")),
        (Some(ORIGIN), form(&"0".repeat(64))),
        (None, form(&csrf)),
        (Some("https://evil.example"), form(&csrf)),
        (Some("null"), form(&csrf)),
    ];
    for (origin, body) in cases {
        let mut r = h
            .request("POST", "/settings/time-zone")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(o) = origin {
            r = r.header(header::ORIGIN, o);
        }
        let ans = h.send(r.body(Body::from(body)).unwrap()).await;
        assert_eq!(
            ans.status,
            StatusCode::FORBIDDEN,
            "{origin:?}: {}",
            ans.body
        );
    }
    let me = h.get("/api/v1/me").await;
    assert_eq!(me.json()["time_zone"], "UTC");
    // The right token and Origin: done.
    let ok = h
        .post_form("/settings/time-zone", &[("time_zone", "Europe/Madrid")])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    // The API by cookie: the header carries the token.
    let r = h
        .request("POST", "/api/v1/tokens")
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"name":"x"}"#))
        .unwrap();
    let no = h.send(r).await;
    assert_eq!(no.status, StatusCode::FORBIDDEN);
    assert!(no.error().contains("CSRF"), "{}", no.body);
    let r = h
        .request("POST", "/api/v1/tokens")
        .header(header::ORIGIN, ORIGIN)
        .header("x-csrf-token", &csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"name":"x"}"#))
        .unwrap();
    assert_eq!(h.send(r).await.status, StatusCode::CREATED);
    // A bearer request needs neither.
    let token = h.token(&a.email, PASSWORD).await;
    h.cookie = None;
    let b = h
        .api(
            "POST",
            "/api/v1/tokens",
            Some(&token),
            Some(serde_json::json!({"name": "y"})),
        )
        .await;
    assert_eq!(b.status, StatusCode::CREATED, "{}", b.body);
    // A form without any session (cookies off, or the session ended): 403, reload.
    let r = h
        .request("POST", "/login")
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("email=a%40b.c&password=x"))
        .unwrap();
    let ended = h.send(r).await;
    assert_eq!(ended.status, StatusCode::FORBIDDEN);
    assert!(ended.body.contains("reload the page"), "{}", ended.body);
}
both!(
    csrf,
    unsafe_cookie_requests_need_the_csrf_token_and_this_origin
);

async fn refusals_under_api_are_json_and_pages_elsewhere(mut h: Harness) {
    let none = h.get("/api/v1/nothing").await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert!(none.error().contains("/api/v1/nothing"));
    let page = h.get("/nothing").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("role=\"alert\""), "{}", page.body);
    // Not signed in: 401 JSON under the API, a redirect to /login for a page.
    let me = h.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert!(me.error().contains("not signed in"), "{}", me.body);
    for path in ["/", "/settings"] {
        let p = h.get(path).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(p.header("location"), Some("/login"));
    }
    // A body that is not JSON, a method a route does not take, a body too large: JSON.
    let r = h
        .request("POST", "/api/v1/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    let bad = h.send(r).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(!bad.error().is_empty());
    let r = h
        .request("POST", "/api/v1/login")
        .body(Body::from(r#"{"email":"a@b.c","password":"x"}"#))
        .unwrap();
    let no_type = h.send(r).await;
    assert_eq!(no_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(!no_type.error().is_empty());
    let r = h
        .request("POST", "/api/v1/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"email":"a@b.c"}"#))
        .unwrap();
    let missing = h.send(r).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.error().contains("password"), "{}", missing.body);
    let put = h.api("PUT", "/api/v1/me", None, None).await;
    assert_eq!(put.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(!put.error().is_empty());
    let big = serde_json::json!({"email": "a@b.c", "password": "x".repeat(2 << 20)});
    let large = h.api("POST", "/api/v1/login", None, Some(big)).await;
    assert_eq!(large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(large.error().contains("larger than"), "{}", large.body);
}
both!(refusals, refusals_under_api_are_json_and_pages_elsewhere);

async fn healthz_answers_while_the_database_does(mut h: Harness) {
    let a = h.get("/healthz").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json(), serde_json::json!({"status": "ok"}));
}
both!(healthz, healthz_answers_while_the_database_does);

async fn the_openapi_document_lists_every_api_route(mut h: Harness) {
    let a = h.get("/api/v1/openapi.json").await;
    assert_eq!(a.status, StatusCode::OK);
    let doc = a.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for p in ["/login", "/me", "/tokens", "/tokens/{id}"] {
        assert!(paths.contains_key(p), "{p} in {paths:?}");
    }
}
both!(openapi, the_openapi_document_lists_every_api_route);

/// Method, path, bearer token, content type, body.
type Case<'a> = (&'a str, String, Option<&'a str>, Option<&'a str>, String);

async fn malformed_requests_get_a_4xx_never_a_500(mut h: Harness) {
    let a = h.account("fuzz").await;
    let token = h.token(&a.email, PASSWORD).await;
    let long = "x".repeat(10_000);
    let cases: Vec<Case> = vec![
        (
            "GET",
            "/set-password?token=%ZZ%".into(),
            None,
            None,
            String::new(),
        ),
        (
            "GET",
            "/set-password?token=a&token=b".into(),
            None,
            None,
            String::new(),
        ),
        (
            "DELETE",
            "/api/v1/tokens/%FF%FE".into(),
            Some(&token),
            None,
            String::new(),
        ),
        (
            "DELETE",
            format!("/api/v1/tokens/{long}"),
            Some(&token),
            None,
            String::new(),
        ),
        (
            "POST",
            "/api/v1/login".into(),
            None,
            Some("application/json"),
            r#"{"email": 1, "password": []}"#.into(),
        ),
        (
            "POST",
            "/api/v1/login".into(),
            None,
            Some("application/json"),
            format!(r#"{{"email": "{long}", "password": "{long}"}}"#),
        ),
        (
            "POST",
            "/api/v1/login".into(),
            None,
            Some("application/json"),
            "\u{0}\u{1}".into(),
        ),
        (
            "POST",
            "/api/v1/tokens".into(),
            Some(&token),
            Some("application/json"),
            r#"{"name": "a\u0007b"}"#.into(),
        ),
        (
            "POST",
            "/api/v1/tokens".into(),
            Some(&token),
            Some("text/plain"),
            r#"{"name": "x"}"#.into(),
        ),
        ("GET", "/api/v1/me".into(), Some("é"), None, String::new()),
        ("GET", format!("/{long}"), None, None, String::new()),
    ];
    for (method, path, bearer, content_type, body) in cases {
        let mut r = h.request(method, &path);
        if let Some(t) = bearer {
            r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if let Some(c) = content_type {
            r = r.header(header::CONTENT_TYPE, c);
        }
        let ans = h.send(r.body(Body::from(body)).unwrap()).await;
        assert!(
            ans.status.is_client_error(),
            "{method} {}: {} {}",
            &path[..path.len().min(60)],
            ans.status,
            ans.body
        );
        if path.starts_with("/api/") {
            assert!(!ans.error().is_empty());
        }
    }
}
both!(malformed, malformed_requests_get_a_4xx_never_a_500);
