//! The tone check (docs/tone.md): pure rules over what the user writes to the people they
//! manage up to, so that it reads as constructive feedback about behaviour, impact and the
//! future rather than as passive-aggressive, overly critical or emotional.
//!
//! Five rules, each a [`Rule`]: absolute words ("always", "never"), blame ("you failed to"),
//! sarcasm markers ("obviously", "/s", scare quotes), shouting (a word in capitals that is
//! not an acronym, "!!"), and constructive feedback that speaks only of the past. A sixth,
//! [`Rule::Jargon`], is for updates to a reader who is not technical. The words are a list
//! that ships in the repository as a readable file (`tone-words.txt`, `jargon-words.txt`
//! beside this module), which the user can add to and take from ([`Lexicon`]).
//!
//! Each flag is a [`Warning`] with a rewrite suggestion that follows fact → behaviour →
//! impact → what could change. The check is advice: nothing is refused because of it.

use crate::DomainError;
use crate::enums::{Direction, Kind, Tone};
use crate::item::Item;
use serde::Serialize;
use std::sync::{Arc, OnceLock};

/// The shipped tone words (absolute, blame, sarcasm, acronyms, future), as a readable file.
pub const TONE_WORDS: &str = include_str!("tone-words.txt");
/// The shipped jargon words.
pub const JARGON_WORDS: &str = include_str!("jargon-words.txt");

/// The sections a tone words file may have.
pub const TONE_SECTIONS: [&str; 6] = [
    "absolute",
    "not absolute",
    "blame",
    "sarcasm",
    "acronyms",
    "future",
];

/// The file names of the user's own lists, read beside the config file.
pub const TONE_FILE: &str = "tone-words.txt";
pub const JARGON_FILE: &str = "jargon-words.txt";

/// Shouting is a word of at least this many capital letters that is not an acronym.
pub const SHOUTING_LETTERS: usize = 3;

/// What a flag is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// "always", "never": one event made a verdict.
    Absolute,
    /// "you failed to", "your fault": the fault put on the reader.
    Blame,
    /// "obviously", "/s", scare quotes.
    Sarcasm,
    /// A word in capitals that is not an acronym, "!!".
    Shouting,
    /// Constructive feedback about the past that asks nothing of the future.
    PastOnly,
    /// A technical word, in an update to a reader who is not technical.
    Jargon,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Absolute => "absolute",
            Rule::Blame => "blame",
            Rule::Sarcasm => "sarcasm",
            Rule::Shouting => "shouting",
            Rule::PastOnly => "past_only",
            Rule::Jargon => "jargon",
        }
    }
}

/// One flag: the rule, what was found (as written), and how to say it instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub rule: Rule,
    pub found: String,
    pub suggestion: String,
}

impl Warning {
    fn new(rule: Rule, found: &str) -> Warning {
        Warning {
            rule,
            found: found.to_string(),
            suggestion: suggestion(rule, found),
        }
    }

    /// The warning as one line, as a hint shows it: `tone (absolute): "never" turns one
    /// event into a verdict — …`; `jargon: "p99" may be jargon to them — …`.
    pub fn line(&self) -> String {
        match self.rule {
            Rule::Jargon => format!("jargon: {}", self.suggestion),
            rule => format!(
                "tone ({}): {}",
                rule.as_str().replace('_', " "),
                self.suggestion
            ),
        }
    }
}

/// The rewrite each rule suggests: fact → behaviour → impact → what could change, in words
/// the user fills in.
fn suggestion(rule: Rule, found: &str) -> String {
    const SHAPE: &str = "\"On <when> (fact), <what was done> (behaviour), so <what it cost> \
                         (impact). Could we <what could change>?\"";
    match rule {
        Rule::Absolute => format!(
            "\"{found}\" turns one event into a verdict — name the occasions instead: {SHAPE}"
        ),
        Rule::Blame => {
            format!("\"{found}\" puts the fault on them — describe what happened instead: {SHAPE}")
        }
        Rule::Sarcasm => {
            format!("\"{found}\" reads as sarcasm — say it plainly: {SHAPE}")
        }
        Rule::Shouting => {
            let acronym = if found.chars().any(char::is_alphabetic) {
                format!(
                    " (if \"{found}\" is an acronym, add it under [acronyms] in your \
                     {TONE_FILE})"
                )
            } else {
                String::new()
            };
            format!(
                "\"{found}\" reads as shouting — write it in normal case with one \"!\" at \
                 most, and let the facts carry the weight: {SHAPE}{acronym}"
            )
        }
        Rule::PastOnly => format!(
            "it speaks only of the past — add what could change, so it can be acted on: {SHAPE}"
        ),
        Rule::Jargon => format!(
            "\"{found}\" may be jargon to them — lead with the outcome and the date, and say \
             in plain words what it changes for them"
        ),
    }
}

