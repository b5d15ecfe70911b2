//! Interest categories from what a creator writes: bio, captions and hashtags.
//!
//! A built-in taxonomy maps each category to stems; words match a stem at their start
//! (`recipe` matches `recipes`), and hashtags are segmented into the stems inside them
//! (`#plantbasedrecipes`), longest match first, so that a known longer word hides the
//! stem inside it (`#teamwork` says nothing about tea).

use crate::words::{Lowercase, split_ascii, with_lowercase};

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

/// Every stem and blocker, in one trie; a pattern id maps to its category (or none).
struct Matcher {
    trie: Trie,
    /// Per pattern: the category's index in [`TAXONOMY`], `None` for a blocker.
    category: Vec<Option<usize>>,
    len: Vec<usize>,
}

/// The patterns, in the order of their ids: every stem, then the blockers that are
/// not stems too. A stem of two words is held run together ("national park" as
/// `nationalpark`), as a hashtag writes it; [`phrase_starts`] finds it in plain words.
fn patterns() -> (Vec<String>, Vec<Option<usize>>) {
    let mut patterns: Vec<String> = Vec::new();
    let mut category = Vec::new();
    for (i, (_, stems)) in TAXONOMY.iter().enumerate() {
        for stem in *stems {
            patterns.push(stem.replace(' ', ""));
            category.push(Some(i));
        }
    }
    for word in NOT_A_SIGNAL {
        if !patterns.iter().any(|p| p == word) {
            patterns.push((*word).to_owned());
            category.push(None);
        }
    }
    (patterns, category)
}

/// The first words of the stems of two words ("national" of "national park").
fn phrase_starts() -> Vec<&'static str> {
    let mut starts: Vec<&str> = TAXONOMY
        .iter()
        .flat_map(|(_, stems)| stems.iter())
        .filter_map(|stem| stem.split_once(' ').map(|(first, _)| first))
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
}

fn matcher() -> &'static Matcher {
    static MATCHER: std::sync::OnceLock<Matcher> = std::sync::OnceLock::new();
    MATCHER.get_or_init(|| {
        let (patterns, category) = patterns();
        Matcher {
            trie: Trie::of(&patterns, &phrase_starts()),
            len: patterns.iter().map(String::len).collect(),
            category,
        }
    })
}

/// Patterns of lowercase letters in a trie, a row of 26 children per node: the longest
/// pattern at a place in a word is one walk down, a few table reads, with no search
/// machinery around it — words and hashtags are short, and there are millions.
struct Trie {
    /// Children by letter; 0 is none (the root, node 0, is nobody's child).
    next: Vec<[u16; 26]>,
    /// The pattern that ends at each node: the first given, if several are the same.
    ends: Vec<Option<u16>>,
    /// Nodes where the first word of a stem of two words ends ("national").
    phrase_starts: Vec<bool>,
}

/// What a walk down the trie along a word found.
struct Walk {
    /// The longest pattern the word begins with: its id and length.
    longest: Option<(usize, usize)>,
    /// Whether the whole word is the first word of a stem of two words.
    starts_phrase: bool,
}

/// A pattern found in a text: its id and byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Found {
    pattern: usize,
    start: usize,
    end: usize,
}

impl Trie {
    /// Patterns with other characters than `a`–`z` are left out: text is split into
    /// words at spaces and punctuation, so no word could hold them.
    fn of(patterns: &[String], phrase_starts: &[&str]) -> Trie {
        let mut trie = Trie {
            next: vec![[0; 26]],
            ends: vec![None],
            phrase_starts: Vec::new(),
        };
        for (id, pattern) in patterns.iter().enumerate() {
            if !pattern.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            let mut node = 0;
            for b in pattern.bytes() {
                let letter = usize::from(b - b'a');
                if trie.next[node][letter] == 0 {
                    trie.next[node][letter] = u16::try_from(trie.next.len()).unwrap_or(0);
                    trie.next.push([0; 26]);
                    trie.ends.push(None);
                }
                node = usize::from(trie.next[node][letter]);
            }
            if trie.ends[node].is_none() {
                trie.ends[node] = u16::try_from(id).ok();
            }
        }
        trie.phrase_starts = vec![false; trie.next.len()];
        for word in phrase_starts {
            let mut node = Some(0);
            for b in word.bytes() {
                let letter = usize::from(b.wrapping_sub(b'a'));
                node = node
                    .and_then(|n| trie.next[n].get(letter))
                    .map(|&next| usize::from(next))
                    .filter(|&next| next != 0);
            }
            if let Some(n) = node {
                trie.phrase_starts[n] = true;
            }
        }
        trie
    }

    /// The longest pattern that `text` begins with: its id and length.
    fn longest_prefix(&self, text: &[u8]) -> Option<(usize, usize)> {
        self.walk(text).longest
    }

    fn walk(&self, text: &[u8]) -> Walk {
        let mut node = 0;
        let mut longest = None;
        for (i, b) in text.iter().enumerate() {
            let letter = b.wrapping_sub(b'a');
            if letter >= 26 {
                return Walk {
                    longest,
                    starts_phrase: false,
                };
            }
            node = usize::from(self.next[node][usize::from(letter)]);
            if node == 0 {
                return Walk {
                    longest,
                    starts_phrase: false,
                };
            }
            if let Some(id) = self.ends[node] {
                longest = Some((usize::from(id), i + 1));
            }
        }
        Walk {
            longest,
            starts_phrase: self.phrase_starts[node],
        }
    }

