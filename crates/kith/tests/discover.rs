use crate::support::Kith;

#[test]
fn discover_filters_by_tier_and_source() {
    let kith = Kith::new();
    kith.demo(2_000);
    let json = kith.ok(&[
        "discover",
        "--tier",
        "micro",
        "--source",
        "customers",
        "--format",
        "json",
    ]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(row["tier"], "micro");
        assert_eq!(row["source"], "customer");
    }
}

#[test]
fn discover_respects_limit_and_ranks_from_one() {
    let kith = Kith::new();
    kith.demo(1_500);
    let csv = kith.ok(&["discover", "--format", "csv", "--limit", "5"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 6);
    assert!(lines[1].starts_with("1,"));
    assert!(lines[5].starts_with("5,"));
}

#[test]
fn discover_by_category_only_returns_that_category() {
    let kith = Kith::new();
    kith.demo(1_500);
    let json = kith.ok(&["discover", "--category", "food & drink", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert!(!rows.is_empty());
    for row in &rows {
        let cats: Vec<&str> = row["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert!(cats.contains(&"food & drink"), "{cats:?}");
    }
}

#[test]
fn a_new_brand_config_rescores() {
    let kith = Kith::new();
    let dir = kith.demo(1_500);
    let before = kith.ok(&["discover", "--format", "csv", "--limit", "3"]);
    let brand = std::fs::read_to_string(dir.join("brand.toml")).unwrap();
    let reweighted = format!(
        "{brand}\n[weights]\nreach = 0\nengagement = 0\nauthenticity = 0\naffinity = 0\nbrand_love = 0\ncustomer_value = 1\n"
    );
    // Only valid if the demo brand has no [weights] table of its own.
    assert!(!brand.contains("[weights]"));
    std::fs::write(kith.path("brand.toml"), reweighted).unwrap();
    let after = kith.ok(&[
        "discover",
        "--brand",
        kith.path("brand.toml").to_str().unwrap(),
        "--format",
        "csv",
        "--limit",
        "3",
    ]);
    assert_ne!(before, after);
}
