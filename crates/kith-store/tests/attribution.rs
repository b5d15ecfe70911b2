//! Orders and refunds as facts: stored once by delivery and by id, attributed by
//! discount code then by the visitor's last click, flagged for review when they look
//! like fraud, and the money derived from them exact to the cent — revenue net of
//! refunds, commission pending then approved then paid, payouts never negative.

use kith_core::program::attribution::FraudFlag;
use kith_core::program::{MemberStatus, ProgramKind};
use kith_core::{Money, Order, Record};
use kith_store::programs::{
    Delivery, FactSource, NewClick, OrderFact, Receipt, RefundFact, ReviewState,
};
use kith_store::store_tests;
use kith_store::testing::TestStore;
use time::Duration;

use crate::fixtures::import;
use crate::programs::{T0, affiliates, code, program};

pub fn order(id: &str, cents: i64) -> OrderFact {
    OrderFact {
        order_id: id.into(),
        source: FactSource::Webhook,
        placed_at: T0,
        currency: "USD".into(),
        subtotal: Money::from_minor(cents),
        email: Some("buyer@example.com".into()),
        customer_id: Some("shop-9".into()),
        discount_codes: Vec::new(),
        visitor: None,
        landing_code: None,
        ip_hash: None,
    }
}

pub fn with_code(id: &str, cents: i64, discount: &str) -> OrderFact {
    OrderFact {
        discount_codes: vec!["WELCOME5".into(), discount.into()],
        ..order(id, cents)
    }
}

fn refund(id: &str, order: &str, cents: i64) -> RefundFact {
    RefundFact {
        refund_id: id.into(),
        order_id: order.into(),
        subtotal: Money::from_minor(cents),
        refunded_at: T0,
    }
}

fn delivery(id: &str) -> Delivery {
    Delivery {
        id: id.into(),
        topic: "orders/create".into(),
    }
}

fn m(cents: i64) -> Money {
    Money::from_minor(cents)
}

fn a_discount_code_attributes_an_order_once_per_delivery_and_per_order(db: &TestStore) {
    affiliates(db);
    let p = db.programs();
    let first = p
        .receive_order(
            Some(&delivery("w1")),
            &with_code("o1", 10_000, "maya10"),
            T0,
        )
        .unwrap();
    assert_eq!(
        first,
        Receipt::Attributed {
            code: code("MAYA10"),
            by: "discount_code".into(),
            flags: vec![]
        }
    );
    let same_delivery = p
        .receive_order(
            Some(&delivery("w1")),
            &with_code("o1", 10_000, "maya10"),
            T0,
        )
        .unwrap();
    let same_order = p
        .receive_order(Some(&delivery("w2")), &with_code("o1", 10_000, "LEO10"), T0)
        .unwrap();
    assert_eq!(
        (same_delivery, same_order),
        (Receipt::Duplicate, Receipt::Duplicate)
    );
    assert_eq!(p.conversions(None, None).unwrap().len(), 1);
    assert_eq!(db.status().unwrap().conversions, 1);
}

fn without_a_code_the_visitors_last_click_in_the_window_wins(db: &TestStore) {
    affiliates(db);
    let p = db.programs();
    let member = |c: &str| p.link(&code(c)).unwrap().unwrap().member_id;
    let click = |who: &str, days_before: i64| NewClick {
        member_id: member(who),
        visitor: "v-7".into(),
        at: T0 - Duration::days(days_before),
        ip_hash: None,
        content_id: None,
        single_use_code: None,
    };
    p.click_log()
        .unwrap()
        .append(&[click("MAYA10", 40), click("LEO10", 3), click("MAYA11", 1)])
        .unwrap();
    p.set_status(&code("MAYA11"), MemberStatus::Paused, T0)
        .unwrap();
    let visited = OrderFact {
        visitor: Some("v-7".into()),
        ..order("o2", 5_000)
    };
    let receipt = p.receive_order(None, &visited, T0).unwrap();
    assert!(
        matches!(&receipt, Receipt::Attributed { code: c, by, .. } if c.as_str() == "LEO10" && by == "click"),
        "a paused member's later click does not earn: {receipt:?}"
    );
    let stranger = OrderFact {
        visitor: Some("v-unknown".into()),
        ..order("o3", 5_000)
    };
    assert_eq!(
        p.receive_order(None, &stranger, T0).unwrap(),
        Receipt::Stored
    );
}

