//! What the fuzz targets share: a byte reader that turns fuzz input into values, and
//! [`exercise`], which runs every workflow and renderer over a snapshot and checks what must
//! hold whatever the data (no panic; user text never becomes HTML markup).

use jiff::civil::Date;
use jiff::{Span, Timestamp};
use std::collections::BTreeMap;
use upward_domain::enums::{Channel, DecidesBy, Length, Level, Status};
use upward_domain::export::{Export, FORMAT, VERSION};
use upward_domain::workflow::review::Review;
use upward_domain::workflow::{decline, intake, nudges, prep, reflect, review, update};
use upward_domain::{Clock, Duration, DurationUnit, Person, Snapshot};

/// Reads values from fuzz input; past its end every read gives zeros.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }

    pub fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((b, rest)) => {
                self.data = rest;
                *b
            }
            None => 0,
        }
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }

    pub fn bool(&mut self) -> bool {
        self.u8() & 1 == 1
    }

    pub fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.u8() as usize % from.len()]
    }

    /// A string of up to 255 bytes of the input (invalid UTF-8 replaced).
    pub fn string(&mut self) -> String {
        let n = (self.u8() as usize).min(self.data.len());
        let (s, rest) = self.data.split_at(n);
        self.data = rest;
        String::from_utf8_lossy(s).into_owned()
    }

    /// A date: near `today` most of the time, else anywhere upward accepts, edges included.
    pub fn date(&mut self, today: Date) -> Date {
        match self.u8() % 4 {
            0 => jiff::civil::date(1000, 1, 1),
            1 => jiff::civil::date(9999, 12, 31),
            2 => {
                let y = 1000 + (self.u16() % 9000) as i16;
                let m = 1 + (self.u8() % 12) as i8;
                let d = 1 + (self.u8() % 28) as i8;
                jiff::civil::date(y, m, d)
            }
            _ => shift(today, i64::from(self.u16() as i16)),
        }
    }

    pub fn duration(&mut self) -> Duration {
        let unit = self.pick(&[DurationUnit::Day, DurationUnit::Week, DurationUnit::Month]);
        let max = match unit {
            DurationUnit::Day => 3650,
            DurationUnit::Week => 520,
            DurationUnit::Month => 120,
        };
        Duration {
            n: u32::from(self.u16()) % (max + 1),
            unit,
        }
    }
}

/// `date` moved by `days`, held within the years upward accepts.
pub fn shift(date: Date, days: i64) -> Date {
    date.checked_add(Span::new().days(days))
        .ok()
        .filter(|d| (1000..=9999).contains(&d.year()))
        .unwrap_or(date)
}

