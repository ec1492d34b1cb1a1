//! Prep (docs/prep.md): the agenda for the next 1:1 with a person, built from everything
//! recorded about them, most important first.
//!
//! An agenda is a list of sections in a fixed order (follow-ups before wins before blockers, …);
//! each section holds the items that need that conversation now and says why. Empty sections
//! are left out, so an agenda is only as long as what needs saying. How much of it is shown
//! (a `brief` person sees at most seven items) is the renderer's decision, made from
//! [`Agenda::length`].

use crate::enums::{Direction, Length, Owner, Status, Tone};
use crate::words::{ago, count, due_phrase, one_line};
use crate::workflow::rules::{
    MILESTONE_FEEDBACK_DAYS, feedback_requested_since, goal_is_stale, on_ranked_list,
    open_working_days, reflection_is_due,
};
use crate::{Clock, Duration, Item, Kind, Next, Person, Snapshot, days_between};
use jiff::civil::Date;
use serde::Serialize;

/// The section keys, in the order an agenda shows them.
pub const SECTION_KEYS: [&str; 10] = [
    "follow_up",
    "wins",
    "blockers",
    "risks",
    "priorities",
    "expectations",
    "feedback",
    "career",
    "relationship",
    "know_them",
];

/// How many "know them" questions one agenda asks: enough to start a conversation, few enough
/// not to turn the 1:1 into an interview.
pub const KNOW_THEM_QUESTIONS: usize = 2;

/// The cadence used to judge a confirmation stale when the person has none (as `update` looks
/// one cadence back, 7 days by default).
const DEFAULT_CADENCE: Duration = Duration {
    n: 7,
    unit: crate::DurationUnit::Day,
};

#[derive(Debug, Clone, Serialize)]
pub struct Agenda {
    pub person: String,
    pub date: Date,
    pub sections: Vec<Section>,
    /// The person's preferred length, which decides how much the markdown shows.
    #[serde(skip)]
    pub length: Option<Length>,
}

impl Agenda {
    /// The number of items over all sections.
    pub fn item_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }

    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub key: String,
    pub title: String,
    pub items: Vec<AgendaItem>,
    /// A line of guidance shown under the title (the `know_them` section has one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgendaItem {
    /// The item's id, for `meet --discussed`; `None` for prompts that are not items.
    pub id: Option<i64>,
    /// What to raise, on one line.
    pub text: String,
    /// Why it is on the agenda now, in words.
    pub reason: String,
    /// Supporting detail, shown for a `detailed` person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The step the reason calls for, when there is one to take in upward (reflect after the
    /// 1:1, record what they answered).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Next>,
}

/// The kinds of item [`prep`] reads. A snapshot for it may leave out the others (notes, ideas
/// and promises: on a database of many years, most of the open items); `upward-bench`'s
/// `kinds` test checks that the agenda stays the same.
pub const KINDS: &[Kind] = &[
    Kind::Action,
    Kind::Topic,
    Kind::Win,
    Kind::Blocker,
    Kind::Risk,
    Kind::Priority,
    Kind::Expectation,
    Kind::Feedback,
    Kind::Goal,
];

/// The kinds of which [`prep`] reads items that are done: wins not yet discussed, finished
/// priorities (a milestone to ask feedback on) and feedback requested since. Of the others it
/// reads only open items, and it never reads dropped ones; the `kinds` test checks this too.
pub const DONE_KINDS: &[Kind] = &[Kind::Win, Kind::Priority, Kind::Feedback];

/// The kinds of which [`prep`] reads every open item on `person`'s agenda, whoever the item
/// belongs with: on my manager's, priorities (every one is on their ranked list:
/// [`on_ranked_list`]); on anyone else's, none. Of the other items it reads only those that
/// belong with the person ([`Snapshot::is_for`]), so a snapshot for it may leave the rest
/// out; the `kinds` test checks this too.
pub fn everyones_open(people: &[Person], person: &Person) -> &'static [Kind] {
    if crate::person::manager(people).is_some_and(|m| m.uuid == person.uuid) {
        &[Kind::Priority]
    } else {
        &[]
    }
}

