//! Cell values other than numbers: yes/no, dates and times, lists in one cell, and social
//! handles written as `@name` or as a profile URL.

use kith_core::{Handle, Platform};
use time::format_description::BorrowedFormatItem;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// The forms of a timestamp exports use, for messages.
pub const TIMESTAMP_FORMS: &str =
    "YYYY-MM-DD, YYYY-MM-DD HH:MM:SS with an optional +HHMM or UTC, or RFC 3339";

/// `yes`/`no` and its many spellings (`true`, `1`, `y`, Klaviyo's `SUBSCRIBED`).
pub fn parse_bool(text: &str) -> Option<bool> {
    let t = text.trim();
    const YES: [&str; 7] = ["yes", "y", "true", "t", "1", "subscribed", "on"];
    const NO: [&str; 10] = [
        "no",
        "n",
        "false",
        "f",
        "0",
        "unsubscribed",
        "never_subscribed",
        "never subscribed",
        "not subscribed",
        "off",
    ];
    if YES.iter().any(|y| t.eq_ignore_ascii_case(y)) {
        Some(true)
    } else if NO.iter().any(|n| t.eq_ignore_ascii_case(n)) {
        Some(false)
    } else {
        None
    }
}

const DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");
const DATE_TIME: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
const DATE_T_TIME: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
const DATE_TIME_OFFSET: &[BorrowedFormatItem<'static>] = format_description!(
    "[year]-[month]-[day] [hour]:[minute]:[second] [offset_hour sign:mandatory][offset_minute]"
);

/// A timestamp in one of the forms shops and review apps export (see
/// [`TIMESTAMP_FORMS`]); a time without an offset, or a bare date, is taken as UTC.
pub fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    let t = text.trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    if let Ok(ts) = OffsetDateTime::parse(t, &Rfc3339) {
        return Some(ts);
    }
    // Shopify: `2026-05-01 10:00:00 +0200`; Judge.me: `2025-03-02 10:12:00 UTC`.
    if let Ok(ts) = OffsetDateTime::parse(t, DATE_TIME_OFFSET) {
        return Some(ts);
    }
    let t = t
        .strip_suffix(" UTC")
        .or_else(|| t.strip_suffix('Z'))
        .unwrap_or(t);
    // Fractional seconds add nothing kith uses; they are dropped, not rounded.
    let t = match t.split_once('.') {
        Some((head, frac)) if head.len() >= 19 && frac.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => t,
    };
    if let Ok(dt) =
        PrimitiveDateTime::parse(t, DATE_TIME).or_else(|_| PrimitiveDateTime::parse(t, DATE_T_TIME))
    {
        return Some(dt.assume_offset(UtcOffset::UTC));
    }
    Date::parse(t, DATE)
        .ok()
        .map(|d| d.midnight().assume_offset(UtcOffset::UTC))
}

/// A timestamp in a user-given `time` format description (from a mapping file).
pub fn parse_timestamp_with(
    text: &str,
    format: &time::format_description::OwnedFormatItem,
) -> Option<OffsetDateTime> {
    let t = text.trim();
    if t.len() > 64 {
        return None;
    }
    OffsetDateTime::parse(t, format)
        .or_else(|_| PrimitiveDateTime::parse(t, format).map(|dt| dt.assume_utc()))
        .or_else(|_| Date::parse(t, format).map(|d| d.midnight().assume_utc()))
        .ok()
}

