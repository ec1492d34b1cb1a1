//! Titles and bodies that read like a software engineer's working notes: sentences about
//! systems, metrics, teams and people, the common ones drawn more often (a Zipf-like law), so
//! full-text search meets the index sizes and match counts of real use.

use crate::rng::Rng;

const SYSTEMS: &[&str] = &[
    "checkout service",
    "payments API",
    "ledger",
    "billing pipeline",
    "auth service",
    "search indexer",
    "mobile app",
    "web frontend",
    "data warehouse",
    "CI pipeline",
    "deploy tooling",
    "feature flag service",
    "rate limiter",
    "notification service",
    "fraud model",
    "onboarding flow",
    "admin console",
    "Kafka cluster",
    "Postgres primary",
    "Redis cache",
    "GraphQL gateway",
    "observability stack",
    "on-call runbook",
    "incident process",
    "design system",
    "recommendation engine",
    "CSV exporter",
    "reporting dashboard",
    "public SDK",
    "Terraform modules",
    "session store",
    "image pipeline",
    "webhook dispatcher",
    "tax calculation",
    "refund flow",
    "invoice generator",
    "identity provider",
    "audit log",
    "load balancer config",
    "build cache",
];

const VERBS: &[&str] = &[
    "Migrate",
    "Refactor",
    "Ship",
    "Document",
    "Review",
    "Benchmark",
    "Deprecate",
    "Roll out",
    "Harden",
    "Instrument",
    "Split",
    "Upgrade",
    "Automate",
    "Fix",
    "Investigate",
    "Prototype",
    "Load-test",
    "Clean up",
    "Simplify",
    "Speed up",
    "Write the RFC for",
    "Pair on",
    "Estimate",
    "Plan",
    "Audit",
    "Decommission",
    "Stabilise",
    "Hand over",
];

const METRICS: &[&str] = &[
    "p99 latency",
    "error rate",
    "build time",
    "availability",
    "cost per request",
    "conversion",
    "flake rate",
    "page load time",
    "time to recovery",
    "deploy frequency",
    "cache hit rate",
    "queue depth",
    "support tickets",
    "memory use",
    "cold start time",
    "test coverage",
];

const TEAMS: &[&str] = &[
    "payments",
    "platform",
    "growth",
    "mobile",
    "data",
    "security",
    "SRE",
    "infra",
    "design",
    "product",
    "finance",
    "legal",
    "support",
    "sales engineering",
];

const FIRST_NAMES: &[&str] = &[
    "Alex", "Jordan", "Mei", "Ravi", "Sofia", "Tom", "Aisha", "Lukas", "Nora", "Kenji", "Ines",
    "Omar", "Hannah", "Diego", "Yuki", "Femi",
];

const ADJECTIVES: &[&str] = &[
    "flaky",
    "slow",
    "legacy",
    "new",
    "shared",
    "critical",
    "noisy",
    "expensive",
    "brittle",
    "undocumented",
    "overloaded",
    "half-finished",
];

