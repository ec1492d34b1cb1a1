//! Spaces: invitations, content written as operations, the reads, close and delete, and the
//! authorization matrix over every route of a space (docs/server.md, "Spaces").

use crate::both;
use crate::support::*;
use axum::http::StatusCode;
use serde_json::{Value, json};
use upward_server_store::{Account, ServerStoreExt};

/// Two members with a space: `ana` invited `ben` as his report, and he accepted.
struct Pair {
    ana: Account,
    ben: Account,
    ta: String,
    tb: String,
    id: String,
}

async fn pair(h: &mut Harness) -> Pair {
    let ana = h.account("ana").await;
    let ben = h.account("ben").await;
    let ta = h.token(&ana.email, PASSWORD).await;
    let tb = h.token(&ben.email, PASSWORD).await;
    let r = h
        .api(
            "POST",
            "/api/v1/spaces",
            Some(&ta),
            Some(json!({"with": ben.email, "as": "report"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let a = h
        .api(
            "POST",
            &format!("/api/v1/spaces/{id}/accept"),
            Some(&tb),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    Pair {
        ana,
        ben,
        ta,
        tb,
        id,
    }
}

async fn invitations_are_answered_once_by_the_invitee(mut h: Harness) {
    let ana = h.account("ana").await;
    let ben = h.account("ben").await;
    let ta = h.token(&ana.email, PASSWORD).await;
    let tb = h.token(&ben.email, PASSWORD).await;
    // The same answer whether or not the email has an account; the invitee by email only.
    let known = h
        .api(
            "POST",
            "/api/v1/spaces",
            Some(&ta),
            Some(json!({"with": ben.email, "as": "manager"})),
        )
        .await;
    let stranger = Harness::email("nobody");
    let unknown = h
        .api(
            "POST",
            "/api/v1/spaces",
            Some(&ta),
            Some(json!({"with": stranger})),
        )
        .await;
    assert_eq!(known.status, StatusCode::CREATED, "{}", known.body);
    assert_eq!(unknown.status, StatusCode::CREATED, "{}", unknown.body);
    let (k, u) = (known.json(), unknown.json());
    assert_eq!(k["status"], "invited");
    assert_eq!(
        k["members"][1],
        json!({"email": ben.email, "name": null, "account": null})
    );
    assert_eq!(
        u["members"][1],
        json!({"email": stranger, "name": null, "account": null})
    );
    assert_eq!(k["members"][0]["name"], ana.name);
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&k), keys(&u));
    assert_eq!(k["roles"], json!({"me": "manager", "other": "report"}));
    let id = k["id"].as_str().unwrap().to_string();

    // Ben sees it, with his role.
    let list = h.api("GET", "/api/v1/spaces", Some(&tb), None).await;
    assert_eq!(list.status, StatusCode::OK);
    let mine = list.json();
    let s = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(s["status"], "invited");
    assert_eq!(s["roles"], json!({"me": "report", "other": "manager"}));

    // One space per pair, either direction; not with yourself; a bad email.
    for (t, with) in [(&ta, &ben.email), (&tb, &ana.email)] {
        let again = h
            .api(
                "POST",
                "/api/v1/spaces",
                Some(t),
                Some(json!({"with": with.to_uppercase()})),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert!(
            again.error().contains("one space per pair"),
            "{}",
            again.body
        );
    }
    let me = h
        .api(
            "POST",
            "/api/v1/spaces",
            Some(&ta),
            Some(json!({"with": ana.email})),
        )
        .await;
    assert_eq!(me.status, StatusCode::BAD_REQUEST);
    assert!(me.error().contains("your own email"));
    for bad in ["not-an-email", "a@b", "<script>@x.com", "a b@c.com", ""] {
        let r = h
            .api(
                "POST",
                "/api/v1/spaces",
                Some(&ta),
                Some(json!({"with": bad})),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.body);
        assert!(r.error().contains("email"), "{}", r.body);
    }
    let role = h
        .api(
            "POST",
            "/api/v1/spaces",
            Some(&ta),
            Some(json!({"with": Harness::email("x"), "as": "boss"})),
        )
        .await;
    assert_eq!(role.status, StatusCode::BAD_REQUEST);

    // Only the invitee answers; only the inviter cancels.
    let by_inviter = h
        .api(
            "POST",
            &format!("/api/v1/spaces/{id}/accept"),
            Some(&ta),
            None,
        )
        .await;
    assert_eq!(by_inviter.status, StatusCode::FORBIDDEN);
    let cancel_by_invitee = h
        .api(
            "POST",
            &format!("/api/v1/spaces/{id}/cancel"),
            Some(&tb),
            None,
        )
        .await;
    assert_eq!(cancel_by_invitee.status, StatusCode::FORBIDDEN);
    // Content is closed until accepted.
    let early = h
        .api(
            "GET",
            &format!("/api/v1/spaces/{id}/agenda"),
            Some(&tb),
            None,
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    let ok = h
        .api(
            "POST",
            &format!("/api/v1/spaces/{id}/accept"),
            Some(&tb),
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.json()["status"], "active");
    assert_eq!(ok.json()["members"][1]["name"], ben.name);
    let twice = h
        .api(
            "POST",
            &format!("/api/v1/spaces/{id}/accept"),
            Some(&tb),
            None,
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    // Decline and cancel.
    let cleo = h.account("cleo").await;
    let tc = h.token(&cleo.email, PASSWORD).await;
    let inv = h
        .api(
            "POST",
            "/api/v1/spaces",
            Some(&ta),
            Some(json!({"with": cleo.email})),
        )
        .await;
    let cid = inv.json()["id"].as_str().unwrap().to_string();
    let d = h
        .api(
            "POST",
            &format!("/api/v1/spaces/{cid}/decline"),
            Some(&tc),
            None,
        )
        .await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.json()["status"], "declined");
    // Declined frees the pair.
    let again = h
        .api(
            "POST",
            "/api/v1/spaces",
            Some(&tc),
            Some(json!({"with": ana.email})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    let aid = again.json()["id"].as_str().unwrap().to_string();
    let c = h
        .api(
            "POST",
            &format!("/api/v1/spaces/{aid}/cancel"),
            Some(&tc),
            None,
        )
        .await;
    assert_eq!(c.json()["status"], "cancelled");
    let gone = h
        .api("DELETE", &format!("/api/v1/spaces/{aid}"), Some(&tc), None)
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
}
both!(invitations, invitations_are_answered_once_by_the_invitee);

async fn an_invitation_expires_after_30_days(mut h: Harness) {
    let ana = h.account("ana").await;
    let ben = h.account("ben").await;
    let tb = h.token(&ben.email, PASSWORD).await;
    let id = uuid::Uuid::new_v4();
    // Made 31 days before the test clock (2026-11-23 09:00 UTC).
    let made: jiff::Timestamp = "2026-10-23T09:00:00Z".parse().unwrap();
    let (inviter, email) = (ana.id, ben.email.clone());
    h.with_store(move |s| {
        s.write(|tx| {
            tx.insert_space(&upward_server_store::Space {
                id,
                status: "invited".into(),
                inviter,
                inviter_role: "peer".into(),
                invitee_email: email,
                invitee: None,
                created_at: made,
                changed_at: made,
            })
        })
        .unwrap()
    })
    .await;
    let list = h.api("GET", "/api/v1/spaces", Some(&tb), None).await;
    assert!(list.body.contains("\"expired\""), "{}", list.body);
    let late = h
        .api(
            "POST",
            &format!("/api/v1/spaces/{id}/accept"),
            Some(&tb),
            None,
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    assert!(late.error().contains("expired"));
}
both!(expiry, an_invitation_expires_after_30_days);

async fn both_members_write_one_agenda(mut h: Harness) {
    let p = pair(&mut h).await;
    let base = format!("/api/v1/spaces/{}", p.id);
    // Topics by both, with their author.
    let t1 = h
        .api(
            "POST",
            &format!("{base}/topics"),
            Some(&p.ta),
            Some(json!({"title": "Offsite plans", "body": "Dates?"})),
        )
        .await;
    assert_eq!(t1.status, StatusCode::CREATED, "{}", t1.body);
    let t1 = t1.json();
    assert_eq!(t1["kind"], "topic");
    assert_eq!(t1["author"], p.ana.email);
    assert_eq!(t1["owner_email"], Value::Null);
    let t2 = h
        .api(
            "POST",
            &format!("{base}/topics"),
            Some(&p.tb),
            Some(json!({"title": "Promo case"})),
        )
        .await
        .json();
    assert_eq!(t2["author"], p.ben.email);
    // Edit: the author only.
    let t1id = t1["id"].to_string();
    let theirs = h
        .api(
            "PATCH",
            &format!("{base}/items/{t1id}"),
            Some(&p.tb),
            Some(json!({"title": "Mine now"})),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN, "{}", theirs.body);
    let mine = h
        .api(
            "PATCH",
            &format!("{base}/items/{t1id}"),
            Some(&p.ta),
            Some(json!({"title": "Offsite in March"})),
        )
        .await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    assert_eq!(mine.json()["title"], "Offsite in March");
    // Status by either member.
    let t2uuid = t2["uuid"].as_str().unwrap().to_string();
    let parked = h
        .api(
            "POST",
            &format!("{base}/items/{t2uuid}/status"),
            Some(&p.ta),
            Some(json!({"status": "parked"})),
        )
        .await;
    assert_eq!(parked.status, StatusCode::OK, "{}", parked.body);
    let reopened = h
        .api(
            "POST",
            &format!("{base}/items/{t2uuid}/status"),
            Some(&p.tb),
            Some(json!({"status": "open"})),
        )
        .await;
    assert_eq!(reopened.json()["status"], "open");
    // Actions for either member.
    let act = h
        .api(
            "POST",
            &format!("{base}/actions"),
            Some(&p.ta),
            Some(json!({"title": "Send the plan", "owner": p.ben.email, "due": "2026-11-20"})),
        )
        .await;
    assert_eq!(act.status, StatusCode::CREATED, "{}", act.body);
    assert_eq!(act.json()["owner_email"], p.ben.email);
    let bad_owner = h
        .api(
            "POST",
            &format!("{base}/actions"),
            Some(&p.ta),
            Some(json!({"title": "X", "owner": Harness::email("z")})),
        )
        .await;
    assert_eq!(bad_owner.status, StatusCode::BAD_REQUEST);
    // A meeting, recorded by both on the same date: one meeting, both notes.
    let t1uuid = t1["uuid"].as_str().unwrap().to_string();
    let m1 = h
        .api("POST", &format!("{base}/meetings"), Some(&p.ta), Some(json!({"date": "2026-11-20", "notes": "Went well", "discussed": [t1uuid], "actions": [{"title": "Book rooms", "owner": p.ana.email}]})))
        .await;
    assert_eq!(m1.status, StatusCode::CREATED, "{}", m1.body);
    let m2 = h
        .api(
            "POST",
            &format!("{base}/meetings"),
            Some(&p.tb),
            Some(json!({"date": "2026-11-20", "notes": "Agreed", "discussed": [], "actions": []})),
        )
        .await;
    assert_eq!(m2.status, StatusCode::CREATED, "{}", m2.body);
    let ms = h
        .api("GET", &format!("{base}/meetings"), Some(&p.ta), None)
        .await
        .json();
    let ms = ms.as_array().unwrap();
    assert_eq!(ms.len(), 1, "{ms:?}");
    assert_eq!(ms[0]["notes"][&p.ana.email], "Went well");
    assert_eq!(ms[0]["notes"][&p.ben.email], "Agreed");
    assert_eq!(ms[0]["discussed"][0]["uuid"], t1["uuid"]);
    assert_eq!(ms[0]["actions"][0]["title"], "Book rooms");
    let items = h
        .api("GET", &format!("{base}/items"), Some(&p.tb), None)
        .await
        .json();
    let topic = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["uuid"] == t1["uuid"])
        .unwrap()
        .clone();
    assert_eq!(
        topic["status"], "done",
        "a discussed topic reads as done: {topic}"
    );
    // The agenda: the prep shape, for the caller.
    let ag = h
        .api("GET", &format!("{base}/agenda"), Some(&p.ta), None)
        .await;
    assert_eq!(ag.status, StatusCode::OK, "{}", ag.body);
    let ag = ag.json();
    assert!(ag["sections"].is_array(), "{ag}");
    assert!(ag.to_string().contains("Promo case"), "{ag}");
    assert!(ag.to_string().contains("Send the plan"), "{ag}");
    // Follow-through of both sides, the same figures for both.
    let fa = h
        .api("GET", &format!("{base}/follow-through"), Some(&p.ta), None)
        .await
        .json();
    let fb = h
        .api("GET", &format!("{base}/follow-through"), Some(&p.tb), None)
        .await
        .json();
    assert_eq!(fa[0]["email"], p.ana.email);
    assert_eq!(fa[1]["open"], 1);
    assert_eq!(fa[1]["overdue"], 1);
    assert_eq!(fa[1], fb[0]);
    // The report shares wins, goals and updates; the manager may not.
    let win = h
        .api(
            "POST",
            &format!("{base}/items"),
            Some(&p.ta),
            Some(json!({"kind": "win", "title": "Shipped search", "impact": "-30% tickets"})),
        )
        .await;
    assert_eq!(win.status, StatusCode::CREATED, "{}", win.body);
    let goal = h
        .api(
            "POST",
            &format!("{base}/items"),
            Some(&p.tb),
            Some(json!({"kind": "goal", "title": "Lead a team"})),
        )
        .await;
    assert_eq!(goal.status, StatusCode::FORBIDDEN, "{}", goal.body);
    let upd = h
        .api(
            "POST",
            &format!("{base}/updates"),
            Some(&p.ta),
            Some(json!({"date": "2026-11-22", "channel": "email", "text": "Weekly: on track"})),
        )
        .await;
    assert_eq!(upd.status, StatusCode::CREATED, "{}", upd.body);
    assert_eq!(upd.json()["author"], p.ana.email);
    // Cards and the cadence.
    let card = h
        .api(
            "PUT",
            &format!("{base}/card"),
            Some(&p.tb),
            Some(json!({"channel": "chat", "length": "brief"})),
        )
        .await;
    assert_eq!(card.status, StatusCode::OK, "{}", card.body);
    assert_eq!(card.json()["channel"], "chat");
    let bad_card = h
        .api(
            "PUT",
            &format!("{base}/card"),
            Some(&p.tb),
            Some(json!({"trust": "high"})),
        )
        .await;
    assert_eq!(bad_card.status, StatusCode::BAD_REQUEST);
    let cad = h
        .api(
            "PUT",
            &format!("{base}/cadence"),
            Some(&p.tb),
            Some(json!({"cadence": "14d"})),
        )
        .await;
    assert_eq!(cad.status, StatusCode::OK, "{}", cad.body);
    let home = h.api("GET", "/api/v1/home", Some(&p.tb), None).await.json();
    let mine = home["spaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == p.id)
        .unwrap()
        .clone();
    assert_eq!(mine["needs_you"]["next_meeting_due"], "2026-12-04");
    assert_eq!(
        mine["needs_you"]["my_overdue_actions"][0]["title"],
        "Send the plan"
    );
    // Every write went through the log, by the server's device.
    let sid: uuid::Uuid = p.id.parse().unwrap();
    let ops = h
        .with_store(move |s| s.read(|tx| tx.ops_after(sid, 0, 1000)).unwrap())
        .await;
    assert!(ops.len() >= 12, "{}", ops.len());
    assert!(ops.windows(2).all(|w| w[0].clock < w[1].clock));

    // The export: the whole space, importable.
    let ex = h
        .api("GET", &format!("{base}/export"), Some(&p.ta), None)
        .await;
    assert_eq!(ex.status, StatusCode::OK);
    let ex = ex.json();
    assert_eq!(ex["format"], "upward");
    assert_eq!(ex["people"][0]["name"], p.ben.name);
    assert!(ex["items"].as_array().unwrap().len() >= 5);

    // Close: read-only for both, still exportable; then deletable.
    let early = h.api("DELETE", &base, Some(&p.tb), None).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    let closed = h
        .api("POST", &format!("{base}/close"), Some(&p.tb), None)
        .await;
    assert_eq!(closed.status, StatusCode::OK);
    assert_eq!(closed.json()["status"], "closed");
    let write = h
        .api(
            "POST",
            &format!("{base}/topics"),
            Some(&p.ta),
            Some(json!({"title": "Late"})),
        )
        .await;
    assert_eq!(write.status, StatusCode::CONFLICT);
    assert!(write.error().contains("closed"));
    let ex = h
        .api("GET", &format!("{base}/export"), Some(&p.ta), None)
        .await;
    assert_eq!(ex.status, StatusCode::OK);
    let del = h.api("DELETE", &base, Some(&p.ta), None).await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    let after = h.api("GET", &base, Some(&p.ta), None).await;
    assert_eq!(after.status, StatusCode::NOT_FOUND);
}
both!(content, both_members_write_one_agenda);

/// Every route of a space: (method, path after /api/v1/spaces/{id}, body).
fn routes(item: &str, owner: &str) -> Vec<(&'static str, String, Option<Value>)> {
    vec![
        ("GET", String::new(), None),
        ("GET", "/agenda".into(), None),
        ("GET", "/items".into(), None),
        (
            "POST",
            "/items".into(),
            Some(json!({"kind": "win", "title": "W"})),
        ),
        ("POST", "/topics".into(), Some(json!({"title": "T"}))),
        (
            "POST",
            "/actions".into(),
            Some(json!({"title": "A", "owner": owner})),
        ),
        (
            "PATCH",
            format!("/items/{item}"),
            Some(json!({"title": "E"})),
        ),
        (
            "POST",
            format!("/items/{item}/status"),
            Some(json!({"status": "parked"})),
        ),
        ("GET", "/meetings".into(), None),
        (
            "POST",
            "/meetings".into(),
            Some(json!({"date": "2026-11-21", "notes": "n"})),
        ),
        ("GET", "/updates".into(), None),
        (
            "POST",
            "/updates".into(),
            Some(json!({"channel": "chat", "text": "u"})),
        ),
        ("GET", "/follow-through".into(), None),
        ("PUT", "/card".into(), Some(json!({"channel": "email"}))),
        ("PUT", "/cadence".into(), Some(json!({"cadence": "1w"}))),
        ("GET", "/export".into(), None),
        ("DELETE", format!("/items/{item}"), None),
        ("POST", "/accept".into(), None),
        ("POST", "/decline".into(), None),
        ("POST", "/cancel".into(), None),
        ("POST", "/close".into(), None),
        ("DELETE", String::new(), None),
    ]
}

async fn only_the_two_members_reach_a_space(mut h: Harness) {
    let p = pair(&mut h).await;
    let base = format!("/api/v1/spaces/{}", p.id);
    let topic = h
        .api(
            "POST",
            &format!("{base}/topics"),
            Some(&p.ta),
            Some(json!({"title": "Secret plans"})),
        )
        .await
        .json();
    let item = topic["uuid"].as_str().unwrap().to_string();
    // A stranger, and a member of another space.
    let carl = h.account("carl").await;
    let tc = h.token(&carl.email, PASSWORD).await;
    let other = pair(&mut h).await;
    let missing = uuid::Uuid::new_v4();
    for (method, rest, body) in routes(&item, &p.ben.email) {
        let path = format!("{base}{rest}");
        let anon = h.api(method, &path, None, body.clone()).await;
        assert_eq!(anon.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        let nothing = h
            .api(
                method,
                &format!("/api/v1/spaces/{missing}{rest}"),
                Some(&tc),
                body.clone(),
            )
            .await;
        assert_eq!(
            nothing.status,
            StatusCode::NOT_FOUND,
            "{method} {rest}: {}",
            nothing.body
        );
        for t in [&tc, &other.ta, &other.tb] {
            let r = h.api(method, &path, Some(t), body.clone()).await;
            assert_eq!(
                r.status,
                StatusCode::NOT_FOUND,
                "{method} {path}: {}",
                r.body
            );
            assert_eq!(r.body, nothing.body, "{method} {path}");
            assert!(!r.body.contains("Secret"));
        }
    }
    // The members: every read answers; the other member may not edit what they did not write.
    for (method, rest, body) in routes(&item, &p.ben.email) {
        if method != "GET" {
            continue;
        }
        for t in [&p.ta, &p.tb] {
            let r = h
                .api(method, &format!("{base}{rest}"), Some(t), body.clone())
                .await;
            assert_eq!(r.status, StatusCode::OK, "{method} {rest}: {}", r.body);
        }
    }
    let edit = h
        .api(
            "PATCH",
            &format!("{base}/items/{item}"),
            Some(&p.tb),
            Some(json!({"title": "Ben's"})),
        )
        .await;
    assert_eq!(edit.status, StatusCode::FORBIDDEN);
    let remove = h
        .api("DELETE", &format!("{base}/items/{item}"), Some(&p.tb), None)
        .await;
    assert_eq!(remove.status, StatusCode::FORBIDDEN, "{}", remove.body);
    // Writes by the members, then close and delete, each as the member allowed.
    for (method, rest, body) in routes(&item, &p.ben.email) {
        if method == "GET"
            || ["/accept", "/decline", "/cancel", "/close", ""].contains(&rest.as_str())
        {
            continue;
        }
        let r = h
            .api(method, &format!("{base}{rest}"), Some(&p.ta), body.clone())
            .await;
        assert!(
            r.status.is_success(),
            "{method} {rest}: {} {}",
            r.status,
            r.body
        );
    }
    for rest in ["/accept", "/decline", "/cancel"] {
        let r = h
            .api("POST", &format!("{base}{rest}"), Some(&p.tb), None)
            .await;
        assert!(r.status.is_client_error(), "{rest}: {}", r.status);
    }
    let r = h
        .api("POST", &format!("{base}/close"), Some(&p.tb), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = h.api("DELETE", &base, Some(&p.ta), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}
both!(authorization, only_the_two_members_reach_a_space);

async fn hostile_input_is_refused_in_one_line(mut h: Harness) {
    let p = pair(&mut h).await;
    let base = format!("/api/v1/spaces/{}", p.id);
    let big = "x".repeat(1024 * 1024);
    let long = "y".repeat(500_000);
    let cases: Vec<(&str, String, Value)> = vec![
        ("POST", format!("{base}/topics"), json!({"title": big})),
        ("POST", format!("{base}/topics"), json!({"title": long})),
        ("POST", format!("{base}/topics"), json!({"titel": "typo"})),
        (
            "POST",
            format!("{base}/topics"),
            json!({"title": "ok", "body": "a\u{7}b"}),
        ),
        ("POST", format!("{base}/topics"), json!({"title": ""})),
        (
            "POST",
            format!("{base}/topics"),
            json!({"title": "a\u{0}b"}),
        ),
        ("POST", format!("{base}/topics"), json!({"title": 5})),
        (
            "POST",
            format!("{base}/actions"),
            json!({"title": "A", "owner": p.ana.email, "due": "2026-13-45"}),
        ),
        (
            "POST",
            format!("{base}/actions"),
            json!({"title": "A", "owner": "<script>"}),
        ),
        (
            "POST",
            format!("{base}/meetings"),
            json!({"date": "someday"}),
        ),
        (
            "POST",
            format!("{base}/meetings"),
            json!({"date": "2027-01-01"}),
        ),
        (
            "POST",
            format!("{base}/meetings"),
            json!({"date": "2026-11-20", "discussed": [uuid::Uuid::new_v4()]}),
        ),
        (
            "POST",
            format!("{base}/meetings"),
            json!({"date": "2026-11-20", "discussed": ["not-a-uuid"]}),
        ),
        (
            "POST",
            format!("{base}/items/{}/status", uuid::Uuid::new_v4()),
            json!({"status": "parked"}),
        ),
        (
            "POST",
            format!("{base}/items/999/status"),
            json!({"status": "parked"}),
        ),
        (
            "POST",
            format!("{base}/items"),
            json!({"kind": "risk", "title": "R"}),
        ),
        (
            "POST",
            format!("{base}/updates"),
            json!({"channel": "pigeon"}),
        ),
        (
            "PUT",
            format!("{base}/cadence"),
            json!({"cadence": "often"}),
        ),
        ("PUT", format!("{base}/card"), json!({"length": 3})),
        (
            "PUT",
            format!("{base}/card"),
            json!({"feedback": "<script>alert(1)</script>"}),
        ),
        (
            "POST",
            "/api/v1/spaces".into(),
            json!({"with": format!("{big}@x.com")}),
        ),
        (
            "GET",
            "/api/v1/spaces/not-a-uuid/agenda".into(),
            Value::Null,
        ),
    ];
    let before = h
        .api("GET", &format!("{base}/items"), Some(&p.ta), None)
        .await
        .body;
    for (method, path, body) in cases {
        let body = (!body.is_null()).then_some(body);
        let r = h.api(method, &path, Some(&p.ta), body).await;
        assert!(
            r.status.is_client_error(),
            "{method} {path}: {} {}",
            r.status,
            &r.body[..r.body.len().min(300)]
        );
        let e = r.error();
        assert!(!e.contains('\n') && e.len() < 600, "{path}: {e}");
    }
    let typo = h
        .api(
            "POST",
            &format!("{base}/topics"),
            Some(&p.ta),
            Some(json!({"titel": "x"})),
        )
        .await;
    assert_eq!(
        typo.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        typo.body
    );
    assert!(typo.error().contains("titel"), "{}", typo.body);
    let after = h
        .api("GET", &format!("{base}/items"), Some(&p.ta), None)
        .await
        .body;
    assert_eq!(before, after, "nothing was written");
}
both!(hostile, hostile_input_is_refused_in_one_line);

async fn every_space_route_is_in_the_openapi_document(mut h: Harness) {
    let doc = h
        .api("GET", "/api/v1/openapi.json", None, None)
        .await
        .json();
    let mut all: Vec<(&str, String)> = routes("{item}", "")
        .into_iter()
        .map(|(m, rest, _)| (m, format!("/spaces/{{id}}{rest}")))
        .collect();
    all.extend([
        ("GET", "/spaces".into()),
        ("POST", "/spaces".into()),
        ("GET", "/home".into()),
        ("GET", "/spaces/{id}/ops".into()),
        ("POST", "/spaces/{id}/ops".into()),
    ]);
    for (method, path) in all {
        let op = &doc["paths"][&path][method.to_lowercase()];
        assert!(
            op["responses"].is_object(),
            "{method} {path} is not described"
        );
        if method != "GET"
            && method != "DELETE"
            && !path.ends_with("accept")
            && !path.ends_with("decline")
            && !path.ends_with("cancel")
            && !path.ends_with("close")
        {
            assert!(
                op["requestBody"].is_object(),
                "{method} {path} has no request schema"
            );
        }
    }
}
both!(openapi, every_space_route_is_in_the_openapi_document);

/// Both members record the same 1:1 at the same moment, many times over: one meeting per
/// date, with both members' notes, and a log whose clocks strictly increase.
async fn two_recorders_at_once_make_one_meeting(mut h: Harness) {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use tower::ServiceExt;
    let p = pair(&mut h).await;
    let base = format!("/api/v1/spaces/{}", p.id);
    let send = |token: String, body: Value| {
        let app = h.app.clone();
        let path = format!("{base}/meetings");
        let peer = h.peer;
        async move {
            let mut r = axum::http::Request::builder()
                .method("POST")
                .uri(path)
                .header("host", HOST)
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .unwrap();
            r.extensions_mut().insert(ConnectInfo(peer));
            app.oneshot(r).await.unwrap().status()
        }
    };
    for day in 10..16 {
        let date = format!("2026-11-{day}");
        let (a, b) = tokio::join!(
            send(
                p.ta.clone(),
                json!({"date": date, "notes": format!("Ana {day}")})
            ),
            send(
                p.tb.clone(),
                json!({"date": date, "notes": format!("Ben {day}")})
            )
        );
        assert_eq!((a, b), (StatusCode::CREATED, StatusCode::CREATED));
    }
    let ms = h
        .api("GET", &format!("{base}/meetings"), Some(&p.tb), None)
        .await
        .json();
    let ms = ms.as_array().unwrap();
    assert_eq!(ms.len(), 6, "{ms:?}");
    for m in ms {
        let day = &m["date"].as_str().unwrap()[8..];
        assert_eq!(m["notes"][&p.ana.email], format!("Ana {day}"));
        assert_eq!(m["notes"][&p.ben.email], format!("Ben {day}"));
    }
    let sid: uuid::Uuid = p.id.parse().unwrap();
    let ops = h
        .with_store(move |s| s.read(|tx| tx.ops_after(sid, 0, 1000)).unwrap())
        .await;
    assert_eq!(ops.len(), 12);
    let mut clocks: Vec<u64> = ops.iter().map(|o| o.clock).collect();
    clocks.sort_unstable();
    clocks.dedup();
    assert_eq!(
        clocks.len(),
        12,
        "every operation of the device has its own clock"
    );
}
both!(concurrent_meetings, two_recorders_at_once_make_one_meeting);

async fn an_item_is_removed_by_its_author_only(mut h: Harness) {
    let p = pair(&mut h).await;
    let base = format!("/api/v1/spaces/{}", p.id);
    let topic = h
        .api(
            "POST",
            &format!("{base}/topics"),
            Some(&p.ta),
            Some(json!({"title": "To be removed"})),
        )
        .await
        .json();
    let seq = topic["id"].to_string();
    let listed = |v: Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    // Read once (so a cached view exists), then refused to the other member: unchanged.
    let before = h
        .api("GET", &format!("{base}/items"), Some(&p.tb), None)
        .await;
    assert_eq!(listed(before.json()), vec!["To be removed"]);
    let r = h
        .api("DELETE", &format!("{base}/items/{seq}"), Some(&p.tb), None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.error().contains("author"), "{}", r.error());
    // The author removes it (by its number): gone for both, at once.
    let r = h
        .api("DELETE", &format!("{base}/items/{seq}"), Some(&p.ta), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    for t in [&p.ta, &p.tb] {
        let after = h.api("GET", &format!("{base}/items"), Some(t), None).await;
        assert!(listed(after.json()).is_empty(), "{}", after.body);
    }
    // Again, or an item that never was: 404 naming the accepted forms.
    for missing in [seq.as_str(), "999", "not-an-id"] {
        let r = h
            .api(
                "DELETE",
                &format!("{base}/items/{missing}"),
                Some(&p.ta),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{missing}: {}", r.body);
        assert!(
            r.error().contains("its id (a number) or its uuid"),
            "{}",
            r.error()
        );
    }
    // A meeting is not an item: refused, kept.
    let m = h
        .api(
            "POST",
            &format!("{base}/meetings"),
            Some(&p.ta),
            Some(json!({"date": "2026-11-20", "notes": "n"})),
        )
        .await
        .json();
    let r = h
        .api(
            "DELETE",
            &format!("{base}/items/{}", m["uuid"].as_str().unwrap()),
            Some(&p.ta),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let meetings = h
        .api("GET", &format!("{base}/meetings"), Some(&p.ta), None)
        .await;
    assert_eq!(meetings.json().as_array().unwrap().len(), 1);
}
both!(remove_item, an_item_is_removed_by_its_author_only);
