//! The generic csv format: any CSV file, read through a [`Mapping`] that says which
//! column is which canonical field.
//!
//! Every canonical field has a type that decides how its cells are parsed (counts take
//! `3.2K`, amounts `1,234.50`, …). A row becomes a JSON object of canonical fields, which
//! is then deserialised and validated exactly like a line of canonical NDJSON, so the
//! rules live in one place; errors are reported against the file's columns.

use kith_core::{Order, Person, Post, Profile, Record, Review};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::formats::csv_rows::{CsvRows, CsvStream, Header, Row, RowReader, normalize_header};
use crate::formats::mapping::{FieldSpec, Mapping, MappingError, Source};
use crate::formats::number::{parse_amount, parse_count, parse_integer, strip_spreadsheet_quote};
use crate::formats::values::{
    TIMESTAMP_FORMS, parse_bool, parse_handle, parse_timestamp, parse_timestamp_with, split_list,
};
use crate::formats::{
    Format, Input, LineError, OpenError, Options, RecordKind, RecordStream, Sniff,
};

pub const FORMAT: Format = Format {
    name: "csv",
    kinds: &RecordKind::ALL,
    recognise,
    open,
};

/// The generic format is never guessed: without a mapping it cannot read anything.
fn recognise(_: &Sniff) -> bool {
    false
}

/// How a field's cells are parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Text,
    /// Text without a spreadsheet's leading `'` (ids, zip codes).
    Code,
    Count,
    Integer,
    Amount,
    Bool,
    Timestamp,
    List,
    Handle,
}

use Type::*;

const PERSON: &[(&str, Type)] = &[
    ("id", Code),
    ("source", Text),
    ("email", Text),
    ("first_name", Text),
    ("last_name", Text),
    ("city", Text),
    ("region", Text),
    ("country", Text),
    ("postal_code", Code),
    ("orders_count", Integer),
    ("total_spent", Amount),
    ("accepts_marketing", Bool),
    ("tags", List),
    ("handles.instagram", Handle),
    ("handles.tiktok", Handle),
    ("handles.youtube", Handle),
    ("handles.x", Handle),
    ("title", Text),
    ("department", Text),
];

const PROFILE: &[(&str, Type)] = &[
    ("platform", Text),
    ("handle", Handle),
    ("user_id", Code),
    ("display_name", Text),
    ("bio", Text),
    ("followers", Count),
    ("following", Count),
    ("posts_count", Count),
    ("is_verified", Bool),
    ("is_private", Bool),
    ("has_profile_pic", Bool),
    ("external_url", Text),
    ("fetched_at", Timestamp),
];

const POST: &[(&str, Type)] = &[
    ("platform", Text),
    ("handle", Handle),
    ("post_id", Code),
    ("posted_at", Timestamp),
    ("kind", Text),
    ("caption", Text),
    ("likes", Count),
    ("comments", Count),
    ("shares", Count),
    ("saves", Count),
    ("views", Count),
    ("is_sponsored", Bool),
    ("comments_sample", List),
];

const REVIEW: &[(&str, Type)] = &[
    ("id", Code),
    ("person_id", Code),
    ("email", Text),
    ("product", Text),
    ("rating", Integer),
    ("title", Text),
    ("body", Text),
    ("created_at", Timestamp),
    ("verified_buyer", Bool),
];

const ORDER: &[(&str, Type)] = &[
    ("id", Code),
    ("person_id", Code),
    ("email", Text),
    ("created_at", Timestamp),
    ("currency", Text),
    ("subtotal_price", Amount),
    ("total_price", Amount),
    ("total_discounts", Amount),
    ("discount_codes", List),
    ("financial_status", Text),
    ("landing_site", Text),
    ("referring_site", Text),
];

/// The fields of a kind, and those a mapping must fill (any one of each group).
fn fields_of(
    kind: RecordKind,
) -> (
    &'static [(&'static str, Type)],
    &'static [&'static [&'static str]],
) {
    match kind {
        RecordKind::Customers | RecordKind::Employees => (PERSON, &[&["id", "email"]]),
        RecordKind::Profiles => (PROFILE, &[&["platform"], &["handle"]]),
        RecordKind::Posts => (POST, &[&["platform"], &["handle"], &["post_id"]]),
        RecordKind::Reviews => (REVIEW, &[&["id"], &["rating"], &["person_id", "email"]]),
        RecordKind::Orders => (ORDER, &[&["id"], &["subtotal_price"]]),
    }
}

