//! Mapping files (`--mapping map.toml`) for the generic csv format: which column holds
//! which canonical field, and how its values are read.
//!
//! ```toml
//! kind = "profiles"                 # optional; checked against `kith import KIND`
//!
//! [fields]
//! handle = "channel_info"           # a column, by its header (case and spacing ignored)
//! followers = { column = "followers", nth = 2 }   # the 2nd of two same-named columns
//! posts_count = { index = 4 }       # the 4th column, counting from 1
//! platform = { value = "instagram" }              # the same value for every row
//! country = { column = "country", default = "US", values = { "United States" = "US" } }
//! fetched_at = { column = "Scraped", format = "[day]/[month]/[year]" }
//! tags = { column = "Labels", separator = ";" }
//! ```
//!
//! Each field's values are parsed by its type (see `generic`): counts accept `3.2K` and
//! `475.8m`, amounts `1,234.50`, booleans `yes`/`no`, dates the usual export forms or the
//! `format` given (a `time` format description). `values` replaces whole cells before
//! parsing; `default` fills empty cells. Unknown keys are refused, so a typo never
//! silently maps nothing.

use std::path::Path;

use time::format_description::OwnedFormatItem;

use crate::ndjson::RecordKind;

/// The largest mapping file read.
const MAX_MAPPING_BYTES: u64 = 1 << 20;

/// A mapping file that cannot be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct MappingError {
    pub file: String,
    pub message: String,
}

/// Where a field's values come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A column by its header; `nth` picks among same-named columns (1-based).
    Column { name: String, nth: Option<usize> },
    /// A column by its position, counting from 1.
    Index(usize),
    /// The same value for every row.
    Value(String),
}

/// How one canonical field is filled.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub field: String,
    pub source: Source,
    pub default: Option<String>,
    /// Whole-cell replacements applied before parsing (compared case-insensitively).
    pub values: Vec<(String, String)>,
    /// A `time` format description for dates.
    pub format: Option<OwnedFormatItem>,
    /// The separator of list cells (`,` when not given).
    pub separator: Option<char>,
}

/// A parsed mapping file.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// The mapping file's name, for messages.
    pub file: String,
    pub kind: Option<RecordKind>,
    pub fields: Vec<FieldSpec>,
}

impl Mapping {
    /// Reads and checks a mapping file (not yet against a CSV header).
    pub fn read(path: &Path) -> Result<Mapping, MappingError> {
        let file = path.display().to_string();
        let error = |message: String| MappingError {
            file: file.clone(),
            message,
        };
        let len = std::fs::metadata(path)
            .map_err(|e| error(format!("cannot read: {e}")))?
            .len();
        if len > MAX_MAPPING_BYTES {
            return Err(error(format!(
                "is {len} bytes; a mapping file is at most 1 MiB"
            )));
        }
        let text = std::fs::read_to_string(path).map_err(|e| error(format!("cannot read: {e}")))?;
        Mapping::parse(&text, &file)
    }

    /// Parses mapping text; `file` names it in messages.
    pub fn parse(text: &str, file: &str) -> Result<Mapping, MappingError> {
        let error = |message: String| MappingError {
            file: file.to_owned(),
            message,
        };
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| error(format!("not valid TOML: {}", e.message())))?;
        let mut kind = None;
        let mut fields = Vec::new();
        for (key, value) in &table {
            match (key.as_str(), value) {
                ("kind", toml::Value::String(k)) => {
                    kind = Some(RecordKind::parse(k).ok_or_else(|| {
                        error(format!("kind {k:?} is not one of customers, employees, profiles, posts, reviews, orders"))
                    })?);
                }
                ("fields", toml::Value::Table(t)) => {
                    for (field, spec) in t {
                        fields.push(field_spec(field, spec).map_err(&error)?);
                    }
                }
                ("kind" | "fields", _) => {
                    return Err(error(format!("{key:?} has the wrong type")));
                }
                (other, _) => {
                    return Err(error(format!(
                        "unknown key {other:?}; a mapping has `kind` and a [fields] table"
                    )));
                }
            }
        }
        if fields.is_empty() {
            return Err(error("maps no fields: add a [fields] table".into()));
        }
        Ok(Mapping {
            file: file.to_owned(),
            kind,
            fields,
        })
    }
}

