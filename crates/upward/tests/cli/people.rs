//! People: init, add, list, show, set, rm; names unique case-insensitively, prefixes accepted.

use crate::harness::Env;

#[test]
fn init_records_me_and_my_manager_with_a_default_cadence() {
    let env = Env::new();
    let v = env.json(&["init", "--me", "Alex", "--role", "SRE", "--manager", "Dana"]);
    assert_eq!(v["me"]["is_me"], true);
    assert_eq!(v["me"]["role"], "SRE");
    assert_eq!(v["manager"]["relation"], "manager");
    assert_eq!(v["manager"]["cadence"], "7d");
    let people = env.json(&["person", "list"]);
    assert_eq!(people.as_array().unwrap().len(), 2);
    // Running init again renames me rather than adding a second me.
    env.ok(&["init", "--me", "Alexandra"]);
    let me = env.json(&["person", "show", "me"]);
    assert_eq!(me["name"], "Alexandra");
}

#[test]
fn profile_and_style_fields_are_set_shown_and_cleared() {
    let env = Env::new().with_people();
    for (field, value) in [
        ("goals", "Billing by Q2"),
        ("priorities", "Reliability"),
        ("pressures", "Board review"),
        ("motivations", "Team growth"),
        ("values", "Candor"),
        ("strengths", "Systems thinking"),
        ("blind_spots", "Underestimates migrations"),
        ("pet_peeves", "Surprises"),
        ("happiest", "Launch days"),
        ("channel", "email"),
        ("length", "brief"),
        ("decides_by", "data"),
        ("feedback", "high"),
        ("cadence", "2w"),
        ("trust", "4"),
        ("role", "VP Engineering"),
    ] {
        env.ok(&["person", "set", "Dana", field, value]);
    }
    let p = env.json(&["person", "show", "dana w"]);
    assert_eq!(p["blind_spots"], "Underestimates migrations");
    assert_eq!(p["channel"], "email");
    assert_eq!(p["trust"], 4);
    assert_eq!(p["cadence"], "2w");
    for key in [
        "name",
        "relation",
        "role",
        "is_me",
        "goals",
        "happiest",
        "length",
        "decides_by",
        "feedback",
    ] {
        assert!(p.get(key).is_some(), "missing {key}");
    }
    env.ok(&["person", "set", "Dana", "goals", ""]);
    assert!(env.json(&["person", "show", "Dana"])["goals"].is_null());
    let human = env.ok(&["person", "show", "Dana"]);
    assert!(
        human.contains("Underestimates migrations") && human.contains("VP Engineering"),
        "{human}"
    );
}

#[test]
fn names_are_unique_regardless_of_case_and_prefixes_must_be_unique() {
    let env = Env::new().with_people();
    let e = env.fails(
        1,
        &["person", "add", "dana whitfield", "--relation", "peer"],
    );
    assert!(e.contains("already exists"), "{e}");
    env.ok(&["person", "add", "Sami", "--relation", "report"]);
    let e = env.fails(1, &["add", "action", "x", "--with", "sa"]);
    assert!(e.contains("Sam Ortiz") && e.contains("Sami"), "{e}");
    let e = env.fails(1, &["add", "action", "x", "--with", "Nobody"]);
    assert!(
        e.contains("no person named") && e.contains("Dana Whitfield"),
        "{e}"
    );
    // An exact name wins over a longer one it prefixes.
    env.ok(&["person", "add", "Sam", "--relation", "peer"]);
    assert_eq!(
        env.json(&["add", "action", "x", "--with", "sam"])["person"],
        "Sam"
    );
}

#[test]
fn rm_hides_a_person_but_keeps_their_history() {
    let env = Env::new().with_people();
    env.ok(&["add", "action", "Pair on the RFC", "--with", "Sam"]);
    env.ok(&["person", "rm", "Sam"]);
    let names: Vec<String> = env
        .json(&["person", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().into())
        .collect();
    assert!(!names.contains(&"Sam Ortiz".to_string()));
    assert_eq!(env.json(&["list"])[0]["person"], "Sam Ortiz");
    assert_eq!(
        env.json(&["person", "list", "--all"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let e = env.fails(1, &["person", "add", "Sam Ortiz", "--relation", "peer"]);
    assert!(e.contains("archived no"), "{e}");
    env.ok(&["person", "set", "Sam Ortiz", "archived", "no"]);
    assert_eq!(env.json(&["person", "list"]).as_array().unwrap().len(), 3);
}

#[test]
fn a_person_made_manager_gets_a_managers_cadence_unless_they_have_one() {
    let env = Env::new().with_people();
    env.ok(&["person", "add", "Kim Lee", "--relation", "peer"]);
    let kim = env.json(&["person", "set", "Kim", "relation", "manager"]);
    assert_eq!(kim["cadence"], "7d");
    let sam = env.json(&["person", "set", "Sam", "cadence", "2w"]);
    assert_eq!(sam["cadence"], "2w");
    let sam = env.json(&["person", "set", "Sam", "relation", "manager"]);
    assert_eq!(sam["cadence"], "2w");
}
