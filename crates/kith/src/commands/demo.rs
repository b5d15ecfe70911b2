//! `kith demo`: a sample brand, imported through the same path as a user's files,
//! scored, shown, written to `candidates.csv`, and served.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use kith_core::CandidateQuery;
use kith_io::candidates::{CandidateFormat, write_candidates};
use kith_io::demo::{DemoOptions, write_demo};
use kith_io::ndjson::RecordKind;
use kith_store::Store;

use crate::cli::DemoArgs;
use crate::commands::import::{import_ndjson, summary};
use crate::{output, refresh};

pub fn run(store: Arc<dyn Store>, args: &DemoArgs) -> Result<()> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let options = DemoOptions {
        seed: args.seed,
        customers: args.customers,
        employees: args.employees,
    };
    let files = write_demo(&args.out, &options).context("cannot write the demo files")?;
    eprintln!("wrote the sample brand to {}", args.out.display());

    let (brand, text) = refresh::read_brand(&files.brand)?;
    refresh::save_brand(store.as_ref(), &brand, &text)?;
    let imports = [
        (RecordKind::Customers, &files.customers),
        (RecordKind::Employees, &files.employees),
        (RecordKind::Profiles, &files.profiles),
        (RecordKind::Posts, &files.posts),
        (RecordKind::Reviews, &files.reviews),
        (RecordKind::Orders, &files.orders),
    ];
    for (kind, path) in imports {
        let report = import_ndjson(store.as_ref(), kind, path)?;
        eprintln!("{}", summary(kind, path, &report));
    }
    refresh::refresh(store.as_ref())?;

    let top = store.candidates(&CandidateQuery {
        limit: 20,
        ..CandidateQuery::default()
    })?;
    println!("\nTop candidates for {}:\n", brand.name);
    print!("{}", output::candidate_table(&top));
    let all = store.candidates(&CandidateQuery {
        limit: u32::MAX,
        ..CandidateQuery::default()
    })?;
    let csv_path = args.out.join("candidates.csv");
    write_csv(&csv_path, &all)?;
    let micro = all
        .iter()
        .filter(|c| c.tier == Some(kith_core::Tier::Micro))
        .count();
    println!(
        "\n{} candidates ({micro} micro-influencers) written to {}",
        all.len(),
        csv_path.display()
    );
    if args.no_serve {
        return Ok(());
    }
    crate::commands::serve::run(store, args.bind)
}

fn write_csv(path: &Path, candidates: &[kith_core::Candidate]) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    write_candidates(&mut out, candidates, CandidateFormat::Csv)?;
    out.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}
