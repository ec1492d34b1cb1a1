//! Numbers worth keeping as a win's metric, found in free text (commit messages, journal
//! entries): `p99 -38%`, `3x faster`, `saves 20 min`, `from 420ms to 260ms`
//! (docs/importers.md#metrics).
//!
//! A number is a measure when it carries a percent sign, a multiplier with a comparison
//! (`3x faster`, `2 times fewer`), a unit of time, size or rate (`20 min`, `420ms`, `2 GB`,
//! `1.2k rps`), or a currency sign (`$40k`). What it measures is the word before it, through
//! `by`, `to` and the like (`p99 by 38%`). Other numbers are not metrics: issue and ticket
//! numbers (`#123`, `PAY-12`), versions (`v1.2.3`), dates, counts of things (`3 files`),
//! `retry 3x`, `HTTP/2`, `p99` alone.

/// Words between a measure and what it measures (`p99 by 38%`, `latency from 420ms`).
const CONNECTORS: &[&str] = &[
    "by", "to", "from", "of", "about", "around", "nearly", "almost", "over", "under", "than",
    "down", "up", "~",
];

/// Words that are not what a measure measures (`the 38%`, `and 3x faster`).
const STOPWORDS: &[&str] = &[
    "the", "a", "an", "and", "or", "with", "in", "on", "for", "is", "was", "are", "were", "it",
    "this", "that", "we", "i", "our", "my", "at", "per", "after", "before", "since", "now", "only",
    "just", "all", "its", "be", "been", "which", "so", "but",
];

/// What a multiplier compares (`3x faster`).
const COMPARATIVES: &[&str] = &[
    "faster",
    "slower",
    "quicker",
    "smaller",
    "larger",
    "bigger",
    "cheaper",
    "fewer",
    "less",
    "more",
    "higher",
    "lower",
    "better",
    "throughput",
    "speedup",
    "reduction",
    "improvement",
];

/// Units a number measures in: time, size, rate.
const UNITS: &[&str] = &[
    "ns", "us", "µs", "ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute",
    "minutes", "h", "hr", "hrs", "hour", "hours", "day", "days", "week", "weeks", "kb", "mb", "gb",
    "tb", "kib", "mib", "gib", "tib", "rps", "qps", "req/s", "ops/s", "tps",
];

/// The most metrics kept for one item.
pub const MAX_METRICS: usize = 5;

/// The metrics in `text`, in order, each once (case-insensitive), at most [`MAX_METRICS`].
pub fn extract(text: &str) -> Vec<String> {
    let text = super::printable(text);
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let words: Vec<String> = tokens.iter().map(|t| clean(t)).collect();
    // Spans of tokens (start, end inclusive), in order.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let Some(end) = measure_at(&words, i) else {
            i += 1;
            continue;
        };
        // `from 420ms to 260ms`: the second measure joins the first.
        if let Some(last) = spans.last_mut()
            && last.1 + 2 == i
            && words[i - 1].eq_ignore_ascii_case("to")
        {
            last.1 = end;
            i = end + 1;
            continue;
        }
        let mut start = i;
        // Back through connectors to the one word that says what is measured: not past the
        // end of a sentence or a clause (`ms, 121 ms`), nor into the measure before.
        let floor = spans.last().map_or(0, |s| s.1 + 1);
        let mut j = i;
        while j > floor {
            if tokens[j - 1].ends_with([',', ';', ':', '.', '!', '?']) {
                break;
            }
            let w = words[j - 1].to_lowercase();
            if CONNECTORS.contains(&w.as_str()) {
                j -= 1;
                continue;
            }
            if is_word(&w) && !STOPWORDS.contains(&w.as_str()) {
                start = j - 1;
            } else if j < i {
                // Connectors with nothing measured before them are not kept.
                start = i;
            }
            break;
        }
        spans.push((start, end));
        i = end + 1;
    }
    let mut out: Vec<String> = Vec::new();
    for (start, end) in spans {
        let mut phrase = tokens[start..=end].join(" ");
        // Punctuation that ends the sentence is not part of the metric.
        while let Some(c) = phrase.chars().last()
            && ".,;:!?)]\"'".contains(c)
        {
            phrase.pop();
        }
        let phrase = phrase.trim_start_matches(['(', '[', '"', '\'']).to_string();
        if !phrase.is_empty()
            && !out.iter().any(|m| m.eq_ignore_ascii_case(&phrase))
            && out.len() < MAX_METRICS
        {
            out.push(phrase);
        }
    }
    out
}

/// A token without the punctuation around it (`(38%),` → `38%`).
fn clean(token: &str) -> String {
    token
        .trim_start_matches(['(', '[', '"', '\'', '*', '_'])
        .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '"', '\'', '*', '_'])
        .to_string()
}

/// A word says what is measured: it has a letter (`p99`, `latency`), and is not a ticket,
/// an issue number or a version.
fn is_word(w: &str) -> bool {
    w.chars().any(char::is_alphabetic) && !w.starts_with('#')
}

