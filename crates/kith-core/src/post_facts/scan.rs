//! A reader of post lines for the shape nearly every line has, beside serde's.
//!
//! Scoring reads millions of post lines and serde's derived reader was a fifth of the
//! time: it checks every string byte for escapes and control characters, visits each
//! field through generic code and looks each key up by name. Here a line is first
//! checked once, with a loop the compiler vectorises, for control characters (none
//! means no whitespace but spaces between tokens) and backslashes (none means every
//! string ends at the next quote), then read directly. A string with escapes (captions
//! with line breaks are common) is found by skipping escaped characters and decoded by
//! serde_json alone; the value of a field kith does not read is skipped by serde_json
//! alone. Anything else — a tab or newline, a repeated key, a number that is not a plain
//! unsigned integer, a value of the wrong type, a missing field — answers `None`, and
//! the caller reads the line with serde, so every line ends up read exactly as serde
//! reads it (a property test and a fuzz target compare the two).

use std::borrow::Cow;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::handle::Platform;
use crate::record::PostKind;

use super::{CommentSample, PostView, Text};

/// The line read as serde would read it, or `None` when only serde should say.
pub(super) fn post_view(text: &str) -> Option<PostView<'_>> {
    let (controls, escapes) = odd_bytes(text.as_bytes());
    if controls {
        return None;
    }
    let mut s = Scanner {
        text,
        at: 0,
        escapes,
    };
    let mut seen = 0u16;
    let mut view = Fields::default();
    s.spaces();
    s.expect(b'{')?;
    s.spaces();
    if !s.eat(b'}') {
        loop {
            let key = s.string()?;
            s.spaces();
            s.expect(b':')?;
            s.spaces();
            match Field::of(&key) {
                Some(field) => {
                    let bit = 1 << field as u16;
                    if seen & bit != 0 {
                        // serde refuses a repeated field.
                        return None;
                    }
                    seen |= bit;
                    s.value(field, &mut view)?;
                }
                None => s.skip_value()?,
            }
            s.spaces();
            if s.eat(b'}') {
                break;
            }
            s.expect(b',')?;
            s.spaces();
        }
    }
    s.spaces();
    if s.at != text.len() {
        return None;
    }
    Some(PostView {
        platform: view.platform?,
        handle: Text(view.handle?),
        post_id: Text(view.post_id?),
        posted_at: view.posted_at,
        kind: view.kind,
        caption: view.caption.map(Text),
        likes: view.likes,
        comments: view.comments,
        shares: view.shares,
        saves: view.saves,
        views: view.views,
        is_sponsored: view.is_sponsored,
        comment_sample: view.comment_sample,
    })
}

/// Whether the line has a control character, and whether it has a backslash. Without
/// the first only spaces can separate tokens; without the second a string is the bytes
/// up to the next quote.
fn odd_bytes(bytes: &[u8]) -> (bool, bool) {
    let mut chunks = bytes.chunks_exact(32);
    let (mut controls, mut escapes) = (false, false);
    // A whole chunk at a time, with no early exit inside it, so it compiles to vector
    // compares.
    for chunk in &mut chunks {
        controls |= chunk.iter().fold(false, |any, &b| any | (b < 0x20));
        escapes |= chunk.iter().fold(false, |any, &b| any | (b == b'\\'));
        if controls {
            return (true, escapes);
        }
    }
    for &b in chunks.remainder() {
        controls |= b < 0x20;
        escapes |= b == b'\\';
    }
    (controls, escapes)
}

/// Where the first quote or backslash is. Strings here are mostly a few bytes long,
/// where memchr's dispatch costs more than the search: eight bytes are tested at once
/// in a `u64` (a byte equal to the one sought becomes zero, and the lowest zero byte is
/// found exactly).
fn quote_or_backslash(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    const BACKSLASHES: u64 = u64::from_ne_bytes([b'\\'; 8]);
    let zero_byte = |w: u64| w.wrapping_sub(ONES) & !w & HIGHS;
    let mut words = bytes.chunks_exact(8);
    let mut base = 0;
    for word in &mut words {
        let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let found = zero_byte(word ^ QUOTES) | zero_byte(word ^ BACKSLASHES);
        if found != 0 {
            return Some(base + found.trailing_zeros() as usize / 8);
        }
        base += 8;
    }
    let rest = words
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\')?;
    Some(base + rest)
}

