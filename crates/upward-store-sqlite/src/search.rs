//! Full-text search (FTS5) over item titles, bodies and texts, meeting notes, and people's
//! names and profiles, ranked by bm25 with the matching words marked.

use crate::{Result, Tx};
use std::collections::HashMap;
use upward_store::{Hit, MATCH_END, MATCH_START};

/// The words of a query as FTS5 strings, the last one a prefix: `"cut" "lat"*`. Nothing the
/// user types is read as FTS5 syntax.
fn fts_words(input: &str) -> Vec<String> {
    let mut words: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '\'')
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    if let Some(last) = words.last_mut() {
        last.push('*');
    }
    words
}

/// Turns what the user typed into an FTS5 query: every word must match (as a prefix when it
/// is the last one), and nothing the user types is read as FTS5 syntax.
pub fn fts_query(input: &str) -> Option<String> {
    let words = fts_words(input);
    (!words.is_empty()).then(|| words.join(" "))
}

/// Rows where any word of the query is in `column` (the title, a person's name).
fn fts_any_in(column: &str, input: &str) -> String {
    format!("{column} : ({})", fts_words(input).join(" OR "))
}

impl Tx<'_> {
    /// Searches everything; best matches first, at most `limit`. A match in a title (or a
    /// person's name) ranks before one in a body, then bm25 decides: bm25 scores of different
    /// tables are not comparable on their own, and a title match is what users look for.
    ///
    /// Ranking reads only the full-text index; the passages are cut (which reads and
    /// tokenizes each text) for the hits shown, not for every match: a common word matches
    /// thousands of items in a database of many years.
    pub(crate) fn search_(&self, input: &str, limit: usize) -> Result<Vec<Hit>> {
        let Some(q) = fts_query(input) else {
            return Ok(Vec::new());
        };
        // Title (and name) matches first, each group by bm25. The groups are ranked one after
        // the other, so when the title matches fill the page (a common word) the body matches
        // are never scored: bm25 reads each scored row's column sizes.
        let titles = "
            SELECT 'item', rowid, bm25(items_fts, 10.0, 3.0, 2.0), rowid
              FROM items_fts WHERE items_fts MATCH ?1
               AND +rowid IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?2)
            UNION ALL
            SELECT 'person', rowid, bm25(people_fts, 10.0, 3.0), NULL
              FROM people_fts WHERE people_fts MATCH ?1
               AND +rowid IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?3)
            ORDER BY 3, 4 DESC
            LIMIT ?4";
        let bodies = "
            SELECT 'item', rowid, bm25(items_fts, 10.0, 3.0, 2.0), rowid
              FROM items_fts WHERE items_fts MATCH ?1
               AND +rowid NOT IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?2)
            UNION ALL
            SELECT 'meeting', rowid, bm25(meetings_fts), rowid
              FROM meetings_fts WHERE meetings_fts MATCH ?1
            UNION ALL
            SELECT 'person', rowid, bm25(people_fts, 10.0, 3.0), NULL
              FROM people_fts WHERE people_fts MATCH ?1
               AND +rowid NOT IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?3)
            ORDER BY 3, 4 DESC
            LIMIT ?4";
        let (in_title, in_name) = (fts_any_in("title", input), fts_any_in("name", input));
        let mut ranked: Vec<(String, i64, f64)> = Vec::new();
        for sql in [titles, bodies] {
            let left = limit - ranked.len();
            if left == 0 {
                break;
            }
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt
                .query_map(rusqlite::params![q, in_title, in_name, left as i64], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
            for row in rows {
                ranked.push(row?);
            }
        }
        // The passages of the hits shown, one query per table. The `+` keeps SQLite from
        // looking each id up through the index one by one, which would set up the (prefix)
        // query again for every hit.
        let (s, e) = (MATCH_START.to_string(), MATCH_END.to_string());
        let mut found: HashMap<(&'static str, i64), Hit> = HashMap::new();
        for (source, sql) in [
            (
                "item",
                "SELECT items_fts.rowid, i.id, i.kind, i.title, p.name, i.status,
                        snippet(items_fts, -1, ?2, ?3, '…', 12)
                   FROM items_fts JOIN items i ON i.id = items_fts.rowid
                   LEFT JOIN people p ON p.id = i.person_id
                  WHERE items_fts MATCH ?1 AND +items_fts.rowid IN",
            ),
            (
                "meeting",
                "SELECT meetings_fts.rowid, m.id, NULL, '1:1 with ' || p.name || ' on ' || m.date,
                        p.name, NULL, snippet(meetings_fts, 0, ?2, ?3, '…', 12)
                   FROM meetings_fts JOIN meetings m ON m.id = meetings_fts.rowid
                   JOIN people p ON p.id = m.person_id
                  WHERE meetings_fts MATCH ?1 AND +meetings_fts.rowid IN",
            ),
            (
                "person",
                "SELECT people_fts.rowid, NULL, p.relation, p.name, p.name, NULL,
                        snippet(people_fts, -1, ?2, ?3, '…', 12)
                   FROM people_fts JOIN people p ON p.id = people_fts.rowid
                  WHERE people_fts MATCH ?1 AND +people_fts.rowid IN",
            ),
        ] {
            // Row ids are integers read from the index, so they are written in as literals.
            let ids: Vec<String> = ranked
                .iter()
                .filter(|(src, _, _)| src == source)
                .map(|(_, rowid, _)| rowid.to_string())
                .collect();
            if ids.is_empty() {
                continue;
            }
            let sql = format!("{sql} ({})", ids.join(","));
            let mut stmt = self.conn.prepare(&sql)?;
            let mut rows = stmt.query(rusqlite::params![q, s, e])?;
            while let Some(r) = rows.next()? {
                let rowid: i64 = r.get(0)?;
                found.insert(
                    (source, rowid),
                    Hit {
                        source,
                        id: r.get(1)?,
                        kind: r.get(2)?,
                        title: r.get(3)?,
                        person: r.get(4)?,
                        status: r.get(5)?,
                        snippet: r.get(6)?,
                        score: 0.0,
                    },
                );
            }
        }
        let mut hits = Vec::with_capacity(ranked.len());
        for (source, rowid, score) in ranked {
            let source = match source.as_str() {
                "item" => "item",
                "meeting" => "meeting",
                _ => "person",
            };
            if let Some(hit) = found.remove(&(source, rowid)) {
                hits.push(Hit { score, ..hit });
            }
        }
        Ok(hits)
    }
}
