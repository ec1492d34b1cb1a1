//! Items: finding one by the id a user typed, and keeping the open priorities' ranks dense.

use crate::{AppError, Result};
use jiff::civil::Date;
use upward_domain::workflow::hints;
use upward_domain::{Clock, DomainError, Item, ItemInput, Kind, Snapshot, Status, ranking};
use upward_store::{ItemFilter, Transaction};
use uuid::Uuid;

/// An item by its id, or an error whose step shows the ids.
pub fn get(tx: &dyn Transaction, id: i64) -> Result<Item> {
    tx.item(id)?.ok_or(AppError::NoItem { id })
}

fn open_priorities(tx: &dyn Transaction) -> Result<Vec<Item>> {
    Ok(tx.items(&ItemFilter {
        kind: Some(Kind::Priority),
        status: Some(Status::Open),
        ..Default::default()
    })?)
}

/// The rank after the last open priority.
pub fn next_rank(tx: &dyn Transaction) -> Result<i64> {
    Ok(ranking::next_rank(&open_priorities(tx)?))
}

/// Puts open priority `uuid` at `rank` and renumbers the others (docs/items.md).
pub fn place_priority(tx: &dyn Transaction, uuid: Uuid, rank: i64, today: Date) -> Result<()> {
    for item in ranking::place(&open_priorities(tx)?, uuid, rank, today) {
        tx.update_item(&item)?;
    }
    Ok(())
}

/// Closes the gap a finished or dropped priority leaves in the open ranks.
pub fn compact_ranks(tx: &dyn Transaction, today: Date) -> Result<()> {
    for item in ranking::compact(&open_priorities(tx)?, today) {
        tx.update_item(&item)?;
    }
    Ok(())
}

/// What `add` did: the stored item, and the hints that teach the practice (docs/hints.md),
/// each with the step that acts on it.
#[derive(Debug, Clone)]
pub struct Added {
    pub item: Item,
    pub hints: Vec<hints::Hint>,
}

/// Adds an item of `kind` from the user's input, with the person named by `with` (a unique
/// prefix is enough).
pub fn add(
    tx: &dyn Transaction,
    kind: Kind,
    input: ItemInput,
    with: Option<&str>,
    clock: &Clock,
) -> Result<Added> {
    let input = with_person(tx, input, with)?;
    let rank = input.rank;
    let mut item = Item::new(kind, input, clock, next_rank(tx)?)?;
    if item.confirmed.is_some() {
        item.confirmed_by = confirmed_with(tx, &item)?;
    }
    let before = hint_snapshot(tx, kind)?;
    let stored = tx.insert_item(&item)?;
    settle_request(tx, &stored, clock)?;
    let hints = hints::on_add(&before, &stored, clock);
    if let Some(rank) = rank {
        place_priority(tx, stored.uuid, rank, clock.today)?;
    }
    Ok(Added {
        item: get(tx, stored.id)?,
        hints,
    })
}

/// The data the add-hints look at: people and, for a promise, the open promises (its hint
/// counts those of a week), not the whole workspace. Other kinds' hints look only at the item.
fn hint_snapshot(tx: &dyn Transaction, kind: Kind) -> Result<Snapshot> {
    Ok(Snapshot {
        people: tx.people(true)?,
        items: if kind == Kind::Promise {
            tx.items(&ItemFilter {
                kind: Some(kind),
                status: Some(Status::Open),
                ..Default::default()
            })?
        } else {
            Vec::new()
        },
        ..Default::default()
    })
}

/// The items an input links to, by the ids the user typed: the expectation or goal a win
/// counts for (`--for`), the feedback request a feedback answers (`--answers`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Links {
    pub for_id: Option<i64>,
    pub answers: Option<i64>,
}

/// Resolves `links` into the input's UUIDs, refusing a link to an item of the wrong kind. A
/// feedback answering a request is from the request's person unless `--with` says otherwise.
pub fn link(tx: &dyn Transaction, mut input: ItemInput, links: Links) -> Result<ItemInput> {
    if let Some(id) = links.for_id {
        let target = get(tx, id)?;
        if !matches!(target.kind, Kind::Expectation | Kind::Goal) {
            return Err(DomainError::invalid(
                "--for",
                format!("#{id} (a {})", target.kind),
                "the id of an expectation or a goal the win counts for",
            )
            .into());
        }
        input.for_item = Some(target.uuid);
    }
    if let Some(id) = links.answers {
        let request = get(tx, id)?;
        if request.kind != Kind::Feedback
            || request.direction != Some(upward_domain::Direction::Requested)
        {
            return Err(DomainError::invalid(
                "--answers",
                format!("#{id} (a {})", request.kind),
                "the id of a feedback request (a feedback item of direction requested)",
            )
            .into());
        }
        input.answers = Some(request.uuid);
        if input.person.is_none() {
            input.person = request.person.clone();
        }
    }
    Ok(input)
}

