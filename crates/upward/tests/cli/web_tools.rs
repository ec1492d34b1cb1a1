//! Where the outside tools of the tests of `upward serve` are (Chromium, chromedriver, axe-core,
//! schemathesis), and the skip rule.
//!
//! `scripts/web-tools` installs and checks them and prints their paths as `UPWARD_*` variables;
//! `scripts/test` (and so CI) exports those before `cargo test`. A bare `cargo test` on a laptop
//! without them skips the suites that need them, saying so on stderr; with `UPWARD_NO_SKIP` (set
//! by scripts/test) or `CI` set, a missing tool fails the test instead, so that neither can pass
//! by skipping.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The file named by the environment variable `var` (one `scripts/web-tools` prints), or `None`
/// (the caller skips) when it is not set on a laptop. Panics when it is set but the file is not
/// there, or when it is not set and skipping is not allowed.
pub fn tool(var: &str, suite: &str) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(path) if !path.is_empty() => {
            let path = PathBuf::from(path);
            assert!(
                path.is_file(),
                "{var}={} is not a file: run scripts/web-tools again",
                path.display()
            );
            Some(path)
        }
        _ if skipping_forbidden() => panic!(
            "{var} is not set, and CI or UPWARD_NO_SKIP is: the {suite} must run \
             (scripts/test sets it from scripts/web-tools: eval \"$(scripts/web-tools)\")"
        ),
        _ => {
            // Straight to the process's stderr: the test harness swallows the output of a test
            // that passes, and a skip must be seen.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: the {suite} need {var} (run: eval \"$(scripts/web-tools)\"; scripts/test does)"
            );
            None
        }
    }
}

fn skipping_forbidden() -> bool {
    std::env::var_os("CI").is_some() || std::env::var_os("UPWARD_NO_SKIP").is_some()
}

/// What a [`TinyServer`] answers to a request for a path: status, content type, body.
pub type Handler = fn(&str) -> (u16, &'static str, String);

/// A few fixed answers served from a std TcpListener on 127.0.0.1 for the test's duration, one
/// connection at a time (each closed after its answer): the bad page the axe check must fail,
/// the broken API schemathesis must catch. Stops when dropped, or by itself after two minutes.
pub struct TinyServer {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TinyServer {
    pub fn serve(handler: Handler) -> TinyServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().expect("its address"));
        listener
            .set_nonblocking(true)
            .expect("a nonblocking socket");
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(120);
            while !stopped.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => answer(stream, handler),
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        TinyServer {
            base,
            stop,
            thread: Some(thread),
        }
    }
}

/// Reads one request's head and answers it (and closes the connection).
fn answer(stream: std::net::TcpStream, handler: Handler) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    let _ = reader.read_line(&mut request_line);
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (status, content_type, body) = handler(path);
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Internal Server Error",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut stream = &stream;
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}

impl Drop for TinyServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
