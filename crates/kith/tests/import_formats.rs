//! `kith import` with the shop, HR and review apps' own exports: what a marketing-ops
//! engineer types, what ends up in the store, and what bad rows do.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::support::{Kith, read_csv};

const SHOPIFY_HEADER: &str = "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags";

/// A Shopify customer export of `n` customers with the export's quirks: a byte-order
/// mark, CRLF, `'`-prefixed ids and zips, quoted commas, a multi-line note, customers
/// without an email. `bad` puts `abc` in one customer's Total Spent (1-based).
fn shopify_export(n: usize, bad: Option<usize>) -> String {
    let mut text = format!("\u{feff}{SHOPIFY_HEADER}\r\n");
    for i in 1..=n {
        let email = if i % 10 == 0 {
            String::new()
        } else {
            format!("customer{i}@example.com")
        };
        let spent = if Some(i) == bad {
            "abc".to_owned()
        } else {
            format!("\"{},{:03}.{:02}\"", i % 7, i % 1000, i % 100)
        };
        let note = if i % 50 == 0 {
            "\"gift note:\nleave at door\""
        } else {
            ""
        };
        write!(
            text,
            "'{id},First{i},Last{i},{email},{yes},\"Company {i}, LLC\",{i} Main St,,Portland,OR,US,'0{zip},'+1555{i:07},,no,{spent},{orders},{note},no,\"vip, tier-{t}\"\r\n",
            id = 7_000_000_000_000u64 + i as u64,
            yes = if i % 2 == 0 { "yes" } else { "no" },
            zip = 2100 + i % 100,
            orders = i % 9,
            t = i % 3,
        )
        .unwrap();
    }
    text
}

