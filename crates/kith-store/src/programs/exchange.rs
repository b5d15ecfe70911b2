//! Orders in another currency than their program's: converted at the brand's rate in
//! force when kith received the order, and the amount and rate stored beside the
//! attribution, so that changing `[exchange_rates]` later never rewrites what was
//! reported or paid.
//!
//! An order with no rate for its pair waits: it counts as an order but adds no revenue
//! and earns nothing. Saving a brand with the missing rate, or a back-fill, converts the
//! waiting orders at the rate then in force ([`convert_waiting`]); they earn from then,
//! as a cleared review does, so no payout already computed is rewritten.

use kith_core::exchange::{ExchangeRates, Rate};
use kith_core::{BrandConfig, Money};
use time::OffsetDateTime;

use super::members::{at, money, rows};
use super::sql::ProgramSql;
use crate::StoreError;
use crate::ops::Session;
use crate::value::{Cursor, Value};

/// An attributed order's subtotal as its program counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Priced {
    /// The order is in the program's currency.
    Same(Money),
    /// Converted at `rate` at `at`.
    Converted {
        subtotal: Money,
        rate: Rate,
        at: OffsetDateTime,
    },
    /// No rate for the pair was known: counted, not in revenue, earns nothing.
    Waiting,
}

impl Priced {
    /// The subtotal in the program's currency, once known.
    pub fn subtotal(&self) -> Option<Money> {
        match self {
            Priced::Same(m) | Priced::Converted { subtotal: m, .. } => Some(*m),
            Priced::Waiting => None,
        }
    }

    /// When its money began to count (later than the order when a rate came late).
    pub fn since(&self, counted_from: OffsetDateTime) -> OffsetDateTime {
        match self {
            Priced::Converted { at, .. } => counted_from.max(*at),
            _ => counted_from,
        }
    }

    /// Refunds of the order, in its own currency and in replay order, converted at the
    /// order's rate. Each is the conversion of all refunds so far less that of those
    /// before it, so however a refund is split the parts add up to the conversion of
    /// the whole, and a full refund gives back exactly the converted subtotal.
    pub fn refunds(&self, amounts: &[Money], to: &str) -> Vec<Money> {
        let Priced::Converted { rate, .. } = self else {
            return amounts.to_vec();
        };
        let mut out = Vec::with_capacity(amounts.len());
        let (mut so_far, mut converted) = (0i64, 0i64);
        for a in amounts {
            so_far = so_far.saturating_add(a.minor());
            let now = Money::from_minor(so_far)
                .convert(*rate, to)
                .map_or(converted, Money::minor);
            out.push(Money::from_minor(now - converted));
            converted = now;
        }
        out
    }

    /// The three stored columns: converted subtotal, rate, when.
    pub fn columns(&self) -> [Value<'static>; 3] {
        match self {
            Priced::Converted {
                subtotal,
                rate,
                at: when,
            } => [
                Value::Int(subtotal.minor()),
                Value::owned(rate.to_string()),
                at(*when),
            ],
            _ => [Value::Null, Value::Null, Value::Null],
        }
    }

    /// Reads the stored columns of an order in `currency` attributed to a program in
    /// `program_currency`.
    pub fn read(
        c: &mut Cursor<'_>,
        currency: &str,
        subtotal: Money,
        program_currency: &str,
    ) -> Result<Priced, StoreError> {
        let (converted, rate, when) = (c.int()?, c.text()?, c.timestamp()?);
        if currency == program_currency {
            return Ok(Priced::Same(subtotal));
        }
        Ok(match (converted, rate, when) {
            (Some(minor), Some(rate), Some(at)) => Priced::Converted {
                subtotal: money(minor),
                rate: rate
                    .parse()
                    .map_err(|e| StoreError::Corrupt(format!("stored exchange rate: {e}")))?,
                at,
            },
            _ => Priced::Waiting,
        })
    }
}

/// The brand's exchange rates now: none when no brand is stored.
pub(crate) fn rates_in_force(
    s: &mut dyn Session,
    sql: &ProgramSql,
) -> Result<ExchangeRates, StoreError> {
    let toml = rows(s, &sql.brand, &[], |c| c.req_text("brand.toml"))?;
    Ok(toml
        .first()
        .and_then(|t| BrandConfig::from_toml(t).ok())
        .map(|b| b.exchange_rates)
        .unwrap_or_default())
}

/// Prices an order for a program at the rates in force. The rates are read only when
/// the currencies differ, so orders in the program's currency cost nothing more.
pub(crate) fn price(
    s: &mut dyn Session,
    sql: &ProgramSql,
    (currency, subtotal): (&str, Money),
    program_currency: &str,
    now: OffsetDateTime,
) -> Result<Priced, StoreError> {
    if currency == program_currency {
        return Ok(Priced::Same(subtotal));
    }
    let rates = rates_in_force(s, sql)?;
    Ok(convert(&rates, currency, subtotal, program_currency, now))
}

fn convert(
    rates: &ExchangeRates,
    currency: &str,
    subtotal: Money,
    to: &str,
    now: OffsetDateTime,
) -> Priced {
    // A subtotal too large to convert waits, visibly, rather than being clipped.
    match rates
        .rate(currency, to)
        .and_then(|rate| Some((rate, subtotal.convert(rate, to)?)))
    {
        Some((rate, converted)) => Priced::Converted {
            subtotal: converted,
            rate,
            at: now,
        },
        None => Priced::Waiting,
    }
}

/// Converts the attributed orders still waiting for a rate, at the rates now in force;
/// returns how many were converted.
pub(crate) fn convert_waiting(
    s: &mut dyn Session,
    sql: &ProgramSql,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let rates = rates_in_force(s, sql)?;
    if rates.is_empty() {
        return Ok(0);
    }
    let mut done = 0;
    for (select, update) in [
        (&sql.waiting_conversions, &sql.convert_conversion),
        (
            &sql.waiting_event_conversions,
            &sql.convert_event_conversion,
        ),
    ] {
        let waiting = rows(s, select, &[], |c| {
            Ok((
                c.req_text("order_id")?,
                c.req_text("currency")?,
                money(c.req_int("subtotal_minor")?),
                c.req_text("programs.currency")?,
            ))
        })?;
        for (order_id, currency, subtotal, to) in waiting {
            let priced = convert(&rates, &currency, subtotal, &to, now);
            if priced == Priced::Waiting {
                continue;
            }
            let [minor, rate, when] = priced.columns();
            done += s.execute(update, &[Value::str(&order_id), minor, rate, when])?;
        }
    }
    Ok(done)
}
