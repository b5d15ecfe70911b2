//! Published engagement benchmarks per platform and band, for the ER index.
//!
//! Only figures with a published source are here. Where no per-follower figure has been
//! found (YouTube: the published benchmarks divide by views, not subscribers), the
//! benchmark is absent and the ER index is left empty rather than invented.

use crate::handle::Platform;
use crate::tier::Band;

/// The benchmark engagement rate (a fraction) for a platform and band, with its source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Benchmark {
    pub rate: f64,
    pub source: &'static str,
}

const MARKERLY: &str = "Markerly 2016, Instagram like rate by follower count (2M accounts)";
const SOCIAVAULT: &str = "SociaVault Labs 2026, median TikTok ER by tier (150k accounts)";
const SOCIAVAULT_X: &str = "SociaVault 2026, median X engagement per follower by tier";

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
    fn platforms_without_a_checked_source_have_no_benchmark() {
        assert_eq!(benchmark(Platform::Youtube, Band::MicroLow), None);
    }
}
