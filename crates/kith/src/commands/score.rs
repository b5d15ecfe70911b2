//! `kith score`: stateless scoring of canonical NDJSON files, no store involved.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::Path;

use anyhow::{Context, Result};
use kith_core::{Handle, Platform, Population, Post, ProfilePosts, Record, score_population};
use kith_io::candidates::{CandidateFormat, write_candidates};
use kith_io::ndjson::{NdjsonReader, RecordKind};
use time::OffsetDateTime;

use crate::cli::ScoreArgs;
use crate::refresh::read_brand;

pub fn run(args: &ScoreArgs) -> Result<()> {
    let (brand, _) = read_brand(&args.brand)?;
    let mut population = Population::default();
    let mut people = BTreeMap::new();
    if let Some(path) = &args.people {
        for record in read(path, RecordKind::Customers)? {
            if let Record::Person(p) = record {
                // A later line for the same person replaces the earlier one, as in the store.
                people.insert(p.id.clone(), p);
            }
        }
    }
    population.people = people.into_values().collect();
    let mut posts: BTreeMap<(Platform, Handle), Vec<Post>> = BTreeMap::new();
    if let Some(path) = &args.posts {
        for record in read(path, RecordKind::Posts)? {
            if let Record::Post(p) = record {
                posts
                    .entry((p.platform, p.handle.clone()))
                    .or_default()
                    .push(p);
            }
        }
    }
    let mut profiles = BTreeMap::new();
    for record in read(&args.profiles, RecordKind::Profiles)? {
        if let Record::Profile(p) = record {
            // A later line for the same profile replaces the earlier one, as in the store.
            profiles.insert((p.platform, p.handle.clone()), p);
        }
    }
    for (key, profile) in profiles {
        let mut own = posts.remove(&key).unwrap_or_default();
        // Keep the last line per post id, as the store's upsert does.
        own.reverse();
        own.sort_by(|a, b| a.post_id.cmp(&b.post_id));
        own.dedup_by(|a, b| a.post_id == b.post_id);
        population.profiles.push(ProfilePosts {
            profile,
            posts: own,
        });
    }
    let candidates = score_population(&population, &brand, OffsetDateTime::now_utc());
    match &args.out {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            write_candidates(&mut out, &candidates, CandidateFormat::from_path(path))?;
            out.flush()?;
            eprintln!(
                "wrote {} candidates to {}",
                candidates.len(),
                path.display()
            );
        }
        None => write_candidates(std::io::stdout().lock(), &candidates, CandidateFormat::Csv)?,
    }
    Ok(())
}

fn read(path: &Path, kind: RecordKind) -> Result<Vec<Record>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let name = path.display().to_string();
    NdjsonReader::new(BufReader::new(file), name, kind)
        .collect::<Result<Vec<_>, _>>()
        .map_err(anyhow::Error::from)
}