/// The words the rules look for: the shipped lists, with what the user added and took out.
/// Cheap to clone. The default is the shipped lists ([`Lexicon::builtin`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lexicon(Arc<Lists>);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Lists {
    absolute: Vec<String>,
    not_absolute: Vec<String>,
    blame: Vec<String>,
    sarcasm: Vec<String>,
    acronyms: Vec<String>,
    future: Vec<String>,
    jargon: Vec<String>,
}

impl Lists {
    fn section(&mut self, name: &str) -> Option<&mut Vec<String>> {
        Some(match name {
            "absolute" => &mut self.absolute,
            "not absolute" => &mut self.not_absolute,
            "blame" => &mut self.blame,
            "sarcasm" => &mut self.sarcasm,
            "acronyms" => &mut self.acronyms,
            "future" => &mut self.future,
            "jargon" => &mut self.jargon,
            _ => return None,
        })
    }
}

/// The lists a front end installed for the rest of the process ([`Lexicon::install`]).
static INSTALLED: OnceLock<Lexicon> = OnceLock::new();

/// The installed lists when a front end installed some, else the shipped ones: what every use
/// case that is not handed other lists checks with (a web page's update, decline or item).
impl Default for Lexicon {
    fn default() -> Lexicon {
        INSTALLED.get().cloned().unwrap_or_else(Lexicon::builtin)
    }
}

impl Lexicon {
    /// The lists that ship with upward (`tone-words.txt`, `jargon-words.txt`).
    pub fn builtin() -> Lexicon {
        static BUILTIN: OnceLock<Lexicon> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let mut lists = Lists::default();
                // Both files are this crate's own, and a test reads them without an error.
                let _ = read_list(&mut lists, TONE_WORDS, &TONE_SECTIONS, None, TONE_FILE);
                let _ = read_list(
                    &mut lists,
                    JARGON_WORDS,
                    &["jargon"],
                    Some("jargon"),
                    JARGON_FILE,
                );
                Lexicon(Arc::new(lists))
            })
            .clone()
    }

    /// Makes these lists what [`Lexicon::default`] gives for the rest of the process: a front
    /// end that serves many requests (`upward serve`) reads the user's files once and installs
    /// them, so that every page and API answer checks with the same words as the command
    /// line. Only the first call counts.
    pub fn install(self) {
        let _ = INSTALLED.set(self);
    }

    /// These lists with a tone words file read on top (the user's `tone-words.txt`): a line
    /// adds to its section, a line starting with `-` takes a word out. `file` names it in an
    /// error, which gives the line.
    pub fn with_tone_words(&self, text: &str, file: &str) -> Result<Lexicon, DomainError> {
        let mut lists = (*self.0).clone();
        read_list(&mut lists, text, &TONE_SECTIONS, None, file)?;
        Ok(Lexicon(Arc::new(lists)))
    }

    /// These lists with a jargon words file read on top (the user's `jargon-words.txt`).
    pub fn with_jargon_words(&self, text: &str, file: &str) -> Result<Lexicon, DomainError> {
        let mut lists = (*self.0).clone();
        read_list(&mut lists, text, &["jargon"], Some("jargon"), file)?;
        Ok(Lexicon(Arc::new(lists)))
    }

    /// The words of one section (`absolute`, …, `jargon`), as read (lowercase).
    pub fn words(&self, section: &str) -> &[String] {
        let l = &self.0;
        match section {
            "absolute" => &l.absolute,
            "not absolute" => &l.not_absolute,
            "blame" => &l.blame,
            "sarcasm" => &l.sarcasm,
            "acronyms" => &l.acronyms,
            "future" => &l.future,
            "jargon" => &l.jargon,
            _ => &[],
        }
    }
}

/// A word or phrase as the rules compare it: lowercase, single spaces, straight apostrophes.
fn normal(word: &str) -> String {
    word.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('\u{2019}', "'")
}

