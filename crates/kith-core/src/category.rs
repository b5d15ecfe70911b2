//! Interest categories from what a creator writes: bio, captions and hashtags.
//!
//! A built-in taxonomy maps each category to stems; words match a stem at their start
//! (`recipe` matches `recipes`), and hashtags are segmented into the stems inside them
//! (`#plantbasedrecipes`), longest match first, so that a known longer word hides the
//! stem inside it (`#teamwork` says nothing about tea).

use crate::words::split_ascii;

/// The taxonomy: category name → word stems that signal it.
pub const TAXONOMY: &[(&str, &[&str])] = &[
    (
        "beauty",
        &[
            "makeup",
            "skincare",
            "beauty",
            "lipstick",
            "mascara",
            "serum",
            "glow",
            "nails",
            "cosmetic",
            "hairstyl",
            "foundation",
        ],
    ),
    (
        "fashion",
        &[
            "fashion",
            "outfit",
            "ootd",
            "style",
            "dress",
            "sneaker",
            "streetwear",
            "vintage",
            "wardrobe",
            "denim",
            "thrift",
        ],
    ),
    (
        "fitness",
        &[
            "fitness", "workout", "gym", "training", "lifting", "crossfit", "pilates", "hiit",
            "gains", "squat", "cardio",
        ],
    ),
    (
        "food & drink",
        &[
            "food",
            "recipe",
            "coffee",
            "espresso",
            "latte",
            "baking",
            "brunch",
            "vegan",
            "plantbased",
            "cooking",
            "foodie",
            "wine",
            "cocktail",
            "dinner",
            "breakfast",
            "chef",
            "tea",
        ],
    ),
    (
        "travel",
        &[
            "travel",
            "wanderlust",
            "passport",
            "roadtrip",
            "vacation",
            "explore",
            "backpack",
            "destination",
            "flight",
            "hotel",
        ],
    ),
    (
        "outdoors",
        &[
            "hiking",
            "hike",
            "trail",
            "camping",
            "outdoor",
            "mountain",
            "climbing",
            "kayak",
            "nature",
            "summit",
            "national park",
        ],
    ),
    (
        "family",
        &[
            "mom",
            "dad",
            "parenting",
            "kids",
            "baby",
            "family",
            "toddler",
            "motherhood",
            "fatherhood",
            "newborn",
        ],
    ),
    (
        "pets",
        &[
            "dog", "puppy", "cat", "kitten", "pet", "doggo", "rescue", "paw",
        ],
    ),
    (
        "home",
        &[
            "interior",
            "homedecor",
            "decor",
            "diy",
            "renovation",
            "garden",
            "plants",
            "cozy",
            "organiz",
            "homestyle",
        ],
    ),
    (
        "tech & gaming",
        &[
            "tech",
            "gaming",
            "gamer",
            "esports",
            "coding",
            "gadget",
            "console",
            "pcbuild",
            "twitch",
            "developer",
            "startup",
        ],
    ),
    (
        "music",
        &[
            "music", "guitar", "singer", "song", "concert", "vinyl", "producer", "piano", "band",
            "playlist",
        ],
    ),
    (
        "art & design",
        &[
            "art",
            "artist",
            "design",
            "illustration",
            "painting",
            "drawing",
            "photography",
            "sketch",
            "ceramic",
            "creative",
        ],
    ),
    (
        "sports",
        &[
            "soccer",
            "football",
            "basketball",
            "tennis",
            "running",
            "marathon",
            "cycling",
            "golf",
            "surf",
            "skate",
            "athlete",
        ],
    ),
    (
        "wellness",
        &[
            "wellness",
            "yoga",
            "meditation",
            "mindful",
            "selfcare",
            "self care",
            "mentalhealth",
            "sleep",
            "healing",
            "holistic",
        ],
    ),
    (
        "business",
        &[
            "entrepreneur",
            "business",
            "marketing",
            "founder",
            "smallbusiness",
            "hustle",
            "finance",
            "investing",
            "career",
            "leadership",
        ],
    ),
    (
        "books",
        &[
            "book",
            "reading",
            "bookstagram",
            "novel",
            "author",
            "library",
            "booktok",
        ],
    ),
];

