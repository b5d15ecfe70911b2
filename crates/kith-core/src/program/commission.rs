//! Commission rules and what they pay on an order, exactly, in cents.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::money::Money;

/// A rate in basis points: 1000 is 10 %.
pub type BasisPoints = u32;

/// One step of a tiered rule: from this much sales in the month, this rate applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub from_monthly_sales: Money,
    pub rate: BasisPoints,
}

/// How a member earns on an order they referred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CommissionRule {
    /// A share of the order's subtotal.
    Percent { rate: BasisPoints },
    /// A fixed amount per order.
    Flat { amount: Money },
    /// A share that grows with the member's sales so far this calendar month.
    Tiered { steps: Vec<Step> },
}

/// Why a commission rule could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a commission: use a percentage (10%), an amount per order (5.00), or tiers (0:10%,1000:12%)"
)]
pub struct BadCommission(pub String);

fn parse_percent(text: &str) -> Option<BasisPoints> {
    let number = text.trim().strip_suffix('%')?;
    // A percentage with up to two decimals is a whole number of basis points; reuse the
    // exact two-decimal parser of money.
    let m: Money = number.parse().ok()?;
    u32::try_from(m.minor()).ok().filter(|bp| *bp <= 10_000)
}

impl FromStr for CommissionRule {
    type Err = BadCommission;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || BadCommission(text.to_owned());
        let t = text.trim();
        if t.contains(':') {
            let mut steps = Vec::new();
            for part in t.split(',') {
                let (from, rate) = part.split_once(':').ok_or_else(err)?;
                let from: Money = from.trim().parse().map_err(|_| err())?;
                steps.push(Step {
                    from_monthly_sales: from,
                    rate: parse_percent(rate).ok_or_else(err)?,
                });
            }
            let rising = steps
                .windows(2)
                .all(|w| w[0].from_monthly_sales < w[1].from_monthly_sales);
            if steps.is_empty() || !rising || steps[0].from_monthly_sales != Money::ZERO {
                return Err(err());
            }
            return Ok(CommissionRule::Tiered { steps });
        }
        if t.ends_with('%') {
            return parse_percent(t)
                .map(|rate| CommissionRule::Percent { rate })
                .ok_or_else(err);
        }
        let amount: Money = t.parse().map_err(|_| err())?;
        if amount.minor() < 0 {
            return Err(err());
        }
        Ok(CommissionRule::Flat { amount })
    }
}

impl fmt::Display for CommissionRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |bp: BasisPoints| {
            let whole = bp / 100;
            match bp % 100 {
                0 => format!("{whole}%"),
                frac => format!("{whole}.{frac:02}%").replace("0%", "%"),
            }
        };
        match self {
            CommissionRule::Percent { rate } => f.write_str(&pct(*rate)),
            CommissionRule::Flat { amount } => write!(f, "{amount}"),
            CommissionRule::Tiered { steps } => {
                let parts: Vec<String> = steps
                    .iter()
                    .map(|s| format!("{}:{}", s.from_monthly_sales, pct(s.rate)))
                    .collect();
                f.write_str(&parts.join(","))
            }
        }
    }
}

/// `amount × rate`, rounded half away from zero to the cent.
pub fn apply_rate(amount: Money, rate: BasisPoints) -> Money {
    let product = i128::from(amount.minor()) * i128::from(rate);
    let rounded = if product >= 0 {
        (product + 5_000) / 10_000
    } else {
        (product - 5_000) / 10_000
    };
    Money::from_minor(i64::try_from(rounded).unwrap_or(i64::MAX))
}

impl CommissionRule {
    /// The commission on an order with this `subtotal`, given the member's attributed
    /// sales earlier in the same calendar month.
    pub fn commission(&self, subtotal: Money, month_sales_before: Money) -> Money {
        if subtotal.minor() <= 0 {
            return Money::ZERO;
        }
        match self {
            CommissionRule::Percent { rate } => apply_rate(subtotal, *rate),
            CommissionRule::Flat { amount } => *amount,
            CommissionRule::Tiered { steps } => {
                let rate = steps
                    .iter()
                    .rev()
                    .find(|s| month_sales_before >= s.from_monthly_sales)
                    .map_or(0, |s| s.rate);
                apply_rate(subtotal, rate)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Money {
        text.parse().unwrap()
    }

    #[test]
    fn rules_read_as_people_write_them() {
        assert_eq!("10%".parse(), Ok(CommissionRule::Percent { rate: 1000 }));
        assert_eq!("12.5%".parse(), Ok(CommissionRule::Percent { rate: 1250 }));
        assert_eq!("5.00".parse(), Ok(CommissionRule::Flat { amount: m("5") }));
        let tiered: CommissionRule = "0:10%, 1000:12%, 5000:15%".parse().unwrap();
        assert_eq!(tiered.to_string(), "0.00:10%,1000.00:12%,5000.00:15%");
        for bad in [
            "",
            "ten",
            "150%",
            "-5",
            "1000:12%",
            "0:10%,0:12%",
            "10.001%",
        ] {
            assert!(bad.parse::<CommissionRule>().is_err(), "{bad}");
        }
    }

    #[test]
    fn percent_commission_rounds_half_away_from_zero_to_the_cent() {
        let rule = CommissionRule::Percent { rate: 1000 };
        assert_eq!(rule.commission(m("19.95"), Money::ZERO), m("2.00"));
        assert_eq!(rule.commission(m("19.94"), Money::ZERO), m("1.99"));
        assert_eq!(rule.commission(m("0.04"), Money::ZERO), m("0.00"));
        assert_eq!(rule.commission(m("0.05"), Money::ZERO), m("0.01"));
    }

    #[test]
    fn tiers_follow_the_members_sales_earlier_in_the_month() {
        let rule: CommissionRule = "0:10%,1000:12%,5000:15%".parse().unwrap();
        assert_eq!(rule.commission(m("100"), m("999.99")), m("10"));
        assert_eq!(rule.commission(m("100"), m("1000")), m("12"));
        assert_eq!(rule.commission(m("100"), m("7500")), m("15"));
    }

    #[test]
    fn nothing_is_earned_on_an_empty_order() {
        assert_eq!(
            CommissionRule::Flat { amount: m("5") }.commission(Money::ZERO, Money::ZERO),
            Money::ZERO
        );
    }
}
