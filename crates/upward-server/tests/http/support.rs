//! In-process harness: the router over a real server database — SQLite on a temp file, or
//! PostgreSQL from `UPWARD_TEST_POSTGRES` — driven with `tower::ServiceExt::oneshot` (no
//! socket). Every test runs on both backends through [`both!`], each with fresh accounts
//! (unique emails), so tests can share the PostgreSQL cluster.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;
use upward_server::admin;
use upward_server::passwords::{Cost, Passwords};
use upward_server::{AppState, ServerClock, ServerConfig};
use upward_server_store::{Account, ServerStore};

pub const HOST: &str = "127.0.0.1:8080";
pub const ORIGIN: &str = "http://127.0.0.1:8080";
pub const PASSWORD: &str = "correct horse battery staple";

/// Runs `$body(h: Harness)` as two tests, `sqlite` and `postgres`, in a module `$name`.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let h = $crate::support::Harness::new($crate::support::Backend::Sqlite, None)
                    .await
                    .expect("sqlite always runs");
                super::$body(h).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(h) =
                    $crate::support::Harness::new($crate::support::Backend::Postgres, None).await
                {
                    super::$body(h).await;
                }
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The test server's URL. Without one, a test on a laptop is skipped, loudly; in CI (`CI`
/// set) and under `UPWARD_NO_SKIP` it fails, so that neither can pass by skipping.
pub fn postgres_url() -> Option<String> {
    match std::env::var("UPWARD_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() || std::env::var_os("UPWARD_NO_SKIP").is_some() => {
            panic!(
                "UPWARD_TEST_POSTGRES is not set, and CI or UPWARD_NO_SKIP is: the PostgreSQL \
                 tests must run (scripts/postgres run cargo test starts a server for them)"
            )
        }
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: PostgreSQL tests need UPWARD_TEST_POSTGRES (run scripts/postgres run cargo test)"
            );
            None
        }
    }
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `error` of a JSON refusal.
    pub fn error(&self) -> String {
        self.json()["error"]
            .as_str()
            .unwrap_or_else(|| panic!("no error: {}", self.body))
            .to_string()
    }

    /// The value of the hidden `csrf` field of the page's first form.
    pub fn csrf_field(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .unwrap_or_else(|| panic!("no CSRF field in: {}", self.body))
            + "name=\"csrf\" value=\"".len();
        self.body[at..at + 64].to_string()
    }
}

pub struct Harness {
    pub backend: Backend,
    pub app: Router,
    /// Taken by `drop` (see there).
    store: Option<Arc<dyn ServerStore>>,
    pub passwords: Arc<Passwords>,
    /// The browser's session cookie (`name=value`) and the CSRF token of its last page.
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    /// The peer address requests come from.
    pub peer: SocketAddr,
    _dir: tempfile::TempDir,
}

impl Drop for Harness {
    /// The app and the store are dropped on a thread of their own: the PostgreSQL client
    /// closes its connections by blocking, which a test's runtime thread must not do.
    fn drop(&mut self) {
        let app = std::mem::replace(&mut self.app, Router::new());
        let store = self.store.take();
        let _ = std::thread::spawn(move || {
            drop(app);
            drop(store);
        })
        .join();
    }
}

impl Harness {
    /// A server on `backend` (None: PostgreSQL is not configured and the test skips), with
    /// `config` or the default one (listen 127.0.0.1:8080).
    pub async fn new(backend: Backend, config: Option<ServerConfig>) -> Option<Harness> {
        let dir = tempfile::tempdir().unwrap();
        let url = match backend {
            Backend::Sqlite => format!("sqlite://{}", dir.path().join("server.db").display()),
            Backend::Postgres => postgres_url()?,
        };
        Some(Harness::open(backend, url, dir, config).await)
    }

