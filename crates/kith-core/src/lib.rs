//! kith's domain: the canonical records and every rule that judges a creator.
//!
//! Everything here is pure, synchronous and deterministic — no I/O, no clock, no global
//! state — so the same code scores on one machine or inside a distributed engine.
//!
//! # Layout
//! - [`record`], [`handle`], [`money`]: canonical records and the values they are made of;
//!   [`currency`]: ISO 4217 codes; [`exchange`]: exchange rates and money converted
//!   between currencies.
//! - [`brand`]: `brand.toml`, the brand's terms and weights.
//! - [`tier`]: follower tiers and bands.
//! - [`population`]: the inputs of scoring; [`candidate`]: its output rows.
//! - [`query`]: filters and sorting over candidates.
//! - Rules: [`engagement`] and [`benchmark`], [`authenticity`], [`category`],
//!   [`sentiment`] and [`brand_love`], [`customer_value`], [`fit`]; [`score`] runs them
//!   all over a population.

pub mod authenticity;
pub mod benchmark;
pub mod brand;
pub mod brand_love;
pub mod candidate;
pub mod category;
pub mod currency;
pub mod customer_value;
pub mod engagement;
pub mod exchange;
pub mod fit;
pub mod handle;
pub mod identity;
pub mod money;
pub mod population;
pub mod post_facts;
pub mod program;
pub mod query;
pub mod record;
pub mod score;
pub mod sentiment;
pub mod tier;
mod words;

pub use brand::BrandConfig;
pub use brand_love::BrandMatcher;
pub use candidate::{CANDIDATE_COLUMNS, Candidate};
pub use handle::{Handle, Platform};
pub use money::Money;
pub use population::{Population, ProfilePosts, PurchaseTotals};
pub use query::{CandidateQuery, SortKey, SortOrder, SourceFilter};
pub use record::{FieldError, Order, Person, PersonSource, Post, PostKind, Profile, Review};
pub use score::{Owners, ProfileMeasure, measure_profile, rank, score_population};
pub use tier::{Band, Tier, TierBands};

/// One canonical record of any kind, as an import yields them.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Person(Person),
    Profile(Profile),
    Post(Post),
    Review(Review),
    Order(Order),
}
