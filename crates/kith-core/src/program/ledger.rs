//! The commission ledger: double-entry, in integer cents, per currency.
//!
//! Every commission moves through accounts: accrued to the member's *pending* balance
//! when an attributed order arrives; moved to *approved* when the hold period (the
//! return window) has passed; paid out from approved. A refund claws back the
//! commission in proportion to the refunded subtotal, from wherever the money sits —
//! after a payout the member's approved balance goes below zero and later earnings
//! settle it first, so a payout is never negative.
//!
//! Events may arrive twice or out of order (webhooks are retried and unordered): orders
//! and refunds are idempotent by id, and a refund that arrives before its order is held
//! until the order does. Every entry's postings sum to zero.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::money::Money;

/// The default hold before a commission is approved: a typical return window.
pub const DEFAULT_HOLD: Duration = Duration::days(30);

/// An account of the ledger. Member accounts are liabilities (credit balances).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "account", rename_all = "snake_case")]
pub enum Account {
    CommissionExpense { currency: String },
    Pending { member: String, currency: String },
    Approved { member: String, currency: String },
    Cash { currency: String },
}

/// One leg of an entry; debits are positive, credits negative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub account: Account,
    pub amount: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Accrual,
    Approval,
    Clawback,
    Payout,
}

/// A balanced ledger entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub kind: EntryKind,
    /// The order, refund or payout batch the entry records.
    pub reference: String,
    pub member: String,
    pub at: OffsetDateTime,
    pub postings: Vec<Posting>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Pending,
    Approved,
}

#[derive(Debug, Clone)]
struct Commission {
    member: String,
    currency: String,
    subtotal: Money,
    commission: Money,
    stage: Stage,
    refunded: Money,
    clawed: Money,
}

/// A member's money, in cents of one currency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Balances {
    pub pending: i64,
    pub approved: i64,
    pub paid: i64,
}

/// The ledger and the bookkeeping that makes it idempotent.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    entries: Vec<Entry>,
    /// Every account's balance, kept as entries are posted so reading one is cheap
    /// however long the ledger grows.
    balances: BTreeMap<Account, i64>,
    /// Paid out per (member, currency).
    paid: BTreeMap<(String, String), i64>,
    orders: BTreeMap<String, Commission>,
    refunds_seen: BTreeSet<String>,
    /// Refunds whose order has not arrived yet: order id → refunded subtotals.
    early_refunds: BTreeMap<String, Vec<(String, Money, OffsetDateTime)>>,
    /// Pending commissions by when they were accrued, so approving the due ones does not
    /// walk every order.
    pending: BTreeSet<(OffsetDateTime, String)>,
}

impl Ledger {
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    fn post(
        &mut self,
        kind: EntryKind,
        reference: &str,
        member: &str,
        at: OffsetDateTime,
        legs: [(Account, i64); 2],
    ) {
        if legs[0].1 == 0 {
            return;
        }
        for (account, amount) in &legs {
            *self.balances.entry(account.clone()).or_default() += amount;
            if let (EntryKind::Payout, Account::Cash { currency }) = (kind, account) {
                *self
                    .paid
                    .entry((member.to_owned(), currency.clone()))
                    .or_default() -= amount;
            }
        }
        self.entries.push(Entry {
            kind,
            reference: reference.to_owned(),
            member: member.to_owned(),
            at,
            postings: legs
                .into_iter()
                .map(|(account, amount)| Posting { account, amount })
                .collect(),
        });
    }

    /// Records the commission on an attributed order. A repeated order id is ignored;
    /// returns whether this call recorded it.
    pub fn accrue(
        &mut self,
        order_id: &str,
        member: &str,
        currency: &str,
        subtotal: Money,
        commission: Money,
        at: OffsetDateTime,
    ) -> bool {
        if self.orders.contains_key(order_id) || commission.minor() < 0 {
            return false;
        }
        self.pending.insert((at, order_id.to_owned()));
        self.orders.insert(
            order_id.to_owned(),
            Commission {
                member: member.to_owned(),
                currency: currency.to_owned(),
                subtotal,
                commission,
                stage: Stage::Pending,
                refunded: Money::ZERO,
                clawed: Money::ZERO,
            },
        );
        let c = commission.minor();
        self.post(
            EntryKind::Accrual,
            order_id,
            member,
            at,
            [
                (
                    Account::CommissionExpense {
                        currency: currency.to_owned(),
                    },
                    c,
                ),
                (
                    Account::Pending {
                        member: member.to_owned(),
                        currency: currency.to_owned(),
                    },
                    -c,
                ),
            ],
        );
        for (refund_id, amount, refund_at) in
            self.early_refunds.remove(order_id).unwrap_or_default()
        {
            self.apply_refund(&refund_id, order_id, amount, refund_at);
        }
        true
    }

