//! What needs attention now (`upward nudges`) as plain text: one line per nudge, most urgent
//! first, as the domain ordered them.

use crate::next::with_command;
use upward_domain::workflow::nudges::Nudge;

/// Shown when nothing needs attention, so an empty list still reads as an answer.
pub const ALL_CLEAR: &str = "Nothing needs your attention right now — a good moment to note a \
                             win, or an idea that would make your manager's job easier.";

pub fn text(nudges: &[Nudge]) -> String {
    if nudges.is_empty() {
        return format!("{ALL_CLEAR}\n");
    }
    nudges.iter().map(|n| format!("{}\n", line(n))).collect()
}

/// One nudge as printed: the domain's words, then the command of its step.
pub fn line(nudge: &Nudge) -> String {
    with_command(&nudge.text, nudge.next.as_ref())
}

/// The nudges as the command line's JSON: `kind`, `text` as printed (with the command),
/// `person` and `id`.
pub fn json(nudges: &[Nudge]) -> serde_json::Value {
    nudges
        .iter()
        .map(|n| {
            let mut v = serde_json::to_value(n).expect("a nudge always serializes");
            v["text"] = line(n).into();
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
        let out = text(&[
            nudge(NudgeKind::Overdue, "first"),
            nudge(NudgeKind::Cadence, "second"),
        ]);
        assert_eq!(out, "first\nsecond\n");
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
        assert_eq!(text(std::slice::from_ref(&n)), format!("{want}\n"));
        assert_eq!(
            json(&[n]),
            serde_json::json!([{
                "kind": "reflection",
                "text": want,
                "person": "Dana",
                "id": null
            }])
        );
    }

    #[test]
    fn a_friendly_line_when_there_are_none() {
        assert_eq!(text(&[]), format!("{ALL_CLEAR}\n"));
        assert_eq!(text(&[]).lines().count(), 1);
    }
}
