//! Parquet files holding kith's canonical records: the same column names as the
//! canonical NDJSON fields (`platform`, `handle`, `post_id`, `posted_at`, …), with
//! Parquet's own types.
//!
//! Read with the `parquet` crate's row API (no Arrow): one row group at a time, only the
//! columns kith knows (a projection, so other columns are never decoded). Each row
//! becomes the JSON object its NDJSON line would be and goes through the same
//! deserialisation and validation, so a Parquet row and an NDJSON line mean exactly the
//! same. A value of the wrong type is refused with the file, the row (1-based, counted
//! through every row group: `posts.parquet: row 2: field "likes": …`, where other formats
//! name a line) and the column. What is wrong with the file as a whole (not Parquet, no
//! canonical column, a type or a codec kith cannot decode) is refused before any row is
//! read, naming the file and, where it is about one, the column.
//!
//! Parquet keeps its metadata at the end of the file, so a file on disk is read in place
//! and bytes in memory (tests, fuzzing) are read from memory.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use kith_core::{Order, Person, Post, Profile, Record, Review};
use parquet::basic::{Compression, ConvertedType, LogicalType, TimeUnit, Type as Physical};
use parquet::file::metadata::RowGroupMetaData;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::reader::RowIter;
use parquet::record::{Field, Row};
use parquet::schema::types::{ColumnPath, SchemaDescriptor, Type};
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime};

use crate::formats::{
    Format, Input, LineError, OpenError, Options, Position, RecordKind, RecordStream, RowError,
    Sniff,
};

pub const FORMAT: Format = Format {
    name: "parquet",
    kinds: &RecordKind::ALL,
    recognise,
    open,
};

/// Every Parquet file starts (and ends) with these four bytes.
const MAGIC: &[u8] = b"PAR1";

fn recognise(sniff: &Sniff) -> bool {
    sniff.head.starts_with(MAGIC)
}

/// What a canonical field holds, and so which Parquet values it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// Text; whole numbers too, written out (ids are often INT64).
    Text,
    /// A whole number from 0.
    Count,
    /// A decimal string, a number, or a DECIMAL.
    Money,
    Bool,
    /// TIMESTAMP, DATE (midnight UTC), or RFC 3339 text.
    Time,
    /// DATE, or `YYYY-MM-DD` text.
    Day,
    /// A list of text.
    Texts,
    /// A struct (or map) of platform → handle.
    Handles,
    /// A list of structs `{date, followers}`.
    History,
}

impl Want {
    fn describe(self) -> &'static str {
        match self {
            Want::Text => "text",
            Want::Count => "a whole number",
            Want::Money => "an amount (DECIMAL, a number or decimal text)",
            Want::Bool => "a BOOLEAN",
            Want::Time => "a timestamp (TIMESTAMP, DATE or RFC 3339 text)",
            Want::Day => "a date (DATE or YYYY-MM-DD text)",
            Want::Texts => "a list of text",
            Want::Handles => "a struct of platform → handle",
            Want::History => "a list of {date, followers}",
        }
    }
}

use Want::*;

const PERSON: &[(&str, Want)] = &[
    ("id", Text),
    ("source", Text),
    ("email", Text),
    ("first_name", Text),
    ("last_name", Text),
    ("city", Text),
    ("region", Text),
    ("country", Text),
    ("postal_code", Text),
    ("orders_count", Count),
    ("total_spent", Money),
    ("accepts_marketing", Bool),
    ("tags", Texts),
    ("handles", Handles),
    ("title", Text),
    ("department", Text),
];

const PROFILE: &[(&str, Want)] = &[
    ("platform", Text),
    ("handle", Text),
    ("user_id", Text),
    ("display_name", Text),
    ("bio", Text),
    ("followers", Count),
    ("following", Count),
    ("posts_count", Count),
    ("is_verified", Bool),
    ("is_private", Bool),
    ("has_profile_pic", Bool),
    ("external_url", Text),
    ("fetched_at", Time),
    ("follower_history", History),
];