#[derive(Clone, Copy)]
enum Field {
    Platform,
    Handle,
    PostId,
    PostedAt,
    Kind,
    Caption,
    Likes,
    Comments,
    Shares,
    Saves,
    Views,
    IsSponsored,
    CommentsSample,
}

impl Field {
    /// The field a key names; `None` for a key serde skips.
    fn of(key: &str) -> Option<Field> {
        Some(match key {
            "platform" => Field::Platform,
            "handle" => Field::Handle,
            "post_id" => Field::PostId,
            "posted_at" => Field::PostedAt,
            "kind" => Field::Kind,
            "caption" => Field::Caption,
            "likes" => Field::Likes,
            "comments" => Field::Comments,
            "shares" => Field::Shares,
            "saves" => Field::Saves,
            "views" => Field::Views,
            "is_sponsored" => Field::IsSponsored,
            "comments_sample" => Field::CommentsSample,
            _ => return None,
        })
    }
}

#[derive(Default)]
struct Fields<'a> {
    platform: Option<Platform>,
    handle: Option<Cow<'a, str>>,
    post_id: Option<Cow<'a, str>>,
    posted_at: Option<OffsetDateTime>,
    kind: Option<PostKind>,
    caption: Option<Cow<'a, str>>,
    likes: Option<u64>,
    comments: Option<u64>,
    shares: Option<u64>,
    saves: Option<u64>,
    views: Option<u64>,
    is_sponsored: Option<bool>,
    comment_sample: CommentSample,
}

