//! Decline (docs/decline.md): drafts a respectful no — the request, the reasoning (grounded
//! in my current top priorities), the alternatives and a plan — in the requester's style.
//!
//! The draft is a whole text because the user sends it as it is; the greeting, sign-off and
//! date wording are the same helpers the status update uses, so the two read alike.
//!
//! Two rules keep it from misleading its reader. The plan offers the date the reason implies:
//! when my committed work (every open priority, worked as intake counts it) is projected to be
//! done, or the date I give (`--after`), never just the top priority's due date. And the draft
//! speaks to its reader, never of them: an alternative that names the reader is left out of
//! their draft (and reported), and a reason that names them is refused.

use super::intake::finish_date;
use crate::enums::{Channel, DecidesBy, Length, Relation};
use crate::words::{day, first_name, greeting, join_and, one_line, sign_off, working_days};
use crate::{Clock, DomainError, Duration, Item, Kind, Person, Snapshot};
use jiff::civil::Date;
use serde::Serialize;

/// What `upward decline` passes in besides the requester.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeclineInput {
    pub title: String,
    pub reason: String,
    /// `--alternative`, in the order given.
    pub alternatives: Vec<String>,
    /// `--after`: the day after which I can pick the request up, instead of the projection.
    pub after: Option<Date>,
    /// The words the tone check looks for in the reason and the alternatives
    /// (docs/tone.md); the shipped lists by default.
    pub lexicon: crate::tone::Lexicon,
}

impl DeclineInput {
    /// The request as typed (the command line's arguments, a page's form, the API's query):
    /// a title, a reason (required: a no without one is not respectful), alternatives (empty
    /// ones left out) and, optionally, the day after which I could pick it up. One parser, so
    /// every front end accepts and refuses the same things.
    pub fn parse(
        title: &str,
        reason: &str,
        alternatives: &[String],
        after: Option<&str>,
        today: Date,
    ) -> Result<DeclineInput, DomainError> {
        let title = crate::item::validate_title(title)?;
        let reason = crate::item::validate_text("reason", reason)?
            .filter(|r| !r.trim().is_empty())
            .ok_or_else(|| {
                DomainError::invalid(
                    "reason",
                    reason,
                    "why, such as \"the migration takes the team until March\"",
                )
            })?;
        let mut kept = Vec::new();
        for a in alternatives {
            if let Some(a) = crate::item::validate_text("alternative", a)?
                && !a.trim().is_empty()
            {
                kept.push(a);
            }
        }
        let after = after
            .filter(|a| !a.trim().is_empty())
            .map(|a| crate::parse_date(a, today))
            .transpose()?;
        Ok(DeclineInput {
            title,
            reason,
            alternatives: kept,
            after,
            lexicon: crate::tone::Lexicon::default(),
        })
    }
}

/// A message ready to send.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    pub person: String,
    pub channel: Channel,
    pub text: String,
    /// The subject line of an email, also at the top of `text`.
    pub subject: Option<String>,
    /// The date the plan offers, and where it comes from; `None` (JSON `null`) for a permanent
    /// no, which offers no date.
    pub plan: Option<Plan>,
    /// Alternatives left out because they name the reader (in the order given).
    pub left_out: Vec<String>,
    /// The reason is permanent ([`is_permanent`]): the no is not "for now", and no date is
    /// offered (`plan` is `None`).
    pub permanent: bool,
    /// What the tone check flags in the reason and the alternatives as the user wrote them
    /// (docs/tone.md): advice, the draft is the same.
    pub warnings: Vec<crate::tone::Warning>,
}

/// The date a decline's plan offers (docs/decline.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// `projected` and `given`: the day after which I can pick the request up; `check_in`:
    /// the day to revisit it.
    pub date: Date,
    pub basis: PlanBasis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanBasis {
    /// `--after DATE`.
    Given,
    /// When my open priorities are projected to be done, by intake's arithmetic.
    Projected,
    /// No open priority with an effort to project from: the requester's next check-in (today
    /// plus their cadence, 7 days without one).
    CheckIn,
}

/// Words in a reason that make a no permanent: the request is not mine to take, at any time
/// (docs/decline.md). Matched as whole words or phrases, ignoring case.
pub const PERMANENT_WORDS: &[&str] = &[
    "scope",
    "not my team",
    "not our team",
    "another team",
    "other team",
    "not my area",
    "not our area",
    "not my role",
    "not part of my",
    "not part of our",
    "not something i",
    "not something we",
    "owned by",
    "belongs to",
    "policy",
    "conflict of interest",
    "never",
];

