//! Review (docs/review.md): the packet for a performance or career conversation over a
//! period — the wins with their metrics and impact, the expectations and how they were met,
//! the feedback received, the goals, and follow-through figures.
//!
//! The packet is about me, so it takes every item whatever its person. Figures are "as of
//! the end of the period": a promise kept after `to` was still open then, and one kept before
//! `from` belongs to an earlier packet.

use crate::enums::{Direction, Owner, Status, Tone};
use crate::{Clock, DomainError, Duration, DurationUnit, Item, Kind, Snapshot};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub from: Date,
    pub to: Date,
    /// The day the packet was made.
    pub date: Date,
    pub me: Option<String>,
    pub manager: Option<String>,
    pub wins: Vec<WinGroup>,
    pub expectations: Vec<ReviewExpectation>,
    pub feedback: Vec<ReviewFeedback>,
    pub goals: Vec<ReviewGoal>,
    pub follow_through: FollowThrough,
    /// Promises of the period whose due date was renegotiated, with how they ended.
    pub renegotiated: Vec<RenegotiatedPromise>,
}

/// A promise whose due date was moved: what was first committed to, the new date, and how
/// it ended (docs/review.md#renegotiated-promises).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RenegotiatedPromise {
    pub id: i64,
    pub title: String,
    pub person: Option<String>,
    pub original_due: Option<Date>,
    pub due: Option<Date>,
    /// How many times the date was moved.
    pub times: u32,
    /// When it was kept, if it was by the end of the period.
    pub done: Option<Date>,
}

impl RenegotiatedPromise {
    /// "renegotiated once, kept on the new date", "renegotiated twice, kept 3 days after the
    /// new date", "renegotiated once, still open".
    pub fn summary(&self) -> String {
        let moved = format!("renegotiated {}", crate::words::times(self.times));
        match (self.done, self.due) {
            (Some(d), Some(due)) if d <= due => format!("{moved}, kept on the new date"),
            (Some(d), Some(due)) => format!(
                "{moved}, kept {} after the new date",
                crate::words::count(crate::days_between(due, d), "day")
            ),
            (Some(_), None) => format!("{moved}, kept"),
            (None, _) => format!("{moved}, still open"),
        }
    }
}

