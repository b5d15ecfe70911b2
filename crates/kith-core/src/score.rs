//! Scoring a brand's population into ranked candidates, with an explanation per row.
//!
//! One row per (person, platform) for each profile identity resolution linked to a person,
//! and one per profile that nobody owns. Each profile is measured once, in parallel;
//! the person's purchases and reviews are added to the rows that person owns. Employees
//! are ranked by their fit as advocates, everyone else by their fit as creators.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use time::OffsetDateTime;

use crate::authenticity::{Authenticity, authenticity};
use crate::benchmark::benchmark;
use crate::brand::BrandConfig;
use crate::brand_love::{BrandLove, BrandMatcher, brand_love};
use crate::candidate::Candidate;
use crate::category::{CategoryScore, affinity, categories};
use crate::customer_value::SpendRanking;
use crate::engagement::{Engagement, engagement};
use crate::fit::{Advocacy, Components, Explained, advocacy_fit, explain, fit};
use crate::handle::{Handle, Platform};
use crate::identity::resolve;
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
    let by_key: HashMap<(Platform, &Handle), usize> = pop
        .profiles
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.profile.platform, &p.profile.handle), i))
        .collect();
    let measured: Vec<ProfileScore> = pop
        .profiles
        .par_iter()
        .map(|p| measure(p, brand, now))
        .collect();

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
    for review in &pop.reviews {
        if let Some(id) = review.person_id.as_deref() {
            reviews.entry(id).or_default().push(review);
        }
    }

    // Which rows to build: each person with the profiles identity resolution linked to
    // them, then the profiles nobody owns.
    let profiles: Vec<_> = pop.profiles.iter().map(|p| p.profile.clone()).collect();
    let resolution = resolve(&pop.people, &profiles, &pop.confirmations);
    let mut linked: BTreeMap<&str, Vec<(Platform, usize)>> = BTreeMap::new();
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
    let mut matched = vec![false; pop.profiles.len()];
    for person in &pop.people {
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
        (0..pop.profiles.len())
            .filter(|i| !matched[*i])
            .map(|i| (None, i)),
    );

    let mut rows: Vec<Candidate> = plan
        .par_iter()
        .map(|&(owner, i)| {
            let owner = owner.map(|o| &owners[o]);
            row(owner, &pop.profiles[i], &measured[i], brand, &matcher)
        })
        .collect();
    rows.sort_by(Candidate::ranking_cmp);
    for (i, c) in rows.iter_mut().enumerate() {
        c.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    rows
}

fn row(
    owner: Option<&Owner<'_>>,
    item: &ProfilePosts,
    m: &ProfileScore,
    brand: &BrandConfig,
    matcher: &BrandMatcher,
) -> Candidate {
    let posts: Vec<_> = item.posts.iter().collect();
    let love: BrandLove = brand_love(matcher, &posts, owner.map_or(&[][..], |o| o.reviews));
    let customer_value = owner.and_then(|o| o.customer_value);
    let is_employee = owner.is_some_and(|o| o.person.source() == PersonSource::Employee);
    let brand_love_known = (!matcher.is_empty()).then_some(&love);
    let fit_score = if is_employee {
        advocacy_fit(&Advocacy {
            followers: item.profile.followers,
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
        followers: item.profile.followers,
        band: m.band,
        engagement_rate: m.engagement.rate,
        er_index: m.er_index,
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
        _ => item.profile.display_name.clone().unwrap_or_default(),
    };
    Candidate {
        rank: 0,
        person_id: owner.map(|o| o.person.id.clone()),
        source: owner.map(|o| o.person.source()),
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
        fit_score: round(fit_score, 1),
        explanation,
    }
}

/// Rounds to `places` decimals, so stored and printed values agree on every backend.
pub fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}