const POST: &[(&str, Want)] = &[
    ("platform", Text),
    ("handle", Text),
    ("post_id", Text),
    ("posted_at", Time),
    ("kind", Text),
    ("caption", Text),
    ("likes", Count),
    ("comments", Count),
    ("shares", Count),
    ("saves", Count),
    ("views", Count),
    ("is_sponsored", Bool),
    ("comments_sample", Texts),
];

const REVIEW: &[(&str, Want)] = &[
    ("id", Text),
    ("person_id", Text),
    ("email", Text),
    ("product", Text),
    ("rating", Count),
    ("title", Text),
    ("body", Text),
    ("created_at", Time),
    ("verified_buyer", Bool),
];

const ORDER: &[(&str, Want)] = &[
    ("id", Text),
    ("person_id", Text),
    ("email", Text),
    ("created_at", Time),
    ("currency", Text),
    ("subtotal_price", Money),
    ("total_price", Money),
    ("total_discounts", Money),
    ("discount_codes", Texts),
    ("financial_status", Text),
    ("landing_site", Text),
    ("referring_site", Text),
];

fn fields_of(kind: RecordKind) -> &'static [(&'static str, Want)] {
    match kind {
        RecordKind::Customers | RecordKind::Employees => PERSON,
        RecordKind::Profiles => PROFILE,
        RecordKind::Posts => POST,
        RecordKind::Reviews => REVIEW,
        RecordKind::Orders => ORDER,
    }
}

/// One column kith reads, by its position in the projected row.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    want: Want,
    /// INT64 holding nanoseconds since the epoch (TIMESTAMP(NANOS)), which the row API
    /// hands over as a plain number.
    nanos: bool,
}

struct Rows {
    file: String,
    kind: RecordKind,
    rows: RowIter<'static>,
    columns: Vec<Column>,
    names: Vec<String>,
    /// The row about to be read, 1-based.
    row: u64,
    total_rows: u64,
    file_bytes: u64,
    progress: Arc<AtomicU64>,
    done: bool,
}

fn at_file(file: &str, message: String) -> LineError {
    LineError {
        file: file.to_owned(),
        position: Position::File,
        field: None,
        message,
    }
}

fn open(input: Input, _: &Options) -> Result<Box<dyn RecordStream>, OpenError> {
    let file = input.file.clone();
    let kind = input.kind;
    let progress = input.progress();
    let not_parquet = |e: parquet::errors::ParquetError| {
        OpenError::from(at_file(
            &file,
            format!("is not a readable Parquet file: {e}"),
        ))
    };
    let io = |source| OpenError::Io {
        file: file.clone(),
        source,
    };
    let (reader, file_bytes): (Box<dyn FileReader>, u64) = match input.path() {
        Some(path) => {
            let f = std::fs::File::open(path).map_err(io)?;
            let len = f.metadata().map_err(io)?.len();
            (
                Box::new(SerializedFileReader::new(f).map_err(not_parquet)?),
                len,
            )
        }
        None => {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut input.into_reader(), &mut bytes).map_err(io)?;
            let len = bytes.len() as u64;
            let bytes = Bytes::from(bytes);
            (
                Box::new(SerializedFileReader::new(bytes).map_err(not_parquet)?),
                len,
            )
        }
    };
    let metadata = reader.metadata().file_metadata();
    let total_rows = u64::try_from(metadata.num_rows()).unwrap_or(0);
    let (projection, columns) = project(&file, metadata.schema(), fields_of(kind))?;
    let descriptor = SchemaDescriptor::new(Arc::new(projection.clone()));
    check_types(&file, &descriptor)?;
    check_codecs(&file, &descriptor, reader.metadata().row_groups())?;
    let rows = RowIter::from_file_into(reader)
        .project(Some(projection))
        .map_err(not_parquet)?;
    let names = columns.iter().map(|c| c.name.clone()).collect();
    Ok(Box::new(Rows {
        file,
        kind,
        rows,
        columns,
        names,
        row: 1,
        total_rows,
        file_bytes,
        progress,
        done: false,
    }))
}

