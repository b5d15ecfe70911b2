//! The valences the analyser reads, on VADER's scale (−4…4): VADER's word lexicon (MIT),
//! emoji valence from the Emoji Sentiment Ranking (CC BY-SA 4.0) with VADER's emoji
//! descriptions as the fallback, and kith's own slang and complaint cues on top.
//!
//! The files are embedded (`data/`, see `data/NOTICE.md` for origin, licence and what
//! was changed) and parsed once, on first use, into an immutable table.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::cues::COMPLAINTS;
use super::rules::IDIOMS;
use super::slang::{SLANG, SLANG_EMOJI};
use super::text::fold;

const VADER_WORDS: &str = include_str!("../../data/vader_lexicon.tsv");
const VADER_EMOJI: &str = include_str!("../../data/vader_emoji_lexicon.tsv");
const EMOJI_RANKING: &str = include_str!("../../data/emoji_sentiment_ranking.csv");

/// An emoji's share of positive minus negative tweets is trusted only when it was seen
/// at least this often in the ranking's 1.6 M tweets; rarer ones fall back to their
/// description.
const MIN_OCCURRENCES: u32 = 30;
/// Emoji Sentiment Ranking scores (−1…1, after centring) times this land on VADER's
/// scale: ❤ comes out near VADER's `<3` (1.9) and 😒 near `:(` (−1.9 … −2.5).
const EMOJI_SCALE: f64 = 4.0;

/// Where a valence came from, for explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Vader,
    Slang,
    Complaint,
    EmojiRanking,
    EmojiDescription,
}

/// A multi-word entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Phrase {
    pub words: Vec<String>,
    pub valence: f64,
    pub source: Source,
}

/// Every valence the analyser knows.
#[derive(Debug)]
pub(crate) struct Lexicon {
    words: HashMap<String, (f64, Source)>,
    /// Multi-word entries as folded word sequences, by their first word.
    phrases: HashMap<String, Vec<Phrase>>,
    emoji: HashMap<String, (f64, Source)>,
    emoji_starts: HashSet<char>,
}

/// The lexicon, parsed on first use.
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::load)
}

impl Lexicon {
    fn load() -> Lexicon {
        let mut lex = Lexicon {
            words: HashMap::new(),
            phrases: HashMap::new(),
            emoji: HashMap::new(),
            emoji_starts: HashSet::new(),
        };
        for (entry, valence) in vader_words() {
            lex.insert(&entry, valence, Source::Vader);
        }
        for (idiom, valence) in IDIOMS {
            lex.insert(idiom, *valence, Source::Vader);
        }
        for s in SLANG {
            lex.insert(s.word, s.valence, Source::Slang);
        }
        for c in COMPLAINTS {
            lex.insert(c.phrase, c.valence, Source::Complaint);
        }
        lex.load_emoji();
        lex
    }

    fn insert(&mut self, entry: &str, valence: f64, source: Source) {
        let folded = fold(entry);
        let words: Vec<String> = folded.split(' ').map(str::to_owned).collect();
        if words.len() == 1 {
            self.words.insert(folded, (valence, source));
        } else if words
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphanumeric() || c == '\''))
        {
            let list = self.phrases.entry(words[0].clone()).or_default();
            list.retain(|p| p.words != words);
            list.push(Phrase {
                words,
                valence,
                source,
            });
            // Longest first, so "still waiting" wins over a shorter phrase at the same place.
            list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        }
    }

    fn load_emoji(&mut self) {
        let described: Vec<(String, String)> = VADER_EMOJI
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(e, d)| (emoji_key(e), d.to_owned()))
            .filter(|(e, _)| !e.is_empty())
            .collect();
        let known: HashSet<&str> = described.iter().map(|(e, _)| e.as_str()).collect();
        let ranked = ranked_emoji(&known);
        for (key, description) in &described {
            let entry = match ranked.get(key) {
                Some(v) => (*v, Source::EmojiRanking),
                None => (self.describe(description), Source::EmojiDescription),
            };
            self.emoji.insert(key.clone(), entry);
        }
        for (e, v) in SLANG_EMOJI {
            self.emoji.insert(emoji_key(e), (*v, Source::Slang));
        }
        self.emoji_starts = self.emoji.keys().filter_map(|k| k.chars().next()).collect();
    }

    /// An emoji's valence from its name ("smiling face with heart-eyes"): the sum of its
    /// words' valences, the way VADER reads emoji, kept within ±3.
    fn describe(&self, description: &str) -> f64 {
        fold(description)
            .split(|c: char| !c.is_alphanumeric())
            .filter_map(|w| self.words.get(w))
            .map(|(v, _)| v)
            .sum::<f64>()
            .clamp(-3.0, 3.0)
    }

    /// A word's valence and source; elongated words ("soooo goood") are looked up with
    /// their repeated letters collapsed.
    pub fn word(&self, word: &str) -> Option<(f64, Source)> {
        if let Some(v) = self.words.get(word) {
            return Some(*v);
        }
        if !has_run_of_three(word) {
            return None;
        }
        [collapse(word, 2), collapse(word, 1)]
            .iter()
            .find_map(|w| self.words.get(w.as_str()).copied())
    }

    /// Multi-word entries starting with `word`, longest first.
    pub fn phrases(&self, word: &str) -> &[Phrase] {
        self.phrases.get(word).map_or(&[], Vec::as_slice)
    }

    /// An emoji token's valence (its `norm` from the tokeniser); sequences unknown as a
    /// whole (a family, a flag) take their first emoji's.
    pub fn emoji(&self, key: &str) -> Option<(f64, Source)> {
        self.emoji.get(key).copied().or_else(|| {
            let first: String = key.chars().take(1).collect();
            self.emoji.get(&first).copied()
        })
    }

    pub fn starts_emoji(&self, c: char) -> bool {
        self.emoji_starts.contains(&c)
    }
}

