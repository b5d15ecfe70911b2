//! Exchange rates, and money converted between currencies exactly.
//!
//! A rate is the decimal a person writes in `brand.toml` — `"EUR/USD" = "1.0850"`: one
//! euro is 1.0850 dollars — kept as an integer and a power of ten, never a float, so a
//! conversion is one integer product and one division, rounded half to even to the
//! smallest unit of the target currency. The other direction of a written rate is its
//! exact reciprocal (`1/1.0850`), not a rounded decimal, so converting there and back
//! loses at most the rounding of each leg.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::currency::{is_currency_code, minor_digits};
use crate::money::Money;

/// More digits than a rate ever needs, and few enough that `amount × digits` fits an
/// `i128` for any `Money`.
const MAX_DIGITS: usize = 18;

/// How many units of one currency one unit of another is worth: `units / 10^scale`,
/// or its reciprocal when the rate was derived from the opposite pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rate {
    units: u64,
    scale: u32,
    inverted: bool,
}

/// Why a text is not a rate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotARate {
    #[error("{0:?} is not a decimal rate; write it like \"1.0850\"")]
    NotDecimal(String),
    #[error("the rate must be more than zero, not {0:?}")]
    NotPositive(String),
    #[error("{0:?} has more than {MAX_DIGITS} digits")]
    TooLong(String),
}

impl Rate {
    /// One unit for one unit: the rate between a currency and itself.
    pub const ONE: Rate = Rate {
        units: 1,
        scale: 0,
        inverted: false,
    };

    /// A positive decimal as written in `brand.toml`: `1.0850`, `0.92`, `150`.
    pub fn decimal(text: &str) -> Result<Rate, NotARate> {
        let t = text.trim();
        if t.starts_with('-') {
            return Err(NotARate::NotPositive(text.to_owned()));
        }
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) || t.ends_with('.') {
            return Err(NotARate::NotDecimal(text.to_owned()));
        }
        let significant = format!("{whole}{frac}");
        let significant = significant.trim_start_matches('0');
        if significant.len() > MAX_DIGITS || frac.len() > MAX_DIGITS {
            return Err(NotARate::TooLong(text.to_owned()));
        }
        let units: u64 = if significant.is_empty() {
            0
        } else {
            significant
                .parse()
                .map_err(|_| NotARate::TooLong(text.to_owned()))?
        };
        if units == 0 {
            return Err(NotARate::NotPositive(text.to_owned()));
        }
        Ok(Rate {
            units,
            // At most MAX_DIGITS, checked above.
            scale: u32::try_from(frac.len()).unwrap_or(u32::MAX),
            inverted: false,
        })
    }

    /// The rate of the opposite direction: exactly one over this one.
    pub fn inverse(self) -> Rate {
        Rate {
            inverted: !self.inverted,
            ..self
        }
    }

    /// `(numerator, denominator)` of the exact fraction.
    fn fraction(self) -> (i128, i128) {
        let units = i128::from(self.units);
        let power = 10i128.pow(self.scale);
        if self.inverted {
            (power, units)
        } else {
            (units, power)
        }
    }
}

impl fmt::Display for Rate {
    /// As written (`1.0850`, trailing zeros kept), `1/1.0850` for a reciprocal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.inverted {
            f.write_str("1/")?;
        }
        let digits = format!("{:0>width$}", self.units, width = self.scale as usize + 1);
        let (whole, frac) = digits.split_at(digits.len() - self.scale as usize);
        if frac.is_empty() {
            f.write_str(whole)
        } else {
            write!(f, "{whole}.{frac}")
        }
    }
}

impl FromStr for Rate {
    type Err = NotARate;

    /// What [`Rate`]'s `Display` writes: a decimal, or `1/` and a decimal.
    fn from_str(text: &str) -> Result<Rate, NotARate> {
        match text.trim().strip_prefix("1/") {
            Some(decimal) => Rate::decimal(decimal).map(Rate::inverse),
            None => Rate::decimal(text),
        }
    }
}