/// Reads a words file into `lists` (docs/tone.md#the-word-lists): `[section]` lines, one word
/// or phrase a line, `#` comments, `-word` to take one out. Lines before any section go to
/// `default` when there is one.
fn read_list(
    lists: &mut Lists,
    text: &str,
    sections: &[&str],
    default: Option<&str>,
    file: &str,
) -> Result<(), DomainError> {
    let accepted = sections
        .iter()
        .map(|s| format!("[{s}]"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut section: Option<String> = default.map(String::from);
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = || format!("{file} line {}", n + 1);
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = normal(name);
            if !sections.contains(&name.as_str()) {
                return Err(DomainError::Rule(format!(
                    "{}: unknown section [{name}] — accepted: {accepted}",
                    at()
                )));
            }
            section = Some(name);
            continue;
        }
        let Some(name) = &section else {
            return Err(DomainError::Rule(format!(
                "{}: \"{line}\" comes before any section — start with one of: {accepted}",
                at()
            )));
        };
        if line.chars().any(|c| c.is_control() && c != '\t') {
            return Err(DomainError::Rule(format!(
                "{}: a word with a control character — accepted: a word or phrase a line",
                at()
            )));
        }
        let list = lists
            .section(name)
            .ok_or_else(|| DomainError::Rule(format!("{}: unknown section [{name}]", at())))?;
        match line.strip_prefix('-') {
            Some(out) => {
                let out = normal(out);
                list.retain(|w| *w != out);
            }
            None => {
                let word = normal(line);
                if !list.contains(&word) {
                    list.push(word);
                }
            }
        }
    }
    Ok(())
}

/// The tone rules on one text: absolute words, blame, sarcasm and shouting, each flag once,
/// in the order they appear.
pub fn check(text: &str, lex: &Lexicon) -> Vec<Warning> {
    let scan = Scan::new(text);
    let lists = &lex.0;
    let mut found: Vec<(usize, Warning)> = Vec::new();

    let blame = longest(scan.phrases(&lists.blame));
    let not_absolute = longest(scan.phrases(&lists.not_absolute));
    for &(s, e) in &blame {
        found.push((s, Warning::new(Rule::Blame, &text[s..e])));
    }
    for (s, e) in longest(scan.phrases(&lists.absolute)) {
        // Spans none of which is inside another, by start, end in the same order: of those
        // that start at or before `s`, the last reaches furthest.
        let inside = |spans: &[(usize, usize)]| {
            let before = spans.partition_point(|&(a, _)| a <= s);
            before > 0 && e <= spans[before - 1].1
        };
        if !inside(&blame) && !inside(&not_absolute) {
            found.push((s, Warning::new(Rule::Absolute, &text[s..e])));
        }
    }
    for (s, e) in longest(scan.phrases(&lists.sarcasm))
        .into_iter()
        .chain(scan.scare_quotes())
    {
        found.push((s, Warning::new(Rule::Sarcasm, &text[s..e])));
    }
    for (s, e) in scan.shouting(&lists.acronyms) {
        found.push((s, Warning::new(Rule::Shouting, &text[s..e])));
    }
    found.sort_by_key(|(at, w)| (*at, w.rule));
    once(found.into_iter().map(|(_, w)| w).collect())
}

/// [`check`] for constructive feedback given: also flagged when it asks nothing of the
/// future (none of the `[future]` phrases: "could", "next time", "going forward", …).
pub fn check_feedback(text: &str, lex: &Lexicon) -> Vec<Warning> {
    let mut warnings = check(text, lex);
    warnings.extend(past_only(text, lex));
    warnings
}

/// The past with no request for the future: `Some` when `text` has none of the `[future]`
/// phrases. What was found is the text itself, on one line and cut short.
pub fn past_only(text: &str, lex: &Lexicon) -> Option<Warning> {
    if text.trim().is_empty() {
        return None;
    }
    let scan = Scan::new(text);
    if !scan.phrases(&lex.0.future).is_empty() {
        return None;
    }
    let line = crate::words::one_line(text);
    let found = if line.chars().count() > 60 {
        format!("{}…", line.chars().take(59).collect::<String>().trim_end())
    } else {
        line
    };
    Some(Warning::new(Rule::PastOnly, &found))
}

/// The jargon words in `text` (for a reader who is not technical), each once.
pub fn jargon(text: &str, lex: &Lexicon) -> Vec<Warning> {
    let scan = Scan::new(text);
    let mut spans = longest(scan.phrases(&lex.0.jargon));
    spans.sort();
    once(
        spans
            .into_iter()
            .map(|(s, e)| Warning::new(Rule::Jargon, &text[s..e]))
            .collect(),
    )
}

/// The tone check of an item as it is added or edited (docs/tone.md#when-it-runs): feedback
/// I give or ask for (its title and body; constructive feedback given must also ask for
/// something in the future), and a blocker's ask. Feedback received is the other person's
/// words, and other kinds are not checked.
pub fn item_warnings(item: &Item, lex: &Lexicon) -> Vec<Warning> {
    let texts: Vec<&str> = match item.kind {
        Kind::Feedback if item.direction != Some(Direction::Received) => {
            [Some(item.title.as_str()), item.body.as_deref()]
                .into_iter()
                .flatten()
                .collect()
        }
        Kind::Blocker => item.ask.as_deref().into_iter().collect(),
        _ => Vec::new(),
    };
    let mut warnings: Vec<Warning> = texts.iter().flat_map(|t| check(t, lex)).collect();
    let constructive_given = item.kind == Kind::Feedback
        && item.direction.unwrap_or(Direction::Given) == Direction::Given
        && item.tone == Some(Tone::Constructive);
    if constructive_given {
        warnings.extend(past_only(&texts.join("\n"), lex));
    }
    once(warnings)
}

