//! The parsers of what users type for dates, durations, `UPWARD_NOW` and `meet --action`:
//! any input gives a value in range or an error, never a panic, and a duration prints back
//! as something that parses to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use upward_domain::workflow::meet::parse_action;
use upward_domain::{Clock, parse_date, parse_duration, working_days_between};
use upward_fuzz::Bytes;

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes::new(data);
    let today = b.date(jiff::civil::date(2026, 11, 23));
    let text = String::from_utf8_lossy(data);
    let text = text.get(3..).unwrap_or("");
    let in_range = |d: jiff::civil::Date| (1000..=9999).contains(&d.year());

    if let Ok(d) = parse_date(text, today) {
        assert!(in_range(d), "{text:?} on {today} gave {d}");
        let _ = working_days_between(today, d);
        let _ = working_days_between(d, today);
    }
    if let Ok(d) = parse_duration(text) {
        assert_eq!(parse_duration(&d.to_string()), Ok(d), "{text:?}");
        assert!(in_range(d.after(today)) && in_range(d.before(today)));
        let _ = d.working_days();
        let _ = upward_domain::workflow::intake::finish_date(today, d.working_days());
    }
    if let Ok(c) = Clock::fixed(text) {
        assert!(in_range(c.today), "{text:?} gave {}", c.today);
    }
    if let Ok(a) = parse_action(text, today) {
        let _ = a;
    }
});
