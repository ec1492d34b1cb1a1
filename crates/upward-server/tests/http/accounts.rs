//! Accounts: one answer for every failed sign-in, one-time links to set a password, the
//! settings (time zone, password change), disabled accounts.

use crate::both;
use crate::support::*;
use axum::http::StatusCode;
use serde_json::json;
use upward_server::admin;
use upward_server::secrets::sha256;
use upward_server_store::{LinkRow, ServerStoreExt};

async fn every_failed_sign_in_gets_the_same_answer(mut h: Harness) {
    let a = h.account("same").await;
    let no_password = h.account_with("nopw", None).await;
    let disabled = h.account("off").await;
    let e = disabled.email.clone();
    h.with_store(move |s| admin::disable_user(s, &e).unwrap())
        .await;
    let unknown = Harness::email("ghost");
    let mut answers = Vec::new();
    for (email, password) in [
        (a.email.as_str(), "wrong password here"),
        (unknown.as_str(), PASSWORD),
        (no_password.email.as_str(), PASSWORD),
        (disabled.email.as_str(), PASSWORD),
    ] {
        // Each from its own address: this test is about answers, not the throttle.
        h.new_peer();
        let api = h
            .api(
                "POST",
                "/api/v1/login",
                None,
                Some(json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(api.status, StatusCode::UNAUTHORIZED, "{email}");
        answers.push(api.body.clone());
        h.new_peer();
        let page = h.login(email, password).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{email}");
        assert!(
            page.body.contains("the email or the password is wrong"),
            "{}",
            page.body
        );
        // The form keeps the email typed, never the password.
        assert!(!page.body.contains(password), "{}", page.body);
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    // The right password still works (each email failed once: no throttle yet).
    let ok = h.login(&a.email, PASSWORD).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
}
both!(same_answer, every_failed_sign_in_gets_the_same_answer);

async fn a_link_sets_the_password_once_and_signs_in(mut h: Harness) {
    let a = h.account_with("link", None).await;
    let token = h.link(&a.email).await;
    let form = h.get(&format!("/set-password?token={token}")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body.contains("At least 12 characters"),
        "{}",
        form.body
    );
    h.csrf = Some(form.csrf_field());
    // Too short, or the two differ: 400, the link still good.
    let short = h
        .post_form(
            "/set-password",
            &[
                ("token", &token),
                ("password", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(short.body.contains("at least 12"), "{}", short.body);
    let differ = h
        .post_form(
            "/set-password",
            &[
                ("token", &token),
                ("password", PASSWORD),
                ("confirm", "another long password"),
            ],
        )
        .await;
    assert_eq!(differ.status, StatusCode::BAD_REQUEST);
    assert!(differ.body.contains("differ"), "{}", differ.body);
    let set = h
        .post_form(
            "/set-password",
            &[
                ("token", &token),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    assert_eq!(set.header("location"), Some("/"));
    let home = h.get("/").await;
    assert_eq!(home.status, StatusCode::OK, "signed in");
    h.csrf = Some(home.csrf_field());
    // Once only.
    let again = h
        .post_form(
            "/set-password",
            &[
                ("token", &token),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("not valid"), "{}", again.body);
    // The password works for the API.
    h.token(&a.email, PASSWORD).await;
}
both!(
    link_sets_password,
    a_link_sets_the_password_once_and_signs_in
);

async fn a_bad_or_expired_link_is_refused(mut h: Harness) {
    let a = h.account_with("exp", None).await;
    for bad in ["", "nothex", &"0".repeat(64)] {
        let form = h.get(&format!("/set-password?token={bad}")).await;
        if bad.len() == 64 {
            // Well formed: the form shows (opening a link changes nothing and tells nothing).
            assert_eq!(form.status, StatusCode::OK);
            h.csrf = Some(form.csrf_field());
            let used = h
                .post_form(
                    "/set-password",
                    &[
                        ("token", bad),
                        ("password", PASSWORD),
                        ("confirm", PASSWORD),
                    ],
                )
                .await;
            assert_eq!(used.status, StatusCode::BAD_REQUEST);
        } else {
            assert_eq!(form.status, StatusCode::BAD_REQUEST, "{bad:?}");
        }
    }
    // A link past its 24 hours.
    let secret = upward_server::secrets::random_token();
    let hash = sha256(secret.as_bytes());
    let id = a.id;
    h.with_store(move |s| {
        s.write(|tx| {
            let past = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(25);
            tx.insert_link(&LinkRow {
                hash,
                account: id,
                purpose: admin::SET_PASSWORD.into(),
                created_at: past,
                expires_at: past + jiff::SignedDuration::from_hours(24),
            })
        })
        .unwrap()
    })
    .await;
    let form = h.get(&format!("/set-password?token={secret}")).await;
    h.csrf = Some(form.csrf_field());
    let late = h
        .post_form(
            "/set-password",
            &[
                ("token", &secret),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST);
    assert!(late.body.contains("24 hours"), "{}", late.body);
    let signin = h.login(&a.email, PASSWORD).await;
    assert_eq!(
        signin.status,
        StatusCode::UNAUTHORIZED,
        "no password was set"
    );
}
both!(bad_links, a_bad_or_expired_link_is_refused);

async fn a_new_password_ends_every_session_and_token(mut h: Harness) {
    let a = h.account("reset").await;
    let token = h.token(&a.email, PASSWORD).await;
    h.login(&a.email, PASSWORD).await;
    let old_cookie = h.cookie.clone();
    // Through a link (reset-password): the other browser and the token end.
    let link = h.link(&a.email).await;
    h.cookie = None;
    let form = h.get(&format!("/set-password?token={link}")).await;
    h.csrf = Some(form.csrf_field());
    let new = "a brand new password";
    let set = h
        .post_form(
            "/set-password",
            &[("token", &link), ("password", new), ("confirm", new)],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    assert_eq!(h.get("/").await.status, StatusCode::OK);
    let me = h.api("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED, "the token ended");
    let mut other = h.cookie.replace(old_cookie.unwrap());
    assert_eq!(
        h.get("/").await.status,
        StatusCode::SEE_OTHER,
        "the other session ended"
    );
    h.cookie = other.take();
    let old = h
        .api(
            "POST",
            "/api/v1/login",
            None,
            Some(json!({"email": a.email, "password": PASSWORD})),
        )
        .await;
    assert_eq!(
        old.status,
        StatusCode::UNAUTHORIZED,
        "the old password no longer works"
    );
    h.token(&a.email, new).await;
}
both!(
    link_ends_sessions,
    a_new_password_ends_every_session_and_token
);

async fn settings_change_the_time_zone_and_the_password(mut h: Harness) {
    let a = h.account("set").await;
    let token = h.token(&a.email, PASSWORD).await;
    // Another browser of the same account.
    h.login(&a.email, PASSWORD).await;
    let other_browser = h.cookie.clone();
    h.login(&a.email, PASSWORD).await;
    let page = h.get("/settings").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Time zone") && page.body.contains("API tokens"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("command line"),
        "the token is listed: {}",
        page.body
    );
    assert!(!page.body.contains(&token), "never its secret");
    // Time zone: checked with the IANA database.
    let bad = h
        .post_form("/settings/time-zone", &[("time_zone", "Mars/Olympus")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("not a time zone"), "{}", bad.body);
    let ok = h
        .post_form("/settings/time-zone", &[("time_zone", "America/New_York")])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.header("location"), Some("/settings?done=time-zone"));
    let me = h.get("/api/v1/me").await;
    assert_eq!(me.json()["time_zone"], "America/New_York");
    // Password: the current one is checked, the new one too.
    let new = "another good password";
    let wrong = h
        .post_form(
            "/settings/password",
            &[
                ("current", "not it at all"),
                ("password", new),
                ("confirm", new),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong.body.contains("current password is wrong"),
        "{}",
        wrong.body
    );
    let short = h
        .post_form(
            "/settings/password",
            &[
                ("current", PASSWORD),
                ("password", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    let changed = h
        .post_form(
            "/settings/password",
            &[("current", PASSWORD), ("password", new), ("confirm", new)],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    // This browser stays signed in; the other one and the token end.
    let page = h.get("/settings?done=password").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("The password is changed"),
        "{}",
        page.body
    );
    assert_eq!(
        h.api("GET", "/api/v1/me", Some(&token), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let mine = h.cookie.replace(other_browser.unwrap());
    assert_eq!(h.get("/").await.status, StatusCode::SEE_OTHER);
    h.cookie = mine;
    h.token(&a.email, new).await;
}
both!(settings, settings_change_the_time_zone_and_the_password);

async fn a_disabled_account_loses_its_sessions_and_tokens(mut h: Harness) {
    let a = h.account("dis").await;
    let token = h.token(&a.email, PASSWORD).await;
    h.login(&a.email, PASSWORD).await;
    assert_eq!(h.get("/").await.status, StatusCode::OK);
    let e = a.email.clone();
    h.with_store(move |s| admin::disable_user(s, &e).unwrap())
        .await;
    assert_eq!(h.get("/").await.status, StatusCode::SEE_OTHER);
    let me = h.api("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    let again = h.login(&a.email, PASSWORD).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(again.body.contains("the email or the password is wrong"));
}
both!(disabled, a_disabled_account_loses_its_sessions_and_tokens);

async fn home_lists_the_account_s_spaces(mut h: Harness) {
    let a = h.account("home").await;
    h.login(&a.email, PASSWORD).await;
    let home = h.get("/").await;
    assert!(home.body.contains("No spaces yet."), "{}", home.body);
    let b = h.account("peer").await;
    let (ai, be) = (a.id, b.email.clone());
    h.with_store(move |s| {
        s.write(|tx| {
            let now = jiff::Timestamp::now();
            tx.insert_space(&upward_server_store::Space {
                id: uuid::Uuid::new_v4(),
                status: "invited".into(),
                inviter: ai,
                inviter_role: "peer".into(),
                invitee_email: be,
                invitee: None,
                created_at: now,
                changed_at: now,
            })
        })
        .unwrap()
    })
    .await;
    let home = h.get("/").await;
    assert!(
        home.body.contains(&b.email) && home.body.contains("invited"),
        "{}",
        home.body
    );
    assert!(
        !home.body.contains(&b.name),
        "names stay hidden until accepted"
    );
    h.cookie = None;
    h.login(&b.email, PASSWORD).await;
    let theirs = h.get("/").await;
    assert!(
        theirs.body.contains("Invitations") && theirs.body.contains(&a.name),
        "{}",
        theirs.body
    );
}
both!(home, home_lists_the_account_s_spaces);
