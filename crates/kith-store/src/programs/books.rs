//! A program's books: its facts read back, the ledger replayed from them, and what is
//! reported — clicks, orders, revenue net of refunds, commission, cost, ROI, earned
//! media value — and payout batches.
//!
//! Money is reported in the program's currency; an order in another currency is counted
//! as an order but adds nothing to revenue (there is no exchange rate to apply).

use std::collections::{BTreeMap, HashMap};

use kith_core::brand_love::BrandMatcher;
use kith_core::program::emv::{self, Actions};
use kith_core::program::leaderboard::{Placed, Standing, rank};
use kith_core::program::replay::{Paid, Refund, Replayed, Sale, Terms, replay};
use kith_core::{BrandConfig, Money};
use time::{Duration, OffsetDateTime};

use super::members::{at, members, money, req_at, require_program, rows};
use super::sql::ProgramSql;
use super::{PayoutBatch, PayoutItem, Program, ProgramError, ReviewState, RoiRow};
use crate::StoreError;
use crate::convert;
use crate::ops::{Session, query_int};
use crate::value::Value;

/// What one member brought and cost.
#[derive(Debug, Clone, Copy, Default)]
struct Figures {
    clicks: u64,
    unique_clicks: u64,
    orders: u64,
    revenue: i64,
    emv: i64,
}

/// A program's facts and the ledger they make.
#[derive(Debug)]
pub(super) struct Books {
    pub program: Program,
    pub members: Vec<super::Member>,
    figures: HashMap<i64, Figures>,
    /// An activation's orders by its event code: the program's, no member's.
    event: Figures,
    pub replayed: Replayed,
}

impl Books {
    fn member_key(id: i64) -> String {
        id.to_string()
    }

    /// (pending, approved, paid) of a member, in the program's currency.
    pub fn balances(&self, member_id: i64) -> (Money, Money, Money) {
        let b = self
            .replayed
            .ledger
            .member_balances(&Books::member_key(member_id), &self.program.currency);
        (money(b.pending), money(b.approved), money(b.paid))
    }

    fn row(&self, member: Option<&super::Member>) -> RoiRow {
        let mut f = Figures::default();
        let mut commission = 0;
        let (mut pending, mut approved, mut paid) = (0, 0, 0);
        let mut seeding = 0;
        for m in self
            .members
            .iter()
            .filter(|m| member.is_none_or(|x| x.id == m.id))
        {
            let g = self.figures.get(&m.id).copied().unwrap_or_default();
            f.clicks += g.clicks;
            f.unique_clicks += g.unique_clicks;
            f.orders += g.orders;
            f.revenue += g.revenue;
            f.emv += g.emv;
            let (p, a, d) = self.balances(m.id);
            pending += p.minor();
            approved += a.minor();
            paid += d.minor();
            commission += p.minor() + a.minor() + d.minor();
            seeding += m.seeding.minor();
        }
        let fee = if member.is_none() {
            f.orders += self.event.orders;
            f.revenue += self.event.revenue;
            self.program.fee.minor()
        } else {
            0
        };
        let cost = money(commission + seeding + fee);
        let revenue = money(f.revenue);
        RoiRow {
            program: self.program.name.clone(),
            kind: self.program.kind,
            currency: self.program.currency.clone(),
            code: member.map(|m| m.code.clone()),
            person_id: member.map(|m| m.person_id.clone()),
            clicks: f.clicks,
            unique_clicks: f.unique_clicks,
            orders: f.orders,
            revenue,
            commission: money(commission),
            cost,
            roi: emv::roi(revenue, cost),
            emv: money(f.emv),
            pending: money(pending),
            approved: money(approved),
            paid: money(paid),
        }
    }

