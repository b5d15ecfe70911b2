//! The model as a whole: archetypes, explanation snapshots and the invariants that must
//! hold for any input — range, monotonicity in every fraud signal, determinism.

use proptest::prelude::*;
use time::macros::{date, datetime};
use time::{Date, Duration};

use super::*;
use crate::handle::{Handle, Platform};
use crate::record::FollowerPoint;
use crate::record::Post;

fn creator() -> Profile {
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
        fetched_at: Some(datetime!(2026-11-01 12:00 UTC)),
        follower_history: Vec::new(),
    }
}

fn post(n: usize, likes: u64, comments: u64, sample: &[&str]) -> Post {
    Post {
        platform: Platform::Instagram,
        handle: Handle::parse("maya.eats").unwrap(),
        post_id: format!("p{n}"),
        posted_at: Some(datetime!(2026-11-01 12:00 UTC) - Duration::days(3 * n as i64)),
        kind: None,
        caption: None,
        likes: Some(likes),
        comments: Some(comments),
        shares: None,
        saves: None,
        views: None,
        is_sponsored: None,
        comments_sample: sample.iter().map(|s| (*s).to_owned()).collect(),
    }
}

fn engaged(rate: f64) -> Engagement {
    Engagement {
        rate: Some(rate),
        mean: Some(rate),
        posts_used: 12,
        posts_per_week: 1.5,
        per_view: None,
    }
}

fn names(a: &Authenticity) -> Vec<&'static str> {
    a.flags.iter().map(|f| f.name).collect()
}

fn bot() -> Profile {
    let mut p = creator();
    p.handle = Handle::parse("user84736251").unwrap();
    p.display_name = Some("user84736251".into());
    p.bio = Some(String::new());
    p.has_profile_pic = Some(false);
    p.followers = Some(45);
    p.following = Some(4_000);
    p.posts_count = Some(1);
    p
}

fn history(points: &[(Date, u64)]) -> Vec<FollowerPoint> {
    points
        .iter()
        .map(|(date, followers)| FollowerPoint {
            date: *date,
            followers: *followers,
        })
        .collect()
}

#[test]
fn a_plain_genuine_profile_scores_the_ceiling_without_flags() {
    let a = authenticity(
        &creator(),
        &[] as &[Post],
        &Engagement::default(),
        Some(0.04),
    );
    assert_eq!(a.score, a.ceiling);
    assert!(a.flags.is_empty() && a.minor == 0.0);
    assert!(a.ceiling > 95.0, "{}", a.ceiling);
    assert!(!a.is_suspicious());
}

#[test]
fn a_bot_shaped_profile_is_suspicious_from_profile_fields_alone() {
    let a = authenticity(&bot(), &[] as &[Post], &Engagement::default(), None);
    assert!(a.is_suspicious(), "{}", a.explain());
    for flag in [
        "few_followers",
        "follow_ratio",
        "few_posts",
        "no_profile_pic",
    ] {
        assert!(names(&a).contains(&flag), "{flag} missing: {}", a.explain());
    }
}

#[test]
fn flag_points_add_up_to_the_drop_from_the_ceiling() {
    let a = authenticity(&bot(), &[] as &[Post], &Engagement::default(), None);
    let taken: f64 = a.flags.iter().map(|f| f.penalty).sum::<f64>() + a.minor;
    assert!((a.ceiling - taken - a.score).abs() < 1e-9);
    assert!(a.flags.windows(2).all(|w| w[0].penalty >= w[1].penalty));
}

#[test]
fn bought_followers_show_in_engagement_and_history_even_on_a_tidy_profile() {
    let mut p = creator();
    p.followers = Some(48_000);
    p.follower_history = history(&[
        (date!(2026 - 08 - 01), 2_100),
        (date!(2026 - 09 - 01), 51_000),
        (date!(2026 - 10 - 01), 48_000),
    ]);
    let posts: Vec<Post> = (0..12).map(|n| post(n, 120, 4, &[])).collect();
    let a = authenticity(&p, &posts, &engaged(0.0026), Some(0.0237));
    assert!(a.is_suspicious(), "{}", a.explain());
    assert_eq!(names(&a)[..2], ["low_engagement", "follower_spike"]);
}

