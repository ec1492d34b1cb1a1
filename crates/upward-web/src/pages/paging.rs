//! Long lists a hundred to a page (`?page=N`, from 1), the other query parameters kept in the
//! links: a workspace of years holds thousands of open items and hundreds of 1:1s, and a page
//! stays light (under 100 KB) and quick to read with a screen reader. The API answers every
//! one, as the command line does.

use crate::error::WebError;
use crate::pages::input::{self, Pairs};
use maud::{Markup, html};

/// The most rows one page shows.
pub const PAGE: usize = 100;

/// The page asked for (`?page=N`, from 1), or a one-line 400.
pub fn number(pairs: &Pairs) -> Result<usize, WebError> {
    match input::get(pairs, "page") {
        None => Ok(1),
        Some(p) => p
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                WebError::bad_request(format!(
                    "page `{p}` is not valid — accepted: a whole number from 1"
                ))
            }),
    }
}

/// The rows `from..to` of `len` that page `n` shows (the last page when `n` is past it).
pub fn window(len: usize, n: usize) -> (usize, usize) {
    let last = len.div_ceil(PAGE).max(1);
    let from = (n.min(last) - 1) * PAGE;
    (from, (from + PAGE).min(len))
}

/// "Showing 101–200 of 1,531." when there is more than one page.
pub fn showing(len: usize, n: usize) -> Markup {
    let (from, to) = window(len, n);
    html! {
        @if len > PAGE {
            p { "Showing " (from + 1) "–" (to) " of " (len) "." }
        }
    }
}

/// Links to the previous and next pages of `base`, keeping the other parameters.
pub fn pager(base: &str, label: &str, pairs: &Pairs, len: usize, n: usize) -> Markup {
    let last = len.div_ceil(PAGE).max(1);
    let n = n.min(last);
    let href = |to: usize| {
        let mut kept: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, v)| k != "page" && !v.trim().is_empty())
            .cloned()
            .collect();
        kept.push(("page".into(), to.to_string()));
        format!(
            "{base}?{}",
            serde_urlencoded::to_string(&kept).unwrap_or_default()
        )
    };
    html! {
        @if last > 1 {
            nav class="pager" aria-label=(label) {
                @if n > 1 { a href=(href(n - 1)) rel="prev" { "Previous " (PAGE) } " " }
                "Page " (n) " of " (last)
                @if n < last { " " a href=(href(n + 1)) rel="next" { "Next " (PAGE.min(len - n * PAGE)) } }
            }
        }
    }
}
