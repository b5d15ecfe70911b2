//! The small values platform responses are made of, parsed where they are read.
//!
//! Platforms disagree on how to write a number (`12` or `"12"`), an id (`"178…"` or
//! `7213…`) and a time (`2024-05-02T14:00:11+0000`, RFC 3339, Unix seconds). These types
//! accept each platform's spelling during deserialisation, so a bad value fails inside
//! serde — where the error still knows its line and field — and names the value.
//!
//! Also here: the optional `kith` envelope that `kith fetch` adds to the raw responses it
//! saves, the per-file [`DocContext`], and [`DocError`], a problem inside one document.

use std::collections::HashMap;
use std::fmt;

use kith_core::Handle;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, de::DeserializeOwned};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A count (followers, likes, views): a non-negative integer, as a number or a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count(pub u64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CountVisitor;
        impl Visitor<'_> for CountVisitor {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative whole number")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
                Ok(Count(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
                u64::try_from(v)
                    .map(Count)
                    .map_err(|_| E::custom(format!("{v} is not a count (negative)")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
                // Some exporters write 1200.0; a fraction or a huge value is a mistake.
                if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v < 9.0e15 {
                    Ok(Count(v as u64))
                } else {
                    Err(E::custom(format!("{v} is not a count")))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Count, E> {
                // YouTube writes every statistic as a decimal string.
                v.trim()
                    .parse::<u64>()
                    .map(Count)
                    .map_err(|_| E::custom(format!("{} is not a count", quoted(v))))
            }
        }
        d.deserialize_any(CountVisitor)
    }
}

/// An identifier, written as a string or as an integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id(pub String);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id (a string or a whole number)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                let v = v.trim();
                if v.is_empty() {
                    return Err(E::custom("id is empty"));
                }
                Ok(Id(v.to_owned()))
            }
        }
        d.deserialize_any(IdVisitor)
    }
}

/// A point in time written as text: RFC 3339 (`…Z`, `…+00:00`, with or without
/// fractions) or the Graph API's ISO 8601 with a colon-less offset (`…+0000`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp(pub OffsetDateTime);

impl Timestamp {
    pub fn parse(text: &str) -> Option<OffsetDateTime> {
        let t = text.trim();
        if let Ok(v) = OffsetDateTime::parse(t, &Rfc3339) {
            return Some(v);
        }
        // `+0000` → `+00:00`, then RFC 3339 again: the Graph API's spelling.
        let bytes = t.as_bytes();
        let n = bytes.len();
        if n > 5
            && matches!(bytes[n - 5], b'+' | b'-')
            && bytes[n - 4..].iter().all(u8::is_ascii_digit)
        {
            let fixed = format!("{}:{}", &t[..n - 2], &t[n - 2..]);
            return OffsetDateTime::parse(&fixed, &Rfc3339).ok();
        }
        None
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse(&text).map(Timestamp).ok_or_else(|| {
            de::Error::custom(format!(
                "{} is not a timestamp (expected ISO 8601 such as 2024-05-02T14:00:11+0000)",
                quoted(&text)
            ))
        })
    }
}

/// A point in time written as whole Unix seconds (TikTok, Instaloader).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnixTime(pub OffsetDateTime);

impl<'de> Deserialize<'de> for UnixTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Count(secs) = Count::deserialize(d)?;
        i64::try_from(secs)
            .ok()
            .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
            .map(UnixTime)
            .ok_or_else(|| de::Error::custom(format!("{secs} is not a Unix time in seconds")))
    }
}

/// What `kith fetch` adds to a raw response it saves: whose it is and when it was
/// fetched. Platforms never send a `kith` key, so it cannot collide with their fields.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Envelope {
    pub handle: Option<Handle>,
    pub fetched_at: Option<Timestamp>,
}

/// What one file's documents share: the caller's fetch time, and the profiles seen so
/// far, so a later page of posts can name its owner.
#[derive(Debug, Clone, Default)]
pub struct DocContext {
    /// Used when a document does not say when it was fetched.
    pub fetched_at: Option<OffsetDateTime>,
    /// The last profile read, the owner of posts that do not name one.
    pub last_handle: Option<Handle>,
    /// Platform user or channel id → handle.
    pub handles_by_id: HashMap<String, Handle>,
}

