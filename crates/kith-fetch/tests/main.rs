//! The live connectors against a local HTTP server that answers in each platform's
//! documented response and error shapes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod instagram;
mod mock;
mod others;
mod support;