/// A clock on `today`, at noon UTC.
pub fn clock_on(today: Date) -> Clock {
    let now = today
        .at(12, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    Clock::new(now, today)
}

/// Runs every workflow and renderer over `snap`, with choices (periods, channels, requests)
/// read from `b`, and checks the properties that hold for any data.
pub fn exercise(snap: &Snapshot, clock: &Clock, b: &mut Bytes) {
    let today = clock.today;
    let mut people: Vec<Person> = snap.people.clone();
    // Someone the snapshot does not know: workflows get people the store resolved, but must
    // not rely on finding them in the snapshot.
    if let Some(p) = people.first().cloned() {
        people.push(Person {
            name: format!("{} (not in snapshot)", p.name),
            ..p
        });
    }
    for person in &people {
        let agenda = prep::prep(snap, person, clock);
        let _ = upward_render::agenda::markdown(&agenda);
        let _ = agenda.item_count();
        let shared = prep::agenda(snap, person, clock, prep::Audience::Shared);
        let _ = upward_render::agenda::page(&shared, b.bool());
        let (shown, _) = shared.as_read(false);
        assert!(shown.item_count() <= shared.item_count());

        let input = update::UpdateInput {
            since: b.bool().then(|| b.date(today)),
            channel: b.bool().then(|| b.pick(Channel::ALL)),
            length: b.bool().then(|| b.pick(Length::ALL)),
            brief: b.bool(),
            ..Default::default()
        };
        let su = update::update(snap, person, input, clock);
        let _ = upward_render::update::text(&su);
        // The tone check reads any text the user wrote (docs/tone.md): it never panics, and
        // what it found is in the text.
        let text = b.string();
        let lexicon = upward_domain::tone::Lexicon::builtin();
        for w in upward_domain::tone::check_feedback(&text, &lexicon)
            .into_iter()
            .chain(upward_domain::tone::jargon(&text, &lexicon))
        {
            assert!(
                w.rule == upward_domain::tone::Rule::PastOnly || text.contains(&w.found),
                "{w:?} in {text:?}"
            );
        }

        let d = decline::decline(
            snap,
            person,
            &decline::DeclineInput {
                title: b.string(),
                reason: b.string(),
                alternatives: (0..b.u8() % 3).map(|_| b.string()).collect(),
                after: b.bool().then(|| b.date(today)),
                ..Default::default()
            },
            clock,
        );
        if let Ok(d) = d {
            let _ = upward_render::draft::text(&d);
        }

        let request = intake::IntakeInput {
            title: b.string(),
            from: person.name.clone(),
            due: b.date(today),
            effort: b.duration(),
            rank: b.bool().then(|| i64::from(b.u32())),
        };
        let analysis = intake::intake(snap, &request, clock);
        let _ = upward_render::intake::text(&analysis);
        let _ = intake::accept(&analysis, &request, clock);
    }

    let n = nudges::nudges(snap, clock);
    let _ = upward_render::nudges::text(&n, b.bool());

    for r in &snap.reflections {
        let t = reflect::trend(snap, r);
        let _ = upward_render::reflect::text(&t);
    }

    let (from, to) = (b.date(today), b.date(today));
    let packet = review::review(snap, from.min(to), from.max(to), clock);
    let _ = upward_render::review::markdown(&packet);
    let html = upward_render::review::html(&packet);
    check_review_page(&html, &packet);

    let doc = Export {
        format: FORMAT.into(),
        version: VERSION,
        exported: clock.now,
        people: snap.people.clone(),
        items: snap.items.clone(),
        meetings: snap.meetings.clone(),
        updates: snap.updates.clone(),
        reflections: snap.reflections.clone(),
        effects: Vec::new(),
        declines: Vec::new(),
        removed: Vec::new(),
    };
    let _ = upward_render::export::markdown(&doc);
}

/// Every tag the review page is made of, exactly as `upward_render::review::html` writes it,
/// with the element it opens (`None`: it closes one, or is the doctype) and the elements it may
/// appear in. A user's `<b>`, `<p>` or `<span>` is none of these (the renderer's paragraphs
/// and spans all have a class), and one that copies a tag of the renderer lands where the
/// renderer puts no such tag.
const OWN_TAGS: &[(&str, Option<&str>, &[&str])] = &[
    ("<!DOCTYPE html>", None, &[]),
    ("<html lang=\"en\">", Some("html"), &[]),
    ("<head>", Some("head"), &["html"]),
    ("<meta charset=\"utf-8\">", Some("meta"), &["head"]),
    (
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        Some("meta"),
        &["head"],
    ),
    ("<title>", Some("title"), &["head"]),
    ("<style>", Some("style"), &["head"]),
    ("<body>", Some("body"), &["html"]),
    ("<header>", Some("header"), &["body"]),
    ("<h1>", Some("h1"), &["header"]),
    ("<p class=\"period\">", Some("p.period"), &["header"]),
    ("<p class=\"summary\">", Some("p.summary"), &["header"]),
    ("<section>", Some("section"), &["body"]),
    ("<h2>", Some("h2"), &["section"]),
    ("<h3>", Some("h3"), &["section"]),
    ("<ul>", Some("ul"), &["section"]),
    ("<li>", Some("li"), &["ul"]),
    ("<strong>", Some("strong"), &["li"]),
    ("<span class=\"meta\">", Some("span.meta"), &["li"]),
    ("<span class=\"metric\">", Some("span.metric"), &["li"]),
    ("<p class=\"body\">", Some("p.body"), &["li"]),
    ("<br>", Some("br"), &["p.body"]),
];

/// Elements without a closing tag.
const VOID: &[&str] = &["meta", "br"];

/// What an entry (`<li>`) holds, in this order, each at most once.
const ENTRY: &[&str] = &["strong", "span.meta", "span.metric", "p.body"];

/// The entities `upward_render::review::escape` writes.
const ENTITIES: &[&str] = &["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];

/// Checks that the review page holds the renderer's markup and nothing else: every tag is one
/// the renderer writes, in a place where it writes it, properly closed; and all text between
/// tags is escaped (no `<`, `>`, quote or bare `&`). So any user text that reached the page
/// unescaped and looks like markup (a `<b>`, a `</p>`, an attribute) fails it. Returns how
/// many of each element the page has (`p.body`, `span.meta`, … for the classed ones).
pub fn check_markup(html: &str) -> BTreeMap<&'static str, usize> {
    let fail = |at: usize, why: &str| -> ! {
        panic!(
            "unescaped markup in the review page at byte {at} ({why}): {:?}",
            &html[at..html.len().min(at + 60)]
        )
    };
    assert!(html.starts_with("<!DOCTYPE html>"), "no doctype first");
    // Open elements, each with how far its entry has got (for `<li>`).
    let mut open: Vec<(&str, usize)> = Vec::new();
    let mut count: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut at = 0;
    while at < html.len() {
        let rest = &html[at..];
        if !rest.starts_with('<') {
            let text_end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..text_end];
            // The style sheet is the renderer's own text.
            if open.last().map(|(e, _)| *e) != Some("style") {
                for (i, c) in text.char_indices() {
                    match c {
                        '>' | '"' | '\'' => fail(at + i, "a character that must be escaped"),
                        '&' if !ENTITIES.iter().any(|e| text[i..].starts_with(e)) => {
                            fail(at + i, "a bare &")
                        }
                        _ => {}
                    }
                }
            }
            at += text_end;
            continue;
        }
        let Some(end) = rest.find('>') else {
            fail(at, "a tag that does not end")
        };
        let tag = &rest[..=end];
        if let Some(name) = tag.strip_prefix("</").and_then(|t| t.strip_suffix('>')) {
            match open.pop() {
                Some((element, _)) if element.split('.').next() == Some(name) => {}
                _ => fail(at, "a closing tag that closes nothing the renderer opened"),
            }
        } else {
            let Some((_, element, parents)) = OWN_TAGS.iter().find(|(t, _, _)| *t == tag) else {
                fail(at, "not a tag of the renderer")
            };
            if let Some(element) = element {
                let parent = open.last_mut();
                let allowed = match parent {
                    None => parents.is_empty(),
                    Some((p, reached)) => {
                        parents.contains(p)
                            && (*p != "li" || {
                                // Entries keep their parts in order, each once.
                                let part = ENTRY.iter().position(|e| e == element).unwrap_or(0);
                                let ok = part >= *reached;
                                *reached = part + 1;
                                ok
                            })
                    }
                };
                if !allowed {
                    fail(at, "a tag of the renderer where the renderer puts none");
                }
                *count.entry(element).or_default() += 1;
                if !VOID.contains(element) {
                    open.push((element, 0));
                }
            }
        }
        at += tag.len();
    }
    assert!(open.is_empty(), "elements left open: {open:?}");
    count
}

