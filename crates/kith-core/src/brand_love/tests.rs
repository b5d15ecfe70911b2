//! Specifications of mention matching and brand love.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;

fn brand() -> BrandConfig {
    let mut b = BrandConfig::named("Fernwood");
    b.handles.instagram = Some("@fernwoodcoffee".into());
    b.hashtags = vec!["#fernwoodmornings".into()];
    b.keywords = vec![
        "Fernwood".into(),
        "Morning Ritual".into(),
        "Café Noir".into(),
    ];
    b.competitors = vec!["Fernwood Farms".into(), "@rivalroasters".into()];
    b
}

fn matcher() -> BrandMatcher {
    BrandMatcher::new(&brand())
}

#[test]
fn handles_hashtags_and_keywords_are_mentions() {
    let m = matcher();
    assert!(m.mentions("thanks @FernwoodCoffee!"));
    assert!(m.mentions("#fernwoodmornings again"));
    assert!(m.mentions("two bags of morning ritual"));
}

#[test]
fn possessives_and_plurals_are_mentions() {
    let m = matcher();
    assert!(m.mentions("Fernwood's new roast"));
    assert!(m.mentions("Fernwood’s new roast"));
    assert!(m.mentions("all the Fernwoods in town"));
    assert!(m.mentions("the Fernwoods' cups"));
    assert!(m.mentions("two Morning Rituals please"));
}

#[test]
fn case_and_accents_do_not_matter() {
    let m = matcher();
    assert!(m.mentions("FERNWOOD forever"));
    assert!(m.mentions("a cafe noir to start"));
    assert!(m.mentions("un CAFÉ NOIR"));
}

#[test]
fn a_multi_word_keyword_run_together_in_a_hashtag_is_a_mention() {
    assert!(matcher().mentions("#MorningRitual vibes"));
    assert!(!matcher().mentions("morningritual vibes"));
}

#[test]
fn words_that_merely_contain_the_name_are_not_mentions() {
    let m = matcher();
    assert!(!m.mentions("fernwoodland walk"));
    assert!(!m.mentions("a morning walk"));
    assert!(!m.mentions("#fernwoodlove"));
}

#[test]
fn competitors_are_not_brand_mentions_even_when_they_contain_the_name() {
    let m = matcher();
    assert!(!m.mentions("Fernwood Farms has the best beans"));
    assert!(!m.mentions("@rivalroasters all day"));
    assert!(m.mentions("Fernwood Farms? no, Fernwood!"));
}

#[test]
fn other_accounts_and_competitors_are_found_as_others() {
    let text = "@fernwoodcoffee beats Fernwood Farms and @someone";
    let found = matcher().find(text);
    let subjects: Vec<(&str, Subject)> = found
        .iter()
        .map(|m| (&text[m.span.clone()], m.subject))
        .collect();
    assert_eq!(
        subjects,
        [
            ("fernwoodcoffee", Subject::Brand),
            ("Fernwood Farms", Subject::Other),
            ("someone", Subject::Other),
        ]
    );
}

#[test]
fn sentiment_targets_what_is_said_about_the_brand() {
    let m = matcher();
    let a = m
        .sentiment("@rivalroasters was amazing, @fernwoodcoffee was slow and rude")
        .unwrap();
    assert_eq!(a.polarity, Polarity::Negative);
    let a = m
        .sentiment("@rivalroasters was slow and rude, @fernwoodcoffee was amazing")
        .unwrap();
    assert_eq!(a.polarity, Polarity::Positive);
}

#[test]
fn a_text_without_the_brand_has_no_brand_sentiment() {
    assert_eq!(matcher().sentiment("great coffee at @rivalroasters"), None);
}

fn post(caption: &str) -> Post {
    serde_json::from_value(serde_json::json!({
        "platform": "instagram",
        "handle": "someone",
        "post_id": "p1",
        "caption": caption,
    }))
    .unwrap()
}

