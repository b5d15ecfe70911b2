//! Targeted sentiment: which parts of a text speak about the brand.
//!
//! The text is cut into clauses (at sentence ends, `,` `;` `:` and contrast words). A
//! clause that names the brand is about the brand; one that names only someone else (a
//! competitor, another @handle) is about them; a clause that names nobody continues the
//! subject of the clause before it. When the brand is the only subject the text names,
//! the whole text is about the brand.

use std::ops::Range;

use super::rules::contrasts;
use super::text::{Kind, Token};

/// Who a mention in the text names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Brand,
    /// A competitor or any other account.
    Other,
}

/// A mention found in the text, by byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub span: Range<usize>,
    pub subject: Subject,
}

/// How much a clause counts towards the brand's sentiment.
const ABOUT_BRAND: f64 = 1.0;
/// A clause whose subject is unknown, in a text that also names others.
const ABOUT_NOBODY: f64 = 0.5;
/// A clause about someone else: "@rival got me there on time" says little about the brand.
const ABOUT_OTHERS: f64 = 0.2;

/// The weight of each token: 1 everywhere unless the text names both the brand and
/// someone else.
pub(crate) fn weights(tokens: &[Token], mentions: &[Mention]) -> Vec<f64> {
    let names = |s: Subject| mentions.iter().any(|m| m.subject == s);
    if !(names(Subject::Brand) && names(Subject::Other)) {
        return vec![1.0; tokens.len()];
    }
    let clauses = clauses(tokens);
    let mut out = vec![ABOUT_NOBODY; tokens.len()];
    let mut subject: Option<Subject> = None;
    for clause in clauses {
        let named = |s: Subject| {
            mentions.iter().any(|m| {
                m.subject == s
                    && tokens[clause.clone()]
                        .iter()
                        .any(|t| t.span.start < m.span.end && m.span.start < t.span.end)
            })
        };
        if named(Subject::Brand) {
            subject = Some(Subject::Brand);
        } else if named(Subject::Other) {
            subject = Some(Subject::Other);
        }
        let w = match subject {
            Some(Subject::Brand) => ABOUT_BRAND,
            Some(Subject::Other) => ABOUT_OTHERS,
            None => ABOUT_NOBODY,
        };
        out[clause].fill(w);
    }
    out
}

/// Token ranges of the clauses, in order; separators belong to the clause they end, a
/// contrast word to the clause it opens.
fn clauses(tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        let ends = t.ends_sentence()
            || (t.kind == Kind::Punct && matches!(t.norm.as_str(), "," | ";" | ":"));
        if ends {
            out.push(start..i + 1);
            start = i + 1;
        } else if t.kind == Kind::Word && contrasts(&t.norm) && i > start {
            out.push(start..i);
            start = i;
        }
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::lexicon;
    use super::super::text::tokenize;
    use super::*;

    fn mention(text: &str, needle: &str, subject: Subject) -> Mention {
        let start = text.find(needle).unwrap_or(0);
        Mention {
            span: start..start + needle.len(),
            subject,
        }
    }

    fn weight_of(text: &str, word: &str, mentions: &[Mention]) -> f64 {
        let tokens = tokenize(text, lexicon());
        let w = weights(&tokens, mentions);
        let i = tokens.iter().position(|t| t.norm == word).unwrap_or(0);
        w[i]
    }

    #[test]
    fn a_text_naming_only_the_brand_counts_whole() {
        let text = "Great morning. @fernwood was fine";
        let m = [mention(text, "@fernwood", Subject::Brand)];
        assert_eq!(weight_of(text, "great", &m), 1.0);
    }

    #[test]
    fn clauses_about_someone_else_count_little() {
        let text = "@fernwood was slow, but @rival was great";
        let m = [
            mention(text, "@fernwood", Subject::Brand),
            mention(text, "@rival", Subject::Other),
        ];
        assert_eq!(weight_of(text, "slow", &m), ABOUT_BRAND);
        assert_eq!(weight_of(text, "great", &m), ABOUT_OTHERS);
    }

    #[test]
    fn a_clause_naming_nobody_continues_the_subject_before_it() {
        let text = "@rival lost my bag. They were rude. @fernwood found it, amazing";
        let m = [
            mention(text, "@fernwood", Subject::Brand),
            mention(text, "@rival", Subject::Other),
        ];
        assert_eq!(weight_of(text, "rude", &m), ABOUT_OTHERS);
        assert_eq!(weight_of(text, "amazing", &m), ABOUT_BRAND);
    }

    #[test]
    fn before_any_mention_the_subject_is_unknown() {
        let text = "Awful week. Then @fernwood saved it, unlike @rival";
        let m = [
            mention(text, "@fernwood", Subject::Brand),
            mention(text, "@rival", Subject::Other),
        ];
        assert_eq!(weight_of(text, "awful", &m), ABOUT_NOBODY);
    }

    #[test]
    fn contrast_words_open_a_new_clause() {
        let tokens = tokenize("good but slow", lexicon());
        assert_eq!(clauses(&tokens), [0..1, 1..3]);
    }
}
