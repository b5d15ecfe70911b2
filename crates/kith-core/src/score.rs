//! Scoring a brand's population into ranked candidates, with an explanation per row.
//!
//! One row per (person, platform) for each profile identity resolution linked to a person,
//! and one per profile that nobody owns. Each profile is measured once, in parallel;
//! the person's purchases and reviews are added to the rows that person owns. Employees
//! are ranked by their fit as advocates, everyone else by their fit as creators.
//!
//! Scoring runs in two steps so that posts never need to be held all at once:
//! [`measure_profile`] reads one profile's posts into a small [`ProfileMeasure`], and
//! [`rank`] joins the measures with people, purchases and reviews.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use time::OffsetDateTime;

use crate::authenticity::{Authenticity, authenticity};
use crate::benchmark::{benchmark_for, per_view_benchmark};
use crate::brand::BrandConfig;
use crate::brand_love::{BrandLove, BrandMatcher, PostLove};
use crate::candidate::Candidate;
use crate::category::{CategoryCounts, CategoryScore, affinity};
use crate::customer_value::SpendRanking;
use crate::engagement::{Engagement, engagement};
use crate::fit::{Advocacy, Components, Explained, advocacy_fit, explain, fit};
use crate::handle::{Handle, Platform};
use crate::identity::{Confirmation, Resolution, resolve};
use crate::money::Money;
use crate::population::{Population, PurchaseTotals};
use crate::post_facts::PostSignals;
use crate::record::{Person, PersonSource, Profile, Review};
use crate::tier::Band;

/// What one profile measures, before any person is attached: everything scoring needs
/// from its posts.
#[derive(Debug, Clone)]
pub struct ProfileMeasure {
    band: Option<Band>,
    engagement: Engagement,
    er_index: Option<f64>,
    /// The index compares engagement per view (YouTube), not per follower.
    index_per_view: bool,
    authenticity: Authenticity,
    categories: Vec<CategoryScore>,
    affinity: Option<f64>,
    love: PostLove,
}

/// Measures one profile from its posts (any order; each post once).
pub fn measure_profile<P: PostSignals>(
    profile: &Profile,
    posts: &[P],
    brand: &BrandConfig,
    matcher: &BrandMatcher,
    now: OffsetDateTime,
) -> ProfileMeasure {
    let band = profile.followers.map(|f| brand.tiers.band(f));
    let engagement = engagement(profile, posts, now);
    let bench = profile
        .followers
        .zip(band)
        .and_then(|(f, b)| benchmark_for(&brand.benchmarks, profile.platform, f, b))
        .map(|b| b.rate);
    let per_view = band
        .and_then(|b| per_view_benchmark(profile.platform, b))
        .zip(engagement.per_view)
        .map(|(b, pv)| pv / b.rate);
    let (er_index, index_per_view) = match (engagement.rate.zip(bench), per_view) {
        (Some((er, b)), _) => (Some(er / b), false),
        (None, Some(index)) => (Some(index), true),
        (None, None) => (None, false),
    };
    let authenticity = authenticity(profile, posts, &engagement, bench);
    let mut counts = CategoryCounts::default();
    if let Some(bio) = &profile.bio {
        counts.add_text(bio);
    }
    for post in posts {
        post.add_categories(&mut counts);
    }
    let categories = counts.scores();
    let affinity = affinity(&categories, &brand.target_categories);
    let mut love = PostLove::default();
    for post in posts {
        love.add(matcher, post);
    }
    ProfileMeasure {
        band,
        engagement,
        er_index,
        index_per_view,
        authenticity,
        categories,
        affinity,
        love,
    }
}

/// A person as scoring sees them: who they are, what they bought and said.
struct Owner<'a> {
    person: &'a Person,
    customer_value: Option<f64>,
    reviews: &'a [&'a Review],
    /// Platforms on which the person has a scored profile.
    platforms: Vec<Platform>,
}

/// Scores everyone and returns candidates ranked best first. `now` stands in for a
/// profile's fetch time when it has none.
pub fn score_population(
    pop: &Population,
    brand: &BrandConfig,
    now: OffsetDateTime,
) -> Vec<Candidate> {
    let matcher = BrandMatcher::new(brand);
    let measures: Vec<ProfileMeasure> = pop
        .profiles
        .par_iter()
        .map(|p| measure_profile(&p.profile, &p.posts, brand, &matcher, now))
        .collect();
    let profiles: Vec<Profile> = pop.profiles.iter().map(|p| p.profile.clone()).collect();
    let owners = Owners {
        people: &pop.people,
        reviews: &pop.reviews,
        purchases: &pop.purchases,
        confirmations: &pop.confirmations,
    };
    rank(&owners, &profiles, &measures, brand)
}

