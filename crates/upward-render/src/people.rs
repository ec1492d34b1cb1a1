//! People as the command line's JSON gives them where it is more than a person record.

use serde_json::{Value, json};
use upward_domain::Person;

/// What `init --json` prints (and the web app's API answers): me and my manager.
pub fn init_json(me: &Person, manager: Option<&Person>) -> Value {
    json!({ "me": me, "manager": manager })
}
