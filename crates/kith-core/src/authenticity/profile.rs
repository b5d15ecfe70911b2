//! Evidence read from profile fields alone: the features of the learned profile model.
//!
//! Many sources give a profile and no posts, so this half of authenticity must stand on
//! its own. Every feature measures evidence *of fraud*, from 0 (none) to 1 (full), and is
//! monotone in its field: fewer followers, more followings, fewer posts, an empty bio, no
//! picture, more digits never lower a feature. The model gives each feature a weight that
//! is never negative (see `coefficients.rs`), so no feature can ever raise the score.
//!
//! Continuous fields are read on a log scale through ramps that each span one decade
//! (or one named range) and then saturate: a monotone, piecewise-linear response whose
//! shape the training data choose through the ramps' weights, with knots at round
//! numbers rather than at values fitted to any one data set. An unknown field is no
//! evidence: every feature is 0 when its field is `None`.
//!
//! Two fields are deliberately left out. `is_private` separates the InstaFake sets only
//! because their real accounts happen to be mostly private (72 % against 33 % of fakes;
//! 40 % and 37 % in the spammer set): a trait of how the data were collected, not of
//! fake accounts. `external_url` is absent from every fake in the spammer set, yet link
//! spam is what many bots exist for: its weight there would not hold elsewhere.

use crate::record::Profile;

/// A named signal, as it appears in `authenticity_flags` and in explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Signal {
    pub name: &'static str,
    pub meaning: &'static str,
}

pub const FEW_FOLLOWERS: Signal = Signal {
    name: "few_followers",
    meaning: "almost no followers",
};
pub const FOLLOW_RATIO: Signal = Signal {
    name: "follow_ratio",
    meaning: "follows far more accounts than follow it back",
};
pub const MASS_FOLLOWING: Signal = Signal {
    name: "mass_following",
    meaning: "follows thousands of accounts",
};
pub const FEW_POSTS: Signal = Signal {
    name: "few_posts",
    meaning: "has posted little or nothing",
};
pub const NO_BIO: Signal = Signal {
    name: "no_bio",
    meaning: "empty bio",
};
pub const NO_PROFILE_PIC: Signal = Signal {
    name: "no_profile_pic",
    meaning: "default profile picture",
};
pub const DIGIT_HANDLE: Signal = Signal {
    name: "digit_handle",
    meaning: "handle full of digits",
};
pub const NAME_IS_HANDLE: Signal = Signal {
    name: "name_is_handle",
    meaning: "display name is just the handle",
};
pub const DIGIT_NAME: Signal = Signal {
    name: "digit_name",
    meaning: "digits in the display name",
};

/// How many features the profile model reads.
pub const FEATURES: usize = 13;

/// Each feature's signal, in feature order: a signal's contribution is the sum of its
/// features' terms.
pub const FEATURE_SIGNALS: [Signal; FEATURES] = [
    FEW_FOLLOWERS,
    FEW_FOLLOWERS,
    FOLLOW_RATIO,
    FOLLOW_RATIO,
    MASS_FOLLOWING,
    FEW_POSTS,
    FEW_POSTS,
    NO_BIO,
    NO_PROFILE_PIC,
    DIGIT_HANDLE,
    DIGIT_HANDLE,
    NAME_IS_HANDLE,
    DIGIT_NAME,
];

/// What each feature measures, for the trainer's printout and the coefficient table.
pub const FEATURE_NAMES: [&str; FEATURES] = [
    "followers below 100 (ramp over 100 → 10)",
    "followers below 10 (ramp over 10 → 1)",
    "following ÷ followers above 1 (ramp over 1× → 10×)",
    "following ÷ followers above 10 (ramp over 10× → 100×)",
    "following above 1,500 (ramp over 1,500 → 7,500, Instagram's cap)",
    "posts below 10 (ramp over 9 → 0)",
    "posts below 100 (ramp over 99 → 9)",
    "bio empty",
    "profile picture missing",
    "handle digit share (ramp over 0 → 50 %)",
    "handle digits beyond two (ramp over 2 → 6)",
    "display name equals the handle",
    "display name digit share (ramp over 0 → 25 %)",
];

/// Following counts above this are common among real creators: 31 % of the influencers
/// in Kim et al. (WWW 2020) follow more than 1,500 accounts.
const MASS_FOLLOWING_FROM: f64 = 1_500.0;
/// Instagram does not let an account follow more than 7,500.
const FOLLOWING_CAP: f64 = 7_500.0;

/// `x` clamped into 0–1: a ramp that starts at 0 and saturates at 1.
fn ramp(x: f64) -> f64 {
    x.clamp(0.0, 1.0)
}

fn decades(n: u64) -> f64 {
    (1.0 + n as f64).log10()
}

