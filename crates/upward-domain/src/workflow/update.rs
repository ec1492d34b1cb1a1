//! Update (docs/update.md): what to tell a person since they last heard from me, chosen and
//! worded for their style.
//!
//! The domain decides *what* is said (the period, which items, in what order, how much fits a
//! `brief` reader, whether a metric leads its line); `upward_render::update` decides how it is
//! laid out for the channel (an email with a subject, a compact chat message, talking points).
//!
//! Dates, counts and free text are phrased by [`crate::words`], as in every other text.

use crate::enums::{Channel, DecidesBy, Length, Level, Owner, Status};
use crate::words::{
    capitalize, day, greeting, join_and, one_line, plural, relative, sign_off, working_days,
};
use crate::workflow::rules::on_ranked_list;
use crate::{Clock, Duration, Item, Kind, Person, Snapshot};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

/// The most item lines a `brief` update holds (docs/update.md).
pub const BRIEF_LINES: usize = 8;

/// The most lines a `brief` chat message runs to, all told: the opening line, the section
/// headings, the item lines and the line of what was left out (docs/update.md). Only bad news,
/// which is never cut, can take it past this.
pub const BRIEF_CHAT_LINES: usize = 12;

/// What `upward update` passes in besides the person.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateInput {
    /// `--since`: overrides the period's start.
    pub since: Option<Date>,
    /// `--channel`: overrides the person's channel.
    pub channel: Option<Channel>,
    /// `--length`: overrides the person's length (for this message only).
    pub length: Option<Length>,
    /// `--brief`: the three-line brief (headline, decision, risk) whoever the reader is; an
    /// executive (`exec yes`) gets it without asking (docs/update.md#the-three-line-brief).
    pub brief: bool,
    /// The words the tone check (and, for a reader who is not technical, the jargon check)
    /// looks for in what the user wrote into the draft (docs/tone.md); the shipped lists by
    /// default.
    pub lexicon: crate::tone::Lexicon,
}

/// Why the period starts where it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SinceReason {
    /// `--since` was given.
    Flag,
    /// The last update sent to the person.
    LastUpdate,
    /// No update was sent; the last meeting with them.
    LastMeeting,
    /// No contact recorded: one cadence back (7 days without a cadence).
    Cadence,
}

/// The sections of an update, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKey {
    Done,
    InProgress,
    Risks,
    Next,
}

impl SectionKey {
    pub const ALL: [SectionKey; 4] = [
        SectionKey::Done,
        SectionKey::InProgress,
        SectionKey::Risks,
        SectionKey::Next,
    ];
}

/// One item line, already worded for the person's length and `decides_by`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateLine {
    pub id: i64,
    pub kind: Kind,
    pub text: String,
    pub metric: Option<String>,
    /// Bodies and context, for a `detailed` reader only (empty for `brief`).
    pub details: Vec<String>,
    /// Bad news a brief update never leaves out: a blocker or a high-severity risk.
    pub kept_always: bool,
    /// What the user wrote that the line shows (title, figure, ask, data, mitigation, and
    /// for a detailed reader the body): what the tone check reads, not upward's own words.
    #[serde(skip)]
    pub said: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateSection {
    pub key: SectionKey,
    pub lines: Vec<UpdateLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusUpdate {
    pub person: String,
    pub channel: Channel,
    pub length: Length,
    /// `decides_by=data`: metrics lead their lines.
    pub data_first: bool,
    /// The first day of the period (included).
    pub since: Date,
    pub since_reason: SinceReason,
    /// Today: the last day of the period.
    pub date: Date,
    pub subject: String,
    pub greeting: String,
    pub sign_off: String,
    /// Non-empty sections only, in [`SectionKey::ALL`] order.
    pub sections: Vec<UpdateSection>,
    /// Item lines left out to keep a `brief` update within [`BRIEF_LINES`], per section.
    pub omitted: Omitted,
    /// The three-line brief, when the update is one (`--brief`, or a reader who is an
    /// executive): the text is these three lines, not the sections.
    pub brief: Option<Brief>,
    /// What the tone check flags in what the user wrote into the lines shown (titles,
    /// bodies, asks, …), and for a reader who is not technical the jargon found there.
    pub warnings: Vec<crate::tone::Warning>,
}

/// The three-line brief for an executive (docs/update.md#the-three-line-brief): the
/// headline, the one decision needed, the risk. Each keeps its figures on its line: a win's
/// metric, a blocker's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Brief {
    /// `Headline: …`: the first thing done (a win with a figure first), else the top
    /// priority, else that there is nothing new.
    pub headline: String,
    /// `Decision needed: …`: a blocker's ask, else a new date for a late commitment, else a
    /// mitigation to agree for a risk without one, else none.
    pub decision: String,
    /// `Risk: …`: the most severe open risk (not the one the decision is about), else none.
    pub risk: String,
}

impl Brief {
    pub fn lines(&self) -> [&str; 3] {
        [&self.headline, &self.decision, &self.risk]
    }
}

/// How many lines of each section a `brief` update left out (docs/update.md). The subject
/// counts them, and the text says them in one line ([`Omitted::line`]), so the reader knows
/// there is more and the subject and the body agree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Omitted {
    pub done: usize,
    pub in_progress: usize,
    /// Risks below high severity only: blockers and high-severity risks are always kept.
    pub risks: usize,
    pub next: usize,
}

impl Omitted {
    pub fn total(&self) -> usize {
        self.done + self.in_progress + self.risks + self.next
    }

    fn slot(&mut self, key: SectionKey) -> &mut usize {
        match key {
            SectionKey::Done => &mut self.done,
            SectionKey::InProgress => &mut self.in_progress,
            SectionKey::Risks => &mut self.risks,
            SectionKey::Next => &mut self.next,
        }
    }

    /// What was left out, in one line and in section order: `…and 3 more in progress.`,
    /// `…and 1 more done, 2 more in progress and 1 more commitment.`; `None` when nothing was.
    pub fn line(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.done > 0 {
            parts.push(format!("{} more done", self.done));
        }
        if self.in_progress > 0 {
            parts.push(format!("{} more in progress", self.in_progress));
        }
        if self.risks > 0 {
            parts.push(plural(self.risks, "more risk"));
        }
        if self.next > 0 {
            parts.push(plural(self.next, "more commitment"));
        }
        (!parts.is_empty()).then(|| format!("…and {}.", join_and(&parts)))
    }
}

impl StatusUpdate {
    pub fn section(&self, key: SectionKey) -> Option<&UpdateSection> {
        self.sections.iter().find(|s| s.key == key)
    }

    pub fn line_count(&self) -> usize {
        self.sections.iter().map(|s| s.lines.len()).sum()
    }
}

/// The kinds of item [`update`] reads; a snapshot for it may leave out the others (see
/// [`crate::workflow::prep::KINDS`]).
pub const KINDS: &[Kind] = &[
    Kind::Win,
    Kind::Priority,
    Kind::Promise,
    Kind::Action,
    Kind::Blocker,
    Kind::Risk,
];

/// The kinds of which [`update`] reads items that are done: wins, finished priorities and
/// kept promises. Of the others it reads only open items, and it never reads dropped ones
/// (see [`crate::workflow::prep::DONE_KINDS`]).
pub const DONE_KINDS: &[Kind] = &[Kind::Win, Kind::Priority, Kind::Promise];