const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Sentences for bodies and notes; slots in braces are filled from the lists above.
const SENTENCES: &[&str] = &[
    "The {sys} is the bottleneck again: {metric} went from {n} to {m} ms during the {day} peak.",
    "{name} from {team} thinks we should {verb_l} the {sys} before the end of {q}.",
    "We agreed to {verb_l} the {sys} first and revisit the {sys2} once the numbers are in.",
    "I need a decision on the {sys} by {day}, otherwise the {team} launch slips a week.",
    "Root cause was a {adj} retry loop in the {sys}; the fix is small but the rollout is not.",
    "{name} asked for a written summary with the trade-offs and a recommendation.",
    "The dashboard shows {metric} at {pct}% of the budget for {month}.",
    "This came up in the {team} sync and nobody owns it yet.",
    "I said I would have a draft by {day}; that is still realistic if the review goes quickly.",
    "Worth raising in the next 1:1: the {adj} {sys} keeps eating my focus time.",
    "The plan is to run both paths side by side for two weeks and compare {metric}.",
    "Estimate is {e} days of work plus a day of review and a day of rollout.",
    "Customers noticed: {n} tickets mentioned the {sys} last week.",
    "We should write this down so the next on-call does not relearn it at 3am.",
    "{name} offered to pair on the {sys} if we can find a slot on {day}.",
    "The {team} team depends on this for their {month} release.",
    "Decision: keep the {sys} as it is for now and cut scope on the {sys2} instead.",
    "Data from the last incident: {n} minutes to detect, {m} minutes to mitigate.",
    "My manager wants fewer surprises, so I will send the update before the staff meeting.",
    "Open question: who approves the budget for the {sys} migration?",
    "It went well overall, but the handover to {team} was rushed.",
    "The {adj} part is the {sys2}; everything else is routine.",
    "Load test at {n} requests per second held, {metric} stayed under {m} ms.",
    "I want to grow into leading cross-team work like this, not just doing the tickets.",
    "Feedback from {name}: the design doc was clear but too long for the audience.",
    "Blocked on access to the {sys}; the request has been open since {day}.",
    "Three options: patch it, rewrite it, or retire it. Patching buys us a quarter.",
    "If we do nothing, {metric} keeps getting worse by about {pct}% a month.",
    "Remember to thank {name} publicly, the {sys} work saved us a lot of pain.",
    "Next step is a short RFC and a review with {team} and {name}.",
    "The {sys} cost us {n} engineer-hours in {month} alone.",
    "We shipped it behind a flag and ramped to {pct}% of traffic without errors.",
    "Not urgent, but it will become urgent in {q} if nobody looks at it.",
    "Context: the {sys} was built in a hurry years ago and nobody wants to touch it.",
    "I should ask for feedback after this milestone instead of waiting for the review cycle.",
    "The team is stretched; taking this on means dropping something else.",
    "Spent most of {day} on the {sys}; nothing else moved.",
    "We still do not have a clear owner for the {sys2} after the reorg.",
    "The migration is about {pct}% done, the long tail is the {adj} edge cases.",
    "I keep getting pulled into {team} questions about the {sys}, which is fine but invisible.",
    "Good meeting: we agreed on the scope, the dates and who does what.",
    "I was too optimistic about the estimate; the {sys} had more hidden coupling than expected.",
    "Before the review, collect the numbers: {metric}, incidents, and what changed since {month}.",
    "{name} is new and could own the {sys2} with some support from me.",
    "Hiring is slow, so we cannot take on the {sys} and the {sys2} at the same time.",
    "The postmortem found two contributing causes and one missing alert.",
    "I would like more visibility with {team}; a short demo might do it.",
    "There is a cheaper option: reuse the {sys} instead of building a new one.",
    "Security asked for an audit trail on every change to the {sys}.",
    "The vendor said {month}, which probably means {q}.",
    "My recommendation is to stop, measure {metric} for a week, then decide.",
    "The last three incidents all touched the {sys}; that is not a coincidence.",
    "We need a rollback plan before anyone touches the {sys} in production.",
    "Quick win: a config change cut {metric} by {pct}% with no code changes.",
    "{name} disagreed with the approach, and had a point about the {sys2}.",
    "Writing it down helped: the real question is priority, not effort.",
    "The on-call load was {n} pages this month, mostly from the {sys}.",
    "It would help if my manager mentioned this work in the staff meeting.",
    "Cost went up {pct}% after the {sys} change; need to explain that in the update.",
    "Nobody reads the long version; a three-line summary with one chart works better.",
    "This unblocks {team} and removes a weekly manual step for support.",
];

/// Tags, most common first.
pub const TAGS: &[&str] = &[
    "perf",
    "reliability",
    "billing",
    "devex",
    "leadership",
    "security",
    "hiring",
    "oncall",
    "product",
    "cost",
    "mentoring",
    "migration",
    "docs",
    "data",
    "mobile",
    "incident",
    "planning",
    "career",
    "quality",
    "infra",
    "api",
    "frontend",
    "process",
    "compliance",
    "growth",
    "research",
    "tooling",
    "ux",
    "support",
    "launch",
];

/// Fills the slots of one template.
fn fill(rng: &mut Rng, template: &str) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = start + rest[start..].find('}').expect("closed slot");
        let slot = &rest[start + 1..end];
        let value = match slot {
            "sys" | "sys2" => rng.zipf(SYSTEMS).to_string(),
            "verb" => rng.pick(VERBS).to_string(),
            "verb_l" => rng.pick(VERBS).to_lowercase(),
            "metric" => rng.zipf(METRICS).to_string(),
            "team" => rng.zipf(TEAMS).to_string(),
            "name" => rng.pick(FIRST_NAMES).to_string(),
            "adj" => rng.pick(ADJECTIVES).to_string(),
            "day" => rng.pick(WEEKDAYS).to_string(),
            "month" => rng.pick(MONTHS).to_string(),
            "q" => format!("Q{}", rng.range(1, 4)),
            "n" => rng.range(12, 900).to_string(),
            "m" => rng.range(5, 400).to_string(),
            "e" => rng.range(2, 15).to_string(),
            "pct" => rng.range(2, 95).to_string(),
            other => other.to_string(),
        };
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    // A template may start with a lowercase slot.
    let mut chars = out.chars();
    match chars.next() {
        Some(c) if c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
        _ => out,
    }
}

