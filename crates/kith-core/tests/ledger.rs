use kith_core::Money;
use kith_core::program::ledger::{DEFAULT_HOLD, Ledger};
use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const T0: OffsetDateTime = datetime!(2026-06-01 00:00 UTC);

#[derive(Debug, Clone)]
enum Event {
    Order {
        id: usize,
        member: usize,
        subtotal: i64,
        commission: i64,
    },
    Refund {
        id: usize,
        order: usize,
        amount: i64,
    },
}

fn events() -> impl Strategy<Value = Vec<Event>> {
    (1usize..40).prop_flat_map(|orders| {
        let order_events: Vec<_> = (0..orders)
            .map(|id| {
                (0usize..3, 1i64..100_000, 0i64..=2_000).prop_map(move |(member, subtotal, bp)| {
                    Event::Order {
                        id,
                        member,
                        subtotal,
                        commission: subtotal * bp / 10_000,
                    }
                })
            })
            .collect();
        let refunds = proptest::collection::vec(
            (0..orders, 1i64..60_000).prop_map(|(order, amount)| (order, amount)),
            0..30,
        );
        (order_events, refunds).prop_map(|(mut evs, refunds)| {
            evs.extend(
                refunds
                    .into_iter()
                    .enumerate()
                    .map(|(id, (order, amount))| Event::Refund { id, order, amount }),
            );
            evs
        })
    })
}

fn apply(ledger: &mut Ledger, e: &Event) {
    match e {
        Event::Order {
            id,
            member,
            subtotal,
            commission,
        } => {
            ledger.accrue(
                &format!("o{id}"),
                &format!("m{member}"),
                "USD",
                Money::from_minor(*subtotal),
                Money::from_minor(*commission),
                T0,
            );
        }
        Event::Refund { id, order, amount } => {
            ledger.refund(
                &format!("r{id}"),
                &format!("o{order}"),
                Money::from_minor(*amount),
                T0,
            );
        }
    }
}

fn settle(events: &[Event]) -> Vec<(i64, i64, i64)> {
    let mut l = Ledger::default();
    for e in events {
        apply(&mut l, e);
    }
    l.approve_due(T0 + DEFAULT_HOLD, DEFAULT_HOLD);
    for m in 0..3 {
        l.payout(
            &format!("m{m}"),
            "USD",
            "batch",
            T0 + DEFAULT_HOLD + Duration::days(1),
        );
    }
    for e in l.entries() {
        assert_eq!(e.postings.iter().map(|p| p.amount).sum::<i64>(), 0);
    }
    (0..3)
        .map(|m| {
            let b = l.member_balances(&format!("m{m}"), "USD");
            (b.pending, b.approved, b.paid)
        })
        .collect()
}

proptest! {
    #[test]
    fn duplicated_and_shuffled_deliveries_leave_the_ledger_exact(evs in events(), seed in any::<u64>()) {
        let expected = settle(&evs);
        // Deliver every event, a third of them twice, in a shuffled order.
        let mut delivered: Vec<Event> = evs.clone();
        delivered.extend(evs.iter().enumerate().filter(|(i, _)| i % 3 == 0).map(|(_, e)| e.clone()));
        let n = delivered.len();
        let mut state = seed | 1;
        for i in (1..n).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            delivered.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(settle(&delivered), expected.clone());
        for (pending, approved, paid) in expected {
            prop_assert_eq!(pending, 0);
            prop_assert!(approved <= 0, "whatever is approved was paid out");
            prop_assert!(paid >= 0);
        }
    }
}
