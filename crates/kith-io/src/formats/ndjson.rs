//! kith's canonical NDJSON in the registry: each line is parsed and validated by
//! [`crate::ndjson::NdjsonReader`], one line at a time, so that a bad line can be set
//! aside (`--skip-bad-rows`) and reading go on with the next.

use std::io::{BufRead, BufReader, Read};

use kith_core::Record;

use crate::formats::shopify_orders::looks_like_shopify_json;
use crate::formats::{
    Format, Input, LineError, OpenError, Options, Position, RecordKind, RecordStream, RowError,
    Sniff,
};
use crate::ndjson::{MAX_LINE_BYTES, NdjsonReader};

pub const FORMAT: Format = Format {
    name: "ndjson",
    kinds: &RecordKind::ALL,
    recognise,
    open,
};

fn recognise(sniff: &Sniff) -> bool {
    match sniff.extension.as_deref() {
        Some("ndjson" | "jsonl") => true,
        _ => {
            sniff.first_byte() == Some(b'{')
                && !looks_like_shopify_json(sniff)
                && !crate::formats::social::looks_social(sniff)
        }
    }
}

fn open(input: Input, _: &Options) -> Result<Box<dyn RecordStream>, OpenError> {
    Ok(Box::new(Lines {
        file: input.file.clone(),
        kind: input.kind,
        input: BufReader::with_capacity(1 << 16, input.into_reader()),
        line: 0,
        buf: Vec::new(),
        done: false,
        columns: vec!["record".to_owned()],
    }))
}

struct Lines {
    input: BufReader<Box<dyn Read + Send>>,
    file: String,
    kind: RecordKind,
    line: u64,
    buf: Vec<u8>,
    done: bool,
    columns: Vec<String>,
}

impl Lines {
    fn fatal(&mut self, message: String) -> RowError {
        self.done = true;
        RowError::fatal(LineError {
            file: self.file.clone(),
            position: Position::Line(self.line),
            field: None,
            message,
        })
    }

    /// Reads one physical line into `buf`, refusing to grow past the cap.
    fn read_line(&mut self) -> Result<bool, RowError> {
        self.buf.clear();
        loop {
            let available = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.fatal(format!("cannot read: {e}"))),
            };
            if available.is_empty() {
                return Ok(!self.buf.is_empty());
            }
            let (chunk, done) = match available.iter().position(|b| *b == b'\n') {
                Some(i) => (&available[..=i], true),
                None => (available, false),
            };
            let n = chunk.len();
            if self.buf.len() + n > MAX_LINE_BYTES {
                self.line += 1;
                return Err(self.fatal(format!("line is longer than {MAX_LINE_BYTES} bytes")));
            }
            self.buf.extend_from_slice(chunk);
            self.input.consume(n);
            if done {
                return Ok(true);
            }
        }
    }
}

impl Iterator for Lines {
    type Item = Result<Record, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.read_line() {
                Ok(false) => self.done = true,
                Ok(true) => {
                    self.line += 1;
                    let mut one =
                        NdjsonReader::new(self.buf.as_slice(), self.file.clone(), self.kind);
                    match one.next() {
                        None => continue,
                        Some(Ok(record)) => return Some(Ok(record)),
                        Some(Err(mut e)) => {
                            e.position = Position::Line(self.line);
                            let raw = String::from_utf8_lossy(&self.buf).trim_end().to_owned();
                            return Some(Err(RowError::skippable(e, vec![raw])));
                        }
                    }
                }
                Err(e) => return Some(Err(e)),
            }
        }
        None
    }
}

impl RecordStream for Lines {
    fn columns(&self) -> &[String] {
        &self.columns
    }
}
