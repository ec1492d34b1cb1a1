//! Sync on the server (docs/sync.md, "The protocol"): the Upward-Protocol header, a space's
//! operations pushed by a device and pulled by either member, every refusal of a push with
//! nothing appended, and the pages' writes showing up as operations.

use crate::both;
use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use upward_server_store::Account;
use upward_space::model::new_topic;
use upward_space::{Hlc, Ids, Op, OpContext};
use uuid::Uuid;

/// Two members of an active space, each signed in from a device of their own: `ana` (the
/// report) invited `ben` (her manager), and he accepted.
struct Pair {
    ana: Account,
    ben: Account,
    ta: String,
    tb: String,
    da: Uuid,
    id: String,
    space: Uuid,
}

/// Signs in through the API from `device`: the token.
async fn device_token(h: &mut Harness, email: &str, device: Uuid) -> String {
    let a = h
        .api(
            "POST",
            "/api/v1/login",
            None,
            Some(json!({"email": email, "password": PASSWORD, "name": "laptop", "device": device})),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["device"], json!(device));
    a.json()["token"].as_str().unwrap().to_string()
}

async fn pair(h: &mut Harness) -> Pair {
    let ana = h.account("ana").await;
    let ben = h.account("ben").await;
    let (da, db) = (Uuid::new_v4(), Uuid::new_v4());
    let ta = device_token(h, &ana.email, da).await;
    let tb = device_token(h, &ben.email, db).await;
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
        space: id.parse().unwrap(),
        ana,
        ben,
        ta,
        tb,
        da,
        id,
    }
}

