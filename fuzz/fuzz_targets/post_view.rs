//! Fuzzes the direct reader of post lines (kith-core's `post_facts::scan`): whatever it
//! reads, serde must read the same way.
//!
//! Raw bytes rarely make a post line, so unless the input starts with `{` each byte
//! picks a token of one, and the fuzzer assembles lines from keys, values and
//! punctuation.
#![no_main]

use kith_core::post_facts::assert_reads_as_serde;
use libfuzzer_sys::fuzz_target;

const TOKENS: &[&str] = &[
    "{", "}", "[", "]", ":", ",", " ", "\t", "\"", "\\", "\"platform\"", "\"handle\"",
    "\"post_id\"", "\"posted_at\"", "\"kind\"", "\"caption\"", "\"likes\"", "\"comments\"",
    "\"shares\"", "\"saves\"", "\"views\"", "\"is_sponsored\"", "\"comments_sample\"",
    "\"extra\"", "\"instagram\"", "\"tiktok\"", "\"youtube\"", "\"x\"", "\"maya\"", "\"@Maya\"",
    "\"p1\"", "\"reel\"", "\"image\"", "\"2026-10-01T12:00:00Z\"", "\"2026-10-01T12:00:00+02:00\"",
    "\"nice\"", "\"🔥🔥\"", "\"a\\nb\"", "\"\\u00e9\"", "null", "true", "false", "0", "7", "12",
    "012", "-1", "1.5", "1e3", "18446744073709551615", "18446744073709551616", "é", "x",
];

fuzz_target!(|data: &[u8]| {
    if data.first() == Some(&b'{') {
        if let Ok(text) = std::str::from_utf8(data) {
            assert_reads_as_serde(text);
        }
        return;
    }
    let line: String = data
        .iter()
        .map(|&b| TOKENS[usize::from(b) % TOKENS.len()])
        .collect();
    assert_reads_as_serde(&line);
});
