//! Invariants of scoring, checked over generated populations.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod exchange;
mod ledger;
mod properties;
