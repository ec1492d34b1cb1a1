//! `upward serve` run for real: the binary on a socket of 127.0.0.1, on the test's database and
//! clock, spoken to with an HTTP client. Stopped with SIGTERM when dropped (and it must exit 0).

use crate::harness::Env;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

pub struct Server {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub token: String,
    agent: ureq::Agent,
}

/// What a request answered.
#[allow(dead_code)] // headers: read by the tests of pages
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

#[allow(dead_code)]
impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Env {
    /// Starts `upward serve --no-open` on a free port and waits for its address.
    pub fn serve(&self) -> Server {
        let mut child = self
            .command()
            .args(["serve", "--no-open", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("upward is at ")
            .unwrap_or_else(|| panic!("the first line names the address: {line:?}"));
        let (base, token) = url.split_once("/?token=").unwrap();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .new_agent();
        Server {
            child: Some(child),
            base: base.to_string(),
            token: token.to_string(),
            agent,
        }
    }
}

#[allow(dead_code)]
impl Server {
    fn answer(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
        let mut r = r.expect("the server answers");
        let headers = r
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        Answer {
            status: r.status().as_u16(),
            body: r.body_mut().read_to_string().unwrap_or_default(),
            headers,
        }
    }

    /// A GET of the API with the bearer token.
    pub fn get(&self, path: &str) -> Answer {
        Self::answer(
            self.agent
                .get(format!("{}{path}", self.base))
                .header("Authorization", format!("Bearer {}", self.token))
                .call(),
        )
    }

    /// A GET of the API's JSON, which must answer 200.
    pub fn json(&self, path: &str) -> Value {
        let a = self.get(path);
        assert_eq!(a.status, 200, "GET {path}: {}", a.body);
        a.json()
    }

    /// A request with a JSON body and the bearer token.
    pub fn send(&self, method: &str, path: &str, body: &Value) -> Answer {
        let req = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.token))
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .unwrap();
        Self::answer(self.agent.run(req))
    }

    /// A page's form posted with the bearer token (no session: the token needs no CSRF).
    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let enc = |s: &str| -> String {
            s.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (b as char).to_string()
                    }
                    b => format!("%{b:02X}"),
                })
                .collect()
        };
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req = ureq::http::Request::builder()
            .method("POST")
            .uri(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.token))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .unwrap();
        Self::answer(self.agent.run(req))
    }

    /// A GET with no credentials, or with extra headers.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut r = self.agent.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        Self::answer(r.call())
    }

    /// Stops it with `signal` and returns its exit code.
    pub fn stop_with(mut self, signal: &str) -> Option<i32> {
        let mut child = self.child.take().unwrap();
        std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        child.wait().unwrap().code()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = std::process::Command::new("kill")
                .args(["-TERM".to_string(), child.id().to_string()])
                .status();
            let status = child.wait().unwrap();
            if !std::thread::panicking() {
                assert_eq!(
                    status.code(),
                    Some(0),
                    "upward serve stops cleanly on SIGTERM"
                );
            }
        }
    }
}
