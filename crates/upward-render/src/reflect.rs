//! A relationship review's trend (`upward reflect`) as plain text: each area's score against
//! the last time and the earlier average, the overall score, and where to focus next.

use crate::next::with_command;
use upward_domain::words::plural;
use upward_domain::workflow::reflect::{AreaTrend, Change, Focus, Trend};

pub fn text(trend: &Trend) -> String {
    let mut out = format!(
        "Reflection on working with {} — {}",
        trend.person, trend.date
    );
    match (trend.earlier, trend.previous_date) {
        (0, _) | (_, None) => out.push_str(" (the first one)\n\n"),
        (1, Some(d)) => out.push_str(&format!(" (against 1 earlier, on {d})\n\n")),
        (n, Some(d)) => out.push_str(&format!(" (against {n} earlier, the last on {d})\n\n")),
    }
    let width = trend
        .areas
        .iter()
        .map(|a| a.area.len())
        .max()
        .unwrap_or(0)
        .max("overall".len());
    for area in &trend.areas {
        out.push_str(&format!("{:width$}  {}\n", area.area, area_line(area)));
        if let Some(answer) = &area.answer {
            for line in answer.lines().filter(|l| !l.trim().is_empty()) {
                out.push_str(&format!("{:width$}    {}\n", "", line.trim()));
            }
        }
    }
    out.push('\n');
    for (n, line) in overall_lines(trend).into_iter().enumerate() {
        let label = if n == 0 { "overall" } else { "" };
        out.push_str(&format!("{label:width$}  {line}\n"));
    }
    if let Some(focus) = &trend.focus {
        out.push_str(&format!(
            "\nFocus on {} ({}/5): {}.\n",
            focus.area,
            focus.score,
            advice(focus)
        ));
    }
    out
}

/// The advice on the area to focus on, as printed: the domain's words, then the command of
/// its step.
pub fn advice(focus: &Focus) -> String {
    with_command(&focus.advice, focus.next.as_ref())
}

/// The trend as the command line's JSON: its own fields, with the focus's `advice` as printed
/// (with the command).
pub fn json(trend: &Trend) -> serde_json::Value {
    let mut v = serde_json::to_value(trend).expect("a trend always serializes");
    if let Some(focus) = &trend.focus {
        v["focus"]["advice"] = advice(focus).into();
        if let Some(map) = v["focus"].as_object_mut() {
            map.remove("next");
        }
    }
    v
}

/// The overall score and its change, measured on the areas scored both now and before (the
/// text says how many, and which areas were new and not compared):
///
/// ```text
/// 3.2/5  over the 5 areas scored
/// 3.7/5  up from 3.3 on the 3 areas scored before
/// new, not compared: expectations, delivery
/// ```
///
/// With no new area, one line: `3.5/5  up from 3.3 on the 3 areas scored before`.
pub fn overall_lines(trend: &Trend) -> Vec<String> {
    let o = &trend.overall;
    if trend.earlier == 0 {
        return vec![format!("{:.1}/5  first score", o.score)];
    }
    let new = (!o.new.is_empty()).then(|| format!("new, not compared: {}", o.new.join(", ")));
    let Some(now) = o.compared_score else {
        let mut lines = vec![format!(
            "{:.1}/5  nothing to compare: no area scored now was scored before",
            o.score
        )];
        lines.extend(new);
        return lines;
    };
    let previous = o.previous.map(|p| format!("{p:.1}")).unwrap_or_default();
    let change = match o.change {
        Change::Up => format!("up from {previous}"),
        Change::Down => format!("down from {previous}"),
        Change::Same | Change::First => format!("the same as before ({previous})"),
    };
    let on = format!("on the {} scored before", plural(o.compared.len(), "area"));
    match new {
        None => vec![format!("{now:.1}/5  {change} {on}")],
        Some(new) => vec![
            format!(
                "{:.1}/5  over the {} scored",
                o.score,
                plural(o.compared.len() + o.new.len(), "area")
            ),
            format!("{now:.1}/5  {change} {on}"),
            new,
        ],
    }
}

/// One area's score against the last time and the earlier average, as printed.
pub fn area_line(area: &AreaTrend) -> String {
    let Some(score) = area.score else {
        return "–    not scored this time".to_string();
    };
    let change = change_words(
        area.change.unwrap_or(Change::First),
        area.previous.map(|p| p.to_string()),
    );
    match area.average {
        Some(avg) => format!("{score}/5  {change}, earlier average {avg:.1}"),
        None => format!("{score}/5  {change}"),
    }
}

