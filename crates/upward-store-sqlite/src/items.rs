//! Items: the one row binding of the `items` table (read by column name, written with named
//! parameters shared by insert and update), and the filtered list.

use crate::{Error, Result, Tx};
use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Row, ToSql, named_params};
use upward_domain::{Item, Kind, Person, PersonRef, Status};
use upward_store::{Field, ItemFilter, StoreError};

/// The columns an item is read from: its own, and its person and meeting by UUID.
const SELECT: &str = "SELECT items.*, people.uuid AS person_uuid, people.name AS person_name, \
    meetings.uuid AS meeting_uuid \
    FROM items LEFT JOIN people ON people.id = items.person_id \
    LEFT JOIN meetings ON meetings.id = items.meeting_id";

/// [`SELECT`] without the person's columns, for a query that has everyone at hand already (a
/// snapshot): its person is found by `items.person_id` among them, with no lookup in `people`
/// for every item.
const SELECT_AMONG_PEOPLE: &str = "SELECT items.*, meetings.uuid AS meeting_uuid \
    FROM items LEFT JOIN meetings ON meetings.id = items.meeting_id";

/// Where an item's person is read from.
enum PersonCols {
    /// The `person_uuid` and `person_name` of [`SELECT`].
    Joined { uuid: usize, name: usize },
    /// `items.person_id`, the row id of someone among the people given
    /// ([`SELECT_AMONG_PEOPLE`]).
    RowId(usize),
}

/// The index of each column an item is read from, looked up by name once per statement (a
/// lookup by name per row and column would cost more than the rest of `list`).
struct Cols {
    id: usize,
    uuid: usize,
    kind: usize,
    title: usize,
    body: usize,
    person: PersonCols,
    status: usize,
    created: usize,
    due: usize,
    done: usize,
    tags: usize,
    visibility: usize,
    impact: usize,
    metric: usize,
    date: usize,
    rank: usize,
    effort: usize,
    confirmed: usize,
    likelihood: usize,
    severity: usize,
    mitigation: usize,
    communicated: usize,
    ask: usize,
    data: usize,
    escalated: usize,
    owner: usize,
    direction: usize,
    tone: usize,
    consent: usize,
    last_discussed: usize,
    ranked: usize,
    confirmed_by: usize,
    remaining: usize,
    state: usize,
    outcome: usize,
    communicated_severity: usize,
    communicated_likelihood: usize,
    communicated_state: usize,
    for_item: usize,
    answers: usize,
    original_due: usize,
    renegotiated: usize,
    discussed: usize,
    meeting_uuid: usize,
    why: usize,
    created_at: usize,
    updated_at: usize,
}

/// The index of a column a query left out ([`Scope::unread`](upward_store::Scope::unread)):
/// read as NULL.
const ABSENT: usize = usize::MAX;

