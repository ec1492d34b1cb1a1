//! The team server in process (no socket), on SQLite and on PostgreSQL: every route and every
//! status of docs/server.md's "Accounts and sessions" and "Routes".

mod support;

mod accounts;
mod outage;
mod security;
mod sessions;
mod space_pages;
mod spaces;
mod sync;
mod throttle;
mod tokens;
