//! What scoring reads from a post, and a compact digest that holds just that.
//!
//! Every post-based rule reads a post through [`PostMetrics`] (numbers, dates, comment
//! sample) and [`PostSignals`] (categories and the opinion about the brand, from the
//! caption). A [`Post`] answers from its fields and text; a [`PostFacts`] answers from a
//! digest made once, right after the post is read, so that millions of posts can wait
//! for the rest of their profile's posts without keeping their captions.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize};
use time::OffsetDateTime;

use crate::authenticity::posts::is_generic_comment;
use crate::brand_love::BrandMatcher;
use crate::category::{CategoryCounts, CompactCounts};
use crate::handle::{BadHandle, Handle, Platform};
use crate::record::{FieldError, Post, PostKind};
use crate::sentiment::Polarity;
use crate::words::with_lowercase;

mod scan;

#[doc(hidden)]
pub use scan::assert_reads_as_serde;

/// A post's numbers and dates, as engagement and authenticity read them.
pub trait PostMetrics {
    fn post_id(&self) -> &str;
    fn posted_at(&self) -> Option<OffsetDateTime>;
    fn likes(&self) -> Option<u64>;
    fn comments(&self) -> Option<u64>;
    /// Likes + comments + shares + saves, the missing ones counting 0.
    fn interactions(&self) -> u64;
    fn views(&self) -> Option<u64>;
    /// Of the sampled comments: how many say nothing specific, and how many there are.
    fn comment_sample(&self) -> CommentSample;
}

/// A borrowed post reads as the post: groups of digests can be measured by reference.
impl<P: PostMetrics + ?Sized> PostMetrics for &P {
    fn post_id(&self) -> &str {
        (**self).post_id()
    }
    fn posted_at(&self) -> Option<OffsetDateTime> {
        (**self).posted_at()
    }
    fn likes(&self) -> Option<u64> {
        (**self).likes()
    }
    fn comments(&self) -> Option<u64> {
        (**self).comments()
    }
    fn interactions(&self) -> u64 {
        (**self).interactions()
    }
    fn views(&self) -> Option<u64> {
        (**self).views()
    }
    fn comment_sample(&self) -> CommentSample {
        (**self).comment_sample()
    }
}

impl<P: PostSignals + ?Sized> PostSignals for &P {
    fn add_categories(&self, counts: &mut CategoryCounts) {
        (**self).add_categories(counts);
    }
    fn opinion(&self, matcher: &BrandMatcher) -> Option<Opinion> {
        (**self).opinion(matcher)
    }
}

/// Generic and total comments in a post's `comments_sample`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentSample {
    pub generic: u16,
    pub total: u16,
}

/// What a post's caption says about the brand, when it mentions it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Opinion {
    /// −1…1.
    pub score: f64,
    /// −1, 0 or 1: negative, neutral, positive.
    pub polarity: i8,
}

impl Opinion {
    pub fn polarity(&self) -> Polarity {
        match self.polarity {
            1 => Polarity::Positive,
            -1 => Polarity::Negative,
            _ => Polarity::Neutral,
        }
    }
}

/// A post that has its caption, to be reduced to [`PostFacts`].
pub trait PostText: PostMetrics {
    fn caption(&self) -> Option<&str>;
}

impl PostText for Post {
    fn caption(&self) -> Option<&str> {
        self.caption.as_deref()
    }
}

impl PostText for PostView<'_> {
    fn caption(&self) -> Option<&str> {
        self.caption.as_ref().map(|c| &*c.0)
    }
}

/// The text-derived signals of a post: interest categories and brand opinion.
pub trait PostSignals: PostMetrics {
    fn add_categories(&self, counts: &mut CategoryCounts);
    fn opinion(&self, matcher: &BrandMatcher) -> Option<Opinion>;
}