impl Cols {
    /// The columns of `stmt`, which has every column of an item but those of `unread`.
    fn of(stmt: &rusqlite::Statement, unread: &[Field]) -> Result<Cols> {
        let maybe = |field: Field| -> Result<usize> {
            if unread.contains(&field) {
                Ok(ABSENT)
            } else {
                let column = match field {
                    Field::Meeting => "meeting_uuid",
                    f => f.name(),
                };
                Ok(stmt.column_index(column)?)
            }
        };
        Ok(Cols {
            id: stmt.column_index("id")?,
            uuid: stmt.column_index("uuid")?,
            kind: stmt.column_index("kind")?,
            title: stmt.column_index("title")?,
            body: stmt.column_index("body")?,
            person: match stmt.column_index("person_uuid") {
                Ok(uuid) => PersonCols::Joined {
                    uuid,
                    name: stmt.column_index("person_name")?,
                },
                Err(_) => PersonCols::RowId(stmt.column_index("person_id")?),
            },
            status: stmt.column_index("status")?,
            created: stmt.column_index("created")?,
            due: stmt.column_index("due")?,
            done: stmt.column_index("done")?,
            tags: stmt.column_index("tags")?,
            visibility: maybe(Field::Visibility)?,
            impact: stmt.column_index("impact")?,
            metric: stmt.column_index("metric")?,
            date: stmt.column_index("date")?,
            rank: maybe(Field::Rank)?,
            effort: maybe(Field::Effort)?,
            confirmed: stmt.column_index("confirmed")?,
            likelihood: maybe(Field::Likelihood)?,
            severity: maybe(Field::Severity)?,
            mitigation: maybe(Field::Mitigation)?,
            communicated: maybe(Field::Communicated)?,
            ask: maybe(Field::Ask)?,
            data: maybe(Field::Data)?,
            escalated: maybe(Field::Escalated)?,
            owner: stmt.column_index("owner")?,
            direction: stmt.column_index("direction")?,
            tone: stmt.column_index("tone")?,
            consent: maybe(Field::Consent)?,
            last_discussed: stmt.column_index("last_discussed")?,
            ranked: maybe(Field::Ranked)?,
            confirmed_by: maybe(Field::ConfirmedBy)?,
            remaining: maybe(Field::Remaining)?,
            state: maybe(Field::State)?,
            outcome: maybe(Field::Outcome)?,
            communicated_severity: maybe(Field::CommunicatedSeverity)?,
            communicated_likelihood: maybe(Field::CommunicatedLikelihood)?,
            communicated_state: maybe(Field::CommunicatedState)?,
            for_item: stmt.column_index("for_item")?,
            answers: maybe(Field::Answers)?,
            original_due: stmt.column_index("original_due")?,
            renegotiated: stmt.column_index("renegotiated")?,
            discussed: maybe(Field::Discussed)?,
            meeting_uuid: maybe(Field::Meeting)?,
            why: maybe(Field::Why)?,
            created_at: maybe(Field::CreatedAt)?,
            updated_at: stmt.column_index("updated_at")?,
        })
    }
}