/// Words in a reason that make a no temporary; they win over [`PERMANENT_WORDS`] ("out of
/// scope this quarter" is a no for now).
pub const TEMPORARY_WORDS: &[&str] = &[
    "for now",
    "until",
    "right now",
    "at the moment",
    "currently",
    "yet",
    "this week",
    "this month",
    "this quarter",
    "this sprint",
    "this year",
    "capacity",
    "bandwidth",
    "busy",
    "time",
];

/// Whether a reason makes the no permanent: it holds one of [`PERMANENT_WORDS`] and none of
/// [`TEMPORARY_WORDS`] (whole words, ignoring case). Anything else is a no for now: most
/// declines are about capacity or timing.
pub fn is_permanent(reason: &str) -> bool {
    let words: String = reason
        .to_lowercase()
        .replace('’', "'")
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        // "my team's scope" holds "my team" and "scope".
        .map(|w| w.strip_suffix("'s").unwrap_or(w))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let padded = format!(" {words} ");
    let has = |list: &[&str]| list.iter().any(|p| padded.contains(&format!(" {p} ")));
    has(PERMANENT_WORDS) && !has(TEMPORARY_WORDS)
}

/// The parts of the no, before they are laid out for a channel.
struct Parts {
    thanks: String,
    /// "I need to say no for now: the reason." (or "I need to say no: …" when permanent).
    reason: String,
    /// The reason alone, as it continues a sentence.
    why: String,
    /// The reader is my manager, who owns my priorities: only they are asked whether we are
    /// aligned on them.
    to_manager: bool,
    /// `"A" (due Fri 27 Nov)`, top priorities first.
    priorities: Vec<String>,
    /// How much work those priorities are, for a reader who decides by data.
    load: Option<String>,
    alternatives: Vec<String>,
    /// `None` for a permanent no.
    plan: Option<String>,
}

/// The kinds of item [`decline`] reads: only the open priorities, whose work its plan
/// projects (see [`crate::workflow::prep::KINDS`]).
pub const KINDS: &[Kind] = &[Kind::Priority];

/// Drafts the no for `person` (the requester). The channel is the person's, else chat.
/// Refused: an `--after` date in the past, and a reason that speaks of the reader in the
/// third person.
pub fn decline(
    snap: &Snapshot,
    person: &Person,
    input: &DeclineInput,
    clock: &Clock,
) -> Result<Draft, DomainError> {
    let today = clock.today;
    if let Some(after) = input.after.filter(|a| *a < today) {
        return Err(DomainError::Rule(format!(
            "the date to pick it up after ({after}) is in the past — give today or a later day, \
             or leave --after out to offer when your current priorities are projected to be done"
        )));
    }
    if names(&input.reason, person) {
        return Err(DomainError::Rule(format!(
            "the reason speaks of {} in the third person, but the draft is to them — say it to \
             them (\"your launch needs …\")",
            person.name
        )));
    }
    let channel = person.channel.unwrap_or(Channel::Chat);
    let detailed = person.length == Some(Length::Detailed);
    let mut open: Vec<&Item> = snap.open(Kind::Priority).collect();
    open.sort_by_key(|i| (i.rank.unwrap_or(i64::MAX), i.id));
    let cited = if detailed { 3 } else { 2 };
    let title = input.title.trim();

    let priorities = open
        .iter()
        .take(cited)
        .map(|p| {
            let mut extra = Vec::new();
            if let Some(due) = p.due {
                extra.push(format!("due {}", day(due, today)));
            }
            match p.effort_left().map(Duration::working_days) {
                Some(e) if detailed && e > 0 => extra.push(format!("about {}", working_days(e))),
                _ => {}
            }
            if extra.is_empty() {
                format!("\"{}\"", p.title)
            } else {
                format!("\"{}\" ({})", p.title, extra.join(", "))
            }
        })
        .collect();
    let total: i64 = open
        .iter()
        .map(|p| p.effort_left().map_or(0, Duration::working_days))
        .sum();
    let load = (person.decides_by == Some(DecidesBy::Data) || detailed)
        .then(|| finish_date(today, total))
        .flatten()
        .map(|until| {
            format!(
                "Together my {} open priorities are about {} of work, which keeps me busy through {}.",
                open.len(),
                working_days(total),
                day(until, today)
            )
        });
    // A date I give says I can take it later: that no is for now, whatever the words.
    let permanent = input.after.is_none() && is_permanent(&input.reason);
    let plan = (!permanent).then(|| plan_date(person, input.after, !open.is_empty(), total, today));
    let (left_out, alternatives): (Vec<String>, Vec<String>) = input
        .alternatives
        .iter()
        .map(|a| one_line(a).trim_end_matches('.').to_string())
        .filter(|a| !a.is_empty())
        .partition(|a| names(a, person));
    let why = clause(&input.reason, snap);
    let manager = snap.manager().filter(|m| m.uuid != person.uuid);
    let parts = Parts {
        thanks: format!("Thanks for thinking of me for \"{title}\"."),
        reason: if permanent {
            format!("I need to say no: {why}")
        } else {
            format!("I need to say no for now: {why}")
        },
        why,
        to_manager: person.relation == Relation::Manager,
        // A permanent no is not about my load: my priorities do not explain it.
        priorities: if permanent { Vec::new() } else { priorities },
        load: load.filter(|_| !permanent),
        alternatives,
        plan: plan.map(|p| plan_sentence(p, today, person, manager)),
    };

    let subject = (channel == Channel::Email).then(|| format!("Re: {title}"));
    let text = match channel {
        Channel::Email => email(&parts, subject.as_deref().unwrap_or(""), person, snap),
        Channel::Chat => chat(&parts, person),
        Channel::InPerson | Channel::Video => talking_points(&parts, person, channel, title),
    };
    let warnings = crate::tone::check_all(
        std::iter::once(input.reason.as_str()).chain(input.alternatives.iter().map(String::as_str)),
        &input.lexicon,
    );
    Ok(Draft {
        person: person.name.clone(),
        channel,
        text,
        subject,
        plan,
        left_out,
        permanent,
        warnings,
    })
}

