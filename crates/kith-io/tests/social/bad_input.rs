//! Bad input: every error names the file, the physical line, the field and the value;
//! nothing panics, hangs or grows without bound.

use kith_io::social::SocialFormat;

use crate::support::{first_error, read_text, read_with};

#[test]
fn a_bad_timestamp_in_ndjson_names_its_line_field_and_value() {
    let results = read_with(
        SocialFormat::InstagramGraph,
        "instagram-bad-line.ndjson",
        None,
    );
    let ok = results.iter().take_while(|r| r.is_ok()).count();
    assert_eq!(
        ok, 7,
        "the first response's profile and six media come through"
    );
    let err = first_error(results);
    assert_eq!(err.position.line(), Some(2));
    assert_eq!(
        err.field.as_deref(),
        Some("business_discovery.media.data[1].timestamp")
    );
    assert_eq!(
        err.to_string(),
        "instagram-bad-line.ndjson:2: field \"business_discovery.media.data[1].timestamp\": \
         \"2024-13-02T14:00:11+0000\" is not a timestamp (expected ISO 8601 such as 2024-05-02T14:00:11+0000)"
    );
}

#[test]
fn a_bad_value_in_a_pretty_printed_array_names_its_physical_line() {
    let text = "[\n  {\"business_discovery\": {\"username\": \"a.example\"}},\n  {\n    \"business_discovery\": {\n      \"username\": \"b.example\",\n      \"followers_count\": -5\n    }\n  }\n]\n";
    let err = first_error(read_text(SocialFormat::InstagramGraph, text));
    assert_eq!(err.position.line(), Some(6));
    assert_eq!(
        err.field.as_deref(),
        Some("business_discovery.followers_count")
    );
    assert!(err.message.contains("-5 is not a count"), "{err}");
}

#[test]
fn broken_json_names_its_line_and_column() {
    let text = "{\"business_discovery\":{\"username\":\"a.example\"}}\n{\"business_discovery\":{\"username\" \"b\"}}\n";
    let err = first_error(read_text(SocialFormat::InstagramGraph, text));
    assert_eq!(err.position.line(), Some(2));
    assert!(err.message.starts_with("not valid JSON"), "{err}");
    assert!(err.message.contains("column"), "{err}");
}

#[test]
fn a_missing_username_is_named() {
    let err = first_error(read_text(
        SocialFormat::InstagramGraph,
        "{\"business_discovery\":{\"followers_count\":3}}",
    ));
    assert_eq!(err.field.as_deref(), Some("business_discovery"));
    assert!(err.message.contains("missing field \"username\""), "{err}");
}

#[test]
fn a_handle_with_spaces_is_refused_with_its_value() {
    let err = first_error(read_text(
        SocialFormat::X,
        "{\"data\":{\"id\":\"1\",\"username\":\"two words\"}}",
    ));
    assert_eq!(err.field.as_deref(), Some("data.username"));
    assert!(err.message.contains("\"two words\""), "{err}");
}

#[test]
fn a_post_whose_owner_is_unknown_is_refused() {
    let text = "{\"data\":[{\"id\":\"5\",\"text\":\"hi\",\"author_id\":\"404\"}]}";
    let err = first_error(read_text(SocialFormat::X, text));
    assert_eq!(err.field.as_deref(), Some("data[0].author_id"));
    assert!(err.message.contains("\"404\""), "{err}");
}

#[test]
fn a_youtube_video_before_its_channel_is_refused() {
    let text = "{\"kind\":\"youtube#videoListResponse\",\"items\":[{\"id\":\"v\",\"snippet\":{\"channelId\":\"UCnope\"}}]}";
    let err = first_error(read_text(SocialFormat::Youtube, text));
    assert_eq!(err.field.as_deref(), Some("items[0].snippet.channelId"));
}

#[test]
fn a_response_of_another_platform_is_named_as_such() {
    let err = first_error(read_text(
        SocialFormat::InstagramGraph,
        "{\"data\":{\"user\":{}}}",
    ));
    assert!(
        err.message.contains("not a Business Discovery response"),
        "{err}"
    );
}

#[test]
fn deep_nesting_fails_without_overflowing_the_stack() {
    let text = format!(
        "{{\"business_discovery\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let err = first_error(read_text(SocialFormat::InstagramGraph, &text));
    assert_eq!(err.position.line(), Some(1));
}

#[test]
fn garbage_never_panics_and_always_ends() {
    // A fixed pseudo-random walk over JSON-ish bytes: every prefix must end in records or
    // one error, never a panic or an endless loop.
    let alphabet = b"{}[]\",:0123456789-+.eE tfnul\\\nabc_#\xff";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for round in 0..300 {
        let len = 1 + round * 7;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                alphabet[(state % alphabet.len() as u64) as usize]
            })
            .collect();
        for format in SocialFormat::ALL {
            let results: Vec<_> = format
                .reader(&bytes[..], "fuzz", Default::default())
                .collect();
            assert!(results.iter().filter(|r| r.is_err()).count() <= 1);
        }
    }
}