/// The items of a list written in one cell (`vip, wholesale`), trimmed, empties dropped.
pub fn split_list(text: &str, separator: char) -> Vec<String> {
    text.split(separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A handle as people write it in a form: `@maya.eats`, `maya.eats`, or the profile's
/// URL (`https://www.instagram.com/maya.eats/`, `tiktok.com/@maya`).
pub fn parse_handle(text: &str) -> Result<Handle, String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    // `www.luluca` is a real handle: only text with a path is taken for a URL.
    let is_url = lower.starts_with("http://")
        || lower.starts_with("https://")
        || (lower.starts_with("www.") && lower.contains('/'))
        || [
            "instagram.com/",
            "tiktok.com/",
            "youtube.com/",
            "twitter.com/",
            "x.com/",
        ]
        .iter()
        .any(|d| lower.starts_with(d));
    let candidate = if is_url {
        let without_scheme = t.split_once("://").map_or(t, |(_, rest)| rest);
        let path = without_scheme.split_once('/').map_or("", |(_, p)| p);
        let path = path.split(['?', '#']).next().unwrap_or("");
        // The handle is the last meaningful path segment (`/c/name`, `/@name`, `/name/`).
        path.split('/')
            .rfind(|s| !s.is_empty())
            .unwrap_or("")
            .to_owned()
    } else {
        t.to_owned()
    };
    Handle::parse(&candidate).map_err(|e| e.to_string())
}

/// Which platform a column of handles belongs to, from its header: `Instagram`,
/// `Instagram Handle`, `TikTok username`, `Twitter Feed`, or a Shopify metafield column
/// such as `Instagram (customer.metafields.social.instagram)`.
pub fn handle_column_platform(normalized_header: &str) -> Option<Platform> {
    let name = normalized_header
        .split_once('(')
        .map_or(normalized_header, |(n, _)| n)
        .trim();
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let extra_ok = |w: &&str| {
        matches!(
            *w,
            "handle" | "username" | "user" | "name" | "account" | "url" | "profile" | "feed"
        )
    };
    let platform = match words.first().copied() {
        Some("instagram") => Platform::Instagram,
        Some("tiktok") => Platform::Tiktok,
        Some("tik") if words.get(1) == Some(&"tok") => Platform::Tiktok,
        Some("youtube") => Platform::Youtube,
        Some("twitter") => Platform::X,
        Some("x") if words.len() > 1 => Platform::X,
        _ => return None,
    };
    let skip = if words.first() == Some(&"tik") { 2 } else { 1 };
    words[skip..].iter().all(extra_ok).then_some(platform)
}

/// A key for a record whose export has no id of its own (a Judge.me review): the same
/// parts always give the same key, so importing the file again updates instead of
/// duplicating. FNV-1a (64-bit) over the parts, each followed by a separator byte.
pub fn stable_id(prefix: &str, parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0x1f)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{prefix}:{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_read_shop_and_email_tool_spellings() {
        assert_eq!(parse_bool("yes"), Some(true));
        assert_eq!(parse_bool("No"), Some(false));
        assert_eq!(parse_bool("SUBSCRIBED"), Some(true));
        assert_eq!(parse_bool("NEVER_SUBSCRIBED"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }

    #[test]
    fn timestamps_read_shopify_judgeme_and_rfc3339_forms() {
        let shopify = parse_timestamp("2026-05-01 10:00:00 +0200").unwrap();
        assert_eq!(shopify.to_string(), "2026-05-01 10:00:00.0 +02:00:00");
        let judgeme = parse_timestamp("2025-03-02 10:12:00 UTC").unwrap();
        assert_eq!(judgeme.unix_timestamp(), 1_740_910_320);
        assert!(parse_timestamp("2026-05-01T10:00:00Z").is_some());
        assert!(parse_timestamp("2026-05-01T10:00:00.123").is_some());
        assert_eq!(
            parse_timestamp("2026-08-01").unwrap().unix_timestamp(),
            1_785_542_400
        );
        assert_eq!(
            parse_timestamp("01/08/2026"),
            None,
            "ambiguous forms are refused"
        );
    }

    #[test]
    fn stable_ids_depend_only_on_their_parts() {
        assert_eq!(
            stable_id("judgeme", &["a", "b"]),
            stable_id("judgeme", &["a", "b"])
        );
        assert_ne!(
            stable_id("judgeme", &["a", "b"]),
            stable_id("judgeme", &["ab", ""])
        );
    }

    #[test]
    fn handles_are_read_from_urls_and_at_names() {
        let h = |t: &str| parse_handle(t).map(|h| h.as_str().to_owned());
        assert_eq!(h("@Maya.Eats").unwrap(), "maya.eats");
        assert_eq!(
            h("https://www.instagram.com/maya.eats/").unwrap(),
            "maya.eats"
        );
        assert_eq!(h("tiktok.com/@maya?lang=en").unwrap(), "maya");
        assert_eq!(
            h("www.maya").unwrap(),
            "www.maya",
            "a handle that starts like a host"
        );
        assert!(h("not a handle").is_err());
    }

    #[test]
    fn handle_columns_are_recognised_by_header() {
        assert_eq!(
            handle_column_platform("instagram"),
            Some(Platform::Instagram)
        );
        assert_eq!(
            handle_column_platform("tiktok username"),
            Some(Platform::Tiktok)
        );
        assert_eq!(handle_column_platform("twitter feed"), Some(Platform::X));
        assert_eq!(
            handle_column_platform("instagram (customer.metafields.social.instagram)"),
            Some(Platform::Instagram)
        );
        assert_eq!(handle_column_platform("instagram followers"), None);
        assert_eq!(handle_column_platform("x"), None);
    }
}
