//! Scoring a brand's population into ranked candidates, with an explanation per row.
//!
//! One row per (person, platform) for people whose declared handles have a profile, and
//! one per profile that no person declared. Each profile is measured once; the person's
//! purchases and reviews are added to the rows that person owns.

use std::collections::{BTreeMap, HashMap};

use time::OffsetDateTime;

use crate::authenticity::{Authenticity, authenticity};
use crate::benchmark::benchmark;
use crate::brand::BrandConfig;
use crate::brand_love::{BrandLove, BrandMatcher, brand_love};
use crate::candidate::Candidate;
use crate::category::{CategoryScore, affinity, categories};
use crate::customer_value::SpendRanking;
use crate::engagement::{Engagement, engagement};
use crate::handle::{Handle, Platform};
use crate::money::Money;
use crate::population::{Population, ProfilePosts};
use crate::record::{Person, PersonSource, Review};
use crate::tier::Band;

/// What one profile measures, before any person is attached.
#[derive(Debug, Clone)]
struct ProfileScore {
    band: Option<Band>,
    engagement: Engagement,
    er_index: Option<f64>,
    authenticity: Authenticity,
    categories: Vec<CategoryScore>,
    affinity: Option<f64>,
}

fn measure(item: &ProfilePosts, brand: &BrandConfig, now: OffsetDateTime) -> ProfileScore {
    let profile = &item.profile;
    let band = profile.followers.map(|f| brand.tiers.band(f));
    let engagement = engagement(profile, &item.posts, now);
    let bench = band
        .and_then(|b| benchmark(profile.platform, b))
        .map(|b| b.rate);
    let er_index = engagement.rate.zip(bench).map(|(er, b)| er / b);
    let authenticity = authenticity(profile, &item.posts, &engagement, bench);
    let texts = profile
        .bio
        .as_deref()
        .into_iter()
        .chain(item.posts.iter().filter_map(|p| p.caption.as_deref()));
    let categories = categories(texts);
    let affinity = affinity(&categories, &brand.target_categories);
    ProfileScore {
        band,
        engagement,
        er_index,
        authenticity,
        categories,
        affinity,
    }
}

/// Scores everyone and returns candidates ranked best first. `now` stands in for a
/// profile's fetch time when it has none.
pub fn score_population(
    pop: &Population,
    brand: &BrandConfig,
    now: OffsetDateTime,
) -> Vec<Candidate> {
    let matcher = BrandMatcher::new(brand);
    let by_key: HashMap<(Platform, &Handle), usize> = pop
        .profiles
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.profile.platform, &p.profile.handle), i))
        .collect();
    let measured: Vec<ProfileScore> = pop
        .profiles
        .iter()
        .map(|p| measure(p, brand, now))
        .collect();

    let purchases: HashMap<&str, (u32, Money)> = pop
        .purchases
        .iter()
        .map(|p| (p.person_id.as_str(), (p.orders, p.spent)))
        .collect();
    let spend_of = |person: &Person| -> Money {
        let declared = person.total_spent.unwrap_or(Money::ZERO);
        let ordered = purchases
            .get(person.id.as_str())
            .map_or(Money::ZERO, |p| p.1);
        declared.max(ordered)
    };
    let ranking = SpendRanking::new(
        pop.people
            .iter()
            .filter(|p| p.source() == PersonSource::Customer)
            .map(spend_of),
    );
    let mut reviews: BTreeMap<&str, Vec<&Review>> = BTreeMap::new();
    for review in &pop.reviews {
        if let Some(id) = review.person_id.as_deref() {
            reviews.entry(id).or_default().push(review);
        }
    }

    let mut matched = vec![false; pop.profiles.len()];
    let mut rows = Vec::new();
    for person in &pop.people {
        let customer_value = (person.source() == PersonSource::Customer)
            .then(|| ranking.percentile(spend_of(person)))
            .flatten();
        let person_reviews = reviews
            .get(person.id.as_str())
            .map_or(&[][..], Vec::as_slice);
        for (platform, handle) in person.handles.iter() {
            let Some(&i) = by_key.get(&(platform, handle)) else {
                continue;
            };
            matched[i] = true;
            let posts: Vec<_> = pop.profiles[i].posts.iter().collect();
            let love = brand_love(&matcher, &posts, person_reviews);
            let name = match person.display_name() {
                n if n.is_empty() => display_name(&pop.profiles[i]),
                n => n,
            };
            rows.push(row(
                Some(person),
                name,
                &pop.profiles[i],
                &measured[i],
                &love,
                customer_value,
                brand,
                &matcher,
            ));
        }
    }
    for (i, item) in pop.profiles.iter().enumerate() {
        if matched[i] {
            continue;
        }
        let posts: Vec<_> = item.posts.iter().collect();
        let love = brand_love(&matcher, &posts, &[]);
        rows.push(row(
            None,
            display_name(item),
            item,
            &measured[i],
            &love,
            None,
            brand,
            &matcher,
        ));
    }
    rows.sort_by(Candidate::ranking_cmp);
    for (i, c) in rows.iter_mut().enumerate() {
        c.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    rows
}

fn display_name(item: &ProfilePosts) -> String {
    item.profile.display_name.clone().unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
fn row(
    person: Option<&Person>,
    name: String,
    item: &ProfilePosts,
    m: &ProfileScore,
    love: &BrandLove,
    customer_value: Option<f64>,
    brand: &BrandConfig,
    matcher: &BrandMatcher,
) -> Candidate {
    let fit = crate::fit::fit(
        &crate::fit::Components {
            band: m.band,
            er_index: m.er_index,
            authenticity: m.authenticity.score,
            affinity: m.affinity,
            brand_love: (!matcher.is_empty()).then_some(love),
            customer_value,
        },
        &brand.weights,
    );
    let explanation = crate::fit::explain(&crate::fit::Explained {
        followers: item.profile.followers,
        band: m.band,
        engagement_rate: m.engagement.rate,
        er_index: m.er_index,
        authenticity: &m.authenticity,
        categories: &m.categories,
        love,
        customer_value,
    });
    Candidate {
        rank: 0,
        person_id: person.map(|p| p.id.clone()),
        source: person.map(Person::source),
        name,
        platform: item.profile.platform,
        handle: item.profile.handle.clone(),
        followers: item.profile.followers,
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
        fit_score: round(fit, 1),
        explanation,
    }
}

/// Rounds to `places` decimals, so stored and printed values agree on every backend.
pub fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}
