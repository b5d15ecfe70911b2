use crate::support::{Kith, STATUS_KEYS};

const GOOD: &str = r#"{"id":"C1","email":"ana@example.com","first_name":"Ana","handles":{"instagram":"@ana.bakes"}}
{"id":"C2","email":"ben@example.com","total_spent":"120.50"}
"#;

#[test]
fn importing_a_file_whose_third_line_is_broken_exits_1_names_line_3_and_writes_nothing() {
    let kith = Kith::new();
    std::fs::write(kith.path("customers.ndjson"), GOOD).unwrap();
    kith.ok(&[
        "import",
        "customers",
        kith.path("customers.ndjson").to_str().unwrap(),
    ]);
    let before = kith.status();
    assert_eq!(before["customers"], 2);

    let broken = format!(
        "{GOOD}{}\n{}\n",
        r#"{"id":"C3","source":"vendor"}"#, r#"{"id":"C4","email":"dee@example.com"}"#
    );
    std::fs::write(kith.path("people.ndjson"), broken).unwrap();
    let out = kith.run(&[
        "import",
        "customers",
        kith.path("people.ndjson").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("people.ndjson:3: field \"source\""),
        "stderr names file, line and field: {stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert_eq!(
        kith.status(),
        before,
        "nothing of the broken file was written"
    );
}

#[test]
fn reimporting_the_same_file_updates_instead_of_duplicating() {
    let kith = Kith::new();
    std::fs::write(kith.path("customers.ndjson"), GOOD).unwrap();
    let file = kith.path("customers.ndjson");
    kith.ok(&["import", "customers", file.to_str().unwrap()]);
    kith.ok(&["import", "customers", file.to_str().unwrap()]);
    assert_eq!(kith.status()["customers"], 2);
}

#[test]
fn status_json_has_exactly_the_contract_keys() {
    let kith = Kith::new();
    assert_eq!(kith.status_keys(), STATUS_KEYS);
}

#[test]
fn an_unknown_kind_is_a_usage_error() {
    let kith = Kith::new();
    let out = kith.run(&["import", "suppliers", "x.ndjson"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_missing_file_is_a_user_error_naming_it() {
    let kith = Kith::new();
    let out = kith.run(&["import", "customers", "nowhere.ndjson"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere.ndjson"));
}
