//! Renders the review packet as markdown and as a standalone printable HTML page.
//!
//! Both are drawn from one list of blocks built here, so the two formats always say the same
//! thing. The HTML page has its styles inline and no external assets (it must print, and open
//! from a mail attachment), and every piece of user text in it goes through [`escape`].

use std::borrow::Cow;
use std::fmt::Write as _;
use upward_domain::Status;
use upward_domain::Tone;
use upward_domain::words::{day, long_day, plural, relative};
use upward_domain::workflow::review::{Review, Tally};

/// One line of the packet: a bold title, a parenthesised note, then sentences; a body below.
/// The text comes from the packet where it can (a long packet holds hundreds of entries).
#[derive(Default)]
struct Entry<'a> {
    title: Option<Cow<'a, str>>,
    meta: Option<String>,
    metric: Option<&'a str>,
    sentences: Vec<Cow<'a, str>>,
    body: Option<&'a str>,
}

struct Group<'a> {
    heading: Option<String>,
    entries: Vec<Entry<'a>>,
}

struct Block<'a> {
    heading: &'static str,
    groups: Vec<Group<'a>>,
}

fn title(r: &Review) -> String {
    match &r.me {
        Some(me) => format!("Review packet: {me}"),
        None => "Review packet".to_string(),
    }
}

fn period(r: &Review) -> String {
    let mut s = format!(
        "{} to {}. Prepared {}",
        long_day(r.from),
        long_day(r.to),
        long_day(r.date)
    );
    if let Some(m) = &r.manager {
        s.push_str(&format!(" for a conversation with {m}"));
    }
    s.push('.');
    s
}

fn summary(r: &Review) -> String {
    let wins = r.win_count();
    let themes = r.wins.iter().filter(|g| g.tag.is_some()).count();
    let mut parts = vec![if themes > 1 {
        format!("{} in {themes} themes", plural(wins, "win"))
    } else {
        plural(wins, "win")
    }];
    if !r.expectations.is_empty() {
        let met = r
            .expectations
            .iter()
            .filter(|e| e.status == Status::Done)
            .count();
        let n = plural(r.expectations.len(), "expectation");
        parts.push(if met > 0 {
            format!("{n} ({met} met)")
        } else {
            n
        });
    }
    if !r.feedback.is_empty() {
        let n = r.feedback.len();
        parts.push(format!(
            "{n} piece{} of feedback received",
            if n == 1 { "" } else { "s" }
        ));
    }
    if !r.goals.is_empty() {
        parts.push(plural(r.goals.len(), "career goal"));
    }
    format!("{}.", parts.join(", "))
}

