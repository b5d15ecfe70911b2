//! Splitting social text into tokens the analyser can score: words, hashtags, @handles,
//! emoji, emoticons, URLs and punctuation, each with its byte span in the original text
//! so a brand mention found elsewhere can be placed among them.
//!
//! Lookups use a folded form (lower case, accents removed, curly apostrophes made
//! straight): "CAFÉ’S" and "cafe's" are the same word to every rule.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::lexicon::Lexicon;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    /// `#word`; its `norm` is the word, which is scored like any other.
    Hashtag,
    /// `@name`; never scored (a handle like `@HappyBakery` is not praise).
    Handle,
    Emoji,
    /// An ASCII face in the lexicon, such as `:)` or `<3`.
    Emoticon,
    Url,
    /// One of `!?.,;:` or a line break (`\n`).
    Punct,
}

/// One token of a text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: Kind,
    /// Bytes of the original text.
    pub span: Range<usize>,
    /// The folded form: without `#`/`@`; for emoji, the sequence without variation
    /// selectors and skin tones; for punctuation, the character.
    pub norm: String,
    /// Written in capitals: at least two letters, none lower case.
    pub shouting: bool,
}

impl Token {
    /// Ends a sentence: `.`, `!`, `?` or a line break.
    pub fn ends_sentence(&self) -> bool {
        self.kind == Kind::Punct && matches!(self.norm.as_str(), "." | "!" | "?" | "\n")
    }
}

/// Lower case without accents, with straight apostrophes: the form every lookup uses.
pub(crate) fn fold(s: &str) -> String {
    // Most captions are plain ASCII, where decomposition can change nothing.
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == '’' || c == '‘' { '\'' } else { c })
        .collect()
}

/// The tokens of `text`, in order.
pub(crate) fn tokenize(text: &str, lexicon: &Lexicon) -> Vec<Token> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let rest = &text[pos..];
        let ws = rest.len() - rest.trim_start().len();
        if ws > 0 {
            if rest[..ws].contains('\n') && out.last().is_some_and(|t: &Token| !t.ends_sentence()) {
                out.push(punct('\n', pos..pos + 1));
            }
            pos += ws;
            continue;
        }
        let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        chunk(text, pos..pos + len, lexicon, &mut out);
        pos += len;
    }
    out
}

fn punct(c: char, span: Range<usize>) -> Token {
    Token {
        kind: Kind::Punct,
        span,
        norm: c.to_string(),
        shouting: false,
    }
}

/// HTML entities that scraped posts carry (`&amp;`, `&lt;3`), decoded.
fn unescape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .into()
}

/// Tokens of one whitespace-free chunk.
fn chunk(text: &str, span: Range<usize>, lexicon: &Lexicon, out: &mut Vec<Token>) {
    let raw = &text[span.clone()];
    if ["http://", "https://", "www."].iter().any(|p| {
        raw.get(..p.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(p))
    }) {
        out.push(Token {
            kind: Kind::Url,
            span,
            norm: raw.to_lowercase(),
            shouting: false,
        });
        return;
    }
    if let Some(face) = emoticon(raw, lexicon) {
        out.push(Token {
            kind: Kind::Emoticon,
            span,
            norm: face,
            shouting: raw.chars().any(char::is_alphabetic) && !raw.chars().any(char::is_lowercase),
        });
        return;
    }
    let base = span.start;
    let mut iter = raw.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let start = base + i;
        let next_is_word = iter.peek().is_some_and(|(_, n)| is_word_char(*n));
        if (c == '@' || c == '#') && next_is_word {
            let mut end = start + c.len_utf8();
            while let Some(&(j, n)) = iter.peek() {
                if !is_word_char(n) {
                    break;
                }
                end = base + j + n.len_utf8();
                iter.next();
            }
            let body = &text[start + 1..end];
            out.push(Token {
                kind: if c == '@' {
                    Kind::Handle
                } else {
                    Kind::Hashtag
                },
                span: start..end,
                norm: fold(body),
                shouting: shouting(body),
            });
        } else if is_word_char(c) {
            let mut end = start + c.len_utf8();
            while let Some(&(j, n)) = iter.peek() {
                let joins = matches!(n, '\'' | '’' | '-')
                    && raw[j + n.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric);
                if !(is_word_char(n) || joins) {
                    break;
                }
                end = base + j + n.len_utf8();
                iter.next();
            }
            let word = &text[start..end];
            out.push(Token {
                kind: Kind::Word,
                span: start..end,
                norm: fold(word),
                shouting: shouting(word),
            });
        } else if c == '&' {
            // An entity is punctuation at most; skip its letters so "amp" is no word.
            let entity = raw[i..].find(';').filter(|e| *e <= 6);
            if let Some(e) = entity {
                while iter.peek().is_some_and(|(j, _)| *j <= i + e) {
                    iter.next();
                }
            }
        } else if matches!(c, '!' | '?' | '.' | ',' | ';' | ':') {
            out.push(punct(c, start..start + 1));
        } else if lexicon.starts_emoji(c) {
            let mut end = start + c.len_utf8();
            let mut norm = String::from(c);
            let mut joined = false;
            while let Some(&(j, n)) = iter.peek() {
                let modifier = n == '\u{fe0f}' || ('\u{1f3fb}'..='\u{1f3ff}').contains(&n);
                let flag = is_regional(c) && is_regional(n) && norm.chars().count() == 1;
                let part = joined || flag || n == '\u{200d}' || n == '\u{20e3}';
                if !(modifier || part) {
                    break;
                }
                if !modifier {
                    norm.push(n);
                }
                joined = n == '\u{200d}';
                end = base + j + n.len_utf8();
                iter.next();
            }
            out.push(Token {
                kind: Kind::Emoji,
                span: start..end,
                norm,
                shouting: false,
            });
        }
    }
}