/// Words that contain a stem but say nothing about its category (`team` is not `tea`,
/// `vacation` is not `cat`). They take part in matching so that the longest word wins,
/// then count for nothing.
const NOT_A_SIGNAL: &[&str] = &[
    "team",
    "teach",
    "steam",
    "instead",
    "tear",
    "tease",
    "category",
    "catch",
    "cater",
    "cattle",
    "catalog",
    "location",
    "education",
    "application",
    "communication",
    "party",
    "start",
    "smart",
    "heart",
    "earth",
    "apart",
    "apartment",
    "department",
    "article",
    "artisan",
    "pawn",
    "petition",
    "petal",
    "petrol",
    "competition",
    "bandana",
    "bandwidth",
    "husband",
    "dressing",
    "booking",
    "technique",
    "gymnast",
    "momentum",
    "moment",
    "dadbod",
    "trailer",
    "foundational",
    "glowup",
    "pettiness",
    "carpet",
    "trumpet",
    "scatter",
    "indicate",
    "dedicate",
    "delicate",
];

/// A category with the share of category signals that pointed to it (0–1).
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryScore {
    pub name: &'static str,
    pub confidence: f64,
}

/// Stems this short are ordinary English fragments (`art` in `party`, `cat` in
/// `education`): a word must be the stem itself or its plural, and inside a hashtag the
/// stem must start or end the tag or touch another recognised word.
const SHORT_STEM: usize = 3;

/// Every stem and blocker in one automaton; a pattern id maps to its category (or none).
struct Matcher {
    automaton: aho_corasick::AhoCorasick,
    starts: Starts,
    /// Per pattern: the category's index in [`TAXONOMY`], `None` for a blocker.
    category: Vec<Option<usize>>,
    len: Vec<usize>,
}

#[allow(
    clippy::expect_used,
    reason = "a few hundred fixed literals always build; every category test builds it"
)]
fn matcher() -> &'static Matcher {
    static MATCHER: std::sync::OnceLock<Matcher> = std::sync::OnceLock::new();
    MATCHER.get_or_init(|| {
        let mut patterns: Vec<&str> = Vec::new();
        let mut category = Vec::new();
        for (i, (_, stems)) in TAXONOMY.iter().enumerate() {
            for stem in *stems {
                patterns.push(stem);
                category.push(Some(i));
            }
        }
        for word in NOT_A_SIGNAL {
            if !patterns.contains(word) {
                patterns.push(word);
                category.push(None);
            }
        }
        let len = patterns.iter().map(|p| p.len()).collect();
        let starts = Starts::of(&patterns);
        let automaton = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .start_kind(aho_corasick::StartKind::Both)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&patterns)
            .expect("the taxonomy's stems form a valid automaton");
        Matcher {
            automaton,
            starts,
            category,
            len,
        }
    })
}

/// The first three bytes of every pattern, hashed into a table of bits. A word whose
/// first three bytes are not in it begins with no pattern, and a hashtag with no three
/// bytes in it anywhere contains none: most words of a caption stop here, before the
/// automaton. (Hash collisions only send a word on to the automaton.)
struct Starts {
    bits: Box<[u64; STARTS_BITS / 64]>,
    /// False when some pattern is shorter than the three bytes the table is keyed on.
    usable: bool,
}

const STARTS_BITS: usize = 1 << 16;

impl Starts {
    fn of(patterns: &[&str]) -> Starts {
        let mut bits = Box::new([0u64; STARTS_BITS / 64]);
        for p in patterns {
            if let Some(first) = p.as_bytes().first_chunk::<3>() {
                let key = Starts::key(first);
                bits[key / 64] |= 1 << (key % 64);
            }
        }
        Starts {
            bits,
            usable: patterns.iter().all(|p| p.len() >= 3),
        }
    }

    fn key(bytes: &[u8; 3]) -> usize {
        let x = u32::from(bytes[0]) | u32::from(bytes[1]) << 8 | u32::from(bytes[2]) << 16;
        (x.wrapping_mul(0x9E37_79B1) >> 16) as usize
    }

    fn has(&self, bytes: &[u8; 3]) -> bool {
        let key = Starts::key(bytes);
        self.bits[key / 64] & (1 << (key % 64)) != 0
    }

    /// Whether some pattern may begin `word`.
    fn at_start_of(&self, word: &str) -> bool {
        !self.usable
            || word
                .as_bytes()
                .first_chunk::<3>()
                .is_some_and(|b| self.has(b))
    }

    /// Whether some pattern may occur in `text`.
    fn anywhere_in(&self, text: &str) -> bool {
        !self.usable
            || text
                .as_bytes()
                .windows(3)
                .any(|w| w.first_chunk::<3>().is_some_and(|b| self.has(b)))
    }
}

/// [`CategoryCounts`] of one text, a byte per category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CompactCounts([u8; TAXONOMY.len()]);

/// Category signals counted over any number of texts; adding texts in any order gives
/// the same counts, so a profile's posts can be folded in one at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CategoryCounts {
    hits: [u32; TAXONOMY.len()],
}

