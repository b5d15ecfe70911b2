//! kith's formats in and out: the canonical NDJSON readers, the candidate writers (CSV,
//! JSON, NDJSON) and the generator of the demo brand.
//!
//! # Layout
//! - [`ndjson`]: streaming canonical NDJSON import with file:line:field errors.
//! - [`formats`]: every import format (Shopify, Klaviyo, BambooHR, Judge.me, Yotpo,
//!   generic CSV with a mapping, canonical NDJSON) behind one registry.
//! - [`candidates`]: candidate rows out, in the contract's column order.
//! - [`demo`]: a seeded, realistic sample brand written as the files a user would import.

pub mod candidates;
pub mod demo;
pub mod formats;
pub mod grouping;
pub mod ndjson;
pub mod social;
