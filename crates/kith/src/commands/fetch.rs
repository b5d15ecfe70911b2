//! `kith fetch instagram|tiktok|youtube|x --handles FILE`: profiles and recent posts
//! from a platform's API into canonical NDJSON, with a progress bar, resumable; with
//! `--import`, straight into the store as well.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use indicatif::{ProgressBar, ProgressStyle};
use kith_core::{Handle, Platform};
use kith_fetch::clock::SystemClock;
use kith_fetch::{Config, Outcome, Progress, Token};
use kith_io::ndjson::{NdjsonReader, RecordKind};
use kith_store::{ImportError, InputError, Store, StoreError};

use crate::cli::{FetchArgs, PlatformArg};

pub fn run(
    args: &FetchArgs,
    open: impl FnOnce() -> Result<Arc<dyn Store>, StoreError>,
) -> Result<()> {
    let platform = match args.platform {
        PlatformArg::Instagram => Platform::Instagram,
        PlatformArg::Tiktok => Platform::Tiktok,
        PlatformArg::Youtube => Platform::Youtube,
        PlatformArg::X => Platform::X,
    };
    let token = Token::load(platform, args.token_file.as_deref())?;
    let name = args.handles.display().to_string();
    let file = File::open(&args.handles).with_context(|| format!("cannot open {name}"))?;
    let handles = kith_fetch::handles::read(BufReader::new(file), &name)?;
    if args.restart {
        forget(&args.out, platform)?;
    }
    let mut config = Config::new(platform, token);
    config.max_posts = args.posts.max(1);
    config.keep_raw = args.raw;
    config.instagram_user_id = args.instagram_user_id.clone();
    config.retry.max_wait = Duration::from_secs(args.max_wait);
    if let Some(base) = &args.api_base {
        config.api_base = base.trim_end_matches('/').to_owned();
    }
    let mut bar = Bar::new(platform);
    let result = kith_fetch::run(&config, &handles, &args.out, &SystemClock, &mut bar);
    bar.0.finish_and_clear();
    let summary = result?;
    println!(
        "{platform}: fetched {} handle(s), {} settled by an earlier run, {} skipped, {} failed; wrote {} profile(s) and {} post(s)",
        summary.fetched,
        summary.already_done,
        summary.skipped.len(),
        summary.failed.len(),
        summary.profiles,
        summary.posts
    );
    for (handle, why) in &summary.skipped {
        println!("  skipped @{handle}: {why}");
    }
    for (handle, why) in &summary.failed {
        println!("  failed @{handle}: {why} (run again to retry)");
    }
    let (profiles, posts) = (&summary.profiles_file, &summary.posts_file);
    if args.import {
        let store = open()?;
        let p = import(store.as_ref(), RecordKind::Profiles, profiles)?;
        let q = import(store.as_ref(), RecordKind::Posts, posts)?;
        println!("imported {p} profile(s) and {q} post(s) into the store");
    } else {
        println!(
            "next: kith import profiles {} && kith import posts {}",
            profiles.display(),
            posts.display()
        );
    }
    Ok(())
}

/// Removes a platform's state and files so the next run starts over.
fn forget(dir: &Path, platform: Platform) -> Result<()> {
    for suffix in [
        "state.json",
        "profiles.ndjson",
        "posts.ndjson",
        "raw.ndjson",
    ] {
        let path = dir.join(format!("{platform}-{suffix}"));
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("cannot remove {}", path.display())),
        }
    }
    Ok(())
}

/// All-or-nothing import of one canonical NDJSON file.
fn import(store: &dyn Store, kind: RecordKind, path: &Path) -> Result<u64> {
    let name = path.display().to_string();
    let file = File::open(path).with_context(|| format!("cannot open {name}"))?;
    let mut records = NdjsonReader::new(BufReader::new(file), name.clone(), kind)
        .map(|r| r.map_err(|e| Box::new(e) as InputError));
    match store.import(&mut records) {
        Ok(report) => Ok(report.total()),
        Err(ImportError::Input(e)) => Err(anyhow!("{e}").context("nothing was imported")),
        Err(ImportError::Store(e)) => Err(e).context(format!("cannot import {name}")),
    }
}

/// A bar over the handles, on standard error when it is a terminal.
struct Bar(ProgressBar);

impl Bar {
    fn new(platform: Platform) -> Bar {
        let bar = ProgressBar::new(0);
        let style = ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(platform.to_string());
        Bar(bar)
    }
}

impl Progress for Bar {
    fn begin(&mut self, total: usize) {
        self.0.set_length(total as u64);
    }

    fn handle(&mut self, handle: &Handle, outcome: &Outcome) {
        self.0.inc(1);
        let what = match outcome {
            Outcome::Fetched { posts, .. } => format!("@{handle}: {posts} posts"),
            Outcome::Skipped(_) => format!("@{handle}: skipped"),
            Outcome::Failed(_) => format!("@{handle}: failed"),
            Outcome::AlreadyDone => format!("@{handle}: done earlier"),
        };
        self.0.set_message(what);
    }

    fn waiting(&mut self, why: &str, wait: Duration) {
        self.0
            .set_message(format!("waited {:.0} s: {why}", wait.as_secs_f64()));
    }
}
