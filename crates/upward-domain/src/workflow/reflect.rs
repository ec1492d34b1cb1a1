//! Reflect (docs/reflect.md): a periodic review of a working relationship, in five areas
//! scored 1–5 (see [`AREAS`]), and its trend against the earlier reviews.
//!
//! The trend points at the weakest area with one concrete next step, because a score without
//! an action does not improve the relationship. The step starts from what is on record: what
//! I wrote for that area, the person's profile (no "ask their priorities" when I have them),
//! and my follow-through to them (promises and actions kept on time, [`FollowThrough`]).

use crate::enums::{Owner, Status};
use crate::item::validate_text;
use crate::record::{AREAS, parse_area};
use crate::words::one_line;
use crate::{Clock, DomainError, Item, Kind, Next, Person, Reflection, Snapshot, days_between};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The kinds of item [`trend`] reads: my commitments (promises, and actions I own), for the
/// follow-through. A snapshot for it may leave out the others.
pub const KINDS: &[Kind] = &[Kind::Promise, Kind::Action];

/// The kinds of which [`trend`] reads items that are done: the same, kept on time or late.
pub const DONE_KINDS: &[Kind] = &[Kind::Promise, Kind::Action];

/// How far back the follow-through looks: commitments kept in the last 90 days.
pub const FOLLOW_THROUGH_DAYS: i64 = 90;

/// My follow-through to the person: my promises to them and the actions I own for them, with
/// a due date, not dropped. On time: done in the last [`FOLLOW_THROUGH_DAYS`] days, on or
/// before the due date first committed to ([`Item::committed_due`]). Late: done in those days after the due date, or still open past it
/// (however long ago: it is still owed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FollowThrough {
    pub on_time: usize,
    pub late: usize,
    /// How many of those are actions (the rest are promises), for the words.
    #[serde(skip)]
    pub actions: usize,
}

impl FollowThrough {
    pub fn total(&self) -> usize {
        self.on_time + self.late
    }

    /// What the commitments counted are called: (one, many).
    fn nouns(&self) -> (&'static str, &'static str) {
        match self.actions {
            0 => ("promise", "promises"),
            a if a == self.total() => ("action", "actions"),
            _ => ("promise or action", "promises and actions"),
        }
    }
}

/// [`FollowThrough`] to `person` as of `today`.
pub fn follow_through(snap: &Snapshot, person: &Person, today: Date) -> FollowThrough {
    let mine = |i: &Item| i.kind == Kind::Promise || i.owner.unwrap_or(Owner::Me) == Owner::Me;
    let mut f = FollowThrough::default();
    for i in snap.items.iter().filter(|i| {
        matches!(i.kind, Kind::Promise | Kind::Action)
            && i.status != Status::Dropped
            && mine(i)
            && snap.is_for(i, person)
    }) {
        // Against the date first committed to, as the review counts it: a renegotiated
        // promise kept on its new date was still late (docs/items.md).
        let Some(due) = i.committed_due() else {
            continue;
        };
        let counted = match (i.status, i.done) {
            (Status::Done, Some(done)) if days_between(done, today) <= FOLLOW_THROUGH_DAYS => {
                if done <= due {
                    f.on_time += 1;
                } else {
                    f.late += 1;
                }
                true
            }
            (Status::Open, _) if due < today => {
                f.late += 1;
                true
            }
            _ => false,
        };
        if counted && i.kind == Kind::Action {
            f.actions += 1;
        }
    }
    f
}

/// Builds a reflection on `person` today. Areas are checked (any case); scores must be 1–5
/// and at least one area scored; answers are free text, empty ones are left out.
pub fn reflection(
    person: &Person,
    scores: BTreeMap<String, u8>,
    answers: BTreeMap<String, String>,
    clock: &Clock,
) -> Result<Reflection, DomainError> {
    let mut checked_scores = BTreeMap::new();
    for (area, score) in scores {
        let area = parse_area(&area)?;
        if !(1..=5).contains(&score) {
            return Err(DomainError::invalid(
                "score",
                format!("{area}={score}"),
                "a whole number from 1 to 5",
            ));
        }
        if checked_scores.insert(area.to_string(), score).is_some() {
            return Err(twice("score", area));
        }
    }
    if checked_scores.is_empty() {
        return Err(DomainError::Rule(
            "a reflection needs at least one score — use --score AREA=N (1–5), such as --score \
             rapport=4; areas: priorities, expectations, delivery, visibility, rapport"
                .into(),
        ));
    }
    let mut checked_answers = BTreeMap::new();
    for (area, answer) in answers {
        let area = parse_area(&area)?;
        let Some(text) = validate_text("answer", &answer)? else {
            continue;
        };
        if checked_answers.insert(area.to_string(), text).is_some() {
            return Err(twice("answer", area));
        }
    }
    Ok(Reflection {
        id: 0,
        uuid: Uuid::new_v4(),
        person: person.to_ref(),
        date: clock.today,
        scores: checked_scores,
        answers: checked_answers,
        created_at: clock.now,
    })
}

