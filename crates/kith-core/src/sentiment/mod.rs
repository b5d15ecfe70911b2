//! Sentiment of short social text, −1…1, and of what a text says about one brand.
//!
//! A VADER-style analyser (Hutto & Gilbert 2014) written for kith: VADER's lexicon and
//! rules — boosters, negation (×−0.74), capitals, `!`/`?` emphasis, "but", "least",
//! "kind of", idioms, and the normalisation x/√(x²+15) — with emoji valence from the
//! Emoji Sentiment Ranking, social-media slang, and complaint cues that customers of any
//! brand use ("still waiting", "on hold", "never arrived").
//!
//! [`targeted`] scores only the clauses about the brand when a text also talks about
//! others; [`Polarity`] turns a score into negative / neutral / positive for brand
//! monitoring.
//!
//! # Layout
//! - `text`: tokens with spans; `lexicon`: the embedded valences, parsed once;
//!   `slang`, `cues`: kith's additions; `rules`: VADER's word lists and constants.
//! - `valence`: the word rules applied to tokens; `context`: the sentence rules;
//!   `target`: clauses and who they are about.

mod context;
mod cues;
mod lexicon;
mod rules;
mod slang;
mod target;
mod text;
mod valence;

#[cfg(test)]
mod tests;

pub use lexicon::Source;
pub use target::{Mention, Subject};

pub(crate) use text::fold;

use lexicon::lexicon;
use rules::{ALPHA, EXCLAMATION, QUESTION};
use text::{Kind, tokenize};

/// What a text says about the brand, in three classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Polarity {
    Negative,
    Neutral,
    Positive,
}

/// Where the three classes meet on the score. A score strictly below `negative_below`
/// is negative, strictly above `positive_above` positive, neutral in between.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub negative_below: f64,
    pub positive_above: f64,
}

impl Thresholds {
    /// VADER's published cut-offs, ±0.05.
    pub const VADER: Thresholds = Thresholds {
        negative_below: -0.05,
        positive_above: 0.05,
    };

    /// kith's cut-offs: the best macro-F1 on the airline tweets (14,636 tweets to six US
    /// airlines, CrowdFlower 2015) over a 0.01 grid that keeps a score of 0 — no opinion
    /// found — neutral. Fitted by `kith eval` (`kith_eval::sentiment::fit_thresholds`,
    /// which prints them); their figures are 10-fold cross-validated, see
    /// `docs/eval/sentiment.md`. Any negative evidence makes a mention negative; praise
    /// must be clear (VADER's "thank you" alone, 0.36, stays neutral), because messages
    /// to brands wrap complaints in polite or sarcastic praise.
    pub const KITH: Thresholds = Thresholds {
        negative_below: 0.0,
        positive_above: 0.41,
    };

    pub fn polarity(&self, score: f64) -> Polarity {
        if score < self.negative_below {
            Polarity::Negative
        } else if score > self.positive_above {
            Polarity::Positive
        } else {
            Polarity::Neutral
        }
    }
}

/// One word, phrase or emoji that moved the score.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// As written in the text.
    pub text: String,
    /// What it added, after every rule and the targeting weight (VADER's −4…4 scale).
    pub valence: f64,
    pub source: Source,
    pub negated: bool,
}

/// A text's score and the terms behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// −1…1; 0 when nothing opinionated is found.
    pub score: f64,
    pub polarity: Polarity,
    pub terms: Vec<Term>,
}

/// Sentiment of a whole text, −1…1, `0.0` when nothing opinionated is found.
pub fn sentiment(text: &str) -> f64 {
    analyse(text).score
}

/// Sentiment of a whole text, with the terms behind it.
pub fn analyse(text: &str) -> Analysis {
    targeted(text, &[])
}

/// Sentiment of what `text` says about the brand, given where it names the brand and
/// others (see [`target`](self) rules); the whole text when it names only the brand or
/// nobody.
pub fn targeted(text: &str, mentions: &[Mention]) -> Analysis {
    let lex = lexicon();
    let tokens = tokenize(text, lex);
    let weights = target::weights(&tokens, mentions);
    // The brand's own name is no opinion ("United", "Happy Socks"), nor a rival's.
    let named = |t: &text::Token| {
        mentions
            .iter()
            .any(|m| t.span.start < m.span.end && m.span.start < t.span.end)
    };
    let terms: Vec<(Term, f64)> = valence::contributions(&tokens, lex)
        .into_iter()
        .filter(|c| !(c.first..=c.token).any(|i| named(&tokens[i])))
        .map(|c| {
            let span = tokens[c.first].span.start..tokens[c.token].span.end;
            let w = weights[c.token];
            let term = Term {
                text: text[span].to_owned(),
                valence: c.valence * w,
                source: c.source,
                negated: c.negated,
            };
            (term, w)
        })
        .collect();
    let sum: f64 = terms.iter().map(|(t, _)| t.valence).sum();
    // Emphasis strengthens an opinion; it creates none.
    let emphasised = if sum == 0.0 {
        0.0
    } else {
        sum + emphasis(&tokens).copysign(sum)
    };
    let score = normalise(emphasised);
    Analysis {
        score,
        polarity: Thresholds::KITH.polarity(score),
        terms: terms.into_iter().map(|(t, _)| t).collect(),
    }
}

/// VADER's punctuation emphasis: each `!` (up to four) and two or more `?` push the
/// score further from zero.
fn emphasis(tokens: &[text::Token]) -> f64 {
    let count = |p: &str| {
        tokens
            .iter()
            .filter(|t| t.kind == Kind::Punct && t.norm == p)
            .count()
    };
    let bangs = count("!").min(4) as f64 * EXCLAMATION;
    let questions = match count("?") {
        0 | 1 => 0.0,
        n @ 2..=3 => n as f64 * QUESTION,
        _ => 0.96,
    };
    bangs + questions
}

/// Squashes an unbounded sum into −1…1 the way VADER does, x / √(x² + 15).
fn normalise(x: f64) -> f64 {
    if !x.is_finite() {
        return 0.0;
    }
    (x / (x * x + ALPHA).sqrt()).clamp(-1.0, 1.0)
}

impl Analysis {
    /// One line for people: the class, the score and the strongest terms.
    pub fn explain(&self) -> String {
        let mut terms: Vec<&Term> = self.terms.iter().filter(|t| t.valence != 0.0).collect();
        terms.sort_by(|a, b| b.valence.abs().total_cmp(&a.valence.abs()));
        let mut line = format!("{} ({:+.2})", self.polarity.name(), self.score);
        for (i, t) in terms.iter().take(5).enumerate() {
            line.push_str(if i == 0 { ": " } else { ", " });
            line.push_str(&format!("\"{}\" {:+.2}", t.text, t.valence));
            let tag = match t.source {
                Source::Vader => "",
                Source::Slang => " slang",
                Source::Complaint => " complaint",
                Source::EmojiRanking | Source::EmojiDescription => " emoji",
            };
            line.push_str(tag);
            if t.negated {
                line.push_str(" negated");
            }
        }
        if terms.is_empty() {
            line.push_str(": no opinion words");
        }
        line
    }
}

impl Polarity {
    pub fn name(self) -> &'static str {
        match self {
            Polarity::Negative => "negative",
            Polarity::Neutral => "neutral",
            Polarity::Positive => "positive",
        }
    }
}
