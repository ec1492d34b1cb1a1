//! Items: the one row binding of the `items` table (read by column name, written from one list
//! of columns and values shared by insert and update), and the filtered list.

use crate::convert::{Text, date_col, date_req, get, parsed, parsed_req, pg_date, text};
use crate::search::search_text;
use crate::{Param, Reference, Result, Tx, Values};
use postgres::Row;
use upward_domain::{Item, PersonRef};
use upward_store::{ItemFilter, StoreError};

/// What an item refers to: its person and the meeting it was agreed at.
const REFERENCES: [Reference; 2] = [("person", "people"), ("meeting", "meetings")];

/// An item's columns, and its person's name, from `items i` joined with `people p`.
pub(crate) const SELECT: &str = "SELECT i.id, i.uuid, i.kind, i.title, i.body, i.person, \
    p.name AS person_name, i.status, i.created, i.due, i.done, i.tags, i.visibility, i.impact, \
    i.metric, i.date, i.rank, i.effort, i.confirmed, i.likelihood, i.severity, i.mitigation, \
    i.communicated, i.ask, i.data, i.escalated, i.owner, i.direction, i.tone, i.consent, \
    i.last_discussed, i.ranked, i.confirmed_by, i.remaining, i.state, i.outcome, \
    i.communicated_severity, i.communicated_likelihood, i.communicated_state, i.for_item, \
    i.answers, i.original_due, i.renegotiated, \
    i.discussed, i.meeting, i.why, i.created_at, i.updated_at \
    FROM items i LEFT JOIN people p ON p.workspace = i.workspace AND p.uuid = i.person \
    WHERE i.workspace = $1";

/// Reads an item from a row of [`SELECT`].
fn from_row(r: &Row) -> Result<Item> {
    let person = match get::<Option<uuid::Uuid>>(r, "person")? {
        Some(uuid) => Some(PersonRef {
            uuid,
            name: get::<Option<String>>(r, "person_name")?
                .ok_or_else(|| StoreError::Corrupt(format!("items.person = {uuid}")))?,
        }),
        None => None,
    };
    Ok(Item {
        id: get(r, "id")?,
        uuid: get(r, "uuid")?,
        kind: parsed_req(r, "kind")?,
        title: get(r, "title")?,
        body: get(r, "body")?,
        person,
        status: parsed_req(r, "status")?,
        created: date_req(r, "created")?,
        due: date_col(r, "due")?,
        done: date_col(r, "done")?,
        tags: get(r, "tags")?,
        visibility: parsed_req(r, "visibility")?,
        impact: get(r, "impact")?,
        metric: get(r, "metric")?,
        date: date_col(r, "date")?,
        rank: get(r, "rank")?,
        effort: parsed(r, "effort")?,
        confirmed: date_col(r, "confirmed")?,
        likelihood: parsed(r, "likelihood")?,
        severity: parsed(r, "severity")?,
        mitigation: get(r, "mitigation")?,
        communicated: date_col(r, "communicated")?,
        ask: get(r, "ask")?,
        data: get(r, "data")?,
        escalated: date_col(r, "escalated")?,
        owner: parsed(r, "owner")?,
        direction: parsed(r, "direction")?,
        tone: parsed(r, "tone")?,
        consent: get(r, "consent")?,
        last_discussed: date_col(r, "last_discussed")?,
        ranked: date_col(r, "ranked")?,
        confirmed_by: get(r, "confirmed_by")?,
        remaining: parsed(r, "remaining")?,
        state: parsed(r, "state")?,
        outcome: get(r, "outcome")?,
        communicated_severity: parsed(r, "communicated_severity")?,
        communicated_likelihood: parsed(r, "communicated_likelihood")?,
        communicated_state: parsed(r, "communicated_state")?,
        for_item: get(r, "for_item")?,
        answers: get(r, "answers")?,
        original_due: date_col(r, "original_due")?,
        renegotiated: {
            let n: i32 = get(r, "renegotiated")?;
            u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("renegotiated = {n}")))?
        },
        discussed: date_col(r, "discussed")?,
        meeting: get(r, "meeting")?,
        why: get(r, "why")?,
        created_at: parsed_req(r, "created_at")?,
        updated_at: parsed_req(r, "updated_at")?,
    })
}

