//! Orders and refunds in: stored once as facts, orders attributed to a member with
//! kith-core's rules, and flagged for review when they look like fraud.
//!
//! Idempotence comes from the keys: a delivery id seen before, or an order or refund id
//! already stored, changes nothing (`ON CONFLICT DO NOTHING` and its row count). Two
//! deliveries of one order racing on PostgreSQL are serialised by the primary key: the
//! second insert waits for the first transaction and then inserts nothing.

use std::collections::BTreeMap;

use kith_core::BrandConfig;
use kith_core::program::attribution::{
    Attribution, Click, Evidence, FraudFlag, attribute, fraud_flags, landing_evidence,
};
use kith_core::program::code::ReferralCode;
use time::{Duration, OffsetDateTime};

use super::exchange;
use super::members::{at, money, read_code, req_at, rows};
use super::sql::ProgramSql;
use super::{
    BackfillReport, Conversion, Delivery, FactSource, OrderFact, ProgramError, Receipt, RefundFact,
    ReviewState,
};
use crate::StoreError;
use crate::convert;
use crate::ops::{Session, query_int};
use crate::value::{Cursor, Value};

/// How far back a visitor's clicks are read; each program's own window then applies.
const LONGEST_WINDOW: Duration = Duration::days(366);

/// A member whose code earns, with what fraud checks compare.
#[derive(Debug, Clone)]
struct Earner {
    id: i64,
    person_id: String,
    leaked: bool,
    email: Option<String>,
    /// The currency of the member's program.
    currency: String,
}

fn record_delivery(
    s: &mut dyn Session,
    sql: &ProgramSql,
    delivery: Option<&Delivery>,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    match delivery {
        None => Ok(true),
        Some(d) => Ok(s.execute(
            &sql.insert_delivery,
            &[Value::str(&d.id), Value::str(&d.topic), at(now)],
        )? > 0),
    }
}

pub(crate) fn receive_order(
    s: &mut dyn Session,
    sql: &ProgramSql,
    delivery: Option<&Delivery>,
    order: &OrderFact,
    now: OffsetDateTime,
) -> Result<Receipt, StoreError> {
    if !record_delivery(s, sql, delivery, now)? {
        return Ok(Receipt::Duplicate);
    }
    let codes = convert::to_json("discount_codes", &order.discount_codes)
        .map_err(|e| StoreError::Unstorable(e.to_string()))?;
    let params = [
        Value::str(&order.order_id),
        Value::str(order.source.as_str()),
        at(order.placed_at),
        at(now),
        Value::str(&order.currency),
        Value::Int(order.subtotal.minor()),
        Value::opt_str(order.email.as_deref()),
        Value::opt_str(order.customer_id.as_deref()),
        Value::owned(codes),
        Value::opt_str(order.visitor.as_deref()),
        Value::opt_str(order.landing_code.as_ref().map(ReferralCode::as_str)),
        Value::opt_str(order.ip_hash.as_deref()),
    ];
    if s.execute(&sql.insert_order, &params)? == 0 {
        return Ok(Receipt::Duplicate);
    }
    attribute_order(s, sql, order, now)
}

fn earner(
    s: &mut dyn Session,
    sql: &ProgramSql,
    code: &ReferralCode,
) -> Result<Option<Earner>, StoreError> {
    let found = rows(s, &sql.earning_member, &[Value::str(code.as_str())], |c| {
        let id = c.req_int("program_members.id")?;
        c.text()?;
        Ok(Earner {
            id,
            person_id: c.req_text("program_members.person_id")?,
            leaked: c.timestamp()?.is_some(),
            email: c.text()?,
            currency: {
                c.int()?;
                c.req_text("programs.currency")?
            },
        })
    })?;
    Ok(found.into_iter().next())
}

