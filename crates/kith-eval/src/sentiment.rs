//! Brand sentiment on the airline tweets (CrowdFlower, February 2015: 14,640 tweets to
//! six US airlines labelled negative / neutral / positive about the airline).
//!
//! The airline is the brand: the first of the six @handles in a tweet is its handle,
//! the other five are its competitors, and kith's targeted sentiment runs exactly as it
//! does on a brand's posts. Reported against VADER 3.3.2 on the same rows (±0.05 on its
//! compound: accuracy 0.490, macro-F1 0.457, positive-vs-negative AUC 0.867).
//!
//! The only thing fitted to this file is the pair of class thresholds. Their figures
//! are 10-fold cross-validated: each fold is classified with thresholds chosen on the
//! other nine. The thresholds fitted on all rows are printed as the provenance of
//! `Thresholds::KITH`, never scored on these rows.

use std::path::{Path, PathBuf};

use kith_core::BrandConfig;
use kith_core::brand_love::BrandMatcher;
use kith_core::sentiment::{self, Polarity, Thresholds};

use crate::metrics::{accuracy_and_macro_f1, roc_auc};
use crate::{EvalError, Section};

/// The file, relative to the data directory.
pub const FILE: &str = "airline-tweets/us_airline_tweets_reduced.csv";
/// The airlines' handles as the data set's README lists them.
pub const AIRLINES: &[&str] = &[
    "united",
    "usairways",
    "americanair",
    "southwestair",
    "jetblue",
    "virginamerica",
];
/// VADER 3.3.2 on the same rows: accuracy, macro-F1, positive-vs-negative ROC AUC.
pub const VADER: (f64, f64, f64) = (0.490, 0.457, 0.867);
/// Folds of the cross-validation.
pub const FOLDS: usize = 10;

/// One labelled tweet, scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub label: Polarity,
    /// Targeted at the airline.
    pub targeted: f64,
    /// The whole text, untargeted.
    pub whole: f64,
}

/// The figures of one way of classifying.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    pub accuracy: f64,
    pub macro_f1: f64,
    /// F1 of negative, neutral, positive.
    pub f1: [f64; 3],
}

/// Everything the evaluation measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub rows: usize,
    /// Rows without any of the six handles, left out.
    pub skipped: usize,
    pub whole_vader_cut: Figures,
    pub targeted_vader_cut: Figures,
    pub cross_validated: Figures,
    pub auc_whole: f64,
    pub auc_targeted: f64,
    /// Thresholds fitted on all rows: what `Thresholds::KITH` should hold.
    pub fitted_on_all: Thresholds,
}

pub fn evaluate(data: &Path) -> Result<Vec<Section>, EvalError> {
    let path = data.join(FILE);
    if !path.exists() {
        return Ok(vec![Section {
            title: "Brand sentiment (airline tweets)".into(),
            lines: vec![format!("skipped: {} not found", path.display())],
        }]);
    }
    let r = report(&path)?;
    Ok(vec![section(&r)])
}

/// Reads, scores and measures the file.
pub fn report(path: &Path) -> Result<Report, EvalError> {
    let (scored, skipped) = read(path)?;
    let labels: Vec<Polarity> = scored.iter().map(|s| s.label).collect();
    let targeted: Vec<f64> = scored.iter().map(|s| s.targeted).collect();
    let whole: Vec<f64> = scored.iter().map(|s| s.whole).collect();
    let predicted = cross_validate(&targeted, &labels, FOLDS);
    Ok(Report {
        rows: scored.len(),
        skipped,
        whole_vader_cut: figures(&whole, &labels, |s| Thresholds::VADER.polarity(s)),
        targeted_vader_cut: figures(&targeted, &labels, |s| Thresholds::VADER.polarity(s)),
        cross_validated: classified(&predicted, &labels),
        auc_whole: pos_neg_auc(&whole, &labels),
        auc_targeted: pos_neg_auc(&targeted, &labels),
        fitted_on_all: fit_thresholds(&targeted, &labels),
    })
}

