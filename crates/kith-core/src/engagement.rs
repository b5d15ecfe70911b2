//! Engagement rate, exactly as the contract defines it.
//!
//! Per post: (likes + comments + shares + saves) ÷ followers. A profile's rate is the
//! median over its latest 12 posts posted within the 180 days before the profile was
//! fetched (or before `now` when the fetch time is unknown). No such post → no rate.

use time::{Duration, OffsetDateTime};

use crate::post_facts::PostMetrics;
use crate::record::Profile;

/// How many recent posts the rate looks at.
pub const RECENT_POSTS: usize = 12;
/// How far back a post may be and still count.
pub const WINDOW_DAYS: i64 = 180;

/// Engagement measures of one profile.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Engagement {
    /// Median per-post rate over the recent posts (a fraction).
    pub rate: Option<f64>,
    /// Mean per-post rate over the same posts.
    pub mean: Option<f64>,
    /// How many posts the rate is computed from.
    pub posts_used: usize,
    /// Posts per week over the window.
    pub posts_per_week: f64,
    /// Median interactions ÷ views, for posts that report views.
    pub per_view: Option<f64>,
}

/// The instant a profile's window ends: when it was fetched, else `now`.
pub fn reference_time(profile: &Profile, now: OffsetDateTime) -> OffsetDateTime {
    profile.fetched_at.unwrap_or(now)
}

/// The posts the rate counts: posted within the window, newest first, at most 12.
pub fn recent_posts<'a, P: PostMetrics>(
    profile: &Profile,
    posts: &'a [P],
    now: OffsetDateTime,
) -> Vec<&'a P> {
    let end = reference_time(profile, now);
    let start = end - Duration::days(WINDOW_DAYS);
    let mut recent: Vec<&P> = posts
        .iter()
        .filter(|p| p.posted_at().is_some_and(|t| t >= start && t <= end))
        .collect();
    // Newest first; the post id breaks ties so the choice never depends on input order.
    recent.sort_by(|a, b| {
        b.posted_at()
            .cmp(&a.posted_at())
            .then_with(|| a.post_id().cmp(b.post_id()))
    });
    recent
}

pub fn engagement<P: PostMetrics>(
    profile: &Profile,
    posts: &[P],
    now: OffsetDateTime,
) -> Engagement {
    let in_window = recent_posts(profile, posts, now);
    let posts_per_week = in_window.len() as f64 / (WINDOW_DAYS as f64 / 7.0);
    let latest: Vec<&P> = in_window.into_iter().take(RECENT_POSTS).collect();
    let followers = profile.followers.filter(|f| *f > 0);
    let rates: Vec<f64> = match followers {
        Some(f) => latest
            .iter()
            .map(|p| p.interactions() as f64 / f as f64)
            .collect(),
        None => Vec::new(),
    };
    let per_view: Vec<f64> = latest
        .iter()
        .filter_map(|p| {
            p.views()
                .filter(|v| *v > 0)
                .map(|v| p.interactions() as f64 / v as f64)
        })
        .collect();
    Engagement {
        rate: median(&rates),
        mean: (!rates.is_empty()).then(|| rates.iter().sum::<f64>() / rates.len() as f64),
        posts_used: rates.len(),
        posts_per_week,
        per_view: median(&per_view),
    }
}

/// The median, averaging the two middle values of an even count.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handle::{Handle, Platform};
    use crate::record::Post;
    use time::macros::datetime;

    fn profile(followers: u64) -> Profile {
        Profile {
            platform: Platform::Instagram,
            handle: Handle::parse("maya").unwrap(),
            user_id: None,
            display_name: None,
            bio: None,
            followers: Some(followers),
            following: None,
            posts_count: None,
            is_verified: None,
            is_private: None,
            has_profile_pic: None,
            external_url: None,
            fetched_at: Some(datetime!(2026-06-30 00:00 UTC)),
            follower_history: Vec::new(),
        }
    }

    fn post(id: &str, days_before: i64, likes: u64) -> Post {
        Post {
            platform: Platform::Instagram,
            handle: Handle::parse("maya").unwrap(),
            post_id: id.into(),
            posted_at: Some(datetime!(2026-06-30 00:00 UTC) - Duration::days(days_before)),
            kind: None,
            caption: None,
            likes: Some(likes),
            comments: Some(0),
            shares: None,
            saves: None,
            views: None,
            is_sponsored: None,
            comments_sample: Vec::new(),
        }
    }

    #[test]
    fn rate_is_the_median_of_the_latest_twelve_posts_in_the_window() {
        // 14 posts in the window: the two oldest (likes 1000) must be ignored.
        let mut posts: Vec<Post> = (0..12)
            .map(|i| post(&format!("p{i}"), i + 1, 10 + i as u64))
            .collect();
        posts.push(post("old1", 100, 1000));
        posts.push(post("old2", 101, 1000));
        posts.push(post("ancient", 181, 5000));
        let e = engagement(&profile(1000), &posts, datetime!(2030-01-01 00:00 UTC));
        assert_eq!(e.posts_used, 12);
        // likes 10..=21 → median (15 + 16) / 2 = 15.5 → 0.0155
        assert!((e.rate.unwrap() - 0.0155).abs() < 1e-12);
    }

    #[test]
    fn no_post_in_the_window_means_no_rate() {
        let posts = vec![post("p", 200, 10)];
        let e = engagement(&profile(1000), &posts, datetime!(2030-01-01 00:00 UTC));
        assert_eq!(e.rate, None);
    }

    #[test]
    fn posts_after_the_fetch_are_not_counted() {
        let posts = vec![post("future", -3, 999), post("p", 3, 10)];
        let e = engagement(&profile(1000), &posts, datetime!(2030-01-01 00:00 UTC));
        assert_eq!(e.rate, Some(0.01));
    }

    #[test]
    fn zero_followers_gives_no_rate() {
        let e = engagement(
            &profile(0),
            &[post("p", 1, 5)],
            datetime!(2030-01-01 00:00 UTC),
        );
        assert_eq!(e.rate, None);
    }
}