/// A feedback request answered by `feedback` is settled: it is done on the day the answer
/// was recorded (docs/items.md#feedback-that-answers-a-request).
fn settle_request(tx: &dyn Transaction, feedback: &Item, clock: &Clock) -> Result<()> {
    if let Some(uuid) = feedback.answers
        && let Some(mut request) = tx.item_by_uuid(uuid)?
        && request.is_open()
    {
        request.finish(clock.today, clock)?;
        tx.update_item(&request)?;
    }
    Ok(())
}

/// Resolves the person named by `with` into the input.
fn with_person(
    tx: &dyn Transaction,
    mut input: ItemInput,
    with: Option<&str>,
) -> Result<ItemInput> {
    if let Some(name) = with {
        input.person = Some(crate::people::resolve(tx, name)?.to_ref());
    }
    Ok(input)
}

/// Changes the fields of item `id` that the input sets. An open priority given a rank moves
/// there.
pub fn edit(
    tx: &dyn Transaction,
    id: i64,
    input: ItemInput,
    with: Option<&str>,
    clock: &Clock,
) -> Result<Item> {
    let mut item = get(tx, id)?;
    let input = with_person(tx, input, with)?;
    if input == ItemInput::default() {
        return Err(DomainError::Rule(format!(
            "nothing to change — give what to set, such as --title, --due, --body, --tag or a field of a {}",
            item.kind
        ))
        .into());
    }
    let rank = input.rank;
    let confirmed = input.confirmed;
    item.apply(input, clock)?;
    if confirmed.is_some() {
        // Confirmed by hand: with the person whose list or expectation it is.
        item.confirmed_by = confirmed_with(tx, &item)?;
    }
    tx.update_item(&item)?;
    settle_request(tx, &item, clock)?;
    if let (Some(rank), true) = (rank, item.is_open()) {
        place_priority(tx, item.uuid, rank, clock.today)?;
    }
    get(tx, id)
}

/// Who a priority or an expectation is confirmed with when the user gives the date by hand:
/// its person, else my manager (who owns the ranked list and what is expected of me).
fn confirmed_with(tx: &dyn Transaction, item: &Item) -> Result<Option<Uuid>> {
    Ok(match &item.person {
        Some(p) => Some(p.uuid),
        None => crate::people::manager(tx)?.map(|m| m.uuid),
    })
}

/// Marks item `id` done (today unless `date` says when).
pub fn done(tx: &dyn Transaction, id: i64, date: Option<Date>, clock: &Clock) -> Result<Item> {
    let mut item = get(tx, id)?;
    item.finish(date.unwrap_or(clock.today), clock)?;
    close(tx, &item, clock)
}

/// Marks item `id` dropped, keeping it and why.
pub fn drop(tx: &dyn Transaction, id: i64, why: Option<String>, clock: &Clock) -> Result<Item> {
    let mut item = get(tx, id)?;
    item.drop_with(why, clock)?;
    close(tx, &item, clock)
}

/// Opens item `id` again; a priority goes back at the end of the ranking.
pub fn reopen(tx: &dyn Transaction, id: i64, clock: &Clock) -> Result<Item> {
    let mut item = get(tx, id)?;
    item.reopen(clock)?;
    let rank = next_rank(tx)?;
    tx.update_item(&item)?;
    if item.kind == Kind::Priority {
        place_priority(tx, item.uuid, rank, clock.today)?;
    }
    get(tx, id)
}

/// Writes a closed item; a closed priority leaves the ranking, so the others close the gap.
fn close(tx: &dyn Transaction, item: &Item, clock: &Clock) -> Result<Item> {
    tx.update_item(item)?;
    if item.kind == Kind::Priority {
        compact_ranks(tx, clock.today)?;
    }
    get(tx, item.id)
}

/// Items as `list` shows them: filtered, with the person named by a unique prefix.
pub fn list(tx: &dyn Transaction, mut filter: ItemFilter, with: Option<&str>) -> Result<Vec<Item>> {
    if let Some(name) = with {
        filter.person = Some(crate::people::resolve(tx, name)?.uuid);
    }
    Ok(tx.items(&filter)?)
}

/// The most hits a search returns.
pub const SEARCH_LIMIT: usize = 1000;

/// Full-text search over items, meeting notes and profiles; at most `limit` hits (1 to
/// [`SEARCH_LIMIT`]), best first.
pub fn search(tx: &dyn Transaction, query: &str, limit: usize) -> Result<Vec<upward_store::Hit>> {
    Ok(tx.search(query, limit.clamp(1, SEARCH_LIMIT))?)
}

/// A hit's passage with its matches between `open` and `close` (the store marks them with
/// [`upward_store::MATCH_START`] and [`upward_store::MATCH_END`]).
pub fn mark(snippet: &str, open: &str, close: &str) -> String {
    snippet
        .replace(upward_store::MATCH_START, open)
        .replace(upward_store::MATCH_END, close)
}

/// The hits as `search --json` gives them (and `GET /api/v1/search`): matches marked
/// `**like this**`.
pub fn search_json(hits: Vec<upward_store::Hit>) -> Vec<upward_store::Hit> {
    hits.into_iter()
        .map(|mut h| {
            h.snippet = mark(&h.snippet, "**", "**");
            h
        })
        .collect()
}