impl Money {
    /// This amount, in the currency `rate` converts to, rounded half to even to that
    /// currency's smallest unit (`to`'s ISO 4217 minor unit; never finer than the
    /// hundredths `Money` counts in). `None` if the result does not fit.
    pub fn convert(self, rate: Rate, to: &str) -> Option<Money> {
        let (num, den) = rate.fraction();
        // Hundredths per smallest unit: 100 for yen, 1 for dollars and dinars alike.
        let quantum = 10i128.pow(2 - minor_digits(to).min(2));
        let units = round_half_even(i128::from(self.minor()) * num, den * quantum);
        i64::try_from(units * quantum).ok().map(Money::from_minor)
    }
}

/// `p / d` rounded to the nearest integer, ties to the even one; `d > 0`.
fn round_half_even(p: i128, d: i128) -> i128 {
    let (q, r) = (p.div_euclid(d), p.rem_euclid(d));
    match (2 * r).cmp(&d) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal if q % 2 == 0 => q,
        std::cmp::Ordering::Equal => q + 1,
    }
}

/// Why `[exchange_rates]` was refused, naming the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("exchange_rates {key:?}: {reason}")]
pub struct BadRate {
    pub key: String,
    pub reason: String,
}

/// `brand.toml`'s `[exchange_rates]`: the rates as written, by (from, to). A pair
/// written one way also converts the other way, by the exact reciprocal, unless that
/// direction is written too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeRates(BTreeMap<(String, String), Rate>);

impl ExchangeRates {
    /// Reads `"EUR/USD" = "1.0850"` entries.
    pub fn parse<'a>(
        entries: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<ExchangeRates, BadRate> {
        let mut rates = BTreeMap::new();
        for (key, value) in entries {
            let bad = |reason: String| BadRate {
                key: key.to_owned(),
                reason,
            };
            let Some((from, to)) = key.split_once('/') else {
                return Err(bad(
                    "write the pair as two currency codes with a slash, like \"EUR/USD\"".into(),
                ));
            };
            for code in [from, to] {
                if !is_currency_code(code) {
                    return Err(bad(format!(
                        "{code:?} is not an ISO 4217 currency code (in capitals, \
                         like USD)"
                    )));
                }
            }
            if from == to {
                return Err(bad("a currency has no rate to itself".into()));
            }
            let rate = Rate::decimal(value).map_err(|e| bad(e.to_string()))?;
            rates.insert((from.to_owned(), to.to_owned()), rate);
        }
        Ok(ExchangeRates(rates))
    }