/// When I can pick it up: after the date I give; else when my committed work — every open
/// priority, in rank order, one working day of effort per working day from today (intake's
/// arithmetic) — is projected to be done; else, with nothing to project from, at the
/// requester's next check-in.
fn plan_date(person: &Person, after: Option<Date>, busy: bool, effort: i64, today: Date) -> Plan {
    if let Some(date) = after {
        return Plan {
            date,
            basis: PlanBasis::Given,
        };
    }
    match finish_date(today, effort).filter(|_| busy) {
        Some(date) => Plan {
            date,
            basis: PlanBasis::Projected,
        },
        None => Plan {
            date: person.cadence.unwrap_or(Duration::days(7)).after(today),
            basis: PlanBasis::CheckIn,
        },
    }
}

/// The plan. Only my manager decides with me what moves in my priorities: to anyone else
/// the draft says I would take it to my manager, so it never asks them to go over my
/// manager's head.
fn plan_sentence(plan: Plan, today: Date, reader: &Person, manager: Option<&Person>) -> String {
    let on = day(plan.date, today);
    let later = match plan.basis {
        PlanBasis::Given => format!("I can pick it up after {on}"),
        PlanBasis::Projected => {
            format!("I can pick it up after {on}, when my current priorities should be done")
        }
        PlanBasis::CheckIn => format!("let's revisit it on {on}"),
    };
    let first = match manager {
        Some(m) if reader.relation != Relation::Manager => format!(
            "If it has to come first, I will ask {} what should move in my priorities",
            first_name(&m.name)
        ),
        _ => "If it has to come first, let's decide together what moves".to_string(),
    };
    format!("{first}; otherwise {later}.")
}

/// Whether `text` names `person` by their first or full name: a capitalised word equal to
/// their first name (any case), so "Priya's team" names Priya and "will" never names Will.
fn names(text: &str, person: &Person) -> bool {
    let first = first_name(&person.name);
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .any(|w| w.to_lowercase() == first.to_lowercase())
}

/// The user's reason as it continues a sentence after "I need to say no for now:": on one
/// line, its first letter lowered unless the first word is a name, an acronym or "I"
/// ([`lower_first`]), and a full stop added unless it ends in `.`, `!` or `?`. So
/// `--reason "No capacity"` reads "…for now: no capacity.", never a fragment of its own.
fn clause(text: &str, snap: &Snapshot) -> String {
    let mut s = one_line(text);
    let first_word: String = s.chars().take_while(|c| c.is_alphanumeric()).collect();
    let is_name = snap
        .people
        .iter()
        .any(|p| first_name(&p.name).eq_ignore_ascii_case(&first_word));
    if !is_name {
        s = lower_first(&s);
    }
    if s.is_empty() {
        return s;
    }
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s
}

