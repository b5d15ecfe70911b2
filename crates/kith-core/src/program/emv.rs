//! Earned media value and return on investment.
//!
//! EMV prices the attention a post earned at what the same actions would cost as paid
//! media: Σ actions × value per action. It is reported beside revenue, never added to it.
//! ROI is attributed revenue ÷ total cost (commissions, fees, product seeding), shown next
//! to the industry figure of $7.65 per $1 that kith's design names as the comparison.
//! Published averages vary with method and year (e.g. $6.50 revenue per $1 in Tomoson's
//! 2015 survey; $9.60 of *earned media value* per $1 in RhythmOne's 2016 study), so the
//! comparison is a reference point, not a target.

use std::collections::BTreeMap;

use crate::brand::ActionValues;
use crate::handle::Platform;
use crate::money::Money;

/// The industry's return per dollar to compare ROI with.
pub const INDUSTRY_ROI: f64 = 7.65;

/// Default value per action when the brand sets none. These are the worked-example
/// values in Later Influence's EMV help article ($0.30 a like, $0.50 a comment, $0.05 per
/// 1,000 impressions), which it notes are placeholders for the daily Ayzenberg index —
/// a transparent starting point that every brand should replace under `[emv]` in
/// `brand.toml`. Shares and saves, absent from that example, are valued like comments
/// (an action of similar effort); clicks are not valued by default.
pub fn default_values(_platform: Platform) -> ActionValues {
    ActionValues {
        like: Money::from_minor(30),
        comment: Money::from_minor(50),
        share: Money::from_minor(50),
        save: Money::from_minor(50),
        views_per_1000: Money::from_minor(5),
        click: Money::ZERO,
    }
}

/// The values to use for a platform: the brand's, else the defaults.
pub fn values_for(
    brand_emv: &BTreeMap<Platform, ActionValues>,
    platform: Platform,
) -> ActionValues {
    brand_emv
        .get(&platform)
        .copied()
        .unwrap_or_else(|| default_values(platform))
}

/// Counts of the actions some content earned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Actions {
    pub likes: u64,
    pub comments: u64,
    pub shares: u64,
    pub saves: u64,
    pub views: u64,
    pub clicks: u64,
}

fn times(value: Money, count: u64) -> i128 {
    i128::from(value.minor()) * i128::from(count)
}

/// EMV in cents; views are priced per thousand, rounded half up to the cent.
pub fn emv(actions: &Actions, values: &ActionValues) -> Money {
    let per_action = times(values.like, actions.likes)
        + times(values.comment, actions.comments)
        + times(values.share, actions.shares)
        + times(values.save, actions.saves)
        + times(values.click, actions.clicks);
    let views = (times(values.views_per_1000, actions.views) + 500) / 1000;
    Money::from_minor(i64::try_from(per_action + views).unwrap_or(i64::MAX))
}

/// Revenue ÷ cost; `None` when nothing was spent.
pub fn roi(revenue: Money, cost: Money) -> Option<f64> {
    (cost.minor() > 0).then(|| revenue.minor() as f64 / cost.minor() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emv_of_the_worked_example() {
        // 5,000 likes, 500 comments and 50,000 impressions → $1,752.50.
        let a = Actions {
            likes: 5_000,
            comments: 500,
            views: 50_000,
            ..Actions::default()
        };
        assert_eq!(
            emv(&a, &default_values(Platform::Instagram)),
            Money::from_minor(175_250)
        );
    }

    #[test]
    fn roi_is_revenue_per_unit_of_cost() {
        assert_eq!(
            roi(Money::from_minor(76_500), Money::from_minor(10_000)),
            Some(7.65)
        );
        assert_eq!(roi(Money::from_minor(1), Money::ZERO), None);
    }
}
