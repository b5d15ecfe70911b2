//! Authenticity: how likely a profile and its audience are real, 0–100, with each named
//! signal that lowered it and by how much.
//!
//! One logistic model adds up evidence in log-odds. Its profile half ([`profile`]) reads
//! profile fields alone, with weights learned from two labelled Instagram data sets
//! ([`coefficients`], trained by kith-eval's `train_authenticity`); its post half
//! ([`posts`]) adds rules over posts and follower history with stated weights. Then
//!
//! ```text
//! score = 100 × σ(intercept − Σ evidenceᵢ × weightᵢ)
//! ```
//!
//! which reads as the chance, in percent, that the account is genuine when fakes and
//! genuine accounts are equally common beforehand (training gave both classes equal
//! weight). Among a brand's own customers fakes are rarer, so the score is cautious.
//! Below 50 the evidence favours a fake: the product calls such a profile suspicious.
//!
//! Every evidence value is 0 or more and every weight is 0 or more, so adding evidence
//! of fraud can never raise the score (property-tested in `tests.rs`). A profile with no
//! evidence at all scores the model's ceiling, σ(intercept), a little under 100.
//!
//! Each signal's points are its share of the total drop from the ceiling, in proportion
//! to its log-odds term. For a function of a sum that is exactly what integrated
//! gradients give (Sundararajan et al. 2017), so the points always add up:
//! `score = ceiling − Σ flag points − minor`.

mod coefficients;
pub mod posts;
pub mod profile;

#[cfg(test)]
mod tests;

use crate::engagement::Engagement;
use crate::post_facts::PostMetrics;
use crate::record::Profile;

pub use posts::generic_comment_share;
pub use profile::{FEATURE_NAMES, FEATURE_SIGNALS, FEATURES, Signal, profile_features};

/// Signals that take off less than this are summed into [`Authenticity::minor`] instead of
/// being listed: a flag should be worth reading.
pub const MIN_FLAG_POINTS: f64 = 1.0;

/// The score below which a profile is called suspicious: the evidence favours a fake.
pub const SUSPICIOUS_BELOW: f64 = 50.0;

/// A named signal and what it cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flag {
    pub name: &'static str,
    /// Points of the 0–100 score this signal took off (never negative).
    pub penalty: f64,
    /// Its term in the model's sum: log-odds, never positive.
    pub log_odds: f64,
    pub meaning: &'static str,
}

/// The score and what lowered it.
#[derive(Debug, Clone, PartialEq)]
pub struct Authenticity {
    pub score: f64,
    /// Signals that took off at least [`MIN_FLAG_POINTS`], largest first.
    pub flags: Vec<Flag>,
    /// The score of a profile with no evidence against it.
    pub ceiling: f64,
    /// Points taken off by signals too small to flag.
    pub minor: f64,
}

impl Authenticity {
    pub fn is_suspicious(&self) -> bool {
        self.score < SUSPICIOUS_BELOW
    }

    /// "authentic 31.2 of 97.6: default profile picture −24.1, empty bio −18.0 (+2.3
    /// minor)": the score and every flag's cost, for explanations.
    pub fn explain(&self) -> String {
        let mut text = format!("authentic {:.1} of {:.1}", self.score, self.ceiling);
        let parts: Vec<String> = self
            .flags
            .iter()
            .map(|f| format!("{} −{:.1}", f.meaning, f.penalty))
            .collect();
        if !parts.is_empty() {
            text.push_str(": ");
            text.push_str(&parts.join(", "));
        }
        if self.minor >= 0.05 {
            text.push_str(&format!(" (−{:.1} minor)", self.minor));
        }
        text
    }
}

/// The weights of the model: the profile half's intercept and feature weights.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Model {
    /// Log-odds of a genuine account before any evidence.
    pub intercept: f64,
    /// One per profile feature ([`FEATURE_NAMES`]); a negative weight counts as 0.
    pub weights: [f64; FEATURES],
}

impl Model {
    /// The model kith ships, learned by `train_authenticity` (see `coefficients.rs`).
    pub const SHIPPED: Model = Model {
        intercept: coefficients::INTERCEPT,
        weights: coefficients::WEIGHTS,
    };

    /// Judges a profile. `benchmark` is the published engagement rate for its platform
    /// and band, when one exists; without posts the profile fields decide alone.
    pub fn judge<P: PostMetrics>(
        &self,
        profile: &Profile,
        posts: &[P],
        engagement: &Engagement,
        benchmark: Option<f64>,
    ) -> Authenticity {
        let mut terms: Vec<(Signal, f64)> = Vec::new();
        let mut add = |signal: Signal, z: f64| {
            // A NaN or negative term must never lower the odds of fraud: it counts as 0.
            if z > 0.0 {
                match terms.iter_mut().find(|(s, _)| *s == signal) {
                    Some((_, sum)) => *sum += z,
                    None => terms.push((signal, z)),
                }
            }
        };
        let x = profile_features(profile);
        for ((signal, w), xi) in FEATURE_SIGNALS.iter().zip(self.weights).zip(x) {
            add(*signal, w.max(0.0) * xi);
        }
        let evidence = posts::post_evidence(profile, posts, engagement, benchmark);
        for ((signal, w), e) in posts::RULES.iter().zip(evidence) {
            add(*signal, w * e);
        }
        attribute(self.intercept, &terms)
    }
}

/// Judges a profile with the shipped model; see [`Model::judge`].
pub fn authenticity<P: PostMetrics>(
    profile: &Profile,
    posts: &[P],
    engagement: &Engagement,
    benchmark: Option<f64>,
) -> Authenticity {
    Model::SHIPPED.judge(profile, posts, engagement, benchmark)
}

/// The logistic function, without overflow at either end.
fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Turns log-odds terms into the score and each signal's share of the drop.
fn attribute(intercept: f64, terms: &[(Signal, f64)]) -> Authenticity {
    let intercept = if intercept.is_finite() {
        intercept
    } else {
        0.0
    };
    let total: f64 = terms.iter().map(|(_, z)| z).sum();
    let ceiling = 100.0 * sigmoid(intercept);
    let score = if total.is_finite() {
        100.0 * sigmoid(intercept - total)
    } else {
        0.0
    };
    let drop = ceiling - score;
    let mut all: Vec<Flag> = terms
        .iter()
        .map(|(s, z)| Flag {
            name: s.name,
            penalty: if total.is_finite() {
                drop * z / total
            } else {
                0.0
            },
            log_odds: -z,
            meaning: s.meaning,
        })
        .collect();
    all.sort_by(|a, b| b.penalty.total_cmp(&a.penalty).then(a.name.cmp(b.name)));
    let (flags, small): (Vec<Flag>, Vec<Flag>) =
        all.into_iter().partition(|f| f.penalty >= MIN_FLAG_POINTS);
    Authenticity {
        score,
        flags,
        ceiling,
        minor: small.iter().map(|f| f.penalty).sum(),
    }
}
