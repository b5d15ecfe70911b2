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
    fn characters_beyond_ascii_stay_whole_inside_a_piece() {
        let pieces: Vec<&str> = split_ascii("café 🔥ok", |b| b.is_ascii_alphanumeric()).collect();
        assert_eq!(pieces, ["café", "🔥ok"]);
    }
}
