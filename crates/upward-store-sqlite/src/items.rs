//! Items: the one row binding of the `items` table (read by column name, written with named
//! parameters shared by insert and update), and the filtered list.

use crate::{Error, Result, Tx};
use rusqlite::{Row, ToSql, named_params};
use upward_domain::{Item, PersonRef, Status};
use upward_store::{ItemFilter, StoreError};

/// The columns an item is read from: its own, and its person and meeting by UUID.
const SELECT: &str = "SELECT items.*, people.uuid AS person_uuid, people.name AS person_name, \
    meetings.uuid AS meeting_uuid \
    FROM items LEFT JOIN people ON people.id = items.person_id \
    LEFT JOIN meetings ON meetings.id = items.meeting_id";

/// The index of each column an item is read from, looked up by name once per statement (a
/// lookup by name per row and column would cost more than the rest of `list`).
struct Cols {
    id: usize,
    uuid: usize,
    kind: usize,
    title: usize,
    body: usize,
    person_uuid: usize,
    person_name: usize,
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
    discussed: usize,
    meeting_uuid: usize,
    why: usize,
    created_at: usize,
    updated_at: usize,
}

impl Cols {
    fn of(stmt: &rusqlite::Statement) -> Result<Cols> {
        Ok(Cols {
            id: stmt.column_index("id")?,
            uuid: stmt.column_index("uuid")?,
            kind: stmt.column_index("kind")?,
            title: stmt.column_index("title")?,
            body: stmt.column_index("body")?,
            person_uuid: stmt.column_index("person_uuid")?,
            person_name: stmt.column_index("person_name")?,
            status: stmt.column_index("status")?,
            created: stmt.column_index("created")?,
            due: stmt.column_index("due")?,
            done: stmt.column_index("done")?,
            tags: stmt.column_index("tags")?,
            visibility: stmt.column_index("visibility")?,
            impact: stmt.column_index("impact")?,
            metric: stmt.column_index("metric")?,
            date: stmt.column_index("date")?,
            rank: stmt.column_index("rank")?,
            effort: stmt.column_index("effort")?,
            confirmed: stmt.column_index("confirmed")?,
            likelihood: stmt.column_index("likelihood")?,
            severity: stmt.column_index("severity")?,
            mitigation: stmt.column_index("mitigation")?,
            communicated: stmt.column_index("communicated")?,
            ask: stmt.column_index("ask")?,
            data: stmt.column_index("data")?,
            escalated: stmt.column_index("escalated")?,
            owner: stmt.column_index("owner")?,
            direction: stmt.column_index("direction")?,
            tone: stmt.column_index("tone")?,
            consent: stmt.column_index("consent")?,
            last_discussed: stmt.column_index("last_discussed")?,
            ranked: stmt.column_index("ranked")?,
            discussed: stmt.column_index("discussed")?,
            meeting_uuid: stmt.column_index("meeting_uuid")?,
            why: stmt.column_index("why")?,
            created_at: stmt.column_index("created_at")?,
            updated_at: stmt.column_index("updated_at")?,
        })
    }
}

/// Reads an item from a row of [`SELECT`].
fn from_row(r: &Row, c: &Cols) -> Result<Item> {
    let id: i64 = r.get(c.id)?;
    let corrupt =
        |what: &str| -> Error { StoreError::Corrupt(format!("item {id}: {what}")).into() };
    let tags = match text(r, c.tags, "tags")? {
        Some("[]") | None => Vec::new(),
        Some(t) => serde_json::from_str(t).map_err(|_| corrupt("tags"))?,
    };
    let person = match parse::<uuid::Uuid>(r, c.person_uuid, "person_uuid")? {
        Some(uuid) => Some(PersonRef {
            uuid,
            name: r.get(c.person_name)?,
        }),
        None => None,
    };
    let owned = |i: usize, name: &str| -> Result<Option<String>> {
        Ok(text(r, i, name)?.map(str::to_owned))
    };
    Ok(Item {
        id,
        uuid: parse(r, c.uuid, "uuid")?.ok_or_else(|| corrupt("uuid"))?,
        kind: parse(r, c.kind, "kind")?.ok_or_else(|| corrupt("kind"))?,
        title: r.get(c.title)?,
        body: owned(c.body, "body")?,
        person,
        status: parse(r, c.status, "status")?.ok_or_else(|| corrupt("status"))?,
        created: parse(r, c.created, "created")?.ok_or_else(|| corrupt("created"))?,
        due: parse(r, c.due, "due")?,
        done: parse(r, c.done, "done")?,
        tags,
        visibility: parse(r, c.visibility, "visibility")?.ok_or_else(|| corrupt("visibility"))?,
        impact: owned(c.impact, "impact")?,
        metric: owned(c.metric, "metric")?,
        date: parse(r, c.date, "date")?,
        rank: r.get(c.rank)?,
        effort: parse(r, c.effort, "effort")?,
        confirmed: parse(r, c.confirmed, "confirmed")?,
        likelihood: parse(r, c.likelihood, "likelihood")?,
        severity: parse(r, c.severity, "severity")?,
        mitigation: owned(c.mitigation, "mitigation")?,
        communicated: parse(r, c.communicated, "communicated")?,
        ask: owned(c.ask, "ask")?,
        data: owned(c.data, "data")?,
        escalated: parse(r, c.escalated, "escalated")?,
        owner: parse(r, c.owner, "owner")?,
        direction: parse(r, c.direction, "direction")?,
        tone: parse(r, c.tone, "tone")?,
        consent: r.get(c.consent)?,
        last_discussed: parse(r, c.last_discussed, "last_discussed")?,
        ranked: parse(r, c.ranked, "ranked")?,
        discussed: parse(r, c.discussed, "discussed")?,
        meeting: parse(r, c.meeting_uuid, "meeting_uuid")?,
        why: owned(c.why, "why")?,
        created_at: parse(r, c.created_at, "created_at")?.ok_or_else(|| corrupt("created_at"))?,
        updated_at: parse(r, c.updated_at, "updated_at")?.ok_or_else(|| corrupt("updated_at"))?,
    })
}

/// A text column as stored (NULL is `None`), without copying it.
fn text<'r>(r: &'r Row, i: usize, column: &str) -> Result<Option<&'r str>> {
    r.get_ref(i)?
        .as_str_or_null()
        .map_err(|_| StoreError::Corrupt(format!("items.{column} is not text")).into())
}

/// A text column parsed into a domain value, or a report of corruption.
fn parse<T: std::str::FromStr>(r: &Row, i: usize, column: &str) -> Result<Option<T>> {
    text(r, i, column)?
        .map(|v| {
            v.parse::<T>()
                .map_err(|_| StoreError::Corrupt(format!("items.{column} = {v:?}")).into())
        })
        .transpose()
}

fn opt<T: ToString>(v: &Option<T>) -> Option<String> {
    v.as_ref().map(ToString::to_string)
}

/// The columns an item is written to, as named parameters: the one binding that both insert
/// and update use.
const WRITE_COLUMNS: [&str; 34] = [
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
    "discussed",
    "meeting_id",
    "why",
    "created_at",
    "updated_at",
];

impl Tx<'_> {
    pub(crate) fn query_items(&self, where_sql: &str, args: &[&dyn ToSql]) -> Result<Vec<Item>> {
        let sql = format!("{SELECT} {where_sql}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let cols = Cols::of(&stmt)?;
        let mut rows = stmt.query(args)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(from_row(r, &cols)?);
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
