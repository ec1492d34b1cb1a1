//! The calendar feed (`upward calendar`, docs/calendar.md) as iCalendar (RFC 5545) and as the
//! command line's JSON. Every event is all-day (DATE values: DTSTART on its day, DTEND the day
//! after, which RFC 5545 excludes) with the stable UID the domain made, and DTSTAMP is the
//! moment of the one clock, so the same workspace at the same `UPWARD_NOW` gives the same
//! file byte for byte.

use icalendar::{Calendar, Component, EventLike, Property};
use jiff::Timestamp;
use jiff::civil::Date;
use upward_domain::workflow::calendar::{Event, EventKind};

/// The feed's name in a calendar app.
pub const NAME: &str = "upward";

/// What a calendar app shows under the event: the domain's words, then the command that acts
/// on it.
pub fn description(e: &Event) -> String {
    let command = match (e.kind, &e.next, e.id) {
        (_, Some(next), _) => Some(crate::next::command(next)),
        (EventKind::Review, _, _) => Some("upward review --format html > review.html".to_string()),
        (_, None, Some(id)) => Some(format!("upward show {id}, then upward done {id}")),
        _ => None,
    };
    match command {
        Some(c) => format!("{}\n{c}", e.description),
        None => e.description.clone(),
    }
}

/// The feed as an iCalendar file (CRLF line ends, long lines folded, text escaped).
pub fn ics(events: &[Event], now: Timestamp) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new("PRODID", "-//upward//upward calendar//EN"));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    cal.name(NAME);
    let stamp = chrono::DateTime::from_timestamp(now.as_second(), 0).unwrap_or_default();
    for e in events {
        let mut event = icalendar::Event::new();
        event
            .uid(&e.uid)
            .timestamp(stamp)
            .summary(&e.summary)
            .description(&description(e))
            .starts(naive(e.date))
            .ends(naive(e.date.tomorrow().unwrap_or(e.date)))
            .append_property(Property::new("TRANSP", "TRANSPARENT"))
            .categories([category(e.kind)]);
        cal.push(event.done());
    }
    fold(&cal.done().to_string())
}

/// Folds every content line at 75 octets, a continuation line starting with one space, as
/// RFC 5545 (3.1) asks, never inside a UTF-8 character. The icalendar crate folds at 75
/// characters after the space, which makes its continuation lines 76 octets long, so its
/// folding is undone first.
fn fold(text: &str) -> String {
    let unfolded = text.replace("\r\n ", "");
    let mut out = String::with_capacity(text.len() + text.len() / 64);
    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let mut room = 75;
        let mut used = 0;
        for c in line.chars() {
            if used + c.len_utf8() > room {
                out.push_str("\r\n ");
                room = 74;
                used = 0;
            }
            out.push(c);
            used += c.len_utf8();
        }
        out.push_str("\r\n");
    }
    out
}

/// The category of an event, as the JSON spells its kind.
fn category(kind: EventKind) -> &'static str {
    match kind {
        EventKind::OneOnOne => "one_on_one",
        EventKind::Promise => "promise",
        EventKind::Action => "action",
        EventKind::Review => "review",
    }
}

fn naive(d: Date) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(i32::from(d.year()), d.month() as u32, d.day() as u32)
        .expect("a date upward accepted is a calendar date")
}

/// The events as `calendar --json` prints them: `{"events": [...]}`, each with `kind`, `uid`,
/// `date` (the day it is shown on), `due`, `overdue`, `summary`, `description` (with the
/// command, as in the file), `person` and `id`.
pub fn json(events: &[Event]) -> serde_json::Value {
    let events: Vec<serde_json::Value> = events
        .iter()
        .map(|e| {
            let mut v = serde_json::to_value(e).expect("an event always serializes");
            v["description"] = description(e).into();
            if let Some(map) = v.as_object_mut() {
                map.remove("next");
            }
            v
        })
        .collect();
    serde_json::json!({ "events": events })
}

#[cfg(test)]
mod tests {
    use super::*;
    use upward_domain::Next;

    fn event(kind: EventKind, summary: &str) -> Event {
        Event {
            kind,
            uid: "one-on-one-4f0c@upward".into(),
            date: "2026-11-27".parse().unwrap(),
            due: "2026-11-27".parse().unwrap(),
            overdue: false,
            summary: summary.into(),
            description: "Due by your cadence of 7d with Dana; a long enough line to be folded by the writer at seventy-five octets, as RFC 5545 wants.".into(),
            person: Some("Dana".into()),
            id: None,
            next: Some(Next::prep("Dana")),
        }
    }

    #[test]
    fn an_event_is_all_day_with_its_uid_and_the_clocks_stamp() {
        let now: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        let text = ics(
            &[event(
                EventKind::OneOnOne,
                "1:1 with Dana; weekly, as agreed",
            )],
            now,
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        assert!(text.contains("\r\nPRODID:-//upward//upward calendar//EN\r\n"));
        assert!(text.contains("\r\nUID:one-on-one-4f0c@upward\r\n"));
        assert!(text.contains("\r\nDTSTAMP:20261123T120000Z\r\n"));
        assert!(
            text.contains("\r\nDTSTART;VALUE=DATE:20261127\r\n"),
            "{text}"
        );
        assert!(text.contains("\r\nDTEND;VALUE=DATE:20261128\r\n"));
        // Text is escaped, and long lines folded.
        assert!(
            text.contains("SUMMARY:1:1 with Dana\\; weekly\\, as agreed\r\n"),
            "{text}"
        );
        assert!(
            text.split("\r\n")
                .all(|l| l.len() <= 75 && !l.contains('\n')),
            "{text}"
        );
        assert!(
            text.replace("\r\n ", "").contains("\\nupward prep Dana"),
            "{text}"
        );
        // The same input gives the same file.
        assert_eq!(
            text,
            ics(
                &[event(
                    EventKind::OneOnOne,
                    "1:1 with Dana; weekly, as agreed"
                )],
                now
            )
        );
    }

    #[test]
    fn lines_are_folded_at_75_octets_never_inside_a_character() {
        let long = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&format!("BEGIN:VEVENT\r\n{long}\r\nEND:VEVENT\r\n"));
        let lines: Vec<&str> = folded.split("\r\n").collect();
        assert!(lines.iter().all(|l| l.len() <= 75), "{folded}");
        assert_eq!(lines[1].len(), 74, "8 octets, then 33 two-octet characters");
        assert!(lines[2].starts_with(' '));
        assert_eq!(
            folded.replace("\r\n ", ""),
            format!("BEGIN:VEVENT\r\n{long}\r\nEND:VEVENT\r\n")
        );
        // Near miss: a line of exactly 75 octets is not folded.
        let exact = format!("X:{}\r\n", "a".repeat(73));
        assert_eq!(fold(&exact), exact);
    }

    #[test]
    fn the_json_carries_the_command_in_the_description() {
        let v = json(&[event(EventKind::OneOnOne, "1:1 with Dana")]);
        let e = &v["events"][0];
        assert_eq!(e["kind"], "one_on_one");
        assert_eq!(e["date"], "2026-11-27");
        assert!(
            e["description"]
                .as_str()
                .unwrap()
                .ends_with("\nupward prep Dana")
        );
        assert!(e.get("next").is_none());
    }
}
