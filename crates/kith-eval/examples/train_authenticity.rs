//! Trains the authenticity profile model and prints `coefficients.rs` for kith-core.
//!
//! ```text
//! cargo run -p kith-eval --release --example train_authenticity -- --data-dir ../shared/data
//!     [--out crates/kith-core/src/authenticity/coefficients.rs] [--date YYYY-MM-DD]
//! ```
//!
//! The out-of-sample figures go to stderr, the source to stdout (or `--out`). The fit is
//! deterministic: the same files give the same coefficients, bit for bit.

use std::path::PathBuf;
use std::process::ExitCode;

use kith_eval::authenticity::train::train_and_render;

fn usage() -> ExitCode {
    eprintln!("usage: train_authenticity --data-dir DIR [--out FILE] [--date YYYY-MM-DD]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut data = None;
    let mut out = None;
    let mut date = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next();
        match (flag.as_str(), value) {
            ("--data-dir", Some(v)) => data = Some(PathBuf::from(v)),
            ("--out", Some(v)) => out = Some(PathBuf::from(v)),
            ("--date", Some(v)) => date = Some(v),
            _ => return usage(),
        }
    }
    let Some(data) = data else { return usage() };
    let date = date.unwrap_or_else(|| time::OffsetDateTime::now_utc().date().to_string());
    let (model, reports, source) = match train_and_render(&data, &date) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "intercept {:.4}, weights {:.4?}",
        model.intercept, model.weights
    );
    for r in &reports {
        eprintln!(
            "{}: out-of-fold AUC {:.4} accuracy {:.4} FPR {:.4} | own-set CV AUC {:.4} | \
             from the other set AUC {:.4} accuracy {:.4} FPR {:.4}",
            r.set,
            r.joint_cv.auc,
            r.joint_cv.accuracy,
            r.joint_cv.false_positive_rate,
            r.own_cv.auc,
            r.from_other.auc,
            r.from_other.accuracy,
            r.from_other.false_positive_rate,
        );
    }
    match out {
        Some(path) => {
            if let Err(e) = std::fs::write(&path, source) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            eprintln!("wrote {}", path.display());
        }
        None => print!("{source}"),
    }
    ExitCode::SUCCESS
}
