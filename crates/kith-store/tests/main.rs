//! kith-store's integration tests: one binary, each module a chapter of the
//! specification. Tests written with `store_tests!` run on SQLite and on PostgreSQL
//! (`KITH_TEST_DATABASE_URL`); see `kith_store::testing`.

// Clippy's test allowance covers `#[test]` functions only, not the spec functions that
// `store_tests!` wraps or the fixtures: a failed call should fail the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod activations;
mod advocacy;
mod attribution;
mod auth;
mod candidates;
mod exchange;
mod fixtures;
mod identity;
mod import;
mod migrations;
mod population;
mod programs;
mod reads;
mod speed;
mod versions;