fn change_words(change: Change, previous: Option<String>) -> String {
    let previous = previous.unwrap_or_default();
    match change {
        Change::Up => format!("up from {previous}"),
        Change::Down => format!("down from {previous}"),
        Change::Same => format!("same as last time ({previous})"),
        Change::First => "first score".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use upward_domain::workflow::reflect::{reflection, trend};
    use upward_domain::{Clock, Person, Relation, Snapshot};

    fn scores(pairs: &[(&str, u8)]) -> BTreeMap<String, u8> {
        pairs.iter().map(|(a, s)| (a.to_string(), *s)).collect()
    }

    /// Reflections on Dana: the earlier ones (date, scores), then a new one today.
    fn trend_of(
        earlier: &[(&str, &[(&str, u8)])],
        now: &[(&str, u8)],
        answers: &[(&str, &str)],
    ) -> Trend {
        let clock = Clock::fixed("2026-11-25").unwrap();
        let dana = Person::new("Dana", Relation::Manager, clock.now).unwrap();
        let mut snap = Snapshot::default();
        for (date, s) in earlier {
            let then = Clock::fixed(date).unwrap();
            snap.reflections
                .push(reflection(&dana, scores(s), BTreeMap::new(), &then).unwrap());
        }
        let answers = answers
            .iter()
            .map(|(a, t)| (a.to_string(), t.to_string()))
            .collect();
        let new = reflection(&dana, scores(now), answers, &clock).unwrap();
        trend(&snap, &new)
    }

    #[test]
    fn the_first_reflection() {
        let out = text(&trend_of(&[], &[("rapport", 4)], &[]));
        assert!(
            out.starts_with("Reflection on working with Dana — 2026-11-25 (the first one)\n"),
            "{out}"
        );
        assert!(out.contains("rapport       4/5  first score\n"), "{out}");
        assert!(
            out.contains("priorities    –    not scored this time\n"),
            "{out}"
        );
        assert!(!out.contains("Focus"), "{out}");
    }

    #[test]
    fn the_focus_advice_ends_with_the_command_of_its_step() {
        let focus = |area: &str| {
            let t = trend_of(&[], &[(area, 2)], &[]);
            let line = text(&t).lines().last().unwrap().to_string();
            (line, json(&t)["focus"].clone())
        };
        let (line, json) = focus("priorities");
        assert_eq!(
            line,
            "Focus on priorities (2/5): ask Dana what their top priorities are and what \
             pressures they are under; record them with `upward person set Dana priorities …`."
        );
        assert!(
            json["advice"]
                .as_str()
                .unwrap()
                .ends_with("record them with `upward person set Dana priorities …`")
        );
        assert_eq!(
            focus("expectations").0,
            "Focus on expectations (2/5): agree with Dana what is expected of you and how it is \
             measured: `upward add expectation … --metric …`."
        );
        let (line, json) = focus("visibility");
        assert_eq!(
            line,
            "Focus on visibility (2/5): send Dana an update on what you have done: `upward \
             update Dana`."
        );
        assert_eq!(
            json["advice"],
            "send Dana an update on what you have done: `upward update Dana`"
        );
        let (line, json) = focus("rapport");
        assert!(line.ends_with("and keep your promises."), "{line}");
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["area", "score", "advice"]);
        assert!(focus("delivery").0.ends_with("what you need from them."));
    }

    #[test]
    fn the_overall_change_says_how_many_areas_it_compared() {
        let t = trend_of(
            &[("2026-10-26", &[("rapport", 3), ("delivery", 3)])],
            &[("rapport", 4), ("delivery", 3)],
            &[],
        );
        let out = text(&t);
        assert!(
            out.contains("\noverall       3.5/5  up from 3.0 on the 2 areas scored before\n"),
            "{out}"
        );
        let t = trend_of(
            &[("2026-10-26", &[("rapport", 4)])],
            &[("rapport", 4), ("delivery", 1)],
            &[],
        );
        let out = text(&t);
        assert!(
            out.contains(
                "\noverall       2.5/5  over the 2 areas scored\n              \
                 4.0/5  the same as before (4.0) on the 1 area scored before\n              \
                 new, not compared: delivery\n"
            ),
            "{out}"
        );
        let v = json(&t);
        assert_eq!(v["overall"]["change"], "same");
        assert_eq!(v["overall"]["compared"], serde_json::json!(["rapport"]));
        assert_eq!(v["overall"]["new"], serde_json::json!(["delivery"]));
    }

    #[test]
    fn with_no_area_scored_before_the_overall_compares_nothing() {
        let t = trend_of(
            &[("2026-10-26", &[("rapport", 5)])],
            &[("delivery", 2)],
            &[],
        );
        let out = text(&t);
        assert!(
            out.contains(
                "\noverall       2.0/5  nothing to compare: no area scored now was scored before\n              \
                 new, not compared: delivery\n"
            ),
            "{out}"
        );
        assert!(!out.contains("down from"), "{out}");
    }

    #[test]
    fn a_trend_with_history() {
        let t = trend_of(
            &[
                (
                    "2026-09-25",
                    &[("rapport", 2), ("visibility", 4), ("delivery", 3)],
                ),
                (
                    "2026-10-26",
                    &[("rapport", 3), ("delivery", 3), ("visibility", 4)],
                ),
            ],
            &[
                ("rapport", 5),
                ("visibility", 2),
                ("delivery", 3),
                ("priorities", 4),
            ],
            &[(
                "visibility",
                "They missed the migration.\nSend updates weekly.",
            )],
        );
        insta::assert_snapshot!(text(&t));
    }
}
