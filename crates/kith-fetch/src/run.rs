//! The driver: fetch every handle not yet settled, write canonical NDJSON, keep the state.
//!
//! Output, in the run's folder, per platform P: `P-profiles.ndjson` and `P-posts.ndjson`
//! (canonical records for `kith import profiles|posts`), `P-raw.ndjson` when raw
//! responses are kept (readable with `--format` P's reader), and `P-state.json`. A
//! handle's records are appended and flushed to disk before the state says it is done,
//! so an interruption can at worst fetch a handle twice — and imports are keyed, so a
//! record written twice is stored once.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use kith_core::{Handle, Platform, Record};

use crate::backoff::RetryPolicy;
use crate::clock::Clock;
use crate::error::FetchError;
use crate::http::{Auth, Http, Stop};
use crate::platforms;
use crate::secret::Token;
use crate::state::{Entry, RunState, Status};

/// What a run needs to know.
#[derive(Debug, Clone)]
pub struct Config {
    pub platform: Platform,
    pub token: Token,
    /// The API address, without a trailing slash (tests point it at a local server).
    pub api_base: String,
    /// Posts wanted per handle (the engagement rate uses the latest 12).
    pub max_posts: usize,
    /// The brand's own Instagram professional account, which Business Discovery asks through.
    pub instagram_user_id: Option<String>,
    /// Keep every response in `P-raw.ndjson`.
    pub keep_raw: bool,
    pub retry: RetryPolicy,
    /// Seeds the backoff jitter.
    pub seed: u64,
}

impl Config {
    pub fn new(platform: Platform, token: Token) -> Config {
        Config {
            platform,
            token,
            api_base: platforms::default_base(platform).to_owned(),
            max_posts: 24,
            instagram_user_id: None,
            keep_raw: false,
            retry: RetryPolicy::default(),
            seed: 0x6b69_7468,
        }
    }
}

/// How one handle ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Fetched {
        posts: usize,
        note: Option<String>,
    },
    Skipped(String),
    Failed(String),
    /// Settled by an earlier run.
    AlreadyDone,
}

/// Told about each handle as the run goes, for a progress bar.
pub trait Progress {
    fn begin(&mut self, _total: usize) {}
    fn handle(&mut self, _handle: &Handle, _outcome: &Outcome) {}
    fn waiting(&mut self, _why: &str, _for: std::time::Duration) {}
}

/// No progress reporting.
impl Progress for () {}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub fetched: usize,
    pub already_done: usize,
    pub skipped: Vec<(Handle, String)>,
    pub failed: Vec<(Handle, String)>,
    pub profiles: usize,
    pub posts: usize,
    pub profiles_file: PathBuf,
    pub posts_file: PathBuf,
    pub state_file: PathBuf,
}

struct Outputs {
    profiles: (PathBuf, BufWriter<File>),
    posts: (PathBuf, BufWriter<File>),
    raw: Option<(PathBuf, BufWriter<File>)>,
}

fn append(path: PathBuf) -> Result<(PathBuf, BufWriter<File>), FetchError> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|source| FetchError::Io {
            path: path.clone(),
            source,
        })?;
    Ok((path, BufWriter::new(file)))
}

fn write_line(out: &mut (PathBuf, BufWriter<File>), line: &str) -> Result<(), FetchError> {
    writeln!(out.1, "{line}").map_err(|source| FetchError::Io {
        path: out.0.clone(),
        source,
    })
}

fn flush(out: &mut (PathBuf, BufWriter<File>)) -> Result<(), FetchError> {
    let io = |source| FetchError::Io {
        path: out.0.clone(),
        source,
    };
    out.1.flush().map_err(io)?;
    out.1.get_ref().sync_data().map_err(io)
}

