//! Orders in another currency than their program's: converted at the brand's rate in
//! force when kith received them, exact to the cent, the amount and rate stored so that
//! a later change of `[exchange_rates]` changes nothing already reported or paid; refunds
//! at their order's rate; and, without a rate, counted but visibly unconverted.

use kith_core::Money;
use kith_store::programs::{OrderFact, RefundFact};
use kith_store::report::ReportRow;
use kith_store::store_tests;
use kith_store::testing::TestStore;
use time::Duration;

use crate::programs::{T0, affiliates};

/// A brand whose shop sells in euros, with these `[exchange_rates]` entries.
fn brand_with_rates(db: &TestStore, rates: &str) {
    db.set_brand(&format!(
        "name = \"Ridgeline\"\ncurrency = \"EUR\"\n[exchange_rates]\n{rates}\n"
    ))
    .unwrap();
}

/// An order in euros with Maya's code.
fn euro_order(id: &str, cents: i64) -> OrderFact {
    OrderFact {
        currency: "EUR".into(),
        ..crate::attribution::with_code(id, cents, "MAYA10")
    }
}

fn refund(id: &str, order: &str, cents: i64) -> RefundFact {
    RefundFact {
        refund_id: id.into(),
        order_id: order.into(),
        subtotal: m(cents),
        refunded_at: T0,
    }
}

fn m(cents: i64) -> Money {
    Money::from_minor(cents)
}

fn a_euro_order_to_a_dollar_program_counts_at_the_rate_to_the_cent(db: &TestStore) {
    affiliates(db);
    brand_with_rates(db, "\"EUR/USD\" = \"1.0850\"");
    let p = db.programs();
    p.receive_order(None, &euro_order("o1", 10_000), T0)
        .unwrap();
    // 19.99 × 1.0850 = 21.68915 → 21.69; its 10 % is 2.169 → 2.17.
    p.receive_order(None, &euro_order("o2", 1_999), T0).unwrap();
    let row = &p.roi(Some("Affiliates"), false, T0).unwrap()[0];
    assert_eq!(row.currency, "USD");
    assert_eq!(
        (row.orders, row.revenue, row.commission, row.pending),
        (2, m(10_850 + 2_169), m(1_085 + 217), m(1_302))
    );
    assert_eq!(row.unconverted_orders(), 0);
    let listed = p.conversions(Some("Affiliates"), None).unwrap();
    let o2 = listed.iter().find(|c| c.order_id == "o2").unwrap();
    assert_eq!(
        (
            o2.currency.as_str(),
            o2.subtotal,
            o2.program_currency.as_str()
        ),
        ("EUR", m(1_999), "USD")
    );
    assert_eq!(o2.converted_subtotal, Some(m(2_169)), "listed as counted");
    assert_eq!(o2.exchange_rate.as_deref(), Some("1.0850"));
}

fn a_rate_written_one_way_converts_the_other_way_by_its_exact_reciprocal(db: &TestStore) {
    affiliates(db);
    brand_with_rates(db, "\"USD/EUR\" = \"0.9200\"");
    let p = db.programs();
    // 92.00 EUR ÷ 0.92 is exactly 100.00 USD.
    p.receive_order(None, &euro_order("o1", 9_200), T0).unwrap();
    let row = &p.roi(Some("Affiliates"), false, T0).unwrap()[0];
    assert_eq!((row.revenue, row.commission), (m(10_000), m(1_000)));
}

fn a_refund_in_euros_claws_back_exactly_its_converted_share(db: &TestStore) {
    affiliates(db);
    brand_with_rates(db, "\"EUR/USD\" = \"1.0850\"");
    let p = db.programs();
    p.receive_order(None, &euro_order("o1", 10_000), T0)
        .unwrap();
    // 25.00 EUR is 27.125 USD → 27.12 (half to even); the commission back is
    // 10.85 × 27.12 / 108.50 = 2.712 → 2.71.
    let later = T0 + Duration::days(1);
    p.receive_refund(None, &refund("r1", "o1", 2_500), later)
        .unwrap();
    let row = &p.roi(Some("Affiliates"), false, later).unwrap()[0];
    assert_eq!(
        (row.revenue, row.commission),
        (m(10_850 - 2_712), m(1_085 - 271))
    );
    // The rest of the order: the parts add up to the whole, so nothing is left over.
    p.receive_refund(None, &refund("r2", "o1", 7_500), later)
        .unwrap();
    let row = &p.roi(Some("Affiliates"), false, later).unwrap()[0];
    assert_eq!(
        (row.orders, row.revenue, row.commission, row.pending),
        (1, m(0), m(0), m(0))
    );
}

fn changing_the_rate_later_changes_nothing_already_reported_or_paid(db: &TestStore) {
    affiliates(db);
    brand_with_rates(db, "\"EUR/USD\" = \"1.0850\"");
    let p = db.programs();
    p.receive_order(None, &euro_order("o1", 10_000), T0)
        .unwrap();
    let day31 = T0 + Duration::days(31);
    let batch = p.create_payout("Affiliates", day31).unwrap().unwrap();
    assert_eq!(batch.items[0].amount, m(1_085));
    let before = p.roi(Some("Affiliates"), true, day31).unwrap();

    brand_with_rates(db, "\"EUR/USD\" = \"1.2000\"");
    assert_eq!(p.convert_waiting_orders(day31).unwrap(), 0);
    assert_eq!(p.roi(Some("Affiliates"), true, day31).unwrap(), before);
    assert_eq!(p.payout_batches(None).unwrap(), [batch]);
    // A refund of the whole order comes back at the order's rate, not today's.
    p.receive_refund(None, &refund("r1", "o1", 10_000), day31)
        .unwrap();
    let row = &p.roi(Some("Affiliates"), false, day31).unwrap()[0];
    assert_eq!(
        (row.revenue, row.commission, row.approved),
        (m(0), m(0), m(-1_085))
    );
    // An order received after the change is converted at the new rate.
    p.receive_order(None, &euro_order("o2", 10_000), day31)
        .unwrap();
    let row = &p.roi(Some("Affiliates"), false, day31).unwrap()[0];
    assert_eq!((row.revenue, row.commission), (m(12_000), m(1_200)));
}