impl PostMetrics for Post {
    fn post_id(&self) -> &str {
        &self.post_id
    }
    fn posted_at(&self) -> Option<OffsetDateTime> {
        self.posted_at
    }
    fn likes(&self) -> Option<u64> {
        self.likes
    }
    fn comments(&self) -> Option<u64> {
        self.comments
    }
    fn interactions(&self) -> u64 {
        Post::interactions(self)
    }
    fn views(&self) -> Option<u64> {
        self.views
    }
    fn comment_sample(&self) -> CommentSample {
        CommentSample::of(self.comments_sample.iter().map(String::as_str))
    }
}

impl PostSignals for Post {
    fn add_categories(&self, counts: &mut CategoryCounts) {
        if let Some(caption) = &self.caption {
            counts.add_text(caption);
        }
    }
    fn opinion(&self, matcher: &BrandMatcher) -> Option<Opinion> {
        Opinion::of(self.caption.as_deref()?, matcher)
    }
}

impl CommentSample {
    fn of<'c>(comments: impl Iterator<Item = &'c str>) -> CommentSample {
        comments.fold(CommentSample::default(), |mut sample, comment| {
            sample.add(comment);
            sample
        })
    }

    /// Counts one more comment (saturating: a sample is a few comments, not 65,535).
    fn add(&mut self, comment: &str) {
        self.total = self.total.saturating_add(1);
        if is_generic_comment(comment) {
            self.generic = self.generic.saturating_add(1);
        }
    }
}

impl Opinion {
    fn of(caption: &str, matcher: &BrandMatcher) -> Option<Opinion> {
        let analysis = matcher.sentiment(caption)?;
        Some(Opinion {
            score: analysis.score,
            polarity: match analysis.polarity {
                Polarity::Positive => 1,
                Polarity::Negative => -1,
                Polarity::Neutral => 0,
            },
        })
    }
}

/// A post read in place from the line that holds it: the canonical fields of [`Post`],
/// with the same types, defaults and checks, but its texts borrowed from the line
/// wherever JSON needed no unescaping. Reading millions of posts only to reduce each to
/// [`PostFacts`], this saves copying every caption and comment.
///
/// It accepts exactly the lines [`Post`] accepts (checked by a test over good and bad
/// lines); a line it refuses should be read again as a [`Post`] for the error, which
/// names the field.
#[derive(Debug, Deserialize)]
pub struct PostView<'a> {
    pub platform: Platform,
    #[serde(borrow)]
    handle: Text<'a>,
    #[serde(borrow)]
    post_id: Text<'a>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub posted_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub kind: Option<PostKind>,
    #[serde(default, borrow)]
    caption: Option<Text<'a>>,
    #[serde(default)]
    pub likes: Option<u64>,
    #[serde(default)]
    pub comments: Option<u64>,
    #[serde(default)]
    pub shares: Option<u64>,
    #[serde(default)]
    pub saves: Option<u64>,
    #[serde(default)]
    pub views: Option<u64>,
    #[serde(default)]
    pub is_sponsored: Option<bool>,
    /// Counted as it is read: the comments themselves are not kept.
    #[serde(
        default,
        rename = "comments_sample",
        deserialize_with = "read_comment_sample"
    )]
    comment_sample: CommentSample,
}

/// A `comments_sample` array, read straight into its counts with no list allocated.
fn read_comment_sample<'de, D: Deserializer<'de>>(d: D) -> Result<CommentSample, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = CommentSample;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a sequence of strings")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut sample = CommentSample::default();
            while let Some(Text(comment)) = seq.next_element::<Text<'de>>()? {
                sample.add(&comment);
            }
            Ok(sample)
        }
    }
    d.deserialize_seq(Visitor)
}

/// A JSON string, borrowed from the input unless it had escapes to undo.
#[derive(Debug)]
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visitor<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(Visitor(std::marker::PhantomData))
    }
}

