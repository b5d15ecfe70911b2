//! How fast imports are, on demand: `cargo test -p kith-store --release -- --ignored speed`.
//! Set `KITH_SPEED_ROWS` to change the number of people (default 1,000,000), and
//! `KITH_TEST_DATABASE_URL` to time PostgreSQL too.

use std::time::Instant;

use kith_core::{Money, Person, PersonSource, Record};
use kith_store::InputError;
use kith_store::testing::{self, TestStore};

fn rows() -> usize {
    std::env::var("KITH_SPEED_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

/// A customer as a Shopify export describes one, generated on the fly.
fn customer(i: usize) -> Person {
    Person {
        id: format!("c-{i:08}"),
        source: Some(PersonSource::Customer),
        email: Some(format!("customer{i}@example.com")),
        first_name: Some("Maya".into()),
        last_name: Some(format!("Okafor{}", i % 997)),
        city: Some("Portland".into()),
        region: Some("OR".into()),
        country: Some("US".into()),
        postal_code: Some(format!("{:05}", i % 99_999)),
        orders_count: Some((i % 13) as u32),
        total_spent: Some(Money::from_minor((i % 50_000) as i64)),
        accepts_marketing: Some(i.is_multiple_of(2)),
        tags: vec!["newsletter".into()],
        ..Person::default()
    }
}

fn time_import(db: &TestStore, label: &str) {
    let n = rows();
    let mut stream = (0..n).map(|i| Ok::<_, InputError>(Record::Person(customer(i))));
    let started = Instant::now();
    let report = db.import(&mut stream).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(report.people, n as u64);
    eprintln!(
        "{label}: {n} people in {seconds:.2} s = {:.0} rows/s",
        n as f64 / seconds
    );
}

#[test]
#[ignore = "slow; run on demand with --release"]
fn speed_of_importing_people_into_sqlite() {
    time_import(&testing::sqlite(), "SQLite");
}

#[test]
#[ignore = "slow; run on demand with --release"]
fn speed_of_importing_people_into_postgresql() {
    if let Some(db) = testing::postgres() {
        time_import(&db, "PostgreSQL");
    }
}
