//! Product reviews, as a review app (Judge.me, Yotpo) exports them.
//!
//! About 6 % of customers review: fans and detractors far more often than the
//! indifferent. Ratings lean positive — the J-shape of online reviews, where five stars
//! dominate and one star outnumbers two — and follow the reviewer's attitude; the title
//! and body agree with the rating and speak of coffee or gear as the product is.

use kith_core::Review;
use time::Duration;

use super::brand::{self, PRODUCTS, ProductKind};
use super::commerce::PlacedOrder;
use super::rng::Rng;
use super::{Attitude, FETCHED_AT, Member};

/// Reviews from buyers: about 6 % of customers, fans and detractors far more often than
/// the indifferent. Ratings lean positive (the J-shape of online reviews) and follow the
/// reviewer's attitude; text matches the rating.
pub fn reviews(seed: u64, members: &[Member], orders: &[PlacedOrder]) -> Vec<Review> {
    let mut rng = Rng::stream(seed, 3);
    let mut out = Vec::new();
    for m in members {
        if m.orders.is_empty() {
            continue;
        }
        let p_review = match m.attitude {
            Attitude::Lover => 0.30,
            Attitude::Detractor => 0.35,
            Attitude::Mixed => 0.25,
            Attitude::Indifferent => 0.05,
        };
        if !rng.bernoulli(p_review) {
            continue;
        }
        let wanted = [1, 1, 1, 1, 1, 1, 1, 2, 2, 3][rng.index(10)];
        let mut reviewed: Vec<usize> = Vec::new();
        for _ in 0..wanted {
            let placed = &orders[rng.pick(&m.orders)];
            let product = rng.pick(&placed.products);
            if reviewed.contains(&product) {
                continue;
            }
            reviewed.push(product);
            let weights: [f64; 5] = match m.attitude {
                Attitude::Lover => [0.0, 0.0, 2.0, 20.0, 78.0],
                Attitude::Detractor => [55.0, 30.0, 15.0, 0.0, 0.0],
                Attitude::Mixed => [0.0, 25.0, 45.0, 30.0, 0.0],
                Attitude::Indifferent => [7.0, 4.0, 9.0, 22.0, 58.0],
            };
            let rating = rng.weighted(&weights) as u8 + 1;
            let (title, body) = review_text(&mut rng, rating, &PRODUCTS[product]);
            let ordered = placed.order.created_at.unwrap_or(FETCHED_AT);
            let written = (ordered + Duration::seconds(rng.range(4 * 86_400, 30 * 86_400) as i64))
                .min(FETCHED_AT - Duration::hours(1));
            out.push(Review {
                id: format!("R{:06}", out.len() + 1),
                person_id: Some(m.person.id.clone()),
                email: m.person.email.clone(),
                product: Some(PRODUCTS[product].name.to_owned()),
                rating,
                title: Some(title),
                body: Some(body),
                created_at: Some(written),
                verified_buyer: Some(rng.bernoulli(0.95)),
            });
        }
    }
    out
}

/// What reviewers write, by stars and by kind of product: titles, a main sentence (`{p}`
/// is the product) and an optional closing sentence.
struct ReviewText {
    stars: u8,
    /// `None` when the text fits coffee and gear alike.
    kind: Option<ProductKind>,
    titles: &'static [&'static str],
    main: &'static [&'static str],
    closing: &'static [&'static str],
}

#[rustfmt::skip]
const REVIEW_TEXT: &[ReviewText] = &[
    ReviewText { stars: 5, kind: Some(ProductKind::Coffee),
        titles: &["Best coffee I've brewed at home", "Perfect every morning", "Obsessed",
            "My new daily cup", "Smooth and rich"],
        main: &["{p} is smooth, rich and never bitter.",
            "I've tried a lot of roasters and {p} is my favorite.",
            "{p} makes the best pour-over I've had outside a cafe.",
            "Great with oat milk, great black, great at camp."],
        closing: &["Arrived fast and the bag was still fresh.", "Already ordered my third bag.",
            "Worth every penny.", ""] },
    ReviewText { stars: 5, kind: Some(ProductKind::Gear),
        titles: &["Love it", "Built to last", "Perfect for camping", "Great gift"],
        main: &["The {p} is beautifully made and survives everything I throw at it.",
            "I take the {p} on every trip.", "The {p} is simple, sturdy and looks great."],
        closing: &["Shipping was fast.", "Bought a second one as a gift.", ""] },
    ReviewText { stars: 4, kind: Some(ProductKind::Coffee),
        titles: &["Really good", "Solid everyday coffee", "Great, one small quibble"],
        main: &["{p} is really good, a little lighter than I expected.",
            "{p} is a solid daily coffee, not too acidic.",
            "Good flavor, I grind it a bit finer than suggested."],
        closing: &["Shipping took a few days longer than promised.", "Would buy again.", ""] },
    ReviewText { stars: 4, kind: Some(ProductKind::Gear),
        titles: &["Nice quality", "Good, not perfect", "Happy with it"],
        main: &["The {p} does the job well; the lid is a bit stiff.",
            "The {p} is nice quality for the price."],
        closing: &["Would buy again.", ""] },
    ReviewText { stars: 3, kind: Some(ProductKind::Coffee),
        titles: &["It's okay", "Fine but not special", "Mixed feelings"],
        main: &["{p} is fine but nothing special.", "Good flavor but the bag arrived dented.",
            "{p} is decent, though I prefer a darker roast."],
        closing: &["Might try another blend.", ""] },
    ReviewText { stars: 3, kind: Some(ProductKind::Gear),
        titles: &["It's okay", "Average"],
        main: &["The {p} works, but it feels less sturdy than the photos suggest."],
        closing: &[""] },
    ReviewText { stars: 2, kind: None,
        titles: &["Disappointed", "Not for me", "Expected more"],
        main: &["{p} was a letdown for the price.", "Expected more for the price.",
            "The {p} arrived damaged and the replacement took weeks."],
        closing: &["Customer service was slow to reply.", ""] },
    ReviewText { stars: 1, kind: None,
        titles: &["Never again", "Arrived damaged", "Terrible experience"],
        main: &["Order arrived two weeks late and the {p} was damaged.",
            "The box was crushed and customer service never replied.",
            "Would not buy the {p} again. Waste of money."],
        closing: &["Asked for a refund.", "Very disappointed.", ""] },
];

/// A review's title and body, consistent with its rating and the product.
fn review_text(rng: &mut Rng, rating: u8, product: &brand::Product) -> (String, String) {
    let text = REVIEW_TEXT
        .iter()
        .find(|t| t.stars == rating && t.kind.is_none_or(|k| k == product.kind))
        .unwrap_or(&REVIEW_TEXT[REVIEW_TEXT.len() - 1]);
    let title = (rng.pick(text.titles)).to_owned();
    let main = rng.pick(text.main).replace("{p}", product.name);
    let closing = rng.pick(text.closing);
    let body = if closing.is_empty() {
        main
    } else {
        format!("{main} {closing}")
    };
    (title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviews_never_leave_a_placeholder() {
        let mut rng = Rng::new(10);
        for rating in 1..=5 {
            for p in brand::PRODUCTS {
                let (title, body) = review_text(&mut rng, rating, p);
                assert!(!title.is_empty() && !body.is_empty());
                assert!(!body.contains('{'), "{body}");
            }
        }
    }
}
