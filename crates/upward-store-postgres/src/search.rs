//! Search over item titles and texts, meeting notes, and people's names and profiles, in plain
//! SQL: no server extension, so it works on any PostgreSQL a team server is given.
//!
//! Every row keeps its words as search sees them, lowercased and without accents, in
//! `search_title` and `search_body` (` word word `, written by the store with the row, as the
//! SQLite backend's triggers fill its FTS5 tables). A query's words, folded the same way,
//! become `LIKE` patterns: `% word %` for a whole word, `% word%` for the last one, a prefix.
//! Every pattern must match the title and body together (`LIKE ALL`); a row whose title (or
//! name) matches any of them ranks first (`LIKE ANY`), and within each group a shorter text
//! ranks before a longer one (as bm25 weighs a match in a short field), then the newer record.
//! The passage shown is cut here, in Rust, from the field with the most matches.

use crate::convert::get;
use crate::items::extra;
use crate::people::profile;
use crate::{Result, Tx};
use jiff::civil::Date;
use std::cmp::Ordering;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use upward_store::{Hit, MATCH_END, MATCH_START};

/// How many words a passage shows around the matches (as the SQLite backend's `snippet`).
const PASSAGE_WORDS: usize = 12;

/// Whether `c` belongs to a word: letters and digits in any script, and the marks on them.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The byte ranges of the words of `text`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// A word as search compares it: lowercased, accents and other marks dropped (`Café` and
/// `cafe` are the same word).
fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase());
                }
            });
        }
    }
    out
}

/// The words of some texts as `search_title` and `search_body` keep them: ` word word `, or
/// empty when there are none.
pub(crate) fn search_text(parts: &[Option<&str>]) -> String {
    let mut out = String::new();
    for text in parts.iter().flatten() {
        for (s, e) in word_spans(text) {
            let word = fold(&text[s..e]);
            if !word.is_empty() {
                out.push(' ');
                out.push_str(&word);
            }
        }
    }
    if !out.is_empty() {
        out.push(' ');
    }
    out
}

/// A word of a text: its byte range, and whether the query looks for it.
type Word = (usize, usize, bool);

/// What the user typed, as folded words: every one must match, the last as a prefix.
struct Query {
    words: Vec<String>,
}

impl Query {
    /// Nothing the user types is syntax: only the words count.
    fn parse(input: &str) -> Option<Query> {
        let words: Vec<String> = word_spans(input)
            .into_iter()
            .map(|(s, e)| fold(&input[s..e]))
            .filter(|w| !w.is_empty())
            .collect();
        (!words.is_empty()).then_some(Query { words })
    }

    /// One `LIKE` pattern per word, against ` word word `.
    fn patterns(&self) -> Vec<String> {
        let last = self.words.len() - 1;
        self.words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let w = w
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                if i == last {
                    format!("% {w}%")
                } else {
                    format!("% {w} %")
                }
            })
            .collect()
    }

    /// Whether a word of a text (folded) is one the query looks for.
    fn matches(&self, word: &str) -> bool {
        let (last, rest) = self.words.split_last().expect("a query has words");
        word.starts_with(last.as_str()) || rest.iter().any(|w| w == word)
    }

    /// The passage to show: from the field with the most matching words, the (at most)
    /// [`PASSAGE_WORDS`] words around the most matches, each match marked, `…` where text was
    /// left out.
    fn passage(&self, fields: &[&str]) -> String {
        let mut best: Option<(&str, Vec<Word>)> = None;
        let mut most = 0;
        for text in fields {
            let words: Vec<Word> = word_spans(text)
                .into_iter()
                .map(|(s, e)| (s, e, self.matches(&fold(&text[s..e]))))
                .collect();
            let hits = words.iter().filter(|w| w.2).count();
            if best.is_none() || hits > most {
                best = Some((text, words));
                most = hits;
            }
        }
        let Some((text, words)) = best else {
            return String::new();
        };
        let (from, to) = if words.len() <= PASSAGE_WORDS {
            (0, words.len())
        } else {
            // Start two words before a match, so that it comes with some context.
            let mut window = (0, 0);
            for m in (0..words.len()).filter(|&i| words[i].2) {
                let start = m.saturating_sub(2).min(words.len() - PASSAGE_WORDS);
                let hits = words[start..start + PASSAGE_WORDS]
                    .iter()
                    .filter(|w| w.2)
                    .count();
                if hits > window.1 {
                    window = (start, hits);
                }
            }
            (window.0, window.0 + PASSAGE_WORDS)
        };
        let mut out = String::new();
        let mut at = if from == 0 {
            0
        } else {
            out.push('…');
            words[from].0
        };
        for &(s, e, hit) in &words[from..to] {
            out.push_str(&text[at..s]);
            if hit {
                out.push(MATCH_START);
                out.push_str(&text[s..e]);
                out.push(MATCH_END);
            } else {
                out.push_str(&text[s..e]);
            }
            at = e;
        }
        if to == words.len() {
            out.push_str(&text[at..]);
        } else {
            out.push('…');
        }
        out
    }
}

