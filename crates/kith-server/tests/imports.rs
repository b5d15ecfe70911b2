//! Uploads go through the same format registry as `kith import`: the format is chosen
//! or guessed, a bad row names file, line and field, and a failed file writes nothing.

use axum::http::StatusCode;
use kith_store::Role;

use crate::support::{App, Who};

/// The header of Shopify's current customer export, as Shopify writes it.
const SHOPIFY_HEADER: &str = "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,\
Default Address Company,Default Address Address1,Default Address Address2,Default Address City,\
Default Address Province Code,Default Address Country Code,Default Address Zip,\
Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags";

fn shopify_row(id: u32, first: &str, spent: &str) -> String {
    format!(
        "'{id},{first},Lopez,{}@example.com,yes,,1 Main St,,Portland,OR,US,'97201,,,no,{spent},3,,no,\"vip, coffee\"",
        first.to_lowercase()
    )
}

fn shopify_file(spent: [&str; 3]) -> String {
    let rows: Vec<String> = ["Maya", "Ines", "Tom"]
        .iter()
        .zip(spent)
        .enumerate()
        .map(|(i, (name, s))| shopify_row(7001 + i as u32, name, s))
        .collect();
    format!("{SHOPIFY_HEADER}\r\n{}\r\n", rows.join("\r\n"))
}