    /// The program's leaderboard, keyed by member id: members who were removed are not
    /// on it.
    pub fn leaderboard(&self) -> Vec<Placed<i64>> {
        rank(
            self.members
                .iter()
                .filter(|m| m.status != kith_core::program::MemberStatus::Removed)
                .map(|m| {
                    let f = self.figures.get(&m.id).copied().unwrap_or_default();
                    Standing {
                        key: m.id,
                        clicks: f.clicks,
                        orders: f.orders,
                    }
                })
                .collect(),
        )
    }

    /// The program's row, then (if asked) one per member.
    pub fn rows(&self, by_member: bool) -> Vec<RoiRow> {
        let mut out = vec![self.row(None)];
        if by_member {
            out.extend(self.members.iter().map(|m| self.row(Some(m))));
        }
        out
    }
}

fn brand(s: &mut dyn Session, sql: &ProgramSql) -> Result<Option<BrandConfig>, StoreError> {
    let toml = rows(s, &sql.brand, &[], |c| c.req_text("brand.toml"))?;
    Ok(toml.first().and_then(|t| BrandConfig::from_toml(t).ok()))
}

/// The program's attributed orders that earn (clean, or cleared by a reviewer), each with
/// its member's id; `Sale::at` is when it began to earn.
pub(super) fn earning_sales(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program_id: &Value<'_>,
) -> Result<Vec<(Sale, i64)>, ProgramError> {
    let mut sales = Vec::new();
    for (order_id, member, review, reviewed_at, currency, subtotal, placed_at, received_at) in rows(
        s,
        &sql.program_sales,
        std::slice::from_ref(program_id),
        |c| {
            Ok((
                c.req_text("order_id")?,
                c.req_int("member_id")?,
                c.req_text("review")?,
                c.timestamp()?,
                c.req_text("currency")?,
                c.req_int("subtotal_minor")?,
                req_at(c, "placed_at")?,
                req_at(c, "received_at")?,
            ))
        },
    )? {
        let state = ReviewState::parse(&review)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown review state {review:?}")))?;
        if !state.earns() {
            continue;
        }
        // A cleared conversion earns from when it was cleared: the history a payout
        // was computed from never changes.
        let earns_from = match (state, reviewed_at) {
            (ReviewState::Approved, Some(r)) => r.max(received_at),
            _ => received_at,
        };
        sales.push((
            Sale {
                order_id,
                member: Books::member_key(member),
                currency,
                subtotal: money(subtotal),
                placed_at,
                at: earns_from,
            },
            member,
        ));
    }
    Ok(sales)
}

