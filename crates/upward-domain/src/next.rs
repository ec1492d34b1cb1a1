//! Next steps: what a result or an error suggests the user do next, as data.
//!
//! A nudge, an agenda item, a hint, a reflection's focus and some errors point at one step
//! ("reflect on working with Dana", "give the risk #12 a mitigation"). The domain says what to
//! do in words and carries the step as a [`Next`]; it never spells a command. Each front end
//! turns the step into its own affordance: the command line shows the `upward …` command that
//! takes it (`upward_render::next`), a web page a button or a link to the same use case.
//!
//! In JSON a step is an object whose `do` names it, with its data beside it:
//! `{"do": "reflect", "person": "Dana"}`, `{"do": "edit_item", "id": 12, "field": "mitigation"}`.

use crate::{Kind, Relation};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Next {
    /// Prepare the next 1:1 with a person: their agenda. Without a person, with my manager.
    /// `all`: every item, also for a brief person; `shared`: the agenda to share.
    Prep {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        person: Option<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        all: bool,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        shared: bool,
    },
    /// What needs attention now; with `all`, every nudge, not only the most urgent.
    Nudges {
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        all: bool,
    },
    /// Write a status update for a person.
    Update { person: String },
    /// Reflect on the working relationship with a person.
    Reflect { person: String },
    /// Record one profile or style field of a person (`goals`, `priorities`, `cadence`, …).
    SetPersonField { person: String, field: String },
    /// Change what is recorded about a person who exists already.
    EditPerson { person: String },
    /// Bring back a person who was removed, with everything recorded about them.
    RestorePerson { person: String },
    /// Add a person, in this relation to me when one is given.
    AddPerson {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        relation: Option<Relation>,
    },
    /// Say who I am and, when `manager` is true, who my manager is.
    Init { manager: bool },
    /// Add an item of a kind, with this field filled in when one is given.
    AddItem {
        kind: Kind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
    /// Set one field of an item. An item not stored yet has id 0.
    EditItem { id: i64, field: String },
    /// Open a done or dropped item again.
    ReopenItem { id: i64 },
    /// Look through the items and their ids: the open ones, or all of them with `all`.
    ListItems { all: bool },
    /// Export the whole workspace as the JSON document that import reads.
    Export,
    /// Check the database file, and see the way out of any damage.
    Doctor,
    /// Put a backup in place as the database; the file it replaces is kept.
    RestoreBackup { backup: String },
    /// Export what can still be read of a damaged database to `file`, for import into a new
    /// one.
    RescueExport { file: String },
}

impl Next {
    pub fn prep(person: &str) -> Next {
        Next::Prep {
            person: Some(person.to_string()),
            all: false,
            shared: false,
        }
    }

    pub fn update(person: &str) -> Next {
        Next::Update {
            person: person.to_string(),
        }
    }

    pub fn reflect(person: &str) -> Next {
        Next::Reflect {
            person: person.to_string(),
        }
    }

    pub fn set_person_field(person: &str, field: &str) -> Next {
        Next::SetPersonField {
            person: person.to_string(),
            field: field.to_string(),
        }
    }

    pub fn edit_item(id: i64, field: &str) -> Next {
        Next::EditItem {
            id,
            field: field.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_step_is_named_by_do_with_its_data_beside_it() {
        let cases = [
            (
                Next::reflect("Dana"),
                json!({"do": "reflect", "person": "Dana"}),
            ),
            (
                Next::prep("Ana Ruiz"),
                json!({"do": "prep", "person": "Ana Ruiz"}),
            ),
            (
                Next::Prep {
                    person: None,
                    all: false,
                    shared: false,
                },
                json!({"do": "prep"}),
            ),
            (
                Next::Prep {
                    person: Some("Dana".into()),
                    all: true,
                    shared: true,
                },
                json!({"do": "prep", "person": "Dana", "all": true, "shared": true}),
            ),
            (
                Next::Nudges { all: true },
                json!({"do": "nudges", "all": true}),
            ),
            (
                Next::set_person_field("Dana", "goals"),
                json!({"do": "set_person_field", "person": "Dana", "field": "goals"}),
            ),
            (
                Next::edit_item(12, "mitigation"),
                json!({"do": "edit_item", "id": 12, "field": "mitigation"}),
            ),
            (
                Next::AddPerson {
                    relation: Some(Relation::Manager),
                },
                json!({"do": "add_person", "relation": "manager"}),
            ),
            (
                Next::AddItem {
                    kind: Kind::Expectation,
                    field: Some("metric".into()),
                },
                json!({"do": "add_item", "kind": "expectation", "field": "metric"}),
            ),
            (
                Next::ListItems { all: true },
                json!({"do": "list_items", "all": true}),
            ),
            (Next::Export, json!({"do": "export"})),
            (Next::Doctor, json!({"do": "doctor"})),
            (
                Next::RestoreBackup {
                    backup: "backups/upward-2026-11-22.db".into(),
                },
                json!({"do": "restore_backup", "backup": "backups/upward-2026-11-22.db"}),
            ),
            (
                Next::RescueExport {
                    file: "rescued.json".into(),
                },
                json!({"do": "rescue_export", "file": "rescued.json"}),
            ),
        ];
        for (next, expected) in cases {
            assert_eq!(serde_json::to_value(&next).unwrap(), expected);
            assert_eq!(serde_json::from_value::<Next>(expected).unwrap(), next);
        }
    }
}
