//! `kith score`: stateless scoring of canonical NDJSON files, no store involved.
//!
//! Memory follows the number of profiles, not posts: people and profiles are held; each
//! post is reduced, on all cores, to the few facts scoring reads ([`PostFacts`]: its
//! numbers, categories and brand opinion, not its text), and the facts stream through a
//! [`Grouper`] that spills sorted runs to temporary files past `--memory-mb`. Each
//! profile is measured once its posts are together, in parallel batches.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::Path;

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use kith_core::post_facts::{PostFacts, PostView};
use kith_core::{
    BrandMatcher, Owners, Platform, Profile, ProfileMeasure, Record, measure_profile, rank,
};
use kith_io::candidates::{CandidateFormat, write_candidates};
use kith_io::grouping::{Grouper, Groups};
use kith_io::ndjson::{Line, LineError, NdjsonReader, RecordKind};
use rayon::prelude::*;
use time::OffsetDateTime;

use crate::cli::ScoreArgs;
use crate::progress;
use crate::refresh::read_brand;

/// Lines read and parsed at a time.
const BATCH_BYTES: usize = 8 << 20;
/// Posts measured at a time once grouped.
const MEASURE_BATCH: usize = 64 * 1024;

pub fn run(args: &ScoreArgs) -> Result<()> {
    let started = std::time::Instant::now();
    // Phase timings for `KITH_LOG=kith=debug`: where a slow run spends its time.
    let phase = |name: &str| {
        tracing::debug!(
            phase = name,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "score"
        )
    };
    let (brand, _) = read_brand(&args.brand)?;
    let now = OffsetDateTime::now_utc();
    let mut people = BTreeMap::new();
    if let Some(path) = &args.people {
        let map = |line: Line<'_>| line.record().map(Some);
        read_chunks(path, RecordKind::Customers, map, |chunk| {
            for record in chunk.into_iter().flatten() {
                if let Record::Person(p) = record {
                    // A later line for the same person replaces the earlier one, as in
                    // the store.
                    people.insert(p.id.clone(), p);
                }
            }
            Ok(())
        })?;
    }
    let people: Vec<_> = people.into_values().collect();

    // Kept in the chunks they were parsed into, then moved once, into sorted order.
    let mut chunks: Vec<Vec<Option<Profile>>> = Vec::new();
    let profile = |line: Line<'_>| {
        Ok(match line.record()? {
            Record::Profile(p) => Some(p),
            _ => None,
        })
    };
    read_chunks(&args.profiles, RecordKind::Profiles, profile, |chunk| {
        chunks.push(chunk);
        Ok(())
    })?;
    let profiles = last_line_per_profile(chunks);
    phase("profiles read");
    // Looked up by a handle borrowed from the post's line.
    let mut index: foldhash::HashMap<Platform, foldhash::HashMap<&str, u32>> =
        foldhash::HashMap::default();
    for (i, p) in profiles.iter().enumerate() {
        index
            .entry(p.platform)
            .or_default()
            .insert(p.handle.as_str(), i as u32);
    }
    let profile_of = |platform: Platform, handle: &str| index.get(&platform)?.get(handle).copied();

    let matcher = BrandMatcher::new(&brand);
    // Every profile is measured, from no posts when it has none.
    let measure = |i: u32, posts: &mut [&PostFacts]| {
        let posts = last_line_per_post(posts);
        measure_profile(&profiles[i as usize], posts, &brand, &matcher, now)
    };
    let measures: Vec<ProfileMeasure>;
    if let Some(path) = &args.posts {
        let mut grouper = Grouper::new(profiles.len(), args.memory_mb.saturating_mul(1 << 20));
        let map = |line: Line<'_>| {
            // Borrowed from the line, then reduced; a line the view refuses is read
            // again as a post, for the error that names its field.
            // (UTF-8 checked whole, as for any line: JSON parsing skips the text of
            // fields it does not know without checking it.)
            let view = kith_io::ndjson::utf8(line.bytes).and_then(PostView::read);
            if let Some(mut view) = view
                && view.validate().is_ok()
            {
                return Ok(profile_of(view.platform, view.handle())
                    .map(|i| (i, PostFacts::new(&view, &matcher))));
            }
            Ok(match line.record()? {
                Record::Post(post) => profile_of(post.platform, post.handle.as_str())
                    .map(|i| (i, PostFacts::new(&post, &matcher))),
                _ => None,
            })
        };
        // Each batch's digests stay where the cores wrote them until grouped.
        read_chunks(path, RecordKind::Posts, map, |chunk| {
            let size = chunk.iter().flatten().map(|(_, f)| f.held_bytes()).sum();
            Ok(grouper.push_chunk(chunk, size)?)
        })?;
        phase("posts read");
        let spilled = grouper.spilled_runs();
        if spilled > 0 {
            eprintln!(
                "posts outgrew --memory-mb {}: sorted in {spilled} runs on disk",
                args.memory_mb
            );
        }
        let bar = progress::spinner(&if spilled > 0 {
            format!("measuring profiles (merging {spilled} sorted runs)")
        } else {
            "measuring profiles".to_owned()
        });
        let grouped = grouper
            .finish()
            .context("cannot read back the sorted posts")?;
        phase("posts grouped");
        match grouped {
            Groups::Held(held) => {
                // Indexed by profile: collected straight into place.
                measures = (0..held.keys())
                    .into_par_iter()
                    // One list of a profile's posts per thread, reused.
                    .map_init(Vec::new, |posts, i| {
                        posts.clear();
                        posts.extend(held.group(i));
                        measure(i, posts)
                    })
                    .collect();
                drop_in_background(held);
            }
            Groups::Merged(mut merge) => {
                let mut by_profile: Vec<Option<ProfileMeasure>> = vec![None; profiles.len()];
                let mut batch: Vec<(u32, Vec<PostFacts>)> = Vec::new();
                let mut held = 0;
                loop {
                    let group = merge
                        .next_group()
                        .context("cannot read back the sorted posts")?;
                    let last = group.is_none();
                    if let Some((i, posts)) = group {
                        held += posts.len();
                        batch.push((i, posts));
                    }
                    if held >= MEASURE_BATCH || last {
                        let done: Vec<(u32, ProfileMeasure)> = batch
                            .par_drain(..)
                            .map(|(i, p)| (i, measure(i, &mut p.iter().collect::<Vec<_>>())))
                            .collect();
                        for (i, m) in done {
                            by_profile[i as usize] = Some(m);
                        }
                        bar.inc(held as u64);
                        held = 0;
                    }
                    if last {
                        break;
                    }
                }
                measures = by_profile
                    .into_par_iter()
                    .enumerate()
                    .map(|(i, m)| m.unwrap_or_else(|| measure(i as u32, &mut [])))
                    .collect();
            }
        }
        bar.finish_and_clear();
    } else {
        measures = (0..profiles.len() as u32)
            .into_par_iter()
            .map(|i| measure(i, &mut []))
            .collect();
    }
    phase("profiles measured");
    let owners = Owners {
        people: &people,
        reviews: &[],
        purchases: &[],
        confirmations: &[],
    };
    let candidates = rank(&owners, &profiles, &measures, &brand);
    phase("ranked");
    match &args.out {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            write_candidates(&mut out, &candidates, CandidateFormat::from_path(path))?;
            out.flush()?;
            phase("written");
            eprintln!(
                "wrote {} candidates to {}",
                candidates.len(),
                path.display()
            );
        }
        None => write_candidates(std::io::stdout().lock(), &candidates, CandidateFormat::Csv)?,
    }
    drop(index);
    drop_in_background((candidates, measures, profiles, people));
    Ok(())
}

