//! Reading what a request carries — a query, a urlencoded form, a JSON object — into the
//! values the use cases take, with a one-line 4xx for anything malformed (never a 500). The
//! pages and the API routes share it; the parsing of the values
//! themselves (dates, durations, vocabularies) is the application layer's
//! ([`upward_app::items::Fields::input`]), as for the command line.

use crate::error::WebError;
use serde_json::Value;
use upward_app::items::{Fields, Links};
use upward_domain::ItemInput;

/// The `name=value` pairs of a query string or a urlencoded body, in order.
pub type Pairs = Vec<(String, String)>;

/// The pairs of a query string (none when there is no query).
pub fn query_pairs(query: Option<&str>) -> Result<Pairs, WebError> {
    match query {
        None => Ok(Vec::new()),
        Some(q) => serde_urlencoded::from_str(q)
            .map_err(|e| WebError::bad_request(format!("the query cannot be read: {e}"))),
    }
}

/// The pairs of a urlencoded form body.
pub fn form_pairs(body: &[u8]) -> Result<Pairs, WebError> {
    serde_urlencoded::from_bytes(body)
        .map_err(|e| WebError::bad_request(format!("the form cannot be read: {e}")))
}

/// The first non-empty value of `name` (an empty form field is a field not filled in).
pub fn get<'a>(pairs: &'a Pairs, name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.as_str())
}

/// Whether a flag (`?shared=1`, a ticked checkbox) is on.
pub fn flag(pairs: &Pairs, name: &str) -> bool {
    get(pairs, name).is_some_and(|v| !matches!(v.trim(), "0" | "false" | "no" | "off"))
}

/// An item or meeting id as typed (`12` or `#12`): a positive whole number.
pub fn id(s: &str) -> Result<i64, WebError> {
    s.trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            WebError::bad_request(format!(
                "id `{}` is not valid — accepted: a number such as 12",
                s.escape_debug()
            ))
        })
}

/// A JSON request body: an object, else a 400.
pub fn json_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, WebError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(WebError::bad_request("the body must be a JSON object")),
        Err(e) => Err(WebError::bad_request(format!("the body is not JSON: {e}"))),
    }
}

/// The keys of a stored item that upward sets itself.
const SERVER_KEYS: &[&str] = &[
    // The tone check's answer to an add or an edit (docs/tone.md).
    "warnings",
    "id",
    "uuid",
    "status",
    "created",
    "done",
    "created_at",
    "updated_at",
    "person_uuid",
    "original_due",
    "renegotiated",
    "ranked",
    "confirmed_by",
    "communicated_severity",
    "communicated_likelihood",
    "communicated_state",
    "meeting",
    "why",
    "discussed",
];

/// An item in the JSON item shape as form pairs; `kind` is returned apart. An unknown key is
/// refused (a typo would otherwise be silently ignored).
pub fn pairs_of_item_json(
    object: &serde_json::Map<String, Value>,
) -> Result<(Option<String>, Pairs), WebError> {
    let mut kind = None;
    let mut pairs = Vec::new();
    for (key, value) in object {
        let text = |v: &Value| -> Result<Option<String>, WebError> {
            match v {
                Value::Null => Ok(None),
                Value::String(s) => Ok(Some(s.clone())),
                Value::Number(n) => Ok(Some(n.to_string())),
                Value::Bool(b) => Ok(Some(if *b { "yes" } else { "no" }.to_string())),
                _ => Err(WebError::bad_request(format!(
                    "`{key}` must be a string, a number or a boolean"
                ))),
            }
        };
        match key.as_str() {
            "kind" => kind = text(value)?,
            // Set by upward, not by a request: a stored item sent back is accepted as is.
            k if SERVER_KEYS.contains(&k) => {}
            "tags" => {
                let Value::Array(tags) = value else {
                    return Err(WebError::bad_request("`tags` must be a list of strings"));
                };
                for t in tags {
                    match t {
                        Value::String(s) => pairs.push(("tag".to_string(), s.clone())),
                        _ => {
                            return Err(WebError::bad_request("`tags` must be a list of strings"));
                        }
                    }
                }
            }
            "visibility" => match text(value)?.as_deref().map(str::trim) {
                None => {}
                Some("shared") => pairs.push(("shared".into(), "1".into())),
                Some("private") => pairs.push(("private".into(), "1".into())),
                Some(other) => {
                    return Err(WebError::bad_request(format!(
                        "visibility `{}` is not valid — accepted: private, shared",
                        other.escape_debug()
                    )));
                }
            },
            k => {
                // The item's own keys (those upward sets itself are taken out above).
                let settable = matches!(k, "title" | "person" | "due" | "body")
                    || upward_domain::item::KIND_FIELDS.contains(&k);
                if !settable {
                    return Err(WebError::bad_request(format!(
                        "unknown field `{}` — the fields are those of an item: title, person, due, tags, body, visibility and the kind's own",
                        k.escape_debug()
                    )));
                }
                // By their form names, as the pages send them.
                let name = match k {
                    "person" => "with",
                    "for_item" => "for",
                    k => k,
                };
                if let Some(v) = text(value)? {
                    pairs.push((name.to_string(), v));
                }
            }
        }
    }
    Ok((kind, pairs))
}