/// Builds the update for `person`. The channel is `--channel`, else the person's channel,
/// else `chat` (the least formal form, and the one most updates between engineers take); the
/// length is the person's, else `brief` (updates are concise: docs/update.md).
pub fn update(snap: &Snapshot, person: &Person, input: UpdateInput, clock: &Clock) -> StatusUpdate {
    let today = clock.today;
    let (since, since_reason) = period_start(snap, person, input.since, today);
    let channel = input.channel.or(person.channel).unwrap_or(Channel::Chat);
    let length = input.length.or(person.length).unwrap_or(Length::Brief);
    let words = Words {
        detailed: length == Length::Detailed,
        data_first: person.decides_by == Some(DecidesBy::Data),
        plain: person.technical == Some(false),
        today,
    };
    // An executive gets the brief unless this message asks for a length.
    let brief = input.brief || (person.exec == Some(true) && input.length.is_none());
    // My manager owns the one ranked list, so they hear about every priority, also those
    // requested by someone else (an accepted intake carries its requester); everything else
    // goes to the person it is for.
    // On the day the last update went out, what was already recorded when it was sent was
    // in it: counting from that moment, not the calendar day, avoids telling it twice.
    let told_at = (since_reason == SinceReason::LastUpdate)
        .then(|| {
            snap.updates
                .iter()
                .filter(|u| u.person.uuid == person.uuid && u.date == since)
                .map(|u| u.created_at)
                .max()
        })
        .flatten();
    let theirs: Vec<&Item> = snap
        .items
        .iter()
        .filter(|i| snap.is_for(i, person) || on_ranked_list(snap, i, person))
        .collect();

    let mut sections: Vec<UpdateSection> = SectionKey::ALL
        .iter()
        .map(|&key| UpdateSection {
            key,
            lines: match key {
                SectionKey::Done => done(&theirs, since, told_at, &words),
                SectionKey::InProgress => in_progress(&theirs, &words, snap, person),
                SectionKey::Risks => risks(&theirs, &words),
                SectionKey::Next => next(&theirs, &words),
            },
        })
        .collect();
    // The subject counts everything, also what a brief update leaves out.
    let subject = subject(&sections, since, today);
    let brief = brief.then(|| three_lines(&sections, &theirs, since, &words));
    let omitted = if let Some((_, used)) = &brief {
        let mut omitted = Omitted::default();
        for s in &sections {
            let shown = s.lines.iter().filter(|l| used.contains(&l.id)).count();
            *omitted.slot(s.key) = s.lines.len() - shown;
        }
        for s in &mut sections {
            s.lines.retain(|l| used.contains(&l.id));
        }
        omitted
    } else if words.detailed {
        Omitted::default()
    } else if channel == Channel::Chat {
        cap_chat(&mut sections)
    } else {
        cap(&mut sections, BRIEF_LINES)
    };
    sections.retain(|s| !s.lines.is_empty());
    let said: Vec<&str> = sections
        .iter()
        .flat_map(|s| &s.lines)
        .flat_map(|l| l.said.iter().map(String::as_str))
        .collect();
    let mut warnings = crate::tone::check_all(said.iter().copied(), &input.lexicon);
    if person.technical == Some(false) {
        let jargon = said
            .iter()
            .flat_map(|t| crate::tone::jargon(t, &input.lexicon));
        warnings.extend(crate::tone::once(jargon.collect()));
    }
    StatusUpdate {
        person: person.name.clone(),
        channel,
        length,
        data_first: words.data_first,
        since,
        since_reason,
        date: today,
        subject,
        greeting: greeting(person),
        sign_off: sign_off(snap),
        sections,
        omitted,
        brief: brief.map(|(b, _)| b),
        warnings,
    }
}

/// The period's start (docs/update.md): `--since`, else the last update sent, else the last
/// meeting, else one cadence back. The boundary day is included: repeating one line is
/// cheaper than losing news.
pub fn period_start(
    snap: &Snapshot,
    person: &Person,
    flag: Option<Date>,
    today: Date,
) -> (Date, SinceReason) {
    let last_update = snap.last_update(person.uuid);
    let last_meeting = snap.last_meeting(person.uuid);
    period_start_from(last_update, last_meeting, person, flag, today)
}

/// [`period_start`] from the only two records of the history it reads: the date of the last
/// update sent to `person` and of the last meeting with them (which a store finds with an
/// indexed lookup each, without loading every meeting and update).
pub fn period_start_from(
    last_update: Option<Date>,
    last_meeting: Option<Date>,
    person: &Person,
    flag: Option<Date>,
    today: Date,
) -> (Date, SinceReason) {
    if let Some(d) = flag {
        return (d, SinceReason::Flag);
    }
    if let Some(d) = last_update {
        return (d, SinceReason::LastUpdate);
    }
    if let Some(d) = last_meeting {
        return (d, SinceReason::LastMeeting);
    }
    let cadence = person.cadence.unwrap_or(Duration::days(7));
    (cadence.before(today), SinceReason::Cadence)
}

/// How lines are worded for this reader.
struct Words {
    detailed: bool,
    data_first: bool,
    /// A reader who is not technical (`technical no`): lines lead with the outcome (a win's
    /// impact) and the date, not with the system.
    plain: bool,
    today: Date,
}

impl Words {
    fn line(&self, item: &Item, text: String, details: Vec<String>) -> UpdateLine {
        let mut details = if self.detailed { details } else { Vec::new() };
        if self.detailed {
            details.extend(body_lines(item));
        }
        UpdateLine {
            id: item.id,
            kind: item.kind,
            text,
            metric: item.metric.clone(),
            details,
            kept_always: is_bad_news(item, self.today),
            said: self.said(item),
        }
    }

    /// What the user wrote that an item's line shows: its title; a win's figure (and its
    /// impact when a detail shows it or it leads the line), a blocker's ask and data, a
    /// risk's mitigation; the body for a detailed reader.
    fn said(&self, item: &Item) -> Vec<String> {
        let mut said = vec![item.title.clone()];
        let own: Vec<&Option<String>> = match item.kind {
            Kind::Win if self.detailed || self.plain => vec![&item.metric, &item.impact],
            Kind::Win => vec![&item.metric],
            Kind::Blocker => vec![&item.ask, &item.data],
            Kind::Risk => vec![&item.mitigation],
            _ => Vec::new(),
        };
        said.extend(own.into_iter().flatten().cloned());
        if let Some(figure) = win_figure(item).filter(|_| item.kind == Kind::Win) {
            said.push(figure);
        }
        if self.detailed {
            said.extend(item.body.clone());
        }
        said
    }

    /// A dated line for a reader who is not technical: the date leads (`By Fri 27 Nov: …`).
    fn dated(&self, due: Date, verb: &str, title: &str) -> String {
        format!("{}: {title}", capitalize(&self.due(due, verb)))
    }

    fn due(&self, due: Date, verb: &str) -> String {
        let when = if due < self.today {
            format!("was due {}", day(due, self.today))
        } else {
            format!("{verb} {}", day(due, self.today))
        };
        if self.detailed {
            format!("{when}, {}", relative(due, self.today))
        } else {
            when
        }
    }
}