/// An item's own texts besides the title and body, as one: what search reads as the rest of
/// its body.
pub(crate) fn extra(fields: [Option<&str>; 7]) -> String {
    fields.into_iter().flatten().collect::<Vec<_>>().join(" ")
}

fn opt_string<T: ToString>(v: &Option<T>) -> Option<String> {
    v.as_ref().map(ToString::to_string)
}

/// The columns an item is written to (besides `workspace` and `id`), with their values: the
/// one binding that both insert and update use.
fn params(item: &Item) -> Values {
    let extra = extra([
        item.impact.as_deref(),
        item.metric.as_deref(),
        item.mitigation.as_deref(),
        item.ask.as_deref(),
        item.data.as_deref(),
        item.why.as_deref(),
        item.outcome.as_deref(),
    ]);
    vec![
        ("uuid", Box::new(item.uuid)),
        ("kind", Box::new(item.kind.as_str())),
        ("title", Box::new(Text(Some(item.title.clone())))),
        ("body", Box::new(text(&item.body))),
        ("person", Box::new(item.person.as_ref().map(|p| p.uuid))),
        ("status", Box::new(item.status.as_str())),
        ("created", Box::new(pg_date(Some(item.created)))),
        ("due", Box::new(pg_date(item.due))),
        ("done", Box::new(pg_date(item.done))),
        (
            "tags",
            Box::new(
                item.tags
                    .iter()
                    .map(|t| Text(Some(t.clone())))
                    .collect::<Vec<_>>(),
            ),
        ),
        ("visibility", Box::new(item.visibility.as_str())),
        ("impact", Box::new(text(&item.impact))),
        ("metric", Box::new(text(&item.metric))),
        ("date", Box::new(pg_date(item.date))),
        ("rank", Box::new(item.rank)),
        ("effort", Box::new(opt_string(&item.effort))),
        ("confirmed", Box::new(pg_date(item.confirmed))),
        ("likelihood", Box::new(opt_string(&item.likelihood))),
        ("severity", Box::new(opt_string(&item.severity))),
        ("mitigation", Box::new(text(&item.mitigation))),
        ("communicated", Box::new(pg_date(item.communicated))),
        ("ask", Box::new(text(&item.ask))),
        ("data", Box::new(text(&item.data))),
        ("escalated", Box::new(pg_date(item.escalated))),
        ("owner", Box::new(opt_string(&item.owner))),
        ("direction", Box::new(opt_string(&item.direction))),
        ("tone", Box::new(opt_string(&item.tone))),
        ("consent", Box::new(item.consent)),
        ("last_discussed", Box::new(pg_date(item.last_discussed))),
        ("ranked", Box::new(pg_date(item.ranked))),
        ("confirmed_by", Box::new(item.confirmed_by)),
        ("remaining", Box::new(opt_string(&item.remaining))),
        ("state", Box::new(opt_string(&item.state))),
        ("outcome", Box::new(text(&item.outcome))),
        (
            "communicated_severity",
            Box::new(opt_string(&item.communicated_severity)),
        ),
        (
            "communicated_likelihood",
            Box::new(opt_string(&item.communicated_likelihood)),
        ),
        (
            "communicated_state",
            Box::new(opt_string(&item.communicated_state)),
        ),
        ("for_item", Box::new(item.for_item)),
        ("answers", Box::new(item.answers)),
        ("original_due", Box::new(pg_date(item.original_due))),
        (
            "renegotiated",
            Box::new(i32::try_from(item.renegotiated).unwrap_or(i32::MAX)),
        ),
        ("discussed", Box::new(pg_date(item.discussed))),
        ("meeting", Box::new(item.meeting)),
        ("why", Box::new(text(&item.why))),
        ("created_at", Box::new(item.created_at.to_string())),
        ("updated_at", Box::new(item.updated_at.to_string())),
        ("search_title", Box::new(search_text(&[Some(&item.title)]))),
        (
            "search_body",
            Box::new(search_text(&[item.body.as_deref(), Some(&extra)])),
        ),
    ]
}

