//! A profile and its posts, shaped by what the account really is.
//!
//! Genuine accounts follow the calibration in `audience.rs`. Fakes are labelled only by
//! their shape, as in the wild:
//! - **bought followers**: a real audience of a few hundred to a few thousand, multiplied
//!   8–30× in one month (a jump in `follower_history`), engagement that stayed with the
//!   real audience (far below the band's rate), follow-for-follow following counts;
//! - **engagement pods**: 4.5–9× the band's engagement, a comment for every 2–6 likes,
//!   and comments that are stock phrases and emoji;
//! - **bots**: digit handles, no picture, no bio, thousands of followings, a few spam
//!   posts tagging the brand.

use kith_core::record::FollowerPoint;
use kith_core::{Band, Platform, Post, PostKind, Profile, TierBands};
use time::{Date, Duration, Month};

use super::audience::{self, Counts};
use super::content::{self, BioExtra, CommentStyle, Tone, Voice};
use super::rng::Rng;
use super::social::{Account, Owner, Social};
use super::topics::{TOPICS, Topic};
use super::{Attitude, FETCHED_AT, FakeKind};

/// A generated profile with its posts.
#[derive(Debug)]
pub struct Built {
    pub profile: Profile,
    pub posts: Vec<Post>,
    pub band: Band,
    pub brand_posts: u32,
}

/// The numbers a profile's fields are drawn around.
#[derive(Debug, Clone, Copy)]
struct Shape {
    followers: u64,
    band: Band,
    n_posts: usize,
    private: bool,
    /// The audience before followers were bought.
    real: Option<f64>,
}

/// The first day of the month `back` months before the fetch month.
fn month_start(back: u32) -> Option<Date> {
    let total = FETCHED_AT.year() * 12 + i32::from(u8::from(FETCHED_AT.month())) - 1 - back as i32;
    let month = Month::try_from((total.rem_euclid(12) + 1) as u8).ok()?;
    Date::from_calendar_date(total.div_euclid(12), month, 1).ok()
}

fn tone_for(rng: &mut Rng, attitude: Attitude) -> Tone {
    let r = rng.f64();
    match attitude {
        Attitude::Lover if r < 0.8 => Tone::Positive,
        Attitude::Lover => Tone::Neutral,
        Attitude::Detractor if r < 0.85 => Tone::Negative,
        Attitude::Detractor => Tone::Mixed,
        Attitude::Mixed if r < 0.7 => Tone::Mixed,
        Attitude::Mixed if r < 0.85 => Tone::Positive,
        Attitude::Mixed => Tone::Negative,
        Attitude::Indifferent => Tone::Neutral,
    }
}

