//! The Shopify webhook `POST /webhooks/shopify/orders`: verified by HMAC over the raw
//! body (401 and nothing stored otherwise), idempotent by webhook id and by order and
//! refund id, attributed by discount code or by the visitor's click, and — over 10,000
//! deliveries with duplicates and refunds in any order — exact to the cent.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kith_core::{Person, PersonSource, Record};
use kith_server::tracking::shopify::sign;
use kith_store::InputError;
use kith_store::programs::Enrolment;
use serde_json::json;
use time::{Duration, OffsetDateTime};
use tower::ServiceExt;

use crate::support::App;
use crate::tracking::{BROWSER, app_for, click, done, stores, sync};

pub const SECRET: &str = "shpss_test_secret";

/// A delivery as Shopify sends it, signed with `secret`.
fn delivery(topic: &str, id: &str, body: &str, secret: Option<&str>) -> Request<Body> {
    let mut b = Request::builder()
        .method("POST")
        .uri("/webhooks/shopify/orders")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-shopify-topic", topic)
        .header("x-shopify-webhook-id", id);
    if let Some(s) = secret {
        b = b.header("x-shopify-hmac-sha256", sign(s, body.as_bytes()));
    }
    b.body(Body::from(body.to_owned())).unwrap()
}

fn order_body(id: u64, subtotal: &str, codes: &[&str], landing: Option<&str>) -> String {
    let codes: Vec<_> = codes
        .iter()
        .map(|c| json!({"code": c, "amount": "5.00"}))
        .collect();
    json!({
        "id": id,
        "email": "buyer@example.net",
        "created_at": "2026-11-01T10:00:00-05:00",
        "currency": "USD",
        "subtotal_price": subtotal,
        "total_price": "99.99",
        "discount_codes": codes,
        "landing_site": landing,
        "customer": {"id": 9_000_000 + id, "email": "buyer@example.net"}
    })
    .to_string()
}

fn refund_body(id: u64, order: u64, subtotal: f64) -> String {
    json!({
        "id": id,
        "order_id": order,
        "created_at": "2026-11-02T10:00:00Z",
        "refund_line_items": [{"quantity": 1, "subtotal": subtotal}]
    })
    .to_string()
}

