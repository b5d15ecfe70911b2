//! Entry points for fuzzing the readers: the cargo-fuzz targets in `fuzz/` and the
//! bounded property tests both run every format over arbitrary bytes through these.
//!
//! The property checked is the one bad input must never break: every reader ends,
//! without panicking, and every error it gives names a file and a line (a row, in a
//! Parquet file).

use crate::formats::{Input, Mapping, Position, RecordKind, open_input};

/// A mapping that touches every kind of value a generic CSV row can hold.
const PROFILE_MAPPING: &str = "[fields]\nplatform = { value = \"instagram\" }\nhandle = { index = 1 }\nfollowers = { index = 2 }\nfetched_at = { index = 3 }\nis_verified = { index = 4 }\n";

/// Every `(format, kind, file name)` the fuzzers drive.
pub const TARGETS: &[(&str, RecordKind, &str)] = &[
    ("shopify", RecordKind::Customers, "customers.csv"),
    ("klaviyo", RecordKind::Customers, "profiles.csv"),
    ("bamboohr", RecordKind::Employees, "employees.csv"),
    ("judgeme", RecordKind::Reviews, "judgeme.csv"),
    ("yotpo", RecordKind::Reviews, "yotpo.csv"),
    ("shopify-orders", RecordKind::Orders, "orders.csv"),
    ("shopify-orders", RecordKind::Orders, "orders.json"),
    ("ndjson", RecordKind::Customers, "customers.ndjson"),
    ("csv", RecordKind::Profiles, "profiles.csv"),
    ("parquet", RecordKind::Posts, "posts.parquet"),
    (
        "instagram-graph",
        RecordKind::Profiles,
        "business_discovery.json",
    ),
    ("tiktok", RecordKind::Posts, "tiktok.json"),
    ("youtube", RecordKind::Posts, "youtube.json"),
    ("x", RecordKind::Posts, "tweets.json"),
    ("instaloader", RecordKind::Profiles, "instaloader.json"),
];

/// Reads `bytes` to the end as one format; panics only if an invariant breaks.
pub fn exercise(format: &str, kind: RecordKind, file: &str, bytes: &[u8]) {
    let mapping = (format == "csv").then(|| Mapping::parse(PROFILE_MAPPING, "map.toml"));
    let mapping = match mapping {
        Some(Ok(m)) => Some(m),
        Some(Err(e)) => panic!("the fuzzing mapping is valid: {e}"),
        None => None,
    };
    let input = Input::from_bytes(bytes.to_vec(), file, kind);
    let Ok(opened) = open_input(input, Some(format), mapping) else {
        return;
    };
    for result in opened.records {
        if let Err(e) = result {
            assert_eq!(e.error.file, file);
            let named = match e.error.position {
                Position::Line(n) | Position::Row(n) => n >= 1,
                Position::File => false,
            };
            assert!(named, "an error names a line or a row: {e}");
            if !e.recoverable {
                break;
            }
        }
    }
}

/// Reads `bytes` as every format (a JSON-looking input also goes through JSON paths).
pub fn exercise_all(bytes: &[u8]) {
    for (format, kind, file) in TARGETS {
        exercise(format, *kind, file, bytes);
    }
}
