//! Items: insert, update, read, list with filters, and priority ranking (open priorities keep
//! dense ranks 1..n, so "rank 2" always means second).

use crate::{Result, StoreError, Tx, parse_col};
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
    let t = |i: usize| -> Result<Option<String>> { Ok(r.get::<_, Option<String>>(i)?) };
    let tags: String = r.get(10)?;
    let id: i64 = r.get(0)?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("item {id}: {what}"));
    Ok(Item {
        id,
        uuid: parse_col(t(1)?, "items.uuid")?.ok_or_else(|| corrupt("uuid"))?,
        kind: parse_col(t(2)?, "items.kind")?.ok_or_else(|| corrupt("kind"))?,
        title: r.get(3)?,
        body: t(4)?,
        person: t(5)?,
        status: parse_col(t(6)?, "items.status")?.ok_or_else(|| corrupt("status"))?,
        created: parse_col(t(7)?, "items.created")?.ok_or_else(|| corrupt("created"))?,
        due: parse_col(t(8)?, "items.due")?,
        done: parse_col(t(9)?, "items.done")?,
        tags: serde_json::from_str(&tags).map_err(|_| corrupt("tags"))?,
        visibility: parse_col(t(11)?, "items.visibility")?.ok_or_else(|| corrupt("visibility"))?,
        impact: t(12)?,
        metric: t(13)?,
        date: parse_col(t(14)?, "items.date")?,
        rank: r.get(15)?,
        effort: parse_col(t(16)?, "items.effort")?,
        confirmed: parse_col(t(17)?, "items.confirmed")?,
        likelihood: parse_col(t(18)?, "items.likelihood")?,
        severity: parse_col(t(19)?, "items.severity")?,
        mitigation: t(20)?,
        communicated: parse_col(t(21)?, "items.communicated")?,
        ask: t(22)?,
        data: t(23)?,
        escalated: parse_col(t(24)?, "items.escalated")?,
        owner: parse_col(t(25)?, "items.owner")?,
        direction: parse_col(t(26)?, "items.direction")?,
        tone: parse_col(t(27)?, "items.tone")?,
        consent: r.get(28)?,
        last_discussed: parse_col(t(29)?, "items.last_discussed")?,
        ranked: parse_col(t(30)?, "items.ranked")?,
        discussed: parse_col(t(31)?, "items.discussed")?,
        meeting: r.get(32)?,
        why: t(33)?,
        created_at: parse_col(t(34)?, "items.created_at")?.ok_or_else(|| corrupt("created_at"))?,
        updated_at: parse_col(t(35)?, "items.updated_at")?.ok_or_else(|| corrupt("updated_at"))?,
    })
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
        sql.push_str(" ORDER BY status != 'open', due IS NULL, due, rank IS NULL, rank, items.id");
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let refs: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
        self.query_items(&sql, &refs)
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
