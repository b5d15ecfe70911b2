//! Customer value: how a customer's spend ranks within the brand, as a 0–100 percentile.

use crate::money::Money;

/// Percentile ranks of spend: the share of customers who spent less, counting ties as
/// half, so equal spend gets equal value and the top spender approaches 100.
#[derive(Debug, Clone, Default)]
pub struct SpendRanking {
    sorted: Vec<i64>,
}

impl SpendRanking {
    pub fn new(spends: impl IntoIterator<Item = Money>) -> SpendRanking {
        let mut sorted: Vec<i64> = spends.into_iter().map(Money::minor).collect();
        sorted.sort_unstable();
        SpendRanking { sorted }
    }

    pub fn percentile(&self, spent: Money) -> Option<f64> {
        if self.sorted.is_empty() {
            return None;
        }
        let below = self.sorted.partition_point(|s| *s < spent.minor());
        let not_above = self.sorted.partition_point(|s| *s <= spent.minor());
        let ties = not_above - below;
        Some(100.0 * (below as f64 + ties as f64 / 2.0) / self.sorted.len() as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_counts_ties_as_half() {
        let r = SpendRanking::new([0, 0, 100, 200].map(Money::from_minor));
        assert_eq!(r.percentile(Money::from_minor(0)), Some(25.0));
        assert_eq!(r.percentile(Money::from_minor(200)), Some(87.5));
        assert_eq!(r.percentile(Money::from_minor(1000)), Some(100.0));
    }

    #[test]
    fn no_customers_means_no_value() {
        assert_eq!(SpendRanking::new([]).percentile(Money::ZERO), None);
    }
}
