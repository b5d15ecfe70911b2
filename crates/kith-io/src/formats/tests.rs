//! Tests across formats: what a user's real exports look like, and what bad input does.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kith_core::{Person, Record};

use super::*;

/// Reads `text` as `file` of `kind`, in the named format or the guessed one.
pub(crate) fn read(
    file: &str,
    kind: RecordKind,
    format: Option<&str>,
    text: &[u8],
) -> (Vec<Result<Record, RowError>>, Vec<String>) {
    let opened = open_input(Input::from_bytes(text.to_vec(), file, kind), format, None)
        .unwrap_or_else(|e| panic!("{file} opens: {e}"));
    let results = opened.records.collect();
    (results, opened.notices.take())
}

fn people(results: &[Result<Record, RowError>]) -> Vec<&Person> {
    results
        .iter()
        .map(|r| match r {
            Ok(Record::Person(p)) => p,
            other => panic!("expected a person, got {other:?}"),
        })
        .collect()
}

const SHOPIFY_HEADER: &str = "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags";

#[test]
fn a_current_shopify_export_with_every_quirk_is_read() {
    let text = format!(
        "\u{feff}{SHOPIFY_HEADER}\r\n\
         '7210448301122,Ana,Díaz,Ana@Example.com,yes,\"Díaz, Inc.\",1 Main St,,Portland,OR,US,'02101,'+15555550100,,no,\"1,234.50\",3,\"likes\nespresso\",no,\"vip, wholesale\"\r\n\
         '7210448301123,Bo,Kim,,no,,,,Austin,TX,US,,,'+15555550101,yes,0.00,0,,no,\r\n"
    );
    let (results, notices) = read(
        "customers.csv",
        RecordKind::Customers,
        None,
        text.as_bytes(),
    );
    assert!(notices.is_empty(), "{notices:?}");
    let people = people(&results);
    assert_eq!(people.len(), 2);
    let ana = people[0];
    assert_eq!(ana.id, "7210448301122");
    assert_eq!(ana.email.as_deref(), Some("ana@example.com"));
    assert_eq!(ana.postal_code.as_deref(), Some("02101"));
    assert_eq!(ana.total_spent.map(|m| m.minor()), Some(123_450));
    assert_eq!(ana.accepts_marketing, Some(true));
    assert_eq!(ana.tags, ["vip", "wholesale"]);
    assert_eq!(ana.region.as_deref(), Some("OR"));
    let bo = people[1];
    assert_eq!(
        bo.id, "7210448301123",
        "a customer without email is keyed by id"
    );
    assert_eq!(bo.email, None);
}

#[test]
fn an_old_shopify_export_without_ids_is_keyed_by_email() {
    let text = "First Name,Last Name,Email,Company,Address1,Address2,City,Province,Province Code,Country,Country Code,Zip,Phone,Accepts Marketing,Total Spent,Total Orders,Tags,Note,Tax Exempt\n\
                Cy,Ng,CY@example.com,,,,Leeds,,,United Kingdom,GB,'LS1 1AA,,no,12.5,1,,,no\n";
    let (results, _) = read("old.csv", RecordKind::Customers, None, text.as_bytes());
    let people = people(&results);
    assert_eq!(people[0].id, "cy@example.com");
    assert_eq!(people[0].country.as_deref(), Some("GB"));
    assert_eq!(people[0].accepts_marketing, Some(false));
    assert_eq!(people[0].total_spent.map(|m| m.minor()), Some(1250));
}

#[test]
fn a_customer_with_neither_id_nor_email_is_an_error_naming_the_column() {
    let text = format!("{SHOPIFY_HEADER}\n,Di,Lo,,no,,,,,,,,,,no,1.00,1,,no,\n");
    let (results, _) = read(
        "customers.csv",
        RecordKind::Customers,
        None,
        text.as_bytes(),
    );
    let err = results[0].as_ref().unwrap_err();
    assert_eq!(
        err.to_string(),
        "customers.csv:2: field \"Customer ID\": is empty, and the row has no email to key it by"
    );
    assert!(err.recoverable);
}