/// Builds the agenda for the next 1:1 with `person` as of `clock.today`.
pub fn prep(snap: &Snapshot, person: &Person, clock: &Clock) -> Agenda {
    let ctx = Ctx {
        snap,
        person,
        theirs: snap
            .items
            .iter()
            .filter(|i| snap.is_for(i, person))
            .collect(),
        today: clock.today,
        last_meeting: snap.last_meeting(person.uuid),
    };
    let know_them_title = format!("Getting to know {}", person.name);
    let sections = [
        section("follow_up", "Follow-ups", follow_up(&ctx)),
        section("wins", "Wins since our last 1:1", wins(&ctx)),
        section("blockers", "Blockers — and what I need", blockers(&ctx)),
        section("risks", "Risks", risks(&ctx)),
        section(
            "priorities",
            "Priorities — are we aligned on this order?",
            priorities(&ctx),
        ),
        section(
            "expectations",
            "Expectations to align on",
            expectations(&ctx),
        ),
        section("feedback", "Feedback", feedback(&ctx)),
        section("career", "Career growth", career(&ctx)),
        section("relationship", "How we work together", relationship(&ctx)),
        section("know_them", &know_them_title, know_them(&ctx)).map(|s| Section {
            note: Some(know_them_note(person)),
            ..s
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    Agenda {
        person: person.name.clone(),
        date: clock.today,
        sections,
        length: person.length,
    }
}

/// What every section looks at.
struct Ctx<'a> {
    snap: &'a Snapshot,
    person: &'a Person,
    /// The items that belong with the person (no person counts for my manager), in order;
    /// found once, as every section looks through them.
    theirs: Vec<&'a Item>,
    today: Date,
    last_meeting: Option<Date>,
}

impl<'a> Ctx<'a> {
    /// Items of `kind` that belong with the person.
    fn items(&self, kind: Kind) -> impl Iterator<Item = &'a Item> + '_ {
        self.theirs.iter().copied().filter(move |i| i.kind == kind)
    }

    fn open(&self, kind: Kind) -> impl Iterator<Item = &'a Item> + '_ {
        self.items(kind).filter(|i| i.status == Status::Open)
    }

    /// Whether `date` is after the last 1:1 (everything is, before the first).
    fn since_last_meeting(&self, date: Date) -> bool {
        self.last_meeting.is_none_or(|m| date > m)
    }
}

/// A section, or nothing when it has no items.
fn section(key: &str, title: &str, items: Vec<AgendaItem>) -> Option<Section> {
    (!items.is_empty()).then(|| Section {
        key: key.to_string(),
        title: title.to_string(),
        items,
        note: None,
    })
}

fn entry(item: &Item, text: String, reason: String, body: Option<String>) -> AgendaItem {
    AgendaItem {
        id: Some(item.id),
        text,
        reason,
        body,
        next: None,
    }
}

fn follow_up(ctx: &Ctx) -> Vec<AgendaItem> {
    let mut actions: Vec<&Item> = ctx.open(Kind::Action).collect();
    // Earliest due first puts the overdue ones on top; undated actions go last.
    actions.sort_by_key(|i| (i.due.is_none(), i.due, i.id));
    let mut topics: Vec<&Item> = ctx.open(Kind::Topic).collect();
    topics.sort_by_key(|i| (i.created, i.id));

    let mut out = Vec::new();
    for a in actions {
        let whose = match a.owner.unwrap_or(Owner::Me) {
            Owner::Me => "my action".to_string(),
            Owner::Them => format!("{}'s action", ctx.person.name),
        };
        let mut reason = vec![whose];
        if let Some(due) = a.due {
            reason.push(due_phrase(due, ctx.today));
        }
        out.push(entry(
            a,
            one_line(&a.title),
            reason.join(", "),
            a.body.clone(),
        ));
    }
    for t in topics {
        let reason = format!("topic added {}", ago(t.created, ctx.today));
        out.push(entry(t, one_line(&t.title), reason, t.body.clone()));
    }
    out
}

fn win_date(win: &Item) -> Date {
    win.date.or(win.done).unwrap_or(win.created)
}

fn wins(ctx: &Ctx) -> Vec<AgendaItem> {
    let mut wins: Vec<&Item> = ctx
        .items(Kind::Win)
        .filter(|w| w.status != Status::Dropped && w.discussed.is_none())
        .filter(|w| ctx.since_last_meeting(win_date(w)))
        .collect();
    wins.sort_by_key(|w| (win_date(w), w.id));
    wins.into_iter()
        .map(|w| {
            let mut text = one_line(&w.title);
            if let Some(metric) = nonempty(&w.metric) {
                text.push_str(&format!(" ({})", one_line(metric)));
            }
            if let Some(impact) = nonempty(&w.impact) {
                text.push_str(&format!(" — {}", one_line(impact)));
            }
            let reason = format!("won {}, not yet discussed", ago(win_date(w), ctx.today));
            entry(w, text, reason, w.body.clone())
        })
        .collect()
}

fn blockers(ctx: &Ctx) -> Vec<AgendaItem> {
    let mut blockers: Vec<&Item> = ctx.open(Kind::Blocker).collect();
    // The ones not escalated yet are the ones this 1:1 can unblock.
    blockers.sort_by_key(|b| (b.escalated.is_some(), b.created, b.id));
    blockers
        .into_iter()
        .map(|b| {
            let text = match nonempty(&b.ask) {
                Some(ask) => format!("{} — my ask: {}", one_line(&b.title), one_line(ask)),
                None => format!("{} — no ask yet", one_line(&b.title)),
            };
            let open_days = open_working_days(b.created, ctx.today);
            let mut reason = vec![format!("open {}", count(open_days, "working day"))];
            reason.push(match b.escalated {
                Some(d) => format!("escalated {}", ago(d, ctx.today)),
                None => "not escalated yet".to_string(),
            });
            if nonempty(&b.ask).is_none() {
                reason.push("decide what you will recommend".to_string());
            }
            let body = join_paragraphs([
                b.body.clone(),
                nonempty(&b.data).map(|d| format!("Data: {d}")),
            ]);
            entry(b, text, reason.join("; "), body)
        })
        .collect()
}

fn risks(ctx: &Ctx) -> Vec<AgendaItem> {
    let mut risks: Vec<&Item> = ctx
        .open(Kind::Risk)
        .filter(|r| crate::workflow::rules::risk_to_raise(r).is_some())
        .collect();
    let weight = |l: Option<crate::Level>| std::cmp::Reverse(l.map_or(0, |l| l.weight()));
    risks.sort_by_key(|r| (weight(r.severity), weight(r.likelihood), r.created, r.id));
    risks
        .into_iter()
        .map(|r| {
            let level = |l: Option<crate::Level>| l.map_or("unknown", |l| l.as_str());
            let mut text = format!(
                "{} ({} severity, {} likelihood)",
                one_line(&r.title),
                level(r.severity),
                level(r.likelihood)
            );
            let mut reason = crate::workflow::rules::risk_to_raise(r)
                .unwrap_or_default()
                .to_string();
            match nonempty(&r.mitigation) {
                Some(m) => text.push_str(&format!(" — mitigation: {}", one_line(m))),
                None => {
                    text.push_str(" — no mitigation yet");
                    reason.push_str("; bring a recommended mitigation");
                }
            }
            entry(r, text, reason, r.body.clone())
        })
        .collect()
}

/// The person's ranked list: for my manager every open priority, whoever asked for it (the
/// trade-off is theirs to discuss); for anyone else, the priorities that are theirs.
fn priorities(ctx: &Ctx) -> Vec<AgendaItem> {
    let mut open: Vec<&Item> = ctx
        .snap
        .open(Kind::Priority)
        .filter(|p| on_ranked_list(ctx.snap, p, ctx.person))
        .collect();
    open.sort_by_key(|p| (p.rank.is_none(), p.rank, p.id));
    let cadence = ctx.person.cadence.unwrap_or(DEFAULT_CADENCE);
    let stale = |p: &Item| p.confirmed.is_none_or(|c| cadence.after(c) < ctx.today);
    // A rank that moved after the last 1:1, or after the order was confirmed, makes the
    // confirmed order stale even when the confirmation itself is recent.
    let reranked = |p: &Item| {
        p.ranked.is_some_and(|r| {
            ctx.last_meeting.is_some_and(|m| r > m) || p.confirmed.is_some_and(|c| r > c)
        })
    };
    if !open.iter().any(|p| stale(p) || reranked(p)) {
        return Vec::new();
    }
    open.into_iter()
        .map(|p| {
            let mut reason = vec![match p.rank {
                Some(r) => format!("rank {r}"),
                None => "unranked".to_string(),
            }];
            // On my manager's list, a priority someone else asked for says whose it is.
            if let Some(other) = p.person.as_ref().filter(|o| o.uuid != ctx.person.uuid) {
                let name = ctx
                    .snap
                    .person_by_uuid(other.uuid)
                    .map_or(&other.name, |o| &o.name);
                reason.push(format!("for {name}"));
            }
            if let Some(due) = p.due {
                reason.push(due_phrase(due, ctx.today));
            }
            if let Some(effort) = p.effort {
                reason.push(format!("effort {effort}"));
            }
            if let Some(r) = p.ranked.filter(|_| reranked(p)) {
                reason.push(format!("rank changed {}", ago(r, ctx.today)));
            }
            reason.push(match p.confirmed {
                None => "never confirmed".to_string(),
                Some(c) => format!("confirmed {}", ago(c, ctx.today)),
            });
            entry(p, one_line(&p.title), reason.join(", "), p.body.clone())
        })
        .collect()
}

fn expectations(ctx: &Ctx) -> Vec<AgendaItem> {
    let mut list: Vec<&Item> = ctx
        .open(Kind::Expectation)
        .filter(|e| e.confirmed.is_none() || nonempty(&e.metric).is_none())
        .collect();
    list.sort_by_key(|e| (e.created, e.id));
    list.into_iter()
        .map(|e| {
            let mut text = one_line(&e.title);
            if let Some(metric) = nonempty(&e.metric) {
                text.push_str(&format!(" — measured by: {}", one_line(metric)));
            }
            let mut reason = Vec::new();
            if e.confirmed.is_none() {
                reason.push("not confirmed yet: check we agree it is expected and realistic");
            }
            if nonempty(&e.metric).is_none() {
                reason.push("no metric yet: agree how it will be measured");
            }
            entry(e, text, reason.join("; "), e.body.clone())
        })
        .collect()
}

fn feedback(ctx: &Ctx) -> Vec<AgendaItem> {
    let mut out = Vec::new();
    let open_of = |dir: Direction| {
        let mut v: Vec<&Item> = ctx
            .open(Kind::Feedback)
            .filter(|f| f.direction == Some(dir))
            .collect();
        v.sort_by_key(|f| (f.created, f.id));
        v
    };
    for f in open_of(Direction::Given) {
        let tone = f.tone.unwrap_or(Tone::Positive);
        let mut reason = Vec::new();
        if f.consent != Some(true) {
            reason.push("ask first whether they are open to feedback".to_string());
        }
        reason.push(match tone {
            Tone::Positive => "be specific about what they did and why it mattered".to_string(),
            Tone::Constructive => "describe the impact and what would help in future".to_string(),
        });
        let text = format!("Give {tone} feedback: {}", one_line(&f.title));
        out.push(entry(f, text, reason.join("; "), f.body.clone()));
    }
    for f in open_of(Direction::Requested) {
        let text = format!("Ask for feedback: {}", one_line(&f.title));
        let reason = "feedback you planned to ask for".to_string();
        out.push(entry(f, text, reason, f.body.clone()));
    }
    // A finished priority is the milestone after which feedback is most useful; without a
    // meeting to count from, only recent ones are worth asking about.
    let mut milestones: Vec<(&Item, Date)> = ctx
        .items(Kind::Priority)
        .filter(|p| p.status == Status::Done)
        .filter_map(|p| p.done.map(|d| (p, d)))
        .filter(|(_, d)| match ctx.last_meeting {
            Some(m) => *d > m,
            None => (0..=MILESTONE_FEEDBACK_DAYS).contains(&days_between(*d, ctx.today)),
        })
        .filter(|(_, d)| !feedback_requested_since(ctx.snap, Some(ctx.person.uuid), *d))
        .collect();
    milestones.sort_by_key(|(p, d)| (*d, p.id));
    for (p, d) in milestones {
        let text = format!("Ask for feedback on \"{}\"", one_line(&p.title));
        let reason = format!(
            "after a milestone: finished {}; ask what went well and what could be better",
            ago(d, ctx.today)
        );
        out.push(entry(p, text, reason, None));
    }
    out
}

fn career(ctx: &Ctx) -> Vec<AgendaItem> {
    let mut goals: Vec<&Item> = ctx
        .open(Kind::Goal)
        .filter(|g| goal_is_stale(g, ctx.today))
        .collect();
    // Never discussed first, then the longest forgotten.
    goals.sort_by_key(|g| (g.last_discussed.is_some(), g.last_discussed, g.id));
    goals
        .into_iter()
        .map(|g| {
            let reason = match g.last_discussed {
                None => "never discussed — goals left unsaid get forgotten".to_string(),
                Some(d) => format!(
                    "last discussed {}; goals get forgotten after a few months",
                    ago(d, ctx.today)
                ),
            };
            entry(g, one_line(&g.title), reason, g.body.clone())
        })
        .collect()
}

fn relationship(ctx: &Ctx) -> Vec<AgendaItem> {
    let name = &ctx.person.name;
    if !reflection_is_due(ctx.snap, ctx.person.uuid, ctx.today) {
        return Vec::new();
    }
    let when = match ctx.snap.last_reflection(ctx.person.uuid) {
        None => format!("you have not reflected on working with {name} yet"),
        Some(d) => format!(
            "last reflection on working with {name} {}",
            ago(d, ctx.today)
        ),
    };
    vec![AgendaItem {
        id: None,
        text: "How is our working relationship going? What should I do more of, or less of?"
            .to_string(),
        reason: when,
        body: None,
        next: Some(Next::reflect(name)),
    }]
}

/// The question prep asks when a profile or style field is empty. Trust is left out: it is my
/// own judgement, not something to find out.
fn know_them_question(field: &str, n: &str) -> Option<String> {
    Some(match field {
        "goals" => format!("What is {n} trying to achieve this year?"),
        "priorities" => format!("What are {n}'s top priorities right now?"),
        "pressures" => format!("What pressures is {n} under, from above or from other teams?"),
        "motivations" => format!("What motivates {n}?"),
        "values" => format!("What does {n} value most in how people work?"),
        "strengths" => format!("What is {n} great at, and how can you lean on it?"),
        "blind_spots" => format!("Where are {n}'s blind spots, and how can you complement them?"),
        "pet_peeves" => format!("What annoys {n} most in how work reaches them?"),
        "happiest" => format!("What makes {n} happiest at work?"),
        "channel" => {
            format!("Does {n} prefer to hear from you in person, by chat, email or video?")
        }
        "length" => format!("Does {n} like updates brief or detailed?"),
        "decides_by" => format!("Does {n} decide by data, by intuition, or a mix?"),
        "feedback" => format!("How does {n} like to receive feedback?"),
        "cadence" => format!("How often would {n} like to check in?"),
        _ => return None,
    })
}

fn know_them(ctx: &Ctx) -> Vec<AgendaItem> {
    let p = ctx.person;
    let empty_profile = crate::PROFILE_FIELDS
        .into_iter()
        .filter(|f| p.profile(f).is_none_or(|v| v.trim().is_empty()));
    let empty_style = crate::STYLE_FIELDS.into_iter().filter(|f| !p.has_style(f));
    empty_profile
        .chain(empty_style)
        .filter_map(|f| know_them_question(f, &p.name).map(|q| (f, q)))
        .take(KNOW_THEM_QUESTIONS)
        .map(|(field, text)| AgendaItem {
            id: None,
            text,
            reason: "not in your notes yet — record it".to_string(),
            body: None,
            next: Some(Next::set_person_field(&p.name, field)),
        })
        .collect()
}

fn know_them_note(person: &Person) -> String {
    let with = if person.relation == crate::Relation::Manager {
        "your manager".to_string()
    } else {
        person.name.clone()
    };
    format!(
        "If you don't know the answers to these questions, consider them as ideas for a \
         conversation with {with}."
    )
}

fn nonempty(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|t| !t.trim().is_empty())
}

fn join_paragraphs<const N: usize>(parts: [Option<String>; N]) -> Option<String> {
    let parts: Vec<String> = parts
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::fixture::World;
    use crate::{Level, Relation, parse_date};

    // 2026-11-25 is a Wednesday.
    const TODAY: &str = "2026-11-25";

    /// A world where nothing is due: Dana met yesterday and was reflected on, with a full
    /// profile and style, so each test adds only what its rule needs.
    fn quiet() -> World {
        let mut w = World::at(TODAY);
        w.meeting("Dana", "-1d");
        w.reflection("Dana", "-1d", &[("rapport", 4)]);
        let p = w.snap.people.iter_mut().find(|p| p.name == "Dana").unwrap();
        for f in crate::PROFILE_FIELDS
            .iter()
            .chain(crate::STYLE_FIELDS.iter())
        {
            let value = match *f {
                "channel" => "chat",
                "length" => "brief",
                "decides_by" => "data",
                "feedback" => "high",
                "cadence" => "7d",
                "trust" => "4",
                _ => "known",
            };
            p.set(f, value, w.clock.now).unwrap();
        }
        w
    }

    fn agenda(w: &World) -> Agenda {
        prep(&w.snap, &w.dana(), &w.clock)
    }

    fn keys(a: &Agenda) -> Vec<&str> {
        a.sections.iter().map(|s| s.key.as_str()).collect()
    }

    fn ids(a: &Agenda, key: &str) -> Vec<Option<i64>> {
        a.section(key)
            .map(|s| s.items.iter().map(|i| i.id).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_quiet_relationship_has_an_empty_agenda() {
        let a = agenda(&quiet());
        assert!(a.sections.is_empty(), "{:?}", keys(&a));
        assert_eq!(a.person, "Dana");
        assert_eq!(a.date.to_string(), TODAY);
        assert_eq!(a.length, Some(Length::Brief));
    }

    #[test]
    fn sections_come_in_the_spec_order_with_their_keys() {
        let mut w = World::at(TODAY);
        w.add(Kind::Topic, "Team offsite");
        w.add(Kind::Win, "Shipped search");
        w.add(Kind::Blocker, "No staging DB");
        w.add(Kind::Risk, "Vendor late");
        w.add(Kind::Priority, "Exporter");
        w.add(Kind::Expectation, "Own on-call");
        w.add(Kind::Feedback, "Great demo");
        w.add(Kind::Goal, "Lead a project");
        let a = agenda(&w);
        assert_eq!(keys(&a), SECTION_KEYS.to_vec());
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["person"], "Dana");
        assert_eq!(json["date"], TODAY);
        assert!(json.get("length").is_none());
        let first = &json["sections"][0];
        assert_eq!(first["key"], "follow_up");
        assert!(first["items"][0]["id"].is_number());
        assert!(first["items"][0].get("body").is_none());
    }

    #[test]
    fn follow_up_lists_actions_of_both_owners_overdue_first_then_topics() {
        let mut w = quiet();
        let later = w.add(Kind::Action, "Write the plan");
        later.due = Some(parse_date("+3d", later.created).unwrap());
        let later = later.id;
        let theirs = w.add(Kind::Action, "Approve budget");
        theirs.owner = Some(Owner::Them);
        theirs.due = Some(parse_date("-2d", theirs.created).unwrap());
        let theirs = theirs.id;
        let undated = w.add(Kind::Action, "Read the RFC").id;
        let topic = w.add(Kind::Topic, "Offsite").id;
        w.add(Kind::Action, "Done already").status = Status::Done;
        w.add(Kind::Topic, "Closed topic").status = Status::Done;
        let other = w.add(Kind::Action, "For Sam");
        other.person = Some("Sam".into());

        let a = agenda(&w);
        assert_eq!(
            ids(&a, "follow_up"),
            vec![Some(theirs), Some(later), Some(undated), Some(topic)]
        );
        let s = a.section("follow_up").unwrap();
        assert_eq!(s.items[0].reason, "Dana's action, overdue by 2 days");
        assert_eq!(s.items[1].reason, "my action, due 2026-11-28");
        assert_eq!(s.items[3].reason, "topic added today");
    }

    #[test]
    fn wins_after_the_last_meeting_and_not_discussed() {
        let mut w = quiet();
        w.snap.meetings.clear();
        w.meeting("Dana", "-5d");
        let before = w.day("-6d");
        let on_meeting_day = w.day("-5d");
        let after = w.day("-4d");
        w.add(Kind::Win, "Old win").date = Some(before);
        w.add(Kind::Win, "Same day").date = Some(on_meeting_day);
        let new = w.add(Kind::Win, "New win");
        new.date = Some(after);
        new.metric = Some("p99 -38%".into());
        new.impact = Some("checkout\nfaster".into());
        let new = new.id;
        let talked = w.add(Kind::Win, "Already discussed");
        talked.discussed = Some(after);
        w.add(Kind::Win, "Dropped").status = Status::Dropped;
        let unowned = w.add(Kind::Win, "No person counts for my manager").id;
        w.add(Kind::Win, "For Sam").person = Some("Sam".into());

        let a = agenda(&w);
        assert_eq!(ids(&a, "wins"), vec![Some(new), Some(unowned)]);
        let item = &a.section("wins").unwrap().items[0];
        assert_eq!(item.text, "New win (p99 -38%) — checkout faster");
        assert_eq!(
            item.reason,
            "won 4 days ago (2026-11-21), not yet discussed"
        );
    }

    #[test]
    fn with_no_meeting_yet_every_undiscussed_win_counts() {
        let mut w = quiet();
        w.snap.meetings.clear();
        w.update("Dana", "-1d");
        let id = w.add(Kind::Win, "Long ago").id;
        w.snap.items[0].date = Some(w.day("2025-01-01"));
        assert_eq!(ids(&agenda(&w), "wins"), vec![Some(id)]);
    }

    #[test]
    fn blockers_are_listed_with_their_ask_and_evidence() {
        let mut w = quiet();
        let b = w.add(Kind::Blocker, "No staging DB");
        b.ask = Some("Approve the new instance".into());
        b.data = Some("3 deploys failed".into());
        b.created = parse_date("-7d", b.created).unwrap();
        let escalated = w.add(Kind::Blocker, "Waiting on legal");
        escalated.escalated = Some(escalated.created);
        escalated.ask = Some("Sign the DPA".into());
        escalated.created = parse_date("-9d", escalated.created).unwrap();
        w.add(Kind::Blocker, "No ask");
        w.add(Kind::Blocker, "Solved").status = Status::Done;

        let a = agenda(&w);
        let items = &a.section("blockers").unwrap().items;
        assert_eq!(items.len(), 3);
        assert_eq!(
            items[0].text,
            "No staging DB — my ask: Approve the new instance"
        );
        assert_eq!(items[0].reason, "open 5 working days; not escalated yet");
        assert_eq!(items[0].body.as_deref(), Some("Data: 3 deploys failed"));
        assert_eq!(items[1].text, "No ask — no ask yet");
        assert!(items[1].reason.contains("decide what you will recommend"));
        assert_eq!(items[2].reason, "open 7 working days; escalated today");
    }

    #[test]
    fn risks_not_communicated_severity_first_and_flagged_without_mitigation() {
        let mut w = quiet();
        let low = w.add(Kind::Risk, "Low one");
        low.severity = Some(Level::Low);
        low.mitigation = Some("watch it".into());
        let low = low.id;
        let high = w.add(Kind::Risk, "High one");
        high.severity = Some(Level::High);
        let high = high.id;
        let said = w.add(Kind::Risk, "Communicated");
        said.severity = Some(Level::High);
        said.communicated = Some(said.created);
        let medium = w.add(Kind::Risk, "Medium one").id;

        let a = agenda(&w);
        assert_eq!(ids(&a, "risks"), vec![Some(high), Some(medium), Some(low)]);
        let items = &a.section("risks").unwrap().items;
        assert_eq!(
            items[0].text,
            "High one (high severity, medium likelihood) — no mitigation yet"
        );
        assert!(items[0].reason.contains("bring a recommended mitigation"));
        assert_eq!(
            items[2].text,
            "Low one (low severity, medium likelihood) — mitigation: watch it"
        );
        assert_eq!(items[2].reason, "not yet communicated");
    }

    /// Dana has a 7-day cadence; a priority confirmed `ago` days ago, ranked long before.
    fn confirmed_priority(ago: i64) -> World {
        let mut w = quiet();
        let p = w.add(Kind::Priority, "Exporter");
        p.ranked = Some(parse_date("-60d", p.created).unwrap());
        p.confirmed = Some(parse_date(&format!("-{ago}d"), p.created).unwrap());
        w
    }

    #[test]
    fn priorities_shown_once_unconfirmed_for_longer_than_the_cadence() {
        assert!(
            agenda(&confirmed_priority(6))
                .section("priorities")
                .is_none()
        );
        assert!(
            agenda(&confirmed_priority(7))
                .section("priorities")
                .is_none()
        );
        let a = agenda(&confirmed_priority(8));
        let s = a.section("priorities").unwrap();
        assert_eq!(
            s.items[0].reason,
            "rank 1, confirmed 8 days ago (2026-11-17)"
        );
    }

    #[test]
    fn priorities_staleness_follows_the_persons_cadence() {
        let mut w = confirmed_priority(10);
        let dana = w.snap.people.iter_mut().find(|p| p.name == "Dana").unwrap();
        dana.cadence = Some("2w".parse().unwrap());
        assert!(agenda(&w).section("priorities").is_none());
    }

    #[test]
    fn the_whole_ranked_list_is_shown_when_one_is_never_confirmed() {
        let mut w = confirmed_priority(1);
        let second = w.add(Kind::Priority, "Second");
        second.rank = Some(2);
        second.ranked = Some(parse_date("-60d", second.created).unwrap());
        let a = agenda(&w);
        assert_eq!(ids(&a, "priorities"), vec![Some(1), Some(2)]);
        assert!(
            a.section("priorities").unwrap().items[1]
                .reason
                .ends_with("never confirmed")
        );
    }

    #[test]
    fn priorities_shown_when_ranks_changed_since_the_last_meeting() {
        let mut w = confirmed_priority(1);
        w.snap.items[0].ranked = Some(w.day("-1d"));
        assert!(
            agenda(&w).section("priorities").is_none(),
            "ranked on the meeting day"
        );
        w.snap.items[0].ranked = Some(w.day("today"));
        let a = agenda(&w);
        let reason = &a.section("priorities").unwrap().items[0].reason;
        assert!(reason.contains("rank changed today"), "{reason}");
    }

    #[test]
    fn priorities_shown_when_reranked_after_confirmation_without_a_meeting() {
        let mut w = confirmed_priority(3);
        w.snap.meetings.clear();
        assert!(agenda(&w).section("priorities").is_none());
        w.snap.items[0].ranked = Some(w.day("-2d"));
        assert!(agenda(&w).section("priorities").is_some());
    }

    #[test]
    fn done_priorities_do_not_trigger_the_section() {
        let mut w = quiet();
        w.add(Kind::Priority, "Finished").status = Status::Done;
        assert!(agenda(&w).section("priorities").is_none());
    }

    #[test]
    fn my_managers_list_ranks_every_priority_whoever_asked_for_it() {
        // Two of Dana's, confirmed yesterday, and one accepted from Sam's request (rank 3).
        let mut w = confirmed_priority(1);
        w.person("Sam", Relation::Peer);
        let second = w.add(Kind::Priority, "Billing");
        second.ranked = Some(parse_date("-60d", second.created).unwrap());
        second.confirmed = Some(parse_date("-1d", second.created).unwrap());
        let sams = w.add(Kind::Priority, "Sam's dashboard");
        sams.person = Some("Sam".into());
        sams.ranked = Some(parse_date("-60d", sams.created).unwrap());
        let sams = sams.id;
        let a = agenda(&w);
        assert_eq!(
            ids(&a, "priorities"),
            vec![Some(1), Some(2), Some(sams)],
            "no rank is skipped"
        );
        let reason = &a.section("priorities").unwrap().items[2].reason;
        assert_eq!(reason, "rank 3, for Sam, never confirmed");
        // Only Sam's priority is stale, and it alone brings the list to Dana's agenda.
        w.snap.items[sams as usize - 1].confirmed = Some(w.day("-1d"));
        assert!(agenda(&w).section("priorities").is_none());
    }

    #[test]
    fn a_peers_agenda_shows_their_priorities_only() {
        let mut w = quiet();
        w.person("Sam", Relation::Peer);
        w.person("Priya", Relation::Peer);
        w.add(Kind::Priority, "Dana's");
        w.add(Kind::Priority, "Sam's").person = Some("Sam".into());
        let sam = prep(&w.snap, &w.get("Sam"), &w.clock);
        assert_eq!(ids(&sam, "priorities"), vec![Some(2)]);
        let reason = &sam.section("priorities").unwrap().items[0].reason;
        assert_eq!(
            reason, "rank 2, never confirmed",
            "no \"for Sam\" on Sam's own list"
        );
        let priya = prep(&w.snap, &w.get("Priya"), &w.clock);
        assert!(priya.section("priorities").is_none());
    }

    #[test]
    fn expectations_unconfirmed_or_without_metric() {
        let mut w = quiet();
        let fine = w.add(Kind::Expectation, "Fine");
        fine.metric = Some("99.9% uptime".into());
        fine.confirmed = Some(fine.created);
        let no_metric = w.add(Kind::Expectation, "No metric");
        no_metric.confirmed = Some(no_metric.created);
        let no_metric = no_metric.id;
        let unconfirmed = w.add(Kind::Expectation, "Unconfirmed");
        unconfirmed.metric = Some("2 talks".into());
        let unconfirmed = unconfirmed.id;

        let a = agenda(&w);
        assert_eq!(
            ids(&a, "expectations"),
            vec![Some(no_metric), Some(unconfirmed)]
        );
        let items = &a.section("expectations").unwrap().items;
        assert_eq!(
            items[0].reason,
            "no metric yet: agree how it will be measured"
        );
        assert_eq!(items[1].text, "Unconfirmed — measured by: 2 talks");
        assert!(items[1].reason.starts_with("not confirmed yet"));
    }

    #[test]
    fn feedback_to_give_reminds_to_ask_consent() {
        let mut w = quiet();
        w.add(Kind::Feedback, "Great demo");
        let asked = w.add(Kind::Feedback, "Long meetings");
        asked.consent = Some(true);
        asked.tone = Some(Tone::Constructive);
        w.add(Kind::Feedback, "Received").direction = Some(Direction::Received);

        let a = agenda(&w);
        let items = &a.section("feedback").unwrap().items;
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].text, "Give positive feedback: Great demo");
        assert!(
            items[0]
                .reason
                .starts_with("ask first whether they are open to feedback")
        );
        assert_eq!(items[1].text, "Give constructive feedback: Long meetings");
        assert!(!items[1].reason.contains("ask first"));
        assert!(items[1].reason.contains("impact"));
    }

    #[test]
    fn feedback_to_request_and_after_a_milestone() {
        let mut w = quiet();
        w.snap.meetings.clear();
        w.meeting("Dana", "-5d");
        let ask = w.add(Kind::Feedback, "How was my design review?");
        ask.direction = Some(Direction::Requested);
        // Planned before the milestone, so it does not count as asking about it.
        ask.created = parse_date("-3d", ask.created).unwrap();
        let ask = ask.id;
        let shipped = w.add(Kind::Priority, "Shipped exporter");
        shipped.status = Status::Done;
        shipped.done = Some(parse_date("-2d", shipped.created).unwrap());
        let shipped = shipped.id;
        let before = w.add(Kind::Priority, "Finished before the 1:1");
        before.status = Status::Done;
        before.done = Some(parse_date("-6d", before.created).unwrap());

        let a = agenda(&w);
        assert_eq!(ids(&a, "feedback"), vec![Some(ask), Some(shipped)]);
        let items = &a.section("feedback").unwrap().items;
        assert_eq!(items[1].text, "Ask for feedback on \"Shipped exporter\"");
        assert!(
            items[1].reason.starts_with("after a milestone"),
            "{}",
            items[1].reason
        );
    }

    #[test]
    fn a_milestone_with_feedback_already_requested_since_is_not_repeated() {
        let mut w = quiet();
        w.snap.meetings.clear();
        w.meeting("Dana", "-5d");
        let shipped = w.add(Kind::Priority, "Shipped exporter");
        shipped.status = Status::Done;
        shipped.done = Some(parse_date("-2d", shipped.created).unwrap());
        let asked = w.add(Kind::Feedback, "Asked already");
        asked.direction = Some(Direction::Requested);
        asked.status = Status::Done;
        assert!(agenda(&w).section("feedback").is_none());
    }

    #[test]
    fn without_any_meeting_milestones_of_the_last_14_days_count() {
        let mut w = quiet();
        w.snap.meetings.clear();
        let p = w.add(Kind::Priority, "Fourteen");
        p.status = Status::Done;
        p.done = Some(parse_date("-14d", p.created).unwrap());
        let p = w.add(Kind::Priority, "Fifteen");
        p.status = Status::Done;
        p.done = Some(parse_date("-15d", p.created).unwrap());
        assert_eq!(ids(&agenda(&w), "feedback"), vec![Some(1)]);
    }

    fn goal_discussed(ago: Option<i64>) -> Agenda {
        let mut w = quiet();
        let g = w.add(Kind::Goal, "Lead a project");
        g.last_discussed = ago.map(|d| parse_date(&format!("-{d}d"), g.created).unwrap());
        agenda(&w)
    }

    #[test]
    fn career_goals_not_discussed_for_90_days_or_never() {
        assert!(goal_discussed(Some(89)).section("career").is_none());
        let a = goal_discussed(Some(90));
        assert!(
            a.section("career").unwrap().items[0]
                .reason
                .contains("90 days ago")
        );
        assert!(goal_discussed(Some(91)).section("career").is_some());
        let a = goal_discussed(None);
        assert!(
            a.section("career").unwrap().items[0]
                .reason
                .starts_with("never discussed")
        );
    }

    fn reflected(ago: Option<i64>) -> Agenda {
        let mut w = quiet();
        w.snap.reflections.clear();
        if let Some(d) = ago {
            w.reflection("Dana", &format!("-{d}d"), &[("rapport", 3)]);
        }
        agenda(&w)
    }

    #[test]
    fn relationship_due_when_no_reflection_in_30_days_or_never() {
        assert!(reflected(Some(29)).section("relationship").is_none());
        assert!(reflected(Some(30)).section("relationship").is_some());
        assert!(reflected(Some(31)).section("relationship").is_some());
        let a = reflected(None);
        let item = &a.section("relationship").unwrap().items[0];
        assert_eq!(item.id, None);
        assert_eq!(
            item.reason,
            "you have not reflected on working with Dana yet"
        );
        assert_eq!(item.next, Some(Next::reflect("Dana")));
        let a = reflected(Some(30));
        let item = &a.section("relationship").unwrap().items[0];
        assert_eq!(
            item.reason,
            "last reflection on working with Dana 30 days ago (2026-10-26)"
        );
    }

    #[test]
    fn know_them_asks_at_most_two_questions_from_empty_fields() {
        let mut w = quiet();
        let dana = w.snap.people.iter_mut().find(|p| p.name == "Dana").unwrap();
        dana.pressures = None;
        dana.happiest = None;
        dana.decides_by = None;
        let a = agenda(&w);
        let s = a.section("know_them").unwrap();
        assert_eq!(s.title, "Getting to know Dana");
        let texts: Vec<&str> = s.items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "What pressures is Dana under, from above or from other teams?",
                "What makes Dana happiest at work?"
            ]
        );
        assert_eq!(
            s.note.as_deref(),
            Some(
                "If you don't know the answers to these questions, consider them as ideas for a \
                 conversation with your manager."
            )
        );
        assert_eq!(s.items[0].reason, "not in your notes yet — record it");
        assert_eq!(
            s.items[0].next,
            Some(Next::set_person_field("Dana", "pressures"))
        );
    }

    #[test]
    fn know_them_draws_on_style_fields_but_never_asks_about_trust() {
        let mut w = quiet();
        let dana = w.snap.people.iter_mut().find(|p| p.name == "Dana").unwrap();
        dana.trust = None;
        assert!(agenda(&w).section("know_them").is_none());
        let dana = w.snap.people.iter_mut().find(|p| p.name == "Dana").unwrap();
        dana.cadence = None;
        let a = agenda(&w);
        assert_eq!(
            a.section("know_them").unwrap().items[0].text,
            "How often would Dana like to check in?"
        );
    }

    #[test]
    fn a_peer_gets_their_own_agenda_and_no_manager_wording() {
        let mut w = quiet();
        w.person("Sam Lee", Relation::Peer);
        w.add(Kind::Topic, "For my manager");
        let t = w.add(Kind::Topic, "API contract");
        t.person = Some("sam lee".into());
        let t = t.id;
        let sam = w.get("Sam Lee");
        let a = prep(&w.snap, &sam, &w.clock);
        assert_eq!(ids(&a, "follow_up"), vec![Some(t)]);
        let s = a.section("know_them").unwrap();
        assert!(
            s.note
                .as_deref()
                .unwrap()
                .ends_with("conversation with Sam Lee.")
        );
        assert_eq!(
            s.items[0].next,
            Some(Next::set_person_field("Sam Lee", "goals"))
        );
        assert_eq!(
            a.section("relationship").unwrap().items[0].next,
            Some(Next::reflect("Sam Lee"))
        );
    }
}
