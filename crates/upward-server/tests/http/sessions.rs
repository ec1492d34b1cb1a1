//! Browser sessions: sign in (a new id: no fixation), the cookie's attributes, what the
//! database keeps (only a hash), sign out (the old cookie opens nothing), the 30 days in all.

use crate::both;
use crate::support::*;
use axum::http::StatusCode;
use std::str::FromStr;
use tower_sessions::session::Id;
use upward_server::sessions::id_hash;
use upward_server_store::ServerStoreExt;

fn cookie_value(cookie: &str) -> &str {
    cookie.split_once('=').unwrap().1
}

async fn signing_in_sets_a_new_httponly_lax_cookie_and_goes_home(mut h: Harness) {
    let a = h.account("ana").await;
    let page = h.open_login().await;
    assert!(page.body.contains("type=\"password\""), "{}", page.body);
    let set = page.header("set-cookie").unwrap().to_string();
    assert!(set.starts_with("upward_session="), "{set}");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "plain http: no Secure: {set}");
    let before = h.cookie.clone().unwrap();
    let signed = h
        .post_form("/login", &[("email", &a.email), ("password", PASSWORD)])
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    assert_eq!(signed.header("location"), Some("/"));
    let after = h.cookie.clone().unwrap();
    // Session fixation: the id set before sign-in is not the one after, and opens nothing.
    assert_ne!(cookie_value(&before), cookie_value(&after));
    let home = h.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains(&a.name) && home.body.contains("Your spaces"),
        "{}",
        home.body
    );
    h.cookie = Some(before);
    let old = h.get("/").await;
    assert_eq!(
        old.status,
        StatusCode::SEE_OTHER,
        "the pre-sign-in id opens nothing"
    );
    let api = h.get("/api/v1/me").await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
}
both!(
    sign_in,
    signing_in_sets_a_new_httponly_lax_cookie_and_goes_home
);

async fn the_database_keeps_only_the_hash_of_a_session_id(mut h: Harness) {
    let a = h.account("hash").await;
    h.login(&a.email, PASSWORD).await;
    let value = cookie_value(h.cookie.as_ref().unwrap()).to_string();
    let id = Id::from_str(&value).unwrap();
    let hash = id_hash(&id);
    let row = h
        .with_store(move |s| s.read(|tx| tx.session(&hash)).unwrap())
        .await
        .expect("a row under the id's SHA-256");
    assert_eq!(row.account, Some(a.id));
    let data = String::from_utf8_lossy(&row.data);
    assert!(!data.contains(&value), "the id is not in the row's data");
    // Ends in 14 days idle (the earlier of idle and 30 days in all).
    let days = (row.expires_at.as_second() - jiff::Timestamp::now().as_second()) / 86_400;
    assert!((13..=14).contains(&days), "{days} days");
}
both!(
    stored_hash,
    the_database_keeps_only_the_hash_of_a_session_id
);

async fn signing_out_ends_the_session_on_the_server(mut h: Harness) {
    let a = h.account("out").await;
    h.login(&a.email, PASSWORD).await;
    let cookie = h.cookie.clone().unwrap();
    let out = h.post_form("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER, "{}", out.body);
    assert_eq!(out.header("location"), Some("/login"));
    // The old cookie, sent again (a copy kept by an attacker), opens nothing.
    h.cookie = Some(cookie.clone());
    assert_eq!(h.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(h.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let id = Id::from_str(cookie_value(&cookie)).unwrap();
    let hash = id_hash(&id);
    let row = h
        .with_store(move |s| s.read(|tx| tx.session(&hash)).unwrap())
        .await;
    assert!(row.is_none(), "the row is gone");
}
both!(sign_out, signing_out_ends_the_session_on_the_server);

async fn a_session_past_its_thirty_days_is_refused(mut h: Harness) {
    let a = h.account("old").await;
    h.login(&a.email, PASSWORD).await;
    assert_eq!(h.get("/").await.status, StatusCode::OK);
    // Move the sign-in 31 days back in the stored session, as 31 days would.
    let id = Id::from_str(cookie_value(h.cookie.as_ref().unwrap())).unwrap();
    let hash = id_hash(&id);
    h.with_store(move |s| {
        s.write(|tx| {
            let mut row = tx.session(&hash)?.unwrap();
            let mut data: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(&row.data).unwrap();
            let since = data["since"].as_i64().unwrap() - 31 * 86_400;
            data.insert("since".into(), since.into());
            row.data = serde_json::to_vec(&data).unwrap();
            tx.put_session(&row)
        })
        .unwrap()
    })
    .await;
    assert_eq!(h.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(h.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
}
both!(thirty_days, a_session_past_its_thirty_days_is_refused);

async fn a_session_row_past_its_end_is_gone(mut h: Harness) {
    let a = h.account("idle").await;
    h.login(&a.email, PASSWORD).await;
    let id = Id::from_str(cookie_value(h.cookie.as_ref().unwrap())).unwrap();
    let hash = id_hash(&id);
    h.with_store(move |s| {
        s.write(|tx| {
            let mut row = tx.session(&hash)?.unwrap();
            row.expires_at = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(1);
            tx.put_session(&row)
        })
        .unwrap()
    })
    .await;
    assert_eq!(h.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
}
both!(idle_end, a_session_row_past_its_end_is_gone);

async fn a_session_before_sign_in_lives_two_hours_idle(mut h: Harness) {
    h.open_login().await;
    let value = cookie_value(h.cookie.as_ref().unwrap()).to_string();
    let hash = id_hash(&Id::from_str(&value).unwrap());
    let row = h
        .with_store(move |s| s.read(|tx| tx.session(&hash)).unwrap())
        .await
        .expect("a row for the form's CSRF token");
    assert_eq!(row.account, None);
    let left = row.expires_at.as_second() - jiff::Timestamp::now().as_second();
    assert!((7000..=7200).contains(&left), "{left} s");
    // Signing in gives it the fourteen days.
    let a = h.account("anon").await;
    h.login(&a.email, PASSWORD).await;
    let value = cookie_value(h.cookie.as_ref().unwrap()).to_string();
    let hash = id_hash(&Id::from_str(&value).unwrap());
    let row = h
        .with_store(move |s| s.read(|tx| tx.session(&hash)).unwrap())
        .await
        .unwrap();
    let days = (row.expires_at.as_second() - jiff::Timestamp::now().as_second()) / 86_400;
    assert!((13..=14).contains(&days), "{days} days");
}
both!(anonymous, a_session_before_sign_in_lives_two_hours_idle);
