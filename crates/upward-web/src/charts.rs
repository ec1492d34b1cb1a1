//! Charts drawn by the server as inline SVG: no script, nothing fetched, and they print. Each
//! chart is an image to assistive technology (`role="img"`, named by its `<title>`) with a
//! table of the same figures beside it, so a screen reader user gets every number.
//!
//! Pure functions from plain data (a label and one value per series for each row) to markup;
//! every label goes through maud, which escapes it. Colours are SVG presentation attributes,
//! which the CSP (`style-src 'self'`) allows, unlike inline `style`.

use maud::{Markup, html};

/// The figures of a chart: the name of each series (a segment of a bar, or a line), and the
/// rows in order (a month, a reflection), each with one value per series (`None`: none).
pub struct Chart<'a> {
    /// Unique in the page: the id of the SVG's title is `{id}-title`.
    pub id: &'a str,
    pub title: &'a str,
    /// The heading of the table's first column (what a row is: "Month", "Date").
    pub row_header: &'a str,
    pub series: &'a [String],
    pub rows: &'a [(String, Vec<Option<f64>>)],
}

/// The drawing area, in SVG user units (scaled to the page by the stylesheet).
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 12.0;
/// Below the plot: the row labels, then the legend.
const BOTTOM: f64 = 56.0;

/// Colours of the series, distinguishable and dark enough on white (the table carries the
/// figures for anyone who cannot tell them apart).
const PALETTE: &[&str] = &[
    "#0b5cad", "#b45309", "#1d6b2f", "#a4161a", "#6b3fa0", "#4a5360", "#0e7490", "#9d174d",
];

fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

fn plot_width() -> f64 {
    WIDTH - LEFT - RIGHT
}

fn plot_height() -> f64 {
    HEIGHT - TOP - BOTTOM
}

/// A finite value, or none (a NaN or an infinity is drawn as nothing).
fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// A figure as the table shows it: whole numbers without decimals.
pub fn figure(v: Option<f64>) -> String {
    match finite(v) {
        Some(x) if x.fract() == 0.0 => format!("{x:.0}"),
        Some(x) => format!("{x:.1}"),
        None => "–".to_string(),
    }
}

/// Two decimals: enough for a drawing, short in the markup.
fn n(x: f64) -> String {
    format!("{x:.2}")
}

/// Stacked bars: one bar per row, one segment per value (series in order from the bottom),
/// heights proportional to the values against the tallest bar.
pub fn stacked_bars(c: &Chart) -> Markup {
    let total = |vs: &[Option<f64>]| {
        vs.iter()
            .filter_map(|v| finite(*v))
            .map(|x| x.max(0.0))
            .sum::<f64>()
    };
    let max = c
        .rows
        .iter()
        .map(|(_, vs)| total(vs))
        .fold(0.0_f64, f64::max);
    let scale = if max > 0.0 { plot_height() / max } else { 0.0 };
    let slot = plot_width() / c.rows.len().max(1) as f64;
    let bar = slot * 0.6;
    let base = TOP + plot_height();
    // Each segment: (row, series, top, height), stacked from the base up.
    let mut segments = Vec::new();
    for (i, (_, values)) in c.rows.iter().enumerate() {
        let mut y = base;
        for (s, v) in values.iter().enumerate() {
            if let Some(v) = finite(*v) {
                let h = v.max(0.0) * scale;
                y -= h;
                segments.push((i, s, y, h));
            }
        }
    }
    let x = |i: usize| LEFT + slot * i as f64;
    html! {
        (frame(c, &figure(Some(max)), html! {
            @for (i, s, y, h) in &segments {
                rect class="bar" x=(n(x(*i) + (slot - bar) / 2.0)) y=(n(*y)) width=(n(bar)) height=(n(*h)) fill=(colour(*s)) {}
            }
            @for (i, (label, _)) in c.rows.iter().enumerate() {
                (row_label(label, x(i) + slot / 2.0))
            }
        }))
    }
}

