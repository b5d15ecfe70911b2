//! Training the shipped model and writing its coefficients as Rust source, with their
//! provenance and out-of-sample figures, for `kith-core/src/authenticity/coefficients.rs`.

use std::fmt::Write;
use std::path::Path;

use kith_core::authenticity::{FEATURE_NAMES, Model};

use super::data::{self, DataSet, Labelled};
use super::fit::{FOLDS, RIDGE, SEED, fit};
use super::validate::{Figures, SetReport, validate};
use crate::EvalError;

/// The command that regenerates the coefficients, as the generated file quotes it.
pub const COMMAND: &str =
    "cargo run -p kith-eval --release --example train_authenticity -- --data-dir ../shared/data";

/// The shipped model: fitted on both sets together.
pub fn train(all: &[Labelled]) -> Model {
    let refs: Vec<&Labelled> = all.iter().collect();
    fit(&refs)
}

/// Trains on the data folder and returns the model, its out-of-sample figures and the
/// source of `coefficients.rs` dated `date` (YYYY-MM-DD).
pub fn train_and_render(
    data: &Path,
    date: &str,
) -> Result<(Model, Vec<SetReport>, String), EvalError> {
    let all = data::load_all(data)?;
    let model = train(&all);
    let reports = validate(&all);
    let source = render(&model, &all, &reports, date);
    Ok((model, reports, source))
}

fn counts(all: &[Labelled], set: DataSet) -> (usize, usize) {
    let of_set = all.iter().filter(|e| e.set == set);
    let fakes = of_set.clone().filter(|e| e.fake).count();
    (fakes, of_set.count() - fakes)
}

fn figures(f: &Figures) -> String {
    format!(
        "AUC {:.3}, accuracy {:.3}, false-positive rate {:.3}",
        f.auc, f.accuracy, f.false_positive_rate
    )
}

/// `coefficients.rs`, formatted as rustfmt would.
pub fn render(model: &Model, all: &[Labelled], reports: &[SetReport], date: &str) -> String {
    let (if_fake, if_real) = counts(all, DataSet::InstaFake);
    let (sp_fake, sp_real) = counts(all, DataSet::Spammer);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "//! The learned coefficients of the profile model. Generated: do not edit by hand."
    );
    let _ = writeln!(s, "//!");
    let _ = writeln!(s, "//! - Command: `{COMMAND}`");
    let _ = writeln!(s, "//!   (from the repository root), on {date}.");
    let _ = writeln!(
        s,
        "//! - Data: InstaFake fake-v1.0 (Akyon & Kalfaoglu 2019, CC BY-NC 4.0; {if_fake} fake,"
    );
    let _ = writeln!(
        s,
        "//!   {if_real} real) and the Instagram fake/spammer set (Kaggle, licence unverified;"
    );
    let _ = writeln!(
        s,
        "//!   {sp_fake} fake, {sp_real} genuine), read from `shared/data`, never copied here."
    );
    let _ = writeln!(
        s,
        "//! - Fit: logistic regression on both sets, weights held at 0 or above, each (set,"
    );
    let _ = writeln!(
        s,
        "//!   label) cell weighted equally, ridge {RIDGE} on the weights (kith-eval `fit.rs`)."
    );
    let _ = writeln!(
        s,
        "//! - Out-of-sample figures ({FOLDS}-fold stratified CV, seed {SEED}, refitted per"
    );
    let _ = writeln!(
        s,
        "//!   fold; accuracy and false-positive rate at \"suspicious below 50\"):"
    );
    for r in reports {
        let _ = writeln!(s, "//!   - {}: {}", r.set, figures(&r.joint_cv));
        let _ = writeln!(
            s,
            "//!     trained on the other set only: {}",
            figures(&r.from_other)
        );
    }
    s.push('\n');
    s.push_str("use super::profile::FEATURES;\n\n");
    s.push_str("/// Log-odds of a genuine account with no evidence against it.\n");
    let _ = writeln!(s, "pub const INTERCEPT: f64 = {:?};", model.intercept);
    s.push('\n');
    s.push_str("/// One weight per feature, in the order of `profile::FEATURE_NAMES`.\n");
    s.push_str("pub const WEIGHTS: [f64; FEATURES] = [\n");
    for (w, name) in model.weights.iter().zip(FEATURE_NAMES) {
        let _ = writeln!(s, "    // {name}");
        let _ = writeln!(s, "    {w:?},");
    }
    s.push_str("];\n");
    s
}