/// The file's top-level columns that are canonical fields, in file order.
fn project(
    file: &str,
    schema: &Type,
    fields: &[(&str, Want)],
) -> Result<(Type, Vec<Column>), OpenError> {
    let mut kept = Vec::new();
    let mut columns = Vec::new();
    for field in schema.get_fields() {
        let Some((_, want)) = fields.iter().find(|(name, _)| *name == field.name()) else {
            continue;
        };
        let nanos = field.is_primitive()
            && matches!(
                field.get_basic_info().logical_type_ref(),
                Some(LogicalType::Timestamp(t)) if matches!(t.unit, TimeUnit::NANOS)
            );
        columns.push(Column {
            name: field.name().to_owned(),
            want: *want,
            nanos,
        });
        kept.push(Arc::clone(field));
    }
    if kept.is_empty() {
        let expected: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
        return Err(at_file(
            file,
            format!(
                "has none of the canonical columns ({})",
                expected.join(", ")
            ),
        )
        .into());
    }
    let projection = Type::group_type_builder(schema.name())
        .with_fields(kept)
        .build()
        .map_err(|e| OpenError::from(at_file(file, format!("has an unusable schema: {e}"))))?;
    Ok((projection, columns))
}

/// Refuses, before reading a row, the column types the row API cannot decode (it would
/// stop the process instead of answering with an error).
fn check_types(file: &str, schema: &SchemaDescriptor) -> Result<(), OpenError> {
    use ConvertedType as C;
    for column in schema.columns() {
        let converted = column.converted_type();
        let readable = match column.physical_type() {
            Physical::BOOLEAN | Physical::INT96 | Physical::FLOAT | Physical::DOUBLE => true,
            Physical::INT32 => matches!(
                converted,
                C::NONE
                    | C::INT_8
                    | C::INT_16
                    | C::INT_32
                    | C::UINT_8
                    | C::UINT_16
                    | C::UINT_32
                    | C::DATE
                    | C::TIME_MILLIS
                    | C::DECIMAL
            ),
            Physical::INT64 => matches!(
                converted,
                C::NONE
                    | C::INT_64
                    | C::UINT_64
                    | C::TIME_MICROS
                    | C::TIMESTAMP_MILLIS
                    | C::TIMESTAMP_MICROS
                    | C::DECIMAL
            ),
            Physical::BYTE_ARRAY => matches!(
                converted,
                C::UTF8 | C::ENUM | C::JSON | C::BSON | C::NONE | C::DECIMAL
            ),
            Physical::FIXED_LEN_BYTE_ARRAY => matches!(converted, C::NONE | C::DECIMAL),
        };
        if !readable {
            return Err(LineError {
                file: file.to_owned(),
                position: Position::File,
                field: Some(column.path().string()),
                message: format!(
                    "has the Parquet type {} ({converted}), which kith cannot read",
                    column.physical_type()
                ),
            }
            .into());
        }
    }
    Ok(())
}

/// Refuses, before reading a row, a column compressed with a codec this build cannot
/// decompress, rather than failing part-way through the file.
fn check_codecs(
    file: &str,
    schema: &SchemaDescriptor,
    row_groups: &[RowGroupMetaData],
) -> Result<(), OpenError> {
    let read: Vec<&ColumnPath> = schema.columns().iter().map(|c| c.path()).collect();
    for chunk in row_groups.iter().flat_map(|g| g.columns()) {
        if !read.contains(&chunk.column_path()) {
            continue;
        }
        let codec = chunk.compression();
        let readable = match codec {
            Compression::UNCOMPRESSED
            | Compression::SNAPPY
            | Compression::GZIP(_)
            | Compression::BROTLI(_)
            | Compression::LZ4
            | Compression::ZSTD(_)
            | Compression::LZ4_RAW => true,
            Compression::LZO => false,
        };
        if !readable {
            return Err(LineError {
                file: file.to_owned(),
                position: Position::File,
                field: Some(chunk.column_path().string()),
                message: format!(
                    "is compressed with {codec}, which kith cannot read (it reads \
                     uncompressed, Snappy, gzip, Brotli, LZ4 and Zstandard columns)"
                ),
            }
            .into());
        }
    }
    Ok(())
}

