//! The brand's configuration (`brand.toml`): who the brand is on social media, what it
//! is interested in, and how candidates are weighed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::exchange::ExchangeRates;
use crate::handle::Platform;
use crate::money::Money;
use crate::tier::TierBands;

/// The brand's handles per platform.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BrandHandles {
    pub instagram: Option<String>,
    pub tiktok: Option<String>,
    pub youtube: Option<String>,
    pub x: Option<String>,
}

impl BrandHandles {
    pub fn all(&self) -> impl Iterator<Item = &str> {
        [&self.instagram, &self.tiktok, &self.youtube, &self.x]
            .into_iter()
            .flatten()
            .map(|s| {
                let s = s.trim();
                s.strip_prefix('@').unwrap_or(s)
            })
    }
}

/// How much each component counts in the fit score. Weights need not sum to one: the fit
/// score divides by the sum of the weights of the components that could be computed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// Being in the micro tier, the sweet spot for return on investment.
    pub reach: f64,
    pub engagement: f64,
    pub authenticity: f64,
    pub affinity: f64,
    pub brand_love: f64,
    pub customer_value: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            reach: 0.15,
            engagement: 0.20,
            authenticity: 0.20,
            affinity: 0.15,
            brand_love: 0.20,
            customer_value: 0.10,
        }
    }
}

/// The value of one action on a platform, for earned media value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ActionValues {
    pub like: Money,
    pub comment: Money,
    pub share: Money,
    pub save: Money,
    pub views_per_1000: Money,
    pub click: Money,
}

/// Shopify settings.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ShopifyConfig {
    pub shop_domain: Option<String>,
    pub webhook_secret: Option<String>,
}

impl std::fmt::Debug for ShopifyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShopifyConfig")
            .field("shop_domain", &self.shop_domain)
            .field(
                "webhook_secret",
                &self.webhook_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// `brand.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandConfig {
    pub name: String,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub handles: BrandHandles,
    #[serde(default)]
    pub hashtags: Vec<String>,
    /// Brand and product names.
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub competitors: Vec<String>,
    #[serde(default)]
    pub target_categories: Vec<String>,
    #[serde(default)]
    pub allowed_redirect_domains: Vec<String>,
    #[serde(default)]
    pub tiers: TierBands,
    /// Which published engagement benchmarks the ER index compares with.
    #[serde(default)]
    pub benchmarks: crate::benchmark::BenchmarkTables,
    #[serde(default)]
    pub weights: Weights,
    /// Per-platform action values; platforms not listed use the built-in table.
    #[serde(default)]
    pub emv: BTreeMap<Platform, ActionValues>,
    #[serde(default)]
    pub shopify: ShopifyConfig,
    /// Rates for orders in another currency than their program's: `"EUR/USD" =
    /// "1.0850"` (one euro is 1.0850 dollars), read exactly.
    #[serde(default, skip_serializing_if = "ExchangeRates::is_empty")]
    pub exchange_rates: ExchangeRates,
}

/// Why a `brand.toml` was refused.
#[derive(Debug, thiserror::Error)]
pub enum BrandError {
    #[error("{0}")]
    Syntax(String),
    #[error("{0}")]
    Invalid(String),
}

impl BrandConfig {
    /// A brand with only a name: every metric that needs brand terms is left empty.
    pub fn named(name: &str) -> BrandConfig {
        BrandConfig {
            name: name.to_owned(),
            currency: None,
            website: None,
            handles: BrandHandles::default(),
            hashtags: Vec::new(),
            keywords: Vec::new(),
            competitors: Vec::new(),
            target_categories: Vec::new(),
            allowed_redirect_domains: Vec::new(),
            tiers: TierBands::default(),
            benchmarks: Default::default(),
            weights: Weights::default(),
            emv: BTreeMap::new(),
            shopify: ShopifyConfig::default(),
            exchange_rates: ExchangeRates::default(),
        }
    }

