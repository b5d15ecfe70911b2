//! A program's commission ledger, rebuilt from the facts a store keeps.
//!
//! The store keeps what happened — attributed sales, refunds, payouts made — and never a
//! running balance. Replaying those facts through [`Ledger`] in one fixed order gives the
//! same ledger however the facts arrived (webhooks are retried and unordered), and it is
//! exact by construction: every entry balances, amounts are integer cents.
//!
//! Facts are replayed in the order kith learned of them (`at`), not the order the shop
//! says they happened: a late webhook then never rewrites the history a payout was
//! computed from. Before each fact, commissions whose hold has passed are approved.
//! Tiered commissions follow the member's sales earlier in the same calendar month (of
//! `placed_at`), counted in replay order.

use std::collections::BTreeMap;

use time::{Duration, OffsetDateTime};

use crate::money::Money;
use crate::program::commission::CommissionRule;
use crate::program::ledger::Ledger;

/// An attributed order that earns: the member's from `at` on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sale {
    pub order_id: String,
    pub member: String,
    pub currency: String,
    pub subtotal: Money,
    pub placed_at: OffsetDateTime,
    /// When it began to earn: when kith received it, or when a reviewer cleared it.
    pub at: OffsetDateTime,
}

/// A refund of part of an order's subtotal, received at `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub refund_id: String,
    pub order_id: String,
    pub subtotal: Money,
    pub at: OffsetDateTime,
}

/// A payout made in a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paid {
    pub batch: String,
    pub member: String,
    pub currency: String,
    pub amount: Money,
    pub at: OffsetDateTime,
}

/// How a program pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    /// `None`: the program pays no commission (e.g. an advocacy program).
    pub rule: Option<CommissionRule>,
    /// How long a commission stays pending: the return window.
    pub hold: Duration,
}

/// The rebuilt ledger and the commission each sale earned before refunds.
#[derive(Debug, Clone, Default)]
pub struct Replayed {
    pub ledger: Ledger,
    pub commissions: BTreeMap<String, Money>,
}

