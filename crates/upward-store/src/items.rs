//! Items: insert, update, read, list with filters, and priority ranking (open priorities keep
//! dense ranks 1..n, so "rank 2" always means second).

use crate::{Result, StoreError, Tx};
use jiff::civil::Date;
use rusqlite::{Row, ToSql, params};
use upward_domain::Clock;
use upward_domain::{Item, Kind, Status};

const COLUMNS: &str = "items.id, items.uuid, kind, title, body, people.name, status, created, due, \
    done, tags, visibility, impact, metric, date, rank, effort, confirmed, likelihood, severity, \
    mitigation, communicated, ask, data, escalated, owner, direction, tone, consent, \
    last_discussed, ranked, discussed, meeting_id, why, items.created_at, items.updated_at";

const FROM: &str = "items LEFT JOIN people ON people.id = items.person_id";

/// What `list` filters on. `status: None` means every status.
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    pub kind: Option<Kind>,
    pub person: Option<String>,
    pub status: Option<Status>,
    /// Created, done or dated on or after this date.
    pub since: Option<Date>,
    pub tag: Option<String>,
    pub limit: Option<usize>,
}

pub(crate) fn from_row(r: &Row) -> Result<Item> {
    let id: i64 = r.get(0)?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("item {id}: {what}"));
    // Most columns are parsed rather than kept, so they are read in place, not copied.
    let owned = |i: usize| -> Result<Option<String>> { Ok(text(r, i)?.map(str::to_owned)) };
    let tags = match text(r, 10)? {
        Some("[]") | None => Vec::new(),
        Some(t) => serde_json::from_str(t).map_err(|_| corrupt("tags"))?,
    };
    Ok(Item {
        id,
        uuid: parse(r, 1, "items.uuid")?.ok_or_else(|| corrupt("uuid"))?,
        kind: parse(r, 2, "items.kind")?.ok_or_else(|| corrupt("kind"))?,
        title: r.get(3)?,
        body: owned(4)?,
        person: owned(5)?,
        status: parse(r, 6, "items.status")?.ok_or_else(|| corrupt("status"))?,
        created: parse(r, 7, "items.created")?.ok_or_else(|| corrupt("created"))?,
        due: parse(r, 8, "items.due")?,
        done: parse(r, 9, "items.done")?,
        tags,
        visibility: parse(r, 11, "items.visibility")?.ok_or_else(|| corrupt("visibility"))?,
        impact: owned(12)?,
        metric: owned(13)?,
        date: parse(r, 14, "items.date")?,
        rank: r.get(15)?,
        effort: parse(r, 16, "items.effort")?,
        confirmed: parse(r, 17, "items.confirmed")?,
        likelihood: parse(r, 18, "items.likelihood")?,
        severity: parse(r, 19, "items.severity")?,
        mitigation: owned(20)?,
        communicated: parse(r, 21, "items.communicated")?,
        ask: owned(22)?,
        data: owned(23)?,
        escalated: parse(r, 24, "items.escalated")?,
        owner: parse(r, 25, "items.owner")?,
        direction: parse(r, 26, "items.direction")?,
        tone: parse(r, 27, "items.tone")?,
        consent: r.get(28)?,
        last_discussed: parse(r, 29, "items.last_discussed")?,
        ranked: parse(r, 30, "items.ranked")?,
        discussed: parse(r, 31, "items.discussed")?,
        meeting: r.get(32)?,
        why: owned(33)?,
        created_at: parse(r, 34, "items.created_at")?.ok_or_else(|| corrupt("created_at"))?,
        updated_at: parse(r, 35, "items.updated_at")?.ok_or_else(|| corrupt("updated_at"))?,
    })
}

/// A text column as stored (NULL is `None`), without copying it.
fn text<'r>(r: &'r Row, i: usize) -> Result<Option<&'r str>> {
    r.get_ref(i)?
        .as_str_or_null()
        .map_err(|_| StoreError::Corrupt(format!("items column {i} is not text")))
}

/// A text column parsed into a domain value, or a report of corruption.
fn parse<T: std::str::FromStr>(r: &Row, i: usize, column: &str) -> Result<Option<T>> {
    text(r, i)?
        .map(|v| {
            v.parse::<T>()
                .map_err(|_| StoreError::Corrupt(format!("{column} = {v:?}")))
        })
        .transpose()
}

fn opt<T: ToString>(v: &Option<T>) -> Option<String> {
    v.as_ref().map(ToString::to_string)
}

