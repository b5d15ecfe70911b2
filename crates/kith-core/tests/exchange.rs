//! Money converted between currencies: exact, never negative from a non-negative
//! amount, and within half a smallest unit of the true product.

use kith_core::Money;
use kith_core::currency::minor_digits;
use kith_core::exchange::Rate;
use proptest::prelude::*;

/// A rate of up to 12 significant digits with up to 8 decimals, as text and as the
/// exact fraction `units / 10^scale`.
fn rate() -> impl Strategy<Value = (Rate, i128, i128)> {
    (1u64..1_000_000_000_000, 0u32..=8).prop_map(|(units, scale)| {
        let power = 10u64.pow(scale);
        let text = if scale == 0 {
            units.to_string()
        } else {
            format!(
                "{}.{:0>width$}",
                units / power,
                units % power,
                width = scale as usize
            )
        };
        let rate: Rate = text.parse().unwrap();
        (rate, i128::from(units), i128::from(power))
    })
}

fn currency() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["USD", "EUR", "JPY", "KWD", "CLP"])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn converting_at_a_rate_of_one_changes_nothing_in_a_currency_with_cents(
        minor in -10_000_000_000i64..10_000_000_000,
    ) {
        let amount = Money::from_minor(minor);
        prop_assert_eq!(amount.convert(Rate::ONE, "USD"), Some(amount));
        prop_assert_eq!(amount.convert("1.0000".parse().unwrap(), "EUR"), Some(amount));
    }

    #[test]
    fn a_converted_amount_is_never_negative_and_within_half_a_unit_of_the_exact_value(
        minor in 0i64..100_000_000_000,
        (rate, units, power) in rate(),
        to in currency(),
    ) {
        for (rate, num, den) in [(rate, units, power), (rate.inverse(), power, units)] {
            let Some(converted) = Money::from_minor(minor).convert(rate, to) else {
                continue;
            };
            prop_assert!(converted.minor() >= 0);
            // In hundredths: |converted − minor × num / den| ≤ half the smallest unit.
            let quantum = 10i128.pow(2 - minor_digits(to).min(2));
            let error = (i128::from(converted.minor()) * den - i128::from(minor) * num).abs();
            prop_assert!(2 * error <= quantum * den, "{minor} at {rate} to {to}: {converted}");
            prop_assert_eq!(i128::from(converted.minor()) % quantum, 0);
        }
    }

    #[test]
    fn a_rate_prints_back_as_it_was_read((rate, _, _) in rate()) {
        prop_assert_eq!(rate.to_string().parse::<Rate>(), Ok(rate));
        prop_assert_eq!(rate.inverse().to_string().parse::<Rate>(), Ok(rate.inverse()));
    }
}