#[test]
fn a_bad_amount_names_file_line_field_and_value() {
    let text = format!(
        "{SHOPIFY_HEADER}\n1,A,B,a@example.com,no,,,,,,,,,,no,1.00,1,,no,\n2,C,D,c@example.com,no,,,,,,,,,,no,abc,1,,no,\n"
    );
    let (results, _) = read(
        "customers.csv",
        RecordKind::Customers,
        None,
        text.as_bytes(),
    );
    let err = results[1].as_ref().unwrap_err();
    assert_eq!(
        err.to_string(),
        "customers.csv:3: field \"Total Spent\": \"abc\" is not an amount"
    );
    assert_eq!(err.row[0], "2", "the rejected row comes back as it was");
}

#[test]
fn line_numbers_count_newlines_inside_quoted_cells() {
    let text = format!(
        "{SHOPIFY_HEADER}\n1,A,B,a@example.com,no,,,,,,,,,,no,1.00,1,\"two\nline note\",no,\n2,C,D,c@example.com,no,\"three\nline\ncompany\",,,,,,,,,no,x,1,,no,\n"
    );
    let (results, _) = read(
        "customers.csv",
        RecordKind::Customers,
        None,
        text.as_bytes(),
    );
    let err = results[1].as_ref().unwrap_err();
    assert_eq!(
        err.error.position.line(),
        Some(6),
        "the bad cell sits on the company's last line: {err}"
    );
}

#[test]
fn line_numbers_are_physical_in_crlf_files_with_blank_lines() {
    // The csv crate alone would say line 3 here: it is one short after a CRLF row.
    let text = format!(
        "{SHOPIFY_HEADER}\r\n1,A,B,a@example.com,no,,,,,,,,,,no,1.00,1,\"x\r\ny\",no,\r\n\r\n2,C,D,c@example.com,no,,,,,,,,,,no,abc,1,,no,\r\n"
    );
    let (results, _) = read(
        "customers.csv",
        RecordKind::Customers,
        None,
        text.as_bytes(),
    );
    assert_eq!(
        results[1].as_ref().unwrap_err().error.position.line(),
        Some(5)
    );
}

#[test]
fn a_latin1_file_is_read_as_windows_1252_with_a_notice() {
    let mut text = format!("{SHOPIFY_HEADER}\n").into_bytes();
    text.extend_from_slice(
        b"1,Ren\xe9,M\xfcller,r@example.com,no,,,,K\xf6ln,,DE,,,,no,5.00,1,,no,\n",
    );
    let (results, notices) = read("customers.csv", RecordKind::Customers, None, &text);
    let people = people(&results);
    assert_eq!(people[0].first_name.as_deref(), Some("René"));
    assert_eq!(people[0].city.as_deref(), Some("Köln"));
    assert_eq!(notices.len(), 1);
    assert!(
        notices[0].contains("line 2") && notices[0].contains("Windows-1252"),
        "{notices:?}"
    );
}

#[test]
fn a_row_with_the_wrong_number_of_fields_is_a_skippable_error() {
    let text = format!("{SHOPIFY_HEADER}\n1,A,B,a@example.com\n");
    let (results, _) = read(
        "customers.csv",
        RecordKind::Customers,
        None,
        text.as_bytes(),
    );
    let err = results[0].as_ref().unwrap_err();
    assert!(err.recoverable);
    assert!(
        err.to_string()
            .contains("the row has 4 fields but the header has 20"),
        "{err}"
    );
}

#[test]
fn an_unclosed_quote_stops_at_the_row_cap_instead_of_reading_everything() {
    let mut text = format!("{SHOPIFY_HEADER}\n1,\"A").into_bytes();
    text.resize(text.len() + 3 * MAX_RECORD_BYTES as usize, b'x');
    let (results, _) = read("customers.csv", RecordKind::Customers, None, &text);
    assert_eq!(results.len(), 1);
    let err = results[0].as_ref().unwrap_err();
    assert!(!err.recoverable);
    assert!(err.to_string().contains("longer than"), "{err}");
}

