//! Fields of a query string, a form or a JSON body, read without a fixed shape: a form or a
//! URL may carry any field, repeat one (`alternative=…&alternative=…`), or leave one out, and
//! none of that may fail before the handler can say what was wrong in words (a 4xx, never a
//! 500). The rules about what a value may be stay in the domain's parsers.

use crate::error::WebError;
use serde_json::Value;

/// The fields of a query string or a urlencoded form, in order.
pub type Pairs = Vec<(String, String)>;

/// The first value of `name`, when given.
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
pub fn json_object(
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