    pub fn from_toml(text: &str) -> Result<BrandConfig, BrandError> {
        let brand: BrandConfig =
            toml::from_str(text).map_err(|e| BrandError::Syntax(e.to_string()))?;
        brand.tiers.check().map_err(BrandError::Invalid)?;
        if brand.name.trim().is_empty() {
            return Err(BrandError::Invalid("name must not be empty".into()));
        }
        let w = brand.weights;
        let all = [
            w.reach,
            w.engagement,
            w.authenticity,
            w.affinity,
            w.brand_love,
            w.customer_value,
        ];
        if all.iter().any(|x| !x.is_finite() || *x < 0.0) || all.iter().sum::<f64>() <= 0.0 {
            return Err(BrandError::Invalid(
                "weights must be non-negative and not all zero".into(),
            ));
        }
        Ok(brand)
    }

    pub fn to_toml(&self) -> String {
        // Serialising a plain struct of strings, numbers and tables cannot fail.
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// Every term that names the brand in a post: handles, hashtags and keywords.
    pub fn terms(&self) -> Vec<String> {
        let mut terms: Vec<String> = self.handles.all().map(str::to_owned).collect();
        terms.extend(
            self.hashtags
                .iter()
                .map(|h| h.trim().trim_start_matches('#').to_owned()),
        );
        terms.extend(self.keywords.iter().map(|k| k.trim().to_owned()));
        terms.retain(|t| !t.is_empty());
        terms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r##"
name = "Fernwood Coffee"
hashtags = ["#fernwoodcoffee"]
keywords = ["Fernwood", "Morning Ritual blend"]
target_categories = ["food & drink", "wellness"]
allowed_redirect_domains = ["fernwood.example"]
[handles]
instagram = "@fernwoodcoffee"
[tiers]
micro = 2000
[weights]
brand_love = 0.5
[emv.instagram]
like = "0.30"
comment = "0.50"
views_per_1000 = "0.05"
[shopify]
webhook_secret = "s3cret"
[exchange_rates]
"EUR/USD" = "1.0850"
"##;

    #[test]
    fn reads_the_contract_keys() {
        let b = BrandConfig::from_toml(SAMPLE).unwrap();
        assert_eq!(b.tiers.micro, 2000);
        assert_eq!(b.tiers.r#macro, 100_000);
        assert_eq!(b.weights.brand_love, 0.5);
        assert_eq!(b.emv[&Platform::Instagram].comment.minor(), 50);
        assert_eq!(
            b.exchange_rates.rate("USD", "EUR").map(|r| r.to_string()),
            Some("1/1.0850".into())
        );
        assert_eq!(
            b.terms(),
            [
                "fernwoodcoffee",
                "fernwoodcoffee",
                "Fernwood",
                "Morning Ritual blend"
            ]
        );
    }

    #[test]
    fn unknown_keys_are_refused_by_name() {
        let err = BrandConfig::from_toml("name = \"x\"\nhashtag = []\n").unwrap_err();
        assert!(err.to_string().contains("hashtag"), "{err}");
    }

    #[test]
    fn a_bad_exchange_rate_is_refused_naming_its_key() {
        for (entry, says) in [
            ("\"EUR/USX\" = \"1.08\"", "\"EUR/USX\""),
            ("\"EUR/USD\" = \"0\"", "more than zero"),
            ("\"EUR/USD\" = 1.085", "as a string"),
            ("\"EUR-USD\" = \"1.08\"", "with a slash"),
        ] {
            let text = format!("name = \"x\"\n[exchange_rates]\n{entry}\n");
            let err = BrandConfig::from_toml(&text).unwrap_err().to_string();
            assert!(err.contains(says), "{entry}: {err}");
        }
    }

    #[test]
    fn the_webhook_secret_never_prints() {
        let b = BrandConfig::from_toml(SAMPLE).unwrap();
        assert!(!format!("{b:?}").contains("s3cret"));
    }

    #[test]
    fn round_trips_through_toml() {
        let b = BrandConfig::from_toml(SAMPLE).unwrap();
        assert_eq!(BrandConfig::from_toml(&b.to_toml()).unwrap(), b);
    }
}