fn section(r: &Report) -> Section {
    let row = |name: &str, f: &Figures, auc: Option<f64>| {
        format!(
            "| {name} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {} |",
            f.accuracy,
            f.macro_f1,
            f.f1[0],
            f.f1[1],
            f.f1[2],
            auc.map_or("".into(), |a| format!("{a:.3}"))
        )
    };
    let t = r.fitted_on_all;
    Section {
        title: "Brand sentiment (airline tweets)".into(),
        lines: vec![
            format!(
                "{} tweets ({} without an airline handle left out); the airline's @handle is the brand, the other five its competitors.",
                r.rows, r.skipped
            ),
            String::new(),
            "| method | accuracy | macro-F1 | F1 neg | F1 neu | F1 pos | AUC pos-vs-neg |".into(),
            "|---|---|---|---|---|---|---|".into(),
            format!(
                "| VADER 3.3.2, ±0.05 (published) | {:.3} | {:.3} | | | | {:.3} |",
                VADER.0, VADER.1, VADER.2
            ),
            row(
                "kith, whole text, ±0.05",
                &r.whole_vader_cut,
                Some(r.auc_whole),
            ),
            row(
                "kith, targeted, ±0.05",
                &r.targeted_vader_cut,
                Some(r.auc_targeted),
            ),
            row(
                &format!("kith, targeted, thresholds by {FOLDS}-fold CV"),
                &r.cross_validated,
                Some(r.auc_targeted),
            ),
            String::new(),
            format!(
                "Thresholds fitted on all rows (provenance of Thresholds::KITH, not scored here): negative below {:.2}, positive above {:.2}; shipped: {:.2} / {:.2}.",
                t.negative_below,
                t.positive_above,
                Thresholds::KITH.negative_below,
                Thresholds::KITH.positive_above
            ),
        ],
    }
}

