//! Specifications of the analyser as a whole: VADER's published examples, each rule,
//! targeting, the explanations people read, and invariants over any text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;

fn s(text: &str) -> f64 {
    sentiment(text)
}

fn close(text: &str, expected: f64) {
    let got = s(text);
    assert!(
        (got - expected).abs() < 0.002,
        "{text:?}: {got:.4}, VADER {expected}"
    );
}

// VADER's README examples (vaderSentiment 3.3.2) reproduce to three decimals.

#[test]
fn vader_examples_reproduce() {
    close("VADER is smart, handsome, and funny.", 0.8316);
    close("VADER is smart, handsome, and funny!", 0.8439);
    close("VADER is very smart, handsome, and funny.", 0.8545);
    close("VADER is VERY SMART, handsome, and FUNNY.", 0.9227);
    close("VADER is VERY SMART, handsome, and FUNNY!!!", 0.9342);
    close(
        "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
        0.9469,
    );
    close("The book was good.", 0.4404);
    close("At least it isn't a horrible book.", 0.431);
    close("The book was only kind of good.", 0.3832);
    close("Today SUX!", -0.5461);
    close("Make sure you :) or :D today!", 0.8633);
    close("Not bad at all", 0.431);
}

#[test]
fn vader_negates_a_list_with_nor() {
    assert!(s("VADER is not smart, handsome, nor funny.") < -0.5);
}

#[test]
fn contrast_shifts_weight_to_the_clause_after_but() {
    assert!(
        s("The plot was good, but the characters are uncompelling and the dialog is not great.")
            < -0.5
    );
    assert!(s("a bit pricey but I love it") > 0.5);
    assert!(s("love the taste but the price is awful and the service rude") < 0.0);
}

#[test]
fn a_sentence_opening_with_but_contrasts_with_the_one_before() {
    assert!(s("The packaging is lovely. But the coffee is awful.") < 0.0);
}

#[test]
fn negation_flips_and_damps() {
    let good = s("the coffee is good");
    let not_good = s("the coffee is not good");
    assert!(not_good < 0.0 && not_good.abs() < good);
    assert!(s("the coffee isn't bad at all") > 0.0);
    assert!(s("never so happy") > s("so happy"));
}

#[test]
fn negation_does_not_cross_a_sentence_end() {
    assert!(s("Not today. Great coffee.") > 0.4);
}

#[test]
fn boosters_strengthen_and_hedges_soften() {
    assert!(s("really good") > s("good"));
    assert!(s("kind of good") < s("good"));
    assert!(s("lowkey love this") < s("love this"));
    assert!(s("highkey love this") > s("love this"));
}

#[test]
fn capitals_and_exclamations_add_emphasis() {
    assert!(s("this is GREAT coffee") > s("this is great coffee"));
    assert!(s("great coffee!!!") > s("great coffee"));
}

#[test]
fn least_negates_except_in_at_least() {
    assert!(s("the least helpful shop") < 0.0);
    assert!(s("at least it is good") > 0.0);
}

#[test]
fn less_than_is_litotes() {
    assert!(s("staff were less than friendly") < 0.0);
}

#[test]
fn no_before_an_opinion_word_is_a_determiner() {
    assert!(s("no problems at all with my order") > 0.0);
    assert!(s("no") < 0.0);
}

#[test]
fn idioms_are_read_as_a_whole() {
    assert!(s("the new menu is to die for") > 0.5);
    assert!(s("the queue got out of hand") < 0.0);
    assert!(s("nice try") < 0.0);
}

#[test]
fn emoji_carry_the_ranking_s_sentiment() {
    assert!(s("new blend 😍") > 0.3);
    assert!(s("new blend 😡") < -0.3);
    assert!(s("new blend ✈️ ☕").abs() < 0.3);
}

#[test]
fn emoticons_count() {
    assert!(s("arrived today :)") > 0.3);
    assert!(s("arrived today :(") < -0.3);
    assert!(s("arrived today &lt;3") > 0.3);
}

#[test]
fn slang_reads_as_social_posts_mean_it() {
    assert!(s("this blend is fire 🔥") > 0.5);
    assert!(s("this sauce slaps") > 0.3);
    assert!(s("the sequel is mid") < 0.0);
    assert!(s("obsessed with the new roast") > 0.5);
    assert!(s("the app sucks") < -0.3);
    assert!(s("meh") < 0.0);
    assert!(s("ngl this is good") > 0.3);
    assert!(s("no cap this is good") > 0.3);
}