fn suspicious_orders_wait_for_review_with_their_reasons(db: &TestStore) {
    affiliates(db);
    let p = db.programs();
    // Maya buys with her own code.
    let own = OrderFact {
        email: Some("MAYA@example.com".into()),
        ..with_code("o1", 10_000, "MAYA10")
    };
    let Receipt::Attributed { flags, .. } = p.receive_order(None, &own, T0).unwrap() else {
        panic!("attributed")
    };
    assert_eq!(flags, [FraudFlag::SelfReferral]);
    // A leaked code, and a fourth order from one address within a day.
    p.report_leak(&code("LEO10"), T0).unwrap();
    for i in 0..4 {
        let o = OrderFact {
            ip_hash: Some("same-address".into()),
            placed_at: T0 + Duration::hours(i),
            ..with_code(&format!("o-ip-{i}"), 1_000, "LEO10")
        };
        let Receipt::Attributed { flags, .. } = p.receive_order(None, &o, T0).unwrap() else {
            panic!("attributed")
        };
        let many = flags
            .iter()
            .any(|f| matches!(f, FraudFlag::ManyOrdersFromOneAddress { .. }));
        assert_eq!(many, i == 3, "order {i}: {flags:?}");
        assert!(flags.contains(&FraudFlag::LeakedCode));
    }
    let waiting = p.conversions(None, Some(ReviewState::Pending)).unwrap();
    assert_eq!(waiting.len(), 5);
    let before = p.roi(Some("Affiliates"), false, T0).unwrap();
    assert_eq!((before[0].orders, before[0].revenue), (0, Money::ZERO));
    let cleared = p.review("o1", true, T0 + Duration::days(1)).unwrap();
    assert_eq!(cleared.review, ReviewState::Approved);
    assert!(p.review("o1", false, T0).is_err(), "reviewed once");
    let after = p
        .roi(Some("Affiliates"), false, T0 + Duration::days(1))
        .unwrap();
    assert_eq!(
        (after[0].orders, after[0].revenue, after[0].commission),
        (1, m(10_000), m(1_000))
    );
}

fn money_is_exact_refunds_claw_back_and_payouts_are_never_negative(db: &TestStore) {
    affiliates(db);
    let p = db.programs();
    // A refund may arrive before its order.
    p.receive_refund(None, &refund("r1", "o1", 2_500), T0)
        .unwrap();
    p.receive_order(None, &with_code("o1", 10_000, "MAYA10"), T0)
        .unwrap();
    p.receive_order(None, &with_code("o2", 1_999, "MAYA10"), T0)
        .unwrap();
    p.receive_order(None, &order("o3", 7_000), T0).unwrap();
    assert_eq!(
        p.receive_refund(None, &refund("r1", "o1", 2_500), T0)
            .unwrap(),
        Receipt::Duplicate
    );
    let row = &p.roi(Some("Affiliates"), false, T0).unwrap()[0];
    // Revenue: 100.00 - 25.00 + 19.99; commission: 10.00 - 2.50 + 2.00.
    assert_eq!((row.orders, row.revenue), (2, m(9_499)));
    assert_eq!(
        (row.commission, row.pending, row.approved),
        (m(950), m(950), m(0))
    );
    assert_eq!(row.cost, m(950));
    assert!((row.roi.unwrap() - 9_499.0 / 950.0).abs() < 1e-9);
    assert!(
        p.create_payout("Affiliates", T0 + Duration::days(10))
            .unwrap()
            .is_none(),
        "nothing is approved within the hold"
    );
    let day31 = T0 + Duration::days(31);
    let batch = p.create_payout("Affiliates", day31).unwrap().unwrap();
    assert_eq!(batch.items.len(), 1);
    assert_eq!(
        (batch.items[0].code.as_str(), batch.items[0].amount),
        ("MAYA10", m(950))
    );
    assert!(
        p.create_payout("Affiliates", day31).unwrap().is_none(),
        "paid once"
    );
    // A refund after the payout: Maya owes it back from later earnings.
    p.receive_refund(None, &refund("r2", "o2", 1_999), day31 + Duration::days(1))
        .unwrap();
    let later = day31 + Duration::days(2);
    let row = &p.roi(Some("Affiliates"), false, later).unwrap()[0];
    assert_eq!(
        (row.approved, row.paid, row.commission),
        (m(-200), m(950), m(750))
    );
    assert!(p.create_payout("Affiliates", later).unwrap().is_none());
    let paid = p.mark_paid(batch.id, later).unwrap();
    assert_eq!(paid.paid_at, Some(later));
    assert_eq!(p.payout_batches(Some("affiliates")).unwrap(), [paid]);
}

fn imported_orders_are_attributed_through_the_same_rules(db: &TestStore) {
    affiliates(db);
    let order = |id: &str, codes: &[&str], landing: Option<&str>| {
        Record::Order(Order {
            id: id.into(),
            person_id: None,
            email: Some("buyer@example.com".into()),
            created_at: Some(T0),
            currency: Some("USD".into()),
            subtotal_price: Money::from_minor(4_200),
            total_price: None,
            total_discounts: None,
            discount_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
            financial_status: None,
            landing_site: landing.map(str::to_owned),
            referring_site: None,
        })
    };
    import(
        &**db,
        [
            order("i1", &["leo10"], None),
            order("i2", &[], Some("/?utm_source=kith&utm_content=MAYA11")),
            order("i3", &[], None),
        ],
    );
    let p = db.programs();
    let report = p.backfill_orders(T0).unwrap();
    assert_eq!((report.orders, report.new, report.attributed), (3, 3, 2));
    assert_eq!(
        p.backfill_orders(T0).unwrap().new,
        0,
        "a second run adds nothing"
    );
    let by: Vec<(String, String)> = p
        .conversions(None, None)
        .unwrap()
        .into_iter()
        .map(|c| (c.code.to_string(), c.attributed_by))
        .collect();
    assert_eq!(
        by,
        [
            ("LEO10".to_owned(), "discount_code".to_owned()),
            ("MAYA11".to_owned(), "landing_url".to_owned())
        ]
    );
}

