//! The demo brand: a seeded generator of a realistic sample brand, written as the very
//! files a user would import (canonical NDJSON records and a `brand.toml`).
//!
//! `kith demo` imports these files through the ordinary import path, scores them and
//! shows the top candidates, so every line is a valid canonical record. The same seed
//! always gives byte-identical files: the generator has its own PRNG ([`rng`]) and never
//! reads the clock — every profile is "fetched" at [`FETCHED_AT`] and every post and
//! order is dated before it.
//!
//! # Layout
//! - `brand`: the fictional brand (Ridgeline Coffee Co.) and its catalogue.
//! - `commerce`: customers, employees and orders; `reviews`: their reviews.
//! - `social`: handles, unmatched profiles and planted fakes; `profile`: profiles and
//!   posts; `audience`: follower and engagement calibration, with its sources.
//! - `content` and `topics`: captions, comments and bios.
//! - `names`: names and places; `rng`: the PRNG and its distributions.

mod audience;
mod brand;
mod commerce;
mod content;
mod names;
mod profile;
mod reviews;
mod rng;
mod social;
mod topics;

#[cfg(test)]
mod tests;

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use kith_core::{Band, Handle, Person, Platform};
use serde::Serialize;
use time::OffsetDateTime;
use time::macros::datetime;

pub use brand::BRAND_TOML;

/// The instant every demo profile was fetched; posts, orders and reviews all precede it.
/// Score the demo "as of" this instant to see it as it was generated.
pub const FETCHED_AT: OffsetDateTime = datetime!(2026-11-01 12:00:00 UTC);

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    pub seed: u64,
    pub customers: u32,
    pub employees: u32,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: 42,
            customers: 20_000,
            employees: 300,
        }
    }
}

/// The kinds of fake accounts the demo plants. They are never labelled in the files;
/// this list exists so that authenticity scoring can be evaluated against the truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FakeKind {
    BoughtFollowers,
    EngagementPod,
    Bot,
}

/// One planted fake account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlantedFake {
    pub platform: Platform,
    pub handle: Handle,
    pub kind: FakeKind,
}

/// Profiles per follower band (kith's default tiers, micro split at 10k).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BandCounts {
    pub nano: u32,
    pub micro_low: u32,
    pub micro_high: u32,
    pub r#macro: u32,
    pub mega: u32,
}

impl BandCounts {
    fn add(&mut self, band: Band) {
        match band {
            Band::Nano => self.nano += 1,
            Band::MicroLow => self.micro_low += 1,
            Band::MicroHigh => self.micro_high += 1,
            Band::Macro => self.r#macro += 1,
            Band::Mega => self.mega += 1,
        }
    }

    pub fn micro(&self) -> u32 {
        self.micro_low + self.micro_high
    }
}

/// How many of each thing were written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoCounts {
    pub customers: u32,
    pub employees: u32,
    /// People with at least one handle.
    pub people_with_handles: u32,
    /// All profiles, matched or not.
    pub profiles: u32,
    /// Profiles that match no person.
    pub unmatched_profiles: u32,
    pub profiles_by_band: BandCounts,
    pub posts: u64,
    /// Posts that name the brand (handle, hashtag, name or product), spam included.
    pub brand_posts: u64,
    /// People with handles who posted about the brand.
    pub people_posting_about_brand: u32,
    pub reviews: u32,
    pub orders: u32,
    pub bought_followers: u32,
    pub engagement_pods: u32,
    pub bots: u32,
}

/// The files written, and what is in them.
#[derive(Debug, Clone)]
pub struct DemoFiles {
    pub brand: PathBuf,
    pub customers: PathBuf,
    pub employees: PathBuf,
    pub profiles: PathBuf,
    pub posts: PathBuf,
    pub reviews: PathBuf,
    pub orders: PathBuf,
    pub counts: DemoCounts,
    /// The ground truth about fakes, for evaluating authenticity scoring; not written.
    pub planted_fakes: Vec<PlantedFake>,
}

/// Why the demo could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot create directory {}: {source}", path.display())]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    /// A bug in the generator, not a user error: it made a value kith would refuse.
    #[error("the demo generator made an invalid {what} {value:?}: {reason}")]
    Invalid {
        what: &'static str,
        value: String,
        reason: String,
    },
}

/// How a person feels about the brand; decides what they post and how they review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attitude {
    Indifferent,
    Lover,
    Detractor,
    Mixed,
}

/// A person with what the generator knows beyond the record.
#[derive(Debug)]
struct Member {
    person: Person,
    /// Indices into `topics::TOPICS`, strongest first.
    interests: Vec<usize>,
    /// 0–1: where this person's audiences sit in the band mix.
    clout: f64,
    /// 0–1 rank by total spent among customers.
    spend_rank: f64,
    attitude: Attitude,
    /// Indices into the generated orders.
    orders: Vec<usize>,
    title: Option<&'static str>,
    newsletter: bool,
    subscriber: bool,
    wholesale: bool,
    vip: bool,
    loyalty: bool,
}

/// A buffered NDJSON file that names its path in every error.
struct NdjsonWriter {
    path: PathBuf,
    out: BufWriter<File>,
}

impl NdjsonWriter {
    fn create(path: PathBuf) -> Result<NdjsonWriter, DemoError> {
        let file = File::create(&path).map_err(|source| DemoError::Write {
            path: path.clone(),
            source,
        })?;
        Ok(NdjsonWriter {
            path,
            out: BufWriter::with_capacity(1 << 16, file),
        })
    }

