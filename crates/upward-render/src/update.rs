//! Lays out a status update for its channel: an email (subject, greeting, headed lists,
//! sign-off), a compact chat message, or numbered talking points for in person and video.
//! What the lines say is already decided by `upward_domain::workflow::update`, including the
//! one line that counts what a brief update left out (after the last section, in every
//! layout).

use upward_domain::Channel;
use upward_domain::words::day;
use upward_domain::workflow::update::{SectionKey, SinceReason, StatusUpdate, UpdateLine};

/// The whole update as it is sent or said (what `upward update` prints, and its JSON `text`).
pub fn text(update: &StatusUpdate) -> String {
    if let Some(brief) = &update.brief {
        let mut out = brief_text(update, brief.lines());
        out.push('\n');
        return out;
    }
    let mut out = match update.channel {
        Channel::Email => email(update),
        Channel::Chat => chat(update),
        Channel::InPerson | Channel::Video => talking_points(update),
    };
    out.push('\n');
    out
}

/// The update as `update --json` prints it (and the web API answers): who, the channel, the
/// text as sent, the period's start, whether it was recorded as sent, what a brief update
/// left out, the three lines of an executive brief (`null` otherwise), and what the tone
/// check flagged in what the user wrote into it.
pub fn json(update: &StatusUpdate, text: &str, sent: bool) -> serde_json::Value {
    serde_json::json!({
        "person": update.person,
        "channel": update.channel,
        "text": text,
        "since": update.since,
        "sent": sent,
        "omitted": update.omitted,
        "brief": update.brief,
        "warnings": update.warnings,
    })
}

/// The three-line brief in its channel: three lines in a chat; with the subject, greeting
/// and sign-off by email; numbered, to say, in person or on video.
fn brief_text(u: &StatusUpdate, lines: [&str; 3]) -> String {
    match u.channel {
        Channel::Chat => lines.join("\n"),
        Channel::Email => [
            format!("Subject: {}", u.subject),
            u.greeting.clone(),
            lines.join("\n"),
            u.sign_off.clone(),
        ]
        .join("\n\n"),
        Channel::InPerson | Channel::Video => {
            let how = if u.channel == Channel::Video {
                "video call"
            } else {
                "in person"
            };
            let points: Vec<String> = lines
                .iter()
                .enumerate()
                .map(|(n, l)| format!("{}. {l}", n + 1))
                .collect();
            format!(
                "Brief for {} ({how}), {}:\n\n{}",
                u.person,
                since(u),
                points.join("\n")
            )
        }
    }
}

fn heading(key: SectionKey) -> &'static str {
    match key {
        SectionKey::Done => "Done",
        SectionKey::InProgress => "In progress",
        SectionKey::Risks => "Risks and blockers",
        SectionKey::Next => "Next",
    }
}

fn spoken_heading(key: SectionKey) -> &'static str {
    match key {
        SectionKey::Done => "Share what is done",
        SectionKey::InProgress => "Walk through what is in progress",
        SectionKey::Risks => "Raise risks and blockers, with the ask",
        SectionKey::Next => "Agree on what comes next",
    }
}

/// `since my last update (Tue 17 Nov)`, so the reader knows what the update covers.
fn since(u: &StatusUpdate) -> String {
    let on = day(u.since, u.date);
    match u.since_reason {
        SinceReason::LastUpdate => format!("since my last update ({on})"),
        SinceReason::LastMeeting => format!("since we met ({on})"),
        SinceReason::Flag | SinceReason::Cadence => format!("since {on}"),
    }
}

fn bullet(out: &mut Vec<String>, marker: &str, line: &UpdateLine) {
    out.push(format!("{marker}{}", line.text));
    let indent = " ".repeat(marker.chars().count());
    out.extend(line.details.iter().map(|d| format!("{indent}{d}")));
}

fn email(u: &StatusUpdate) -> String {
    let mut blocks = vec![format!("Subject: {}", u.subject), u.greeting.clone()];
    if u.sections.is_empty() {
        blocks.push(format!("Nothing new to report {}.", since(u)));
    } else {
        blocks.push(format!("Here is where things stand {}.", since(u)));
    }
    for section in &u.sections {
        let mut lines = vec![heading(section.key).to_string()];
        for line in &section.lines {
            bullet(&mut lines, "- ", line);
        }
        blocks.push(lines.join("\n"));
    }
    blocks.extend(u.omitted.line());
    blocks.push(u.sign_off.clone());
    blocks.join("\n\n")
}

