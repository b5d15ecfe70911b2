//! Where the pod rule starts: calibrated on real people's engagement, checked on others.
//!
//! "Engagement far above the band" is evidence of an engagement pod only where genuine
//! accounts rarely are. InstaFake's non-automated accounts are all genuine, with their
//! posts: their ER index (engagement ÷ the band's benchmark) shows where that is. The
//! accounts are split in two halves with a fixed seed; the start is the 99th percentile
//! of one half, rounded up to a half, and the other half reports how many genuine accounts
//! would still be past it — a figure on accounts the calibration never saw.

use super::fit::{SEED, splitmix};

/// The share of genuine accounts the rule may start on.
pub const QUANTILE: f64 = 0.99;

/// The calibration and its check.
#[derive(Debug, Clone, PartialEq)]
pub struct PodCalibration {
    /// Accounts with an ER index in the half the start was chosen on.
    pub calibration_n: usize,
    /// The 99th percentile of their index.
    pub quantile: f64,
    /// The start the data gives: the percentile rounded up to a half.
    pub start: f64,
    /// Accounts with an ER index in the other half.
    pub check_n: usize,
    /// How many of those are past the start.
    pub check_past: usize,
}

/// Calibrates on each account's ER index (`None` where it has none: too few recent posts
/// or no benchmark), in the order the data set lists them.
pub fn calibrate(indices: &[Option<f64>]) -> PodCalibration {
    let mut order: Vec<usize> = (0..indices.len()).collect();
    let mut state = SEED;
    for i in (1..order.len()).rev() {
        let j = (splitmix(&mut state) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    let (first, second) = order.split_at(order.len() / 2);
    let half = |positions: &[usize]| -> Vec<f64> {
        let mut v: Vec<f64> = positions.iter().filter_map(|&i| indices[i]).collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let (calibration, check) = (half(first), half(second));
    let quantile = nearest_rank(&calibration, QUANTILE);
    let start = (quantile * 2.0).ceil() / 2.0;
    PodCalibration {
        calibration_n: calibration.len(),
        quantile,
        start,
        check_n: check.len(),
        check_past: check.iter().filter(|&&x| x > start).count(),
    }
}

/// The nearest-rank percentile of sorted values; NaN when there are none.
fn nearest_rank(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_is_the_calibration_halfs_99th_percentile_rounded_up_to_a_half() {
        // 1.00, 1.01, … 1.99 twice over: each half holds about a hundred of them.
        let indices: Vec<Option<f64>> = (0..200)
            .map(|i| Some(1.0 + f64::from(i % 100) / 100.0))
            .chain(std::iter::repeat_n(None, 20))
            .collect();
        let c = calibrate(&indices);
        assert_eq!(c.calibration_n + c.check_n, 200);
        assert!(c.quantile > 1.9 && c.quantile <= 1.99, "{c:?}");
        assert_eq!(c.start, 2.0);
        assert_eq!(c.check_past, 0);
    }

    #[test]
    fn the_split_is_reproducible_and_the_check_counts_only_its_own_half() {
        let indices: Vec<Option<f64>> = (0..101).map(|i| Some(f64::from(i))).collect();
        let c = calibrate(&indices);
        assert_eq!(c, calibrate(&indices));
        assert_eq!((c.calibration_n, c.check_n), (50, 51));
        let past = indices.iter().flatten().filter(|&&x| x > c.start).count();
        assert!(c.check_past <= past);
    }

    #[test]
    fn nearest_rank_picks_a_value_that_exists() {
        assert_eq!(nearest_rank(&[1.0, 2.0, 3.0], 0.99), 3.0);
        assert_eq!(nearest_rank(&[1.0, 2.0, 3.0], 0.5), 2.0);
        assert!(nearest_rank(&[], 0.99).is_nan());
    }
}