impl Social {
    /// Builds one profile and its posts; the caller writes them.
    pub fn build(&mut self, account: &Account, owner: &Owner<'_>) -> Built {
        let platform = account.platform;
        let bands = TierBands::default();
        let rng = &mut self.rng;
        let clout = if rng.bernoulli(0.7) {
            owner.clout
        } else {
            rng.f64()
        };
        let quality = rng.lognormal(1.0, 0.35);
        // Followers, the expected headline count per post, likes per comment, and (for
        // bought followers) the audience before the purchase.
        let (followers, band, expected, ratio, real) = match account.fake {
            None => {
                let band = audience::band_at(platform, clout);
                let f = audience::followers_in(rng, band);
                let expected = f as f64 * audience::base_rate(platform, f as f64) * quality;
                let ratio = audience::likes_per_comment(platform, band) * rng.lognormal(1.0, 0.45);
                (f, band, expected, ratio, None)
            }
            Some(FakeKind::EngagementPod) => {
                let band = if rng.bernoulli(0.7) {
                    Band::MicroLow
                } else {
                    Band::MicroHigh
                };
                let f = audience::followers_in(rng, band);
                let boost = rng.uniform(4.5, 9.0);
                let expected = f as f64 * audience::base_rate(platform, f as f64) * boost;
                (f, band, expected, rng.uniform(2.0, 6.0), None)
            }
            Some(FakeKind::BoughtFollowers) => {
                let real = rng.bounded_pareto(400.0, 4_000.0, 0.5);
                let f = (real * rng.uniform(8.0, 30.0)) as u64;
                let band = bands.band(f);
                let expected = real * audience::base_rate(platform, real) * 0.6 * quality;
                (
                    f,
                    band,
                    expected,
                    audience::likes_per_comment(platform, Band::Nano),
                    Some(real),
                )
            }
            Some(FakeKind::Bot) => (
                (rng.lognormal(60.0, 1.0) as u64).min(900),
                Band::Nano,
                1.5,
                3.0,
                None,
            ),
        };
        enum Status {
            Active,
            Dormant,
            Private,
        }
        let status = if account.mentions_brand || account.fake.is_some() {
            Status::Active
        } else {
            let (private, dormant) = match band {
                Band::Nano => (0.10, 0.06),
                Band::MicroLow => (0.03, 0.05),
                _ => (0.0, 0.02),
            };
            let r = rng.f64();
            if r < private {
                Status::Private
            } else if r < private + dormant {
                Status::Dormant
            } else {
                Status::Active
            }
        };
        let (lo, hi) = match (account.fake, band) {
            (Some(FakeKind::Bot), _) => (1, 4),
            (Some(FakeKind::EngagementPod), _) => (12, 26),
            (Some(FakeKind::BoughtFollowers), _) => (8, 20),
            (None, Band::Nano) => (8, 18),
            (None, Band::MicroLow) => (10, 24),
            (None, Band::MicroHigh) => (12, 28),
            (None, _) => (14, 30),
        };
        let n_posts = match status {
            Status::Active => rng.range(lo, hi) as usize,
            Status::Dormant => rng.range(3, 10) as usize,
            Status::Private => 0,
        };
        let mut days: Vec<f64> = (0..n_posts)
            .map(|_| match status {
                Status::Dormant => rng.uniform(181.0, 720.0),
                _ => rng.uniform(0.1, 179.5),
            })
            .collect();
        days.sort_by(|a, b| b.total_cmp(a));
        let mut brand_slots = vec![false; n_posts];
        if account.mentions_brand && n_posts > 0 {
            let wanted = match (account.fake, owner.title, owner.attitude) {
                (Some(FakeKind::Bot), _, _) => n_posts,
                (_, Some(_), _) => rng.range(1, 4) as usize,
                (_, _, Attitude::Lover) => rng.range(1, 3) as usize,
                (_, _, Attitude::Indifferent) => 1,
                _ => rng.range(1, 2) as usize,
            };
            let mut order: Vec<usize> = (0..n_posts).collect();
            rng.shuffle(&mut order);
            for i in order.into_iter().take(wanted) {
                brand_slots[i] = true;
            }
        }
        let topics: Vec<&Topic> = owner.interests.iter().map(|i| &TOPICS[*i]).collect();
        let mut deck = content::LineDeck::new(TOPICS.len());
        // Staff who like their job post like staff; the few who do not sound like anyone.
        let voice = match (account.fake, owner.title, owner.attitude) {
            (Some(FakeKind::Bot), _, _) => Voice::Spam,
            (_, Some(_), Attitude::Lover) => Voice::Employee,
            _ => Voice::Customer,
        };
        let sponsored_p = match (account.fake, band) {
            (Some(FakeKind::Bot), _) => 0.0,
            (Some(_), _) => 0.10,
            (None, Band::Nano) => 0.01,
            (None, _) => 0.05,
        };
        let mut posts = Vec::with_capacity(n_posts);
        let mut brand_posts = 0;
        for (i, d) in days.iter().enumerate() {
            let rng = &mut self.rng;
            let pick = rng.weighted(&[0.6, 0.25, 0.15][..topics.len().min(3)]);
            let (topic_index, topic) = (owner.interests[pick], topics[pick]);
            let kind = match platform {
                Platform::Instagram => [PostKind::Image, PostKind::Carousel, PostKind::Reel]
                    [rng.weighted(&[0.45, 0.25, 0.30])],
                Platform::Tiktok => PostKind::Video,
                Platform::Youtube => [PostKind::Video, PostKind::Short][rng.weighted(&[0.6, 0.4])],
                Platform::X => [PostKind::Text, PostKind::Image, PostKind::Video]
                    [rng.weighted(&[0.85, 0.10, 0.05])],
            };
            let mut tone = None;
            let mut sponsored = false;
            let caption = if brand_slots[i] {
                brand_posts += 1;
                let t = if voice == Voice::Customer {
                    tone_for(rng, owner.attitude)
                } else {
                    Tone::Positive
                };
                tone = Some(t);
                content::brand_caption(rng, platform, t, voice, Some(topic))
            } else if rng.bernoulli(sponsored_p) {
                sponsored = true;
                let line = deck.draw(rng, topic_index, topic);
                content::sponsored_caption(rng, platform, topic, line)
            } else {
                let line = deck.draw(rng, topic_index, topic);
                content::caption(rng, platform, topic, line)
            };
            let counts = if account.fake == Some(FakeKind::Bot) {
                Counts {
                    likes: rng.range(0, 4),
                    comments: rng.range(0, 1),
                    ..Counts::default()
                }
            } else {
                audience::post_counts(rng, platform, kind, expected, ratio)
            };
            let style = match account.fake {
                None => CommentStyle::Genuine,
                Some(FakeKind::EngagementPod) => CommentStyle::Pod,
                Some(FakeKind::BoughtFollowers) if rng.bernoulli(0.5) => CommentStyle::Pod,
                Some(FakeKind::BoughtFollowers) => CommentStyle::Genuine,
                Some(FakeKind::Bot) => CommentStyle::Bot,
            };
            let sample = (rng.range(3, 8)).min(counts.comments) as usize;
            let comments_sample = content::comments(rng, sample, style, topic, tone);
            let posted_at = FETCHED_AT - Duration::seconds((d * 86_400.0) as i64);
            posts.push(Post {
                platform,
                handle: account.handle.clone(),
                post_id: self.post_id(platform),
                posted_at: Some(posted_at),
                kind: Some(kind),
                caption: Some(caption),
                likes: Some(counts.likes),
                comments: Some(counts.comments),
                shares: counts.shares,
                saves: counts.saves,
                views: counts.views,
                is_sponsored: Some(sponsored),
                comments_sample,
            });
        }
        let shape = Shape {
            followers,
            band,
            n_posts,
            private: matches!(status, Status::Private),
            real,
        };
        let profile = self.profile(account, owner, &topics, &shape);
        Built {
            profile,
            posts,
            band,
            brand_posts,
        }
    }

