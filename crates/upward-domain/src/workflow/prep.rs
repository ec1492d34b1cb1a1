//! Prep (docs/prep.md): the agenda for the next 1:1 with a person, built from everything
//! recorded about them, most important first.
//!
//! An agenda is a list of sections in a fixed order (follow-ups before wins before blockers, …);
//! each section holds the items that need that conversation now and says why. Empty sections
//! are left out, so an agenda is only as long as what needs saying. A `brief` person reads at
//! most [`BRIEF_ITEMS`] items, the most important ones ([`Importance`], [`Agenda::as_read`]).
//!
//! An agenda has two readers ([`Audience`]): me, with the coaching (why now, what to bring,
//! the command that records it), and the person, in the doc we share (`prep --shared`):
//! the same facts without coaching, commands, private bodies or questions about them.

use crate::enums::{Direction, Length, Owner, Status, Tone, Visibility};
use crate::words::{ago, count, due_phrase, one_line};
use crate::workflow::rules::{
    MILESTONE_FEEDBACK_DAYS, feedback_requested_since, goal_is_stale, on_ranked_list,
    open_working_days, reflection_is_due,
};
use crate::{Clock, Duration, Item, Kind, Next, Person, Snapshot, days_between};
use jiff::civil::Date;
use serde::Serialize;

/// The section keys, in the order an agenda shows them.
pub const SECTION_KEYS: [&str; 11] = [
    "follow_up",
    "wins",
    "blockers",
    "risks",
    "ideas",
    "priorities",
    "expectations",
    "feedback",
    "career",
    "relationship",
    "know_them",
];

/// The sections the agenda to share leaves out: they are about the person, for me alone.
pub const PRIVATE_SECTIONS: [&str; 2] = ["relationship", "know_them"];

/// The most items a `brief` person's agenda shows; the most important ones
/// ([`Agenda::as_read`]).
pub const BRIEF_ITEMS: usize = 7;

/// Who reads the agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Audience {
    /// Me, preparing: every section, with the coaching in the reasons and the steps to take.
    #[default]
    Private,
    /// The person too, in the doc we share (`prep --shared`, a space's agenda): the facts only.
    /// No coaching, no step, no body of a private item, no `relationship` or `know_them`.
    Shared,
}

/// How important an agenda line is when a brief agenda must leave some out: the lower, the
/// more important. A brief agenda keeps the most important lines (in this order, then in
/// section order), and shows them in section order (docs/prep.md#what-a-brief-agenda-keeps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Importance {
    /// Work has stopped until they help.
    Blocker,
    /// Bad news they have not heard.
    Risk,
    /// A promise or action of mine to them that is overdue: a broken commitment, owned first.
    MyOverdue,
    /// Their action that is overdue.
    TheirOverdue,
    /// The ranked list to align on.
    Priority,
    /// Feedback to give or ask for: after a milestone, its moment passes.
    Feedback,
    /// An idea that could help them: for them, but it keeps until the next 1:1.
    Idea,
    /// A career goal left unsaid.
    Career,
    /// Everything else, in section order.
    #[default]
    Rest,
}

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
    /// `true` for the agenda to share ([`Audience::Shared`]).
    pub shared: bool,
    pub sections: Vec<Section>,
    /// The person's preferred length, which decides how much the markdown shows.
    #[serde(skip)]
    pub length: Option<Length>,
}

/// What a brief agenda left out: how many lines, of which sections, and the step that shows
/// every one.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    pub count: usize,
    /// `…and 2 more follow-ups`, `…and 3 more items: 1 follow-up and 2 questions`.
    pub text: String,
    pub next: Next,
}