/// The scored rows and how many were skipped.
pub fn read(path: &Path) -> Result<(Vec<Scored>, usize), EvalError> {
    let file = std::fs::File::open(path).map_err(|source| EvalError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mut reader = csv::Reader::from_reader(file);
    let parse = |line: u64, message: String| EvalError::Parse {
        path: PathBuf::from(path),
        line,
        message,
    };
    let headers = reader
        .headers()
        .map_err(|e| parse(1, e.to_string()))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| parse(1, format!("no column {name}")))
    };
    let (label_at, text_at) = (column("airline_sentiment")?, column("text")?);
    let mut out = Vec::new();
    let mut skipped = 0;
    for record in reader.records() {
        let record =
            record.map_err(|e| parse(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        let label = match record.get(label_at).unwrap_or("") {
            "negative" => Polarity::Negative,
            "neutral" => Polarity::Neutral,
            "positive" => Polarity::Positive,
            other => return Err(parse(line, format!("unknown label {other:?}"))),
        };
        let text = record.get(text_at).unwrap_or("");
        let Some(matcher) = airline_matcher(text) else {
            skipped += 1;
            continue;
        };
        let targeted = matcher
            .sentiment(text)
            .map_or_else(|| sentiment::sentiment(text), |a| a.score);
        out.push(Scored {
            label,
            targeted,
            whole: sentiment::sentiment(text),
        });
    }
    Ok((out, skipped))
}

/// The brand as the tweet's first airline handle, with the other airlines as
/// competitors.
pub fn airline_matcher(text: &str) -> Option<BrandMatcher> {
    let lower = text.to_lowercase();
    let first = lower
        .match_indices('@')
        .filter_map(|(i, _)| {
            let handle: String = lower[i + 1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            AIRLINES.iter().find(|a| **a == handle)
        })
        .next()?;
    let mut brand = BrandConfig::named(first);
    brand.handles.x = Some(format!("@{first}"));
    brand.competitors = AIRLINES
        .iter()
        .filter(|a| *a != first)
        .map(|a| format!("@{a}"))
        .collect();
    Some(BrandMatcher::new(&brand))
}

fn index(p: Polarity) -> usize {
    match p {
        Polarity::Negative => 0,
        Polarity::Neutral => 1,
        Polarity::Positive => 2,
    }
}

fn classified(predicted: &[Polarity], labels: &[Polarity]) -> Figures {
    let pairs: Vec<(usize, usize)> = predicted
        .iter()
        .zip(labels)
        .map(|(p, a)| (index(*p), index(*a)))
        .collect();
    let (accuracy, macro_f1) = accuracy_and_macro_f1(&pairs, 3);
    let f1 = [0, 1, 2].map(|k| {
        crate::metrics::Confusion::from_predictions(pairs.iter().map(|(p, a)| (*p == k, *a == k)))
            .f1()
    });
    Figures {
        accuracy,
        macro_f1,
        f1,
    }
}

fn figures(scores: &[f64], labels: &[Polarity], classify: impl Fn(f64) -> Polarity) -> Figures {
    let predicted: Vec<Polarity> = scores.iter().map(|s| classify(*s)).collect();
    classified(&predicted, labels)
}

/// ROC AUC of the score separating positive from negative tweets (neutral left out).
pub fn pos_neg_auc(scores: &[f64], labels: &[Polarity]) -> f64 {
    let pairs: Vec<(f64, bool)> = scores
        .iter()
        .zip(labels)
        .filter(|(_, l)| **l != Polarity::Neutral)
        .map(|(s, l)| (*s, *l == Polarity::Positive))
        .collect();
    roc_auc(&pairs).unwrap_or(0.5)
}

/// Out-of-fold predictions: row i is in fold i mod k and is classified with thresholds
/// fitted on the other folds.
pub fn cross_validate(scores: &[f64], labels: &[Polarity], k: usize) -> Vec<Polarity> {
    let mut out = vec![Polarity::Neutral; scores.len()];
    for fold in 0..k {
        let (train_s, train_l): (Vec<f64>, Vec<Polarity>) = scores
            .iter()
            .zip(labels)
            .enumerate()
            .filter(|(i, _)| i % k != fold)
            .map(|(_, (s, l))| (*s, *l))
            .unzip();
        let t = fit_thresholds(&train_s, &train_l);
        for (i, s) in scores.iter().enumerate().filter(|(i, _)| i % k == fold) {
            out[i] = t.polarity(*s);
        }
    }
    out
}

/// The thresholds with the best macro-F1, on a grid of 0.01 that keeps a score of 0
/// (no opinion found) neutral: negative below −0.60…0, positive above 0…0.80.
pub fn fit_thresholds(scores: &[f64], labels: &[Polarity]) -> Thresholds {
    // Scores per class, sorted, so each grid point is counted by binary search.
    let mut by_class: [Vec<f64>; 3] = Default::default();
    for (s, l) in scores.iter().zip(labels) {
        by_class[index(*l)].push(*s);
    }
    for v in &mut by_class {
        v.sort_by(f64::total_cmp);
    }
    let below = |v: &Vec<f64>, t: f64| v.partition_point(|x| *x < t);
    let above = |v: &Vec<f64>, t: f64| v.len() - v.partition_point(|x| *x <= t);
    let mut best = (f64::MIN, Thresholds::VADER);
    for n in 0..=60 {
        // `+ 0.0` turns −0.0 into 0.0 for printing.
        let neg = -f64::from(n) / 100.0 + 0.0;
        for p in 0..=80 {
            let pos = f64::from(p) / 100.0;
            // confusion[predicted][actual]
            let mut confusion = [[0usize; 3]; 3];
            for (actual, v) in by_class.iter().enumerate() {
                let (lo, hi) = (below(v, neg), above(v, pos));
                confusion[0][actual] = lo;
                confusion[2][actual] = hi;
                confusion[1][actual] = v.len() - lo - hi;
            }
            let f1 = macro_f1(&confusion);
            if f1 > best.0 {
                best = (
                    f1,
                    Thresholds {
                        negative_below: neg,
                        positive_above: pos,
                    },
                );
            }
        }
    }
    best.1
}

fn macro_f1(confusion: &[[usize; 3]; 3]) -> f64 {
    (0..3)
        .map(|k| {
            let tp = confusion[k][k] as f64;
            let predicted: usize = confusion[k].iter().sum();
            let actual: usize = confusion.iter().map(|row| row[k]).sum();
            if predicted + actual == 0 {
                0.0
            } else {
                2.0 * tp / (predicted + actual) as f64
            }
        })
        .sum::<f64>()
        / 3.0
}

#[cfg(test)]
mod tests;
