//! The social-platform readers, read as a specification: each platform's documented
//! response shapes in, canonical profiles and posts out, and bad input named by file,
//! line, field and value.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bad_input;
mod instagram;
mod platforms;
mod speed;
mod support;