#[test]
fn an_engagement_pod_shows_in_rate_proportion_and_comments() {
    let sample = [
        "🔥🔥🔥",
        "great post",
        "so cute",
        "amazing",
        "wow",
        "Love it 😍",
    ];
    let posts: Vec<Post> = (0..12).map(|n| post(n, 1_300, 400, &sample)).collect();
    let a = authenticity(&creator(), &posts, &engaged(0.34), Some(0.04));
    assert!(a.is_suspicious(), "{}", a.explain());
    let flagged = names(&a);
    for flag in ["high_engagement", "generic_comments", "like_comment_ratio"] {
        assert!(flagged.contains(&flag), "{flag} missing: {}", a.explain());
    }
}

#[test]
fn a_weight_learned_negative_cannot_raise_a_score() {
    let mut model = Model::SHIPPED;
    model.weights = [-5.0; FEATURES];
    let a = model.judge(&bot(), &[] as &[Post], &Engagement::default(), None);
    assert_eq!(a.score, a.ceiling);
}

#[test]
fn explanation_of_a_bot_judged_from_profile_fields() {
    let a = authenticity(&bot(), &[] as &[Post], &Engagement::default(), None);
    insta::assert_snapshot!(a.explain());
}

#[test]
fn explanation_of_a_genuine_creator_with_posts() {
    let sample = [
        "where is this?",
        "recipe please!!",
        "so good",
        "miss you",
        "🔥",
    ];
    let posts: Vec<Post> = (0..12).map(|n| post(n, 190, 6, &sample)).collect();
    let a = authenticity(&creator(), &posts, &engaged(0.04), Some(0.04));
    insta::assert_snapshot!(a.explain());
}

#[test]
fn explanation_of_a_new_account_judged_from_profile_fields() {
    let mut p = creator();
    p.followers = Some(60);
    p.following = Some(310);
    p.posts_count = Some(4);
    p.bio = Some(String::new());
    let a = authenticity(&p, &[] as &[Post], &Engagement::default(), None);
    insta::assert_snapshot!(a.explain());
}

#[test]
fn explanation_of_bought_followers() {
    let mut p = creator();
    p.followers = Some(48_000);
    p.following = Some(3_200);
    p.follower_history = history(&[
        (date!(2026 - 08 - 01), 2_100),
        (date!(2026 - 09 - 01), 51_000),
    ]);
    let posts: Vec<Post> = (0..12).map(|n| post(n, 120, 4, &[])).collect();
    let a = authenticity(&p, &posts, &engaged(0.0026), Some(0.0237));
    insta::assert_snapshot!(a.explain());
}

// ---------------------------------------------------------------------------------------
// Properties.

const COMMENTS: &[&str] = &[
    "🔥🔥",
    "nice pic",
    "great post!",
    "where did you get that mug?",
    "miss you!!",
    "recipe please",
    "",
];

prop_compose! {
    fn any_post(n: usize)(
        likes in proptest::option::of(0u64..200_000),
        comments in proptest::option::of(0u64..20_000),
        days in 0i64..400,
        sample in proptest::collection::vec(0usize..COMMENTS.len(), 0..8),
    ) -> Post {
        let mut p = post(n, 0, 0, &[]);
        p.likes = likes;
        p.comments = comments;
        p.posted_at = Some(datetime!(2026-11-01 12:00 UTC) - Duration::days(days));
        p.comments_sample = sample.into_iter().map(|i| COMMENTS[i].to_owned()).collect();
        p
    }
}

prop_compose! {
    fn any_profile()(
        handle in "[a-z0-9._]{1,24}",
        display_name in proptest::option::of("[A-Za-z0-9 ._]{0,24}"),
        bio in proptest::option::of("[a-z ]{0,40}"),
        followers in proptest::option::of(0u64..20_000_000),
        following in proptest::option::of(0u64..12_000),
        posts_count in proptest::option::of(0u64..10_000),
        has_profile_pic in proptest::option::of(any::<bool>()),
        is_private in proptest::option::of(any::<bool>()),
        points in proptest::collection::vec((0i64..720, 0u64..2_000_000), 0..8),
    ) -> Profile {
        let mut p = creator();
        p.handle = Handle::parse(&handle).unwrap();
        p.display_name = display_name;
        p.bio = bio;
        p.followers = followers;
        p.following = following;
        p.posts_count = posts_count;
        p.has_profile_pic = has_profile_pic;
        p.is_private = is_private;
        p.follower_history = points
            .into_iter()
            .map(|(d, f)| FollowerPoint { date: date!(2026 - 11 - 01) - Duration::days(d), followers: f })
            .collect();
        p
    }
}

