//! Out-of-sample figures for the profile model: stratified k-fold cross-validation over
//! both sets together (the shipped configuration), over each set alone, and across sets
//! (trained on one, tested on the other). No figure here comes from a model that saw the
//! rows it is measured on.

use kith_core::authenticity::SUSPICIOUS_BELOW;

use super::data::{DataSet, Labelled};
use super::fit::{FOLDS, SEED, fit, judge_profile, out_of_fold_scores};
use crate::metrics::{Confusion, roc_auc};

/// Detection figures with "fake" as the positive class, at the product's threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    pub n: usize,
    pub fakes: usize,
    /// ROC AUC of (100 − authenticity) for fakes.
    pub auc: f64,
    /// Accuracy of "suspicious" (score below 50) as the prediction of fake.
    pub accuracy: f64,
    /// Genuine accounts called suspicious, as a share of genuine accounts.
    pub false_positive_rate: f64,
    /// Fakes called suspicious, as a share of fakes.
    pub recall: f64,
}

impl Figures {
    /// From (authenticity score, is fake) pairs.
    pub fn of(scored: &[(f64, bool)]) -> Figures {
        let for_auc: Vec<(f64, bool)> = scored.iter().map(|(s, f)| (100.0 - s, *f)).collect();
        let c = Confusion::from_predictions(
            scored
                .iter()
                .map(|(s, fake)| (*s < SUSPICIOUS_BELOW, *fake)),
        );
        Figures {
            n: scored.len(),
            fakes: scored.iter().filter(|(_, f)| *f).count(),
            auc: roc_auc(&for_auc).unwrap_or(f64::NAN),
            accuracy: c.accuracy(),
            false_positive_rate: c.false_positive_rate(),
            recall: c.recall(),
        }
    }
}

/// Every out-of-sample figure for one data set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SetReport {
    pub set: DataSet,
    /// 10-fold CV, trained on both sets: how the shipped model is made.
    pub joint_cv: Figures,
    /// 10-fold CV, trained on this set alone.
    pub own_cv: Figures,
    /// Trained on the other set only, tested on all of this one.
    pub from_other: Figures,
}

fn of_set(all: &[Labelled], set: DataSet) -> Vec<Labelled> {
    all.iter().filter(|e| e.set == set).cloned().collect()
}

fn pairs(examples: &[Labelled], scores: &[f64], set: DataSet) -> Vec<(f64, bool)> {
    examples
        .iter()
        .zip(scores)
        .filter(|(e, _)| e.set == set)
        .map(|(e, s)| (*s, e.fake))
        .collect()
}

/// All figures for both sets.
pub fn validate(all: &[Labelled]) -> Vec<SetReport> {
    let joint = out_of_fold_scores(all, FOLDS, SEED);
    DataSet::ALL
        .into_iter()
        .map(|set| {
            let own = of_set(all, set);
            let own_scores = out_of_fold_scores(&own, FOLDS, SEED);
            let other: Vec<&Labelled> = all.iter().filter(|e| e.set != set).collect();
            let model = fit(&other);
            let transferred: Vec<(f64, bool)> = own
                .iter()
                .map(|e| (judge_profile(&model, e), e.fake))
                .collect();
            SetReport {
                set,
                joint_cv: Figures::of(&pairs(all, &joint, set)),
                own_cv: Figures::of(&pairs(&own, &own_scores, set)),
                from_other: Figures::of(&transferred),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_count_fakes_as_positives_below_the_threshold() {
        let f = Figures::of(&[(10.0, true), (60.0, true), (90.0, false), (40.0, false)]);
        assert_eq!(f.n, 4);
        assert_eq!(f.fakes, 2);
        assert_eq!(f.accuracy, 0.5);
        assert_eq!(f.false_positive_rate, 0.5);
        assert_eq!(f.recall, 0.5);
        // Pairs (fake, genuine) ranked right: 10<90, 10<40, 60<90; wrong: 60>40.
        assert_eq!(f.auc, 0.75);
    }
}