impl<'a> PostView<'a> {
    /// Reads a post line (a JSON object) as serde does: the usual shape of line by a
    /// direct scan, any other through serde. `None` when serde refuses it; read it as a
    /// [`Post`] for the error.
    pub fn read(text: &'a str) -> Option<PostView<'a>> {
        scan::post_view(text).or_else(|| serde_json::from_str(text).ok())
    }

    /// The checks of [`Post::validated`] and of a handle's deserialisation; the handle
    /// is normalised.
    pub fn validate(&mut self) -> Result<(), PostViewError> {
        let normal = match self.handle.0 {
            Cow::Borrowed(line) => Handle::normalized(line),
            Cow::Owned(ref text) => Handle::normalized(text).map(|h| Cow::Owned(h.into_owned())),
        };
        self.handle = Text(normal.map_err(PostViewError::Handle)?);
        if self.post_id.0.trim().is_empty() {
            return Err(PostViewError::Field(FieldError::new("post_id", "is empty")));
        }
        Ok(())
    }

    /// The profile's handle, normalised once [`validate`](Self::validate)d.
    pub fn handle(&self) -> &str {
        &self.handle.0
    }
}

/// Why a [`PostView`] is not a valid post.
#[derive(Debug)]
pub enum PostViewError {
    Handle(BadHandle),
    Field(FieldError),
}

impl PostMetrics for PostView<'_> {
    fn post_id(&self) -> &str {
        self.post_id.0.trim()
    }
    fn posted_at(&self) -> Option<OffsetDateTime> {
        self.posted_at
    }
    fn likes(&self) -> Option<u64> {
        self.likes
    }
    fn comments(&self) -> Option<u64> {
        self.comments
    }
    fn interactions(&self) -> u64 {
        crate::record::interactions([self.likes, self.comments, self.shares, self.saves])
    }
    fn views(&self) -> Option<u64> {
        self.views
    }
    fn comment_sample(&self) -> CommentSample {
        self.comment_sample
    }
}

impl PostSignals for PostView<'_> {
    fn add_categories(&self, counts: &mut CategoryCounts) {
        if let Some(caption) = &self.caption {
            counts.add_text(&caption.0);
        }
    }
    fn opinion(&self, matcher: &BrandMatcher) -> Option<Opinion> {
        Opinion::of(&self.caption.as_ref()?.0, matcher)
    }
}

/// A post's id, held in place when it is short — every platform's are: Instagram media
/// ids, TikTok video ids, YouTube and X ids all fit in 30 bytes — so that millions of
/// digests waiting for their profile cost no allocation each; longer ids are boxed.
#[derive(Clone)]
pub enum PostId {
    Inline { len: u8, bytes: [u8; INLINE_ID] },
    Boxed(Box<str>),
}

const INLINE_ID: usize = 30;

impl PostId {
    pub fn new(id: &str) -> PostId {
        match u8::try_from(id.len()) {
            Ok(len) if id.len() <= INLINE_ID => {
                let mut bytes = [0; INLINE_ID];
                bytes[..id.len()].copy_from_slice(id.as_bytes());
                PostId::Inline { len, bytes }
            }
            _ => PostId::Boxed(id.into()),
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            PostId::Inline { len, bytes } => &bytes[..usize::from(*len)],
            PostId::Boxed(id) => id.as_bytes(),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            // Always whole UTF-8: copied from a `&str`, cut at its end.
            PostId::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            PostId::Boxed(id) => id,
        }
    }
}

impl PartialEq for PostId {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for PostId {}

impl PartialOrd for PostId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// UTF-8's byte order is the order of the text's characters, as `str`'s.
impl Ord for PostId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self, other) {
            // Held in place, the bytes past the end are zeros: the padded bytes, compared
            // as two numbers, then the lengths (for ids that end in NUL characters) order
            // as the texts do — without a call to compare memory, in the sort every
            // profile's posts go through.
            (PostId::Inline { len: a, bytes: x }, PostId::Inline { len: b, bytes: y }) => {
                padded(x).cmp(&padded(y)).then(a.cmp(b))
            }
            _ => self.as_bytes().cmp(other.as_bytes()),
        }
    }
}

