//! The sign-in throttle: by delay, never lockout; per account and per client address;
//! `X-Forwarded-For` believed only from --trusted-proxy.

use crate::both;
use crate::support::*;
use axum::body::Body;
use axum::http::{StatusCode, header};
use serde_json::json;
use std::time::Duration;
use upward_server::throttle::FREE_FAILURES;

async fn attempt(h: &mut Harness, email: &str, password: &str, forwarded: Option<&str>) -> Answer {
    let mut r = h
        .request("POST", "/api/v1/login")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(f) = forwarded {
        r = r.header("x-forwarded-for", f);
    }
    let body = json!({"email": email, "password": password}).to_string();
    h.send(r.body(Body::from(body)).unwrap()).await
}

fn retry_after(a: &Answer) -> u64 {
    a.header("retry-after")
        .unwrap_or_else(|| panic!("a Retry-After: {:?}", a.headers))
        .parse()
        .unwrap()
}

async fn an_account_waits_longer_after_each_failure_and_a_success_resets_it(mut h: Harness) {
    let a = h.account("thr").await;
    // Each attempt from another address: only the account's count grows.
    for _ in 0..FREE_FAILURES {
        h.new_peer();
        let r = attempt(&mut h, &a.email, "wrong password!", None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    h.new_peer();
    let early = attempt(&mut h, &a.email, PASSWORD, None).await;
    assert_eq!(
        early.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert_eq!(retry_after(&early), 1);
    assert!(early.error().contains("wait"), "{}", early.body);
    // The page says it too, with the same header.
    h.new_peer();
    let page = h.login(&a.email, PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.header("retry-after").is_some());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let wrong = attempt(&mut h, &a.email, "wrong password!", None).await;
    assert_eq!(
        wrong.status,
        StatusCode::UNAUTHORIZED,
        "its time came: checked"
    );
    let longer = attempt(&mut h, &a.email, PASSWORD, None).await;
    assert_eq!(longer.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after(&longer), 2, "the delay doubled");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    h.new_peer();
    let ok = attempt(&mut h, &a.email, PASSWORD, None).await;
    assert_eq!(ok.status, StatusCode::OK, "never a lockout: {}", ok.body);
    // The success reset the account: a failure now is not delayed.
    h.new_peer();
    let after = attempt(&mut h, &a.email, "wrong password!", None).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    h.new_peer();
    assert_eq!(
        attempt(&mut h, &a.email, PASSWORD, None).await.status,
        StatusCode::OK
    );
    // Another account was never slowed.
    let b = h.account("thr2").await;
    assert_eq!(
        attempt(&mut h, &b.email, PASSWORD, None).await.status,
        StatusCode::OK
    );
}
both!(
    per_account,
    an_account_waits_longer_after_each_failure_and_a_success_resets_it
);

async fn an_address_waits_after_failures_on_any_accounts(mut h: Harness) {
    let victim = h.account("addr").await;
    for i in 0..FREE_FAILURES {
        let r = attempt(
            &mut h,
            &format!("guess{i}-{}", victim.email),
            PASSWORD,
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = attempt(&mut h, &victim.email, PASSWORD, None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "the address waits");
    // An X-Forwarded-For from a peer that is not the trusted proxy changes nothing.
    let spoofed = attempt(&mut h, &victim.email, PASSWORD, Some("198.51.100.7")).await;
    assert_eq!(spoofed.status, StatusCode::TOO_MANY_REQUESTS, "XFF ignored");
    // Another address is not slowed.
    h.new_peer();
    assert_eq!(
        attempt(&mut h, &victim.email, PASSWORD, None).await.status,
        StatusCode::OK
    );
}
both!(per_address, an_address_waits_after_failures_on_any_accounts);

async fn behind_the_trusted_proxy_each_forwarded_client_counts_alone(h0: Harness) {
    let config =
        upward_server::ServerConfig::new("sqlite://unused", None, None, Some("10.9.9.9")).unwrap();
    let mut h = Harness::new(h0.backend, Some(config)).await.unwrap();
    h.peer = "10.9.9.9:443".parse().unwrap();
    let a = h.account("proxied").await;
    for i in 0..FREE_FAILURES {
        let r = attempt(
            &mut h,
            &format!("x{i}-{}", a.email),
            PASSWORD,
            Some("203.0.113.5"),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let slowed = attempt(&mut h, &a.email, PASSWORD, Some("203.0.113.5")).await;
    assert_eq!(
        slowed.status,
        StatusCode::TOO_MANY_REQUESTS,
        "that client waits"
    );
    // A hop the client wrote before the proxy's own is not believed.
    let forged = attempt(&mut h, &a.email, PASSWORD, Some("192.0.2.1, 203.0.113.5")).await;
    assert_eq!(forged.status, StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy is not slowed.
    let other = attempt(&mut h, &a.email, PASSWORD, Some("203.0.113.6")).await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
}
both!(
    trusted_proxy,
    behind_the_trusted_proxy_each_forwarded_client_counts_alone
);