/// Reads an item from a row of [`SELECT`], or of [`SELECT_AMONG_PEOPLE`] with everyone in
/// `people`.
///
/// Of an item of the `counted` kinds, only the fields counting reads (see
/// `Scope::counted_kinds`); the others are left empty.
fn from_row<const NARROW: bool>(
    r: &Row,
    c: &Cols,
    people: &[Person],
    counted: &[Kind],
) -> Result<Item> {
    let id: i64 = r.get(c.id)?;
    let corrupt =
        |what: &str| -> Error { StoreError::Corrupt(format!("item {id}: {what}")).into() };
    if !counted.is_empty() {
        let kind: Kind = parse_n::<_, NARROW>(r, c.kind, "kind")?.ok_or_else(|| corrupt("kind"))?;
        if counted.contains(&kind) {
            return counted_from_row(r, c, id, kind);
        }
    }
    let tags = match text_n::<NARROW>(r, c.tags, "tags")? {
        Some("[]") | None => Vec::new(),
        Some(t) => match plain_tags(t) {
            Some(tags) => tags,
            None => serde_json::from_str(t).map_err(|_| corrupt("tags"))?,
        },
    };
    let person = match c.person {
        PersonCols::Joined { uuid, name } => match parse::<uuid::Uuid>(r, uuid, "person_uuid")? {
            Some(uuid) => Some(PersonRef {
                uuid,
                name: r.get(name)?,
            }),
            None => None,
        },
        // As the join reads it: no person for a row id that names no one.
        PersonCols::RowId(i) => r
            .get::<_, Option<i64>>(i)?
            .and_then(|id| people.iter().find(|p| p.id == id))
            .map(Person::to_ref),
    };
    let owned = |i: usize, name: &str| -> Result<Option<String>> {
        Ok(text_n::<NARROW>(r, i, name)?.map(str::to_owned))
    };
    Ok(Item {
        id,
        uuid: parse_n::<_, NARROW>(r, c.uuid, "uuid")?.ok_or_else(|| corrupt("uuid"))?,
        kind: parse_n::<_, NARROW>(r, c.kind, "kind")?.ok_or_else(|| corrupt("kind"))?,
        title: r.get(c.title)?,
        body: owned(c.body, "body")?,
        person,
        status: parse_n::<_, NARROW>(r, c.status, "status")?.ok_or_else(|| corrupt("status"))?,
        created: date_n::<NARROW>(r, c.created, "created")?.ok_or_else(|| corrupt("created"))?,
        due: date_n::<NARROW>(r, c.due, "due")?,
        done: date_n::<NARROW>(r, c.done, "done")?,
        tags,
        visibility: if NARROW && c.visibility == ABSENT {
            upward_domain::enums::Visibility::Private
        } else {
            parse_n::<_, NARROW>(r, c.visibility, "visibility")?
                .ok_or_else(|| corrupt("visibility"))?
        },
        impact: owned(c.impact, "impact")?,
        metric: owned(c.metric, "metric")?,
        date: date_n::<NARROW>(r, c.date, "date")?,
        rank: if NARROW && c.rank == ABSENT {
            None
        } else {
            r.get(c.rank)?
        },
        effort: parse_n::<_, NARROW>(r, c.effort, "effort")?,
        confirmed: date_n::<NARROW>(r, c.confirmed, "confirmed")?,
        likelihood: parse_n::<_, NARROW>(r, c.likelihood, "likelihood")?,
        severity: parse_n::<_, NARROW>(r, c.severity, "severity")?,
        mitigation: owned(c.mitigation, "mitigation")?,
        communicated: date_n::<NARROW>(r, c.communicated, "communicated")?,
        ask: owned(c.ask, "ask")?,
        data: owned(c.data, "data")?,
        escalated: date_n::<NARROW>(r, c.escalated, "escalated")?,
        owner: parse_n::<_, NARROW>(r, c.owner, "owner")?,
        direction: parse_n::<_, NARROW>(r, c.direction, "direction")?,
        tone: parse_n::<_, NARROW>(r, c.tone, "tone")?,
        consent: if NARROW && c.consent == ABSENT {
            None
        } else {
            r.get(c.consent)?
        },
        last_discussed: date_n::<NARROW>(r, c.last_discussed, "last_discussed")?,
        ranked: date_n::<NARROW>(r, c.ranked, "ranked")?,
        confirmed_by: parse_n::<_, NARROW>(r, c.confirmed_by, "confirmed_by")?,
        remaining: parse_n::<_, NARROW>(r, c.remaining, "remaining")?,
        state: parse_n::<_, NARROW>(r, c.state, "state")?,
        outcome: owned(c.outcome, "outcome")?,
        communicated_severity: parse_n::<_, NARROW>(
            r,
            c.communicated_severity,
            "communicated_severity",
        )?,
        communicated_likelihood: parse_n::<_, NARROW>(
            r,
            c.communicated_likelihood,
            "communicated_likelihood",
        )?,
        communicated_state: parse_n::<_, NARROW>(r, c.communicated_state, "communicated_state")?,
        for_item: parse_n::<_, NARROW>(r, c.for_item, "for_item")?,
        answers: parse_n::<_, NARROW>(r, c.answers, "answers")?,
        original_due: date_n::<NARROW>(r, c.original_due, "original_due")?,
        renegotiated: {
            let n: i64 = r.get(c.renegotiated)?;
            u32::try_from(n).map_err(|_| corrupt("renegotiated"))?
        },
        discussed: date_n::<NARROW>(r, c.discussed, "discussed")?,
        meeting: parse_n::<_, NARROW>(r, c.meeting_uuid, "meeting_uuid")?,
        why: owned(c.why, "why")?,
        created_at: if NARROW && c.created_at == ABSENT {
            Timestamp::UNIX_EPOCH
        } else {
            timestamp_n::<NARROW>(r, c.created_at, "created_at")?
                .ok_or_else(|| corrupt("created_at"))?
        },
        updated_at: timestamp_n::<NARROW>(r, c.updated_at, "updated_at")?
            .ok_or_else(|| corrupt("updated_at"))?,
    })
}

/// An item of a kind the rule only counts: the fields counting reads, the others empty.
#[inline(never)]
fn counted_from_row(r: &Row, c: &Cols, id: i64, kind: Kind) -> Result<Item> {
    let corrupt =
        |what: &str| -> Error { StoreError::Corrupt(format!("item {id}: {what}")).into() };
    Ok(Item {
        id,
        uuid: parse(r, c.uuid, "uuid")?.ok_or_else(|| corrupt("uuid"))?,
        kind,
        title: String::new(),
        body: None,
        person: None,
        status: parse(r, c.status, "status")?.ok_or_else(|| corrupt("status"))?,
        created: date(r, c.created, "created")?.ok_or_else(|| corrupt("created"))?,
        due: date(r, c.due, "due")?,
        done: date(r, c.done, "done")?,
        tags: Vec::new(),
        visibility: upward_domain::enums::Visibility::Private,
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
        owner: parse(r, c.owner, "owner")?,
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
        created_at: Timestamp::UNIX_EPOCH,
        // The day a dropped one was dropped (`review::dropped_on`).
        updated_at: timestamp(r, c.updated_at, "updated_at")?
            .ok_or_else(|| corrupt("updated_at"))?,
    })
}