/// The warnings of several texts that make one draft (an update's lines, a decline's reason
/// and alternatives): each flag once, in order.
pub fn check_all<'a>(texts: impl IntoIterator<Item = &'a str>, lex: &Lexicon) -> Vec<Warning> {
    once(texts.into_iter().flat_map(|t| check(t, lex)).collect())
}

/// Each flag once: the first of those with the same rule and the same words (in any case).
pub fn once(warnings: Vec<Warning>) -> Vec<Warning> {
    let mut seen = std::collections::HashSet::new();
    warnings
        .into_iter()
        .filter(|w| seen.insert((w.rule, w.found.to_lowercase())))
        .collect()
}

/// The spans not inside a longer one ("you failed to" over "you failed").
fn longest(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    // In this order a span can only be inside one before it: kept when it ends after all of
    // them.
    spans.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
    spans.dedup();
    let mut reach = 0;
    spans.retain(|&(_, e)| {
        let outside = e > reach;
        reach = reach.max(e);
        outside
    });
    spans
}

/// A text read for the rules: code spans (`` `…` ``) and addresses (`https://…`) blanked out
/// in `masked` (same byte offsets as the text), and its words.
struct Scan {
    masked: String,
    words: Vec<Word>,
    /// Where each word (lowercase) is in `words`: a phrase is looked for only where its first
    /// word is, so a long text is read once, not once per phrase.
    at: std::collections::HashMap<String, Vec<usize>>,
}

struct Word {
    start: usize,
    end: usize,
    lower: String,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '\'' || c == '\u{2019}'
}

/// Characters that join two words into one name: `always-on`, `p99.latency`, `INFRA-2231`.
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '.' | '/' | '@' | '#' | ':' | '=' | '+')
}

fn blank(s: &str) -> String {
    s.chars().map(|c| " ".repeat(c.len_utf8())).collect()
}

impl Scan {
    fn new(text: &str) -> Scan {
        let mut masked = String::with_capacity(text.len());
        // Code spans: from a backtick to the next one.
        let mut rest = text;
        while let Some(open) = rest.find('`') {
            let after = &rest[open + 1..];
            match after.find('`') {
                Some(close) => {
                    masked.push_str(&rest[..open]);
                    masked.push_str(&blank(&rest[open..open + 1 + close + 1]));
                    rest = &after[close + 1..];
                }
                None => break,
            }
        }
        masked.push_str(rest);
        // Addresses: the whole run of non-space characters around "://".
        while let Some(at) = masked.find("://") {
            let start = masked[..at].rfind(char::is_whitespace).map_or(0, |i| {
                i + masked[i..].chars().next().map_or(1, char::len_utf8)
            });
            let end = masked[at..]
                .find(char::is_whitespace)
                .map_or(masked.len(), |i| at + i);
            let blanked = blank(&masked[start..end]);
            masked.replace_range(start..end, &blanked);
        }
        let mut words = Vec::new();
        let mut start: Option<usize> = None;
        for (i, c) in masked.char_indices().chain([(masked.len(), ' ')]) {
            match (start, is_word_char(c) && i < masked.len()) {
                (None, true) => start = Some(i),
                (Some(s), false) => {
                    let w = masked[s..i].trim_matches(['\'', '\u{2019}']);
                    if !w.is_empty() {
                        let offset = s + masked[s..i].find(w).unwrap_or(0);
                        words.push(Word {
                            start: offset,
                            end: offset + w.len(),
                            lower: normal(w),
                        });
                    }
                    start = None;
                }
                _ => {}
            }
        }
        let mut at: std::collections::HashMap<String, Vec<usize>> = Default::default();
        for (i, w) in words.iter().enumerate() {
            at.entry(w.lower.clone()).or_default().push(i);
        }
        Scan { masked, words, at }
    }

    /// Whether the span is part of a longer name: joined to a word before or after it by a
    /// hyphen, dot, slash, … (`always-on`, `INFRA-2231`, `retry.never`).
    fn joined(&self, s: usize, e: usize) -> bool {
        let before: Vec<char> = self.masked[..s].chars().rev().take(2).collect();
        let after: Vec<char> = self.masked[e..].chars().take(2).collect();
        let joins = |c: &[char]| c.len() == 2 && is_joiner(c[0]) && c[1].is_alphanumeric();
        joins(&before) || joins(&after)
    }