impl Agenda {
    /// The number of items over all sections.
    pub fn item_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }

    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// The agenda as its reader sees it: for a `brief` person (unless `all`) the
    /// [`BRIEF_ITEMS`] most important lines — by [`Importance`], then in section order —
    /// shown in section order, with what was left out; for anyone else, all of it.
    pub fn as_read(&self, all: bool) -> (Agenda, Option<LeftOut>) {
        let total = self.item_count();
        if all || self.length != Some(Length::Brief) || total <= BRIEF_ITEMS {
            return (self.clone(), None);
        }
        let mut order: Vec<(Importance, usize, usize)> = self
            .sections
            .iter()
            .enumerate()
            .flat_map(|(s, section)| {
                section
                    .items
                    .iter()
                    .enumerate()
                    .map(move |(i, item)| (item.importance, s, i))
            })
            .collect();
        order.sort();
        let kept: std::collections::HashSet<(usize, usize)> = order
            .iter()
            .take(BRIEF_ITEMS)
            .map(|(_, s, i)| (*s, *i))
            .collect();
        // Hidden lines per noun, in section order (both kinds of question count as one).
        let mut hidden_by_noun: Vec<(&str, &str, usize)> = Vec::new();
        let mut sections = Vec::new();
        for (s, section) in self.sections.iter().enumerate() {
            let items: Vec<AgendaItem> = section
                .items
                .iter()
                .enumerate()
                .filter(|(i, _)| kept.contains(&(s, *i)))
                .map(|(_, item)| item.clone())
                .collect();
            let hidden = section.items.len() - items.len();
            if hidden > 0 {
                let (one, many) = section_noun(&section.key);
                match hidden_by_noun.iter_mut().find(|(o, _, _)| *o == one) {
                    Some(entry) => entry.2 += hidden,
                    None => hidden_by_noun.push((one, many, hidden)),
                }
            }
            if !items.is_empty() {
                sections.push(Section {
                    items,
                    ..section.clone()
                });
            }
        }
        let count = total - BRIEF_ITEMS;
        let noun = |one: &'static str, many: &'static str, n: usize| {
            if n == 1 { one } else { many }
        };
        // One kind left out: `…and 2 more follow-ups`; several: `…and 3 more items: 1 win and
        // 2 questions`.
        let text = match hidden_by_noun.as_slice() {
            [(one, many, n)] => format!("…and {n} more {}", noun(one, many, *n)),
            several => {
                let parts: Vec<String> = several
                    .iter()
                    .map(|(one, many, n)| format!("{n} {}", noun(one, many, *n)))
                    .collect();
                format!(
                    "…and {count} more {}: {}",
                    noun("item", "items", count),
                    crate::words::join_and(&parts)
                )
            }
        };
        let left_out = LeftOut {
            count,
            text,
            next: Next::Prep {
                person: Some(self.person.clone()),
                all: true,
                shared: self.shared,
            },
        };
        (
            Agenda {
                sections,
                ..self.clone()
            },
            Some(left_out),
        )
    }
}

