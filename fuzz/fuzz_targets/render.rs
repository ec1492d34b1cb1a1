//! The workflows and their renderings (agenda markdown, update texts, review markdown and
//! HTML, intake, decline, nudges, reflection trend, markdown export) over the tour's sample
//! workspace with its texts, dates, statuses, ranks, efforts and styles replaced by fuzz
//! input: no panic, and no user text turns into HTML markup.
#![no_main]

use libfuzzer_sys::fuzz_target;
use upward_fuzz::{Bytes, STATUSES, clock_on, exercise, fuzz_style, shift};

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes::new(data);
    let today = b.date(jiff::civil::date(2026, 11, 23));
    let clock = clock_on(today);
    let mut snap = upward_domain::workflow::tour::sample(&clock);
    for p in &mut snap.people {
        if b.bool() {
            p.goals = Some(b.string());
            p.role = Some(b.string());
        }
        fuzz_style(p, &mut b);
    }
    let n = snap.items.len();
    for i in 0..n {
        let op = b.u8();
        if op & 0x80 != 0 {
            continue;
        }
        let item = &mut snap.items[i];
        if op & 1 != 0 {
            item.title = b.string();
        }
        if op & 2 != 0 {
            item.body = Some(b.string());
            item.metric = item.metric.as_ref().map(|_| b.string());
            item.impact = item.impact.as_ref().map(|_| b.string());
            item.ask = item.ask.as_ref().map(|_| b.string());
            item.mitigation = item.mitigation.as_ref().map(|_| b.string());
            item.tags = (0..b.u8() % 3).map(|_| b.string()).collect();
        }
        if op & 4 != 0 {
            item.status = b.pick(STATUSES);
            item.done = b.bool().then(|| b.date(today));
        }
        if op & 8 != 0 {
            item.due = b.bool().then(|| b.date(today));
            item.date = item.date.map(|_| b.date(today));
            item.created = shift(today, -i64::from(b.u16()));
        }
        if op & 16 != 0 {
            item.rank = item.rank.map(|_| i64::from(b.u32() as i32));
            item.effort = item.effort.map(|_| b.duration());
        }
        if op & 32 != 0 {
            item.person = None;
        }
        if op & 64 != 0 {
            let copy = item.clone();
            snap.items.push(copy);
        }
    }
    for m in &mut snap.meetings {
        if b.bool() {
            m.date = b.date(today);
            m.notes = Some(b.string());
        }
    }
    exercise(&snap, &clock, &mut b);
});
