//! Full-text search over titles, bodies, meeting notes and profiles.

use crate::harness::Env;

#[test]
fn search_finds_items_notes_and_profiles_ranked_with_matches_marked() {
    let env = Env::new().with_people();
    env.ok(&[
        "person",
        "set",
        "Dana",
        "pressures",
        "The board wants lower latency this quarter",
    ]);
    env.ok(&[
        "add",
        "win",
        "Cut checkout latency",
        "--metric",
        "p99 -38%",
        "--body",
        "Moved the pricing call off the hot path",
    ]);
    env.ok(&[
        "add",
        "note",
        "Lunch with Sam",
        "--body",
        "Talked about latency budgets for the API",
    ]);
    env.ok(&["add", "risk", "Unrelated risk"]);
    let hits = env.json(&["search", "latency"]);
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 3, "{hits:?}");
    assert_eq!(
        hits[0]["title"], "Cut checkout latency",
        "a title match ranks first"
    );
    assert!(
        hits.iter()
            .any(|h| h["source"] == "person" && h["title"] == "Dana Whitfield")
    );
    assert!(
        hits.iter().all(|h| h["snippet"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("**latency**")),
        "{hits:?}"
    );
    let human = env.ok(&["search", "pricing"]);
    assert!(human.contains("[pricing]"), "{human}");
    // Prefix match on the last word; diacritics folded; FTS syntax is not interpreted.
    assert_eq!(env.json(&["search", "checko"]).as_array().unwrap().len(), 1);
    env.ok(&["add", "note", "Café rollout"]);
    assert_eq!(env.json(&["search", "cafe"]).as_array().unwrap().len(), 1);
    for hostile in [
        "\"",
        "AND OR NOT",
        "a*b)(",
        "'; DROP TABLE items; --",
        "NEAR(x y)",
    ] {
        env.ok(&["search", hostile]);
    }
    assert!(env.ok(&["search", "nomatchword"]).contains("No matches"));
}

#[test]
fn search_sees_edits_and_meeting_notes() {
    let env = Env::new().with_people();
    let n = env.json(&["add", "note", "Original wording"]);
    env.ok(&[
        "edit",
        &n["id"].to_string(),
        "--title",
        "Rewritten entirely",
    ]);
    assert_eq!(
        env.json(&["search", "original"]).as_array().unwrap().len(),
        0
    );
    assert_eq!(
        env.json(&["search", "rewritten"]).as_array().unwrap().len(),
        1
    );
    env.ok(&[
        "meet",
        "Dana",
        "--notes",
        "Agreed to revisit the roadmap in January",
    ]);
    let hits = env.json(&["search", "roadmap"]);
    assert_eq!(hits[0]["source"], "meeting");
}