/// Wins sharing a first tag. Each win appears once, under its first tag (the one the user
/// wrote first is taken as its main theme), so the counts add up; its other tags are listed
/// on it. `tag` is `None` for untagged wins, shown as "Other" and last.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WinGroup {
    pub tag: Option<String>,
    pub wins: Vec<ReviewWin>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewWin {
    pub id: i64,
    pub title: String,
    pub date: Date,
    pub metric: Option<String>,
    pub impact: Option<String>,
    pub body: Option<String>,
    pub person: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewExpectation {
    pub id: i64,
    pub title: String,
    pub metric: Option<String>,
    pub confirmed: Option<Date>,
    pub status: Status,
    /// When it was marked done (met) within the period.
    pub met: Option<Date>,
    pub person: Option<String>,
    /// Wins of the period recorded for it (`add win … --for ID`): it was met by them.
    pub met_by: Vec<Evidence>,
    /// Other wins of the period that share a tag with it: how it was met.
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub id: i64,
    pub title: String,
    pub metric: Option<String>,
    pub date: Date,
}

impl Evidence {
    fn of(win: &Item) -> Evidence {
        Evidence {
            id: win.id,
            title: win.title.clone(),
            metric: win.metric.clone(),
            date: win.date.or(win.done).unwrap_or(win.created),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewFeedback {
    pub id: i64,
    pub title: String,
    pub person: Option<String>,
    pub date: Date,
    pub tone: Option<Tone>,
    pub body: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewGoal {
    pub id: i64,
    pub title: String,
    pub status: Status,
    pub last_discussed: Option<Date>,
    pub body: Option<String>,
    /// Wins of the period recorded for it (`add win … --for ID`).
    pub wins: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FollowThrough {
    pub promises: PromiseFigures,
    pub actions: ActionFigures,
}

/// A promise dropped before its due date (or with none) is left out: dropping one openly,
/// in time, is not breaking it. One dropped after its due date had passed was broken first:
/// it is `dropped_late`, not kept, and counts against the on-time rate (docs/review.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PromiseFigures {
    /// Done on or before the due date first committed to (or done, with no due date): a
    /// renegotiated date does not make a late promise on time.
    pub kept_on_time: usize,
    pub kept_late: usize,
    pub open: usize,
    /// Of those counted above, the promises whose due date was renegotiated.
    pub renegotiated: usize,
    /// Percent of the settled promises (kept, or dropped after their due date) kept on time
    /// (against the date first committed to), rounded down; `None` when none was settled.
    pub on_time_rate: Option<u32>,
    /// Dropped in the period after their due date had passed: not kept.
    pub dropped_late: usize,
}

/// The packet scores my follow-through: `me` is shown; `them` (actions others own, my
/// manager's included) stays in the JSON for scripts but is not shown or scored in the
/// packet, which is prepared for a conversation with that manager.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ActionFigures {
    pub me: Tally,
    pub them: Tally,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub done: usize,
    pub open: usize,
    /// Dropped in the period after their due date had passed: not done.
    pub dropped_late: usize,
}

impl Review {
    pub fn win_count(&self) -> usize {
        self.wins.iter().map(|g| g.wins.len()).sum()
    }
}

/// The kinds of item [`review`] reads; a snapshot for it may leave out the others (see
/// [`crate::workflow::prep::KINDS`]).
pub const KINDS: &[Kind] = &[
    Kind::Win,
    Kind::Expectation,
    Kind::Feedback,
    Kind::Goal,
    Kind::Promise,
    Kind::Action,
];

/// The kinds of which [`review`] reads items that are done: all it reads (see
/// [`crate::workflow::prep::DONE_KINDS`]). It also reads dropped promises and actions (one
/// dropped after its due date is not kept), so its use case asks for every closed item.
pub const DONE_KINDS: &[Kind] = KINDS;

/// The packet for `from..=to` (the caller's default is the last 6 months).
pub fn review(snap: &Snapshot, from: Date, to: Date, clock: &Clock) -> Review {
    let (from, to) = if from <= to { (from, to) } else { (to, from) };
    let within = |d: Date| from <= d && d <= to;
    let live = |i: &&Item| i.status != Status::Dropped;

    let mut wins: Vec<&Item> = snap
        .items
        .iter()
        .filter(|i| i.kind == Kind::Win)
        .filter(live)
        .filter(|i| i.date.or(i.done).is_some_and(within))
        .collect();
    wins.sort_by_key(|i| (i.date.or(i.done), i.id));

    Review {
        from,
        to,
        date: clock.today,
        me: snap.me().map(|p| p.name.clone()),
        manager: snap.manager().map(|p| p.name.clone()),
        wins: group_wins(&wins),
        expectations: standing(snap, Kind::Expectation, from, to)
            .map(|e| ReviewExpectation {
                id: e.id,
                title: e.title.clone(),
                metric: e.metric.clone(),
                confirmed: e.confirmed,
                status: if e.done.is_some_and(|d| d <= to) {
                    Status::Done
                } else {
                    Status::Open
                },
                met: e.done.filter(|d| within(*d)),
                person: e.person.as_ref().map(|p| p.name.clone()),
                met_by: wins
                    .iter()
                    .filter(|w| w.for_item == Some(e.uuid))
                    .map(|w| Evidence::of(w))
                    .collect(),
                evidence: wins
                    .iter()
                    .filter(|w| w.for_item != Some(e.uuid))
                    .filter(|w| w.tags.iter().any(|t| e.tags.contains(t)))
                    .map(|w| Evidence::of(w))
                    .collect(),
            })
            .collect(),
        feedback: {
            let mut received: Vec<&Item> = snap
                .items
                .iter()
                .filter(|i| i.kind == Kind::Feedback && i.direction == Some(Direction::Received))
                .filter(live)
                .filter(|i| within(i.created))
                .collect();
            received.sort_by_key(|i| (i.created, i.id));
            received
                .into_iter()
                .map(|f| ReviewFeedback {
                    id: f.id,
                    title: f.title.clone(),
                    person: f.person.as_ref().map(|p| p.name.clone()),
                    date: f.created,
                    tone: f.tone,
                    body: f.body.clone(),
                })
                .collect()
        },
        goals: standing(snap, Kind::Goal, from, to)
            .map(|g| ReviewGoal {
                id: g.id,
                title: g.title.clone(),
                status: if g.done.is_some_and(|d| d <= to) {
                    Status::Done
                } else {
                    Status::Open
                },
                last_discussed: g.last_discussed,
                body: g.body.clone(),
                wins: wins
                    .iter()
                    .filter(|w| w.for_item == Some(g.uuid))
                    .map(|w| Evidence::of(w))
                    .collect(),
            })
            .collect(),
        follow_through: follow_through(snap, from, to),
        renegotiated: renegotiated(snap, from, to),
    }
}

/// The period of a review as typed: `from` and `to` as dates (`2026-06-01`, `-3m`, …); `to`
/// defaults to today and `from` to 6 months before `to`. A period that ends before it starts
/// is refused. One parser, so the command line and the web app read a period alike.
pub fn period(
    from: Option<&str>,
    to: Option<&str>,
    today: Date,
) -> Result<(Date, Date), DomainError> {
    fn given(d: Option<&str>) -> Option<&str> {
        d.map(str::trim).filter(|d| !d.is_empty())
    }
    let to = given(to)
        .map(|d| crate::parse_date(d, today))
        .transpose()?
        .unwrap_or(today);
    let from = match given(from) {
        Some(d) => crate::parse_date(d, today)?,
        None => Duration {
            n: 6,
            unit: DurationUnit::Month,
        }
        .before(to),
    };
    if from > to {
        return Err(DomainError::Rule(format!(
            "--from {from} is after --to {to} — give a period that starts before it ends"
        )));
    }
    Ok((from, to))
}

/// A period of more months than this is charted by year, so a chart stays readable.
pub const MAX_MONTHS: usize = 24;

/// The packet's figures slice by slice (by month, or by year over a long period), for the
/// charts beside it: the wins under the same first tags as [`Review::wins`], and the
/// follow-through counted as [`Review::follow_through`] is, over each slice alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Monthly {
    /// The tags of the win groups, in the packet's order (`None`: untagged, "Other", last).
    pub tags: Vec<Option<String>>,
    pub months: Vec<Month>,
}

/// One slice of the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Month {
    /// `2026-07` (or `2026` for a year), the period's own days only.
    pub label: String,
    pub from: Date,
    pub to: Date,
    /// Per tag of [`Monthly::tags`], the wins dated in the slice.
    pub wins: Vec<usize>,
    /// Promises kept on time and late, and still open at the slice's end; actions done and
    /// open per owner: counted as for a packet of the slice alone.
    pub follow_through: FollowThrough,
}

/// The slices of `from..=to`: calendar months, or years when there are more than
/// [`MAX_MONTHS`] months; the first and last cut to the period.
pub fn slices(from: Date, to: Date) -> Vec<(String, Date, Date)> {
    let months = (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(to.month())
        - i64::from(from.month())
        + 1;
    let by_year = months > MAX_MONTHS as i64;
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let (end, label) = if by_year {
            (start.last_of_year(), format!("{:04}", start.year()))
        } else {
            (
                start.last_of_month(),
                format!("{:04}-{:02}", start.year(), start.month()),
            )
        };
        let end = end.min(to);
        out.push((label, start, end));
        match end.tomorrow() {
            Ok(next) => start = next,
            Err(_) => break,
        }
    }
    out
}

/// The packet for `from..=to` sliced for the charts (see [`Monthly`]).
pub fn monthly(snap: &Snapshot, from: Date, to: Date, clock: &Clock) -> Monthly {
    let (from, to) = if from <= to { (from, to) } else { (to, from) };
    monthly_of(snap, &review(snap, from, to, clock))
}

/// [`monthly`] of a packet already built from `snap` (its period is the packet's).
pub fn monthly_of(snap: &Snapshot, packet: &Review) -> Monthly {
    let (from, to) = (packet.from, packet.to);
    let tags: Vec<Option<String>> = packet.wins.iter().map(|g| g.tag.clone()).collect();
    let months = slices(from, to)
        .into_iter()
        .map(|(label, start, end)| Month {
            wins: packet
                .wins
                .iter()
                .map(|g| {
                    g.wins
                        .iter()
                        .filter(|w| start <= w.date && w.date <= end)
                        .count()
                })
                .collect(),
            follow_through: follow_through(snap, start, end),
            label,
            from: start,
            to: end,
        })
        .collect();
    Monthly { tags, months }
}

/// The promises of the period (as follow-through counts them) whose due date moved.
fn renegotiated(snap: &Snapshot, from: Date, to: Date) -> Vec<RenegotiatedPromise> {
    let mut v: Vec<&Item> = snap
        .items
        .iter()
        .filter(|i| i.kind == Kind::Promise && i.renegotiated > 0)
        .filter(|i| i.status != Status::Dropped && i.created <= to)
        .filter(|i| i.status != Status::Done || i.done.unwrap_or(i.created) >= from)
        .collect();
    v.sort_by_key(|i| (i.created, i.id));
    v.into_iter()
        .map(|i| RenegotiatedPromise {
            id: i.id,
            title: i.title.clone(),
            person: i.person.as_ref().map(|p| p.name.clone()),
            original_due: i.original_due,
            due: i.due,
            times: i.renegotiated,
            done: (i.status == Status::Done)
                .then(|| i.done.unwrap_or(i.created))
                .filter(|d| *d <= to),
        })
        .collect()
}

/// Items that stood during the period: created by its end, not dropped, and not finished
/// before it began.
fn standing(snap: &Snapshot, kind: Kind, from: Date, to: Date) -> impl Iterator<Item = &Item> {
    let mut v: Vec<&Item> = snap
        .items
        .iter()
        .filter(move |i| i.kind == kind && i.status != Status::Dropped)
        .filter(move |i| i.created <= to && i.done.is_none_or(|d| d >= from))
        .collect();
    v.sort_by_key(|i| (i.created, i.id));
    v.into_iter()
}

fn group_wins(wins: &[&Item]) -> Vec<WinGroup> {
    let mut by_tag: BTreeMap<Option<String>, Vec<ReviewWin>> = BTreeMap::new();
    for w in wins {
        by_tag
            .entry(w.tags.first().cloned())
            .or_default()
            .push(ReviewWin {
                id: w.id,
                title: w.title.clone(),
                date: w.date.or(w.done).unwrap_or(w.created),
                metric: w.metric.clone(),
                impact: w.impact.clone(),
                body: w.body.clone(),
                person: w.person.as_ref().map(|p| p.name.clone()),
                tags: w.tags.clone(),
            });
    }
    let mut groups: Vec<WinGroup> = by_tag
        .into_iter()
        .map(|(tag, wins)| WinGroup { tag, wins })
        .collect();
    // The biggest themes first; "Other" always last.
    groups.sort_by(|a, b| {
        (a.tag.is_none(), std::cmp::Reverse(a.wins.len()), &a.tag).cmp(&(
            b.tag.is_none(),
            std::cmp::Reverse(b.wins.len()),
            &b.tag,
        ))
    });
    groups
}

/// How a promise or an action stood at the end of the period.
enum State {
    Done(Date),
    Open,
    /// Dropped in the period after its due date had passed.
    DroppedLate,
}

/// The day an item was dropped: the day of its last change (UTC), which is its drop unless
/// it was edited afterwards.
pub fn dropped_on(item: &Item) -> Date {
    item.updated_at
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

/// `None` for an item that does not count in this period: closed before it, dropped in time
/// (before its due date, or with none), or made after it.
fn state(i: &Item, from: Date, to: Date) -> Option<State> {
    if i.created > to {
        return None;
    }
    match i.status {
        // A status of done without a date is taken as done on its creation day.
        Status::Done => match i.done.unwrap_or(i.created) {
            d if d < from => None,
            d if d <= to => Some(State::Done(d)),
            _ => Some(State::Open),
        },
        Status::Dropped => match dropped_on(i) {
            d if d < from => None,
            // Dropped after the period: it was still open at its end.
            d if d > to => Some(State::Open),
            d if i.due.is_some_and(|due| d > due) => Some(State::DroppedLate),
            _ => None,
        },
        Status::Open => Some(State::Open),
    }
}

fn follow_through(snap: &Snapshot, from: Date, to: Date) -> FollowThrough {
    let mut f = FollowThrough::default();
    for i in &snap.items {
        let Some(state) = state(i, from, to) else {
            continue;
        };
        match i.kind {
            Kind::Promise => {
                match state {
                    State::Done(d) if i.kept_on_time(d) => f.promises.kept_on_time += 1,
                    State::Done(_) => f.promises.kept_late += 1,
                    State::Open => f.promises.open += 1,
                    State::DroppedLate => f.promises.dropped_late += 1,
                }
                if i.renegotiated > 0 {
                    f.promises.renegotiated += 1;
                }
            }
            Kind::Action => {
                let tally = match i.owner.unwrap_or(Owner::Me) {
                    Owner::Me => &mut f.actions.me,
                    Owner::Them => &mut f.actions.them,
                };
                match state {
                    State::Done(_) => tally.done += 1,
                    State::Open => tally.open += 1,
                    State::DroppedLate => tally.dropped_late += 1,
                }
            }
            _ => {}
        }
    }
    let p = &f.promises;
    let settled = p.kept_on_time + p.kept_late + p.dropped_late;
    f.promises.on_time_rate = (settled > 0).then(|| (p.kept_on_time * 100 / settled) as u32);
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::Relation;
    use crate::{ItemInput, Person};
    use jiff::civil::date;

    fn clock() -> Clock {
        Clock::fixed("2026-11-23").unwrap()
    }

    const FROM: Date = date(2026, 6, 1);
    const TO: Date = date(2026, 11, 23);

    fn add<'a>(s: &'a mut Snapshot, kind: Kind, title: &str, input: ItemInput) -> &'a mut Item {
        let id = s.items.len() as i64 + 1;
        let mut item = Item::new(
            kind,
            ItemInput {
                title: Some(title.into()),
                ..input
            },
            &clock(),
            1,
        )
        .unwrap();
        item.id = id;
        item.created = date(2026, 7, 1);
        s.items.push(item);
        s.items.last_mut().unwrap()
    }

    fn win(s: &mut Snapshot, title: &str, on: Date, tags: &[&str]) {
        let input = ItemInput {
            date: Some(on),
            tags: Some(tags.iter().map(|t| t.to_string()).collect()),
            ..Default::default()
        };
        add(s, Kind::Win, title, input);
    }

    fn done(item: &mut Item, on: Date) {
        item.status = Status::Done;
        item.done = Some(on);
    }

    #[test]
    fn a_period_defaults_to_six_months_to_today_and_must_not_end_before_it_starts() {
        let today = date(2026, 11, 23);
        assert_eq!(
            period(None, None, today).unwrap(),
            (date(2026, 5, 23), today)
        );
        assert_eq!(
            period(Some("2026-01-01"), Some(""), today).unwrap(),
            (date(2026, 1, 1), today)
        );
        let e = period(Some("2026-11-24"), Some("2026-11-23"), today).unwrap_err();
        assert!(e.to_string().contains("is after"), "{e}");
        assert!(period(Some("yesterdayish"), None, today).is_err());
    }

    #[test]
    fn slices_are_months_cut_to_the_period_or_years_over_a_long_one() {
        let s = slices(date(2026, 6, 15), date(2026, 8, 3));
        let labels: Vec<_> = s.iter().map(|(l, _, _)| l.as_str()).collect();
        assert_eq!(labels, ["2026-06", "2026-07", "2026-08"]);
        assert_eq!((s[0].1, s[0].2), (date(2026, 6, 15), date(2026, 6, 30)));
        assert_eq!((s[2].1, s[2].2), (date(2026, 8, 1), date(2026, 8, 3)));
        let long = slices(date(2020, 3, 1), date(2026, 11, 23));
        assert_eq!(long.len(), 7);
        assert_eq!(long[0].0, "2020");
        assert_eq!(slices(date(2026, 11, 23), date(2026, 11, 23)).len(), 1);
    }

    #[test]
    fn monthly_wins_and_follow_through_add_up_to_the_packet() {
        let mut s = Snapshot::default();
        win(&mut s, "Fast", date(2026, 7, 10), &["perf"]);
        win(&mut s, "Faster", date(2026, 7, 20), &["perf"]);
        win(&mut s, "Lead", date(2026, 9, 1), &["leadership"]);
        win(&mut s, "Untagged", date(2026, 9, 2), &[]);
        let kept = add(
            &mut s,
            Kind::Promise,
            "Kept",
            ItemInput {
                due: Some(date(2026, 8, 10)),
                ..Default::default()
            },
        );
        done(kept, date(2026, 8, 5));
        let late = add(
            &mut s,
            Kind::Promise,
            "Late",
            ItemInput {
                due: Some(date(2026, 8, 1)),
                ..Default::default()
            },
        );
        done(late, date(2026, 9, 5));
        add(&mut s, Kind::Promise, "Open", ItemInput::default());
        let m = monthly(&s, FROM, TO, &clock());
        assert_eq!(
            m.tags,
            [
                Some("perf".to_string()),
                Some("leadership".to_string()),
                None
            ]
        );
        assert_eq!(m.months.len(), 6);
        let at = |label: &str| m.months.iter().find(|x| x.label == label).unwrap();
        assert_eq!(at("2026-07").wins, [2, 0, 0]);
        assert_eq!(at("2026-09").wins, [0, 1, 1]);
        assert_eq!(at("2026-08").follow_through.promises.kept_on_time, 1);
        assert_eq!(at("2026-09").follow_through.promises.kept_late, 1);
        assert_eq!(at("2026-11").follow_through.promises.open, 1);
        let packet = review(&s, FROM, TO, &clock());
        let total: usize = m.months.iter().flat_map(|x| x.wins.iter()).sum();
        assert_eq!(total, packet.win_count());
    }

    #[test]
    fn wins_group_under_their_first_tag_biggest_first_other_last() {
        let mut s = Snapshot::default();
        win(&mut s, "Old", date(2026, 5, 31), &["perf"]);
        win(&mut s, "Untagged", date(2026, 6, 1), &[]);
        win(&mut s, "Lead", date(2026, 9, 1), &["leadership", "perf"]);
        win(&mut s, "Fast", date(2026, 8, 1), &["perf"]);
        win(&mut s, "Faster", date(2026, 7, 1), &["perf"]);
        win(&mut s, "Edge", TO, &["devex"]);
        let r = review(&s, FROM, TO, &clock());
        let groups: Vec<(Option<&str>, Vec<&str>)> = r
            .wins
            .iter()
            .map(|g| {
                (
                    g.tag.as_deref(),
                    g.wins.iter().map(|w| w.title.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            groups,
            [
                (Some("perf"), vec!["Faster", "Fast"]),
                (Some("devex"), vec!["Edge"]),
                (Some("leadership"), vec!["Lead"]),
                (None, vec!["Untagged"]),
            ]
        );
        assert_eq!(
            r.win_count(),
            5,
            "each win once; the one before the period left out"
        );
    }

    #[test]
    fn promises_kept_on_time_late_and_open_as_of_the_end_of_the_period() {
        let mut s = Snapshot::default();
        let due = |d| ItemInput {
            due: Some(d),
            ..Default::default()
        };
        done(
            add(&mut s, Kind::Promise, "on the day", due(date(2026, 8, 1))),
            date(2026, 8, 1),
        );
        done(
            add(&mut s, Kind::Promise, "early", due(date(2026, 8, 1))),
            date(2026, 7, 20),
        );
        done(
            add(&mut s, Kind::Promise, "no due", ItemInput::default()),
            date(2026, 7, 20),
        );
        done(
            add(&mut s, Kind::Promise, "late", due(date(2026, 8, 1))),
            date(2026, 8, 2),
        );
        add(&mut s, Kind::Promise, "open", due(date(2026, 12, 1)));
        done(
            add(
                &mut s,
                Kind::Promise,
                "kept after the period",
                ItemInput::default(),
            ),
            date(2026, 12, 1),
        );
        done(
            add(
                &mut s,
                Kind::Promise,
                "kept before it",
                ItemInput::default(),
            ),
            date(2026, 5, 1),
        );
        add(&mut s, Kind::Promise, "dropped", ItemInput::default()).status = Status::Dropped;
        add(&mut s, Kind::Promise, "made after it", ItemInput::default()).created =
            date(2026, 12, 1);
        let r = review(&s, FROM, TO, &clock());
        assert_eq!(
            r.follow_through.promises,
            PromiseFigures {
                kept_on_time: 3,
                kept_late: 1,
                open: 2,
                renegotiated: 0,
                on_time_rate: Some(75),
                dropped_late: 0,
            }
        );
    }

    /// Issue #15: a promise kept 5 days late after `edit --due` counted as kept on time.
    #[test]
    fn a_renegotiated_promise_counts_against_its_original_date() {
        let mut s = Snapshot::default();
        let due = |d| ItemInput {
            due: Some(d),
            ..Default::default()
        };
        let later = Clock::fixed("2026-09-03").unwrap();
        let p = add(&mut s, Kind::Promise, "Design doc", due(date(2026, 9, 4)));
        p.move_due(date(2026, 9, 9), &later);
        done(p, date(2026, 9, 9));
        let q = add(&mut s, Kind::Promise, "Runbook", due(date(2026, 9, 4)));
        q.move_due(date(2026, 9, 9), &later);
        q.move_due(date(2026, 9, 11), &later);
        done(q, date(2026, 9, 14));
        let r = review(&s, FROM, TO, &clock());
        let f = r.follow_through.promises;
        assert_eq!(
            (f.kept_on_time, f.kept_late, f.renegotiated, f.on_time_rate),
            (0, 2, 2, Some(0))
        );
        let texts: Vec<String> = r.renegotiated.iter().map(|p| p.summary()).collect();
        assert_eq!(
            texts,
            [
                "renegotiated once, kept on the new date",
                "renegotiated twice, kept 3 days after the new date"
            ]
        );
        assert_eq!(r.renegotiated[0].original_due, Some(date(2026, 9, 4)));
    }

    /// Issue #15: an expectation met by a win showed "Ongoing".
    #[test]
    fn wins_recorded_for_an_expectation_or_a_goal_are_how_they_were_met() {
        let mut s = Snapshot::default();
        let e = add(
            &mut s,
            Kind::Expectation,
            "Own reliability",
            ItemInput::default(),
        )
        .uuid;
        let g = add(&mut s, Kind::Goal, "Lead a project", ItemInput::default()).uuid;
        for (title, target) in [("99.95% uptime", e), ("Led the migration", g)] {
            let w = add(&mut s, Kind::Win, title, ItemInput::default());
            w.for_item = Some(target);
            w.date = Some(date(2026, 9, 1));
        }
        let r = review(&s, FROM, TO, &clock());
        let met: Vec<&str> = r.expectations[0]
            .met_by
            .iter()
            .map(|w| w.title.as_str())
            .collect();
        assert_eq!(met, ["99.95% uptime"]);
        assert!(r.expectations[0].evidence.is_empty());
        assert_eq!(r.goals[0].wins[0].title, "Led the migration");
    }

    #[test]
    fn actions_are_counted_per_owner() {
        let mut s = Snapshot::default();
        let them = || ItemInput {
            owner: Some(Owner::Them),
            ..Default::default()
        };
        done(
            add(&mut s, Kind::Action, "a", ItemInput::default()),
            date(2026, 9, 1),
        );
        done(
            add(&mut s, Kind::Action, "b", ItemInput::default()),
            date(2026, 9, 2),
        );
        add(&mut s, Kind::Action, "c", ItemInput::default());
        done(add(&mut s, Kind::Action, "d", them()), date(2026, 9, 1));
        add(&mut s, Kind::Action, "e", them());
        add(&mut s, Kind::Action, "f", them());
        let r = review(&s, FROM, TO, &clock());
        assert_eq!(
            r.follow_through.actions,
            ActionFigures {
                me: Tally {
                    done: 2,
                    open: 1,
                    dropped_late: 0
                },
                them: Tally {
                    done: 1,
                    open: 2,
                    dropped_late: 0
                }
            }
        );
        assert_eq!(
            review(&Snapshot::default(), FROM, TO, &clock())
                .follow_through
                .promises
                .on_time_rate,
            None
        );
    }

    #[test]
    fn expectations_show_how_they_were_met_with_wins_sharing_a_tag() {
        let mut s = Snapshot::default();
        win(&mut s, "Cut latency", date(2026, 8, 1), &["perf"]);
        win(&mut s, "Unrelated", date(2026, 8, 1), &["devex"]);
        let e = add(
            &mut s,
            Kind::Expectation,
            "Keep checkout fast",
            ItemInput {
                tags: Some(vec!["perf".into()]),
                metric: Some("p99 < 300 ms".into()),
                ..Default::default()
            },
        );
        done(e, date(2026, 10, 1));
        let old = add(
            &mut s,
            Kind::Expectation,
            "Met long ago",
            ItemInput::default(),
        );
        done(old, date(2026, 1, 1));
        add(&mut s, Kind::Expectation, "Ongoing", ItemInput::default());
        let r = review(&s, FROM, TO, &clock());
        let titles: Vec<&str> = r.expectations.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Keep checkout fast", "Ongoing"]);
        let fast = &r.expectations[0];
        assert_eq!(
            (fast.status, fast.met),
            (Status::Done, Some(date(2026, 10, 1)))
        );
        assert_eq!(
            fast.evidence
                .iter()
                .map(|e| e.title.as_str())
                .collect::<Vec<_>>(),
            ["Cut latency"]
        );
        assert_eq!(r.expectations[1].status, Status::Open);
    }

    #[test]
    fn feedback_received_in_the_period_and_goals_that_stood() {
        let mut s = Snapshot {
            people: vec![Person::new("Dana", Relation::Manager, clock().now).unwrap()],
            ..Default::default()
        };
        add(
            &mut s,
            Kind::Feedback,
            "Clear launch note",
            ItemInput {
                direction: Some(Direction::Received),
                ..Default::default()
            },
        );
        add(&mut s, Kind::Feedback, "To give", ItemInput::default());
        add(
            &mut s,
            Kind::Feedback,
            "Too old",
            ItemInput {
                direction: Some(Direction::Received),
                ..Default::default()
            },
        )
        .created = date(2026, 1, 1);
        add(
            &mut s,
            Kind::Goal,
            "Staff engineer",
            ItemInput {
                last_discussed: Some(date(2026, 7, 15)),
                ..Default::default()
            },
        );
        let r = review(&s, FROM, TO, &clock());
        assert_eq!(
            r.feedback
                .iter()
                .map(|f| f.title.as_str())
                .collect::<Vec<_>>(),
            ["Clear launch note"]
        );
        assert_eq!(r.goals[0].last_discussed, Some(date(2026, 7, 15)));
        assert_eq!(r.manager.as_deref(), Some("Dana"));
    }

    #[test]
    fn a_reversed_period_is_put_the_right_way_round() {
        let r = review(&Snapshot::default(), TO, FROM, &clock());
        assert_eq!((r.from, r.to), (FROM, TO));
    }

    #[test]
    fn a_promise_or_action_dropped_after_its_due_date_is_not_kept() {
        let mut s = Snapshot::default();
        let due = |d| ItemInput {
            due: Some(d),
            ..Default::default()
        };
        let drop_on = |item: &mut Item, on: &str| {
            item.status = Status::Dropped;
            item.updated_at = format!("{on}T12:00:00Z").parse().unwrap();
        };
        done(
            add(&mut s, Kind::Promise, "kept", due(date(2026, 8, 1))),
            date(2026, 8, 1),
        );
        // Due 1 Aug: dropped the day after is late, on the day is in time.
        drop_on(
            add(&mut s, Kind::Promise, "dropped late", due(date(2026, 8, 1))),
            "2026-08-02",
        );
        drop_on(
            add(
                &mut s,
                Kind::Promise,
                "dropped on the day",
                due(date(2026, 8, 1)),
            ),
            "2026-08-01",
        );
        drop_on(
            add(&mut s, Kind::Promise, "no due", ItemInput::default()),
            "2026-08-02",
        );
        // Dropped late but before the period: an earlier packet's; after it: open then.
        drop_on(
            add(&mut s, Kind::Promise, "before", due(date(2026, 5, 1))),
            "2026-05-20",
        );
        drop_on(
            add(&mut s, Kind::Promise, "after", due(date(2026, 8, 1))),
            "2026-11-24",
        );
        drop_on(
            add(&mut s, Kind::Action, "mine late", due(date(2026, 8, 1))),
            "2026-08-10",
        );
        let theirs = ItemInput {
            owner: Some(Owner::Them),
            ..due(date(2026, 8, 1))
        };
        drop_on(
            add(&mut s, Kind::Action, "theirs late", theirs),
            "2026-08-10",
        );
        let r = review(&s, FROM, TO, &clock());
        assert_eq!(
            r.follow_through.promises,
            PromiseFigures {
                kept_on_time: 1,
                kept_late: 0,
                open: 1,
                renegotiated: 0,
                on_time_rate: Some(50),
                dropped_late: 1,
            }
        );
        assert_eq!(r.follow_through.actions.me.dropped_late, 1);
        assert_eq!(r.follow_through.actions.them.dropped_late, 1);
    }
}
