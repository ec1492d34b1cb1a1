//! Full-text search (FTS5) over item titles, bodies and texts, meeting notes, and people's
//! names and profiles, ranked by bm25 with the matching words marked.

use crate::{Result, Tx};
use serde::Serialize;

/// Marks placed around each matching word in [`Hit::snippet`]; renderers replace them.
pub const MATCH_START: char = '\u{2}';
pub const MATCH_END: char = '\u{3}';

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// `item`, `meeting` or `person`.
    pub source: &'static str,
    /// The item or meeting id (a person has none).
    pub id: Option<i64>,
    pub kind: Option<String>,
    pub title: String,
    pub person: Option<String>,
    pub status: Option<String>,
    /// The best matching passage, with matches between [`MATCH_START`] and [`MATCH_END`].
    pub snippet: String,
    /// bm25 score: lower is better.
    pub score: f64,
}

/// Turns what the user typed into an FTS5 query: every word must match (as a prefix when it
/// is the last one), and nothing the user types is read as FTS5 syntax.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '\'')
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    if words.is_empty() {
        return None;
    }
    let mut q = words.join(" ");
    q.push('*');
    Some(q)
}

impl Tx<'_> {
    /// Searches everything; best matches first, at most `limit`. A match in a title (or a
    /// person's name) ranks before one in a body, then bm25 decides: bm25 scores of different
    /// tables are not comparable on their own, and a title match is what users look for.
    pub fn search(&self, input: &str, limit: usize) -> Result<Vec<Hit>> {
        let Some(q) = fts_query(input) else {
            return Ok(Vec::new());
        };
        let (s, e) = (MATCH_START.to_string(), MATCH_END.to_string());
        let sql = "
            SELECT 'item', i.id, i.kind, i.title, p.name, i.status,
                   snippet(items_fts, -1, ?2, ?3, '…', 12), bm25(items_fts, 10.0, 3.0, 2.0),
                   instr(highlight(items_fts, 0, ?2, ?3), ?2) = 0
              FROM items_fts JOIN items i ON i.id = items_fts.rowid
              LEFT JOIN people p ON p.id = i.person_id
             WHERE items_fts MATCH ?1
            UNION ALL
            SELECT 'meeting', m.id, NULL, '1:1 with ' || p.name || ' on ' || m.date, p.name, NULL,
                   snippet(meetings_fts, 0, ?2, ?3, '…', 12), bm25(meetings_fts), 1
              FROM meetings_fts JOIN meetings m ON m.id = meetings_fts.rowid
              JOIN people p ON p.id = m.person_id
             WHERE meetings_fts MATCH ?1
            UNION ALL
            SELECT 'person', NULL, p.relation, p.name, p.name, NULL,
                   snippet(people_fts, -1, ?2, ?3, '…', 12), bm25(people_fts, 10.0, 3.0),
                   instr(highlight(people_fts, 0, ?2, ?3), ?2) = 0
              FROM people_fts JOIN people p ON p.id = people_fts.rowid
             WHERE people_fts MATCH ?1
            ORDER BY 9, 8, 2 DESC
            LIMIT ?4";
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(rusqlite::params![q, s, e, limit as i64], |r| {
            let source: String = r.get(0)?;
            Ok(Hit {
                source: match source.as_str() {
                    "item" => "item",
                    "meeting" => "meeting",
                    _ => "person",
                },
                id: r.get(1)?,
                kind: r.get(2)?,
                title: r.get(3)?,
                person: r.get(4)?,
                status: r.get(5)?,
                snippet: r.get(6)?,
                score: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
