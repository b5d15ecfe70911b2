//! The word lists and constants of VADER's rules (Hutto & Gilbert 2014, vaderSentiment
//! 3.3.2, MIT), with kith's additions marked: booster words, negations, idioms, and the
//! empirically derived weights of emphasis, negation and contrast.

/// What a booster adds to (or, damping, takes from) the word it precedes.
pub(crate) const BOOST: f64 = 0.293;
/// What a word in capitals adds, when the text is not all in capitals.
pub(crate) const CAPS: f64 = 0.733;
/// A negated word keeps 74 % of its strength, with the sign flipped.
pub(crate) const NEGATION: f64 = -0.74;
/// Per `!`, up to four.
pub(crate) const EXCLAMATION: f64 = 0.292;
/// Per `?` when there are two or three; 0.96 from four on.
pub(crate) const QUESTION: f64 = 0.18;
/// The normalisation x / √(x² + α) of a summed valence into −1…1.
pub(crate) const ALPHA: f64 = 15.0;
/// Before a contrast ("good food, but slow service") a clause counts half, after it
/// one and a half.
pub(crate) const BEFORE_CONTRAST: f64 = 0.5;
pub(crate) const AFTER_CONTRAST: f64 = 1.5;
/// kith: praise in a question counts this much.
pub(crate) const QUESTIONED_PRAISE: f64 = 0.5;

/// Words that strengthen the next opinion word.
const BOOSTERS_UP: &[&str] = &[
    "absolutely",
    "amazingly",
    "awfully",
    "completely",
    "considerable",
    "considerably",
    "decidedly",
    "deeply",
    "effing",
    "enormous",
    "enormously",
    "entirely",
    "especially",
    "exceptional",
    "exceptionally",
    "extreme",
    "extremely",
    "fabulously",
    "flipping",
    "flippin",
    "frackin",
    "fracking",
    "fricking",
    "frickin",
    "frigging",
    "friggin",
    "fully",
    "fuckin",
    "fucking",
    "fuggin",
    "fugging",
    "greatly",
    "hella",
    "highly",
    "hugely",
    "incredible",
    "incredibly",
    "intensely",
    "major",
    "majorly",
    "more",
    "most",
    "particularly",
    "purely",
    "quite",
    "really",
    "remarkably",
    "so",
    "substantially",
    "thoroughly",
    "total",
    "totally",
    "tremendous",
    "tremendously",
    "uber",
    "unbelievably",
    "unusually",
    "utter",
    "utterly",
    "very",
    // kith: "highkey" is the emphatic twin of "lowkey".
    "highkey",
    "super",
    "soo",
    "sooo",
];

/// Words that soften the next opinion word.
const BOOSTERS_DOWN: &[&str] = &[
    "almost",
    "barely",
    "hardly",
    "kinda",
    "kindof",
    "kind-of",
    "less",
    "little",
    "marginal",
    "marginally",
    "occasional",
    "occasionally",
    "partly",
    "scarce",
    "scarcely",
    "slight",
    "slightly",
    "somewhat",
    "sorta",
    "sortof",
    "sort-of",
    // kith: "lowkey love this" is a hedged "love this".
    "lowkey",
];

/// The booster value of a (folded) word: positive strengthens, negative softens.
pub(crate) fn booster(word: &str) -> Option<f64> {
    if BOOSTERS_UP.contains(&word) {
        Some(BOOST)
    } else if BOOSTERS_DOWN.contains(&word) {
        Some(-BOOST)
    } else {
        None
    }
}

const NEGATIONS: &[&str] = &[
    "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "dont", "hadnt",
    "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither", "neednt", "never", "none", "nope",
    "nor", "not", "nothing", "nowhere", "oughtnt", "shant", "shouldnt", "uhuh", "uh-uh", "wasnt",
    "werent", "without", "wont", "wouldnt", "rarely", "seldom", "despite",
    // kith: common in complaints ("nobody answers").
    "nobody", "noone",
];

/// Whether a (folded) word negates what follows: the list, or any "n't" contraction.
pub(crate) fn negates(word: &str) -> bool {
    NEGATIONS.contains(&word) || word.contains("n't")
}

/// Words that mark a contrast: what follows carries the writer's conclusion.
pub(crate) fn contrasts(word: &str) -> bool {
    matches!(word, "but" | "however")
}

/// Idioms whose meaning is not the sum of their words (VADER's idioms and special
/// cases), scored as one unit.
pub(crate) const IDIOMS: &[(&str, f64)] = &[
    ("cut the mustard", 2.0),
    ("hand to mouth", -2.0),
    ("back handed", -2.0),
    ("blow smoke", -2.0),
    ("blowing smoke", -2.0),
    ("upper hand", 1.0),
    ("break a leg", 2.0),
    ("cooking with gas", 2.0),
    ("in the black", 2.0),
    ("in the red", -2.0),
    ("on the ball", 2.0),
    ("under the weather", -2.0),
    ("the shit", 3.0),
    ("the bomb", 3.0),
    ("bad ass", 1.5),
    ("badass", 1.5),
    ("yeah right", -2.0),
    ("kiss of death", -1.5),
    ("to die for", 3.0),
    ("beating heart", 3.1),
    ("broken heart", -2.9),
    // kith: everyday idioms VADER reads word by word.
    ("out of hand", -1.5),
    ("on the other hand", 0.0),
    ("give a damn", 1.5),
    ("nice try", -1.0),
    ("like a boss", 1.5),
    ("mad love", 3.0),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boosters_strengthen_and_hedges_soften() {
        assert_eq!(booster("very"), Some(BOOST));
        assert_eq!(booster("lowkey"), Some(-BOOST));
        assert_eq!(booster("coffee"), None);
    }

    #[test]
    fn contractions_negate() {
        assert!(negates("isn't") && negates("wouldn't") && negates("never"));
        assert!(!negates("ngl") && !negates("now"));
    }
}
