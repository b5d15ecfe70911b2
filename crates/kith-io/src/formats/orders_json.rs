//! Shopify Admin API orders as JSON: `GET /admin/api/…/orders.json` saved to a file
//! (`{"orders": [ … ]}`, pages may follow one another), a bare array, or single orders
//! (`{"order": { … }}` or a webhook body).
//!
//! Read per order: `id` (the key, as text), `name` (`#1001`, the key when there is no
//! id), `email` (else `contact_email`, else the customer's), `customer.id` (the person),
//! `created_at`, `currency`, `subtotal_price`, `total_price`, `total_discounts`,
//! `discount_codes[].code`, `financial_status`, `landing_site`, `referring_site`. Every
//! other field is ignored.

use kith_core::{Money, Order, Record};
use serde::Deserialize;

use crate::formats::json_stream::{Element, JsonElements};
use crate::formats::values::{TIMESTAMP_FORMS, parse_timestamp};
use crate::formats::{Input, LineError, Position, RecordStream, RowError};

/// A Shopify id: a JSON number in the REST API, text elsewhere.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Id {
    Number(u64),
    Text(String),
}

impl Id {
    fn text(self) -> String {
        match self {
            Id::Number(n) => n.to_string(),
            Id::Text(t) => t.trim().to_owned(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct Discount {
    #[serde(default)]
    code: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Customer {
    #[serde(default)]
    id: Option<Id>,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ApiOrder {
    #[serde(default)]
    id: Option<Id>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    contact_email: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    subtotal_price: Option<Money>,
    #[serde(default)]
    total_price: Option<Money>,
    #[serde(default)]
    total_discounts: Option<Money>,
    #[serde(default)]
    discount_codes: Option<Vec<Discount>>,
    #[serde(default)]
    financial_status: Option<String>,
    #[serde(default)]
    landing_site: Option<String>,
    #[serde(default)]
    referring_site: Option<String>,
    #[serde(default)]
    customer: Option<Customer>,
}

#[derive(Debug, Deserialize)]
struct Wrapped {
    order: ApiOrder,
}

/// The orders of a JSON file, one [`Element`] at a time.
pub struct OrdersJson {
    elements: JsonElements<Box<dyn std::io::Read + Send>>,
    file: String,
    columns: Vec<String>,
}

impl OrdersJson {
    pub fn new(input: Input) -> Self {
        OrdersJson {
            file: input.file.clone(),
            elements: JsonElements::new(input.into_reader()),
            columns: vec!["order_json".to_owned()],
        }
    }

    fn error(&self, line: u64, field: Option<String>, message: String) -> LineError {
        LineError {
            file: self.file.clone(),
            position: Position::Line(line),
            field,
            message,
        }
    }

    fn order(&self, element: &Element) -> Result<Order, LineError> {
        let mut de = serde_json::Deserializer::from_slice(&element.bytes);
        let parsed: Result<ApiOrder, _> = if element.wrapped {
            serde_path_to_error::deserialize::<_, Wrapped>(&mut de).map(|w| w.order)
        } else {
            serde_path_to_error::deserialize(&mut de)
        };
        let api = parsed.map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            // serde_json counts lines from the element's start.
            let line = element.line + inner.line().saturating_sub(1) as u64;
            let message = inner.to_string();
            let message = message
                .rfind(" at line ")
                .map_or(message.as_str(), |i| &message[..i])
                .replace('`', "\"");
            let field = (path != "." && !path.is_empty()).then_some(path);
            self.error(line, field, message)
        })?;
        let at = |field: &str, message: String| {
            self.error(element.line, Some(field.to_owned()), message)
        };
        let id = match (api.id, &api.name) {
            (Some(id), _) => id.text(),
            (None, Some(name)) => name.trim().to_owned(),
            (None, None) => String::new(),
        };
        let created_at = match api.created_at.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(parse_timestamp(text).ok_or_else(|| {
                at(
                    "created_at",
                    format!("{text:?} is not a date ({TIMESTAMP_FORMS})"),
                )
            })?),
        };
        let (person_id, customer_email) = match api.customer {
            Some(c) => (c.id.map(Id::text), c.email),
            None => (None, None),
        };
        let subtotal_price = api
            .subtotal_price
            .ok_or_else(|| at("subtotal_price", "is missing".into()))?;
        let order = Order {
            id,
            person_id: person_id.filter(|p| !p.is_empty()),
            email: api.email.or(api.contact_email).or(customer_email),
            created_at,
            currency: api.currency,
            subtotal_price,
            total_price: api.total_price,
            total_discounts: api.total_discounts,
            discount_codes: api
                .discount_codes
                .unwrap_or_default()
                .into_iter()
                .filter_map(|d| {
                    d.code
                        .map(|c| c.trim().to_owned())
                        .filter(|c| !c.is_empty())
                })
                .collect(),
            financial_status: api.financial_status,
            landing_site: api.landing_site,
            referring_site: api.referring_site,
        };
        order.validated().map_err(|e| at(e.field, e.reason))
    }
}

impl Iterator for OrdersJson {
    type Item = Result<Record, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.elements.next_element()? {
            Err((line, message)) => Some(Err(RowError::fatal(self.error(line, None, message)))),
            Ok(element) => Some(self.order(&element).map(Record::Order).map_err(|e| {
                let raw = String::from_utf8_lossy(&element.bytes).into_owned();
                RowError::skippable(e, vec![raw])
            })),
        }
    }
}

impl RecordStream for OrdersJson {
    fn columns(&self) -> &[String] {
        &self.columns
    }
}
