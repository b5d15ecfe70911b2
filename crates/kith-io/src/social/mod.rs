//! Social-platform files in: the platforms' own API responses (and Instaloader's
//! metadata) read as canonical profiles and posts.
//!
//! A file may hold one response, a JSON array of responses, or NDJSON (one per line);
//! [`documents`] finds them and remembers the line each starts on. Each platform module
//! maps one response to records — a profile, then its posts — through typed structs whose
//! fields parse the platform's spellings of counts, ids and times ([`values`]), so a bad
//! value fails with its field path, physical line and the value itself:
//! `creators.json:14: field "business_discovery.media.data[1].timestamp": "2024-13-02T…"
//! is not a timestamp …`. Reading stops at the first bad document, like
//! [`crate::ndjson`]. Nothing here reads the clock: a profile's `fetched_at` comes from
//! the response's `kith` envelope, else from [`SocialOptions::fetched_at`], else is empty.
//!
//! # Layout
//! - [`SocialFormat`]: the names (`instagram-graph`, `tiktok`, `youtube`, `x`,
//!   `instaloader`), recognisers for format guessing, and [`SocialFormat::reader`].
//! - [`instagram`], [`tiktok`], [`youtube`], [`x`], [`instaloader`]: one mapper each.
//! - [`documents`]: the JSON document scanner; [`values`]: counts, ids, times, errors.

pub mod documents;
pub mod instagram;
pub mod instaloader;
pub mod tiktok;
pub mod values;
pub mod x;
pub mod youtube;

use std::collections::VecDeque;
use std::io::BufRead;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use kith_core::Record;
use time::OffsetDateTime;

use crate::ndjson::{LineError, Position};
use documents::Documents;
pub use values::{DocContext, DocError};

/// A social file format, by the name `--format` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SocialFormat {
    InstagramGraph,
    Tiktok,
    Youtube,
    X,
    Instaloader,
}

impl SocialFormat {
    pub const ALL: [SocialFormat; 5] = [
        SocialFormat::InstagramGraph,
        SocialFormat::Tiktok,
        SocialFormat::Youtube,
        SocialFormat::X,
        SocialFormat::Instaloader,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            SocialFormat::InstagramGraph => "instagram-graph",
            SocialFormat::Tiktok => "tiktok",
            SocialFormat::Youtube => "youtube",
            SocialFormat::X => "x",
            SocialFormat::Instaloader => "instaloader",
        }
    }

    pub fn parse(name: &str) -> Option<SocialFormat> {
        SocialFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the first bytes of a file (a few KiB is plenty) look like this format.
    pub fn looks_like(self, head: &[u8]) -> bool {
        match self {
            SocialFormat::InstagramGraph => instagram::looks_like(head),
            SocialFormat::Tiktok => tiktok::looks_like(head),
            SocialFormat::Youtube => youtube::looks_like(head),
            SocialFormat::X => x::looks_like(head),
            SocialFormat::Instaloader => instaloader::looks_like(head),
        }
    }

    /// The one social format the head looks like, if exactly one does.
    pub fn guess(head: &[u8]) -> Option<SocialFormat> {
        let mut matches = SocialFormat::ALL.into_iter().filter(|f| f.looks_like(head));
        let first = matches.next()?;
        matches.next().is_none().then_some(first)
    }

    /// Maps one document (one response) to records.
    pub fn map(self, text: &str, ctx: &mut DocContext) -> Result<Vec<Record>, DocError> {
        match self {
            SocialFormat::InstagramGraph => instagram::map(text, ctx),
            SocialFormat::Tiktok => tiktok::map(text, ctx),
            SocialFormat::Youtube => youtube::map(text, ctx),
            SocialFormat::X => x::map(text, ctx),
            SocialFormat::Instaloader => instaloader::map(text, ctx),
        }
    }

    /// Streams the records of one file; `file` is the name used in error messages.
    pub fn reader<R: BufRead>(
        self,
        input: R,
        file: impl Into<String>,
        options: SocialOptions,
    ) -> SocialReader<R> {
        SocialReader {
            format: self,
            documents: Documents::new(input),
            file: file.into(),
            ctx: DocContext::new(options.fetched_at),
            pending: VecDeque::new(),
            failed: false,
        }
    }
}

impl std::fmt::Display for SocialFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What the caller knows that the file may not say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SocialOptions {
    /// When the responses were fetched, for profiles whose response does not say.
    pub fetched_at: Option<OffsetDateTime>,
}

/// Streams the records of one social file: each profile, then its posts.
#[derive(Debug)]
pub struct SocialReader<R> {
    format: SocialFormat,
    documents: Documents<R>,
    file: String,
    ctx: DocContext,
    pending: VecDeque<Record>,
    failed: bool,
}

impl<R: BufRead> SocialReader<R> {
    /// A counter of the bytes consumed so far, for progress bars.
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        self.documents.bytes_read()
    }

    fn error(&self, line: u64, field: Option<String>, message: String) -> LineError {
        LineError {
            file: self.file.clone(),
            position: Position::Line(line),
            field,
            message,
        }
    }
}

impl<R: BufRead> Iterator for SocialReader<R> {
    type Item = Result<Record, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(record) = self.pending.pop_front() {
                return Some(Ok(record));
            }
            if self.failed {
                return None;
            }
            let doc = match self.documents.next()? {
                Ok(d) => d,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(self.error(e.line, None, e.message)));
                }
            };
            match self.format.map(&doc.text, &mut self.ctx) {
                Ok(records) => self.pending.extend(records),
                Err(e) => {
                    self.failed = true;
                    let line = doc.line + e.line - 1;
                    // Columns on the document's first line start where the document does.
                    let column = e
                        .column
                        .map(|c| if e.line == 1 { c + doc.column - 1 } else { c });
                    let message = match column {
                        Some(c) if e.field.is_none() => format!("{} (column {c})", e.message),
                        _ => e.message,
                    };
                    return Some(Err(self.error(line, e.field, message)));
                }
            }
        }
    }
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in SocialFormat::ALL {
            assert_eq!(SocialFormat::parse(f.name()), Some(f));
        }
    }

    #[test]
    fn canonical_ndjson_is_no_social_format() {
        let head = br#"{"platform":"instagram","handle":"ana","followers":1200}"#;
        assert_eq!(SocialFormat::guess(head), None);
    }
}
