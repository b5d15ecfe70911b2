//! `/api/v1` and `/api/openapi.json`: the contract's filters, JSON errors from the one
//! table, and an OpenAPI 3.1 document that covers every API route of the table.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use kith_server::auth::Access;
use kith_server::routes::table;
use kith_store::Role;
use kith_store::store_tests;
use kith_store::testing::TestStore;

use crate::support::{App, Who, seed_demo};

fn candidates_filter_sort_and_page_like_the_contract(db: &TestStore) {
    seed_demo(&**db, 300);
    // Store calls stay off the runtime's threads: PostgreSQL's client would panic there.
    let app = App::over(db.store());
    let who = app.token(Role::Viewer);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let all = app.get(&who, "/api/v1/candidates?limit=500").await.json();
        let total = all["total"].as_u64().unwrap();
        assert!(total > 50, "the demo has candidates: {total}");

        let micro = app
            .get(&who, "/api/v1/candidates?tier=micro&source=customers&sort=followers&order=asc&limit=20&page=2")
            .await
            .json();
        let items = micro["items"].as_array().unwrap();
        assert_eq!(micro["page"], 2);
        assert!(!items.is_empty());
        assert_eq!(items[0]["rank"], 21, "ranks continue across pages");
        let followers: Vec<u64> = items.iter().map(|c| c["followers"].as_u64().unwrap()).collect();
        assert!(followers.windows(2).all(|w| w[0] <= w[1]), "ascending: {followers:?}");
        assert!(items.iter().all(|c| c["tier"] == "micro" && c["source"] == "customer"));
        let keys: Vec<&str> = items[0].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, kith_core::CANDIDATE_COLUMNS, "contract columns, in order");

        let lovers = app.get(&who, "/api/v1/candidates?brand_lovers=true&limit=500").await.json();
        assert!(lovers["items"].as_array().unwrap().iter().all(|c| c["brand_sentiment"].as_f64().unwrap() >= 25.0));
    });
}

