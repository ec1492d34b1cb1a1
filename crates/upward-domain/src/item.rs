//! An item: one thing the user keeps to manage up (a win, a risk, a promise, …).
//!
//! All kinds share one flat shape, as their JSON does (docs/merge.md): the common fields, then
//! every kind's own fields as options. [`Kind::fields`] says which belong to which kind; a
//! field of another kind is refused on input and left out of the JSON.

pub use crate::enums::Kind;
use crate::enums::{Direction, Level, Owner, RiskState, Status, Tone, Visibility};
use crate::person::PersonRef;
use crate::{Clock, DomainError, Duration};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest title accepted, in characters.
pub const MAX_TITLE: usize = 1000;
/// Largest text field accepted (bodies, notes), in bytes.
pub const MAX_TEXT: usize = 1 << 20;

/// Every kind-specific field name, as in the JSON.
pub const KIND_FIELDS: [&str; 28] = [
    "impact",
    "metric",
    "date",
    "rank",
    "effort",
    "confirmed",
    "likelihood",
    "severity",
    "mitigation",
    "communicated",
    "ask",
    "data",
    "escalated",
    "owner",
    "direction",
    "tone",
    "consent",
    "last_discussed",
    "ranked",
    "confirmed_by",
    "remaining",
    "state",
    "outcome",
    "communicated_severity",
    "communicated_likelihood",
    "communicated_state",
    "for_item",
    "answers",
];

impl Kind {
    /// The kind's own fields (the table in docs/items.md; `ranked` records when a priority's
    /// rank last changed, so prep can show a reordered list).
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Kind::Win => &["impact", "metric", "date", "for_item"],
            Kind::Priority => &[
                "rank",
                "effort",
                "confirmed",
                "ranked",
                "confirmed_by",
                "remaining",
            ],
            Kind::Expectation => &["metric", "confirmed", "confirmed_by"],
            Kind::Risk => &[
                "likelihood",
                "severity",
                "mitigation",
                "communicated",
                "state",
                "outcome",
                "communicated_severity",
                "communicated_likelihood",
                "communicated_state",
            ],
            Kind::Blocker => &["ask", "data", "escalated"],
            Kind::Action => &["owner"],
            Kind::Feedback => &["direction", "tone", "consent", "answers"],
            Kind::Goal => &["last_discussed"],
            Kind::Promise | Kind::Topic | Kind::Note | Kind::Idea => &[],
        }
    }

    /// The kinds that have `field`, for error messages.
    pub fn kinds_with(field: &str) -> Vec<&'static str> {
        Kind::ALL
            .iter()
            .filter(|k| k.fields().contains(&field))
            .map(|k| k.as_str())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: i64,
    pub uuid: Uuid,
    pub kind: Kind,
    pub title: String,
    #[serde(default)]
    pub body: Option<String>,
    /// The person it is about or with (for a promise: to whom). Serialized as the name; the
    /// JSON adds `person_uuid`.
    #[serde(default, with = "person_name")]
    pub person: Option<PersonRef>,
    pub status: Status,
    pub created: Date,
    #[serde(default)]
    pub due: Option<Date>,
    #[serde(default)]
    pub done: Option<Date>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub visibility: Visibility,

    #[serde(default)]
    pub impact: Option<String>,
    #[serde(default)]
    pub metric: Option<String>,
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub rank: Option<i64>,
    #[serde(default)]
    pub effort: Option<Duration>,
    #[serde(default)]
    pub confirmed: Option<Date>,
    #[serde(default)]
    pub likelihood: Option<Level>,
    #[serde(default)]
    pub severity: Option<Level>,
    #[serde(default)]
    pub mitigation: Option<String>,
    #[serde(default)]
    pub communicated: Option<Date>,
    #[serde(default)]
    pub ask: Option<String>,
    #[serde(default)]
    pub data: Option<String>,
    #[serde(default)]
    pub escalated: Option<Date>,
    #[serde(default)]
    pub owner: Option<Owner>,
    #[serde(default)]
    pub direction: Option<Direction>,
    #[serde(default)]
    pub tone: Option<Tone>,
    #[serde(default)]
    pub consent: Option<bool>,
    #[serde(default)]
    pub last_discussed: Option<Date>,
    #[serde(default)]
    pub ranked: Option<Date>,
    /// Who confirmed a priority or an expectation (the person of the 1:1 that confirmed it),
    /// by UUID; `None` when not known (confirmed before upward recorded who).
    #[serde(default)]
    pub confirmed_by: Option<Uuid>,
    /// A priority's effort still to do, when the user said (`edit --remaining`).
    #[serde(default)]
    pub remaining: Option<Duration>,
    /// What became of a risk.
    #[serde(default)]
    pub state: Option<RiskState>,
    /// What happened, in words (a risk's outcome).
    #[serde(default)]
    pub outcome: Option<String>,
    /// A risk's severity, likelihood and state when it was last communicated: what the reader
    /// knows, so that a risk that got worse since comes back.
    #[serde(default)]
    pub communicated_severity: Option<Level>,
    #[serde(default)]
    pub communicated_likelihood: Option<Level>,
    #[serde(default)]
    pub communicated_state: Option<RiskState>,
    /// The expectation or goal a win counts for, by UUID.
    #[serde(default)]
    pub for_item: Option<Uuid>,
    /// The feedback request a received feedback answers, by UUID.
    #[serde(default)]
    pub answers: Option<Uuid>,

    /// The due date first committed to, when the due date was moved since
    /// (docs/items.md#renegotiated-due-dates).
    #[serde(default)]
    pub original_due: Option<Date>,
    /// How many times the due date was moved.
    #[serde(default)]
    pub renegotiated: u32,

    /// When it was last discussed in a 1:1 (`meet --discussed`).
    #[serde(default)]
    pub discussed: Option<Date>,
    /// The meeting an action was agreed at, by UUID.
    #[serde(default)]
    pub meeting: Option<Uuid>,
    /// Why it was dropped (`drop --why`).
    #[serde(default)]
    pub why: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What `add` and `edit` carry: every field the user may set, each optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemInput {
    pub title: Option<String>,
    pub body: Option<String>,
    /// The person, resolved (front ends take a name; the application layer resolves it).
    pub person: Option<PersonRef>,
    pub due: Option<Date>,
    /// `Some` replaces the tags.
    pub tags: Option<Vec<String>>,
    pub visibility: Option<Visibility>,
    pub impact: Option<String>,
    pub metric: Option<String>,
    pub date: Option<Date>,
    pub rank: Option<i64>,
    pub effort: Option<Duration>,
    pub confirmed: Option<Date>,
    pub likelihood: Option<Level>,
    pub severity: Option<Level>,
    pub mitigation: Option<String>,
    pub communicated: Option<Date>,
    pub ask: Option<String>,
    pub data: Option<String>,
    pub escalated: Option<Date>,
    pub owner: Option<Owner>,
    pub direction: Option<Direction>,
    pub tone: Option<Tone>,
    pub consent: Option<bool>,
    pub last_discussed: Option<Date>,
    pub remaining: Option<Duration>,
    pub state: Option<RiskState>,
    pub outcome: Option<String>,
    /// The expectation or goal a win counts for (resolved from the id the user typed).
    pub for_item: Option<Uuid>,
    /// The feedback request this feedback answers (resolved from the id the user typed).
    pub answers: Option<Uuid>,
}

