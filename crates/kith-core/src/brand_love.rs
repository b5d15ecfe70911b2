//! Brand love: which posts mention the brand, what they say about it, and what the
//! person's reviews say.
//!
//! Mentions are matched on word boundaries, ignoring case and accents ("CAFÉ" is
//! "cafe"), with possessives and plurals ("Fernwood's", "Fernwoods"), as `@handle`,
//! `#hashtag` or plain words, multi-word keywords included ("Morning Ritual", also as
//! `#morningritual`). A competitor's name is never the brand's mention, even when it
//! contains it ("Fernwood Farms"). Each mentioning post is scored by targeted sentiment:
//! only what it says about the brand counts.

use crate::brand::BrandConfig;
use crate::post_facts::PostSignals;
use crate::record::{Post, Review};
use crate::sentiment::{self, Analysis, Mention, Polarity, Subject, fold};
use crate::words::Lowercase;

/// A brand or competitor term, as folded words.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Term {
    words: Vec<String>,
    /// The words run together, as they appear in a hashtag or handle.
    joined: String,
}

impl Term {
    fn parse(raw: &str) -> Option<Term> {
        let folded = fold(raw.trim().trim_start_matches(['@', '#']));
        let words: Vec<String> = split(&folded).map(str::to_owned).collect();
        (!words.is_empty()).then(|| Term {
            joined: words.concat(),
            words,
        })
    }
}

/// Recognises the brand in text: its handles, hashtags and keywords, and tells them
/// apart from competitors and other accounts.
#[derive(Debug, Clone)]
pub struct BrandMatcher {
    brand: Vec<Term>,
    competitors: Vec<Term>,
    /// The first word of every brand term: an ASCII text that contains none of them,
    /// in any case, cannot mention the brand. `None` when a term is not ASCII.
    first_words: Option<aho_corasick::AhoCorasick>,
    /// The same words in lowercase, matched exactly with vector instructions (Teddy),
    /// for text already lowered; `None` where the machine has none.
    first_words_lowercase: Option<aho_corasick::packed::Searcher>,
}

/// A word of the text being matched, folded, with its byte span and sigil.
#[derive(Debug)]
struct Word {
    text: String,
    span: std::ops::Range<usize>,
    tagged: bool,
    handle: bool,
}

impl BrandMatcher {
    pub fn new(brand: &BrandConfig) -> BrandMatcher {
        let terms = |list: Vec<String>| {
            let mut t: Vec<Term> = list.iter().filter_map(|s| Term::parse(s)).collect();
            t.sort();
            t.dedup();
            t
        };
        let ours = terms(brand.terms());
        let firsts: Vec<&str> = ours.iter().map(|t| t.words[0].as_str()).collect();
        let first_words = firsts
            .iter()
            .all(|w| w.is_ascii())
            .then(|| {
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(&firsts)
                    .ok()
            })
            .flatten();
        let first_words_lowercase = first_words.as_ref().and_then(|_| {
            let mut packed = aho_corasick::packed::Config::new().builder();
            packed.extend(&firsts).build()
        });
        BrandMatcher {
            brand: ours,
            competitors: terms(brand.competitors.clone()),
            first_words,
            first_words_lowercase,
        }
    }

    /// A cheap test that rules out most texts before they are split into words.
    fn may_mention(&self, text: &str) -> bool {
        match &self.first_words {
            Some(words) if text.is_ascii() => words.is_match(text),
            _ => !self.brand.is_empty(),
        }
    }

    /// [`may_mention`](Self::may_mention) of a text already in lowercase.
    pub(crate) fn may_mention_lowercase(&self, lower: Lowercase<'_>) -> bool {
        match &self.first_words_lowercase {
            // Not ASCII at first: folding may have more to say than lowering.
            _ if !lower.ascii => !self.brand.is_empty(),
            Some(words) => words.find(lower.text).is_some(),
            // No vector instructions for the packed search on this machine.
            None => self.may_mention(lower.text),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.brand.is_empty()
    }

    /// Whether the text mentions the brand.
    pub fn mentions(&self, text: &str) -> bool {
        self.may_mention(text) && self.find(text).iter().any(|m| m.subject == Subject::Brand)
    }

    /// Every mention of the brand and of others (competitors, other @handles), in order.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let words = words(text);
        let brand = matches(&words, &self.brand);
        let rivals = matches(&words, &self.competitors);
        let mut out: Vec<Mention> = Vec::new();
        for (range, len) in &brand {
            // A longer competitor name around the brand's ("Fernwood Farms") is theirs.
            let covered = rivals
                .iter()
                .any(|(r, l)| l > len && r.start <= range.start && range.end <= r.end);
            if !covered {
                out.push(mention(&words, range.clone(), Subject::Brand));
            }
        }
        for (range, _) in &rivals {
            out.push(mention(&words, range.clone(), Subject::Other));
        }
        for (i, w) in words.iter().enumerate() {
            let taken = brand.iter().chain(&rivals).any(|(r, _)| r.contains(&i));
            if w.handle && !taken {
                out.push(mention(&words, i..i + 1, Subject::Other));
            }
        }
        out.sort_by_key(|m| m.span.start);
        out
    }