/// Who may own the measured profiles, and what they bought and said.
#[derive(Debug, Clone, Copy)]
pub struct Owners<'a> {
    pub people: &'a [Person],
    /// Reviews already linked to a person id.
    pub reviews: &'a [Review],
    pub purchases: &'a [PurchaseTotals],
    pub confirmations: &'a [Confirmation],
}

/// Joins measured profiles (`measures[i]` is `profiles[i]`'s) with the people who own
/// them and returns candidates ranked best first.
///
/// # Panics
/// When the two slices differ in length.
pub fn rank(
    pop: &Owners<'_>,
    profiles: &[Profile],
    measures: &[ProfileMeasure],
    brand: &BrandConfig,
) -> Vec<Candidate> {
    assert_eq!(profiles.len(), measures.len(), "one measure per profile");

    let purchases: HashMap<&str, Money> = pop
        .purchases
        .iter()
        .map(|p| (p.person_id.as_str(), p.spent))
        .collect();
    let spend_of = |person: &Person| -> Money {
        let declared = person.total_spent.unwrap_or(Money::ZERO);
        let ordered = purchases
            .get(person.id.as_str())
            .copied()
            .unwrap_or(Money::ZERO);
        declared.max(ordered)
    };
    let ranking = SpendRanking::new(
        pop.people
            .iter()
            .filter(|p| p.source() == PersonSource::Customer)
            .map(spend_of),
    );
    let mut reviews: BTreeMap<&str, Vec<&Review>> = BTreeMap::new();
    for review in pop.reviews {
        if let Some(id) = review.person_id.as_deref() {
            reviews.entry(id).or_default().push(review);
        }
    }

    // Which rows to build: each person with the profiles identity resolution linked to
    // them, then the profiles nobody owns.
    // Without people there is no one to link: rows are profiles alone.
    let resolution = if pop.people.is_empty() {
        Resolution::default()
    } else {
        resolve(pop.people, profiles, pop.confirmations)
    };
    let mut linked: BTreeMap<&str, Vec<(Platform, usize)>> = BTreeMap::new();
    // Only when someone is linked: 50,000 profiles take milliseconds to index.
    let by_key: HashMap<(Platform, &Handle), usize> = if resolution.links.is_empty() {
        HashMap::new()
    } else {
        profiles
            .iter()
            .enumerate()
            .map(|(i, p)| ((p.platform, &p.handle), i))
            .collect()
    };
    for link in &resolution.links {
        if let Some(&i) = by_key.get(&(link.platform, &link.handle)) {
            linked
                .entry(link.person_id.as_str())
                .or_default()
                .push((link.platform, i));
        }
    }
    let mut owners: Vec<Owner<'_>> = Vec::new();
    let mut plan: Vec<(Option<usize>, usize)> = Vec::new();
    let mut matched = vec![false; profiles.len()];
    for person in pop.people {
        let Some(profiled) = linked.get(person.id.as_str()) else {
            continue;
        };
        let customer_value = (person.source() == PersonSource::Customer)
            .then(|| ranking.percentile(spend_of(person)))
            .flatten();
        let owner = owners.len();
        owners.push(Owner {
            person,
            customer_value,
            reviews: reviews
                .get(person.id.as_str())
                .map_or(&[][..], Vec::as_slice),
            platforms: profiled.iter().map(|(p, _)| *p).collect(),
        });
        for &(_, i) in profiled {
            matched[i] = true;
            plan.push((Some(owner), i));
        }
    }
    plan.extend(
        (0..profiles.len())
            .filter(|i| !matched[*i])
            .map(|i| (None, i)),
    );

    let brand_unnamed = BrandMatcher::new(brand).is_empty();
    let mut rows: Vec<Candidate> = plan
        .par_iter()
        .map(|&(owner, i)| {
            let owner = owner.map(|o| &owners[o]);
            row(owner, &profiles[i], &measures[i], brand, brand_unnamed)
        })
        .collect();
    // Unstable is enough (the order is total) and sorts in place, with no buffer.
    rows.par_sort_unstable_by(Candidate::ranking_cmp);
    for (i, c) in rows.iter_mut().enumerate() {
        c.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    rows
}

fn row(
    owner: Option<&Owner<'_>>,
    profile: &Profile,
    m: &ProfileMeasure,
    brand: &BrandConfig,
    brand_unnamed: bool,
) -> Candidate {
    let love: BrandLove = m.love.with_reviews(owner.map_or(&[][..], |o| o.reviews));
    let customer_value = owner.and_then(|o| o.customer_value);
    let is_employee = owner.is_some_and(|o| o.person.source() == PersonSource::Employee);
    let brand_love_known = (!brand_unnamed).then_some(&love);
    let fit_score = if is_employee {
        advocacy_fit(&Advocacy {
            followers: profile.followers,
            er_index: m.er_index,
            posts_per_week: m.engagement.posts_per_week,
            platforms: owner.map_or(&[][..], |o| o.platforms.as_slice()),
            authenticity: m.authenticity.score,
            love: brand_love_known,
        })
    } else {
        fit(
            &Components {
                band: m.band,
                er_index: m.er_index,
                authenticity: m.authenticity.score,
                affinity: m.affinity,
                brand_love: brand_love_known,
                customer_value,
            },
            &brand.weights,
        )
    };
    let mut explanation = explain(&Explained {
        followers: profile.followers,
        band: m.band,
        engagement_rate: m.engagement.rate,
        er_index: m.er_index,
        per_view: m.index_per_view.then_some(m.engagement.per_view).flatten(),
        authenticity: &m.authenticity,
        categories: &m.categories,
        love: &love,
        customer_value,
    });
    if is_employee {
        explanation = format!(
            "employee advocate: {:.1} posts/week · {}",
            m.engagement.posts_per_week, explanation
        );
    }
    let name = match owner.map(|o| o.person.display_name()) {
        Some(n) if !n.is_empty() => n,
        _ => profile.display_name.clone().unwrap_or_default(),
    };
    Candidate {
        rank: 0,
        person_id: owner.map(|o| o.person.id.clone()),
        source: owner.map(|o| o.person.source()),
        name,
        platform: profile.platform,
        handle: profile.handle.clone(),
        followers: profile.followers,
        tier: m.band.map(Band::tier),
        engagement_rate: m.engagement.rate.map(|r| round(r, 6)),
        er_index: m.er_index.map(|x| round(x, 2)),
        authenticity: Some(round(m.authenticity.score, 1)),
        authenticity_flags: m
            .authenticity
            .flags
            .iter()
            .map(|f| f.name.to_owned())
            .collect(),
        categories: m.categories.iter().map(|c| c.name.to_owned()).collect(),
        brand_mentions: love.mentions,
        brand_sentiment: love.sentiment.map(|s| round(s, 1)),
        customer_value: customer_value.map(|v| round(v, 1)),
        fit_score: round(fit_score, 1),
        explanation,
    }
}

/// Rounds to `places` decimals, so stored and printed values agree on every backend.
pub fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::handle::Handle;
    use crate::record::Post;

    fn channel(platform: Platform, followers: u64) -> Profile {
        Profile {
            platform,
            handle: Handle::parse("maya.eats").unwrap(),
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
            fetched_at: Some(datetime!(2026-11-01 12:00 UTC)),
            follower_history: Vec::new(),
        }
    }

    fn video(i: u32, likes: u64, views: u64) -> Post {
        Post {
            platform: Platform::Youtube,
            handle: Handle::parse("maya.eats").unwrap(),
            post_id: format!("v{i}"),
            posted_at: Some(datetime!(2026-10-01 12:00 UTC) - time::Duration::days(i.into())),
            kind: None,
            caption: None,
            likes: Some(likes),
            comments: Some(10),
            shares: None,
            saves: None,
            views: Some(views),
            is_sponsored: None,
            comments_sample: Vec::new(),
        }
    }

    #[test]
    fn a_youtube_channel_is_indexed_per_view_and_says_so() {
        let brand = BrandConfig::named("Fernwood");
        let matcher = BrandMatcher::new(&brand);
        let now = datetime!(2026-11-26 00:00 UTC);
        // 20k subscribers; (190 + 10) ÷ 4,000 views = 5 % per view against 3.74 %.
        let profile = channel(Platform::Youtube, 20_000);
        let videos: Vec<Post> = (0..5).map(|i| video(i, 190, 4_000)).collect();
        let m = measure_profile(&profile, &videos, &brand, &matcher, now);
        let owners = Owners {
            people: &[],
            reviews: &[],
            purchases: &[],
            confirmations: &[],
        };
        let ranked = rank(&owners, &[profile], &[m], &brand);
        let c = &ranked[0];
        assert_eq!(c.er_index, Some(1.34));
        assert!(
            c.explanation
                .contains("ER 1.0% · 5.0% per view = 1.3× band"),
            "{}",
            c.explanation
        );
        // Without views there is nothing to compare.
        let profile = channel(Platform::Youtube, 20_000);
        let blind: Vec<Post> = (0..5)
            .map(|i| Post {
                views: None,
                ..video(i, 190, 0)
            })
            .collect();
        let m = measure_profile(&profile, &blind, &brand, &matcher, now);
        let c = &rank(&owners, &[profile], &[m], &brand)[0];
        assert_eq!(c.er_index, None);
        assert!(
            c.explanation.contains("(no benchmark)"),
            "{}",
            c.explanation
        );
    }
}