fn priorities_sentence(p: &Parts) -> Option<String> {
    match p.priorities.as_slice() {
        [] => None,
        [one] => Some(format!("My current top priority is {one}.")),
        many => Some(format!("My current top priorities are {}.", join_and(many))),
    }
}

const ALIGNED: &str = "Are we aligned on the top priorities?";

fn email(p: &Parts, subject: &str, person: &Person, snap: &Snapshot) -> String {
    let mut paragraphs = vec![
        format!("Subject: {subject}"),
        greeting(person),
        format!("{} {}", p.thanks, p.reason),
    ];
    let mut why = priorities_sentence(p).into_iter().collect::<Vec<_>>();
    why.extend(p.load.clone());
    if !why.is_empty() {
        paragraphs.push(why.join(" "));
    }
    // No alternative, no filler: an offer the user did not make is not drafted for them.
    if !p.alternatives.is_empty() {
        let list: Vec<String> = p.alternatives.iter().map(|a| format!("- {a}")).collect();
        paragraphs.push(format!("What I can offer instead:\n{}", list.join("\n")));
    }
    let mut close: Vec<String> = p.plan.iter().cloned().collect();
    if p.to_manager && p.plan.is_some() {
        close.push(ALIGNED.to_string());
    }
    if !close.is_empty() {
        paragraphs.push(close.join(" "));
    }
    paragraphs.push(sign_off(snap));
    paragraphs.join("\n\n")
}

fn chat(p: &Parts, person: &Person) -> String {
    let mut s = vec![format!(
        "Hi {}, {} {}",
        first_name(&person.name),
        lower_first(&p.thanks),
        p.reason
    )];
    s.extend(priorities_sentence(p));
    s.extend(p.load.clone());
    if !p.alternatives.is_empty() {
        // Kept as the user wrote them: an alternative may be someone else's ("Priya could
        // run it"), so it cannot be folded into "I could …".
        let alternatives: Vec<String> = p
            .alternatives
            .iter()
            .map(|a| a.trim_end_matches('.').to_string())
            .collect();
        s.push(format!(
            "What I can offer instead: {}.",
            alternatives.join("; or ")
        ));
    }
    s.extend(p.plan.clone());
    s.join(" ")
}

fn talking_points(p: &Parts, person: &Person, channel: Channel, title: &str) -> String {
    let how = if channel == Channel::Video {
        "video call"
    } else {
        "in person"
    };
    let mut points = vec![
        format!(
            "Thank {} for thinking of me for \"{title}\".",
            first_name(&person.name)
        ),
        if p.plan.is_some() {
            format!("Why not now: {}", p.why)
        } else {
            format!("Why not: {}", p.why)
        },
    ];
    if !p.priorities.is_empty() {
        let mut line = format!("My top priorities: {}.", p.priorities.join("; "));
        if let Some(load) = &p.load {
            line = format!("{line} {load}");
        }
        points.push(line);
    }
    if !p.alternatives.is_empty() {
        points.push(format!("Offer instead: {}.", p.alternatives.join("; ")));
    }
    if let Some(plan) = &p.plan {
        points.push(format!("Plan: {plan}"));
    }
    if p.to_manager && p.plan.is_some() {
        points.push(format!("Ask: {}", ALIGNED.to_lowercase()));
    }
    let mut out = format!(
        "Talking points for {} ({how}): saying no to \"{title}\"\n",
        person.name
    );
    for (n, point) in points.iter().enumerate() {
        out.push_str(&format!("\n{}. {point}", n + 1));
    }
    out
}

