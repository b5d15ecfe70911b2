//! The evaluation's own rules, and the targets on the real file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

/// `../shared/data` from the repository root, that is `../../../shared/data` from here.
fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

#[test]
fn the_first_airline_handle_is_the_brand_and_the_others_competitors() {
    let m = airline_matcher("@JetBlue beats @united any day").unwrap();
    let found = m.find("@JetBlue beats @united any day");
    assert_eq!(found[0].subject, kith_core::sentiment::Subject::Brand);
    assert_eq!(found[1].subject, kith_core::sentiment::Subject::Other);
    assert!(airline_matcher("no airline here @someone").is_none());
}

#[test]
fn thresholds_are_fitted_for_macro_f1_and_keep_zero_neutral() {
    use Polarity::*;
    let scores = [-0.6, -0.3, -0.1, 0.0, 0.0, 0.1, 0.3, 0.5, 0.7];
    let labels = [
        Negative, Negative, Negative, Neutral, Neutral, Neutral, Neutral, Positive, Positive,
    ];
    let t = fit_thresholds(&scores, &labels);
    assert!(t.negative_below <= 0.0 && t.positive_above >= 0.0);
    let predicted: Vec<Polarity> = scores.iter().map(|s| t.polarity(*s)).collect();
    assert_eq!(predicted, labels);
}

#[test]
fn cross_validation_classifies_each_row_with_thresholds_fitted_without_it() {
    use Polarity::*;
    // Every row is predictable from the others except where a fold holds a class alone.
    let scores: Vec<f64> = (0..30).map(|i| f64::from(i % 3) - 1.0).collect();
    let labels: Vec<Polarity> = (0..30)
        .map(|i| [Negative, Neutral, Positive][i % 3])
        .collect();
    let predicted = cross_validate(&scores, &labels, 5);
    assert_eq!(predicted, labels);
}

#[test]
fn auc_leaves_neutral_rows_out() {
    use Polarity::*;
    let auc = pos_neg_auc(&[0.9, -0.9, 5.0], &[Positive, Negative, Neutral]);
    assert_eq!(auc, 1.0);
}

/// The targets of issue 3, on the real file: a regression below them fails CI.
#[test]
fn targets_hold_on_the_airline_tweets() {
    let path = data_dir().join(FILE);
    if !path.exists() {
        eprintln!("skipped: {} not found", path.display());
        return;
    }
    let r = report(&path).unwrap();
    eprintln!("{}", section(&r));
    assert!(r.rows > 14_000, "{} rows", r.rows);
    assert!(
        r.cross_validated.macro_f1 >= 0.60,
        "{:?}",
        r.cross_validated
    );
    assert!(
        r.cross_validated.accuracy > VADER.0,
        "{:?}",
        r.cross_validated
    );
    // "Well above VADER's 0.867".
    assert!(r.auc_targeted >= 0.90, "AUC {}", r.auc_targeted);
    // Without any fitted threshold, at VADER's own ±0.05, kith still beats VADER.
    assert!(
        r.targeted_vader_cut.macro_f1 > VADER.1,
        "{:?}",
        r.targeted_vader_cut
    );
    // The shipped thresholds are the ones this file yields: provenance, not a score.
    assert_eq!(r.fitted_on_all, Thresholds::KITH);
}
