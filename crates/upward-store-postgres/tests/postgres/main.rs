//! The PostgreSQL backend against a real server: the contract suite every backend passes, and
//! what only a shared server has to prove (crashes of a writer process, many writers at once,
//! many workspaces in one database, migrations).
//!
//! The server comes from `UPWARD_TEST_POSTGRES` (a URL): `scripts/postgres run cargo test`
//! gives a throw-away one. Without it each test says SKIPPED on a laptop, and fails in CI.
//! One test binary (the modules below), so the crate links once.

mod backup;
mod common;
mod concurrency;
mod crash;
mod isolation;
mod migrations;
mod search;
mod writes;

/// The storage contract, on a fresh workspace per test in the shared test database.
mod contract {
    upward_store::contract_suite!(crate::common::fixture);
}
