//! Shopify orders: the admin's order export (Orders → Export, CSV) and the Admin API's
//! `orders.json` (see `orders_json`). Which one a file is, is told from its first byte.
//!
//! The CSV export has one row per line item: `Name, Email, Financial Status, Paid at,
//! Fulfillment Status, Fulfilled at, Accepts Marketing, Currency, Subtotal, Shipping,
//! Taxes, Total, Discount Code, Discount Amount, Shipping Method, Created at, Lineitem
//! quantity, Lineitem name, Lineitem price, …, Refunded Amount, Vendor, Id, Tags, Risk
//! Level, Source, …`. The first row of an order carries its totals; the rows after it
//! with the same `Name` only add line items and are passed over. The key is `Id` (the
//! same id the API and webhooks use) when the export has it, else `Name`.

use kith_core::{Order, Record};

use crate::formats::csv_rows::{CsvRows, CsvStream, Row, RowReader};
use crate::formats::orders_json::OrdersJson;
use crate::formats::values::split_list;
use crate::formats::{
    Format, Input, LineError, OpenError, Options, Position, RecordKind, RecordStream, Sniff,
};

pub const FORMAT: Format = Format {
    name: "shopify-orders",
    kinds: &[RecordKind::Orders],
    recognise,
    open,
};

fn recognise(sniff: &Sniff) -> bool {
    match sniff.first_byte() {
        Some(b'{' | b'[') => looks_like_shopify_json(sniff),
        _ => sniff.has("name") && sniff.has("financial status") && sniff.has("subtotal"),
    }
}

/// Shopify's order JSON: an `"orders"` or `"order"` key, Shopify-only fields such as
/// `"line_items"`, or a pretty-printed `.json` file (canonical NDJSON is one object per
/// line).
pub(crate) fn looks_like_shopify_json(sniff: &Sniff) -> bool {
    let head = String::from_utf8_lossy(sniff.head);
    let has_key = |key: &str| {
        head.match_indices(key)
            .any(|(i, _)| head[i + key.len()..].trim_start().starts_with(':'))
    };
    if has_key("\"orders\"") || has_key("\"order\"") || has_key("\"line_items\"") {
        return true;
    }
    let first_line = head.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    sniff.extension.as_deref() == Some("json")
        && serde_json::from_str::<serde_json::Value>(first_line).is_err()
}

fn open(input: Input, _: &Options) -> Result<Box<dyn RecordStream>, OpenError> {
    if matches!(input.sniff().first_byte(), Some(b'{' | b'[')) {
        return Ok(Box::new(OrdersJson::new(input)));
    }
    let rows = CsvRows::open(input)?;
    let h = &rows.header;
    let columns = Columns {
        name: h.find(&["name"]),
        id: h.find(&["id"]),
        email: h.find(&["email"]),
        financial_status: h.find(&["financial status"]),
        currency: h.find(&["currency"]),
        subtotal: h.find(&["subtotal"]),
        total: h.find(&["total"]),
        discount_code: h.find(&["discount code"]),
        discount_amount: h.find(&["discount amount"]),
        created_at: h.find(&["created at"]),
        previous: None,
    };
    if columns.name.is_none() && columns.id.is_none() {
        return Err(LineError {
            file: rows.file.clone(),
            position: Position::Line(1),
            field: None,
            message: "the header has neither \"Name\" nor \"Id\": is this a Shopify order export?"
                .into(),
        }
        .into());
    }
    Ok(Box::new(CsvStream::new(rows, columns)))
}

struct Columns {
    name: Option<usize>,
    id: Option<usize>,
    email: Option<usize>,
    financial_status: Option<usize>,
    currency: Option<usize>,
    subtotal: Option<usize>,
    total: Option<usize>,
    discount_code: Option<usize>,
    discount_amount: Option<usize>,
    created_at: Option<usize>,
    /// The `Name` of the order the last row belonged to.
    previous: Option<String>,
}

impl RowReader for Columns {
    fn read(&mut self, row: &Row<'_>) -> Result<Option<Record>, LineError> {
        let name = row.get(self.name);
        if !name.is_empty() && self.previous.as_deref() == Some(name) {
            return Ok(None);
        }
        self.previous = Some(name.to_owned());
        let id = row.code(self.id).unwrap_or_else(|| name.to_owned());
        let subtotal_price = row.amount(self.subtotal)?.ok_or_else(|| {
            let c = self.subtotal.unwrap_or(0);
            row.error(c, "is empty; the first row of an order carries its totals")
        })?;
        let order = Order {
            id,
            person_id: None,
            email: row.text(self.email),
            created_at: row.timestamp(self.created_at)?,
            currency: row.text(self.currency),
            subtotal_price,
            total_price: row.amount(self.total)?,
            total_discounts: row.amount(self.discount_amount)?,
            discount_codes: split_list(row.get(self.discount_code), ','),
            financial_status: row.text(self.financial_status),
            landing_site: None,
            referring_site: None,
        };
        let order = order.validated().map_err(|e| {
            row.field_error(e, |f| match f {
                "id" => self.id.or(self.name),
                "currency" => self.currency,
                "subtotal_price" => self.subtotal,
                _ => None,
            })
        })?;
        Ok(Some(Record::Order(order)))
    }
}