prop_compose! {
    fn any_engagement()(
        rate in proptest::option::of(0.0f64..2.0),
        posts_used in 0usize..13,
        posts_per_week in prop_oneof![Just(0.0), 0.0f64..5.0],
    ) -> Engagement {
        Engagement { rate, mean: rate, posts_used, posts_per_week, per_view: None }
    }
}

/// A profile, its posts, its engagement and its band's benchmark.
type Case = (Profile, Vec<Post>, Engagement, Option<f64>);

fn any_case() -> impl Strategy<Value = Case> {
    (
        any_profile(),
        proptest::collection::vec(any_post(0), 0..12),
        any_engagement(),
        proptest::option::of(0.005f64..0.1),
    )
        .prop_map(|(p, mut posts, e, b)| {
            for (n, post) in posts.iter_mut().enumerate() {
                post.post_id = format!("p{n}");
            }
            (p, posts, e, b)
        })
}

/// One piece of added evidence of fraud.
#[derive(Debug, Clone)]
enum Fraud {
    MoreFollowing(u64),
    FewerFollowers(f64),
    FewerPosts(f64),
    NoBio,
    NoPicture,
    DigitInHandle(usize),
    NameIsHandle,
    DigitsInName,
    EngagementFurtherFromBand(f64),
    LikesAndCommentsFurtherApart(f64),
    GenericComments(usize),
    FollowerSpike(f64),
    Dormant,
}

fn any_fraud() -> impl Strategy<Value = Fraud> {
    prop_oneof![
        (1u64..10_000).prop_map(Fraud::MoreFollowing),
        (0.0f64..1.0).prop_map(Fraud::FewerFollowers),
        (0.0f64..1.0).prop_map(Fraud::FewerPosts),
        Just(Fraud::NoBio),
        Just(Fraud::NoPicture),
        (0usize..30).prop_map(Fraud::DigitInHandle),
        Just(Fraud::NameIsHandle),
        Just(Fraud::DigitsInName),
        (1.0f64..50.0).prop_map(Fraud::EngagementFurtherFromBand),
        (1.0f64..50.0).prop_map(Fraud::LikesAndCommentsFurtherApart),
        (1usize..10).prop_map(Fraud::GenericComments),
        (1.3f64..30.0).prop_map(Fraud::FollowerSpike),
        Just(Fraud::Dormant),
    ]
}

fn scale(n: Option<u64>, by: f64) -> Option<u64> {
    n.map(|n| (n as f64 * by) as u64)
}

fn has_digit(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
}

