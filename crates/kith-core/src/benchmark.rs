//! Published engagement benchmarks per platform and band, for the ER index.
//!
//! Only figures with a published source are here. Where no per-follower figure has been
//! found (YouTube: the published benchmarks divide by views, not subscribers), the
//! per-follower benchmark is absent; YouTube's ER index compares engagement per view
//! with a per-view table instead ([`per_view_benchmark`]), and nothing is invented.
//!
//! Instagram has two tables, chosen in `brand.toml` (`[benchmarks] instagram =
//! "markerly"` or `"modash"`): Markerly's 2016 like rates, which fall steadily with
//! followers, and Modash's medians over its 72M-profile database, several times lower
//! and with a curve that turns back up above 100k followers.

use serde::{Deserialize, Serialize};

use crate::handle::Platform;
use crate::tier::Band;

/// Which published tables the ER index compares with (`[benchmarks]` in `brand.toml`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BenchmarkTables {
    pub instagram: InstagramTable,
}

/// The Instagram benchmark table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InstagramTable {
    /// Markerly 2016, by band.
    #[default]
    Markerly,
    /// Modash's engagement-rate benchmarks, by its own follower ranges.
    Modash,
}

/// The benchmark engagement rate (a fraction) for a platform and band, with its source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Benchmark {
    pub rate: f64,
    pub source: &'static str,
}

const MARKERLY: &str = "Markerly 2016, Instagram like rate by follower count (2M accounts)";
const SOCIAVAULT: &str = "SociaVault Labs 2026, median TikTok ER by tier (150k accounts)";
const SOCIAVAULT_X: &str = "SociaVault 2026, median X engagement per follower by tier";
const MODASH: &str = "Modash, Instagram ER benchmarks by follower range (72M+ profiles, median of the last 30 posts)";

/// The benchmark for a profile of `followers` in `band`, from the brand's chosen tables.
pub fn benchmark_for(
    tables: &BenchmarkTables,
    platform: Platform,
    followers: u64,
    band: Band,
) -> Option<Benchmark> {
    match (platform, tables.instagram) {
        (Platform::Instagram, InstagramTable::Modash) => Some(Benchmark {
            rate: modash_instagram(followers),
            source: MODASH,
        }),
        _ => benchmark(platform, band),
    }
}

/// Modash's published "average" range per follower range (its engagement-rate calculator
/// page: median engagements of the latest 30 posts ÷ followers), taken at the middle:
/// 1k–5k 3.38–4.42 %, 5k–10k 1.25–1.62 %, 10k–50k 0.84–1.11 %, 50k–100k 0.75–1.01 %,
/// 100k–500k 0.87–1.14 %, 500k–1M 0.88–1.13 %, over 1M 1.02–1.27 %. Modash starts at 1k,
/// so smaller accounts take the 1k–5k figure. Note the rise past 100k: Modash's large
/// accounts out-engage its mid-size ones, unlike Markerly's steady fall.
fn modash_instagram(followers: u64) -> f64 {
    let (low, high) = match followers {
        0..5_000 => (0.0338, 0.0442),
        5_000..10_000 => (0.0125, 0.0162),
        10_000..50_000 => (0.0084, 0.0111),
        50_000..100_000 => (0.0075, 0.0101),
        100_000..500_000 => (0.0087, 0.0114),
        500_000..1_000_000 => (0.0088, 0.0113),
        _ => (0.0102, 0.0127),
    };
    (low + high) / 2.0
}

const SOCIAVAULT_YOUTUBE: &str = "SociaVault Labs 2026, median YouTube (likes + comments) ÷ views by subscriber tier (75k channels)";

/// The published benchmark of engagement *per view* for a platform and band: YouTube's
/// only published benchmarks divide by views, so its ER index compares the profile's
/// per-view rate with them. SociaVault Labs 2026, 75,000 channels, medians of
/// (likes + comments) ÷ views: 1k–10k 5.23 %, 10k–50k 3.74 %, 50k–100k 2.81 %,
/// 100k–500k 2.12 %, 500k+ 1.41 %; bands mapped as for TikTok.
pub fn per_view_benchmark(platform: Platform, band: Band) -> Option<Benchmark> {
    let rate = match (platform, band) {
        (Platform::Youtube, Band::Nano | Band::MicroLow) => 0.0523,
        (Platform::Youtube, Band::MicroHigh) => 0.0374,
        (Platform::Youtube, Band::Macro) => 0.0212,
        (Platform::Youtube, Band::Mega) => 0.0141,
        _ => return None,
    };
    Some(Benchmark {
        rate,
        source: SOCIAVAULT_YOUTUBE,
    })
}