    /// The patterns in `text`, leftmost first, the longest of those starting at the same
    /// place, each search resuming where the last match ended.
    fn find_iter<'t>(&'t self, text: &'t [u8]) -> impl Iterator<Item = Found> + 't {
        let mut at = 0;
        std::iter::from_fn(move || {
            while at < text.len() {
                if let Some((pattern, len)) = self.longest_prefix(&text[at..]) {
                    let found = Found {
                        pattern,
                        start: at,
                        end: at + len,
                    };
                    at += len;
                    return Some(found);
                }
                at += 1;
            }
            None
        })
    }
}

/// The category a word signals, and the length of its stem, from its walk down the
/// trie: a word signals one when it begins with a stem and no longer blocker; short
/// stems only as the whole word or its plural.
fn word_signal(m: &Matcher, walk: &Walk, word: &str) -> Option<(usize, usize)> {
    let (id, len) = walk.longest?;
    let category = m.category[id]?;
    let rest = &word[len..];
    if m.len[id] <= SHORT_STEM && !(rest.is_empty() || rest == "s" || rest == "es") {
        return None;
    }
    Some((category, len))
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
        with_lowercase(text, |lower| self.add_lowercase(lower));
    }

    /// [`add_text`](Self::add_text) of a text already in lowercase.
    pub(crate) fn add_lowercase(&mut self, lower: Lowercase<'_>) {
        let m = matcher();
        // The word before, when it may begin a stem of two words.
        let mut phrase = None;
        if lower.ascii {
            for token in split_ascii(lower.text, |b| b.is_ascii_alphanumeric() || b == b'#') {
                phrase = self.add_token(m, phrase, token);
            }
        } else {
            for token in lower
                .text
                .split(|c: char| !(c.is_alphanumeric() || c == '#'))
            {
                phrase = self.add_token(m, phrase, token);
            }
        }
    }

    /// Counts a token; `phrase` is the word before it when that word may begin a stem
    /// of two words ("national" then "park" also reads as `nationalpark`). Returns the
    /// token if it may begin one itself.
    fn add_token<'t>(
        &mut self,
        m: &Matcher,
        phrase: Option<&str>,
        token: &'t str,
    ) -> Option<&'t str> {
        if let Some(tag) = token.strip_prefix('#') {
            self.add_hashtag(m, tag);
            return None;
        }
        if let Some(first) = phrase
            && !token.is_empty()
        {
            let joined = [first, token].concat();
            // Only a stem that runs into the second word: the first was counted alone.
            if let Some((category, len)) = word_signal(m, &m.trie.walk(joined.as_bytes()), &joined)
                && len > first.len()
            {
                self.hits[category] += 1;
            }
        }
        if token.len() < SHORT_STEM {
            return None;
        }
        let walk = m.trie.walk(token.as_bytes());
        if let Some((category, _)) = word_signal(m, &walk, token) {
            self.hits[category] += 1;
        }
        walk.starts_phrase.then_some(token)
    }

    /// Segments a hashtag into the stems it contains, longest first from the left
    /// (`#plantbasedrecipes` → plantbased, recipe), each counted once per tag.
    fn add_hashtag(&mut self, m: &Matcher, tag: &str) {
        let mut seen = [false; TAXONOMY.len()];
        let mut found = m.trie.find_iter(tag.as_bytes()).peekable();
        let mut previous_end = None;
        while let Some(f) = found.next() {
            let after_previous = previous_end == Some(f.start);
            previous_end = Some(f.end);
            let id = f.pattern;
            let Some(category) = m.category[id] else {
                continue;
            };
            if m.len[id] <= SHORT_STEM {
                let touches_start = f.start == 0 || after_previous;
                let touches_end = f.end == tag.len()
                    || found.peek().is_some_and(|n| n.start == f.end)
                    || tag.get(f.end..) == Some("s");
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

    /// The trie's matches as an Aho-Corasick automaton finds them, leftmost-longest.
    fn reference() -> aho_corasick::AhoCorasick {
        let (patterns, _) = patterns();
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .start_kind(aho_corasick::StartKind::Both)
            .build(&patterns)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    proptest! {
        /// Words and hashtags of stems, blockers and other letters: the trie finds what
        /// the automaton finds, at the start of a word and all along a tag.
        #[test]
        fn the_trie_finds_what_an_automaton_finds(
            pieces in proptest::collection::vec(
                prop_oneof![
                    proptest::sample::select(patterns().0),
                    proptest::sample::select(vec!["a", "s", "es", "x", "the", "2", "é", "#"])
                        .prop_map(str::to_owned),
                ],
                0..6,
            ),
        ) {
            let text = pieces.concat();
            let automaton = reference();
            let anchored = aho_corasick::Input::new(&text).anchored(aho_corasick::Anchored::Yes);
            let expected = automaton.find(anchored).map(|m| (m.pattern().as_usize(), m.end()));
            prop_assert_eq!(matcher().trie.longest_prefix(text.as_bytes()), expected);
            let expected: Vec<Found> = automaton
                .find_iter(&text)
                .map(|m| Found { pattern: m.pattern().as_usize(), start: m.start(), end: m.end() })
                .collect();
            let found: Vec<Found> = matcher().trie.find_iter(text.as_bytes()).collect();
            prop_assert_eq!(found, expected, "{}", text);
        }
    }

    #[test]
    fn stems_of_two_words_count_as_words_and_as_hashtags() {
        for text in [
            "a day in the national park",
            "#nationalparks",
            "NATIONAL PARKS!",
        ] {
            assert_eq!(categories([text])[0].name, "outdoors", "{text}");
        }
        for text in ["sunday self care", "#selfcare", "#SelfCareSunday"] {
            assert_eq!(categories([text])[0].name, "wellness", "{text}");
        }
        assert!(
            categories(["national, park"]).is_empty(),
            "punctuation ends a phrase"
        );
        assert!(categories(["self portrait"]).is_empty());
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
