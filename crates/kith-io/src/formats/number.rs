//! Numbers as people write them in exports: `1,234`, `3.2K`, `475.8m`, `1.2M`, `4.5%`,
//! `$1,234.50`, `'0123`.
//!
//! Everything is parsed from its decimal text with integers only, so `0.1 + 0.2` problems
//! never reach a follower count or an amount. Every parser refuses text longer than
//! [`MAX_NUMBER_LEN`] before looking at it, which keeps the work per value bounded.

use kith_core::Money;

/// A number longer than this is not a number anyone wrote by hand or exported.
pub const MAX_NUMBER_LEN: usize = 64;

/// Removes the `'` spreadsheets put before digits to stop them being reformatted
/// (Shopify exports phone numbers, zip codes and customer ids as `'0123`).
pub fn strip_spreadsheet_quote(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit() || c == '+') => rest,
        _ => text,
    }
}

/// Digits with optional thousands separators (`1,234,567`, `1 234 567`), checked for
/// groups of three so that `1,2` is refused rather than read as 12.
fn plain_digits(text: &str) -> Option<String> {
    let separator = text
        .chars()
        .find(|c| matches!(c, ',' | ' ' | '\u{a0}' | '_'));
    let Some(separator) = separator else {
        return (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.to_owned());
    };
    let mut groups = text.split(separator);
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut digits = first.to_owned();
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(group);
    }
    Some(digits)
}

/// A non-negative decimal as (integer of all digits, digits after the point).
fn decimal(text: &str) -> Option<(u128, u32)> {
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    let whole = if whole.is_empty() && !frac.is_empty() {
        String::from("0")
    } else {
        plain_digits(whole)?
    };
    if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 18 || whole.len() > 24 {
        return None;
    }
    let mut value: u128 = whole.parse().ok()?;
    for b in frac.bytes() {
        value = value.checked_mul(10)?.checked_add(u128::from(b - b'0'))?;
    }
    Some((value, frac.len() as u32))
}

/// A count: `1234`, `1,234`, `3.2K`, `475.8m`, `1.2M`, `29.0b`, `12.00`.
///
/// A suffix (K thousand, M million, B billion, either case) marks an abbreviation that
/// was already rounded, so the result is rounded to the nearest whole number; without a
/// suffix a fractional part other than zeros is refused (`12.5` people are not a count).
pub fn parse_count(text: &str) -> Option<u64> {
    let t = strip_spreadsheet_quote(text.trim());
    if t.is_empty() || t.len() > MAX_NUMBER_LEN {
        return None;
    }
    let (body, scale) = match t.as_bytes()[t.len() - 1] {
        b'k' | b'K' => (&t[..t.len() - 1], 1_000u128),
        b'm' | b'M' => (&t[..t.len() - 1], 1_000_000),
        b'b' | b'B' => (&t[..t.len() - 1], 1_000_000_000),
        _ => (t, 1),
    };
    let (value, decimals) = decimal(body.trim_end())?;
    let divisor = 10u128.checked_pow(decimals)?;
    let scaled = value.checked_mul(scale)?;
    if scale == 1 && scaled % divisor != 0 {
        return None;
    }
    let rounded = (scaled + divisor / 2) / divisor;
    u64::try_from(rounded).ok()
}

/// A whole number without abbreviations (order counts, ratings): `12`, `1,234`, `5.0`.
pub fn parse_integer(text: &str) -> Option<u64> {
    let t = strip_spreadsheet_quote(text.trim());
    if t.is_empty() || t.len() > MAX_NUMBER_LEN || t.ends_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    parse_count(t)
}