    fn profile(
        &mut self,
        account: &Account,
        owner: &Owner<'_>,
        topics: &[&Topic],
        shape: &Shape,
    ) -> Profile {
        let Shape {
            followers,
            band,
            n_posts,
            private,
            real,
        } = *shape;
        let platform = account.platform;
        let user_id = self.user_id(platform);
        let rng = &mut self.rng;
        let bot = account.fake == Some(FakeKind::Bot);
        let following = match account.fake {
            None => audience::following(rng, band, followers),
            Some(FakeKind::EngagementPod) => rng.lognormal(1_100.0, 0.5) as u64,
            Some(FakeKind::BoughtFollowers) => rng.range(1_500, 6_500),
            Some(FakeKind::Bot) => rng.range(1_500, 7_500),
        };
        let posts_count = if bot {
            n_posts as u64 + rng.range(0, 4)
        } else {
            audience::lifetime_posts(rng, band).max(n_posts as u64 + rng.range(0, 20))
        };
        let verified = account.fake.is_none()
            && rng.bernoulli(match band {
                Band::Mega => 0.85,
                Band::Macro => 0.25,
                Band::MicroHigh => 0.02,
                _ => 0.0,
            });
        let extra = match (account.fake, owner.title) {
            (Some(FakeKind::Bot), _) => BioExtra::None,
            (Some(_), _) => BioExtra::Collabs,
            (None, Some(title)) if rng.bernoulli(0.6) => BioExtra::Employee(title),
            (None, _) if owner.attitude == Attitude::Lover && rng.bernoulli(0.2) => {
                BioExtra::BrandFan
            }
            (None, _) if band != Band::Nano && rng.bernoulli(0.15) => BioExtra::Collabs,
            _ => BioExtra::None,
        };
        let bio = if bot {
            rng.bernoulli(0.15).then(|| "follow4follow 💯".to_owned())
        } else if account.fake.is_some() || rng.bernoulli(0.85) {
            Some(content::bio(rng, topics, owner.city, extra))
        } else {
            None
        };
        let display_name = if bot {
            rng.bernoulli(0.5)
                .then(|| account.handle.as_str().to_owned())
        } else {
            Some(match rng.weighted(&[55.0, 20.0, 15.0, 10.0]) {
                0 => format!("{} {}", owner.first, owner.last),
                1 => owner.first.to_owned(),
                2 => format!("{} | {}", owner.first, topics[0].bios[0]),
                _ => format!(
                    "{} {}.",
                    owner.first,
                    owner.last.chars().next().unwrap_or('X')
                ),
            })
        };
        let alnum: String = account
            .handle
            .as_str()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let url_p = match (account.fake, band) {
            (Some(FakeKind::Bot), _) => 0.3,
            (Some(_), _) => 0.7,
            (None, Band::Nano) => 0.10,
            (None, Band::MicroLow | Band::MicroHigh) => 0.45,
            (None, _) => 0.8,
        };
        let external_url = rng.bernoulli(url_p).then(|| match account.fake {
            Some(FakeKind::Bot) => format!(
                "https://free-followers.example.net/{}",
                rng.below(1_000_000)
            ),
            Some(_) => format!("https://links.example.com/{alnum}"),
            None if owner.title.is_some() => super::brand::WEBSITE.to_owned(),
            None => format!("https://{alnum}.example.com"),
        });
        let follower_history = match account.fake {
            Some(FakeKind::BoughtFollowers) => history(rng, band, followers, real),
            Some(FakeKind::Bot) if !rng.bernoulli(0.2) => Vec::new(),
            None | Some(FakeKind::EngagementPod) if !rng.bernoulli(0.85) => Vec::new(),
            _ => history(rng, band, followers, None),
        };
        let has_profile_pic = if bot {
            rng.bernoulli(0.2)
        } else {
            account.fake.is_some() || rng.bernoulli(0.985)
        };
        Profile {
            platform,
            handle: account.handle.clone(),
            user_id: Some(user_id),
            display_name,
            bio,
            followers: Some(followers),
            following: Some(following),
            posts_count: Some(posts_count),
            is_verified: Some(verified),
            is_private: Some(private),
            has_profile_pic: Some(has_profile_pic),
            external_url,
            fetched_at: Some(FETCHED_AT),
            follower_history,
        }
    }
}

