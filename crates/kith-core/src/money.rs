//! Money as an exact count of minor units (cents), never a float.
//!
//! Every amount kith handles — spend, order subtotals, commissions — is parsed from its
//! decimal text into an `i64` of hundredths. Shops export amounts with two decimals; an
//! amount with more precision is rejected rather than rounded, so nothing is silently lost.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount of money in minor units (hundredths of the currency unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

/// Why a text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an amount")]
pub struct NotAnAmount(pub String);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_minor(minor: i64) -> Self {
        Money(minor)
    }

    pub const fn minor(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }
}

impl FromStr for Money {
    type Err = NotAnAmount;

    /// Parses `123`, `123.4`, `123.45`, `-3.50`, with optional surrounding spaces.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || NotAnAmount(text.to_owned());
        let t = text.trim();
        let (negative, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() && frac.is_empty()
            || !all_digits(whole)
            || !all_digits(frac)
            || frac.len() > 2
            || whole.len() > 15
        {
            return Err(err());
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| err())?
        };
        let mut cents: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| err())?
        };
        if frac.len() == 1 {
            cents *= 10;
        }
        let minor = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(cents))
            .ok_or_else(err)?;
        Ok(Money(if negative { -minor } else { minor }))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Accepts a decimal string (`"12.50"`, exact) or a JSON number. A JSON number arrives
    /// as an `f64`; its shortest round-trip text is exact for any two-decimal amount below
    /// 10^13, which is why it is parsed from that text rather than multiplied.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Int(i64),
            Float(f64),
        }
        match Raw::deserialize(d)? {
            Raw::Text(t) => t.parse().map_err(serde::de::Error::custom),
            Raw::Int(i) => i
                .checked_mul(100)
                .map(Money)
                .ok_or_else(|| serde::de::Error::custom(NotAnAmount(i.to_string()))),
            Raw::Float(x) => format!("{x}").parse().map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_two_decimal_amounts_exactly() {
        assert_eq!("123.45".parse::<Money>().unwrap().minor(), 12345);
        assert_eq!("0.1".parse::<Money>().unwrap().minor(), 10);
        assert_eq!("-3.05".parse::<Money>().unwrap().minor(), -305);
        assert_eq!(" 7 ".parse::<Money>().unwrap().minor(), 700);
    }

    #[test]
    fn rejects_text_and_sub_cent_precision() {
        assert!("abc".parse::<Money>().is_err());
        assert!("1.234".parse::<Money>().is_err());
        assert!("".parse::<Money>().is_err());
        assert!("1,000".parse::<Money>().is_err());
    }

    #[test]
    fn json_numbers_are_read_without_float_error() {
        let m: Money = serde_json::from_str("1234567.89").unwrap();
        assert_eq!(m.minor(), 123456789);
        let m: Money = serde_json::from_str("0.29").unwrap();
        assert_eq!(m.minor(), 29);
        assert_eq!(m.to_string(), "0.29");
    }

    #[test]
    fn displays_as_decimal_text() {
        assert_eq!(Money::from_minor(-5).to_string(), "-0.05");
        assert_eq!(Money::from_minor(100000).to_string(), "1000.00");
    }
}