fn costs_include_fees_and_seeding(db: &TestStore) {
    crate::programs::affiliates(db);
    let p = db.programs();
    let mut ambassadors = program("Ambassadors", ProgramKind::Ambassador, None);
    ambassadors.fee = m(10_000);
    p.create_program(&ambassadors).unwrap();
    let mut seeded = kith_store::programs::Enrolment::new("c-3");
    seeded.seeding = m(4_500);
    seeded.code = Some(code("LEOAMB"));
    p.enroll("Ambassadors", &[seeded], T0).unwrap();
    p.receive_order(None, &with_code("o1", 30_000, "LEOAMB"), T0)
        .unwrap();
    let rows = p.roi(Some("ambassadors"), true, T0).unwrap();
    assert_eq!((rows[0].revenue, rows[0].cost), (m(30_000), m(14_500)));
    assert_eq!(
        rows[1].cost,
        m(4_500),
        "a member's row carries their seeding"
    );
}

fn a_magic_link_signs_in_once(db: &TestStore) {
    affiliates(db);
    let p = db.programs();
    let later = T0 + Duration::minutes(15);
    p.create_portal_token("h1", "c-1", "link", T0, later)
        .unwrap();
    assert_eq!(
        p.use_portal_token("h1", "link", T0).unwrap().as_deref(),
        Some("c-1")
    );
    assert_eq!(
        p.use_portal_token("h1", "link", T0).unwrap(),
        None,
        "used up"
    );
    p.create_portal_token("h2", "c-1", "link", T0, later)
        .unwrap();
    assert_eq!(
        p.use_portal_token("h2", "link", later).unwrap(),
        None,
        "expired"
    );
    assert_eq!(p.use_portal_token("h2", "session", T0).unwrap(), None);
    p.set_portal_password("c-1", "$argon2id$x", T0).unwrap();
    assert_eq!(
        p.portal_password("Maya@Example.com").unwrap(),
        Some(("c-1".to_owned(), Some("$argon2id$x".to_owned())))
    );
    assert_eq!(p.portal_password("nobody@example.com").unwrap(), None);
    let view = p.portal_view("c-1", T0).unwrap().unwrap();
    assert_eq!(view.memberships.len(), 1);
    assert_eq!(view.memberships[0].member.code.as_str(), "MAYA10");
    assert!(p.portal_view("c-404", T0).unwrap().is_none());
}

fn activity_counts_clicks_and_earning_orders_by_day_as_the_report_does(db: &TestStore) {
    affiliates(db);
    let p = db.programs();
    let member = p.link(&code("LEO10")).unwrap().unwrap().member_id;
    let click = |hours: i64| NewClick {
        member_id: member,
        visitor: format!("v{hours}"),
        at: T0 + Duration::hours(hours),
        ip_hash: None,
        content_id: None,
        single_use_code: None,
    };
    // T0 is noon: +13 h is the next day.
    p.click_log()
        .unwrap()
        .append(&[click(0), click(1), click(13)])
        .unwrap();
    let next_day = OrderFact {
        placed_at: T0 + Duration::hours(14),
        ..with_code("o1", 5_000, "LEO10")
    };
    p.receive_order(None, &next_day, T0 + Duration::hours(14))
        .unwrap();
    // Maya's own order waits for review: the report does not count it, nor does the chart.
    let own = OrderFact {
        email: Some("maya@example.com".into()),
        ..with_code("o2", 5_000, "MAYA10")
    };
    p.receive_order(None, &own, T0).unwrap();
    let now = T0 + Duration::days(2);
    let days = p.activity("affiliates", now).unwrap();
    let seen: Vec<(&str, u64, u64)> = days
        .iter()
        .map(|d| (d.day.as_str(), d.clicks, d.orders))
        .collect();
    assert_eq!(seen, [("2026-06-01", 2, 0), ("2026-06-02", 1, 1)]);
    let report = &p.roi(Some("Affiliates"), false, now).unwrap()[0];
    let total = |f: fn(&kith_store::programs::DayActivity) -> u64| days.iter().map(f).sum::<u64>();
    assert_eq!(
        (total(|d| d.clicks), total(|d| d.orders)),
        (report.clicks, report.orders)
    );
    assert!(matches!(
        p.activity("nope", now),
        Err(kith_store::programs::ProgramError::UnknownProgram(_))
    ));
}

store_tests!(
    activity_counts_clicks_and_earning_orders_by_day_as_the_report_does,
    a_discount_code_attributes_an_order_once_per_delivery_and_per_order,
    without_a_code_the_visitors_last_click_in_the_window_wins,
    suspicious_orders_wait_for_review_with_their_reasons,
    money_is_exact_refunds_claw_back_and_payouts_are_never_negative,
    imported_orders_are_attributed_through_the_same_rules,
    costs_include_fees_and_seeding,
    a_magic_link_signs_in_once,
);
