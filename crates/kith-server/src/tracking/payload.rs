//! Shopify's webhook bodies, read into the facts the store keeps.
//!
//! `orders/create` (the REST Order resource): `id`, `created_at`, `currency`,
//! `subtotal_price` (line items after discounts, before shipping and taxes: revenue),
//! `email` / `contact_email` / `customer.email`, `customer.id`, `discount_codes[].code`,
//! `landing_site` (where kith's `utm_content` and `kith_ref` arrive), `note_attributes`
//! (`kith_ref` set by a storefront script), and `browser_ip` /
//! `client_details.browser_ip` (hashed at once, never kept).
//!
//! `refunds/create` (the Refund resource): `id`, `order_id`, `created_at`, and
//! `refund_line_items[].subtotal` — their sum is the refunded subtotal. Ids are numbers
//! in Shopify's JSON and text here. Amounts may be strings or numbers; either is read
//! exactly (see `kith_core::Money`).

use kith_core::Money;
use kith_core::program::attribution::landing_evidence;
use kith_store::programs::{FactSource, OrderFact, RefundFact};
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A Shopify id: a number in the REST payloads, text elsewhere.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Id {
    Number(u64),
    Text(String),
}

impl Id {
    fn text(&self) -> String {
        match self {
            Id::Number(n) => n.to_string(),
            Id::Text(t) => t.trim().to_owned(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct Customer {
    #[serde(default)]
    id: Option<Id>,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Code {
    #[serde(default)]
    code: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Attribute {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    value: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct ClientDetails {
    #[serde(default)]
    browser_ip: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Order {
    id: Id,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    currency: Option<String>,
    subtotal_price: Money,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    contact_email: Option<String>,
    #[serde(default)]
    customer: Option<Customer>,
    #[serde(default)]
    discount_codes: Vec<Code>,
    #[serde(default)]
    landing_site: Option<String>,
    #[serde(default)]
    note_attributes: Vec<Attribute>,
    #[serde(default)]
    browser_ip: Option<String>,
    #[serde(default)]
    client_details: Option<ClientDetails>,
}

#[derive(Debug, Deserialize)]
struct RefundLine {
    #[serde(default)]
    subtotal: Option<Money>,
}

#[derive(Debug, Deserialize)]
struct Refund {
    id: Id,
    order_id: Id,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    refund_line_items: Vec<RefundLine>,
}

/// Why a body is not the resource its topic names.
#[derive(Debug, thiserror::Error)]
#[error("the body is not a Shopify {what}: {detail}")]
pub struct BadPayload {
    what: &'static str,
    detail: String,
}

fn when(text: Option<&str>, fallback: OffsetDateTime) -> OffsetDateTime {
    text.and_then(|t| OffsetDateTime::parse(t.trim(), &Rfc3339).ok())
        .unwrap_or(fallback)
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// An order and the buyer's browser address (to be hashed by the caller).
pub struct ParsedOrder {
    pub fact: OrderFact,
    pub browser_ip: Option<String>,
}

/// Reads an `orders/create` body; `brand_currency` stands in for a missing currency.
pub fn order(
    body: &[u8],
    brand_currency: &str,
    now: OffsetDateTime,
) -> Result<ParsedOrder, BadPayload> {
    let o: Order = serde_json::from_slice(body).map_err(|e| BadPayload {
        what: "order",
        detail: e.to_string(),
    })?;
    let order_id = o.id.text();
    if order_id.is_empty() || o.subtotal_price.minor() < 0 {
        return Err(BadPayload {
            what: "order",
            detail: "it has no id or a negative subtotal".into(),
        });
    }
    let customer_email = o.customer.as_ref().and_then(|c| c.email.clone());
    let email = non_empty(o.email)
        .or_else(|| non_empty(o.contact_email))
        .or_else(|| non_empty(customer_email))
        .map(|e| e.to_lowercase());
    let (landing_visitor, landing_code) = o
        .landing_site
        .as_deref()
        .map(landing_evidence)
        .unwrap_or((None, None));
    let noted_visitor = o
        .note_attributes
        .iter()
        .find(|a| a.name.as_deref() == Some("kith_ref"))
        .and_then(|a| match &a.value {
            Some(serde_json::Value::String(s)) => Some(s.trim().to_owned()),
            _ => None,
        })
        .filter(|v| !v.is_empty() && v.len() <= 64);
    let currency = non_empty(o.currency)
        .map(|c| c.to_ascii_uppercase())
        .unwrap_or_else(|| brand_currency.to_owned());
    let browser_ip =
        non_empty(o.browser_ip).or_else(|| non_empty(o.client_details.and_then(|c| c.browser_ip)));
    Ok(ParsedOrder {
        fact: OrderFact {
            order_id,
            source: FactSource::Webhook,
            placed_at: when(o.created_at.as_deref(), now),
            currency,
            subtotal: o.subtotal_price,
            email,
            customer_id: o.customer.and_then(|c| c.id).map(|id| id.text()),
            discount_codes: o
                .discount_codes
                .into_iter()
                .filter_map(|c| c.code)
                .collect(),
            visitor: noted_visitor.or(landing_visitor),
            landing_code,
            ip_hash: None,
        },
        browser_ip,
    })
}

/// Reads a `refunds/create` body.
pub fn refund(body: &[u8], now: OffsetDateTime) -> Result<RefundFact, BadPayload> {
    let r: Refund = serde_json::from_slice(body).map_err(|e| BadPayload {
        what: "refund",
        detail: e.to_string(),
    })?;
    let mut subtotal: i64 = 0;
    for line in &r.refund_line_items {
        let cents = line.subtotal.map_or(0, Money::minor).max(0);
        subtotal = subtotal.checked_add(cents).ok_or_else(|| BadPayload {
            what: "refund",
            detail: "its line items add up to more than can be counted".into(),
        })?;
    }
    let (refund_id, order_id) = (r.id.text(), r.order_id.text());
    if refund_id.is_empty() || order_id.is_empty() {
        return Err(BadPayload {
            what: "refund",
            detail: "it has no id or no order id".into(),
        });
    }
    Ok(RefundFact {
        refund_id,
        order_id,
        subtotal: Money::from_minor(subtotal),
        refunded_at: when(r.created_at.as_deref(), now),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-01 12:00 UTC);

    #[test]
    fn an_order_gives_what_attribution_reads() {
        let body = br#"{
            "id": 820982911946154508, "email": "Jon@Example.com",
            "created_at": "2026-10-31T19:00:00-05:00", "currency": "usd",
            "subtotal_price": "597.00", "total_price": "612.00",
            "discount_codes": [{"code": "MAYA15", "amount": "10.00", "type": "fixed_amount"}],
            "landing_site": "/products/blend?utm_source=kith&utm_content=LEO20&kith_ref=abc",
            "note_attributes": [{"name": "gift", "value": "yes"}],
            "client_details": {"browser_ip": "203.0.113.9"},
            "customer": {"id": 115310627314723954, "email": "jon@example.com"}
        }"#;
        let p = order(body, "EUR", NOW).unwrap();
        assert_eq!(p.fact.order_id, "820982911946154508");
        assert_eq!(p.fact.placed_at, datetime!(2026-11-01 00:00 UTC));
        assert_eq!(p.fact.currency, "USD");
        assert_eq!(p.fact.subtotal, Money::from_minor(59_700));
        assert_eq!(p.fact.email.as_deref(), Some("jon@example.com"));
        assert_eq!(p.fact.customer_id.as_deref(), Some("115310627314723954"));
        assert_eq!(p.fact.discount_codes, ["MAYA15"]);
        assert_eq!(p.fact.visitor.as_deref(), Some("abc"));
        assert_eq!(
            p.fact.landing_code.as_ref().map(|c| c.as_str()),
            Some("LEO20")
        );
        assert_eq!(p.browser_ip.as_deref(), Some("203.0.113.9"));
    }

    #[test]
    fn a_note_attribute_carries_the_referral_id_too() {
        let body = br#"{"id": 1, "subtotal_price": 12.5,
            "note_attributes": [{"name": "kith_ref", "value": "v-42"}]}"#;
        let p = order(body, "USD", NOW).unwrap();
        assert_eq!(p.fact.visitor.as_deref(), Some("v-42"));
        assert_eq!(p.fact.subtotal, Money::from_minor(1_250));
        assert_eq!(p.fact.placed_at, NOW);
    }

    #[test]
    fn a_refund_sums_its_line_items_subtotals_exactly() {
        let body = br#"{"id": 929361464, "order_id": 450789469,
            "created_at": "2026-11-02T10:00:00Z",
            "refund_line_items": [{"quantity": 1, "subtotal": 195.67},
                                  {"quantity": 2, "subtotal": "0.33"}]}"#;
        let r = refund(body, NOW).unwrap();
        assert_eq!(
            (r.refund_id.as_str(), r.order_id.as_str()),
            ("929361464", "450789469")
        );
        assert_eq!(r.subtotal, Money::from_minor(19_600));
    }

    #[test]
    fn bodies_that_are_not_the_resource_are_refused() {
        assert!(order(b"{}", "USD", NOW).is_err());
        assert!(order(b"not json", "USD", NOW).is_err());
        assert!(order(br#"{"id": 1, "subtotal_price": "1.005"}"#, "USD", NOW).is_err());
        assert!(refund(br#"{"id": 1}"#, NOW).is_err());
    }
}
