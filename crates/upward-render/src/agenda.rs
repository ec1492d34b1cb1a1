//! The 1:1 agenda (`upward prep`) as markdown: mine to prepare with, or the one to paste into
//! a doc shared with the person (`prep --shared`).
//!
//! How much it shows follows the person's style: a `brief` person gets the seven most
//! important items (the domain's choice, `Agenda::as_read`) and a line counting the rest; a
//! `detailed` one every item with its body; anyone else every item, titles and reasons only.
//! The shared agenda carries no item ids and no commands: its reader does not use upward.

use crate::next::{command, with_command};
use upward_domain::workflow::prep::{Agenda, AgendaItem, LeftOut};
use upward_domain::{Length, Next};

/// The most items a brief agenda shows.
pub use upward_domain::workflow::prep::BRIEF_ITEMS;

/// The agenda as its reader sees it (a brief one capped): [`page`] without `--all`.
pub fn markdown(agenda: &Agenda) -> String {
    page(agenda, false)
}

/// The agenda as markdown; with `all`, every item also for a brief person.
pub fn page(agenda: &Agenda, all: bool) -> String {
    let mut out = format!("# 1:1 agenda — {} — {}\n", agenda.person, agenda.date);
    if agenda.sections.is_empty() {
        out.push_str(if agenda.shared {
            "\nNothing on the agenda yet.\n"
        } else {
            "\nNothing pressing on record. Ask what is on their mind, and share what you are \
             working on.\n"
        });
        return out;
    }
    let (shown, left_out) = agenda.as_read(all);
    let bodies = agenda.length == Some(Length::Detailed);
    for section in &shown.sections {
        out.push_str(&format!("\n## {}\n\n", section.title));
        if let Some(note) = &section.note {
            out.push_str(&format!("_{note}_\n\n"));
        }
        for item in &section.items {
            push_item(&mut out, item, bodies, agenda.shared);
        }
    }
    if let Some(left_out) = left_out {
        out.push_str(&format!("\n_{}_\n", more_line(&left_out, agenda.shared)));
    }
    out
}

/// The line under a brief agenda: what it left out, and (on mine, not on the shared one) the
/// command that shows every item: `…and 3 more items: 1 follow-up and 2 questions: `upward
/// prep Dana --all`.`
pub fn more_line(left_out: &LeftOut, shared: bool) -> String {
    if shared {
        format!("{}.", left_out.text)
    } else {
        format!("{}.", with_command(&left_out.text, Some(&left_out.next)))
    }
}

/// Why an item is on the agenda, as printed: the domain's words, then the command of its step
/// (a reflection is for after the 1:1).
pub fn reason(item: &AgendaItem) -> String {
    match &item.next {
        Some(n @ Next::Reflect { .. }) => {
            format!("{}; afterwards run `{}`", item.reason, command(n))
        }
        next => with_command(&item.reason, next.as_ref()),
    }
}

/// The agenda as the command line's JSON: its own fields, with each item's `reason` as
/// printed (with the command).
pub fn json(agenda: &Agenda) -> serde_json::Value {
    let mut v = serde_json::to_value(agenda).expect("an agenda always serializes");
    for (s, section) in agenda.sections.iter().enumerate() {
        for (i, item) in section.items.iter().enumerate() {
            let json = &mut v["sections"][s]["items"][i];
            json["reason"] = reason(item).into();
            if let Some(map) = json.as_object_mut() {
                map.remove("next");
            }
        }
    }
    v
}

