//! Sentiment of short social text, −1…1, from a lexicon with negation, intensifiers,
//! contrast and emoji.
//!
//! This is the first, compact version: a hand-written lexicon of common opinion words
//! in product talk. The clause rules are what matter for brand mentions: "love the taste
//! but the price is too high" is judged mostly by the clause after "but".

const POSITIVE: &[(&str, f64)] = &[
    ("love", 3.0),
    ("loved", 3.0),
    ("loving", 3.0),
    ("obsessed", 2.8),
    ("amazing", 2.8),
    ("awesome", 2.8),
    ("excellent", 2.8),
    ("perfect", 2.7),
    ("best", 2.6),
    ("favorite", 2.4),
    ("favourite", 2.4),
    ("fantastic", 2.8),
    ("great", 2.4),
    ("delicious", 2.6),
    ("tasty", 2.2),
    ("good", 1.8),
    ("nice", 1.6),
    ("happy", 2.2),
    ("recommend", 2.0),
    ("recommended", 2.0),
    ("beautiful", 2.6),
    ("wonderful", 2.8),
    ("smooth", 1.4),
    ("fresh", 1.4),
    ("fast", 1.2),
    ("worth", 1.6),
    ("glad", 2.0),
    ("enjoy", 2.0),
    ("enjoyed", 2.0),
    ("impressed", 2.2),
    ("incredible", 2.8),
    ("gorgeous", 2.6),
    ("yummy", 2.4),
    ("fave", 2.4),
    ("fire", 1.8),
    ("thank", 1.6),
    ("thanks", 1.6),
    ("grateful", 2.2),
    ("cozy", 1.6),
    ("solid", 1.2),
    ("quality", 1.0),
    ("win", 1.8),
    ("winner", 2.0),
    ("like", 1.4),
    ("liked", 1.4),
];

const NEGATIVE: &[(&str, f64)] = &[
    ("hate", -3.0),
    ("hated", -3.0),
    ("awful", -2.8),
    ("terrible", -2.8),
    ("horrible", -2.8),
    ("worst", -3.0),
    ("bad", -2.2),
    ("disappointed", -2.4),
    ("disappointing", -2.4),
    ("broken", -2.0),
    ("slow", -1.6),
    ("late", -1.4),
    ("expensive", -1.4),
    ("overpriced", -2.0),
    ("bitter", -1.2),
    ("stale", -2.0),
    ("refund", -1.4),
    ("never", -1.0),
    ("poor", -2.2),
    ("rude", -2.4),
    ("gross", -2.4),
    ("meh", -1.2),
    ("waste", -2.4),
    ("scam", -3.0),
    ("damaged", -2.0),
    ("missing", -1.4),
    ("wrong", -1.8),
    ("sad", -2.0),
    ("angry", -2.6),
    ("annoyed", -2.0),
    ("sucks", -2.6),
    ("problem", -1.4),
    ("issue", -1.0),
    ("fail", -2.2),
    ("failed", -2.2),
    ("unhappy", -2.4),
    ("boring", -1.8),
    ("weak", -1.6),
    ("lost", -1.4),
    ("cancelled", -1.6),
    ("delayed", -1.6),
    ("hours", -0.4),
    ("ugh", -1.8),
];

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "isn't", "isnt", "wasn't", "wasnt", "don't", "dont", "doesn't", "doesnt",
    "didn't", "didnt", "can't", "cant", "won't", "wont", "ain't", "aint", "nothing", "hardly",
    "without",
];

const INTENSIFIERS: &[(&str, f64)] = &[
    ("very", 0.3),
    ("so", 0.3),
    ("really", 0.3),
    ("super", 0.3),
    ("extremely", 0.4),
    ("absolutely", 0.4),
    ("totally", 0.3),
    ("too", 0.2),
    ("incredibly", 0.4),
    ("slightly", -0.3),
    ("somewhat", -0.3),
    ("kinda", -0.3),
    ("bit", -0.3),
];

