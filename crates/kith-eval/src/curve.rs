//! The engagement-vs-followers curve of the demo brand, next to the published curves.
//!
//! Engagement falls as follower counts grow — the reason micro-influencers are worth
//! finding. This evaluation generates the demo brand, computes every profile's
//! engagement rate exactly as the product does, and prints the median per follower
//! band beside the benchmark the ER index divides by. It checks the generator's
//! calibration and shows the inverse correlation on a brand's own people.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use kith_core::benchmark::benchmark;
use kith_core::engagement::{engagement, median};
use kith_core::{Handle, Platform, Post, Profile, Record, TierBands};
use kith_io::demo::{DemoOptions, write_demo};
use kith_io::ndjson::{NdjsonReader, RecordKind};

use crate::{EvalError, Section};

fn read(path: &Path, kind: RecordKind) -> Result<Vec<Record>, EvalError> {
    let file = File::open(path).map_err(|source| EvalError::Read {
        path: path.to_owned(),
        source,
    })?;
    NdjsonReader::new(BufReader::new(file), path.display().to_string(), kind)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| EvalError::Parse {
            path: path.to_owned(),
            line: e.position.line().unwrap_or(0),
            message: e.to_string(),
        })
}

/// Generates the default demo brand under `scratch` and reports its curve.
pub fn evaluate(scratch: &Path) -> Result<Vec<Section>, EvalError> {
    evaluate_with(scratch, &DemoOptions::default())
}

/// The curve of a demo brand of the given size.
pub fn evaluate_with(scratch: &Path, options: &DemoOptions) -> Result<Vec<Section>, EvalError> {
    let dir: PathBuf = scratch.join(format!("kith-eval-demo-{}", std::process::id()));
    let files = write_demo(&dir, options).map_err(|e| EvalError::Read {
        path: dir.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let mut posts: BTreeMap<(Platform, Handle), Vec<Post>> = BTreeMap::new();
    for record in read(&files.posts, RecordKind::Posts)? {
        if let Record::Post(p) = record {
            posts
                .entry((p.platform, p.handle.clone()))
                .or_default()
                .push(p);
        }
    }
    let profiles: Vec<Profile> = read(&files.profiles, RecordKind::Profiles)?
        .into_iter()
        .filter_map(|r| {
            if let Record::Profile(p) = r {
                Some(p)
            } else {
                None
            }
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(vec![curve_section(&profiles, &posts)])
}

fn curve_section(profiles: &[Profile], posts: &BTreeMap<(Platform, Handle), Vec<Post>>) -> Section {
    let bands = TierBands::default();
    let mut rates: BTreeMap<(Platform, kith_core::Band), Vec<f64>> = BTreeMap::new();
    for profile in profiles {
        let own = posts
            .get(&(profile.platform, profile.handle.clone()))
            .map_or(&[][..], Vec::as_slice);
        // Demo profiles all carry their fetch time, so no clock is read here.
        let Some(fetched) = profile.fetched_at else {
            continue;
        };
        let (Some(rate), Some(followers)) =
            (engagement(profile, own, fetched).rate, profile.followers)
        else {
            continue;
        };
        rates
            .entry((profile.platform, bands.band(followers)))
            .or_default()
            .push(rate);
    }
    let mut lines = vec![
        "Demo brand: median engagement rate per band, against the benchmark the ER index uses."
            .to_owned(),
        String::new(),
        "| platform | band | profiles | median ER | benchmark | ratio |".to_owned(),
        "|---|---|---:|---:|---:|---:|".to_owned(),
    ];
    for ((platform, band), values) in &rates {
        let med = median(values).unwrap_or_default();
        let (bench, ratio) = match benchmark(*platform, *band) {
            Some(b) => (
                format!("{:.2}%", b.rate * 100.0),
                format!("{:.2}×", med / b.rate),
            ),
            None => ("—".to_owned(), "—".to_owned()),
        };
        lines.push(format!(
            "| {platform} | {} | {} | {:.2}% | {bench} | {ratio} |",
            band.label(),
            values.len(),
            med * 100.0
        ));
    }
    lines.push(String::new());
    lines.push(
        "Benchmarks: Instagram — Markerly 2016 like rates; TikTok — SociaVault Labs 2026 medians; X — SociaVault 2026 medians (see kith-core/src/benchmark.rs). YouTube has no per-subscriber benchmark (published ones divide by views).".to_owned(),
    );
    Section {
        title: "Engagement vs followers (demo brand)".to_owned(),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engagement_falls_as_instagram_bands_grow_in_the_demo_brand() {
        let scratch = std::env::temp_dir();
        let options = DemoOptions {
            seed: 7,
            customers: 3_000,
            employees: 50,
        };
        let sections = evaluate_with(&scratch, &options).unwrap();
        let rows: Vec<(String, f64)> = sections[0]
            .lines
            .iter()
            .filter(|l| l.starts_with("| instagram |"))
            .map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                (
                    cells[2].to_owned(),
                    cells[4].trim_end_matches('%').parse().unwrap(),
                )
            })
            .collect();
        let median_of = |band: &str| {
            rows.iter()
                .find(|(b, _)| b == band)
                .map(|(_, er)| *er)
                .unwrap()
        };
        assert!(median_of("nano") > median_of("micro 1k–10k"), "{rows:?}");
        assert!(
            median_of("micro 1k–10k") > median_of("micro 10k–100k"),
            "{rows:?}"
        );
    }
}