/// Kept for readability at call sites: `add` builds a new item from an input…
pub type NewItem = ItemInput;
/// …and `edit` patches one with it.
pub type ItemPatch = ItemInput;

impl ItemInput {
    /// The kind-specific fields this input sets, by JSON name.
    pub fn kind_fields_set(&self) -> Vec<&'static str> {
        let mut set = Vec::new();
        macro_rules! check {
            ($($f:ident),*) => { $( if self.$f.is_some() { set.push(stringify!($f)); } )* };
        }
        check!(
            impact,
            metric,
            date,
            rank,
            effort,
            confirmed,
            likelihood,
            severity,
            mitigation,
            communicated,
            ask,
            data,
            escalated,
            owner,
            direction,
            tone,
            consent,
            last_discussed,
            remaining,
            state,
            outcome,
            for_item,
            answers
        );
        set
    }

    /// Refuses a field that does not belong to `kind` (`--severity` on a win).
    pub fn check_kind(&self, kind: Kind) -> Result<(), DomainError> {
        for field in self.kind_fields_set() {
            if !kind.fields().contains(&field) {
                let flag = match field {
                    "for_item" => "--for".to_string(),
                    f => format!("--{}", f.replace('_', "-")),
                };
                return Err(DomainError::Rule(format!(
                    "{flag} does not apply to a {kind} — it is for: {}",
                    Kind::kinds_with(field).join(", ")
                )));
            }
        }
        Ok(())
    }
}