    /// Records a refund of `refunded_subtotal` on an order. A repeated refund id is
    /// ignored; a refund for an order not seen yet waits for it.
    pub fn refund(
        &mut self,
        refund_id: &str,
        order_id: &str,
        refunded_subtotal: Money,
        at: OffsetDateTime,
    ) -> bool {
        if !self.refunds_seen.insert(refund_id.to_owned()) {
            return false;
        }
        if self.orders.contains_key(order_id) {
            self.apply_refund(refund_id, order_id, refunded_subtotal, at);
        } else {
            self.early_refunds
                .entry(order_id.to_owned())
                .or_default()
                .push((refund_id.to_owned(), refunded_subtotal, at));
        }
        true
    }

    fn apply_refund(&mut self, refund_id: &str, order_id: &str, amount: Money, at: OffsetDateTime) {
        let Some(c) = self.orders.get_mut(order_id) else {
            return;
        };
        c.refunded =
            Money::from_minor((c.refunded.minor() + amount.minor().max(0)).min(c.subtotal.minor()));
        // The clawback owed for all refunds so far, so rounding never drifts however the
        // refunds are split.
        let target = if c.subtotal.minor() == 0 {
            0
        } else {
            let num = i128::from(c.commission.minor()) * i128::from(c.refunded.minor());
            let den = i128::from(c.subtotal.minor());
            i64::try_from((2 * num + den) / (2 * den)).unwrap_or(i64::MAX)
        };
        let claw = target.min(c.commission.minor()) - c.clawed.minor();
        if claw <= 0 {
            return;
        }
        c.clawed = Money::from_minor(c.clawed.minor() + claw);
        let (member, currency, stage) = (c.member.clone(), c.currency.clone(), c.stage);
        let liability = match stage {
            Stage::Pending => Account::Pending {
                member: member.clone(),
                currency: currency.clone(),
            },
            Stage::Approved => Account::Approved {
                member: member.clone(),
                currency: currency.clone(),
            },
        };
        self.post(
            EntryKind::Clawback,
            refund_id,
            &member,
            at,
            [
                (liability, claw),
                (Account::CommissionExpense { currency }, -claw),
            ],
        );
    }

    /// Approves every pending commission accrued at least `hold` before `now`.
    pub fn approve_due(&mut self, now: OffsetDateTime, hold: Duration) -> usize {
        let mut due = Vec::new();
        while let Some(first) = self.pending.first() {
            if now - first.0 < hold {
                break;
            }
            if let Some((_, id)) = self.pending.pop_first() {
                due.push(id);
            }
        }
        for id in &due {
            let Some(c) = self.orders.get_mut(id) else {
                continue;
            };
            c.stage = Stage::Approved;
            let net = c.commission.minor() - c.clawed.minor();
            let (member, currency) = (c.member.clone(), c.currency.clone());
            self.post(
                EntryKind::Approval,
                id,
                &member,
                now,
                [
                    (
                        Account::Pending {
                            member: member.clone(),
                            currency: currency.clone(),
                        },
                        net,
                    ),
                    (
                        Account::Approved {
                            member: member.clone(),
                            currency,
                        },
                        -net,
                    ),
                ],
            );
        }
        due.len()
    }

    /// Pays the member's approved balance in `currency`, if positive; returns the amount.
    pub fn payout(
        &mut self,
        member: &str,
        currency: &str,
        batch: &str,
        at: OffsetDateTime,
    ) -> Money {
        let owed = -self.balance(&Account::Approved {
            member: member.to_owned(),
            currency: currency.to_owned(),
        });
        if owed <= 0 {
            return Money::ZERO;
        }
        self.pay(member, currency, batch, Money::from_minor(owed), at);
        Money::from_minor(owed)
    }

    /// Records a payout that was made: `amount` leaves the member's approved balance
    /// whatever that balance is now. Rebuilding a ledger from stored facts uses this, so
    /// a batch pays exactly what it paid when it was made; [`Ledger::payout`] decides
    /// the amount of a new one.
    pub fn pay(
        &mut self,
        member: &str,
        currency: &str,
        batch: &str,
        amount: Money,
        at: OffsetDateTime,
    ) {
        if amount.minor() <= 0 {
            return;
        }
        self.post(
            EntryKind::Payout,
            batch,
            member,
            at,
            [
                (
                    Account::Approved {
                        member: member.to_owned(),
                        currency: currency.to_owned(),
                    },
                    amount.minor(),
                ),
                (
                    Account::Cash {
                        currency: currency.to_owned(),
                    },
                    -amount.minor(),
                ),
            ],
        );
    }

    /// The balance of an account: the sum of its postings (debits positive).
    pub fn balance(&self, account: &Account) -> i64 {
        self.balances.get(account).copied().unwrap_or(0)
    }