/// Monthly follower counts ending at the current count. Organic accounts grow by a few
/// percent a month (never more than 12 %); a bought audience (`real` before the
/// purchase) jumps 8–30× in one month and then erodes as the platform purges bots.
fn history(rng: &mut Rng, band: Band, followers: u64, real: Option<f64>) -> Vec<FollowerPoint> {
    let n = rng.range(6, 12) as usize;
    let dates: Vec<Date> = (0..n as u32).rev().filter_map(month_start).collect();
    let n = dates.len();
    let mut values = vec![followers as f64; n];
    match real {
        None => {
            let mu = match band {
                Band::Nano | Band::Mega => 0.01,
                Band::Macro => 0.015,
                _ => 0.025,
            };
            for i in (0..n.saturating_sub(1)).rev() {
                let g = rng.gaussian(mu, 0.02).clamp(-0.05, 0.12);
                values[i] = values[i + 1] / (1.0 + g);
            }
        }
        Some(real) => {
            let spike = rng.range(1, n.saturating_sub(2).max(1) as u64) as usize;
            let peak = followers as f64 * rng.uniform(1.05, 1.25);
            for (i, v) in values.iter_mut().enumerate() {
                *v = if i < spike {
                    real * (0.9 + 0.1 * i as f64 / spike as f64)
                } else {
                    let t = (i - spike) as f64 / (n - 1 - spike).max(1) as f64;
                    peak + (followers as f64 - peak) * t
                };
            }
            if let Some(last) = values.last_mut() {
                *last = followers as f64;
            }
        }
    }
    dates
        .into_iter()
        .zip(values)
        .map(|(date, v)| FollowerPoint {
            date,
            followers: v.round().max(0.0) as u64,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_starts_count_back_across_the_new_year() {
        let day = |back| month_start(back).map(|d| d.to_string());
        assert_eq!(day(0).as_deref(), Some("2026-11-01"));
        assert_eq!(day(11).as_deref(), Some("2025-12-01"));
        assert_eq!(day(13).as_deref(), Some("2025-10-01"));
    }

    #[test]
    fn organic_history_never_jumps_and_bought_history_does() {
        let mut rng = Rng::new(3);
        for _ in 0..200 {
            let h = history(&mut rng, Band::MicroLow, 5_000, None);
            assert_eq!(h.last().map(|p| p.followers), Some(5_000));
            assert!(
                h.windows(2)
                    .all(|w| (w[1].followers as f64) < w[0].followers as f64 * 1.3)
            );
            let b = history(&mut rng, Band::MicroHigh, 24_000, Some(2_000.0));
            assert_eq!(b.last().map(|p| p.followers), Some(24_000));
            assert!(
                b.windows(2).any(|w| w[1].followers > w[0].followers * 5),
                "{b:?}"
            );
        }
    }
}
