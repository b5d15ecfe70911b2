//! The handles file: one handle per line, `@` optional, blank lines and `#` comments
//! skipped, duplicates read once. A line that is not a handle is named with its line.

use std::io::{BufRead, Read};

use kith_core::Handle;

use crate::error::FetchError;

/// A line longer than this is not a handle.
const MAX_LINE_BYTES: u64 = 4096;

pub fn read(input: impl BufRead, file: &str) -> Result<Vec<Handle>, FetchError> {
    let mut out: Vec<Handle> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut input = input;
    let mut line_no = 0u64;
    loop {
        let mut buf = Vec::new();
        let n = input
            .by_ref()
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| FetchError::Config(format!("cannot read {file}: {e}")))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let error = |message: String| FetchError::Handles {
            file: file.to_owned(),
            line: line_no,
            message,
        };
        if buf.len() as u64 > MAX_LINE_BYTES {
            return Err(error(format!("line is longer than {MAX_LINE_BYTES} bytes")));
        }
        let text = String::from_utf8(buf).map_err(|_| error("not UTF-8".into()))?;
        let text = text.trim_start_matches('\u{feff}').trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let handle = Handle::parse(text).map_err(|e| error(e.to_string()))?;
        if seen.insert(handle.clone()) {
            out.push(handle);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blanks_and_duplicates_are_skipped() {
        let handles = read(
            "# team\n@Maple.Crumbs\n\nmaple.crumbs\ntrail_notes\n".as_bytes(),
            "h.txt",
        )
        .unwrap();
        let names: Vec<&str> = handles.iter().map(Handle::as_str).collect();
        assert_eq!(names, ["maple.crumbs", "trail_notes"]);
    }

    #[test]
    fn a_bad_line_is_named() {
        let err = read("ok\ntwo words\n".as_bytes(), "h.txt").unwrap_err();
        assert_eq!(
            err.to_string(),
            "h.txt:2: handle \"two words\" contains whitespace"
        );
    }
}
