//! Reading fixtures and picking records apart.

use std::io::BufReader;
use std::path::PathBuf;

use kith_core::{Post, Profile, Record};
use kith_io::ndjson::LineError;
use kith_io::social::{SocialFormat, SocialOptions};
use time::OffsetDateTime;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/social")
        .join(name)
}

/// Every result of reading a fixture.
pub fn read_with(
    format: SocialFormat,
    name: &str,
    fetched_at: Option<OffsetDateTime>,
) -> Vec<Result<Record, LineError>> {
    let file = std::fs::File::open(fixture(name)).unwrap();
    format
        .reader(BufReader::new(file), name, SocialOptions { fetched_at })
        .collect()
}

/// The records of a fixture that must read cleanly.
pub fn read_ok(
    format: SocialFormat,
    name: &str,
    fetched_at: Option<OffsetDateTime>,
) -> Vec<Record> {
    read_with(format, name, fetched_at)
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// Reads text given inline, named `inline.json` in errors.
pub fn read_text(format: SocialFormat, text: &str) -> Vec<Result<Record, LineError>> {
    format
        .reader(text.as_bytes(), "inline.json", SocialOptions::default())
        .collect()
}

pub fn profiles(records: &[Record]) -> Vec<&Profile> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Profile(p) => Some(p),
            _ => None,
        })
        .collect()
}

pub fn posts(records: &[Record]) -> Vec<&Post> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Post(p) => Some(p),
            _ => None,
        })
        .collect()
}

/// The first error of a read that must fail.
pub fn first_error(results: Vec<Result<Record, LineError>>) -> LineError {
    results
        .into_iter()
        .find_map(Result::err)
        .expect("the read should fail")
}
