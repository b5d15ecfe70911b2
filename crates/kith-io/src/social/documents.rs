//! Finds the JSON documents in a file — one response, an array of them, or NDJSON — and
//! remembers the physical line (and column) each one starts on.
//!
//! The file is scanned byte by byte with a small state machine (inside a string or not,
//! nesting depth), so documents stream with memory bounded by [`MAX_DOCUMENT_BYTES`]
//! whatever the file's size, and nothing recurses however deep the nesting. When the
//! first document starts and ends on one line the file is taken as NDJSON: from then on a
//! line break always ends a document, so one broken line is reported as that line instead
//! of swallowing the lines after it.

use std::io::BufRead;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A document longer than this is an error, not an allocation.
pub const MAX_DOCUMENT_BYTES: usize = 8 * 1024 * 1024;

/// One JSON object found in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// 1-based physical line of the opening `{`.
    pub line: u64,
    /// 1-based byte column of the opening `{`.
    pub column: u64,
    pub text: String,
}

/// Why the file could not be split into documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Top {
    /// Nothing but whitespace so far.
    Start,
    /// Inside a top-level `[`: its elements are the documents.
    Array,
    /// Objects one after another (NDJSON, or concatenated pretty-printed JSON).
    Stream,
}

/// Streams the documents of one input.
#[derive(Debug)]
pub struct Documents<R> {
    input: R,
    scan: Scanner,
    bytes: Arc<AtomicU64>,
    finished: bool,
}

/// The state machine, apart from the input so both can be borrowed at once.
#[derive(Debug)]
struct Scanner {
    /// Physical line and byte column of the next byte, 1-based.
    line: u64,
    column: u64,
    offset: u64,
    top: Top,
    ndjson: bool,
    seen_first: bool,
    // The document being collected.
    collecting: bool,
    depth: usize,
    in_string: bool,
    escaped: bool,
    start: (u64, u64),
    buf: Vec<u8>,
}

/// What one byte did.
enum Step {
    More,
    Complete,
    Bad(String),
}

impl<R: BufRead> Documents<R> {
    pub fn new(input: R) -> Self {
        Documents {
            input,
            scan: Scanner {
                line: 1,
                column: 1,
                offset: 0,
                top: Top::Start,
                ndjson: false,
                seen_first: false,
                collecting: false,
                depth: 0,
                in_string: false,
                escaped: false,
                start: (1, 1),
                buf: Vec::new(),
            },
            bytes: Arc::new(AtomicU64::new(0)),
            finished: false,
        }
    }

    /// A counter of the bytes consumed so far, for progress bars.
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.bytes)
    }
}

impl Scanner {
    /// Hands out the collected document and resets for the next.
    fn emit(&mut self) -> Result<Document, ScanError> {
        self.collecting = false;
        self.in_string = false;
        self.escaped = false;
        self.depth = 0;
        let bytes = std::mem::take(&mut self.buf);
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Document {
                line: self.start.0,
                column: self.start.1,
                text,
            }),
            Err(e) => {
                // Count the lines before the bad byte so the error names its own line.
                let at = e.utf8_error().valid_up_to();
                let lines = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() as u64;
                Err(ScanError {
                    line: self.start.0 + lines,
                    message: format!("not UTF-8 at byte {}", at + 1),
                })
            }
        }
    }

    fn step(&mut self, b: u8) -> Step {
        let here = (self.line, self.column);
        if b == b'\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        self.offset += 1;
        if !self.collecting {
            return match self.between(b, here) {
                Ok(()) => Step::More,
                Err(message) => Step::Bad(message),
            };
        }
        if self.buf.len() >= MAX_DOCUMENT_BYTES {
            return Step::Bad(format!(
                "the object starting on line {} is longer than {MAX_DOCUMENT_BYTES} bytes",
                self.start.0
            ));
        }
        if self.inside(b) {
            if !self.seen_first {
                self.seen_first = true;
                // One object on one line: the file is NDJSON.
                self.ndjson = self.top == Top::Stream && self.start.0 == here.0;
            }
            return Step::Complete;
        }
        Step::More
    }

    /// Handles one byte outside any document; `Err` is a message for its line.
    fn between(&mut self, b: u8, here: (u64, u64)) -> Result<(), String> {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => {}
            // A UTF-8 byte-order mark may open the file.
            0xEF | 0xBB | 0xBF if self.offset <= 3 => {}
            b'[' if self.top == Top::Start => self.top = Top::Array,
            b',' if self.top == Top::Array => {}
            b']' if self.top == Top::Array => self.top = Top::Stream,
            b'{' => {
                if self.top == Top::Start {
                    self.top = Top::Stream;
                }
                self.collecting = true;
                self.depth = 1;
                self.start = here;
                self.buf.push(b);
            }
            0x1F if self.offset == 1 => {
                return Err("the file is gzip-compressed; unpack it first".into());
            }
            0xFD if self.offset == 1 => {
                return Err("the file looks xz-compressed (Instaloader's .json.xz): unpack it with unxz, or run Instaloader with --no-compress-json".into());
            }
            _ => {
                let what = if self.top == Top::Array {
                    "an array element that is not a JSON object"
                } else {
                    "text that is not a JSON object"
                };
                let shown = char::from(b);
                let shown = if shown.is_ascii_graphic() {
                    format!(" (starts with {shown:?})")
                } else {
                    String::new()
                };
                return Err(format!("{what}{shown}"));
            }
        }
        Ok(())
    }

    /// Handles one byte inside a document; true when the document is complete.
    fn inside(&mut self, b: u8) -> bool {
        self.buf.push(b);
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            // A raw line break inside a string is invalid JSON; in NDJSON it ends the line.
            return b == b'\n' && self.ndjson;
        }
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' => {
                self.depth = self.depth.saturating_sub(1);
                return self.depth == 0;
            }
            b'\n' => return self.ndjson,
            _ => {}
        }
        false
    }
}

