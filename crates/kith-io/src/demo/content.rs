//! The words in the demo's posts: captions, comments, bios and brand mentions.
//!
//! Brand mentions come in the shapes scoring has to read: plain praise, complaints,
//! negation ("not bad at all"), contrast ("love the taste but the price is too high"),
//! emoji-only feelings, and neutral news. `{b}` in a template is a reference to the brand
//! (its handle or its name), `{p}` one of its products.

use kith_core::Platform;

use super::brand::{self, PRODUCTS};
use super::rng::Rng;
use super::topics::{BOT_COMMENTS, FRIEND_COMMENTS, GENERIC_COMMENTS, PARTNERS, Topic};

/// How a post about the brand feels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Positive,
    Negative,
    Mixed,
    Neutral,
}

/// Who is writing about the brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    Customer,
    Employee,
    Spam,
}

const POSITIVE: &[&str] = &[
    "obsessed with {b}'s {p} 😍",
    "{p} from {b} is honestly the best cup I've had all year ☕",
    "not bad at all! {p} from {b} surprised me 👏",
    "can't start a trail day without my {p} ☕ thanks {b}!",
    "three bags of {p} in and still not tired of it. {b} did it again 💚",
    "brewed {p} at the trailhead this morning. {b} just gets it ✨",
    "{b} sent the nicest handwritten note with my order 🥰",
    "if you haven't tried {p} from {b} yet, what are you doing 😋",
    "{p} + sunrise = perfect morning. thank you {b} ❤️",
    "honestly didn't expect much, but {b}'s {p} is so smooth",
    "my order from {b} came so fast, and the {p} is delicious 🙌",
    "nothing beats {p} by the campfire. love you {b}",
    "finally tried {b} and wow, {p} is my new favorite",
    "{b} never misses. {p} in the thermos for the climb 🔥",
    "gifted my dad a bag of {p} and now he won't stop texting me about {b} 😂",
];

const NEGATIVE: &[&str] = &[
    "{b} shipping was so slow, never again 😡",
    "my {p} arrived stale. really disappointed, {b} 😞",
    "second order from {b} with a missing bag. not impressed 👎",
    "{p} tastes burnt and bitter this batch. what happened {b}? 😒",
    "waited two weeks for {b} to answer my email. terrible service",
    "{b}'s {p} is not worth the hype 🙄",
    "paid for express shipping and {b} still took nine days. ugh",
    "the {p} bag arrived ripped open. {b} please fix your packaging 😤",
    "cancelling my {b} subscription. the quality dropped and the price went up",
];

const MIXED: &[&str] = &[
    "love the taste of {p}, but the price is too high for me {b}",
    "{p} is great, but {b} shipping took forever",
    "my Ridgeline Camp Mug is beautiful but it chipped in a week 💔",
    "not the best espresso I've had, but {p} is solid for the price",
    "{b} customer service was kind, however the order was still wrong",
    "I wanted to love {p} from {b} but it's a bit too bitter for me",
    "{p} is good, not great. {b} fans, which one should I try next?",
];

const NEUTRAL: &[&str] = &[
    "morning brew: {p} ☕",
    "trying {p} from {b} for the first time, report tomorrow",
    "new bag of {p} just landed 📦",
    "grinding {p} for the week with {b}",
    "{b} {p} on the camp stove, day two",
];

const EMPLOYEE: &[&str] = &[
    "roast day at {b}. {p} smells unreal today ☕",
    "proud of this crew at {b}. new {p} drops Friday!",
    "behind the counter at the {b} cafe this weekend, come say hi 👋",
    "packing your orders with love at {b} HQ 📦",
    "cupping session at {b}: the new {p} is my favorite yet",
];

const SPAM: &[&str] = &[
    "🔥 GIVEAWAY 🔥 follow me and tag 3 friends {b} #giveaway #follow4follow",
    "check my page for free coffee!!! {b} #coffee #followforfollow",
    "{b} 💯💯 dm for promo #likeforlike",
];

const COMPETITOR_LINES: &[&str] = &[
    "Pour-over with beans from @{c} this morning",
    "Cold brew from @{c} on the patio",
    "Trying a new roaster today: @{c}",
];

const BRAND_COMMENTS_GOOD: &[&str] = &[
    "which roast is this?",
    "need to try {p}!",
    "is the decaf any good?",
    "ordering now",
    "what grind size do you use?",
    "{p} is my favorite too",
    "ok you convinced me",
];

const BRAND_COMMENTS_BAD: &[&str] = &[
    "oh no, same happened to me",
    "did they refund you?",
    "mine was fine, hope they fix it",
    "ugh that's the worst",
    "tag them again, they usually answer",
];

