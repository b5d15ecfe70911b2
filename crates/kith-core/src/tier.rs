//! Follower tiers and the micro sub-bands.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Reach tier by followers: nano < 1k ≤ micro < 100k ≤ macro < 1M ≤ mega (defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Nano,
    Micro,
    Macro,
    Mega,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::Nano, Tier::Micro, Tier::Macro, Tier::Mega];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Nano => "nano",
            Tier::Micro => "micro",
            Tier::Macro => "macro",
            Tier::Mega => "mega",
        }
    }

    pub fn parse(text: &str) -> Option<Tier> {
        Tier::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A tier with the micro tier split in two, which is where benchmarks differ most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Band {
    Nano,
    /// 1k–10k by default.
    MicroLow,
    /// 10k–100k by default.
    MicroHigh,
    Macro,
    Mega,
}

impl Band {
    pub fn tier(self) -> Tier {
        match self {
            Band::Nano => Tier::Nano,
            Band::MicroLow | Band::MicroHigh => Tier::Micro,
            Band::Macro => Tier::Macro,
            Band::Mega => Tier::Mega,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Band::Nano => "nano",
            Band::MicroLow => "micro 1k–10k",
            Band::MicroHigh => "micro 10k–100k",
            Band::Macro => "macro",
            Band::Mega => "mega",
        }
    }
}

/// Where the tiers begin, in followers. Configurable in `brand.toml` under `[tiers]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TierBands {
    pub micro: u64,
    /// Where the upper micro band begins.
    pub micro_high: u64,
    pub r#macro: u64,
    pub mega: u64,
}

impl Default for TierBands {
    fn default() -> Self {
        TierBands {
            micro: 1_000,
            micro_high: 10_000,
            r#macro: 100_000,
            mega: 1_000_000,
        }
    }
}

impl TierBands {
    pub fn band(&self, followers: u64) -> Band {
        if followers >= self.mega {
            Band::Mega
        } else if followers >= self.r#macro {
            Band::Macro
        } else if followers >= self.micro_high {
            Band::MicroHigh
        } else if followers >= self.micro {
            Band::MicroLow
        } else {
            Band::Nano
        }
    }

    pub fn tier(&self, followers: u64) -> Tier {
        self.band(followers).tier()
    }

    /// Bands must rise strictly, or a follower count would fall in two tiers.
    pub fn check(&self) -> Result<(), String> {
        if self.micro < self.micro_high
            && self.micro_high < self.r#macro
            && self.r#macro < self.mega
        {
            Ok(())
        } else {
            Err(format!(
                "tiers must rise: micro {} < micro_high {} < macro {} < mega {}",
                self.micro, self.micro_high, self.r#macro, self.mega
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tier_boundaries_follow_the_contract() {
        let b = TierBands::default();
        assert_eq!(b.tier(999), Tier::Nano);
        assert_eq!(b.tier(1_000), Tier::Micro);
        assert_eq!(b.tier(99_999), Tier::Micro);
        assert_eq!(b.tier(100_000), Tier::Macro);
        assert_eq!(b.tier(999_999), Tier::Macro);
        assert_eq!(b.tier(1_000_000), Tier::Mega);
        assert_eq!(b.band(9_999), Band::MicroLow);
        assert_eq!(b.band(10_000), Band::MicroHigh);
    }
}