fn padded(bytes: &[u8; INLINE_ID]) -> (u128, u128) {
    let (mut high, mut low) = ([0u8; 16], [0u8; 16]);
    high.copy_from_slice(&bytes[..16]);
    low[..INLINE_ID - 16].copy_from_slice(&bytes[16..]);
    (u128::from_be_bytes(high), u128::from_be_bytes(low))
}

impl std::fmt::Debug for PostId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for PostId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PostId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id: Cow<'de, str> = Deserialize::deserialize(deserializer)?;
        Ok(PostId::new(&id))
    }
}

/// A post reduced to what scoring reads, for one brand's matcher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
///
/// Millions wait in memory for their profile's other posts, so the optional numbers are
/// kept unwrapped beside one-byte markers that fit in the padding: 112 bytes, not 136.
pub struct PostFacts {
    post_id: PostId,
    posted_at: Option<OffsetDateTime>,
    /// Missing counts are kept as 0: every rule reads them that way.
    likes: u64,
    comments: u64,
    interactions: u64,
    /// Meaningful only when `has_views`.
    views: u64,
    /// The opinion's score, meaningful only when `opinion_polarity` is not `NO_OPINION`.
    opinion_score: f64,
    comment_sample: CommentSample,
    categories: CompactCounts,
    has_views: bool,
    opinion_polarity: i8,
}

/// `opinion_polarity` of a post that does not mention the brand.
const NO_OPINION: i8 = i8::MIN;

impl PostFacts {
    pub fn new(post: &impl PostText, matcher: &BrandMatcher) -> PostFacts {
        let mut categories = CategoryCounts::default();
        let mut opinion = None;
        if let Some(caption) = post.caption() {
            // Lowered once for both: the categories, and the quick test for the brand.
            with_lowercase(caption, |lower| {
                categories.add_lowercase(lower);
                if matcher.may_mention_lowercase(lower) {
                    opinion = Opinion::of(caption, matcher);
                }
            });
        }
        let views = post.views();
        PostFacts {
            post_id: PostId::new(post.post_id()),
            posted_at: post.posted_at(),
            likes: post.likes().unwrap_or(0),
            comments: post.comments().unwrap_or(0),
            interactions: post.interactions(),
            views: views.unwrap_or(0),
            opinion_score: opinion.map_or(0.0, |o| o.score),
            comment_sample: post.comment_sample(),
            categories: categories.compact(),
            has_views: views.is_some(),
            opinion_polarity: opinion.map_or(NO_OPINION, |o| o.polarity),
        }
    }
}

impl PostFacts {
    /// The post's id, compared without reading it as text.
    pub fn id(&self) -> &PostId {
        &self.post_id
    }

    /// Roughly the memory one digest holds, allocator overhead included.
    pub fn held_bytes(&self) -> usize {
        std::mem::size_of::<PostFacts>()
            + match &self.post_id {
                PostId::Inline { .. } => 0,
                PostId::Boxed(id) => id.len() + 16,
            }
    }
}

impl PostMetrics for PostFacts {
    fn post_id(&self) -> &str {
        self.post_id.as_str()
    }
    fn posted_at(&self) -> Option<OffsetDateTime> {
        self.posted_at
    }
    fn likes(&self) -> Option<u64> {
        Some(self.likes)
    }
    fn comments(&self) -> Option<u64> {
        Some(self.comments)
    }
    fn interactions(&self) -> u64 {
        self.interactions
    }
    fn views(&self) -> Option<u64> {
        self.has_views.then_some(self.views)
    }
    fn comment_sample(&self) -> CommentSample {
        self.comment_sample
    }
}

