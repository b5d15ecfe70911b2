//! The candidate query parameters that `/api/v1/candidates` and `/discover` share
//! (`source, tier, platform, category, min_authenticity, min_er, sort, order, page,
//! limit`), plus the dashboard's extensions `band` and `brand_lovers`.
//!
//! Parsed by hand from strings so an empty form field means "any" and a bad value is a
//! 400 naming the parameter, rather than a serde message.

use kith_core::{
    Band, CandidateQuery, Platform, SortKey, SortOrder, SourceFilter, Tier, TierBands,
};
use kith_store::Refinement;
use serde::{Deserialize, Serialize};

use crate::error::Failure;

/// Brand sentiment (−100…100) from which a person counts as a brand lover.
pub const BRAND_LOVER_SENTIMENT: f64 = 25.0;
/// The most rows one page may ask for.
pub const MAX_LIMIT: u32 = 500;

/// The raw parameters, as a URL or a form carries them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidateParams {
    /// `customers`, `employees` or `all` (default).
    pub source: Option<String>,
    /// `nano`, `micro`, `macro` or `mega`.
    pub tier: Option<String>,
    /// `instagram`, `tiktok`, `youtube` or `x`.
    pub platform: Option<String>,
    /// A category of the taxonomy, e.g. `food & drink`.
    pub category: Option<String>,
    /// 0–100.
    pub min_authenticity: Option<String>,
    /// A fraction: 0.02 is 2 %.
    pub min_er: Option<String>,
    /// `fit_score` (default), `followers`, `engagement_rate`, `er_index`, `authenticity`,
    /// `brand_mentions`, `brand_sentiment` or `customer_value`.
    pub sort: Option<String>,
    /// `desc` (default) or `asc`.
    pub order: Option<String>,
    /// 1-based.
    pub page: Option<String>,
    /// Rows per page, 1–500 (default 50).
    pub limit: Option<String>,
    /// Extension: a micro sub-band, `micro_low` (1k–10k) or `micro_high` (10k–100k).
    pub band: Option<String>,
    /// Extension: only people whose brand sentiment is at least 25 (`true`).
    pub brand_lovers: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn bad(name: &str, value: &str, expected: &str) -> Failure {
    Failure::BadRequest(format!(
        "{name}={value:?} is not valid: expected {expected}"
    ))
}

fn number(
    name: &str,
    v: &Option<String>,
    range: std::ops::RangeInclusive<f64>,
) -> Result<Option<f64>, Failure> {
    let Some(text) = given(v) else {
        return Ok(None);
    };
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() && range.contains(&x) => Ok(Some(x)),
        _ => Err(bad(
            name,
            text,
            &format!("a number from {} to {}", range.start(), range.end()),
        )),
    }
}

fn sort_key(text: &str) -> Option<SortKey> {
    Some(match text {
        "fit_score" | "fit" => SortKey::FitScore,
        "followers" => SortKey::Followers,
        "engagement_rate" => SortKey::EngagementRate,
        "er_index" => SortKey::ErIndex,
        "authenticity" => SortKey::Authenticity,
        "brand_mentions" => SortKey::BrandMentions,
        "brand_sentiment" => SortKey::BrandSentiment,
        "customer_value" => SortKey::CustomerValue,
        _ => return None,
    })
}

/// The parameter's name for a sort key.
pub fn sort_name(key: SortKey) -> &'static str {
    key.column()
}