impl Tx<'_> {
    pub(crate) fn query_items(&self, where_sql: &str, args: &[&dyn ToSql]) -> Result<Vec<Item>> {
        let sql = format!("SELECT {COLUMNS} FROM {FROM} {where_sql}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(args)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(from_row(r)?);
        }
        Ok(out)
    }

    /// One item by its display id.
    pub fn item(&self, id: i64) -> Result<Item> {
        self.query_items("WHERE items.id = ?1", &[&id])?
            .pop()
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "no item #{id} — `upward list --status all` shows the ids"
                ))
            })
    }

    /// Items matching `filter`: open before closed, then by due date, rank and id.
    pub fn items(&self, filter: &ItemFilter) -> Result<Vec<Item>> {
        let mut clauses: Vec<&str> = Vec::new();
        let mut args: Vec<Box<dyn ToSql>> = Vec::new();
        if let Some(kind) = filter.kind {
            clauses.push("kind = ?");
            args.push(Box::new(kind.as_str()));
        }
        if let Some(status) = filter.status {
            clauses.push("status = ?");
            args.push(Box::new(status.as_str()));
        }
        if let Some(person) = &filter.person {
            clauses.push("items.person_id = ?");
            args.push(Box::new(self.person_id(person)?));
        }
        if let Some(since) = filter.since {
            clauses.push("(created >= ? OR done >= ? OR date >= ?)");
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

    /// The rank after the last open priority.
    pub fn next_rank(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(rank), 0) + 1 FROM items WHERE kind = 'priority' AND status = 'open'",
            [],
            |r| r.get(0),
        )?)
    }

    /// Inserts an item. An id of 0 takes the next free id; another id is kept (import).
    pub fn insert_item(&self, item: &Item) -> Result<Item> {
        let person_id = match &item.person {
            Some(name) => Some(self.person_id(name)?),
            None => None,
        };
        self.conn.execute(
            "INSERT INTO items (id, uuid, kind, title, body, person_id, status, created, due, done,
                tags, visibility, impact, metric, date, rank, effort, confirmed, likelihood, severity,
                mitigation, communicated, ask, data, escalated, owner, direction, tone, consent,
                last_discussed, ranked, discussed, meeting_id, why, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34,
                ?35, ?36)",
            params![
                (item.id != 0).then_some(item.id),
                item.uuid.to_string(),
                item.kind.as_str(),
                item.title,
                item.body,
                person_id,
                item.status.as_str(),
                item.created.to_string(),
                opt(&item.due),
                opt(&item.done),
                serde_json::to_string(&item.tags).unwrap_or_else(|_| "[]".into()),
                item.visibility.as_str(),
                item.impact,
                item.metric,
                opt(&item.date),
                item.rank,
                opt(&item.effort),
                opt(&item.confirmed),
                opt(&item.likelihood),
                opt(&item.severity),
                item.mitigation,
                opt(&item.communicated),
                item.ask,
                item.data,
                opt(&item.escalated),
                opt(&item.owner),
                opt(&item.direction),
                opt(&item.tone),
                item.consent,
                opt(&item.last_discussed),
                opt(&item.ranked),
                opt(&item.discussed),
                item.meeting,
                item.why,
                item.created_at.to_string(),
                item.updated_at.to_string(),
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        Ok(Item { id, ..item.clone() })
    }

    /// Writes every field of an existing item (found by id).
    pub fn update_item(&self, item: &Item) -> Result<()> {
        let person_id = match &item.person {
            Some(name) => Some(self.person_id(name)?),
            None => None,
        };
        let n = self.conn.execute(
            "UPDATE items SET kind = ?2, title = ?3, body = ?4, person_id = ?5, status = ?6,
                created = ?7, due = ?8, done = ?9, tags = ?10, visibility = ?11, impact = ?12,
                metric = ?13, date = ?14, rank = ?15, effort = ?16, confirmed = ?17,
                likelihood = ?18, severity = ?19, mitigation = ?20, communicated = ?21, ask = ?22,
                data = ?23, escalated = ?24, owner = ?25, direction = ?26, tone = ?27,
                consent = ?28, last_discussed = ?29, ranked = ?30, discussed = ?31,
                meeting_id = ?32, why = ?33, updated_at = ?34
             WHERE id = ?1",
            params![
                item.id,
                item.kind.as_str(),
                item.title,
                item.body,
                person_id,
                item.status.as_str(),
                item.created.to_string(),
                opt(&item.due),
                opt(&item.done),
                serde_json::to_string(&item.tags).unwrap_or_else(|_| "[]".into()),
                item.visibility.as_str(),
                item.impact,
                item.metric,
                opt(&item.date),
                item.rank,
                opt(&item.effort),
                opt(&item.confirmed),
                opt(&item.likelihood),
                opt(&item.severity),
                item.mitigation,
                opt(&item.communicated),
                item.ask,
                item.data,
                opt(&item.escalated),
                opt(&item.owner),
                opt(&item.direction),
                opt(&item.tone),
                item.consent,
                opt(&item.last_discussed),
                opt(&item.ranked),
                opt(&item.discussed),
                item.meeting,
                item.why,
                item.updated_at.to_string(),
            ],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("no item #{}", item.id)));
        }
        Ok(())
    }

    /// Puts open priority `id` at `rank` (clamped to 1..=n) and renumbers the open priorities
    /// 1..n, so the others shift to make room. Items whose rank changed get `ranked = today`.
    pub fn place_priority(&self, id: i64, rank: i64, clock: &Clock) -> Result<()> {
        let mut ids: Vec<(i64, Option<i64>)> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id, rank FROM items WHERE kind = 'priority' AND status = 'open' AND id != ?1
                 ORDER BY rank IS NULL, rank, id",
            )?;
            stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let at = (rank.max(1) as usize - 1).min(ids.len());
        ids.insert(at, (id, None));
        self.renumber(&ids, clock)
    }

    /// Closes the gap a finished or dropped priority leaves in the open ranks.
    pub fn compact_ranks(&self, clock: &Clock) -> Result<()> {
        let ids: Vec<(i64, Option<i64>)> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id, rank FROM items WHERE kind = 'priority' AND status = 'open'
                 ORDER BY rank IS NULL, rank, id",
            )?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        self.renumber(&ids, clock)
    }

    fn renumber(&self, ids: &[(i64, Option<i64>)], clock: &Clock) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "UPDATE items SET rank = ?2, ranked = ?3, updated_at = ?4 WHERE id = ?1 AND rank IS NOT ?2",
        )?;
        let (today, now) = (clock.today.to_string(), clock.now.to_string());
        for (i, (id, _)) in ids.iter().enumerate() {
            stmt.execute(params![id, i as i64 + 1, today, now])?;
        }
        Ok(())
    }
}
