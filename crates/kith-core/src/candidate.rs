//! A scored candidate: one row per (person or unmatched profile, platform), with the
//! contract's columns in order.

use serde::{Deserialize, Serialize};

use crate::handle::{Handle, Platform};
use crate::record::PersonSource;
use crate::tier::Tier;

/// The candidate columns of the contract, in order.
pub const CANDIDATE_COLUMNS: [&str; 18] = [
    "rank",
    "person_id",
    "source",
    "name",
    "platform",
    "handle",
    "followers",
    "tier",
    "engagement_rate",
    "er_index",
    "authenticity",
    "authenticity_flags",
    "categories",
    "brand_mentions",
    "brand_sentiment",
    "customer_value",
    "fit_score",
    "explanation",
];

/// A scored candidate. Metrics that could not be computed are `None`, never invented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Position in the list it was returned in, 1-based.
    pub rank: u32,
    /// Empty for a profile that no person matched.
    pub person_id: Option<String>,
    pub source: Option<PersonSource>,
    pub name: String,
    pub platform: Platform,
    pub handle: Handle,
    pub followers: Option<u64>,
    pub tier: Option<Tier>,
    /// A fraction: 0.034 is 3.4 %.
    pub engagement_rate: Option<f64>,
    /// Engagement rate ÷ the benchmark for the platform and band.
    pub er_index: Option<f64>,
    /// 0–100.
    pub authenticity: Option<f64>,
    pub authenticity_flags: Vec<String>,
    pub categories: Vec<String>,
    pub brand_mentions: u32,
    /// −100…100; `None` when the brand is never mentioned.
    pub brand_sentiment: Option<f64>,
    /// 0–100 percentile of spend within the brand; `None` for non-customers.
    pub customer_value: Option<f64>,
    /// 0–100.
    pub fit_score: f64,
    pub explanation: String,
}

impl Candidate {
    /// The order candidates are ranked in: best fit first, ties broken by reach and then
    /// by key so the same data always gives the same list.
    pub fn ranking_cmp(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
        b.fit_score
            .total_cmp(&a.fit_score)
            .then_with(|| b.followers.cmp(&a.followers))
            .then_with(|| a.platform.cmp(&b.platform))
            .then_with(|| a.handle.cmp(&b.handle))
            .then_with(|| a.person_id.cmp(&b.person_id))
    }
}
