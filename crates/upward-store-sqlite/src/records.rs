//! Meetings, updates sent and reflections (each with its one row binding, by column name),
//! and the [`Snapshot`] the workflows read.

use crate::{Result, Tx, parse_col};
use jiff::civil::Date;
use rusqlite::{Row, named_params};
use std::collections::BTreeMap;
use upward_domain::{Item, Kind, Meeting, PersonRef, Reflection, Snapshot, UpdateSent};
use upward_store::{Changed, History, ItemsFor, Scope, StoreError};
use uuid::Uuid;

/// The person a record points at, from the `person_uuid` and `person_name` of its row.
fn person(r: &Row, table: &str) -> Result<PersonRef> {
    Ok(PersonRef {
        uuid: parse_col(r.get("person_uuid")?, &format!("{table}.person"))?
            .ok_or_else(|| StoreError::Corrupt(format!("{table}.person")))?,
        name: r.get("person_name")?,
    })
}

fn required<T: std::str::FromStr>(r: &Row, table: &str, column: &str) -> Result<T> {
    let what = format!("{table}.{column}");
    Ok(parse_col(r.get(column)?, &what)?.ok_or(StoreError::Corrupt(what))?)
}

/// UUIDs as one JSON array of texts, for `IN (SELECT value FROM json_each(?))`: one
/// parameter however many there are.
fn uuid_list(uuids: &[Uuid]) -> Result<String> {
    Ok(serde_json::to_string(uuids).map_err(|e| StoreError::Backend(e.to_string()))?)
}