/// [`check_markup`], and the page has exactly the elements the renderer writes for `review`
/// (`upward_render::review::blocks`: a section per block, a list item per entry, a body
/// paragraph per text with lines, …), so that no user text copying the renderer's own tags
/// (a title ending `</strong></li><li><strong>`) passes either.
pub fn check_review_page(html: &str, review: &Review) {
    let count = check_markup(html);
    let lines = |body: &Option<String>| {
        body.as_deref().map_or(0, |b| {
            b.lines().map(str::trim).filter(|l| !l.is_empty()).count()
        })
    };
    let wins: Vec<_> = review.wins.iter().flat_map(|g| &g.wins).collect();
    let blocks = [
        !review.wins.is_empty(),
        !review.expectations.is_empty(),
        !review.feedback.is_empty(),
        !review.goals.is_empty(),
        true, // Follow-through
    ]
    .into_iter()
    .filter(|b| *b)
    .count();
    // Follow-through: promises, my actions, then one entry per renegotiated promise.
    let entries = wins.len()
        + review.expectations.len()
        + review.feedback.len()
        + review.goals.len()
        + 2
        + review.renegotiated.len();
    let bodies: Vec<usize> = wins
        .iter()
        .map(|w| lines(&w.body))
        .chain(review.feedback.iter().map(|f| lines(&f.body)))
        .chain(review.goals.iter().map(|g| lines(&g.body)))
        .collect();
    let want = [
        ("html", 1),
        ("head", 1),
        ("meta", 2),
        ("title", 1),
        ("style", 1),
        ("body", 1),
        ("header", 1),
        ("h1", 1),
        ("p.period", 1),
        ("p.summary", 1),
        ("section", blocks),
        ("h2", blocks),
        ("h3", review.wins.len()),
        (
            "ul",
            review.wins.len() + blocks - usize::from(!review.wins.is_empty()),
        ),
        ("li", entries),
        ("strong", entries),
        (
            "span.meta",
            wins.len()
                + review.expectations.len()
                + review.feedback.len()
                + review
                    .renegotiated
                    .iter()
                    .filter(|p| p.person.is_some())
                    .count(),
        ),
        (
            "span.metric",
            wins.iter().filter(|w| w.metric.is_some()).count(),
        ),
        ("p.body", bodies.iter().filter(|n| **n > 0).count()),
        ("br", bodies.iter().map(|n| n.saturating_sub(1)).sum()),
    ];
    for (element, n) in want {
        assert_eq!(
            count.get(element).copied().unwrap_or(0),
            n,
            "the review page has a {element} the renderer did not write (or lacks one): {count:?}"
        );
    }
}

