//! End-to-end tests of the `kith` binary: what a user types, what they see.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod auth;
mod backends;
mod demo;
mod discover;
mod import;
mod import_formats;
mod import_parquet;
mod matching;
mod programs;
mod score;
mod serve;
