//! Fuzzes the YouTube Data API reader (channels.list and videos.list): it must end, without panicking, on any bytes.
#![no_main]

use kith_io::formats::RecordKind;
use kith_io::formats::fuzzing::exercise;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    exercise("youtube", RecordKind::Posts, "youtube.json", data);
});