impl Tx<'_> {
    pub(crate) fn insert_meeting_(&self, m: &Meeting) -> Result<Meeting> {
        self.writing()?;
        let person_id = self.person_row(m.person.uuid)?;
        self.conn
            .prepare_cached(
                "INSERT INTO meetings (id, uuid, person_id, date, notes, shared_notes, their_notes,
                                       created_at)
                 VALUES (:id, :uuid, :person_id, :date, :notes, :shared_notes, :their_notes,
                         :created_at)",
            )?
            .execute(named_params! {
                ":id": (m.id != 0).then_some(m.id),
                ":uuid": m.uuid.to_string(),
                ":person_id": person_id,
                ":date": m.date.to_string(),
                ":notes": m.notes,
                ":shared_notes": m.shared_notes,
                ":their_notes": m.their_notes,
                ":created_at": m.created_at.to_string(),
            })?;
        let id = self.conn.last_insert_rowid();
        self.link_discussed(id, &m.discussed)?;
        Ok(Meeting { id, ..m.clone() })
    }

    pub(crate) fn update_meeting_(&self, m: &Meeting) -> Result<()> {
        self.writing()?;
        let id = self.meeting_row(m.uuid)?;
        self.conn
            .prepare_cached(
                "UPDATE meetings SET date = :date, notes = :notes, shared_notes = :shared_notes,
                        their_notes = :their_notes
                  WHERE id = :id",
            )?
            .execute(named_params! {
                ":id": id,
                ":date": m.date.to_string(),
                ":notes": m.notes,
                ":shared_notes": m.shared_notes,
                ":their_notes": m.their_notes,
            })?;
        self.conn
            .prepare_cached("DELETE FROM meeting_items WHERE meeting_id = ?1")?
            .execute([id])?;
        self.link_discussed(id, &m.discussed)
    }

    /// Records that items were discussed at a meeting.
    fn link_discussed(&self, meeting: i64, items: &[Uuid]) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO meeting_items (meeting_id, item_id)
             SELECT ?1, id FROM items WHERE uuid = ?2",
        )?;
        for item in items {
            if stmt.execute(rusqlite::params![meeting, item.to_string()])? == 0
                && self.item_row(*item).is_err()
            {
                return Err(StoreError::NotFound(format!(
                    "no item with uuid {item} to mark as discussed"
                ))
                .into());
            }
        }
        Ok(())
    }

    fn item_row(&self, uuid: Uuid) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT id FROM items WHERE uuid = ?1",
            [uuid.to_string()],
            |r| r.get(0),
        )?)
    }

    pub(crate) fn last_meeting_(&self, person: Uuid) -> Result<Option<Date>> {
        let date: Option<String> = self.conn.query_row(
            "SELECT max(date) FROM meetings
              WHERE person_id = (SELECT id FROM people WHERE uuid = ?1)",
            [person.to_string()],
            |r| r.get(0),
        )?;
        parse_col(date, "meetings.date")
    }

    /// The meetings `history` asks for; the items discussed only at those on or after
    /// `since` (all when `None`).
    pub(crate) fn meetings_(&self, since: Option<Date>, history: History) -> Result<Vec<Meeting>> {
        if history == History::Omitted {
            return Ok(Vec::new());
        }
        self.read_meetings(
            &format!(
                "{} ORDER BY m.date, m.id",
                of_history("m", "meetings", history)
            ),
            &[&since.map(|d| d.to_string())],
        )
    }

    /// Meetings of `from` (a `FROM … WHERE … ORDER BY` of the rows `m` with their person as
    /// `who`), with the items discussed at those on or after the date `?1` (all when it is
    /// NULL).
    fn read_meetings(&self, from: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<Meeting>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT m.*, who.uuid AS person_uuid, who.name AS person_name,
                CASE WHEN ?1 IS NULL OR m.date >= ?1 THEN
                    (SELECT group_concat(i.uuid) FROM meeting_items mi JOIN items i ON i.id = mi.item_id
                      WHERE mi.meeting_id = m.id)
                END AS discussed
             {from}"
        ))?;
        let mut rows = stmt.query(args)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let discussed: Option<String> = r.get("discussed")?;
            let mut discussed: Vec<Uuid> = discussed
                .unwrap_or_default()
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse()
                        .map_err(|_| StoreError::Corrupt("meeting_items".into()).into())
                })
                .collect::<Result<_>>()?;
            discussed.sort_unstable();
            out.push(Meeting {
                id: r.get("id")?,
                uuid: required(r, "meetings", "uuid")?,
                person: person(r, "meetings")?,
                date: required(r, "meetings", "date")?,
                notes: r.get("notes")?,
                shared_notes: r.get("shared_notes")?,
                their_notes: r.get("their_notes")?,
                discussed,
                created_at: required(r, "meetings", "created_at")?,
            });
        }
        Ok(out)
    }

    /// [`Transaction::meetings_on_days`](upward_store::Transaction::meetings_on_days): the
    /// days asked for and those of the person's meetings that discussed one of the items,
    /// through the `(person_id, date)` index.
    pub(crate) fn meetings_on_days_(
        &self,
        person: Uuid,
        days: &[Date],
        discussing: &[Uuid],
    ) -> Result<Vec<Meeting>> {
        let days = serde_json::to_string(&days.iter().map(Date::to_string).collect::<Vec<_>>())
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        let discussing = uuid_list(discussing)?;
        self.read_meetings(
            "FROM meetings m JOIN people who ON who.id = m.person_id
             WHERE who.uuid = ?2
               AND m.date IN (
                   SELECT value FROM json_each(?3)
                   UNION
                   SELECT d.date FROM meetings d
                     JOIN meeting_items mi ON mi.meeting_id = d.id
                     JOIN items i ON i.id = mi.item_id
                    WHERE d.person_id = who.id
                      AND i.uuid IN (SELECT value FROM json_each(?4)))
             ORDER BY m.date, m.id",
            &[&None::<String>, &person.to_string(), &days, &discussing],
        )
    }

    /// [`Transaction::shared_among`](upward_store::Transaction::shared_among), by UUID.
    pub(crate) fn shared_among_(&self, person: Uuid, items: &[Uuid]) -> Result<Vec<Uuid>> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT uuid FROM items
              WHERE uuid IN (SELECT value FROM json_each(?2)) AND visibility = 'shared'
                AND person_id = (SELECT id FROM people WHERE uuid = ?1)",
        )?;
        let mut rows = stmt.query([person.to_string(), uuid_list(items)?])?;
        let mut shared = Vec::new();
        while let Some(r) = rows.next()? {
            shared.push(required::<Uuid>(r, "items", "uuid")?);
        }
        shared.sort_unstable();
        Ok(shared)
    }

    /// [`Transaction::meeting_days`](upward_store::Transaction::meeting_days), reading two
    /// columns of each row: by UUID when `only` is given, else through the
    /// `(person_id, date)` index.
    pub(crate) fn meeting_days_(
        &self,
        person: Uuid,
        only: Option<&[Uuid]>,
    ) -> Result<Vec<(Uuid, Date)>> {
        let sql = if only.is_some() {
            "SELECT uuid, date FROM meetings
              WHERE uuid IN (SELECT value FROM json_each(?2))
                AND person_id = (SELECT id FROM people WHERE uuid = ?1)
              ORDER BY date, id"
        } else {
            "SELECT uuid, date FROM meetings
              WHERE person_id = (SELECT id FROM people WHERE uuid = ?1) AND ?2 IS NULL
              ORDER BY date, id"
        };
        let only = only.map(uuid_list).transpose()?;
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(rusqlite::params![person.to_string(), only])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push((
                required(r, "meetings", "uuid")?,
                required(r, "meetings", "date")?,
            ));
        }
        Ok(out)
    }

    /// The workspace's change mark: the last one the triggers of `sync_changes` gave out.
    pub(crate) fn change_mark_(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT coalesce(max(mark), 0) FROM sync_changes")?
            .query_row([], |r| r.get(0))?)
    }

    /// [`Transaction::changed_since`](upward_store::Transaction::changed_since).
    pub(crate) fn changed_since_(&self, person: Uuid, mark: i64) -> Result<Changed> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, key FROM sync_changes WHERE mark > ?1 ORDER BY kind, key",
        )?;
        let mut rows = stmt.query([mark])?;
        let mut changed = Changed::default();
        while let Some(r) = rows.next()? {
            let kind: String = r.get("kind")?;
            match kind.as_str() {
                "item" => changed.item_keys.push(required(r, "sync_changes", "key")?),
                "meeting" => changed
                    .meeting_keys
                    .push(required(r, "sync_changes", "key")?),
                "day" => changed.days.push(required(r, "sync_changes", "key")?),
                _ => return Err(StoreError::Corrupt(format!("sync_changes.kind = {kind}")).into()),
            }
        }
        if !changed.item_keys.is_empty() {
            changed.items = self.query_items(
                "WHERE people.uuid = ?1
                   AND items.uuid IN (SELECT value FROM json_each(?2))
                 ORDER BY items.id",
                &[&person.to_string(), &uuid_list(&changed.item_keys)?],
            )?;
        }
        Ok(changed)
    }

    /// [`Transaction::items_referring`](upward_store::Transaction::items_referring).
    pub(crate) fn items_referring_(&self, person: Uuid, to: &[Uuid]) -> Result<Vec<Item>> {
        if to.is_empty() {
            return Ok(Vec::new());
        }
        self.query_items(
            "WHERE people.uuid = ?1
               AND (items.for_item IN (SELECT value FROM json_each(?2))
                 OR items.answers IN (SELECT value FROM json_each(?2))
                 OR meetings.uuid IN (SELECT value FROM json_each(?2)))
             ORDER BY items.id",
            &[&person.to_string(), &uuid_list(to)?],
        )
    }

    pub(crate) fn insert_update_(&self, u: &UpdateSent) -> Result<UpdateSent> {
        self.writing()?;
        let person_id = self.person_row(u.person.uuid)?;
        self.conn
            .prepare_cached(
                "INSERT INTO updates (id, uuid, person_id, date, channel, text, created_at)
                 VALUES (:id, :uuid, :person_id, :date, :channel, :text, :created_at)",
            )?
            .execute(named_params! {
                ":id": (u.id != 0).then_some(u.id),
                ":uuid": u.uuid.to_string(),
                ":person_id": person_id,
                ":date": u.date.to_string(),
                ":channel": u.channel.as_str(),
                ":text": u.text,
                ":created_at": u.created_at.to_string(),
            })?;
        Ok(UpdateSent {
            id: self.conn.last_insert_rowid(),
            ..u.clone()
        })
    }

    pub(crate) fn last_update_(&self, person: Uuid) -> Result<Option<Date>> {
        let date: Option<String> = self.conn.query_row(
            "SELECT max(date) FROM updates
              WHERE person_id = (SELECT id FROM people WHERE uuid = ?1)",
            [person.to_string()],
            |r| r.get(0),
        )?;
        parse_col(date, "updates.date")
    }

    /// The updates sent `history` asks for.
    pub(crate) fn updates_(&self, history: History) -> Result<Vec<UpdateSent>> {
        if history == History::Omitted {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT u.*, who.uuid AS person_uuid, who.name AS person_name
             {}
             ORDER BY u.date, u.id",
            of_history("u", "updates", history)
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(UpdateSent {
                id: r.get("id")?,
                uuid: required(r, "updates", "uuid")?,
                person: person(r, "updates")?,
                date: required(r, "updates", "date")?,
                channel: required(r, "updates", "channel")?,
                text: r.get("text")?,
                created_at: required(r, "updates", "created_at")?,
            });
        }
        Ok(out)
    }

    pub(crate) fn insert_reflection_(&self, r: &Reflection) -> Result<Reflection> {
        self.writing()?;
        let person_id = self.person_row(r.person.uuid)?;
        self.conn
            .prepare_cached(
                "INSERT INTO reflections (id, uuid, person_id, date, scores, answers, created_at)
                 VALUES (:id, :uuid, :person_id, :date, :scores, :answers, :created_at)",
            )?
            .execute(named_params! {
                ":id": (r.id != 0).then_some(r.id),
                ":uuid": r.uuid.to_string(),
                ":person_id": person_id,
                ":date": r.date.to_string(),
                ":scores": serde_json::to_string(&r.scores).unwrap_or_default(),
                ":answers": serde_json::to_string(&r.answers).unwrap_or_default(),
                ":created_at": r.created_at.to_string(),
            })?;
        Ok(Reflection {
            id: self.conn.last_insert_rowid(),
            ..r.clone()
        })
    }

    /// The reflections `history` asks for.
    pub(crate) fn reflections_(&self, history: History) -> Result<Vec<Reflection>> {
        if history == History::Omitted {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT r.*, who.uuid AS person_uuid, who.name AS person_name
             {}
             ORDER BY r.date, r.id",
            of_history("r", "reflections", history)
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let scores: String = r.get("scores")?;
            let answers: String = r.get("answers")?;
            out.push(Reflection {
                id: r.get("id")?,
                uuid: required(r, "reflections", "uuid")?,
                person: person(r, "reflections")?,
                date: required(r, "reflections", "date")?,
                scores: serde_json::from_str::<BTreeMap<String, u8>>(&scores)
                    .map_err(|_| StoreError::Corrupt("reflections.scores".into()))?,
                answers: serde_json::from_str::<BTreeMap<String, String>>(&answers)
                    .map_err(|_| StoreError::Corrupt("reflections.answers".into()))?,
                created_at: required(r, "reflections", "created_at")?,
            });
        }
        Ok(out)
    }

    /// What the workflows look at (see `Transaction::snapshot_of`). Every narrowing field
    /// of the scope is honoured.
    pub(crate) fn snapshot_of_(&self, scope: Scope, kinds: &[Kind]) -> Result<Snapshot> {
        let people = self.people_(true)?;
        let (sql, args) = items_in(scope, kinds, &people);
        let args: Vec<&dyn rusqlite::ToSql> =
            args.iter().map(|a| a as &dyn rusqlite::ToSql).collect();
        // Of the kinds the rule only counts, only what counting reads is decoded.
        let items =
            self.query_items_among(&people, &sql, &args, scope.counted_kinds, scope.unread)?;
        Ok(Snapshot {
            people,
            items,
            meetings: self.meetings_(scope.closed_since, scope.history)?,
            updates: self.updates_(scope.history)?,
            reflections: self.reflections_(scope.history)?,
        })
    }
}