/// The default table's benchmark for a platform and band.
pub fn benchmark(platform: Platform, band: Band) -> Option<Benchmark> {
    let rate = match (platform, band) {
        // Markerly 2016 like rates: <1k ≈ 8 %, 1k–10k ≈ 4 %, 10k–100k ≈ 2.37 %,
        // 100k+ ≈ 1.7 % (1M–10M: 1.66 %). Likes are the bulk of interactions, so the like
        // rate is used as the ER benchmark; comments add a few percent of it.
        (Platform::Instagram, Band::Nano) => 0.08,
        (Platform::Instagram, Band::MicroLow) => 0.04,
        (Platform::Instagram, Band::MicroHigh) => 0.0237,
        (Platform::Instagram, Band::Macro) => 0.017,
        (Platform::Instagram, Band::Mega) => 0.0166,
        // SociaVault Labs 2026 medians of (likes + comments + shares) ÷ followers:
        // 1k–10k 7.84 %, 10k–50k 5.21 %, 50k–100k 3.89 %, 100k–500k 2.73 %, 500k+ 1.84 %.
        // The study starts at 1k, so nano reuses the 1k–10k figure; 10k–100k takes the
        // 10k–50k median, where most of that band's accounts sit.
        (Platform::Tiktok, Band::Nano | Band::MicroLow) => 0.0784,
        (Platform::Tiktok, Band::MicroHigh) => 0.0521,
        (Platform::Tiktok, Band::Macro) => 0.0273,
        (Platform::Tiktok, Band::Mega) => 0.0184,
        // SociaVault, "Twitter/X Engagement Dropped 9% in 2026" (15 Apr 2026), medians of
        // (likes + replies + reposts + quotes) ÷ followers: 1k–10k 2.18 %, 10k–50k
        // 1.42 %, 50k–100k 0.97 %, 100k–500k 0.63 %, 500k+ 0.35 %. Mapped as for TikTok;
        // mega takes the 500k+ median, which likely overstates accounts past 1M.
        // PlayerSells' open X data (Oct 2026, 152k accounts, median over 30 days of
        // original posts) is 5–10× lower in every band; SociaVault is kept for its
        // method matching TikTok's, and the gap is why X's ER index reads coarsely.
        (Platform::X, Band::Nano | Band::MicroLow) => 0.0218,
        (Platform::X, Band::MicroHigh) => 0.0142,
        (Platform::X, Band::Macro) => 0.0063,
        (Platform::X, Band::Mega) => 0.0035,
        (Platform::Youtube, _) => return None,
    };
    let source = match platform {
        Platform::Instagram => MARKERLY,
        Platform::X => SOCIAVAULT_X,
        _ => SOCIAVAULT,
    };
    Some(Benchmark { rate, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benchmarks_fall_as_bands_grow() {
        for platform in [Platform::Instagram, Platform::Tiktok, Platform::X] {
            let rates: Vec<f64> = [Band::MicroLow, Band::MicroHigh, Band::Macro, Band::Mega]
                .into_iter()
                .map(|b| benchmark(platform, b).unwrap().rate)
                .collect();
            assert!(
                rates.windows(2).all(|w| w[0] > w[1]),
                "{platform}: {rates:?}"
            );
        }
    }

    #[test]
    fn modash_is_chosen_per_brand_and_its_curve_turns_back_up_past_100k() {
        let modash = BenchmarkTables {
            instagram: InstagramTable::Modash,
        };
        let rate = |f: u64| {
            benchmark_for(&modash, Platform::Instagram, f, Band::MicroHigh)
                .unwrap()
                .rate
        };
        assert!((rate(3_000) - 0.039).abs() < 1e-12);
        assert!((rate(7_500) - 0.01435).abs() < 1e-12);
        assert!(rate(60_000) < rate(20_000));
        assert!(rate(200_000) > rate(60_000));
        assert!(rate(2_000_000) > rate(700_000));
        // Markerly by default, and other platforms keep their tables.
        let default = BenchmarkTables::default();
        assert_eq!(
            benchmark_for(&default, Platform::Instagram, 20_000, Band::MicroHigh),
            benchmark(Platform::Instagram, Band::MicroHigh)
        );
        assert_eq!(
            benchmark_for(&modash, Platform::Tiktok, 20_000, Band::MicroHigh),
            benchmark(Platform::Tiktok, Band::MicroHigh)
        );
        let brand = crate::BrandConfig::from_toml(
            "name = \"Fernwood\"\n[benchmarks]\ninstagram = \"modash\"\n",
        )
        .unwrap();
        assert_eq!(brand.benchmarks, modash);
        assert!(
            crate::BrandConfig::from_toml("name = \"F\"\n[benchmarks]\ninstagram = \"hype\"\n")
                .is_err()
        );
    }

    #[test]
    fn youtube_is_benchmarked_per_view_only() {
        assert_eq!(benchmark(Platform::Youtube, Band::MicroLow), None);
        let rates: Vec<f64> = [Band::MicroLow, Band::MicroHigh, Band::Macro, Band::Mega]
            .into_iter()
            .map(|b| per_view_benchmark(Platform::Youtube, b).unwrap().rate)
            .collect();
        assert!(rates.windows(2).all(|w| w[0] > w[1]), "{rates:?}");
        for platform in [Platform::Instagram, Platform::Tiktok, Platform::X] {
            assert_eq!(per_view_benchmark(platform, Band::MicroLow), None);
        }
    }
}
