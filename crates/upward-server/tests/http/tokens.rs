//! API tokens: POST /api/v1/login, listing (never the secret), making, revoking; the bearer
//! header on every /api/v1/ route.

use crate::both;
use crate::support::*;
use axum::http::StatusCode;
use serde_json::json;
use upward_server::secrets::sha256;
use upward_server_store::ServerStoreExt;

async fn login_answers_a_token_that_opens_the_api(mut h: Harness) {
    let a = h.account("tok").await;
    let r = h
        .api(
            "POST",
            "/api/v1/login",
            None,
            Some(json!({"email": a.email.to_uppercase(), "password": PASSWORD, "name": "laptop"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let token = r.json()["token"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 64);
    let me = h.api("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["email"], a.email);
    assert_eq!(me.json()["name"], a.name);
    // Stored only as its SHA-256.
    let hash = sha256(token.as_bytes());
    let row = h
        .with_store(move |s| s.read(|tx| tx.token_by_hash(&hash)).unwrap())
        .await
        .unwrap();
    assert_eq!(row.name, "laptop");
    assert_eq!(row.account, a.id);
    // The list: name, created, last use; never a secret.
    let list = h.api("GET", "/api/v1/tokens", Some(&token), None).await;
    assert_eq!(list.status, StatusCode::OK);
    let items = list.json();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["name"], "laptop");
    assert!(items[0]["created"].is_string());
    assert!(
        items[0]["last_used"].is_string(),
        "used just now: {}",
        list.body
    );
    assert!(!list.body.contains(&token));
    // A default name.
    let t2 = h.token(&a.email, PASSWORD).await;
    let list = h.api("GET", "/api/v1/tokens", Some(&t2), None).await;
    assert!(list.body.contains("command line"), "{}", list.body);
    // A bad name: 400.
    let bad = h
        .api(
            "POST",
            "/api/v1/login",
            None,
            Some(json!({"email": a.email, "password": PASSWORD, "name": "  "})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.error().contains("token name"), "{}", bad.body);
}
both!(login, login_answers_a_token_that_opens_the_api);

async fn tokens_are_made_listed_and_revoked(mut h: Harness) {
    let a = h.account("mk").await;
    let b = h.account("other").await;
    let token = h.token(&a.email, PASSWORD).await;
    let theirs = h.token(&b.email, PASSWORD).await;
    let made = h
        .api(
            "POST",
            "/api/v1/tokens",
            Some(&token),
            Some(json!({"name": "ci"})),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let m = made.json();
    assert_eq!(m["name"], "ci");
    let new_secret = m["token"].as_str().unwrap().to_string();
    let new_id = m["id"].as_str().unwrap().to_string();
    assert_eq!(
        h.api("GET", "/api/v1/me", Some(&new_secret), None)
            .await
            .status,
        StatusCode::OK
    );
    let list = h
        .api("GET", "/api/v1/tokens", Some(&token), None)
        .await
        .json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    // Another account's token: 404, and it still works.
    let their_list = h
        .api("GET", "/api/v1/tokens", Some(&theirs), None)
        .await
        .json();
    let their_id = their_list[0]["id"].as_str().unwrap().to_string();
    let not_mine = h
        .api(
            "DELETE",
            &format!("/api/v1/tokens/{their_id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(not_mine.status, StatusCode::NOT_FOUND);
    assert_eq!(
        h.api("GET", "/api/v1/me", Some(&theirs), None).await.status,
        StatusCode::OK
    );
    for bad in ["not-a-uuid", "00000000-0000-0000-0000-000000000000"] {
        let r = h
            .api(
                "DELETE",
                &format!("/api/v1/tokens/{bad}"),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
        assert!(!r.error().is_empty());
    }
    // Revoked: 204, then 401 with it, and 404 a second time.
    let del = h
        .api(
            "DELETE",
            &format!("/api/v1/tokens/{new_id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    let after = h.api("GET", "/api/v1/me", Some(&new_secret), None).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert!(
        after.error().contains("bearer token is not valid"),
        "{}",
        after.body
    );
    let twice = h
        .api(
            "DELETE",
            &format!("/api/v1/tokens/{new_id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);
    // Bad names.
    for body in [
        json!({"name": ""}),
        json!({"name": "x".repeat(101)}),
        json!({}),
    ] {
        let r = h
            .api("POST", "/api/v1/tokens", Some(&token), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    }
    // Garbage bearer tokens: 401 JSON, never 500.
    for t in ["nope", &"g".repeat(64), &"0".repeat(64)] {
        let r = h.api("GET", "/api/v1/tokens", Some(t), None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{t}");
        assert!(!r.error().is_empty());
    }
}
both!(manage, tokens_are_made_listed_and_revoked);

async fn the_settings_page_makes_and_revokes_tokens(mut h: Harness) {
    let a = h.account("page").await;
    h.login(&a.email, PASSWORD).await;
    let made = h
        .post_form("/settings/tokens", &[("name", "desktop")])
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert!(made.body.contains("shown only once"), "{}", made.body);
    let at = made.body.find("id=\"new-token\">").unwrap() + "id=\"new-token\">".len();
    let secret = made.body[at..at + 64].to_string();
    assert_eq!(
        h.api("GET", "/api/v1/me", Some(&secret), None).await.status,
        StatusCode::OK
    );
    let page = h.get("/settings").await;
    assert!(
        page.body.contains("desktop") && !page.body.contains(&secret),
        "{}",
        page.body
    );
    let list = h
        .api("GET", "/api/v1/tokens", Some(&secret), None)
        .await
        .json();
    let id = list[0]["id"].as_str().unwrap().to_string();
    let revoked = h
        .post_form(&format!("/settings/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(revoked.header("location"), Some("/settings?done=revoked"));
    assert_eq!(
        h.api("GET", "/api/v1/me", Some(&secret), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = h
        .post_form(&format!("/settings/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let bad = h.post_form("/settings/tokens", &[("name", "")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
both!(settings_tokens, the_settings_page_makes_and_revokes_tokens);
