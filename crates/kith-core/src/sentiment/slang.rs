//! What words and emoji mean in social posts today, where VADER's 2014 lexicon is silent
//! or reads the literal sense. Each entry says why it is here; values are on VADER's
//! −4…4 scale, chosen next to comparable VADER words ("great" 3.1, "good" 1.9,
//! "bad" −2.5, "meh" −0.3).

/// A slang word or phrase (words separated by one space) and why it was added.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slang {
    pub word: &'static str,
    pub valence: f64,
    /// Documentation that the tests hold every entry to.
    #[cfg_attr(not(test), allow(dead_code))]
    pub why: &'static str,
}

const fn s(word: &'static str, valence: f64, why: &'static str) -> Slang {
    Slang { word, valence, why }
}

pub(crate) const SLANG: &[Slang] = &[
    s(
        "fire",
        1.8,
        "\"this blend is fire\" means excellent; VADER's −1.4 reads a blaze, rare in posts about products",
    ),
    s(
        "slaps",
        2.0,
        "\"this sauce slaps\": is excellent; absent from VADER",
    ),
    s(
        "bussin",
        2.2,
        "\"it's bussin\": delicious, excellent; absent",
    ),
    s("banger", 2.0, "an excellent song or product; absent"),
    s("goat", 2.0, "\"the GOAT\": greatest of all time; absent"),
    s("iconic", 1.8, "praise; absent"),
    s("underrated", 1.2, "\"so underrated\" recommends; absent"),
    s("overrated", -1.5, "disparages; absent"),
    s("mid", -1.2, "\"kinda mid\": mediocre; absent"),
    s(
        "meh",
        -1.0,
        "a thumbs-down on the thing reviewed; VADER's −0.3 reads it as a shrug",
    ),
    s(
        "obsessed",
        2.5,
        "\"obsessed with this\" is love for a product; VADER's −0.7 reads the clinical sense",
    ),
    s(
        "addicted",
        1.5,
        "\"addicted to this coffee\" is praise in product talk; absent",
    ),
    s(
        "sucked",
        -2.0,
        "VADER has suck/sucks but not the past tense",
    ),
    s("trash", -1.8, "\"this is trash\"; absent"),
    s("garbage", -1.8, "\"this is garbage\"; absent"),
    s("ripoff", -2.2, "overpriced or fake; absent"),
    s("rip-off", -2.2, "spelling of ripoff"),
    s("yikes", -1.0, "dismay; absent"),
    s("fml", -2.0, "\"f*** my life\": distress; absent"),
    s("cringe", -1.5, "embarrassing, off-putting; absent"),
    s("lit", 1.2, "\"the launch was lit\": exciting; absent"),
    s("dope", 1.5, "slang for excellent; absent"),
    s("luv", 2.5, "spelling of love in posts; absent"),
    s("faves", 1.9, "plural of fave (VADER 1.9); absent"),
    s(
        "tysm",
        2.0,
        "\"thank you so much\"; absent (VADER has ty 1.6)",
    ),
    s(
        "ngl",
        0.0,
        "\"not gonna lie\": a frankness marker before an opinion, never a negation",
    ),
    s(
        "not gonna lie",
        0.0,
        "spelled out, so its \"not\" does not negate the opinion that follows",
    ),
    s(
        "no cap",
        0.0,
        "\"no lie\", honestly; its \"no\" must not negate or count as negative",
    ),
    s("chef's kiss", 2.5, "perfect; absent"),
    s("game changer", 2.0, "high praise for a product; absent"),
    s("game-changer", 2.0, "spelling of game changer"),
    s("must-have", 1.5, "recommends a product; absent"),
    s("must have", 1.5, "recommends a product; absent"),
    s("hits different", 1.8, "is unusually good; absent"),
    s(
        "can't wait",
        1.8,
        "eagerness, not a complaint about waiting",
    ),
    s("cant wait", 1.8, "spelling of can't wait"),
    s("nightmare", -2.5, "general English VADER lacks"),
    s("hassle", -1.5, "general English VADER lacks"),
    s(
        "disrespectful",
        -2.0,
        "general English VADER lacks (it has disrespect −1.8)",
    ),
    s(
        "excuses",
        -1.2,
        "\"no more excuses\"; VADER has only excuse, +0.3",
    ),
    s("tanked", -1.5, "\"quality has tanked\"; absent"),
    s("thankyou", 1.9, "thank you run together, as in #thankyou"),
    s("lovin", 2.9, "spelling of loving (VADER 2.9)"),
    s("luvin", 2.9, "spelling of loving"),
    s(
        "hand",
        0.0,
        "VADER's 2.2 for hand is an artefact: \"hand\" is a body part or \"a hand\"",
    ),
    s(
        "please",
        0.0,
        "a request: in a message to a brand \"please help\" comes with a problem, not praise (VADER 1.3)",
    ),
    s("pls", 0.0, "spelling of please (VADER 0.3)"),
    s("plz", 0.0, "spelling of please (VADER 0.3)"),
    s(
        "help",
        0.0,
        "a request for help signals a problem, not praise (VADER 1.7); helpful/helped keep VADER's values",
    ),
];

/// Emoji whose everyday meaning differs from their 2015 ranking, or that are newer.
pub(crate) const SLANG_EMOJI: &[(&str, f64)] = &[
    // "🔥" says a product is "fire" (excellent); the ranking's tweets mix in literal fires.
    ("🔥", 1.8),
    // "💯" agrees or approves ("keep it 100"); the ranking's score is near its mean.
    ("💯", 1.5),
    // 🐐: the GOAT, greatest of all time; newer than the ranking.
    ("🐐", 2.0),
    // 🙄 eye-roll: exasperation; its description ("face with rolling eyes") has no valence.
    ("🙄", -1.5),
    // 🤮 and 🤬: disgust and swearing; newer than the ranking.
    ("🤮", -2.5),
    ("🤬", -2.8),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_says_why_and_stays_on_the_scale() {
        for e in SLANG {
            assert!(!e.why.is_empty(), "{}", e.word);
            assert!(e.valence.abs() <= 4.0, "{}", e.word);
        }
    }

    #[test]
    fn entries_are_unique() {
        let mut words: Vec<&str> = SLANG.iter().map(|e| e.word).collect();
        words.sort_unstable();
        let n = words.len();
        words.dedup();
        assert_eq!(words.len(), n);
    }
}
