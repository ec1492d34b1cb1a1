//! The pages: one module per section of the navigation, each with its routes. A handler reads
//! or writes in one transaction through `upward-app` and draws the result with maud; a form
//! posts, and the answer is a redirect to the page that shows what changed (so a reload does
//! not send it twice).

pub(crate) mod agenda;
pub(crate) mod input;
mod items;
mod today;
mod update;

use crate::state::AppState;
use axum::Router;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .merge(today::routes())
        .merge(items::routes())
        .merge(agenda::routes())
        .merge(update::routes())
}