impl PostSignals for PostFacts {
    fn add_categories(&self, counts: &mut CategoryCounts) {
        counts.add_compact(&self.categories);
    }
    /// The opinion was read with the matcher given to [`PostFacts::new`].
    fn opinion(&self, _matcher: &BrandMatcher) -> Option<Opinion> {
        (self.opinion_polarity != NO_OPINION).then_some(Opinion {
            score: self.opinion_score,
            polarity: self.opinion_polarity,
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::brand::BrandConfig;
    use crate::handle::{Handle, Platform};
    use crate::record::Profile;
    use crate::score::measure_profile;

    proptest::proptest! {
        /// Held in place or boxed, an id reads, sorts, compares and round-trips as its
        /// text does.
        #[test]
        fn a_post_id_behaves_as_its_text(
            a in proptest::prop_oneof!["\\PC{0,40}", "[ab\\x00]{0,32}"],
            b in proptest::prop_oneof!["\\PC{0,40}", "[ab\\x00]{0,32}"],
        ) {
            let (x, y) = (PostId::new(&a), PostId::new(&b));
            proptest::prop_assert_eq!(x.as_str(), a.as_str());
            proptest::prop_assert_eq!(x.cmp(&y), a.cmp(&b));
            proptest::prop_assert_eq!(x == y, a == b);
            let json = serde_json::to_string(&x).unwrap();
            proptest::prop_assert_eq!(serde_json::from_str::<PostId>(&json).unwrap(), x);
        }
    }

    #[test]
    fn short_ids_are_held_in_place_and_long_ones_boxed() {
        assert!(matches!(
            PostId::new("3456789012345678901_12345678"),
            PostId::Inline { .. }
        ));
        assert!(matches!(PostId::new(&"9".repeat(31)), PostId::Boxed(_)));
        assert_eq!(PostId::new(&"9".repeat(31)).as_str(), "9".repeat(31));
    }

    fn profile() -> Profile {
        Profile {
            platform: Platform::Instagram,
            handle: Handle::parse("maya.eats").unwrap(),
            user_id: None,
            display_name: None,
            bio: Some("coffee and trail runs".into()),
            followers: Some(8_000),
            following: Some(700),
            posts_count: Some(300),
            is_verified: None,
            is_private: Some(false),
            has_profile_pic: Some(true),
            external_url: None,
            fetched_at: Some(datetime!(2026-11-01 12:00 UTC)),
            follower_history: Vec::new(),
        }
    }

    fn post(i: u32, caption: &str, likes: Option<u64>, sample: &[&str]) -> Post {
        Post {
            platform: Platform::Instagram,
            handle: Handle::parse("maya.eats").unwrap(),
            post_id: format!("p{i}"),
            posted_at: Some(datetime!(2026-10-01 12:00 UTC) - time::Duration::days(i.into())),
            kind: None,
            caption: Some(caption.into()),
            likes,
            comments: Some(u64::from(i % 7)),
            shares: None,
            saves: Some(3),
            views: i.is_multiple_of(2).then_some(4_000),
            is_sponsored: None,
            comments_sample: sample.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn facts_measure_a_profile_exactly_as_its_posts_do() {
        let mut brand = BrandConfig::named("Fernwood");
        brand.keywords = vec!["Fernwood".into()];
        brand.target_categories = vec!["food & drink".into()];
        let matcher = BrandMatcher::new(&brand);
        let posts: Vec<Post> = (0..20)
            .map(|i| match i % 4 {
                0 => post(
                    i,
                    "Fernwood's new roast is so good #coffee",
                    Some(200),
                    &["nice!!"],
                ),
                1 => post(
                    i,
                    "not impressed with @fernwood, stale beans",
                    None,
                    &["🔥🔥"],
                ),
                2 => post(
                    i,
                    "#trailrunning at dawn, then brunch",
                    Some(90),
                    &["where is this?"],
                ),
                _ => post(i, "my dog and the teamwork", Some(310), &[]),
            })
            .collect();
        let facts: Vec<PostFacts> = posts.iter().map(|p| PostFacts::new(p, &matcher)).collect();
        let now = datetime!(2026-11-26 00:00 UTC);
        let from_posts = measure_profile(&profile(), &posts, &brand, &matcher, now);
        let from_facts = measure_profile(&profile(), &facts, &brand, &matcher, now);
        assert_eq!(format!("{from_posts:?}"), format!("{from_facts:?}"));
        assert!(
            format!("{from_facts:?}").contains("mentions: 10"),
            "{from_facts:?}"
        );
    }

    /// A line read as a view must give what the same line read as a post gives, and
    /// a line refused one way must be refused the other.
    #[test]
    fn a_view_accepts_exactly_the_posts_a_post_accepts_and_reduces_to_the_same_facts() {
        let mut brand = BrandConfig::named("Fernwood");
        brand.keywords = vec!["Fernwood".into()];
        let matcher = BrandMatcher::new(&brand);
        let base = r#""platform":"instagram","handle":"maya.eats","post_id":"p1""#;
        let lines = [
            format!("{{{base}}}"),
            format!(
                r#"{{{base},"caption":"Fernwood\u2019s roast \"so good\" #coffee","comments_sample":["nice!!","\ud83d\udd25","where?"],"likes":12,"comments":3,"shares":null,"saves":4,"views":900,"kind":"reel","is_sponsored":true,"posted_at":"2026-10-01T12:00:00Z","extra":[1,{{"a":2}}]}}"#
            ),
            r#"{"platform":"instagram","handle":" @Maya.Eats ","post_id":" p2 ","caption":"plain #hiking"}"#.into(),
            r#"{"platform":"tiktok","handle":"ǅemal","post_id":"p3"}"#.into(),
            r#"{"platform":"instagram","handle":"maya eats","post_id":"p4"}"#.into(),
            r#"{"platform":"instagram","handle":"@@maya","post_id":"p4"}"#.into(),
            r#"{"platform":"instagram","handle":"\u0040Maya","post_id":"p4"}"#.into(),
            r#"{"platform":"instagram","handle":"maya\u000b","post_id":"p4"}"#.into(),
            r#"{"platform":"instagram","handle":"ma\u000bya","post_id":"p4"}"#.into(),
            r#"{"platform":"instagram","handle":"@","post_id":"p5"}"#.into(),
            format!(r#"{{"platform":"instagram","handle":"{}","post_id":"p6"}}"#, "a".repeat(101)),
            r#"{"platform":"instagram","handle":"maya","post_id":"  "}"#.into(),
            r#"{"platform":"myspace","handle":"maya","post_id":"p7"}"#.into(),
            r#"{"handle":"maya","post_id":"p8"}"#.into(),
            format!(r#"{{{base},"likes":-1}}"#),
            format!(r#"{{{base},"likes":1.5}}"#),
            format!(r#"{{{base},"likes":"12"}}"#),
            format!(r#"{{{base},"posted_at":"yesterday"}}"#),
            format!(r#"{{{base},"kind":"hologram"}}"#),
            format!(r#"{{{base},"caption":7}}"#),
            format!(r#"{{{base},"comments_sample":"nice"}}"#),
            format!(r#"{{{base},"comments_sample":[null]}}"#),
            format!(r#"{{{base},"comments_sample":null}}"#),
            format!(r#"{{{base},"comments_sample":{{"a":"nice"}}}}"#),
            format!(r#"{{{base},"comments_sample":["nice",3]}}"#),
            format!(r#"{{{base},"comments_sample":["nice","so good","a\u00e9 \ud83d\udd25"]}}"#),
            format!(r#"{{{base},"post_id":"p9"}}"#),
            format!(r#"{{{base},"caption":null,"comments_sample":[]}}"#),
            format!(r#"{{{base}"#),
            "[]".into(),
        ];
        for line in &lines {
            assert_reads_as_serde(line);
            let post = serde_json::from_str::<Post>(line)
                .ok()
                .and_then(|p| p.validated().ok());
            let view = serde_json::from_str::<PostView>(line)
                .ok()
                .and_then(|mut v| v.validate().ok().map(|()| v));
            match (post, view) {
                (Some(post), Some(view)) => {
                    assert_eq!(post.handle.as_str(), view.handle(), "{line}");
                    assert_eq!(
                        PostFacts::new(&post, &matcher),
                        PostFacts::new(&view, &matcher),
                        "{line}"
                    );
                }
                (None, None) => {}
                (post, view) => panic!("{line}: post {post:?}, view {view:?}"),
            }
        }
    }
}