fn body_lines(item: &Item) -> Vec<String> {
    item.body
        .iter()
        .flat_map(|b| b.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// A win's figure, on its line in every length: its metric, else an impact that holds a
/// number ("Checkout availability 99.95%"): a reader who forwards numbers gets the number.
fn win_figure(win: &Item) -> Option<String> {
    win.metric
        .as_deref()
        .or(win
            .impact
            .as_deref()
            .filter(|i| i.chars().any(|c| c.is_ascii_digit())))
        .map(one_line)
        .filter(|f| !f.is_empty())
}

fn in_period(date: Option<Date>, since: Date, today: Date) -> bool {
    date.is_some_and(|d| since <= d && d <= today)
}

/// Wins (those with a figure first: they are the specific ones), then finished priorities,
/// then kept promises; newest first within each.
fn done(items: &[&Item], since: Date, told_at: Option<Timestamp>, w: &Words) -> Vec<UpdateLine> {
    let new = |i: &Item, d: Option<Date>| {
        in_period(d, since, w.today)
            && !(d == Some(since) && told_at.is_some_and(|t| i.updated_at <= t))
    };
    let mut wins: Vec<&Item> = items
        .iter()
        .copied()
        .filter(|i| i.kind == Kind::Win && i.status != Status::Dropped)
        .filter(|i| new(i, i.date.or(i.done)))
        .collect();
    wins.sort_by_key(|i| {
        (
            win_figure(i).is_none(),
            std::cmp::Reverse(i.date.or(i.done)),
            i.id,
        )
    });
    let finished = |kind: Kind| -> Vec<&Item> {
        let mut v: Vec<&Item> = items
            .iter()
            .copied()
            .filter(|i| i.kind == kind && i.status == Status::Done)
            .filter(|i| new(i, i.done))
            .collect();
        v.sort_by_key(|i| (std::cmp::Reverse(i.done), i.id));
        v
    };
    let priorities = finished(Kind::Priority);
    let promises = finished(Kind::Promise);

    let mut lines = Vec::new();
    for win in wins {
        let figure = win_figure(win);
        // For a reader who is not technical the outcome leads: the impact, unless it is
        // already the figure.
        let outcome = win
            .impact
            .as_deref()
            .map(one_line)
            .filter(|i| w.plain && !i.is_empty() && figure.as_deref() != Some(i.as_str()));
        let led = outcome.is_some();
        let text = match (&figure, w.data_first, outcome) {
            (Some(m), true, Some(o)) => format!("{m}: {o} — {}", win.title),
            (Some(m), false, Some(o)) => format!("{o} — {} ({m})", win.title),
            (None, _, Some(o)) => format!("{o} — {}", win.title),
            (Some(m), _, None) if w.plain => format!("{m}: {}", win.title),
            (Some(m), true, None) => format!("{m}: {}", win.title),
            (Some(m), false, None) => format!("{} ({m})", win.title),
            (None, _, None) => win.title.clone(),
        };
        let mut details = Vec::new();
        // The impact, unless it is already on the line (as the figure, or leading it).
        if let Some(impact) = &win.impact
            && (win.metric.is_some() || figure.is_none())
            && !led
        {
            details.push(format!("Impact: {impact}"));
        }
        lines.push(w.line(win, text, details));
    }
    for p in priorities {
        let mut details = Vec::new();
        if let Some(done) = p.done {
            let due = p
                .due
                .map(|d| format!(" (due {})", day(d, w.today)))
                .unwrap_or_default();
            details.push(format!("Finished {}{due}", day(done, w.today)));
        }
        let text = match p.done.filter(|_| w.plain) {
            Some(done) => format!("Finished {}: {}", day(done, w.today), p.title),
            None => p.title.clone(),
        };
        lines.push(w.line(p, text, details));
    }
    for p in promises {
        let mut details = Vec::new();
        if let Some(done) = p.done {
            let due = p
                .due
                .map(|d| format!("promised for {}, ", day(d, w.today)))
                .unwrap_or_default();
            details.push(capitalize(&format!("{due}done {}", day(done, w.today))));
        }
        let text = match p.done.filter(|_| w.plain) {
            Some(done) => format!("Delivered {}: {}", day(done, w.today), p.title),
            None => p.title.clone(),
        };
        lines.push(w.line(p, text, details));
    }
    lines
}

/// Open priorities by rank, each with its due date.
fn in_progress(items: &[&Item], w: &Words, snap: &Snapshot, reader: &Person) -> Vec<UpdateLine> {
    let mut open: Vec<&Item> = items
        .iter()
        .copied()
        .filter(|i| i.kind == Kind::Priority && i.is_open())
        .collect();
    open.sort_by_key(|i| (i.rank.unwrap_or(i64::MAX), i.id));
    open.into_iter()
        .map(|p| {
            let text = match p.due {
                Some(due) if w.plain => w.dated(due, "by", &p.title),
                Some(due) => format!("{} ({})", p.title, w.due(due, "due")),
                None => p.title.clone(),
            };
            let mut details = Vec::new();
            if let Some(e) = p.effort.filter(|e| e.working_days() > 0) {
                details.push(format!("Effort: about {}", working_days(e.working_days())));
            }
            details.push(confirmation(p, snap, reader, w.today));
            w.line(p, text, details)
        })
        .collect()
}

/// Who confirmed a priority, as the reader reads it: "with you" only when it was the reader
/// (docs/meet.md#who-confirms); a confirmation from before upward recorded who says no one.
fn confirmation(p: &Item, snap: &Snapshot, reader: &Person, today: Date) -> String {
    let Some(on) = p.confirmed else {
        return "Priority not yet confirmed with you".to_string();
    };
    let with = match p.confirmed_by {
        Some(by) if by == reader.uuid => " with you".to_string(),
        Some(by) => snap
            .people
            .iter()
            .find(|x| x.uuid == by)
            .map(|x| format!(" with {}", x.name))
            .unwrap_or_default(),
        None => String::new(),
    };
    format!("Priority confirmed{with} on {}", day(on, today))
}

/// Blockers first (they need the reader now), then risks by severity and likelihood, the
/// ones not yet raised before those already known.
fn risks(items: &[&Item], w: &Words) -> Vec<UpdateLine> {
    let mut blockers: Vec<&Item> = items
        .iter()
        .copied()
        .filter(|i| i.kind == Kind::Blocker && i.is_open())
        .collect();
    blockers.sort_by_key(|i| (i.created, i.id));
    let mut risks: Vec<&Item> = items
        .iter()
        .copied()
        .filter(|i| i.kind == Kind::Risk && i.is_open())
        .collect();
    risks.sort_by_key(|i| {
        (
            std::cmp::Reverse(i.severity.map(|l| l.weight())),
            std::cmp::Reverse(i.likelihood.map(|l| l.weight())),
            i.communicated.is_some(),
            i.id,
        )
    });

    let mut lines = Vec::new();
    for b in blockers {
        let ask = match &b.ask {
            Some(ask) => format!("ask: {}", one_line(ask)),
            None => "I need your help to decide how to unblock it".to_string(),
        };
        // Its data is the evidence the ask rests on: on the line, in every length.
        let data = b
            .data
            .as_deref()
            .map(one_line)
            .filter(|d| !d.is_empty())
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let details = vec![match b.escalated {
            Some(e) => format!("Escalated {}", day(e, w.today)),
            None => format!("Blocked since {}", day(b.created, w.today)),
        }];
        lines.push(w.line(b, format!("Blocked: {}{data} — {ask}", b.title), details));
    }
    for r in risks {
        let severity = r.severity.map(|s| format!(" ({s})")).unwrap_or_default();
        let mitigation = match &r.mitigation {
            Some(m) => format!("mitigation: {}", one_line(m)),
            None => "no mitigation yet; can we agree one?".to_string(),
        };
        let mut details = Vec::new();
        if let (Some(l), Some(s)) = (r.likelihood, r.severity) {
            details.push(format!("Likelihood {l}, severity {s}"));
        }
        details.push(match r.communicated {
            Some(c) => format!("First raised {}", day(c, w.today)),
            None => "New: not raised with you before".to_string(),
        });
        let occurred = crate::workflow::rules::risk_occurred(r)
            .map(|o| format!(" — {o}"))
            .unwrap_or_default();
        lines.push(w.line(
            r,
            format!("Risk{severity}: {}{occurred} — {mitigation}", r.title),
            details,
        ));
    }
    lines
}

/// What I owe next: open promises and my open actions, soonest due first, so the overdue
/// ones, owned and kept always, come first.
fn next(items: &[&Item], w: &Words) -> Vec<UpdateLine> {
    let mut owed: Vec<&Item> = items
        .iter()
        .copied()
        .filter(|i| i.is_open())
        .filter(|i| {
            i.kind == Kind::Promise
                || (i.kind == Kind::Action && i.owner.unwrap_or(Owner::Me) == Owner::Me)
        })
        .collect();
    owed.sort_by_key(|i| (i.due.is_none(), i.due, i.id));
    owed.into_iter()
        .map(|i| {
            let text = match i.due {
                // Late: owned, with an apology and a new date to agree, not listed as if
                // it were still ahead.
                Some(due) if due < w.today => format!(
                    "I owe you \"{}\" ({}): sorry it is late — can we agree a new date?",
                    i.title,
                    w.due(due, "by")
                ),
                Some(due) if w.plain => w.dated(due, "by", &i.title),
                Some(due) => format!("{} ({})", i.title, w.due(due, "by")),
                None => i.title.clone(),
            };
            let what = if i.kind == Kind::Promise {
                "Promised"
            } else {
                "Agreed"
            };
            let details = vec![format!("{what} {}", day(i.created, w.today))];
            w.line(i, text, details)
        })
        .collect()
}

/// The three-line brief from every line of the update (before any cap), and the ids of the
/// items it speaks of (docs/update.md#the-three-line-brief).
fn three_lines(
    sections: &[UpdateSection],
    items: &[&Item],
    since: Date,
    w: &Words,
) -> (Brief, Vec<i64>) {
    let lines = |key: SectionKey| -> &[UpdateLine] {
        sections
            .iter()
            .find(|s| s.key == key)
            .map_or(&[], |s| s.lines.as_slice())
    };
    let item = |id: i64| items.iter().copied().find(|i| i.id == id);
    let more = |n: usize, what: &str| {
        if n == 0 {
            String::new()
        } else {
            format!(" (and {})", plural(n, what))
        }
    };
    let mut used = Vec::new();

    let (done, progress) = (lines(SectionKey::Done), lines(SectionKey::InProgress));
    let headline = if let Some(first) = done.first() {
        used.push(first.id);
        format!("{}{}", first.text, more(done.len() - 1, "more done"))
    } else if let Some(top) = progress.first() {
        used.push(top.id);
        format!(
            "{}{}",
            top.text,
            more(progress.len() - 1, "more in progress")
        )
    } else {
        format!("nothing new since {}", day(since, w.today))
    };

    let risks = lines(SectionKey::Risks);
    let blockers: Vec<&Item> = risks
        .iter()
        .filter(|l| l.kind == Kind::Blocker)
        .filter_map(|l| item(l.id))
        .collect();
    let open_risks: Vec<&Item> = risks
        .iter()
        .filter(|l| l.kind == Kind::Risk)
        .filter_map(|l| item(l.id))
        .collect();
    let late: Vec<&UpdateLine> = lines(SectionKey::Next)
        .iter()
        .filter(|l| l.kept_always)
        .collect();
    let unmitigated = open_risks
        .iter()
        .find(|r| r.mitigation.as_deref().is_none_or(|m| m.trim().is_empty()));
    let data = |b: &Item| {
        b.data
            .as_deref()
            .map(one_line)
            .filter(|d| !d.is_empty())
            .map(|d| format!(" ({d})"))
            .unwrap_or_default()
    };
    let decision = if let Some(b) = blockers.first() {
        used.push(b.id);
        let what = match b.ask.as_deref().map(one_line).filter(|a| !a.is_empty()) {
            Some(ask) => format!("{ask} — blocked: {}", b.title),
            None => format!("how to unblock it — blocked: {}", b.title),
        };
        format!(
            "{what}{}{}",
            data(b),
            more(blockers.len() - 1, "more blocker")
        )
    } else if let Some(l) = late.first() {
        used.push(l.id);
        let i = item(l.id);
        let (title, due) = (
            i.map_or(String::new(), |i| i.title.clone()),
            i.and_then(|i| i.due),
        );
        let was = due.map_or(String::new(), |d| format!(" (was due {})", day(d, w.today)));
        format!(
            "a new date for \"{title}\"{was}{}",
            more(late.len() - 1, "more late commitment")
        )
    } else if let Some(r) = unmitigated {
        used.push(r.id);
        format!("a mitigation for {}{}", r.title, severity(r))
    } else {
        "none this time".to_string()
    };

    let others: Vec<&&Item> = open_risks
        .iter()
        .filter(|r| !used.contains(&r.id))
        .collect();
    let risk = match others.first() {
        Some(r) => {
            used.push(r.id);
            let mitigation = match r.mitigation.as_deref().map(one_line) {
                Some(m) if !m.is_empty() => format!("mitigation: {m}"),
                _ => "no mitigation yet".to_string(),
            };
            format!(
                "{}{} — {mitigation}{}",
                r.title,
                severity(r),
                more(others.len() - 1, "more risk")
            )
        }
        None => "none open".to_string(),
    };
    (
        Brief {
            headline: format!("Headline: {headline}"),
            decision: format!("Decision needed: {decision}"),
            risk: format!("Risk: {risk}"),
        },
        used,
    )
}

/// ` (high)`: a risk's severity, as its line in an update says it.
fn severity(r: &Item) -> String {
    r.severity.map(|s| format!(" ({s})")).unwrap_or_default()
}

/// The news a brief update never leaves out: an open blocker, a risk of high severity or one
/// that occurred, or a promise or an action of mine to the reader that is overdue (its apology is owed).
fn is_bad_news(item: &Item, today: Date) -> bool {
    item.kind == Kind::Blocker
        || (item.kind == Kind::Risk
            && (item.severity == Some(Level::High)
                || item.risk_state() == crate::enums::RiskState::Occurred))
        || (matches!(item.kind, Kind::Promise | Kind::Action)
            && item.is_open()
            && item.due.is_some_and(|d| d < today))
}

/// The lines a chat message takes: its opening line, a heading per section left, the item
/// lines and the line of what was left out.
fn chat_lines(sections: &[UpdateSection], omitted: &Omitted) -> usize {
    let shown = sections.iter().filter(|s| !s.lines.is_empty());
    1 + shown.map(|s| 1 + s.lines.len()).sum::<usize>() + usize::from(omitted.total() > 0)
}

/// [`cap`] for a brief chat message: the most item lines (at most [`BRIEF_LINES`]) with
/// which the whole message stays within [`BRIEF_CHAT_LINES`]; the bad news is kept even when
/// it alone takes the message past it.
fn cap_chat(sections: &mut Vec<UpdateSection>) -> Omitted {
    for max in (0..=BRIEF_LINES).rev() {
        let mut trial = sections.clone();
        let omitted = cap(&mut trial, max);
        if chat_lines(&trial, &omitted) <= BRIEF_CHAT_LINES || max == 0 {
            *sections = trial;
            return omitted;
        }
    }
    Omitted::default()
}

/// Keeps at most `max` lines, but never a blocker or a high-severity risk: those are kept
/// whatever the count (they head the risks section). Lines are taken one per section in turn,
/// risks first, so a short update still carries the bad news and every kind of news; the bad
/// news kept always counts as the risks section's first turns. Each section keeps its first
/// lines. Returns what was left out, per section.
fn cap(sections: &mut [UpdateSection], max: usize) -> Omitted {
    let total: usize = sections.iter().map(|s| s.lines.len()).sum();
    if total <= max {
        return Omitted::default();
    }
    let turn = [
        SectionKey::Risks,
        SectionKey::Done,
        SectionKey::InProgress,
        SectionKey::Next,
    ];
    let available = turn.map(|key| {
        sections
            .iter()
            .find(|s| s.key == key)
            .map_or(0, |s| s.lines.len())
    });
    // The lines kept always come first in their section (blockers, then risks by severity),
    // so keeping a prefix keeps every one of them.
    let mut keep = turn.map(|key| {
        sections
            .iter()
            .find(|s| s.key == key)
            .and_then(|s| s.lines.iter().rposition(|l| l.kept_always))
            .map_or(0, |i| i + 1)
    });
    let mut left = max.saturating_sub(keep.iter().sum());
    let mut round = 0;
    while left > 0 && (0..turn.len()).any(|slot| keep[slot] < available[slot]) {
        round += 1;
        for slot in 0..turn.len() {
            if left > 0 && keep[slot] < available[slot] && keep[slot] < round {
                keep[slot] += 1;
                left -= 1;
            }
        }
    }
    let mut omitted = Omitted::default();
    for (slot, key) in turn.iter().enumerate() {
        if let Some(s) = sections.iter_mut().find(|s| s.key == *key) {
            *omitted.slot(*key) = s.lines.len().saturating_sub(keep[slot]);
            s.lines.truncate(keep[slot]);
        }
    }
    omitted
}

fn subject(sections: &[UpdateSection], since: Date, today: Date) -> String {
    let count = |key: SectionKey, kind: Option<Kind>| {
        sections
            .iter()
            .filter(|s| s.key == key)
            .flat_map(|s| &s.lines)
            .filter(|l| kind.is_none_or(|k| l.kind == k))
            .count()
    };
    let mut parts = Vec::new();
    let done = count(SectionKey::Done, None);
    if done > 0 {
        parts.push(format!("{done} done"));
    }
    let progress = count(SectionKey::InProgress, None);
    if progress > 0 {
        parts.push(format!("{progress} in progress"));
    }
    let blockers = count(SectionKey::Risks, Some(Kind::Blocker));
    if blockers > 0 {
        parts.push(plural(blockers, "blocker"));
    }
    let risks = count(SectionKey::Risks, Some(Kind::Risk));
    if risks > 0 {
        parts.push(plural(risks, "risk"));
    }
    let late = sections
        .iter()
        .filter(|s| s.key == SectionKey::Next)
        .flat_map(|s| &s.lines)
        .filter(|l| l.kept_always)
        .count();
    if late > 0 {
        parts.push(plural(late, "late commitment"));
    }
    let summary = if parts.is_empty() {
        "nothing new".to_string()
    } else {
        parts.join(", ")
    };
    format!("Status update since {}: {summary}", day(since, today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::{Level, Relation};
    use crate::{ItemInput, Meeting, UpdateSent};
    use jiff::civil::date;
    use uuid::Uuid;

    // Mon 23 Nov 2026.
    fn clock() -> Clock {
        Clock::fixed("2026-11-23").unwrap()
    }

    fn person(name: &str, relation: Relation) -> Person {
        Person::new(name, relation, clock().now).unwrap()
    }

    fn snap() -> Snapshot {
        let mut me = person("Sam Rivera", Relation::Myself);
        me.is_me = true;
        Snapshot {
            people: vec![
                me,
                person("Dana Whitfield", Relation::Manager),
                person("Priya", Relation::Peer),
            ],
            ..Default::default()
        }
    }

    fn add(snap: &mut Snapshot, kind: Kind, title: &str, input: ItemInput) -> i64 {
        let id = snap.items.len() as i64 + 1;
        let mut item = Item::new(
            kind,
            ItemInput {
                title: Some(title.into()),
                ..input
            },
            &clock(),
            id,
        )
        .unwrap();
        item.id = id;
        snap.items.push(item);
        id
    }

    fn win(snap: &mut Snapshot, title: &str, on: Date, metric: Option<&str>) -> i64 {
        let input = ItemInput {
            date: Some(on),
            metric: metric.map(String::from),
            ..Default::default()
        };
        add(snap, Kind::Win, title, input)
    }

    fn meeting(snap: &mut Snapshot, who: &str, on: Date) {
        snap.meetings.push(Meeting {
            id: snap.meetings.len() as i64 + 1,
            uuid: Uuid::new_v4(),
            person: who.into(),
            date: on,
            notes: None,
            shared_notes: None,
            their_notes: None,
            discussed: vec![],
            created_at: clock().now,
        });
    }

    fn sent(snap: &mut Snapshot, who: &str, on: Date) {
        snap.updates.push(UpdateSent {
            id: snap.updates.len() as i64 + 1,
            uuid: Uuid::new_v4(),
            person: who.into(),
            date: on,
            channel: Channel::Email,
            text: None,
            // Sent at noon that day: items recorded earlier that day were in it.
            created_at: on
                .at(12, 0, 0, 0)
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .unwrap()
                .timestamp(),
        });
    }

    fn dana(s: &Snapshot) -> Person {
        s.person("Dana Whitfield").unwrap().clone()
    }

    fn run(s: &Snapshot, p: &Person) -> StatusUpdate {
        update(s, p, UpdateInput::default(), &clock())
    }

    fn texts(u: &StatusUpdate, key: SectionKey) -> Vec<String> {
        u.section(key)
            .map(|s| s.lines.iter().map(|l| l.text.clone()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn period_starts_at_the_last_update_before_the_last_meeting() {
        let mut s = snap();
        meeting(&mut s, "Dana Whitfield", date(2026, 11, 18));
        sent(&mut s, "dana whitfield", date(2026, 11, 16));
        let u = run(&s, &dana(&s));
        assert_eq!(
            (u.since, u.since_reason),
            (date(2026, 11, 16), SinceReason::LastUpdate)
        );
    }

    #[test]
    fn period_falls_back_to_the_last_meeting_then_one_cadence() {
        let mut s = snap();
        let mut d = dana(&s);
        assert_eq!(
            (run(&s, &d).since, run(&s, &d).since_reason),
            (date(2026, 11, 16), SinceReason::Cadence)
        );
        d.cadence = Some("2w".parse().unwrap());
        assert_eq!(run(&s, &d).since, date(2026, 11, 9));
        d.cadence = None;
        assert_eq!(
            run(&s, &d).since,
            date(2026, 11, 16),
            "7 days without a cadence"
        );
        meeting(&mut s, "Dana Whitfield", date(2026, 11, 12));
        assert_eq!(
            (run(&s, &d).since, run(&s, &d).since_reason),
            (date(2026, 11, 12), SinceReason::LastMeeting)
        );
    }

    #[test]
    fn since_flag_beats_everything() {
        let mut s = snap();
        sent(&mut s, "Dana Whitfield", date(2026, 11, 20));
        let input = UpdateInput {
            since: Some(date(2026, 11, 1)),
            ..UpdateInput::default()
        };
        let u = update(&s, &dana(&s), input, &clock());
        assert_eq!(
            (u.since, u.since_reason),
            (date(2026, 11, 1), SinceReason::Flag)
        );
    }

    #[test]
    fn done_holds_wins_finished_priorities_and_kept_promises_of_the_period_only() {
        let mut s = snap();
        sent(&mut s, "Dana Whitfield", date(2026, 11, 16));
        win(&mut s, "Old win", date(2026, 11, 13), None);
        win(&mut s, "Boundary win", date(2026, 11, 16), None);
        let p = add(
            &mut s,
            Kind::Priority,
            "Finished priority",
            ItemInput::default(),
        );
        s.items[p as usize - 1].status = Status::Done;
        s.items[p as usize - 1].done = Some(date(2026, 11, 19));
        let pr = add(
            &mut s,
            Kind::Promise,
            "Kept promise",
            ItemInput {
                person: Some("Dana Whitfield".into()),
                ..Default::default()
            },
        );
        s.items[pr as usize - 1].status = Status::Done;
        s.items[pr as usize - 1].done = Some(date(2026, 11, 20));
        let peer = win(&mut s, "Priya's win", date(2026, 11, 20), None);
        s.items[peer as usize - 1].person = Some("Priya".into());
        let u = run(&s, &dana(&s));
        assert_eq!(
            texts(&u, SectionKey::Done),
            ["Boundary win", "Finished priority", "Kept promise"]
        );
        let u = run(&s, s.person("Priya").unwrap());
        assert_eq!(
            texts(&u, SectionKey::Done),
            ["Priya's win"],
            "items with no person are for the manager only"
        );
        // A win of the boundary day recorded before that update went out was in it.
        let told = win(&mut s, "Told that morning", date(2026, 11, 16), None);
        s.items[told as usize - 1].updated_at = "2026-11-16T09:00:00Z".parse().unwrap();
        let u = run(&s, &dana(&s));
        assert!(!texts(&u, SectionKey::Done).contains(&"Told that morning".to_string()));
    }

    #[test]
    fn in_progress_is_by_rank_with_due_dates() {
        let mut s = snap();
        add(
            &mut s,
            Kind::Priority,
            "Second",
            ItemInput {
                rank: Some(2),
                ..Default::default()
            },
        );
        add(
            &mut s,
            Kind::Priority,
            "First",
            ItemInput {
                rank: Some(1),
                due: Some(date(2026, 11, 27)),
                ..Default::default()
            },
        );
        add(
            &mut s,
            Kind::Priority,
            "Late",
            ItemInput {
                rank: Some(3),
                due: Some(date(2026, 11, 20)),
                ..Default::default()
            },
        );
        let u = run(&s, &dana(&s));
        assert_eq!(
            texts(&u, SectionKey::InProgress),
            [
                "First (due Fri 27 Nov)",
                "Second",
                "Late (was due Fri 20 Nov)"
            ]
        );
    }

    #[test]
    fn the_manager_hears_of_every_priority_others_of_theirs_only() {
        let mut s = snap();
        add(
            &mut s,
            Kind::Priority,
            "Mine",
            ItemInput {
                rank: Some(1),
                ..Default::default()
            },
        );
        let asked = ItemInput {
            rank: Some(2),
            person: Some("Priya".into()),
            ..Default::default()
        };
        add(&mut s, Kind::Priority, "Asked by Priya", asked);
        let peer_win = ItemInput {
            person: Some("Priya".into()),
            ..Default::default()
        };
        add(&mut s, Kind::Win, "Helped Priya", peer_win);
        let u = run(&s, &dana(&s));
        assert_eq!(
            texts(&u, SectionKey::InProgress),
            ["Mine", "Asked by Priya"]
        );
        assert!(
            u.section(SectionKey::Done).is_none(),
            "wins stay with their person"
        );
        let u = run(&s, s.person("Priya").unwrap());
        assert_eq!(texts(&u, SectionKey::InProgress), ["Asked by Priya"]);
        assert_eq!(texts(&u, SectionKey::Done), ["Helped Priya"]);
    }

    #[test]
    fn every_risk_and_blocker_carries_a_recommendation() {
        let mut s = snap();
        add(
            &mut s,
            Kind::Risk,
            "Vendor slips",
            ItemInput {
                severity: Some(Level::High),
                ..Default::default()
            },
        );
        add(
            &mut s,
            Kind::Risk,
            "On-call load",
            ItemInput {
                mitigation: Some("swap shifts".into()),
                ..Default::default()
            },
        );
        add(
            &mut s,
            Kind::Blocker,
            "No staging access",
            ItemInput {
                ask: Some("approve INFRA-1".into()),
                ..Default::default()
            },
        );
        add(&mut s, Kind::Blocker, "Unclear owner", ItemInput::default());
        let u = run(&s, &dana(&s));
        assert_eq!(
            texts(&u, SectionKey::Risks),
            [
                "Blocked: No staging access — ask: approve INFRA-1",
                "Blocked: Unclear owner — I need your help to decide how to unblock it",
                "Risk (high): Vendor slips — no mitigation yet; can we agree one?",
                "Risk (medium): On-call load — mitigation: swap shifts",
            ]
        );
    }

    #[test]
    fn next_holds_promises_and_my_actions_by_due_date() {
        let mut s = snap();
        add(
            &mut s,
            Kind::Action,
            "Their action",
            ItemInput {
                owner: Some(Owner::Them),
                ..Default::default()
            },
        );
        add(
            &mut s,
            Kind::Action,
            "My action",
            ItemInput {
                due: Some(date(2026, 11, 26)),
                ..Default::default()
            },
        );
        add(
            &mut s,
            Kind::Promise,
            "A promise",
            ItemInput {
                due: Some(date(2026, 11, 25)),
                ..Default::default()
            },
        );
        add(&mut s, Kind::Promise, "Someday", ItemInput::default());
        let u = run(&s, &dana(&s));
        assert_eq!(
            texts(&u, SectionKey::Next),
            [
                "A promise (by Wed 25 Nov)",
                "My action (by Thu 26 Nov)",
                "Someday"
            ]
        );
    }

    fn busy() -> Snapshot {
        let mut s = snap();
        for n in 0..5 {
            win(
                &mut s,
                &format!("Win {n}"),
                date(2026, 11, 20),
                Some(&format!("+{n}%")),
            );
        }
        for n in 1..=5 {
            add(
                &mut s,
                Kind::Priority,
                &format!("Priority {n}"),
                ItemInput {
                    rank: Some(n),
                    body: Some("context".into()),
                    ..Default::default()
                },
            );
        }
        add(
            &mut s,
            Kind::Blocker,
            "Blocked thing",
            ItemInput {
                ask: Some("approve it".into()),
                ..Default::default()
            },
        );
        add(&mut s, Kind::Promise, "Promise", ItemInput::default());
        s
    }

    #[test]
    fn brief_keeps_eight_lines_and_every_section_with_metric_and_ask_on_the_line() {
        let s = busy();
        let mut d = dana(&s);
        d.length = Some(Length::Brief);
        d.channel = Some(Channel::Email);
        let u = run(&s, &d);
        assert_eq!(u.line_count(), BRIEF_LINES);
        assert_eq!(u.omitted.total(), 12 - BRIEF_LINES);
        assert_eq!(
            u.omitted.line().as_deref(),
            Some("…and 2 more done and 2 more in progress.")
        );
        assert_eq!(u.sections.len(), 4, "round-robin keeps every section");
        assert_eq!(
            texts(&u, SectionKey::Risks),
            ["Blocked: Blocked thing — ask: approve it"]
        );
        assert!(
            texts(&u, SectionKey::Done)
                .iter()
                .all(|t| t.ends_with("%)")),
            "metrics kept"
        );
        assert!(
            u.sections
                .iter()
                .flat_map(|s| &s.lines)
                .all(|l| l.details.is_empty()),
            "no bodies"
        );
    }

    #[test]
    fn the_busier_week_of_the_docs_with_two_high_risks() {
        let mut s = busy();
        for title in ["Vendor late", "Key person leaving"] {
            let input = ItemInput {
                severity: Some(Level::High),
                ..Default::default()
            };
            add(&mut s, Kind::Risk, title, input);
        }
        let mut d = dana(&s);
        d.channel = Some(Channel::Email);
        let u = run(&s, &d);
        assert_eq!(texts(&u, SectionKey::Risks).len(), 3);
        assert_eq!(
            [SectionKey::Done, SectionKey::InProgress, SectionKey::Next]
                .map(|k| texts(&u, k).len()),
            [2, 2, 1]
        );
        assert_eq!(
            u.omitted.line().as_deref(),
            Some("…and 3 more done and 3 more in progress.")
        );
    }

    /// `done` wins, `progress` priorities, `next` promises, `blockers` blockers and `risks`
    /// risks of each given severity: a brief update to Dana over them.
    fn brief_over(
        done: usize,
        progress: usize,
        next: usize,
        blockers: usize,
        risks: &[Level],
    ) -> StatusUpdate {
        let mut s = snap();
        for n in 0..done {
            win(&mut s, &format!("Win {n}"), date(2026, 11, 20), None);
        }
        for n in 0..progress {
            let input = ItemInput {
                rank: Some(n as i64 + 1),
                ..Default::default()
            };
            add(&mut s, Kind::Priority, &format!("Priority {n}"), input);
        }
        for n in 0..next {
            add(
                &mut s,
                Kind::Promise,
                &format!("Promise {n}"),
                ItemInput::default(),
            );
        }
        for n in 0..blockers {
            add(
                &mut s,
                Kind::Blocker,
                &format!("Blocker {n}"),
                ItemInput::default(),
            );
        }
        for (n, severity) in risks.iter().enumerate() {
            let input = ItemInput {
                severity: Some(*severity),
                mitigation: Some("a plan".into()),
                ..Default::default()
            };
            add(&mut s, Kind::Risk, &format!("Risk {n}"), input);
        }
        let mut d = dana(&s);
        d.length = Some(Length::Brief);
        d.channel = Some(Channel::Email);
        run(&s, &d)
    }

    /// What the subject counts in a section: the lines shown plus those left out.
    fn told(u: &StatusUpdate, key: SectionKey) -> usize {
        let omitted = match key {
            SectionKey::Done => u.omitted.done,
            SectionKey::InProgress => u.omitted.in_progress,
            SectionKey::Risks => u.omitted.risks,
            SectionKey::Next => u.omitted.next,
        };
        texts(u, key).len() + omitted
    }

    #[test]
    fn brief_with_exactly_the_cap_leaves_nothing_out_and_one_over_counts_it() {
        let u = brief_over(2, 2, 2, 1, &[Level::Medium]);
        assert_eq!(u.line_count(), BRIEF_LINES);
        assert_eq!((u.omitted, u.omitted.line()), (Omitted::default(), None));
        let u = brief_over(2, 3, 2, 1, &[Level::Medium]);
        assert_eq!(u.line_count(), BRIEF_LINES);
        assert_eq!(
            u.omitted,
            Omitted {
                in_progress: 1,
                ..Default::default()
            }
        );
        assert_eq!(
            u.omitted.line().as_deref(),
            Some("…and 1 more in progress.")
        );
        assert_eq!(
            u.subject,
            "Status update since Mon 16 Nov: 2 done, 3 in progress, 1 blocker, 1 risk"
        );
        assert_eq!(
            told(&u, SectionKey::InProgress),
            3,
            "the subject and the body agree"
        );
    }

    #[test]
    fn brief_never_leaves_out_a_blocker_or_a_high_risk() {
        // Taking one line per section in turn would keep two risk lines and cut "Risk 1".
        let u = brief_over(3, 3, 3, 1, &[Level::High, Level::High]);
        assert_eq!(
            texts(&u, SectionKey::Risks),
            [
                "Blocked: Blocker 0 — I need your help to decide how to unblock it",
                "Risk (high): Risk 0 — mitigation: a plan",
                "Risk (high): Risk 1 — mitigation: a plan",
            ]
        );
        assert_eq!(u.line_count(), BRIEF_LINES);
        assert_eq!(
            u.omitted,
            Omitted {
                done: 1,
                in_progress: 1,
                risks: 0,
                next: 2
            }
        );
        assert_eq!(
            u.omitted.line().as_deref(),
            Some("…and 1 more done, 1 more in progress and 2 more commitments.")
        );
        for key in SectionKey::ALL {
            assert_eq!(told(&u, key), 3, "the subject counts every line of {key:?}");
        }
    }

    #[test]
    fn bad_news_is_kept_even_beyond_the_cap_and_the_rest_is_counted() {
        let high = [Level::High; 9];
        let u = brief_over(2, 1, 0, 0, &high);
        assert_eq!(texts(&u, SectionKey::Risks).len(), 9);
        assert!(u.section(SectionKey::Done).is_none());
        assert_eq!(
            u.omitted.line().as_deref(),
            Some("…and 2 more done and 1 more in progress.")
        );
    }

    #[test]
    fn lesser_risks_share_the_cap_and_are_counted_when_left_out() {
        let medium = [Level::Medium, Level::Low, Level::Medium, Level::Low];
        let u = brief_over(4, 4, 4, 0, &medium);
        assert_eq!(
            texts(&u, SectionKey::Risks),
            [
                "Risk (medium): Risk 0 — mitigation: a plan",
                "Risk (medium): Risk 2 — mitigation: a plan",
            ]
        );
        assert_eq!(
            u.omitted.line().as_deref(),
            Some("…and 2 more done, 2 more in progress, 2 more risks and 2 more commitments.")
        );
        assert_eq!(
            u.subject,
            "Status update since Mon 16 Nov: 4 done, 4 in progress, 4 risks"
        );
        let one = Omitted {
            risks: 1,
            next: 1,
            ..Default::default()
        };
        assert_eq!(
            one.line().as_deref(),
            Some("…and 1 more risk and 1 more commitment.")
        );
    }

    #[test]
    fn detailed_keeps_every_line_with_bodies_and_context() {
        let s = busy();
        let mut d = dana(&s);
        d.length = Some(Length::Detailed);
        let u = run(&s, &d);
        assert_eq!((u.line_count(), u.omitted), (12, Omitted::default()));
        let first = &u.section(SectionKey::InProgress).unwrap().lines[0];
        assert_eq!(
            first.details,
            ["Priority not yet confirmed with you", "context"]
        );
    }

    #[test]
    fn data_first_puts_the_metric_at_the_front() {
        let mut s = snap();
        win(&mut s, "Cut latency", date(2026, 11, 20), Some("p99 -38%"));
        win(&mut s, "Helped a peer", date(2026, 11, 20), None);
        let mut d = dana(&s);
        assert_eq!(
            texts(&run(&s, &d), SectionKey::Done),
            ["Cut latency (p99 -38%)", "Helped a peer"]
        );
        d.decides_by = Some(DecidesBy::Data);
        assert_eq!(
            texts(&run(&s, &d), SectionKey::Done),
            ["p99 -38%: Cut latency", "Helped a peer"]
        );
    }

    #[test]
    fn channel_comes_from_the_flag_then_the_person_then_chat() {
        let s = snap();
        let mut d = dana(&s);
        assert_eq!(run(&s, &d).channel, Channel::Chat);
        d.channel = Some(Channel::Email);
        assert_eq!(run(&s, &d).channel, Channel::Email);
        let input = UpdateInput {
            channel: Some(Channel::InPerson),
            ..UpdateInput::default()
        };
        assert_eq!(update(&s, &d, input, &clock()).channel, Channel::InPerson);
    }

    #[test]
    fn subject_greeting_and_sign_off_name_the_people() {
        let mut s = busy();
        let u = run(&s, &dana(&s));
        assert_eq!(
            u.subject,
            "Status update since Mon 16 Nov: 5 done, 5 in progress, 1 blocker"
        );
        assert_eq!(u.greeting, "Hi Dana,");
        assert_eq!(u.sign_off, "Thanks,\nSam");
        s.people.retain(|p| !p.is_me);
        assert_eq!(run(&s, &dana(&s)).sign_off, "Thanks,");
        assert_eq!(
            run(&snap(), &dana(&s)).subject,
            "Status update since Mon 16 Nov: nothing new"
        );
    }

    #[test]
    fn a_blockers_data_and_a_wins_number_stay_on_their_lines_in_a_brief_update() {
        let mut s = snap();
        add(
            &mut s,
            Kind::Blocker,
            "No load-test environment",
            ItemInput {
                ask: Some("Approve INFRA-9".into()),
                data: Some("2 load tests\naborted".into()),
                ..Default::default()
            },
        );
        let with_impact = |impact: &str| ItemInput {
            date: Some(date(2026, 11, 20)),
            impact: Some(impact.into()),
            ..Default::default()
        };
        add(
            &mut s,
            Kind::Win,
            "Retry budget on the cart service",
            with_impact("Checkout availability 99.95%"),
        );
        // Newer, but without a figure: the win with a number comes first.
        let newer = ItemInput {
            date: Some(date(2026, 11, 21)),
            ..with_impact("Fewer pages")
        };
        add(&mut s, Kind::Win, "Cleaned up the runbook", newer);
        let mut d = dana(&s);
        d.decides_by = Some(DecidesBy::Data);
        d.channel = Some(Channel::Email);
        let u = run(&s, &d);
        assert_eq!(
            texts(&u, SectionKey::Risks),
            ["Blocked: No load-test environment (2 load tests aborted) — ask: Approve INFRA-9"]
        );
        assert_eq!(
            texts(&u, SectionKey::Done),
            [
                "Checkout availability 99.95%: Retry budget on the cart service",
                "Cleaned up the runbook"
            ]
        );
        d.decides_by = None;
        d.length = Some(Length::Detailed);
        let u = run(&s, &d);
        let blocker = &u.section(SectionKey::Risks).unwrap().lines[0];
        assert!(blocker.text.contains("(2 load tests aborted)"));
        assert!(
            !blocker.details.iter().any(|l| l.starts_with("Data:")),
            "said once: {:?}",
            blocker.details
        );
        let done = &u.section(SectionKey::Done).unwrap().lines;
        assert_eq!(
            done[0].text,
            "Retry budget on the cart service (Checkout availability 99.95%)"
        );
        assert!(
            done[0].details.is_empty(),
            "the impact is the figure, said once"
        );
        assert_eq!(done[1].details, ["Impact: Fewer pages"]);
    }

    #[test]
    fn an_overdue_promise_to_the_reader_is_owned_never_cut_and_in_the_subject() {
        let mut s = snap();
        let priya = s.person("Priya").unwrap().to_ref();
        let owed = |due| ItemInput {
            person: Some(priya.clone()),
            due: Some(due),
            ..Default::default()
        };
        add(
            &mut s,
            Kind::Promise,
            "Review the SDK pull request",
            owed(date(2026, 11, 20)),
        );
        add(
            &mut s,
            Kind::Promise,
            "Pair on the migration",
            owed(date(2026, 11, 27)),
        );
        // On time today is not late.
        add(
            &mut s,
            Kind::Promise,
            "Send the notes",
            owed(date(2026, 11, 23)),
        );
        for n in 0..12 {
            let input = ItemInput {
                person: Some(priya.clone()),
                date: Some(date(2026, 11, 20)),
                ..Default::default()
            };
            add(&mut s, Kind::Win, &format!("Win {n}"), input);
        }
        let mut p = s.person("Priya").unwrap().clone();
        p.channel = Some(Channel::Email);
        let u = run(&s, &p);
        let next = texts(&u, SectionKey::Next);
        assert_eq!(
            next[0],
            "I owe you \"Review the SDK pull request\" (was due Fri 20 Nov): sorry it is late — can we agree a new date?"
        );
        assert!(
            !next.iter().skip(1).any(|t| t.contains("sorry")),
            "{next:?}"
        );
        assert!(u.subject.ends_with(", 1 late commitment"), "{}", u.subject);
        // Kept however little room a brief update has.
        p.channel = Some(Channel::Chat);
        let u = run(&s, &p);
        assert!(texts(&u, SectionKey::Next)[0].starts_with("I owe you"));
        assert_eq!(u.omitted.next + texts(&u, SectionKey::Next).len(), 3);
    }

    #[test]
    fn a_brief_chat_message_has_a_hard_line_budget_that_only_bad_news_exceeds() {
        // 12 item lines over four sections: 1 + 4 headings + 6 lines + the left-out line.
        let mut s = busy();
        let u = run(&s, &dana(&s));
        assert_eq!(u.channel, Channel::Chat);
        assert_eq!(chat_lines(&u.sections, &u.omitted), BRIEF_CHAT_LINES);
        assert_eq!(u.line_count(), 6);
        assert_eq!(u.omitted.total(), 6);
        assert_eq!(
            u.omitted.line().as_deref(),
            Some("…and 3 more done and 3 more in progress.")
        );
        // Nine high risks and a blocker: every one kept, nothing else, the rest counted.
        for n in 0..9 {
            let input = ItemInput {
                severity: Some(Level::High),
                ..Default::default()
            };
            add(&mut s, Kind::Risk, &format!("High {n}"), input);
        }
        let u = run(&s, &dana(&s));
        assert_eq!(texts(&u, SectionKey::Risks).len(), 10);
        assert_eq!(u.line_count(), 10);
        assert_eq!(chat_lines(&u.sections, &u.omitted), 1 + 1 + 10 + 1);
        assert_eq!(u.omitted.total(), 11);
        // A quiet week is not cut at all.
        let mut s = snap();
        win(&mut s, "One win", date(2026, 11, 20), None);
        let u = run(&s, &dana(&s));
        assert_eq!((u.line_count(), u.omitted.total()), (1, 0));
    }

    // ---- a reader who is not technical; the three-line brief (issue #13) ----

    fn brief_of(s: &Snapshot) -> Brief {
        let input = UpdateInput {
            brief: true,
            ..Default::default()
        };
        update(s, &dana(s), input, &clock()).brief.unwrap()
    }

    #[test]
    fn the_brief_asks_for_the_one_decision_a_blocker_then_a_late_date_then_a_mitigation() {
        let mut s = snap();
        assert_eq!(brief_of(&s).decision, "Decision needed: none this time");
        let risk = ItemInput {
            severity: Some(Level::High),
            ..Default::default()
        };
        add(&mut s, Kind::Risk, "Vendor late", risk);
        let b = brief_of(&s);
        assert_eq!(
            b.decision,
            "Decision needed: a mitigation for Vendor late (high)"
        );
        assert_eq!(
            b.risk, "Risk: none open",
            "the decision's risk is not repeated"
        );
        let late = ItemInput {
            due: Some(date(2026, 11, 20)),
            ..Default::default()
        };
        add(&mut s, Kind::Promise, "Design doc", late);
        let b = brief_of(&s);
        assert_eq!(
            b.decision,
            "Decision needed: a new date for \"Design doc\" (was due Fri 20 Nov)"
        );
        assert_eq!(b.risk, "Risk: Vendor late (high) — no mitigation yet");
        for (title, ask) in [
            ("No staging DB", Some("Approve INFRA-2231")),
            ("No budget", None),
        ] {
            let blocker = ItemInput {
                ask: ask.map(String::from),
                data: Some("3 failed deploys".into()),
                ..Default::default()
            };
            add(&mut s, Kind::Blocker, title, blocker);
        }
        assert_eq!(
            brief_of(&s).decision,
            "Decision needed: Approve INFRA-2231 — blocked: No staging DB (3 failed deploys) (and \
             1 more blocker)"
        );
        let b = brief_of(&s);
        assert_eq!(b.lines().len(), 3);
        assert!(
            b.headline.starts_with("Headline: nothing new since"),
            "{b:?}"
        );
    }

    #[test]
    fn the_brief_headline_is_the_first_win_with_its_figure_else_the_top_priority() {
        let mut s = snap();
        let p = ItemInput {
            due: Some(date(2026, 12, 18)),
            ..Default::default()
        };
        add(&mut s, Kind::Priority, "Billing migration", p);
        add(&mut s, Kind::Priority, "Dashboards", ItemInput::default());
        assert_eq!(
            brief_of(&s).headline,
            "Headline: Billing migration (due Fri 18 Dec) (and 1 more in progress)"
        );
        win(&mut s, "Shipped search", date(2026, 11, 20), None);
        win(&mut s, "Cut p99", date(2026, 11, 19), Some("p99 -38%"));
        let input = UpdateInput {
            brief: true,
            ..Default::default()
        };
        let u = update(&s, &dana(&s), input, &clock());
        assert_eq!(
            u.brief.as_ref().unwrap().headline,
            "Headline: Cut p99 (p99 -38%) (and 1 more done)"
        );
        assert_eq!(
            (u.omitted.done, u.omitted.in_progress),
            (1, 2),
            "what the brief leaves out is counted"
        );
    }

    #[test]
    fn a_reader_who_is_not_technical_reads_the_outcome_and_the_date_first() {
        let mut s = snap();
        let mut d = dana(&s);
        d.technical = Some(false);
        let impact = ItemInput {
            date: Some(date(2026, 11, 19)),
            metric: Some("p99 -38%".into()),
            impact: Some("Fewer abandoned carts".into()),
            ..Default::default()
        };
        add(&mut s, Kind::Win, "Cut checkout p99 on the API", impact);
        let due = ItemInput {
            due: Some(date(2026, 12, 18)),
            ..Default::default()
        };
        add(&mut s, Kind::Priority, "Billing migration", due.clone());
        add(&mut s, Kind::Promise, "Send the design doc", due);
        let u = update(&s, &d, UpdateInput::default(), &clock());
        assert_eq!(
            texts(&u, SectionKey::Done),
            ["Fewer abandoned carts — Cut checkout p99 on the API (p99 -38%)"]
        );
        assert_eq!(
            texts(&u, SectionKey::InProgress),
            ["By Fri 18 Dec: Billing migration"]
        );
        assert_eq!(
            texts(&u, SectionKey::Next),
            ["By Fri 18 Dec: Send the design doc"]
        );
        let jargon: Vec<&str> = u.warnings.iter().map(|w| w.found.as_str()).collect();
        assert_eq!(jargon, ["p99", "API"]);
        // The same reader, technical: the system first, and no jargon flagged.
        d.technical = Some(true);
        let u = update(&s, &d, UpdateInput::default(), &clock());
        assert_eq!(
            texts(&u, SectionKey::Done),
            ["Cut checkout p99 on the API (p99 -38%)"]
        );
        assert!(u.warnings.is_empty());
    }

    #[test]
    fn the_tone_check_reads_what_the_user_wrote_not_upwards_words() {
        let mut s = snap();
        let blocker = ItemInput {
            ask: Some("Obviously approve it".into()),
            ..Default::default()
        };
        add(&mut s, Kind::Blocker, "STOP the deploys", blocker);
        let u = run(&s, &dana(&s));
        let found: Vec<&str> = u.warnings.iter().map(|w| w.found.as_str()).collect();
        assert_eq!(found, ["STOP", "Obviously"]);
        // "I need your help to decide…", "can we agree one?": upward's own words are not flagged.
        add(&mut s, Kind::Blocker, "No staging DB", ItemInput::default());
        add(&mut s, Kind::Risk, "Vendor late", ItemInput::default());
        assert_eq!(run(&s, &dana(&s)).warnings.len(), 2);
    }
}