impl<R: BufRead> Iterator for Documents<R> {
    type Item = Result<Document, ScanError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.finished = true;
                    return Some(Err(ScanError {
                        line: self.scan.line,
                        message: format!("cannot read: {e}"),
                    }));
                }
            };
            if chunk.is_empty() {
                self.finished = true;
                // Cut short: the parser names what is missing and where.
                return self.scan.collecting.then(|| self.scan.emit());
            }
            let mut used = 0;
            let mut outcome = None;
            for &b in chunk {
                let line = self.scan.line;
                used += 1;
                match self.scan.step(b) {
                    Step::More => {}
                    Step::Complete => {
                        outcome = Some(self.scan.emit());
                        break;
                    }
                    Step::Bad(message) => {
                        let line = if self.scan.collecting {
                            self.scan.start.0
                        } else {
                            line
                        };
                        outcome = Some(Err(ScanError { line, message }));
                        break;
                    }
                }
            }
            self.input.consume(used);
            self.bytes.fetch_add(used as u64, Ordering::Relaxed);
            if let Some(result) = outcome {
                self.finished = result.is_err();
                return Some(result);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Vec<Result<(u64, u64, String), ScanError>> {
        Documents::new(text.as_bytes())
            .map(|r| r.map(|d| (d.line, d.column, d.text)))
            .collect()
    }

    #[test]
    fn one_pretty_printed_object_is_one_document_on_line_one() {
        let docs = scan("{\n  \"a\": {\"b\": \"}\"}\n}\n");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].as_ref().unwrap().0, 1);
    }

    #[test]
    fn array_elements_are_documents_with_their_own_lines() {
        let docs = scan("[\n  {\"a\": 1},\n  {\n    \"a\": 2\n  }\n]\n");
        let lines: Vec<u64> = docs.iter().map(|d| d.as_ref().unwrap().0).collect();
        assert_eq!(lines, vec![2, 3]);
        assert_eq!(
            docs[0].as_ref().unwrap().1,
            3,
            "column of the opening brace"
        );
    }

    #[test]
    fn ndjson_lines_are_documents_even_after_a_broken_line() {
        let docs = scan("{\"a\":1}\n{\"a\":\n{\"a\":3}\n");
        assert_eq!(docs.len(), 3);
        let broken = docs[1].as_ref().unwrap();
        assert_eq!((broken.0, broken.2.as_str()), (2, "{\"a\":\n"));
        assert_eq!(docs[2].as_ref().unwrap().0, 3);
    }

    #[test]
    fn braces_and_escaped_quotes_inside_strings_do_not_count() {
        let docs = scan("{\"a\": \"x\\\"}{\"}\n{\"b\": 1}");
        assert_eq!(docs.len(), 2);
    }

    #[test]
    fn text_that_is_not_an_object_is_named_with_its_line() {
        let docs = scan("\n\nhello");
        let err = docs[0].as_ref().unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("not a JSON object"), "{}", err.message);
    }

    #[test]
    fn an_unfinished_object_is_handed_to_the_parser() {
        let docs = scan("{\n \"a\": [1, 2\n");
        assert_eq!(docs[0].as_ref().unwrap().2, "{\n \"a\": [1, 2\n");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let docs = scan("\u{feff}{\"a\":1}");
        assert_eq!(docs[0].as_ref().unwrap().2, "{\"a\":1}");
    }

    #[test]
    fn xz_files_are_named_as_such() {
        let docs: Vec<_> = Documents::new(&[0xFDu8, b'7', b'z', b'X', b'Z', 0][..]).collect();
        assert!(docs[0].as_ref().unwrap_err().message.contains("xz"));
    }

    #[test]
    fn an_endless_object_stops_at_the_cap() {
        let mut text = String::from("{\"a\":\"");
        text.push_str(&"x".repeat(MAX_DOCUMENT_BYTES + 10));
        let docs = scan(&text);
        assert_eq!(docs.len(), 1);
        assert!(
            docs[0]
                .as_ref()
                .unwrap_err()
                .message
                .contains("longer than")
        );
    }
}