/// Lines: one per series, a point per value, joined across rows that have one (a row without
/// a value breaks the line). `max` is the top of the scale (5 for scores).
pub fn lines(c: &Chart, max: f64) -> Markup {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let slot = plot_width() / c.rows.len().max(1) as f64;
    let x = |i: usize| LEFT + slot * i as f64 + slot / 2.0;
    let y = |v: f64| TOP + plot_height() - v.clamp(0.0, max) / max * plot_height();
    html! {
        (frame(c, &figure(Some(max)), html! {
            @for s in 0..c.series.len() {
                @for run in runs(c.rows, s) {
                    @if run.len() > 1 {
                        polyline class="line" fill="none" stroke=(colour(s)) stroke-width="2"
                            points=(run.iter().map(|(i, v)| format!("{},{}", n(x(*i)), n(y(*v)))).collect::<Vec<_>>().join(" ")) {}
                    }
                    @for (i, v) in &run {
                        circle class="point" cx=(n(x(*i))) cy=(n(y(*v))) r="4" fill=(colour(s)) {}
                    }
                }
            }
            @for (i, (label, _)) in c.rows.iter().enumerate() {
                (row_label(label, x(i)))
            }
        }))
    }
}

/// The stretches of consecutive rows where series `s` has a value: (row, value).
fn runs(rows: &[(String, Vec<Option<f64>>)], s: usize) -> Vec<Vec<(usize, f64)>> {
    let mut out: Vec<Vec<(usize, f64)>> = vec![Vec::new()];
    for (i, (_, values)) in rows.iter().enumerate() {
        match finite(values.get(s).copied().flatten()) {
            Some(v) => out.last_mut().map_or((), |r| r.push((i, v))),
            None => out.push(Vec::new()),
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

fn row_label(label: &str, x: f64) -> Markup {
    html! {
        text class="label" x=(n(x)) y=(n(TOP + plot_height() + 16.0)) text-anchor="middle" font-size="11" { (label) }
    }
}

/// The SVG around a plot (its title, the axis, the scale's top and the legend) and the table
/// of the same figures; or a sentence when there is nothing to draw.
fn frame(c: &Chart, top_label: &str, plot: Markup) -> Markup {
    let title_id = format!("{}-title", c.id);
    let base = TOP + plot_height();
    let legend_y = HEIGHT - 10.0;
    let legend_step = plot_width() / c.series.len().max(1) as f64;
    html! {
        figure class="chart-figure" id=(c.id) {
            @if c.rows.is_empty() {
                p class="muted" { (c.title) ": nothing in this period." }
            } @else {
                svg class="chart" role="img" aria-labelledby=(title_id) viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) xmlns="http://www.w3.org/2000/svg" {
                    title id=(title_id) { (c.title) }
                    line x1=(n(LEFT)) y1=(n(base)) x2=(n(WIDTH - RIGHT)) y2=(n(base)) stroke="#4a5360" {}
                    line x1=(n(LEFT)) y1=(n(TOP)) x2=(n(LEFT)) y2=(n(base)) stroke="#4a5360" {}
                    text x=(n(LEFT - 6.0)) y=(n(TOP + 4.0)) text-anchor="end" font-size="11" { (top_label) }
                    text x=(n(LEFT - 6.0)) y=(n(base)) text-anchor="end" font-size="11" { "0" }
                    (plot)
                    @for (s, name) in c.series.iter().enumerate() {
                        @let lx = LEFT + legend_step * s as f64;
                        rect class="key" x=(n(lx)) y=(n(legend_y - 10.0)) width="10" height="10" fill=(colour(s)) {}
                        text x=(n(lx + 14.0)) y=(n(legend_y)) font-size="11" { (name) }
                    }
                }
                (table(c))
            }
        }
    }
}

/// The figures of a chart as a table, for screen readers and for reading exact numbers.
pub fn table(c: &Chart) -> Markup {
    html! {
        table class="chart-table" {
            caption { (c.title) }
            thead {
                tr {
                    th scope="col" { (c.row_header) }
                    @for s in c.series { th scope="col" { (s) } }
                }
            }
            tbody {
                @for (label, values) in c.rows {
                    tr {
                        th scope="row" { (label) }
                        @for i in 0..c.series.len() {
                            td { (figure(values.get(i).copied().flatten())) }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(data: &[(&str, &[f64])]) -> Vec<(String, Vec<Option<f64>>)> {
        data.iter()
            .map(|(l, vs)| (l.to_string(), vs.iter().map(|v| Some(*v)).collect()))
            .collect()
    }

    /// The values of `attr` on each `<tag ` element, in order.
    fn attrs(svg: &str, tag: &str, attr: &str) -> Vec<f64> {
        svg.split(&format!("<{tag} "))
            .skip(1)
            .filter_map(|el| {
                let at = el.find(&format!(" {attr}=\""))? + attr.len() + 3;
                el[at..].split('"').next()?.parse().ok()
            })
            .collect()
    }

    fn bars(svg: &str) -> Vec<f64> {
        svg.split("<rect ")
            .skip(1)
            .filter(|el| el.starts_with("class=\"bar\""))
            .filter_map(|el| {
                let at = el.find(" height=\"")? + 9;
                el[at..].split('"').next()?.parse().ok()
            })
            .collect()
    }

    #[test]
    fn one_bar_per_value_with_heights_in_proportion() {
        let series = vec!["perf".to_string(), "Other".to_string()];
        let rows = rows(&[
            ("2026-07", &[2.0, 1.0]),
            ("2026-08", &[0.0, 0.0]),
            ("2026-09", &[6.0, 0.0]),
        ]);
        let c = Chart {
            id: "wins",
            title: "Wins per month",
            row_header: "Month",
            series: &series,
            rows: &rows,
        };
        let svg = stacked_bars(&c).into_string();
        let h = bars(&svg);
        assert_eq!(h.len(), 6, "one bar per value: {svg}");
        // The tallest bar (6) fills the plot; 2 is a third of it, 1 a sixth.
        let full = plot_height();
        assert!((h[4] - full).abs() < 0.02, "{h:?}");
        assert!((h[0] - full / 3.0).abs() < 0.02, "{h:?}");
        assert!((h[1] - full / 6.0).abs() < 0.02, "{h:?}");
        assert_eq!(h[2], 0.0);
        assert!(svg.contains(r#"role="img" aria-labelledby="wins-title""#));
        assert!(svg.contains(r#"<title id="wins-title">Wins per month</title>"#));
        assert!(svg.contains("<caption>Wins per month</caption>"));
        assert!(
            svg.contains(r#"<th scope="row">2026-09</th><td>6</td><td>0</td>"#),
            "{svg}"
        );
    }

    #[test]
    fn labels_and_series_names_are_escaped() {
        let series = vec!["<script>alert(1)</script>".to_string()];
        let rows = rows(&[("\"><img src=x>", &[1.0])]);
        let c = Chart {
            id: "x",
            title: "<b>T</b>",
            row_header: "Month",
            series: &series,
            rows: &rows,
        };
        for out in [stacked_bars(&c).into_string(), lines(&c, 5.0).into_string()] {
            assert!(!out.contains("<script>") && !out.contains("<img") && !out.contains("<b>"));
            assert!(out.contains("&lt;script&gt;") && out.contains("&quot;&gt;&lt;img"));
        }
    }

    #[test]
    fn lines_have_a_point_per_value_and_break_where_a_value_is_missing() {
        let series = vec!["rapport".to_string()];
        let rows: Vec<(String, Vec<Option<f64>>)> = vec![
            ("a".into(), vec![Some(5.0)]),
            ("b".into(), vec![Some(2.5)]),
            ("c".into(), vec![None]),
            ("d".into(), vec![Some(1.0)]),
        ];
        let c = Chart {
            id: "s",
            title: "Scores",
            row_header: "Date",
            series: &series,
            rows: &rows,
        };
        let svg = lines(&c, 5.0).into_string();
        let cy = attrs(&svg, "circle", "cy");
        assert_eq!(cy.len(), 3);
        // 5 is the top of the plot, 2.5 halfway down it.
        assert!((cy[0] - TOP).abs() < 0.02);
        assert!((cy[1] - (TOP + plot_height() / 2.0)).abs() < 0.02);
        assert_eq!(
            svg.matches("<polyline ").count(),
            1,
            "the gap breaks the line"
        );
        assert!(svg.contains("<td>–</td>") && svg.contains("<td>2.5</td>"));
    }

    #[test]
    fn nothing_to_draw_says_so_and_odd_values_draw_nothing() {
        let series = vec!["a".to_string()];
        let c = Chart {
            id: "e",
            title: "Empty",
            row_header: "Month",
            series: &series,
            rows: &[],
        };
        let out = stacked_bars(&c).into_string();
        assert!(!out.contains("<svg") && out.contains("nothing in this period"));
        let rows: Vec<(String, Vec<Option<f64>>)> = vec![
            ("a".into(), vec![Some(f64::NAN)]),
            ("b".into(), vec![Some(f64::INFINITY)]),
        ];
        let c = Chart { rows: &rows, ..c };
        let out = stacked_bars(&c).into_string();
        assert!(bars(&out).is_empty() && !out.contains("NaN") && !out.contains("inf"));
    }
}