    /// Where each phrase of `list` occurs, as whole words (a phrase of words) or, for a
    /// marker that is not a word (`/s`), as written with no letter or digit beside it.
    fn phrases(&self, list: &[String]) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        for phrase in list {
            let words: Vec<&str> = phrase.split(' ').collect();
            let wordy = words.iter().all(|w| {
                w.chars().all(is_word_char) && w.chars().next().is_some_and(char::is_alphanumeric)
            });
            if wordy {
                spans.extend(self.word_phrase(&words));
            } else {
                spans.extend(self.marker(phrase));
            }
        }
        spans
    }

    fn word_phrase(&self, words: &[&str]) -> Vec<(usize, usize)> {
        let k = words.len();
        let mut spans = Vec::new();
        let Some(starts) = words.first().and_then(|w| self.at.get(*w)) else {
            return spans;
        };
        for &i in starts {
            let Some(run) = self.words.get(i..i + k) else {
                continue;
            };
            let same = run.iter().zip(words).all(|(w, p)| w.lower == *p);
            let spaced = run.windows(2).all(|pair| {
                let gap = &self.masked[pair[0].end..pair[1].start];
                !gap.is_empty() && gap.chars().all(char::is_whitespace)
            });
            let (s, e) = (run[0].start, run[k - 1].end);
            if same && spaced && !self.joined(s, e) {
                spans.push((s, e));
            }
        }
        spans
    }

    fn marker(&self, marker: &str) -> Vec<(usize, usize)> {
        if !marker.is_ascii() {
            // Lowercasing may change a character's length: compare in place, one by one.
            return self.marker_exact(marker);
        }
        // ASCII lowercasing keeps every byte where it was.
        let hay = self.masked.to_ascii_lowercase();
        let mut spans = Vec::new();
        let mut from = 0;
        while let Some(i) = hay[from..].find(marker) {
            let (s, e) = (from + i, from + i + marker.len());
            if self.free(s, e) {
                spans.push((s, e));
            }
            from = e;
        }
        spans
    }

    fn marker_exact(&self, marker: &str) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        for (s, _) in self.masked.char_indices() {
            let e = s + marker.len();
            if e <= self.masked.len()
                && self.masked.is_char_boundary(e)
                && self.masked[s..e].to_lowercase() == marker
                && self.free(s, e)
            {
                spans.push((s, e));
            }
        }
        spans
    }

    /// No letter or digit right before or after the span.
    fn free(&self, s: usize, e: usize) -> bool {
        let before = self.masked[..s].chars().next_back();
        let after = self.masked[e..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    }

    /// Quotes around one ordinary lowercase word (`the "plan"`, `your “help”`): scare quotes.
    /// A name in quotes ("Billing migration"), a code identifier ("max_retries", "retryMs")
    /// or a quotation of several words is not.
    fn scare_quotes(&self) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        for (open, close) in [
            ('"', '"'),
            ('\u{201c}', '\u{201d}'),
            ('\u{2018}', '\u{2019}'),
        ] {
            let mut from = 0;
            while let Some(i) = self.masked[from..].find(open) {
                let s = from + i;
                let inner = s + open.len_utf8();
                let Some(j) = self.masked[inner..].find(close) else {
                    break;
                };
                let e = inner + j;
                let word = &self.masked[inner..e];
                let ordinary = word.chars().count() >= 2
                    && word
                        .chars()
                        .all(|c| (c.is_alphabetic() && c.is_lowercase()) || c == '\'');
                if ordinary {
                    spans.push((s, e + close.len_utf8()));
                }
                from = e + close.len_utf8();
            }
        }
        spans
    }

    /// Words of [`SHOUTING_LETTERS`] or more capital letters that are not acronyms (a run of
    /// words in capitals as one: `THIS IS NOT`), and `!!` (two or more marks with a `!` among
    /// them: `!!`, `?!`).
    fn shouting(&self, acronyms: &[String]) -> Vec<(usize, usize)> {
        let acronym = |w: &str| acronyms.iter().any(|a| a.to_uppercase() == w);
        let caps = |w: &Word| {
            let text = &self.masked[w.start..w.end];
            text.chars().all(|c| c.is_alphabetic() && c.is_uppercase())
                && !self.joined(w.start, w.end)
        };
        let loud = |w: &Word| {
            let text = &self.masked[w.start..w.end];
            caps(w) && text.chars().count() >= SHOUTING_LETTERS && !acronym(text)
        };
        let mut spans: Vec<(usize, usize)> = Vec::new();
        // The run of words in capitals being read, and the span of its loud words.
        let mut run: Option<(usize, Option<(usize, usize)>)> = None;
        for (i, w) in self.words.iter().enumerate() {
            let follows = run.is_some_and(|(last, _)| {
                last + 1 == i
                    && self.masked[self.words[last].end..w.start]
                        .chars()
                        .all(char::is_whitespace)
            });
            if !caps(w) || !follows {
                spans.extend(run.take().and_then(|(_, span)| span));
            }
            if caps(w) {
                let span = run.and_then(|(_, span)| span);
                let span = match (span, loud(w)) {
                    (Some((s, _)), true) => Some((s, w.end)),
                    (None, true) => Some((w.start, w.end)),
                    (span, false) => span,
                };
                run = Some((i, span));
            }
        }
        spans.extend(run.and_then(|(_, span)| span));
        let mut run: Option<usize> = None;
        for (i, c) in self.masked.char_indices().chain([(self.masked.len(), ' ')]) {
            let mark = i < self.masked.len() && (c == '!' || c == '?');
            match (run, mark) {
                (None, true) => run = Some(i),
                (Some(s), false) => {
                    let marks = &self.masked[s..i];
                    if marks.len() >= 2 && marks.contains('!') {
                        spans.push((s, i));
                    }
                    run = None;
                }
                _ => {}
            }
        }
        spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        Lexicon::builtin()
    }

    /// The rules and words flagged in `text`.
    fn flags(text: &str) -> Vec<(Rule, String)> {
        check(text, &lex())
            .into_iter()
            .map(|w| (w.rule, w.found))
            .collect()
    }

    fn flagged(text: &str, rule: Rule, found: &str) {
        let f = flags(text);
        assert!(
            f.contains(&(rule, found.to_string())),
            "{text:?}: expected {rule:?} {found:?}, got {f:?}"
        );
    }

    fn quiet(text: &str, rule: Rule) {
        let f = flags(text);
        assert!(
            !f.iter().any(|(r, _)| *r == rule),
            "{text:?}: expected no {rule:?}, got {f:?}"
        );
    }

    proptest::proptest! {
        /// Any text: no panic, and every flag but past-only quotes the text as written.
        #[test]
        fn any_text_is_checked_without_panicking(text in "(?s).{0,200}") {
            let lex = lex();
            for w in check_feedback(&text, &lex).into_iter().chain(jargon(&text, &lex)) {
                proptest::prop_assert!(w.rule == Rule::PastOnly || text.contains(&w.found));
            }
        }

        /// Texts made of the words the rules look for, in any case, with the characters that
        /// join, quote and mask them.
        #[test]
        fn texts_of_the_listed_words_are_checked_without_panicking(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "never", "ALWAYS", "you failed to", "/s", "\"", "“", "”", "‘", "’", "`",
                    "-", "_", ".", "!", "?", " ", "\n", "İ", "ẞ", "é", "API", "STOP", "p99",
                    "https://", "next time", "Obviously",
                ]),
                0..40,
            )
        ) {
            let text: String = parts.concat();
            let lex = lex();
            for w in check_feedback(&text, &lex).into_iter().chain(jargon(&text, &lex)) {
                proptest::prop_assert!(w.rule == Rule::PastOnly || text.contains(&w.found));
            }
        }
    }

    #[test]
    fn the_shipped_lists_read_without_an_error() {
        let mut lists = Lists::default();
        read_list(&mut lists, TONE_WORDS, &TONE_SECTIONS, None, TONE_FILE).unwrap();
        read_list(
            &mut lists,
            JARGON_WORDS,
            &["jargon"],
            Some("jargon"),
            JARGON_FILE,
        )
        .unwrap();
        let l = lex();
        for section in TONE_SECTIONS.iter().chain(["jargon"].iter()) {
            assert!(!l.words(section).is_empty(), "{section}");
        }
        assert!(l.words("absolute").contains(&"never".to_string()));
        assert!(l.words("acronyms").contains(&"api".to_string()));
    }

    #[test]
    fn absolute_words_beside_their_near_misses() {
        flagged("The release always slips", Rule::Absolute, "always");
        flagged("Never again on a Friday", Rule::Absolute, "Never");
        flagged(
            "It happens every time we ship",
            Rule::Absolute,
            "every time",
        );
        // A phrase that only looks absolute.
        quiet("Never mind the estimate, it is fine", Rule::Absolute);
        quiet("It almost always lands on time", Rule::Absolute);
        // A metric or a flag named with the word.
        quiet("The always-on replicas cost 3% more", Rule::Absolute);
        quiet("Set never_expire to false", Rule::Absolute);
        quiet("Set `alwaysRetry` to false", Rule::Absolute);
        quiet("Set `never` in the config", Rule::Absolute);
        quiet("Nevertheless, it shipped", Rule::Absolute);
    }

    #[test]
    fn blame_beside_its_near_misses() {
        flagged("You failed to update the doc", Rule::Blame, "You failed to");
        flagged("It is your fault the demo broke", Rule::Blame, "your fault");
        flagged("you never review on time", Rule::Blame, "you never");
        // "you never" is blame, and its "never" is not flagged again as absolute.
        quiet("you never review on time", Rule::Absolute);
        quiet("The deploy failed to start", Rule::Blame);
        quiet("Never mind, you did well", Rule::Blame);
        quiet("Fault tolerance is your area", Rule::Blame);
    }

    #[test]
    fn sarcasm_markers_beside_their_near_misses() {
        flagged("Obviously nobody read it", Rule::Sarcasm, "Obviously");
        flagged("Great plan /s", Rule::Sarcasm, "/s");
        flagged(
            "Thanks a lot for the notice.",
            Rule::Sarcasm,
            "Thanks a lot",
        );
        flagged("Another \"urgent\" request", Rule::Sarcasm, "\"urgent\"");
        flagged(
            "Your \u{201c}help\u{201d} came late",
            Rule::Sarcasm,
            "\u{201c}help\u{201d}",
        );
        quiet("Thanks, this saved a lot of time", Rule::Sarcasm);
        quiet("The files are in /srv/data", Rule::Sarcasm);
        quiet("It was an obvious fix", Rule::Sarcasm);
        // A title, a code identifier or a quotation in quotes is not a scare quote.
        quiet("I finished \"Billing migration\"", Rule::Sarcasm);
        quiet(
            "Set \"max_retries\" to 3 and \"retryMs\" to 50",
            Rule::Sarcasm,
        );
        quiet("She said \"ship it on Friday\"", Rule::Sarcasm);
        quiet("Set `\"urgent\"` as the label", Rule::Sarcasm);
    }

    #[test]
    fn shouting_beside_its_near_misses() {
        flagged("Please STOP merging on Fridays", Rule::Shouting, "STOP");
        flagged("THIS IS NOT OK", Rule::Shouting, "THIS IS NOT");
        flagged("The API IS DOWN again", Rule::Shouting, "DOWN");
        flagged("Fix the build!!", Rule::Shouting, "!!");
        flagged("Why?!", Rule::Shouting, "?!");
        // Acronyms, short words, words with digits, ticket keys, code.
        quiet("The API breaks the SLA when CI is red", Rule::Shouting);
        quiet("p99 and P99 are 40% better", Rule::Shouting);
        quiet("Approve INFRA-2231 so I can start", Rule::Shouting);
        quiet("Set `MAX_RETRIES` to 3", Rule::Shouting);
        quiet("Set MAX_RETRIES to 3", Rule::Shouting);
        quiet("I am OK with it", Rule::Shouting);
        quiet("Fix the build!", Rule::Shouting);
        quiet("Is it done??", Rule::Shouting);
        quiet("See https://example.com/STOP", Rule::Shouting);
    }

    #[test]
    fn constructive_feedback_must_ask_for_the_future() {
        let past = "The demo ran 20 minutes over and we lost the Q&A";
        let w = past_only(past, &lex()).unwrap();
        assert_eq!(w.rule, Rule::PastOnly);
        assert_eq!(w.found, past);
        for future in [
            "The demo ran 20 minutes over; next time could we keep a buffer?",
            "The demo ran over. Going forward, let's time-box it",
            "The demo ran over — would you try a 10-minute buffer?",
            "The demo ran over; can we agree a buffer?",
        ] {
            assert_eq!(past_only(future, &lex()), None, "{future}");
        }
        // "couldn't" asks nothing.
        assert!(past_only("I couldn't follow the demo", &lex()).is_some());
        let long = "a".repeat(100);
        assert_eq!(past_only(&long, &lex()).unwrap().found.chars().count(), 60);
        assert_eq!(past_only("  ", &lex()), None);
    }

    #[test]
    fn each_flag_once_in_the_order_it_appears_with_a_four_part_suggestion() {
        let w = check(
            "Obviously you failed to test it. You failed to test it, ALWAYS!!",
            &lex(),
        );
        let rules: Vec<(Rule, &str)> = w.iter().map(|w| (w.rule, w.found.as_str())).collect();
        assert_eq!(
            rules,
            [
                (Rule::Sarcasm, "Obviously"),
                (Rule::Blame, "you failed to"),
                (Rule::Absolute, "ALWAYS"),
                (Rule::Shouting, "ALWAYS"),
                (Rule::Shouting, "!!"),
            ]
        );
        for w in &w {
            for part in ["(fact)", "(behaviour)", "(impact)", "what could change"] {
                assert!(w.suggestion.contains(part), "{part}: {}", w.suggestion);
            }
        }
        let json = serde_json::to_value(&w[0]).unwrap();
        assert_eq!(json["rule"], "sarcasm");
        assert_eq!(json["found"], "Obviously");
        assert_eq!(json.as_object().unwrap().len(), 3);
        assert!(check("Shipped the exporter; p99 is 40% lower.", &lex()).is_empty());
    }

    #[test]
    fn the_users_words_add_to_and_take_from_the_lists() {
        let mine = "# mine\n[absolute]\n-never\nwithout exception\n[acronyms]\nRDSX\n\n[sarcasm]\nsure, jan\n";
        let l = lex().with_tone_words(mine, "tone-words.txt").unwrap();
        assert!(check("You will never guess", &l).is_empty());
        assert_eq!(
            check("It fails without exception", &l)[0].found,
            "without exception"
        );
        assert!(check("Ship RDSX today", &l).is_empty());
        assert_eq!(check("Sure, Jan", &l)[0].rule, Rule::Sarcasm);
        // The shipped lists are unchanged.
        assert_eq!(check("You will never guess", &lex())[0].found, "never");
        let e = lex()
            .with_tone_words("[absolut]\nx\n", "~/.config/upward/tone-words.txt")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("tone-words.txt line 1: unknown section [absolut] — accepted: [absolute]"),
            "{e}"
        );
        let e = lex()
            .with_tone_words("# a list\nnever\n", "tone-words.txt")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 2") && e.contains("before any section"),
            "{e}"
        );
        let j = lex()
            .with_jargon_words("-latency\nflux capacitor\n", "jargon-words.txt")
            .unwrap();
        assert!(jargon("latency is down", &j).is_empty());
        assert_eq!(
            jargon("The flux capacitor works", &j)[0].found,
            "flux capacitor"
        );
    }

    #[test]
    fn jargon_is_found_as_whole_words() {
        let found: Vec<String> = jargon(
            "Cut p99 latency on the Kubernetes cluster; the API is idempotent",
            &lex(),
        )
        .into_iter()
        .map(|w| w.found)
        .collect();
        assert_eq!(
            found,
            [
                "p99",
                "latency",
                "Kubernetes",
                "cluster",
                "API",
                "idempotent"
            ]
        );
        assert!(jargon("Checkout is faster for customers", &lex()).is_empty());
        assert!(jargon("The APIary is a podcast", &lex()).is_empty());
        assert_eq!(jargon("p99", &lex())[0].rule, Rule::Jargon);
    }

    #[test]
    fn items_are_checked_as_the_rules_of_their_kind_say() {
        use crate::{Clock, ItemInput};
        let clock = Clock::fixed("2026-11-25").unwrap();
        let item = |kind: Kind, input: ItemInput| Item::new(kind, input, &clock, 1).unwrap();
        let text = |t: &str| ItemInput {
            title: Some(t.into()),
            ..Default::default()
        };
        let constructive = item(
            Kind::Feedback,
            ItemInput {
                tone: Some(Tone::Constructive),
                body: Some("You always skip the retro".into()),
                ..text("Long meetings")
            },
        );
        let rules: Vec<Rule> = item_warnings(&constructive, &lex())
            .iter()
            .map(|w| w.rule)
            .collect();
        assert_eq!(rules, [Rule::Absolute, Rule::PastOnly]);
        let positive = item(Kind::Feedback, text("Great demo, you always prepare"));
        let rules: Vec<Rule> = item_warnings(&positive, &lex())
            .iter()
            .map(|w| w.rule)
            .collect();
        assert_eq!(
            rules,
            [Rule::Absolute],
            "no past-only rule for positive feedback"
        );
        let received = item(
            Kind::Feedback,
            ItemInput {
                direction: Some(Direction::Received),
                ..text("You never test")
            },
        );
        assert!(item_warnings(&received, &lex()).is_empty());
        let blocker = item(
            Kind::Blocker,
            ItemInput {
                ask: Some("Obviously approve RDS".into()),
                ..text("STOP everything")
            },
        );
        let found: Vec<String> = item_warnings(&blocker, &lex())
            .into_iter()
            .map(|w| w.found)
            .collect();
        assert_eq!(found, ["Obviously"], "the ask, not the title");
        assert!(item_warnings(&item(Kind::Win, text("NEVER AGAIN")), &lex()).is_empty());
    }
}
