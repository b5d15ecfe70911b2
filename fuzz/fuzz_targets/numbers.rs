//! Fuzzes the parsers of numbers, dates, booleans and handles on any text.
#![no_main]

use kith_io::formats::{number, values};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = number::parse_count(text);
        let _ = number::parse_integer(text);
        let _ = number::parse_amount(text);
        let _ = number::parse_percent(text);
        let _ = values::parse_bool(text);
        let _ = values::parse_timestamp(text);
        let _ = values::parse_handle(text);
        let _ = values::split_list(text, ',');
    }
});
