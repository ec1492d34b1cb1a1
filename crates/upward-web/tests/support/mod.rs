//! In-process harness: the router over a real SQLite file in a temp dir, on a fixed clock,
//! driven with `tower::ServiceExt::oneshot` (no socket).

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use std::path::PathBuf;
use std::sync::Arc;
use tower::ServiceExt;
use upward_domain::Clock;
use upward_store::Store;
use upward_store_sqlite::SqliteStore;
use upward_web::{AppState, Secrets, Workspace};

pub const PORT: u16 = 4799;
pub const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
pub const HOST: &str = "127.0.0.1:4799";
pub const ORIGIN: &str = "http://127.0.0.1:4799";

struct TestWorkspace {
    db: PathBuf,
    clock: Clock,
}

impl Workspace for TestWorkspace {
    fn open_read(&self) -> anyhow::Result<Box<dyn Store>> {
        Ok(Box::new(SqliteStore::open_read_only(&self.db)?))
    }
    fn open_write(&self) -> anyhow::Result<Box<dyn Store>> {
        Ok(Box::new(SqliteStore::open(&self.db)?))
    }
    fn clock(&self) -> Clock {
        self.clock
    }
}

pub struct Harness {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub app: Router,
    /// The session cookie (`upward_4799=…`) and its CSRF token, after [`Harness::login`].
    pub cookie: Option<String>,
    pub csrf: Option<String>,
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Harness {
    /// A new workspace on the clock `2026-11-23T09:00:00Z`.
    pub fn new() -> Harness {
        Harness::at("2026-11-23T09:00:00Z")
    }

    pub fn at(now: &str) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("upward.db");
        SqliteStore::open(&db).unwrap();
        let ws = Arc::new(TestWorkspace {
            db: db.clone(),
            clock: Clock::fixed(now).unwrap(),
        });
        let app = upward_web::router(AppState::new(ws, Secrets::fixed(PORT, TOKEN)));
        Harness {
            dir,
            db,
            app,
            cookie: None,
            csrf: None,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response: Response<Body> = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// Opens the token URL, keeps the cookie, and reads the CSRF token off Today.
    pub async fn login(&mut self) {
        let a = self
            .send(
                Request::get(format!("/?token={TOKEN}"))
                    .header(header::HOST, HOST)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let set = a.headers[header::SET_COOKIE].to_str().unwrap().to_string();
        self.cookie = Some(set.split(';').next().unwrap().to_string());
        let page = self.get("/").await;
        let at = page
            .body
            .find("name=\"csrf-token\" content=\"")
            .expect("the CSRF meta tag")
            + "name=\"csrf-token\" content=\"".len();
        self.csrf = Some(page.body[at..at + 64].to_string());
    }

    fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST);
        if let Some(c) = &self.cookie {
            b = b.header(header::COOKIE, c);
        }
        b
    }

    /// A GET with the session cookie.
    pub async fn get(&self, path: &str) -> Answer {
        self.send(self.request("GET", path).body(Body::empty()).unwrap())
            .await
    }

    /// A form posted as a page of this server posts it: cookie, Origin and CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let csrf = self.csrf.clone().unwrap_or_default();
        all.push(("csrf", &csrf));
        let body = serde_urlencoded::to_string(&all).unwrap();
        self.send(
            self.request("POST", path)
                .header(header::ORIGIN, ORIGIN)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// An API call with the bearer token.
    pub async fn api(&self, method: &str, path: &str, json: Option<serde_json::Value>) -> Answer {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST)
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
        let body = match json {
            Some(v) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(b.body(body).unwrap()).await
    }
}