const EMOJI: &[&str] = &["☕", "✨", "🏔️", "🌲", "🙌", "💛", "🌄", "😅", "📸", "🤍"];

fn product(rng: &mut Rng) -> &'static str {
    let coffees = brand::coffee_indices();
    PRODUCTS[rng.pick(&coffees)].name
}

fn brand_ref(rng: &mut Rng) -> String {
    if rng.bernoulli(0.6) {
        format!("@{}", brand::HANDLE)
    } else {
        brand::NAME_IN_TEXT.to_owned()
    }
}

fn fill(template: &str, rng: &mut Rng) -> String {
    let b = brand_ref(rng);
    template.replace("{b}", &b).replace("{p}", product(rng))
}

fn hashtags(rng: &mut Rng, topic: &Topic, platform: Platform) -> String {
    let (lo, hi) = match platform {
        Platform::Instagram => (2, 5),
        Platform::Tiktok => (2, 4),
        Platform::Youtube | Platform::X => (0, 2),
    };
    let n = rng.range(lo, hi) as usize;
    let mut tags: Vec<&str> = topic.hashtags.to_vec();
    rng.shuffle(&mut tags);
    let mut out: Vec<&str> = tags.into_iter().take(n).collect();
    if platform == Platform::Tiktok && rng.bernoulli(0.4) {
        out.push("#fyp");
    }
    out.join(" ")
}

fn join_caption(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Openers that make a line used before read differently.
const OPENERS: &[&str] = &[
    "Again:",
    "Round two.",
    "Lately:",
    "Weekend recap:",
    "Throwback:",
    "Currently:",
    "Same as last time:",
    "Little moments:",
    "Okay,",
    "Not sorry:",
];

/// Deals a profile's caption lines without repeats until a topic's lines run out, as a
/// person rarely writes the same caption twice.
#[derive(Debug)]
pub struct LineDeck {
    /// Per topic: the shuffled line order and how many were dealt.
    decks: Vec<(Vec<usize>, usize)>,
}

impl LineDeck {
    pub fn new(topics: usize) -> LineDeck {
        LineDeck {
            decks: vec![(Vec::new(), 0); topics],
        }
    }

    pub fn draw(&mut self, rng: &mut Rng, topic_index: usize, topic: &Topic) -> String {
        let Some((order, dealt)) = self.decks.get_mut(topic_index) else {
            return (rng.pick(topic.lines)).to_owned();
        };
        if order.is_empty() {
            *order = (0..topic.lines.len()).collect();
            rng.shuffle(order);
        }
        let line = topic.lines[order[*dealt % order.len()]];
        let round = *dealt / order.len();
        *dealt += 1;
        if round == 0 {
            line.to_owned()
        } else {
            format!("{} {line}", rng.pick(OPENERS))
        }
    }
}

/// An everyday post about one of the person's interests; `line` comes from a [`LineDeck`].
pub fn caption(rng: &mut Rng, platform: Platform, topic: &Topic, line: String) -> String {
    let line = if topic.name == "food & drink" && rng.bernoulli(0.04) {
        let (_, handle) = rng.pick(brand::COMPETITORS);
        rng.pick(COMPETITOR_LINES).replace("{c}", handle)
    } else {
        line
    };
    let emoji = if rng.bernoulli(0.55) {
        rng.pick(EMOJI)
    } else {
        ""
    };
    let tags = hashtags(rng, topic, platform);
    join_caption(&[&line, emoji, &tags])
}

/// A paid post for a partner brand, disclosed as an ad; `line` comes from a [`LineDeck`].
pub fn sponsored_caption(rng: &mut Rng, platform: Platform, topic: &Topic, line: String) -> String {
    let partner = rng.pick(PARTNERS);
    let disclosure = if rng.bernoulli(0.5) {
        "#ad"
    } else {
        "#sponsored"
    };
    let tags = hashtags(rng, topic, platform);
    join_caption(&[&line, "with", partner, disclosure, &tags])
}

/// A post that names the brand, in the given tone and voice; `topic` sets the scene.
pub fn brand_caption(
    rng: &mut Rng,
    platform: Platform,
    tone: Tone,
    voice: Voice,
    topic: Option<&Topic>,
) -> String {
    let pool = match (voice, tone) {
        (Voice::Spam, _) => SPAM,
        (Voice::Employee, _) => EMPLOYEE,
        (Voice::Customer, Tone::Positive) => POSITIVE,
        (Voice::Customer, Tone::Negative) => NEGATIVE,
        (Voice::Customer, Tone::Mixed) => MIXED,
        (Voice::Customer, Tone::Neutral) => NEUTRAL,
    };
    let text = fill(rng.pick(pool), rng);
    if voice == Voice::Spam {
        return text;
    }
    let scene = match topic {
        Some(t) if rng.bernoulli(0.3) => format!("{}.", rng.pick(t.lines)),
        _ => String::new(),
    };
    let brand_tag = if rng.bernoulli(0.45) {
        rng.pick(brand::HASHTAGS)
    } else {
        ""
    };
    let tags = match topic {
        Some(t) if platform != Platform::X => {
            let n = rng.range(0, 2) as usize;
            t.hashtags
                .iter()
                .take(n)
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        }
        _ => String::new(),
    };
    join_caption(&[&scene, &text, brand_tag, &tags])
}

/// The handful of comments a scraper samples from a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentStyle {
    /// Friends and followers: mostly specific, sometimes a plain "love it".
    Genuine,
    /// Engagement pods and bought engagement: stock phrases and emoji.
    Pod,
    Bot,
}

