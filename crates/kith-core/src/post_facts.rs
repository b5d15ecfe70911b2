//! What scoring reads from a post, and a compact digest that holds just that.
//!
//! Every post-based rule reads a post through [`PostMetrics`] (numbers, dates, comment
//! sample) and [`PostSignals`] (categories and the opinion about the brand, from the
//! caption). A [`Post`] answers from its fields and text; a [`PostFacts`] answers from a
//! digest made once, right after the post is read, so that millions of posts can wait
//! for the rest of their profile's posts without keeping their captions.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::authenticity::posts::is_generic_comment;
use crate::brand_love::BrandMatcher;
use crate::category::{CategoryCounts, CompactCounts};
use crate::record::Post;
use crate::sentiment::Polarity;

/// A post's numbers and dates, as engagement and authenticity read them.
pub trait PostMetrics {
    fn post_id(&self) -> &str;
    fn posted_at(&self) -> Option<OffsetDateTime>;
    fn likes(&self) -> Option<u64>;
    fn comments(&self) -> Option<u64>;
    /// Likes + comments + shares + saves, the missing ones counting 0.
    fn interactions(&self) -> u64;
    fn views(&self) -> Option<u64>;
    /// Of the sampled comments: how many say nothing specific, and how many there are.
    fn comment_sample(&self) -> CommentSample;
}

/// Generic and total comments in a post's `comments_sample`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentSample {
    pub generic: u16,
    pub total: u16,
}

/// What a post's caption says about the brand, when it mentions it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Opinion {
    /// −1…1.
    pub score: f64,
    /// −1, 0 or 1: negative, neutral, positive.
    pub polarity: i8,
}

impl Opinion {
    pub fn polarity(&self) -> Polarity {
        match self.polarity {
            1 => Polarity::Positive,
            -1 => Polarity::Negative,
            _ => Polarity::Neutral,
        }
    }
}

/// The text-derived signals of a post: interest categories and brand opinion.
pub trait PostSignals: PostMetrics {
    fn add_categories(&self, counts: &mut CategoryCounts);
    fn opinion(&self, matcher: &BrandMatcher) -> Option<Opinion>;
}

impl PostMetrics for Post {
    fn post_id(&self) -> &str {
        &self.post_id
    }
    fn posted_at(&self) -> Option<OffsetDateTime> {
        self.posted_at
    }
    fn likes(&self) -> Option<u64> {
        self.likes
    }
    fn comments(&self) -> Option<u64> {
        self.comments
    }
    fn interactions(&self) -> u64 {
        Post::interactions(self)
    }
    fn views(&self) -> Option<u64> {
        self.views
    }
    fn comment_sample(&self) -> CommentSample {
        let count = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        CommentSample {
            generic: count(
                self.comments_sample
                    .iter()
                    .filter(|c| is_generic_comment(c))
                    .count(),
            ),
            total: count(self.comments_sample.len()),
        }
    }
}

impl PostSignals for Post {
    fn add_categories(&self, counts: &mut CategoryCounts) {
        if let Some(caption) = &self.caption {
            counts.add_text(caption);
        }
    }
    fn opinion(&self, matcher: &BrandMatcher) -> Option<Opinion> {
        let analysis = matcher.sentiment(self.caption.as_deref()?)?;
        Some(Opinion {
            score: analysis.score,
            polarity: match analysis.polarity {
                Polarity::Positive => 1,
                Polarity::Negative => -1,
                Polarity::Neutral => 0,
            },
        })
    }
}

/// A post reduced to what scoring reads, for one brand's matcher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostFacts {
    post_id: String,
    posted_at: Option<OffsetDateTime>,
    /// Missing counts are kept as 0: every rule reads them that way.
    likes: u64,
    comments: u64,
    interactions: u64,
    views: Option<u64>,
    comment_sample: CommentSample,
    categories: CompactCounts,
    opinion: Option<Opinion>,
}

impl PostFacts {
    pub fn new(post: &Post, matcher: &BrandMatcher) -> PostFacts {
        let mut categories = CategoryCounts::default();
        post.add_categories(&mut categories);
        PostFacts {
            post_id: post.post_id.clone(),
            posted_at: post.posted_at,
            likes: post.likes.unwrap_or(0),
            comments: post.comments.unwrap_or(0),
            interactions: post.interactions(),
            views: post.views,
            comment_sample: post.comment_sample(),
            categories: categories.compact(),
            opinion: post.opinion(matcher),
        }
    }
}

