//! Interest categories from what a creator writes: bio, captions and hashtags.
//!
//! A built-in taxonomy maps each category to stems; words match a stem at their start
//! (`recipe` matches `recipes`), and hashtags match a stem anywhere inside them, which
//! segments compounds like `#plantbasedrecipes` without a dictionary.

use std::collections::BTreeMap;

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

/// A category with the share of category signals that pointed to it (0–1).
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryScore {
    pub name: &'static str,
    pub confidence: f64,
}

/// The top three categories whose confidence reaches 15 %, strongest first.
pub fn categories<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<CategoryScore> {
    let mut hits: BTreeMap<&'static str, u32> = BTreeMap::new();
    for text in texts {
        let lower = text.to_lowercase();
        for token in lower.split(|c: char| !(c.is_alphanumeric() || c == '#')) {
            if let Some(tag) = token.strip_prefix('#') {
                for (name, stems) in TAXONOMY {
                    if stems
                        .iter()
                        .any(|s| !s.contains(' ') && s.len() >= 3 && tag.contains(s))
                    {
                        *hits.entry(name).or_default() += 1;
                    }
                }
            } else if token.len() >= 3 {
                for (name, stems) in TAXONOMY {
                    if stems.iter().any(|s| token.starts_with(s)) {
                        *hits.entry(name).or_default() += 1;
                    }
                }
            }
        }
    }
    let total: u32 = hits.values().sum();
    if total == 0 {
        return Vec::new();
    }
    let mut scores: Vec<CategoryScore> = hits
        .into_iter()
        .map(|(name, n)| CategoryScore {
            name,
            confidence: f64::from(n) / f64::from(total),
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
}
