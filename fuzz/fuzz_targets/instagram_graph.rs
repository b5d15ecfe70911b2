//! Fuzzes the Instagram Graph API reader (Business Discovery responses): it must end, without panicking, on any bytes.
#![no_main]

use kith_io::formats::RecordKind;
use kith_io::formats::fuzzing::exercise;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    exercise("instagram-graph", RecordKind::Profiles, "business_discovery.json", data);
});
