//! Benchmark support for upward: a deterministic, realistic workspace of N items (ten years
//! of heavy use), the same content written for jrnl, Taskwarrior and ripgrep, and the
//! snapshots the Criterion benches run the workflows over. See `bench/RESULTS.md`.

pub mod peers;
pub mod rng;
pub mod server;
pub mod text;
pub mod workspace;

/// The "now" every benchmark runs at, so every run sees the same workspace and the same
/// due dates (`UPWARD_NOW` overrides it, as it does for upward).
pub const BENCH_NOW: &str = "2026-11-23";

/// The seed of the generator unless one is given.
pub const DEFAULT_SEED: u64 = 20261123;