/// Adds a condition whose `?`s all stand for `value`, the next parameter (after the
/// workspace, `$1`).
fn push<'a>(sql: &mut String, args: &mut Vec<Param<'a>>, clause: &str, value: Param<'a>) {
    args.push(value);
    sql.push_str(&clause.replace('?', &format!("${}", args.len() + 1)));
}

impl Tx<'_> {
    /// Items of the workspace matching `more` (SQL after the workspace condition, whose
    /// parameters start at `$2`).
    pub(crate) fn query_items(&self, more: &str, args: &[Param]) -> Result<Vec<Item>> {
        let sql = format!("{SELECT} {more}");
        let mut bound: Vec<Param> = vec![&self.ws];
        bound.extend_from_slice(args);
        self.rows(&sql, &bound)?.iter().map(from_row).collect()
    }

    pub(crate) fn items_(&self, filter: &ItemFilter) -> Result<Vec<Item>> {
        let kind = filter.kind.map(|k| k.as_str());
        let status = filter.status.map(|s| s.as_str());
        let since = pg_date(filter.since);
        let tag = filter
            .tag
            .as_ref()
            .map(|t| t.trim_start_matches('#').to_string());
        let limit = filter.limit.map(|n| i64::try_from(n).unwrap_or(i64::MAX));
        let mut sql = String::new();
        let mut args: Vec<Param> = Vec::new();
        if let Some(kind) = &kind {
            push(&mut sql, &mut args, " AND i.kind = ?", kind);
        }
        if let Some(status) = &status {
            push(&mut sql, &mut args, " AND i.status = ?", status);
        }
        if let Some(person) = &filter.person {
            push(&mut sql, &mut args, " AND i.person = ?", person);
        }
        if let Some(since) = &since {
            push(
                &mut sql,
                &mut args,
                " AND (i.created >= ? OR i.done >= ? OR i.date >= ?)",
                since,
            );
        }
        if let Some(tag) = &tag {
            push(&mut sql, &mut args, " AND ? = ANY (i.tags)", tag);
        }
        sql.push_str(" ORDER BY i.status <> 'open', i.due NULLS LAST, i.rank NULLS LAST, i.id");
        if let Some(limit) = &limit {
            push(&mut sql, &mut args, " LIMIT ?", limit);
        }
        self.query_items(&sql, &args)
    }

    /// Why an item was not written (see `why_not`).
    fn why_not_item(&self, item: &Item, insert: bool) -> StoreError {
        self.why_not(
            "items",
            "item",
            item.uuid,
            insert.then_some(item.id),
            &[
                (item.person.as_ref().map(|p| p.uuid), "people", "person"),
                (item.meeting, "meetings", "meeting"),
            ],
        )
    }

    pub(crate) fn insert_item_(&self, item: &Item) -> Result<Item> {
        let id = (item.id != 0).then_some(item.id);
        match self.insert_row("items", id, &params(item), &REFERENCES)? {
            Some(id) => Ok(Item { id, ..item.clone() }),
            None => Err(self.why_not_item(item, true)),
        }
    }

    pub(crate) fn update_item_(&self, item: &Item) -> Result<()> {
        // Every field but the id and the UUID it is found by.
        let values: Values = params(item)
            .into_iter()
            .filter(|(c, _)| *c != "uuid")
            .collect();
        if self.update_row("items", item.uuid, &values, &REFERENCES)? {
            Ok(())
        } else {
            Err(self.why_not_item(item, false))
        }
    }
}
