//! Brand love: which posts mention the brand, how they feel about it, and what the
//! person's reviews say.

use crate::brand::BrandConfig;
use crate::record::{Post, Review};
use crate::sentiment::sentiment;

/// Recognises the brand in text: its handles, hashtags and keywords, case-insensitive,
/// on word boundaries, with possessives and plurals (`Fernwood's`, `Fernwoods`).
#[derive(Debug, Clone)]
pub struct BrandMatcher {
    /// Lower-cased terms, each as a sequence of words.
    terms: Vec<Vec<String>>,
}

impl BrandMatcher {
    pub fn new(brand: &BrandConfig) -> BrandMatcher {
        let mut terms: Vec<Vec<String>> = brand
            .terms()
            .iter()
            .map(|t| {
                words(&t.to_lowercase())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .filter(|w: &Vec<String>| !w.is_empty())
            .collect();
        terms.sort();
        terms.dedup();
        BrandMatcher { terms }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether the text mentions the brand.
    pub fn mentions(&self, text: &str) -> bool {
        let lower = text.to_lowercase();
        let tokens: Vec<&str> = words(&lower).collect();
        self.terms.iter().any(|term| {
            tokens.windows(term.len()).any(|window| {
                window.iter().zip(term).enumerate().all(|(i, (tok, t))| {
                    if i + 1 == term.len() {
                        same_word(tok, t)
                    } else {
                        tok == t
                    }
                })
            })
        })
    }

    /// The sentence that mentions the brand, for targeted sentiment; the whole text when
    /// the mention spans sentences.
    pub fn mention_sentences<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let found: Vec<&str> = text
            .split_inclusive(['.', '!', '?', '\n'])
            .filter(|s| self.mentions(s))
            .collect();
        if found.is_empty() { vec![text] } else { found }
    }
}

/// Words of lower-cased text: letters, digits, `_` and `'` (for possessives); `@` and `#`
/// are separators, so `@fernwood` and `#fernwood` both yield `fernwood`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(['\'', '’']))
        .filter(|w| !w.is_empty())
}

fn same_word(token: &str, term: &str) -> bool {
    let t = token
        .strip_suffix("'s")
        .or_else(|| token.strip_suffix("’s"))
        .unwrap_or(token);
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

pub fn brand_love(matcher: &BrandMatcher, posts: &[&Post], reviews: &[&Review]) -> BrandLove {
    let mut love = BrandLove::default();
    let mut scores: Vec<f64> = Vec::new();
    for post in posts {
        let Some(caption) = post.caption.as_deref() else {
            continue;
        };
        if matcher.is_empty() || !matcher.mentions(caption) {
            continue;
        }
        love.mentions += 1;
        let s = matcher
            .mention_sentences(caption)
            .iter()
            .map(|s| sentiment(s))
            .sum::<f64>()
            / matcher.mention_sentences(caption).len() as f64;
        if s > 0.05 {
            love.positive_posts += 1;
        } else if s < -0.05 {
            love.negative_posts += 1;
        }
        scores.push(s);
    }
    let mut rating_sum = 0u32;
    for review in reviews {
        love.reviews += 1;
        rating_sum += u32::from(review.rating);
        // Stars are the reviewer's own verdict; the text refines it.
        let stars = (f64::from(review.rating) - 3.0) / 2.0;
        let text = [review.title.as_deref(), review.body.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(". ");
        let s = if text.trim().is_empty() {
            stars
        } else {
            0.7 * stars + 0.3 * sentiment(&text)
        };
        scores.push(s);
    }
    if love.reviews > 0 {
        love.mean_rating = Some(f64::from(rating_sum) / f64::from(love.reviews));
    }
    if !scores.is_empty() {
        love.sentiment = Some(100.0 * scores.iter().sum::<f64>() / scores.len() as f64);
    }
    love
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> BrandMatcher {
        let mut b = BrandConfig::named("Fernwood");
        b.handles.instagram = Some("@fernwoodcoffee".into());
        b.hashtags = vec!["#fernwoodmornings".into()];
        b.keywords = vec!["Fernwood".into(), "Morning Ritual".into()];
        BrandMatcher::new(&b)
    }

    #[test]
    fn handles_hashtags_and_keywords_are_mentions() {
        let m = matcher();
        assert!(m.mentions("thanks @FernwoodCoffee!"));
        assert!(m.mentions("#fernwoodmornings again"));
        assert!(m.mentions("Fernwood's new roast"));
        assert!(m.mentions("two bags of morning ritual"));
    }

    #[test]
    fn words_that_merely_contain_the_name_are_not_mentions() {
        let m = matcher();
        assert!(!m.mentions("fernwoodland walk"));
        assert!(!m.mentions("a morning walk"));
    }

    #[test]
    fn sentiment_is_absent_without_mentions_or_reviews() {
        assert_eq!(brand_love(&matcher(), &[], &[]).sentiment, None);
    }
}