const EMOJI: &[(char, f64)] = &[
    ('😍', 2.8),
    ('❤', 2.6),
    ('🥰', 2.8),
    ('😊', 2.0),
    ('👍', 1.6),
    ('🙌', 2.0),
    ('🔥', 1.6),
    ('✨', 1.2),
    ('💯', 1.8),
    ('😋', 2.2),
    ('🤩', 2.6),
    ('☕', 0.4),
    ('💚', 2.2),
    ('😀', 2.0),
    ('😡', -2.8),
    ('😠', -2.6),
    ('😞', -2.2),
    ('😢', -2.2),
    ('👎', -2.0),
    ('🤮', -2.8),
    ('😤', -2.0),
    ('💔', -2.4),
    ('😒', -1.8),
    ('🙄', -1.6),
];

fn word_valence(word: &str) -> Option<f64> {
    POSITIVE
        .iter()
        .chain(NEGATIVE)
        .find(|(w, _)| *w == word)
        .map(|(_, v)| *v)
}

/// Sentiment of a whole text, −1…1, `0.0` when nothing opinionated is found.
pub fn sentiment(text: &str) -> f64 {
    let lower = text.to_lowercase();
    // Contrast: what follows "but"/"however" carries the writer's conclusion.
    let (before, after) = match find_contrast(&lower) {
        Some((b, a)) => (Some(b), a),
        None => (None, lower.as_str()),
    };
    let mut total = clause_valence(after);
    if let Some(b) = before {
        total = 0.35 * clause_valence(b) + 1.0 * total;
    }
    normalise(total)
}

fn find_contrast(text: &str) -> Option<(&str, &str)> {
    for marker in [" but ", " however ", " though ", " although "] {
        if let Some(i) = text.rfind(marker) {
            return Some((&text[..i], &text[i + marker.len()..]));
        }
    }
    None
}

fn clause_valence(text: &str) -> f64 {
    let mut sum = 0.0;
    for c in text.chars() {
        if let Some((_, v)) = EMOJI.iter().find(|(e, _)| *e == c) {
            sum += v;
        }
    }
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, word) in words.iter().enumerate() {
        let Some(mut v) = word_valence(word) else {
            continue;
        };
        // "never" is a negation when it modifies an opinion word, not an opinion itself.
        if *word == "never" && words.get(i + 1).is_some_and(|n| word_valence(n).is_some()) {
            continue;
        }
        let window = &words[i.saturating_sub(3)..i];
        if let Some(prev) = window.last()
            && let Some((_, boost)) = INTENSIFIERS.iter().find(|(w, _)| w == prev)
        {
            v *= 1.0 + boost;
        }
        if window.iter().any(|w| NEGATIONS.contains(w)) {
            v *= -0.6;
        }
        sum += v;
    }
    let exclaim = text.matches('!').count().min(3) as f64;
    if sum != 0.0 {
        sum += sum.signum() * 0.3 * exclaim;
    }
    sum
}

/// Squashes an unbounded sum into −1…1 the way VADER does (x / √(x² + 15)).
fn normalise(x: f64) -> f64 {
    (x / (x * x + 15.0).sqrt()).clamp(-1.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn praise_is_positive_and_complaints_negative() {
        assert!(sentiment("obsessed with the new blend 😍") > 0.5);
        assert!(sentiment("shipping was so slow, never again 😡") < -0.4);
    }

    #[test]
    fn negation_flips_an_opinion() {
        assert!(sentiment("not good") < 0.0);
        assert!(sentiment("not bad at all") > 0.0);
    }

    #[test]
    fn the_clause_after_but_decides() {
        assert!(sentiment("love the taste but the price is way too expensive and bitter") < 0.0);
        assert!(sentiment("a bit expensive but I love it") > 0.0);
    }

    #[test]
    fn neutral_text_scores_zero() {
        assert_eq!(sentiment("picked up a bag today"), 0.0);
    }

    #[test]
    fn scores_stay_in_range() {
        let s = sentiment("love love love love love amazing best perfect!!! 😍😍😍😍");
        assert!((-1.0..=1.0).contains(&s));
    }
}