/// VADER's `token<TAB>mean` lines; duplicates keep the last, as VADER's own loader does.
fn vader_words() -> impl Iterator<Item = (String, f64)> {
    VADER_WORDS.lines().filter_map(|line| {
        let (token, mean) = line.split_once('\t')?;
        Some((token.to_owned(), mean.trim().parse().ok()?))
    })
}

/// Emoji without variation selectors and skin tones, so `❤️` and `❤` are one key.
fn emoji_key(e: &str) -> String {
    e.chars()
        .filter(|c| *c != '\u{fe0f}' && !('\u{1f3fb}'..='\u{1f3ff}').contains(c))
        .collect()
}

/// Emoji Sentiment Ranking valences for emoji VADER also lists (the ranking also scores
/// box-drawing characters and other symbols, which are no emoji), seen often enough.
///
/// The score is the Laplace-smoothed share of positive minus negative tweets,
/// (pos − neg) / (n + 3), as in Kralj Novak et al. 2015. Tweets with emoji lean positive
/// (the mean score is about +0.25), so a score is centred on that mean before scaling:
/// an emoji is as positive as it is above the typical emoji. Without centring 😢 (0.01)
/// would be neutral and ✈ (0.42) as positive as 😊.
fn ranked_emoji(known: &HashSet<&str>) -> HashMap<String, f64> {
    let scored: Vec<(String, f64)> = EMOJI_RANKING
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut f = line.split(',');
            let key = emoji_key(f.next()?);
            let n: u32 = f.next()?.parse().ok()?;
            let neg: f64 = f.next()?.parse().ok()?;
            let _neutral = f.next()?;
            let pos: f64 = f.next()?.parse().ok()?;
            (n >= MIN_OCCURRENCES && known.contains(key.as_str()))
                .then(|| (key, (pos - neg) / (f64::from(n) + 3.0)))
        })
        .collect();
    if scored.is_empty() {
        return HashMap::new();
    }
    let centre = scored.iter().map(|(_, s)| s).sum::<f64>() / scored.len() as f64;
    scored
        .into_iter()
        .map(|(k, s)| (k, EMOJI_SCALE * (s - centre)))
        .collect()
}

fn has_run_of_three(word: &str) -> bool {
    let (mut last, mut run) = (None, 0);
    word.chars().any(|c| {
        run = if Some(c) == last { run + 1 } else { 1 };
        last = Some(c);
        run == 3
    })
}

/// The word with every run of a repeated character cut to `max`.
fn collapse(word: &str, max: usize) -> String {
    let mut out = String::new();
    let mut run = 0;
    let mut last = None;
    for c in word.chars() {
        run = if Some(c) == last { run + 1 } else { 1 };
        last = Some(c);
        if run <= max {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vader_line_parses() {
        assert_eq!(VADER_WORDS.lines().count(), 7520);
        assert_eq!(vader_words().count(), 7520);
    }

    #[test]
    fn vader_values_are_read_as_published() {
        assert_eq!(lexicon().word("love"), Some((3.2, Source::Vader)));
        assert_eq!(lexicon().word(":)"), Some((2.0, Source::Vader)));
    }

    #[test]
    fn multi_word_entries_become_phrases() {
        let can_t = lexicon().phrases("can't");
        assert!(
            can_t
                .iter()
                .any(|p| p.words == ["can't", "stand"] && p.valence == -2.0)
        );
    }

    #[test]
    fn elongated_words_are_found_by_collapsing_repeats() {
        assert_eq!(lexicon().word("goooood").map(|v| v.0), Some(1.9));
        assert_eq!(lexicon().word("loooove").map(|v| v.0), Some(3.2));
        assert_eq!(lexicon().word("zzzzz"), None);
    }

    #[test]
    fn common_emoji_take_the_ranking_sign() {
        let v = |e: &str| lexicon().emoji(e).map(|(v, _)| v).unwrap_or(0.0);
        for e in ["❤", "😍", "😊", "👍", "🙏"] {
            assert!(v(e) > 0.3, "{e} {}", v(e));
        }
        for e in ["😡", "😠", "😒", "😩", "😢", "👎", "💔"] {
            assert!(v(e) < -0.5, "{e} {}", v(e));
        }
        assert_eq!(
            lexicon().emoji("😍").map(|e| e.1),
            Some(Source::EmojiRanking)
        );
    }

    #[test]
    fn emoji_missing_from_the_ranking_are_read_from_their_description() {
        // 🥰 (2018) is newer than the ranking (2015); "smiling face with hearts".
        let (v, source) = lexicon().emoji("🥰").unwrap_or((0.0, Source::Vader));
        assert_eq!(source, Source::EmojiDescription);
        assert!(v > 1.0, "{v}");
    }

    #[test]
    fn emoji_sequences_fall_back_to_their_first_emoji() {
        assert_eq!(lexicon().emoji("😍\u{200d}x"), lexicon().emoji("😍"));
    }

    #[test]
    fn emoji_valences_stay_on_vaders_scale() {
        assert!(lexicon().emoji.values().all(|(v, _)| v.abs() <= 4.0));
    }
}