/// The status a list shows: `open` by default, but every win that is not dropped for wins
/// (a win is done when recorded, so "open wins" would always be empty); `all` is every status.
pub fn list_status(status: Option<&str>, kind: Option<Kind>) -> Result<Option<Status>> {
    match status.map(|s| s.trim().to_lowercase()) {
        None if kind == Some(Kind::Win) => Ok(None),
        None => Ok(Some(Status::Open)),
        Some(s) if s == "all" => Ok(None),
        Some(s) => s.parse::<Status>().map(Some).map_err(|_| {
            DomainError::Rule(format!(
                "status `{s}` is not valid — accepted: open, done, dropped, all"
            ))
            .into()
        }),
    }
}

/// Items as `list` orders them: [`list`], then wins without a status (not dropped) newest
/// first, and priorities the open ones by rank before the closed ones.
pub fn listed(tx: &dyn Transaction, filter: ItemFilter, with: Option<&str>) -> Result<Vec<Item>> {
    let (kind, status) = (filter.kind, filter.status);
    let mut items = list(tx, filter, with)?;
    if kind == Some(Kind::Win) && status.is_none() {
        items.retain(|i| i.status != Status::Dropped);
        items.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    } else if kind == Some(Kind::Priority) {
        items.sort_by_key(|i| (i.status != Status::Open, i.rank.unwrap_or(i64::MAX), i.id));
    }
    Ok(items)
}

/// The fields of `add` and `edit` as a front end receives them (flags, form fields, JSON
/// values), before parsing; [`Fields::input`] turns them into an [`ItemInput`] the same way
/// for every front end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    pub due: Option<String>,
    /// `Some` replaces the tags (an empty list is not a change: the command line cannot say it).
    pub tags: Vec<String>,
    pub body: Option<String>,
    pub shared: bool,
    pub impact: Option<String>,
    pub metric: Option<String>,
    pub date: Option<String>,
    pub rank: Option<String>,
    pub effort: Option<String>,
    pub confirmed: Option<String>,
    pub likelihood: Option<String>,
    pub severity: Option<String>,
    pub mitigation: Option<String>,
    pub communicated: Option<String>,
    pub ask: Option<String>,
    pub data: Option<String>,
    pub escalated: Option<String>,
    pub owner: Option<String>,
    pub direction: Option<String>,
    pub tone: Option<String>,
    pub consent: Option<String>,
    pub last_discussed: Option<String>,
    pub remaining: Option<String>,
    pub state: Option<String>,
    pub outcome: Option<String>,
}

impl Fields {
    /// Parses every field given (dates relative to `today`); the person and the links are
    /// resolved by the use case.
    pub fn input(&self, today: Date) -> Result<ItemInput, DomainError> {
        use upward_domain::enums::parse_bool;
        use upward_domain::{Visibility, parse_date, parse_duration};
        let date = |v: &Option<String>| v.as_deref().map(|s| parse_date(s, today)).transpose();
        let duration = |v: &Option<String>| v.as_deref().map(parse_duration).transpose();
        Ok(ItemInput {
            title: None,
            body: self.body.clone(),
            person: None,
            due: date(&self.due)?,
            tags: (!self.tags.is_empty()).then(|| self.tags.clone()),
            visibility: self.shared.then_some(Visibility::Shared),
            impact: self.impact.clone(),
            metric: self.metric.clone(),
            date: date(&self.date)?,
            rank: self.rank.as_deref().map(parse_rank).transpose()?,
            effort: duration(&self.effort)?,
            confirmed: date(&self.confirmed)?,
            likelihood: parse_opt(&self.likelihood)?,
            severity: parse_opt(&self.severity)?,
            mitigation: self.mitigation.clone(),
            communicated: date(&self.communicated)?,
            ask: self.ask.clone(),
            data: self.data.clone(),
            escalated: date(&self.escalated)?,
            owner: parse_opt(&self.owner)?,
            direction: parse_opt(&self.direction)?,
            tone: parse_opt(&self.tone)?,
            consent: self
                .consent
                .as_deref()
                .map(|c| parse_bool("consent", c))
                .transpose()?,
            last_discussed: date(&self.last_discussed)?,
            remaining: duration(&self.remaining)?,
            state: parse_opt(&self.state)?,
            outcome: self.outcome.clone(),
            for_item: None,
            answers: None,
        })
    }
}

/// A rank as typed: a whole number from 1 to 100000.
fn parse_rank(r: &str) -> Result<i64, DomainError> {
    let n = r
        .trim()
        .parse::<i64>()
        .map_err(|_| DomainError::invalid("rank", r, "a whole number from 1 to 100000"))?;
    upward_domain::item::validate_rank(n)
}

/// Parses an optional vocabulary value (`severity: high`).
fn parse_opt<T: std::str::FromStr<Err = DomainError>>(
    v: &Option<String>,
) -> Result<Option<T>, DomainError> {
    v.as_deref().map(str::parse).transpose()
}