pub fn comments(
    rng: &mut Rng,
    n: usize,
    style: CommentStyle,
    topic: &Topic,
    about_brand: Option<Tone>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(n);
    for _ in 0..n {
        let pick = |rng: &mut Rng| -> String {
            match style {
                CommentStyle::Bot => (rng.pick(BOT_COMMENTS)).to_owned(),
                CommentStyle::Pod if rng.bernoulli(0.88) => (rng.pick(GENERIC_COMMENTS)).to_owned(),
                _ => {
                    let r = rng.f64();
                    match about_brand {
                        Some(Tone::Negative | Tone::Mixed) if r < 0.4 => {
                            (rng.pick(BRAND_COMMENTS_BAD)).to_owned()
                        }
                        Some(_) if r < 0.35 => {
                            rng.pick(BRAND_COMMENTS_GOOD).replace("{p}", product(rng))
                        }
                        _ if r < 0.55 => (rng.pick(topic.comments)).to_owned(),
                        _ if r < 0.78 => (rng.pick(FRIEND_COMMENTS)).to_owned(),
                        _ => (rng.pick(GENERIC_COMMENTS)).to_owned(),
                    }
                }
            }
        };
        // Real samples rarely repeat a comment word for word; try a few times to avoid it.
        let mut c = pick(rng);
        for _ in 0..3 {
            if !out.contains(&c) {
                break;
            }
            c = pick(rng);
        }
        out.push(c);
    }
    out
}

/// Extra words at the end of a bio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BioExtra {
    None,
    /// A fan who says so in their bio.
    BrandFan,
    /// An employee with their job title.
    Employee(&'static str),
    /// An account selling its reach.
    Collabs,
}

pub fn bio(rng: &mut Rng, topics: &[&Topic], city: Option<&str>, extra: BioExtra) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let BioExtra::Employee(title) = extra {
        parts.push(format!("{title} at @{} ☕", brand::HANDLE));
    }
    for t in topics.iter().take(2) {
        parts.push((rng.pick(t.bios)).to_owned());
    }
    match extra {
        BioExtra::BrandFan => parts.push(format!("fueled by @{} ☕", brand::HANDLE)),
        BioExtra::Collabs => parts.push("collabs: DM 📩".to_owned()),
        BioExtra::None | BioExtra::Employee(_) => {}
    }
    if let Some(city) = city.filter(|_| rng.bernoulli(0.5)) {
        parts.push(format!("📍 {city}"));
    }
    parts.join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::topics::TOPICS;

    #[test]
    fn every_brand_caption_names_the_brand() {
        let mut rng = Rng::new(9);
        let terms: Vec<String> = brand::PRODUCTS
            .iter()
            .map(|p| p.name.to_lowercase())
            .chain([brand::HANDLE.to_owned(), brand::NAME_IN_TEXT.to_lowercase()])
            .collect();
        for tone in [Tone::Positive, Tone::Negative, Tone::Mixed, Tone::Neutral] {
            for voice in [Voice::Customer, Voice::Employee, Voice::Spam] {
                for _ in 0..50 {
                    let c =
                        brand_caption(&mut rng, Platform::Instagram, tone, voice, Some(&TOPICS[0]));
                    let lower = c.to_lowercase();
                    assert!(terms.iter().any(|t| lower.contains(t.as_str())), "{c}");
                    assert!(!c.contains('{'), "{c}");
                }
            }
        }
    }

    #[test]
    fn pod_comments_are_mostly_stock_phrases() {
        let mut rng = Rng::new(11);
        let c = comments(&mut rng, 200, CommentStyle::Pod, &TOPICS[1], None);
        let generic = c
            .iter()
            .filter(|c| GENERIC_COMMENTS.contains(&c.as_str()))
            .count();
        assert!(generic > 150, "{generic}");
    }
}