    fn write<T: Serialize>(&mut self, record: &T) -> Result<(), DemoError> {
        serde_json::to_writer(&mut self.out, record)
            .map_err(io::Error::from)
            .and_then(|()| self.out.write_all(b"\n"))
            .map_err(|source| DemoError::Write {
                path: self.path.clone(),
                source,
            })
    }

    fn finish(mut self) -> Result<PathBuf, DemoError> {
        self.out.flush().map_err(|source| DemoError::Write {
            path: self.path.clone(),
            source,
        })?;
        Ok(self.path)
    }
}

/// Writes the demo brand into `dir` (created if needed): `brand.toml`,
/// `customers.ndjson`, `employees.ndjson`, `profiles.ndjson`, `posts.ndjson`,
/// `reviews.ndjson` and `orders.ndjson`. Existing files of those names are replaced.
pub fn write_demo(dir: &Path, opts: &DemoOptions) -> Result<DemoFiles, DemoError> {
    fs::create_dir_all(dir).map_err(|source| DemoError::CreateDir {
        path: dir.to_owned(),
        source,
    })?;
    let brand_path = dir.join("brand.toml");
    fs::write(&brand_path, BRAND_TOML).map_err(|source| DemoError::Write {
        path: brand_path.clone(),
        source,
    })?;

    let mut counts = DemoCounts::default();
    let (mut members, placed) =
        commerce::generate_people(opts.seed, opts.customers, opts.employees);
    commerce::rank_and_assign_attitudes(opts.seed, &mut members);
    let reviews = reviews::reviews(opts.seed, &members, &placed);
    let mut social = social::Social::new(opts.seed);
    let accounts = social.assign_handles(&mut members)?;
    let strangers = social.strangers(accounts.len())?;

    let mut customers = NdjsonWriter::create(dir.join("customers.ndjson"))?;
    let mut employees = NdjsonWriter::create(dir.join("employees.ndjson"))?;
    for m in &mut members {
        m.person.tags = commerce::tags(m);
        if m.person.handles.iter().next().is_some() {
            counts.people_with_handles += 1;
        }
        if m.title.is_some() {
            counts.employees += 1;
            employees.write(&m.person)?;
        } else {
            counts.customers += 1;
            customers.write(&m.person)?;
        }
    }

    let mut profiles = NdjsonWriter::create(dir.join("profiles.ndjson"))?;
    let mut posts = NdjsonWriter::create(dir.join("posts.ndjson"))?;
    let mut planted_fakes = Vec::new();
    let mut posted_about_brand = vec![false; members.len()];
    let mut emit =
        |account: &social::Account, owner: &social::Owner<'_>| -> Result<(), DemoError> {
            let built = social.build(account, owner);
            profiles.write(&built.profile)?;
            for post in &built.posts {
                posts.write(post)?;
            }
            counts.profiles += 1;
            counts.profiles_by_band.add(built.band);
            counts.posts += built.posts.len() as u64;
            counts.brand_posts += u64::from(built.brand_posts);
            if let (Some(i), true) = (account.member, built.brand_posts > 0) {
                posted_about_brand[i] = true;
            }
            if account.member.is_none() {
                counts.unmatched_profiles += 1;
            }
            if let Some(kind) = account.fake {
                match kind {
                    FakeKind::BoughtFollowers => counts.bought_followers += 1,
                    FakeKind::EngagementPod => counts.engagement_pods += 1,
                    FakeKind::Bot => counts.bots += 1,
                }
                planted_fakes.push(PlantedFake {
                    platform: account.platform,
                    handle: account.handle.clone(),
                    kind,
                });
            }
            Ok(())
        };
    for account in &accounts {
        let Some(m) = account.member.and_then(|i| members.get(i)) else {
            continue;
        };
        let owner = social::Owner {
            first: m.person.first_name.as_deref().unwrap_or_default(),
            last: m.person.last_name.as_deref().unwrap_or_default(),
            interests: &m.interests,
            city: m.person.city.as_deref(),
            attitude: m.attitude,
            title: m.title,
            clout: m.clout,
        };
        emit(account, &owner)?;
    }
    for (account, stranger) in &strangers {
        let owner = social::Owner {
            first: stranger.first,
            last: stranger.last,
            interests: &stranger.interests,
            city: None,
            attitude: stranger.attitude,
            title: None,
            clout: stranger.clout,
        };
        emit(account, &owner)?;
    }
    counts.people_posting_about_brand = posted_about_brand.iter().filter(|b| **b).count() as u32;

    let mut review_file = NdjsonWriter::create(dir.join("reviews.ndjson"))?;
    for review in &reviews {
        review_file.write(review)?;
    }
    counts.reviews = reviews.len() as u32;
    let mut order_file = NdjsonWriter::create(dir.join("orders.ndjson"))?;
    let orders = commerce::into_export_order(placed);
    for order in &orders {
        order_file.write(order)?;
    }
    counts.orders = orders.len() as u32;

    Ok(DemoFiles {
        brand: brand_path,
        customers: customers.finish()?,
        employees: employees.finish()?,
        profiles: profiles.finish()?,
        posts: posts.finish()?,
        reviews: review_file.finish()?,
        orders: order_file.finish()?,
        counts,
        planted_fakes,
    })
}
