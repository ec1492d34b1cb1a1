//! Printing: pure JSON on stdout for `--json`, aligned tables and relative dates for people,
//! colour only on a terminal. A closed pipe (`upward list | head`) is not an error.

use anyhow::Result;
use jiff::civil::Date;
use serde::Serialize;
use std::io::Write;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
use upward_domain::words::{relative_due, relative_past};
use upward_domain::{Item, Status};

/// Whether an error is a write to a closed pipe.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes text to stdout, ending it with one newline.
pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Writes a value as pretty JSON to stdout.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    print(&serde_json::to_string_pretty(value)?)
}

/// A hint or warning: stderr, so `--json` stdout stays pure.
pub fn hint(text: &str) {
    eprintln!("hint: {text}");
}

/// The tone check's warnings, each as a hint (docs/tone.md).
pub fn warnings(warnings: &[upward_domain::tone::Warning]) {
    for w in warnings {
        hint(&w.line());
    }
}

#[derive(Clone, Copy)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
    pub fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }
    pub fn red(self, s: &str) -> String {
        self.wrap("31", s)
    }
    pub fn yellow(self, s: &str) -> String {
        self.wrap("33", s)
    }
}

/// Cuts a string to `width` columns, ending with "…" when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// An aligned table: a header row and rows of cells; the last column is not padded.
/// `styles` colours whole cells after alignment (so escape codes do not upset widths).
/// Colours a cell (`Paint::dim`, `Paint::red`, …).
pub type Style = Option<fn(Paint, &str) -> String>;

pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    pub styles: Vec<Vec<Style>>,
}

impl Table {
    pub fn new(header: Vec<&'static str>) -> Self {
        Table {
            header,
            rows: Vec::new(),
            styles: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>, styles: Vec<Style>) {
        self.rows.push(cells);
        self.styles.push(styles);
    }

    pub fn render(&self, paint: Paint) -> String {
        let cols = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(cell.width());
            }
        }
        // Written straight into one buffer: `list` renders thousands of rows.
        let mut out = String::with_capacity(
            (widths.iter().sum::<usize>() + 2 * cols + 1) * (self.rows.len() + 1),
        );
        let cell = |i: usize, text: &str, out: &mut String| {
            out.push_str(text);
            if i + 1 < cols {
                let pad = widths[i].saturating_sub(cell_width(text)) + 2;
                out.extend(std::iter::repeat_n(' ', pad));
            }
        };
        let end_line = |out: &mut String, start: usize| {
            let kept = start + out[start..].trim_end().len();
            out.truncate(kept);
            out.push('\n');
        };
        for (i, h) in self.header.iter().enumerate() {
            cell(i, &paint.bold(h), &mut out);
        }
        end_line(&mut out, 0);
        for (row, styles) in self.rows.iter().zip(&self.styles) {
            let start = out.len();
            for (i, c) in row.iter().enumerate() {
                match styles.get(i).copied().flatten() {
                    Some(f) if !c.is_empty() => cell(i, &f(paint, c), &mut out),
                    _ => cell(i, c, &mut out),
                }
            }
            end_line(&mut out, start);
        }
        out
    }
}

/// Display width ignoring ANSI colour codes.
fn cell_width(s: &str) -> usize {
    let mut w = 0;
    let mut in_escape = false;
    for c in s.chars() {
        if in_escape {
            if c == 'm' {
                in_escape = false;
            }
        } else if c == '\x1b' {
            in_escape = true;
        } else {
            w += c.width().unwrap_or(0);
        }
    }
    w
}

/// The "when" column of an item in a list.
pub fn item_when(item: &Item, today: Date) -> String {
    match item.status {
        Status::Open => item.due.map(|d| relative_due(d, today)).unwrap_or_default(),
        Status::Done => item
            .done
            .map(|d| format!("done {}", relative_past(d, today)))
            .unwrap_or_else(|| "done".into()),
        Status::Dropped => "dropped".into(),
    }
}