    /// A server on the PostgreSQL database at `url`.
    pub async fn at_url(url: String) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        Harness::open(Backend::Postgres, url, dir, None).await
    }

    async fn open(
        backend: Backend,
        url: String,
        dir: tempfile::TempDir,
        config: Option<ServerConfig>,
    ) -> Harness {
        let u = url.clone();
        let store = tokio::task::spawn_blocking(move || upward_server_store::open(&u))
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("opening {backend:?}: {e}"));
        let config = config
            .map(|mut c| {
                c.database = url.clone();
                c
            })
            .unwrap_or_else(|| ServerConfig::new(&url, None, None, None).unwrap());
        let state = AppState::new(
            store.clone(),
            config,
            ServerClock::fixed("2026-11-23T09:00:00Z".parse().unwrap()),
            Cost::MINIMUM,
        )
        .await
        .unwrap();
        Harness {
            backend,
            app: upward_server::router(state),
            store: Some(store),
            passwords: Arc::new(Passwords::new(Cost::MINIMUM)),
            cookie: None,
            csrf: None,
            peer: "127.0.0.1:50000".parse().unwrap(),
            _dir: dir,
        }
    }

    pub fn store(&self) -> Arc<dyn ServerStore> {
        self.store.clone().expect("the store until drop")
    }

    /// Requests come from another address from now on.
    pub fn new_peer(&mut self) {
        let b = *uuid::Uuid::new_v4().as_bytes();
        self.peer = SocketAddr::from(([10, b[0], b[1], b[2]], 40000));
    }

    /// A fresh email (tests share the PostgreSQL database).
    pub fn email(who: &str) -> String {
        format!("{who}-{}@example.com", uuid::Uuid::new_v4().simple())
    }

    /// A new account with [`PASSWORD`].
    pub async fn account(&self, who: &str) -> Account {
        self.account_with(who, Some(PASSWORD)).await
    }

    pub async fn account_with(&self, who: &str, password: Option<&str>) -> Account {
        let email = Self::email(who);
        let name = format!("{who} Tester");
        let store = self.store();
        let p = self.passwords.clone();
        let password = password.map(str::to_string);
        tokio::task::spawn_blocking(move || {
            admin::add_user(&*store, &p, &email, &name, password.as_deref())
                .unwrap()
                .account
        })
        .await
        .unwrap()
    }

    /// A one-time link's token for `email` (as `reset-password` makes).
    pub async fn link(&self, email: &str) -> String {
        let store = self.store();
        let email = email.to_string();
        tokio::task::spawn_blocking(move || admin::reset_password(&*store, &email).unwrap())
            .await
            .unwrap()
    }

    /// Runs a closure on the store, off the async threads.
    pub async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn ServerStore) -> T + Send + 'static,
    ) -> T {
        let store = self.store();
        tokio::task::spawn_blocking(move || f(&*store))
            .await
            .unwrap()
    }

    /// Sends a request as it arrives from [`Harness::peer`], and keeps the session cookie
    /// the answer sets (or removes).
    pub async fn send(&mut self, mut request: Request<Body>) -> Answer {
        request.extensions_mut().insert(ConnectInfo(self.peer));
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        for set in headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap().to_string();
            let removed = set.contains("Max-Age=0") || pair.ends_with('=');
            self.cookie = if removed { None } else { Some(pair) };
        }
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
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
    pub async fn get(&mut self, path: &str) -> Answer {
        let r = self.request("GET", path).body(Body::empty()).unwrap();
        self.send(r).await
    }

    /// A form posted as a page of this server posts it: cookie, Origin and the CSRF token.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let csrf = self.csrf.clone().unwrap_or_default();
        all.push(("csrf", &csrf));
        let body = serde_urlencoded::to_string(&all).unwrap();
        let r = self
            .request("POST", path)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(r).await
    }

    /// An API call with a bearer token (no cookie).
    pub async fn api(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        json: Option<serde_json::Value>,
    ) -> Answer {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match json {
            Some(v) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        let r = b.body(body).unwrap();
        self.send(r).await
    }

    /// Opens the sign-in page (a session with its CSRF token) and keeps the token.
    pub async fn open_login(&mut self) -> Answer {
        let page = self.get("/login").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        self.csrf = Some(page.csrf_field());
        page
    }

    /// Signs in through the page (and keeps the new session's CSRF token from Home).
    pub async fn login(&mut self, email: &str, password: &str) -> Answer {
        self.open_login().await;
        let a = self
            .post_form("/login", &[("email", email), ("password", password)])
            .await;
        if a.status == StatusCode::SEE_OTHER {
            let home = self.get("/").await;
            assert_eq!(home.status, StatusCode::OK, "{}", home.body);
            self.csrf = Some(home.csrf_field());
        }
        a
    }

    /// Signs in through the API: the token.
    pub async fn token(&mut self, email: &str, password: &str) -> String {
        let a = self
            .api(
                "POST",
                "/api/v1/login",
                None,
                Some(serde_json::json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        a.json()["token"].as_str().unwrap().to_string()
    }
}