/// The score of a row: below 1 for a match in its title or name, 1 and above for one in its
/// body, growing with the length of what matched. `$2` holds the patterns.
fn score(title: &str, body: &str) -> String {
    format!(
        "CASE WHEN {title} LIKE ANY ($2)
              THEN length({title})::float8 / (length({title}) + 100)
              ELSE 1 + length({body})::float8 / (length({body}) + 100) END AS score"
    )
}

impl Tx<'_> {
    pub(crate) fn search_(&self, input: &str, limit: usize) -> Result<Vec<Hit>> {
        let Some(query) = Query::parse(input) else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let patterns = query.patterns();
        let n = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut hits: Vec<Hit> = Vec::new();

        let sql = format!(
            "SELECT i.id, i.kind, i.title, i.status, p.name AS person_name, i.body, i.impact,
                    i.metric, i.mitigation, i.ask, i.data, i.why, i.outcome, {}
               FROM items i LEFT JOIN people p ON p.workspace = i.workspace AND p.uuid = i.person
              WHERE i.workspace = $1 AND (i.search_title || i.search_body) LIKE ALL ($2)
              ORDER BY score, i.id DESC
              LIMIT $3",
            score("i.search_title", "i.search_body")
        );
        for r in self.rows(&sql, &[&self.ws, &patterns, &n])? {
            let title: String = get(&r, "title")?;
            let body: Option<String> = get(&r, "body")?;
            let text = |c: &str| get::<Option<String>>(&r, c);
            let extra = extra([
                text("impact")?.as_deref(),
                text("metric")?.as_deref(),
                text("mitigation")?.as_deref(),
                text("ask")?.as_deref(),
                text("data")?.as_deref(),
                text("why")?.as_deref(),
                text("outcome")?.as_deref(),
            ]);
            hits.push(Hit {
                source: "item",
                id: Some(get(&r, "id")?),
                kind: Some(get(&r, "kind")?),
                snippet: query.passage(&[&title, body.as_deref().unwrap_or(""), &extra]),
                title,
                person: get(&r, "person_name")?,
                status: Some(get(&r, "status")?),
                score: get(&r, "score")?,
            });
        }

        for r in self.rows(
            "SELECT m.id, m.date, m.notes, m.shared_notes, m.their_notes, p.name AS person_name,
                    1 + length(m.search_body)::float8 / (length(m.search_body) + 100) AS score
               FROM meetings m JOIN people p ON p.workspace = m.workspace AND p.uuid = m.person
              WHERE m.workspace = $1 AND m.search_body LIKE ALL ($2)
              ORDER BY score, m.id DESC
              LIMIT $3",
            &[&self.ws, &patterns, &n],
        )? {
            let name: String = get(&r, "person_name")?;
            let date: Date = crate::convert::date_req(&r, "date")?;
            let notes: Option<String> = get(&r, "notes")?;
            let shared: Option<String> = get(&r, "shared_notes")?;
            let theirs: Option<String> = get(&r, "their_notes")?;
            hits.push(Hit {
                source: "meeting",
                id: Some(get(&r, "id")?),
                kind: None,
                title: format!("1:1 with {name} on {date}"),
                person: Some(name),
                status: None,
                snippet: query.passage(&[
                    notes.as_deref().unwrap_or(""),
                    shared.as_deref().unwrap_or(""),
                    theirs.as_deref().unwrap_or(""),
                ]),
                score: get(&r, "score")?,
            });
        }

        let sql = format!(
            "SELECT name, relation, role, goals, priorities, pressures, motivations, \"values\",
                    strengths, blind_spots, pet_peeves, happiest, {}
               FROM people
              WHERE workspace = $1 AND (search_title || search_body) LIKE ALL ($2)
              ORDER BY score, name_key
              LIMIT $3",
            score("search_title", "search_body")
        );
        for r in self.rows(&sql, &[&self.ws, &patterns, &n])? {
            let name: String = get(&r, "name")?;
            let text = |c: &str| get::<Option<String>>(&r, c);
            let profile = profile([
                text("role")?.as_deref(),
                text("goals")?.as_deref(),
                text("priorities")?.as_deref(),
                text("pressures")?.as_deref(),
                text("motivations")?.as_deref(),
                text("values")?.as_deref(),
                text("strengths")?.as_deref(),
                text("blind_spots")?.as_deref(),
                text("pet_peeves")?.as_deref(),
                text("happiest")?.as_deref(),
            ]);
            hits.push(Hit {
                source: "person",
                id: None,
                kind: Some(get(&r, "relation")?),
                snippet: query.passage(&[&name, &profile]),
                title: name.clone(),
                person: Some(name),
                status: None,
                score: get(&r, "score")?,
            });
        }

        // Best score first; among equals the newer item or meeting, people last (as SQLite
        // orders its rowids, NULL for people, descending).
        hits.sort_by(|a, b| {
            a.score
                .partial_cmp(&b.score)
                .unwrap_or(Ordering::Equal)
                .then_with(|| b.id.cmp(&a.id))
        });
        hits.truncate(limit);
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(s: &str) -> String {
        s.replace(MATCH_START, "[").replace(MATCH_END, "]")
    }

    #[test]
    fn words_are_folded_without_case_or_accents() {
        assert_eq!(
            search_text(&[Some("Café — Crème brûlée, ÉTÉ 2026!"), None, Some("naïve")]),
            " cafe creme brulee ete 2026 naive "
        );
        // Decomposed input (e + combining acute) is one word too.
        assert_eq!(search_text(&[Some("cafe\u{301} ok")]), " cafe ok ");
        assert_eq!(search_text(&[Some("— !"), None]), "");
        assert_eq!(search_text(&[Some("東京 タワー")]), " 東京 タワー ");
    }

    #[test]
    fn queries_are_words_only() {
        for hostile in ["\"", "*", "-", "", "  ", "%_\\"] {
            assert!(Query::parse(hostile).is_none(), "{hostile:?}");
        }
        let q = Query::parse("'; DROP TABLE items; --").unwrap();
        assert_eq!(q.words, ["drop", "table", "items"]);
        assert_eq!(q.patterns(), ["% drop %", "% table %", "% items%"]);
        let q = Query::parse("Cafe BRÛ").unwrap();
        assert!(q.matches("cafe") && q.matches("brulee") && !q.matches("cafes"));
    }

    #[test]
    fn passages_mark_whole_words_in_the_best_field() {
        let q = Query::parse("ledger").unwrap();
        assert_eq!(
            marked(&q.passage(&["Weekly notes", "the roadmap for the Ledger."])),
            "the roadmap for the [Ledger]."
        );
        let q = Query::parse("bru").unwrap();
        assert_eq!(marked(&q.passage(&["Crème brûlée"])), "Crème [brûlée]");
        let words: Vec<String> = (1..=21).map(|i| format!("w{i}")).collect();
        let mut text = words.clone();
        text[15] = "target".into();
        assert_eq!(
            marked(&Query::parse("target").unwrap().passage(&[&text.join(" ")])),
            "…w10 w11 w12 w13 w14 w15 [target] w17 w18 w19 w20 w21"
        );
        let mut text = words;
        text[5] = "target".into();
        assert_eq!(
            marked(&Query::parse("target").unwrap().passage(&[&text.join(" ")])),
            "…w4 w5 [target] w7 w8 w9 w10 w11 w12 w13 w14 w15…"
        );
    }
}
