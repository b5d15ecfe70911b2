//! Programs from the command line — `program create/enroll`, `links list`, `report roi`,
//! payouts as a PayPal file — and the redirect's promise under a crash: every click that
//! got its 302 is stored, even when the server is killed with SIGKILL under load.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::Kith;

const BRAND: &str = r#"
name = "Ridgeline Coffee Co."
currency = "USD"
website = "https://ridgeline.example"
allowed_redirect_domains = ["ridgeline.example"]
"#;

/// A kith with the brand, three customers (Maya, Leo, Ana) and two orders with codes.
fn shop() -> Kith {
    let kith = Kith::new();
    std::fs::write(kith.path("brand.toml"), BRAND).unwrap();
    let people = [("c-1", "Maya"), ("c-2", "Leo"), ("c-3", "Ana")]
        .iter()
        .map(|(id, name)| {
            format!(
                r#"{{"id":"{id}","source":"customer","email":"{}@example.com","first_name":"{name}"}}"#,
                name.to_lowercase()
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(kith.path("customers.ndjson"), people).unwrap();
    let orders = [
        r#"{"id":"o-1","email":"x@example.net","created_at":"2026-01-05T10:00:00Z","subtotal_price":"120.00","discount_codes":["maya10"]}"#,
        r#"{"id":"o-2","email":"y@example.net","created_at":"2026-01-06T10:00:00Z","subtotal_price":"19.99","discount_codes":["MAYA10"]}"#,
        r#"{"id":"o-3","email":"z@example.net","created_at":"2026-01-06T10:00:00Z","subtotal_price":"55.00","discount_codes":[]}"#,
    ]
    .join("\n");
    std::fs::write(kith.path("orders.ndjson"), orders).unwrap();
    let path = |n: &str| kith.path(n).to_str().unwrap().to_owned();
    kith.ok(&["import", "customers", &path("customers.ndjson")]);
    kith.ok(&["import", "orders", &path("orders.ndjson")]);
    kith.ok(&["discover", "--brand", &path("brand.toml"), "--limit", "1"]);
    kith
}

#[test]
fn programs_enrolment_links_and_roi_follow_the_contract() {
    let kith = shop();
    kith.ok(&[
        "program",
        "create",
        "Affiliates",
        "--kind",
        "affiliate",
        "--commission",
        "10%",
        "--hold-days",
        "0",
    ]);
    kith.ok(&[
        "program",
        "create",
        "Ambassadors",
        "--kind",
        "ambassador",
        "--fee",
        "50",
    ]);
    let enrolled = kith.ok(&["program", "enroll", "affiliates", "c-1", "c-2"]);
    assert!(
        enrolled.contains("MAYA10") && enrolled.contains("LEO10"),
        "{enrolled}"
    );
    kith.ok(&[
        "program",
        "enroll",
        "Ambassadors",
        "c-3",
        "--seeding",
        "45.00",
    ]);

    let csv = kith.ok(&["links", "list", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("code,url,person_id,program"));
    assert_eq!(
        lines.collect::<Vec<_>>(),
        [
            "LEO10,http://127.0.0.1:8080/r/LEO10,c-2,Affiliates",
            "MAYA10,http://127.0.0.1:8080/r/MAYA10,c-1,Affiliates",
            "ANA10,http://127.0.0.1:8080/r/ANA10,c-3,Ambassadors",
        ]
    );
    let json: serde_json::Value = serde_json::from_str(&kith.ok(&[
        "links",
        "list",
        "--program",
        "ambassadors",
        "--format",
        "json",
        "--base-url",
        "https://go.ridgeline.example/",
    ]))
    .unwrap();
    assert_eq!(
        json,
        serde_json::json!([{"code": "ANA10", "url": "https://go.ridgeline.example/r/ANA10",
                            "person_id": "c-3", "program": "Ambassadors"}])
    );

    // Imported orders go through the same attribution.
    let backfill = kith.ok(&["program", "backfill"]);
    assert!(backfill.contains("2 attributed"), "{backfill}");
    let roi: serde_json::Value =
        serde_json::from_str(&kith.ok(&["report", "roi", "--format", "json"])).unwrap();
    let rows = roi.as_array().unwrap();
    let keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys[..9],
        [
            "program",
            "clicks",
            "unique_clicks",
            "orders",
            "revenue",
            "commission",
            "cost",
            "roi",
            "emv"
        ]
    );
    let affiliates = &rows[0];
    assert_eq!(affiliates["program"], "Affiliates");
    assert_eq!(affiliates["orders"], 2);
    assert_eq!(affiliates["revenue"], "139.99");
    assert_eq!(affiliates["commission"], "14.00");
    assert_eq!(affiliates["cost"], "14.00");
    assert_eq!(affiliates["roi"], 10.0);
    let ambassadors = &rows[1];
    assert_eq!(
        (ambassadors["cost"].as_str(), ambassadors["roi"].as_f64()),
        (Some("95.00"), Some(0.0))
    );
    let status = kith.status();
    assert_eq!(
        (status["programs"].as_u64(), status["members"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(status["conversions"], 2);

    // With no hold, the commission is approved at once: pay it as a PayPal file.
    let file = kith.path("payout.csv");
    kith.ok(&[
        "program",
        "payout",
        "Affiliates",
        "--out",
        file.to_str().unwrap(),
    ]);
    let paypal = std::fs::read_to_string(&file).unwrap();
    let line = paypal.trim_end();
    assert!(
        line.starts_with("maya@example.com,14.00,USD,kith-1-")
            && line.ends_with(",Affiliates commission (MAYA10),PAYPAL"),
        "{paypal}"
    );
    kith.ok(&["program", "paid", "1"]);
    let roi: serde_json::Value = serde_json::from_str(&kith.ok(&[
        "report",
        "roi",
        "--program",
        "affiliates",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(roi[0]["paid"], "14.00");
    let link = kith.ok(&["program", "portal-link", "c-1"]);
    assert!(
        link.trim()
            .starts_with("http://127.0.0.1:8080/portal/link/"),
        "{link}"
    );
    assert_eq!(
        kith.run(&["program", "portal-link", "nobody"])
            .status
            .code(),
        Some(1)
    );
    let table = kith.ok(&["report", "roi"]);
    assert!(
        table.contains("$7.65 per $1") && table.contains("10.00x"),
        "{table}"
    );
}

#[test]
fn euro_orders_are_reported_unconverted_until_brand_toml_gives_their_rate() {
    let kith = Kith::new();
    let path = |n: &str| kith.path(n).to_str().unwrap().to_owned();
    std::fs::write(kith.path("brand.toml"), BRAND).unwrap();
    std::fs::write(
        kith.path("customers.ndjson"),
        r#"{"id":"c-1","source":"customer","email":"maya@example.com","first_name":"Maya"}"#,
    )
    .unwrap();
    std::fs::write(
        kith.path("orders.ndjson"),
        r#"{"id":"o-1","email":"x@example.net","created_at":"2026-01-05T10:00:00Z","currency":"EUR","subtotal_price":"100.00","discount_codes":["MAYA10"]}"#,
    )
    .unwrap();
    kith.ok(&["import", "customers", &path("customers.ndjson")]);
    kith.ok(&["import", "orders", &path("orders.ndjson")]);
    kith.ok(&["discover", "--brand", &path("brand.toml"), "--limit", "1"]);
    kith.ok(&[
        "program",
        "create",
        "Affiliates",
        "--kind",
        "affiliate",
        "--commission",
        "10%",
    ]);
    kith.ok(&["program", "enroll", "affiliates", "c-1"]);
    kith.ok(&["program", "backfill"]);

    let roi = |format: &str| kith.ok(&["report", "roi", "--format", format]);
    let json: serde_json::Value = serde_json::from_str(&roi("json")).unwrap();
    let row = json[0].as_object().unwrap();
    assert_eq!(
        row.keys().next_back().map(String::as_str),
        Some("unconverted_orders")
    );
    assert_eq!(
        (
            &row["orders"],
            &row["revenue"],
            &row["commission"],
            &row["unconverted_orders"]
        ),
        (&1.into(), &"0.00".into(), &"0.00".into(), &1.into())
    );
    let table = roi("table");
    assert!(
        table.contains(
            "Affiliates: 1 order in EUR not counted in revenue: add \"EUR/USD\" to \
             [exchange_rates] in brand.toml"
        ),
        "{table}"
    );

    // Giving the rate converts the waiting order at it.
    let with_rate = format!("{BRAND}\n[exchange_rates]\n\"EUR/USD\" = \"1.0850\"\n");
    std::fs::write(kith.path("brand.toml"), with_rate).unwrap();
    kith.ok(&["discover", "--brand", &path("brand.toml"), "--limit", "1"]);
    let json: serde_json::Value = serde_json::from_str(&roi("json")).unwrap();
    assert_eq!(
        (
            &json[0]["revenue"],
            &json[0]["commission"],
            &json[0]["unconverted_orders"]
        ),
        (&"108.50".into(), &"10.85".into(), &0.into())
    );
    assert!(!roi("table").contains("not counted in revenue"));
}

#[test]
fn mistakes_are_one_line_errors_and_change_nothing() {
    let kith = shop();
    kith.ok(&["program", "create", "Affiliates", "--kind", "affiliate"]);
    for args in [
        &["program", "enroll", "Affiliates", "c-1", "nobody"][..],
        &["program", "enroll", "Nope", "c-1"],
        &["program", "create", "affiliates", "--kind", "affiliate"],
        &[
            "program",
            "create",
            "X",
            "--kind",
            "affiliate",
            "--commission",
            "ten",
        ],
        &[
            "program",
            "create",
            "Y",
            "--kind",
            "affiliate",
            "--destination",
            "https://evil.test/",
        ],
    ] {
        let out = kith.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
    assert_eq!(
        kith.status()["members"],
        0,
        "a failed enrolment enrols no one"
    );
    assert_eq!(kith.status()["programs"], 1);
}

#[test]
fn an_activation_invites_its_region_up_to_its_capacity_from_the_command_line() {
    let kith = Kith::new();
    std::fs::write(kith.path("brand.toml"), BRAND).unwrap();
    let people = [("c-1", "Maya", "CO", 900), ("c-2", "Leo", "co", 100), ("c-3", "Ana", "CA", 999)]
        .iter()
        .map(|(id, name, region, spent)| {
            format!(
                r#"{{"id":"{id}","source":"customer","email":"{}@example.com","first_name":"{name}","region":"{region}","total_spent":"{spent}.00"}}"#,
                name.to_lowercase()
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(kith.path("customers.ndjson"), people).unwrap();
    let file = kith.path("customers.ndjson").to_str().unwrap().to_owned();
    kith.ok(&["import", "customers", &file]);
    kith.ok(&[
        "program",
        "create",
        "Brew",
        "--kind",
        "activation",
        "--region",
        "CO",
        "--capacity",
        "1",
        "--event-code",
        "brew1",
        "--date",
        "2026-12-12",
        "--place",
        "Roastery",
    ]);
    let invited = kith.ok(&["program", "invite", "Brew"]);
    assert!(
        invited.contains("invited c-1"),
        "best customer first: {invited}"
    );
    assert!(invited.contains("1 invited of 2"), "{invited}");
    let full = kith.run(&["program", "enroll", "Brew", "c-2"]);
    assert_eq!(full.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&full.stderr).contains("takes 1 people"));
    let not_an_event = kith.run(&[
        "program",
        "create",
        "Z",
        "--kind",
        "affiliate",
        "--capacity",
        "3",
    ]);
    assert_eq!(not_an_event.status.code(), Some(1));
    kith.ok(&[
        "program",
        "create",
        "One",
        "--kind",
        "affiliate",
        "--single-use-codes",
    ]);
    let list: serde_json::Value =
        serde_json::from_str(&kith.ok(&["program", "list", "--format", "json"])).unwrap();
    let by_name = |n: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("One")["details"]["single_use_codes"], true);
    assert_eq!(by_name("Brew")["details"]["event_code"], "BREW1");
    assert_eq!(by_name("Brew")["details"]["date"], "2026-12-12T00:00:00Z");
}

/// A running `kith serve`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(kith: &Kith) -> Server {
    let mut child = kith
        .command()
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let addr = crate::support::listen_address(&mut child);
    Server { child, addr }
}

/// Follows a link as a browser with the given visitor id; the status, if any answer came.
fn follow(addr: &str, code: &str, visitor: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET /r/{code} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) \
         Firefox/121.0\r\nCookie: kith_ref={visitor}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

fn stored_visitors(kith: &Kith) -> HashSet<String> {
    let conn = rusqlite::Connection::open(kith.path("data").join("kith.db")).unwrap();
    let mut stmt = conn.prepare("SELECT visitor FROM clicks").unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn every_click_that_got_its_302_survives_the_server_being_killed() {
    let kith = shop();
    kith.ok(&["program", "create", "Affiliates", "--kind", "affiliate"]);
    kith.ok(&["program", "enroll", "Affiliates", "c-1"]);
    let server = serve(&kith);
    assert_eq!(
        follow(&server.addr, "MAYA10", &format!("{:032x}", 1)),
        Some(302)
    );

    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut load = Vec::new();
    for t in 0..8u128 {
        let (acked, stop, addr) = (Arc::clone(&acked), Arc::clone(&stop), server.addr.clone());
        load.push(std::thread::spawn(move || {
            let mut i = 0u128;
            while !stop.load(Ordering::Relaxed) {
                let visitor = format!("{:032x}", (t + 1) << 64 | i);
                i += 1;
                if follow(&addr, "MAYA10", &visitor) == Some(302) {
                    acked.lock().unwrap().push(visitor);
                }
            }
        }));
    }
    // Kill it mid-load, once a good number of clicks were answered.
    let start = Instant::now();
    while acked.lock().unwrap().len() < 500 && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut server = server;
    server.child.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for t in load {
        t.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 500, "only {} clicks answered", acked.len());

    // Restart: the store opens cleanly (replaying the click journal past the position
    // its last commit recorded: batches answered under load before the store's mover
    // inserted them) and still serves.
    let again = serve(&kith);
    assert_eq!(
        follow(&again.addr, "MAYA10", &format!("{:032x}", 2)),
        Some(302)
    );
    let stored = stored_visitors(&kith);
    let lost: Vec<&String> = acked.iter().filter(|v| !stored.contains(*v)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} answered clicks lost",
        lost.len(),
        acked.len()
    );
    // Replayed exactly once: every visitor id was used by one request only.
    assert_eq!(duplicated_visitors(&kith), 0);
    // And a second restart replays nothing again. Another process sees a click once
    // the server's mover has inserted it, a moment after its 302 (the server's own
    // queries wait for it).
    drop(again);
    let third = serve(&kith);
    let last = format!("{:032x}", 3);
    assert_eq!(follow(&third.addr, "MAYA10", &last), Some(302));
    let start = Instant::now();
    while !stored_visitors(&kith).contains(&last) && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let stored = stored_visitors(&kith);
    assert!(stored.contains(&last) && stored.contains(&format!("{:032x}", 2)));
    assert_eq!(duplicated_visitors(&kith), 0);
    eprintln!(
        "{} answered clicks before SIGKILL, all stored once",
        acked.len()
    );
}

fn duplicated_visitors(kith: &Kith) -> i64 {
    let conn = rusqlite::Connection::open(kith.path("data").join("kith.db")).unwrap();
    conn.query_row(
        "SELECT COUNT(*) FROM (SELECT visitor FROM clicks GROUP BY visitor HAVING COUNT(*) > 1)",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn the_demo_runs_programs_whose_traffic_went_through_the_real_redirect_and_webhook() {
    let kith = Kith::new();
    kith.demo(800);
    let roi: serde_json::Value =
        serde_json::from_str(&kith.ok(&["report", "roi", "--format", "json"])).unwrap();
    let rows = roi.as_array().unwrap();
    let kinds: Vec<&str> = rows.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["activation", "affiliate", "ambassador", "advocacy"]);
    for row in &rows[1..] {
        assert!(row["clicks"].as_u64().unwrap() > 0, "{row}");
        assert!(row["orders"].as_u64().unwrap() > 0, "{row}");
        assert_ne!(row["revenue"], "0.00", "{row}");
        assert!(row["roi"].as_f64().unwrap() > 0.0, "{row}");
    }
    let status = kith.status();
    assert_eq!(status["programs"], 4);
    assert_eq!(
        status["clicks"].as_u64(),
        rows.iter()
            .map(|r| r["clicks"].as_u64().unwrap())
            .sum::<u64>()
            .into()
    );
    assert!(status["conversions"].as_u64().unwrap() > 0);
    let links = kith.ok(&["links", "list", "--program", "Ridgeline Ambassadors"]);
    assert!(links.lines().count() > 1, "{links}");
    // A second demo on the same store does not count its traffic twice.
    kith.demo(800);
    assert_eq!(kith.status()["clicks"], status["clicks"]);
}