/// Uploads through the dashboard's form and waits for the outcome.
async fn import(app: &App, who: &Who, parts: &[(&str, Option<&str>, &str)]) -> serde_json::Value {
    let reply = app.upload(who, "/import", parts).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let id: u64 = reply
        .location()
        .and_then(|l| l.strip_prefix("/imports/"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{:?}", reply.location()));
    app.finished_import(who, id).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shopify_customer_export_is_recognised_and_imported() {
    let app = App::sqlite();
    let who = app.session(Role::Manager);
    let file = shopify_file(["120.50", "\"1,034.00\"", "0.00"]);
    let job = import(
        &app,
        &who,
        &[
            ("kind", None, "customers"),
            ("format", None, ""),
            ("file", Some("customers_export.csv"), &file),
        ],
    )
    .await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["format"], "shopify");
    assert_eq!(job["guessed"], true);
    assert_eq!(job["imported"], 3);
    assert_eq!(app.store().status().unwrap().customers, 3);
    let person = app.get(&who, "/api/v1/people/7002").await.json();
    assert_eq!(person["person"]["total_spent"], "1034.00", "{person}");
    assert_eq!(
        person["person"]["tags"],
        serde_json::json!(["vip", "coffee"])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_shopify_export_names_its_line_and_field_and_writes_nothing() {
    let app = App::sqlite();
    let who = app.session(Role::Manager);
    let file = shopify_file(["120.50", "12.00", "lots"]);
    let job = import(
        &app,
        &who,
        &[
            ("kind", None, "customers"),
            ("format", None, "shopify"),
            ("file", Some("customers_export.csv"), &file),
        ],
    )
    .await;
    assert_eq!(job["state"], "failed", "{job}");
    let error = job["errors"][0].as_str().unwrap();
    assert!(
        error.contains("customers_export.csv:4"),
        "file and line: {error}"
    );
    assert!(error.contains("Total Spent"), "the field: {error}");
    assert!(error.contains("nothing was imported"), "{error}");
    assert_eq!(app.store().status().unwrap().customers, 0, "all or nothing");
    let page = app.get(&who, &format!("/imports/{}", job["id"])).await;
    assert!(
        page.body.contains("customers_export.csv:4"),
        "shown on the page"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_instagram_graph_response_imports_a_profile_and_its_posts() {
    let app = App::sqlite();
    let who = app.session(Role::Manager);
    let response = r#"{"business_discovery": {"username": "maple.crumbs.example", "name": "Maple Crumbs",
        "biography": "Home baker. Coffee first.", "followers_count": 4200, "follows_count": 610,
        "media_count": 318, "id": "17841400000000001",
        "media": {"data": [
          {"id": "1790000000000000", "caption": "Morning pour-over #fernwoodcoffee", "like_count": 120,
           "comments_count": 10, "timestamp": "2024-05-28T22:00:00+0000", "media_type": "IMAGE"},
          {"id": "1790000000000001", "caption": "Sourdough day", "like_count": 80,
           "comments_count": 4, "timestamp": "2024-05-22T21:59:00+0000", "media_type": "CAROUSEL_ALBUM"}
        ]}}, "id": "17841400000000999"}"#;
    let job = import(
        &app,
        &who,
        &[
            ("kind", None, "profiles"),
            ("file", Some("maple.json"), response),
        ],
    )
    .await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["format"], "instagram-graph");
    let status = app.store().status().unwrap();
    assert_eq!((status.profiles, status.posts), (1, 2));
}

#[tokio::test(flavor = "multi_thread")]
async fn any_csv_imports_with_a_mapping_file() {
    let app = App::sqlite();
    let who = app.session(Role::Manager);
    let mapping =
        "kind = \"customers\"\n[fields]\nid = \"Ref\"\nemail = \"Mail\"\nfirst_name = \"Given\"\n";
    let file = "Ref,Mail,Given\nk-1,ana@example.com,Ana\nk-2,ben@example.com,Ben\n";
    let job = import(
        &app,
        &who,
        &[
            ("kind", None, "customers"),
            ("format", None, "csv"),
            ("mapping", Some("crm.toml"), mapping),
            ("file", Some("crm.csv"), file),
        ],
    )
    .await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(app.store().status().unwrap().customers, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_no_format_recognises_asks_for_its_format_in_the_dashboards_words() {
    let app = App::sqlite();
    let who = app.session(Role::Manager);
    let job = import(
        &app,
        &who,
        &[
            ("kind", None, "customers"),
            ("file", Some("mystery.csv"), "a,b\n1,2\n"),
        ],
    )
    .await;
    assert_eq!(job["state"], "failed", "{job}");
    let error = job["errors"][0].as_str().unwrap();
    assert!(
        error.contains("mystery.csv") && error.contains("choose it in Format"),
        "{error}"
    );
    assert!(
        !error.contains("--format"),
        "no CLI flags in the dashboard: {error}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_format_that_cannot_hold_the_kind_is_refused_before_anything_runs() {
    let app = App::sqlite();
    let who = app.session(Role::Manager);
    for (format, mapping, why) in [
        ("shopify", None, "holds customers, not employees"),
        ("nonsense", None, "unknown format"),
        ("csv", None, "needs a mapping file"),
        (
            "bamboohr",
            Some("kind = \"employees\"\n[fields]\nid = \"A\"\n"),
            "applies to the csv format",
        ),
    ] {
        let mut parts = vec![("kind", None, "employees"), ("format", None, format)];
        if let Some(m) = mapping {
            parts.push(("mapping", Some("m.toml"), m));
        }
        parts.push(("file", Some("staff.csv"), "A\n1\n"));
        let reply = app.upload(&who, "/api/v1/imports", &parts).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{format}: {}",
            reply.body
        );
        assert!(
            reply.json()["message"].as_str().unwrap().contains(why),
            "{}",
            reply.body
        );
    }
    assert!(
        app.get(&who, "/api/v1/imports")
            .await
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_uploaded_file_name_cannot_leave_the_upload_folder() {
    let app = App::sqlite();
    let who = app.session(Role::Manager);
    let file = shopify_file(["1.00", "2.00", "3.00"]);
    for sent in ["../../customers.csv", "..", "a\\..\\customers.csv"] {
        let job = import(
            &app,
            &who,
            &[
                ("kind", None, "customers"),
                ("format", None, "shopify"),
                ("file", Some(sent), &file),
            ],
        )
        .await;
        assert_eq!(job["state"], "done", "{sent}: {job}");
        let name = job["file"].as_str().unwrap();
        assert!(
            !name.contains('/') && !name.contains('\\') && name != "..",
            "{sent} → {name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_import_page_offers_every_format_of_the_cli() {
    let app = App::sqlite();
    let who = app.session(Role::Manager);
    let page = app.get(&who, "/import").await;
    for f in kith_io::formats::FORMATS {
        assert!(
            page.body
                .contains(&format!("<option value=\"{}\">", f.name)),
            "{}",
            f.name
        );
    }
    assert!(page.body.contains("Guess from the file"));
}
