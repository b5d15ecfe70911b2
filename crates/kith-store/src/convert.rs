//! How kith-core's values are kept in columns, the same way on every backend.
//!
//! Counts are `BIGINT`, so a `u64` above `i64::MAX` is refused rather than wrapped.
//! Timestamps are normalised to UTC and truncated to microseconds before they are
//! written — PostgreSQL keeps no more, and SQLite must return exactly what PostgreSQL
//! would, or the two backends would score the same data differently. Enums are kept as
//! their contract names.

use kith_core::{Handle, PersonSource, Platform, PostKind, Tier};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::format_description::BorrowedFormatItem;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::StoreError;

/// A record value the store cannot keep as it is.
#[derive(Debug, thiserror::Error)]
#[error("field {field:?}: {reason}")]
pub(crate) struct Unstorable {
    pub field: &'static str,
    pub reason: String,
}

/// A count as a `BIGINT`.
pub(crate) fn int(field: &'static str, value: u64) -> Result<i64, Unstorable> {
    i64::try_from(value).map_err(|_| Unstorable {
        field,
        reason: format!("{value} is too large to store"),
    })
}

pub(crate) fn opt_int(field: &'static str, value: Option<u64>) -> Result<Option<i64>, Unstorable> {
    value.map(|v| int(field, v)).transpose()
}

/// A stored `BIGINT` back as a count.
pub(crate) fn uint(what: &str, value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("{what} is negative: {value}")))
}

pub(crate) fn opt_uint(what: &str, value: Option<i64>) -> Result<Option<u64>, StoreError> {
    value.map(|v| uint(what, v)).transpose()
}

pub(crate) fn u32_of(what: &str, value: i64) -> Result<u32, StoreError> {
    u32::try_from(value)
        .map_err(|_| StoreError::Corrupt(format!("{what} is out of range: {value}")))
}

/// The instant in UTC, without the nanoseconds PostgreSQL would drop.
pub(crate) fn utc_micros(t: OffsetDateTime) -> OffsetDateTime {
    let utc = t.to_offset(UtcOffset::UTC);
    // `nanosecond()` is never negative, so this rounds toward the past, as PostgreSQL's
    // integer microseconds do for any instant.
    let truncated = utc.nanosecond() / 1_000 * 1_000;
    utc.replace_nanosecond(truncated).unwrap_or(utc)
}

/// Fixed width, so text order is time order.
const TIMESTAMP_TEXT: &[BorrowedFormatItem<'static>] = time::macros::format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
);

/// A timestamp as SQLite keeps it: `2026-01-31T09:30:00.000000Z`.
pub(crate) fn timestamp_text(t: OffsetDateTime) -> String {
    let t = utc_micros(t);
    // Written digit by digit: every stored click formats one, and the general formatter
    // cost more than the rest of the row. The same text as `TIMESTAMP_TEXT` (tested).
    if let Ok(year) = u32::try_from(t.year())
        && year <= 9999
    {
        let mut text = *b"0000-00-00T00:00:00.000000Z";
        let fields = [
            (0, 4, year),
            (5, 2, u32::from(u8::from(t.month()))),
            (8, 2, u32::from(t.day())),
            (11, 2, u32::from(t.hour())),
            (14, 2, u32::from(t.minute())),
            (17, 2, u32::from(t.second())),
            (20, 6, t.microsecond()),
        ];
        for (at, width, mut value) in fields {
            for slot in text[at..at + width].iter_mut().rev() {
                *slot = b'0' + (value % 10) as u8;
                value /= 10;
            }
        }
        return String::from_utf8_lossy(&text).into_owned();
    }
    // Formatting a UTC instant with this description fails only for years beyond 9999,
    // which RFC 3339 cannot express either; fall back to the library's RFC 3339.
    t.format(TIMESTAMP_TEXT)
        .or_else(|_| t.format(&Rfc3339))
        .unwrap_or_default()
}

/// An instant as Unix microseconds (how SQLite keeps a click's time).
pub(crate) fn unix_micros(t: OffsetDateTime) -> i64 {
    // Within ±292,000 years of 1970: every instant `time` can hold.
    i64::try_from(t.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX)
}

pub(crate) fn from_unix_micros(micros: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .map_err(|_| StoreError::Corrupt(format!("{micros} is not a stored instant")))
}

pub(crate) fn parse_timestamp_text(text: &str) -> Result<OffsetDateTime, StoreError> {
    PrimitiveDateTime::parse(text, TIMESTAMP_TEXT)
        .map(PrimitiveDateTime::assume_utc)
        .or_else(|_| OffsetDateTime::parse(text, &Rfc3339).map(utc_micros))
        .map_err(|_| StoreError::Corrupt(format!("{text:?} is not a stored timestamp")))
}

