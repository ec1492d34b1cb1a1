//! What needs attention now (`upward nudges`) as plain text: one line per nudge, most urgent
//! first, as the domain ordered them.

use crate::next::with_command;
use upward_domain::workflow::nudges::{Nudge, shown};

/// Shown when nothing needs attention, so an empty list still reads as an answer.
pub const ALL_CLEAR: &str = "Nothing needs your attention right now — a good moment to note a \
                             win, or an idea that would make your manager's job easier.";

/// The nudges as a reader sees them: the most urgent ones (every one with `all`), then a
/// line saying how many more there are and the command that lists them.
pub fn text(nudges: &[Nudge], all: bool) -> String {
    if nudges.is_empty() {
        return format!("{ALL_CLEAR}\n");
    }
    let (first, more) = shown(nudges, all);
    let mut out: String = first.iter().map(|n| format!("{}\n", line(n))).collect();
    if let Some(more) = more {
        out.push_str(&format!("{}\n", with_command(&more.text, Some(&more.next))));
    }
    out
}

/// One nudge as printed: the domain's words, then the command of its step.
pub fn line(nudge: &Nudge) -> String {
    with_command(&nudge.text, nudge.next.as_ref())
}

/// The nudges as the command line's JSON: every one, most urgent first (the text's cap is
/// for reading), each with `kind`, `text` as printed (with the command), `person`, `id`, and
/// its `rank` in that order (1 is the most urgent).
pub fn json(nudges: &[Nudge]) -> serde_json::Value {
    nudges
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut v = serde_json::to_value(n).expect("a nudge always serializes");
            v["text"] = line(n).into();
            v["rank"] = (i + 1).into();
            if let Some(map) = v.as_object_mut() {
                map.remove("next");
            }
            v
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use upward_domain::Next;
    use upward_domain::workflow::nudges::NudgeKind;

    fn nudge(kind: NudgeKind, text: &str) -> Nudge {
        Nudge {
            kind,
            text: text.into(),
            person: Some("Dana".into()),
            id: None,
            next: None,
        }
    }

    #[test]
    fn one_line_each_in_the_given_order() {
        let out = text(
            &[
                nudge(NudgeKind::Overdue, "first"),
                nudge(NudgeKind::Cadence, "second"),
            ],
            false,
        );
        assert_eq!(out, "first\nsecond\n");
    }

    #[test]
    fn seven_are_shown_and_a_line_says_how_to_see_the_rest() {
        let list: Vec<Nudge> = (1..=9)
            .map(|n| nudge(NudgeKind::Career, &format!("nudge {n}")))
            .collect();
        let out = text(&list, false);
        assert_eq!(out.lines().count(), 8, "{out}");
        assert!(
            out.contains("nudge 7\n") && !out.contains("nudge 8"),
            "{out}"
        );
        assert!(
            out.ends_with("…and 2 more, less urgent: `upward nudges --all`\n"),
            "{out}"
        );
        let all = text(&list, true);
        assert_eq!(all.lines().count(), 9, "{all}");
        assert!(!all.contains("more, less urgent"), "{all}");
        assert_eq!(text(&list[..7], false).lines().count(), 7, "seven: no line");
        let json = json(&list);
        assert_eq!(json.as_array().unwrap().len(), 9, "JSON has every nudge");
        assert_eq!(json[8]["rank"], 9);
    }

    #[test]
    fn a_step_is_shown_as_its_command_in_text_and_json() {
        let n = Nudge {
            next: Some(Next::reflect("Ana Ruiz")),
            ..nudge(
                NudgeKind::Reflection,
                "No reflection for 30 days — take five minutes",
            )
        };
        let want = "No reflection for 30 days — take five minutes: `upward reflect \"Ana Ruiz\"`";
        assert_eq!(text(std::slice::from_ref(&n), false), format!("{want}\n"));
        assert_eq!(
            json(&[n]),
            serde_json::json!([{
                "kind": "reflection",
                "text": want,
                "person": "Dana",
                "id": null,
                "rank": 1
            }])
        );
    }

    #[test]
    fn a_friendly_line_when_there_are_none() {
        assert_eq!(text(&[], false), format!("{ALL_CLEAR}\n"));
        assert_eq!(text(&[], true).lines().count(), 1);
    }
}