impl CandidateParams {
    /// The query and refinement these parameters ask for; `tiers` places the bands.
    pub fn parse(
        &self,
        tiers: &TierBands,
        default_limit: u32,
    ) -> Result<(CandidateQuery, Refinement), Failure> {
        let mut q = CandidateQuery {
            limit: default_limit,
            ..CandidateQuery::default()
        };
        if let Some(s) = given(&self.source) {
            q.source = match s {
                "customers" => SourceFilter::Customers,
                "employees" => SourceFilter::Employees,
                "all" => SourceFilter::All,
                _ => return Err(bad("source", s, "customers, employees or all")),
            };
        }
        if let Some(t) = given(&self.tier) {
            q.tier =
                Some(Tier::parse(t).ok_or_else(|| bad("tier", t, "nano, micro, macro or mega"))?);
        }
        if let Some(p) = given(&self.platform) {
            q.platform = Some(
                Platform::parse(p)
                    .ok_or_else(|| bad("platform", p, "instagram, tiktok, youtube or x"))?,
            );
        }
        q.category = given(&self.category).map(str::to_owned);
        q.min_authenticity = number("min_authenticity", &self.min_authenticity, 0.0..=100.0)?;
        q.min_er = number("min_er", &self.min_er, 0.0..=100.0)?;
        if let Some(s) = given(&self.sort) {
            q.sort = sort_key(s).ok_or_else(|| {
                bad("sort", s, "fit_score, followers, engagement_rate, er_index, authenticity, brand_mentions, brand_sentiment or customer_value")
            })?;
        }
        if let Some(o) = given(&self.order) {
            q.order = match o {
                "asc" => SortOrder::Asc,
                "desc" => SortOrder::Desc,
                _ => return Err(bad("order", o, "asc or desc")),
            };
        }
        if let Some(p) = given(&self.page) {
            q.page = p
                .parse()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| bad("page", p, "a whole number from 1"))?;
        }
        if let Some(l) = given(&self.limit) {
            q.limit = l
                .parse()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| bad("limit", l, "a whole number from 1 to 500"))?;
        }
        let mut r = Refinement::default();
        if let Some(b) = given(&self.band) {
            let band = match b {
                "micro_low" => Band::MicroLow,
                "micro_high" => Band::MicroHigh,
                _ => return Err(bad("band", b, "micro_low or micro_high")),
            };
            let (min, max) = match band {
                Band::MicroLow => (tiers.micro, tiers.micro_high),
                _ => (tiers.micro_high, tiers.r#macro),
            };
            r.min_followers = Some(min);
            r.max_followers = Some(max);
        }
        if let Some(l) = given(&self.brand_lovers) {
            match l {
                "true" | "1" | "on" | "yes" => r.min_brand_sentiment = Some(BRAND_LOVER_SENTIMENT),
                "false" | "0" | "off" | "no" => {}
                _ => return Err(bad("brand_lovers", l, "true or false")),
            }
        }
        Ok((q, r))
    }

    /// Whether the tiers of the brand are needed to parse these parameters.
    pub fn needs_tiers(&self) -> bool {
        given(&self.band).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> CandidateParams {
        let json: serde_json::Map<String, serde_json::Value> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String((*v).to_owned())))
            .collect();
        serde_json::from_value(serde_json::Value::Object(json)).unwrap()
    }

    #[test]
    fn empty_fields_mean_any_and_defaults_hold() {
        let (q, r) = params(&[("tier", ""), ("platform", " ")])
            .parse(&TierBands::default(), 50)
            .unwrap();
        assert_eq!(q, CandidateQuery::default());
        assert_eq!(r, Refinement::default());
    }

    #[test]
    fn every_contract_parameter_is_read() {
        let (q, _) = params(&[
            ("source", "employees"),
            ("tier", "micro"),
            ("platform", "tiktok"),
            ("category", "food & drink"),
            ("min_authenticity", "70"),
            ("min_er", "0.02"),
            ("sort", "followers"),
            ("order", "asc"),
            ("page", "3"),
            ("limit", "25"),
        ])
        .parse(&TierBands::default(), 50)
        .unwrap();
        assert_eq!(q.source, SourceFilter::Employees);
        assert_eq!(q.tier, Some(Tier::Micro));
        assert_eq!(q.platform, Some(Platform::Tiktok));
        assert_eq!(q.category.as_deref(), Some("food & drink"));
        assert_eq!((q.min_authenticity, q.min_er), (Some(70.0), Some(0.02)));
        assert_eq!((q.sort, q.order), (SortKey::Followers, SortOrder::Asc));
        assert_eq!((q.page, q.limit), (3, 25));
    }

    #[test]
    fn a_bad_value_names_its_parameter() {
        for (k, v) in [
            ("tier", "huge"),
            ("limit", "100000"),
            ("page", "0"),
            ("min_er", "abc"),
            ("sort", "name"),
        ] {
            let err = params(&[(k, v)])
                .parse(&TierBands::default(), 50)
                .unwrap_err();
            assert!(
                matches!(&err, Failure::BadRequest(m) if m.starts_with(&format!("{k}="))),
                "{err:?}"
            );
        }
    }

    #[test]
    fn bands_follow_the_brand_tiers_and_lovers_need_sentiment() {
        let tiers = TierBands {
            micro_high: 20_000,
            ..TierBands::default()
        };
        let (_, r) = params(&[("band", "micro_high"), ("brand_lovers", "true")])
            .parse(&tiers, 50)
            .unwrap();
        assert_eq!(
            (r.min_followers, r.max_followers),
            (Some(20_000), Some(100_000))
        );
        assert_eq!(r.min_brand_sentiment, Some(BRAND_LOVER_SENTIMENT));
    }
}