    /// What the text says about the brand; `None` when it does not mention it.
    pub fn sentiment(&self, text: &str) -> Option<Analysis> {
        if !self.may_mention(text) {
            return None;
        }
        let mentions = self.find(text);
        mentions
            .iter()
            .any(|m| m.subject == Subject::Brand)
            .then(|| sentiment::targeted(text, &mentions))
    }
}

fn mention(words: &[Word], range: std::ops::Range<usize>, subject: Subject) -> Mention {
    Mention {
        span: words[range.start].span.start..words[range.end - 1].span.end,
        subject,
    }
}

/// Where the terms occur, as word-index ranges, with the number of words matched.
fn matches(words: &[Word], terms: &[Term]) -> Vec<(std::ops::Range<usize>, usize)> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        for t in terms {
            let n = t.words.len();
            let spelled = words.get(i..i + n).is_some_and(|window| {
                window.iter().zip(&t.words).enumerate().all(|(k, (w, tw))| {
                    if k + 1 == n {
                        same_word(&w.text, tw)
                    } else {
                        w.text == *tw
                    }
                })
            });
            if spelled {
                out.push((i..i + n, n));
            } else if n > 1 && w.tagged && same_word(&w.text, &t.joined) {
                out.push((i..i + 1, n));
            }
        }
    }
    out
}

/// The folded words of a text, with spans in the original; `@`/`#` mark the word after.
fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    let mut prev: Option<char> = None;
    let mut sigil = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
                sigil = prev.filter(|p| *p == '@' || *p == '#');
            }
        } else if let Some(s) = start.take() {
            let body = &text[s..i];
            let lead = body.len() - body.trim_start_matches(['\'', '’']).len();
            let raw = body[lead..].trim_end_matches(['\'', '’']);
            if !raw.is_empty() {
                out.push(Word {
                    text: fold(raw),
                    span: s + lead..s + lead + raw.len(),
                    tagged: sigil.is_some(),
                    handle: sigil == Some('@'),
                });
            }
        }
        prev = Some(c);
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '\'' || c == '’'
}

/// Folded words of a term (`-`, spaces and other punctuation separate them).
fn split(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !is_word_char(c))
        .map(|w| w.trim_matches(['\'', '’']))
        .filter(|w| !w.is_empty())
}

/// A word of the text names the term word, allowing a possessive or a plural.
fn same_word(token: &str, term: &str) -> bool {
    let t = token.strip_suffix("'s").unwrap_or(token);
    t == term || t.strip_suffix('s') == Some(term) || t.strip_suffix("es") == Some(term)
}

/// What a person's posts and reviews say about the brand.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BrandLove {
    /// Posts that mention the brand.
    pub mentions: u32,
    pub positive_posts: u32,
    pub negative_posts: u32,
    pub reviews: u32,
    pub mean_rating: Option<f64>,
    /// −100…100 over mentioning posts and reviews; `None` when there are neither.
    pub sentiment: Option<f64>,
}

/// Stars count for this much of a review's score; the text refines the rest.
const STARS_SHARE: f64 = 0.7;

pub fn brand_love(matcher: &BrandMatcher, posts: &[&Post], reviews: &[&Review]) -> BrandLove {
    let mut tally = PostLove::default();
    for post in posts {
        tally.add(matcher, *post);
    }
    tally.with_reviews(reviews)
}

/// What a profile's posts say about the brand, folded one post at a time so that a
/// profile can be measured before anyone knows whose it is (reviews come later).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PostLove {
    mentions: u32,
    positive: u32,
    negative: u32,
    /// Per mentioning post, its score −1…1, in the order the posts came.
    scores: Vec<f64>,
}

impl PostLove {
    pub fn add(&mut self, matcher: &BrandMatcher, post: &impl PostSignals) {
        let Some(opinion) = post.opinion(matcher) else {
            return;
        };
        self.mentions += 1;
        match opinion.polarity() {
            Polarity::Positive => self.positive += 1,
            Polarity::Negative => self.negative += 1,
            Polarity::Neutral => {}
        }
        self.scores.push(opinion.score);
    }

    /// The brand love of the profile's owner, whose reviews count beside the posts.
    pub fn with_reviews(&self, reviews: &[&Review]) -> BrandLove {
        let mut love = BrandLove {
            mentions: self.mentions,
            positive_posts: self.positive,
            negative_posts: self.negative,
            ..BrandLove::default()
        };
        let mut scores = self.scores.clone();
        let mut rating_sum = 0u32;
        for review in reviews {
            love.reviews += 1;
            rating_sum += u32::from(review.rating);
            scores.push(review_score(review));
        }
        if love.reviews > 0 {
            love.mean_rating = Some(f64::from(rating_sum) / f64::from(love.reviews));
        }
        if !scores.is_empty() {
            let mean = scores.iter().sum::<f64>() / scores.len() as f64;
            love.sentiment = Some((100.0 * mean).clamp(-100.0, 100.0));
        }
        love
    }
}

/// A review's score, −1…1: its stars (1 → −1, 3 → 0, 5 → 1) refined by its text.
pub fn review_score(review: &Review) -> f64 {
    let stars = ((f64::from(review.rating) - 3.0) / 2.0).clamp(-1.0, 1.0);
    let text = [review.title.as_deref(), review.body.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(". ");
    if text.trim().is_empty() {
        stars
    } else {
        STARS_SHARE * stars + (1.0 - STARS_SHARE) * sentiment::sentiment(&text)
    }
}

#[cfg(test)]
mod tests;
