//! The pages: one module per area, each with its `routes()`. A handler that needs a signed-in
//! account takes a [`crate::Caller`] (a page GET without one is sent to /login); a form posts,
//! and the answer is a redirect to the page that shows what changed (a reload does not send
//! it twice). Every form carries the session's CSRF token ([`crate::layout::csrf_field`]).

mod login;
mod password;
mod settings;
mod spaces;

use crate::state::AppState;
use axum::Router;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .merge(login::routes())
        .merge(password::routes())
        .merge(settings::routes())
        .merge(spaces::routes())
}

/// A form's fields as pairs (a field sent twice keeps its first value; an unknown field is
/// ignored), so that a handler reads what it needs and says what is missing.
#[derive(Debug, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The field, or "" when absent.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for Fields {
    type Rejection = crate::ServerError;

    async fn from_request(
        req: axum::extract::Request,
        state: &S,
    ) -> Result<Fields, crate::ServerError> {
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|e| {
                crate::ServerError::bad_request(format!(
                    "the form could not be read ({e}) — send it from the page"
                ))
            })?;
        Ok(Fields(pairs))
    }
}