/// What a form or JSON object says about an item, ready for `add` or `edit`.
pub struct ItemRequest {
    pub title: Option<String>,
    pub with: Option<String>,
    pub fields: Fields,
    pub links: Links,
    /// `private`: make it private again (undoes shared).
    pub private: bool,
}

impl ItemRequest {
    /// Reads the item keys of `pairs` (others are ignored: a form also carries its CSRF token).
    pub fn from_pairs(pairs: &Pairs) -> Result<ItemRequest, WebError> {
        let s = |name: &str| get(pairs, name).map(str::to_string);
        let tags = pairs
            .iter()
            .filter(|(k, _)| k == "tag")
            .flat_map(|(_, v)| v.split(','))
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        let shared = flag(pairs, "shared");
        let private = flag(pairs, "private");
        if shared && private {
            return Err(WebError::bad_request(
                "shared and private cannot both be asked for",
            ));
        }
        let link = |name: &str| get(pairs, name).map(id).transpose();
        Ok(ItemRequest {
            title: s("title"),
            with: s("with"),
            fields: Fields {
                due: s("due"),
                tags,
                body: s("body"),
                shared,
                impact: s("impact"),
                metric: s("metric"),
                date: s("date"),
                rank: s("rank"),
                effort: s("effort"),
                confirmed: s("confirmed"),
                likelihood: s("likelihood"),
                severity: s("severity"),
                mitigation: s("mitigation"),
                communicated: s("communicated"),
                ask: s("ask"),
                data: s("data"),
                escalated: s("escalated"),
                owner: s("owner"),
                direction: s("direction"),
                tone: s("tone"),
                consent: s("consent"),
                last_discussed: s("last_discussed"),
                remaining: s("remaining"),
                state: s("state"),
                outcome: s("outcome"),
            },
            links: Links {
                for_id: link("for")?,
                answers: link("answers")?,
            },
            private,
        })
    }

    /// The parsed input (title checked; links and person are resolved in the transaction).
    pub fn input(&self, today: jiff::civil::Date) -> Result<ItemInput, WebError> {
        let mut input = self.fields.input(today)?;
        if let Some(t) = &self.title {
            upward_domain::item::validate_title(t)?;
            input.title = Some(t.clone());
        }
        if self.private {
            input.visibility = Some(upward_domain::Visibility::Private);
        }
        Ok(input)
    }
}

// Fields read without a fixed shape: a form or a URL may carry any field, repeat one
// (`alternative=…&alternative=…`), or leave one out, and none of that may fail before the
// handler can say what was wrong in words (a 4xx, never a 500).

/// The first value of `name`, when given (blank or not; [`get`] takes the first that is not).
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The first value of `name`, or a refusal naming the field.
pub fn required<'a>(pairs: &'a [(String, String)], name: &str) -> Result<&'a str, WebError> {
    field(pairs, name).ok_or_else(|| WebError::bad_request(format!("{name} is missing")))
}

/// Every value of `name`, in order.
pub fn all(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// A value that is given and not blank (an empty form field means "not given").
pub fn given<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    field(pairs, name).filter(|v| !v.trim().is_empty())
}

/// The string field `name` of a JSON object, when present and not null.
pub fn json_str<'a>(body: &'a Value, name: &str) -> Result<Option<&'a str>, WebError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(WebError::bad_request(format!("{name} must be a string")).json()),
    }
}

/// The string field `name` of a JSON object, which must be there.
pub fn json_required<'a>(body: &'a Value, name: &str) -> Result<&'a str, WebError> {
    json_str(body, name)?.ok_or_else(|| WebError::bad_request(format!("{name} is missing")).json())
}

/// A JSON field that may be a string or a whole number (a rank, a score), as text for the
/// domain's parser.
pub fn json_text(body: &Value, name: &str) -> Result<Option<String>, WebError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => {
            Err(WebError::bad_request(format!("{name} must be a string or a number")).json())
        }
    }
}

/// The body of an API write: a JSON object, or a refusal that says what it must be.
pub fn json_body(
    body: Result<axum::Json<Value>, axum::extract::rejection::JsonRejection>,
) -> Result<Value, WebError> {
    match body {
        Ok(axum::Json(v)) if v.is_object() => Ok(v),
        Ok(_) => Err(WebError::bad_request("the body must be a JSON object").json()),
        // 400 whatever the rejection (no JSON content type, bad syntax, not an object): one
        // status for "the body is not what this route takes", as the API documents.
        Err(e) => Err(WebError::bad_request(one_line(&e.body_text())).json()),
    }
}

/// A query string or form that does not parse as fields (invalid percent-encoding, say).
pub fn bad_fields(e: impl std::fmt::Display) -> WebError {
    WebError::bad_request(one_line(&e.to_string()))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
