//! A program's books: its facts read back, the ledger replayed from them, and what is
//! reported — clicks, orders, revenue net of refunds, commission, cost, ROI, earned
//! media value — and payout batches.
//!
//! Money is reported in the program's currency. An order in another currency counts at
//! the amount it was converted to when kith received it (`exchange`), and its refunds at
//! the same rate; while no rate for its pair is known it is counted as an order, adds
//! nothing to revenue or commission, and is reported as unconverted.

use std::collections::{BTreeMap, HashMap};

use kith_core::brand_love::BrandMatcher;
use kith_core::program::emv::{self, Actions};
use kith_core::program::leaderboard::{Placed, Standing, rank};
use kith_core::program::replay::{Paid, Refund, Replayed, Sale, Terms, replay};
use kith_core::{BrandConfig, Money};
use time::{Duration, OffsetDateTime};

use super::exchange::Priced;
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
    /// Orders counted that wait for an exchange rate, per member (and the event's),
    /// by currency.
    unconverted: HashMap<i64, BTreeMap<String, u64>>,
    event_unconverted: BTreeMap<String, u64>,
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
        let mut unconverted: BTreeMap<String, u64> = BTreeMap::new();
        let mut add = |counts: &BTreeMap<String, u64>| {
            for (currency, n) in counts {
                *unconverted.entry(currency.clone()).or_default() += n;
            }
        };
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
            if let Some(counts) = self.unconverted.get(&m.id) {
                add(counts);
            }
        }
        let fee = if member.is_none() {
            f.orders += self.event.orders;
            f.revenue += self.event.revenue;
            add(&self.event_unconverted);
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
            unconverted,
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

/// An attributed order that earns: clean, or cleared by a reviewer.
#[derive(Debug, Clone)]
pub(super) struct Earning {
    pub member: i64,
    pub order_id: String,
    /// The order's own currency.
    pub currency: String,
    pub placed_at: OffsetDateTime,
    /// When it began to count: when kith received it, or when a reviewer cleared it.
    pub at: OffsetDateTime,
    pub priced: Priced,
}

impl Earning {
    /// What the ledger replays, in the program's currency: none while the order waits
    /// for an exchange rate. It earns from when both it counted and its rate was known.
    fn sale(&self, program_currency: &str) -> Option<Sale> {
        Some(Sale {
            order_id: self.order_id.clone(),
            member: Books::member_key(self.member),
            currency: program_currency.to_owned(),
            subtotal: self.priced.subtotal()?,
            placed_at: self.placed_at,
            at: self.priced.since(self.at),
        })
    }
}

/// The program's attributed orders that earn, priced in its currency.
pub(super) fn earning_sales(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: &Program,
) -> Result<Vec<Earning>, ProgramError> {
    let mut sales = Vec::new();
    for (order_id, member, review, reviewed_at, currency, placed_at, received_at, priced) in
        rows(s, &sql.program_sales, &[Value::Int(program.id)], |c| {
            let order_id = c.req_text("order_id")?;
            let member = c.req_int("member_id")?;
            let review = c.req_text("review")?;
            let reviewed_at = c.timestamp()?;
            let currency = c.req_text("currency")?;
            let subtotal = money(c.req_int("subtotal_minor")?);
            let placed_at = req_at(c, "placed_at")?;
            let received_at = req_at(c, "received_at")?;
            let priced = Priced::read(c, &currency, subtotal, &program.currency)?;
            Ok((
                order_id,
                member,
                review,
                reviewed_at,
                currency,
                placed_at,
                received_at,
                priced,
            ))
        })?
    {
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
        sales.push(Earning {
            member,
            order_id,
            currency,
            placed_at,
            at: earns_from,
            priced,
        });
    }
    Ok(sales)
}

/// Refunds in their order's currency, converted at the order's stored rate and in the
/// order the ledger replays them, so the parts of a split refund add up exactly.
fn in_program_currency(
    refunds: Vec<Refund>,
    priced: &HashMap<&str, Priced>,
    currency: &str,
) -> Vec<Refund> {
    let mut by_order: BTreeMap<String, Vec<Refund>> = BTreeMap::new();
    for r in refunds {
        by_order.entry(r.order_id.clone()).or_default().push(r);
    }
    let mut out = Vec::new();
    for (order, mut list) in by_order {
        if let Some(p) = priced.get(order.as_str()) {
            list.sort_by(|a, b| (a.at, &a.refund_id).cmp(&(b.at, &b.refund_id)));
            let amounts: Vec<Money> = list.iter().map(|r| r.subtotal).collect();
            for (r, converted) in list.iter_mut().zip(p.refunds(&amounts, currency)) {
                r.subtotal = converted;
            }
        }
        out.extend(list);
    }
    out
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

    let earnings = earning_sales(s, sql, &program)?;
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

    let priced: HashMap<&str, Priced> = earnings
        .iter()
        .map(|e| (e.order_id.as_str(), e.priced))
        .collect();
    let refunds = in_program_currency(refunds, &priced, &program.currency);
    let mut refunded: HashMap<&str, i64> = HashMap::new();
    for r in refunds.iter().filter(|r| r.at <= now) {
        *refunded.entry(r.order_id.as_str()).or_default() += r.subtotal.minor();
    }
    let mut unconverted: HashMap<i64, BTreeMap<String, u64>> = HashMap::new();
    for e in earnings.iter().filter(|e| e.at <= now) {
        let f = figures.entry(e.member).or_default();
        f.orders += 1;
        match e.priced.subtotal() {
            Some(subtotal) if e.priced.since(e.at) <= now => {
                let back = refunded.get(e.order_id.as_str()).copied().unwrap_or(0);
                f.revenue += subtotal.minor() - back.clamp(0, subtotal.minor());
            }
            _ => {
                *unconverted
                    .entry(e.member)
                    .or_default()
                    .entry(e.currency.clone())
                    .or_default() += 1;
            }
        }
    }

    let (event, event_unconverted) = event_figures(s, sql, &program, now)?;

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
    let sales: Vec<Sale> = earnings
        .iter()
        .filter_map(|e| e.sale(&program.currency))
        .collect();
    let replayed = replay(&terms, &sales, &refunds, &paid, now);
    Ok(Books {
        program,
        members,
        figures,
        event,
        unconverted,
        event_unconverted,
        replayed,
    })
}

/// An order an activation's event code brought.
#[derive(Debug, Clone)]
pub(super) struct EventSale {
    /// The UTC day it was placed.
    pub day: time::Date,
    /// Its revenue net of refunds in the program's currency; `None` while it waits for
    /// an exchange rate.
    pub revenue: Option<i64>,
    /// The order's own currency.
    pub currency: String,
}

/// The orders an activation's event code brought, as of `now` (when kith received them).
pub(super) fn event_sales(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: &Program,
    now: OffsetDateTime,
) -> Result<Vec<EventSale>, StoreError> {
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
    for (order, currency, placed, received, priced) in
        rows(s, &sql.program_event_sales, &id, |c| {
            let order = c.req_text("order_id")?;
            let currency = c.req_text("currency")?;
            let subtotal = money(c.req_int("subtotal_minor")?);
            let placed = req_at(c, "placed_at")?;
            let received = req_at(c, "received_at")?;
            let priced = Priced::read(c, &currency, subtotal, &program.currency)?;
            Ok((order, currency, placed, received, priced))
        })?
    {
        if received > now {
            continue;
        }
        let back = refunded.get(&order).copied().unwrap_or(0);
        let revenue = match priced.subtotal() {
            Some(subtotal) if priced.since(received) <= now => {
                // All refunds so far at once: the same total the parts add up to.
                let back = priced
                    .refunds(&[money(back.max(0))], &program.currency)
                    .first()
                    .map_or(0, |m| m.minor());
                Some(subtotal.minor() - back.clamp(0, subtotal.minor()))
            }
            _ => None,
        };
        out.push(EventSale {
            day: placed.to_offset(time::UtcOffset::UTC).date(),
            revenue,
            currency,
        });
    }
    Ok(out)
}

fn event_figures(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: &Program,
    now: OffsetDateTime,
) -> Result<(Figures, BTreeMap<String, u64>), StoreError> {
    let mut f = Figures::default();
    let mut unconverted: BTreeMap<String, u64> = BTreeMap::new();
    if program.kind == kith_core::program::ProgramKind::Activation {
        for sale in event_sales(s, sql, program, now)? {
            f.orders += 1;
            match sale.revenue {
                Some(revenue) => f.revenue += revenue,
                None => *unconverted.entry(sale.currency).or_default() += 1,
            }
        }
    }
    Ok((f, unconverted))
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