/// No greeting, no blank lines: it reads as one message in a thread.
fn chat(u: &StatusUpdate) -> String {
    if u.sections.is_empty() {
        return format!("Update {}: nothing new to report.", since(u));
    }
    let mut lines = vec![format!("Update {}:", since(u))];
    for section in &u.sections {
        lines.push(format!("{}:", heading(section.key)));
        for line in &section.lines {
            bullet(&mut lines, "- ", line);
        }
    }
    lines.extend(u.omitted.line());
    lines.join("\n")
}

/// Numbered across sections so a point can be referred to ("about point 3…").
fn talking_points(u: &StatusUpdate) -> String {
    let how = if u.channel == Channel::Video {
        "video call"
    } else {
        "in person"
    };
    let mut blocks = vec![format!(
        "Talking points for {} ({how}): update {}",
        u.person,
        since(u)
    )];
    if u.sections.is_empty() {
        blocks.push("Nothing new to report; use the time for their priorities.".to_string());
        return blocks.join("\n\n");
    }
    let mut n = 0;
    for section in &u.sections {
        let mut lines = vec![spoken_heading(section.key).to_string()];
        for line in &section.lines {
            n += 1;
            bullet(&mut lines, &format!("{n}. "), line);
        }
        blocks.push(lines.join("\n"));
    }
    blocks.extend(u.omitted.line());
    blocks.push("Close: are we aligned on the top priorities?".to_string());
    blocks.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use upward_domain::workflow::tour::{MANAGER, PEER, SKIP, sample};
    use upward_domain::workflow::update::{BRIEF_CHAT_LINES, BRIEF_LINES, UpdateInput, update};
    use upward_domain::{Clock, DecidesBy, Length, Person, Snapshot};

    fn clock() -> Clock {
        Clock::fixed("2026-11-23").unwrap()
    }

    fn styled(
        snap: &Snapshot,
        name: &str,
        channel: Channel,
        length: Length,
    ) -> (Person, StatusUpdate) {
        let mut p = snap.person(name).unwrap().clone();
        p.channel = Some(channel);
        p.length = Some(length);
        // The update in its sections, also for the skip-level the sample marks an executive.
        p.exec = None;
        let u = update(snap, &p, UpdateInput::default(), &clock());
        (p, u)
    }

    /// Lines that carry an item: bullets and numbered points.
    fn item_lines(text: &str) -> Vec<&str> {
        text.lines()
            .filter(|l| {
                l.starts_with("- ")
                    || l.split_once(". ")
                        .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
            })
            .collect()
    }

    #[test]
    fn email_starts_with_a_subject_and_greeting_and_ends_with_a_sign_off() {
        let s = sample(&clock());
        let (_, u) = styled(&s, MANAGER, Channel::Email, Length::Brief);
        let t = text(&u);
        let lines: Vec<&str> = t.lines().collect();
        assert!(
            lines[0].starts_with("Subject: Status update since Tue 17 Nov: "),
            "{t}"
        );
        assert_eq!((lines[1], lines[2]), ("", "Hi Dana,"));
        assert!(t.contains("Here is where things stand since my last update (Tue 17 Nov)."));
        assert!(t.ends_with("\n\nThanks,\nSam\n"), "{t}");
    }

    #[test]
    fn brief_has_at_most_eight_item_lines_with_metric_data_and_ask_on_the_line() {
        let s = sample(&clock());
        for channel in Channel::ALL {
            let (_, u) = styled(&s, MANAGER, *channel, Length::Brief);
            let t = text(&u);
            let items = item_lines(&t);
            if *channel == Channel::Chat {
                // The whole message within its line budget: 6 item lines over 4 sections.
                assert_eq!(t.lines().count(), BRIEF_CHAT_LINES, "{t}");
                assert_eq!(items.len(), 6, "{t}");
            } else {
                assert_eq!(items.len(), BRIEF_LINES, "{channel}: {t}");
            }
            assert!(
                items
                    .iter()
                    .any(|l| l.contains("-4,200 lines: Removed the legacy auth path")),
                "{t}"
            );
            assert!(items.iter().any(|l| l.contains("No write access to the staging ledger database (Migration rehearsal blocked for 4 days; 2 of 5 dry runs done) — ask: Approve access request INFRA-2231")), "{t}");
            assert!(
                items.iter().any(|l| l.contains(
                    "I owe you \"Send Dana the rate limiter design doc\" (was due Fri 20 Nov): sorry it is late"
                )),
                "an overdue commitment is owned, never cut: {t}"
            );
            assert!(
                !t.contains("Likelihood") && !t.contains("Data:"),
                "no context in brief: {t}"
            );
        }
    }

    #[test]
    fn brief_says_in_one_line_what_it_left_out_so_the_subject_and_the_body_agree() {
        let s = sample(&clock());
        let said = "…and 2 more in progress, 1 more risk and 1 more commitment.";
        let (_, u) = styled(&s, MANAGER, Channel::Email, Length::Brief);
        let t = text(&u);
        assert!(
            t.starts_with(
                "Subject: Status update since Tue 17 Nov: 2 done, 4 in progress, 1 blocker, 2 risks, 1 late commitment\n"
            ),
            "{t}"
        );
        let section = |heading: &str| {
            t.split("\n\n")
                .find(|b| b.starts_with(heading))
                .map_or(0, |b| b.lines().filter(|l| l.starts_with("- ")).count())
        };
        assert_eq!(
            (section("In progress"), section("Risks and blockers")),
            (2, 2)
        );
        assert!(t.ends_with(&format!("{said}\n\nThanks,\nSam\n")), "{t}");
        for channel in [Channel::InPerson, Channel::Video] {
            let (_, u) = styled(&s, MANAGER, channel, Length::Brief);
            assert_eq!(text(&u).matches(said).count(), 1, "{channel}");
        }
        let (_, u) = styled(&s, MANAGER, Channel::Chat, Length::Brief);
        let chat = "…and 3 more in progress, 1 more risk and 2 more commitments.";
        assert_eq!(text(&u).matches(chat).count(), 1, "{}", text(&u));
        let (_, u) = styled(&s, MANAGER, Channel::Email, Length::Detailed);
        assert!(
            !text(&u).contains("…and"),
            "a detailed update leaves nothing out"
        );
    }

    #[test]
    fn detailed_adds_bodies_and_context_under_their_lines() {
        let s = sample(&clock());
        let (_, u) = styled(&s, MANAGER, Channel::Email, Length::Detailed);
        let t = text(&u);
        assert!(item_lines(&t).len() > BRIEF_LINES, "{t}");
        assert!(t.contains("- Rate limiter for the public API (due Fri 27 Nov, in 4 days)\n  Effort: about 3 working days\n  Priority confirmed with you on Fri 13 Nov\n  Token bucket per API key; the design doc is in review."), "{t}");
        assert!(
            t.contains("(Migration rehearsal blocked for 4 days; 2 of 5 dry runs done) — ask:")
                && !t.contains("Data:"),
            "the data is on the blocker's line, once: {t}"
        );
    }

    #[test]
    fn data_first_leads_with_the_metric_and_others_trail_it() {
        let s = sample(&clock());
        let (mut p, u) = styled(&s, MANAGER, Channel::Chat, Length::Brief);
        assert!(text(&u).contains("- -4,200 lines: Removed the legacy auth path\n"));
        p.decides_by = Some(DecidesBy::Mixed);
        let t = text(&update(&s, &p, UpdateInput::default(), &clock()));
        assert!(
            t.contains("- Removed the legacy auth path (-4,200 lines)\n"),
            "{t}"
        );
    }

    #[test]
    fn chat_is_compact() {
        let s = sample(&clock());
        let (_, u) = styled(&s, MANAGER, Channel::Chat, Length::Brief);
        let t = text(&u);
        assert!(
            t.starts_with("Update since my last update (Tue 17 Nov):\nDone:\n- "),
            "{t}"
        );
        assert!(
            !t.contains("\n\n") && !t.contains("Subject:") && !t.contains("Hi Dana"),
            "{t}"
        );
    }

    #[test]
    fn in_person_and_video_are_numbered_talking_points() {
        let s = sample(&clock());
        let (_, u) = styled(&s, MANAGER, Channel::InPerson, Length::Brief);
        let t = text(&u);
        assert!(t.starts_with("Talking points for Dana Whitfield (in person): update since my last update (Tue 17 Nov)\n\nShare what is done\n1. "), "{t}");
        assert!(t.contains("\n8. "), "numbered across sections: {t}");
        assert!(t.ends_with("Close: are we aligned on the top priorities?\n"));
        let (_, u) = styled(&s, MANAGER, Channel::Video, Length::Brief);
        assert!(text(&u).starts_with("Talking points for Dana Whitfield (video call)"));
    }

    #[test]
    fn nothing_to_report_still_reads_well() {
        let s = sample(&clock());
        for channel in Channel::ALL {
            let (_, u) = styled(&s, SKIP, *channel, Length::Brief);
            assert!(u.sections.is_empty(), "{u:?}");
            assert!(text(&u).contains("othing new to report"), "{channel}");
        }
    }

    #[test]
    fn snapshots_for_each_channel_and_length() {
        let s = sample(&clock());
        for channel in Channel::ALL {
            for length in [Length::Brief, Length::Detailed] {
                let (_, u) = styled(&s, MANAGER, *channel, length);
                insta::assert_snapshot!(
                    format!("update_{}_{}", channel.as_str().replace('-', "_"), length),
                    text(&u)
                );
            }
        }
        let peer = s.person(PEER).unwrap();
        let u = update(&s, peer, UpdateInput::default(), &clock());
        insta::assert_snapshot!("update_peer_default", text(&u));
    }

    /// Dana as an executive (`exec yes`) in `channel`: the three-line brief.
    fn exec_brief(channel: Channel) -> StatusUpdate {
        let s = sample(&clock());
        let mut p = s.person(MANAGER).unwrap().clone();
        p.channel = Some(channel);
        p.exec = Some(true);
        update(&s, &p, UpdateInput::default(), &clock())
    }

    #[test]
    fn an_executive_gets_three_lines_with_the_figures_on_them() {
        let u = exec_brief(Channel::Chat);
        let t = text(&u);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 3, "{t}");
        assert!(lines[0].starts_with("Headline: -4,200 lines: Removed the legacy auth path"));
        assert!(lines[1].starts_with("Decision needed: Approve access request INFRA-2231"));
        assert!(
            lines[1].contains("(Migration rehearsal blocked for 4 days; 2 of 5 dry runs done)"),
            "the blocker's data stays on its line: {t}"
        );
        assert!(
            lines[2].starts_with("Risk: Ledger vendor may not deliver"),
            "{t}"
        );
        insta::assert_snapshot!("update_exec_brief_chat", t);
        let email = text(&exec_brief(Channel::Email));
        assert!(email.starts_with("Subject: Status update since Tue 17 Nov: "));
        assert!(email.contains("\n\nHi Dana,\n\nHeadline: "), "{email}");
        assert!(email.ends_with("\n\nThanks,\nSam\n"), "{email}");
        let spoken = text(&exec_brief(Channel::InPerson));
        assert!(
            spoken.starts_with(
                "Brief for Dana Whitfield (in person), since my last update (Tue 17 Nov):\n\n1. Headline: "
            ),
            "{spoken}"
        );
        assert!(spoken.contains("\n3. Risk: "));
        // `--brief` asks for the same form for anyone; a length asked for is the update.
        let s = sample(&clock());
        let dana = s.person(MANAGER).unwrap();
        let asked = UpdateInput {
            brief: true,
            ..Default::default()
        };
        assert!(update(&s, dana, asked, &clock()).brief.is_some());
        let mut exec = dana.clone();
        exec.exec = Some(true);
        let detailed = UpdateInput {
            length: Some(Length::Detailed),
            ..Default::default()
        };
        assert!(update(&s, &exec, detailed, &clock()).brief.is_none());
        // With nothing on record the brief still reads.
        let quiet = update(
            &s,
            s.person(SKIP).unwrap(),
            UpdateInput::default(),
            &clock(),
        );
        assert_eq!(
            quiet.brief.unwrap().lines(),
            [
                "Headline: nothing new since Fri 30 Oct",
                "Decision needed: none this time",
                "Risk: none open"
            ]
        );
    }

    #[test]
    fn a_reader_who_is_not_technical_reads_outcomes_and_dates_first() {
        let s = sample(&clock());
        let mut p = s.person(MANAGER).unwrap().clone();
        p.channel = Some(Channel::Email);
        p.length = Some(Length::Detailed);
        p.technical = Some(false);
        let u = update(&s, &p, UpdateInput::default(), &clock());
        insta::assert_snapshot!("update_email_detailed_not_technical", text(&u));
        let jargon: Vec<&str> = u
            .warnings
            .iter()
            .filter(|w| w.rule == upward_domain::tone::Rule::Jargon)
            .map(|w| w.found.as_str())
            .collect();
        assert!(!jargon.is_empty(), "{:?}", u.warnings);
        p.technical = Some(true);
        let technical = update(&s, &p, UpdateInput::default(), &clock());
        assert!(
            technical
                .warnings
                .iter()
                .all(|w| w.rule != upward_domain::tone::Rule::Jargon)
        );
    }
}
