//! Referral codes: short, human-friendly, case-insensitive (`MAYA15`), used both in the
//! link `/r/{code}` and as a discount code at checkout.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// A referral code: 3–32 of `A–Z`, `0–9`, `-`, `_`, stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ReferralCode(String);

/// Why a text is not a referral code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a referral code (3–32 letters, digits, '-' or '_')")]
pub struct BadCode(pub String);

impl ReferralCode {
    pub fn parse(text: &str) -> Result<ReferralCode, BadCode> {
        let t = text.trim();
        let ok = (3..=32).contains(&t.len())
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(ReferralCode(t.to_ascii_uppercase()))
        } else {
            Err(BadCode(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A single-use code issued for one click on `link`: the link's code (shortened so
    /// the whole fits in 32 characters), a dash, and `random` — at least 40 random bits
    /// as hex from the caller, so codes cannot be guessed from one another.
    pub fn single_use(link: &ReferralCode, random: &str) -> Result<ReferralCode, BadCode> {
        let suffix: String = random
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(16)
            .collect();
        if suffix.len() < 10 {
            return Err(BadCode(random.to_owned()));
        }
        let room = 32 - suffix.len() - 1;
        let stem: String = link.0.chars().take(room).collect();
        ReferralCode::parse(&format!("{stem}-{suffix}"))
    }

    /// Code suggestions for a member, best first: their first name (ASCII letters only,
    /// at most 10) followed by two digits, starting at `start` — `MAYA15`, `MAYA16`, … —
    /// then `KITH` and the digits when the name has no usable letters. The caller takes
    /// the first one that is free.
    pub fn suggestions(first_name: &str, start: u32) -> impl Iterator<Item = ReferralCode> {
        let mut stem: String = first_name
            .chars()
            .filter_map(fold_ascii)
            .filter(char::is_ascii_alphabetic)
            .take(10)
            .collect::<String>()
            .to_ascii_uppercase();
        if stem.len() < 2 {
            stem = "KITH".to_owned();
        }
        (0..).map(move |i| ReferralCode(format!("{stem}{}", start + i)))
    }
}

/// Latin letters with diacritics fold to their base letter for codes (`Zoë` → `ZOE`).
fn fold_ascii(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        _ => return None,
    };
    Some(base)
}

impl fmt::Display for ReferralCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ReferralCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ReferralCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_use_code_keeps_its_links_code_and_fits_in_32_characters() {
        let maya = ReferralCode::parse("MAYA10").unwrap();
        let one = ReferralCode::single_use(&maya, "0a1b2c3d4e").unwrap();
        assert_eq!(one.as_str(), "MAYA10-0A1B2C3D4E");
        let long = ReferralCode::parse(&"X".repeat(32)).unwrap();
        let two = ReferralCode::single_use(&long, "0a1b2c3d4e").unwrap();
        assert_eq!(two.as_str().len(), 32);
        assert!(
            ReferralCode::single_use(&maya, "short").is_err(),
            "too few random bits"
        );
    }

    #[test]
    fn codes_are_case_insensitive() {
        assert_eq!(
            ReferralCode::parse("maya15").unwrap(),
            ReferralCode::parse("MAYA15").unwrap()
        );
    }

    #[test]
    fn codes_refuse_anything_that_could_break_a_url() {
        for bad in ["ab", "maya 15", "maya/15", "../x", "%2F", "maya15?x=1", ""] {
            assert!(ReferralCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn suggestions_start_from_the_first_name() {
        let s: Vec<String> = ReferralCode::suggestions("Zoë-Marie", 15)
            .take(2)
            .map(|c| c.to_string())
            .collect();
        assert_eq!(s, ["ZOEMARIE15", "ZOEMARIE16"]);
        let s = ReferralCode::suggestions("李", 10).next().unwrap();
        assert_eq!(s.as_str(), "KITH10");
    }
}
