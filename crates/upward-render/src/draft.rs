//! Renders a ready-to-send draft (`upward decline`). The domain writes the whole text in the
//! requester's style, with the same greeting, sign-off and date wording as status updates;
//! this only prints it as a terminal expects: one trailing newline.

use upward_domain::workflow::decline::Draft;

pub fn text(draft: &Draft) -> String {
    let mut out = draft.text.trim_end().to_string();
    out.push('\n');
    out
}

/// The draft as the command line's JSON (`decline --json`): its own fields, with `recorded`
/// the stored decline when it was recorded as sent (absent otherwise).
pub fn json(draft: &Draft, recorded: Option<&upward_domain::Decline>) -> serde_json::Value {
    let mut v = serde_json::to_value(draft).expect("a draft always serializes");
    if let (Some(map), Some(d)) = (v.as_object_mut(), recorded) {
        map.insert(
            "recorded".into(),
            serde_json::to_value(d).expect("a decline always serializes"),
        );
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use upward_domain::Clock;
    use upward_domain::workflow::decline::{DeclineInput, decline};
    use upward_domain::workflow::tour::{MANAGER, PEER, SKIP, sample};

    #[test]
    fn snapshots_of_a_decline_to_the_manager_and_a_peer() {
        let clock = Clock::fixed("2026-11-23").unwrap();
        let s = sample(&clock);
        let input = DeclineInput {
            title: "Run the Q1 hackathon".into(),
            reason: "the billing migration needs my full attention until mid-December".into(),
            alternatives: vec![
                "Judge the final round".into(),
                "Suggest Priya, who ran it in 2025".into(),
            ],
            after: None,
            ..Default::default()
        };
        let to_dana = decline(&s, s.person(MANAGER).unwrap(), &input, &clock).unwrap();
        let t = text(&to_dana);
        assert!(t.ends_with("Sam\n") && !t.ends_with("\n\n"));
        insta::assert_snapshot!("decline_manager_email", t);
        let to_priya = decline(&s, s.person(PEER).unwrap(), &input, &clock).unwrap();
        assert_eq!(to_priya.left_out, ["Suggest Priya, who ran it in 2025"]);
        insta::assert_snapshot!("decline_peer_chat", text(&to_priya));
    }

    #[test]
    fn snapshot_of_a_permanent_no_to_the_skip_level_without_alternatives() {
        let clock = Clock::fixed("2026-11-23").unwrap();
        let s = sample(&clock);
        let input = DeclineInput {
            title: "Own the vendor security questionnaires".into(),
            reason: "out of my team's scope".into(),
            alternatives: vec![],
            after: None,
            ..Default::default()
        };
        let mut vp = s.person(SKIP).unwrap().clone();
        vp.channel = Some(upward_domain::Channel::Email);
        let d = decline(&s, &vp, &input, &clock).unwrap();
        let t = text(&d);
        assert!(!t.contains("for now") && !t.contains("aligned"), "{t}");
        insta::assert_snapshot!("decline_skip_permanent_email", t);
    }
}
