//! How the command line spells a next step ([`Next`]): the one place that turns each step into
//! the `upward …` command a user types, and joins it to the words the domain wrote.
//!
//! The domain ends a text with what to do, in words ("book a 1:1 or send an update", "record
//! it"); the command line adds the command that does it: after a colon, or after "with" when
//! the words are "record it" (a person's field). A web page shows the same words with a button
//! for the step instead.

use upward_domain::Next;

/// The command that takes the step, as the user would type it: `upward reflect "Ana Ruiz"`.
pub fn command(next: &Next) -> String {
    match next {
        Next::Prep {
            person,
            all,
            shared,
        } => {
            let mut c = "upward prep".to_string();
            if let Some(p) = person {
                c.push(' ');
                c.push_str(&quote(p));
            }
            if *shared {
                c.push_str(" --shared");
            }
            if *all {
                c.push_str(" --all");
            }
            c
        }
        Next::Nudges { all: true } => "upward nudges --all".to_string(),
        Next::Nudges { all: false } => "upward nudges".to_string(),
        Next::Update { person } => format!("upward update {}", quote(person)),
        Next::Reflect { person } => format!("upward reflect {}", quote(person)),
        Next::SetPersonField { person, field } => {
            format!("upward person set {} {field} …", quote(person))
        }
        // `person set` changes any field of a person, the name included.
        Next::EditPerson { .. } => "upward person set".to_string(),
        Next::RestorePerson { person } => format!("upward person set {person:?} archived no"),
        Next::AddPerson {
            relation: Some(relation),
        } => format!("upward person add NAME --relation {relation}"),
        Next::AddPerson { relation: None } => "upward person add".to_string(),
        Next::Init { manager: true } => "upward init --me NAME --manager NAME".to_string(),
        Next::Init { manager: false } => "upward init --me NAME".to_string(),
        Next::AddItem {
            kind,
            field: Some(field),
        } => format!("upward add {kind} … --{} …", flag(field)),
        Next::AddItem { kind, field: None } => format!("upward add {kind} …"),
        Next::EditItem { id, field } => {
            let id = if *id > 0 {
                id.to_string()
            } else {
                "ID".to_string()
            };
            format!("upward edit {id} --{} {}", flag(field), placeholder(field))
        }
        Next::ReopenItem { id } => format!("upward reopen {id}"),
        Next::ListItems { all: true } => "upward list --status all".to_string(),
        Next::ListItems { all: false } => "upward list".to_string(),
        Next::Export => "upward export --format json".to_string(),
        Next::Doctor => "upward doctor".to_string(),
        Next::RestoreBackup { backup } => format!("upward doctor --restore {}", path(backup)),
        Next::RescueExport { file } => format!("upward doctor --export {}", path(file)),
    }
}

/// A file's path as it is typed in a shell: as it is when it holds no character a shell
/// would read, else in single quotes.
pub fn path(p: &str) -> String {
    if !p.is_empty()
        && p.chars()
            .all(|c| c.is_alphanumeric() || "/._-+:@%,".contains(c))
    {
        p.to_string()
    } else {
        format!("'{}'", p.replace('\'', "'\\''"))
    }
}

/// The command without the program's name, for a text that names the subcommand alone:
/// `init --me NAME`.
pub fn subcommand(next: &Next) -> String {
    let full = command(next);
    match full.strip_prefix("upward ") {
        Some(rest) => rest.to_string(),
        None => full,
    }
}

/// The domain's words followed by the command that does what they say: "… — book a 1:1 or
/// send an update: `upward prep Dana`", "… — record it with `upward person set Dana goals …`".
pub fn with_command(text: &str, next: Option<&Next>) -> String {
    match next {
        None => text.to_string(),
        Some(n @ Next::SetPersonField { .. }) => format!("{text} with `{}`", command(n)),
        Some(n) => format!("{text}: `{}`", command(n)),
    }
}

/// A name as it is typed in a shell: as it is when it is one plain word, else in double
/// quotes (`"Ana Ruiz"`).
pub fn quote(name: &str) -> String {
    if name
        .chars()
        .all(|c| c.is_alphanumeric() || "-_.".contains(c))
    {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\\\""))
    }
}

/// The flag of an item field: `last_discussed` → `last-discussed`.
fn flag(field: &str) -> String {
    field.replace('_', "-")
}