impl DocContext {
    pub fn new(fetched_at: Option<OffsetDateTime>) -> DocContext {
        DocContext {
            fetched_at,
            ..DocContext::default()
        }
    }

    /// The document's own fetch time, else the caller's.
    pub fn fetched_at(&self, envelope: &Envelope) -> Option<OffsetDateTime> {
        envelope.fetched_at.map(|t| t.0).or(self.fetched_at)
    }

    pub fn remember(&mut self, id: Option<&str>, handle: &Handle) {
        if let Some(id) = id {
            self.handles_by_id.insert(id.to_owned(), handle.clone());
        }
        self.last_handle = Some(handle.clone());
    }
}

/// A problem inside one document; `line` counts from the document's first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    pub line: u64,
    pub column: Option<u64>,
    pub field: Option<String>,
    pub message: String,
}

impl DocError {
    /// A problem with the document as a whole, reported at its first line.
    pub fn whole(field: Option<&str>, message: impl Into<String>) -> DocError {
        DocError {
            line: 1,
            column: None,
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }
}

/// Deserialises one document, naming the field path, line and column of a bad value.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, DocError> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let (line, column) = (inner.line() as u64, inner.column() as u64);
        let message = tidy(&inner.to_string());
        let syntax = inner.is_syntax() || inner.is_eof();
        DocError {
            line: line.max(1),
            column: (column > 0).then_some(column),
            field: (!syntax && !path.is_empty() && path != ".").then_some(path),
            message: if syntax {
                format!("not valid JSON: {message}")
            } else {
                message
            },
        }
    })
}

/// serde ends its messages with a position the caller reports separately, and quotes
/// with backticks.
fn tidy(message: &str) -> String {
    let cut = message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i]);
    cut.replace('`', "\"")
}

/// A value quoted for a message, cut short so a huge field cannot flood the terminal.
pub fn quoted(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        format!("{text:?}")
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head:?}…")
    }
}

/// Text that is present and not blank.
pub fn non_blank(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn graph_api_offsets_without_a_colon_parse() {
        assert_eq!(
            Timestamp::parse("2024-05-02T14:00:11+0000"),
            Some(datetime!(2024-05-02 14:00:11 UTC))
        );
        assert_eq!(
            Timestamp::parse("2024-05-02T16:00:11+0200"),
            Some(datetime!(2024-05-02 14:00:11 UTC))
        );
    }

    #[test]
    fn rfc3339_with_fractions_parses() {
        assert_eq!(
            Timestamp::parse("2024-05-02T14:00:11.000Z"),
            Some(datetime!(2024-05-02 14:00:11 UTC))
        );
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(Timestamp::parse("2024-13-02T14:00:11+0000"), None);
        assert_eq!(Timestamp::parse("yesterday"), None);
    }

    #[test]
    fn counts_accept_numbers_and_numeric_strings_only() {
        assert_eq!(serde_json::from_str::<Count>("12").unwrap(), Count(12));
        assert_eq!(serde_json::from_str::<Count>("\"12\"").unwrap(), Count(12));
        assert_eq!(serde_json::from_str::<Count>("12.0").unwrap(), Count(12));
        let err = serde_json::from_str::<Count>("-3").unwrap_err().to_string();
        assert!(err.contains("-3 is not a count"), "{err}");
        let err = serde_json::from_str::<Count>("\"12k\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"12k\" is not a count"), "{err}");
    }

    #[test]
    fn a_bad_value_is_named_with_its_path_and_line() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            inner: Inner,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            likes: Count,
        }
        let err = parse::<Outer>("{\n \"inner\": {\n  \"likes\": \"lots\"\n }\n}").unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.field.as_deref(), Some("inner.likes"));
        assert_eq!(err.message, "\"lots\" is not a count");
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let q = quoted(&"x".repeat(500));
        assert!(q.len() < 100 && q.ends_with('…'));
    }
}
