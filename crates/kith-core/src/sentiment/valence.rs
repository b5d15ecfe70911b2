//! VADER's word rules applied to tokens: each opinion word's valence, adjusted by
//! boosters in the three words before it, negation, capitals, "no", "least" and idioms.
//! The rules that look at whole sentences (contrast, questions, sarcasm, negations left
//! dangling) are in `context`.
//!
//! Unlike VADER, the look-back never crosses a sentence end. kith adds complaint cues
//! and negated service outcomes ("never arrived"), reads "like" as liking only after a
//! subject ("I like", not "feels like" or "like 3 hours"), and takes two capitals for a
//! code ("NH", "PO") rather than a chat abbreviation.

use super::context::{self, Sentences};
use super::cues::{OUTCOMES, UNMET_OUTCOME};
use super::lexicon::{Lexicon, Source};
use super::rules::{BOOST, CAPS, NEGATION, booster, negates};
use super::text::{Kind, Token};

/// One opinion-bearing token and what it adds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Contribution {
    /// Index into the tokens; a phrase is placed at its last word.
    pub token: usize,
    /// The first token of the phrase (the same as `token` for a single word).
    pub first: usize,
    pub valence: f64,
    pub source: Source,
    pub negated: bool,
}

/// A token that can carry or modify sentiment, with its sentence.
pub(crate) struct Item<'t> {
    pub token: usize,
    pub tok: &'t Token,
    pub sentence: usize,
    /// The word just before, single letters included ("I like").
    prev_word: Option<&'t str>,
}

impl Item<'_> {
    pub fn word(&self) -> Option<&str> {
        matches!(self.tok.kind, Kind::Word | Kind::Hashtag).then_some(self.tok.norm.as_str())
    }
}

/// Subjects after which "like" means liking.
const LIKERS: &[&str] = &[
    "i",
    "we",
    "they",
    "you",
    "u",
    "really",
    "also",
    "totally",
    "definitely",
    "actually",
    "do",
    "does",
    "did",
    "always",
    "still",
    "just",
    "gonna",
];

/// The contributions of every opinion-bearing token, before targeting.
pub(crate) fn contributions(tokens: &[Token], lex: &Lexicon) -> Vec<Contribution> {
    let (items, questions) = items(tokens);
    let words = items.iter().filter(|i| i.word().is_some()).count();
    let shouted = items.iter().filter(|i| i.tok.shouting).count();
    // Capitals are emphasis only when the rest of the text is not shouted too.
    let cap_diff = shouted > 0 && shouted < words;
    let slots = phrases(&items, lex);
    let mut out: Vec<Contribution> = (0..items.len())
        .filter_map(|i| score(&items, i, &slots, lex, cap_diff))
        .collect();
    // Whether each item is an opinion or outcome word, before any rule drops it.
    let opinionated: Vec<bool> = items
        .iter()
        .zip(&slots)
        .map(|(it, slot)| {
            !matches!(slot, Slot::Free)
                || it.word().is_some_and(|w| {
                    OUTCOMES.contains(&w) || lex.word(w).is_some_and(|(v, _)| v != 0.0)
                })
        })
        .collect();
    let sentences = Sentences::new(tokens.len(), &items, questions);
    context::dangling_negations(&items, &opinionated, &mut out);
    context::contrast(&items, &sentences, &mut out);
    context::questions(&sentences, &mut out);
    context::sarcastic_thanks(&items, &sentences, &mut out);
    out
}

/// The scorable tokens with their sentence, and whether each sentence is a question. A
/// run of enders ("?!?") closes one sentence.
fn items(tokens: &[Token]) -> (Vec<Item<'_>>, Vec<bool>) {
    let mut out = Vec::new();
    let mut questions = vec![false];
    let mut sentence = 0;
    let mut open = false;
    let mut prev_word = None;
    for (token, tok) in tokens.iter().enumerate() {
        if tok.ends_sentence() {
            if open {
                sentence += 1;
                questions.push(false);
                open = false;
                prev_word = None;
            }
            if tok.norm == "?" && sentence > 0 {
                questions[sentence - 1] = true;
            }
            continue;
        }
        open = true;
        let before = prev_word;
        if tok.kind == Kind::Word {
            prev_word = Some(tok.norm.as_str());
        }
        let scorable = match tok.kind {
            // Single letters ("I", "a") are skipped, as in VADER, so "not a good" negates.
            Kind::Word | Kind::Hashtag => tok.norm.chars().count() > 1,
            Kind::Emoji | Kind::Emoticon => true,
            Kind::Handle | Kind::Url | Kind::Punct => false,
        };
        if scorable {
            out.push(Item {
                token,
                tok,
                sentence,
                prev_word: before,
            });
        }
    }
    (out, questions)
}

