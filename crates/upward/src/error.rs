//! Error messages as the command line prints them. An error whose way out is a step in upward
//! carries that step as data ([`DomainError::next`], [`AppError::next`]); here it is spelled as
//! the command that takes it (`upward_render::next`), in the words upward has always printed
//! around it.

use upward_app::AppError;
use upward_domain::{DomainError, Next};
use upward_render::next::{command, subcommand, with_command};
use upward_store::StoreError;

/// An error and its causes, joined as `{:#}` joins them (`cause: its cause`), each with the
/// command of its step, and each said once: a cause whose words the message already holds
/// (an error that quotes its source, as the store's I/O errors do) is not repeated.
/// A command line that parses but asks for nothing a command can do (exit code 2, like a
/// usage error found by the parser).
#[derive(Debug)]
pub struct Usage(pub String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

pub fn message(e: &anyhow::Error) -> String {
    let mut msg = String::new();
    for cause in e.chain().map(one) {
        if msg.is_empty() {
            msg = cause;
        } else if !msg.contains(&cause) {
            msg.push_str(": ");
            msg.push_str(&cause);
        }
    }
    msg
}

/// One error of a chain.
fn one(e: &(dyn std::error::Error + 'static)) -> String {
    if let Some(d) = e.downcast_ref::<DomainError>() {
        return domain(d);
    }
    if let Some(s) = e.downcast_ref::<StoreError>() {
        return store(s);
    }
    if let Some(a) = e.downcast_ref::<AppError>() {
        return app(a);
    }
    e.to_string()
}

/// An error of a use case as the command line says it: with the command of its step, if it
/// has one.
pub fn app(e: &AppError) -> String {
    if let Some(d) = e.domain() {
        return domain(d);
    }
    let Some(next) = e.next() else {
        return e.to_string();
    };
    let cmd = command(&next);
    match e {
        AppError::NoItem { id } => format!("no item #{id} — `{cmd}` shows the ids"),
        AppError::NoManager => format!("no manager recorded — name a person, or run `{cmd}`"),
        AppError::RemoveMe => format!("you cannot remove yourself — `{cmd}` renames you"),
        AppError::Sync(m) => m.clone(),
        AppError::Store(s) => store(s),
    }
}

/// A storage error as the command line says it: with the command of its step (a damaged
/// file: `upward doctor`), if it has one.
pub fn store(e: &StoreError) -> String {
    if let StoreError::Domain(d) = e {
        return domain(d);
    }
    with_command(&e.to_string(), e.next().as_ref())
}

/// A domain error as the command line says it: with the command of its step, if it has one.
pub fn domain(e: &DomainError) -> String {
    let Some(next) = e.next() else {
        return e.to_string();
    };
    let cmd = command(&next);
    match e {
        DomainError::UnknownPerson { name, known } if known.is_empty() => {
            format!("no person named {name:?} — add one with `{cmd}`")
        }
        DomainError::UnknownPerson { name, known } => format!(
            "no person named {name:?} — known: {} (add one with `{cmd}`)",
            known.join(", ")
        ),
        DomainError::NameTaken {
            name,
            archived: true,
        } => format!(
            "{name} was removed earlier and is kept with their history — bring them back with \
             `{cmd}`"
        ),
        DomainError::NameTaken {
            name,
            archived: false,
        } => format!(
            "a person named {name} already exists — names are unique regardless of case; use \
             `{cmd}` to change them"
        ),
        DomainError::FixedRelation => format!(
            "the relation of me is fixed — `{}` chooses who is me",
            subcommand(&next)
        ),
        DomainError::AlreadyDone { kind, id, on } => format!(
            "{kind} #{id} is already done{} — `{cmd}` opens it again",
            on.map(|d| format!(" (on {d})")).unwrap_or_default()
        ),
        DomainError::DoneAfterDrop { kind, id } => {
            format!("{kind} #{id} was dropped — `{cmd}` first if it was done after all")
        }
        DomainError::WinReopened { .. } => {
            format!("a win is done when it happens — `{cmd}` changes when")
        }
        DomainError::UnknownItem { id } => format!(
            "item #{id} does not exist — check the ids with `{cmd}` or `{}`",
            command(&Next::Prep {
                person: None,
                all: false,
                shared: false,
            })
        ),
        DomainError::NotAnExport { problem } => {
            format!("{problem} — give a file written by `{cmd}`")
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use upward_domain::{Kind, Person, Relation, person};

    fn people() -> Vec<Person> {
        let now = jiff::Timestamp::UNIX_EPOCH;
        let mut old = Person::new("Old", Relation::Peer, now).unwrap();
        old.archived = true;
        vec![
            Person::new("Alex", Relation::Myself, now).unwrap(),
            Person::new("Dana Whitfield", Relation::Manager, now).unwrap(),
            Person::new("Sam", Relation::Peer, now).unwrap(),
            Person::new("Samir", Relation::Peer, now).unwrap(),
            old,
        ]
    }

    #[test]
    fn people_errors_name_the_command_that_helps() {
        let p = people();
        let e = |r: Result<&Person, DomainError>| domain(&r.unwrap_err());
        assert_eq!(
            e(person::resolve(&[], "Dana")),
            "no person named \"Dana\" — add one with `upward person add NAME --relation manager`"
        );
        assert_eq!(
            e(person::resolve(&p, "Zed")),
            "no person named \"Zed\" — known: Alex, Dana Whitfield, Sam, Samir (add one with \
             `upward person add`)"
        );
        assert_eq!(
            e(person::resolve(&p, "sa")),
            "\"sa\" matches several people: Sam, Samir — type more of the name"
        );
        assert_eq!(
            domain(&person::name_taken(&p, "old").unwrap()),
            "Old was removed earlier and is kept with their history — bring them back with \
             `upward person set \"Old\" archived no`"
        );
        assert_eq!(
            domain(&person::name_taken(&p, "sam").unwrap()),
            "a person named Sam already exists — names are unique regardless of case; use \
             `upward person set` to change them"
        );
        let mut dana = p[1].clone();
        assert_eq!(
            domain(&dana.set("relation", "self", dana.updated_at).unwrap_err()),
            "the relation of me is fixed — `init --me NAME` chooses who is me"
        );
    }

    #[test]
    fn item_errors_name_the_command_that_helps() {
        let on = Some(jiff::civil::date(2026, 11, 23));
        let cases = [
            (
                DomainError::AlreadyDone {
                    kind: Kind::Risk,
                    id: 3,
                    on,
                },
                "risk #3 is already done (on 2026-11-23) — `upward reopen 3` opens it again",
            ),
            (
                DomainError::DoneAfterDrop {
                    kind: Kind::Blocker,
                    id: 4,
                },
                "blocker #4 was dropped — `upward reopen 4` first if it was done after all",
            ),
            (
                DomainError::WinReopened { id: 12 },
                "a win is done when it happens — `upward edit 12 --date DATE` changes when",
            ),
            (
                DomainError::UnknownItem { id: 42 },
                "item #42 does not exist — check the ids with `upward list` or `upward prep`",
            ),
            (
                DomainError::NotAnExport {
                    problem: "the export has no valid \"version\"".into(),
                },
                "the export has no valid \"version\" — give a file written by `upward export \
                 --format json`",
            ),
            (
                DomainError::Rule("a rule, as it is".into()),
                "a rule, as it is",
            ),
        ];
        for (e, line) in cases {
            assert_eq!(domain(&e), line);
        }
    }

    #[test]
    fn use_case_errors_name_the_command_that_helps() {
        let cases = [
            (
                AppError::NoItem { id: 999 },
                "no item #999 — `upward list --status all` shows the ids",
            ),
            (
                AppError::NoManager,
                "no manager recorded — name a person, or run `upward init --me NAME --manager \
                 NAME`",
            ),
            (
                AppError::RemoveMe,
                "you cannot remove yourself — `upward init --me NAME` renames you",
            ),
            (
                DomainError::UnknownItem { id: 5 }.into(),
                "item #5 does not exist — check the ids with `upward list` or `upward prep`",
            ),
            (StoreError::Conflict("taken".into()).into(), "taken"),
        ];
        for (e, line) in cases {
            assert_eq!(app(&e), line);
            assert_eq!(message(&anyhow::Error::from(e)), line);
        }
    }

    #[test]
    fn a_chain_is_joined_as_anyhow_joins_it() {
        let e = anyhow::Error::from(StoreError::Domain(DomainError::UnknownItem { id: 7 }))
            .context("while testing");
        assert_eq!(
            message(&e),
            "while testing: item #7 does not exist — check the ids with `upward list` or \
             `upward prep`"
        );
        let plain = anyhow::anyhow!("plain");
        assert_eq!(message(&plain), format!("{plain:#}"));
    }

    #[test]
    fn a_cause_the_message_already_quotes_is_not_repeated() {
        // The store's I/O error quotes its source; `{:#}` would print it twice more.
        let e = anyhow::Error::from(StoreError::Io {
            path: "/d/upward.db".into(),
            source: std::io::Error::other("no more inodes"),
        });
        let m = message(&e);
        assert_eq!(m.matches("no more inodes").count(), 1, "{m}");
        assert!(m.ends_with("; nothing was changed"), "{m}");
    }
}