fn conversions(app: &App) -> usize {
    sync(|| {
        app.store()
            .programs()
            .conversions(None, None)
            .unwrap()
            .len()
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_or_missing_signature_gets_401_and_stores_nothing() {
    let app = app_for(kith_store::testing::sqlite());
    let body = order_body(1001, "50.00", &["MAYA10"], None);
    let forged = {
        let mut r = delivery("orders/create", "w1", &body, None);
        r.headers_mut().insert(
            "x-shopify-hmac-sha256",
            sign(SECRET, b"another body").parse().unwrap(),
        );
        r
    };
    let empty = {
        let mut r = delivery("orders/create", "w1", &body, None);
        r.headers_mut()
            .insert("x-shopify-hmac-sha256", "".parse().unwrap());
        r
    };
    for request in [
        delivery("orders/create", "w1", &body, None),
        delivery("orders/create", "w1", &body, Some("not the secret")),
        forged,
        empty,
    ] {
        let reply = app.send(request).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.json()["code"], "unauthorized");
    }
    assert_eq!(conversions(&app), 0);
    // Nothing was kept: not even the webhook id, so the genuine delivery is new.
    let reply = app
        .send(delivery("orders/create", "w1", &body, Some(SECRET)))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["outcome"], "attributed");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_configured_secret_every_delivery_is_refused() {
    let app = app_for(kith_store::testing::sqlite());
    sync(|| {
        let brand = crate::tracking::BRAND.replace("webhook_secret", "shop_domain");
        app.store().set_brand(&brand).unwrap();
    });
    let body = order_body(1, "50.00", &["MAYA10"], None);
    let reply = app
        .send(delivery("orders/create", "w1", &body, Some("")))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(conversions(&app), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_order_is_attributed_once_however_often_it_is_delivered() {
    for db in stores() {
        let app = app_for(db);
        let body = order_body(2001, "80.00", &["WELCOME5", "maya10"], None);
        let first = app
            .send(delivery("orders/create", "w1", &body, Some(SECRET)))
            .await;
        assert_eq!(
            first.json(),
            json!({"outcome": "attributed", "code": "MAYA10", "by": "discount_code", "flags": []})
        );
        let retried = app
            .send(delivery("orders/create", "w1", &body, Some(SECRET)))
            .await;
        let resent = app
            .send(delivery("orders/create", "w2", &body, Some(SECRET)))
            .await;
        assert_eq!(retried.json()["outcome"], "duplicate");
        assert_eq!(resent.json()["outcome"], "duplicate");
        assert_eq!(conversions(&app), 1);
        done(app);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_order_after_a_click_is_attributed_to_the_click() {
    let app = app_for(kith_store::testing::sqlite());
    let clicked = app.send(click("/r/LEO10", Some(BROWSER))).await;
    let location = clicked.location().unwrap();
    // The shop records the landing page as the path and query the visitor arrived at.
    let landing = &location[location.find("/shop").unwrap()..];
    let mut body: serde_json::Value =
        serde_json::from_str(&order_body(3001, "42.00", &[], Some(landing))).unwrap();
    // Placed after the click: a click after an order cannot have caused it.
    let placed = OffsetDateTime::now_utc() + Duration::minutes(5);
    body["created_at"] = json!(
        placed
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    );
    let body = body.to_string();
    let reply = app
        .send(delivery("orders/create", "w1", &body, Some(SECRET)))
        .await;
    assert_eq!(reply.json()["code"], "LEO10");
    assert_eq!(reply.json()["by"], "click");
    let stranger = order_body(3002, "42.00", &[], Some("/shop?utm_source=google"));
    let reply = app
        .send(delivery("orders/create", "w2", &stranger, Some(SECRET)))
        .await;
    assert_eq!(reply.json()["outcome"], "stored");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_euro_order_and_its_refund_count_in_dollars_at_the_rate_when_the_order_came() {
    for db in stores() {
        let app = app_for(db);
        let set_rate = |rate: &str| {
            let brand = format!(
                "{}\n[exchange_rates]\n\"EUR/USD\" = \"{rate}\"\n",
                crate::tracking::BRAND
            );
            sync(|| app.store().set_brand(&brand).unwrap());
        };
        set_rate("1.0850");
        let mut euros: serde_json::Value =
            serde_json::from_str(&order_body(6001, "100.00", &["MAYA10"], None)).unwrap();
        euros["currency"] = json!("EUR");
        let reply = app
            .send(delivery(
                "orders/create",
                "w1",
                &euros.to_string(),
                Some(SECRET),
            ))
            .await;
        assert_eq!(reply.json()["code"], "MAYA10");
        // A new rate applies to new orders only: the refund goes back at the order's.
        set_rate("1.2000");
        let refund = refund_body(7001, 6001, 25.0);
        app.send(delivery("refunds/create", "w2", &refund, Some(SECRET)))
            .await;
        let row = sync(|| {
            app.store()
                .programs()
                .roi(Some("Spring Affiliates"), false, OffsetDateTime::now_utc())
                .unwrap()
                .remove(0)
        });
        // 100.00 EUR = 108.50 USD, less 25.00 EUR = 27.12 USD (27.125, half to even);
        // commission 10.85, less 10.85 × 27.12 / 108.50 = 2.71.
        assert_eq!(
            (row.revenue.to_string(), row.commission.to_string()),
            ("81.38".to_owned(), "8.14".to_owned())
        );
        assert_eq!(row.unconverted_orders(), 0);
        done(app);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn self_referrals_wait_for_review_with_their_reason() {
    let app = app_for(kith_store::testing::sqlite());
    let mut own: serde_json::Value =
        serde_json::from_str(&order_body(4001, "30.00", &["MAYA10"], None)).unwrap();
    own["email"] = json!("maya@example.com");
    let reply = app
        .send(delivery(
            "orders/create",
            "w1",
            &own.to_string(),
            Some(SECRET),
        ))
        .await;
    assert_eq!(reply.json()["flags"], json!([{"reason": "self_referral"}]));
    let waiting = sync(|| {
        app.store()
            .programs()
            .conversions(None, Some(kith_store::programs::ReviewState::Pending))
            .unwrap()
    });
    assert_eq!(waiting.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn other_topics_are_acknowledged_and_bad_bodies_refused() {
    let app = app_for(kith_store::testing::sqlite());
    let body = order_body(5001, "30.00", &["MAYA10"], None);
    let reply = app
        .send(delivery("customers/create", "w1", &body, Some(SECRET)))
        .await;
    assert_eq!(
        (reply.status, reply.json()["outcome"].clone()),
        (StatusCode::OK, json!("ignored"))
    );
    let reply = app
        .send(delivery("orders/create", "w2", "{\"id\": 1}", Some(SECRET)))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(conversions(&app), 0);
}

/// A tiny deterministic generator, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Default, Debug, PartialEq, Eq)]
struct Expected {
    orders: u64,
    revenue: i64,
    commission: i64,
}

#[tokio::test(flavor = "multi_thread")]
async fn ten_thousand_deliveries_with_duplicates_and_shuffled_refunds_are_exact_to_the_cent() {
    for db in stores() {
        let app = app_for(db);
        // Ten members in all.
        let codes: Vec<String> = sync(|| {
            let people: Vec<Record> = (3..=10)
                .map(|i| {
                    Record::Person(Person {
                        id: format!("c-{i}"),
                        source: Some(PersonSource::Customer),
                        first_name: Some(format!("Member{i}")),
                        ..Person::default()
                    })
                })
                .collect();
            let mut records = people.into_iter().map(Ok::<Record, InputError>);
            app.store().import(&mut records).unwrap();
            let more: Vec<Enrolment> = (3..=10)
                .map(|i| Enrolment::new(&format!("c-{i}")))
                .collect();
            let p = app.store().programs();
            p.enroll("Spring Affiliates", &more, OffsetDateTime::now_utc())
                .unwrap();
            p.members(None)
                .unwrap()
                .into_iter()
                .map(|m| m.code.to_string())
                .collect()
        });
        assert_eq!(codes.len(), 10);

        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        // (order id, member index or none, subtotal cents)
        let orders: Vec<(u64, Option<usize>, i64)> = (0..5_600)
            .map(|i| {
                let member = (rng.below(5) != 0).then(|| rng.below(10) as usize);
                (7_000_000 + i, member, 1 + rng.below(50_000) as i64)
            })
            .collect();
        let refunds: Vec<(u64, usize, i64)> = (0..1_400)
            .map(|i| {
                let o = rng.below(orders.len() as u64) as usize;
                (8_000_000 + i, o, 1 + rng.below(orders[o].2 as u64) as i64)
            })
            .collect();

        let mut unique: Vec<(String, String, String)> = Vec::new();
        for (id, member, cents) in &orders {
            let codes = member.map(|m| vec![codes[m].as_str()]).unwrap_or_default();
            let subtotal = format!("{}.{:02}", cents / 100, cents % 100);
            unique.push((
                "orders/create".into(),
                format!("wo-{id}"),
                order_body(*id, &subtotal, &codes, None),
            ));
        }
        for (id, o, cents) in &refunds {
            // A JSON number, as Shopify sends refund line subtotals.
            let amount = *cents as f64 / 100.0;
            unique.push((
                "refunds/create".into(),
                format!("wr-{id}"),
                refund_body(*id, orders[*o].0, amount),
            ));
        }
        // 30 % of the deliveries repeat an earlier event: half are retries with the same
        // webhook id, half the same event under a new webhook id.
        let mut deliveries = unique.clone();
        for k in 0..3_000 {
            let (topic, id, body) = unique[rng.below(unique.len() as u64) as usize].clone();
            let id = if k % 2 == 0 {
                id
            } else {
                format!("{id}-again-{k}")
            };
            deliveries.push((topic, id, body));
        }
        assert_eq!(deliveries.len(), 10_000);
        for i in (1..deliveries.len()).rev() {
            deliveries.swap(i, rng.below(i as u64 + 1) as usize);
        }

        let workers = 16;
        let mut tasks = Vec::new();
        for w in 0..workers {
            let router = app.router.clone();
            let mine: Vec<_> = deliveries
                .iter()
                .skip(w)
                .step_by(workers)
                .cloned()
                .collect();
            tasks.push(tokio::spawn(async move {
                for (topic, id, body) in mine {
                    let reply = router
                        .clone()
                        .oneshot(delivery(&topic, &id, &body, Some(SECRET)))
                        .await
                        .unwrap();
                    assert_eq!(reply.status(), StatusCode::OK, "{topic} {id}");
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }

        // What the ledger must say, computed here from the events themselves.
        let mut refunded: BTreeMap<usize, i64> = BTreeMap::new();
        for (_, o, cents) in &refunds {
            *refunded.entry(*o).or_default() += cents;
        }
        let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
        for (i, (_, member, s)) in orders.iter().enumerate() {
            let Some(m) = member else { continue };
            let r = refunded.get(&i).copied().unwrap_or(0).min(*s);
            let commission = (s * 1_000 + 5_000) / 10_000;
            let clawed = ((2 * commission * r + s) / (2 * s)).min(commission);
            let e = expected.entry(codes[*m].clone()).or_default();
            e.orders += 1;
            e.revenue += s - r;
            e.commission += commission - clawed;
        }
        let now = OffsetDateTime::now_utc();
        let rows = sync(|| {
            app.store()
                .programs()
                .roi(Some("Spring Affiliates"), true, now)
                .unwrap()
        });
        let got: BTreeMap<String, Expected> = rows[1..]
            .iter()
            .map(|r| {
                (
                    r.code.as_ref().unwrap().to_string(),
                    Expected {
                        orders: r.orders,
                        revenue: r.revenue.minor(),
                        commission: r.commission.minor(),
                    },
                )
            })
            .filter(|(_, e)| e.orders > 0)
            .collect();
        assert_eq!(got, expected);
        let total: i64 = expected.values().map(|e| e.commission).sum();
        assert_eq!(rows[0].commission.minor(), total);
        assert_eq!(
            rows[0].pending.minor(),
            total,
            "all of it waits out the hold"
        );

        // After the hold, a payout pays each member exactly what they earned.
        let batch = sync(|| {
            app.store()
                .programs()
                .create_payout("Spring Affiliates", now + Duration::days(31))
                .unwrap()
                .unwrap()
        });
        let paid: BTreeMap<String, i64> = batch
            .items
            .iter()
            .map(|i| (i.code.to_string(), i.amount.minor()))
            .collect();
        let owed: BTreeMap<String, i64> = expected
            .iter()
            .filter(|(_, e)| e.commission > 0)
            .map(|(c, e)| (c.clone(), e.commission))
            .collect();
        assert_eq!(paid, owed);
        done(app);
    }
}
