//! The readers on real files: the messy influencer-ranking tables in
//! `shared/data/influencer-rankings/` (a byte-order mark, `475.8m`, `%`, duplicated and
//! multi-line headers), read through mapping files; and arbitrary bytes through every
//! format. Real usernames stay out of assertions: only counts and numbers are checked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use kith_core::{Profile, Record};
use proptest::prelude::*;

use super::fuzzing::{TARGETS, exercise};
use super::*;

fn data(name: &str) -> Option<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/influencer-rankings")
        .join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            eprintln!("skipping: {} is not here", path.display());
            None
        }
    }
}

fn profiles(name: &str, bytes: Vec<u8>, mapping: &str) -> Vec<Result<Profile, RowError>> {
    let mapping = Mapping::parse(mapping, "map.toml").unwrap();
    let input = Input::from_bytes(bytes, name, RecordKind::Profiles);
    let opened = open_input(input, None, Some(mapping)).unwrap();
    opened
        .records
        .map(|r| {
            r.map(|rec| match rec {
                Record::Profile(p) => p,
                other => panic!("{other:?}"),
            })
        })
        .collect()
}

#[test]
fn the_bom_table_with_abbreviated_numbers_imports_every_good_row() {
    let Some(bytes) = data("top_insta_influencers_data.csv") else {
        return;
    };
    let mapping = "kind = \"profiles\"\n[fields]\nplatform = { value = \"instagram\" }\nhandle = \"channel_info\"\nfollowers = \"followers\"\nposts_count = \"posts\"\n";
    let rows = profiles("top.csv", bytes, mapping);
    assert_eq!(rows.len(), 200);
    let first = rows[0].as_ref().unwrap();
    assert_eq!(first.followers, Some(475_800_000), "475.8m");
    assert_eq!(first.posts_count, Some(3_300), "3.3k");
    // One row names a page ("… Crafts GIRLY") where a handle belongs: the one error,
    // skippable, on its own line.
    let bad: Vec<&RowError> = rows.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(bad.len(), 1);
    assert!(bad[0].recoverable && bad[0].error.message.contains("contains whitespace"));
    assert_eq!(bad[0].error.field.as_deref(), Some("channel_info"));
}

#[test]
fn abbreviated_and_spelled_out_duplicate_columns_agree_on_every_row() {
    for (file, handle, column) in [
        ("instagram_dec2022.csv", "name", "followers"),
        ("instagram_sep2022.csv", "instagram name", "subscribers"),
        ("tiktok_dec2022.csv", "tiktoker name", "followers"),
    ] {
        let Some(bytes) = data(file) else {
            return;
        };
        let map = |nth: usize| {
            format!(
                "[fields]\nplatform = {{ value = \"instagram\" }}\nhandle = {handle:?}\nfollowers = {{ column = {column:?}, nth = {nth} }}\n"
            )
        };
        let column_count = if file.starts_with("tiktok") { 1 } else { 2 };
        let short = profiles(file, bytes.clone(), &map(1));
        let long = profiles(file, bytes, &map(column_count));
        assert!(short.len() >= 1000, "{file}: {}", short.len());
        for (s, l) in short.iter().zip(&long) {
            let (s, l) = (s.as_ref().unwrap(), l.as_ref().unwrap());
            assert_eq!(
                s.followers, l.followers,
                "{file}: `…M` and the full number agree"
            );
        }
    }
}

#[test]
fn a_duplicated_header_without_nth_is_refused_with_the_way_out() {
    let Some(bytes) = data("instagram_dec2022.csv") else {
        return;
    };
    let mapping = Mapping::parse(
        "[fields]\nplatform = { value = \"instagram\" }\nhandle = \"name\"\nfollowers = \"followers\"\n",
        "map.toml",
    )
    .unwrap();
    let input = Input::from_bytes(bytes, "ig.csv", RecordKind::Profiles);
    let err = open_input(input, None, Some(mapping))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("appears 2 times (columns 6, 7)") && err.contains("nth = 2"),
        "{err}"
    );
}

#[test]
fn headers_broken_over_lines_are_matched_and_rows_keep_their_lines() {
    let Some(bytes) = data("youtube_dec2022.csv") else {
        return;
    };
    let mapping = "[fields]\nplatform = { value = \"youtube\" }\nhandle = \"youtube channel\"\nfollowers = { column = \"Followers\", nth = 2 }\n";
    let rows = profiles("yt.csv", bytes, mapping);
    let (ok, bad): (Vec<_>, Vec<_>) = rows.iter().partition(|r| r.is_ok());
    assert_eq!(ok.len() + bad.len(), 1003);
    // Channel names with spaces are not handles: each is a skippable error on its line.
    let first_bad = bad[0].as_ref().unwrap_err();
    assert!(first_bad.recoverable);
    assert_eq!(first_bad.error.field.as_deref(), Some("Youtube channel"));
    assert!(
        first_bad.error.position.line() > Some(3),
        "data starts after the two-line header"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_reader_panics_or_hangs_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for (format, kind, file) in TARGETS {
            exercise(format, *kind, file, &bytes);
        }
    }

    #[test]
    fn no_reader_panics_on_csv_like_text(
        header in "[a-zA-Z #_/\"]{0,40}(,[a-zA-Z #_/\"]{0,20}){0,12}",
        rows in proptest::collection::vec("[a-z0-9 ,.'\"\\r\\n%$€KMkm@:/-]{0,80}", 0..8),
    ) {
        let text = format!("{header}\n{}", rows.join("\n"));
        for (format, kind, file) in TARGETS {
            exercise(format, *kind, file, text.as_bytes());
        }
    }
}
