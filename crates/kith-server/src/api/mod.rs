//! `/api/v1`: JSON for engineers who automate against kith, with the same filters the
//! dashboard uses and errors from the one table in [`crate::error`].
//!
//! # Layout
//! - [`candidates`]: `GET /api/v1/candidates`.
//! - [`people`]: people, one person, their scores, profiles.
//! - [`programs`]: programs with the ROI report's figures, members, activity by day.
//! - [`openapi`]: the OpenAPI 3.1 document, generated from these handlers by utoipa.
//! - Imports live in [`crate::imports`], beside the uploads they report on.

pub(crate) mod candidates;
pub(crate) mod openapi;
pub(crate) mod people;
pub(crate) mod programs;

use kith_core::Candidate;
use serde::Serialize;
use utoipa::ToSchema;

/// One scored candidate with the contract's columns, in order. `engagement_rate` is a
/// fraction; scores are 0–100, `brand_sentiment` −100…100 or null.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateJson {
    pub rank: u32,
    pub person_id: Option<String>,
    /// `customer` or `employee`; null for a profile that no person matched.
    pub source: Option<&'static str>,
    pub name: String,
    pub platform: &'static str,
    pub handle: String,
    pub followers: Option<u64>,
    /// `nano`, `micro`, `macro` or `mega`.
    pub tier: Option<&'static str>,
    pub engagement_rate: Option<f64>,
    pub er_index: Option<f64>,
    pub authenticity: Option<f64>,
    pub authenticity_flags: Vec<String>,
    pub categories: Vec<String>,
    pub brand_mentions: u32,
    pub brand_sentiment: Option<f64>,
    pub customer_value: Option<f64>,
    pub fit_score: f64,
    pub explanation: String,
}

impl From<Candidate> for CandidateJson {
    fn from(c: Candidate) -> Self {
        CandidateJson {
            rank: c.rank,
            person_id: c.person_id,
            source: c.source.map(|s| s.as_str()),
            name: c.name,
            platform: c.platform.as_str(),
            handle: c.handle.as_str().to_owned(),
            followers: c.followers,
            tier: c.tier.map(|t| t.as_str()),
            engagement_rate: c.engagement_rate,
            er_index: c.er_index,
            authenticity: c.authenticity,
            authenticity_flags: c.authenticity_flags,
            categories: c.categories,
            brand_mentions: c.brand_mentions,
            brand_sentiment: c.brand_sentiment,
            customer_value: c.customer_value,
            fit_score: c.fit_score,
            explanation: c.explanation,
        }
    }
}

/// A page of results and how many there are in all.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub total: u64,
    pub page: u32,
    pub limit: u32,
    pub items: Vec<T>,
}

/// `page` and `limit` for lists other than candidates.
#[derive(Debug, Clone, Copy, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// 1-based (default 1).
    pub page: Option<u32>,
    /// 1–500 (default 50).
    pub limit: Option<u32>,
}

impl Paging {
    pub fn resolve(self) -> Result<(u32, u32, u64), crate::error::Failure> {
        let page = self.page.unwrap_or(1);
        let limit = self.limit.unwrap_or(50);
        if page == 0 || !(1..=crate::query::MAX_LIMIT).contains(&limit) {
            return Err(crate::error::Failure::BadRequest(
                "page must be 1 or more and limit from 1 to 500".into(),
            ));
        }
        Ok((page, limit, u64::from(page - 1) * u64::from(limit)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_core::{Handle, Platform};

    #[test]
    fn candidate_json_is_the_contract_object() {
        let c = Candidate {
            rank: 1,
            person_id: Some("c-1".into()),
            source: Some(kith_core::PersonSource::Customer),
            name: "Maya".into(),
            platform: Platform::Instagram,
            handle: Handle::parse("maya.eats").unwrap(),
            followers: Some(12_400),
            tier: Some(kith_core::Tier::Micro),
            engagement_rate: Some(0.034),
            er_index: Some(1.4),
            authenticity: Some(91.0),
            authenticity_flags: vec!["dormant".into()],
            categories: vec!["food & drink".into()],
            brand_mentions: 3,
            brand_sentiment: None,
            customer_value: Some(80.0),
            fit_score: 77.5,
            explanation: "micro".into(),
        };
        let ours = serde_json::to_string(&CandidateJson::from(c.clone())).unwrap();
        let contract = serde_json::to_string(&kith_io::candidates::json_object(&c)).unwrap();
        assert_eq!(ours, contract);
    }
}
