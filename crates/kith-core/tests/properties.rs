use kith_core::record::{FollowerPoint, Handles};
use kith_core::{
    BrandConfig, Handle, Person, PersonSource, Platform, Population, Post, Profile, ProfilePosts,
    score_population,
};
use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const FETCHED: OffsetDateTime = datetime!(2026-11-01 12:00 UTC);

fn brand() -> BrandConfig {
    let mut b = BrandConfig::named("Fernwood");
    b.handles.instagram = Some("@fernwood".into());
    b.keywords = vec!["Fernwood".into()];
    b.target_categories = vec!["food & drink".into()];
    b
}

const CAPTIONS: &[&str] = &[
    "morning coffee ritual #latteart",
    "love @fernwood so much 😍",
    "@fernwood shipping was slow, never again",
    "trail run before work #hiking",
    "new recipe: #plantbasedrecipes",
    "",
    "nice pic",
];

prop_compose! {
    fn post(platform: Platform, handle: Handle, n: usize)(
        days in 0i64..400,
        likes in 0u64..100_000,
        comments in 0u64..5_000,
        caption in 0usize..CAPTIONS.len(),
        generic in any::<bool>(),
    ) -> Post {
        Post {
            platform,
            handle: handle.clone(),
            post_id: format!("{handle}-{n}"),
            posted_at: Some(FETCHED - Duration::days(days)),
            kind: None,
            caption: Some(CAPTIONS[caption].to_owned()),
            likes: Some(likes),
            comments: Some(comments),
            shares: None,
            saves: None,
            views: None,
            is_sponsored: None,
            comments_sample: if generic { vec!["🔥🔥".into(); 6] } else { vec![] },
        }
    }
}

fn profile_posts(i: usize) -> impl Strategy<Value = ProfilePosts> {
    (
        0usize..4,
        0u64..3_000_000,
        0u64..8_000,
        any::<bool>(),
        proptest::option::of(0u64..500_000),
        0usize..15,
    )
        .prop_flat_map(move |(p, followers, following, pic, earlier, n_posts)| {
            let platform = Platform::ALL[p];
            let handle = Handle::parse(&format!("creator{i}")).unwrap();
            let posts = (0..n_posts)
                .map(|n| post(platform, handle.clone(), n))
                .collect::<Vec<_>>();
            (
                Just((platform, handle, followers, following, pic, earlier)),
                posts,
            )
        })
        .prop_map(
            |((platform, handle, followers, following, pic, earlier), posts)| ProfilePosts {
                profile: Profile {
                    platform,
                    handle,
                    user_id: None,
                    display_name: None,
                    bio: Some("coffee and trails".into()),
                    followers: Some(followers),
                    following: Some(following),
                    posts_count: None,
                    is_verified: None,
                    is_private: None,
                    has_profile_pic: Some(pic),
                    external_url: None,
                    fetched_at: Some(FETCHED),
                    follower_history: earlier
                        .map(|e| {
                            vec![
                                FollowerPoint {
                                    date: FETCHED.date() - Duration::days(60),
                                    followers: e,
                                },
                                FollowerPoint {
                                    date: FETCHED.date(),
                                    followers,
                                },
                            ]
                        })
                        .unwrap_or_default(),
                },
                posts,
            },
        )
}

fn population() -> impl Strategy<Value = Population> {
    (1usize..12)
        .prop_flat_map(|n| (0..n).map(profile_posts).collect::<Vec<_>>())
        .prop_map(|profiles| {
            // Every other profile belongs to a person; the rest are unmatched.
            let people = profiles
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 2 == 0)
                .map(|(i, p)| {
                    let mut handles = Handles::default();
                    match p.profile.platform {
                        Platform::Instagram => handles.instagram = Some(p.profile.handle.clone()),
                        Platform::Tiktok => handles.tiktok = Some(p.profile.handle.clone()),
                        Platform::Youtube => handles.youtube = Some(p.profile.handle.clone()),
                        Platform::X => handles.x = Some(p.profile.handle.clone()),
                    }
                    Person {
                        id: format!("P{i:03}"),
                        source: Some(if i % 4 == 0 {
                            PersonSource::Customer
                        } else {
                            PersonSource::Employee
                        }),
                        total_spent: Some(kith_core::Money::from_minor(i as i64 * 1_000)),
                        handles,
                        ..Person::default()
                    }
                })
                .collect();
            Population {
                people,
                profiles,
                ..Population::default()
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_score_stays_in_its_range(pop in population()) {
        for c in score_population(&pop, &brand(), FETCHED) {
            prop_assert!((0.0..=100.0).contains(&c.fit_score), "fit {}", c.fit_score);
            let auth = c.authenticity.unwrap();
            prop_assert!((0.0..=100.0).contains(&auth), "authenticity {auth}");
            if let Some(er) = c.engagement_rate { prop_assert!(er >= 0.0 && er.is_finite()); }
            if let Some(idx) = c.er_index { prop_assert!(idx >= 0.0 && idx.is_finite()); }
            if let Some(s) = c.brand_sentiment { prop_assert!((-100.0..=100.0).contains(&s)); }
            if let Some(v) = c.customer_value { prop_assert!((0.0..=100.0).contains(&v)); }
        }
    }

    #[test]
    fn ranking_does_not_depend_on_input_order(pop in population(), seed in any::<u64>()) {
        let first = score_population(&pop, &brand(), FETCHED);
        let mut shuffled = pop.clone();
        // A deterministic shuffle driven by the seed.
        let n = shuffled.profiles.len();
        for i in (1..n).rev() {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % (i as u64 + 1)) as usize;
            shuffled.profiles.swap(i, j);
        }
        shuffled.people.reverse();
        for p in &mut shuffled.profiles { p.posts.reverse(); }
        let second = score_population(&shuffled, &brand(), FETCHED);
        prop_assert_eq!(first, second);
    }

    #[test]
    fn ranks_run_from_one_in_fit_order(pop in population()) {
        let rows = score_population(&pop, &brand(), FETCHED);
        for (i, c) in rows.iter().enumerate() {
            prop_assert_eq!(c.rank as usize, i + 1);
        }
        prop_assert!(rows.windows(2).all(|w| w[0].fit_score >= w[1].fit_score));
    }
}