/// A sync request: `token` (or the session cookie), the `Upward-Protocol` header when given.
async fn call(
    h: &mut Harness,
    method: &str,
    path: &str,
    token: Option<&str>,
    protocol: Option<&str>,
    body: Option<Value>,
) -> Answer {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, HOST);
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    } else if let Some(c) = &h.cookie {
        b = b
            .header(header::COOKIE, c)
            .header(header::ORIGIN, ORIGIN)
            .header("x-csrf-token", h.csrf.clone().unwrap_or_default());
    }
    if let Some(p) = protocol {
        b = b.header("upward-protocol", p);
    }
    let body = match body {
        Some(v) => {
            b = b.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    h.send(b.body(body).unwrap()).await
}

fn wall_ms() -> u64 {
    u64::try_from(jiff::Timestamp::now().as_millisecond()).unwrap()
}

/// A context for `author`'s operations on `device`, `ahead_ms` in the future.
fn ctx(p: &Pair, author: Uuid, device: Uuid, ahead_ms: u64) -> OpContext {
    OpContext {
        space: p.space,
        author,
        device,
        today: "2026-11-23".parse().unwrap(),
        last: Hlc::ZERO,
        wall_ms: wall_ms() + ahead_ms,
        ids: Ids::Random,
    }
}

/// New topics by `ctx`'s author.
fn topics(ctx: &mut OpContext, titles: &[&str]) -> Vec<Op> {
    titles
        .iter()
        .flat_map(|t| new_topic(ctx, t, None).unwrap())
        .collect()
}

/// An operation as a push carries it.
fn wire(op: &Op) -> Value {
    let e = op.envelope();
    json!({
        "id": e.id, "space": e.space, "record": e.record,
        "record_type": e.record_type.as_str(), "action": e.action.as_str(),
        "author": e.author, "device": e.device, "clock": e.clock.0,
        "protocol": e.protocol, "payload": STANDARD.encode(op.payload_bytes()),
    })
}

fn push_body(ops: &[Value]) -> Value {
    json!({ "ops": ops })
}

async fn push(h: &mut Harness, p: &Pair, token: &str, ops: &[Value]) -> Answer {
    call(
        h,
        "POST",
        &format!("/api/v1/spaces/{}/ops", p.id),
        Some(token),
        Some("1"),
        Some(push_body(ops)),
    )
    .await
}

async fn pull(h: &mut Harness, p: &Pair, token: &str, query: &str) -> Answer {
    call(
        h,
        "GET",
        &format!("/api/v1/spaces/{}/ops{query}", p.id),
        Some(token),
        Some("1"),
        None,
    )
    .await
}

/// The space's last position, as a pull answers it.
async fn head(h: &mut Harness, p: &Pair) -> i64 {
    let tb = p.tb.clone();
    let a = pull(h, p, &tb, "").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.json()["head"].as_i64().unwrap()
}

/// The titles of the space's items, as the API lists them.
async fn titles(h: &mut Harness, p: &Pair) -> Vec<String> {
    let a = h
        .api(
            "GET",
            &format!("/api/v1/spaces/{}/items", p.id),
            Some(&p.tb),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let mut t: Vec<String> = a
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    t.sort();
    t
}

async fn push_then_pull_pages_by_cursor_with_the_pages_writes(mut h: Harness) {
    let p = pair(&mut h).await;
    // Two minutes ahead: within the skew allowed, and the server's clock must pass it.
    let mut c = ctx(&p, p.ana.id, p.da, 120_000);
    let ops: Vec<Value> = topics(&mut c, &["Offsite", "Promo case", "Hiring"])
        .iter()
        .map(wire)
        .collect();
    let a = push(&mut h, &p, &p.ta.clone(), &ops).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.json(),
        json!({"accepted": 3, "duplicates": 0, "positions": [1, 2, 3], "head": 3})
    );
    // Folded like the pages' writes: the items are there for both members.
    assert_eq!(
        titles(&mut h, &p).await,
        ["Hiring", "Offsite", "Promo case"]
    );
    // A page's write (Ben's topic through the API) is an operation of the log too.
    let t = h
        .api(
            "POST",
            &format!("/api/v1/spaces/{}/topics", p.id),
            Some(&p.tb),
            Some(json!({"title": "Budget"})),
        )
        .await;
    assert_eq!(t.status, StatusCode::CREATED, "{}", t.body);

    // Pages of two, by cursor; Ana's own operations included, exactly as pushed.
    let first = pull(&mut h, &p, &p.ta.clone(), "?after=0&limit=2").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let f = first.json();
    assert_eq!(
        (f["last"].clone(), f["head"].clone(), f["more"].clone()),
        (json!(2), json!(4), json!(true))
    );
    let got: Vec<Value> = f["ops"].as_array().unwrap().clone();
    assert_eq!(got.len(), 2);
    for (i, op) in got.iter().enumerate() {
        let mut sent = ops[i].clone();
        sent["position"] = json!(i + 1);
        assert_eq!(op, &sent);
    }
    let second = pull(&mut h, &p, &p.ta.clone(), "?after=2&limit=2").await;
    let s = second.json();
    assert_eq!(
        (s["last"].clone(), s["head"].clone(), s["more"].clone()),
        (json!(4), json!(4), json!(false))
    );
    let ops2 = s["ops"].as_array().unwrap();
    assert_eq!(
        ops2.iter()
            .map(|o| o["position"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [3, 4]
    );
    let budget = &ops2[1];
    assert_eq!(budget["author"], json!(p.ben.id));
    assert_eq!(budget["action"], "create");
    assert_ne!(budget["device"], json!(p.da), "the server's own device");
    let payload: Value = serde_json::from_slice(
        &STANDARD
            .decode(budget["payload"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(payload["title"], "Budget");
    // The server's clock observed the pushed clocks: its later write sorts after them.
    let pushed_max = ops
        .iter()
        .map(|o| o["clock"].as_u64().unwrap())
        .max()
        .unwrap();
    assert!(budget["clock"].as_u64().unwrap() > pushed_max);
    // Past the head: nothing, the cursor stays.
    let past = pull(&mut h, &p, &p.tb.clone(), "?after=9").await.json();
    assert_eq!(
        past,
        json!({"ops": [], "last": 9, "head": 4, "more": false})
    );
    // A bad cursor or limit is one line naming the accepted forms.
    for q in [
        "?after=-1",
        "?limit=0",
        "?limit=5001",
        "?after=x",
        "?cursor=1",
    ] {
        let a = pull(&mut h, &p, &p.tb.clone(), q).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{q}: {}", a.body);
        assert!(a.error().contains("accepted"), "{q}: {}", a.body);
    }
}
both!(
    round_trip,
    push_then_pull_pages_by_cursor_with_the_pages_writes
);

async fn a_retry_is_a_duplicate_and_a_replay_with_other_content_is_409(mut h: Harness) {
    let p = pair(&mut h).await;
    let mut c = ctx(&p, p.ana.id, p.da, 0);
    let ops: Vec<Value> = topics(&mut c, &["Offsite", "Promo case"])
        .iter()
        .map(wire)
        .collect();
    let first = push(&mut h, &p, &p.ta.clone(), &ops).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let again = push(&mut h, &p, &p.ta.clone(), &ops).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(
        again.json(),
        json!({"accepted": 0, "duplicates": 2, "positions": [1, 2], "head": 2})
    );
    // A retry with one new operation after the known ones: only that one is appended.
    let more: Vec<Value> = topics(&mut c, &["Hiring"]).iter().map(wire).collect();
    let mixed = push(
        &mut h,
        &p,
        &p.ta.clone(),
        &[ops[0].clone(), more[0].clone()],
    )
    .await;
    assert_eq!(
        mixed.json(),
        json!({"accepted": 1, "duplicates": 1, "positions": [1, 3], "head": 3})
    );
    // The same UUID with other content: 409, and nothing of that push is appended.
    let mut other = ops[1].clone();
    other["payload"] = json!(STANDARD.encode(br#"{"kind":"topic","title":"Changed"}"#));
    let fresh: Vec<Value> = topics(&mut c, &["Roadmap"]).iter().map(wire).collect();
    let r = push(&mut h, &p, &p.ta.clone(), &[fresh[0].clone(), other]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.error().contains("operation 2 replays"), "{}", r.body);
    assert_eq!(head(&mut h, &p).await, 3);
    assert_eq!(
        titles(&mut h, &p).await,
        ["Hiring", "Offsite", "Promo case"]
    );
}
both!(
    duplicates,
    a_retry_is_a_duplicate_and_a_replay_with_other_content_is_409
);

async fn every_refusal_of_a_push_appends_nothing(mut h: Harness) {
    let mut p = pair(&mut h).await;
    let ta = p.ta.clone();
    let good = |p: &Pair| {
        let mut c = ctx(p, p.ana.id, p.da, 0);
        wire(&topics(&mut c, &["Offsite"])[0])
    };
    let refused = |a: &Answer, status: StatusCode, says: &str| {
        assert_eq!(a.status, status, "{}", a.body);
        assert!(a.body.contains(says), "{says}: {}", a.body);
    };

    let mut op = good(&p);
    op["space"] = json!(Uuid::new_v4());
    let a = push(&mut h, &p, &ta, &[good(&p), op]).await;
    refused(
        &a,
        StatusCode::BAD_REQUEST,
        "operation 2 is for another space",
    );

    let mut op = good(&p);
    op["author"] = json!(p.ben.id);
    let a = push(&mut h, &p, &ta, &[op]).await;
    refused(
        &a,
        StatusCode::FORBIDDEN,
        "operation 1 was made by another account",
    );

    let mut op = good(&p);
    op["device"] = json!(Uuid::new_v4());
    let a = push(&mut h, &p, &ta, &[op]).await;
    refused(&a, StatusCode::FORBIDDEN, "another device");

    // A token made without a device (a plain sign-in) pushes nothing.
    let plain = h.token(&p.ana.email, PASSWORD).await;
    let a = push(&mut h, &p, &plain, &[good(&p)]).await;
    refused(&a, StatusCode::FORBIDDEN, "bound to no device");

    // A browser session is refused, naming the command that signs a machine in.
    let email = p.ana.email.clone();
    h.login(&email, PASSWORD).await;
    let a = call(
        &mut h,
        "POST",
        &format!("/api/v1/spaces/{}/ops", p.id),
        None,
        Some("1"),
        Some(push_body(&[good(&p)])),
    )
    .await;
    refused(&a, StatusCode::FORBIDDEN, "upward remote login");
    // …while the same session pulls.
    let a = call(
        &mut h,
        "GET",
        &format!("/api/v1/spaces/{}/ops", p.id),
        None,
        Some("1"),
        None,
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    h.cookie = None;

    // A clock far ahead: the skew named in minutes and seconds.
    let mut c = ctx(&p, p.ana.id, p.da, 7 * 60_000 + 12_500);
    let ahead = wire(&topics(&mut c, &["Later"])[0]);
    let a = push(&mut h, &p, &ta, &[good(&p), ahead]).await;
    refused(
        &a,
        StatusCode::BAD_REQUEST,
        "operation 2's clock is 7 min 1",
    );
    assert!(a.error().contains("s ahead of the server's"), "{}", a.body);

    // An operation of a newer protocol: 426 with the range.
    let mut op = good(&p);
    op["protocol"] = json!(2);
    let a = push(&mut h, &p, &ta, &[op]).await;
    refused(&a, StatusCode::UPGRADE_REQUIRED, "upgrade the server");
    assert_eq!(
        (a.json()["min"].clone(), a.json()["max"].clone()),
        (json!(1), json!(1))
    );

    // Not well made: a payload that is not base64, a field a topic does not have.
    let mut op = good(&p);
    op["payload"] = json!("not base64!");
    let a = push(&mut h, &p, &ta, &[op]).await;
    refused(&a, StatusCode::BAD_REQUEST, "base64");
    let mut op = good(&p);
    op["payload"] = json!(STANDARD.encode(br#"{"kind":"topic","title":"X","trust":"high"}"#));
    let a = push(&mut h, &p, &ta, &[op]).await;
    refused(&a, StatusCode::BAD_REQUEST, "trust");

    // An operation its author may not make: Ana edits the title of Ben's topic, after a
    // valid one of her own. All or nothing: 403, and her topic is not there either.
    let t = h
        .api(
            "POST",
            &format!("/api/v1/spaces/{}/topics", p.id),
            Some(&p.tb),
            Some(json!({"title": "Budget"})),
        )
        .await;
    assert_eq!(t.status, StatusCode::CREATED, "{}", t.body);
    let bens: Uuid = t.json()["uuid"].as_str().unwrap().parse().unwrap();
    let before = head(&mut h, &p).await;
    let mut edit = good(&p);
    edit["id"] = json!(Uuid::new_v4());
    edit["record"] = json!(bens);
    edit["action"] = json!("set");
    edit["payload"] = json!(STANDARD.encode(br#"{"title":"Hijacked"}"#));
    let a = push(&mut h, &p, &ta, &[good(&p), edit]).await;
    refused(&a, StatusCode::FORBIDDEN, "operation 2");
    assert_eq!(head(&mut h, &p).await, before);
    assert_eq!(titles(&mut h, &p).await, ["Budget"]);

    // Protocol headers: a newer one 426 naming the server, an older one naming this
    // machine; none at all on the ops routes is refused, on others it is fine.
    for (method, body) in [("GET", None), ("POST", Some(push_body(&[good(&p)])))] {
        let path = format!("/api/v1/spaces/{}/ops", p.id);
        let a = call(&mut h, method, &path, Some(&ta), Some("2"), body.clone()).await;
        refused(
            &a,
            StatusCode::UPGRADE_REQUIRED,
            "upward here speaks 2: upgrade the server",
        );
        assert_eq!(a.json()["max"], json!(1));
        let a = call(&mut h, method, &path, Some(&ta), Some("0"), body.clone()).await;
        refused(
            &a,
            StatusCode::UPGRADE_REQUIRED,
            "upgrade upward on this machine",
        );
        let a = call(&mut h, method, &path, Some(&ta), Some("one"), body.clone()).await;
        refused(&a, StatusCode::UPGRADE_REQUIRED, "not a protocol number");
        let a = call(&mut h, method, &path, Some(&ta), None, body).await;
        refused(&a, StatusCode::BAD_REQUEST, "Upward-Protocol is missing");
    }
    let a = call(&mut h, "GET", "/api/v1/me", Some(&ta), Some("3"), None).await;
    refused(&a, StatusCode::UPGRADE_REQUIRED, "upgrade the server");
    let a = call(&mut h, "GET", "/api/v1/me", Some(&ta), None, None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["id"], json!(p.ana.id));

    // Nothing of any refused push is in the log.
    assert_eq!(head(&mut h, &p).await, before);
    // Empty and oversized pushes.
    let a = push(&mut h, &p, &ta, &[]).await;
    refused(&a, StatusCode::BAD_REQUEST, "1 to 500 operations");
    // The manager shares no win (as on the pages).
    let db = Uuid::new_v4();
    p.tb = device_token(&mut h, &p.ben.email, db).await;
    let mut c = ctx(&p, p.ben.id, db, 0);
    let win = upward_space::model::new_item(
        &mut c,
        upward_domain::Kind::Win,
        upward_domain::ItemInput {
            title: Some("Shipped".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let tb = p.tb.clone();
    let a = push(&mut h, &p, &tb, &[wire(&win[0])]).await;
    refused(&a, StatusCode::FORBIDDEN, "shared by the report");
    assert_eq!(head(&mut h, &p).await, before);
}
both!(refusals, every_refusal_of_a_push_appends_nothing);

async fn non_members_get_404_and_a_closed_space_pulls_but_refuses_pushes(mut h: Harness) {
    let p = pair(&mut h).await;
    let carl = h.account("carl").await;
    let dc = Uuid::new_v4();
    let tc = device_token(&mut h, &carl.email, dc).await;
    let mut c = ctx(&p, carl.id, dc, 0);
    let op = wire(&topics(&mut c, &["Mine now"])[0]);
    let a = push(&mut h, &p, &tc, &[op]).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    let a = pull(&mut h, &p, &tc, "").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    let nowhere = format!("/api/v1/spaces/{}/ops", Uuid::new_v4());
    let b = call(&mut h, "GET", &nowhere, Some(&tc), Some("1"), None).await;
    assert_eq!(
        (b.status, b.body),
        (a.status, a.body.clone()),
        "the same answer"
    );

    let mut c = ctx(&p, p.ana.id, p.da, 0);
    let ops: Vec<Value> = topics(&mut c, &["Offsite", "After close"])
        .iter()
        .map(wire)
        .collect();
    let ta = p.ta.clone();
    assert_eq!(
        push(&mut h, &p, &ta, &ops[..1]).await.status,
        StatusCode::OK
    );
    let closed = h
        .api(
            "POST",
            &format!("/api/v1/spaces/{}/close", p.id),
            Some(&ta),
            None,
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let a = push(&mut h, &p, &ta, &ops[1..]).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
    assert!(a.error().contains("closed"), "{}", a.body);
    let a = pull(&mut h, &p, &p.tb.clone(), "").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["head"], json!(1));
}
both!(
    membership,
    non_members_get_404_and_a_closed_space_pulls_but_refuses_pushes
);

async fn members_show_their_account_once_accepted(mut h: Harness) {
    let ana = h.account("ana").await;
    let ben = h.account("ben").await;
    let ta = h.token(&ana.email, PASSWORD).await;
    let tb = h.token(&ben.email, PASSWORD).await;
    let r = h
        .api(
            "POST",
            "/api/v1/spaces",
            Some(&ta),
            Some(json!({"with": ben.email})),
        )
        .await;
    let id = r.json()["id"].as_str().unwrap().to_string();
    let members = |a: &Answer| a.json()[0]["members"].clone();
    let listed = h.api("GET", "/api/v1/spaces", Some(&ta), None).await;
    assert_eq!(members(&listed)[0]["account"], json!(ana.id));
    assert_eq!(members(&listed)[1]["account"], Value::Null);
    h.api(
        "POST",
        &format!("/api/v1/spaces/{id}/accept"),
        Some(&tb),
        None,
    )
    .await;
    let listed = h.api("GET", "/api/v1/spaces", Some(&tb), None).await;
    assert_eq!(
        members(&listed),
        json!([
            {"email": ana.email, "name": ana.name, "account": ana.id},
            {"email": ben.email, "name": ben.name, "account": ben.id}
        ])
    );
    // A device at sign-in: not a UUID, or nil, is refused.
    for bad in [json!("laptop"), json!(Uuid::nil())] {
        let a = h
            .api(
                "POST",
                "/api/v1/login",
                None,
                Some(json!({"email": ana.email, "password": PASSWORD, "device": bad})),
            )
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
        assert!(a.error().contains("not a device"), "{}", a.body);
    }
}
both!(accounts, members_show_their_account_once_accepted);