    /// How many `to` one `from` is worth: as written, else the reciprocal of the
    /// opposite pair; `Rate::ONE` between a currency and itself.
    pub fn rate(&self, from: &str, to: &str) -> Option<Rate> {
        if from == to {
            return Some(Rate::ONE);
        }
        let key = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        self.0
            .get(&key(from, to))
            .copied()
            .or_else(|| self.0.get(&key(to, from)).map(|r| r.inverse()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for ExchangeRates {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(
            self.0
                .iter()
                .map(|((from, to), rate)| (format!("{from}/{to}"), rate.to_string())),
        )
    }
}

impl<'de> Deserialize<'de> for ExchangeRates {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// A number would have passed through a float: ask for the text instead.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Number(serde::de::IgnoredAny),
        }
        let raw = BTreeMap::<String, Raw>::deserialize(d)?;
        let mut texts = Vec::with_capacity(raw.len());
        for (key, value) in &raw {
            match value {
                Raw::Text(t) => texts.push((key.as_str(), t.as_str())),
                Raw::Number(_) => {
                    return Err(serde::de::Error::custom(BadRate {
                        key: key.clone(),
                        reason: "write the rate as a string, like \"1.0850\", so it is \
                                 read exactly"
                            .into(),
                    }));
                }
            }
        }
        ExchangeRates::parse(texts).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Money {
        text.parse().unwrap()
    }

    fn rate(text: &str) -> Rate {
        text.parse().unwrap()
    }

    #[test]
    fn rates_read_as_written_and_print_back_the_same() {
        for text in ["1.0850", "0.92", "150", "0.000123", "1/1.0850"] {
            assert_eq!(rate(text).to_string(), text);
        }
        assert_eq!(rate("01.50").to_string(), "1.50");
    }

    #[test]
    fn a_rate_is_a_positive_decimal() {
        for bad in [
            "", "abc", "1,085", "1e3", "-1.08", "0", "0.000", ".5", "1.", "+1",
        ] {
            assert!(Rate::decimal(bad).is_err(), "{bad:?}");
        }
        assert!(Rate::decimal("1234567890.123456789").is_err(), "19 digits");
        assert!(
            Rate::decimal("1/1.08").is_err(),
            "brand.toml takes decimals only"
        );
    }

    #[test]
    fn converts_to_the_cent_rounding_half_to_even() {
        let eur_usd = rate("1.0850");
        assert_eq!(m("100.00").convert(eur_usd, "USD"), Some(m("108.50")));
        assert_eq!(m("19.99").convert(eur_usd, "USD"), Some(m("21.69")));
        // 0.10 × 1.25 = 0.125 and 0.30 × 1.25 = 0.375: ties go to the even cent.
        assert_eq!(m("0.10").convert(rate("1.25"), "USD"), Some(m("0.12")));
        assert_eq!(m("0.30").convert(rate("1.25"), "USD"), Some(m("0.38")));
        assert_eq!(m("-0.10").convert(rate("1.25"), "USD"), Some(m("-0.12")));
    }

    #[test]
    fn the_other_direction_is_the_exact_reciprocal() {
        // 108.50 / 1.0850 is exactly 100.
        assert_eq!(
            m("108.50").convert(rate("1.0850").inverse(), "EUR"),
            Some(m("100.00"))
        );
        // 10.00 / 3 = 3.333…
        assert_eq!(m("10.00").convert(rate("1/3"), "EUR"), Some(m("3.33")));
    }

    #[test]
    fn currencies_without_cents_round_to_whole_units() {
        // 10.00 USD at 151.37 JPY = 1513.7 yen → 1514 yen.
        assert_eq!(m("10.00").convert(rate("151.37"), "JPY"), Some(m("1514")));
        // 2.50 yen-rounding tie: 0.5 → 0 (even), 1.5 → 2.
        assert_eq!(m("0.50").convert(Rate::ONE, "JPY"), Some(m("0")));
        assert_eq!(m("1.50").convert(Rate::ONE, "JPY"), Some(m("2")));
        // Three-decimal currencies keep the hundredths money counts in.
        assert_eq!(m("10.00").convert(rate("0.3071"), "KWD"), Some(m("3.07")));
    }

    #[test]
    fn a_result_too_large_is_refused_not_wrapped() {
        let huge = Money::from_minor(i64::MAX);
        assert_eq!(huge.convert(rate("2"), "USD"), None);
    }

    fn brand_rates(pairs: &[(&str, &str)]) -> Result<ExchangeRates, BadRate> {
        ExchangeRates::parse(pairs.iter().copied())
    }

    #[test]
    fn one_written_direction_gives_both() {
        let rates = brand_rates(&[("EUR/USD", "1.0850")]).unwrap();
        assert_eq!(rates.rate("EUR", "USD"), Some(rate("1.0850")));
        assert_eq!(rates.rate("USD", "EUR"), Some(rate("1/1.0850")));
        assert_eq!(rates.rate("USD", "USD"), Some(Rate::ONE));
        assert_eq!(rates.rate("GBP", "USD"), None);
        let both = brand_rates(&[("EUR/USD", "1.0850"), ("USD/EUR", "0.9200")]).unwrap();
        assert_eq!(both.rate("USD", "EUR"), Some(rate("0.9200")), "as written");
    }

    #[test]
    fn a_bad_entry_is_refused_naming_its_key() {
        for (key, value, says) in [
            ("EURUSD", "1.08", "with a slash"),
            ("EUR/usd", "1.08", "\"usd\" is not an ISO 4217"),
            ("EUR/DOLLAR", "1.08", "\"DOLLAR\" is not an ISO 4217"),
            ("EUR/EUR", "1", "no rate to itself"),
            ("EUR/USD", "0", "more than zero"),
            ("EUR/USD", "-1.08", "more than zero"),
            ("EUR/USD", "1,08", "not a decimal rate"),
        ] {
            let err = brand_rates(&[(key, value)]).unwrap_err().to_string();
            assert!(err.contains(&format!("{key:?}")), "{err}");
            assert!(err.contains(says), "{err}");
        }
    }
}