/// What one line of a section is called, in the line that counts what a brief agenda left
/// out: (one, many).
fn section_noun(key: &str) -> (&'static str, &'static str) {
    match key {
        "follow_up" => ("follow-up", "follow-ups"),
        "wins" => ("win", "wins"),
        "blockers" => ("blocker", "blockers"),
        "risks" => ("risk", "risks"),
        "ideas" => ("idea", "ideas"),
        "priorities" => ("priority", "priorities"),
        "expectations" => ("expectation", "expectations"),
        "feedback" => ("feedback item", "feedback items"),
        "career" => ("career goal", "career goals"),
        _ => ("question", "questions"),
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

#[derive(Debug, Clone, Default, Serialize)]
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
    /// How important it is when a brief agenda must leave some out.
    #[serde(skip)]
    pub importance: Importance,
}

/// The kinds of item [`prep`] reads. A snapshot for it may leave out the others (notes: on a
/// database of many years, most of the open items); `upward-bench`'s `kinds` test checks that
/// the agenda stays the same. Of promises it shows only the overdue ones.
pub const KINDS: &[Kind] = &[
    Kind::Action,
    Kind::Promise,
    Kind::Topic,
    Kind::Win,
    Kind::Blocker,
    Kind::Risk,
    Kind::Idea,
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

/// Builds the agenda for the next 1:1 with `person` as of `clock.today`, for me to prepare
/// with ([`Audience::Private`]).
pub fn prep(snap: &Snapshot, person: &Person, clock: &Clock) -> Agenda {
    agenda(snap, person, clock, Audience::Private)
}

/// Builds the agenda for the next 1:1 with `person` as of `clock.today`, for `audience`.
pub fn agenda(snap: &Snapshot, person: &Person, clock: &Clock, audience: Audience) -> Agenda {
    let ctx = Ctx {
        shared: audience == Audience::Shared,
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
        section("ideas", "Ideas that could help you", ideas(&ctx)),
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
    .filter(|s| !(ctx.shared && PRIVATE_SECTIONS.contains(&s.key.as_str())))
    .collect();
    Agenda {
        person: person.name.clone(),
        date: clock.today,
        shared: ctx.shared,
        sections,
        length: person.length,
    }
}

/// What every section looks at.
struct Ctx<'a> {
    /// The agenda to share: facts only ([`Audience::Shared`]).
    shared: bool,
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

    /// The facts, then (for me only) the coaching, joined by `sep`.
    fn reason(&self, facts: Vec<String>, coaching: Vec<String>, sep: &str) -> String {
        let mut parts = facts;
        if !self.shared {
            parts.extend(coaching);
        }
        parts.join(sep)
    }

    /// An item's body, as this audience may read it: the agenda to share never carries the
    /// body of a private item.
    fn body(&self, item: &Item) -> Option<String> {
        if self.shared && item.visibility == Visibility::Private {
            None
        } else {
            item.body.clone()
        }
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
        importance: Importance::Rest,
    }
}

/// The same line, marked as this important.
fn weighed(importance: Importance, entry: AgendaItem) -> AgendaItem {
    AgendaItem {
        importance,
        ..entry
    }
}

/// Open actions of both owners, and my overdue promises to the person; then open topics.
/// Mine that are overdue come first (a commitment I broke is mine to raise), then theirs that
/// are overdue, the most overdue first; then the other actions by due date, undated last.
/// Promises not yet due stay off the agenda: they are for `nudges` and `update`.
fn follow_up(ctx: &Ctx) -> Vec<AgendaItem> {
    let overdue = |i: &Item| i.due.is_some_and(|d| d < ctx.today);
    let mine = |i: &Item| i.kind == Kind::Promise || i.owner.unwrap_or(Owner::Me) == Owner::Me;
    let mut commitments: Vec<&Item> = ctx
        .open(Kind::Action)
        .chain(ctx.open(Kind::Promise).filter(|p| overdue(p)))
        .collect();
    commitments.sort_by_key(|i| {
        let group = match (overdue(i), mine(i)) {
            (true, true) => 0,
            (true, false) => 1,
            _ => 2,
        };
        (group, i.due.is_none(), i.due, i.id)
    });
    let mut topics: Vec<&Item> = ctx.open(Kind::Topic).collect();
    topics.sort_by_key(|i| (i.created, i.id));

    let mut out = Vec::new();
    for a in commitments {
        let whose = match (a.kind, mine(a)) {
            (Kind::Promise, _) => "my promise".to_string(),
            (_, true) => "my action".to_string(),
            (_, false) => format!("{}'s action", ctx.person.name),
        };
        let mut facts = vec![whose];
        if let Some(due) = a.due {
            facts.push(due_phrase(due, ctx.today));
        }
        let facts = vec![facts.join(", ")];
        let (coaching, importance) = match (overdue(a), mine(a)) {
            (true, true) => (
                vec!["own it: say where it stands and when it will land".to_string()],
                Importance::MyOverdue,
            ),
            (true, false) => (Vec::new(), Importance::TheirOverdue),
            _ => (Vec::new(), Importance::Rest),
        };
        let reason = ctx.reason(facts, coaching, "; ");
        out.push(weighed(
            importance,
            entry(a, one_line(&a.title), reason, ctx.body(a)),
        ));
    }
    for t in topics {
        let reason = format!("topic added {}", ago(t.created, ctx.today));
        out.push(entry(t, one_line(&t.title), reason, ctx.body(t)));
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
            entry(w, text, reason, ctx.body(w))
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
                None if ctx.shared => one_line(&b.title),
                None => format!("{} — no ask yet", one_line(&b.title)),
            };
            let open_days = open_working_days(b.created, ctx.today);
            let facts = vec![format!("open {}", count(open_days, "working day"))];
            let mut coaching = vec![match b.escalated {
                Some(d) => format!("escalated {}", ago(d, ctx.today)),
                None => "not escalated yet".to_string(),
            }];
            if nonempty(&b.ask).is_none() {
                coaching.push("decide what you will recommend".to_string());
            }
            // The data is evidence for the ask, meant for them: it stays in the shared agenda.
            let body =
                join_paragraphs([ctx.body(b), nonempty(&b.data).map(|d| format!("Data: {d}"))]);
            weighed(
                Importance::Blocker,
                entry(b, text, ctx.reason(facts, coaching, "; "), body),
            )
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
            // That it happened is a fact for both readers, not coaching.
            if let Some(occurred) = crate::workflow::rules::risk_occurred(r) {
                text.push_str(&format!(" — {occurred}"));
            }
            // Why it is here (never told, or it occurred or got worse since): coaching, so
            // the shared agenda leaves it out.
            let mut coaching = vec![
                crate::workflow::rules::risk_to_raise(r)
                    .unwrap_or_default()
                    .to_string(),
            ];
            match nonempty(&r.mitigation) {
                Some(m) => text.push_str(&format!(" — mitigation: {}", one_line(m))),
                None if ctx.shared => {}
                None => {
                    text.push_str(" — no mitigation yet");
                    coaching.push("bring a recommended mitigation".to_string());
                }
            }
            let reason = ctx.reason(Vec::new(), coaching, "; ");
            weighed(Importance::Risk, entry(r, text, reason, ctx.body(r)))
        })
        .collect()
}