impl Outputs {
    fn write(&mut self, fetched: &platforms::Fetched) -> Result<(usize, usize), FetchError> {
        let (mut profiles, mut posts) = (0, 0);
        for record in &fetched.records {
            let (line, out) = match record {
                Record::Profile(p) => {
                    profiles += 1;
                    (serde_json::to_string(p), &mut self.profiles)
                }
                Record::Post(p) => {
                    posts += 1;
                    (serde_json::to_string(p), &mut self.posts)
                }
                _ => continue,
            };
            let line = line.map_err(|e| FetchError::Io {
                path: out.0.clone(),
                source: std::io::Error::other(e),
            })?;
            write_line(out, &line)?;
        }
        if let Some(raw) = self.raw.as_mut() {
            for doc in &fetched.raw {
                write_line(raw, doc)?;
            }
            flush(raw)?;
        }
        flush(&mut self.profiles)?;
        flush(&mut self.posts)?;
        Ok((profiles, posts))
    }
}

/// Fetches `handles` into `dir`, skipping those an earlier run settled.
pub fn run(
    config: &Config,
    handles: &[Handle],
    dir: &Path,
    clock: &dyn Clock,
    progress: &mut dyn Progress,
) -> Result<Summary, FetchError> {
    std::fs::create_dir_all(dir).map_err(|source| FetchError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let p = config.platform;
    let state_file = RunState::path(dir, p);
    let mut state = RunState::load(&state_file, p)?;
    let mut out = Outputs {
        profiles: append(dir.join(format!("{p}-profiles.ndjson")))?,
        posts: append(dir.join(format!("{p}-posts.ndjson")))?,
        raw: if config.keep_raw {
            Some(append(dir.join(format!("{p}-raw.ndjson")))?)
        } else {
            None
        },
    };
    let mut summary = Summary {
        profiles_file: out.profiles.0.clone(),
        posts_file: out.posts.0.clone(),
        state_file: state_file.clone(),
        ..Summary::default()
    };
    let auth = if p == Platform::Youtube {
        Auth::Query("key")
    } else {
        Auth::Bearer
    };
    progress.begin(handles.len());
    // The wait hook needs the progress reporter while the client is alive; waits are
    // reported through a queue read between handles' requests instead of a second borrow.
    let waits = std::cell::RefCell::new(Vec::<(String, std::time::Duration)>::new());
    let mut on_wait =
        |why: &str, d: std::time::Duration| waits.borrow_mut().push((why.to_owned(), d));
    let mut http = Http::new(p, &config.token, auth, clock, config.retry, config.seed);
    http.on_wait(&mut on_wait);
    for handle in handles {
        if state.settled(handle) {
            summary.already_done += 1;
            progress.handle(handle, &Outcome::AlreadyDone);
            continue;
        }
        let result = platforms::fetch(config, &mut http, handle);
        for (why, d) in waits.borrow_mut().drain(..) {
            progress.waiting(&why, d);
        }
        let now = Some(clock.now());
        let (entry, outcome) = match result {
            Ok(fetched) => {
                let (profiles, posts) = out.write(&fetched)?;
                summary.fetched += 1;
                summary.profiles += profiles;
                summary.posts += posts;
                let entry = Entry {
                    handle: handle.clone(),
                    status: Status::Done,
                    detail: fetched.note.clone(),
                    profiles,
                    posts,
                    at: now,
                };
                (
                    entry,
                    Outcome::Fetched {
                        posts,
                        note: fetched.note,
                    },
                )
            }
            Err(Stop::Skip(reason)) => {
                summary.skipped.push((handle.clone(), reason.clone()));
                (
                    settle(handle, Status::Skipped, &reason, now),
                    Outcome::Skipped(reason),
                )
            }
            Err(Stop::Failed(reason)) => {
                summary.failed.push((handle.clone(), reason.clone()));
                (
                    settle(handle, Status::Failed, &reason, now),
                    Outcome::Failed(reason),
                )
            }
            Err(Stop::Fatal(e)) => {
                state.save(&state_file)?;
                return Err(e);
            }
        };
        state.record(entry);
        state.save(&state_file)?;
        progress.handle(handle, &outcome);
    }
    Ok(summary)
}

fn settle(
    handle: &Handle,
    status: Status,
    reason: &str,
    at: Option<time::OffsetDateTime>,
) -> Entry {
    Entry {
        handle: handle.clone(),
        status,
        detail: Some(reason.to_owned()),
        profiles: 0,
        posts: 0,
        at,
    }
}
