//! Judge.me review exports (Judge.me → Settings → Import/Export → Export reviews).
//!
//! Header: `title, body, rating, review_date, source, curated, reviewer_name,
//! reviewer_email, product_id, product_handle, reply, reply_date, picture_urls,
//! ip_address, location` (newer exports add `metaobject_handle`; a `verified` or
//! `verified_buyer` column is read when present).
//!
//! The export has no review id, so each review is keyed by a hash of its reviewer's
//! email, its product and its date: importing the same export again updates the same
//! reviews. Reviews Judge.me curated as `spam` are left out, with a notice.

use kith_core::{Record, Review};

use crate::formats::csv_rows::{CsvRows, CsvStream, Row, RowReader};
use crate::formats::values::stable_id;
use crate::formats::{
    Format, Input, LineError, Notices, OpenError, Options, Position, RecordKind, RecordStream,
    Sniff,
};

pub const FORMAT: Format = Format {
    name: "judgeme",
    kinds: &[RecordKind::Reviews],
    recognise,
    open,
};

fn recognise(sniff: &Sniff) -> bool {
    sniff.has("reviewer email") && sniff.has("rating") && sniff.has("review date")
}

fn open(input: Input, _: &Options) -> Result<Box<dyn RecordStream>, OpenError> {
    let notices = input.notices.clone();
    let rows = CsvRows::open(input)?;
    let h = &rows.header;
    let columns = Columns {
        title: h.find(&["title"]),
        body: h.find(&["body"]),
        rating: h.find(&["rating"]),
        date: h.find(&["review date"]),
        curated: h.find(&["curated"]),
        email: h.find(&["reviewer email"]),
        product_id: h.find(&["product id"]),
        product_handle: h.find(&["product handle"]),
        verified: h.find(&["verified buyer", "verified"]),
        spam: 0,
        notices,
        file: rows.file.clone(),
    };
    if columns.rating.is_none() {
        return Err(LineError {
            file: rows.file.clone(),
            position: Position::Line(1),
            field: None,
            message: "the header has no \"rating\" column".into(),
        }
        .into());
    }
    Ok(Box::new(CsvStream::new(rows, columns)))
}

struct Columns {
    title: Option<usize>,
    body: Option<usize>,
    rating: Option<usize>,
    date: Option<usize>,
    curated: Option<usize>,
    email: Option<usize>,
    product_id: Option<usize>,
    product_handle: Option<usize>,
    verified: Option<usize>,
    spam: u64,
    notices: Notices,
    file: String,
}

/// A star rating cell: a whole number, checked to be 1–5 by the record.
pub(crate) fn rating(row: &Row<'_>, column: Option<usize>) -> Result<u8, LineError> {
    let c = column.unwrap_or(0);
    match row.integer(column)? {
        Some(n) => u8::try_from(n).map_err(|_| row.error(c, format!("{n} is not between 1 and 5"))),
        None => Err(row.error(c, "is empty; a review needs a rating from 1 to 5")),
    }
}

impl RowReader for Columns {
    fn read(&mut self, row: &Row<'_>) -> Result<Option<Record>, LineError> {
        if row.get(self.curated).eq_ignore_ascii_case("spam") {
            self.spam += 1;
            return Ok(None);
        }
        let product = row
            .text(self.product_handle)
            .or_else(|| row.code(self.product_id));
        let id = stable_id(
            "judgeme",
            &[
                &row.get(self.email).to_lowercase(),
                row.get(self.product_id),
                row.get(self.product_handle),
                row.get(self.date),
            ],
        );
        let review = Review {
            id,
            person_id: None,
            email: row.text(self.email),
            product,
            rating: rating(row, self.rating)?,
            title: row.text(self.title),
            body: row.text(self.body),
            created_at: row.timestamp(self.date)?,
            verified_buyer: row.boolean(self.verified)?,
        };
        let review = review.validated().map_err(|e| {
            row.field_error(e, |f| match f {
                "rating" => self.rating,
                "person_id" | "email" => self.email,
                _ => None,
            })
        })?;
        Ok(Some(Record::Review(review)))
    }

    fn finish(&mut self) {
        if self.spam > 0 {
            self.notices.push(format!(
                "{}: left out {} reviews Judge.me curated as spam",
                self.file, self.spam
            ));
        }
    }
}
