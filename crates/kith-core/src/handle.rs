//! Platforms and social handles, normalised so that `@Maya.Eats` and `maya.eats` are one key.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// A social platform kith reads profiles from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Instagram,
    Tiktok,
    Youtube,
    X,
}

impl Platform {
    pub const ALL: [Platform; 4] = [
        Platform::Instagram,
        Platform::Tiktok,
        Platform::Youtube,
        Platform::X,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Instagram => "instagram",
            Platform::Tiktok => "tiktok",
            Platform::Youtube => "youtube",
            Platform::X => "x",
        }
    }

    pub fn parse(text: &str) -> Option<Platform> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// Platforms whose posts are videos with view counts.
    pub fn is_video(self) -> bool {
        matches!(self, Platform::Tiktok | Platform::Youtube)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A handle on a platform: trimmed, without a leading `@`, lower-cased.
///
/// Handles are case-insensitive on every supported platform, so the normalised form is
/// the natural key of a profile together with its platform.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Handle(String);

/// Why a text is not a handle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadHandle {
    #[error("handle is empty")]
    Empty,
    #[error("handle {0:?} contains whitespace")]
    Whitespace(String),
    #[error("handle {0:?} is longer than 100 characters")]
    TooLong(String),
}

impl Handle {
    pub fn parse(text: &str) -> Result<Handle, BadHandle> {
        Handle::normalized(text).map(|t| Handle(t.into_owned()))
    }

    /// The normalised form of `text`, borrowed from it when it is already normalised.
    pub fn normalized(text: &str) -> Result<std::borrow::Cow<'_, str>, BadHandle> {
        let t = text.trim();
        let t = t.strip_prefix('@').unwrap_or(t);
        if t.is_empty() {
            return Err(BadHandle::Empty);
        }
        if t.is_ascii() {
            // Most handles: one pass over bytes. (ASCII's whitespace characters are tab
            // to carriage return, vertical tab included, and space.)
            let mut upper = false;
            for b in t.bytes() {
                if matches!(b, b'\t'..=b'\r' | b' ') {
                    return Err(BadHandle::Whitespace(text.to_owned()));
                }
                upper |= b.is_ascii_uppercase();
            }
            if t.len() > 100 {
                return Err(BadHandle::TooLong(text.to_owned()));
            }
            return Ok(if upper {
                std::borrow::Cow::Owned(t.to_ascii_lowercase())
            } else {
                std::borrow::Cow::Borrowed(t)
            });
        }
        if t.chars().any(char::is_whitespace) {
            return Err(BadHandle::Whitespace(text.to_owned()));
        }
        // Bytes first: no handle of 100 bytes or fewer has more than 100 characters.
        if t.len() > 100 && t.chars().count() > 100 {
            return Err(BadHandle::TooLong(text.to_owned()));
        }
        let changes = t.chars().any(|c| {
            let mut lower = c.to_lowercase();
            lower.next() != Some(c) || lower.next().is_some()
        });
        if changes {
            Ok(std::borrow::Cow::Owned(t.to_lowercase()))
        } else {
            Ok(std::borrow::Cow::Borrowed(t))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Handle {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Handle::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_ignore_case_and_leading_at() {
        assert_eq!(
            Handle::parse(" @Maya.Eats ").unwrap(),
            Handle::parse("maya.eats").unwrap()
        );
    }

    #[test]
    fn empty_or_spaced_handles_are_rejected() {
        assert_eq!(Handle::parse("@"), Err(BadHandle::Empty));
        assert!(Handle::parse("maya eats").is_err());
    }

    #[test]
    fn platforms_parse_case_insensitively() {
        assert_eq!(Platform::parse("TikTok"), Some(Platform::Tiktok));
        assert_eq!(Platform::parse("myspace"), None);
    }

    /// The rule read character by character, as first written.
    fn normalized_by_characters(text: &str) -> Result<String, BadHandle> {
        let t = text.trim();
        let t = t.strip_prefix('@').unwrap_or(t);
        if t.is_empty() {
            return Err(BadHandle::Empty);
        }
        if t.chars().any(char::is_whitespace) {
            return Err(BadHandle::Whitespace(text.to_owned()));
        }
        if t.chars().count() > 100 {
            return Err(BadHandle::TooLong(text.to_owned()));
        }
        Ok(t.to_lowercase())
    }

    proptest::proptest! {
        #[test]
        fn handles_normalise_as_character_by_character(
            text in proptest::prop_oneof!["[ -~\t\n\x0b\x0c\r]{0,110}", "\\PC{0,105}", "[a-zA-Z]{95,105}"],
        ) {
            let fast = Handle::normalized(&text).map(|h| h.into_owned());
            proptest::prop_assert_eq!(fast, normalized_by_characters(&text));
        }
    }
}
