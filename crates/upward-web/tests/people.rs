//! People, a person, and Today's next 1:1s: every route answers, every bad input is a 4xx with
//! one line, and nothing a user wrote is written unescaped.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::*;
use upward_store::StoreExt;
use upward_store_sqlite::SqliteStore;

/// A form posted to a path, and the status it must get.
type FormCase<'a> = (&'a str, Vec<(&'a str, &'a str)>, StatusCode);

const HOSTILE: &str = "<script>alert(\"x\")</script>";

async fn with_dana() -> Harness {
    let mut h = Harness::new();
    h.login().await;
    let a = h
        .post_form(
            "/people/init",
            &[("me", "Alex"), ("role", ""), ("manager", "Dana Whitfield")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    h
}

fn add_meeting(h: &Harness, who: &str, date: &str) {
    let mut store = SqliteStore::open(&h.db).unwrap();
    let clock = upward_domain::Clock::fixed(&format!("{date}T10:00:00Z")).unwrap();
    store
        .write(|tx| {
            let p = upward_app::people::resolve(tx, who)?;
            let m = upward_domain::Meeting {
                id: 0,
                uuid: uuid::Uuid::new_v4(),
                person: p.to_ref(),
                date: clock.today,
                notes: Some("Talked <b>budgets</b>".into()),
                shared_notes: None,
                their_notes: None,
                discussed: vec![],
                created_at: clock.now,
            };
            tx.insert_meeting(&m)?;
            Ok::<_, upward_app::AppError>(())
        })
        .unwrap();
}

/// An update sent, a reflection and a declined request for `who`, on 2026-11-20.
fn add_history(h: &Harness, who: &str) {
    let mut store = SqliteStore::open(&h.db).unwrap();
    let clock = upward_domain::Clock::fixed("2026-11-20T10:00:00Z").unwrap();
    store
        .write(|tx| {
            let p = upward_app::people::resolve(tx, who)?;
            tx.insert_update(&upward_domain::UpdateSent {
                id: 0,
                uuid: uuid::Uuid::new_v4(),
                person: p.to_ref(),
                date: clock.today,
                channel: upward_domain::Channel::Email,
                text: Some("Status".into()),
                created_at: clock.now,
            })?;
            tx.insert_reflection(&upward_domain::Reflection {
                id: 0,
                uuid: uuid::Uuid::new_v4(),
                person: p.to_ref(),
                date: clock.today,
                scores: [("rapport".to_string(), 4)].into_iter().collect(),
                answers: Default::default(),
                created_at: clock.now,
            })?;
            tx.insert_decline(&upward_domain::Decline {
                id: 0,
                uuid: uuid::Uuid::new_v4(),
                person: p.to_ref(),
                date: clock.today,
                title: HOSTILE.into(),
                reason: "Full <i>quarter</i>".into(),
                alternatives: vec![],
                after: None,
                text: None,
                created_at: clock.now,
            })?;
            Ok::<_, upward_app::AppError>(())
        })
        .unwrap();
}

#[tokio::test]
async fn people_lists_adds_and_says_who_i_am() {
    let mut h = Harness::new();
    h.login().await;
    let empty = h.get("/people").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(
        empty.body.contains("id=\"init\""),
        "the init form with no manager"
    );
    assert!(empty.body.contains("id=\"add\""));
    let a = h
        .post_form(
            "/people/init",
            &[("me", "Alex"), ("manager", "Dana Whitfield")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.headers["location"], "/people");
    let a = h
        .post_form(
            "/people",
            &[
                ("name", "Sam Lee"),
                ("relation", "peer"),
                ("role", "Platform lead"),
                ("cadence", "2w"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.headers["location"], "/people/Sam%20Lee");
    let list = h.get("/people").await;
    assert!(list.body.contains("Dana Whitfield") && list.body.contains("Platform lead"));
    assert!(
        !list.body.contains("id=\"init\""),
        "no init form once there is a manager"
    );
}

#[tokio::test]
async fn a_person_page_shows_the_know_them_questions_beside_the_empty_fields() {
    let h = with_dana().await;
    let page = h.get("/people/Dana%20Whitfield").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("What is Dana Whitfield trying to achieve this year?")
    );
    assert!(
        page.body.contains("id=\"goals\""),
        "the anchor of the step that fills it in"
    );
    assert!(page.body.contains("aria-describedby=\"goals-q\""));
    let a = h
        .post_form(
            "/people/Dana%20Whitfield",
            &[
                ("name", "Dana Whitfield"),
                ("relation", "manager"),
                ("goals", "Ship billing\r\nby Q2"),
                ("length", "brief"),
                ("cadence", "7d"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let page = h.get("/people/dana").await;
    assert!(
        !page.body.contains("trying to achieve this year"),
        "answered"
    );
    assert!(page.body.contains("Ship billing\nby Q2"));
    assert!(page.body.contains("<option value=\"brief\" selected>"));
    let p = h.api("GET", "/api/v1/people/Dana", None).await.json();
    assert_eq!(p["goals"], "Ship billing\nby Q2");
    assert_eq!(
        p["cadence"], "7d",
        "a relation sent unchanged leaves the cadence"
    );
}

/// Issue #13: `technical` and `exec` are on the person's form, as selects of yes and no, and on
/// the form that adds a person.
#[tokio::test]
async fn technical_and_exec_are_edited_on_the_persons_form() {
    let h = with_dana().await;
    let page = h.get("/people/Dana%20Whitfield").await;
    for field in ["technical", "exec"] {
        assert!(
            page.body
                .contains(&format!("<select id=\"{field}\" name=\"{field}\"")),
            "{field}"
        );
    }
    assert!(
        page.body
            .contains("Does Dana Whitfield want the technical detail, or the outcomes and dates?"),
        "the know-them question beside the empty field"
    );
    let a = h
        .post_form(
            "/people/Dana%20Whitfield",
            &[
                ("name", "Dana Whitfield"),
                ("relation", "manager"),
                ("technical", "no"),
                ("exec", "yes"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let p = h.api("GET", "/api/v1/people/Dana", None).await.json();
    assert_eq!((&p["technical"], &p["exec"]), (&json!(false), &json!(true)));
    let page = h.get("/people/dana").await;
    assert!(page.body.contains("<option value=\"no\" selected>"));
    assert!(page.body.contains("<option value=\"yes\" selected>"));
    // Sent back unchanged, nothing changes; "not known" clears it.
    let a = h
        .post_form(
            "/people/Dana%20Whitfield",
            &[("technical", "no"), ("exec", "")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let p = h.api("GET", "/api/v1/people/Dana", None).await.json();
    assert_eq!((&p["technical"], &p["exec"]), (&json!(false), &json!(null)));
    let bad = h
        .post_form("/people/Dana%20Whitfield", &[("exec", "maybe")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    // Adding a person, by the form and the API.
    let list = h.get("/people").await;
    assert!(list.body.contains("id=\"add-technical\"") && list.body.contains("id=\"add-exec\""));
    let a = h
        .post_form(
            "/people",
            &[
                ("name", "Ana Ruiz"),
                ("relation", "skip"),
                ("technical", ""),
                ("exec", "yes"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let p = h.api("GET", "/api/v1/people/Ana", None).await.json();
    assert_eq!((&p["technical"], &p["exec"]), (&json!(null), &json!(true)));
    let a = h
        .api(
            "POST",
            "/api/v1/people",
            Some(json!({"name": "Kim", "relation": "stakeholder", "technical": "no"})),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.json()["technical"], false);
}

#[tokio::test]
async fn a_person_page_shows_open_items_and_history_and_archives_and_restores() {
    let h = with_dana().await;
    add_meeting(&h, "Dana", "2026-11-18");
    add_history(&h, "Dana");
    let page = h.get("/people/Dana%20Whitfield").await;
    assert!(page.body.contains("2026-11-18"), "{}", page.body);
    assert!(page.body.contains("Talked &lt;b&gt;budgets&lt;/b&gt;"));
    assert!(
        page.body.contains("last contact: 3 days ago"),
        "the update: {}",
        page.body
    );
    assert!(page.body.contains("2026-11-20 by email"));
    assert!(page.body.contains("2026-11-20: rapport 4/5"));
    assert!(page.body.contains(
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; — Full &lt;i&gt;quarter&lt;/i&gt;"
    ));
    assert!(!page.body.contains(HOSTILE));
    let a = h.post_form("/people/Dana%20Whitfield/archive", &[]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(
        h.get("/people/Dana%20Whitfield")
            .await
            .body
            .contains("Bring Dana Whitfield back")
    );
    assert_eq!(
        h.api("GET", "/api/v1/people", None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let a = h.post_form("/people/Dana%20Whitfield/restore", &[]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        h.api("GET", "/api/v1/people", None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let me = h.post_form("/people/Alex/archive", &[]).await;
    assert_eq!(me.status, StatusCode::CONFLICT, "{}", me.body);
    assert!(me.body.contains("role=\"alert\""));
}

#[tokio::test]
async fn hostile_names_and_fields_are_refused_or_escaped_never_a_500() {
    let h = with_dana().await;
    let a = h
        .post_form("/people", &[("name", HOSTILE), ("relation", "peer")])
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let page = h.get(a.headers["location"].to_str().unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
    );
    assert!(!page.body.contains(HOSTILE));
    let list = h.get("/people").await;
    assert!(!list.body.contains(HOSTILE));
    let big = "x".repeat(1 << 20);
    let bad: Vec<FormCase> = vec![
        (
            "/people",
            vec![("name", ""), ("relation", "peer")],
            StatusCode::BAD_REQUEST,
        ),
        (
            "/people",
            vec![("name", "Zed"), ("relation", "self")],
            StatusCode::BAD_REQUEST,
        ),
        (
            "/people",
            vec![("name", "Zed"), ("relation", "boss")],
            StatusCode::BAD_REQUEST,
        ),
        (
            "/people",
            vec![("name", "Zed"), ("relation", "peer"), ("cadence", "-3x")],
            StatusCode::BAD_REQUEST,
        ),
        (
            "/people",
            vec![("name", "dana whitfield"), ("relation", "peer")],
            StatusCode::CONFLICT,
        ),
        (
            "/people",
            vec![("name", &big), ("relation", "peer")],
            StatusCode::BAD_REQUEST,
        ),
        (
            "/people",
            vec![("relation", "peer")],
            StatusCode::BAD_REQUEST,
        ),
        ("/people/init", vec![("me", "")], StatusCode::BAD_REQUEST),
        (
            "/people/init",
            vec![("me", "Alex"), ("manager", "alex")],
            StatusCode::BAD_REQUEST,
        ),
        (
            "/people/Nobody",
            vec![("goals", "x")],
            StatusCode::NOT_FOUND,
        ),
        (
            "/people/Dana",
            vec![("trust", "9")],
            StatusCode::BAD_REQUEST,
        ),
        (
            "/people/Dana",
            vec![("trust", "-1")],
            StatusCode::BAD_REQUEST,
        ),
        (
            "/people/Dana",
            vec![("channel", "pigeon")],
            StatusCode::BAD_REQUEST,
        ),
        (
            "/people/Dana",
            vec![("bogus", HOSTILE)],
            StatusCode::BAD_REQUEST,
        ),
        ("/people/Dana", vec![("name", "Alex")], StatusCode::CONFLICT),
        (
            "/people/Dana",
            vec![("goals", "a\u{7}b")],
            StatusCode::BAD_REQUEST,
        ),
        (
            "/people/Alex",
            vec![("relation", "peer")],
            StatusCode::BAD_REQUEST,
        ),
        ("/people/Nobody/archive", vec![], StatusCode::NOT_FOUND),
        ("/people/%FF/restore", vec![], StatusCode::BAD_REQUEST),
    ];
    for (path, fields, status) in bad {
        let a = h.post_form(path, &fields).await;
        assert_eq!(
            a.status,
            status,
            "{path} {:?}: {}",
            &fields.iter().map(|f| f.0).collect::<Vec<_>>(),
            &a.body[..a.body.len().min(600)]
        );
        assert!(a.body.contains("role=\"alert\""), "{path}");
        assert!(!a.body.contains("<script>"), "{path}");
    }
    for path in ["/people/Nobody", "/people/%FF", "/people/%3Cscript%3Enope"] {
        let a = h.get(path).await;
        assert!(a.status.is_client_error(), "{path}: {}", a.status);
        assert!(!a.body.contains("<script>"), "{path}");
    }
    let goals = h.api("GET", "/api/v1/people/Dana", None).await.json();
    assert_eq!(
        goals["trust"],
        serde_json::Value::Null,
        "nothing written by a refused form"
    );
}

#[tokio::test]
async fn the_api_adds_shows_lists_and_sets_people() {
    let h = with_dana().await;
    let a = h
        .api(
            "POST",
            "/api/v1/people",
            Some(json!({"name": "Sam", "relation": "peer", "cadence": "2w"})),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.json()["cadence"], "2w");
    let a = h
        .api(
            "PATCH",
            "/api/v1/people/Sam",
            Some(json!({"goals": "Grow the team", "trust": 4, "name": "Sam Lee"})),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["name"], "Sam Lee");
    assert_eq!(a.json()["trust"], 4);
    let shown = h.api("GET", "/api/v1/people/Sam%20Lee", None).await;
    assert_eq!(shown.json(), a.json());
    let all = h.api("GET", "/api/v1/people?all=true", None).await.json();
    assert_eq!(all.as_array().unwrap().len(), 3);
    let init = h
        .api("POST", "/api/v1/init", Some(json!({"me": "Alexandra"})))
        .await;
    assert_eq!(init.status, StatusCode::OK, "{}", init.body);
    assert_eq!(init.json()["me"]["name"], "Alexandra");
    assert_eq!(init.json()["manager"], serde_json::Value::Null);
}

#[tokio::test]
async fn the_api_refuses_bad_input_with_a_json_error() {
    let h = with_dana().await;
    let cases: Vec<(&str, &str, Option<serde_json::Value>, StatusCode)> = vec![
        (
            "POST",
            "/api/v1/people",
            Some(json!({"name": "X", "relation": "self"})),
            StatusCode::BAD_REQUEST,
        ),
        (
            "POST",
            "/api/v1/people",
            Some(json!({"name": "X"})),
            StatusCode::BAD_REQUEST,
        ),
        (
            "POST",
            "/api/v1/people",
            Some(json!({"name": "X", "relation": "peer", "colour": 1})),
            StatusCode::BAD_REQUEST,
        ),
        (
            "POST",
            "/api/v1/people",
            Some(json!({"name": "Dana Whitfield", "relation": "peer"})),
            StatusCode::CONFLICT,
        ),
        (
            "POST",
            "/api/v1/people",
            Some(json!([1, 2])),
            StatusCode::BAD_REQUEST,
        ),
        (
            "PATCH",
            "/api/v1/people/Dana",
            Some(json!({})),
            StatusCode::BAD_REQUEST,
        ),
        (
            "PATCH",
            "/api/v1/people/Dana",
            Some(json!({"trust": 99})),
            StatusCode::BAD_REQUEST,
        ),
        (
            "PATCH",
            "/api/v1/people/Dana",
            Some(json!({"goals": ["a"]})),
            StatusCode::BAD_REQUEST,
        ),
        (
            "PATCH",
            "/api/v1/people/Dana",
            Some(json!({"cadence": "soon"})),
            StatusCode::BAD_REQUEST,
        ),
        (
            "PATCH",
            "/api/v1/people/Nobody",
            Some(json!({"goals": "x"})),
            StatusCode::NOT_FOUND,
        ),
        (
            "PATCH",
            "/api/v1/people/Alex",
            Some(json!({"archived": true})),
            StatusCode::BAD_REQUEST,
        ),
        ("GET", "/api/v1/people/Nobody", None, StatusCode::NOT_FOUND),
        (
            "GET",
            "/api/v1/people?all=maybe",
            None,
            StatusCode::BAD_REQUEST,
        ),
        (
            "POST",
            "/api/v1/init",
            Some(json!({"me": ""})),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (method, path, body, status) in cases {
        let a = h.api(method, path, body.clone()).await;
        assert_eq!(a.status, status, "{method} {path} {body:?}: {}", a.body);
        let e = a.json()["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{}", a.body))
            .to_string();
        assert!(!e.is_empty() && !e.contains('\n'), "{e}");
    }
    // Not JSON at all.
    let a = h
        .send(
            axum::http::Request::post("/api/v1/people")
                .header("host", HOST)
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{nope"))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    assert!(a.json()["error"].is_string());
}

#[tokio::test]
async fn today_lists_the_next_one_on_one_with_each_person_by_cadence() {
    let h = with_dana().await;
    h.api(
        "POST",
        "/api/v1/people",
        Some(json!({"name": "Ana Ruiz", "relation": "skip", "cadence": "1m"})),
    )
    .await;
    h.api(
        "POST",
        "/api/v1/people",
        Some(json!({"name": "No Rhythm", "relation": "peer"})),
    )
    .await;
    add_meeting(&h, "Dana", "2026-11-13");
    let page = h.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Next 1:1s"), "{}", page.body);
    let ana = page.body.find("Ana Ruiz").unwrap();
    let dana = page.body.find(">Dana Whitfield<").unwrap();
    assert!(ana < dana, "never met first");
    assert!(page.body.contains("due now — no 1:1 or update on record"));
    assert!(
        page.body.contains("2026-11-20"),
        "due a cadence after the last 1:1"
    );
    assert!(page.body.contains("overdue by 3 days"));
    assert!(page.body.contains("href=\"/agenda/Dana%20Whitfield\""));
    assert!(!page.body.contains("No Rhythm"), "no cadence, no row");
}

#[tokio::test]
async fn the_openapi_document_describes_the_people_search_and_transfer_routes() {
    let h = Harness::new();
    let doc = h.api("GET", "/api/v1/openapi.json", None).await.json();
    for path in [
        "/people",
        "/people/{name}",
        "/init",
        "/search",
        "/export",
        "/import",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    assert!(doc["paths"]["/people/{name}"]["patch"].is_object());
    assert!(doc["paths"]["/people"]["post"]["responses"]["201"].is_object());
}

/// Issue #12: the email is on the person's form and the form that adds one; a bad address is
/// refused with the accepted form.
#[tokio::test]
async fn the_email_is_edited_on_the_persons_form() {
    let h = with_dana().await;
    let page = h.get("/people/Dana%20Whitfield").await;
    assert!(
        page.body
            .contains("<input type=\"email\" id=\"email\" name=\"email\"")
    );
    let a = h
        .post_form("/people/Dana%20Whitfield", &[("email", "dana@example.com")])
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let p = h.api("GET", "/api/v1/people/Dana", None).await.json();
    assert_eq!(p["email"], "dana@example.com");
    assert!(
        h.get("/people/dana")
            .await
            .body
            .contains("value=\"dana@example.com\"")
    );
    let bad = h
        .post_form("/people/Dana%20Whitfield", &[("email", "dana at example")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert!(bad.body.contains("name@host"), "{}", bad.body);
    assert!(h.get("/people").await.body.contains("id=\"add-email\""));
    let a = h
        .post_form(
            "/people",
            &[
                ("name", "Ana Ruiz"),
                ("relation", "skip"),
                ("email", "ana@example.com"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let a = h
        .api(
            "POST",
            "/api/v1/people",
            Some(json!({"name": "Kim", "relation": "peer", "email": "ANA@example.com"})),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
}
