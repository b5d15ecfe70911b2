//! Fuzzes the TikTok API reader (user info and video list): it must end, without panicking, on any bytes.
#![no_main]

use kith_io::formats::RecordKind;
use kith_io::formats::fuzzing::exercise;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    exercise("tiktok", RecordKind::Posts, "tiktok.json", data);
});
