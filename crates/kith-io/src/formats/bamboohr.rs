//! BambooHR employee reports exported to CSV (Reports → a report → Export → CSV).
//!
//! Columns are BambooHR's field names: `Employee #` (or `Employee Number`, `Employee
//! ID`), `First Name`, `Preferred Name`, `Last Name`, `Work Email` (else `Home Email` or
//! `Email`), `Job Title`, `Department`, `Division`, `Location`, `City`, `State`,
//! `Country`, `Zip Code`, `Status` / `Employment Status`, and the social fields
//! (`Instagram`, `Twitter Username`, `LinkedIn`, …), of which the platforms kith knows
//! are read as handles.
//!
//! Employees whose `Status` is `Inactive` (or `Terminated`) are left out, with a notice:
//! they cannot advocate for the company any more.

use kith_core::{Person, PersonSource, Platform, Record};

use crate::formats::csv_rows::{CsvRows, CsvStream, Row, RowReader};
use crate::formats::shopify::{handle_columns, read_handles};
use crate::formats::{
    Format, Input, LineError, Notices, OpenError, Options, Position, RecordKind, RecordStream,
    Sniff,
};

pub const FORMAT: Format = Format {
    name: "bamboohr",
    kinds: &[RecordKind::Employees],
    recognise,
    open,
};

fn recognise(sniff: &Sniff) -> bool {
    sniff.has("employee #")
        || sniff.has("employee number")
        || (sniff.has("work email") && sniff.has("job title"))
}

fn open(input: Input, _: &Options) -> Result<Box<dyn RecordStream>, OpenError> {
    let notices = input.notices.clone();
    let rows = CsvRows::open(input)?;
    let h = &rows.header;
    let columns = Columns {
        id: h.find(&["employee #", "employee number", "employee id", "id"]),
        email: h.find(&["work email", "email", "home email"]),
        first_name: h.find(&["preferred name", "first name"]),
        first_name_fallback: h.find(&["first name"]),
        last_name: h.find(&["last name"]),
        title: h.find(&["job title", "title"]),
        department: h.find(&["department"]),
        city: h.find(&["city", "location"]),
        region: h.find(&["state", "province", "state / province"]),
        country: h.find(&["country"]),
        zip: h.find(&["zip code", "zip", "postal code"]),
        status: h.find(&["status", "employment status"]),
        handles: handle_columns(h),
        inactive: 0,
        notices,
        file: rows.file.clone(),
    };
    if columns.id.is_none() && columns.email.is_none() {
        return Err(LineError {
            file: rows.file.clone(),
            position: Position::Line(1),
            field: None,
            message: "the header has neither \"Employee #\" nor \"Work Email\"".into(),
        }
        .into());
    }
    Ok(Box::new(CsvStream::new(rows, columns)))
}

struct Columns {
    id: Option<usize>,
    email: Option<usize>,
    first_name: Option<usize>,
    first_name_fallback: Option<usize>,
    last_name: Option<usize>,
    title: Option<usize>,
    department: Option<usize>,
    city: Option<usize>,
    region: Option<usize>,
    country: Option<usize>,
    zip: Option<usize>,
    status: Option<usize>,
    handles: Vec<(Platform, usize)>,
    inactive: u64,
    notices: Notices,
    file: String,
}

impl RowReader for Columns {
    fn finish(&mut self) {
        if self.inactive > 0 {
            self.notices.push(format!(
                "{}: left out {} inactive employees",
                self.file, self.inactive
            ));
        }
    }

    fn read(&mut self, row: &Row<'_>) -> Result<Option<Record>, LineError> {
        let status = row.get(self.status);
        if status.eq_ignore_ascii_case("inactive") || status.eq_ignore_ascii_case("terminated") {
            self.inactive += 1;
            return Ok(None);
        }
        let person = Person {
            id: row.code(self.id).unwrap_or_default(),
            source: Some(PersonSource::Employee),
            email: row.text(self.email),
            first_name: row
                .text(self.first_name)
                .or_else(|| row.text(self.first_name_fallback)),
            last_name: row.text(self.last_name),
            city: row.text(self.city),
            region: row.text(self.region),
            country: row.text(self.country),
            postal_code: row.code(self.zip),
            title: row.text(self.title),
            department: row.text(self.department),
            handles: read_handles(row, &self.handles)?,
            ..Person::default()
        };
        let person = person.validated(PersonSource::Employee).map_err(|e| {
            row.field_error(e, |f| match f {
                "email" => self.email,
                "id" => self.id.or(self.email),
                _ => None,
            })
        })?;
        Ok(Some(Record::Person(person)))
    }
}