fn push_item(out: &mut String, item: &AgendaItem, bodies: bool, shared: bool) {
    out.push_str("- ");
    out.push_str(&item.text);
    if let Some(id) = item.id.filter(|_| !shared) {
        out.push_str(&format!(" (#{id})"));
    }
    let reason = reason(item);
    if !reason.is_empty() {
        out.push_str(&format!(" — _{reason}_"));
    }
    out.push('\n');
    if let Some(body) = item.body.as_deref().filter(|_| bodies) {
        // Indented under the bullet so the body stays part of its item.
        for line in body.trim_end().lines() {
            if line.trim().is_empty() {
                out.push('\n');
            } else {
                out.push_str(&format!("  {}\n", line.trim_end()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use upward_domain::workflow::prep::{Importance, SECTION_KEYS, Section};

    fn item(n: i64) -> AgendaItem {
        AgendaItem {
            id: Some(n),
            text: format!("Item {n}"),
            reason: format!("reason {n}"),
            body: Some(format!("Body of {n}.\n\nSecond paragraph.")),
            ..Default::default()
        }
    }

    /// Sections of the given sizes, numbering items from 1.
    fn agenda(length: Option<Length>, sizes: &[usize]) -> Agenda {
        let mut n = 0;
        let sections = sizes
            .iter()
            .enumerate()
            .map(|(s, size)| Section {
                key: SECTION_KEYS[s].to_string(),
                title: format!("Section {s}"),
                items: (0..*size)
                    .map(|_| {
                        n += 1;
                        item(n)
                    })
                    .collect(),
                note: None,
            })
            .collect();
        Agenda {
            person: "Dana".into(),
            date: date(2026, 11, 25),
            shared: false,
            sections,
            length,
        }
    }

    fn bullets(md: &str) -> usize {
        md.lines().filter(|l| l.starts_with("- ")).count()
    }

    #[test]
    fn the_title_names_the_person_and_date() {
        let md = markdown(&agenda(None, &[1]));
        assert!(md.starts_with("# 1:1 agenda — Dana — 2026-11-25\n"), "{md}");
    }

    #[test]
    fn brief_shows_at_most_seven_items_and_counts_the_rest() {
        let md = markdown(&agenda(Some(Length::Brief), &[3, 3, 3, 1]));
        assert_eq!(bullets(&md), 7);
        assert!(
            md.contains("- Item 7 (#7)") && !md.contains("Item 8"),
            "{md}"
        );
        assert!(
            md.contains("## Section 2") && !md.contains("## Section 3"),
            "{md}"
        );
        assert!(
            md.ends_with(
                "\n_…and 3 more items: 2 blockers and 1 risk: `upward prep Dana --all`._\n"
            ),
            "{md}"
        );
        let all = page(&agenda(Some(Length::Brief), &[3, 3, 3, 1]), true);
        assert_eq!(bullets(&all), 10, "--all shows every item");
        assert!(!all.contains("more"), "{all}");
        assert!(!md.contains("Body of"), "brief shows no bodies");
    }

    #[test]
    fn brief_with_exactly_seven_has_no_more_line() {
        let md = markdown(&agenda(Some(Length::Brief), &[4, 3]));
        assert_eq!(bullets(&md), 7);
        assert!(!md.contains("more item"), "{md}");
        let md = markdown(&agenda(Some(Length::Brief), &[4, 4]));
        assert!(
            md.ends_with("_…and 1 more win: `upward prep Dana --all`._\n"),
            "{md}"
        );
    }

    #[test]
    fn brief_keeps_the_most_important_items_and_shows_them_in_section_order() {
        // Eight follow-ups, then a blocker and a priority the follow-ups used to push out.
        let mut a = agenda(Some(Length::Brief), &[8, 0, 1, 0, 1]);
        a.sections[2].items[0].importance = Importance::Blocker;
        a.sections[4].items[0].importance = Importance::Priority;
        a.sections[0].items[7].importance = Importance::MyOverdue;
        let md = markdown(&a);
        assert_eq!(bullets(&md), 7);
        let order: Vec<&str> = md
            .lines()
            .filter(|l| l.starts_with("- ") || l.starts_with("## "))
            .collect();
        assert_eq!(
            order,
            [
                "## Section 0",
                "- Item 1 (#1) — _reason 1_",
                "- Item 2 (#2) — _reason 2_",
                "- Item 3 (#3) — _reason 3_",
                "- Item 4 (#4) — _reason 4_",
                "- Item 8 (#8) — _reason 8_",
                "## Section 2",
                "- Item 9 (#9) — _reason 9_",
                "## Section 4",
                "- Item 10 (#10) — _reason 10_",
            ]
        );
        assert!(
            md.ends_with("_…and 3 more follow-ups: `upward prep Dana --all`._\n"),
            "{md}"
        );
    }

    #[test]
    fn the_shared_agenda_has_no_ids_and_no_commands() {
        let mut a = agenda(Some(Length::Brief), &[5, 4]);
        a.shared = true;
        let md = markdown(&a);
        assert!(md.contains("- Item 1 — _reason 1_\n"), "{md}");
        assert!(!md.contains("(#") && !md.contains("upward"), "{md}");
        assert!(md.ends_with("_…and 2 more wins._\n"), "{md}");
        a.sections.clear();
        assert_eq!(
            markdown(&a),
            "# 1:1 agenda — Dana — 2026-11-25\n\nNothing on the agenda yet.\n"
        );
    }

    #[test]
    fn detailed_shows_every_item_with_its_body() {
        let md = markdown(&agenda(Some(Length::Detailed), &[5, 5]));
        assert_eq!(bullets(&md), 10);
        assert!(
            md.contains("- Item 10 (#10) — _reason 10_\n  Body of 10.\n\n  Second paragraph.\n"),
            "{md}"
        );
    }

    #[test]
    fn unset_length_shows_every_item_without_bodies() {
        let md = markdown(&agenda(None, &[5, 5]));
        assert_eq!(bullets(&md), 10);
        assert!(!md.contains("Body of") && !md.contains("more item"), "{md}");
    }

    #[test]
    fn a_reason_with_a_step_ends_with_its_command_in_markdown_and_json() {
        let mut a = agenda(None, &[2]);
        a.sections[0].items[0].reason = "you have not reflected on working with Dana yet".into();
        a.sections[0].items[0].next = Some(Next::reflect("Dana"));
        a.sections[0].items[1].reason = "not in your notes yet — record it".into();
        a.sections[0].items[1].next = Some(Next::set_person_field("Dana", "goals"));
        let md = markdown(&a);
        assert!(
            md.contains(
                "- Item 1 (#1) — _you have not reflected on working with Dana yet; afterwards \
                 run `upward reflect Dana`_\n"
            ),
            "{md}"
        );
        assert!(
            md.contains(
                "- Item 2 (#2) — _not in your notes yet — record it with `upward person set \
                 Dana goals …`_\n"
            ),
            "{md}"
        );
        let v = json(&a);
        let item = &v["sections"][0]["items"][1];
        assert_eq!(
            item["reason"],
            "not in your notes yet — record it with `upward person set Dana goals …`"
        );
        let keys: Vec<&String> = item.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "text", "reason", "body"]);
    }

    #[test]
    fn an_empty_agenda_says_so() {
        let md = markdown(&agenda(Some(Length::Brief), &[]));
        assert!(
            md.starts_with("# 1:1 agenda — Dana — 2026-11-25\n\nNothing pressing"),
            "{md}"
        );
    }

    #[test]
    fn brief_markdown() {
        let mut a = agenda(Some(Length::Brief), &[2, 4, 3]);
        a.sections[1].note = Some("A note under the title.".into());
        a.sections[1].items[0].id = None;
        insta::assert_snapshot!(markdown(&a));
    }

    #[test]
    fn detailed_markdown() {
        let mut a = agenda(Some(Length::Detailed), &[2, 1]);
        a.sections[0].items[1].body = None;
        insta::assert_snapshot!(markdown(&a));
    }
}