fn twice(what: &str, area: &str) -> DomainError {
    DomainError::Rule(format!(
        "the {what} for {area} is given twice — give each area once"
    ))
}

/// How a score compares with the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Up,
    Down,
    Same,
    /// Nothing earlier to compare with.
    First,
}

impl Change {
    fn between(now: f64, before: Option<f64>) -> Change {
        match before {
            None => Change::First,
            // Averages are compared to one decimal, as they are shown.
            Some(b) if (now - b).abs() < 0.05 => Change::Same,
            Some(b) if now > b => Change::Up,
            Some(_) => Change::Down,
        }
    }
}

/// One area of the review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaTrend {
    pub area: String,
    pub question: String,
    /// This time's score, if the area was scored.
    pub score: Option<u8>,
    pub answer: Option<String>,
    /// The score the last time this area was scored.
    pub previous: Option<u8>,
    /// The average of all earlier scores for this area.
    pub average: Option<f64>,
    /// This score against the previous one; `None` when not scored this time.
    pub change: Option<Change>,
}

/// The whole review: the mean of this time's scores, and its change measured on like with
/// like — the areas scored this time that were scored before, each against its own last score.
/// An area scored for the first time is left out of the change (it would move the average
/// without anything having changed) and listed in `new`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overall {
    /// The mean of this time's scores, over every area scored.
    pub score: f64,
    /// The mean of the compared areas' previous scores (each area's last score); `None` when
    /// no area was compared.
    pub previous: Option<f64>,
    /// `compared_score` against `previous`; `first` when no area scored now was scored before.
    pub change: Change,
    /// The areas scored this time and before, in [`AREAS`] order: what `change` compares.
    pub compared: Vec<String>,
    /// The mean of this time's scores over the compared areas.
    pub compared_score: Option<f64>,
    /// The areas scored this time for the first time, in [`AREAS`] order: not compared.
    pub new: Vec<String>,
}

/// The weakest area this time and what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Focus {
    pub area: String,
    pub score: u8,
    /// What to do, in words.
    pub advice: String,
    /// The step in upward that goes with the advice, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Next>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub person: String,
    pub date: Date,
    /// How many earlier reflections on this person there are.
    pub earlier: usize,
    pub previous_date: Option<Date>,
    /// The five areas, in the order of [`AREAS`].
    pub areas: Vec<AreaTrend>,
    pub overall: Overall,
    /// The lowest-scored area, when it is below 4.
    pub focus: Option<Focus>,
    /// My follow-through to the person, which the focus's advice draws on.
    pub follow_through: FollowThrough,
}