impl PostFacts {
    /// Roughly the memory one digest holds, allocator overhead included.
    pub fn held_bytes(&self) -> usize {
        std::mem::size_of::<PostFacts>() + self.post_id.len() + 16
    }
}

impl PostMetrics for PostFacts {
    fn post_id(&self) -> &str {
        &self.post_id
    }
    fn posted_at(&self) -> Option<OffsetDateTime> {
        self.posted_at
    }
    fn likes(&self) -> Option<u64> {
        Some(self.likes)
    }
    fn comments(&self) -> Option<u64> {
        Some(self.comments)
    }
    fn interactions(&self) -> u64 {
        self.interactions
    }
    fn views(&self) -> Option<u64> {
        self.views
    }
    fn comment_sample(&self) -> CommentSample {
        self.comment_sample
    }
}

impl PostSignals for PostFacts {
    fn add_categories(&self, counts: &mut CategoryCounts) {
        counts.add_compact(&self.categories);
    }
    /// The opinion was read with the matcher given to [`PostFacts::new`].
    fn opinion(&self, _matcher: &BrandMatcher) -> Option<Opinion> {
        self.opinion
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::brand::BrandConfig;
    use crate::handle::{Handle, Platform};
    use crate::record::Profile;
    use crate::score::measure_profile;

    fn profile() -> Profile {
        Profile {
            platform: Platform::Instagram,
            handle: Handle::parse("maya.eats").unwrap(),
            user_id: None,
            display_name: None,
            bio: Some("coffee and trail runs".into()),
            followers: Some(8_000),
            following: Some(700),
            posts_count: Some(300),
            is_verified: None,
            is_private: Some(false),
            has_profile_pic: Some(true),
            external_url: None,
            fetched_at: Some(datetime!(2026-11-01 12:00 UTC)),
            follower_history: Vec::new(),
        }
    }

    fn post(i: u32, caption: &str, likes: Option<u64>, sample: &[&str]) -> Post {
        Post {
            platform: Platform::Instagram,
            handle: Handle::parse("maya.eats").unwrap(),
            post_id: format!("p{i}"),
            posted_at: Some(datetime!(2026-10-01 12:00 UTC) - time::Duration::days(i.into())),
            kind: None,
            caption: Some(caption.into()),
            likes,
            comments: Some(u64::from(i % 7)),
            shares: None,
            saves: Some(3),
            views: i.is_multiple_of(2).then_some(4_000),
            is_sponsored: None,
            comments_sample: sample.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn facts_measure_a_profile_exactly_as_its_posts_do() {
        let mut brand = BrandConfig::named("Fernwood");
        brand.keywords = vec!["Fernwood".into()];
        brand.target_categories = vec!["food & drink".into()];
        let matcher = BrandMatcher::new(&brand);
        let posts: Vec<Post> = (0..20)
            .map(|i| match i % 4 {
                0 => post(
                    i,
                    "Fernwood's new roast is so good #coffee",
                    Some(200),
                    &["nice!!"],
                ),
                1 => post(
                    i,
                    "not impressed with @fernwood, stale beans",
                    None,
                    &["🔥🔥"],
                ),
                2 => post(
                    i,
                    "#trailrunning at dawn, then brunch",
                    Some(90),
                    &["where is this?"],
                ),
                _ => post(i, "my dog and the teamwork", Some(310), &[]),
            })
            .collect();
        let facts: Vec<PostFacts> = posts.iter().map(|p| PostFacts::new(p, &matcher)).collect();
        let now = datetime!(2026-11-26 00:00 UTC);
        let from_posts = measure_profile(&profile(), &posts, &brand, &matcher, now);
        let from_facts = measure_profile(&profile(), &facts, &brand, &matcher, now);
        assert_eq!(format!("{from_posts:?}"), format!("{from_facts:?}"));
        assert!(
            format!("{from_facts:?}").contains("mentions: 10"),
            "{from_facts:?}"
        );
    }
}
