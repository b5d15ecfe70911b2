//! Splitting text into words without decoding characters, for the rules that read
//! millions of short ASCII texts (captions, sampled comments).

/// The pieces of `text` between the ASCII bytes that `part` refuses, empty pieces
/// included, as `str`s. Bytes outside ASCII always stay inside a piece (so every piece
/// is whole UTF-8): callers that must split on non-ASCII characters too give this only
/// ASCII text.
pub(crate) fn split_ascii(text: &str, part: impl Fn(u8) -> bool) -> impl Iterator<Item = &str> {
    let base = text.as_ptr() as usize;
    text.as_bytes()
        .split(move |b| b.is_ascii() && !part(*b))
        .map(move |piece| {
            let start = piece.as_ptr() as usize - base;
            text.get(start..start + piece.len()).unwrap_or_default()
        })
}

/// A text in lowercase.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lowercase<'a> {
    pub text: &'a str,
    /// Whether the original text was ASCII (and so this one, lowered byte by byte).
    pub ascii: bool,
}

/// Runs `f` on `text` in lowercase: short ASCII text (most captions) lowered on the
/// stack, other text by [`str::to_lowercase`].
pub(crate) fn with_lowercase<T>(text: &str, f: impl FnOnce(Lowercase<'_>) -> T) -> T {
    let mut buffer = [0u8; 512];
    if text.is_ascii() && text.len() <= buffer.len() {
        let lower = &mut buffer[..text.len()];
        lower.copy_from_slice(text.as_bytes());
        lower.make_ascii_lowercase();
        f(Lowercase {
            // ASCII stays ASCII when lowered: this never fails.
            text: std::str::from_utf8(lower).unwrap_or_default(),
            ascii: true,
        })
    } else {
        f(Lowercase {
            text: &text.to_lowercase(),
            ascii: text.is_ascii(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_what_str_split_gives_on_ascii() {
        for text in [
            "",
            "a",
            "hello, world!",
            "  two  spaces ",
            "#tag#tag2",
            "x-",
        ] {
            let ours: Vec<&str> = split_ascii(text, |b| b.is_ascii_alphanumeric()).collect();
            let std: Vec<&str> = text.split(|c: char| !c.is_ascii_alphanumeric()).collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[test]
    fn lowercase_is_str_to_lowercase() {
        for text in ["", "Hello #World", "CAFÉ", &"X".repeat(600), "İstanbul"] {
            let lower = with_lowercase(text, |l| (l.text.to_owned(), l.ascii));
            assert_eq!(lower, (text.to_lowercase(), text.is_ascii()));
        }
    }

    #[test]
    fn characters_beyond_ascii_stay_whole_inside_a_piece() {
        let pieces: Vec<&str> = split_ascii("café 🔥ok", |b| b.is_ascii_alphanumeric()).collect();
        assert_eq!(pieces, ["café", "🔥ok"]);
    }
}