/// Compares `new` with the earlier reflections on the same person in `snap` (which does not
/// hold `new` yet).
pub fn trend(snap: &Snapshot, new: &Reflection) -> Trend {
    let mut earlier: Vec<&Reflection> = snap
        .reflections
        .iter()
        .filter(|r| r.person.uuid == new.person.uuid && r.uuid != new.uuid)
        .collect();
    earlier.sort_by_key(|r| (r.date, r.created_at, r.id));

    let areas: Vec<AreaTrend> = AREAS
        .iter()
        .map(|(area, question)| {
            let past: Vec<u8> = earlier
                .iter()
                .filter_map(|r| r.scores.get(*area).copied())
                .collect();
            let previous = past.last().copied();
            let average = mean(&past);
            let score = new.scores.get(*area).copied();
            AreaTrend {
                area: area.to_string(),
                question: question.to_string(),
                score,
                answer: new.answers.get(*area).cloned(),
                previous,
                average,
                change: score.map(|s| Change::between(f64::from(s), previous.map(f64::from))),
            }
        })
        .collect();

    let score = mean(&new.scores.values().copied().collect::<Vec<_>>()).unwrap_or(0.0);
    let overall = overall(score, &areas);
    let person = snap.person_by_uuid(new.person.uuid);
    let follow = person.map_or_else(FollowThrough::default, |p| {
        follow_through(snap, p, new.date)
    });
    // The first lowest in AREAS order, so a tie points at the more basic area.
    let focus = AREAS
        .iter()
        .filter_map(|(area, _)| new.scores.get(*area).map(|s| (*area, *s)))
        .min_by_key(|(_, s)| *s)
        .filter(|(_, s)| *s < 4)
        .map(|(area, score)| {
            let (advice, next) = advice(
                area,
                &new.person.name,
                person,
                new.answers.get(area),
                follow,
            );
            Focus {
                area: area.to_string(),
                score,
                advice,
                next,
            }
        });

    Trend {
        person: new.person.name.clone(),
        date: new.date,
        earlier: earlier.len(),
        previous_date: earlier.last().map(|r| r.date),
        areas,
        overall,
        focus,
        follow_through: follow,
    }
}

/// The overall score and its change over the areas scored both now and before.
fn overall(score: f64, areas: &[AreaTrend]) -> Overall {
    let scored = areas.iter().filter_map(|a| a.score.map(|s| (a, s)));
    let (compared, new): (Vec<_>, Vec<_>) = scored.partition(|(a, _)| a.previous.is_some());
    let now: Vec<u8> = compared.iter().map(|(_, s)| *s).collect();
    let before: Vec<u8> = compared.iter().filter_map(|(a, _)| a.previous).collect();
    let (compared_score, previous) = (mean(&now), mean(&before));
    let change = match compared_score {
        Some(now) => Change::between(round1(now), previous.map(round1)),
        None => Change::First,
    };
    let names = |list: &[(&AreaTrend, u8)]| list.iter().map(|(a, _)| a.area.clone()).collect();
    Overall {
        score,
        previous,
        change,
        compared: names(&compared),
        compared_score,
        new: names(&new),
    }
}

/// One reflection's scores, for the chart of scores over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorePoint {
    pub date: Date,
    /// Per area of [`AREAS`], in that order: the score, `None` when not scored that time.
    pub scores: Vec<Option<u8>>,
    /// The mean of the areas scored that time.
    pub average: Option<f64>,
}

/// The reflections on `person` dated within `from..=to` (either end open), oldest first, as
/// the scores per area and their mean: how the relationship has gone over time.
pub fn scores_over_time(
    reflections: &[Reflection],
    person: Uuid,
    from: Option<Date>,
    to: Option<Date>,
) -> Vec<ScorePoint> {
    let mut mine: Vec<&Reflection> = reflections
        .iter()
        .filter(|r| r.person.uuid == person)
        .filter(|r| from.is_none_or(|f| r.date >= f) && to.is_none_or(|t| r.date <= t))
        .collect();
    mine.sort_by_key(|r| (r.date, r.created_at, r.id));
    mine.into_iter()
        .map(|r| ScorePoint {
            date: r.date,
            scores: AREAS
                .iter()
                .map(|(area, _)| r.scores.get(*area).copied())
                .collect(),
            average: mean(&r.scores.values().copied().collect::<Vec<_>>()).map(round1),
        })
        .collect()
}

/// The newest reflection on `person` in `reflections` (by date, then when it was stored).
pub fn latest(reflections: &[Reflection], person: Uuid) -> Option<&Reflection> {
    reflections
        .iter()
        .filter(|r| r.person.uuid == person)
        .max_by_key(|r| (r.date, r.created_at, r.id))
}