impl Item {
    /// A new item of `kind` with the defaults of docs/items.md. `next_rank` is the rank after
    /// the last open priority (the store knows it); the person is resolved by the caller.
    pub fn new(
        kind: Kind,
        input: ItemInput,
        clock: &Clock,
        next_rank: i64,
    ) -> Result<Item, DomainError> {
        input.check_kind(kind)?;
        let title = validate_title(input.title.as_deref().unwrap_or(""))?;
        let mut item = Item {
            id: 0,
            uuid: Uuid::new_v4(),
            kind,
            title,
            body: None,
            person: None,
            status: Status::Open,
            created: clock.today,
            due: None,
            done: None,
            tags: Vec::new(),
            visibility: Visibility::Private,
            impact: None,
            metric: None,
            date: None,
            rank: None,
            effort: None,
            confirmed: None,
            likelihood: None,
            severity: None,
            mitigation: None,
            communicated: None,
            ask: None,
            data: None,
            escalated: None,
            owner: None,
            direction: None,
            tone: None,
            consent: None,
            last_discussed: None,
            ranked: None,
            confirmed_by: None,
            remaining: None,
            state: None,
            outcome: None,
            communicated_severity: None,
            communicated_likelihood: None,
            communicated_state: None,
            for_item: None,
            answers: None,
            original_due: None,
            renegotiated: 0,
            discussed: None,
            meeting: None,
            why: None,
            created_at: clock.now,
            updated_at: clock.now,
        };
        match kind {
            Kind::Action => item.owner = Some(Owner::Me),
            // Feedback that answers a request was received.
            Kind::Feedback if input.answers.is_some() => {
                item.direction = Some(Direction::Received);
                item.tone = Some(Tone::Positive);
                item.consent = Some(false);
            }
            Kind::Feedback => {
                item.direction = Some(Direction::Given);
                item.tone = Some(Tone::Positive);
                item.consent = Some(false);
            }
            Kind::Risk => {
                item.likelihood = Some(Level::Medium);
                item.severity = Some(Level::Medium);
                item.state = Some(RiskState::Open);
            }
            Kind::Priority => {
                item.rank = Some(next_rank);
                item.ranked = Some(clock.today);
            }
            Kind::Win => {
                item.date = Some(clock.today);
                item.status = Status::Done;
            }
            _ => {}
        }
        item.apply(
            ItemInput {
                title: None,
                ..input
            },
            clock,
        )?;
        if kind == Kind::Win {
            item.done = item.date;
        }
        Ok(item)
    }

    /// Applies an edit. Refuses fields of another kind; validates texts.
    pub fn apply(&mut self, input: ItemInput, clock: &Clock) -> Result<(), DomainError> {
        input.check_kind(self.kind)?;
        if let Some(t) = input.title {
            self.title = validate_title(&t)?;
        }
        macro_rules! text {
            ($($f:ident),*) => { $( if let Some(v) = input.$f { self.$f = validate_text(stringify!($f), &v)?; } )* };
        }
        text!(body, impact, metric, mitigation, ask, data, outcome);
        if let Some(due) = input.due {
            self.move_due(due, clock);
        }
        macro_rules! copy {
            ($($f:ident),*) => { $( if input.$f.is_some() { self.$f = input.$f; } )* };
        }
        copy!(
            person,
            effort,
            remaining,
            for_item,
            answers,
            confirmed,
            likelihood,
            severity,
            communicated,
            escalated,
            owner,
            direction,
            tone,
            consent,
            last_discussed
        );
        if self.answers.is_some() && self.direction != Some(Direction::Received) {
            return Err(DomainError::Rule(
                "--answers is for feedback received in answer to a request — leave out \
                 --direction, or give --direction received"
                    .into(),
            ));
        }
        if input.communicated.is_some() {
            self.record_communicated();
        }
        if let Some(state) = input.state {
            self.state = Some(state);
            // A risk that can no longer happen is finished.
            if state == RiskState::Closed && self.status == Status::Open {
                self.status = Status::Done;
                self.done = Some(clock.today);
            }
        }
        if let Some(rank) = input.rank {
            self.rank = Some(validate_rank(rank)?);
            self.ranked = Some(clock.today);
        }
        if let Some(date) = input.date {
            self.date = Some(date);
            if self.kind == Kind::Win {
                self.done = Some(date);
            }
        }
        if let Some(v) = input.visibility {
            self.visibility = v;
        }
        if let Some(tags) = input.tags {
            self.tags = validate_tags(tags)?;
        }
        self.updated_at = clock.now;
        Ok(())
    }

