//! `kith eval`: the scores measured on labelled public data, printed as Markdown.

use anyhow::{Context, Result};

use crate::cli::EvalArgs;

pub fn run(args: &EvalArgs) -> Result<()> {
    let sections = kith_eval::evaluate_all(&args.data_dir)
        .with_context(|| format!("cannot evaluate on {}", args.data_dir.display()))?;
    for section in sections {
        println!("{section}");
    }
    Ok(())
}