struct Scanner<'a> {
    text: &'a str,
    at: usize,
    /// Whether the line has a backslash anywhere.
    escapes: bool,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.at += usize::from(found);
        found
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    fn literal(&mut self, word: &str) -> bool {
        let found = self.text.as_bytes()[self.at..].starts_with(word.as_bytes());
        if found {
            self.at += word.len();
        }
        found
    }

    fn null(&mut self) -> bool {
        self.literal("null")
    }

    /// A string's text, borrowed from the line unless it has escapes to undo.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.expect(b'"')?;
        let start = self.at;
        let bytes = self.text.as_bytes();
        // Without a backslash in the line the first stop is the closing quote, and an
        // escape check would only cost time.
        let mut end = start + quote_or_backslash(&bytes[start..])?;
        if !self.escapes || bytes[end] == b'"' {
            self.at = end + 1;
            // Quotes are ASCII, so both ends are character boundaries.
            return self.text.get(start..end).map(Cow::Borrowed);
        }
        // An escape: each backslash and the byte after it are skipped (the rest of a
        // `\uXXXX` is hex digits) up to the closing quote, then the whole string, quotes
        // included, is decoded by serde_json — exactly as reading the line would.
        while bytes[end] == b'\\' {
            end += 2;
            end += quote_or_backslash(bytes.get(end..)?)?;
        }
        self.at = end + 1;
        let quoted = self.text.get(start - 1..end + 1)?;
        serde_json::from_str::<String>(quoted).ok().map(Cow::Owned)
    }

    /// The value of a field kith does not read, skipped by serde_json as reading the
    /// line would skip it (so it is checked the same way).
    fn skip_value(&mut self) -> Option<()> {
        let rest = self.text.get(self.at..)?;
        let mut values =
            serde_json::Deserializer::from_str(rest).into_iter::<serde::de::IgnoredAny>();
        values.next()?.ok()?;
        self.at += values.byte_offset();
        Some(())
    }

    fn nullable_string(&mut self) -> Option<Option<Cow<'a, str>>> {
        if self.null() {
            return Some(None);
        }
        self.string().map(Some)
    }

    /// A JSON integer serde reads as a `u64`: `0` or digits without a leading zero, at
    /// most 19 of them (so it cannot overflow). A sign, a fraction or an exponent is
    /// left for serde, as the caller then finds no delimiter after the digits.
    fn unsigned(&mut self) -> Option<Option<u64>> {
        if self.null() {
            return Some(None);
        }
        let digits = &self.text.as_bytes()[self.at..];
        let len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
        if len == 0 || len > 19 || (len > 1 && digits[0] == b'0') {
            return None;
        }
        let value = digits[..len]
            .iter()
            .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
        self.at += len;
        Some(Some(value))
    }

    fn boolean(&mut self) -> Option<Option<bool>> {
        if self.null() {
            Some(None)
        } else if self.literal("true") {
            Some(Some(true))
        } else if self.literal("false") {
            Some(Some(false))
        } else {
            None
        }
    }

    /// `comments_sample`: an array of strings (serde refuses `null` there).
    fn comment_sample(&mut self) -> Option<CommentSample> {
        let mut sample = CommentSample::default();
        self.expect(b'[')?;
        self.spaces();
        if self.eat(b']') {
            return Some(sample);
        }
        loop {
            sample.add(&self.string()?);
            self.spaces();
            if self.eat(b']') {
                return Some(sample);
            }
            self.expect(b',')?;
            self.spaces();
        }
    }

    fn value(&mut self, field: Field, view: &mut Fields<'a>) -> Option<()> {
        match field {
            Field::Platform => {
                view.platform = Some(match &*self.string()? {
                    "instagram" => Platform::Instagram,
                    "tiktok" => Platform::Tiktok,
                    "youtube" => Platform::Youtube,
                    "x" => Platform::X,
                    _ => return None,
                });
            }
            Field::Handle => view.handle = Some(self.string()?),
            Field::PostId => view.post_id = Some(self.string()?),
            Field::PostedAt => {
                view.posted_at = match self.nullable_string()? {
                    None => None,
                    Some(at) => Some(OffsetDateTime::parse(&at, &Rfc3339).ok()?),
                };
            }
            Field::Kind => {
                view.kind = match self.nullable_string()? {
                    None => None,
                    Some(kind) => Some(match &*kind {
                        "image" => PostKind::Image,
                        "carousel" => PostKind::Carousel,
                        "video" => PostKind::Video,
                        "reel" => PostKind::Reel,
                        "short" => PostKind::Short,
                        "text" => PostKind::Text,
                        _ => return None,
                    }),
                };
            }
            Field::Caption => view.caption = self.nullable_string()?,
            Field::Likes => view.likes = self.unsigned()?,
            Field::Comments => view.comments = self.unsigned()?,
            Field::Shares => view.shares = self.unsigned()?,
            Field::Saves => view.saves = self.unsigned()?,
            Field::Views => view.views = self.unsigned()?,
            Field::IsSponsored => view.is_sponsored = self.boolean()?,
            Field::CommentsSample => view.comment_sample = self.comment_sample()?,
        }
        Some(())
    }
}