/// The in-memory index and the store's SQL give the same pages, ranks and totals.
fn the_discovery_index_answers_exactly_what_the_store_answers(db: &TestStore) {
    use kith_core::{CandidateQuery, Platform, SortKey, SortOrder, SourceFilter, Tier};
    use kith_store::Refinement;
    seed_demo(&**db, 400);
    let index = kith_server::discovery::Discovery::default();
    index.rebuild(&**db).unwrap();
    let keys = [
        SortKey::FitScore,
        SortKey::Followers,
        SortKey::EngagementRate,
        SortKey::ErIndex,
        SortKey::Authenticity,
        SortKey::BrandMentions,
        SortKey::BrandSentiment,
        SortKey::CustomerValue,
    ];
    let mut checked = 0;
    for (i, sort) in keys.into_iter().enumerate() {
        for order in [SortOrder::Desc, SortOrder::Asc] {
            let q = CandidateQuery {
                source: [
                    SourceFilter::All,
                    SourceFilter::Customers,
                    SourceFilter::Employees,
                ][i % 3],
                tier: (i % 2 == 0).then_some(Tier::Micro),
                platform: (i % 3 == 1).then_some(Platform::Instagram),
                category: (i % 4 == 0).then(|| "Food & Drink".into()),
                min_authenticity: (i % 5 == 2).then_some(70.0),
                min_er: (i % 3 == 2).then_some(0.02),
                sort,
                order,
                page: 1 + (i as u32 % 3),
                limit: 7,
            };
            let refinements = [
                Refinement::default(),
                Refinement {
                    min_followers: Some(1_000),
                    max_followers: Some(10_000),
                    ..Refinement::default()
                },
                Refinement {
                    min_brand_sentiment: Some(25.0),
                    ..Refinement::default()
                },
            ];
            for r in refinements {
                let expected = (
                    db.refined_candidates(&q, &r).unwrap(),
                    db.count_refined_candidates(&q, &r).unwrap(),
                );
                let got = index.answer(&q, &r).expect("the index answers");
                assert_eq!(got, expected, "{q:?} {r:?}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 48);
}

store_tests!(
    candidates_filter_sort_and_page_like_the_contract,
    the_discovery_index_answers_exactly_what_the_store_answers,
);

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_parameter_is_a_json_error_naming_it() {
    let app = App::sqlite();
    let who = app.token(Role::Viewer);
    let reply = app.get(&who, "/api/v1/candidates?tier=giant").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let body = reply.json();
    assert_eq!(body["code"], "bad_request");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("tier=\"giant\""),
        "{body}"
    );
    let missing = app.get(&who, "/api/v1/people/nobody").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["code"], "not_found");
    let nowhere = app.get(&who, "/api/v1/nothing").await;
    assert_eq!(
        nowhere.json()["code"],
        "not_found",
        "unknown API paths answer JSON too"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_comes_with_profiles_and_explained_scores() {
    let app = App::sqlite();
    seed_demo(app.store(), 200);
    let who = app.token(Role::Viewer);
    let page = app
        .get(&who, "/api/v1/candidates?source=customers&limit=1")
        .await
        .json();
    let id = page["items"][0]["person_id"].as_str().unwrap().to_owned();
    let person = app.get(&who, &format!("/api/v1/people/{id}")).await.json();
    assert_eq!(person["person"]["id"], id.as_str());
    assert!(!person["profiles"].as_array().unwrap().is_empty());
    let scores = app
        .get(&who, &format!("/api/v1/people/{id}/scores"))
        .await
        .json();
    assert!(
        scores[0]["explanation"].as_str().unwrap().contains("ER"),
        "{scores}"
    );
    let people = app
        .get(&who, "/api/v1/people?source=employee&limit=5")
        .await
        .json();
    assert_eq!(people["items"].as_array().unwrap().len(), 5);
    assert!(
        people["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["source"] == "employee")
    );
    let profiles = app
        .get(&who, "/api/v1/profiles?platform=tiktok&limit=3")
        .await
        .json();
    assert!(profiles["total"].as_u64().unwrap() > 0);
}

/// Every `$ref` in `node` names a schema that exists.
fn refs(node: &serde_json::Value, out: &mut BTreeSet<String>) {
    match node {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if k == "$ref" {
                    out.insert(v.as_str().unwrap().to_owned());
                }
                refs(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_is_3_1_and_covers_every_api_route() {
    let app = App::sqlite();
    let reply = app.get(&Who::Nobody, "/api/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    for route in table().iter().filter(|r| r.path.starts_with("/api/v1")) {
        let method = route.method.as_str().to_lowercase();
        let op = &doc["paths"][route.path][&method];
        assert!(op.is_object(), "{method} {} is documented", route.path);
        assert!(
            op["responses"].as_object().is_some_and(|r| !r.is_empty()),
            "{}",
            route.path
        );
        if let Access::Role(_) = route.access {
            assert!(
                op["security"].is_array(),
                "{} declares its bearer security",
                route.path
            );
        }
        for p in op["parameters"].as_array().into_iter().flatten() {
            assert!(["query", "path"].contains(&p["in"].as_str().unwrap()));
            if p["in"] == "path" {
                assert!(
                    route
                        .path
                        .contains(&format!("{{{}}}", p["name"].as_str().unwrap()))
                );
            }
        }
    }
    let candidates = &doc["paths"]["/api/v1/candidates"]["get"]["parameters"];
    let names: Vec<&str> = candidates
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for contract in [
        "source",
        "tier",
        "platform",
        "category",
        "min_authenticity",
        "min_er",
        "sort",
        "order",
        "page",
        "limit",
    ] {
        assert!(
            names.contains(&contract),
            "{contract} is documented: {names:?}"
        );
    }
    let mut found = BTreeSet::new();
    refs(&doc, &mut found);
    assert!(!found.is_empty());
    for r in found {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r} is local"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{r} resolves"
        );
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}
