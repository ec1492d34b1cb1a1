//! The export document: upward's versioned, lossless JSON interchange format
//! (`upward export` writes it, `upward import` reads it back, a later sync will speak it).

use crate::{
    Decline, DomainError, Effect, Item, Meeting, Person, PersonRef, Reflection, Tombstone,
    UpdateSent,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The `format` value every export carries.
pub const FORMAT: &str = "upward";
/// The version of the document this build writes and the newest it reads.
/// Version 5 adds a person's `email` and `account` and a meeting's `shared_notes` and
/// `their_notes` (sync's, docs/sync.md; an older upward would drop them, so it is told to
/// upgrade instead); a record without them (versions 1 to 4) has them unset.
/// Version 4 adds a person's `technical` and `exec` (an older upward would drop them, so it
/// is told to upgrade instead); a person without them (versions 1 to 3) has them unset.
/// Version 3 adds who confirmed, renegotiated due dates, the risk lifecycle, remaining effort
/// and the links between items (a win's `for_item`, a feedback's `answers`), and beside the
/// records what each 1:1 changed (`effects`), the requests declined (`declines`) and the
/// meetings undone (`removed`); an older upward would drop them, so it is told to upgrade
/// instead. Version 2 refers by UUID (an item's `person_uuid` and `meeting`, a meeting's
/// `discussed`); version 1 referred by name and by integer id. Both are still read, and given
/// what version 3 adds as the schema's upgrade gives it to a database (`upgrade_v2`).
pub const VERSION: u32 = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub exported: Timestamp,
    pub people: Vec<Person>,
    #[serde(serialize_with = "items_as_json")]
    pub items: Vec<Item>,
    pub meetings: Vec<Meeting>,
    pub updates: Vec<UpdateSent>,
    pub reflections: Vec<Reflection>,
    /// What each meeting changed in the items discussed at it (so it can be undone).
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// The requests declined.
    #[serde(default)]
    pub declines: Vec<Decline>,
    /// The records removed for good (meetings undone): an import removes them too.
    #[serde(default)]
    pub removed: Vec<Tombstone>,
}

fn items_as_json<S: serde::Serializer>(items: &[Item], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(items.len()))?;
    for item in items {
        seq.serialize_element(&item.to_json())?;
    }
    seq.end()
}

