//! Fuzzes the X API v2 reader (users and tweets): it must end, without panicking, on any bytes.
#![no_main]

use kith_io::formats::RecordKind;
use kith_io::formats::fuzzing::exercise;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    exercise("x", RecordKind::Posts, "tweets.json", data);
});
