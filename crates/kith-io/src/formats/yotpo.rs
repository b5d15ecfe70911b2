//! Yotpo review exports (Reviews → Moderation → Export), and Yotpo's review import
//! template, which uses the same names in snake case.
//!
//! Columns read (case, spaces and underscores do not matter): `Review ID`, `Review
//! Title`, `Review Content`, `Review Score`, `Date` (or `Created At`), `Product ID`,
//! `Product Name` (or `Product Title`), `Display Name` / `User Name`, `Email` / `User
//! Email`, `Verified Buyer`, `Published`. Unpublished reviews are imported too: an
//! unpublished review still says what the customer thinks.
//!
//! A row without a review id is keyed by a hash of email, product and date, as for
//! Judge.me.

use kith_core::{Record, Review};

use crate::formats::csv_rows::{CsvRows, CsvStream, Row, RowReader};
use crate::formats::judgeme::rating;
use crate::formats::values::stable_id;
use crate::formats::{
    Format, Input, LineError, OpenError, Options, Position, RecordKind, RecordStream, Sniff,
};

pub const FORMAT: Format = Format {
    name: "yotpo",
    kinds: &[RecordKind::Reviews],
    recognise,
    open,
};

fn recognise(sniff: &Sniff) -> bool {
    sniff.has("review content") && sniff.has("review score")
}

fn open(input: Input, _: &Options) -> Result<Box<dyn RecordStream>, OpenError> {
    let rows = CsvRows::open(input)?;
    let h = &rows.header;
    let columns = Columns {
        id: h.find(&["review id", "id"]),
        title: h.find(&["review title", "title"]),
        content: h.find(&["review content", "content"]),
        score: h.find(&["review score", "score", "rating"]),
        date: h.find(&["date", "created at", "review date"]),
        product_id: h.find(&["product id"]),
        product_name: h.find(&["product name", "product title"]),
        email: h.find(&["email", "user email"]),
        verified: h.find(&["verified buyer", "verified"]),
    };
    if columns.score.is_none() {
        return Err(LineError {
            file: rows.file.clone(),
            position: Position::Line(1),
            field: None,
            message: "the header has no \"Review Score\" column".into(),
        }
        .into());
    }
    Ok(Box::new(CsvStream::new(rows, columns)))
}

struct Columns {
    id: Option<usize>,
    title: Option<usize>,
    content: Option<usize>,
    score: Option<usize>,
    date: Option<usize>,
    product_id: Option<usize>,
    product_name: Option<usize>,
    email: Option<usize>,
    verified: Option<usize>,
}

impl RowReader for Columns {
    fn read(&mut self, row: &Row<'_>) -> Result<Option<Record>, LineError> {
        let id = match row.code(self.id) {
            Some(id) => format!("yotpo:{id}"),
            None => stable_id(
                "yotpo",
                &[
                    &row.get(self.email).to_lowercase(),
                    row.get(self.product_id),
                    row.get(self.date),
                ],
            ),
        };
        let review = Review {
            id,
            person_id: None,
            email: row.text(self.email),
            product: row
                .text(self.product_name)
                .or_else(|| row.code(self.product_id)),
            rating: rating(row, self.score)?,
            title: row.text(self.title),
            body: row.text(self.content),
            created_at: row.timestamp(self.date)?,
            verified_buyer: row.boolean(self.verified)?,
        };
        let review = review.validated().map_err(|e| {
            row.field_error(e, |f| match f {
                "rating" => self.score,
                "person_id" | "email" => self.email,
                _ => None,
            })
        })?;
        Ok(Some(Record::Review(review)))
    }
}