impl CategoryCounts {
    /// Counts the signals in one text (a bio or a caption).
    pub fn add_text(&mut self, text: &str) {
        let m = matcher();
        // Most captions are ASCII and short: lowered on the stack and split on bytes.
        let mut buffer = [0u8; 512];
        if text.is_ascii() && text.len() <= buffer.len() {
            let lower = &mut buffer[..text.len()];
            lower.copy_from_slice(text.as_bytes());
            lower.make_ascii_lowercase();
            // ASCII stays ASCII when lowered: this never fails.
            let lower = std::str::from_utf8(lower).unwrap_or_default();
            for token in split_ascii(lower, |b| b.is_ascii_alphanumeric() || b == b'#') {
                self.add_token(m, token);
            }
        } else {
            let lower = text.to_lowercase();
            for token in lower.split(|c: char| !(c.is_alphanumeric() || c == '#')) {
                self.add_token(m, token);
            }
        }
    }

    fn add_token(&mut self, m: &Matcher, token: &str) {
        if let Some(tag) = token.strip_prefix('#') {
            if m.starts.anywhere_in(tag) {
                self.add_hashtag(m, tag);
            }
        } else if token.len() >= SHORT_STEM && m.starts.at_start_of(token) {
            self.add_word(m, token);
        }
    }

    /// A word signals a category when it begins with a stem and no longer blocker;
    /// short stems only as the whole word or its plural.
    fn add_word(&mut self, m: &Matcher, word: &str) {
        let input = aho_corasick::Input::new(word).anchored(aho_corasick::Anchored::Yes);
        let Some(found) = m.automaton.find(input) else {
            return;
        };
        let id = found.pattern().as_usize();
        let Some(category) = m.category[id] else {
            return;
        };
        let rest = &word[found.end()..];
        if m.len[id] <= SHORT_STEM && !(rest.is_empty() || rest == "s" || rest == "es") {
            return;
        }
        self.hits[category] += 1;
    }

    /// Segments a hashtag into the stems it contains, longest first from the left
    /// (`#plantbasedrecipes` → plantbased, recipe), each counted once per tag.
    fn add_hashtag(&mut self, m: &Matcher, tag: &str) {
        let mut seen = [false; TAXONOMY.len()];
        let mut found = m.automaton.find_iter(tag).peekable();
        let mut previous_end = None;
        while let Some(f) = found.next() {
            let after_previous = previous_end == Some(f.start());
            previous_end = Some(f.end());
            let id = f.pattern().as_usize();
            let Some(category) = m.category[id] else {
                continue;
            };
            if m.len[id] <= SHORT_STEM {
                let touches_start = f.start() == 0 || after_previous;
                let touches_end = f.end() == tag.len()
                    || found.peek().is_some_and(|n| n.start() == f.end())
                    || tag[f.end()..] == *"s";
                if !(touches_start || touches_end) {
                    continue;
                }
            }
            if !seen[category] {
                seen[category] = true;
                self.hits[category] += 1;
            }
        }
    }

    /// Adds another set of counts (e.g. another post's).
    pub fn merge(&mut self, other: &CategoryCounts) {
        for (a, b) in self.hits.iter_mut().zip(other.hits) {
            *a += b;
        }
    }

    /// The counts of one text in a byte each, for keeping per post: no caption names
    /// one category 255 times.
    pub fn compact(&self) -> CompactCounts {
        CompactCounts(self.hits.map(|n| u8::try_from(n).unwrap_or(u8::MAX)))
    }

    /// Adds counts kept by [`CategoryCounts::compact`].
    pub fn add_compact(&mut self, other: &CompactCounts) {
        for (a, b) in self.hits.iter_mut().zip(other.0) {
            *a += u32::from(b);
        }
    }

    /// The top three categories whose confidence reaches 15 %, strongest first.
    pub fn scores(&self) -> Vec<CategoryScore> {
        let total: u32 = self.hits.iter().sum();
        if total == 0 {
            return Vec::new();
        }
        let mut scores: Vec<CategoryScore> = self
            .hits
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| CategoryScore {
                name: TAXONOMY[i].0,
                confidence: f64::from(*n) / f64::from(total),
            })
            .collect();
        scores.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then_with(|| a.name.cmp(b.name))
        });
        scores.retain(|c| c.confidence >= 0.15);
        scores.truncate(3);
        scores
    }
}

/// The top three categories whose confidence reaches 15 %, strongest first.
pub fn categories<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<CategoryScore> {
    let mut counts = CategoryCounts::default();
    for text in texts {
        counts.add_text(text);
    }
    counts.scores()
}