/// Reads `text` both ways and panics if the scan says anything serde does not: for
/// tests and the `post_view` fuzz target.
#[doc(hidden)]
pub fn assert_reads_as_serde(text: &str) {
    let Some(scanned) = post_view(text) else {
        return;
    };
    match serde_json::from_str::<PostView>(text) {
        Ok(read) => assert_eq!(
            format!("{scanned:?}"),
            format!("{read:?}"),
            "the scan and serde read {text:?} differently"
        ),
        Err(e) => panic!("the scan read {text:?}, which serde refuses: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;

    use super::*;
    use crate::post_facts::PostText;

    const KEYS: &[&str] = &[
        "platform",
        "handle",
        "post_id",
        "posted_at",
        "kind",
        "caption",
        "likes",
        "comments",
        "shares",
        "saves",
        "views",
        "is_sponsored",
        "comments_sample",
        "extra",
        "pl\\u0061tform",
        "Platform",
    ];

    /// Values of every type, valid and not, for any key: a value of the wrong type must
    /// be refused as serde refuses it.
    const VALUES: &[&str] = &[
        r#""instagram""#,
        r#""tiktok""#,
        r#""x""#,
        r#""Instagram""#,
        r#""myspace""#,
        r#""maya.eats""#,
        r#"" @Maya ""#,
        r#""""#,
        r#"" ""#,
        r#""a\nb""#,
        r#""\ud800""#,
        r#""\x""#,
        r#""\\""#,
        r#""ends \\\" inside""#,
        r#""caf\u00e9 \ud83d\udd25""#,
        r#""café 🔥🔥""#,
        r#""nice!!""#,
        r#""reel""#,
        r#""carousel""#,
        r#""hologram""#,
        r#""2026-10-01T12:00:00Z""#,
        r#""2026-10-01T12:00:00.25+02:00""#,
        r#""2026-13-01T12:00:00Z""#,
        r#""yesterday""#,
        "0",
        "12",
        "012",
        "-1",
        "-0",
        "1.5",
        "1e3",
        "18446744073709551615",
        "18446744073709551616",
        "9999999999999999999",
        "null",
        "nul",
        "nullx",
        "true",
        "false",
        "[]",
        "[ ]",
        r#"["nice"]"#,
        r#"["nice", "so good" ,"🔥🔥🔥"]"#,
        r#"["follow me back","where is this?"]"#,
        "[null]",
        r#"["a",]"#,
        "[1]",
        r#"{"a":2}"#,
        r#"[1,{"a":[]}]"#,
    ];

    const SEPARATORS: &[&str] = &["", " ", "  ", "\t", "\n"];

    /// Values that fit each field of [`KEYS`] (in its order), so that many generated
    /// lines are valid and the scan's own reading is exercised, not only its refusals.
    fn fitting(key: usize) -> &'static [&'static str] {
        match KEYS.get(key).copied() {
            Some("platform") => &[r#""instagram""#, r#""tiktok""#, r#""youtube""#, r#""x""#],
            Some("handle") => &[
                r#""maya.eats""#,
                r#"" @Maya ""#,
                r#""ǅemal""#,
                r#""creator0000001""#,
            ],
            Some("post_id") => &[r#""p1""#, r#""creator0000001-0""#, r#""9""#],
            Some("posted_at") => &[
                r#""2026-10-01T12:00:00Z""#,
                r#""2026-10-01T12:00:00.25+02:00""#,
                "null",
            ],
            Some("kind") => &[r#""reel""#, r#""carousel""#, r#""image""#, "null"],
            Some("caption") => &[
                r#""Sunrise #trailrunning""#,
                r#""café 🔥🔥""#,
                r#""one\ntwo \"quoted\" \\ \/ caf\u00e9 \ud83d\udd25""#,
                r#""""#,
                "null",
            ],
            Some("is_sponsored") => &["true", "false", "null"],
            Some("comments_sample") => &[
                "[]",
                r#"["nice"]"#,
                r#"["nice", "so good" ,"🔥🔥🔥"]"#,
                r#"["so \"good\"","\u00e9\t", "n\u0069ce"]"#,
            ],
            _ => &["0", "12", "18446744073709551615", "null"],
        }
    }

    fn line() -> impl Strategy<Value = String> {
        // (key, a fitting value or any value, its choice, spacing around the colon,
        // the comma before it)
        let looks = || {
            (
                proptest::bool::weighted(0.95),
                0..VALUES.len(),
                0..3usize,
                0..3usize,
            )
        };
        let required =
            (looks(), looks(), looks()).prop_map(|(a, b, c)| vec![(0, a), (1, b), (2, c)]);
        // Each known optional field at most once; now and then an unknown, escaped or
        // repeated key.
        let optional = proptest::sample::subsequence((3..13).collect::<Vec<usize>>(), 0..=10)
            .prop_flat_map(move |keys| {
                let n = keys.len();
                (Just(keys), proptest::collection::vec(looks(), n))
            })
            .prop_map(|(keys, looks)| keys.into_iter().zip(looks).collect::<Vec<_>>());
        let odd = proptest::option::weighted(0.15, (0..KEYS.len(), looks()));
        (
            required,
            optional,
            odd,
            proptest::bool::weighted(0.95),
            prop_oneof![8 => 0..3usize, 1 => 3..SEPARATORS.len()],
            prop_oneof![6 => Just(""), 1 => Just("}"), 1 => Just("x"), 1 => Just(" ")],
        )
            .prop_flat_map(|(required, optional, odd, keep_required, outer, tail)| {
                let mut entries = if keep_required { required } else { Vec::new() };
                entries.extend(optional);
                entries.extend(odd);
                (Just(entries).prop_shuffle(), Just(outer), Just(tail))
            })
            .prop_map(|(entries, outer, tail)| {
                let space = SEPARATORS[outer];
                let mut line = format!("{space}{{");
                for (n, (key, (fits, value, sep, comma))) in entries.iter().enumerate() {
                    if n > 0 {
                        line.push_str([",", ", ", " , "][*comma]);
                    }
                    let value = if *fits {
                        let pool = fitting(*key);
                        pool[*value % pool.len()]
                    } else {
                        VALUES[*value]
                    };
                    let sep = SEPARATORS[*sep];
                    line.push_str(&format!("\"{}\"{sep}:{sep}{value}", KEYS[*key]));
                }
                line.push('}');
                line.push_str(space);
                line.push_str(tail);
                line
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4_000))]
        /// Whatever the scan reads, serde reads the same way.
        #[test]
        fn the_scan_never_reads_a_line_otherwise_than_serde(line in line()) {
            assert_reads_as_serde(&line);
        }
    }

    /// The generator above reaches the scan's own reading often, or the property would
    /// prove little.
    #[test]
    fn the_generated_lines_are_often_read_by_the_scan() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = line();
        let (mut read, total) = (0, 2_000);
        for _ in 0..total {
            let line = strategy.new_tree(&mut runner).unwrap().current();
            read += usize::from(post_view(&line).is_some());
        }
        // A quarter of them, at this seed.
        assert!(
            read * 5 > total,
            "only {read} of {total} lines were read by the scan"
        );
    }

    /// The usual line, compact or spaced, in any order of fields, is read by the scan
    /// itself, not handed to serde.
    #[test]
    fn the_usual_line_is_read_by_the_scan() {
        let spaced = r#"{"platform": "instagram", "handle": "creator0000001", "post_id": "creator0000001-0", "posted_at": "2026-11-01T10:04:22Z", "kind": "carousel", "caption": "Packed the stove #optoutside", "likes": 94, "comments": 3, "shares": null, "saves": null, "views": null, "is_sponsored": false, "comments_sample": ["what lens is that?", "🔥🔥🔥", "so good 😍"]}"#;
        let compact = r#"{"comments_sample":[],"views":1200,"kind":"reel","handle":"@Maya","post_id":"9","platform":"tiktok","caption":null,"likes":0}"#;
        let escaped = r#"{"platform":"x","h\u0061ndle":"m","post_id":"1","caption":"line one\nline \"two\" \\ caf\u00e9 \ud83d\udd25","comments_sample":["so \"good\"","\u00e9"]}"#;
        let extra = r#"{"platform":"x","url":"https://x.com/m/1","handle":"m","post_id":"1","media":[{"w":1080,"h":-1.5e3,"alt":null,"tags":["a\"b"]}],"likes":3}"#;
        for line in [spaced, compact, escaped, extra] {
            assert!(post_view(line).is_some(), "{line}");
            assert_reads_as_serde(line);
        }
        let view = post_view(escaped).unwrap();
        assert_eq!(view.caption(), Some("line one\nline \"two\" \\ café 🔥"));
        assert_eq!(view.comment_sample.total, 2);
        let view = post_view(spaced).unwrap();
        assert_eq!(view.likes, Some(94));
        assert_eq!(
            view.comment_sample,
            CommentSample {
                generic: 2,
                total: 3
            }
        );
        assert_eq!(view.caption(), Some("Packed the stove #optoutside"));
    }

    /// What serde alone can read (other whitespace, numbers of other shapes) or refuses
    /// is left to it.
    #[test]
    fn other_whitespace_repeated_keys_and_bad_values_are_left_to_serde() {
        for line in [
            "{\"platform\":\"x\",\t\"handle\":\"m\",\"post_id\":\"1\"}",
            r#"{"platform":"x","handle":"m","post_id":"1","likes":1.0}"#,
            r#"{"platform":"x","handle":"m","post_id":"1","likes":1,"likes":2}"#,
            r#"{"platform":"x","handle":"m"}"#,
            r#"{"platform":"x","handle":"m","post_id":"1"} x"#,
            r#"{"platform":"x","handle":"m","post_id":"1","comments_sample":null}"#,
        ] {
            assert!(post_view(line).is_none(), "{line}");
        }
    }
}