/// A text column as stored (NULL is `None`), without copying it. When `NARROW`, the row's
/// query may have left the column out ([`ABSENT`]: `None`); a query that reads every column
/// pays nothing for that.
#[inline(always)]
fn text_n<'r, const NARROW: bool>(r: &'r Row, i: usize, column: &str) -> Result<Option<&'r str>> {
    if NARROW && i == ABSENT {
        return Ok(None);
    }
    r.get_ref(i)?
        .as_str_or_null()
        .map_err(|_| StoreError::Corrupt(format!("items.{column} is not text")).into())
}

/// A text column parsed into a domain value, or a report of corruption.
fn parse<T: std::str::FromStr>(r: &Row, i: usize, column: &str) -> Result<Option<T>> {
    parse_n::<T, false>(r, i, column)
}

/// [`parse`] of a row that may lack the column, as [`text_n`].
fn parse_n<T: std::str::FromStr, const NARROW: bool>(
    r: &Row,
    i: usize,
    column: &str,
) -> Result<Option<T>> {
    text_n::<NARROW>(r, i, column)?
        .map(|v| parse_text(v, column))
        .transpose()
}

fn parse_text<T: std::str::FromStr>(v: &str, column: &str) -> Result<T> {
    v.parse::<T>()
        .map_err(|_| StoreError::Corrupt(format!("items.{column} = {v:?}")).into())
}

/// A date column (`2026-11-23`), or a report of corruption. Dates are written in that one
/// form, read here without the general parser (a tenth of decoding an item); anything else
/// goes through it.
fn date(r: &Row, i: usize, column: &str) -> Result<Option<Date>> {
    date_n::<false>(r, i, column)
}

/// [`date`], as [`text_n`].
fn date_n<const NARROW: bool>(r: &Row, i: usize, column: &str) -> Result<Option<Date>> {
    match text_n::<NARROW>(r, i, column)? {
        Some(v) => match fast_date(v.as_bytes()) {
            Some(d) => Ok(Some(d)),
            None => parse_text(v, column).map(Some),
        },
        None => Ok(None),
    }
}

/// A timestamp column (`2026-11-23T09:30:00Z`, or with a fraction of a second), as [`date`].
fn timestamp(r: &Row, i: usize, column: &str) -> Result<Option<Timestamp>> {
    timestamp_n::<false>(r, i, column)
}

/// [`timestamp`], as [`text_n`].
fn timestamp_n<const NARROW: bool>(r: &Row, i: usize, column: &str) -> Result<Option<Timestamp>> {
    match text_n::<NARROW>(r, i, column)? {
        Some(v) => match fast_timestamp(v.as_bytes()) {
            Some(t) => Ok(Some(t)),
            None => parse_text(v, column).map(Some),
        },
        None => Ok(None),
    }
}

/// The number written in `digits` (ASCII digits only), else `None`.
fn number(digits: &[u8]) -> Option<i64> {
    digits.iter().try_fold(0i64, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
    })
}

/// `YYYY-MM-DD`, as jiff reads it; `None` for any other form, or a day that does not exist.
pub(crate) fn fast_date(b: &[u8]) -> Option<Date> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (number(&b[..4])?, number(&b[5..7])?, number(&b[8..])?);
    Date::new(y as i16, m as i8, d as i8).ok()
}