/// A body of `sentences` sentences, with a paragraph break now and then.
pub fn body(rng: &mut Rng, sentences: usize) -> String {
    let mut out = String::new();
    for i in 0..sentences {
        if i > 0 {
            out.push_str(if rng.chance(0.15) { "\n\n" } else { " " });
        }
        let t = rng_template(rng);
        out.push_str(&fill(rng, t));
    }
    out
}

fn rng_template(rng: &mut Rng) -> &'static str {
    SENTENCES[rng.below(SENTENCES.len())]
}

/// A title for an item of the given kind.
pub fn title(rng: &mut Rng, kind: upward_domain::Kind) -> String {
    use upward_domain::Kind::*;
    let templates: &[&str] = match kind {
        Win => &[
            "Cut {metric} of the {sys}",
            "Shipped the {sys} rewrite",
            "Led the {sys} incident review",
            "{verb} the {sys} ahead of schedule",
            "Unblocked {team} on the {sys}",
            "Onboarded {name} onto the {sys}",
            "Removed the {adj} {sys} path",
        ],
        Priority => &[
            "{verb} the {sys}",
            "{verb} the {sys} for {team}",
            "{sys}: {metric} under budget",
            "{verb} the {adj} {sys}",
        ],
        Expectation => &[
            "Own {metric} of the {sys}",
            "Keep the {sys} on-call quiet",
            "Lead the {team} integration",
            "Mentor {name} through the {sys} work",
        ],
        Risk => &[
            "The {sys} may not scale past {q}",
            "{team} may not deliver the {sys} in time",
            "{metric} of the {sys} is trending the wrong way",
            "Single point of failure in the {sys}",
        ],
        Blocker => &[
            "No access to the {sys}",
            "Waiting on {team} for the {sys} review",
            "{sys} budget not approved",
            "Need a decision on the {sys} design",
        ],
        Promise => &[
            "Send {name} the {sys} numbers",
            "{sys} design doc to {name}",
            "{verb} the {sys} by {day}",
            "Write up the {sys} postmortem",
        ],
        Action => &[
            "{verb} the {sys}",
            "Ask {team} about the {sys}",
            "Follow up with {name} on the {sys}",
            "Book time with {team} about {metric}",
            "Share the {sys} dashboard",
        ],
        Feedback => &[
            "On the {sys} design review",
            "How the {sys} launch went",
            "{name}'s help with the {sys}",
            "My update on the {sys}",
        ],
        Goal => &[
            "Lead a cross-team project like the {sys}",
            "Become the owner of the {sys}",
            "Get better at writing for {team}",
            "Grow into a staff engineer role",
        ],
        Topic => &[
            "{sys} priorities for {q}",
            "Headcount for {team}",
            "Trade-off between the {sys} and the {sys2}",
            "My growth: owning the {sys}",
            "How {team} reviews are going",
        ],
        Note => &[
            "{sys} notes",
            "Thoughts after the {team} sync",
            "{month} retro: the {sys}",
            "What I learned from the {sys} incident",
            "Reading: {metric} of the {sys}",
        ],
        Idea => &[
            "Automate the {sys} checks",
            "A shared dashboard for {metric}",
            "Retire the {adj} {sys}",
            "Office hours for {team}",
        ],
    };
    let t = templates[rng.below(templates.len())];
    fill(rng, t)
}

/// A metric as people write them next to a win: `p99 -38%`.
pub fn metric(rng: &mut Rng) -> String {
    format!(
        "{} {}{}%",
        rng.zipf(METRICS),
        if rng.chance(0.7) { "-" } else { "+" },
        rng.range(3, 80)
    )
}

/// A one-sentence text (impact, mitigation, ask, data).
pub fn sentence(rng: &mut Rng) -> String {
    let t = rng_template(rng);
    fill(rng, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slot_is_filled() {
        let mut rng = Rng::new(1);
        for _ in 0..2000 {
            let b = body(&mut rng, 4);
            assert!(!b.contains('{') && !b.contains('}'), "{b}");
            for kind in upward_domain::Kind::ALL {
                let t = title(&mut rng, *kind);
                assert!(!t.contains('{') && upward_domain::item::validate_title(&t).is_ok());
            }
        }
    }
}
