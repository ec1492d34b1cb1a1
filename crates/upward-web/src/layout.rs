//! The page around every page: the navigation, the skip link, the stylesheet and the one
//! script file (which only improves what works without it). Every value goes through maud,
//! which escapes it.

use crate::error::WebError;
use crate::security::{Auth, CSRF_FIELD};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use upward_domain::Next;

/// The sections of the navigation: (path, label).
pub const NAV: &[(&str, &str)] = &[
    ("/", "Today"),
    ("/people", "People"),
    ("/agenda", "Agenda"),
    ("/update", "Update"),
    ("/intake", "Intake"),
    ("/decline", "Decline"),
    ("/review", "Review"),
    ("/reflect", "Reflect"),
    ("/items", "Items"),
    ("/search", "Search"),
    ("/spaces", "Spaces"),
    ("/transfer", "Export and import"),
];

/// A whole page. `current` is the navigation path of the section it belongs to.
pub fn page(title: &str, current: &str, auth: Option<&Auth>, body: Markup) -> Markup {
    shell(
        title,
        NAV,
        current,
        auth.map(|a| a.csrf.as_str()),
        none(),
        body,
    )
}

/// The page around a page, for any navigation: the team server (crate upward-server) draws
/// its pages with it so both apps look and behave alike. `csrf` goes in a meta tag for the
/// script; `after_nav` is drawn in the header after the links (a sign-out form).
pub fn shell(
    title: &str,
    nav: &[(&str, &str)],
    current: &str,
    csrf: Option<&str>,
    after_nav: Markup,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(token) = csrf {
                    meta name="csrf-token" content=(token);
                }
                title { (title) " · upward" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                a class="skip" href="#main" { "Skip to the content" }
                header {
                    nav aria-label="Sections" {
                        ul {
                            @for (path, label) in nav {
                                li {
                                    @if *path == current {
                                        a href=(path) aria-current="page" { (label) }
                                    } @else {
                                        a href=(path) { (label) }
                                    }
                                }
                            }
                        }
                    }
                    (after_nav)
                }
                main id="main" tabindex="-1" {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// The hidden field that carries the session's CSRF token in a form.
#[allow(dead_code)] // used by the forms of the pages
pub fn csrf(auth: &Auth) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(auth.csrf); }
}

/// The page of a refusal: what was wrong, and the step past it when there is one.
pub fn error_page(e: &WebError) -> Markup {
    let title = e
        .status
        .canonical_reason()
        .unwrap_or("Something went wrong")
        .to_string();
    page(
        &title,
        "",
        None,
        html! {
            p role="alert" class="error" { (e.message) }
            @if let Some(next) = &e.next {
                p { (next_link(next)) }
            }
            p { a href="/" { "Back to Today" } }
        },
    )
}

/// A page that moves on to `to` at once (and says where, for a browser that does not).
pub fn moving_on(to: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="refresh" content=(format!("0;url={to}"));
                title { "Signed in · upward" }
            }
            body { main { p { "Signed in. " a href=(to) { "Go on" } } } }
        }
    }
}

/// Where a step leads in the web app, and its label.
pub fn next_href(next: &Next) -> (String, String) {
    let q = |s: &str| urlencode(s);
    match next {
        Next::Prep {
            person,
            all,
            shared,
        } => {
            let mut href = match person {
                Some(p) => format!("/agenda/{}", q(p)),
                None => "/agenda".to_string(),
            };
            let mut sep = '?';
            if *all {
                href.push_str("?all=1");
                sep = '&';
            }
            if *shared {
                href.push(sep);
                href.push_str("shared=1");
            }
            let who = person.as_deref().unwrap_or("your manager");
            let label = match (all, shared) {
                (true, true) => format!("Every item of the agenda to share with {who}"),
                (true, false) => format!("Every item of the agenda with {who}"),
                (false, true) => format!("The agenda to share with {who}"),
                (false, false) => format!("Prepare the 1:1 with {who}"),
            };
            (href, label)
        }
        Next::Nudges { .. } => ("/".into(), "See every nudge".into()),
        Next::Update { person } => (
            format!("/update/{}", q(person)),
            format!("Draft the update for {person}"),
        ),
        Next::Reflect { person } => (
            format!("/reflect/{}", q(person)),
            format!("Reflect on working with {person}"),
        ),
        Next::SetPersonField { person, field } => (
            format!("/people/{}#{}", q(person), q(field)),
            format!("Fill in {person}'s {}", field.replace('_', " ")),
        ),
        Next::EditPerson { person } => (format!("/people/{}", q(person)), format!("Edit {person}")),
        Next::RestorePerson { person } => (
            format!("/people/{}", q(person)),
            format!("Bring {person} back"),
        ),
        Next::AddPerson { .. } => ("/people#add".into(), "Add a person".into()),
        Next::Init { manager: true } => ("/people#init".into(), "Say who your manager is".into()),
        Next::Init { manager: false } => ("/people#init".into(), "Say who you are".into()),
        Next::AddItem { kind, .. } => (format!("/items/new?kind={kind}"), format!("Add a {kind}")),
        Next::EditItem { id, field } => (
            format!("/items/{id}#{}", q(field)),
            format!("Edit item #{id}"),
        ),
        Next::ReopenItem { id } => (format!("/items/{id}"), format!("Reopen item #{id}")),
        Next::ListItems { all: true } => ("/items?status=all".into(), "See every item".into()),
        Next::ListItems { all: false } => ("/items".into(), "See the open items".into()),
        Next::Export => ("/transfer".into(), "Export the workspace".into()),
        Next::Doctor | Next::RestoreBackup { .. } | Next::RescueExport { .. } => (
            "/transfer".into(),
            "Check the database with `upward doctor` in a terminal".into(),
        ),
    }
}

/// A step as a link.
pub fn next_link(next: &Next) -> Markup {
    let (href, label) = next_href(next);
    html! { a class="next" href=(href) { (label) } }
}

/// Percent-encodes a path segment or query value.
pub fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Text with its line breaks kept (escaped, then `<br>` between lines).
#[allow(dead_code)] // used by the pages that show notes
pub fn lines(text: &str) -> Markup {
    html! {
        @for (i, line) in text.lines().enumerate() {
            @if i > 0 { br; }
            (line)
        }
    }
}

/// Nothing: for a page that has no extra markup.
pub fn none() -> Markup {
    PreEscaped(String::new())
}
