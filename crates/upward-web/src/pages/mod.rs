//! The pages: one module per section of the navigation, each with its routes. A handler reads
//! or writes in one transaction through `upward-app` and draws the result with maud; a form
//! posts, and the answer is a redirect to the page that shows what changed (so a reload does
//! not send it twice).

pub(crate) mod agenda;
pub(crate) mod decline;
pub(crate) mod input;
pub(crate) mod intake;
mod items;
pub(crate) mod paging;
pub(crate) mod people;
mod reflect;
mod review;
pub(crate) mod search;
mod spaces;
mod today;
pub(crate) mod tone;
mod transfer;
mod update;

use crate::state::AppState;
use axum::Router;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .merge(today::routes())
        .merge(people::routes())
        .merge(search::routes())
        .merge(transfer::routes())
        .merge(intake::routes())
        .merge(decline::routes())
        .merge(review::routes())
        .merge(reflect::routes())
        .merge(items::routes())
        .merge(agenda::routes())
        .merge(update::routes())
        .merge(tone::routes())
        .merge(spaces::routes())
}