/// `YYYY-MM-DDTHH:MM:SS[.F…]Z`, the form jiff writes a timestamp in, as jiff reads it; `None`
/// for any other form (a leap second, an offset, …), left to jiff's parser.
pub(crate) fn fast_timestamp(b: &[u8]) -> Option<Timestamp> {
    if b.len() < 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[b.len() - 1] != b'Z' {
        return None;
    }
    let day = fast_date(&b[..10])?;
    let (h, mi, s) = (
        number(&b[11..13])?,
        number(&b[14..16])?,
        number(&b[17..19])?,
    );
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let nanos = match &b[19..b.len() - 1] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
            number(fraction)? * 10i64.pow(9 - fraction.len() as u32)
        }
        _ => return None,
    };
    let days = days_from_civil(
        i64::from(day.year()),
        i64::from(day.month()),
        i64::from(day.day()),
    );
    Timestamp::new(days * 86_400 + h * 3_600 + mi * 60 + s, nanos as i32).ok()
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Tags as `serde_json` writes them when no tag needs escaping (`["a","b c"]`), without
/// the general parser; `None` for anything else, left to it.
pub(crate) fn plain_tags(json: &str) -> Option<Vec<String>> {
    let inner = json.strip_prefix("[\"")?.strip_suffix("\"]")?;
    // serde_json escapes `\`, `"` and control characters; raw ones are not valid JSON.
    if inner.bytes().any(|b| b == b'\\' || b < 0x20) {
        return None;
    }
    let tags: Vec<String> = inner.split("\",\"").map(str::to_owned).collect();
    // A quote left inside a tag means the text was not in this simple form.
    (!tags.iter().any(|t| t.contains('"'))).then_some(tags)
}

fn opt<T: ToString>(v: &Option<T>) -> Option<String> {
    v.as_ref().map(ToString::to_string)
}

/// The columns an item is written to, as named parameters: the one binding that both insert
/// and update use.
const WRITE_COLUMNS: [&str; 45] = [
    "kind",
    "title",
    "body",
    "person_id",
    "status",
    "created",
    "due",
    "done",
    "tags",
    "visibility",
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
    "original_due",
    "renegotiated",
    "discussed",
    "meeting_id",
    "why",
    "created_at",
    "updated_at",
];

