//! `kith match`: review the person ↔ profile links identity resolution is unsure of.
//!
//! Without `--review` it lists the links waiting for a decision — as a table, or as the
//! review file (CSV with an empty `decision` column). With `--review FILE` it reads that
//! file back and stores every `confirm` and `reject` in one transaction, or nothing at
//! all when any row is wrong. A stored decision makes the scores stale, so the next
//! `kith discover` rescores with it.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use kith_core::{Handle, Platform};
use kith_io::formats::matches::{self, LinkField, ProposedLink};
use kith_store::Store;

use crate::output::cell;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatchFormat {
    Table,
    Csv,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// Store the decisions of a review file (`decision`: confirm, reject, or empty).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["format", "out"])]
    pub review: Option<PathBuf>,
    /// How to list the links (default: a table, or CSV when writing to a file).
    #[arg(long, value_enum)]
    pub format: Option<MatchFormat>,
    /// Write the list to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Who `kith match --review` records as having decided.
const DECIDED_BY: &str = "cli";

pub fn run(store: &dyn Store, args: &MatchArgs) -> Result<()> {
    match &args.review {
        Some(path) => review(store, path),
        None => list(store, args),
    }
}

fn list(store: &dyn Store, args: &MatchArgs) -> Result<()> {
    let inputs = store.identity_inputs()?;
    let resolution = inputs.resolve();
    let links = matches::proposed(&inputs.people, &inputs.profiles, &resolution.to_review);
    let format = args.format.unwrap_or(match args.out {
        Some(_) => MatchFormat::Csv,
        None => MatchFormat::Table,
    });
    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::stdout().lock()),
    };
    match format {
        MatchFormat::Csv => matches::write_proposed(&mut out, &links)?,
        MatchFormat::Table if links.is_empty() => {
            writeln!(out, "No links are waiting for review.")?;
        }
        MatchFormat::Table => {
            write!(out, "{}", table(&links))?;
            writeln!(
                out,
                "{} links to review. Write them to a file with `kith match --out review.csv`, \
                 fill in `decision` (confirm or reject), then run `kith match --review review.csv`.",
                links.len()
            )?;
        }
    }
    out.flush()?;
    if let Some(path) = &args.out {
        eprintln!(
            "{} links to review written to {}",
            links.len(),
            path.display()
        );
    }
    Ok(())
}

fn review(store: &dyn Store, path: &Path) -> Result<()> {
    // A decision must be about a person and a profile kith knows: a typo in a handle
    // would otherwise be stored, and silently never match anything.
    let inputs = store.identity_inputs()?;
    let people: HashSet<&str> = inputs.people.iter().map(|p| p.id.as_str()).collect();
    let profiles: HashSet<(Platform, &Handle)> = inputs
        .profiles
        .iter()
        .map(|p| (p.platform, &p.handle))
        .collect();
    let reviewed = matches::read_reviewed(path, |c| {
        if !people.contains(c.person_id.as_str()) {
            return Err((
                LinkField::PersonId,
                format!("{:?} is not a person kith knows", c.person_id),
            ));
        }
        if !profiles.contains(&(c.platform, &c.handle)) {
            return Err((
                LinkField::Handle,
                format!(
                    "no {} profile @{} was imported",
                    c.platform.as_str(),
                    c.handle
                ),
            ));
        }
        Ok(())
    })
    .context("nothing was stored")?;
    let changed = store.save_confirmations(&reviewed.decisions, DECIDED_BY)?;
    let confirmed = reviewed.decisions.iter().filter(|d| d.accepted).count();
    let rejected = reviewed.decisions.len() - confirmed;
    println!(
        "{confirmed} confirmed, {rejected} rejected, {} left undecided ({changed} changed).",
        reviewed.undecided
    );
    if changed > 0 {
        println!("The next `kith discover` rescores with these decisions.");
    }
    Ok(())
}

fn table(links: &[ProposedLink]) -> String {
    let mut out = format!(
        "{} {} {} {} {}  evidence\n",
        cell("person", 14),
        cell("name", 20),
        cell("profile", 30),
        cell("name on profile", 20),
        cell("conf.", 5),
    );
    for l in links {
        out.push_str(&format!(
            "{} {} {} {} {:>5}  {}\n",
            cell(&l.person_id, 14),
            cell(&l.name, 20),
            cell(&format!("{} @{}", l.platform, l.handle), 30),
            cell(&l.profile_name, 20),
            format!("{:.2}", l.confidence),
            l.evidence
        ));
    }
    out
}
