//! Streams the elements of a JSON list of records without reading the whole file: the
//! Admin API's `{"orders": [ … ]}`, a bare `[ … ]`, a single `{"order": { … }}` or a bare
//! object, and any number of these one after another (pages saved into one file).
//!
//! The scanner only finds where each element begins and ends (strings, escapes and
//! bracket depth); serde_json then parses each element on its own. That is what gives
//! every element its physical line, keeps memory to one element (at most
//! [`MAX_ELEMENT_BYTES`]), and lets a bad element be set aside while the rest is read.
//! Nesting is counted, not recursed into, so no input can exhaust the stack.

use std::io::{BufRead, BufReader, Read};

/// The largest single element (one order) read.
pub const MAX_ELEMENT_BYTES: usize = 16 * 1024 * 1024;
const MAX_KEY_BYTES: usize = 4096;

/// One element of the list, as raw JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// The physical line the element starts on.
    pub line: u64,
    pub bytes: Vec<u8>,
    /// The element is a whole object holding the record under `"order"` (a webhook body
    /// or a single-order API response) rather than the record itself.
    pub wrapped: bool,
}

/// Why the file cannot be read on: the line and what is wrong.
pub type ScanError = (u64, String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Top,
    InArray { in_object: bool, first: bool },
    RestOfObject,
    Done,
}

/// The elements of a JSON list of records, read incrementally.
pub struct JsonElements<R> {
    input: BufReader<R>,
    line: u64,
    state: State,
    recording: Option<Vec<u8>>,
}

impl<R: Read> JsonElements<R> {
    pub fn new(input: R) -> Self {
        JsonElements {
            input: BufReader::with_capacity(1 << 16, input),
            line: 1,
            state: State::Top,
            recording: None,
        }
    }

    fn peek(&mut self) -> Result<Option<u8>, ScanError> {
        loop {
            match self.input.fill_buf() {
                Ok(buf) => return Ok(buf.first().copied()),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err((self.line, format!("cannot read: {e}"))),
            }
        }
    }

    fn bump(&mut self) -> Result<Option<u8>, ScanError> {
        let b = self.peek()?;
        if let Some(b) = b {
            self.input.consume(1);
            if b == b'\n' {
                self.line += 1;
            }
            if let Some(rec) = &mut self.recording {
                if rec.len() >= MAX_ELEMENT_BYTES {
                    return Err((self.line, too_long()));
                }
                rec.push(b);
            }
        }
        Ok(b)
    }

    fn skip_ws(&mut self) -> Result<Option<u8>, ScanError> {
        loop {
            match self.peek()? {
                Some(b' ' | b'\t' | b'\r' | b'\n') => {
                    self.bump()?;
                }
                // A byte-order mark before the first value.
                Some(0xEF | 0xBB | 0xBF) if self.line == 1 => {
                    self.bump()?;
                }
                other => return Ok(other),
            }
        }
    }

    fn expect(&mut self, wanted: u8) -> Result<(), ScanError> {
        match self.bump()? {
            Some(b) if b == wanted => Ok(()),
            Some(b) => Err(unexpected(self.line, b, wanted)),
            None => Err((self.line, "the JSON ends too early".into())),
        }
    }

    /// Consumes one string (the opening quote is next) and returns its raw content when
    /// `keep` (capped), or an empty vector.
    fn string(&mut self, keep: bool) -> Result<Vec<u8>, ScanError> {
        self.expect(b'"')?;
        let mut text = Vec::new();
        loop {
            match self.bump()? {
                None => return Err((self.line, "a string is never closed".into())),
                Some(b'"') => return Ok(text),
                Some(b) => {
                    let escaped = if b == b'\\' { self.bump()? } else { None };
                    if keep && text.len() < MAX_KEY_BYTES {
                        text.push(b);
                        text.extend(escaped);
                    }
                }
            }
        }
    }