pub(crate) fn to_json<T: Serialize + ?Sized>(
    field: &'static str,
    value: &T,
) -> Result<String, Unstorable> {
    serde_json::to_string(value).map_err(|e| Unstorable {
        field,
        reason: e.to_string(),
    })
}

pub(crate) fn from_json<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

/// A list column the contract defines as `;`-separated.
pub(crate) fn join_list(items: &[String]) -> String {
    items.join(";")
}

pub(crate) fn split_list(text: &str) -> Vec<String> {
    if text.is_empty() {
        Vec::new()
    } else {
        text.split(';').map(str::to_owned).collect()
    }
}

/// `;a;b;` in lower case: a category matches as `instr(key, ';x;')`, whole element only.
pub(crate) fn categories_key(categories: &[String]) -> String {
    let mut key = String::from(";");
    for c in categories {
        key.push_str(&c.trim().to_lowercase());
        key.push(';');
    }
    key
}

/// What a category filter looks for in `categories_key`.
pub(crate) fn category_needle(category: &str) -> String {
    format!(";{};", category.trim().to_lowercase())
}

pub(crate) fn platform(text: &str) -> Result<Platform, StoreError> {
    Platform::parse(text).ok_or_else(|| StoreError::Corrupt(format!("unknown platform {text:?}")))
}

pub(crate) fn handle(text: &str) -> Result<Handle, StoreError> {
    Handle::parse(text).map_err(|e| StoreError::Corrupt(format!("stored handle: {e}")))
}

pub(crate) fn person_source(text: Option<String>) -> Result<Option<PersonSource>, StoreError> {
    text.map(|t| {
        PersonSource::parse(&t).ok_or_else(|| StoreError::Corrupt(format!("unknown source {t:?}")))
    })
    .transpose()
}

pub(crate) fn tier(text: Option<String>) -> Result<Option<Tier>, StoreError> {
    text.map(|t| Tier::parse(&t).ok_or_else(|| StoreError::Corrupt(format!("unknown tier {t:?}"))))
        .transpose()
}

pub(crate) fn post_kind(text: Option<String>) -> Result<Option<PostKind>, StoreError> {
    const KINDS: [PostKind; 6] = [
        PostKind::Image,
        PostKind::Carousel,
        PostKind::Video,
        PostKind::Reel,
        PostKind::Short,
        PostKind::Text,
    ];
    text.map(|t| {
        KINDS
            .into_iter()
            .find(|k| k.as_str() == t)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown post kind {t:?}")))
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    proptest::proptest! {
        /// The digit-by-digit text is the format description's, for any instant.
        #[test]
        fn timestamps_are_written_as_the_format_describes(
            secs in -62_135_596_800i64..253_402_300_799,
            nanos in 0u32..1_000_000_000,
            offset in -86_399i32..86_399,
        ) {
            let t = OffsetDateTime::from_unix_timestamp(secs).unwrap()
                .replace_nanosecond(nanos).unwrap();
            let t = t.to_offset(UtcOffset::from_whole_seconds(offset).unwrap_or(UtcOffset::UTC));
            let expected = utc_micros(t).format(TIMESTAMP_TEXT).unwrap();
            proptest::prop_assert_eq!(timestamp_text(t), expected);
        }
    }

    #[test]
    fn timestamps_are_stored_in_utc_to_the_microsecond() {
        let t = datetime!(2026-01-31 10:30:00.123456789 +01:00);
        assert_eq!(timestamp_text(t), "2026-01-31T09:30:00.123456Z");
        let back = parse_timestamp_text(&timestamp_text(t)).unwrap();
        assert_eq!(back, utc_micros(t));
        assert_eq!(back.offset(), UtcOffset::UTC);
    }

    #[test]
    fn truncation_rounds_toward_the_past_before_1970() {
        let t = datetime!(1969-12-31 23:59:59.999999999 UTC);
        assert_eq!(utc_micros(t), datetime!(1969-12-31 23:59:59.999999 UTC));
    }

    #[test]
    fn empty_lists_round_trip_as_empty() {
        assert_eq!(split_list(&join_list(&[])), Vec::<String>::new());
        let two = vec!["a b".to_owned(), "c".to_owned()];
        assert_eq!(split_list(&join_list(&two)), two);
    }

    #[test]
    fn category_keys_match_whole_elements_in_any_case() {
        let key = categories_key(&["Food & Drink".into(), "travel".into()]);
        assert!(key.contains(&category_needle("food & drink")));
        assert!(key.contains(&category_needle(" TRAVEL ")));
        assert!(!key.contains(&category_needle("food")));
    }

    #[test]
    fn counts_beyond_bigint_are_refused() {
        assert!(int("likes", u64::MAX).is_err());
        assert_eq!(int("likes", 7).unwrap(), 7);
    }
}