fn blocks(r: &Review) -> Vec<Block<'_>> {
    let on = |d| day(d, r.date);
    let mut blocks = Vec::new();
    if !r.wins.is_empty() {
        blocks.push(Block {
            heading: "Wins",
            groups: r
                .wins
                .iter()
                .map(|g| Group {
                    heading: Some(format!(
                        "{} ({})",
                        g.tag.as_deref().unwrap_or("Other"),
                        g.wins.len()
                    )),
                    entries: g
                        .wins
                        .iter()
                        .map(|w| {
                            let mut sentences: Vec<Cow<str>> =
                                w.impact.iter().map(|i| Cow::Borrowed(i.as_str())).collect();
                            let others: Vec<&str> =
                                w.tags.iter().skip(1).map(String::as_str).collect();
                            if !others.is_empty() {
                                sentences.push(format!("Also: {}", others.join(", ")).into());
                            }
                            Entry {
                                title: Some(Cow::Borrowed(&w.title)),
                                meta: Some(on(w.date)),
                                metric: w.metric.as_deref(),
                                sentences,
                                body: w.body.as_deref(),
                            }
                        })
                        .collect(),
                })
                .collect(),
        });
    }
    if !r.expectations.is_empty() {
        let entries = r
            .expectations
            .iter()
            .map(|e| {
                let mut sentences: Vec<Cow<str>> = vec![match &e.metric {
                    Some(m) => format!("Measured by {m}").into(),
                    None => "No metric agreed yet".into(),
                }];
                let wins = |list: &[upward_domain::workflow::review::Evidence]| {
                    list.iter()
                        .map(|w| match &w.metric {
                            Some(m) => format!("{} ({m}, {})", w.title, on(w.date)),
                            None => format!("{} ({})", w.title, on(w.date)),
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                sentences.push(match (e.status, e.met) {
                    (Status::Done, Some(m)) => format!("Met {}", on(m)).into(),
                    (Status::Done, None) => "Met".into(),
                    _ if !e.met_by.is_empty() => format!("Met by {}", wins(&e.met_by)).into(),
                    _ => "Ongoing".into(),
                });
                if e.status == Status::Done && !e.met_by.is_empty() {
                    sentences.push(format!("Met by {}", wins(&e.met_by)).into());
                }
                if !e.evidence.is_empty() {
                    let list: Vec<String> = e
                        .evidence
                        .iter()
                        .map(|w| match &w.metric {
                            Some(m) => format!("{} ({m})", w.title),
                            None => w.title.clone(),
                        })
                        .collect();
                    sentences.push(format!("Evidence: {}", list.join("; ")).into());
                }
                Entry {
                    title: Some(Cow::Borrowed(&e.title)),
                    meta: Some(match e.confirmed {
                        Some(c) => format!("confirmed {}", on(c)),
                        None => "not yet confirmed".to_string(),
                    }),
                    sentences,
                    ..Default::default()
                }
            })
            .collect();
        blocks.push(Block {
            heading: "Expectations",
            groups: vec![Group {
                heading: None,
                entries,
            }],
        });
    }
    if !r.feedback.is_empty() {
        let entries = r
            .feedback
            .iter()
            .map(|f| {
                let mut meta = Vec::new();
                if let Some(p) = &f.person {
                    meta.push(p.clone());
                }
                meta.push(on(f.date));
                meta.push(
                    match f.tone {
                        Some(Tone::Constructive) => "constructive",
                        _ => "positive",
                    }
                    .to_string(),
                );
                Entry {
                    title: Some(Cow::Borrowed(&f.title)),
                    meta: Some(meta.join(", ")),
                    body: f.body.as_deref(),
                    ..Default::default()
                }
            })
            .collect();
        blocks.push(Block {
            heading: "Feedback received",
            groups: vec![Group {
                heading: None,
                entries,
            }],
        });
    }
    if !r.goals.is_empty() {
        let entries = r
            .goals
            .iter()
            .map(|g| {
                let status = if g.status == Status::Done {
                    "Reached"
                } else {
                    "Open"
                };
                let discussed = match g.last_discussed {
                    Some(d) => format!("Last discussed {} ({})", on(d), relative(d, r.date)),
                    None => "Never discussed".to_string(),
                };
                let mut sentences: Vec<Cow<str>> = vec![status.into(), discussed.into()];
                if !g.wins.is_empty() {
                    let list: Vec<String> = g
                        .wins
                        .iter()
                        .map(|w| match &w.metric {
                            Some(m) => format!("{} ({m})", w.title),
                            None => w.title.clone(),
                        })
                        .collect();
                    sentences.push(format!("Wins towards it: {}", list.join("; ")).into());
                }
                Entry {
                    title: Some(Cow::Borrowed(&g.title)),
                    sentences,
                    body: g.body.as_deref(),
                    ..Default::default()
                }
            })
            .collect();
        blocks.push(Block {
            heading: "Career goals",
            groups: vec![Group {
                heading: None,
                entries,
            }],
        });
    }
    // My follow-through only: the packet is prepared for my manager, whose own actions are
    // theirs to account for, not mine to score.
    let p = r.follow_through.promises;
    let mut promises = format!(
        "{} kept on time, {} kept late, {} still open",
        p.kept_on_time, p.kept_late, p.open
    );
    if p.dropped_late > 0 {
        promises.push_str(&format!(", {} dropped after the due date", p.dropped_late));
    }
    if let Some(rate) = p.on_time_rate {
        let of = if p.dropped_late > 0 {
            "of kept or dropped-late promises"
        } else {
            "of kept promises"
        };
        promises.push_str(&format!(" ({rate}% {of} on time)"));
    }
    let tally = |t: Tally| {
        let mut s = format!("{} done, {} open", t.done, t.open);
        if t.dropped_late > 0 {
            s.push_str(&format!(", {} dropped after the due date", t.dropped_late));
        }
        s
    };
    let figure = |title: &'static str, text: String| Entry {
        title: Some(title.into()),
        sentences: vec![text.into()],
        ..Default::default()
    };
    let mut entries = vec![
        figure("Promises", promises),
        figure("My actions", tally(r.follow_through.actions.me)),
    ];
    // Each renegotiated promise, so the figures above read honestly.
    for p in &r.renegotiated {
        let mut text = p.summary();
        if let (Some(first), Some(due)) = (p.original_due, p.due) {
            text.push_str(&format!(
                " (first promised for {}, then {})",
                on(first),
                on(due)
            ));
        }
        entries.push(Entry {
            title: Some(Cow::Borrowed(&p.title)),
            meta: p.person.as_ref().map(|n| format!("to {n}")),
            sentences: vec![upward_domain::words::capitalize(&text).into()],
            ..Default::default()
        });
    }
    blocks.push(Block {
        heading: "Follow-through",
        groups: vec![Group {
            heading: None,
            entries,
        }],
    });
    blocks
}

/// The packet as the web app draws it: the same title, period, summary, headings and
/// entries as [`markdown`] and [`html`], as owned data for another template.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    pub title: String,
    pub period: String,
    pub summary: String,
    pub sections: Vec<Section>,
}

