use std::collections::BTreeSet;

use crate::support::{CONTRACT_HEADER, Kith, read_csv};

#[test]
fn score_needs_no_store_and_emits_the_contract_columns() {
    let kith = Kith::new();
    let dir = kith.demo(1_000);
    let out = kith.path("scored.csv");
    let mut people = std::fs::read_to_string(dir.join("customers.ndjson")).unwrap();
    people.push_str(&std::fs::read_to_string(dir.join("employees.ndjson")).unwrap());
    std::fs::write(kith.path("people.ndjson"), people).unwrap();
    let fresh = Kith::new();
    fresh.ok(&[
        "score",
        "--brand",
        dir.join("brand.toml").to_str().unwrap(),
        "--profiles",
        dir.join("profiles.ndjson").to_str().unwrap(),
        "--posts",
        dir.join("posts.ndjson").to_str().unwrap(),
        "--people",
        kith.path("people.ndjson").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        !fresh.path("data").exists(),
        "score must not create a store"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().next().unwrap(), CONTRACT_HEADER);
    // The same rows (person, platform, handle) as the store's candidates.
    let key = |r: &Vec<String>| (r[1].clone(), r[4].clone(), r[5].clone());
    let (_, scored) = read_csv(&out);
    let (_, stored) = read_csv(&dir.join("candidates.csv"));
    let a: BTreeSet<_> = scored.iter().map(key).collect();
    let b: BTreeSet<_> = stored.iter().map(key).collect();
    assert_eq!(a, b);
}

#[test]
fn score_writes_json_when_the_output_ends_in_json() {
    let kith = Kith::new();
    let dir = kith.demo(800);
    let out = kith.path("scored.json");
    kith.ok(&[
        "score",
        "--brand",
        dir.join("brand.toml").to_str().unwrap(),
        "--profiles",
        dir.join("profiles.ndjson").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r["person_id"].is_null()),
        "no people given, so none matched"
    );
}
