//! What the fuzz targets share: a byte reader that turns fuzz input into values, and
//! [`exercise`], which runs every workflow and renderer over a snapshot and checks what must
//! hold whatever the data (no panic; user text never becomes HTML markup).

use jiff::civil::Date;
use jiff::{Span, Timestamp};
use upward_domain::enums::{Channel, DecidesBy, Length, Level, Status};
use upward_domain::export::{Export, FORMAT, VERSION};
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

        let input = update::UpdateInput {
            since: b.bool().then(|| b.date(today)),
            channel: b.bool().then(|| b.pick(Channel::ALL)),
        };
        let su = update::update(snap, person, input, clock);
        let _ = upward_render::update::text(&su);

        let d = decline::decline(
            snap,
            person,
            &decline::DeclineInput {
                title: b.string(),
                reason: b.string(),
                alternatives: (0..b.u8() % 3).map(|_| b.string()).collect(),
                after: b.bool().then(|| b.date(today)),
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
    let _ = upward_render::nudges::text(&n);

    for r in &snap.reflections {
        let t = reflect::trend(snap, r);
        let _ = upward_render::reflect::text(&t);
    }

    let (from, to) = (b.date(today), b.date(today));
    let packet = review::review(snap, from.min(to), from.max(to), clock);
    let _ = upward_render::review::markdown(&packet);
    let html = upward_render::review::html(&packet);
    check_markup(&html);

    let doc = Export {
        format: FORMAT.into(),
        version: VERSION,
        exported: clock.now,
        people: snap.people.clone(),
        items: snap.items.clone(),
        meetings: snap.meetings.clone(),
        updates: snap.updates.clone(),
        reflections: snap.reflections.clone(),
    };
    let _ = upward_render::export::markdown(&doc);
}

/// The tags the review page is made of. Any other `<` in the page came from user text that
/// was not escaped.
const TAGS: [&str; 19] = [
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "section", "h1", "h2",
    "h3", "p", "ul", "li", "span", "strong", "br", "b",
];

pub fn check_markup(html: &str) {
    for (at, _) in html.match_indices('<') {
        let rest = &html[at + 1..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect();
        assert!(
            TAGS.contains(&name.as_str()),
            "unescaped markup in the review page at byte {at}: {:?}",
            &html[at..html.len().min(at + 40)]
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
