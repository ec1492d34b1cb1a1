//! The request log: one line per request on stderr — method, path (never the query string,
//! which may hold a link's token), status, milliseconds. Nothing else of a request is ever
//! written: no header, no cookie, no body.

use axum::http::{Method, StatusCode};
use std::time::Duration;

pub fn request(method: &Method, path: &str, status: StatusCode, took: Duration) {
    // A path is the client's text: control characters would forge log lines.
    let path: String = path
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    // eprintln (not a raw write): a test in process captures it with its output.
    eprintln!("{method} {path} {} {}ms", status.as_u16(), took.as_millis());
}