enum Fact<'a> {
    Sale(&'a Sale),
    Refund(&'a Refund),
    Paid(&'a Paid),
}

impl Fact<'_> {
    /// When, then sales before refunds before payouts, then by id: a total order.
    fn key(&self) -> (OffsetDateTime, u8, &str, &str) {
        match self {
            Fact::Sale(s) => (s.at, 0, &s.order_id, ""),
            Fact::Refund(r) => (r.at, 1, &r.refund_id, ""),
            Fact::Paid(p) => (p.at, 2, &p.batch, &p.member),
        }
    }
}

/// Replays the facts up to `now`.
pub fn replay(
    terms: &Terms,
    sales: &[Sale],
    refunds: &[Refund],
    paid: &[Paid],
    now: OffsetDateTime,
) -> Replayed {
    let mut facts: Vec<Fact<'_>> = sales
        .iter()
        .map(Fact::Sale)
        .chain(refunds.iter().map(Fact::Refund))
        .chain(paid.iter().map(Fact::Paid))
        .filter(|f| f.key().0 <= now)
        .collect();
    facts.sort_by(|a, b| a.key().cmp(&b.key()));

    let mut out = Replayed::default();
    // (member, year, month) → attributed sales so far.
    let mut month_sales: BTreeMap<(&str, i32, u8), Money> = BTreeMap::new();
    for fact in &facts {
        out.ledger.approve_due(fact.key().0, terms.hold);
        match fact {
            Fact::Sale(s) => {
                let month = (
                    s.member.as_str(),
                    s.placed_at.year(),
                    u8::from(s.placed_at.month()),
                );
                let before = month_sales.get(&month).copied().unwrap_or(Money::ZERO);
                let commission = terms
                    .rule
                    .as_ref()
                    .map_or(Money::ZERO, |r| r.commission(s.subtotal, before));
                if out.ledger.accrue(
                    &s.order_id,
                    &s.member,
                    &s.currency,
                    s.subtotal,
                    commission,
                    s.at,
                ) {
                    out.commissions.insert(s.order_id.clone(), commission);
                    let total = before.checked_add(s.subtotal).unwrap_or(before);
                    month_sales.insert(month, total);
                }
            }
            Fact::Refund(r) => {
                out.ledger
                    .refund(&r.refund_id, &r.order_id, r.subtotal, r.at);
            }
            Fact::Paid(p) => out
                .ledger
                .pay(&p.member, &p.currency, &p.batch, p.amount, p.at),
        }
    }
    out.ledger.approve_due(now, terms.hold);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::ledger::DEFAULT_HOLD;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-06-01 12:00 UTC);

    fn sale(id: &str, member: &str, cents: i64, days: i64) -> Sale {
        Sale {
            order_id: id.into(),
            member: member.into(),
            currency: "USD".into(),
            subtotal: Money::from_minor(cents),
            placed_at: T0 + Duration::days(days),
            at: T0 + Duration::days(days),
        }
    }

    fn refund(id: &str, order: &str, cents: i64, days: i64) -> Refund {
        Refund {
            refund_id: id.into(),
            order_id: order.into(),
            subtotal: Money::from_minor(cents),
            at: T0 + Duration::days(days),
        }
    }

    fn ten_percent() -> Terms {
        Terms {
            rule: Some(CommissionRule::Percent { rate: 1000 }),
            hold: DEFAULT_HOLD,
        }
    }

    #[test]
    fn the_same_facts_in_any_order_give_the_same_balances() {
        let sales = [sale("o1", "m", 10_000, 0), sale("o2", "m", 5_000, 2)];
        let refunds = [refund("r1", "o1", 2_500, 5)];
        let now = T0 + Duration::days(60);
        let a = replay(&ten_percent(), &sales, &refunds, &[], now);
        let mut reversed = sales.clone();
        reversed.reverse();
        let b = replay(&ten_percent(), &reversed, &refunds, &[], now);
        assert_eq!(
            a.ledger.member_balances("m", "USD"),
            b.ledger.member_balances("m", "USD")
        );
        assert_eq!(
            a.ledger.member_balances("m", "USD").approved,
            1_000 - 250 + 500
        );
    }

    #[test]
    fn commissions_wait_out_the_hold_before_they_are_approved() {
        let r = replay(
            &ten_percent(),
            &[sale("o1", "m", 10_000, 0)],
            &[],
            &[],
            T0 + Duration::days(29),
        );
        let b = r.ledger.member_balances("m", "USD");
        assert_eq!((b.pending, b.approved), (1_000, 0));
    }

    #[test]
    fn a_recorded_payout_is_replayed_for_exactly_what_it_paid() {
        let paid = [Paid {
            batch: "b1".into(),
            member: "m".into(),
            currency: "USD".into(),
            amount: Money::from_minor(1_000),
            at: T0 + Duration::days(31),
        }];
        // A refund learned after the payout claws back from later earnings.
        let r = replay(
            &ten_percent(),
            &[sale("o1", "m", 10_000, 0)],
            &[refund("r1", "o1", 10_000, 32)],
            &paid,
            T0 + Duration::days(40),
        );
        let b = r.ledger.member_balances("m", "USD");
        assert_eq!((b.pending, b.approved, b.paid), (0, -1_000, 1_000));
    }

    #[test]
    fn tiers_count_the_members_earlier_sales_in_the_same_month() {
        let terms = Terms {
            rule: Some("0:10%,100:20%".parse().unwrap()),
            hold: DEFAULT_HOLD,
        };
        let r = replay(
            &terms,
            &[sale("o1", "m", 10_000, 0), sale("o2", "m", 10_000, 1)],
            &[],
            &[],
            T0 + Duration::days(2),
        );
        assert_eq!(r.commissions["o1"], Money::from_minor(1_000));
        assert_eq!(r.commissions["o2"], Money::from_minor(2_000));
    }

    #[test]
    fn a_program_without_commission_accrues_nothing() {
        let terms = Terms {
            rule: None,
            hold: DEFAULT_HOLD,
        };
        let r = replay(&terms, &[sale("o1", "m", 10_000, 0)], &[], &[], T0);
        assert_eq!(r.ledger.commission_cost("USD"), 0);
    }
}