    /// The item as JSON (docs/merge.md): common keys, then this kind's fields (null when
    /// absent), then upward's own additions.
    pub fn to_json(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).expect("an item always serializes");
        if let Some(map) = value.as_object_mut() {
            map.insert(
                "person_uuid".into(),
                self.person
                    .as_ref()
                    .map_or(serde_json::Value::Null, |p| p.uuid.to_string().into()),
            );
            for field in KIND_FIELDS {
                if !self.kind.fields().contains(&field) {
                    map.remove(field);
                }
            }
        }
        value
    }

    pub fn is_open(&self) -> bool {
        self.status == Status::Open
    }

    /// Moves the due date. Moving a date already committed to is a renegotiation: the first
    /// date is kept in `original_due` and the moves are counted, so follow-through counts
    /// against the original commitment (docs/items.md#renegotiated-due-dates). Setting a
    /// first due date, or changing it on the day the item was created (a correction), is not.
    pub fn move_due(&mut self, due: Date, clock: &Clock) {
        match self.due {
            Some(old) if old != due && self.created != clock.today => {
                self.original_due.get_or_insert(old);
                self.renegotiated += 1;
            }
            _ => {}
        }
        self.due = Some(due);
    }

    /// The due date first committed to: the original one when the date was renegotiated.
    pub fn committed_due(&self) -> Option<Date> {
        self.original_due.or(self.due)
    }

    /// Whether finishing it on `done` kept the commitment: on or before the due date first
    /// committed to (a renegotiated date does not make a late one on time), or with no due
    /// date. The one rule of "on time" for review's promises and a space's actions.
    pub fn kept_on_time(&self, done: Date) -> bool {
        self.committed_due().is_none_or(|due| done <= due)
    }

    /// The effort still to do on a priority: what is left when the user said
    /// (`--remaining`), else the whole effort.
    pub fn effort_left(&self) -> Option<Duration> {
        self.remaining.or(self.effort)
    }

    /// A risk's state; a risk recorded before risks had one counts as open.
    pub fn risk_state(&self) -> RiskState {
        self.state.unwrap_or(RiskState::Open)
    }

    /// Records that a risk was communicated as it stands now: its severity, likelihood and
    /// state are what the reader knows.
    pub fn record_communicated(&mut self) {
        if self.kind == Kind::Risk {
            self.communicated_severity = self.severity;
            self.communicated_likelihood = self.likelihood;
            self.communicated_state = Some(self.risk_state());
        }
    }

    /// Marks the item done on `date` (docs/items.md). Done twice, or done after being dropped,
    /// is refused: the message says how to reopen it.
    pub fn finish(&mut self, date: Date, clock: &Clock) -> Result<(), DomainError> {
        match self.status {
            Status::Done => Err(DomainError::AlreadyDone {
                kind: self.kind,
                id: self.id,
                on: self.done,
            }),
            Status::Dropped => Err(DomainError::DoneAfterDrop {
                kind: self.kind,
                id: self.id,
            }),
            Status::Open if date > clock.today => Err(DomainError::Rule(format!(
                "the done date {date} is in the future — mark it done once it is (--date today \
                 or earlier)"
            ))),
            Status::Open => {
                self.status = Status::Done;
                self.done = Some(date);
                // A risk finished without having occurred can no longer happen.
                if self.kind == Kind::Risk
                    && matches!(self.risk_state(), RiskState::Open | RiskState::Mitigated)
                {
                    self.state = Some(RiskState::Closed);
                }
                self.updated_at = clock.now;
                Ok(())
            }
        }
    }

    /// Marks the item dropped, keeping it and the reason why. Nothing is ever deleted.
    pub fn drop_with(&mut self, why: Option<String>, clock: &Clock) -> Result<(), DomainError> {
        if self.status == Status::Dropped {
            return Err(DomainError::Rule(format!(
                "{} #{} is already dropped",
                self.kind, self.id
            )));
        }
        self.status = Status::Dropped;
        self.why = why;
        self.updated_at = clock.now;
        Ok(())
    }

    /// Opens a done or dropped item again. A win is done when it happens, so it is never
    /// open: a dropped win comes back done, with its date; a done one is refused.
    pub fn reopen(&mut self, clock: &Clock) -> Result<(), DomainError> {
        if self.status == Status::Open {
            return Err(DomainError::Rule(format!(
                "{} #{} is already open",
                self.kind, self.id
            )));
        }
        if self.kind == Kind::Win {
            if self.status == Status::Done {
                return Err(DomainError::WinReopened { id: self.id });
            }
            self.status = Status::Done;
            self.done = self.done.or(self.date).or(Some(self.created));
            self.why = None;
            self.updated_at = clock.now;
            return Ok(());
        }
        self.status = Status::Open;
        self.done = None;
        self.why = None;
        if self.kind == Kind::Risk && self.state == Some(RiskState::Closed) {
            self.state = Some(RiskState::Open);
        }
        self.updated_at = clock.now;
        Ok(())
    }
}