impl Tx<'_> {
    pub(crate) fn query_items(&self, where_sql: &str, args: &[&dyn ToSql]) -> Result<Vec<Item>> {
        self.read_items(&format!("{SELECT} {where_sql}"), args, &[], &[], &[])
    }

    /// [`query_items`](Self::query_items) given everyone (`people`, archived ones too), whose
    /// names and UUIDs it takes instead of joining `people` for every item.
    ///
    /// Of the items of the `counted` kinds only the fields counting reads are filled (see
    /// `Scope::counted_kinds`), and of every item the fields of `unread` are left empty: the
    /// query reads none of their columns (nor, when the meeting is unread, joins `meetings`).
    pub(crate) fn query_items_among(
        &self,
        people: &[Person],
        where_sql: &str,
        args: &[&dyn ToSql],
        counted: &[Kind],
        unread: &[Field],
    ) -> Result<Vec<Item>> {
        let sql = if unread.is_empty() {
            format!("{SELECT_AMONG_PEOPLE} {where_sql}")
        } else {
            let mut sql = String::from("SELECT items.id, items.uuid");
            for column in WRITE_COLUMNS {
                let left_out = column == "meeting_id"
                    || unread
                        .iter()
                        .any(|f| *f != Field::Meeting && f.name() == column);
                if !left_out {
                    sql.push_str(", items.");
                    sql.push_str(column);
                }
            }
            if unread.contains(&Field::Meeting) {
                sql.push_str(" FROM items");
            } else {
                sql.push_str(
                    ", meetings.uuid AS meeting_uuid \
                     FROM items LEFT JOIN meetings ON meetings.id = items.meeting_id",
                );
            }
            format!("{sql} {where_sql}")
        };
        self.read_items(&sql, args, people, counted, unread)
    }

    fn read_items(
        &self,
        sql: &str,
        args: &[&dyn ToSql],
        people: &[Person],
        counted: &[Kind],
        unread: &[Field],
    ) -> Result<Vec<Item>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let cols = Cols::of(&stmt, unread)?;
        let mut rows = stmt.query(args)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(if unread.is_empty() {
                from_row::<false>(r, &cols, people, counted)?
            } else {
                from_row::<true>(r, &cols, people, counted)?
            });
        }
        Ok(out)
    }

    pub(crate) fn items_(&self, filter: &ItemFilter) -> Result<Vec<Item>> {
        let mut clauses: Vec<&str> = Vec::new();
        let mut args: Vec<Box<dyn ToSql>> = Vec::new();
        if let Some(kind) = filter.kind {
            clauses.push("items.kind = ?");
            args.push(Box::new(kind.as_str()));
        }
        if let Some(status) = filter.status {
            clauses.push("items.status = ?");
            args.push(Box::new(status.as_str()));
        }
        if let Some(person) = filter.person {
            clauses.push("people.uuid = ?");
            args.push(Box::new(person.to_string()));
        }
        if let Some(since) = filter.since {
            clauses.push("(items.created >= ? OR items.done >= ? OR items.date >= ?)");
            for _ in 0..3 {
                args.push(Box::new(since.to_string()));
            }
        }
        if let Some(tag) = &filter.tag {
            clauses.push("EXISTS (SELECT 1 FROM json_each(items.tags) WHERE value = ?)");
            args.push(Box::new(tag.trim_start_matches('#').to_string()));
        }
        let mut sql = String::new();
        for (i, c) in clauses.iter().enumerate() {
            sql.push_str(if i == 0 { "WHERE " } else { " AND " });
            sql.push_str(c);
        }
        let refs: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
        let mut items = self.query_items(&sql, &refs)?;
        // Sorted here, not by SQLite, whose sorter would carry every column (bodies and all)
        // through the sort: a tenth of `list`'s time on a database of many years.
        items.sort_by_key(|i| {
            (
                i.status != Status::Open,
                i.due.is_none(),
                i.due,
                i.rank.is_none(),
                i.rank,
                i.id,
            )
        });
        if let Some(limit) = filter.limit {
            items.truncate(limit);
        }
        Ok(items)
    }

    /// The row id of a person by UUID, for foreign keys.
    pub(crate) fn person_row(&self, uuid: uuid::Uuid) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT id FROM people WHERE uuid = ?1",
                [uuid.to_string()],
                |r| r.get(0),
            )
            .map_err(|_| StoreError::NotFound(format!("no person with uuid {uuid}")).into())
    }

    /// The row id of a meeting by UUID, for foreign keys.
    pub(crate) fn meeting_row(&self, uuid: uuid::Uuid) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT id FROM meetings WHERE uuid = ?1",
                [uuid.to_string()],
                |r| r.get(0),
            )
            .map_err(|_| StoreError::NotFound(format!("no meeting with uuid {uuid}")).into())
    }

    /// Runs `sql` with an item's fields bound to `:column` parameters, plus `:id`, `:uuid`.
    fn write_item(&self, sql: &str, id: Option<i64>, item: &Item) -> Result<usize> {
        let person_id = item
            .person
            .as_ref()
            .map(|p| self.person_row(p.uuid))
            .transpose()?;
        let meeting_id = item.meeting.map(|m| self.meeting_row(m)).transpose()?;
        let tags = serde_json::to_string(&item.tags).unwrap_or_else(|_| "[]".into());
        let params = named_params! {
            ":id": id,
            ":uuid": item.uuid.to_string(),
            ":kind": item.kind.as_str(),
            ":title": item.title,
            ":body": item.body,
            ":person_id": person_id,
            ":status": item.status.as_str(),
            ":created": item.created.to_string(),
            ":due": opt(&item.due),
            ":done": opt(&item.done),
            ":tags": tags,
            ":visibility": item.visibility.as_str(),
            ":impact": item.impact,
            ":metric": item.metric,
            ":date": opt(&item.date),
            ":rank": item.rank,
            ":effort": opt(&item.effort),
            ":confirmed": opt(&item.confirmed),
            ":likelihood": opt(&item.likelihood),
            ":severity": opt(&item.severity),
            ":mitigation": item.mitigation,
            ":communicated": opt(&item.communicated),
            ":ask": item.ask,
            ":data": item.data,
            ":escalated": opt(&item.escalated),
            ":owner": opt(&item.owner),
            ":direction": opt(&item.direction),
            ":tone": opt(&item.tone),
            ":consent": item.consent,
            ":last_discussed": opt(&item.last_discussed),
            ":ranked": opt(&item.ranked),
            ":confirmed_by": opt(&item.confirmed_by),
            ":remaining": opt(&item.remaining),
            ":state": opt(&item.state),
            ":outcome": item.outcome,
            ":communicated_severity": opt(&item.communicated_severity),
            ":communicated_likelihood": opt(&item.communicated_likelihood),
            ":communicated_state": opt(&item.communicated_state),
            ":for_item": opt(&item.for_item),
            ":answers": opt(&item.answers),
            ":original_due": opt(&item.original_due),
            ":renegotiated": i64::from(item.renegotiated),
            ":discussed": opt(&item.discussed),
            ":meeting_id": meeting_id,
            ":why": item.why,
            ":created_at": item.created_at.to_string(),
            ":updated_at": item.updated_at.to_string(),
        };
        crate::execute_named(&self.conn, sql, params)
    }

    pub(crate) fn insert_item_(&self, item: &Item) -> Result<Item> {
        self.writing()?;
        let sql = format!(
            "INSERT INTO items (id, uuid, {}) VALUES (:id, :uuid, {})",
            WRITE_COLUMNS.join(", "),
            WRITE_COLUMNS.map(|c| format!(":{c}")).join(", ")
        );
        self.write_item(&sql, (item.id != 0).then_some(item.id), item)?;
        let id = self.conn.last_insert_rowid();
        Ok(Item { id, ..item.clone() })
    }

    pub(crate) fn update_item_(&self, item: &Item) -> Result<()> {
        self.writing()?;
        let sql = format!(
            "UPDATE items SET {} WHERE uuid = :uuid",
            WRITE_COLUMNS.map(|c| format!("{c} = :{c}")).join(", ")
        );
        let n = self.write_item(&sql, None, item)?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("no item with uuid {}", item.uuid)).into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The fast paths read exactly what jiff and serde_json read, or leave it to them.
        #[test]
        fn dates_read_as_jiff_reads_them(
            y in 0i64..=9999, m in 0i64..=13, d in 0i64..=32,
        ) {
            let text = format!("{y:04}-{m:02}-{d:02}");
            let jiff = text.parse::<Date>().ok();
            prop_assert_eq!(fast_date(text.as_bytes()).or(jiff), jiff);
            if jiff.is_some() {
                prop_assert!(fast_date(text.as_bytes()).is_some(), "{} is slow", text);
            }
        }

        #[test]
        fn timestamps_read_as_jiff_reads_them(
            y in 1i64..=9999, m in 1i64..=12, d in 1i64..=31, h in 0i64..=24,
            mi in 0i64..=60, s in 0i64..=60, fraction in "(\\.[0-9]{1,10})?",
        ) {
            let text = format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}{fraction}Z");
            let jiff = text.parse::<Timestamp>().ok();
            let fast = fast_timestamp(text.as_bytes());
            prop_assert_eq!(fast.or(jiff), jiff, "{}", text);
        }

        #[test]
        fn written_timestamps_take_the_fast_path(
            secs in -62_135_596_800i64..253_402_300_799, nanos in 0i32..1_000_000_000,
        ) {
            let t = Timestamp::new(secs, nanos).unwrap();
            for text in [t.to_string(), Timestamp::new(secs, 0).unwrap().to_string()] {
                prop_assert_eq!(fast_timestamp(text.as_bytes()), text.parse::<Timestamp>().ok());
                if secs >= 0 {
                    prop_assert!(fast_timestamp(text.as_bytes()).is_some(), "{} is slow", text);
                }
            }
        }

        #[test]
        fn tags_read_as_serde_json_reads_them(tags in proptest::collection::vec(".*", 0..4)) {
            let json = serde_json::to_string(&tags).unwrap();
            let serde: Vec<String> = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(plain_tags(&json).unwrap_or_else(|| serde.clone()), serde);
        }

        #[test]
        fn odd_tag_texts_are_left_to_serde_json(json in "\\[.{0,12}\\]") {
            if let Some(fast) = plain_tags(&json) {
                let serde: Result<Vec<String>, _> = serde_json::from_str(&json);
                prop_assert_eq!(Some(fast), serde.ok(), "{}", json);
            }
        }
    }
}
