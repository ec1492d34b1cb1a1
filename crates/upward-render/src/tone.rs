//! The tone check's warnings (docs/tone.md) as the command line prints them and its JSON
//! carries them: a hint line each, and a `warnings` list of `{"rule", "found", "suggestion"}`.

use upward_domain::Item;
use upward_domain::tone::Warning;

/// An item as `add --json` and `edit --json` print it (and the web API answers): its JSON with
/// the tone check's `warnings` (`[]` when there are none or its kind is not checked).
pub fn item_json(item: &Item, warnings: &[Warning]) -> serde_json::Value {
    let mut v = item.to_json();
    if let Some(map) = v.as_object_mut() {
        map.insert(
            "warnings".into(),
            serde_json::to_value(warnings).expect("a warning always serializes"),
        );
    }
    v
}

/// `upward check --json`: `{"warnings": [...]}`.
pub fn check_json(warnings: &[Warning]) -> serde_json::Value {
    serde_json::json!({ "warnings": warnings })
}

/// `upward check`: each flag on a line with its suggestion, or that there is none.
pub fn check_text(warnings: &[Warning]) -> String {
    if warnings.is_empty() {
        return "No tone flags.\n".to_string();
    }
    let mut out = String::new();
    for w in warnings {
        out.push_str(&format!("- {}\n", w.line()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use upward_domain::tone::{Lexicon, check};

    #[test]
    fn each_flag_is_a_line_and_none_says_so() {
        let lex = Lexicon::builtin();
        assert_eq!(check_text(&check("Fine.", &lex)), "No tone flags.\n");
        let t = check_text(&check("You never test!!", &lex));
        assert_eq!(t.lines().count(), 2, "{t}");
        assert!(t.starts_with("- tone (blame): \"You never\" puts the fault on them"));
        let j = check_json(&check("STOP", &lex));
        assert_eq!(j["warnings"][0]["rule"], "shouting");
        assert_eq!(j["warnings"][0]["found"], "STOP");
    }
}