/// Open ideas that could help the person (docs/prep.md): being proactive is bringing them,
/// not only keeping them. Oldest first: the longer one waits, the staler it gets.
fn ideas(ctx: &Ctx) -> Vec<AgendaItem> {
    let mut ideas: Vec<&Item> = ctx.open(Kind::Idea).collect();
    ideas.sort_by_key(|i| (i.created, i.id));
    ideas
        .into_iter()
        .map(|i| {
            let facts = vec![format!("my idea, noted {}", ago(i.created, ctx.today))];
            let coaching =
                vec!["say what it would change for them, and offer to take the first step".into()];
            weighed(
                Importance::Idea,
                entry(
                    i,
                    one_line(&i.title),
                    ctx.reason(facts, coaching, "; "),
                    ctx.body(i),
                ),
            )
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
            weighed(
                Importance::Priority,
                entry(p, one_line(&p.title), reason.join(", "), ctx.body(p)),
            )
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
                reason.push(if ctx.shared {
                    "not confirmed yet"
                } else {
                    "not confirmed yet: check we agree it is expected and realistic"
                });
            }
            if nonempty(&e.metric).is_none() {
                reason.push(if ctx.shared {
                    "no metric yet"
                } else {
                    "no metric yet: agree how it will be measured"
                });
            }
            entry(e, text, reason.join("; "), ctx.body(e))
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
        if ctx.shared {
            // What the feedback is stays off the shared page until they said they are open
            // to it: asking first is the practice.
            let (text, body) = if f.consent == Some(true) {
                let tone = crate::words::capitalize(&tone.to_string());
                (
                    format!("{tone} feedback: {}", one_line(&f.title)),
                    ctx.body(f),
                )
            } else {
                ("Some feedback, if you are open to it".to_string(), None)
            };
            out.push(entry(f, text, String::new(), body));
            continue;
        }
        let mut reason = Vec::new();
        if f.consent != Some(true) {
            reason.push("ask first whether they are open to feedback".to_string());
        }
        reason.push(match tone {
            Tone::Positive => "be specific about what they did and why it mattered".to_string(),
            Tone::Constructive => "describe the impact and what would help in future".to_string(),
        });
        let text = format!("Give {tone} feedback: {}", one_line(&f.title));
        out.push(entry(f, text, reason.join("; "), ctx.body(f)));
    }
    for f in open_of(Direction::Requested) {
        let (text, reason) = if ctx.shared {
            (
                format!("Feedback I'd like: {}", one_line(&f.title)),
                String::new(),
            )
        } else {
            (
                format!("Ask for feedback: {}", one_line(&f.title)),
                "feedback you planned to ask for".to_string(),
            )
        };
        out.push(entry(f, text, reason, ctx.body(f)));
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
        let (text, reason) = if ctx.shared {
            (
                format!(
                    "Feedback on \"{}\": what went well, what could be better?",
                    one_line(&p.title)
                ),
                format!("finished {}", ago(d, ctx.today)),
            )
        } else {
            (
                format!("Ask for feedback on \"{}\"", one_line(&p.title)),
                format!(
                    "after a milestone: finished {}; ask what went well and what could be better",
                    ago(d, ctx.today)
                ),
            )
        };
        out.push(entry(p, text, reason, None));
    }
    out.into_iter()
        .map(|e| weighed(Importance::Feedback, e))
        .collect()
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
            let (fact, coaching) = match g.last_discussed {
                None => (
                    "never discussed".to_string(),
                    " — goals left unsaid get forgotten",
                ),
                Some(d) => (
                    format!("last discussed {}", ago(d, ctx.today)),
                    "; goals get forgotten after a few months",
                ),
            };
            let reason = if ctx.shared {
                fact
            } else {
                format!("{fact}{coaching}")
            };
            weighed(
                Importance::Career,
                entry(g, one_line(&g.title), reason, ctx.body(g)),
            )
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
        importance: Importance::Rest,
    }]
}

