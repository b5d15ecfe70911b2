//! Platform API responses in the registry: Instagram Graph API Business Discovery,
//! TikTok, YouTube Data API v3, X API v2 and Instaloader metadata (readers in
//! [`crate::social`]). A file yields each profile followed by its posts, so importing it
//! as `profiles` or as `posts` brings in both. Reading stops at the first bad response:
//! a response is one document, not a row that could be set aside.

use std::io::{BufReader, Read};

use kith_core::Record;

use crate::formats::{
    Format, Input, OpenError, Options, RecordKind, RecordStream, RowError, Sniff,
};
use crate::social::{SocialFormat, SocialOptions, SocialReader};

const KINDS: &[RecordKind] = &[RecordKind::Profiles, RecordKind::Posts];

macro_rules! social_format {
    ($name:ident, $variant:ident) => {
        pub const $name: Format = Format {
            name: SocialFormat::$variant.name(),
            kinds: KINDS,
            recognise: |sniff: &Sniff| SocialFormat::$variant.looks_like(sniff.head),
            open: |input: Input, _: &Options| open(SocialFormat::$variant, input),
        };
    };
}

social_format!(INSTAGRAM_GRAPH, InstagramGraph);
social_format!(TIKTOK, Tiktok);
social_format!(YOUTUBE, Youtube);
social_format!(X, X);
social_format!(INSTALOADER, Instaloader);

/// Whether a file looks like any platform's response, so canonical NDJSON does not also
/// claim it.
pub fn looks_social(sniff: &Sniff) -> bool {
    SocialFormat::ALL
        .into_iter()
        .any(|f| f.looks_like(sniff.head))
}

fn open(format: SocialFormat, input: Input) -> Result<Box<dyn RecordStream>, OpenError> {
    let file = input.file.clone();
    let reader = BufReader::with_capacity(1 << 16, input.into_reader());
    // No fetch time is invented here: a response that does not carry one (`kith fetch`
    // writes it) leaves `fetched_at` empty, and the engagement window ends "now".
    let records = format.reader(reader, file, SocialOptions::default());
    Ok(Box::new(Responses {
        records,
        columns: Vec::new(),
    }))
}

struct Responses {
    records: SocialReader<BufReader<Box<dyn Read + Send>>>,
    columns: Vec<String>,
}

impl Iterator for Responses {
    type Item = Result<Record, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.records.next().map(|r| r.map_err(RowError::fatal))
    }
}

impl RecordStream for Responses {
    fn columns(&self) -> &[String] {
        &self.columns
    }
}