#[test]
fn each_export_is_recognised_by_its_header() {
    let cases: [(&str, RecordKind, &str, &str); 8] = [
        ("c.csv", RecordKind::Customers, SHOPIFY_HEADER, "shopify"),
        (
            "k.csv",
            RecordKind::Customers,
            "Email,First Name,Last Name,Phone Number,City,State / Region,Country,Zip Code,Email Marketing Consent,Klaviyo ID",
            "klaviyo",
        ),
        (
            "e.csv",
            RecordKind::Employees,
            "Employee #,First Name,Last Name,Work Email,Job Title,Department,Location,Status",
            "bamboohr",
        ),
        (
            "j.csv",
            RecordKind::Reviews,
            "title,body,rating,review_date,source,curated,reviewer_name,reviewer_email,product_id,product_handle,reply,reply_date,picture_urls,ip_address,location",
            "judgeme",
        ),
        (
            "y.csv",
            RecordKind::Reviews,
            "Review ID,Review Title,Review Content,Review Score,Date,Product ID,Product Name,Display Name,Email",
            "yotpo",
        ),
        (
            "o.csv",
            RecordKind::Orders,
            "Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,Id",
            "shopify-orders",
        ),
        (
            "o.json",
            RecordKind::Orders,
            "{\n  \"orders\": []\n}",
            "shopify-orders",
        ),
        (
            "c.ndjson",
            RecordKind::Customers,
            "{\"id\":\"c1\"}",
            "ndjson",
        ),
    ];
    for (file, kind, head, expected) in cases {
        let input = Input::from_bytes(format!("{head}\n").into_bytes(), file, kind);
        let chosen =
            choose(None, kind, &input.sniff(), false).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(chosen.name, expected, "{file}");
    }
}

#[test]
fn an_unknown_csv_asks_for_a_format() {
    let input = Input::from_bytes(b"a,b\n1,2\n".to_vec(), "x.csv", RecordKind::Customers);
    let err = choose(None, RecordKind::Customers, &input.sniff(), false).unwrap_err();
    assert!(err.to_string().contains("pass --format"), "{err}");
}