fn without_a_rate_an_order_counts_adds_nothing_and_is_reported_unconverted(db: &TestStore) {
    affiliates(db);
    brand_with_rates(db, "");
    let p = db.programs();
    p.receive_order(None, &euro_order("o1", 10_000), T0)
        .unwrap();
    let rows = p.roi(Some("Affiliates"), true, T0).unwrap();
    let program = &rows[0];
    assert_eq!(
        (program.orders, program.revenue, program.commission),
        (1, m(0), m(0))
    );
    assert_eq!(program.unconverted.get("EUR"), Some(&1));
    let maya = rows
        .iter()
        .find(|r| r.code.as_ref().is_some_and(|c| c.as_str() == "MAYA10"))
        .unwrap();
    assert_eq!(maya.unconverted_orders(), 1, "the member's row says so too");
    let json = serde_json::to_value(ReportRow::from(program)).unwrap();
    assert_eq!(json["unconverted_orders"], 1);
    assert_eq!(json["revenue"], "0.00");
    let listed = p.conversions(Some("Affiliates"), None).unwrap();
    assert_eq!(
        (
            listed[0].converted_subtotal,
            listed[0].exchange_rate.as_deref()
        ),
        (None, None),
        "listed as waiting for a rate"
    );
    assert!(
        p.create_payout("Affiliates", T0 + Duration::days(31))
            .unwrap()
            .is_none(),
        "it earns nothing"
    );
}

fn a_rate_added_later_converts_waiting_orders_from_then_on(db: &TestStore) {
    affiliates(db);
    brand_with_rates(db, "");
    let p = db.programs();
    p.receive_order(None, &euro_order("o1", 10_000), T0)
        .unwrap();
    let day5 = T0 + Duration::days(5);
    brand_with_rates(db, "\"EUR/USD\" = \"1.0850\"");
    assert_eq!(p.convert_waiting_orders(day5).unwrap(), 1);
    assert_eq!(p.convert_waiting_orders(day5).unwrap(), 0, "once");
    let as_of = |now| p.roi(Some("Affiliates"), false, now).unwrap().remove(0);
    let then = as_of(T0 + Duration::days(1));
    assert_eq!(
        (then.orders, then.revenue, then.unconverted_orders()),
        (1, m(0), 1),
        "the past is not rewritten"
    );
    let now = as_of(day5);
    assert_eq!(
        (
            now.orders,
            now.revenue,
            now.commission,
            now.unconverted_orders()
        ),
        (1, m(10_850), m(1_085), 0)
    );
    // It earns from when it was converted: still pending 30 days after the order.
    let day31 = T0 + Duration::days(31);
    assert!(p.create_payout("Affiliates", day31).unwrap().is_none());
    let day35 = T0 + Duration::days(35);
    let batch = p.create_payout("Affiliates", day35).unwrap().unwrap();
    assert_eq!(batch.items[0].amount, m(1_085));
}

fn a_back_fill_converts_waiting_orders_too(db: &TestStore) {
    affiliates(db);
    let p = db.programs();
    p.receive_order(None, &euro_order("o1", 10_000), T0)
        .unwrap();
    brand_with_rates(db, "\"EUR/USD\" = \"1.0850\"");
    assert_eq!(p.backfill_orders(T0).unwrap().converted, 1);
    let row = &p.roi(Some("Affiliates"), false, T0).unwrap()[0];
    assert_eq!(row.revenue, m(10_850));
}

fn an_event_codes_euro_order_counts_in_the_activations_currency(db: &TestStore) {
    crate::activations::brew_along(db);
    brand_with_rates(db, "");
    let p = db.programs();
    let euros = |id: &str| OrderFact {
        currency: "EUR".into(),
        ..crate::activations::order(id, &["BREWALONG"])
    };
    let now = T0 + Duration::hours(3);
    p.receive_order(None, &euros("o1"), now).unwrap();
    let row = &p.roi(Some("Brew-Along"), false, now).unwrap()[0];
    assert_eq!(
        (row.orders, row.revenue, row.unconverted_orders()),
        (1, m(0), 1)
    );
    brand_with_rates(db, "\"EUR/USD\" = \"1.0850\"");
    assert_eq!(p.convert_waiting_orders(now).unwrap(), 1);
    p.receive_order(None, &euros("o2"), now).unwrap();
    // Each is 30.00 EUR = 32.55 USD.
    let row = &p.roi(Some("Brew-Along"), false, now).unwrap()[0];
    assert_eq!(
        (row.orders, row.revenue, row.unconverted_orders()),
        (2, m(6_510), 0)
    );
}

store_tests!(
    a_euro_order_to_a_dollar_program_counts_at_the_rate_to_the_cent,
    a_rate_written_one_way_converts_the_other_way_by_its_exact_reciprocal,
    a_refund_in_euros_claws_back_exactly_its_converted_share,
    changing_the_rate_later_changes_nothing_already_reported_or_paid,
    without_a_rate_an_order_counts_adds_nothing_and_is_reported_unconverted,
    a_rate_added_later_converts_waiting_orders_from_then_on,
    a_back_fill_converts_waiting_orders_too,
    an_event_codes_euro_order_counts_in_the_activations_currency,
);