/// How well a creator's categories match the brand's targets, 0–1: the summed confidence
/// of the matching categories. `None` when the brand names no targets.
pub fn affinity(found: &[CategoryScore], targets: &[String]) -> Option<f64> {
    if targets.is_empty() {
        return None;
    }
    let matched: f64 = found
        .iter()
        .filter(|c| {
            targets
                .iter()
                .any(|t| t.trim().eq_ignore_ascii_case(c.name))
        })
        .map(|c| c.confidence)
        .sum();
    Some(matched.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_are_segmented_by_the_stems_inside_them() {
        let found = categories(["weekend prep #plantbasedrecipes"]);
        assert_eq!(found[0].name, "food & drink");
    }

    #[test]
    fn the_strongest_category_comes_first_with_its_share() {
        let found = categories(["trail running and hiking", "my dog loves the trail"]);
        assert_eq!(found[0].name, "outdoors");
        assert!(found[0].confidence > 0.5);
    }

    #[test]
    fn a_longer_known_word_hides_the_stem_inside_it() {
        assert!(categories(["#teamwork makes the dream work"]).is_empty());
        assert!(categories(["great team", "#education"]).is_empty());
        assert_eq!(categories(["#vacationmode"])[0].name, "travel");
    }

    #[test]
    fn short_stems_count_only_as_whole_words_or_at_a_tag_edge() {
        assert_eq!(categories(["two cats"])[0].name, "pets");
        assert!(categories(["catching up", "a party"]).is_empty());
        assert_eq!(categories(["#greentea"])[0].name, "food & drink");
        assert_eq!(categories(["#catsofinstagram"])[0].name, "pets");
        assert!(categories(["#bobcatfans"]).is_empty());
    }

    #[test]
    fn counts_fold_in_any_order() {
        let texts = ["#hiking at dawn", "espresso and a croissant", "my dog"];
        let mut forward = CategoryCounts::default();
        texts.iter().for_each(|t| forward.add_text(t));
        let mut backward = CategoryCounts::default();
        texts.iter().rev().for_each(|t| backward.add_text(t));
        assert_eq!(forward, backward);
        assert_eq!(forward.scores(), categories(texts));
    }

    #[test]
    fn no_signal_means_no_category() {
        assert!(categories(["hello world"]).is_empty());
    }

    #[test]
    fn affinity_sums_the_confidence_of_target_categories() {
        let found = vec![
            CategoryScore {
                name: "food & drink",
                confidence: 0.6,
            },
            CategoryScore {
                name: "travel",
                confidence: 0.4,
            },
        ];
        assert_eq!(affinity(&found, &["Food & Drink".into()]), Some(0.6));
        assert_eq!(affinity(&found, &[]), None);
    }

    use proptest::prelude::*;

    proptest! {
        /// The table of first bytes only ever spares the automaton a word or tag in
        /// which it would find nothing.
        #[test]
        fn the_start_table_never_hides_a_pattern(
            before in "[a-z0-9]{0,6}",
            stem in proptest::sample::select(
                TAXONOMY
                    .iter()
                    .flat_map(|(_, stems)| stems.iter().copied())
                    .chain(NOT_A_SIGNAL.iter().copied())
                    .collect::<Vec<&str>>()
            ),
            after in "[a-z0-9]{0,6}",
            noise in "[a-z0-9]{0,12}",
        ) {
            let m = matcher();
            for text in [format!("{stem}{after}"), format!("{before}{stem}{after}"), noise] {
                let anchored = aho_corasick::Input::new(&text).anchored(aho_corasick::Anchored::Yes);
                if m.automaton.find(anchored).is_some() {
                    prop_assert!(m.starts.at_start_of(&text), "{text}");
                }
                if m.automaton.find(text.as_str()).is_some() {
                    prop_assert!(m.starts.anywhere_in(&text), "{text}");
                }
            }
        }
    }

    #[test]
    fn the_start_table_turns_most_plain_words_away() {
        let m = matcher();
        let words = [
            "the", "from", "with", "and", "today", "sunday", "finally", "zero",
        ];
        let passed = words.iter().filter(|w| m.starts.at_start_of(w)).count();
        assert!(
            passed <= 2,
            "{passed} of {} plain words passed",
            words.len()
        );
        assert!(m.starts.usable);
    }

    #[test]
    fn text_that_is_not_ascii_is_read_the_same_way() {
        assert_eq!(
            categories(["CAFÉ and #Hiking"]),
            categories(["café and #hiking"])
        );
        assert_eq!(categories(["#HIKING"]), categories(["#hiking"]));
    }
}