#[test]
fn order_exports_keep_one_order_per_name_and_key_it_by_id() {
    let text = "Name,Email,Financial Status,Currency,Subtotal,Total,Discount Code,Discount Amount,Created at,Lineitem name,Id\n\
                #1001,a@example.com,paid,USD,90.00,99.50,SUMMER10,10.00,2026-05-01 10:00:00 +0200,Beans,5550001\n\
                #1001,a@example.com,,,,,,,,Mug,\n\
                #1002,b@example.com,refunded,USD,20.00,22.00,,0.00,2026-05-02 09:00:00 -0500,Beans,5550002\n";
    let (results, _) = read("orders.csv", RecordKind::Orders, None, text.as_bytes());
    let orders: Vec<_> = results
        .into_iter()
        .map(|r| match r.unwrap() {
            Record::Order(o) => o,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(orders.len(), 2);
    assert_eq!(orders[0].id, "5550001");
    assert_eq!(orders[0].subtotal_price.minor(), 9000);
    assert_eq!(orders[0].discount_codes, ["SUMMER10"]);
    assert_eq!(orders[1].financial_status.as_deref(), Some("refunded"));
}

#[test]
fn admin_api_orders_json_is_streamed_with_lines_and_bad_orders_set_aside() {
    let text = r##"{
  "orders": [
    {"id": 450789469, "name": "#1001", "email": "bob@example.com", "created_at": "2008-01-10T11:00:00-05:00",
     "currency": "USD", "subtotal_price": "597.00", "total_price": "598.94", "total_discounts": "10.00",
     "discount_codes": [{"code": "TENOFF", "amount": "10.00", "type": "fixed_amount"}],
     "financial_status": "partially_refunded", "landing_site": "/?utm_content=ana10",
     "customer": {"id": 207119551, "email": "bob@example.com"}},
    {"id": 450789470, "subtotal_price": "abc"}
  ]
}"##;
    let (results, _) = read("orders.json", RecordKind::Orders, None, text.as_bytes());
    assert_eq!(results.len(), 2);
    match &results[0] {
        Ok(Record::Order(o)) => {
            assert_eq!(o.id, "450789469");
            assert_eq!(o.person_id.as_deref(), Some("207119551"));
            assert_eq!(o.subtotal_price.minor(), 59_700);
            assert_eq!(o.discount_codes, ["TENOFF"]);
        }
        other => panic!("{other:?}"),
    }
    let err = results[1].as_ref().unwrap_err();
    assert!(err.recoverable);
    assert_eq!(err.error.position.line(), Some(8));
    assert_eq!(err.error.field.as_deref(), Some("subtotal_price"));
}

#[test]
fn judgeme_reviews_get_stable_ids_and_spam_is_left_out() {
    let text = "title,body,rating,review_date,source,curated,reviewer_name,reviewer_email,product_id,product_handle,reply,reply_date,picture_urls,ip_address,location\n\
                Great,\"Soaks in fast, no stickiness\",5,2025-03-02 10:12:00 UTC,web,ok,Sam,sam@example.com,123,glow,,,,1.1.1.1,US\n\
                Spam,Buy now,5,2025-01-10,web,spam,X,x@example.com,123,glow,,,,,\n";
    let (first, notices) = read("reviews.csv", RecordKind::Reviews, None, text.as_bytes());
    let (again, _) = read("reviews.csv", RecordKind::Reviews, None, text.as_bytes());
    assert_eq!(first.len(), 1);
    assert_eq!(first, again, "the same export gives the same ids");
    match &first[0] {
        Ok(Record::Review(r)) => {
            assert!(r.id.starts_with("judgeme:"));
            assert_eq!(r.rating, 5);
            assert_eq!(r.product.as_deref(), Some("glow"));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        notices[0].contains("1 reviews Judge.me curated as spam"),
        "{notices:?}"
    );
}

#[test]
fn a_rating_out_of_range_names_the_score_column() {
    let text = "Review ID,Review Title,Review Content,Review Score,Date,Product ID,Product Name,Display Name,Email\n\
                r1,Great,Nice,7,2026-08-01,123,Glow,Sam,sam@example.com\n";
    let (results, _) = read("yotpo.csv", RecordKind::Reviews, None, text.as_bytes());
    let err = results[0].as_ref().unwrap_err();
    assert_eq!(
        err.to_string(),
        "yotpo.csv:2: field \"Review Score\": 7 is not between 1 and 5"
    );
}

#[test]
fn bamboohr_reads_employees_and_leaves_out_inactive_ones() {
    let text = "Employee #,First Name,Preferred Name,Last Name,Work Email,Job Title,Department,Location,Status,Instagram\n\
                101,Alexandra,Alex,Ruiz,alex@company.example,Barista,Retail,Denver,Active,@alex.pours\n\
                102,Jo,,Park,jo@company.example,Roaster,Production,Denver,Inactive,\n";
    let (results, notices) = read(
        "employees.csv",
        RecordKind::Employees,
        None,
        text.as_bytes(),
    );
    let people = people(&results);
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].first_name.as_deref(), Some("Alex"));
    assert_eq!(people[0].title.as_deref(), Some("Barista"));
    assert_eq!(
        people[0].handles.instagram.as_ref().unwrap().as_str(),
        "alex.pours"
    );
    assert!(notices[0].contains("1 inactive"), "{notices:?}");
}

#[test]
fn klaviyo_profiles_are_keyed_by_email_and_read_consent() {
    let text = "Email,First Name,Last Name,Phone Number,City,State / Region,Country,Zip Code,Email Marketing Consent,Klaviyo ID,Instagram Handle\n\
                Ana@Example.com,Ana,Díaz,+15555550100,Portland,OR,US,97201,SUBSCRIBED,01GDDKASAP8TKDDA2GRZDSVP4H,https://instagram.com/ana.bakes\n";
    let (results, _) = read("klaviyo.csv", RecordKind::Customers, None, text.as_bytes());
    let people = people(&results);
    assert_eq!(people[0].id, "ana@example.com");
    assert_eq!(people[0].accepts_marketing, Some(true));
    assert_eq!(
        people[0].handles.instagram.as_ref().unwrap().as_str(),
        "ana.bakes"
    );
}