fn attribute_order(
    s: &mut dyn Session,
    sql: &ProgramSql,
    order: &OrderFact,
    now: OffsetDateTime,
) -> Result<Receipt, StoreError> {
    let placed = order.placed_at;
    let mut clicks = Vec::new();
    if let Some(visitor) = &order.visitor {
        let params = [
            Value::str(visitor),
            Value::instant(placed),
            Value::instant(placed - LONGEST_WINDOW),
        ];
        for (code, clicked_at, window_days) in rows(s, &sql.visitor_clicks, &params, |c| {
            Ok((
                read_code(&c.req_text("program_members.code")?)?,
                req_at(c, "clicks.clicked_at")?,
                c.req_int("programs.window_days")?,
            ))
        })? {
            if placed - clicked_at <= Duration::days(window_days) {
                clicks.push(Click {
                    code,
                    visitor: visitor.clone(),
                    at: clicked_at,
                });
            }
        }
    }
    // Every code the order could be attributed to, with its member if the code earns.
    let mut earners: BTreeMap<ReferralCode, Option<Earner>> = BTreeMap::new();
    let candidates = order
        .discount_codes
        .iter()
        .filter_map(|t| ReferralCode::parse(t).ok())
        .chain(clicks.iter().map(|c| c.code.clone()))
        .chain(order.landing_code.clone());
    for code in candidates {
        if let std::collections::btree_map::Entry::Vacant(slot) = earners.entry(code) {
            let found = earner(s, sql, slot.key())?;
            slot.insert(found);
        }
    }
    let evidence = Evidence {
        discount_codes: order.discount_codes.clone(),
        visitor: order.visitor.clone(),
        landing_code: order.landing_code.clone(),
    };
    let attribution = attribute(
        &evidence,
        placed,
        |c| matches!(earners.get(c), Some(Some(_))),
        &clicks,
        Duration::MAX,
    );
    // An activation's event code is a discount code: it comes after a member's code
    // and before clicks and landing URLs.
    if !matches!(attribution, Attribution::DiscountCode { .. })
        && let Some(receipt) = attribute_to_event(s, sql, order, now)?
    {
        return Ok(receipt);
    }
    let Some(code) = attribution.code().cloned() else {
        return Ok(Receipt::Stored);
    };
    let Some(Some(member)) = earners.get(&code).cloned() else {
        return Ok(Receipt::Stored);
    };
    let from_address = match &order.ip_hash {
        Some(hash) => query_int(
            s,
            &sql.orders_from_ip,
            &[
                Value::str(hash),
                at(placed - Duration::hours(24)),
                at(placed),
            ],
        )?
        .unwrap_or(0),
        None => 0,
    };
    let burst = query_int(
        s,
        &sql.member_clicks_between,
        &[
            Value::Int(member.id),
            Value::instant(placed - Duration::hours(1)),
            Value::instant(placed),
        ],
    )?
    .unwrap_or(0);
    let flags = fraud_flags(
        (order.customer_id.as_deref(), order.email.as_deref()),
        (&member.person_id, member.email.as_deref()),
        u32::try_from(from_address).unwrap_or(u32::MAX),
        u32::try_from(burst).unwrap_or(u32::MAX),
        member.leaked,
    );
    let (by, clicked_at) = match &attribution {
        Attribution::DiscountCode { .. } => {
            // A single-use code is used up by this order; any other code is unaffected.
            s.execute(
                &sql.redeem_click_code,
                &[
                    Value::str(code.as_str()),
                    Value::str(&order.order_id),
                    at(now),
                ],
            )?;
            ("discount_code", None)
        }
        Attribution::Click { .. } => (
            "click",
            clicks.iter().filter(|c| c.code == code).map(|c| c.at).max(),
        ),
        Attribution::LandingUrl { .. } => ("landing_url", None),
        Attribution::Unattributed => return Ok(Receipt::Stored),
    };
    let review = if flags.is_empty() {
        ReviewState::Clean
    } else {
        ReviewState::Pending
    };
    let flags_json =
        convert::to_json("flags", &flags).map_err(|e| StoreError::Unstorable(e.to_string()))?;
    let priced = exchange::price(
        s,
        sql,
        (&order.currency, order.subtotal),
        &member.currency,
        now,
    )?;
    let [converted, rate, converted_at] = priced.columns();
    s.execute(
        &sql.insert_conversion,
        &[
            Value::str(&order.order_id),
            Value::Int(member.id),
            Value::str(by),
            Value::opt_timestamp(clicked_at),
            Value::owned(flags_json),
            Value::str(review.as_str()),
            at(now),
            converted,
            rate,
            converted_at,
        ],
    )?;
    Ok(Receipt::Attributed {
        code,
        by: by.to_owned(),
        flags,
    })
}

/// Attributes the order to the activation whose event code it used, if any.
fn attribute_to_event(
    s: &mut dyn Session,
    sql: &ProgramSql,
    order: &OrderFact,
    now: OffsetDateTime,
) -> Result<Option<Receipt>, StoreError> {
    for code in order
        .discount_codes
        .iter()
        .filter_map(|t| ReferralCode::parse(t).ok())
    {
        let found = rows(s, &sql.event_program, &[Value::str(code.as_str())], |c| {
            Ok((
                c.req_int("event_codes.program_id")?,
                c.req_text("programs.currency")?,
            ))
        })?;
        let Some((program_id, currency)) = found.into_iter().next() else {
            continue;
        };
        let priced = exchange::price(s, sql, (&order.currency, order.subtotal), &currency, now)?;
        let [converted, rate, converted_at] = priced.columns();
        s.execute(
            &sql.insert_event_conversion,
            &[
                Value::str(&order.order_id),
                Value::Int(program_id),
                Value::str(code.as_str()),
                at(now),
                converted,
                rate,
                converted_at,
            ],
        )?;
        return Ok(Some(Receipt::Attributed {
            code,
            by: "event_code".into(),
            flags: Vec::new(),
        }));
    }
    Ok(None)
}

pub(crate) fn receive_refund(
    s: &mut dyn Session,
    sql: &ProgramSql,
    delivery: Option<&Delivery>,
    refund: &RefundFact,
    now: OffsetDateTime,
) -> Result<Receipt, StoreError> {
    if !record_delivery(s, sql, delivery, now)? {
        return Ok(Receipt::Duplicate);
    }
    let params = [
        Value::str(&refund.refund_id),
        Value::str(&refund.order_id),
        at(refund.refunded_at),
        at(now),
        Value::Int(refund.subtotal.minor().max(0)),
    ];
    if s.execute(&sql.insert_refund, &params)? == 0 {
        return Ok(Receipt::Duplicate);
    }
    Ok(Receipt::Stored)
}