/// The last token of the measure that starts at token `i`, if one does.
fn measure_at(words: &[String], i: usize) -> Option<usize> {
    let w = words[i].as_str();
    let next = words.get(i + 1).map(|n| n.to_lowercase());
    let next_is = |list: &[&str]| next.as_deref().is_some_and(|n| list.contains(&n));
    if is_percent(w) || is_money(w) {
        return Some(i);
    }
    // `3x faster`, `2.5× smaller`
    if let Some(n) = w.strip_suffix(['x', '×'])
        && is_number(n)
        && next_is(COMPARATIVES)
    {
        return Some(i + 1);
    }
    if is_number(w) {
        // `3 times faster`
        if next.as_deref() == Some("times")
            && words
                .get(i + 2)
                .is_some_and(|c| COMPARATIVES.contains(&c.to_lowercase().as_str()))
        {
            return Some(i + 2);
        }
        // `20 min`, `2 GB`
        if next_is(UNITS) {
            return Some(i + 1);
        }
        return None;
    }
    // `420ms`, `1.5s`, `2GB`, `1.2k rps`
    let digits = w
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(w.len(), |(at, _)| at);
    let (n, unit) = w.split_at(digits);
    if !is_number(n) {
        return None;
    }
    let unit = unit.to_lowercase();
    if UNITS.contains(&unit.as_str()) {
        return Some(i);
    }
    if (unit == "k" || unit == "m") && next_is(UNITS) {
        return Some(i + 1);
    }
    None
}

/// `38`, `1.5`, `12,000` (digits first and last).
fn is_number(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_digit())
        && s.ends_with(|c: char| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && !s.contains("..")
        && s.matches('.').count() <= 1
}

/// `38%`, `-38%`, `+12.5%`, `−4%`.
fn is_percent(s: &str) -> bool {
    s.strip_suffix('%')
        .map(|n| n.trim_start_matches(['-', '+', '−', '~']))
        .is_some_and(is_number)
}

/// `$40k`, `€1,200`, `£3.5M` (not `$1`, a shell's argument).
fn is_money(s: &str) -> bool {
    let Some(amount) = s.strip_prefix(['$', '€', '£']) else {
        return false;
    };
    let n = amount.trim_end_matches(['k', 'K', 'm', 'M']);
    is_number(n) && (n.len() < amount.len() || n.len() >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        extract(text)
    }

    #[test]
    fn a_percentage_keeps_what_it_measures() {
        assert_eq!(found("perf: p99 -38% on checkout"), ["p99 -38%"]);
        assert_eq!(
            found("Cut checkout p99 by 38% after the cache change."),
            ["p99 by 38%"]
        );
        assert_eq!(found("errors down 12.5%"), ["errors down 12.5%"]);
        // Near miss: a ticket and an issue number are not metrics.
        assert!(found("PAY-38 fix #38 for p99").is_empty());
    }

    #[test]
    fn a_multiplier_needs_a_comparison() {
        assert_eq!(found("builds 3x faster with sccache"), ["builds 3x faster"]);
        assert_eq!(found("2 times fewer pages"), ["2 times fewer"]);
        // Near misses: a retry count, a hex number, an architecture.
        assert!(found("retry 3x on timeout").is_empty());
        assert!(found("mask 0x1F on x86").is_empty());
    }

    #[test]
    fn a_number_with_a_unit_is_a_metric_and_a_count_is_not() {
        assert_eq!(
            found("Onboarding script saves 20 min per new hire."),
            ["saves 20 min"]
        );
        assert_eq!(found("cold start 1.5s"), ["start 1.5s"]);
        assert_eq!(found("image shrinks by 2 GB"), ["shrinks by 2 GB"]);
        assert_eq!(found("handles 1.2k rps"), ["handles 1.2k rps"]);
        // Near misses: counts of things, a version, a date, a protocol, a percentile alone.
        assert!(found("split into 3 files").is_empty());
        assert!(found("bump serde to v1.0.200").is_empty());
        assert!(found("release 2026-10-02 notes").is_empty());
        assert!(found("HTTP/2 and OAuth2 for p99").is_empty());
    }

    #[test]
    fn from_one_measure_to_another_is_one_metric() {
        assert_eq!(
            found("latency from 420ms to 260ms."),
            ["latency from 420ms to 260ms"]
        );
        // Near miss: two measures in different places stay two.
        assert_eq!(found("p50 -10%, p99 -38%"), ["p50 -10%", "p99 -38%"]);
    }

    #[test]
    fn money_counts_and_each_metric_is_kept_once() {
        assert_eq!(found("saves $40k a year"), ["saves $40k"]);
        assert_eq!(found("p99 -38% (p99 -38% again)"), ["p99 -38%"]);
        // Near miss: a dollar sign on a shell variable.
        assert!(found("read $HOME and $1").is_empty());
    }

    #[test]
    fn a_measure_with_nothing_before_it_stands_alone() {
        assert_eq!(found("38% fewer errors"), ["38%"]);
        assert_eq!(found("the 3x faster path"), ["3x faster"]);
    }

    #[test]
    fn what_is_measured_stays_in_its_clause() {
        assert_eq!(
            found("RESULTS.md: 28 ms, 121 ms and 834 ms"),
            ["28 ms", "121 ms", "834 ms"]
        );
        // Near miss: the same words without the punctuation.
        assert_eq!(
            found("warm 28 ms cold 121 ms"),
            ["warm 28 ms", "cold 121 ms"]
        );
    }

    #[test]
    fn at_most_five_are_kept() {
        let text = "a 1% b 2% c 3% d 4% e 5% f 6%";
        assert_eq!(found(text).len(), MAX_METRICS);
    }
}