    /// Every member with an account in the ledger, in order.
    pub fn members(&self) -> BTreeSet<&str> {
        self.balances
            .keys()
            .filter_map(|a| match a {
                Account::Pending { member, .. } | Account::Approved { member, .. } => {
                    Some(member.as_str())
                }
                _ => None,
            })
            .collect()
    }

    /// What the brand owes and has paid a member, as positive amounts.
    pub fn member_balances(&self, member: &str, currency: &str) -> Balances {
        let m = member.to_owned();
        let c = currency.to_owned();
        Balances {
            pending: -self.balance(&Account::Pending {
                member: m.clone(),
                currency: c.clone(),
            }),
            approved: -self.balance(&Account::Approved {
                member: m,
                currency: c.clone(),
            }),
            paid: self.paid.get(&(member.to_owned(), c)).copied().unwrap_or(0),
        }
    }

    /// Net commission cost in a currency: accrued minus clawed back.
    pub fn commission_cost(&self, currency: &str) -> i64 {
        self.balance(&Account::CommissionExpense {
            currency: currency.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-06-01 12:00 UTC);

    fn m(cents: i64) -> Money {
        Money::from_minor(cents)
    }

    #[test]
    fn a_commission_goes_pending_then_approved_then_paid() {
        let mut l = Ledger::default();
        assert!(l.accrue("o1", "maya", "USD", m(10_000), m(1_000), T0));
        assert_eq!(
            l.member_balances("maya", "USD"),
            Balances {
                pending: 1_000,
                approved: 0,
                paid: 0
            }
        );
        assert_eq!(l.approve_due(T0 + Duration::days(29), DEFAULT_HOLD), 0);
        assert_eq!(l.approve_due(T0 + Duration::days(30), DEFAULT_HOLD), 1);
        assert_eq!(
            l.payout("maya", "USD", "b1", T0 + Duration::days(31)),
            m(1_000)
        );
        assert_eq!(
            l.member_balances("maya", "USD"),
            Balances {
                pending: 0,
                approved: 0,
                paid: 1_000
            }
        );
    }

    #[test]
    fn duplicates_are_ignored() {
        let mut l = Ledger::default();
        assert!(l.accrue("o1", "maya", "USD", m(10_000), m(1_000), T0));
        assert!(!l.accrue("o1", "maya", "USD", m(10_000), m(1_000), T0));
        assert!(l.refund("r1", "o1", m(5_000), T0));
        assert!(!l.refund("r1", "o1", m(5_000), T0));
        assert_eq!(l.member_balances("maya", "USD").pending, 500);
    }

    #[test]
    fn a_refund_before_its_order_waits_for_it() {
        let mut l = Ledger::default();
        l.refund("r1", "o1", m(10_000), T0);
        l.accrue("o1", "maya", "USD", m(10_000), m(1_000), T0);
        assert_eq!(l.member_balances("maya", "USD").pending, 0);
        assert_eq!(l.commission_cost("USD"), 0);
    }

    #[test]
    fn a_refund_after_payout_is_settled_from_later_earnings_never_a_negative_payout() {
        let mut l = Ledger::default();
        l.accrue("o1", "maya", "USD", m(10_000), m(1_000), T0);
        l.approve_due(T0 + DEFAULT_HOLD, DEFAULT_HOLD);
        l.payout("maya", "USD", "b1", T0 + DEFAULT_HOLD);
        l.refund("r1", "o1", m(10_000), T0 + Duration::days(40));
        assert_eq!(l.member_balances("maya", "USD").approved, -1_000);
        assert_eq!(
            l.payout("maya", "USD", "b2", T0 + Duration::days(41)),
            Money::ZERO
        );
        l.accrue(
            "o2",
            "maya",
            "USD",
            m(30_000),
            m(3_000),
            T0 + Duration::days(41),
        );
        l.approve_due(T0 + Duration::days(80), DEFAULT_HOLD);
        assert_eq!(
            l.payout("maya", "USD", "b3", T0 + Duration::days(80)),
            m(2_000)
        );
    }

    #[test]
    fn split_refunds_claw_back_exactly_the_commission() {
        let mut l = Ledger::default();
        l.accrue("o1", "maya", "USD", m(999), m(100), T0);
        for i in 0..3 {
            l.refund(&format!("r{i}"), "o1", m(333), T0);
        }
        assert_eq!(l.member_balances("maya", "USD").pending, 0);
    }

    #[test]
    fn every_entry_balances() {
        let mut l = Ledger::default();
        l.accrue("o1", "maya", "USD", m(10_000), m(1_000), T0);
        l.refund("r1", "o1", m(2_500), T0);
        l.approve_due(T0 + DEFAULT_HOLD, DEFAULT_HOLD);
        l.payout("maya", "USD", "b1", T0 + DEFAULT_HOLD);
        for e in l.entries() {
            assert_eq!(e.postings.iter().map(|p| p.amount).sum::<i64>(), 0, "{e:?}");
        }
    }
}
