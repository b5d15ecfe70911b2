use crate::support::Kith;

#[test]
fn the_same_seed_gives_the_same_candidates_on_sqlite_and_postgres() {
    // Skips with a notice when no PostgreSQL is configured (fails under CI=true).
    let Some(pg) = kith_store::testing::postgres() else {
        return;
    };
    let on_sqlite = Kith::new();
    let on_postgres = Kith::with_database(pg.database_url().unwrap().to_owned());

    let a = std::fs::read_to_string(on_sqlite.demo(3_000).join("candidates.csv")).unwrap();
    let b = std::fs::read_to_string(on_postgres.demo(3_000).join("candidates.csv")).unwrap();
    assert!(a.lines().count() > 100);
    assert!(a == b, "candidates differ between SQLite and PostgreSQL");

    assert_eq!(on_sqlite.status(), on_postgres.status());
    let filtered = [
        "discover",
        "--tier",
        "micro",
        "--category",
        "food & drink",
        "--format",
        "json",
    ];
    assert_eq!(on_sqlite.ok(&filtered), on_postgres.ok(&filtered));
}
