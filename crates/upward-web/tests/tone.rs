//! The tone check on the pages (docs/tone.md): "Before you send this" after an item is added
//! or edited, under a decline's and an update's draft, the jargon of an update to a reader who
//! is not technical; the three-line brief on the Update page; `/check` and `POST
//! /api/v1/check`. Every flag escaped; a clean text flags nothing.

mod sample;
mod support;

use axum::http::StatusCode;
use sample::*;
use serde_json::json;
use support::*;
use upward_domain::tone::{Lexicon, check, check_feedback};

/// Feedback that shouts and says "always".
const LOUD: &str = "You ALWAYS ignore my PRs!!";
/// The same said as constructive feedback asks it to be said.
const CLEAN: &str = "On Tuesday the review came after the freeze, so fixes slipped a week. \
                     Could we agree a review slot before the freeze?";
const HEADING: &str = r#"<h2 id="tone-flags">Before you send this</h2>"#;

async fn ready() -> Harness {
    let mut h = Harness::new();
    tour(&h.db);
    h.login().await;
    h
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)]).unwrap()[2..].to_string()
}

/// A text as maud writes it into a page.
fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page shows each flag of `warnings`: its rule in words, the words found and the
/// suggestion, escaped, in one section named by its heading.
#[track_caller]
fn shows_flags(body: &str, rules: &[&str], found: &[&str]) {
    assert!(body.contains(HEADING), "no flags section: {body}");
    assert!(
        body.contains(r#"<section class="warning tone" aria-labelledby="tone-flags">"#),
        "the section is named by its heading"
    );
    for rule in rules {
        assert!(body.contains(&format!("<strong>{rule}</strong>")), "{rule}");
    }
    for f in found {
        assert!(body.contains(&format!(": “{}”. ", html(f))), "found {f}");
    }
    escaped_only(body);
}

/// Follows a 303 and answers the page it points to.
async fn follow(h: &Harness, a: &Answer) -> Answer {
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let to = a.headers["location"].to_str().unwrap().to_string();
    h.get(&to).await
}

#[tokio::test]
async fn an_item_added_or_edited_through_its_page_shows_its_flags_until_the_words_change() {
    let h = ready().await;
    let added = h
        .post_form(
            "/items",
            &[
                ("kind", "feedback"),
                ("title", LOUD),
                ("direction", "given"),
            ],
        )
        .await;
    let page = follow(&h, &added).await;
    assert_eq!(page.status, StatusCode::OK);
    shows_flags(
        &page.body,
        &["Absolute word", "Shouting"],
        &["ALWAYS", "!!"],
    );
    // The suggestion as the domain words it, escaped.
    let warnings = check(LOUD, &Lexicon::builtin());
    for w in &warnings {
        assert!(page.body.contains(&html(&w.suggestion)), "{}", w.suggestion);
    }
    assert!(
        page.body
            .contains(&format!("{} tone flags", warnings.len()))
    );
    // The same flags as the API answers for the item.
    let id = added.headers["location"].to_str().unwrap()[7..].to_string();
    let edit = h
        .post_form(&format!("/items/{id}"), &[("title", CLEAN), ("body", "")])
        .await;
    let page = follow(&h, &edit).await;
    assert!(page.body.contains("Could we agree a review slot"));
    assert!(
        !page.body.contains("Before you send this"),
        "clean: no flags"
    );

    // Constructive feedback that asks nothing of the future; hostile words are escaped, the
    // feedback itself being what `past_only` found.
    let hostile = format!("You never <script>alert(1)</script> {SCRIPT}");
    let added = h
        .post_form(
            "/items",
            &[
                ("kind", "feedback"),
                ("title", &hostile),
                ("tone", "constructive"),
            ],
        )
        .await;
    let page = follow(&h, &added).await;
    shows_flags(&page.body, &["Blame", "Only the past"], &["You never"]);
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    // A blocker's ask is checked; feedback received (their words) is not.
    let added = h
        .post_form(
            "/items",
            &[
                ("kind", "blocker"),
                ("title", "No staging DB"),
                ("ask", "Obviously approve INFRA-2231"),
            ],
        )
        .await;
    shows_flags(&follow(&h, &added).await.body, &["Sarcasm"], &["Obviously"]);
    let added = h
        .post_form(
            "/items",
            &[
                ("kind", "feedback"),
                ("title", LOUD),
                ("direction", "received"),
            ],
        )
        .await;
    assert!(
        !follow(&h, &added)
            .await
            .body
            .contains("Before you send this")
    );
}

#[tokio::test]
async fn the_hints_of_an_add_show_once_on_the_item_page() {
    let h = ready().await;
    let added = h
        .post_form("/items", &[("kind", "risk"), ("title", "Vendor sunset")])
        .await;
    let to = added.headers["location"].to_str().unwrap().to_string();
    let page = follow(&h, &added).await;
    assert!(
        page.body
            .contains(r#"<section class="warning" aria-labelledby="add-hints">"#),
        "{}",
        page.body
    );
    assert!(page.body.contains("This risk has no mitigation"));
    assert!(page.body.contains(&format!(r#"href="{to}#mitigation""#)));
    let again = h.get(&to).await;
    assert!(!again.body.contains("This risk has no mitigation"), "once");
    // An add with nothing to say shows no hint.
    let added = h
        .post_form(
            "/items",
            &[
                ("kind", "risk"),
                ("title", "Disk"),
                ("mitigation", "Alert at 80%"),
            ],
        )
        .await;
    assert!(!follow(&h, &added).await.body.contains("add-hints"));
}

#[tokio::test]
async fn the_decline_draft_shows_the_flags_of_its_reason_and_alternatives() {
    let h = ready().await;
    let flagged = format!(
        "/decline?title=Hackathon&from=Dana&reason={}&alternative={}",
        urlencode(LOUD),
        urlencode("Obviously <b>judge</b> it")
    );
    let d = h.get(&flagged).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    shows_flags(
        &d.body,
        &["Absolute word", "Shouting", "Sarcasm"],
        &["ALWAYS", "!!", "Obviously"],
    );
    assert!(!d.body.contains("<b>judge"));
    let api = h
        .api("GET", &format!("/api/v1{}", &flagged[..]), None)
        .await;
    assert_eq!(api.json()["warnings"].as_array().unwrap().len(), 4);
    let clean = format!(
        "/decline?title=Hackathon&from=Dana&reason={}",
        urlencode("the billing migration needs me until March")
    );
    let d = h.get(&clean).await;
    assert_eq!(d.status, StatusCode::OK);
    assert!(!d.body.contains("Before you send this"));
    assert!(d.body.contains(r#"href="/check""#));
}

#[tokio::test]
async fn the_update_page_offers_the_brief_and_flags_tone_and_jargon() {
    let h = ready().await;
    let a = h
        .api(
            "POST",
            "/api/v1/items",
            Some(json!({"kind": "win", "title": "We ALWAYS cut p99 latency!!", "date": "-1d"})),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    // A technical reader: tone only.
    let page = h.get("/update?channel=chat&length=brief").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    shows_flags(&page.body, &["Absolute word", "Shouting"], &["ALWAYS"]);
    assert!(!page.body.contains("<strong>Jargon</strong>"));
    // Not technical: the jargon too, as the API's `warnings` have it.
    let set = h
        .api(
            "PATCH",
            "/api/v1/people/Dana%20Whitfield",
            Some(json!({"technical": "no"})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let page = h.get("/update?channel=chat&length=brief").await;
    shows_flags(&page.body, &["Jargon"], &["p99", "latency"]);
    let api = h
        .api("GET", "/api/v1/update?channel=chat&length=brief", None)
        .await
        .json();
    for w in api["warnings"].as_array().unwrap() {
        assert!(
            page.body.contains(&html(w["suggestion"].as_str().unwrap())),
            "{w}"
        );
    }

    // The brief, chosen: a link beside each channel and length, and its three lines.
    assert!(
        page.body
            .contains(r#"href="/update/Dana%20Whitfield?channel=email&amp;brief=1""#)
    );
    let brief = h
        .get("/update/Dana%20Whitfield?channel=email&brief=1")
        .await;
    assert_eq!(brief.status, StatusCode::OK, "{}", brief.body);
    assert!(brief.body.contains("Headline: "), "{}", brief.body);
    assert!(brief.body.contains("Decision needed: "));
    assert!(brief.body.contains("Risk: "));
    assert!(brief.body.contains("The draft (email, three-line brief)"));
    assert!(brief.body.contains(
        r#"<a href="/update/Dana%20Whitfield?channel=email&amp;brief=1" aria-current="page">"#
    ));
    assert!(
        !brief.body.contains("is an executive"),
        "asked for, not by default"
    );
    let api = h
        .api(
            "GET",
            "/api/v1/update/Dana%20Whitfield?channel=email&brief=1",
            None,
        )
        .await
        .json();
    assert!(api["brief"]["headline"].is_string(), "{api}");
    assert!(brief.body.contains(&html(api["text"].as_str().unwrap())));
    // The brief has no length: both together are refused, as on the command line.
    let both = h.get("/update?brief=1&length=detailed").await;
    assert_eq!(both.status, StatusCode::BAD_REQUEST);
    assert!(both.body.contains("role=\"alert\""));
    let both = h
        .api("GET", "/api/v1/update?brief=1&length=detailed", None)
        .await;
    assert_eq!(both.status, StatusCode::BAD_REQUEST);
    assert!(both.json()["error"].is_string());
    // The sections again, in a length.
    let sections = h.get("/update?channel=email&length=brief").await;
    assert!(!sections.body.contains("Headline: "));
}

#[tokio::test]
async fn an_executive_gets_the_brief_by_default_and_mark_as_sent_records_it() {
    let h = ready().await;
    let a = h
        .api(
            "POST",
            "/api/v1/people",
            Some(json!({"name": "Ana Ruiz", "relation": "skip"})),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let set = h
        .api(
            "PATCH",
            "/api/v1/people/Ana%20Ruiz",
            Some(json!({"exec": "yes"})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let page = h.get("/update/Ana%20Ruiz").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Headline: "), "{}", page.body);
    assert!(page.body.contains("is an executive"));
    assert!(
        page.body
            .contains(r#"<input type="hidden" name="brief" value="1">"#)
    );
    assert!(
        !page.body.contains(r#"name="length""#),
        "the brief is sent as drawn"
    );
    // A length chosen gives the sections, as `update --length` does.
    let sections = h
        .get("/update/Ana%20Ruiz?channel=email&length=detailed")
        .await;
    assert!(!sections.body.contains("Headline: "));
    assert!(
        sections
            .body
            .contains(r#"<input type="hidden" name="length" value="detailed">"#)
    );

    let drawn = h.api("GET", "/api/v1/update/Ana%20Ruiz", None).await.json();
    let sent = h
        .post_form(
            "/update/Ana%20Ruiz/sent",
            &[("channel", "chat"), ("brief", "1")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let to = sent.headers["location"].to_str().unwrap();
    assert!(to.contains("brief=1") && to.contains("sent=1"), "{to}");
    let export = h.api("GET", "/api/v1/export", None).await.json();
    let texts: Vec<&str> = export["updates"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["text"].as_str())
        .collect();
    assert!(
        texts.contains(&drawn["text"].as_str().unwrap()),
        "the brief as drawn was recorded: {texts:?}"
    );
}

#[tokio::test]
async fn the_check_page_flags_any_text_and_says_when_there_is_none() {
    let h = ready().await;
    let form = h.get("/check").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains(r#"<label for="check-text">"#));
    assert!(form.body.contains(r#"<label for="check-feedback">"#));
    assert!(form.body.contains(r#"name="csrf""#));
    assert!(!form.body.contains("No tone flags."));
    assert!(h.get("/update").await.body.contains(r#"href="/check""#));

    let loud = format!("{LOUD} {SCRIPT}");
    let a = h.post_form("/check", &[("text", &loud)]).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    shows_flags(&a.body, &["Absolute word", "Shouting"], &["ALWAYS", "!!"]);
    assert!(a.body.contains(&html(&loud)), "the text stays in the form");
    assert!(!a.body.contains("<strong>Only the past</strong>"));
    let a = h
        .post_form("/check", &[("text", &loud), ("feedback", "1")])
        .await;
    shows_flags(&a.body, &["Only the past"], &[]);
    assert!(a.body.contains(r#"value="1" checked"#));
    let a = h
        .post_form("/check", &[("text", CLEAN), ("feedback", "1")])
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.body
            .contains(r#"<p class="notice" role="status">No tone flags.</p>"#)
    );
    assert!(!a.body.contains("Before you send this"));
    // Without the CSRF token it is refused, as every form is.
    let bare = h
        .send(
            axum::http::Request::post("/check")
                .header(axum::http::header::HOST, HOST)
                .header(axum::http::header::ORIGIN, ORIGIN)
                .header(axum::http::header::COOKIE, h.cookie.clone().unwrap())
                .header(
                    axum::http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(axum::body::Body::from("text=STOP"))
                .unwrap(),
        )
        .await;
    assert_eq!(bare.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_check_api_answers_the_domain_check_and_refuses_bad_bodies() {
    let h = ready().await;
    let lex = Lexicon::builtin();
    for (text, feedback) in [
        (LOUD, false),
        (LOUD, true),
        (CLEAN, true),
        ("Obviously the API is down AGAIN!!", false),
        ("", false),
    ] {
        let a = h
            .api(
                "POST",
                "/api/v1/check",
                Some(json!({"text": text, "feedback": feedback})),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let want = if feedback {
            check_feedback(text, &lex)
        } else {
            check(text, &lex)
        };
        assert_eq!(a.body, upward_render::tone::check_json(&want).to_string());
    }
    let none = h
        .api("POST", "/api/v1/check", Some(json!({"text": CLEAN})))
        .await;
    assert_eq!(none.json(), json!({"warnings": []}));
    for bad in [
        json!({}),
        json!({"text": 3}),
        json!({"text": "x", "feedback": "yes"}),
        json!({"text": "x", "tone": "constructive"}),
        json!(["x"]),
        json!({"text": "bell \u{7}"}),
    ] {
        let a = h.api("POST", "/api/v1/check", Some(bad.clone())).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}: {}", a.body);
        assert!(a.json()["error"].is_string(), "{bad}");
    }
    let spec = h.api("GET", "/api/v1/openapi.json", None).await.json();
    assert_eq!(spec["paths"]["/check"]["post"]["operationId"], "check");
}