/// The `FROM … WHERE …` of a query of the rows `alias` of `table` (meetings, updates or
/// reflections) with their person as `who`, for `history`. For [`History::LastDay`], person by
/// person (the join order is forced), each one's last date from the `(person_id, date)` index
/// (for [`History::LastDayOnACadence`], of the people on a cadence only); for
/// [`History::LastDayOf`], that person's alone, from the same index.
fn of_history(alias: &str, table: &str, history: History) -> String {
    match history {
        History::All | History::Omitted => {
            format!("FROM {table} {alias} JOIN people who ON who.id = {alias}.person_id")
        }
        History::LastDay => format!(
            "FROM people who CROSS JOIN {table} {alias}
             WHERE {alias}.person_id = who.id
               AND {alias}.date = (SELECT max(date) FROM {table} WHERE person_id = who.id)"
        ),
        History::LastDayOnACadence => format!(
            "FROM people who CROSS JOIN {table} {alias}
             WHERE who.cadence IS NOT NULL AND who.archived = 0 AND who.is_me = 0
               AND {alias}.person_id = who.id
               AND {alias}.date = (SELECT max(date) FROM {table} WHERE person_id = who.id)"
        ),
        // A UUID is written in hexadecimal digits and hyphens only, so it goes into the SQL
        // as a literal.
        History::LastDayOf(uuid) => format!(
            "FROM {table} {alias} JOIN people who ON who.id = {alias}.person_id
             WHERE who.uuid = '{uuid}'
               AND {alias}.date = (SELECT max(date) FROM {table}
                   WHERE person_id = (SELECT id FROM people WHERE uuid = '{uuid}'))"
        ),
    }
}

