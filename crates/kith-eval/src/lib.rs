//! kith's scores measured on real, labelled public data: authenticity on InstaFake and
//! the Instagram spammer set, brand sentiment on the airline tweets.
//!
//! The data sets live outside the repository (`../shared/data/`, with their licences);
//! nothing from them is copied here. Each evaluation reads its files, runs the same
//! `kith-core` rules the product runs, and reports the figures as text.
//!
//! # Layout
//! - [`metrics`]: ROC AUC, accuracy, precision/recall/F1, confusion counts.
//! - [`authenticity`], [`sentiment`]: one evaluation each; [`curve`]: the demo brand's
//!   engagement-vs-followers curve beside the published benchmarks.

use std::path::{Path, PathBuf};

pub mod authenticity;
pub mod curve;
pub mod metrics;
pub mod sentiment;

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Parse {
        path: PathBuf,
        line: u64,
        message: String,
    },
}

/// One evaluation's result, as a titled block of text lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub lines: Vec<String>,
}

impl std::fmt::Display for Section {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "## {}", self.title)?;
        for line in &self.lines {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

/// Every evaluation over the data directory (the `data/` folder of the shared data sets).
pub fn evaluate_all(data: &Path) -> Result<Vec<Section>, EvalError> {
    let mut sections = authenticity::evaluate(data)?;
    sections.extend(sentiment::evaluate(data)?);
    sections.extend(curve::evaluate(&std::env::temp_dir())?);
    Ok(sections)
}