/// Random styles, for people whose text and dates are fuzzed.
pub fn fuzz_style(p: &mut Person, b: &mut Bytes) {
    p.length = b.bool().then(|| b.pick(Length::ALL));
    p.channel = b.bool().then(|| b.pick(Channel::ALL));
    p.decides_by = b.bool().then(|| b.pick(DecidesBy::ALL));
    p.feedback = b.bool().then(|| b.pick(Level::ALL));
    p.cadence = b.bool().then(|| b.duration());
    p.archived = b.u8() == 0xff;
}

pub const STATUSES: &[Status] = &[Status::Open, Status::Done, Status::Dropped];

#[cfg(test)]
mod tests {
    use super::{check_markup, check_review_page};
    use upward_domain::workflow::{review, tour};
    use upward_domain::{Clock, Kind};

    /// The review packet of the tour's sample with one win titled `TITLE …` and with a body
    /// of two lines, `BODY …` and another, and its page, which escapes them.
    fn packet() -> (review::Review, String) {
        let clock = Clock::fixed("2026-11-23").unwrap();
        let mut snap = tour::sample(&clock);
        let win = snap.items.iter_mut().find(|i| i.kind == Kind::Win).unwrap();
        win.title = "TITLE <b>bold</b> & \"quoted\" 'too'".into();
        win.body = Some("BODY <p>first</p>\n  \nsecond <span>line</span>".into());
        let r = review::review(&snap, jiff::civil::date(2026, 1, 1), clock.today, &clock);
        let page = upward_render::review::html(&r);
        assert!(page.contains("TITLE &lt;b&gt;"), "{page}");
        assert!(
            page.contains("BODY &lt;p&gt;first&lt;/p&gt;<br>second"),
            "{page}"
        );
        (r, page)
    }

    /// Whether the check rejects the page with `raw` in place of `mark`, as if the renderer
    /// had let that user text through unescaped.
    fn rejects(mark: &str, raw: &str) -> bool {
        let (r, page) = packet();
        let bad = page.replacen(mark, raw, 1);
        std::panic::catch_unwind(|| check_review_page(&bad, &r)).is_err()
    }

    #[test]
    fn the_renderers_page_passes() {
        let (r, page) = packet();
        let count = check_markup(&page);
        assert_eq!((count["br"], count["p.body"]), (1, 3), "{count:?}");
        check_review_page(&page, &r);
    }

    #[test]
    fn user_markup_that_reached_the_page_fails() {
        for raw in [
            "<b>bold</b>",
            "<p>para</p>",
            "<span>s</span>",
            "<br/>",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<span class=\"meta\">x</span>",
            "</strong><strong>",
            "</strong></li><li><strong>",
            "</strong></li></ul><h3>x</h3><ul><li><strong>",
            "a > b",
            "say \"hi\"",
            "it's",
            "Q&A",
            "<b",
        ] {
            assert!(rejects("TITLE", raw), "passed in a title: {raw:?}");
            assert!(rejects("BODY", raw), "passed in a body: {raw:?}");
        }
        // The renderer's own line break, written by the user into a body.
        assert!(rejects("BODY", "one<br>two"));
        // Escaped, the same texts pass.
        let escaped = "&lt;b&gt;bold&lt;/b&gt; Q&amp;A it&#39;s &quot;hi&quot;";
        assert!(!rejects("TITLE", escaped) && !rejects("BODY", escaped));
    }
}