/// Reads a program's facts and replays its ledger as of `now`.
pub(super) fn load(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: Program,
    now: OffsetDateTime,
    with_emv: bool,
) -> Result<Books, ProgramError> {
    let id = Value::Int(program.id);
    let members = members(s, sql, Some(&program.name))?;
    let mut figures: HashMap<i64, Figures> = HashMap::new();
    for (member, clicks, unique) in rows(s, &sql.member_clicks, std::slice::from_ref(&id), |c| {
        Ok((
            c.req_int("member_id")?,
            c.req_int("clicks")?,
            c.req_int("unique")?,
        ))
    })? {
        let f = figures.entry(member).or_default();
        f.clicks = convert::uint("clicks", clicks)?;
        f.unique_clicks = convert::uint("unique clicks", unique)?;
    }

    let sales = earning_sales(s, sql, &id)?;
    let refunds = rows(s, &sql.program_refunds, std::slice::from_ref(&id), |c| {
        Ok(Refund {
            refund_id: c.req_text("refund_id")?,
            order_id: c.req_text("order_id")?,
            subtotal: money(c.req_int("subtotal_minor")?),
            at: req_at(c, "received_at")?,
        })
    })?;
    let paid = rows(s, &sql.program_payouts, std::slice::from_ref(&id), |c| {
        Ok(Paid {
            batch: c.req_int("batch")?.to_string(),
            member: Books::member_key(c.req_int("member_id")?),
            currency: c.req_text("currency")?,
            amount: money(c.req_int("amount_minor")?),
            at: req_at(c, "created_at")?,
        })
    })?;

    let mut refunded: HashMap<&str, i64> = HashMap::new();
    for r in refunds.iter().filter(|r| r.at <= now) {
        *refunded.entry(r.order_id.as_str()).or_default() += r.subtotal.minor();
    }
    for (sale, member) in sales.iter().filter(|(s, _)| s.at <= now) {
        let f = figures.entry(*member).or_default();
        f.orders += 1;
        if sale.currency == program.currency {
            let back = refunded.get(sale.order_id.as_str()).copied().unwrap_or(0);
            f.revenue += sale.subtotal.minor() - back.clamp(0, sale.subtotal.minor());
        }
    }

    let event = event_figures(s, sql, &program, now)?;

    if with_emv && let Some(brand) = brand(s, sql)? {
        let matcher = BrandMatcher::new(&brand);
        let params = [id, at(program.starts_at), at(now)];
        for (member, platform, caption, actions) in rows(s, &sql.program_posts, &params, |c| {
            let member = c.req_int("member")?;
            let platform = convert::platform(&c.req_text("platform")?)?;
            let caption = c.text()?.unwrap_or_default();
            let mut count = || -> Result<u64, StoreError> {
                convert::uint("a post count", c.int()?.unwrap_or(0))
            };
            let actions = Actions {
                likes: count()?,
                comments: count()?,
                shares: count()?,
                saves: count()?,
                views: count()?,
                clicks: 0,
            };
            Ok((member, platform, caption, actions))
        })? {
            if !matcher.is_empty() && matcher.mentions(&caption) {
                let values = emv::values_for(&brand.emv, platform);
                figures.entry(member).or_default().emv += emv::emv(&actions, &values).minor();
            }
        }
    }

    let terms = Terms {
        rule: program.commission.clone(),
        hold: Duration::days(i64::from(program.hold_days)),
    };
    let sales: Vec<Sale> = sales.into_iter().map(|(s, _)| s).collect();
    let replayed = replay(&terms, &sales, &refunds, &paid, now);
    Ok(Books {
        program,
        members,
        figures,
        event,
        replayed,
    })
}

/// The orders an activation's event code brought (as of `now`, when kith received them),
/// each with the UTC day it was placed: `(day, revenue net of refunds)`, revenue only
/// for orders in the program's currency.
pub(super) fn event_sales(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: &Program,
    now: OffsetDateTime,
) -> Result<Vec<(time::Date, i64)>, StoreError> {
    let id = [Value::Int(program.id)];
    let mut refunded: HashMap<String, i64> = HashMap::new();
    for (order, minor, at) in rows(s, &sql.program_event_refunds, &id, |c| {
        Ok((
            c.req_text("order_id")?,
            c.req_int("subtotal_minor")?,
            req_at(c, "received_at")?,
        ))
    })? {
        if at <= now {
            *refunded.entry(order).or_default() += minor;
        }
    }
    let mut out = Vec::new();
    for (order, currency, subtotal, placed, received) in
        rows(s, &sql.program_event_sales, &id, |c| {
            Ok((
                c.req_text("order_id")?,
                c.req_text("currency")?,
                c.req_int("subtotal_minor")?,
                req_at(c, "placed_at")?,
                req_at(c, "received_at")?,
            ))
        })?
    {
        if received > now {
            continue;
        }
        let back = refunded.get(&order).copied().unwrap_or(0);
        let revenue = if currency == program.currency {
            subtotal - back.clamp(0, subtotal)
        } else {
            0
        };
        out.push((placed.to_offset(time::UtcOffset::UTC).date(), revenue));
    }
    Ok(out)
}

fn event_figures(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: &Program,
    now: OffsetDateTime,
) -> Result<Figures, StoreError> {
    let mut f = Figures::default();
    if program.kind == kith_core::program::ProgramKind::Activation {
        for (_, revenue) in event_sales(s, sql, program, now)? {
            f.orders += 1;
            f.revenue += revenue;
        }
    }
    Ok(f)
}

