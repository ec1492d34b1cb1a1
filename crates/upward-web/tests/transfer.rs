//! Export and import: downloads as attachments, the upload form (multipart, the CSRF token in
//! the action's query), the report, and the API; bad files are a 4xx and change nothing.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use support::*;

const BOUNDARY: &str = "XyZboundary";

/// A multipart body with the file and, when asked, the merge box.
fn multipart(file: &str, merge: bool) -> String {
    let mut b = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.json\"\r\nContent-Type: application/json\r\n\r\n{file}\r\n"
    );
    if merge {
        b.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"merge\"\r\n\r\ntrue\r\n"
        ));
    }
    b.push_str(&format!("--{BOUNDARY}--\r\n"));
    b
}

async fn upload(h: &Harness, csrf: Option<&str>, body: String) -> Answer {
    let path = match csrf {
        Some(c) => format!("/transfer/import?csrf={c}"),
        None => "/transfer/import".to_string(),
    };
    h.send(
        Request::post(path)
            .header(header::HOST, HOST)
            .header(header::COOKIE, h.cookie.clone().unwrap())
            .header(header::ORIGIN, ORIGIN)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

async fn source() -> Harness {
    let mut h = Harness::new();
    h.login().await;
    h.api(
        "POST",
        "/api/v1/init",
        Some(json!({"me": "Alex", "manager": "Dana <b>W</b>"})),
    )
    .await;
    h.api(
        "PATCH",
        "/api/v1/people/Dana",
        Some(json!({"goals": "Ship <script>x</script>"})),
    )
    .await;
    h
}

#[tokio::test]
async fn the_export_downloads_as_json_and_markdown_attachments() {
    let h = source().await;
    let page = h.get("/transfer").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    assert!(page.body.contains(&format!(
        "action=\"/transfer/import?csrf={}\"",
        h.csrf.clone().unwrap()
    )));
    let j = h.get("/transfer/export.json").await;
    assert_eq!(j.status, StatusCode::OK);
    assert_eq!(
        j.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"upward-export-2026-11-23.json\""
    );
    assert_eq!(j.json()["people"].as_array().unwrap().len(), 2);
    let api = h.api("GET", "/api/v1/export", None).await;
    assert_eq!(api.body, j.body, "the same text as the download");
    let md = h.get("/transfer/export.md").await;
    assert!(
        md.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/markdown")
    );
    assert!(
        md.body.contains("### Dana <b>W</b> (manager)"),
        "markdown is text, not a page"
    );
}

#[tokio::test]
async fn an_uploaded_export_is_imported_and_the_report_shown() {
    let from = source().await;
    let export = from.get("/transfer/export.json").await.body;
    let mut h = Harness::new();
    h.login().await;
    let csrf = h.csrf.clone().unwrap();
    let a = upload(&h, Some(&csrf), multipart(&export, false)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let to = a.headers[header::LOCATION].to_str().unwrap().to_string();
    let page = h.get(&to).await;
    assert!(
        page.body.contains("Imported 2 people (0 updated), 0 items"),
        "{}",
        page.body
    );
    assert!(page.body.contains("People added"));
    let people = h.api("GET", "/api/v1/people", None).await.json();
    assert_eq!(people.as_array().unwrap().len(), 2);
    // Again without merge: the workspace is not empty.
    let again = upload(&h, Some(&csrf), multipart(&export, false)).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.body);
    assert!(again.body.contains("role=\"alert\""));
    // With merge: nothing new.
    let merged = upload(&h, Some(&csrf), multipart(&export, true)).await;
    assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.body);
    let page = h
        .get(merged.headers[header::LOCATION].to_str().unwrap())
        .await;
    assert!(page.body.contains("Imported 0 people"), "{}", page.body);
}

#[tokio::test]
async fn bad_uploads_are_refused_and_change_nothing() {
    let mut h = Harness::new();
    h.login().await;
    let csrf = h.csrf.clone().unwrap();
    let no_csrf = upload(&h, None, multipart("{}", false)).await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    let cases = [
        multipart("", false),
        multipart("{nope", false),
        multipart("<script>alert(1)</script>", false),
        multipart(
            &json!({"format": "something else", "version": 3}).to_string(),
            false,
        ),
        multipart(
            &json!({"format": "upward-export", "version": 999}).to_string(),
            false,
        ),
        multipart(&"x".repeat(1 << 20), false),
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--{BOUNDARY}--\r\n"
        ),
        "not multipart at all".to_string(),
    ];
    for body in cases {
        let a = upload(&h, Some(&csrf), body.clone()).await;
        assert!(
            a.status.is_client_error(),
            "{}: {}",
            &body[..body.len().min(80)],
            a.body
        );
        assert!(a.body.contains("role=\"alert\""));
        assert!(!a.body.contains("<script>alert"));
    }
    let bytes = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\n\u{0}\u{ff}\r\n--{BOUNDARY}--\r\n"
    );
    assert!(
        upload(&h, Some(&csrf), bytes)
            .await
            .status
            .is_client_error()
    );
    assert_eq!(h.api("GET", "/api/v1/people", None).await.json(), json!([]));
    let odd = h.get("/transfer?people_added=-1&items_added=x").await;
    assert_eq!(
        odd.status,
        StatusCode::OK,
        "a report that does not read is not shown"
    );
    assert!(!odd.body.contains("id=\"report\""));
}

#[tokio::test]
async fn the_api_imports_an_export_and_refuses_bad_ones() {
    let from = source().await;
    let export = from.api("GET", "/api/v1/export", None).await.json();
    let h = Harness::new();
    let a = h.api("POST", "/api/v1/import", Some(export.clone())).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["people_added"], 2);
    let again = h
        .api("POST", "/api/v1/import?merge=false", Some(export.clone()))
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(
        again.json()["error"]
            .as_str()
            .unwrap()
            .contains("not empty")
    );
    let merged = h
        .api("POST", "/api/v1/import?merge=true", Some(export))
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.body);
    assert_eq!(merged.json()["people_added"], 0);
    for (path, body) in [
        ("/api/v1/import?merge=maybe", json!({})),
        ("/api/v1/import", json!({})),
        ("/api/v1/import", json!([1])),
        ("/api/v1/import", json!("<script>")),
        (
            "/api/v1/import",
            json!({"format": "upward-export", "version": -1}),
        ),
    ] {
        let a = h.api("POST", path, Some(body.clone())).await;
        assert_eq!(
            a.status,
            StatusCode::BAD_REQUEST,
            "{path} {body}: {}",
            a.body
        );
        assert!(a.json()["error"].is_string());
    }
}