fn folded(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Adds the evidence. Moves that would also remove other evidence on the same field are
/// left out (renaming a display name full of digits to the handle swaps one signal for
/// another); they are not additions.
fn commit(fraud: &Fraud, case: &mut Case) {
    let (p, posts, e, bench) = case;
    match fraud {
        Fraud::MoreFollowing(k) => p.following = Some(p.following.unwrap_or(0) + k),
        Fraud::FewerFollowers(by) => p.followers = scale(p.followers, *by),
        Fraud::FewerPosts(by) => p.posts_count = scale(p.posts_count, *by),
        Fraud::NoBio => p.bio = Some(String::new()),
        Fraud::NoPicture => p.has_profile_pic = Some(false),
        Fraud::DigitInHandle(at) => {
            let mut chars: Vec<char> = p.handle.as_str().chars().collect();
            match chars.get_mut(*at) {
                Some(c) => *c = '7',
                None => chars.push('7'),
            }
            let text: String = chars.into_iter().collect();
            let name_matched = p
                .display_name
                .as_deref()
                .is_some_and(|n| !folded(n).is_empty() && folded(n) == folded(p.handle.as_str()));
            if !name_matched {
                p.handle = Handle::parse(&text).unwrap();
            }
        }
        Fraud::NameIsHandle => {
            if !p.display_name.as_deref().is_some_and(has_digit) {
                p.display_name = Some(p.handle.as_str().to_owned());
            }
        }
        Fraud::DigitsInName => {
            let name = p.display_name.clone().unwrap_or_default();
            let matched = !folded(&name).is_empty() && folded(&name) == folded(p.handle.as_str());
            if !matched {
                p.display_name = Some(format!("{name}2000"));
            }
        }
        Fraud::EngagementFurtherFromBand(by) => {
            if let (Some(rate), Some(b)) = (e.rate, *bench) {
                e.rate = Some(if rate <= b { rate / by } else { rate * by });
            }
        }
        Fraud::LikesAndCommentsFurtherApart(by) => {
            let likes: u64 = posts.iter().filter_map(|p| p.likes).sum();
            let comments: u64 = posts.iter().filter_map(|p| p.comments).sum();
            // Away from the middle of the normal range (8–300 likes a comment).
            let centre = (8.0f64 * 300.0).sqrt();
            let more_likes = likes as f64 / comments.max(1) as f64 >= centre;
            for post in posts.iter_mut() {
                if more_likes {
                    post.likes = scale(post.likes, *by);
                } else {
                    post.comments = scale(post.comments, *by);
                }
            }
        }
        Fraud::GenericComments(n) => {
            if posts.is_empty() {
                let mut empty = post(99, 0, 0, &[]);
                empty.likes = None;
                empty.comments = None;
                posts.push(empty);
            }
            for _ in 0..*n {
                posts[0].comments_sample.push("😍😍".into());
            }
        }
        Fraud::FollowerSpike(by) => {
            let last = p
                .follower_history
                .iter()
                .map(|f| (f.date, f.followers))
                .max();
            let (date, followers) = last.unwrap_or((date!(2026 - 01 - 01), 1_000));
            p.follower_history.push(FollowerPoint {
                date: date + Duration::days(1),
                followers: (followers as f64 * by) as u64 + 501,
            });
        }
        Fraud::Dormant => e.posts_per_week = 0.0,
    }
}

fn judge(case: &Case) -> Authenticity {
    authenticity(&case.0, &case.1, &case.2, case.3)
}

proptest! {
    #[test]
    fn scores_stay_between_zero_and_one_hundred_and_are_never_nan(case in any_case()) {
        let a = judge(&case);
        prop_assert!((0.0..=100.0).contains(&a.score), "{}", a.score);
        prop_assert!(a.flags.iter().all(|f| f.penalty >= 0.0 && f.log_odds <= 0.0));
        let taken: f64 = a.flags.iter().map(|f| f.penalty).sum::<f64>() + a.minor;
        prop_assert!((a.ceiling - taken - a.score).abs() < 1e-6);
    }

    #[test]
    fn adding_a_fraud_signal_never_raises_authenticity(
        case in any_case(),
        fraud in any_fraud(),
    ) {
        let before = judge(&case);
        let mut after_case = case.clone();
        commit(&fraud, &mut after_case);
        let after = judge(&after_case);
        prop_assert!(
            after.score <= before.score + 1e-9,
            "{fraud:?} raised {} to {}", before.score, after.score
        );
    }

    #[test]
    fn piling_up_fraud_signals_never_raises_authenticity(
        case in any_case(),
        frauds in proptest::collection::vec(any_fraud(), 1..6),
    ) {
        let mut case = case;
        let mut last = judge(&case).score;
        for fraud in &frauds {
            commit(fraud, &mut case);
            let now = judge(&case).score;
            prop_assert!(now <= last + 1e-9, "{fraud:?} raised {last} to {now}");
            last = now;
        }
    }

    #[test]
    fn the_judgement_ignores_the_order_of_posts_and_history(
        case in any_case(),
        seed in any::<u64>(),
    ) {
        let mut shuffled = case.clone();
        let n = shuffled.1.len();
        if n > 1 {
            shuffled.1.rotate_left((seed as usize) % n);
            shuffled.1.reverse();
        }
        shuffled.0.follower_history.reverse();
        prop_assert_eq!(judge(&case), judge(&shuffled));
        prop_assert_eq!(judge(&case), judge(&case.clone()));
    }
}