/// What the user fills in for a field's value: `DATE` for a date, else quoted text.
fn placeholder(field: &str) -> &'static str {
    match field {
        "date" | "due" | "confirmed" | "communicated" | "escalated" | "last_discussed" => "DATE",
        _ => "\"…\"",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use upward_domain::{Kind, Relation};

    #[test]
    fn every_step_as_the_command_line_spells_it() {
        let cases = [
            (Next::prep("Dana"), "upward prep Dana"),
            (Next::prep("Ana Ruiz"), "upward prep \"Ana Ruiz\""),
            (
                Next::Prep {
                    person: None,
                    all: false,
                    shared: false,
                },
                "upward prep",
            ),
            (
                Next::Prep {
                    person: Some("Ana Ruiz".into()),
                    all: true,
                    shared: true,
                },
                "upward prep \"Ana Ruiz\" --shared --all",
            ),
            (Next::Nudges { all: true }, "upward nudges --all"),
            (Next::update("Dana"), "upward update Dana"),
            (
                Next::reflect("Jo \"JJ\" Lee"),
                "upward reflect \"Jo \\\"JJ\\\" Lee\"",
            ),
            (
                Next::set_person_field("Dana", "goals"),
                "upward person set Dana goals …",
            ),
            (
                Next::EditPerson {
                    person: "Dana".into(),
                },
                "upward person set",
            ),
            (
                Next::RestorePerson {
                    person: "Old".into(),
                },
                "upward person set \"Old\" archived no",
            ),
            (
                Next::AddPerson {
                    relation: Some(Relation::Manager),
                },
                "upward person add NAME --relation manager",
            ),
            (Next::AddPerson { relation: None }, "upward person add"),
            (
                Next::Init { manager: true },
                "upward init --me NAME --manager NAME",
            ),
            (Next::Init { manager: false }, "upward init --me NAME"),
            (
                Next::AddItem {
                    kind: Kind::Expectation,
                    field: Some("metric".into()),
                },
                "upward add expectation … --metric …",
            ),
            (
                Next::edit_item(12, "mitigation"),
                "upward edit 12 --mitigation \"…\"",
            ),
            (Next::edit_item(0, "ask"), "upward edit ID --ask \"…\""),
            (Next::edit_item(3, "date"), "upward edit 3 --date DATE"),
            (
                Next::edit_item(3, "last_discussed"),
                "upward edit 3 --last-discussed DATE",
            ),
            (Next::ReopenItem { id: 4 }, "upward reopen 4"),
            (Next::ListItems { all: true }, "upward list --status all"),
            (Next::ListItems { all: false }, "upward list"),
            (Next::Export, "upward export --format json"),
            (Next::Doctor, "upward doctor"),
            (
                Next::RestoreBackup {
                    backup: "/home/a/.local/share/upward/backups/upward-2026-11-22.db".into(),
                },
                "upward doctor --restore /home/a/.local/share/upward/backups/upward-2026-11-22.db",
            ),
            (
                Next::RescueExport {
                    file: "/home/a/My Notes/rescued.json".into(),
                },
                "upward doctor --export '/home/a/My Notes/rescued.json'",
            ),
        ];
        for (next, line) in cases {
            assert_eq!(command(&next), line, "{next:?}");
        }
        assert_eq!(subcommand(&Next::Init { manager: false }), "init --me NAME");
    }

    #[test]
    fn the_command_follows_the_words() {
        assert_eq!(
            with_command(
                "book a 1:1 or send an update",
                Some(&Next::prep("Ana Ruiz"))
            ),
            "book a 1:1 or send an update: `upward prep \"Ana Ruiz\"`"
        );
        assert_eq!(
            with_command(
                "not in your notes yet — record it",
                Some(&Next::set_person_field("Dana", "goals"))
            ),
            "not in your notes yet — record it with `upward person set Dana goals …`"
        );
        assert_eq!(with_command("just words", None), "just words");
    }

    #[test]
    fn names_are_quoted_for_the_shell() {
        assert_eq!(quote("Dana"), "Dana");
        assert_eq!(quote("Smith-Jones_2.0"), "Smith-Jones_2.0");
        assert_eq!(quote("O'Neil"), "\"O'Neil\"");
        assert_eq!(quote("Dana O\"Neil"), "\"Dana O\\\"Neil\"");
    }
}