/// Frees `value` on another thread. Millions of small allocations freed one by one
/// took ~40 ms at the end of a run; when the process ends first, the system takes the
/// memory back at once.
fn drop_in_background<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// The profiles sorted by platform and handle, a later line for the same profile
/// replacing the earlier one, as in the store.
fn last_line_per_profile(mut chunks: Vec<Vec<Option<Profile>>>) -> Vec<Profile> {
    let mut order: Vec<(u32, u32)> = chunks
        .iter()
        .enumerate()
        .flat_map(|(c, chunk)| {
            let slots = chunk.iter().enumerate().filter(|(_, p)| p.is_some());
            slots.map(move |(s, _)| (c as u32, s as u32))
        })
        .collect();
    let key = |&(c, s): &(u32, u32)| {
        chunks[c as usize][s as usize]
            .as_ref()
            .map(|p| (p.platform, p.handle.as_str()))
    };
    // Stable: equal profiles stay in file order, the last line last.
    order.par_sort_by(|a, b| key(a).cmp(&key(b)));
    let last: Vec<bool> = (0..order.len())
        .map(|k| {
            order
                .get(k + 1)
                .is_none_or(|next| key(next) != key(&order[k]))
        })
        .collect();
    order
        .into_iter()
        .zip(last)
        .filter(|(_, last)| *last)
        .filter_map(|((c, s), _)| chunks[c as usize][s as usize].take())
        .collect()
}

/// A profile's posts with only the last line of each post id, as the store's upsert
/// keeps: sorted by id, at the front of `posts`.
fn last_line_per_post<'a, 'b>(posts: &'a mut [&'b PostFacts]) -> &'a [&'b PostFacts] {
    // Latest line first, then a stable sort: each id's first entry is its last line.
    posts.reverse();
    posts.sort_by(|a, b| a.id().cmp(b.id()));
    let mut kept = 0;
    for i in 0..posts.len() {
        if kept == 0 || posts[kept - 1].id() != posts[i].id() {
            posts.swap(kept, i);
            kept += 1;
        }
    }
    &posts[..kept]
}

/// Streams a file to `each` a batch at a time, each line through `map` on all cores
/// (one slot a line, in file order), with a progress bar.
fn read_chunks<T: Send>(
    path: &Path,
    kind: RecordKind,
    map: impl Fn(Line<'_>) -> Result<Option<T>, LineError> + Sync,
    mut each: impl FnMut(Vec<Option<T>>) -> Result<()>,
) -> Result<()> {
    let (mut reader, bar) = open_ndjson(path, kind)?;
    let bytes = reader.bytes_read();
    while let Some(chunk) = reader.next_chunk_map(BATCH_BYTES, &map)? {
        each(chunk)?;
        bar.set_position(bytes.load(std::sync::atomic::Ordering::Relaxed));
    }
    bar.finish_and_clear();
    Ok(())
}

/// A reader of the file, with a progress bar over its bytes.
fn open_ndjson(
    path: &Path,
    kind: RecordKind,
) -> Result<(NdjsonReader<BufReader<File>>, ProgressBar)> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let name = path.display().to_string();
    let reader = NdjsonReader::new(BufReader::with_capacity(1 << 20, file), name, kind);
    Ok((reader, progress::bytes(len, format!("reading {kind}"))))
}