impl Export {
    /// Reads an export document, refusing what is not one (with the reason) before anything
    /// is written.
    pub fn parse(text: &str) -> Result<Export, DomainError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| DomainError::NotAnExport {
                problem: format!("the file is not valid JSON ({e})"),
            })?;
        let format = value.get("format").and_then(|f| f.as_str());
        if format != Some(FORMAT) {
            return Err(DomainError::NotAnExport {
                problem: "the file is not an upward export (its \"format\" is not \"upward\")"
                    .into(),
            });
        }
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v >= 1 && v <= u64::from(VERSION) => {}
            Some(v) => {
                return Err(DomainError::Rule(format!(
                    "the export is format version {v}, this upward reads versions 1 to {VERSION} — upgrade upward to import it"
                )));
            }
            None => {
                return Err(DomainError::NotAnExport {
                    problem: "the export has no valid \"version\"".into(),
                });
            }
        }
        let mut value = value;
        let version = value.get("version").and_then(|v| v.as_u64());
        if version == Some(1) {
            upgrade_v1(&mut value);
        }
        let mut export: Export = serde_json::from_value(value.clone()).map_err(|e| {
            DomainError::Rule(format!("the export does not read as upward data: {e}"))
        })?;
        export.resolve_people(&value)?;
        if version.is_some_and(|v| v < 3) {
            export.upgrade_v2();
        }
        // Read, it is a document of this version (a version 1 file was upgraded above).
        export.version = VERSION;
        export.validate()?;
        Ok(export)
    }

    /// Fills in the UUID of every reference to a person: from `person_uuid` where the
    /// document has it, else by the person's name (version 1, or a file edited by hand).
    fn resolve_people(&mut self, raw: &serde_json::Value) -> Result<(), DomainError> {
        let by_name: std::collections::HashMap<String, PersonRef> = self
            .people
            .iter()
            .map(|p| (p.name.to_lowercase(), p.to_ref()))
            .collect();
        let resolve = |r: &mut PersonRef, what: String| {
            if r.uuid.is_nil() {
                match by_name.get(&r.name.to_lowercase()) {
                    Some(p) => *r = p.clone(),
                    None => {
                        return Err(DomainError::Rule(format!(
                            "the export is inconsistent: {what} names an unknown person"
                        )));
                    }
                }
            }
            Ok(())
        };
        let raw_items = raw.get("items").and_then(|i| i.as_array());
        for (n, item) in self.items.iter_mut().enumerate() {
            let uuid = raw_items
                .and_then(|a| a.get(n))
                .and_then(|i| i.get("person_uuid"))
                .and_then(|u| u.as_str())
                .and_then(|u| u.parse::<uuid::Uuid>().ok());
            if let Some(p) = &mut item.person {
                if let Some(uuid) = uuid {
                    p.uuid = uuid;
                }
                resolve(p, format!("item {}", item.id))?;
            }
        }
        for m in &mut self.meetings {
            resolve(&mut m.person, format!("meeting {}", m.id))?;
        }
        for u in &mut self.updates {
            resolve(&mut u.person, format!("update {}", u.id))?;
        }
        for r in &mut self.reflections {
            resolve(&mut r.person, format!("reflection {}", r.id))?;
        }
        for d in &mut self.declines {
            resolve(&mut d.person, format!("decline {}", d.id))?;
        }
        // A reference is read back with the name the person has now.
        let names: std::collections::HashMap<uuid::Uuid, String> = self
            .people
            .iter()
            .map(|p| (p.uuid, p.name.clone()))
            .collect();
        let rename = |r: &mut PersonRef| {
            if let Some(n) = names.get(&r.uuid) {
                r.name.clone_from(n);
            }
        };
        self.items
            .iter_mut()
            .filter_map(|i| i.person.as_mut())
            .for_each(rename);
        self.meetings.iter_mut().for_each(|m| rename(&mut m.person));
        self.updates.iter_mut().for_each(|u| rename(&mut u.person));
        self.reflections
            .iter_mut()
            .for_each(|r| rename(&mut r.person));
        self.declines.iter_mut().for_each(|d| rename(&mut d.person));
        Ok(())
    }

    /// Gives a version 1 or 2 document what version 3 adds, as migration 3 of the SQLite
    /// schema and 0002 of the PostgreSQL one give it to a database, so that an old export and
    /// an old database upgrade alike: a risk's state (closed when it is done, else open), what
    /// was communicated (the levels it has now), and who confirmed a priority or an
    /// expectation (the person of the 1:1 on the confirmed date that discussed it, if any).
    fn upgrade_v2(&mut self) {
        let meetings = &self.meetings;
        for item in &mut self.items {
            if item.kind == crate::Kind::Risk && item.state.is_none() {
                item.state = Some(if item.status == crate::Status::Done {
                    crate::RiskState::Closed
                } else {
                    crate::RiskState::Open
                });
                if item.communicated.is_some() {
                    item.record_communicated();
                }
            }
            if matches!(item.kind, crate::Kind::Priority | crate::Kind::Expectation)
                && item.confirmed_by.is_none()
                && let Some(confirmed) = item.confirmed
            {
                item.confirmed_by = meetings
                    .iter()
                    .filter(|m| m.date == confirmed && m.discussed.contains(&item.uuid))
                    .max_by_key(|m| m.id)
                    .map(|m| m.person.uuid);
            }
        }
    }

    /// Checks what serde cannot: kinds' fields, references between records, unique ids.
    pub fn validate(&self) -> Result<(), DomainError> {
        use std::collections::HashSet;
        let bad = |msg: String| {
            Err(DomainError::Rule(format!(
                "the export is inconsistent: {msg}"
            )))
        };
        let names: HashSet<String> = self.people.iter().map(|p| p.name.to_lowercase()).collect();
        if names.len() != self.people.len() {
            return bad("two people share a name".into());
        }
        if self.people.iter().filter(|p| p.is_me).count() > 1 {
            return bad("more than one person is me".into());
        }
        // Texts as the commands accept them: a file must not bring in what `add` refuses
        // (control characters that `show` would replay to the terminal, texts over 1 MiB).
        let texts = |owner: String, texts: &[(&'static str, &Option<String>)]| {
            for (what, text) in texts {
                if let Some(t) = text {
                    crate::item::validate_text(what, t).map_err(|e| {
                        DomainError::Rule(format!("the export is inconsistent: {owner}: {e}"))
                    })?;
                }
            }
            Ok::<(), DomainError>(())
        };
        for p in &self.people {
            crate::person::validate_name(&p.name)?;
            // Me has relation `self`. (The reverse need not hold: `import --merge` keeps the
            // other database's me as a person of relation `self` who is not me.)
            if p.is_me && p.relation != crate::Relation::Myself {
                return bad(format!(
                    "{} has relation {} but is_me {}",
                    p.name, p.relation, p.is_me
                ));
            }
            if let Some(trust) = p.trust {
                crate::person::parse_trust(&trust.to_string())?;
            }
            if let Some(email) = &p.email
                && crate::person::validate_email(email)? != *email
            {
                return bad(format!("{}'s email has spaces around it", p.name));
            }
            texts(
                format!("person {}", p.name),
                &[
                    ("role", &p.role),
                    ("goals", &p.goals),
                    ("priorities", &p.priorities),
                    ("pressures", &p.pressures),
                    ("motivations", &p.motivations),
                    ("values", &p.values),
                    ("strengths", &p.strengths),
                    ("blind_spots", &p.blind_spots),
                    ("pet_peeves", &p.pet_peeves),
                    ("happiest", &p.happiest),
                ],
            )?;
        }
        let people: HashSet<uuid::Uuid> = self.people.iter().map(|p| p.uuid).collect();
        if people.len() != self.people.len() {
            return bad("two people share a uuid".into());
        }
        let mut emails = HashSet::new();
        let mut accounts = HashSet::new();
        for p in &self.people {
            if p.email_key().is_some_and(|e| !emails.insert(e)) {
                return bad(format!("{}'s email is another person's too", p.name));
            }
            if p.account.is_some_and(|a| !accounts.insert(a)) {
                return bad(format!(
                    "{} is linked to an account another person is linked to",
                    p.name
                ));
            }
        }
        let known = |p: Option<&PersonRef>| p.is_none_or(|p| people.contains(&p.uuid));
        let mut ids = HashSet::new();
        let mut uuids = HashSet::new();
        for item in &self.items {
            if !ids.insert(item.id) || !uuids.insert(item.uuid) || item.id <= 0 {
                return bad(format!(
                    "item id {} or its uuid is repeated or not positive",
                    item.id
                ));
            }
            crate::item::validate_title(&item.title)?;
            texts(
                format!("item {}", item.id),
                &[
                    ("body", &item.body),
                    ("impact", &item.impact),
                    ("metric", &item.metric),
                    ("mitigation", &item.mitigation),
                    ("ask", &item.ask),
                    ("data", &item.data),
                    ("outcome", &item.outcome),
                    ("why", &item.why),
                ],
            )?;
            crate::item::validate_tags(item.tags.clone())?;
            let dates = [
                Some(item.created),
                item.due,
                item.done,
                item.date,
                item.confirmed,
                item.communicated,
                item.escalated,
                item.last_discussed,
                item.ranked,
                item.discussed,
                item.original_due,
            ];
            for date in dates.into_iter().flatten() {
                crate::check_date(date)?;
            }
            if let Some(rank) = item.rank {
                crate::item::validate_rank(rank)?;
            }
            if !known(item.person.as_ref())
                || item.confirmed_by.is_some_and(|p| !people.contains(&p))
            {
                return bad(format!("item {} names an unknown person", item.id));
            }
            let json = serde_json::to_value(item).unwrap_or_default();
            for field in crate::item::KIND_FIELDS {
                if !item.kind.fields().contains(&field) && !json[field].is_null() {
                    return bad(format!(
                        "item {} is a {} but has {field}",
                        item.id, item.kind
                    ));
                }
            }
        }
        let meeting_uuids: HashSet<uuid::Uuid> = self.meetings.iter().map(|m| m.uuid).collect();
        if meeting_uuids.len() != self.meetings.len() {
            return bad("a meeting uuid is repeated".into());
        }
        // Ids are kept on import, so each must be one the store keeps as it is (found by
        // fuzzing: a reflection with id 0 came back with another id).
        for (what, ids) in [
            (
                "meeting",
                self.meetings.iter().map(|m| m.id).collect::<Vec<_>>(),
            ),
            ("update", self.updates.iter().map(|u| u.id).collect()),
            (
                "reflection",
                self.reflections.iter().map(|r| r.id).collect(),
            ),
            ("decline", self.declines.iter().map(|d| d.id).collect()),
        ] {
            let unique: HashSet<&i64> = ids.iter().collect();
            if unique.len() != ids.len() || ids.iter().any(|id| *id <= 0) {
                return bad(format!("a {what} id is repeated or not positive"));
            }
        }
        for item in &self.items {
            if item.meeting.is_some_and(|m| !meeting_uuids.contains(&m)) {
                return bad(format!("item {} refers to an unknown meeting", item.id));
            }
            if [item.for_item, item.answers]
                .into_iter()
                .flatten()
                .any(|i| !uuids.contains(&i))
            {
                return bad(format!("item {} refers to an unknown item", item.id));
            }
        }
        for m in &self.meetings {
            texts(
                format!("meeting {}", m.id),
                &[
                    ("notes", &m.notes),
                    ("shared notes", &m.shared_notes),
                    ("their notes", &m.their_notes),
                ],
            )?;
            crate::check_date(m.date)?;
            if !known(Some(&m.person)) || m.discussed.iter().any(|i| !uuids.contains(i)) {
                return bad(format!(
                    "meeting {} refers to an unknown person or item",
                    m.id
                ));
            }
        }
        for u in &self.updates {
            crate::check_date(u.date)?;
            if !known(Some(&u.person)) {
                return bad(format!("update {} refers to an unknown person", u.id));
            }
        }
        for r in &self.reflections {
            for answer in r.answers.values() {
                texts(
                    format!("reflection {}", r.id),
                    &[("answer", &Some(answer.clone()))],
                )?;
            }
            crate::check_date(r.date)?;
            if !known(Some(&r.person)) {
                return bad(format!("reflection {} refers to an unknown person", r.id));
            }
            for (area, score) in &r.scores {
                crate::parse_area(area)?;
                crate::parse_score(&score.to_string())?;
            }
        }
        let decline_uuids: HashSet<uuid::Uuid> = self.declines.iter().map(|d| d.uuid).collect();
        if decline_uuids.len() != self.declines.len() {
            return bad("a decline uuid is repeated".into());
        }
        for d in &self.declines {
            crate::item::validate_title(&d.title)?;
            texts(
                format!("decline {}", d.id),
                &[("reason", &Some(d.reason.clone())), ("text", &d.text)],
            )?;
            for a in &d.alternatives {
                texts(
                    format!("decline {}", d.id),
                    &[("alternative", &Some(a.clone()))],
                )?;
            }
            crate::check_date(d.date)?;
            if let Some(after) = d.after {
                crate::check_date(after)?;
            }
            if !known(Some(&d.person)) {
                return bad(format!("decline {} refers to an unknown person", d.id));
            }
        }
        let mut changed = HashSet::new();
        for e in &self.effects {
            if !meeting_uuids.contains(&e.meeting) || !uuids.contains(&e.item) {
                return bad(format!(
                    "a change recorded for meeting {} refers to an unknown meeting or item",
                    e.meeting
                ));
            }
            if !changed.insert((e.meeting, e.item, e.field.as_str())) {
                return bad(format!(
                    "the change of {} by meeting {} is repeated",
                    e.field, e.meeting
                ));
            }
        }
        for t in &self.removed {
            if meeting_uuids.contains(&t.uuid) {
                return bad(format!("meeting {} is both kept and removed", t.uuid));
            }
            if t.kind != "meeting" {
                return bad(format!(
                    "a removed record of kind {:?}: only meetings are removed",
                    t.kind
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(reflection_id: i64) -> String {
        format!(
            r#"{{"format": "upward", "version": 1, "exported": "2026-11-23T12:00:00Z",
            "people": [{{"name": "Dana", "relation": "manager",
                "uuid": "00000000-0000-4000-8000-000000000001",
                "created_at": "2026-11-01T12:00:00Z", "updated_at": "2026-11-01T12:00:00Z"}}],
            "items": [], "meetings": [], "updates": [],
            "reflections": [{{"id": {reflection_id}, "uuid": "00000000-0000-4000-8000-000000000002",
                "person": "Dana", "date": "2026-10-02", "scores": {{"rapport": 4}},
                "created_at": "2026-10-02T12:00:00Z"}}]}}"#
        )
    }

    #[test]
    fn me_has_relation_self() {
        let not_me = doc(1).replace(
            r#""relation": "manager","#,
            r#""relation": "peer", "is_me": true,"#,
        );
        let e = Export::parse(&not_me).unwrap_err().to_string();
        assert!(e.contains("Dana has relation peer but is_me true"), "{e}");
    }

    #[test]
    fn what_is_not_an_export_is_refused_with_the_reason() {
        let problem = |text: &str| match Export::parse(text) {
            Err(DomainError::NotAnExport { problem }) => problem,
            other => panic!("{other:?}"),
        };
        assert!(problem("not json").starts_with("the file is not valid JSON ("));
        assert_eq!(
            problem(r#"{"format": "other"}"#),
            "the file is not an upward export (its \"format\" is not \"upward\")"
        );
        assert_eq!(
            problem(r#"{"format": "upward"}"#),
            "the export has no valid \"version\""
        );
        assert!(matches!(
            Export::parse(r#"{"format": "upward", "version": 99}"#),
            Err(DomainError::Rule(_))
        ));
    }

    /// Fuzzing found a reflection with id 0 accepted, then stored under another id: import
    /// was not lossless (fuzz/regressions/import/).
    #[test]
    fn records_with_ids_the_store_would_change_are_refused() {
        assert!(Export::parse(&doc(1)).is_ok());
        for bad in [0, -1] {
            let e = Export::parse(&doc(bad)).unwrap_err().to_string();
            assert!(
                e.contains("reflection id is repeated or not positive"),
                "{e}"
            );
        }
    }
}

/// Rewrites a version 1 document's integer references as UUIDs: an item's `meeting` (a
/// meeting id) and a meeting's `discussed` (item ids). An id that matches nothing is left as
/// it is, and then refused as an unknown reference.
fn upgrade_v1(doc: &mut serde_json::Value) {
    use serde_json::Value;
    let uuid_by_id = |list: &str, doc: &Value| -> std::collections::HashMap<i64, Value> {
        doc.get(list)
            .and_then(|l| l.as_array())
            .into_iter()
            .flatten()
            .filter_map(|r| Some((r.get("id")?.as_i64()?, r.get("uuid")?.clone())))
            .collect()
    };
    let items = uuid_by_id("items", doc);
    let meetings = uuid_by_id("meetings", doc);
    if let Some(list) = doc.get_mut("items").and_then(|l| l.as_array_mut()) {
        for item in list {
            if let Some(m) = item.get_mut("meeting")
                && let Some(uuid) = m.as_i64().and_then(|id| meetings.get(&id))
            {
                *m = uuid.clone();
            }
        }
    }
    if let Some(list) = doc.get_mut("meetings").and_then(|l| l.as_array_mut()) {
        for meeting in list {
            if let Some(Value::Array(ids)) = meeting.get_mut("discussed") {
                for id in ids.iter_mut() {
                    if let Some(uuid) = id.as_i64().and_then(|i| items.get(&i)) {
                        *id = uuid.clone();
                    }
                }
            }
        }
    }
}

/// What importing a document into a workspace changes: the one merge that import, `import
/// --merge` and (later) sync apply (docs/merge.md). Records are matched by UUID; a person also
/// by name, since names are unique. A person or an item known on both sides takes the newer
/// version (`updated_at`); every other record is added once and never changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergePlan {
    pub people: Vec<Person>,
    /// People known on both sides whose version in the document is newer: the document's
    /// name, relation, role, profile, style and `archived`, on the local record (its id, uuid
    /// and whether it is me are kept).
    pub people_updated: Vec<Person>,
    /// New meetings, without their discussed items (the items may not exist yet).
    pub meetings: Vec<Meeting>,
    pub items_added: Vec<Item>,
    pub items_updated: Vec<Item>,
    pub items_unchanged: usize,
    /// The new meetings again, with their discussed items: written once the items are.
    pub links: Vec<Meeting>,
    pub updates: Vec<UpdateSent>,
    pub reflections: Vec<Reflection>,
    /// What the new meetings changed, written with them.
    pub effects: Vec<Effect>,
    pub declines: Vec<Decline>,
    /// Meetings undone on the other side: removed here too, each leaving its tombstone
    /// (one already here is not repeated).
    pub removed: Vec<Tombstone>,
}

impl Export {
    /// The plan to bring this document into `local` (everything the workspace holds). Into an
    /// empty workspace every id is kept, so export → import → export is identical; otherwise
    /// new records take new ids.
    pub fn merge_plan(&self, local: &crate::Snapshot) -> MergePlan {
        use std::collections::HashMap;
        let empty = local.people.is_empty() && local.items.is_empty();
        let mut plan = MergePlan::default();
        // Where each person of the document lands.
        let mut people: HashMap<uuid::Uuid, PersonRef> = HashMap::new();
        let has_me = local.people.iter().any(|p| p.is_me);
        for p in &self.people {
            let found = local
                .people
                .iter()
                .find(|l| l.uuid == p.uuid)
                .or_else(|| local.person(&p.name));
            match found {
                Some(l) if p.updated_at > l.updated_at => {
                    let updated = newer_person(p, l, &local.people);
                    people.insert(p.uuid, updated.to_ref());
                    plan.people_updated.push(updated);
                }
                Some(l) => {
                    people.insert(p.uuid, l.to_ref());
                }
                None => {
                    let mut p = p.clone();
                    if !empty {
                        p.id = 0;
                    }
                    // An account or an address names one person: a local person keeps theirs.
                    if p.account
                        .is_some_and(|a| local.people.iter().any(|l| l.account == Some(a)))
                    {
                        p.account = None;
                    }
                    let key = p.email_key();
                    if key.is_some() && local.people.iter().any(|l| l.email_key() == key) {
                        p.email = None;
                    }
                    if p.is_me && has_me {
                        p.is_me = false;
                    }
                    people.insert(p.uuid, p.to_ref());
                    plan.people.push(p);
                }
            }
        }
        let person = |r: &PersonRef| people.get(&r.uuid).cloned().unwrap_or_else(|| r.clone());
        let id = |id: i64| if empty { id } else { 0 };

        let known_meetings: std::collections::HashSet<uuid::Uuid> =
            local.meetings.iter().map(|m| m.uuid).collect();
        for m in self
            .meetings
            .iter()
            .filter(|m| !known_meetings.contains(&m.uuid))
        {
            let m = Meeting {
                id: id(m.id),
                person: person(&m.person),
                ..m.clone()
            };
            plan.meetings.push(Meeting {
                discussed: Vec::new(),
                ..m.clone()
            });
            if !m.discussed.is_empty() {
                plan.links.push(m);
            }
        }
        let local_items: HashMap<uuid::Uuid, &Item> =
            local.items.iter().map(|i| (i.uuid, i)).collect();
        for item in &self.items {
            let mut item = item.clone();
            item.person = item.person.as_ref().map(&person);
            item.confirmed_by = item
                .confirmed_by
                .map(|u| people.get(&u).map_or(u, |r| r.uuid));
            match local_items.get(&item.uuid) {
                Some(l) if item.updated_at > l.updated_at => {
                    item.id = l.id;
                    plan.items_updated.push(item);
                }
                Some(_) => plan.items_unchanged += 1,
                None => {
                    item.id = id(item.id);
                    plan.items_added.push(item);
                }
            }
        }
        let known: std::collections::HashSet<uuid::Uuid> = local
            .updates
            .iter()
            .map(|u| u.uuid)
            .chain(local.reflections.iter().map(|r| r.uuid))
            .collect();
        for u in self.updates.iter().filter(|u| !known.contains(&u.uuid)) {
            plan.updates.push(UpdateSent {
                id: id(u.id),
                person: person(&u.person),
                ..u.clone()
            });
        }
        for r in self.reflections.iter().filter(|r| !known.contains(&r.uuid)) {
            plan.reflections.push(Reflection {
                id: id(r.id),
                person: person(&r.person),
                ..r.clone()
            });
        }
        plan
    }

    /// The rest of the plan, from what a snapshot does not hold: the workspace's tombstones
    /// and declines. A meeting undone on either side stays undone: one removed here is not
    /// brought back (its effects are left out and the items agreed at it lose the link), and
    /// one removed there is removed here. Declines are added once, like updates.
    pub fn merge_removals(
        &self,
        plan: &mut MergePlan,
        local: &crate::Snapshot,
        local_tombstones: &[Tombstone],
        local_declines: &[Decline],
    ) {
        use std::collections::HashSet;
        let gone: HashSet<uuid::Uuid> = local_tombstones
            .iter()
            .chain(&self.removed)
            .map(|t| t.uuid)
            .collect();
        plan.meetings.retain(|m| !gone.contains(&m.uuid));
        plan.links.retain(|m| !gone.contains(&m.uuid));
        for item in plan.items_added.iter_mut().chain(&mut plan.items_updated) {
            if item.meeting.is_some_and(|m| gone.contains(&m)) {
                item.meeting = None;
            }
        }
        let new_meetings: HashSet<uuid::Uuid> = plan.meetings.iter().map(|m| m.uuid).collect();
        plan.effects = self
            .effects
            .iter()
            .filter(|e| new_meetings.contains(&e.meeting))
            .cloned()
            .collect();
        let here: HashSet<uuid::Uuid> = local_tombstones.iter().map(|t| t.uuid).collect();
        plan.removed = self
            .removed
            .iter()
            .filter(|t| !here.contains(&t.uuid))
            .cloned()
            .collect();
        let empty = local.people.is_empty() && local.items.is_empty();
        let known: HashSet<uuid::Uuid> = local_declines.iter().map(|d| d.uuid).collect();
        // Where each person of the document lands, as in `merge_plan`.
        let people: std::collections::HashMap<uuid::Uuid, PersonRef> = self
            .people
            .iter()
            .filter_map(|p| {
                local
                    .people
                    .iter()
                    .find(|l| l.uuid == p.uuid)
                    .or_else(|| local.person(&p.name))
                    .map(|l| (p.uuid, l.to_ref()))
            })
            .collect();
        for d in self.declines.iter().filter(|d| !known.contains(&d.uuid)) {
            let mut d = d.clone();
            if !empty {
                d.id = 0;
            }
            if let Some(p) = people.get(&d.person.uuid) {
                d.person = p.clone();
            }
            plan.declines.push(d);
        }
    }
}

/// The document's newer version `theirs` of the local person `local`, kept as the local
/// record: its id and uuid, whether it is me (and so a relation of `self` only for me), and
/// its name when the document's name is another local person's.
fn newer_person(theirs: &Person, local: &Person, everyone: &[Person]) -> Person {
    let mut p = Person {
        id: local.id,
        uuid: local.uuid,
        is_me: local.is_me,
        created_at: local.created_at,
        ..theirs.clone()
    };
    if local.is_me || theirs.relation == crate::Relation::Myself {
        p.relation = local.relation;
    }
    if everyone
        .iter()
        .any(|o| o.uuid != local.uuid && crate::same_name(&o.name, &theirs.name))
    {
        p.name.clone_from(&local.name);
    }
    // The link to an account is sync's: the local one stays; the document's is taken only
    // where there is none, and no other local person has it. An address another local person
    // has stays theirs.
    let others = || everyone.iter().filter(|o| o.uuid != local.uuid);
    p.account = local.account.or(theirs
        .account
        .filter(|a| !others().any(|o| o.account == Some(*a))));
    let key = p.email_key();
    if key.is_some() && others().any(|o| o.email_key() == key) {
        p.email.clone_from(&local.email);
    }
    p
}

#[cfg(test)]
mod merge_tests {
    use super::*;
    use crate::{Clock, ItemInput, Kind, Relation, Snapshot};

    fn clock() -> Clock {
        Clock::fixed("2026-11-23").unwrap()
    }

    fn item(title: &str, person: &Person) -> Item {
        let mut i = Item::new(
            Kind::Topic,
            ItemInput {
                title: Some(title.into()),
                person: Some(person.to_ref()),
                ..Default::default()
            },
            &clock(),
            1,
        )
        .unwrap();
        i.id = 1;
        i
    }

    fn export(people: Vec<Person>, items: Vec<Item>, meetings: Vec<Meeting>) -> Export {
        Export {
            format: FORMAT.into(),
            version: VERSION,
            exported: clock().now,
            people,
            items,
            meetings,
            updates: vec![],
            reflections: vec![],
            effects: vec![],
            declines: vec![],
            removed: vec![],
        }
    }

    #[test]
    fn into_an_empty_workspace_everything_is_added_with_its_ids() {
        let dana = Person::new("Dana", Relation::Manager, clock().now).unwrap();
        let t = item("Budget", &dana);
        let plan = export(vec![dana], vec![t.clone()], vec![]).merge_plan(&Snapshot::default());
        assert_eq!(plan.people.len(), 1);
        assert_eq!(plan.items_added, [t]);
        assert!(plan.items_updated.is_empty());
    }

    #[test]
    fn a_person_matched_by_name_takes_over_every_reference() {
        let c = clock();
        let local_dana = Person::new("Dana", Relation::Manager, c.now).unwrap();
        let mut their_dana = local_dana.clone();
        their_dana.uuid = uuid::Uuid::from_u128(7);
        their_dana.name = "DANA".into();
        let mut m = Meeting {
            id: 3,
            uuid: uuid::Uuid::from_u128(9),
            person: their_dana.to_ref(),
            date: c.today,
            notes: None,
            shared_notes: None,
            their_notes: None,
            discussed: vec![],
            created_at: c.now,
        };
        let t = item("Budget", &their_dana);
        m.discussed = vec![t.uuid];
        let local = Snapshot {
            people: vec![local_dana.clone()],
            items: vec![Item {
                id: 1,
                uuid: uuid::Uuid::from_u128(1),
                ..item("Local", &local_dana)
            }],
            ..Default::default()
        };
        let plan = export(vec![their_dana], vec![t], vec![m]).merge_plan(&local);
        assert!(plan.people.is_empty(), "matched by name, not added");
        assert_eq!(plan.items_added.len(), 1);
        assert_eq!(plan.items_added[0].person, Some(local_dana.to_ref()));
        assert_eq!(
            plan.items_added[0].id, 0,
            "a new id in a workspace with data"
        );
        assert_eq!(plan.meetings[0].person, local_dana.to_ref());
        assert!(
            plan.meetings[0].discussed.is_empty(),
            "linked after the items"
        );
        assert_eq!(plan.links[0].discussed.len(), 1);
    }

    #[test]
    fn an_item_known_on_both_sides_takes_the_newer_version() {
        let c = clock();
        let dana = Person::new("Dana", Relation::Manager, c.now).unwrap();
        let mut local_item = item("Old title", &dana);
        local_item.id = 5;
        let mut newer = local_item.clone();
        newer.id = 1;
        newer.title = "New title".into();
        newer.updated_at = "2026-11-24T00:00:00Z".parse().unwrap();
        let local = Snapshot {
            people: vec![dana.clone()],
            items: vec![local_item.clone()],
            ..Default::default()
        };
        let plan = export(vec![dana.clone()], vec![newer.clone()], vec![]).merge_plan(&local);
        assert_eq!(plan.items_updated.len(), 1);
        assert_eq!(
            (
                plan.items_updated[0].id,
                plan.items_updated[0].title.as_str()
            ),
            (5, "New title"),
            "the local id is kept"
        );
        let same = export(vec![dana], vec![local_item], vec![]).merge_plan(&local);
        assert!(same.items_updated.is_empty() && same.items_added.is_empty());
        assert_eq!(same.items_unchanged, 1);
    }

    #[test]
    fn a_person_known_on_both_sides_takes_the_newer_version() {
        let c = clock();
        let me = Person::new("Alex", Relation::Myself, c.now).unwrap();
        let me = Person { is_me: true, ..me };
        let dana = Person::new("Dana", Relation::Manager, c.now).unwrap();
        let sam = Person::new("Sam", Relation::Peer, c.now).unwrap();
        let local = Snapshot {
            people: vec![me.clone(), dana.clone(), sam.clone()],
            ..Default::default()
        };
        let later: Timestamp = "2026-11-25T00:00:00Z".parse().unwrap();
        let mut their_dana = Person {
            id: 9,
            length: Some(crate::Length::Detailed),
            updated_at: later,
            ..dana.clone()
        };
        their_dana.name = "Sam".into(); // renamed to a name taken here: the local name stays
        let their_sam = Person {
            archived: true,
            updated_at: later,
            ..sam.clone()
        };
        let their_me = Person {
            is_me: false,
            relation: Relation::Peer,
            updated_at: later,
            ..me.clone()
        };
        let older_sam = Person {
            role: Some("old".into()),
            ..sam.clone()
        };
        let plan = export(vec![their_dana, their_sam, their_me], vec![], vec![]).merge_plan(&local);
        assert!(plan.people.is_empty());
        let updated: Vec<(&str, i64, bool, Relation)> = plan
            .people_updated
            .iter()
            .map(|p| (p.name.as_str(), p.id, p.is_me, p.relation))
            .collect();
        assert_eq!(
            updated,
            [
                ("Dana", dana.id, false, Relation::Manager),
                ("Sam", sam.id, false, Relation::Peer),
                ("Alex", me.id, true, Relation::Myself),
            ]
        );
        assert_eq!(plan.people_updated[0].length, Some(crate::Length::Detailed));
        assert!(plan.people_updated[1].archived);
        let same = export(vec![older_sam], vec![], vec![]).merge_plan(&local);
        assert!(same.people_updated.is_empty(), "not newer: kept");
    }

    #[test]
    fn an_email_follows_the_newer_version_and_an_account_stays_linked_here() {
        let c = clock();
        let later: Timestamp = "2026-11-25T00:00:00Z".parse().unwrap();
        let (a1, a2) = (uuid::Uuid::from_u128(41), uuid::Uuid::from_u128(42));
        let mut dana = Person::new("Dana", Relation::Manager, c.now).unwrap();
        dana.account = Some(a1);
        let sam = Person::new("Sam", Relation::Peer, c.now).unwrap();
        let mut kim = Person::new("Kim", Relation::Peer, c.now).unwrap();
        kim.email = Some("kim@example.com".into());
        let local = Snapshot {
            people: vec![dana.clone(), sam.clone(), kim.clone()],
            ..Default::default()
        };
        let their_dana = Person {
            email: Some("Dana@Example.com".into()),
            account: Some(a2),
            updated_at: later,
            ..dana.clone()
        };
        // Sam's newer version is linked to Dana's account and has Kim's address (any case).
        let their_sam = Person {
            email: Some("KIM@example.com".into()),
            account: Some(a1),
            updated_at: later,
            ..sam.clone()
        };
        let mut lee = Person::new("Lee", Relation::Peer, c.now).unwrap();
        lee.account = Some(a1);
        lee.email = Some("lee@example.com".into());
        let plan = export(vec![their_dana, their_sam, lee], vec![], vec![]).merge_plan(&local);
        let got: Vec<(&str, Option<&str>, Option<uuid::Uuid>)> = plan
            .people_updated
            .iter()
            .chain(&plan.people)
            .map(|p| (p.name.as_str(), p.email.as_deref(), p.account))
            .collect();
        assert_eq!(
            got,
            [
                ("Dana", Some("Dana@Example.com"), Some(a1)),
                ("Sam", None, None),
                ("Lee", Some("lee@example.com"), None),
            ]
        );
    }

    #[test]
    fn an_old_document_learns_who_confirmed_from_its_1on1s() {
        let c = clock();
        let dana = Person::new("Dana", Relation::Manager, c.now).unwrap();
        let mut p = Item::new(
            Kind::Priority,
            ItemInput {
                title: Some("Billing".into()),
                confirmed: Some(c.today),
                ..Default::default()
            },
            &c,
            1,
        )
        .unwrap();
        p.id = 1;
        let m = Meeting {
            id: 1,
            uuid: uuid::Uuid::from_u128(9),
            person: dana.to_ref(),
            date: c.today,
            notes: None,
            shared_notes: None,
            their_notes: None,
            discussed: vec![p.uuid],
            created_at: c.now,
        };
        let mut r = Item::new(
            Kind::Risk,
            ItemInput {
                title: Some("Vendor".into()),
                communicated: Some(c.today),
                ..Default::default()
            },
            &c,
            1,
        )
        .unwrap();
        r.id = 2;
        let mut doc =
            serde_json::to_value(export(vec![dana.clone()], vec![p, r], vec![m])).unwrap();
        doc["version"] = 2.into();
        for item in doc["items"].as_array_mut().unwrap() {
            for key in [
                "confirmed_by",
                "state",
                "communicated_severity",
                "communicated_likelihood",
                "communicated_state",
            ] {
                item.as_object_mut().unwrap().remove(key);
            }
        }
        let read = Export::parse(&doc.to_string()).unwrap();
        assert_eq!(read.version, VERSION);
        assert_eq!(read.items[0].confirmed_by, Some(dana.uuid));
        assert_eq!(read.items[1].state, Some(crate::RiskState::Open));
        assert_eq!(
            read.items[1].communicated_severity,
            Some(crate::Level::Medium)
        );
    }
}
