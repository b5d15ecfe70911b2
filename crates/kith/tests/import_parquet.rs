//! `kith import … FILE.parquet`: canonical records in Parquet, guessed by the file's
//! magic bytes, all-or-nothing like every import.

use std::sync::Arc;

use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use crate::support::{Kith, read_csv};

/// Posts p1…pN of @maya.eats with these likes, in a file named `.bin` so that only its
/// content can tell it is Parquet. `likes_as_text` stores the likes as strings.
fn posts_file(kith: &Kith, likes: &[&str], likes_as_text: bool) -> String {
    let likes_type = if likes_as_text {
        "binary likes (STRING)"
    } else {
        "int64 likes"
    };
    let schema = format!(
        "message post {{ required binary platform (STRING); required binary handle (STRING);
         required binary post_id (STRING); required {likes_type}; }}"
    );
    let schema = Arc::new(parse_message_type(&schema).unwrap());
    let props = Arc::new(WriterProperties::builder().build());
    let path = kith.path("export.bin");
    let file = std::fs::File::create(&path).unwrap();
    let mut writer = SerializedFileWriter::new(file, schema, props).unwrap();
    let mut rg = writer.next_row_group().unwrap();
    let n = likes.len();
    let texts = |v: Vec<String>| -> Vec<ByteArray> {
        v.into_iter()
            .map(|s| ByteArray::from(s.into_bytes()))
            .collect()
    };
    let mut columns = vec![
        texts(vec!["instagram".into(); n]),
        texts(vec!["maya.eats".into(); n]),
        texts((1..=n).map(|i| format!("p{i}")).collect()),
    ];
    if likes_as_text {
        columns.push(texts(likes.iter().map(|l| l.to_string()).collect()));
    }
    for values in columns {
        let mut c = rg.next_column().unwrap().unwrap();
        c.typed::<ByteArrayType>()
            .write_batch(&values, None, None)
            .unwrap();
        c.close().unwrap();
    }
    if !likes_as_text {
        let numbers: Vec<i64> = likes.iter().map(|l| l.parse().unwrap()).collect();
        let mut c = rg.next_column().unwrap().unwrap();
        c.typed::<Int64Type>()
            .write_batch(&numbers, None, None)
            .unwrap();
        c.close().unwrap();
    }
    rg.close().unwrap();
    writer.close().unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn a_parquet_file_of_posts_imports_without_naming_its_format() {
    let kith = Kith::new();
    let file = posts_file(&kith, &["10", "20", "30"], false);
    kith.ok(&["import", "posts", &file]);
    assert_eq!(kith.status()["posts"], 3);
}

#[test]
fn a_wrong_typed_parquet_column_names_row_and_column_and_imports_nothing() {
    let kith = Kith::new();
    let file = posts_file(&kith, &["10", "many"], true);
    let out = kith.run(&["import", "posts", &file, "--format", "parquet"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "export.bin: row 1: field \"likes\": holds text \"10\" where a whole number belongs"
        ),
        "{stderr}"
    );
    assert_eq!(kith.status()["posts"], 0);
}

#[test]
fn skip_bad_rows_sets_parquet_rows_aside_under_their_row_number() {
    let kith = Kith::new();
    let file = posts_file(&kith, &["10", "many", "30"], true);
    let out = kith.ok(&[
        "import",
        "posts",
        &file,
        "--format",
        "parquet",
        "--skip-bad-rows",
    ]);
    assert!(
        out.contains("imported 0 posts"),
        "every row holds text likes: {out}"
    );
    let rejects = kith.path("export.bin.rejects.csv");
    let (header, rows) = read_csv(&rejects);
    assert_eq!(
        header,
        ["platform", "handle", "post_id", "likes", "row", "reason"],
        "the canonical columns, then the row (a Parquet file has no lines) and the reason"
    );
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][..5], ["instagram", "maya.eats", "p2", "many", "2"]);
    assert_eq!(
        rows[1][5],
        "field \"likes\": holds text \"many\" where a whole number belongs"
    );
}
