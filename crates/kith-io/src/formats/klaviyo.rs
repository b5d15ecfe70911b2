//! Klaviyo profile exports (a list or segment exported to CSV).
//!
//! Columns are Klaviyo's profile property names: `Email`, `First Name`, `Last Name`,
//! `Phone Number`, `Organization`, `Title`, `Address`, `Address 2`, `City`,
//! `State / Region` (or `Region`), `Country`, `Zip Code`, `Email Marketing Consent`
//! (`SUBSCRIBED`, `NEVER_SUBSCRIBED`, …; older exports: `Accepts Marketing`), `Klaviyo ID`
//! and `External ID`, then any custom properties — of which columns named after a
//! platform (`Instagram`, `Instagram Handle`, `TikTok`) are read as handles.
//!
//! A profile is keyed by its `External ID` when it has one (the id of the shop's own
//! customer record), else by its lower-cased email, so it meets the shop's customer of
//! the same email. Klaviyo's own id is internal to Klaviyo and is not used as a key.

use kith_core::{Person, PersonSource, Platform, Record};

use crate::formats::csv_rows::{CsvRows, CsvStream, Header, Row, RowReader};
use crate::formats::shopify::{handle_columns, read_handles};
use crate::formats::{
    Format, Input, LineError, OpenError, Options, Position, RecordKind, RecordStream, Sniff,
};

pub const FORMAT: Format = Format {
    name: "klaviyo",
    kinds: &[RecordKind::Customers],
    recognise,
    open,
};

fn recognise(sniff: &Sniff) -> bool {
    let klaviyo_only = [
        "klaviyo id",
        "email marketing consent",
        "state / region",
        "profile created on",
        "first active",
        "last active",
    ];
    sniff.has("email") && klaviyo_only.iter().any(|c| sniff.has(c)) && !sniff.has("total spent")
}

fn open(input: Input, _: &Options) -> Result<Box<dyn RecordStream>, OpenError> {
    let rows = CsvRows::open(input)?;
    let h = &rows.header;
    let columns = Columns {
        external_id: h.find(&["external id"]),
        email: h.find(&["email", "email address"]),
        first_name: h.find(&["first name"]),
        last_name: h.find(&["last name"]),
        city: h.find(&["city"]),
        region: h.find(&["state / region", "region", "state"]),
        country: h.find(&["country"]),
        zip: h.find(&["zip code", "zip"]),
        consent: h.find(&["email marketing consent", "accepts marketing"]),
        handles: handle_columns(h),
    };
    if columns.email.is_none() && columns.external_id.is_none() {
        return Err(no_key(&rows.file, h));
    }
    Ok(Box::new(CsvStream::new(rows, columns)))
}

fn no_key(file: &str, _: &Header) -> OpenError {
    LineError {
        file: file.to_owned(),
        position: Position::Line(1),
        field: None,
        message: "the header has neither \"Email\" nor \"External ID\"".into(),
    }
    .into()
}

struct Columns {
    external_id: Option<usize>,
    email: Option<usize>,
    first_name: Option<usize>,
    last_name: Option<usize>,
    city: Option<usize>,
    region: Option<usize>,
    country: Option<usize>,
    zip: Option<usize>,
    consent: Option<usize>,
    handles: Vec<(Platform, usize)>,
}

impl RowReader for Columns {
    fn read(&mut self, row: &Row<'_>) -> Result<Option<Record>, LineError> {
        let person = Person {
            id: row.code(self.external_id).unwrap_or_default(),
            source: Some(PersonSource::Customer),
            email: row.text(self.email),
            first_name: row.text(self.first_name),
            last_name: row.text(self.last_name),
            city: row.text(self.city),
            region: row.text(self.region),
            country: row.text(self.country),
            postal_code: row.code(self.zip),
            accepts_marketing: row.boolean(self.consent)?,
            handles: read_handles(row, &self.handles)?,
            ..Person::default()
        };
        let person = person.validated(PersonSource::Customer).map_err(|e| {
            row.field_error(e, |f| match f {
                "email" => self.email,
                "id" => self.email.or(self.external_id),
                _ => None,
            })
        })?;
        Ok(Some(Record::Person(person)))
    }
}