fn mean(scores: &[u8]) -> Option<f64> {
    (!scores.is_empty())
        .then(|| scores.iter().map(|s| f64::from(*s)).sum::<f64>() / scores.len() as f64)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// One next step per area, in the spirit of the practice: what to do, and the step in upward
/// that goes with it. It starts from what is on record (docs/reflect.md#the-advice): the
/// answer I wrote for the area, the person's profile fields, my follow-through to them.
fn advice(
    area: &str,
    name: &str,
    person: Option<&Person>,
    answer: Option<&String>,
    follow: FollowThrough,
) -> (String, Option<Next>) {
    let wrote = answer.map(|a| format!("you wrote \"{}\" — ", quoted(a)));
    let (advice, next) = match area {
        "priorities" => priorities_advice(name, person, answer.is_some()),
        "expectations" => (
            format!("agree with {name} what is expected of you and how it is measured"),
            Some(Next::AddItem {
                kind: Kind::Expectation,
                field: Some("metric".into()),
            }),
        ),
        "delivery" => {
            let advice = if follow.late > 0 {
                format!(
                    "{} came late: promise less, and tell {name} before a date slips, not \
                     after; then say clearly what you need from them",
                    late_of(follow, name)
                )
            } else if follow.on_time > 0 {
                let (one, many) = follow.nouns();
                let kept = match follow.on_time {
                    1 => format!("your one {one} to {name} was kept on time"),
                    n => format!("your {n} {many} to {name} were all kept on time"),
                };
                format!(
                    "{kept}, so the gap is elsewhere: ask {name} what meeting expectations \
                     looks like to them, and say clearly what you need from them"
                )
            } else {
                format!(
                    "check with {name} that you are meeting expectations, and say clearly what \
                     you need from them"
                )
            };
            (advice, None)
        }
        "visibility" => (
            format!("send {name} an update on what you have done"),
            Some(Next::update(name)),
        ),
        _ => {
            let advice = if follow.late > 0 {
                format!(
                    "invest in the relationship: {} came late, and trust starts with promises \
                     kept — keep fewer and keep them; ask {name} how you could make their job \
                     easier",
                    late_of(follow, name)
                )
            } else {
                format!(
                    "invest in the relationship: ask {name} how you could make their job easier, \
                     and keep your promises"
                )
            };
            (advice, None)
        }
    };
    (format!("{}{advice}", wrote.unwrap_or_default()), next)
}

/// The priorities advice from the person's profile: ask for what is missing; when both their
/// priorities and their pressures are on record, check they still hold. With an answer written
/// and nothing on record, record what I wrote.
fn priorities_advice(
    name: &str,
    person: Option<&Person>,
    answered: bool,
) -> (String, Option<Next>) {
    let filled = |f: &str| {
        person
            .and_then(|p| p.profile(f))
            .is_some_and(|v| !v.trim().is_empty())
    };
    match (filled("priorities"), filled("pressures")) {
        (true, true) => (
            format!(
                "you have {name}'s priorities and pressures on record: check in your next 1:1 \
                 that they still hold, and show how your work serves them"
            ),
            Some(Next::prep(name)),
        ),
        (true, false) => (
            format!("ask {name} what pressures they are under; record them"),
            Some(Next::set_person_field(name, "pressures")),
        ),
        (false, true) => (
            format!("ask {name} what their top priorities are right now; record them"),
            Some(Next::set_person_field(name, "priorities")),
        ),
        (false, false) if answered => (
            format!("record what you know of {name}'s priorities, then check it with them"),
            Some(Next::set_person_field(name, "priorities")),
        ),
        (false, false) => (
            format!(
                "ask {name} what their top priorities are and what pressures they are under; \
                 record them"
            ),
            Some(Next::set_person_field(name, "priorities")),
        ),
    }
}

/// `2 of your last 4 promises to Dana`, `your last action to Dana`.
fn late_of(follow: FollowThrough, name: &str) -> String {
    let (one, many) = follow.nouns();
    match follow.total() {
        1 => format!("your last {one} to {name}"),
        n => format!("{} of your last {n} {many} to {name}", follow.late),
    }
}

/// An answer on one line, cut to 80 characters.
fn quoted(answer: &str) -> String {
    let line = one_line(answer);
    if line.chars().count() <= 80 {
        line
    } else {
        let cut: String = line.chars().take(79).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_date;
    use crate::workflow::fixture::World;

    const TODAY: &str = "2026-11-25";

    fn map<V: Clone>(pairs: &[(&str, V)]) -> BTreeMap<String, V> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn reflect(
        w: &World,
        scores: &[(&str, u8)],
        answers: &[(&str, &str)],
    ) -> Result<Reflection, DomainError> {
        let answers: Vec<(&str, String)> =
            answers.iter().map(|(a, t)| (*a, t.to_string())).collect();
        reflection(&w.dana(), map(scores), map(&answers), &w.clock)
    }

    #[test]
    fn scores_over_time_are_the_persons_reflections_oldest_first_per_area() {
        let w = World::at(TODAY);
        let mut first = reflect(&w, &[("rapport", 2), ("delivery", 4)], &[]).unwrap();
        first.date = parse_date("2026-09-01", w.clock.today).unwrap();
        first.id = 1;
        let mut second = reflect(&w, &[("rapport", 5)], &[]).unwrap();
        second.id = 2;
        let mut other = first.clone();
        other.person.uuid = Uuid::new_v4();
        let all = vec![second.clone(), other, first.clone()];
        let points = scores_over_time(&all, first.person.uuid, None, None);
        assert_eq!(points.len(), 2);
        assert_eq!(points[0].date, first.date);
        let rapport = AREAS.iter().position(|(a, _)| *a == "rapport").unwrap();
        let delivery = AREAS.iter().position(|(a, _)| *a == "delivery").unwrap();
        assert_eq!(points[0].scores[rapport], Some(2));
        assert_eq!(points[0].scores[delivery], Some(4));
        assert_eq!(points[0].average, Some(3.0));
        assert_eq!(points[1].scores[delivery], None);
        let since = scores_over_time(&all, first.person.uuid, Some(w.clock.today), None);
        assert_eq!(since.len(), 1);
        assert_eq!(latest(&all, first.person.uuid).map(|r| r.id), Some(2));
    }

    #[test]
    fn a_reflection_is_dated_today_for_the_person() {
        let w = World::at(TODAY);
        let r = reflect(
            &w,
            &[("Rapport", 4), ("visibility", 2)],
            &[("rapport", "good"), ("delivery", "  ")],
        )
        .unwrap();
        assert_eq!(
            (r.id, r.person.name.as_str(), r.date, r.created_at),
            (0, "Dana", w.clock.today, w.clock.now)
        );
        assert_eq!(r.scores, map(&[("rapport", 4), ("visibility", 2)]));
        assert_eq!(
            r.answers,
            map(&[("rapport", "good".to_string())]),
            "empty answers are left out"
        );
    }

    #[test]
    fn scores_must_be_1_to_5() {
        let w = World::at(TODAY);
        for bad in [0, 6] {
            let e = reflect(&w, &[("rapport", bad)], &[])
                .unwrap_err()
                .to_string();
            assert!(e.contains("a whole number from 1 to 5"), "{e}");
        }
        assert!(reflect(&w, &[("rapport", 1)], &[]).is_ok());
        assert!(reflect(&w, &[("rapport", 5)], &[]).is_ok());
    }

    #[test]
    fn areas_are_checked() {
        let w = World::at(TODAY);
        let e = reflect(&w, &[("vibes", 3)], &[]).unwrap_err().to_string();
        assert!(
            e.contains("priorities, expectations, delivery, visibility, rapport"),
            "{e}"
        );
        let e = reflect(&w, &[("rapport", 3)], &[("vibes", "x")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("area `vibes`"), "{e}");
        let e = reflect(&w, &[("rapport", 3), ("RAPPORT", 4)], &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("given twice"), "{e}");
    }

    #[test]
    fn at_least_one_score_is_needed() {
        let w = World::at(TODAY);
        let e = reflect(&w, &[], &[("rapport", "fine")])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("at least one score") && e.contains("--score"),
            "{e}"
        );
    }

    #[test]
    fn the_first_reflection_has_nothing_to_compare() {
        let w = World::at(TODAY);
        let r = reflect(&w, &[("rapport", 4), ("visibility", 3)], &[]).unwrap();
        let t = trend(&w.snap, &r);
        assert_eq!((t.earlier, t.previous_date), (0, None));
        assert_eq!(t.areas.len(), 5);
        assert_eq!(t.areas[0].area, "priorities");
        assert_eq!(t.areas[0].question, AREAS[0].1);
        assert_eq!((t.areas[0].score, t.areas[0].change), (None, None));
        let rapport = &t.areas[4];
        assert_eq!(
            (
                rapport.score,
                rapport.previous,
                rapport.average,
                rapport.change
            ),
            (Some(4), None, None, Some(Change::First))
        );
        assert_eq!(
            t.overall,
            Overall {
                score: 3.5,
                previous: None,
                change: Change::First,
                compared: vec![],
                compared_score: None,
                new: vec!["visibility".into(), "rapport".into()],
            }
        );
    }

    #[test]
    fn the_trend_compares_with_the_previous_score_and_the_earlier_average() {
        let mut w = World::at(TODAY);
        w.reflection(
            "Dana",
            "-60d",
            &[("rapport", 2), ("visibility", 4), ("delivery", 3)],
        );
        w.reflection("Dana", "-30d", &[("rapport", 3), ("delivery", 3)]);
        w.reflection("Sam", "-10d", &[("rapport", 1)]);
        let r = reflect(
            &w,
            &[("rapport", 5), ("visibility", 2), ("delivery", 3)],
            &[],
        )
        .unwrap();
        let t = trend(&w.snap, &r);
        assert_eq!((t.earlier, t.previous_date), (2, Some(w.day("-30d"))));
        let by = |a: &str| t.areas.iter().find(|x| x.area == a).unwrap();
        let rapport = by("rapport");
        assert_eq!(
            (rapport.previous, rapport.average, rapport.change),
            (Some(3), Some(2.5), Some(Change::Up))
        );
        let vis = by("visibility");
        assert_eq!(
            (vis.previous, vis.average, vis.change),
            (Some(4), Some(4.0), Some(Change::Down)),
            "previous is the last time it was scored"
        );
        assert_eq!(by("delivery").change, Some(Change::Same));
        // Rapport +2, visibility -2 (against September, its last score), delivery held.
        assert_eq!(
            t.overall,
            Overall {
                score: 10.0 / 3.0,
                previous: Some(10.0 / 3.0),
                change: Change::Same,
                compared: vec!["delivery".into(), "visibility".into(), "rapport".into()],
                compared_score: Some(10.0 / 3.0),
                new: vec![],
            }
        );
    }

    #[test]
    fn a_new_area_that_lowers_the_average_is_not_a_drop() {
        let mut w = World::at(TODAY);
        w.reflection(
            "Dana",
            "-66d",
            &[("priorities", 3), ("visibility", 2), ("rapport", 4)],
        );
        w.reflection(
            "Dana",
            "-36d",
            &[("priorities", 3), ("visibility", 3), ("rapport", 4)],
        );
        let scores = [
            ("priorities", 4),
            ("expectations", 3),
            ("delivery", 2),
            ("visibility", 3),
            ("rapport", 4),
        ];
        let t = trend(&w.snap, &reflect(&w, &scores, &[]).unwrap());
        let o = &t.overall;
        // The last reflection's mean (3.3) is above this one's (3.2) only because of the two
        // areas scored for the first time; every area scored both times went up or held.
        assert_eq!(o.score, 16.0 / 5.0);
        assert_eq!(
            (o.compared_score, o.previous, o.change),
            (Some(11.0 / 3.0), Some(10.0 / 3.0), Change::Up)
        );
        assert_eq!(o.compared, ["priorities", "visibility", "rapport"]);
        assert_eq!(o.new, ["expectations", "delivery"]);
    }

    #[test]
    fn areas_that_held_are_the_same_however_low_a_new_area_is() {
        let mut w = World::at(TODAY);
        w.reflection("Dana", "-30d", &[("rapport", 4)]);
        let r = reflect(&w, &[("rapport", 4), ("delivery", 1)], &[]).unwrap();
        let o = trend(&w.snap, &r).overall;
        assert_eq!((o.score, o.change), (2.5, Change::Same));
        assert_eq!(
            (o.compared, o.new),
            (vec!["rapport".to_string()], vec!["delivery".to_string()])
        );
    }

    #[test]
    fn with_no_area_scored_before_nothing_is_compared() {
        let mut w = World::at(TODAY);
        w.reflection("Dana", "-30d", &[("rapport", 5)]);
        let r = reflect(&w, &[("delivery", 2)], &[]).unwrap();
        let t = trend(&w.snap, &r);
        assert_eq!(t.earlier, 1);
        let o = t.overall;
        assert_eq!(
            (o.previous, o.change, o.compared_score),
            (None, Change::First, None)
        );
        assert_eq!((o.compared.len(), o.new), (0, vec!["delivery".to_string()]));
    }

    #[test]
    fn the_focus_is_the_lowest_area_below_4() {
        let w = World::at(TODAY);
        let r = reflect(
            &w,
            &[("rapport", 2), ("visibility", 2), ("delivery", 4)],
            &[],
        )
        .unwrap();
        let f = trend(&w.snap, &r).focus.unwrap();
        assert_eq!(
            (f.area.as_str(), f.score),
            ("visibility", 2),
            "ties go to the first in AREAS order"
        );
        assert_eq!(f.advice, "send Dana an update on what you have done");
        assert_eq!(f.next, Some(Next::update("Dana")));
        let r = reflect(&w, &[("rapport", 4), ("delivery", 5)], &[]).unwrap();
        assert_eq!(trend(&w.snap, &r).focus, None);
    }

    #[test]
    fn the_trend_serializes_with_snake_case_changes() {
        let w = World::at(TODAY);
        let r = reflect(&w, &[("rapport", 4)], &[]).unwrap();
        let json = serde_json::to_value(trend(&w.snap, &r)).unwrap();
        assert_eq!(json["areas"][4]["change"], "first");
        assert_eq!(json["overall"]["score"], 4.0);
        assert_eq!(json["date"], TODAY);
    }

    // ---- the advice starts from what is on record (docs/reflect.md#the-advice) ----

    fn focus(w: &World, scores: &[(&str, u8)], answers: &[(&str, &str)]) -> Focus {
        trend(&w.snap, &reflect(w, scores, answers).unwrap())
            .focus
            .unwrap()
    }

    fn set(w: &mut World, field: &str, value: &str) {
        let now = w.clock.now;
        let dana = w.snap.people.iter_mut().find(|p| p.name == "Dana").unwrap();
        dana.set(field, value, now).unwrap();
    }

    #[test]
    fn priorities_advice_asks_only_for_what_is_not_on_record() {
        let mut w = World::at(TODAY);
        let f = focus(&w, &[("priorities", 2)], &[]);
        assert_eq!(
            f.advice,
            "ask Dana what their top priorities are and what pressures they are under; record \
             them"
        );
        assert_eq!(f.next, Some(Next::set_person_field("Dana", "priorities")));
        set(&mut w, "priorities", "Ship billing by Q2");
        let f = focus(&w, &[("priorities", 2)], &[]);
        assert_eq!(
            f.advice,
            "ask Dana what pressures they are under; record them"
        );
        assert_eq!(f.next, Some(Next::set_person_field("Dana", "pressures")));
        set(&mut w, "pressures", "Board review in March");
        let f = focus(&w, &[("priorities", 2)], &[]);
        assert!(!f.advice.contains("ask Dana what"), "{}", f.advice);
        assert_eq!(
            f.advice,
            "you have Dana's priorities and pressures on record: check in your next 1:1 that \
             they still hold, and show how your work serves them"
        );
        assert_eq!(f.next, Some(Next::prep("Dana")));
    }

    #[test]
    fn the_advice_starts_from_the_answer_written_for_the_area() {
        let w = World::at(TODAY);
        let f = focus(
            &w,
            &[("priorities", 2), ("rapport", 4)],
            &[
                ("priorities", "She wants the\nmigration done by Q2"),
                ("rapport", "fine"),
            ],
        );
        assert_eq!(
            f.advice,
            "you wrote \"She wants the migration done by Q2\" — record what you know of Dana's \
             priorities, then check it with them"
        );
        let long = "x".repeat(100);
        let f = focus(&w, &[("visibility", 1)], &[("visibility", &long)]);
        assert!(
            f.advice
                .starts_with(&format!("you wrote \"{}…\" — send Dana", "x".repeat(79))),
            "{}",
            f.advice
        );
    }

    /// My commitments to Dana: (kind, due, done) relative to today; `None` done is open.
    fn committed(list: &[(Kind, &str, Option<&str>)]) -> World {
        let mut w = World::at(TODAY);
        for (n, (kind, due, done)) in list.iter().enumerate() {
            let (due, done) = (w.day(due), done.map(|d| w.day(d)));
            let i = w.add(*kind, &format!("Commitment {n}"));
            i.due = Some(due);
            if let Some(d) = done {
                i.status = crate::enums::Status::Done;
                i.done = Some(d);
            }
        }
        w
    }

    #[test]
    fn the_follow_through_counts_on_time_and_late_at_the_boundaries() {
        let w = committed(&[
            (Kind::Promise, "-10d", Some("-10d")),  // on the day: on time
            (Kind::Promise, "-10d", Some("-9d")),   // a day late
            (Kind::Action, "-1d", None),            // open past its date: late
            (Kind::Promise, "today", None),         // due today: not late yet
            (Kind::Promise, "-200d", Some("-91d")), // kept over 90 days ago: not counted
            (Kind::Promise, "-200d", Some("-90d")), // 90 days ago: counted, late
        ]);
        let dana = w.dana();
        assert_eq!(
            follow_through(&w.snap, &dana, w.clock.today),
            FollowThrough {
                on_time: 1,
                late: 3,
                actions: 1
            }
        );
        let mut w = w;
        let before = w.day("-3d");
        let dropped = w.add(Kind::Promise, "Dropped");
        dropped.status = crate::enums::Status::Dropped;
        dropped.due = Some(before);
        let theirs = w.add(Kind::Action, "Their action");
        theirs.owner = Some(Owner::Them);
        theirs.due = Some(before);
        w.person("Sam", crate::Relation::Peer);
        let to_sam = w.add(Kind::Promise, "To Sam");
        to_sam.person = Some("Sam".into());
        to_sam.due = Some(before);
        assert_eq!(
            follow_through(&w.snap, &dana, w.clock.today),
            FollowThrough {
                on_time: 1,
                late: 3,
                actions: 1
            },
            "dropped, theirs and to someone else do not count"
        );
        // Renegotiated from 10 days ago to yesterday, kept yesterday: late against the first date.
        let moved = w.add(Kind::Promise, "Renegotiated");
        moved.original_due = Some(parse_date("-10d", moved.created).unwrap());
        moved.due = Some(parse_date("-1d", moved.created).unwrap());
        moved.status = crate::enums::Status::Done;
        moved.done = moved.due;
        assert_eq!(follow_through(&w.snap, &dana, w.clock.today).late, 4);
    }

    #[test]
    fn delivery_advice_uses_the_follow_through() {
        let late = committed(&[
            (Kind::Promise, "-20d", Some("-21d")),
            (Kind::Promise, "-20d", Some("-20d")),
            (Kind::Promise, "-20d", Some("-15d")),
            (Kind::Promise, "-5d", None),
        ]);
        let f = focus(&late, &[("delivery", 2)], &[]);
        assert_eq!(
            f.advice,
            "2 of your last 4 promises to Dana came late: promise less, and tell Dana before a \
             date slips, not after; then say clearly what you need from them"
        );
        let t = trend(
            &late.snap,
            &reflect(&late, &[("delivery", 2)], &[]).unwrap(),
        );
        assert_eq!(
            t.follow_through,
            FollowThrough {
                on_time: 2,
                late: 2,
                actions: 0
            }
        );
        let one = committed(&[(Kind::Action, "-5d", None)]);
        assert!(
            focus(&one, &[("rapport", 2)], &[])
                .advice
                .starts_with("invest in the relationship: your last action to Dana came late"),
        );
        let mixed = committed(&[
            (Kind::Promise, "-20d", Some("-21d")),
            (Kind::Action, "-20d", Some("-20d")),
        ]);
        assert_eq!(
            focus(&mixed, &[("delivery", 3)], &[]).advice,
            "your 2 promises and actions to Dana were all kept on time, so the gap is \
             elsewhere: ask Dana what meeting expectations looks like to them, and say clearly \
             what you need from them"
        );
        let kept = committed(&[(Kind::Promise, "-20d", Some("-21d"))]);
        assert!(
            focus(&kept, &[("delivery", 3)], &[])
                .advice
                .starts_with("your one promise to Dana was kept on time"),
        );
        let none = World::at(TODAY);
        assert_eq!(
            focus(&none, &[("delivery", 3)], &[]).advice,
            "check with Dana that you are meeting expectations, and say clearly what you need \
             from them"
        );
    }
}