impl Rows {
    fn error(&self, field: Option<String>, message: String) -> LineError {
        LineError {
            file: self.file.clone(),
            position: Position::Row(self.row),
            field,
            message,
        }
    }

    fn record(&self, row: &Row) -> Result<Record, LineError> {
        let mut object = Map::new();
        for (i, (_, value)) in row.get_column_iter().enumerate() {
            let Some(column) = self.columns.get(i) else {
                continue;
            };
            let json = convert(value, column.want, column.nanos)
                .map_err(|(path, m)| self.error(Some(format!("{}{path}", column.name)), m))?;
            object.insert(column.name.clone(), json);
        }
        let value = Value::Object(object);
        let record = match self.kind {
            RecordKind::Customers | RecordKind::Employees => {
                let default = self.kind.default_source();
                let person: Person = self.deserialize(value)?;
                Record::Person(
                    person
                        .validated(default)
                        .map_err(|e| self.error(Some(e.field.to_owned()), e.reason))?,
                )
            }
            RecordKind::Profiles => Record::Profile(self.deserialize::<Profile>(value)?),
            RecordKind::Posts => Record::Post(
                self.deserialize::<Post>(value)?
                    .validated()
                    .map_err(|e| self.error(Some(e.field.to_owned()), e.reason))?,
            ),
            RecordKind::Reviews => Record::Review(
                self.deserialize::<Review>(value)?
                    .validated()
                    .map_err(|e| self.error(Some(e.field.to_owned()), e.reason))?,
            ),
            RecordKind::Orders => Record::Order(
                self.deserialize::<Order>(value)?
                    .validated()
                    .map_err(|e| self.error(Some(e.field.to_owned()), e.reason))?,
            ),
        };
        Ok(record)
    }

    /// The canonical record, with serde's complaint placed on the field it is about.
    fn deserialize<T: DeserializeOwned>(&self, value: Value) -> Result<T, LineError> {
        serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let message = e.into_inner().to_string().replace('`', "\"");
            if path == "." || path.is_empty() {
                self.error(None, message)
            } else {
                self.error(Some(path), message)
            }
        })
    }

    /// The row's values as text, for a rejects file.
    fn raw(row: &Row) -> Vec<String> {
        row.get_column_iter()
            .map(|(_, f)| match f {
                Field::Null => String::new(),
                Field::Str(s) => s.clone(),
                other => other.to_string(),
            })
            .collect()
    }
}

impl Iterator for Rows {
    type Item = Result<Record, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let row = match self.rows.next()? {
            Ok(row) => row,
            Err(e) => {
                self.done = true;
                let message = format!("cannot be decoded: {e}");
                return Some(Err(RowError::fatal(self.error(None, message))));
            }
        };
        let out = self
            .record(&row)
            .map_err(|e| RowError::skippable(e, Rows::raw(&row)));
        // Rows are not bytes: progress is the share of rows read, in bytes of the file.
        if let Some(done) = self
            .file_bytes
            .saturating_mul(self.row)
            .checked_div(self.total_rows)
        {
            self.progress.store(done, Ordering::Relaxed);
        }
        self.row += 1;
        Some(out)
    }
}

impl RecordStream for Rows {
    fn columns(&self) -> &[String] {
        &self.names
    }
}