#[test]
fn elongated_words_are_recognised() {
    assert!(s("soooo goooood") > 0.4);
}

#[test]
fn complaints_without_opinion_words_are_negative() {
    assert!(s("still waiting for my order") < 0.0);
    assert!(s("on hold for 2 hours") < 0.0);
    assert!(s("my package never arrived") < 0.0);
    assert!(s("no one answers the phone") < 0.0);
    assert!(s("the app still doesn't work") < 0.0);
    assert!(s("where is my refund") < 0.0);
}

#[test]
fn a_problem_that_did_not_happen_is_not_praise() {
    assert_eq!(s("the delivery was not delayed"), 0.0);
}

#[test]
fn eagerness_is_not_a_complaint_about_waiting() {
    assert!(s("can't wait to try it") > 0.3);
}

#[test]
fn requests_are_not_praise() {
    assert_eq!(s("please help"), 0.0);
    assert!(s("that was helpful") > 0.0);
}

#[test]
fn praise_in_a_question_counts_half() {
    let asked = targeted("is the new blend good?", &[]).terms[0].valence;
    let said = targeted("the new blend is good.", &[]).terms[0].valence;
    assert!((asked - said / 2.0).abs() < 1e-9);
}

#[test]
fn thanks_beside_a_complaint_is_sarcasm() {
    assert!(s("thanks for keeping me on hold for an hour") < 0.0);
    assert!(s("thanks for the quick reply") > 0.0);
}

#[test]
fn like_is_liking_only_after_a_subject() {
    assert!(s("I like it") > 0.0);
    assert_eq!(s("feels like 3 years"), 0.0);
}

#[test]
fn capital_two_letter_codes_are_not_chat_abbreviations() {
    // VADER scores "nh" 2.2 and "po" −2.6; in capitals they are a state and a post office.
    assert_eq!(s("shipped from NH to the PO"), 0.0);
    assert!(s("OK thanks") > 0.0);
}

#[test]
fn accents_are_ignored_in_lookups() {
    assert_eq!(s("délicieux"), 0.0);
    assert!((s("ÁWESOME coffee") - s("AWESOME coffee")).abs() < 1e-12);
}

#[test]
fn text_without_opinion_words_scores_zero_and_is_neutral() {
    let a = analyse("picked up a bag today");
    assert_eq!(a.score, 0.0);
    assert_eq!(a.polarity, Polarity::Neutral);
}

fn brand(text: &str, needle: &str) -> Mention {
    let start = text.find(needle).unwrap();
    Mention {
        span: start..start + needle.len(),
        subject: Subject::Brand,
    }
}

fn other(text: &str, needle: &str) -> Mention {
    Mention {
        subject: Subject::Other,
        ..brand(text, needle)
    }
}

#[test]
fn targeting_scores_the_clause_about_the_brand() {
    let text = "@fernwood was slow today, @rival was amazing";
    let m = [brand(text, "@fernwood"), other(text, "@rival")];
    assert!(targeted(text, &m).score < 0.0);
    assert!(sentiment(text) > 0.0);
}

#[test]
fn targeting_keeps_the_whole_text_when_the_brand_is_the_only_subject() {
    let text = "@fernwood Lost my order. Again. Awful.";
    assert_eq!(
        targeted(text, &[brand(text, "@fernwood")]).score,
        sentiment(text)
    );
}

#[test]
fn the_brand_s_own_name_is_no_opinion() {
    // "united" (1.8) and "happy" (2.7) are VADER words.
    let text = "flew United today";
    assert_eq!(targeted(text, &[brand(text, "United")]).score, 0.0);
    let text = "Happy Socks arrived";
    assert_eq!(targeted(text, &[brand(text, "Happy Socks")]).score, 0.0);
}

#[test]
fn thresholds_split_three_classes() {
    let t = Thresholds::VADER;
    assert_eq!(t.polarity(-0.5), Polarity::Negative);
    assert_eq!(t.polarity(0.0), Polarity::Neutral);
    assert_eq!(t.polarity(0.05), Polarity::Neutral);
    assert_eq!(t.polarity(0.5), Polarity::Positive);
}

#[test]
fn shipped_thresholds_keep_no_opinion_neutral() {
    assert_eq!(Thresholds::KITH.polarity(0.0), Polarity::Neutral);
}