fn write(kith: &Kith, name: &str, text: &str) -> PathBuf {
    let path = kith.path(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn data_file(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/influencer-rankings")
        .join(name);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipping: {} is not here", path.display());
        None
    }
}

#[test]
fn a_shopify_export_of_1000_customers_imports_exactly_1000() {
    let kith = Kith::new();
    let file = write(&kith, "customers.csv", &shopify_export(1000, None));
    let out = kith.ok(&["import", "customers", file.to_str().unwrap()]);
    assert!(out.contains("imported 1000 customers"), "{out}");
    assert_eq!(kith.status()["customers"], 1000);
}

#[test]
fn the_same_export_with_one_bad_amount_imports_nothing_and_names_row_field_and_value() {
    let kith = Kith::new();
    // Customer 500 is on line 501 (line 1 is the header), plus the lines that the
    // multi-line notes of customers 50, 100, … 450 add before it.
    let file = write(&kith, "customers.csv", &shopify_export(1000, Some(500)));
    let out = kith.run(&["import", "customers", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("customers.csv:510: field \"Total Spent\": \"abc\" is not an amount"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert_eq!(kith.status()["customers"], 0, "nothing was imported");
}

#[test]
fn skip_bad_rows_imports_the_good_rows_and_writes_the_rejects_with_reasons() {
    let kith = Kith::new();
    let file = write(&kith, "customers.csv", &shopify_export(1000, Some(500)));
    let out = kith.ok(&[
        "import",
        "customers",
        file.to_str().unwrap(),
        "--skip-bad-rows",
    ]);
    assert!(out.contains("imported 999 customers"), "{out}");
    let rejects = kith.path("customers.csv.rejects.csv");
    assert!(
        out.contains("skipped 1 bad row") && out.contains(rejects.to_str().unwrap()),
        "{out}"
    );
    assert_eq!(kith.status()["customers"], 999);
    let (header, rows) = read_csv(&rejects);
    assert_eq!(
        header.len(),
        22,
        "the export's 20 columns, then line and reason"
    );
    assert_eq!(&header[20..], ["line", "reason"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "'7000000000500", "the row as it was");
    assert_eq!(rows[0][20], "510");
    assert_eq!(
        rows[0][21],
        "field \"Total Spent\": \"abc\" is not an amount"
    );
}

#[test]
fn a_real_ranking_table_imports_through_a_mapping_and_sets_aside_what_is_not_a_handle() {
    let Some(table) = data_file("youtube_dec2022.csv") else {
        return;
    };
    let kith = Kith::new();
    let file = kith.path("youtube.csv");
    std::fs::copy(&table, &file).unwrap();
    let mapping = write(
        &kith,
        "youtube.toml",
        "kind = \"profiles\"\n[fields]\nplatform = { value = \"youtube\" }\nhandle = \"Youtube channel\"\nfollowers = { column = \"Followers\", nth = 1 }\n",
    );
    let (f, m) = (file.to_str().unwrap(), mapping.to_str().unwrap());
    let strict = kith.run(&["import", "profiles", f, "--mapping", m]);
    assert_eq!(
        strict.status.code(),
        Some(1),
        "channel names with spaces are not handles"
    );
    assert_eq!(kith.status()["profiles"], 0);

    let out = kith.ok(&["import", "profiles", f, "--mapping", m, "--skip-bad-rows"]);
    let (_, rejects) = read_csv(&kith.path("youtube.csv.rejects.csv"));
    let imported: u64 = out
        .strip_prefix("imported ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(
        imported + rejects.len() as u64,
        1003,
        "every row is imported or set aside"
    );
    assert!(imported > 600, "{imported}");
    // A channel listed twice in the ranking is one profile.
    assert!(kith.status()["profiles"].as_u64().unwrap() <= imported);
    assert!(
        rejects
            .iter()
            .all(|r| r.last().unwrap().contains("whitespace"))
    );
}

#[test]
fn each_export_is_imported_without_naming_its_format() {
    let kith = Kith::new();
    let reviews = write(
        &kith,
        "reviews.csv",
        "title,body,rating,review_date,source,curated,reviewer_name,reviewer_email,product_id,product_handle,reply,reply_date,picture_urls,ip_address,location\n\
         Great,\"Soaks in, fast\",5,2025-03-02 10:12:00 UTC,web,ok,Sam,sam@example.com,123,glow,,,,,\n",
    );
    let orders = write(
        &kith,
        "orders.json",
        "{\n  \"orders\": [\n    {\"id\": 450789469, \"email\": \"sam@example.com\", \"subtotal_price\": \"597.00\", \"currency\": \"USD\", \"financial_status\": \"paid\", \"created_at\": \"2026-01-10T11:00:00-05:00\"}\n  ]\n}\n",
    );
    let employees = write(
        &kith,
        "employees.csv",
        "Employee #,First Name,Last Name,Work Email,Job Title,Department,Status\n101,Alex,Ruiz,alex@company.example,Barista,Retail,Active\n",
    );
    kith.ok(&["import", "reviews", reviews.to_str().unwrap()]);
    kith.ok(&["import", "orders", orders.to_str().unwrap()]);
    kith.ok(&["import", "employees", employees.to_str().unwrap()]);
    let status = kith.status();
    assert_eq!(
        (status["reviews"].as_u64(), status["orders"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(status["employees"], 1);
}

#[test]
fn a_format_that_does_not_hold_the_kind_is_a_one_line_user_error() {
    let kith = Kith::new();
    let file = write(&kith, "customers.csv", &shopify_export(3, None));
    let out = kith.run(&[
        "import",
        "orders",
        file.to_str().unwrap(),
        "--format",
        "shopify",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the shopify format holds customers, not orders"),
        "{stderr}"
    );
}

#[test]
fn generic_csv_without_a_mapping_says_what_is_missing() {
    let kith = Kith::new();
    let file = write(&kith, "people.csv", "a,b\n1,2\n");
    let out = kith.run(&[
        "import",
        "customers",
        file.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs --mapping"));
}

/// Two Instagram Graph API Business Discovery responses, as `kith fetch` writes them (each
/// with the fetch time beside the response), import as two profiles and all their media,
/// and discover shows the contract's engagement rate.
#[test]
fn two_business_discovery_responses_import_as_two_profiles_with_their_media() {
    let kith = Kith::new();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../kith-io/tests/fixtures/social/instagram-two.ndjson");
    let text = std::fs::read_to_string(fixture).unwrap();
    let with_fetch_time: String = text
        .lines()
        .map(|line| {
            let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
            v["kith"] = serde_json::json!({ "fetched_at": "2024-06-01T00:00:00Z" });
            format!("{v}\n")
        })
        .collect();
    let file = kith.path("business-discovery.json");
    std::fs::write(&file, with_fetch_time).unwrap();

    let out = kith.ok(&["import", "profiles", file.to_str().unwrap()]);
    assert!(out.contains("imported"), "{out}");
    let status = kith.status();
    assert_eq!(status["profiles"], 2);
    let posts = status["posts"].as_u64().unwrap();
    assert!(posts >= 2, "all media imported: {posts}");

    let json = kith.ok(&["discover", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert!(
            row["engagement_rate"].as_f64().is_some_and(|er| er > 0.0),
            "{row}"
        );
        assert!(row["person_id"].is_null());
    }
}