/// The brand's currency, for imported orders that state none.
fn brand_currency(s: &mut dyn Session, sql: &ProgramSql) -> Result<String, StoreError> {
    let toml = rows(s, &sql.brand, &[], |c| c.req_text("brand.toml"))?;
    Ok(toml
        .first()
        .and_then(|t| BrandConfig::from_toml(t).ok())
        .and_then(|b| b.currency)
        .unwrap_or_else(|| "USD".to_owned()))
}

pub(crate) fn backfill_orders(
    s: &mut dyn Session,
    sql: &ProgramSql,
    now: OffsetDateTime,
) -> Result<BackfillReport, StoreError> {
    let currency = brand_currency(s, sql)?;
    let imported = rows(s, &sql.imported_orders, &[], |c| {
        let order_id = c.req_text("orders.id")?;
        let person_id = c.text()?;
        let email = c.text()?;
        let placed_at = c.timestamp()?.unwrap_or(now);
        let currency = c.text()?.unwrap_or_else(|| currency.clone());
        let subtotal = money(c.req_int("orders.subtotal_minor")?);
        let codes: Vec<String> =
            convert::from_json("orders.discount_codes", &c.req_text("discount_codes")?)?;
        let (visitor, landing_code) = c
            .text()?
            .map(|l| landing_evidence(&l))
            .unwrap_or((None, None));
        Ok(OrderFact {
            order_id,
            source: FactSource::Import,
            placed_at,
            currency,
            subtotal,
            email,
            customer_id: person_id,
            discount_codes: codes,
            visitor,
            landing_code,
            ip_hash: None,
        })
    })?;
    let mut report = BackfillReport::default();
    for order in &imported {
        report.orders += 1;
        match receive_order(s, sql, None, order, now)? {
            Receipt::Duplicate => {}
            Receipt::Stored => report.new += 1,
            Receipt::Attributed { .. } => {
                report.new += 1;
                report.attributed += 1;
            }
        }
    }
    report.converted = exchange::convert_waiting(s, sql, now)?;
    Ok(report)
}

fn read_conversion(c: &mut Cursor<'_>) -> Result<Conversion, StoreError> {
    let order_id = c.req_text("conversions.order_id")?;
    let member_id = c.req_int("conversions.member_id")?;
    let code = read_code(&c.req_text("program_members.code")?)?;
    let program = c.req_text("programs.name")?;
    let person_id = c.req_text("program_members.person_id")?;
    let attributed_by = c.req_text("conversions.attributed_by")?;
    let currency = c.req_text("order_facts.currency")?;
    let subtotal = c.req_int("order_facts.subtotal_minor")?;
    let refunded = c.req_int("refunded")?.clamp(0, subtotal.max(0));
    let placed_at = req_at(c, "order_facts.placed_at")?;
    let flags: Vec<FraudFlag> = convert::from_json("conversions.flags", &c.req_text("flags")?)?;
    let review_text = c.req_text("conversions.review")?;
    let review = ReviewState::parse(&review_text)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown review state {review_text:?}")))?;
    let program_currency = c.req_text("programs.currency")?;
    let converted_subtotal = c.int()?.map(money);
    let exchange_rate = c.text()?;
    Ok(Conversion {
        order_id,
        member_id,
        code,
        program,
        person_id,
        attributed_by,
        currency,
        subtotal: money(subtotal),
        refunded: money(refunded),
        placed_at,
        flags,
        review,
        program_currency,
        converted_subtotal,
        exchange_rate,
    })
}

pub(crate) fn conversions(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: Option<&str>,
    review: Option<ReviewState>,
) -> Result<Vec<Conversion>, ProgramError> {
    let program = match program {
        Some(name) => Some(super::members::require_program(s, sql, name)?.name),
        None => None,
    };
    let all = rows(s, &sql.conversions, &[], read_conversion)?;
    Ok(all
        .into_iter()
        .filter(|c| program.as_ref().is_none_or(|p| *p == c.program))
        .filter(|c| review.is_none_or(|r| r == c.review))
        .collect())
}

pub(crate) fn review(
    s: &mut dyn Session,
    sql: &ProgramSql,
    order_id: &str,
    approve: bool,
    now: OffsetDateTime,
) -> Result<Conversion, ProgramError> {
    let state = if approve {
        ReviewState::Approved
    } else {
        ReviewState::Rejected
    };
    let changed = s.execute(
        &sql.set_review,
        &[Value::str(order_id), Value::str(state.as_str()), at(now)],
    )?;
    let found = conversions(s, sql, None, None)?
        .into_iter()
        .find(|c| c.order_id == order_id)
        .ok_or_else(|| ProgramError::UnknownConversion(order_id.to_owned()))?;
    if changed == 0 && found.review != state {
        return Err(ProgramError::Invalid(format!(
            "order {order_id} is {}, not waiting for review",
            found.review.as_str()
        )));
    }
    Ok(found)
}
