//! The dashboard's pages on the demo brand: what a community manager sees, and how fast.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use kith_store::Role;

use crate::support::{App, Who, seed_demo};

/// Generous for a debug build on a shared machine; release figures are in
/// docs/PERFORMANCE.md.
const SLOW: Duration = Duration::from_millis(1500);

async fn timed(app: &App, who: &Who, path: &str) -> String {
    let started = Instant::now();
    let reply = app.get(who, path).await;
    let took = started.elapsed();
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    assert!(took < SLOW, "{path} took {took:?}");
    reply.body
}

#[tokio::test(flavor = "multi_thread")]
async fn every_page_renders_the_demo_brand() {
    let app = App::sqlite();
    seed_demo(app.store(), 400);
    let owner = app.session(Role::Owner);

    let overview = timed(&app, &owner, "/").await;
    assert!(overview.contains("micro-influencers") && overview.contains("brand lovers"));
    assert!(overview.contains("id=\"scatter-data\"") && overview.contains("benchmark"));

    let discover = timed(
        &app,
        &owner,
        "/discover?tier=micro&category=food+%26+drink&sort=fit_score",
    )
    .await;
    assert!(discover.contains("Export CSV"), "owners may export");
    assert!(
        discover.contains("aria-sort=\"descending\""),
        "the sorted column says so"
    );
    let link = discover
        .split("href=\"/people/")
        .nth(1)
        .expect("a person link");
    let id = &link[..link.find('"').unwrap()];

    let person = timed(&app, &owner, &format!("/people/{id}")).await;
    assert!(
        person.contains("Scores") && person.contains("data-chart="),
        "{person}"
    );
    assert!(person.contains("Reviews") && person.contains("Orders"));

    let settings = timed(&app, &owner, "/settings").await;
    assert!(settings.contains("Fernwood") || settings.contains("name=\"name\""));
    assert!(settings.contains("API tokens"));
    timed(&app, &owner, "/import").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn htmx_asks_for_the_table_only() {
    let app = App::sqlite();
    seed_demo(app.store(), 100);
    let who = app.session(Role::Viewer);
    let mut req = crate::support::request("GET", "/discover?page=2", &who, None);
    req.headers_mut()
        .insert("hx-request", "true".parse().unwrap());
    req.headers_mut()
        .insert("hx-target", "results".parse().unwrap());
    let reply = app.send(req).await;
    assert!(
        reply.body.contains("<table") && !reply.body.contains("<html"),
        "a fragment"
    );
    assert!(reply.body.contains("Page 2 of"));
    assert!(!reply.body.contains("Export CSV"), "viewers do not export");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_csv_export_is_the_contract_csv_of_the_current_filter() {
    let app = App::sqlite();
    seed_demo(app.store(), 200);
    let who = app.session(Role::Manager);
    let reply = app
        .get(&who, "/discover/export.csv?tier=micro&limit=5&page=3")
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let mut lines = reply.body.lines();
    assert_eq!(
        lines.next().unwrap(),
        kith_core::CANDIDATE_COLUMNS.join(",")
    );
    let rows: Vec<&str> = lines.collect();
    let expected = app.store().count_candidates(&kith_core::CandidateQuery {
        tier: Some(kith_core::Tier::Micro),
        ..Default::default()
    });
    assert!(
        rows.len() as u64 >= expected.unwrap().min(1),
        "all rows, not one page"
    );
    assert!(rows.iter().all(|r| r.contains(",micro,")));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_upload_imports_everything_or_names_the_bad_line() {
    let app = App::sqlite();
    let who = app.session(Role::Manager);
    let good = "{\"id\":\"c-1\",\"email\":\"a@example.com\",\"first_name\":\"Ana\"}\n";
    let bad = "{\"id\":\"c-2\",\"email\":\"b@example.com\"}\n{\"id\":\"c-3\",\"orders_count\":\"many\"}\n";
    for (file, expect_ok) in [(good, true), (bad, false)] {
        let boundary = "XBOUNDARY";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncustomers\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.ndjson\"\r\n\
             Content-Type: application/x-ndjson\r\n\r\n{file}\r\n--{boundary}--\r\n"
        );
        let mut req = crate::support::request("POST", "/api/v1/imports", &who, None);
        *req.body_mut() = axum::body::Body::from(body);
        let h = req.headers_mut();
        h.insert(
            "content-type",
            format!("multipart/form-data; boundary={boundary}")
                .parse()
                .unwrap(),
        );
        if let Who::Session { csrf, .. } = &who {
            h.insert("x-csrf-token", csrf.parse().unwrap());
        }
        let reply = app.send(req).await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
        let id = reply.json()["id"].as_u64().unwrap();
        let job = loop {
            let job = app.get(&who, &format!("/api/v1/imports/{id}")).await.json();
            if job["state"] != "running" {
                break job;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        if expect_ok {
            assert_eq!(job["state"], "done", "{job}");
            assert_eq!(job["imported"], 1);
        } else {
            assert_eq!(job["state"], "failed", "{job}");
            let error = job["errors"][0].as_str().unwrap();
            assert!(
                error.contains("people.ndjson:2"),
                "names file and line: {error}"
            );
            assert!(error.contains("orders_count"), "names the field: {error}");
        }
    }
    assert_eq!(
        app.store().status().unwrap().customers,
        1,
        "the bad file wrote nothing"
    );
}