/// The question prep asks when a profile or style field is empty (the web app shows it beside
/// the empty field too). Trust and exec are left out: they are my own judgement (how much I
/// trust them, whether their role is an executive's), not something to find out.
pub fn know_them_question(field: &str, n: &str) -> Option<String> {
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
        "technical" => {
            format!("Does {n} want the technical detail, or the outcomes and dates?")
        }
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
            importance: Importance::Rest,
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
                "technical" => "yes",
                "exec" => "no",
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
        w.add(Kind::Idea, "Automate the cost report");
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
    #[test]
    fn open_ideas_for_the_person_come_after_risks_oldest_first() {
        let mut w = quiet();
        let newer = w.add(Kind::Idea, "Automate the cost report").id;
        let older = w.add(Kind::Idea, "A runbook for on-call");
        older.created = parse_date("-12d", older.created).unwrap();
        older.body = Some("Dana answers the same pages every week".into());
        let older = older.id;
        w.add(Kind::Idea, "Done already").status = Status::Done;
        w.add(Kind::Idea, "Dropped").status = Status::Dropped;
        w.add(Kind::Idea, "For Sam").person = Some("Sam".into());
        w.add(Kind::Note, "A note is not an idea");
        w.add(Kind::Risk, "Vendor late");
        let a = agenda(&w);
        assert_eq!(keys(&a), ["risks", "ideas"]);
        let s = a.section("ideas").unwrap();
        assert_eq!(s.title, "Ideas that could help you");
        assert_eq!(ids(&a, "ideas"), vec![Some(older), Some(newer)]);
        assert_eq!(
            s.items[0].reason,
            "my idea, noted 12 days ago (2026-11-13); say what it would change for them, and \
             offer to take the first step"
        );
        assert_eq!(
            s.items[0].body.as_deref(),
            Some("Dana answers the same pages every week")
        );
        assert_eq!(s.items[1].importance, Importance::Idea);
        // Sam's idea is on Sam's agenda, not Dana's.
        w.person("Sam", Relation::Peer);
        let sam = prep(&w.snap, &w.get("Sam"), &w.clock);
        let texts: Vec<&str> = sam
            .section("ideas")
            .unwrap()
            .items
            .iter()
            .map(|i| i.text.as_str())
            .collect();
        assert_eq!(texts, ["For Sam"]);
    }

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
        dana.exec = None;
        assert!(
            agenda(&w).section("know_them").is_none(),
            "trust and exec are my judgement"
        );
        let dana = w.snap.people.iter_mut().find(|p| p.name == "Dana").unwrap();
        dana.technical = None;
        assert_eq!(
            agenda(&w).section("know_them").unwrap().items[0].text,
            "Does Dana want the technical detail, or the outcomes and dates?"
        );
        let dana = w.snap.people.iter_mut().find(|p| p.name == "Dana").unwrap();
        dana.technical = Some(false);
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

    // ---- my overdue promises (docs/prep.md#the-rules-in-detail) ----

    #[test]
    fn my_overdue_promises_and_actions_open_the_follow_ups_before_theirs() {
        let mut w = quiet();
        w.person("Sam", Relation::Peer);
        let theirs = w.add(Kind::Action, "Approve budget");
        theirs.owner = Some(Owner::Them);
        theirs.due = Some(parse_date("-7d", theirs.created).unwrap());
        let theirs = theirs.id;
        let promise = w.add(Kind::Promise, "Send the design doc");
        promise.due = Some(parse_date("-1d", promise.created).unwrap());
        let promise = promise.id;
        let action = w.add(Kind::Action, "Draft the RFC");
        action.due = Some(parse_date("-3d", action.created).unwrap());
        let action = action.id;
        let due_today = w.add(Kind::Promise, "Due today");
        due_today.due = Some(due_today.created);
        w.add(Kind::Promise, "No date");
        let to_sam = w.add(Kind::Promise, "For Sam");
        to_sam.person = Some("Sam".into());
        to_sam.due = Some(parse_date("-5d", to_sam.created).unwrap());
        let kept = w.add(Kind::Promise, "Kept");
        kept.due = Some(parse_date("-5d", kept.created).unwrap());
        kept.status = Status::Done;
        let later = w.add(Kind::Action, "Later").id;

        let a = agenda(&w);
        assert_eq!(
            ids(&a, "follow_up"),
            vec![Some(action), Some(promise), Some(theirs), Some(later)],
            "mine overdue (most overdue first), theirs overdue, then the rest"
        );
        let s = a.section("follow_up").unwrap();
        assert_eq!(
            s.items[1].reason,
            "my promise, overdue by 1 day; own it: say where it stands and when it will land"
        );
        assert_eq!(s.items[2].reason, "Dana's action, overdue by 7 days");
        let importance: Vec<Importance> = s.items.iter().map(|i| i.importance).collect();
        assert_eq!(
            importance,
            [
                Importance::MyOverdue,
                Importance::MyOverdue,
                Importance::TheirOverdue,
                Importance::Rest
            ]
        );
        let sam = prep(&w.snap, &w.get("Sam"), &w.clock);
        assert_eq!(
            ids(&sam, "follow_up").len(),
            1,
            "my promise to Sam is on his"
        );
    }

    // ---- the brief cap ranks across sections (docs/prep.md#how-much-is-shown) ----

    /// Dana is brief: `topics` open topics, a win, a blocker, a stale priority, a goal.
    fn busy(topics: usize) -> World {
        let mut w = quiet();
        for n in 0..topics {
            w.add(Kind::Topic, &format!("Topic {n}"));
        }
        w.add(Kind::Win, "Shipped search");
        w.add(Kind::Blocker, "No staging DB");
        w.add(Kind::Priority, "Exporter");
        w.add(Kind::Goal, "Lead a project");
        w
    }

    #[test]
    fn a_brief_agenda_keeps_blockers_priorities_and_career_over_routine_lines() {
        let (shown, left) = agenda(&busy(5)).as_read(false);
        assert_eq!(shown.item_count(), BRIEF_ITEMS);
        assert_eq!(
            keys(&shown),
            ["follow_up", "blockers", "priorities", "career"],
            "sections keep their order"
        );
        assert_eq!(
            ids(&shown, "follow_up"),
            vec![Some(1), Some(2), Some(3), Some(4)]
        );
        let left = left.unwrap();
        assert_eq!(left.count, 2);
        assert_eq!(left.text, "…and 2 more items: 1 follow-up and 1 win");
        assert_eq!(
            left.next,
            Next::Prep {
                person: Some("Dana".into()),
                all: true,
                shared: false
            }
        );
        let (all, none) = agenda(&busy(5)).as_read(true);
        assert_eq!((all.item_count(), none), (9, None));
    }

    #[test]
    fn a_brief_agenda_of_exactly_seven_leaves_nothing_out() {
        let (shown, left) = agenda(&busy(3)).as_read(false);
        assert_eq!((shown.item_count(), left), (7, None));
        let (shown, left) = agenda(&busy(4)).as_read(false);
        assert_eq!(shown.item_count(), 7);
        assert_eq!(left.unwrap().text, "…and 1 more win");
    }

    #[test]
    fn only_a_brief_person_is_capped() {
        for length in [None, Some(Length::Detailed)] {
            let mut w = busy(8);
            w.snap
                .people
                .iter_mut()
                .find(|p| p.name == "Dana")
                .unwrap()
                .length = length;
            let a = agenda(&w);
            let (shown, left) = a.as_read(false);
            assert_eq!((shown.item_count(), left), (a.item_count(), None));
        }
    }

    #[test]
    fn importance_is_blockers_risks_overdue_priorities_feedback_ideas_career_then_the_rest() {
        let mut w = quiet();
        w.add(Kind::Topic, "Topic");
        w.add(Kind::Win, "Win");
        w.add(Kind::Expectation, "Expectation");
        w.add(Kind::Goal, "Goal");
        w.add(Kind::Feedback, "Feedback");
        w.add(Kind::Idea, "Idea");
        w.add(Kind::Priority, "Priority");
        let a = w.add(Kind::Action, "Theirs");
        a.owner = Some(Owner::Them);
        a.due = Some(parse_date("-1d", a.created).unwrap());
        let p = w.add(Kind::Promise, "Mine");
        p.due = Some(parse_date("-1d", p.created).unwrap());
        w.add(Kind::Risk, "Risk");
        w.add(Kind::Blocker, "Blocker");
        let mut lines: Vec<(Importance, String)> = agenda(&w)
            .sections
            .iter()
            .flat_map(|s| s.items.iter().map(|i| (i.importance, i.text.clone())))
            .collect();
        lines.sort_by_key(|(i, _)| *i);
        let texts: Vec<&str> = lines.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Blocker — no ask yet",
                "Risk (medium severity, medium likelihood) — no mitigation yet",
                "Mine",
                "Theirs",
                "Priority",
                "Give positive feedback: Feedback",
                "Idea",
                "Goal",
                "Topic",
                "Win",
                "Expectation",
            ]
        );
    }

    // ---- the agenda to share (docs/prep.md#the-agenda-to-share---shared) ----

    fn shared(w: &World) -> Agenda {
        super::agenda(&w.snap, &w.dana(), &w.clock, Audience::Shared)
    }

    /// A bit of everything, with coaching on every line of the private agenda.
    fn everything() -> World {
        let mut w = World::at(TODAY);
        let t = w.add(Kind::Topic, "Offsite");
        t.body = Some("PRIVATE NOTE on the offsite".into());
        let t = w.add(Kind::Topic, "Headcount");
        t.body = Some("Shared context on headcount".into());
        t.visibility = Visibility::Shared;
        let p = w.add(Kind::Promise, "Send the doc");
        p.due = Some(parse_date("-2d", p.created).unwrap());
        w.add(Kind::Win, "Shipped search");
        let b = w.add(Kind::Blocker, "No staging DB");
        b.data = Some("3 failed deploys".into());
        w.add(Kind::Risk, "Vendor late").severity = Some(Level::High);
        w.add(Kind::Priority, "Exporter");
        w.add(Kind::Expectation, "Own on-call");
        w.add(Kind::Feedback, "Long meetings run over").tone = Some(Tone::Constructive);
        let yes = w.add(Kind::Feedback, "Great demo");
        yes.consent = Some(true);
        let ask = w.add(Kind::Feedback, "How was my review?");
        ask.direction = Some(Direction::Requested);
        // Planned before the milestone, so it does not count as asking about it.
        ask.created = parse_date("-5d", ask.created).unwrap();
        let done = w.add(Kind::Priority, "Billing");
        done.status = Status::Done;
        done.done = Some(parse_date("-2d", done.created).unwrap());
        w.add(Kind::Goal, "Lead a project");
        let i = w.add(Kind::Idea, "Automate the cost report");
        i.body = Some("PRIVATE NOTE on the idea".into());
        w
    }

    #[test]
    fn the_shared_agenda_has_the_facts_without_coaching_or_questions_about_them() {
        let w = everything();
        let private = agenda(&w);
        assert!(
            private.section("relationship").is_some() && private.section("know_them").is_some()
        );
        let a = shared(&w);
        assert!(a.shared && !agenda(&w).shared);
        assert_eq!(
            keys(&a),
            [
                "follow_up",
                "wins",
                "blockers",
                "risks",
                "ideas",
                "priorities",
                "expectations",
                "feedback",
                "career"
            ]
        );
        let lines: Vec<String> = a
            .sections
            .iter()
            .flat_map(|s| &s.items)
            .map(|i| format!("{} | {} | {:?}", i.text, i.reason, i.body))
            .collect();
        let all = lines.join("\n");
        for coaching in [
            "ask first",
            "be specific",
            "own it",
            "not escalated",
            "decide what you will recommend",
            "not yet communicated",
            "bring a recommended mitigation",
            "no mitigation yet",
            "no ask yet",
            "check we agree",
            "agree how it will be measured",
            "after a milestone",
            "goals left unsaid",
            "you planned",
            "Long meetings",
            "PRIVATE NOTE",
            "first step",
        ] {
            assert!(!all.contains(coaching), "{coaching:?} in\n{all}");
        }
        assert!(
            a.sections
                .iter()
                .flat_map(|s| &s.items)
                .all(|i| i.next.is_none())
        );
        let texts = |key| -> Vec<String> {
            a.section(key)
                .unwrap()
                .items
                .iter()
                .map(|i| format!("{} | {}", i.text, i.reason))
                .collect()
        };
        assert_eq!(
            texts("follow_up"),
            [
                "Send the doc | my promise, overdue by 2 days",
                "Offsite | topic added today",
                "Headcount | topic added today"
            ]
        );
        assert_eq!(texts("blockers"), ["No staging DB | open 0 working days"]);
        assert_eq!(
            texts("risks"),
            ["Vendor late (high severity, medium likelihood) | "]
        );
        assert_eq!(
            texts("ideas"),
            ["Automate the cost report | my idea, noted today"]
        );
        assert_eq!(
            texts("expectations"),
            ["Own on-call | not confirmed yet; no metric yet"]
        );
        assert_eq!(
            texts("feedback"),
            [
                "Some feedback, if you are open to it | ",
                "Positive feedback: Great demo | ",
                "Feedback I'd like: How was my review? | ",
                "Feedback on \"Billing\": what went well, what could be better? | finished 2 days \
                 ago (2026-11-23)"
            ]
        );
        assert_eq!(texts("career"), ["Lead a project | never discussed"]);
        let follow = &a.section("follow_up").unwrap().items;
        assert_eq!(follow[1].body, None, "a private item's body stays private");
        assert_eq!(
            follow[2].body.as_deref(),
            Some("Shared context on headcount")
        );
        assert_eq!(
            a.section("blockers").unwrap().items[0].body.as_deref(),
            Some("Data: 3 failed deploys"),
            "a blocker's data is evidence meant for them"
        );
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["shared"], true);
    }
}
