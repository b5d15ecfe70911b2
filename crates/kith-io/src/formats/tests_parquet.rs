//! Parquet files of canonical records, written here with the `parquet` crate's own
//! writer, read back through the registry like any import.

use std::sync::Arc;

use bytes::Bytes;
use kith_core::{Platform, PostKind, Record};
use parquet::basic::{BrotliLevel, Compression};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int64Type};
use parquet::file::metadata::ParquetMetaDataWriter;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use time::macros::datetime;

use crate::formats::{Input, Position, RecordKind, open_input};

/// One column's values for one row group; every column is `optional`.
enum Col {
    Text(Vec<Option<&'static str>>),
    Long(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
    /// `optional group (LIST) { repeated group list { optional binary element } }`.
    Texts(Vec<Vec<&'static str>>),
}

fn defined<T: Clone>(values: &[Option<T>]) -> (Vec<T>, Vec<i16>) {
    let present = values.iter().flatten().cloned().collect();
    let levels = values.iter().map(|v| i16::from(v.is_some())).collect();
    (present, levels)
}

/// A Parquet file of `schema` with one row group per entry of `groups`.
fn parquet(schema: &str, groups: Vec<Vec<Col>>) -> Vec<u8> {
    parquet_compressed(schema, groups, Compression::UNCOMPRESSED)
}

/// The same, every column compressed with `codec`.
fn parquet_compressed(schema: &str, groups: Vec<Vec<Col>>, codec: Compression) -> Vec<u8> {
    let schema = Arc::new(parse_message_type(schema).unwrap());
    let props = Arc::new(WriterProperties::builder().set_compression(codec).build());
    let mut writer = SerializedFileWriter::new(Vec::new(), schema, props).unwrap();
    for group in groups {
        let mut rg = writer.next_row_group().unwrap();
        for col in group {
            let mut c = rg.next_column().unwrap().expect("a column per value list");
            match col {
                Col::Text(v) => {
                    let (values, def) = defined(&v);
                    let values: Vec<ByteArray> = values.into_iter().map(ByteArray::from).collect();
                    c.typed::<ByteArrayType>()
                        .write_batch(&values, Some(&def), None)
                        .unwrap();
                }
                Col::Long(v) => {
                    let (values, def) = defined(&v);
                    c.typed::<Int64Type>()
                        .write_batch(&values, Some(&def), None)
                        .unwrap();
                }
                Col::Bool(v) => {
                    let (values, def) = defined(&v);
                    c.typed::<BoolType>()
                        .write_batch(&values, Some(&def), None)
                        .unwrap();
                }
                Col::Texts(rows) => {
                    let (mut values, mut def, mut rep) = (Vec::new(), Vec::new(), Vec::new());
                    for row in rows {
                        if row.is_empty() {
                            def.push(1);
                            rep.push(0);
                        }
                        for (i, text) in row.into_iter().enumerate() {
                            values.push(ByteArray::from(text));
                            def.push(3);
                            rep.push(i16::from(i > 0));
                        }
                    }
                    c.typed::<ByteArrayType>()
                        .write_batch(&values, Some(&def), Some(&rep))
                        .unwrap();
                }
            }
            c.close().unwrap();
        }
        rg.close().unwrap();
    }
    writer.into_inner().unwrap()
}

const POSTS: &str = "message post {
    optional binary platform (STRING);
    optional binary handle (STRING);
    optional binary post_id (STRING);
    optional int64 posted_at (TIMESTAMP(MILLIS, true));
    optional binary kind (STRING);
    optional int64 likes;
    optional boolean is_sponsored;
    optional group comments_sample (LIST) { repeated group list { optional binary element (STRING); } }
    optional binary notes (STRING);
}";

/// Two row groups: two posts, then one.
fn posts_file(likes_of_third: Col) -> Vec<u8> {
    posts_file_compressed(likes_of_third, Compression::UNCOMPRESSED)
}

fn posts_file_compressed(likes_of_third: Col, codec: Compression) -> Vec<u8> {
    let group = |ids: Vec<Option<&'static str>>, likes: Col, comments: Vec<Vec<&'static str>>| {
        let n = ids.len();
        vec![
            Col::Text(vec![Some("instagram"); n]),
            Col::Text(vec![Some("@Maya.Eats"); n]),
            Col::Text(ids),
            Col::Long(vec![Some(1_714_658_411_000); n]),
            Col::Text(vec![Some("reel"); n]),
            likes,
            Col::Bool(vec![Some(false); n]),
            Col::Texts(comments),
            Col::Text(vec![Some("not a canonical column"); n]),
        ]
    };
    parquet_compressed(
        POSTS,
        vec![
            group(
                vec![Some("p1"), Some("p2")],
                Col::Long(vec![Some(120), None]),
                vec![vec!["love it", "where?"], vec![]],
            ),
            group(vec![Some("p3")], likes_of_third, vec![vec!["🔥"]]),
        ],
        codec,
    )
}

/// `bytes` with each column chunk's codec in the footer replaced by `codec(column, was)`;
/// the pages stay as they were written.
fn relabel_codecs(bytes: Vec<u8>, codec: impl Fn(&str, Compression) -> Compression) -> Vec<u8> {
    let reader = SerializedFileReader::new(Bytes::from(bytes.clone())).unwrap();
    let mut metadata = reader.metadata().clone().into_builder();
    let groups = metadata
        .take_row_groups()
        .into_iter()
        .map(|group| {
            let columns = group
                .columns()
                .iter()
                .map(|c| {
                    let relabelled = codec(&c.column_path().string(), c.compression());
                    c.clone().into_builder().set_compression(relabelled).build()
                })
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            group
                .into_builder()
                .set_column_metadata(columns)
                .build()
                .unwrap()
        })
        .collect();
    let metadata = metadata.set_row_groups(groups).build();
    let tail: [u8; 4] = bytes[bytes.len() - 8..bytes.len() - 4].try_into().unwrap();
    let footer = u32::from_le_bytes(tail) as usize;
    let mut out = bytes[..bytes.len() - 8 - footer].to_vec();
    ParquetMetaDataWriter::new(&mut out, &metadata)
        .finish()
        .unwrap();
    out
}

fn read(
    bytes: Vec<u8>,
    file: &str,
    kind: RecordKind,
    format: Option<&str>,
) -> Vec<Result<Record, String>> {
    let opened = open_input(Input::from_bytes(bytes, file, kind), format, None)
        .map_err(|e| e.to_string())
        .unwrap();
    assert_eq!(opened.format.name, "parquet");
    opened
        .records
        .map(|r| r.map_err(|e| e.to_string()))
        .collect()
}

#[test]
fn posts_in_parquet_read_as_canonical_posts_through_every_row_group() {
    let records = read(
        posts_file(Col::Long(vec![Some(7)])),
        "posts.parquet",
        RecordKind::Posts,
        None,
    );
    let posts: Vec<_> = records
        .into_iter()
        .map(|r| match r.unwrap() {
            Record::Post(p) => p,
            other => panic!("not a post: {other:?}"),
        })
        .collect();
    assert_eq!(posts.len(), 3);
    let first = &posts[0];
    assert_eq!(first.platform, Platform::Instagram);
    assert_eq!(first.handle.as_str(), "maya.eats");
    assert_eq!(first.post_id, "p1");
    assert_eq!(first.posted_at, Some(datetime!(2024-05-02 14:00:11 UTC)));
    assert_eq!(first.kind, Some(PostKind::Reel));
    assert_eq!(first.likes, Some(120));
    assert_eq!(first.is_sponsored, Some(false));
    assert_eq!(first.comments_sample, ["love it", "where?"]);
    assert_eq!(posts[1].likes, None, "a null stays empty, never 0");
    assert!(posts[1].comments_sample.is_empty());
    assert_eq!((posts[2].post_id.as_str(), posts[2].likes), ("p3", Some(7)));
}

#[test]
fn a_wrong_typed_column_is_refused_naming_file_row_and_column() {
    let schema = POSTS.replace("optional int64 likes;", "optional binary likes (STRING);");
    let group = |ids: Vec<Option<&'static str>>, likes: Vec<Option<&'static str>>| {
        let n = ids.len();
        vec![
            Col::Text(vec![Some("instagram"); n]),
            Col::Text(vec![Some("maya"); n]),
            Col::Text(ids),
            Col::Long(vec![None; n]),
            Col::Text(vec![None; n]),
            Col::Text(likes),
            Col::Bool(vec![None; n]),
            Col::Texts(vec![vec![]; n]),
            Col::Text(vec![None; n]),
        ]
    };
    let bytes = parquet(
        &schema,
        vec![
            group(vec![Some("p1")], vec![None]),
            group(vec![Some("p2")], vec![Some("lots")]),
        ],
    );
    let records = read(bytes, "posts.parquet", RecordKind::Posts, Some("parquet"));
    assert!(records[0].is_ok(), "{:?}", records[0]);
    assert_eq!(
        records[1].as_ref().unwrap_err(),
        "posts.parquet: row 2: field \"likes\": holds text \"lots\" where a whole number belongs"
    );
}

#[test]
fn a_negative_count_is_refused_naming_its_column() {
    let bytes = parquet(
        "message profile { optional binary platform (STRING); optional int64 followers; }",
        vec![vec![
            Col::Text(vec![Some("tiktok")]),
            Col::Long(vec![Some(-3)]),
        ]],
    );
    let records = read(bytes, "profiles.parquet", RecordKind::Profiles, None);
    assert_eq!(
        records[0].as_ref().unwrap_err(),
        "profiles.parquet: row 1: field \"followers\": -3 is negative"
    );
}

#[test]
fn people_read_ids_written_as_numbers_and_the_kind_gives_their_source() {
    let bytes = parquet(
        "message person { optional int64 id; optional binary email (STRING); optional boolean accepts_marketing; }",
        vec![vec![
            Col::Long(vec![Some(6_020_112)]),
            Col::Text(vec![Some("Ana@Example.com")]),
            Col::Bool(vec![Some(true)]),
        ]],
    );
    let records = read(bytes, "staff.parquet", RecordKind::Employees, None);
    let Ok(Record::Person(p)) = &records[0] else {
        panic!("{records:?}");
    };
    assert_eq!(p.id, "6020112");
    assert_eq!(p.email.as_deref(), Some("ana@example.com"));
    assert_eq!(p.source, Some(kith_core::PersonSource::Employee));
}

#[test]
fn a_file_that_is_not_parquet_is_refused_naming_the_file() {
    let input = Input::from_bytes(
        b"PAR1 but nothing else".to_vec(),
        "posts.parquet",
        RecordKind::Posts,
    );
    let err = open_input(input, Some("parquet"), None)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("posts.parquet: is not a readable Parquet file"),
        "{err}"
    );
}

#[test]
fn a_file_without_any_canonical_column_says_which_it_expected() {
    let bytes = parquet(
        "message x { optional binary colour (STRING); }",
        vec![vec![Col::Text(vec![Some("red")])]],
    );
    let input = Input::from_bytes(bytes, "x.parquet", RecordKind::Posts);
    let err = open_input(input, None, None).unwrap_err().to_string();
    assert!(
        err.starts_with("x.parquet: has none of the canonical columns (platform, handle, post_id"),
        "{err}"
    );
}

#[test]
fn a_wrong_value_names_its_row_in_the_typed_error_as_well_as_the_text() {
    let records: Vec<_> = open_input(
        Input::from_bytes(
            posts_file(Col::Long(vec![Some(-1)])),
            "posts.parquet",
            RecordKind::Posts,
        ),
        None,
        None,
    )
    .unwrap()
    .records
    .collect();
    let err = records[2].as_ref().unwrap_err();
    assert_eq!(
        err.error.position,
        Position::Row(3),
        "counted across row groups"
    );
    assert_eq!(err.error.position.line(), None, "a row is not a line");
    assert_eq!(err.error.field.as_deref(), Some("likes"));
    assert!(err.recoverable, "a bad value can be set aside");
}

#[test]
fn brotli_compressed_posts_read_the_same_as_uncompressed_ones() {
    let plain = read(
        posts_file(Col::Long(vec![Some(7)])),
        "posts.parquet",
        RecordKind::Posts,
        None,
    );
    let brotli = posts_file_compressed(
        Col::Long(vec![Some(7)]),
        Compression::BROTLI(BrotliLevel::default()),
    );
    let reader = SerializedFileReader::new(Bytes::from(brotli.clone())).unwrap();
    assert!(
        matches!(
            reader.metadata().row_group(0).column(0).compression(),
            Compression::BROTLI(_)
        ),
        "the file really is Brotli-compressed"
    );
    let records = read(brotli, "posts.parquet", RecordKind::Posts, None);
    assert_eq!(records.len(), 3);
    assert_eq!(records, plain);
}

#[test]
fn every_codec_writers_use_reads() {
    let plain = read(
        posts_file(Col::Long(vec![Some(7)])),
        "posts.parquet",
        RecordKind::Posts,
        None,
    );
    for codec in [
        Compression::SNAPPY,
        Compression::GZIP(Default::default()),
        Compression::BROTLI(Default::default()),
        Compression::LZ4,
        Compression::LZ4_RAW,
        Compression::ZSTD(Default::default()),
    ] {
        let bytes = posts_file_compressed(Col::Long(vec![Some(7)]), codec);
        let records = read(bytes, "posts.parquet", RecordKind::Posts, None);
        assert_eq!(records, plain, "{codec}");
    }
}

#[test]
fn a_column_in_a_codec_kith_cannot_read_is_refused_naming_file_and_column_before_any_row() {
    let lzo = relabel_codecs(
        posts_file_compressed(Col::Long(vec![Some(7)]), Compression::SNAPPY),
        |_, _| Compression::LZO,
    );
    let input = Input::from_bytes(lzo, "posts.parquet", RecordKind::Posts);
    let err = open_input(input, None, None).unwrap_err().to_string();
    assert_eq!(
        err,
        "posts.parquet: field \"platform\": is compressed with LZO, which kith cannot read \
         (it reads uncompressed, Snappy, gzip, Brotli, LZ4 and Zstandard columns)"
    );
}

#[test]
fn a_codec_kith_cannot_read_in_a_column_it_does_not_read_is_no_obstacle() {
    // Only `notes`, which is not canonical, claims LZO.
    let relabelled = relabel_codecs(posts_file(Col::Long(vec![Some(7)])), |column, was| {
        if column == "notes" {
            Compression::LZO
        } else {
            was
        }
    });
    let records = read(relabelled, "posts.parquet", RecordKind::Posts, None);
    assert_eq!(records.len(), 3);
    assert!(records.iter().all(Result::is_ok), "{records:?}");
}