/// An amount of money: `1234.5`, `1,234.50`, `-3.05`, `$1,234.50`, `€12`, `12.00 USD`.
///
/// Exact to the cent; more than two decimals is refused, as in [`Money`].
pub fn parse_amount(text: &str) -> Option<Money> {
    let t = text.trim();
    if t.is_empty() || t.len() > MAX_NUMBER_LEN {
        return None;
    }
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let t = t.trim_start_matches(['$', '€', '£', '¥']).trim();
    // A trailing ISO code, as some apps write it: `12.00 USD`.
    let t = match t.rsplit_once(' ') {
        Some((n, code)) if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) => {
            n.trim_end()
        }
        _ => t,
    };
    let (value, decimals) = decimal(t)?;
    if decimals > 2 {
        return None;
    }
    let cents = value.checked_mul(10u128.pow(2 - decimals))?;
    let cents = i64::try_from(cents).ok()?;
    Some(Money::from_minor(if negative { -cents } else { cents }))
}

/// A percentage as a fraction: `4.5%` → 0.045, `1.39 %` → 0.0139. A bare number is read
/// as a percentage too (`4.5` → 0.045), which is how rate columns headed `… (%)` look.
pub fn parse_percent(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() || t.len() > MAX_NUMBER_LEN {
        return None;
    }
    let t = t.strip_suffix('%').unwrap_or(t).trim_end();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (value, decimals) = decimal(t)?;
    // Exact integer arithmetic up to here; the one division is the only rounding.
    let fraction = value as f64 / 10f64.powi(decimals as i32 + 2);
    Some(if negative { -fraction } else { fraction })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_separators_and_abbreviations() {
        assert_eq!(parse_count("1,234"), Some(1234));
        assert_eq!(parse_count("1 234 567"), Some(1_234_567));
        assert_eq!(parse_count("3.2K"), Some(3200));
        assert_eq!(parse_count("475.8m"), Some(475_800_000));
        assert_eq!(parse_count("1.2M"), Some(1_200_000));
        assert_eq!(parse_count("29.0b"), Some(29_000_000_000));
        assert_eq!(parse_count("0.89k"), Some(890));
        assert_eq!(parse_count("477900000.00"), Some(477_900_000));
        assert_eq!(parse_count("'42"), Some(42));
    }

    #[test]
    fn abbreviated_counts_round_to_the_nearest_whole() {
        assert_eq!(parse_count("1.2345K"), Some(1235));
        assert_eq!(parse_count("1.2344K"), Some(1234));
    }

    #[test]
    fn counts_refuse_what_is_not_a_count() {
        for bad in [
            "", "abc", "12.5", "-3", "1,2", "1,2345", "K", "3.2X", "1..2", "1e9",
        ] {
            assert_eq!(parse_count(bad), None, "{bad:?}");
        }
        assert_eq!(parse_count(&"9".repeat(200)), None);
        assert_eq!(
            parse_count("99999999999999999999b"),
            None,
            "overflow is refused"
        );
    }

    #[test]
    fn integers_refuse_abbreviations() {
        assert_eq!(parse_integer("1,234"), Some(1234));
        assert_eq!(parse_integer("5.0"), Some(5));
        assert_eq!(parse_integer("3K"), None);
    }

    #[test]
    fn amounts_are_exact_cents_with_separators_and_symbols() {
        assert_eq!(parse_amount("1,234.50").map(Money::minor), Some(123_450));
        assert_eq!(parse_amount("$1,234.5").map(Money::minor), Some(123_450));
        assert_eq!(parse_amount("-3.05").map(Money::minor), Some(-305));
        assert_eq!(parse_amount("12.00 USD").map(Money::minor), Some(1200));
        assert_eq!(parse_amount(".5").map(Money::minor), Some(50));
        assert_eq!(parse_amount("0").map(Money::minor), Some(0));
    }

    #[test]
    fn amounts_refuse_text_and_sub_cent_precision() {
        for bad in ["abc", "1.234", "", "1,23.00", "12 34", "--1", "1.2.3", "$"] {
            assert_eq!(parse_amount(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn percentages_become_fractions() {
        assert_eq!(parse_percent("4.5%"), Some(0.045));
        assert_eq!(parse_percent("1.39 %"), Some(0.0139));
        assert_eq!(parse_percent("100%"), Some(1.0));
        assert_eq!(parse_percent("abc%"), None);
    }
}
