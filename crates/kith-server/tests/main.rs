//! kith-server's integration tests: one binary, each module a chapter of the
//! specification. The app runs in-process (`tower::ServiceExt::oneshot`) on a fresh
//! store per test; tests named `…::postgres` also run on PostgreSQL when
//! `KITH_TEST_DATABASE_URL` is set. `browser` drives Chromium with Playwright.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod activations;
mod advocacy;
mod api;
mod auth;
mod browser;
mod imports;
mod lifecycle;
mod pages;
mod payouts;
mod person_links;
mod portal;
mod programs;
mod review;
mod roles;
mod settings;
mod single_use;
mod tracking;
mod webhooks;
