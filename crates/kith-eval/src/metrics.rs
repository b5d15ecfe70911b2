//! Classification metrics, computed exactly (no sampling, no interpolation).

/// Area under the ROC curve for scores where higher means "positive": the probability
/// that a random positive outscores a random negative, ties counting half.
/// `None` when either class is empty.
pub fn roc_auc(scored: &[(f64, bool)]) -> Option<f64> {
    let positives = scored.iter().filter(|(_, p)| *p).count();
    let negatives = scored.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Mann–Whitney U through average ranks, so ties are handled exactly.
    let mut rank_sum_pos = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        let avg_rank = (i + 1 + j) as f64 / 2.0;
        rank_sum_pos += avg_rank * sorted[i..j].iter().filter(|(_, p)| *p).count() as f64;
        i = j;
    }
    let p = positives as f64;
    let u = rank_sum_pos - p * (p + 1.0) / 2.0;
    Some(u / (p * negatives as f64))
}

/// Counts of a binary classifier's outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Confusion {
    pub true_pos: u64,
    pub false_pos: u64,
    pub true_neg: u64,
    pub false_neg: u64,
}

impl Confusion {
    pub fn from_predictions(pairs: impl IntoIterator<Item = (bool, bool)>) -> Confusion {
        let mut c = Confusion::default();
        for (predicted, actual) in pairs {
            match (predicted, actual) {
                (true, true) => c.true_pos += 1,
                (true, false) => c.false_pos += 1,
                (false, false) => c.true_neg += 1,
                (false, true) => c.false_neg += 1,
            }
        }
        c
    }

    pub fn total(&self) -> u64 {
        self.true_pos + self.false_pos + self.true_neg + self.false_neg
    }

    pub fn accuracy(&self) -> f64 {
        ratio(self.true_pos + self.true_neg, self.total())
    }

    /// Share of real negatives wrongly called positive.
    pub fn false_positive_rate(&self) -> f64 {
        ratio(self.false_pos, self.false_pos + self.true_neg)
    }

    pub fn precision(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_pos)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_neg)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Multi-class accuracy and macro-F1 over (predicted, actual) class indices.
pub fn accuracy_and_macro_f1(pairs: &[(usize, usize)], classes: usize) -> (f64, f64) {
    if pairs.is_empty() || classes == 0 {
        return (0.0, 0.0);
    }
    let correct = pairs.iter().filter(|(p, a)| p == a).count();
    let f1_sum: f64 = (0..classes)
        .map(|k| Confusion::from_predictions(pairs.iter().map(|(p, a)| (*p == k, *a == k))).f1())
        .sum();
    (correct as f64 / pairs.len() as f64, f1_sum / classes as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_separation_has_auc_one_and_reversed_zero() {
        let s = [(0.9, true), (0.8, true), (0.1, false), (0.2, false)];
        assert_eq!(roc_auc(&s), Some(1.0));
        let r: Vec<(f64, bool)> = s.iter().map(|(x, p)| (-x, *p)).collect();
        assert_eq!(roc_auc(&r), Some(0.0));
    }

    #[test]
    fn ties_count_half() {
        assert_eq!(roc_auc(&[(0.5, true), (0.5, false)]), Some(0.5));
    }

    #[test]
    fn one_class_has_no_auc() {
        assert_eq!(roc_auc(&[(0.5, true)]), None);
    }

    #[test]
    fn macro_f1_averages_per_class_f1() {
        // Class 0 perfect, class 1 never predicted.
        let pairs = [(0, 0), (0, 0), (0, 1)];
        let (acc, f1) = accuracy_and_macro_f1(&pairs, 2);
        assert!((acc - 2.0 / 3.0).abs() < 1e-12);
        // F1 class 0: p = 2/3, r = 1 → 0.8; class 1: 0.
        assert!((f1 - 0.4).abs() < 1e-12);
    }
}