    /// Consumes one complete value, counting bracket depth (never recursing).
    fn value(&mut self) -> Result<(), ScanError> {
        let mut depth: u64 = 0;
        loop {
            match self.peek()? {
                None => return Err((self.line, "the JSON ends too early".into())),
                Some(b'"') => {
                    self.string(false)?;
                }
                Some(b'{' | b'[') => {
                    self.bump()?;
                    depth += 1;
                }
                Some(b'}' | b']') if depth > 0 => {
                    self.bump()?;
                    depth -= 1;
                }
                // A scalar ends at a delimiter; inside a container everything is part of it.
                Some(b',' | b'}' | b']') if depth == 0 => return Ok(()),
                Some(_) => {
                    self.bump()?;
                }
            }
            if depth == 0 {
                // Containers and strings end exactly here; scalars at the next delimiter.
                match self.peek()? {
                    Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') | None => {
                        return Ok(());
                    }
                    _ => {}
                }
            }
        }
    }

    /// One value, recorded as an element.
    fn element(&mut self, wrapped: bool) -> Result<Element, ScanError> {
        let line = self.line;
        self.recording = Some(Vec::new());
        let result = self.value();
        let bytes = self.recording.take().unwrap_or_default();
        result.map(|()| Element {
            line,
            bytes,
            wrapped,
        })
    }

    /// A top-level object: either `{"orders": [` (streamed from there) or one record,
    /// possibly under `"order"`, recorded whole.
    fn object_head(&mut self) -> Result<Option<Element>, ScanError> {
        let line = self.line;
        self.recording = Some(Vec::new());
        let result = self.object_keys();
        let recorded = self.recording.take().unwrap_or_default();
        match result? {
            ObjectEnd::OrdersArray => Ok(None),
            ObjectEnd::Closed { saw_order } => Ok(Some(Element {
                line,
                bytes: recorded,
                wrapped: saw_order,
            })),
        }
    }

    fn object_keys(&mut self) -> Result<ObjectEnd, ScanError> {
        self.expect(b'{')?;
        let mut saw_order = false;
        loop {
            match self.skip_ws()? {
                Some(b'}') => {
                    self.bump()?;
                    return Ok(ObjectEnd::Closed { saw_order });
                }
                Some(b'"') => {}
                Some(b) => return Err(unexpected(self.line, b, b'"')),
                None => return Err((self.line, "the JSON ends too early".into())),
            }
            let key = self.string(true)?;
            self.skip_ws()?;
            self.expect(b':')?;
            let next = self.skip_ws()?;
            if key == b"orders" && next == Some(b'[') {
                self.recording = None;
                self.bump()?;
                return Ok(ObjectEnd::OrdersArray);
            }
            saw_order |= key == b"order";
            self.value()?;
            match self.skip_ws()? {
                Some(b',') => {
                    self.bump()?;
                }
                Some(b'}') => {}
                Some(b) => return Err(unexpected(self.line, b, b',')),
                None => return Err((self.line, "the JSON ends too early".into())),
            }
        }
    }

    /// The next element, `None` at the end of the input.
    pub fn next_element(&mut self) -> Option<Result<Element, ScanError>> {
        let result = self.step();
        if !matches!(result, Some(Ok(_))) {
            self.state = State::Done;
        }
        result
    }

    fn step(&mut self) -> Option<Result<Element, ScanError>> {
        loop {
            match self.state {
                State::Done => return None,
                State::Top => match self.skip_ws() {
                    Err(e) => return Some(Err(e)),
                    Ok(None) => return None,
                    Ok(Some(b'[')) => {
                        if let Err(e) = self.bump() {
                            return Some(Err(e));
                        }
                        self.state = State::InArray {
                            in_object: false,
                            first: true,
                        };
                    }
                    Ok(Some(b'{')) => match self.object_head() {
                        Err(e) => return Some(Err(e)),
                        Ok(Some(element)) => return Some(Ok(element)),
                        Ok(None) => {
                            self.state = State::InArray {
                                in_object: true,
                                first: true,
                            }
                        }
                    },
                    Ok(Some(b)) => {
                        let message = format!(
                            "expected a JSON list of orders ('[' or '{{'), found {:?}",
                            char::from(b)
                        );
                        return Some(Err((self.line, message)));
                    }
                },
                State::InArray { in_object, first } => match self.array_step(first) {
                    Err(e) => return Some(Err(e)),
                    Ok(Some(element)) => {
                        self.state = State::InArray {
                            in_object,
                            first: false,
                        };
                        return Some(Ok(element));
                    }
                    Ok(None) if in_object => self.state = State::RestOfObject,
                    Ok(None) => self.state = State::Top,
                },
                State::RestOfObject => match self.rest_of_object() {
                    Err(e) => return Some(Err(e)),
                    Ok(()) => self.state = State::Top,
                },
            }
        }
    }

    /// The next element of an array, or `None` at its closing bracket.
    fn array_step(&mut self, first: bool) -> Result<Option<Element>, ScanError> {
        match self.skip_ws()? {
            Some(b']') => {
                self.bump()?;
                return Ok(None);
            }
            Some(b',') if !first => {
                self.bump()?;
                self.skip_ws()?;
            }
            Some(b) if !first => return Err(unexpected(self.line, b, b',')),
            None => return Err((self.line, "the JSON ends too early".into())),
            Some(_) => {}
        }
        self.element(false).map(Some)
    }

    /// Skips what follows the `"orders"` array in its object (`"next": …` and so on).
    fn rest_of_object(&mut self) -> Result<(), ScanError> {
        loop {
            match self.skip_ws()? {
                Some(b'}') => {
                    self.bump()?;
                    return Ok(());
                }
                Some(b',') => {
                    self.bump()?;
                    self.skip_ws()?;
                    self.string(false)?;
                    self.skip_ws()?;
                    self.expect(b':')?;
                    self.skip_ws()?;
                    self.value()?;
                }
                Some(b) => return Err(unexpected(self.line, b, b'}')),
                None => return Err((self.line, "the JSON ends too early".into())),
            }
        }
    }
}