/// What a phrase match makes of an item.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Free,
    /// Inside a phrase, before its last word: carries nothing itself.
    Inside,
    /// The last word of a phrase starting at item `start`.
    End {
        start: usize,
        valence: f64,
        source: Source,
    },
}

/// Greedy, longest-first phrase matches within sentences.
fn phrases(items: &[Item<'_>], lex: &Lexicon) -> Vec<Slot> {
    let mut out = vec![Slot::Free; items.len()];
    let mut i = 0;
    while i < items.len() {
        let found = items[i].word().and_then(|w| {
            lex.phrases(w).iter().find(|p| {
                p.words.iter().enumerate().all(|(k, pw)| {
                    items.get(i + k).is_some_and(|it| {
                        it.sentence == items[i].sentence && it.word() == Some(pw.as_str())
                    })
                })
            })
        });
        match found {
            Some(p) => {
                let end = i + p.words.len() - 1;
                out[i..end].fill(Slot::Inside);
                out[end] = Slot::End {
                    start: i,
                    valence: p.valence,
                    source: p.source,
                };
                i = end + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// The valence of item `i`, or `None` when it carries no sentiment.
fn score(
    items: &[Item<'_>],
    i: usize,
    slots: &[Slot],
    lex: &Lexicon,
    cap_diff: bool,
) -> Option<Contribution> {
    let item = &items[i];
    // Modifiers are looked for before a phrase, not among its own words.
    let (start, phrase) = match slots[i] {
        Slot::Inside => return None,
        Slot::Free => (i, None),
        Slot::End {
            start,
            valence,
            source,
        } => (start, Some((valence, source))),
    };
    let plain = |valence: f64, source: Source| Contribution {
        token: item.token,
        first: items[start].token,
        valence,
        source,
        negated: false,
    };
    match item.tok.kind {
        Kind::Emoji => {
            return lex
                .emoji(&item.tok.norm)
                .filter(|(v, _)| *v != 0.0)
                .map(|(v, s)| plain(v, s));
        }
        Kind::Emoticon => {
            // VADER counts ":D" or "XD" as written in capitals, so it emphasises them.
            let caps = if item.tok.shouting && cap_diff {
                CAPS
            } else {
                0.0
            };
            return lex
                .word(&item.tok.norm)
                .map(|(v, s)| plain(v + caps.copysign(v), s));
        }
        _ => {}
    }
    let word = item.word()?;
    let at = |d: usize| -> Option<&str> {
        let j = start.checked_sub(d)?;
        (items[j].sentence == item.sentence)
            .then(|| items[j].word())
            .flatten()
    };
    let next = items
        .get(i + 1)
        .filter(|n| n.sentence == item.sentence)
        .and_then(Item::word);
    if booster(word).is_some() || (matches!(word, "kind" | "sort") && next == Some("of")) {
        return None;
    }
    // Two capitals are a code — a state, an airport, a size ("NH", "PO", "XL") — not
    // one of VADER's chat abbreviations, except the few used in capitals.
    if word.len() == 2 && item.tok.shouting && !matches!(word, "ok" | "no" | "ty" | "xd") {
        return None;
    }
    let own = |w: &str| lex.word(w).is_some_and(|(v, _)| v != 0.0);
    let (mut valence, source) =
        phrase.unwrap_or_else(|| lex.word(word).unwrap_or((0.0, Source::Vader)));
    if word == "like" && phrase.is_none() && !item.prev_word.is_some_and(|p| LIKERS.contains(&p)) {
        return None;
    }
    // "no" before an opinion word is a determiner ("no problems"), not a complaint.
    if word == "no" && next.is_some_and(own) {
        return None;
    }
    let window: Vec<&str> = (1..=3).map_while(at).collect();
    if valence == 0.0 {
        // A service outcome that did not happen is a complaint.
        let unmet = OUTCOMES.contains(&word)
            && window
                .iter()
                .any(|w| negates(w) || *w == "no" || *w == "yet");
        return unmet.then(|| Contribution {
            source: Source::Complaint,
            negated: true,
            ..plain(UNMET_OUTCOME, Source::Complaint)
        });
    }
    let mut negated = false;
    let no_before = at(1) == Some("no")
        || at(2) == Some("no")
        || (at(3) == Some("no") && matches!(at(1), Some("or" | "nor")));
    if no_before {
        valence *= NEGATION;
        negated = true;
    }
    if item.tok.shouting && cap_diff {
        valence += CAPS.copysign(valence);
    }
    for (k, prev) in window.iter().enumerate() {
        let d = k + 1;
        if own(prev) {
            continue;
        }
        let boost = booster(prev).or_else(|| {
            (*prev == "of" && matches!(at(d + 1), Some("kind" | "sort"))).then_some(-BOOST)
        });
        if let Some(b) = boost {
            // A booster moves the word away from zero, a softener towards it.
            let mut scalar = if valence < 0.0 { -b } else { b };
            if items[start - d].tok.shouting && cap_diff {
                scalar += CAPS.copysign(valence);
            }
            valence += scalar * [1.0, 0.95, 0.9][k];
        }
        // "less than friendly" is litotes for unfriendly.
        let litotes = *prev == "than" && window.get(k + 1) == Some(&"less");
        if negates(prev) || litotes {
            let between = &window[..k];
            // "never so happy", "never looked better": emphasis, not negation.
            let emphatic = between.iter().any(|w| matches!(*w, "so" | "this"))
                || matches!(word, "better" | "happier");
            if *prev == "never" && emphatic {
                valence *= 1.25;
            } else if !(*prev == "without" && between.contains(&"doubt")) {
                valence *= NEGATION;
                negated = !negated;
            }
        }
    }
    // "least" negates ("the least helpful"), except in "at least" and "very least".
    if at(1) == Some("least") && !matches!(at(2), Some("at" | "very")) {
        valence *= NEGATION;
        negated = !negated;
    }
    // A problem that did not happen ("not delayed") is no praise.
    if source == Source::Complaint && negated {
        return None;
    }
    Some(Contribution {
        valence,
        source,
        negated,
        ..plain(valence, source)
    })
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::lexicon;
    use super::super::text::tokenize;
    use super::*;

    fn valences(text: &str) -> Vec<f64> {
        contributions(&tokenize(text, lexicon()), lexicon())
            .into_iter()
            .map(|c| (c.valence * 1000.0).round() / 1000.0)
            .collect()
    }

    #[test]
    fn a_word_keeps_its_lexicon_valence() {
        assert_eq!(valences("good"), [1.9]);
    }

    #[test]
    fn boosters_add_less_the_further_back_they_are() {
        assert_eq!(valences("very good"), [2.193]);
        assert_eq!(valences("very much good"), [2.178]);
    }

    #[test]
    fn negation_multiplies_by_minus_0_74() {
        assert_eq!(valences("not good"), [-1.406]);
    }

    #[test]
    fn capitals_add_0_733_when_not_everything_is_shouted() {
        assert_eq!(valences("GOOD coffee"), [2.633]);
        assert_eq!(valences("GOOD COFFEE"), [1.9]);
    }

    #[test]
    fn kind_of_softens_the_word_after_it() {
        assert_eq!(valences("kind of good"), [1.607]);
    }

    #[test]
    fn a_phrase_is_negated_from_before_its_first_word() {
        // "can't wait" holds its own "can't"; "not" before it would flip it.
        assert_eq!(valences("can't wait"), [1.8]);
    }

    #[test]
    fn an_unmet_outcome_is_a_complaint() {
        assert_eq!(valences("never arrived"), [UNMET_OUTCOME]);
        assert_eq!(valences("arrived"), Vec::<f64>::new());
    }

    #[test]
    fn like_counts_after_a_subject_only() {
        assert_eq!(valences("I like it"), [1.5]);
        assert_eq!(valences("looks like rain"), Vec::<f64>::new());
    }

    #[test]
    fn two_capital_letters_are_a_code() {
        assert_eq!(valences("from NH"), Vec::<f64>::new());
        assert_eq!(valences("nh"), [2.2]);
    }
}