/// What a value is, for an error message.
fn describe(field: &Field) -> String {
    match field {
        Field::Str(s) => {
            let short: String = s.chars().take(40).collect();
            format!("text {short:?}")
        }
        Field::Bool(b) => format!("the BOOLEAN {b}"),
        Field::Float16(_) | Field::Float(_) | Field::Double(_) => {
            format!("the number {field}")
        }
        Field::Decimal(_) => format!("the DECIMAL {field}"),
        Field::Bytes(_) => "binary data".into(),
        Field::Date(_) => "a DATE".into(),
        Field::TimeMillis(_) | Field::TimeMicros(_) => "a TIME".into(),
        Field::TimestampMillis(_) | Field::TimestampMicros(_) => "a TIMESTAMP".into(),
        Field::Group(_) => "a struct".into(),
        Field::ListInternal(_) => "a list".into(),
        Field::MapInternal(_) => "a map".into(),
        _ => format!("the whole number {field}"),
    }
}

/// A whole number of any width, if the value is one.
fn whole(field: &Field) -> Option<i128> {
    Some(match *field {
        Field::Byte(n) => n.into(),
        Field::Short(n) => n.into(),
        Field::Int(n) => n.into(),
        Field::Long(n) => n.into(),
        Field::UByte(n) => n.into(),
        Field::UShort(n) => n.into(),
        Field::UInt(n) => n.into(),
        Field::ULong(n) => n.into(),
        _ => return None,
    })
}

fn float(field: &Field) -> Option<f64> {
    match *field {
        Field::Float16(x) => Some(x.to_f64()),
        Field::Float(x) => Some(f64::from(x)),
        Field::Double(x) => Some(x),
        _ => None,
    }
}

/// An error inside a value: the path below the column (`[2].followers`) and why.
type ValueError = (String, String);

fn wrong(field: &Field, want: Want) -> ValueError {
    (
        String::new(),
        format!(
            "holds {} where {} belongs",
            describe(field),
            want.describe()
        ),
    )
}

fn timestamp(t: OffsetDateTime) -> Value {
    Value::String(t.format(&Rfc3339).unwrap_or_default())
}

fn from_epoch(units: i64, per_second: i64) -> Option<OffsetDateTime> {
    let seconds = units.div_euclid(per_second);
    let rest = units.rem_euclid(per_second);
    let nanos = i128::from(rest) * 1_000_000_000 / i128::from(per_second);
    OffsetDateTime::from_unix_timestamp(seconds)
        .ok()?
        .checked_add(Duration::nanoseconds(i64::try_from(nanos).ok()?))
}

fn date(days: i32) -> Option<Date> {
    let epoch = Date::from_calendar_date(1970, time::Month::January, 1).ok()?;
    epoch.checked_add(Duration::days(i64::from(days)))
}

fn number(n: i128) -> Value {
    match (u64::try_from(n), i64::try_from(n)) {
        (Ok(u), _) => Value::Number(u.into()),
        (_, Ok(i)) => Value::Number(i.into()),
        _ => Value::String(n.to_string()),
    }
}