/// One mapped field, resolved against the header.
#[derive(Debug)]
struct Resolved {
    field: &'static str,
    ty: Type,
    column: Option<usize>,
    spec: FieldSpec,
}

fn open(input: Input, options: &Options) -> Result<Box<dyn RecordStream>, OpenError> {
    let Some(mapping) = &options.mapping else {
        return Err(OpenError::NeedsMapping);
    };
    let kind = input.kind;
    let rows = CsvRows::open(input)?;
    let fields = resolve(mapping, kind, &rows.header)?;
    Ok(Box::new(CsvStream::new(rows, Generic { kind, fields })))
}

fn resolve(
    mapping: &Mapping,
    kind: RecordKind,
    header: &Header,
) -> Result<Vec<Resolved>, MappingError> {
    let error = |message: String| MappingError {
        file: mapping.file.clone(),
        message,
    };
    if let Some(k) = mapping.kind.filter(|k| *k != kind) {
        return Err(error(format!("is a mapping for {k}, not {kind}")));
    }
    let (known, required) = fields_of(kind);
    let mut resolved = Vec::new();
    for spec in &mapping.fields {
        let Some(&(field, ty)) = known.iter().find(|(f, _)| *f == spec.field) else {
            let names: Vec<&str> = known.iter().map(|(f, _)| *f).collect();
            return Err(error(format!(
                "{kind} have no field {:?}; they have {}",
                spec.field,
                names.join(", ")
            )));
        };
        if spec.format.is_some() && ty != Timestamp {
            return Err(error(format!(
                "field {field:?}: format applies to dates only"
            )));
        }
        if spec.separator.is_some() && ty != List {
            return Err(error(format!(
                "field {field:?}: separator applies to lists only"
            )));
        }
        let column = match &spec.source {
            Source::Value(_) => None,
            Source::Index(i) if *i <= header.names.len() => Some(i - 1),
            Source::Index(i) => {
                return Err(error(format!(
                    "field {field:?}: index {i}, but the file has {} columns",
                    header.names.len()
                )));
            }
            Source::Column { name, nth } => {
                Some(find_column(header, field, name, *nth).map_err(&error)?)
            }
        };
        resolved.push(Resolved {
            field,
            ty,
            column,
            spec: spec.clone(),
        });
    }
    for group in required {
        if !group.iter().any(|f| resolved.iter().any(|r| r.field == *f)) {
            return Err(error(format!(
                "{kind} need {}; map it in [fields]",
                group
                    .iter()
                    .map(|f| format!("{f:?}"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )));
        }
    }
    Ok(resolved)
}

fn find_column(
    header: &Header,
    field: &str,
    name: &str,
    nth: Option<usize>,
) -> Result<usize, String> {
    let positions = header.positions(&normalize_header(name));
    match (positions.as_slice(), nth) {
        ([], _) => Err(format!(
            "field {field:?}: no column {name:?}; the columns are {}",
            header
                .names
                .iter()
                .map(|n| format!("{:?}", normalize_header(n)))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        ([one], None | Some(1)) => Ok(*one),
        (many, None) => Err(format!(
            "field {field:?}: column {name:?} appears {} times (columns {}); pick one with \
             {{ column = {name:?}, nth = 2 }}",
            many.len(),
            many.iter()
                .map(|p| (p + 1).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        (many, Some(n)) => many.get(n - 1).copied().ok_or_else(|| {
            format!(
                "field {field:?}: nth = {n}, but column {name:?} appears {} times",
                many.len()
            )
        }),
    }
}

struct Generic {
    kind: RecordKind,
    fields: Vec<Resolved>,
}

impl Generic {
    fn column_of(&self, canonical: &str) -> Option<usize> {
        self.fields
            .iter()
            .find(|r| r.field == canonical || canonical.starts_with(&format!("{}.", r.field)))
            .and_then(|r| r.column)
    }

    /// The error about a field: against its column, or the row for a constant.
    fn field_error(&self, row: &Row<'_>, r: &Resolved, message: String) -> LineError {
        match r.column {
            Some(c) => row.error(c, message),
            None => row.row_error(format!(
                "field {:?} (a constant in the mapping): {message}",
                r.field
            )),
        }
    }

    fn value(&self, row: &Row<'_>, r: &Resolved) -> Result<Option<Value>, LineError> {
        let raw = match (&r.spec.source, r.column) {
            (Source::Value(v), _) => v.trim(),
            (_, column) => row.get(column),
        };
        let replaced = r
            .spec
            .values
            .iter()
            .find(|(from, _)| from.trim().eq_ignore_ascii_case(raw))
            .map_or(raw, |(_, to)| to.trim());
        let text = match (replaced, &r.spec.default) {
            ("", Some(d)) => d.trim(),
            (t, _) => t,
        };
        if text.is_empty() {
            return Ok(None);
        }
        let bad = |what: &str| self.field_error(row, r, format!("{text:?} is not {what}"));
        let value = match r.ty {
            Text => Value::from(text),
            Code => Value::from(strip_spreadsheet_quote(text)),
            Count => Value::from(parse_count(text).ok_or_else(|| bad("a count"))?),
            Integer => Value::from(parse_integer(text).ok_or_else(|| bad("a whole number"))?),
            Amount => Value::from(
                parse_amount(text)
                    .ok_or_else(|| bad("an amount"))?
                    .to_string(),
            ),
            Bool => Value::from(parse_bool(text).ok_or_else(|| bad("yes or no"))?),
            Timestamp => {
                let ts = match &r.spec.format {
                    Some(f) => parse_timestamp_with(text, f),
                    None => parse_timestamp(text),
                };
                let ts = ts.ok_or_else(|| bad(&format!("a date ({TIMESTAMP_FORMS})")))?;
                let formatted = ts
                    .format(&time::format_description::well_known::Rfc3339)
                    .map_err(|e| bad(&e.to_string()))?;
                Value::from(formatted)
            }
            List => Value::from(split_list(text, r.spec.separator.unwrap_or(','))),
            Handle => Value::from(
                parse_handle(text)
                    .map_err(|e| self.field_error(row, r, e))?
                    .as_str(),
            ),
        };
        Ok(Some(value))
    }

    fn decode<T: DeserializeOwned>(
        &self,
        row: &Row<'_>,
        object: Map<String, Value>,
    ) -> Result<T, LineError> {
        serde_path_to_error::deserialize(Value::Object(object)).map_err(|e| {
            let path = e.path().to_string();
            let message = e.into_inner().to_string().replace('`', "\"");
            match self.column_of(&path) {
                Some(c) => row.error(c, message),
                None => row.row_error(format!("{path}: {message}")),
            }
        })
    }
}

impl RowReader for Generic {
    fn read(&mut self, row: &Row<'_>) -> Result<Option<Record>, LineError> {
        let mut object = Map::new();
        for r in &self.fields {
            let Some(value) = self.value(row, r)? else {
                continue;
            };
            match r.field.split_once('.') {
                Some((outer, inner)) => {
                    let entry = object
                        .entry(outer)
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(nested) = entry {
                        nested.insert(inner.to_owned(), value);
                    }
                }
                None => {
                    object.insert(r.field.to_owned(), value);
                }
            }
        }
        let column_of = |f: &str| self.column_of(f);
        let record = match self.kind {
            RecordKind::Customers | RecordKind::Employees => {
                let default = self.kind.default_source();
                let person: Person = self.decode(row, object)?;
                Record::Person(
                    person
                        .validated(default)
                        .map_err(|e| row.field_error(e, column_of))?,
                )
            }
            RecordKind::Profiles => Record::Profile(self.decode::<Profile>(row, object)?),
            RecordKind::Posts => {
                let post: Post = self.decode(row, object)?;
                Record::Post(
                    post.validated()
                        .map_err(|e| row.field_error(e, column_of))?,
                )
            }
            RecordKind::Reviews => {
                let review: Review = self.decode(row, object)?;
                Record::Review(
                    review
                        .validated()
                        .map_err(|e| row.field_error(e, column_of))?,
                )
            }
            RecordKind::Orders => {
                let order: Order = self.decode(row, object)?;
                Record::Order(
                    order
                        .validated()
                        .map_err(|e| row.field_error(e, column_of))?,
                )
            }
        };
        Ok(Some(record))
    }
}