/// The `WHERE … ORDER BY` clause (and its arguments: the date `?1` when there is one, then
/// the person of `items_for`) choosing the items of a snapshot.
fn items_in(
    scope: Scope,
    kinds: &[Kind],
    people: &[upward_domain::Person],
) -> (String, Vec<String>) {
    let all = Kind::ALL.iter().all(|k| kinds.contains(k));
    let done_kinds: Option<Vec<Kind>> = scope
        .done_kinds
        .map(|d| kinds.iter().copied().filter(|k| d.contains(k)).collect());
    let mut conditions: Vec<String> = Vec::new();
    let mut args: Vec<String> = Vec::new();
    // The closed items read since the date: of the kinds asked for that it reads done.
    let closed: Vec<Kind> = done_kinds.clone().unwrap_or_else(|| kinds.to_vec());
    // The person of `items_for` is numbered after the date, which only a scope with
    // `closed_since` that reads closed items has.
    let dated = scope.closed_since.is_some() && !closed.is_empty();
    let person_param = if dated { 2 } else { 1 };
    match scope.closed_since {
        None => {
            if !all {
                conditions.push(of_kinds(kinds));
            }
            if let Some(done) = &done_kinds {
                conditions.push(if done.is_empty() {
                    "status = 'open'".to_string()
                } else {
                    format!(
                        "(status = 'open' OR (status = 'done' AND {}))",
                        of_kinds(done)
                    )
                });
            }
        }
        Some(since) => {
            // One indexed lookup per condition: written as one OR, SQLite scans the whole
            // table. `updated_at` is RFC 3339, so comparing it with a date compares its date.
            // The kind is in every index used, so other kinds cost no row reads. `IN` keeps
            // each id once, so the lookups are not deduplicated a first time (`UNION ALL`).
            let and = |kinds: &[Kind]| {
                if Kind::ALL.iter().all(|k| kinds.contains(k)) {
                    String::new()
                } else {
                    format!(" AND {}", of_kinds(kinds))
                }
            };
            let open = and(kinds);
            let mut lookups = match scope.items_for {
                None => vec![format!("SELECT id FROM items WHERE status = 'open'{open}")],
                // The open items of the kinds (one index) that are the person's (another), so
                // no row is read to learn whose an item is: the open items of everyone else
                // stay unread (on a database of many years, most of them, on pages of their
                // own).
                Some(of) => {
                    let mut whose = vec![format!(
                        "person_id = (SELECT id FROM people WHERE uuid = ?{person_param})"
                    )];
                    if is_manager(of, people) {
                        whose.push("person_id IS NULL".to_string());
                    }
                    let mut lookups: Vec<String> = whose
                        .iter()
                        .map(|w| {
                            format!(
                                "SELECT id FROM items WHERE status = 'open'{open} AND +id IN \
                                 (SELECT id FROM items WHERE {w} AND status = 'open')"
                            )
                        })
                        .collect();
                    if !of.every_open.is_empty() {
                        lookups.push(format!(
                            "SELECT id FROM items WHERE status = 'open'{open} AND {}",
                            of_kinds(of.every_open)
                        ));
                    }
                    lookups
                }
            };
            let closed = closed.as_slice();
            if dated {
                // Here the kind filters the entries of a range of the index, one by one: as a
                // `CASE` it is a few comparisons, where `IN` of more than two kinds looks each
                // one up in a table SQLite builds of them (a tenth of review's instructions).
                let closed = if closed.len() > 2 && !Kind::ALL.iter().all(|k| closed.contains(k)) {
                    let whens: Vec<String> = closed
                        .iter()
                        .map(|k| format!("WHEN '{}' THEN 1", k.as_str()))
                        .collect();
                    format!(" AND CASE kind {} END", whens.join(" "))
                } else {
                    and(closed)
                };
                for column in ["done", "date", "updated_at"] {
                    lookups.push(format!("SELECT id FROM items WHERE {column} >= ?1{closed}"));
                }
            }
            conditions.push(format!("items.id IN ({})", lookups.join(" UNION ALL ")));
            if done_kinds.is_some() {
                conditions.push("items.status != 'dropped'".to_string());
            }
            if dated {
                args.push(since.to_string());
            }
        }
    }
    if let Some(of) = scope.items_for {
        // With the lookups above, checked on the rows they found only when it is an `OR` of
        // several (`+` keeps SQLite from looking each one's rows up, all of them, closed
        // ones too). The person's alone may still lead (their rows, when the lookups found
        // many closed items of others since a 1:1 long ago).
        let plus =
            scope.closed_since.is_some() && (is_manager(of, people) || !of.every_open.is_empty());
        conditions.push(items_for(of, people, person_param, plus));
        args.push(of.person.to_string());
    }
    let mut sql = String::new();
    for (i, c) in conditions.iter().enumerate() {
        sql.push_str(if i == 0 { "WHERE " } else { " AND " });
        sql.push_str(c);
    }
    sql.push_str(" ORDER BY items.id");
    (sql, args)
}

