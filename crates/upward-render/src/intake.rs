//! Renders an intake analysis for the terminal: the verdict, the arithmetic behind it, the
//! plan with the request in place (so the user can check it by hand), what would slip, and
//! the draft message to send.

use upward_domain::words::{day, join_and, relative, working_days};
use upward_domain::workflow::intake::{Intake, PlanRow};

/// Titles longer than this overflow their column instead of widening the whole table.
const TITLE_COLUMN: usize = 44;

pub fn text(intake: &Intake) -> String {
    let today = intake.date;
    let mut out = Vec::new();
    out.push(format!("Intake: \"{}\" from {}", intake.title, intake.from));
    out.push(format!(
        "Due {} ({}), {}",
        day(intake.due, today),
        relative(intake.due, today),
        if intake.effort > 0 {
            format!("about {} of effort", working_days(intake.effort))
        } else {
            "no effort estimate".to_string()
        }
    ));
    out.push(String::new());
    out.push(format!("Fits: {}", verdict(intake)));
    out.push(format!(
        "Working days until the due date: {} (today included when it is one)",
        intake.working_days
    ));
    out.push(format!(
        "Effort ranked above it: {}",
        working_days(intake.effort_ahead)
    ));
    let of = intake.plan.len();
    let placed = if intake.rank_forced {
        "Placed by --rank at"
    } else {
        "Goes in at"
    };
    let finish = intake
        .finish
        .map(|f| format!(", finishing {}", day(f, today)))
        .unwrap_or_default();
    out.push(format!("{placed} rank {} of {of}{finish}", intake.rank));

    out.push(String::new());
    out.push("Plan with the request".to_string());
    out.extend(plan(&intake.plan, today));

    if !intake.would_slip.is_empty() {
        out.push(String::new());
        out.push("Would slip".to_string());
        for item in &intake.would_slip {
            let finish = intake
                .plan
                .iter()
                .find(|r| r.id == Some(item.id))
                .and_then(|r| r.finish)
                .map(|f| format!(", would finish {}", day(f, today)))
                .unwrap_or_default();
            let due = item
                .due
                .map(|d| format!(": due {}", day(d, today)))
                .unwrap_or_default();
            out.push(format!("- #{} {}{due}{finish}", item.id, item.title));
        }
    }
    if !intake.already_late.is_empty() {
        out.push(String::new());
        out.push("Already late without it".to_string());
        for item in &intake.already_late {
            let due = item
                .due
                .map(|d| format!(": due {}", day(d, today)))
                .unwrap_or_default();
            let later = intake
                .plan
                .iter()
                .find(|r| r.id == Some(item.id))
                .filter(|r| r.delay > 0)
                .map(|r| format!(", {} later with it", working_days(r.delay)))
                .unwrap_or_default();
            out.push(format!("- #{} {}{due}{later}", item.id, item.title));
        }
    }
    if let Some(cut) = intake.cut_to {
        out.push(String::new());
        out.push(format!(
            "Cut to fit: {} of effort would make its date without making anything else late",
            working_days(cut)
        ));
    }

    out.push(String::new());
    if intake.requester_note.is_some() {
        out.push(format!(
            "Draft message to {} (your manager decides what moves in your priorities)",
            intake.message_to
        ));
    } else {
        out.push("Draft message".to_string());
    }
    out.push(intake.message.clone());
    if let Some(note) = &intake.requester_note {
        out.push(String::new());
        out.push(format!("Reply to {} meanwhile", intake.from));
        out.push(note.clone());
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

/// The analysis as the command line's JSON (`intake --json`): its own fields, with
/// `accepted` the stored priority when it was accepted, else `null`.
pub fn json(intake: &Intake, accepted: Option<&upward_domain::Item>) -> serde_json::Value {
    let mut v = serde_json::to_value(intake).expect("an intake always serializes");
    if let Some(map) = v.as_object_mut() {
        map.insert(
            "accepted".into(),
            accepted.map_or(serde_json::Value::Null, upward_domain::Item::to_json),
        );
    }
    v
}

/// The verdict, in the same terms as the table and the draft: what the request does (misses
/// its date, makes others slip, makes late ones later still), and apart from it what is late
/// anyway.
pub fn verdict(i: &Intake) -> String {
    if i.fits {
        return "yes: everything stays on time".to_string();
    }
    let mut why = Vec::new();
    if i.misses_own_date {
        why.push("the request misses its own date".to_string());
    }
    if !i.would_slip.is_empty() {
        why.push(format!("{} would slip", priorities(i.would_slip.len())));
    }
    if !i.later_still.is_empty() {
        why.push(format!(
            "{} already late would be later still",
            priorities(i.later_still.len())
        ));
    }
    let late_only = i.already_late.len() - i.later_still.len();
    if why.is_empty() {
        return format!(
            "no, though the request itself fits and delays nothing: {} already late without it",
            priorities(late_only)
        );
    }
    if late_only > 0 {
        why.push(format!("{} already late without it", priorities(late_only)));
    }
    format!("no: {}", join_and(&why))
}

fn priorities(n: usize) -> String {
    if n == 1 {
        "1 priority".to_string()
    } else {
        format!("{n} priorities")
    }
}

fn plan(rows: &[PlanRow], today: jiff::civil::Date) -> Vec<String> {
    let titles: Vec<String> = rows
        .iter()
        .map(|r| {
            let id = r.id.map(|id| format!("#{id} ")).unwrap_or_default();
            let new = if r.is_request { " (new)" } else { "" };
            format!("{id}{}{new}", r.title)
        })
        .collect();
    let width = titles
        .iter()
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(5, TITLE_COLUMN);
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())));
    let date =
        |d: Option<jiff::civil::Date>| d.map(|d| day(d, today)).unwrap_or_else(|| "-".into());
    // Dates in another year are longer; the columns grow to fit them.
    let due_width = rows
        .iter()
        .map(|r| date(r.due).len())
        .max()
        .unwrap_or(0)
        .max(10);
    let finish_width = rows
        .iter()
        .map(|r| date(r.finish).len())
        .max()
        .unwrap_or(0)
        .max(10);
    let mut lines = vec![format!(
        "  {:>4}  {}  {:<6}  {:<due_width$}  finishes",
        "rank",
        pad("title", width),
        "effort",
        "due",
    )];
    for (row, title) in rows.iter().zip(&titles) {
        let due = date(row.due);
        let finish = date(row.finish);
        let flag = if row.late_anyway && row.delay > 0 {
            "  late anyway, later still"
        } else if row.late_anyway {
            "  late anyway"
        } else if row.misses && row.is_request {
            "  misses its date"
        } else if row.misses {
            "  slips"
        } else {
            ""
        };
        let effort = if row.effort > 0 {
            format!("{}d", row.effort)
        } else {
            "-".into()
        };
        lines.push(
            format!(
                "  {:>4}  {}  {:<6}  {:<due_width$}  {:<finish_width$}{flag}",
                row.rank,
                pad(title, width),
                effort,
                due,
                finish
            )
            .trim_end()
            .to_string(),
        );
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use upward_domain::workflow::intake::{IntakeInput, intake};
    use upward_domain::workflow::tour::{MANAGER, sample};
    use upward_domain::{Clock, Duration};

    fn clock() -> Clock {
        Clock::fixed("2026-11-23").unwrap()
    }

    fn request(days: i64, effort: u32) -> IntakeInput {
        IntakeInput {
            title: "Audit log export".into(),
            from: MANAGER.into(),
            due: clock()
                .today
                .checked_add(jiff::Span::new().days(days))
                .unwrap(),
            effort: Duration::days(effort),
            rank: None,
        }
    }

    #[test]
    fn a_trade_off_over_the_sample() {
        let s = sample(&clock());
        let i = intake(&s, &request(4, 3), &clock());
        let t = text(&i);
        assert!(t.contains("Fits: no: 2 priorities would slip\n"), "{t}");
        assert!(
            t.contains(
                "- #8 Rate limiter for the public API: due Fri 27 Nov, would finish Mon 30 Nov\n"
            ),
            "{t}"
        );
        insta::assert_snapshot!("intake_trade_off", t);
    }

    #[test]
    fn a_request_that_fits() {
        let s = sample(&clock());
        let t = text(&intake(&s, &request(60, 5), &clock()));
        assert!(t.contains("Fits: yes: everything stays on time\n"), "{t}");
        assert!(!t.contains("Would slip"), "{t}");
        insta::assert_snapshot!("intake_fits", t);
    }

    #[test]
    fn a_peers_request_that_would_slip_my_priorities_is_drafted_to_my_manager() {
        let s = sample(&clock());
        let mut input = request(4, 3);
        input.from = upward_domain::workflow::tour::PEER.into();
        let t = text(&intake(&s, &input, &clock()));
        assert!(
            t.contains("\nDraft message to Dana Whitfield (your manager decides what moves in your priorities)\nPriya asked me to take on"),
            "{t}"
        );
        assert!(
            t.contains("\nReply to Priya Natarajan meanwhile\nThanks for thinking of me"),
            "{t}"
        );
        insta::assert_snapshot!("intake_peer_to_manager", t);
    }

    #[test]
    fn the_verdict_agrees_with_the_draft_when_only_others_are_late() {
        use upward_domain::{Item, ItemInput, Kind, Snapshot};
        let mut s = Snapshot::default();
        let input = ItemInput {
            title: Some("P1".into()),
            effort: Some(Duration::days(5)),
            due: clock().today.tomorrow().ok(),
            rank: Some(1),
            ..Default::default()
        };
        let mut p1 = Item::new(Kind::Priority, input, &clock(), 1).unwrap();
        p1.id = 1;
        s.items.push(p1);
        // Ranked after P1, the request delays nothing; P1 is late anyway.
        let t = text(&intake(&s, &request(60, 1), &clock()));
        assert!(
            t.contains("Fits: no, though the request itself fits and delays nothing: 1 priority already late without it\n"),
            "{t}"
        );
        assert!(t.contains("without delaying anything else"), "{t}");
        // Forced first, it makes P1 later still: no longer "fits" in any sentence.
        let mut first = request(60, 1);
        first.rank = Some(1);
        let t = text(&intake(&s, &first, &clock()));
        assert!(
            t.contains("Fits: no: 1 priority already late would be later still\n"),
            "{t}"
        );
        assert!(t.contains("late anyway, later still"), "{t}");
        assert!(
            t.contains("- #1 P1: due Tue 24 Nov, 1 working day later with it"),
            "{t}"
        );
        assert!(!t.contains("It fits"), "{t}");
    }

    #[test]
    fn a_request_that_misses_its_own_date() {
        let s = sample(&clock());
        let t = text(&intake(&s, &request(1, 5), &clock()));
        assert!(
            t.contains("Fits: no: the request misses its own date and 3 priorities would slip\n"),
            "{t}"
        );
        assert!(t.contains("misses its date"), "{t}");
        insta::assert_snapshot!("intake_misses", t);
    }
}