fn review(rating: u8, body: Option<&str>) -> Review {
    serde_json::from_value(serde_json::json!({
        "id": "r1",
        "person_id": "c1",
        "rating": rating,
        "body": body,
    }))
    .unwrap()
}

#[test]
fn brand_love_counts_mentions_by_polarity() {
    let posts = [
        post("obsessed with @fernwoodcoffee 😍"),
        post("@fernwoodcoffee still waiting for my order"),
        post("picked up Fernwood today"),
        post("nothing to do with coffee"),
    ];
    let refs: Vec<&Post> = posts.iter().collect();
    let love = brand_love(&matcher(), &refs, &[]);
    assert_eq!(love.mentions, 3);
    assert_eq!(love.positive_posts, 1);
    assert_eq!(love.negative_posts, 1);
    assert!(love.sentiment.is_some());
}

#[test]
fn sentiment_is_absent_without_mentions_or_reviews() {
    let posts = [post("nothing to do with coffee")];
    let refs: Vec<&Post> = posts.iter().collect();
    assert_eq!(brand_love(&matcher(), &refs, &[]).sentiment, None);
}

#[test]
fn stars_decide_a_review_and_text_refines_it() {
    assert_eq!(review_score(&review(5, None)), 1.0);
    assert_eq!(review_score(&review(1, None)), -1.0);
    assert_eq!(review_score(&review(3, None)), 0.0);
    let praised = review_score(&review(4, Some("love it")));
    let panned = review_score(&review(4, Some("awful")));
    assert!(praised > 0.5 && panned > 0.0 && panned < praised);
}

#[test]
fn reviews_count_without_posts() {
    let r = [review(5, Some("best coffee ever")), review(2, None)];
    let refs: Vec<&Review> = r.iter().collect();
    let love = brand_love(&matcher(), &[], &refs);
    assert_eq!(love.reviews, 2);
    assert_eq!(love.mean_rating, Some(3.5));
}

proptest! {
    #[test]
    fn brand_sentiment_stays_within_range(
        captions in prop::collection::vec(".{0,80}", 0..6),
        ratings in prop::collection::vec(1u8..=5, 0..4),
    ) {
        let posts: Vec<Post> = captions.iter().map(|c| post(&format!("{c} @fernwoodcoffee"))).collect();
        let refs: Vec<&Post> = posts.iter().collect();
        let reviews: Vec<Review> = ratings.iter().map(|r| review(*r, Some("ok"))).collect();
        let review_refs: Vec<&Review> = reviews.iter().collect();
        let love = brand_love(&matcher(), &refs, &review_refs);
        if let Some(s) = love.sentiment {
            prop_assert!((-100.0..=100.0).contains(&s));
        }
        prop_assert!(love.positive_posts + love.negative_posts <= love.mentions);
    }

    #[test]
    fn finding_mentions_never_panics_and_spans_are_in_the_text(text in any::<String>()) {
        for m in matcher().find(&text) {
            prop_assert!(text.get(m.span.clone()).is_some());
        }
    }
}

proptest! {
    /// The quick test on a lowered caption never turns away a caption that mentions
    /// the brand, in any case.
    #[test]
    fn the_lowercase_quick_test_keeps_every_mention(
        before in "[ -~]{0,30}",
        term in prop::sample::select(vec![
            "Fernwood Coffee", "FERNWOOD", "#fernwoodcoffee", "@FernwoodCoffee", "morning ritual",
            "fernwood's", "Fernwoods", "Fernwood Farms", "fern wood",
        ]),
        after in "[ -~]{0,30}",
    ) {
        let m = matcher();
        let text = format!("{before}{term}{after}");
        let quick = crate::words::with_lowercase(&text, |lower| m.may_mention_lowercase(lower));
        if m.mentions(&text) {
            prop_assert!(quick, "{}", text);
        }
        prop_assert_eq!(quick, m.may_mention(&text), "{}", text);
    }
}