/// The condition of [`Scope::items_for`] on the rows of `items` (the person's UUID being
/// parameter `?{param}`): the person's items, those with no person when they are my manager
/// (as `Snapshot::is_for` counts them, from everyone in `people`), and every open one of
/// `every_open`.
/// `plus` writes each column as `+items.…`, which SQLite then uses no index for.
fn items_for(of: ItemsFor, people: &[upward_domain::Person], param: usize, plus: bool) -> String {
    let col = if plus { "+items." } else { "items." };
    let mut either = vec![format!(
        "{col}person_id = (SELECT id FROM people WHERE uuid = ?{param})"
    )];
    if is_manager(of, people) {
        either.push(format!("{col}person_id IS NULL"));
    }
    if !of.every_open.is_empty() {
        either.push(format!(
            "({col}status = 'open' AND {col}{})",
            of_kinds(of.every_open)
        ));
    }
    format!("({})", either.join(" OR "))
}

/// Whether the person of `items_for` is my manager, whose agenda holds the items with no
/// person too (as `Snapshot::is_for` counts them).
fn is_manager(of: ItemsFor, people: &[upward_domain::Person]) -> bool {
    upward_domain::person::manager(people).is_some_and(|m| m.uuid == of.person)
}

/// `kind IN ('win', …)`: the kinds are a closed vocabulary, so they are written into the SQL
/// as literals.
fn of_kinds(kinds: &[Kind]) -> String {
    let list: Vec<String> = kinds.iter().map(|k| format!("'{}'", k.as_str())).collect();
    format!("kind IN ({})", list.join(", "))
}
