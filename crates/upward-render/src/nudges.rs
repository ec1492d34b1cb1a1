//! What needs attention now (`upward nudges`) as plain text: one line per nudge, most urgent
//! first, as the domain ordered them.

use upward_domain::workflow::nudges::Nudge;

/// Shown when nothing needs attention, so an empty list still reads as an answer.
pub const ALL_CLEAR: &str = "Nothing needs your attention right now — a good moment to note a \
                             win, or an idea that would make your manager's job easier.";

pub fn text(nudges: &[Nudge]) -> String {
    if nudges.is_empty() {
        return format!("{ALL_CLEAR}\n");
    }
    nudges.iter().map(|n| format!("{}\n", n.text)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use upward_domain::workflow::nudges::NudgeKind;

    fn nudge(kind: NudgeKind, text: &str) -> Nudge {
        Nudge {
            kind,
            text: text.into(),
            person: Some("Dana".into()),
            id: None,
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
    fn a_friendly_line_when_there_are_none() {
        assert_eq!(text(&[]), format!("{ALL_CLEAR}\n"));
        assert_eq!(text(&[]).lines().count(), 1);
    }
}