/// Lowercases an opening capital so a phrase can continue a sentence ("Judge the final
/// round" → "judge the final round"), unless the first word is an acronym or "I".
fn lower_first(s: &str) -> String {
    let first_word = s.split_whitespace().next().unwrap_or("");
    let letters: Vec<char> = first_word.chars().filter(|c| c.is_alphabetic()).collect();
    let acronym = letters.len() > 1 && letters.iter().all(|c| c.is_uppercase());
    if acronym || first_word == "I" || first_word.starts_with("I'") {
        return s.to_string();
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ItemInput;
    use crate::enums::Relation;
    use jiff::civil::date;

    fn clock() -> Clock {
        Clock::fixed("2026-11-23").unwrap()
    }

    #[test]
    fn parse_needs_a_title_and_a_reason_and_keeps_the_alternatives_given() {
        let today = date(2026, 11, 23);
        let alts = vec!["Judge it".to_string(), " ".to_string(), String::new()];
        let i = DeclineInput::parse("Hackathon", "busy", &alts, Some("fri"), today).unwrap();
        assert_eq!(i.alternatives, ["Judge it"]);
        assert_eq!(i.after, Some(date(2026, 11, 27)));
        assert_eq!(
            DeclineInput::parse("Hackathon", "busy", &[], Some(""), today)
                .unwrap()
                .after,
            None
        );
        assert!(DeclineInput::parse("", "busy", &[], None, today).is_err());
        assert!(DeclineInput::parse("Hackathon", "  ", &[], None, today).is_err());
        assert!(DeclineInput::parse("Hackathon", "busy", &[], Some("nope"), today).is_err());
    }

    fn snap() -> Snapshot {
        let c = clock();
        let mut me = Person::new("Sam Rivera", Relation::Myself, c.now).unwrap();
        me.is_me = true;
        let mut s = Snapshot {
            people: vec![
                me,
                Person::new("Dana Whitfield", Relation::Manager, c.now).unwrap(),
            ],
            ..Default::default()
        };
        for (rank, title, due, effort) in [
            (2, "Billing migration", Some(date(2026, 12, 11)), "2w"),
            (1, "Rate limiter", Some(date(2026, 11, 27)), "3d"),
            (3, "Dashboards", None, "3d"),
        ] {
            let input = ItemInput {
                title: Some(title.into()),
                rank: Some(rank),
                due,
                effort: Some(effort.parse().unwrap()),
                ..Default::default()
            };
            let mut item = Item::new(Kind::Priority, input, &c, rank).unwrap();
            item.id = rank;
            s.items.push(item);
        }
        s
    }

    fn input(alternatives: &[&str]) -> DeclineInput {
        DeclineInput {
            title: "Own the Q1 hackathon".into(),
            reason: "the billing migration needs my full attention until December".into(),
            alternatives: alternatives.iter().map(|a| a.to_string()).collect(),
            after: None,
            ..Default::default()
        }
    }

    fn dana(s: &Snapshot, channel: Channel) -> Person {
        let mut d = s.person("Dana Whitfield").unwrap().clone();
        d.channel = Some(channel);
        d
    }

    #[test]
    fn email_holds_the_request_the_reasoning_the_alternatives_and_a_plan() {
        let s = snap();
        let d = decline(
            &s,
            &dana(&s, Channel::Email),
            &input(&["Judge the final round", "Suggest Priya to run it."]),
            &clock(),
        )
        .unwrap();
        assert_eq!(d.subject.as_deref(), Some("Re: Own the Q1 hackathon"));
        assert_eq!(
            d.text,
            "Subject: Re: Own the Q1 hackathon\n\n\
             Hi Dana,\n\n\
             Thanks for thinking of me for \"Own the Q1 hackathon\". I need to say no for now: the billing migration needs my full attention until December.\n\n\
             My current top priorities are \"Rate limiter\" (due Fri 27 Nov) and \"Billing migration\" (due Fri 11 Dec).\n\n\
             What I can offer instead:\n- Judge the final round\n- Suggest Priya to run it\n\n\
             If it has to come first, let's decide together what moves; otherwise I can pick it up after Mon 14 Dec, when my current priorities should be done. Are we aligned on the top priorities?\n\n\
             Thanks,\nSam"
        );
    }

    #[test]
    fn data_and_detailed_readers_get_the_load_and_more_priorities() {
        let s = snap();
        let mut d = dana(&s, Channel::Chat);
        d.decides_by = Some(DecidesBy::Data);
        let text = decline(&s, &d, &input(&[]), &clock()).unwrap().text;
        assert!(text.contains("Together my 3 open priorities are about 16 working days of work, which keeps me busy through Mon 14 Dec."), "{text}");
        assert!(!text.contains("Dashboards"), "brief cites two");
        d.length = Some(Length::Detailed);
        let text = decline(&s, &d, &input(&[]), &clock()).unwrap().text;
        assert!(
            text.contains("\"Rate limiter\" (due Fri 27 Nov, about 3 working days)"),
            "{text}"
        );
        assert!(
            text.contains("and \"Dashboards\" (about 3 working days)."),
            "{text}"
        );
    }

    #[test]
    fn chat_is_one_compact_paragraph() {
        let s = snap();
        let d = decline(
            &s,
            &dana(&s, Channel::Chat),
            &input(&["judge the final round", "mentor a team"]),
            &clock(),
        )
        .unwrap();
        assert!(!d.text.contains('\n'));
        assert!(
            d.text.starts_with("Hi Dana, thanks for thinking of me"),
            "{}",
            d.text
        );
        assert!(
            d.text
                .contains("What I can offer instead: judge the final round; or mentor a team."),
            "{}",
            d.text
        );
        let d = decline(
            &s,
            &dana(&s, Channel::Chat),
            &input(&["Judge the final round", "API review instead"]),
            &clock(),
        )
        .unwrap();
        assert!(
            d.text.contains(
                "What I can offer instead: Judge the final round; or API review instead."
            ),
            "{}",
            d.text
        );
        assert!(d.subject.is_none());
    }

    #[test]
    fn in_person_is_numbered_talking_points() {
        let s = snap();
        let d = decline(&s, &dana(&s, Channel::InPerson), &input(&[]), &clock()).unwrap();
        let lines: Vec<&str> = d.text.lines().collect();
        assert_eq!(
            lines[0],
            "Talking points for Dana Whitfield (in person): saying no to \"Own the Q1 hackathon\""
        );
        assert_eq!(
            lines[2],
            "1. Thank Dana for thinking of me for \"Own the Q1 hackathon\"."
        );
        assert_eq!(
            lines[3],
            "2. Why not now: the billing migration needs my full attention until December."
        );
        assert!(
            lines[5].starts_with("4. Plan: "),
            "no filler offer: {lines:?}"
        );
        assert_eq!(
            lines.last().unwrap(),
            &"5. Ask: are we aligned on the top priorities?"
        );
    }

    #[test]
    fn without_priorities_the_plan_is_the_next_check_in() {
        let mut s = snap();
        s.items.clear();
        let d = decline(&s, &dana(&s, Channel::Chat), &input(&[]), &clock()).unwrap();
        assert!(
            d.text
                .ends_with("otherwise let's revisit it on Mon 30 Nov."),
            "{}",
            d.text
        );
        assert!(!d.text.contains("top priorit"), "{}", d.text);
    }

    fn plan_of(s: &Snapshot, today: &str, after: Option<Date>) -> Result<Draft, DomainError> {
        let clock = Clock::fixed(today).unwrap();
        let input = DeclineInput {
            after,
            ..input(&[])
        };
        decline(s, &dana(s, Channel::Chat), &input, &clock)
    }

    /// The snapshot's priorities with these efforts instead (rank order: Rate limiter,
    /// Billing migration, Dashboards).
    fn with_efforts(efforts: [&str; 3]) -> Snapshot {
        let mut s = snap();
        for item in &mut s.items {
            item.effort = Some(efforts[item.rank.unwrap() as usize - 1].parse().unwrap());
        }
        s
    }

    #[test]
    fn the_plan_offers_when_the_committed_work_is_projected_to_be_done() {
        // 3 + 10 + 3 = 16 working days from Mon 23 Nov: the 16th is Mon 14 Dec, not the top
        // priority's due date (Fri 27 Nov).
        let d = plan_of(&snap(), "2026-11-23", None).unwrap();
        assert_eq!(
            d.plan,
            Some(Plan {
                date: date(2026, 12, 14),
                basis: PlanBasis::Projected
            })
        );
        assert!(
            d.text.ends_with(
                "otherwise I can pick it up after Mon 14 Dec, when my current priorities should be done."
            ),
            "{}",
            d.text
        );
        assert!(!d.text.contains("after \"Rate limiter\""), "{}", d.text);
    }

    #[test]
    fn the_projection_skips_the_weekend_and_counts_today_when_it_is_a_working_day() {
        // 2 + 2 + 3 = 7 working days from Mon 23 Nov: Mon–Fri is 5, Mon 30 the 6th, Tue 1 Dec.
        let s = with_efforts(["2d", "2d", "3d"]);
        let plan = |today| plan_of(&s, today, None).unwrap().plan.unwrap().date;
        assert_eq!(plan("2026-11-23"), date(2026, 12, 1));
        // From Fri 27 Nov, Friday is the 1st: Mon 30 the 2nd … Mon 7 Dec the 7th.
        assert_eq!(plan("2026-11-27"), date(2026, 12, 7));
        // From Sat 28 Nov, counting starts on Monday: the 7th is Tue 8 Dec.
        assert_eq!(plan("2026-11-28"), date(2026, 12, 8));
        let s = with_efforts(["1d", "0d", "0d"]);
        assert_eq!(
            plan_of(&s, "2026-11-27", None).unwrap().plan.unwrap().date,
            date(2026, 11, 27),
            "one day of work on a Friday ends that Friday"
        );
    }

    #[test]
    fn the_projection_counts_what_is_left_of_each_priority() {
        // Billing migration's 10 days with 1 left: 3 + 1 + 3 = 7 working days, Tue 1 Dec.
        let mut s = snap();
        for item in &mut s.items {
            if item.rank == Some(2) {
                item.remaining = Some("1d".parse().unwrap());
            }
        }
        assert_eq!(
            plan_of(&s, "2026-11-23", None).unwrap().plan.unwrap().date,
            date(2026, 12, 1)
        );
    }

    #[test]
    fn a_date_i_give_is_the_plan() {
        let d = plan_of(&snap(), "2026-11-23", Some(date(2027, 1, 15))).unwrap();
        assert_eq!(
            d.plan,
            Some(Plan {
                date: date(2027, 1, 15),
                basis: PlanBasis::Given
            })
        );
        assert!(
            d.text
                .ends_with("otherwise I can pick it up after Fri 15 Jan 2027."),
            "{}",
            d.text
        );
        assert!(plan_of(&snap(), "2026-11-23", Some(date(2026, 11, 23))).is_ok());
        let e = plan_of(&snap(), "2026-11-23", Some(date(2026, 11, 22)))
            .unwrap_err()
            .to_string();
        assert!(e.contains("2026-11-22) is in the past"), "{e}");
    }

    #[test]
    fn without_an_effort_to_project_from_the_plan_is_the_next_check_in() {
        let s = with_efforts(["0d", "0d", "0d"]);
        let d = plan_of(&s, "2026-11-23", None).unwrap();
        assert_eq!(
            d.plan,
            Some(Plan {
                date: date(2026, 11, 30),
                basis: PlanBasis::CheckIn
            })
        );
        assert!(
            d.text
                .ends_with("otherwise let's revisit it on Mon 30 Nov."),
            "{}",
            d.text
        );
    }

    #[test]
    fn an_alternative_naming_the_reader_is_left_out_of_their_draft() {
        let mut s = snap();
        s.people
            .push(Person::new("Priya Natarajan", Relation::Peer, clock().now).unwrap());
        let alternatives = &[
            "Judge the final round",
            "Suggest Priya, who ran it in 2025.",
        ];
        let priya = s.person("Priya Natarajan").unwrap().clone();
        let d = decline(&s, &priya, &input(alternatives), &clock()).unwrap();
        assert_eq!(d.left_out, ["Suggest Priya, who ran it in 2025"]);
        assert!(
            d.text
                .contains("What I can offer instead: Judge the final round."),
            "{}",
            d.text
        );
        assert_eq!(
            d.text.matches("Priya").count(),
            1,
            "only in the greeting: {}",
            d.text
        );
        // Dana's draft may name Priya.
        let to_dana = decline(&s, &dana(&s, Channel::Chat), &input(alternatives), &clock());
        let to_dana = to_dana.unwrap();
        assert!(to_dana.left_out.is_empty());
        assert!(
            to_dana
                .text
                .contains("or Suggest Priya, who ran it in 2025.")
        );
    }

    #[test]
    fn a_reason_naming_the_reader_is_refused() {
        let s = snap();
        let reason = DeclineInput {
            reason: "Dana's migration needs me until March".into(),
            ..input(&[])
        };
        let e = decline(&s, &dana(&s, Channel::Chat), &reason, &clock())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("speaks of Dana Whitfield in the third person"),
            "{e}"
        );
    }

    #[test]
    fn a_name_is_a_capitalised_word_equal_to_the_first_name() {
        let c = clock();
        let priya = Person::new("Priya Natarajan", Relation::Peer, c.now).unwrap();
        let will = Person::new("Will", Relation::Peer, c.now).unwrap();
        assert!(names("Ask Priya's team", &priya));
        assert!(names("PRIYA could run it", &priya));
        assert!(!names("Priyanka could run it", &priya));
        assert!(!names("I will judge the final", &will));
        assert!(names("Will could judge", &will));
    }

    fn person_as(s: &Snapshot, name: &str, relation: Relation, channel: Channel) -> Person {
        let mut p = Person::new(name, relation, clock().now).unwrap();
        p.channel = Some(channel);
        let _ = s;
        p
    }

    fn with_reason(reason: &str, alternatives: &[&str]) -> DeclineInput {
        DeclineInput {
            reason: reason.into(),
            ..input(alternatives)
        }
    }

    #[test]
    fn the_reason_continues_the_sentence_as_typed() {
        let s = snap();
        let d = dana(&s, Channel::Chat);
        let text = |reason: &str| {
            decline(&s, &d, &with_reason(reason, &[]), &clock())
                .unwrap()
                .text
        };
        assert!(text("no capacity").contains("I need to say no for now: no capacity. "));
        assert!(text("No capacity").contains("I need to say no for now: no capacity. "));
        assert!(text("  no\n capacity!  ").contains("for now: no capacity! "));
        assert!(text("API work comes first").contains("for now: API work comes first."));
        assert!(text("I'm on call").contains("for now: I'm on call."));
        assert!(
            text("Sam's launch comes first").contains("for now: Sam's launch comes first."),
            "a name keeps its capital"
        );
        assert!(!text("no capacity").contains(". No capacity"));
    }

    #[test]
    fn a_permanent_reason_says_no_without_for_now_and_offers_no_date() {
        for reason in [
            "out of my team's scope",
            "Not our team's area: Payments owns it",
            "it belongs to the data platform",
            "security policy",
        ] {
            assert!(is_permanent(reason), "{reason}");
        }
        for reason in [
            "no capacity",
            "out of scope for this quarter",
            "not my team until the re-org lands",
            "the migration needs me",
            "scoped work is waiting", // a whole word, not a prefix
        ] {
            assert!(!is_permanent(reason), "{reason}");
        }
        let s = snap();
        for channel in [Channel::Email, Channel::Chat, Channel::InPerson] {
            let d = decline(
                &s,
                &dana(&s, channel),
                &with_reason("out of my team's scope", &["Ask the data team"]),
                &clock(),
            )
            .unwrap();
            assert!(d.permanent && d.plan.is_none());
            assert!(!d.text.contains("for now"), "{}", d.text);
            assert!(!d.text.contains("pick it up"), "{}", d.text);
            assert!(!d.text.contains("revisit"), "{}", d.text);
            assert!(!d.text.contains("priorit"), "{}", d.text);
            assert!(
                d.text.contains("I need to say no: out of my team's scope.")
                    || d.text.contains("Why not: out of my team's scope."),
                "{}",
                d.text
            );
        }
        // A date I give makes it a no for now.
        let mut i = with_reason("out of my team's scope", &[]);
        i.after = Some(date(2027, 1, 15));
        let d = decline(&s, &dana(&s, Channel::Chat), &i, &clock()).unwrap();
        assert!(!d.permanent && d.plan.is_some());
        assert!(d.text.contains("for now: out of my team's scope."));
    }

    #[test]
    fn no_alternative_means_no_filler() {
        let s = snap();
        for channel in Channel::ALL {
            let d = decline(&s, &dana(&s, *channel), &input(&[]), &clock()).unwrap();
            assert!(!d.text.contains("another owner"), "{}", d.text);
            assert!(!d.text.contains("offer"), "{}", d.text);
            assert!(!d.text.contains("Offer"), "{}", d.text);
        }
    }

    #[test]
    fn only_my_manager_is_asked_about_my_priorities() {
        let s = snap();
        for relation in [Relation::Skip, Relation::Peer, Relation::Stakeholder] {
            for channel in [Channel::Email, Channel::InPerson, Channel::Chat] {
                let vp = person_as(&s, "Victor Pike", relation, channel);
                let d = decline(&s, &vp, &input(&[]), &clock()).unwrap();
                assert!(!d.text.to_lowercase().contains("aligned"), "{}", d.text);
                assert!(!d.text.contains("decide together"), "{}", d.text);
                assert!(
                    d.text.contains(
                        "If it has to come first, I will ask Dana what should move in my priorities; otherwise I can pick it up after Mon 14 Dec"
                    ),
                    "{}",
                    d.text
                );
            }
        }
        let d = decline(&s, &dana(&s, Channel::Email), &input(&[]), &clock()).unwrap();
        assert!(d.text.contains("let's decide together what moves"));
        assert!(d.text.contains("Are we aligned on the top priorities?"));
    }
}