pub(crate) fn roi(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: Option<&str>,
    by_member: bool,
    now: OffsetDateTime,
) -> Result<Vec<RoiRow>, ProgramError> {
    let programs = match program {
        Some(name) => vec![require_program(s, sql, name)?],
        None => super::members::programs(s, sql)?,
    };
    let mut out = Vec::new();
    for p in programs {
        out.extend(load(s, sql, p, now, true)?.rows(by_member));
    }
    Ok(out)
}

pub(crate) fn leaderboard(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: &str,
    now: OffsetDateTime,
) -> Result<Vec<Placed<i64>>, ProgramError> {
    let program = require_program(s, sql, program)?;
    Ok(load(s, sql, program, now, false)?.leaderboard())
}

pub(crate) fn create_payout(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: &str,
    now: OffsetDateTime,
) -> Result<Option<PayoutBatch>, ProgramError> {
    let program = require_program(s, sql, program)?;
    let mut books = load(s, sql, program, now, false)?;
    let currency = books.program.currency.clone();
    let mut owed = Vec::new();
    for m in &books.members {
        let amount = books
            .replayed
            .ledger
            .payout(&Books::member_key(m.id), &currency, "new", now);
        if amount.minor() > 0 {
            owed.push((m.id, amount));
        }
    }
    if owed.is_empty() {
        return Ok(None);
    }
    let id = query_int(
        s,
        &sql.insert_batch,
        &[Value::Int(books.program.id), Value::str(&currency), at(now)],
    )?
    .ok_or_else(|| StoreError::Corrupt("no id for a new payout batch".into()))?;
    for (member, amount) in owed {
        s.execute(
            &sql.insert_item,
            &[
                Value::Int(id),
                Value::Int(member),
                Value::Int(amount.minor()),
            ],
        )?;
    }
    let batch = batches(s, sql)?.into_iter().find(|b| b.id == id);
    Ok(batch)
}

fn batches(s: &mut dyn Session, sql: &ProgramSql) -> Result<Vec<PayoutBatch>, StoreError> {
    let mut items: BTreeMap<i64, Vec<PayoutItem>> = BTreeMap::new();
    for (batch, item) in rows(s, &sql.batch_items, &[], |c| {
        let batch = c.req_int("batch_id")?;
        Ok((
            batch,
            PayoutItem {
                member_id: c.req_int("member_id")?,
                code: super::members::read_code(&c.req_text("code")?)?,
                person_id: c.req_text("person_id")?,
                email: c.text()?,
                amount: money(c.req_int("amount_minor")?),
            },
        ))
    })? {
        items.entry(batch).or_default().push(item);
    }
    rows(s, &sql.batches, &[], |c| {
        let id = c.req_int("payout_batches.id")?;
        Ok(PayoutBatch {
            id,
            program: c.req_text("programs.name")?,
            currency: c.req_text("currency")?,
            created_at: req_at(c, "created_at")?,
            paid_at: c.timestamp()?,
            items: items.remove(&id).unwrap_or_default(),
        })
    })
}

pub(crate) fn payout_batches(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: Option<&str>,
) -> Result<Vec<PayoutBatch>, ProgramError> {
    let name = match program {
        Some(p) => Some(require_program(s, sql, p)?.name),
        None => None,
    };
    Ok(batches(s, sql)?
        .into_iter()
        .filter(|b| name.as_ref().is_none_or(|n| *n == b.program))
        .collect())
}

pub(crate) fn mark_paid(
    s: &mut dyn Session,
    sql: &ProgramSql,
    batch: i64,
    now: OffsetDateTime,
) -> Result<PayoutBatch, ProgramError> {
    s.execute(&sql.mark_paid, &[Value::Int(batch), at(now)])?;
    batches(s, sql)?
        .into_iter()
        .find(|b| b.id == batch)
        .ok_or(ProgramError::UnknownBatch(batch))
}