/// A heading of the packet and its groups (the wins have one per tag).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub heading: &'static str,
    pub groups: Vec<SectionGroup>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SectionGroup {
    pub heading: Option<String>,
    pub entries: Vec<OutlineEntry>,
}

/// One entry: a title, a note after it, then its sentences (metric first, joined with full
/// stops as the packet prints them), and a body below.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub title: Option<String>,
    pub meta: Option<String>,
    pub text: String,
    pub body: Option<String>,
}

/// The packet's parts, worded as [`markdown`] and [`html`] word them.
pub fn outline(r: &Review) -> Outline {
    Outline {
        title: title(r),
        period: period(r),
        summary: summary(r),
        sections: blocks(r)
            .into_iter()
            .map(|b| Section {
                heading: b.heading,
                groups: b
                    .groups
                    .into_iter()
                    .map(|g| SectionGroup {
                        heading: g.heading,
                        entries: g
                            .entries
                            .iter()
                            .map(|e| OutlineEntry {
                                title: e.title.as_ref().map(|t| t.to_string()),
                                meta: e.meta.clone(),
                                text: sentences(metric_and_sentences(e)),
                                body: e.body.map(str::to_string),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Sentences joined with full stops, whether or not the user ended theirs with one.
fn sentences<'s>(parts: impl IntoIterator<Item = &'s str>) -> String {
    let mut out = String::new();
    write_sentences(&mut out, parts);
    out
}

/// [`sentences`], written at the end of `out`.
fn write_sentences<'s>(out: &mut String, parts: impl IntoIterator<Item = &'s str>) {
    let mut any = false;
    for part in parts
        .into_iter()
        .map(|s| s.trim().trim_end_matches('.'))
        .filter(|s| !s.is_empty())
    {
        if any {
            out.push_str(". ");
        }
        out.push_str(part);
        any = true;
    }
    if any {
        out.push('.');
    }
}

/// The metric (when there is one) and the sentences of an entry, in that order.
fn metric_and_sentences<'s>(e: &'s Entry) -> impl Iterator<Item = &'s str> {
    e.metric
        .into_iter()
        .chain(e.sentences.iter().map(|s| s.as_ref()))
}

pub fn markdown(review: &Review) -> String {
    // The parts of the packet, one blank line between each.
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "# {}\n\n{}\n\n{}",
        title(review),
        period(review),
        summary(review)
    );
    for block in blocks(review) {
        let _ = write!(s, "\n\n## {}", block.heading);
        for group in block.groups {
            if let Some(h) = group.heading {
                let _ = write!(s, "\n\n### {h}");
            }
            s.push_str("\n\n");
            for (i, e) in group.entries.iter().enumerate() {
                if i > 0 {
                    s.push('\n');
                }
                markdown_entry(&mut s, e);
            }
        }
    }
    s.push('\n');
    s
}

/// One entry as a markdown list item, written at the end of `out`.
fn markdown_entry(out: &mut String, e: &Entry) {
    out.push_str("- ");
    if let Some(t) = &e.title {
        let _ = write!(out, "**{t}**");
    }
    if let Some(m) = &e.meta {
        let _ = write!(out, " ({m})");
    }
    let before = out.len();
    out.push_str(": ");
    write_sentences(out, metric_and_sentences(e));
    if out.len() == before + 2 {
        out.truncate(before);
    }
    for l in e
        .body
        .iter()
        .flat_map(|b| b.lines())
        .filter(|l| !l.trim().is_empty())
    {
        out.push_str("\n  ");
        out.push_str(l.trim());
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
  :root { color-scheme: light; }
  body { font: 15px/1.55 system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif; color: #1b1b1b;
         max-width: 46rem; margin: 2.5rem auto; padding: 0 1.25rem; }
  h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; padding-bottom: .2rem; border-bottom: 1px solid #d0d0d0; }
  h3 { font-size: 1rem; margin: 1.1rem 0 .3rem; color: #333; }
  .period, .summary { margin: .2rem 0; color: #555; }
  ul { margin: .3rem 0; padding-left: 1.2rem; }
  li { margin: .35rem 0; }
  .meta { color: #666; }
  .metric { font-weight: 600; font-variant-numeric: tabular-nums; }
  .body { margin: .2rem 0 0; color: #444; font-size: .93em; white-space: normal; }
  @media print {
    body { margin: 0; max-width: none; font-size: 10.5pt; color: #000; }
    h2 { break-after: avoid; }
    h3 { break-after: avoid; }
    li { break-inside: avoid; }
    .meta, .period, .summary, .body { color: #333; }
  }
";

pub fn html(review: &Review) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&title(review))));
    out.push_str(&format!(
        "<style>{STYLE}</style>\n</head>\n<body>\n<header>\n"
    ));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&title(review))));
    out.push_str(&format!(
        "<p class=\"period\">{}</p>\n",
        escape(&period(review))
    ));
    out.push_str(&format!(
        "<p class=\"summary\">{}</p>\n</header>\n",
        escape(&summary(review))
    ));
    for block in blocks(review) {
        out.push_str(&format!("<section>\n<h2>{}</h2>\n", escape(block.heading)));
        for group in block.groups {
            if let Some(h) = group.heading {
                out.push_str(&format!("<h3>{}</h3>\n", escape(&h)));
            }
            out.push_str("<ul>\n");
            for e in &group.entries {
                out.push_str(&format!("<li>{}</li>\n", html_entry(e)));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn html_entry(e: &Entry) -> String {
    let mut s = String::new();
    if let Some(t) = &e.title {
        s.push_str(&format!("<strong>{}</strong>", escape(t)));
    }
    if let Some(m) = &e.meta {
        s.push_str(&format!(" <span class=\"meta\">({})</span>", escape(m)));
    }
    let rest = sentences(e.sentences.iter().map(|s| s.as_ref()));
    match (&e.metric, rest.is_empty()) {
        (Some(m), _) => {
            let m = m.trim().trim_end_matches('.');
            s.push_str(&format!(": <span class=\"metric\">{}</span>.", escape(m)));
            if !rest.is_empty() {
                s.push_str(&format!(" {}", escape(&rest)));
            }
        }
        (None, false) => s.push_str(&format!(": {}", escape(&rest))),
        (None, true) => {}
    }
    if let Some(body) = &e.body {
        let lines: Vec<String> = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(escape)
            .collect();
        if !lines.is_empty() {
            s.push_str(&format!("<p class=\"body\">{}</p>", lines.join("<br>")));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use upward_domain::workflow::review::review;
    use upward_domain::workflow::tour::sample;
    use upward_domain::{Clock, Item, ItemInput, Kind, Snapshot};

    fn clock() -> Clock {
        Clock::fixed("2026-11-23").unwrap()
    }

    fn packet(s: &Snapshot) -> Review {
        review(s, date(2026, 5, 23), clock().today, &clock())
    }

    #[test]
    fn markdown_snapshot_of_the_sample() {
        let s = sample(&clock());
        insta::assert_snapshot!("review_markdown", markdown(&packet(&s)));
        insta::assert_snapshot!("review_html", html(&packet(&s)));
    }

    #[test]
    fn markdown_groups_wins_and_states_follow_through() {
        let s = sample(&clock());
        let md = markdown(&packet(&s));
        assert!(md.starts_with("# Review packet: Sam Rivera\n\nSat 23 May 2026 to Mon 23 Nov 2026. Prepared Mon 23 Nov 2026 for a conversation with Dana Whitfield.\n"), "{md}");
        assert!(md.contains("7 wins in 5 themes, 2 expectations, 2 pieces of feedback received, 1 career goal.\n"), "{md}");
        assert!(md.contains("### devex (2)\n\n- **Halved CI build time** (Fri 23 Oct): CI 22 to 11 min. Saves the team about 6 engineer-hours a week. Also: perf.\n"), "{md}");
        assert!(md.contains("### perf (1)\n\n- **Cut checkout p99 latency** (Mon 31 Aug): p99 -38% (480 to 298 ms). Checkout is back under the 300 ms SLO at peak.\n  Profiled the cart service"), "{md}");
        assert!(md.contains("- **Own checkout reliability** (confirmed Wed 14 Oct): Measured by 99.95% monthly availability. Ongoing. Evidence: Led the payments incident review; Removed the legacy auth path (-4,200 lines).\n"), "{md}");
        assert!(
            md.find("### devex").unwrap() < md.find("### product").unwrap(),
            "biggest themes first"
        );
        assert!(md.contains("- **Promises**: 1 kept on time, 1 kept late, 2 still open (50% of kept promises on time).\n- **My actions**: 1 done, 1 open.\n"), "{md}");
        assert!(
            !md.contains("Their actions") && !md.contains("Ask finance"),
            "my manager's actions are not scored in the packet for my manager: {md}"
        );
    }

    #[test]
    fn dropped_late_is_said_and_counted_against_the_rate() {
        use upward_domain::workflow::review::{PromiseFigures, Tally};
        let mut r = packet(&Snapshot::default());
        r.follow_through.promises = PromiseFigures {
            kept_on_time: 3,
            kept_late: 0,
            open: 1,
            renegotiated: 0,
            on_time_rate: Some(75),
            dropped_late: 1,
        };
        r.follow_through.actions.me = Tally {
            done: 2,
            open: 0,
            dropped_late: 1,
        };
        let md = markdown(&r);
        assert!(md.contains("- **Promises**: 3 kept on time, 0 kept late, 1 still open, 1 dropped after the due date (75% of kept or dropped-late promises on time).\n- **My actions**: 2 done, 0 open, 1 dropped after the due date.\n"), "{md}");
    }

    #[test]
    fn an_empty_period_keeps_only_the_figures() {
        let md = markdown(&packet(&Snapshot::default()));
        assert_eq!(
            md,
            "# Review packet\n\nSat 23 May 2026 to Mon 23 Nov 2026. Prepared Mon 23 Nov 2026.\n\n0 wins.\n\n## Follow-through\n\n\
             - **Promises**: 0 kept on time, 0 kept late, 0 still open.\n- **My actions**: 0 done, 0 open.\n"
        );
    }

    #[test]
    fn html_is_standalone_and_printable() {
        let s = sample(&clock());
        let page = html(&packet(&s));
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(page.contains("<style>") && page.contains("@media print"));
        assert!(
            !page.contains("<link") && !page.contains("<script") && !page.contains("src="),
            "no external assets"
        );
        assert!(page.contains("<h3>devex (2)</h3>"));
        assert!(page.contains("<span class=\"metric\">p99 -38% (480 to 298 ms)</span>."));
        assert!(page.trim_end().ends_with("</html>"));
    }

    #[test]
    fn html_escapes_every_user_text() {
        let c = clock();
        let hostile = "<script>alert(1)</script> & \"quotes\" 'too'";
        let mut s = Snapshot::default();
        let input = ItemInput {
            title: Some(hostile.into()),
            metric: Some("<b>+5%</b>".into()),
            impact: Some("a<b>".into()),
            body: Some("x</p><img src=x onerror=alert(1)>".into()),
            tags: Some(vec!["<tag>".into()]),
            date: Some(date(2026, 11, 2)),
            ..Default::default()
        };
        let mut win = Item::new(Kind::Win, input, &c, 1).unwrap();
        win.id = 1;
        s.items.push(win);
        let mut me =
            upward_domain::Person::new("Eve <evil>", upward_domain::Relation::Myself, c.now)
                .unwrap();
        me.is_me = true;
        s.people.push(me);
        let page = html(&packet(&s));
        assert!(
            !page.contains("<script>")
                && !page.contains("<img")
                && !page.contains("<b>")
                && !page.contains("<evil>")
                && !page.contains("<tag>"),
            "{page}"
        );
        assert!(
            page.contains(
                "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;too&#39;"
            ),
            "{page}"
        );
        assert!(page.contains("<title>Review packet: Eve &lt;evil&gt;</title>"));
        assert_eq!(escape("a&b<c>\"'"), "a&amp;b&lt;c&gt;&quot;&#39;");
    }
}