enum ObjectEnd {
    OrdersArray,
    Closed { saw_order: bool },
}

fn too_long() -> String {
    format!("one order is longer than {MAX_ELEMENT_BYTES} bytes")
}

fn unexpected(line: u64, found: u8, wanted: u8) -> ScanError {
    (
        line,
        format!(
            "not valid JSON: expected {:?}, found {:?}",
            char::from(wanted),
            char::from(found)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(text: &str) -> Vec<Result<(u64, String, bool), ScanError>> {
        let mut scanner = JsonElements::new(text.as_bytes());
        std::iter::from_fn(|| scanner.next_element())
            .map(|r| r.map(|e| (e.line, String::from_utf8(e.bytes).unwrap(), e.wrapped)))
            .collect()
    }

    #[test]
    fn the_admin_api_list_streams_each_order_with_its_line() {
        let text = "{\n \"orders\": [\n  {\"id\": 1, \"note\": \"a ] } \\\" b\"},\n  {\"id\": 2}\n ],\n \"next\": null\n}\n";
        let got = elements(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].as_ref().unwrap().0, 3);
        assert_eq!(
            got[0].as_ref().unwrap().1,
            "{\"id\": 1, \"note\": \"a ] } \\\" b\"}"
        );
        assert_eq!(got[1].as_ref().unwrap().0, 4);
    }

    #[test]
    fn a_bare_array_a_wrapped_order_and_a_bare_order_are_read() {
        let got = elements("[{\"id\":1}] {\"order\": {\"id\": 2}} {\"id\": 3}");
        let flags: Vec<bool> = got.iter().map(|r| r.as_ref().unwrap().2).collect();
        assert_eq!(flags, [false, true, false]);
    }

    #[test]
    fn truncated_json_is_an_error_naming_a_line() {
        let got = elements("{\"orders\": [\n{\"id\": 1},\n{\"id\"");
        assert!(got.last().unwrap().is_err());
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let deep = format!("[{}{}]", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(elements(&deep).len(), 1);
    }
}