fn field_spec(field: &str, spec: &toml::Value) -> Result<FieldSpec, String> {
    let mut out = FieldSpec {
        field: field.to_owned(),
        source: Source::Value(String::new()),
        default: None,
        values: Vec::new(),
        format: None,
        separator: None,
    };
    let table = match spec {
        toml::Value::String(column) => {
            out.source = Source::Column {
                name: column.clone(),
                nth: None,
            };
            return Ok(out);
        }
        toml::Value::Table(t) => t,
        _ => return Err(format!("field {field:?}: give a column name or a table")),
    };
    let string = |key: &str, v: &toml::Value| match v {
        toml::Value::String(s) => Ok(s.clone()),
        toml::Value::Integer(i) => Ok(i.to_string()),
        toml::Value::Float(x) => Ok(x.to_string()),
        toml::Value::Boolean(b) => Ok(b.to_string()),
        _ => Err(format!("field {field:?}: {key:?} must be text")),
    };
    let position = |key: &str, v: &toml::Value| match v {
        toml::Value::Integer(i) if *i >= 1 => Ok(*i as usize),
        _ => Err(format!(
            "field {field:?}: {key:?} must be a whole number from 1"
        )),
    };
    let (mut column, mut nth, mut index, mut value) = (None, None, None, None);
    for (key, v) in table {
        match key.as_str() {
            "column" => column = Some(string(key, v)?),
            "nth" => nth = Some(position(key, v)?),
            "index" => index = Some(position(key, v)?),
            "value" => value = Some(string(key, v)?),
            "default" => out.default = Some(string(key, v)?),
            "values" => {
                let toml::Value::Table(t) = v else {
                    return Err(format!("field {field:?}: \"values\" must be a table"));
                };
                for (from, to) in t {
                    out.values.push((from.clone(), string(from, to)?));
                }
            }
            "format" => {
                let text = string(key, v)?;
                let parsed = time::format_description::parse_owned::<2>(&text)
                    .map_err(|e| format!("field {field:?}: format {text:?}: {e}"))?;
                out.format = Some(parsed);
            }
            "separator" => {
                let text = string(key, v)?;
                let mut chars = text.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => out.separator = Some(c),
                    _ => return Err(format!("field {field:?}: separator must be one character")),
                }
            }
            other => {
                return Err(format!(
                    "field {field:?}: unknown key {other:?} (known: column, nth, index, value, \
                     default, values, format, separator)"
                ));
            }
        }
    }
    out.source = match (column, index, value) {
        (Some(name), None, None) => Source::Column { name, nth },
        (None, Some(i), None) if nth.is_none() => Source::Index(i),
        (None, None, Some(v)) if nth.is_none() => Source::Value(v),
        _ => {
            return Err(format!(
                "field {field:?}: give exactly one of column (with an optional nth), index or value"
            ));
        }
    };
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapping_reads_columns_constants_and_options() {
        let m = Mapping::parse(
            "kind = \"profiles\"\n[fields]\nhandle = \"channel_info\"\nfollowers = { column = \"followers\", nth = 2 }\nplatform = { value = \"instagram\" }\n",
            "map.toml",
        )
        .unwrap();
        assert_eq!(m.kind, Some(RecordKind::Profiles));
        assert_eq!(m.fields.len(), 3);
        assert!(m.fields.iter().any(|f| f.source
            == Source::Column {
                name: "followers".into(),
                nth: Some(2)
            }));
    }

    #[test]
    fn unknown_keys_are_refused_with_their_name() {
        let err = Mapping::parse("[fields]\nhandle = { colum = \"a\" }\n", "map.toml").unwrap_err();
        assert!(err.to_string().contains("unknown key \"colum\""), "{err}");
        let err = Mapping::parse("[feilds]\nhandle = \"a\"\n", "map.toml").unwrap_err();
        assert!(err.to_string().contains("unknown key \"feilds\""), "{err}");
    }

    #[test]
    fn a_bad_date_format_is_refused_when_the_mapping_is_read() {
        let err = Mapping::parse(
            "[fields]\nfetched_at = { column = \"d\", format = \"[dya]\" }\n",
            "m.toml",
        )
        .unwrap_err();
        assert!(err.to_string().contains("format"), "{err}");
    }
}