pub fn validate_title(title: &str) -> Result<String, DomainError> {
    let t = title.trim();
    if t.is_empty() {
        return Err(DomainError::invalid(
            "title",
            title,
            "a non-empty title such as \"Ship the exporter\"",
        ));
    }
    if t.chars().count() > MAX_TITLE {
        return Err(DomainError::invalid(
            "title",
            format!("{}…", t.chars().take(20).collect::<String>()),
            format!("a title of at most {MAX_TITLE} characters (put the rest in --body)"),
        ));
    }
    if t.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            "title",
            t.escape_debug().to_string(),
            "a single line without control characters",
        ));
    }
    Ok(t.to_string())
}

/// Free text: at most 1 MiB; newlines and tabs allowed, other control characters refused
/// (they would be replayed to the terminal). An empty value clears the field.
pub fn validate_text(what: &'static str, text: &str) -> Result<Option<String>, DomainError> {
    if text.len() > MAX_TEXT {
        return Err(DomainError::invalid(
            what,
            format!("{}…", text.chars().take(20).collect::<String>()),
            "text of at most 1 MiB",
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(DomainError::invalid(
            what,
            text.chars()
                .take(40)
                .collect::<String>()
                .escape_debug()
                .to_string(),
            "text without control characters other than newlines and tabs",
        ));
    }
    Ok((!text.trim().is_empty()).then(|| text.to_string()))
}

pub fn validate_rank(rank: i64) -> Result<i64, DomainError> {
    if (1..=100_000).contains(&rank) {
        Ok(rank)
    } else {
        Err(DomainError::invalid(
            "rank",
            rank.to_string(),
            "a whole number from 1 to 100000",
        ))
    }
}

pub fn validate_tags(tags: Vec<String>) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let t = tag.trim().trim_start_matches('#').to_string();
        if t.is_empty()
            || t.chars().count() > 64
            || t.chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == ',')
        {
            return Err(DomainError::invalid(
                "tag",
                tag.escape_debug().to_string(),
                "one word of at most 64 characters, without spaces or commas, such as perf",
            ));
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock::fixed("2026-11-22").unwrap()
    }

    fn titled(t: &str) -> ItemInput {
        ItemInput {
            title: Some(t.into()),
            ..Default::default()
        }
    }

    #[test]
    fn defaults_follow_the_spec() {
        let c = clock();
        let win = Item::new(Kind::Win, titled("shipped"), &c, 1).unwrap();
        assert_eq!(
            (win.status, win.date, win.done),
            (Status::Done, Some(c.today), Some(c.today))
        );
        let risk = Item::new(Kind::Risk, titled("r"), &c, 1).unwrap();
        assert_eq!(
            (risk.likelihood, risk.severity),
            (Some(Level::Medium), Some(Level::Medium))
        );
        let fb = Item::new(Kind::Feedback, titled("f"), &c, 1).unwrap();
        assert_eq!(
            (fb.direction, fb.tone, fb.consent),
            (Some(Direction::Given), Some(Tone::Positive), Some(false))
        );
        let act = Item::new(Kind::Action, titled("a"), &c, 1).unwrap();
        assert_eq!(act.owner, Some(Owner::Me));
        let p = Item::new(Kind::Priority, titled("p"), &c, 4).unwrap();
        assert_eq!(p.rank, Some(4));
    }

    #[test]
    fn a_field_of_another_kind_is_refused() {
        let input = ItemInput {
            severity: Some(Level::High),
            ..titled("x")
        };
        let e = Item::new(Kind::Win, input, &clock(), 1)
            .unwrap_err()
            .to_string();
        assert_eq!(e, "--severity does not apply to a win — it is for: risk");
    }

    #[test]
    fn json_has_the_kinds_fields_only() {
        let win = Item::new(Kind::Win, titled("w"), &clock(), 1).unwrap();
        let v = win.to_json();
        assert!(v.get("metric").unwrap().is_null());
        assert!(v.get("severity").is_none());
        assert_eq!(v["date"], "2026-11-22");
        let back: Item = serde_json::from_value(v).unwrap();
        assert_eq!(back, win);
    }

    #[test]
    fn moving_a_due_date_keeps_the_first_commitment() {
        let c = clock();
        let later = Clock::fixed("2026-11-24").unwrap();
        let day = |d: &str| d.parse::<Date>().unwrap();
        let mut p = Item::new(Kind::Promise, titled("p"), &c, 1).unwrap();
        p.move_due(day("2026-11-27"), &later);
        assert_eq!((p.original_due, p.renegotiated), (None, 0), "a first date");
        p.move_due(day("2026-11-28"), &c);
        assert_eq!(
            (p.original_due, p.renegotiated),
            (None, 0),
            "corrected the same day"
        );
        p.move_due(day("2026-11-28"), &later);
        assert_eq!(p.renegotiated, 0, "the same date");
        p.move_due(day("2026-12-02"), &later);
        p.move_due(day("2026-12-09"), &later);
        assert_eq!(
            (p.due, p.original_due, p.renegotiated),
            (Some(day("2026-12-09")), Some(day("2026-11-28")), 2)
        );
        assert_eq!(p.committed_due(), Some(day("2026-11-28")));
    }

    #[test]
    fn a_risk_has_a_lifecycle() {
        let c = clock();
        let mut r = Item::new(Kind::Risk, titled("r"), &c, 1).unwrap();
        assert_eq!(r.state, Some(RiskState::Open));
        r.finish(c.today, &c).unwrap();
        assert_eq!(
            r.state,
            Some(RiskState::Closed),
            "done: it can no longer happen"
        );
        r.reopen(&c).unwrap();
        assert_eq!(r.state, Some(RiskState::Open));
        let occurred = ItemInput {
            state: Some(RiskState::Occurred),
            outcome: Some("Two weeks late".into()),
            ..Default::default()
        };
        r.apply(occurred, &c).unwrap();
        r.finish(c.today, &c).unwrap();
        assert_eq!(
            r.state,
            Some(RiskState::Occurred),
            "it happened, and stays so"
        );
        let mut r = Item::new(Kind::Risk, titled("r"), &c, 1).unwrap();
        let closed = ItemInput {
            state: Some(RiskState::Closed),
            ..Default::default()
        };
        r.apply(closed, &c).unwrap();
        assert_eq!((r.status, r.done), (Status::Done, Some(c.today)));
    }

    #[test]
    fn feedback_answering_a_request_is_received() {
        let answers = ItemInput {
            answers: Some(Uuid::from_u128(1)),
            ..titled("f")
        };
        let f = Item::new(Kind::Feedback, answers.clone(), &clock(), 1).unwrap();
        assert_eq!(f.direction, Some(Direction::Received));
        let given = ItemInput {
            direction: Some(Direction::Given),
            ..answers
        };
        let e = Item::new(Kind::Feedback, given, &clock(), 1).unwrap_err();
        assert!(
            e.to_string().contains("--answers is for feedback received"),
            "{e}"
        );
    }

    #[test]
    fn the_effort_left_is_the_remaining_one_when_set() {
        let mut p = Item::new(Kind::Priority, titled("p"), &clock(), 1).unwrap();
        assert_eq!(p.effort_left(), None);
        p.effort = Some(Duration::days(10));
        assert_eq!(p.effort_left(), Some(Duration::days(10)));
        p.remaining = Some(Duration::days(0));
        assert_eq!(p.effort_left(), Some(Duration::days(0)));
    }

    #[test]
    fn empty_and_control_titles_are_refused() {
        assert!(Item::new(Kind::Note, titled("   "), &clock(), 1).is_err());
        assert!(Item::new(Kind::Note, titled("a\u{1b}[31m"), &clock(), 1).is_err());
    }
}

/// An item's person as its name in JSON. What is read back has no UUID yet: the export
/// document fills it in from `person_uuid`, or from the people by name (`Export::parse`).
mod person_name {
    use crate::person::PersonRef;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(p: &Option<PersonRef>, s: S) -> Result<S::Ok, S::Error> {
        match p {
            Some(p) => s.serialize_str(&p.name),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PersonRef>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(|name| PersonRef {
            uuid: uuid::Uuid::nil(),
            name,
        }))
    }
}
