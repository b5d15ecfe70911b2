//! A second, synthetic check: the demo brand's planted fakes against everyone else.
//!
//! The real data sets have no posts, so they test only the profile half of the model.
//! The demo brand (`kith_io::demo`) plants bought-follower accounts, engagement pods and
//! bots among genuine customers and creators, with posts and follower histories shaped
//! as in the wild, and keeps the truth aside. Its fakes were designed by people who knew
//! the rules, so this check shows that the rules work as intended — not that they find
//! fakes in the wild.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use kith_core::authenticity::{SUSPICIOUS_BELOW, authenticity};
use kith_core::benchmark::benchmark;
use kith_core::engagement::engagement;
use kith_core::{Handle, Platform, Post, Profile, TierBands};
use kith_io::demo::{DemoOptions, FETCHED_AT, FakeKind, write_demo};

use crate::EvalError;
use crate::metrics::roc_auc;

/// What the demo brand shows.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoCheck {
    pub options: DemoOptions,
    pub profiles: usize,
    /// ROC AUC of (100 − authenticity) for planted fakes against all other profiles.
    pub auc: f64,
    /// Per kind of fake: how many, the median score, the share below 50.
    pub fakes: BTreeMap<FakeKind, Group>,
    /// Genuine profiles with 1,000–99,999 followers: the creators kith is for.
    pub genuine_micro: Group,
    /// Every genuine profile.
    pub genuine: Group,
}

/// Scores of a group of profiles.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    pub n: usize,
    pub median: f64,
    /// How many of the group scored below 50 (suspicious), and their share.
    pub suspicious_n: usize,
    pub suspicious: f64,
}

impl Group {
    pub fn of(mut scores: Vec<f64>) -> Group {
        scores.sort_by(f64::total_cmp);
        let n = scores.len();
        let median = match n {
            0 => f64::NAN,
            _ if n % 2 == 1 => scores[n / 2],
            _ => (scores[n / 2 - 1] + scores[n / 2]) / 2.0,
        };
        let suspicious_n = scores.iter().filter(|s| **s < SUSPICIOUS_BELOW).count();
        Group {
            n,
            median,
            suspicious_n,
            suspicious: suspicious_n as f64 / n.max(1) as f64,
        }
    }
}

/// Writes the demo brand into a scratch folder, scores every profile as `kith score`
/// would at the demo's fetch time, and compares with the planted truth.
pub fn check(options: &DemoOptions) -> Result<DemoCheck, EvalError> {
    let dir = std::env::temp_dir().join(format!(
        "kith-eval-demo-{}-{}",
        std::process::id(),
        options.seed
    ));
    let result = run(&dir, options);
    // The scratch folder is ours alone; failing to remove it loses nothing.
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run(dir: &Path, options: &DemoOptions) -> Result<DemoCheck, EvalError> {
    let files = write_demo(dir, options).map_err(|e| EvalError::Read {
        path: dir.to_owned(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let profiles: Vec<Profile> = read_ndjson(&files.profiles)?;
    let posts: Vec<Post> = read_ndjson(&files.posts)?;
    let mut by_profile: HashMap<(Platform, Handle), Vec<Post>> = HashMap::new();
    for post in posts {
        by_profile
            .entry((post.platform, post.handle.clone()))
            .or_default()
            .push(post);
    }
    let truth: HashMap<(Platform, &Handle), FakeKind> = files
        .planted_fakes
        .iter()
        .map(|f| ((f.platform, &f.handle), f.kind))
        .collect();
    let bands = TierBands::default();
    let mut scored = Vec::with_capacity(profiles.len());
    let mut fakes: BTreeMap<FakeKind, Vec<f64>> = BTreeMap::new();
    let (mut genuine, mut genuine_micro) = (Vec::new(), Vec::new());
    for profile in &profiles {
        let posts = by_profile
            .get(&(profile.platform, profile.handle.clone()))
            .map_or(&[][..], Vec::as_slice);
        let e = engagement(profile, posts, FETCHED_AT);
        let bench = profile
            .followers
            .and_then(|f| benchmark(profile.platform, bands.band(f)))
            .map(|b| b.rate);
        let score = authenticity(profile, posts, &e, bench).score;
        let kind = truth.get(&(profile.platform, &profile.handle)).copied();
        scored.push((100.0 - score, kind.is_some()));
        match kind {
            Some(kind) => fakes.entry(kind).or_default().push(score),
            None => {
                if profile
                    .followers
                    .is_some_and(|f| (1_000..100_000).contains(&f))
                {
                    genuine_micro.push(score);
                }
                genuine.push(score);
            }
        }
    }
    Ok(DemoCheck {
        options: options.clone(),
        profiles: profiles.len(),
        auc: roc_auc(&scored).unwrap_or(f64::NAN),
        fakes: fakes.into_iter().map(|(k, s)| (k, Group::of(s))).collect(),
        genuine_micro: Group::of(genuine_micro),
        genuine: Group::of(genuine),
    })
}

fn read_ndjson<T: serde::de::DeserializeOwned>(path: &PathBuf) -> Result<Vec<T>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: path.clone(),
        source,
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(serde_json::from_str(line).map_err(|e| EvalError::Parse {
            path: path.clone(),
            line: i as u64 + 1,
            message: e.to_string(),
        })?);
    }
    Ok(out)
}

pub fn kind_name(kind: FakeKind) -> &'static str {
    match kind {
        FakeKind::BoughtFollowers => "bought followers",
        FakeKind::EngagementPod => "engagement pods",
        FakeKind::Bot => "bots",
    }
}