fn is_regional(c: char) -> bool {
    ('\u{1f1e6}'..='\u{1f1ff}').contains(&c)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn shouting(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 && !word.chars().any(char::is_lowercase)
}

/// The chunk as an emoticon from the lexicon (`:)`, `:-(`, `&lt;3`), allowing trailing
/// sentence punctuation; `None` for words.
fn emoticon(raw: &str, lexicon: &Lexicon) -> Option<String> {
    // Every emoticon, escaped or not, has ASCII punctuation (an entity's `&` and `;`).
    if !raw.bytes().any(|b| b.is_ascii_punctuation()) {
        return None;
    }
    let text = unescape(raw).to_lowercase();
    if !text.chars().any(|c| c.is_ascii_punctuation()) || text.chars().all(is_word_char) {
        return None;
    }
    let trimmed = text.trim_end_matches(['.', ',', '!', '?']);
    [text.as_str(), trimmed]
        .into_iter()
        .filter(|t| t.chars().count() >= 2 && !t.starts_with(is_word_char_str))
        .find(|t| lexicon.word(t).is_some())
        .map(str::to_owned)
}

fn is_word_char_str(c: char) -> bool {
    // Emoticons may start with a letter only when it is not followed by more word
    // characters (`xd` is a word, `d:` a face); reject letters here and let the lexicon
    // score `xd` as a word.
    c.is_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::lexicon;
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        tokenize(text, lexicon())
            .into_iter()
            .map(|t| (t.kind, t.norm))
            .collect()
    }

    fn norms(text: &str) -> Vec<String> {
        tokenize(text, lexicon())
            .into_iter()
            .map(|t| t.norm)
            .collect()
    }

    #[test]
    fn folding_removes_case_accents_and_curly_apostrophes() {
        assert_eq!(fold("CAFÉ’S Crème"), "cafe's creme");
    }

    #[test]
    fn handles_hashtags_words_and_urls_are_told_apart() {
        assert_eq!(
            kinds("@Fernwood loved it #BestCoffee https://t.co/x"),
            [
                (Kind::Handle, "fernwood".into()),
                (Kind::Word, "loved".into()),
                (Kind::Word, "it".into()),
                (Kind::Hashtag, "bestcoffee".into()),
                (Kind::Url, "https://t.co/x".into()),
            ]
        );
    }

    #[test]
    fn contractions_and_hyphenated_words_stay_whole() {
        assert_eq!(norms("don’t kind-of"), ["don't", "kind-of"]);
    }

    #[test]
    fn punctuation_is_kept_for_sentences_and_emphasis() {
        assert_eq!(norms("great!! ok."), ["great", "!", "!", "ok", "."]);
    }

    #[test]
    fn line_breaks_end_sentences() {
        assert_eq!(norms("great\nbad"), ["great", "\n", "bad"]);
    }

    #[test]
    fn emoji_glued_to_words_are_separate_tokens_without_modifiers() {
        assert_eq!(
            kinds("love❤️👍🏽"),
            [
                (Kind::Word, "love".into()),
                (Kind::Emoji, "❤".into()),
                (Kind::Emoji, "👍".into()),
            ]
        );
    }

    #[test]
    fn emoticons_are_recognised_even_html_escaped() {
        assert_eq!(kinds(":)")[0].0, Kind::Emoticon);
        assert_eq!(kinds("&lt;3")[0], (Kind::Emoticon, "<3".into()));
        assert_eq!(kinds(":(.")[0], (Kind::Emoticon, ":(".into()));
    }

    #[test]
    fn html_entities_are_not_words() {
        assert_eq!(norms("bags &amp; seats"), ["bags", "seats"]);
    }

    #[test]
    fn capitals_are_shouting_only_with_two_letters() {
        let t = tokenize("GREAT I Ok", lexicon());
        assert_eq!(
            t.iter().map(|t| t.shouting).collect::<Vec<_>>(),
            [true, false, false]
        );
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "Très bien @Café";
        for t in tokenize(text, lexicon()) {
            assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
        }
        assert_eq!(&text[tokenize(text, lexicon())[2].span.clone()], "@Café");
    }
}
