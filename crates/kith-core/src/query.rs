//! What a user asks of the candidate list: filters, sorting and paging, shared by the
//! CLI (`kith discover`), the REST API and the dashboard.

use serde::{Deserialize, Serialize};

use crate::handle::Platform;
use crate::record::PersonSource;
use crate::tier::Tier;

/// Which people to include.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFilter {
    Customers,
    Employees,
    /// Customers, employees and profiles that matched no person.
    #[default]
    All,
}

impl SourceFilter {
    pub fn person_source(self) -> Option<PersonSource> {
        match self {
            SourceFilter::Customers => Some(PersonSource::Customer),
            SourceFilter::Employees => Some(PersonSource::Employee),
            SourceFilter::All => None,
        }
    }
}

/// A column candidates can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    FitScore,
    Followers,
    EngagementRate,
    ErIndex,
    Authenticity,
    BrandMentions,
    BrandSentiment,
    CustomerValue,
}

impl SortKey {
    pub fn column(self) -> &'static str {
        match self {
            SortKey::FitScore => "fit_score",
            SortKey::Followers => "followers",
            SortKey::EngagementRate => "engagement_rate",
            SortKey::ErIndex => "er_index",
            SortKey::Authenticity => "authenticity",
            SortKey::BrandMentions => "brand_mentions",
            SortKey::BrandSentiment => "brand_sentiment",
            SortKey::CustomerValue => "customer_value",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    Asc,
    #[default]
    Desc,
}

/// Filters, sort and page over the scored candidates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CandidateQuery {
    pub source: SourceFilter,
    pub tier: Option<Tier>,
    pub platform: Option<Platform>,
    /// A category name from the taxonomy; matches candidates that carry it.
    pub category: Option<String>,
    pub min_authenticity: Option<f64>,
    /// A fraction, like `engagement_rate`.
    pub min_er: Option<f64>,
    pub sort: SortKey,
    pub order: SortOrder,
    /// 1-based.
    pub page: u32,
    pub limit: u32,
}

impl Default for CandidateQuery {
    fn default() -> Self {
        CandidateQuery {
            source: SourceFilter::All,
            tier: None,
            platform: None,
            category: None,
            min_authenticity: None,
            min_er: None,
            sort: SortKey::FitScore,
            order: SortOrder::Desc,
            page: 1,
            limit: 50,
        }
    }
}

impl CandidateQuery {
    /// Rows to skip before the requested page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.max(1) - 1) * u64::from(self.limit)
    }
}
