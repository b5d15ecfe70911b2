//! Shopify's customer export (Customers → Export, "CSV for Excel, Numbers or other
//! spreadsheet programs").
//!
//! Current header: `Customer ID, First Name, Last Name, Email, Accepts Email Marketing,
//! Default Address Company, Default Address Address1, Default Address Address2, Default
//! Address City, Default Address Province Code, Default Address Country Code, Default
//! Address Zip, Default Address Phone, Phone, Accepts SMS Marketing, Total Spent, Total
//! Orders, Note, Tax Exempt, Tags`. Older exports have no `Customer ID`, plain `City`,
//! `Province Code`, `Country Code`, `Zip`, and `Accepts Marketing` instead of
//! `Accepts Email Marketing`; both are read.
//!
//! Quirks handled: ids, phones and zips prefixed with `'`; `yes`/`no`; a byte-order mark;
//! CRLF; quoted commas; customers without an email (keyed by `Customer ID`; an old export
//! without ids is keyed by email; a row with neither is an error); `Tags` as one
//! comma-separated cell; extra columns for social handles (`Instagram`, or a metafield
//! column such as `Instagram (customer.metafields.social.instagram)`).

use kith_core::record::Handles;
use kith_core::{Person, PersonSource, Platform, Record};

use crate::formats::csv_rows::{CsvRows, CsvStream, Header, Row, RowReader};
use crate::formats::values::{handle_column_platform, parse_handle, split_list};
use crate::formats::{
    Format, Input, LineError, OpenError, Options, Position, RecordKind, RecordStream, Sniff,
};

pub const FORMAT: Format = Format {
    name: "shopify",
    kinds: &[RecordKind::Customers],
    recognise,
    open,
};

fn recognise(sniff: &Sniff) -> bool {
    sniff.has("email") && sniff.has("total spent") && sniff.has("total orders")
}

fn open(input: Input, _: &Options) -> Result<Box<dyn RecordStream>, OpenError> {
    let rows = CsvRows::open(input)?;
    let columns = Columns::find(&rows.header);
    if columns.id.is_none() && columns.email.is_none() {
        return Err(LineError {
            file: rows.file.clone(),
            position: Position::Line(1),
            field: None,
            message: "the header has neither \"Customer ID\" nor \"Email\": \
                      is this a Shopify customer export?"
                .into(),
        }
        .into());
    }
    Ok(Box::new(CsvStream::new(rows, columns)))
}

/// Where each field is, resolved once from the header.
#[derive(Debug)]
pub(crate) struct Columns {
    id: Option<usize>,
    email: Option<usize>,
    first_name: Option<usize>,
    last_name: Option<usize>,
    accepts_marketing: Option<usize>,
    city: Option<usize>,
    region: Option<usize>,
    country: Option<usize>,
    zip: Option<usize>,
    total_spent: Option<usize>,
    total_orders: Option<usize>,
    tags: Option<usize>,
    handles: Vec<(Platform, usize)>,
}

impl Columns {
    fn find(h: &Header) -> Columns {
        Columns {
            id: h.find(&["customer id"]),
            email: h.find(&["email"]),
            first_name: h.find(&["first name"]),
            last_name: h.find(&["last name"]),
            accepts_marketing: h.find(&["accepts email marketing", "accepts marketing"]),
            city: h.find(&["default address city", "city"]),
            region: h.find(&[
                "default address province code",
                "province code",
                "default address province",
                "province",
            ]),
            country: h.find(&[
                "default address country code",
                "country code",
                "default address country",
                "country",
            ]),
            zip: h.find(&["default address zip", "zip"]),
            total_spent: h.find(&["total spent"]),
            total_orders: h.find(&["total orders"]),
            tags: h.find(&["tags"]),
            handles: handle_columns(h),
        }
    }

    fn column_of(&self, field: &str) -> Option<usize> {
        match field {
            "id" => self.id.or(self.email),
            "email" => self.email,
            "total_spent" => self.total_spent,
            _ => None,
        }
    }
}

/// Columns holding social handles, one per platform (the first wins).
pub(crate) fn handle_columns(h: &Header) -> Vec<(Platform, usize)> {
    let mut found: Vec<(Platform, usize)> = Vec::new();
    for (i, name) in h.normalized.iter().enumerate() {
        if let Some(p) = handle_column_platform(name)
            && !found.iter().any(|(q, _)| *q == p)
        {
            found.push((p, i));
        }
    }
    found
}

/// Reads the handle columns of a row into `Handles`.
pub(crate) fn read_handles(
    row: &Row<'_>,
    columns: &[(Platform, usize)],
) -> Result<Handles, LineError> {
    let mut handles = Handles::default();
    for &(platform, c) in columns {
        let text = row.get(Some(c));
        if text.is_empty() {
            continue;
        }
        let handle = parse_handle(text).map_err(|e| row.error(c, e))?;
        let slot = match platform {
            Platform::Instagram => &mut handles.instagram,
            Platform::Tiktok => &mut handles.tiktok,
            Platform::Youtube => &mut handles.youtube,
            Platform::X => &mut handles.x,
        };
        *slot = Some(handle);
    }
    Ok(handles)
}

impl RowReader for Columns {
    fn read(&mut self, row: &Row<'_>) -> Result<Option<Record>, LineError> {
        let id = row.code(self.id).unwrap_or_default();
        let email = row.text(self.email);
        if id.is_empty() && email.is_none() {
            let c = self.id.or(self.email).unwrap_or(0);
            return Err(row.error(c, "is empty, and the row has no email to key it by"));
        }
        let orders_count = match row.integer(self.total_orders)? {
            Some(n) => Some(u32::try_from(n).map_err(|_| {
                row.error(
                    self.total_orders.unwrap_or(0),
                    format!("{n} orders is too many"),
                )
            })?),
            None => None,
        };
        let person = Person {
            id,
            source: Some(PersonSource::Customer),
            email,
            first_name: row.text(self.first_name),
            last_name: row.text(self.last_name),
            city: row.text(self.city),
            region: row.text(self.region),
            country: row.text(self.country),
            postal_code: row.code(self.zip),
            orders_count,
            total_spent: row.amount(self.total_spent)?,
            accepts_marketing: row.boolean(self.accepts_marketing)?,
            tags: split_list(row.get(self.tags), ','),
            handles: read_handles(row, &self.handles)?,
            title: None,
            department: None,
        };
        let person = person
            .validated(PersonSource::Customer)
            .map_err(|e| row.field_error(e, |f| self.column_of(f)))?;
        Ok(Some(Record::Person(person)))
    }
}