#[test]
fn explanation_of_a_contrasted_complaint() {
    insta::assert_snapshot!(
        analyse("Love the new roast but still waiting for my order 😡").explain(),
        @r#"negative (-0.70): "😡" -3.02 emoji, "still waiting" -2.40 complaint, "Love" +1.60"#
    );
}

#[test]
fn explanation_of_negation_slang_and_emoji() {
    insta::assert_snapshot!(
        analyse("not bad at all, lowkey obsessed 🔥").explain(),
        @r#"positive (+0.83): "obsessed" +2.21 slang, "bad" +1.85 negated, "🔥" +1.80 slang"#
    );
}

#[test]
fn explanation_of_a_text_without_opinion() {
    insta::assert_snapshot!(
        analyse("picked up a bag today").explain(),
        @"neutral (+0.00): no opinion words"
    );
}

#[test]
fn explanation_of_a_targeted_text() {
    let text = "@fernwood was slow, @rival was great";
    insta::assert_snapshot!(
        targeted(text, &[brand(text, "@fernwood"), other(text, "@rival")]).explain(),
        @r#"negative (-0.17): "slow" -1.30 complaint, "great" +0.62"#
    );
}

proptest! {
    #[test]
    fn any_text_scores_within_range_and_never_nan(text in any::<String>()) {
        let a = analyse(&text);
        prop_assert!((-1.0..=1.0).contains(&a.score));
        prop_assert!(!a.score.is_nan());
        prop_assert!(a.terms.iter().all(|t| t.valence.is_finite()));
    }

    #[test]
    fn social_text_scores_within_range(
        words in prop::collection::vec(
            prop::sample::select(vec![
                "love", "not", "never", "but", "very", "GREAT", "awful", "!", "?", "😍",
                "😡", ":)", "still", "waiting", "on", "hold", "kind", "of", "least",
                "no", "thanks", "@brand", "#fail", "fire", ".", ",", "like", "less", "than",
            ]),
            0..40,
        )
    ) {
        let text = words.join(" ");
        let s = sentiment(&text);
        prop_assert!((-1.0..=1.0).contains(&s) && !s.is_nan(), "{text}: {s}");
    }

    #[test]
    fn any_mentions_are_safe(
        text in any::<String>(),
        spans in prop::collection::vec((0usize..64, 0usize..64, any::<bool>()), 0..4),
    ) {
        let mentions: Vec<Mention> = spans
            .into_iter()
            .map(|(a, b, brand)| Mention {
                span: a.min(b)..a.max(b),
                subject: if brand { Subject::Brand } else { Subject::Other },
            })
            .collect();
        let a = targeted(&text, &mentions);
        prop_assert!((-1.0..=1.0).contains(&a.score));
    }

    #[test]
    fn polarity_agrees_with_the_score(text in "[a-z !?]{0,60}") {
        let a = analyse(&text);
        prop_assert_eq!(a.polarity, Thresholds::KITH.polarity(a.score));
    }
}

/// Posts about brands other than airlines, labelled by what a person reads in them:
/// the rules must not be airline rules.
#[test]
fn everyday_brand_posts_are_classified_as_people_mean_them() {
    use Polarity::*;
    let cases = [
        ("obsessed with the new @fernwood cold brew 😍", Positive),
        (
            "this serum is a game changer, my skin has never looked better",
            Positive,
        ),
        ("the new colourway slaps 🔥🔥", Positive),
        ("best pizza in town, hands down", Positive),
        (
            "10/10 would recommend, arrived early and tastes amazing",
            Positive,
        ),
        ("honestly not bad at all for the price", Positive),
        ("finally tried the oat latte. love it!", Positive),
        ("my order never arrived and support won't answer", Negative),
        ("still waiting for my refund after 3 weeks", Negative),
        ("the app keeps crashing, so frustrating", Negative),
        (
            "been on hold for 40 minutes with customer service",
            Negative,
        ),
        ("overpriced and mid tbh", Negative),
        (
            "the packaging is cute but the product is a total ripoff",
            Negative,
        ),
        ("sizing runs small, had to return them", Negative),
        ("picked up the spring collection today", Neutral),
        ("does anyone know when the store opens?", Neutral),
        ("new post up on the blog, link in bio", Neutral),
        ("what's your go-to order at the cafe?", Neutral),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter(|(text, want)| analyse(text).polarity != *want)
        .map(|(text, want)| format!("{text:?}: want {want:?}, {}", analyse(text).explain()))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}
