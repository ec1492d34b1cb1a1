//! The database going away and coming back (PostgreSQL, through a TCP relay this test can cut):
//! `/healthz` answers 503 and the API `{"error"}` 503 while it is away, and the server recovers
//! by itself when it is back — no restart.

use crate::support::*;
use axum::http::StatusCode;
use std::io::ErrorKind;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A TCP relay on 127.0.0.1 to `target` that can be cut (listener closed, every connection
/// shut) and restored on the same port.
struct Relay {
    target: SocketAddr,
    port: u16,
    running: Option<(Arc<AtomicBool>, std::thread::JoinHandle<()>)>,
    conns: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn start(target: SocketAddr) -> Relay {
        let mut r = Relay {
            target,
            port: 0,
            running: None,
            conns: Arc::new(Mutex::new(Vec::new())),
        };
        r.up();
        r
    }

    fn up(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("the relay's port");
        self.port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let (s, conns, target) = (stop.clone(), self.conns.clone(), self.target);
        let accept = std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        client.set_nonblocking(false).unwrap();
                        let Ok(server) = TcpStream::connect(target) else {
                            continue;
                        };
                        let mut all = conns.lock().unwrap();
                        all.push(client.try_clone().unwrap());
                        all.push(server.try_clone().unwrap());
                        pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
                        pipe(server, client);
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err(_) => break,
                }
            }
        });
        self.running = Some((stop, accept));
    }

    fn down(&mut self) {
        if let Some((stop, accept)) = self.running.take() {
            stop.store(true, Ordering::SeqCst);
            accept.join().unwrap();
        }
        for c in self.conns.lock().unwrap().drain(..) {
            let _ = c.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.down();
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from, &mut to);
        let _ = to.shutdown(Shutdown::Both);
    });
}

/// `postgres://user:password@HOST:PORT/db` → its address, and the same URL at `port` on
/// 127.0.0.1.
fn through(url: &str, port: u16) -> (SocketAddr, String) {
    let (head, rest) = url.rsplit_once('@').expect("a URL with a user");
    let (hostport, tail) = rest.split_once('/').expect("a database name");
    let target: SocketAddr = hostport
        .parse()
        .expect("an IP:PORT host (scripts/postgres)");
    (target, format!("{head}@127.0.0.1:{port}/{tail}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_answers_503_while_postgres_is_away_and_recovers_by_itself() {
    let Some(url) = postgres_url() else { return };
    let (target, _) = through(&url, 0);
    let mut relay = Relay::start(target);
    let (_, relayed) = through(&url, relay.port);
    let mut h = Harness::at_url(relayed).await;
    let a = h.account("away").await;
    let token = h.token(&a.email, PASSWORD).await;
    assert_eq!(h.get("/healthz").await.status, StatusCode::OK);

    relay.down();
    let health = h.get("/healthz").await;
    assert_eq!(
        health.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        health.body
    );
    assert_eq!(health.json()["status"], "unavailable");
    let me = h.api("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(me.status, StatusCode::SERVICE_UNAVAILABLE, "{}", me.body);
    assert!(me.error().contains("unavailable"), "{}", me.body);
    let page = h.get("/login").await;
    assert_eq!(
        page.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        page.body
    );
    assert!(
        page.body.contains("role=\"alert\""),
        "a page: {}",
        page.body
    );

    relay.up();
    let mut ok = false;
    for _ in 0..50 {
        if h.get("/healthz").await.status == StatusCode::OK {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(ok, "healthy again without a restart");
    let me = h.api("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
}