/// A Parquet value as the JSON its canonical NDJSON field would hold.
fn convert(field: &Field, want: Want, nanos: bool) -> Result<Value, ValueError> {
    if matches!(field, Field::Null) {
        return Ok(Value::Null);
    }
    let out_of_range = || (String::new(), format!("{field} is out of range"));
    match want {
        Text => match field {
            Field::Str(s) => Ok(Value::String(s.clone())),
            Field::Bytes(b) => match std::str::from_utf8(b.data()) {
                Ok(s) => Ok(Value::String(s.to_owned())),
                Err(_) => Err(wrong(field, want)),
            },
            _ => whole(field)
                .map(|n| Value::String(n.to_string()))
                .ok_or_else(|| wrong(field, want)),
        },
        Count => {
            if let Some(n) = whole(field) {
                return if n < 0 {
                    Err((String::new(), format!("{n} is negative")))
                } else {
                    Ok(number(n))
                };
            }
            match float(field) {
                // Data frames write whole-number columns with gaps as floats.
                Some(x) if x.is_nan() => Ok(Value::Null),
                Some(x) if x.fract() == 0.0 && (0.0..1e18).contains(&x) => Ok(number(x as i128)),
                Some(x) => Err((String::new(), format!("{x} is not a whole number from 0"))),
                None => Err(wrong(field, want)),
            }
        }
        Money => match field {
            Field::Str(s) => Ok(Value::String(s.clone())),
            Field::Decimal(_) => Ok(Value::String(field.to_string())),
            _ => {
                if let Some(n) = whole(field) {
                    return Ok(number(n));
                }
                match float(field) {
                    Some(x) if x.is_nan() => Ok(Value::Null),
                    Some(x) => Number::from_f64(x)
                        .map(Value::Number)
                        .ok_or_else(out_of_range),
                    None => Err(wrong(field, want)),
                }
            }
        },
        Bool => match field {
            Field::Bool(b) => Ok(Value::Bool(*b)),
            _ => Err(wrong(field, want)),
        },
        Time => match *field {
            Field::Str(ref s) => Ok(Value::String(s.clone())),
            Field::TimestampMillis(ms) => from_epoch(ms, 1_000)
                .map(timestamp)
                .ok_or_else(out_of_range),
            Field::TimestampMicros(us) => from_epoch(us, 1_000_000)
                .map(timestamp)
                .ok_or_else(out_of_range),
            Field::Long(ns) if nanos => from_epoch(ns, 1_000_000_000)
                .map(timestamp)
                .ok_or_else(out_of_range),
            Field::Date(days) => date(days)
                .map(|d| timestamp(d.midnight().assume_utc()))
                .ok_or_else(out_of_range),
            _ => Err(wrong(field, want)),
        },
        Day => match *field {
            Field::Str(ref s) => Ok(Value::String(s.clone())),
            Field::Date(days) => date(days)
                .map(|d| Value::String(d.to_string()))
                .ok_or_else(out_of_range),
            _ => Err(wrong(field, want)),
        },
        Texts => match field {
            Field::ListInternal(list) => list
                .elements()
                .iter()
                .enumerate()
                .filter(|(_, f)| !matches!(f, Field::Null))
                .map(|(i, f)| convert(f, Text, false).map_err(|(_, m)| (format!("[{i}]"), m)))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            _ => Err(wrong(field, want)),
        },
        Handles => {
            let mut object = Map::new();
            match field {
                Field::Group(row) => {
                    for (name, value) in row.get_column_iter() {
                        let v = convert(value, Text, false)
                            .map_err(|(_, m)| (format!(".{name}"), m))?;
                        object.insert(name.clone(), v);
                    }
                }
                Field::MapInternal(map) => {
                    for (key, value) in map.entries() {
                        let Field::Str(name) = key else {
                            return Err(wrong(key, Text));
                        };
                        let v = convert(value, Text, false)
                            .map_err(|(_, m)| (format!(".{name}"), m))?;
                        object.insert(name.clone(), v);
                    }
                }
                _ => return Err(wrong(field, want)),
            }
            Ok(Value::Object(object))
        }
        History => {
            let Field::ListInternal(list) = field else {
                return Err(wrong(field, want));
            };
            let mut points = Vec::new();
            for (i, point) in list.elements().iter().enumerate() {
                let Field::Group(row) = point else {
                    let (_, m) = wrong(point, want);
                    return Err((format!("[{i}]"), m));
                };
                let mut object = Map::new();
                for (name, value) in row.get_column_iter() {
                    let part = match name.as_str() {
                        "date" => Day,
                        "followers" => Count,
                        _ => continue,
                    };
                    let v = convert(value, part, false)
                        .map_err(|(_, m)| (format!("[{i}].{name}"), m))?;
                    object.insert(name.clone(), v);
                }
                points.push(Value::Object(object));
            }
            Ok(Value::Array(points))
        }
    }
}