/// The fraud evidence in each feature of a profile, each 0–1.
pub fn profile_features(p: &Profile) -> [f64; FEATURES] {
    let mut x = [0.0; FEATURES];
    if let Some(f) = p.followers {
        let u = decades(f);
        x[0] = ramp(2.0 - u);
        x[1] = ramp(1.0 - u);
    }
    if let (Some(following), Some(followers)) = (p.following, p.followers) {
        let v = decades(following) - decades(followers);
        x[2] = ramp(v);
        x[3] = ramp(v - 1.0);
    }
    if let Some(following) = p.following {
        let f = following as f64;
        x[4] = if f > MASS_FOLLOWING_FROM {
            ramp((f / MASS_FOLLOWING_FROM).ln() / (FOLLOWING_CAP / MASS_FOLLOWING_FROM).ln())
        } else {
            0.0
        };
    }
    if let Some(posts) = p.posts_count {
        let u = decades(posts);
        x[5] = ramp(1.0 - u);
        x[6] = ramp(2.0 - u);
    }
    // Like every field, a bio that is not known (`None`) is no evidence: many sources
    // carry no bio at all. An importer that knows a bio is empty writes `""`.
    x[7] = indicator(p.bio.as_deref().is_some_and(|b| b.trim().is_empty()));
    x[8] = indicator(p.has_profile_pic == Some(false));
    let (digits, len) = digit_count(p.handle.as_str());
    if len > 0 {
        x[9] = ramp(digits as f64 / len as f64 / 0.5);
    }
    x[10] = ramp((digits as f64 - 2.0) / 4.0);
    if let Some(name) = p.display_name.as_deref() {
        let folded = alphanumeric(name);
        x[11] = indicator(!folded.is_empty() && folded == alphanumeric(p.handle.as_str()));
        let (digits, len) = digit_count(name);
        if len > 0 {
            x[12] = ramp(digits as f64 / len as f64 / 0.25);
        }
    }
    x
}

fn indicator(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// ASCII digits and all characters but white space in `text`: spaces between words
/// would otherwise dilute the digits of a name.
fn digit_count(text: &str) -> (usize, usize) {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    (digits, text.chars().filter(|c| !c.is_whitespace()).count())
}

/// Lower-case letters and digits only, so `Maya.Eats` and `maya_eats` compare equal.
fn alphanumeric(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handle::{Handle, Platform};

    fn profile() -> Profile {
        Profile {
            platform: Platform::Instagram,
            handle: Handle::parse("maya.eats").unwrap(),
            user_id: None,
            display_name: Some("Maya Lind".into()),
            bio: Some("Plant-based recipes".into()),
            followers: Some(5_000),
            following: Some(400),
            posts_count: Some(300),
            is_verified: None,
            is_private: Some(false),
            has_profile_pic: Some(true),
            external_url: None,
            fetched_at: None,
            follower_history: Vec::new(),
        }
    }

    #[test]
    fn a_plain_genuine_profile_shows_no_evidence() {
        assert_eq!(profile_features(&profile()), [0.0; FEATURES]);
    }

    #[test]
    fn unknown_counts_are_no_evidence() {
        let mut p = profile();
        p.followers = None;
        p.following = None;
        p.posts_count = None;
        p.has_profile_pic = None;
        p.display_name = None;
        p.bio = None;
        assert_eq!(profile_features(&p), [0.0; FEATURES]);
    }

    #[test]
    fn followers_count_as_evidence_only_below_one_hundred() {
        let mut p = profile();
        p.following = None;
        p.followers = Some(99);
        assert_eq!(profile_features(&p)[0], 0.0);
        p.followers = Some(9);
        let x = profile_features(&p);
        assert!((x[0] - 1.0).abs() < 1e-12 && x[1] == 0.0, "{x:?}");
        p.followers = Some(0);
        assert_eq!(profile_features(&p)[..2], [1.0, 1.0]);
    }

    #[test]
    fn following_ratio_ramps_over_two_decades() {
        let mut p = profile();
        p.followers = Some(99);
        p.following = Some(99);
        assert_eq!(profile_features(&p)[2..4], [0.0, 0.0]);
        p.following = Some(999);
        assert!((profile_features(&p)[2] - 1.0).abs() < 1e-12);
        p.following = Some(9_999);
        let x = profile_features(&p);
        assert!((x[3] - 1.0).abs() < 1e-12, "{x:?}");
    }

    #[test]
    fn mass_following_starts_at_1500_and_saturates_at_the_platform_cap() {
        let mut p = profile();
        for (following, expected) in [(1_500, 0.0), (7_500, 1.0), (20_000, 1.0)] {
            p.following = Some(following);
            assert!((profile_features(&p)[4] - expected).abs() < 1e-12);
        }
        p.following = Some(3_354);
        assert!((profile_features(&p)[4] - 0.5).abs() < 1e-3);
    }

    #[test]
    fn an_empty_account_has_full_few_posts_evidence() {
        let mut p = profile();
        p.posts_count = Some(0);
        assert_eq!(profile_features(&p)[5..7], [1.0, 1.0]);
        p.posts_count = Some(99);
        assert_eq!(profile_features(&p)[5..7], [0.0, 0.0]);
    }

    #[test]
    fn a_blank_bio_and_a_missing_picture_are_evidence_but_an_unknown_bio_is_not() {
        let mut p = profile();
        p.bio = Some("  ".into());
        p.has_profile_pic = Some(false);
        let x = profile_features(&p);
        assert_eq!((x[7], x[8]), (1.0, 1.0));
        p.bio = None;
        assert_eq!(profile_features(&p)[7], 0.0);
    }

    #[test]
    fn digit_heavy_handles_are_evidence_and_a_birth_year_is_less() {
        let mut p = profile();
        p.handle = Handle::parse("user84736251").unwrap();
        let bot = profile_features(&p);
        assert_eq!(bot[9..11], [1.0, 1.0]);
        p.handle = Handle::parse("maya1990").unwrap();
        let year = profile_features(&p);
        assert_eq!(year[10], 0.5);
        assert!(year[9] + year[10] < bot[9] + bot[10]);
    }

    #[test]
    fn a_display_name_copied_from_the_handle_is_evidence() {
        let mut p = profile();
        p.display_name = Some("Maya_Eats".into());
        assert_eq!(profile_features(&p)[11], 1.0);
        p.display_name = Some("Anna 2000".into());
        let x = profile_features(&p);
        assert_eq!((x[11], x[12]), (0.0, 1.0));
    }
}
