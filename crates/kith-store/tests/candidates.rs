//! Discovery over stored candidates: filters, sorting with nulls last, pages and ranks.

use kith_core::{
    Candidate, CandidateQuery, PersonSource, Platform, SortKey, SortOrder, SourceFilter, Tier,
};
use kith_store::testing::TestStore;
use kith_store::{StoreError, store_tests};

use crate::fixtures::candidate;

/// Five candidates with ties, gaps and an unmatched profile.
fn five() -> Vec<Candidate> {
    let mut ana = candidate(Platform::Instagram, "ana", Some("c-1"), 90.0);
    ana.engagement_rate = Some(0.05);
    ana.authenticity = Some(90.0);
    ana.categories = vec!["Food & Drink".into(), "travel".into()];

    let mut bo = candidate(Platform::Tiktok, "bo", Some("e-1"), 80.0);
    bo.source = Some(PersonSource::Employee);
    bo.followers = Some(50_000);
    bo.engagement_rate = None;
    bo.authenticity = Some(60.0);
    bo.categories = vec!["fitness".into()];

    let mut cy = candidate(Platform::Youtube, "cy", None, 80.0);
    cy.followers = Some(200_000);
    cy.tier = Some(Tier::Macro);
    cy.engagement_rate = Some(0.01);
    cy.authenticity = None;
    cy.authenticity_flags = vec!["mass following".into(), "follower spike".into()];
    cy.categories = vec!["food".into()];
    cy.brand_sentiment = None;
    cy.customer_value = None;

    let mut di = candidate(Platform::X, "di", Some("c-2"), 70.0);
    di.followers = None;
    di.tier = None;
    di.engagement_rate = Some(0.02);
    di.authenticity = Some(75.0);

    let mut eve = candidate(Platform::Instagram, "eve", Some("c-3"), 80.0);
    eve.followers = Some(50_000);
    eve.engagement_rate = Some(0.03);
    eve.categories = Vec::new();

    vec![ana, bo, cy, di, eve]
}

fn stored(db: &TestStore) {
    db.replace_candidates(&five(), 1).unwrap();
}

fn handles(page: &[Candidate]) -> Vec<&str> {
    page.iter().map(|c| c.handle.as_str()).collect()
}

fn query(f: impl FnOnce(&mut CandidateQuery)) -> CandidateQuery {
    let mut q = CandidateQuery::default();
    f(&mut q);
    q
}

fn the_default_order_is_the_ranking_order_of_kith_core(db: &TestStore) {
    stored(db);
    let page = db.candidates(&CandidateQuery::default()).unwrap();

    let mut expected = five();
    expected.sort_by(Candidate::ranking_cmp);
    for (i, c) in expected.iter_mut().enumerate() {
        c.rank = i as u32 + 1;
    }
    assert_eq!(
        page, expected,
        "every field round-trips, ranks count from 1"
    );
    // Fit ties at 80 fall to followers, then to the platform's order.
    assert_eq!(handles(&page), ["ana", "cy", "eve", "bo", "di"]);
}

fn the_source_filter_picks_customers_employees_or_everyone(db: &TestStore) {
    stored(db);
    let by = |source| handles(&db.candidates(&query(|q| q.source = source)).unwrap()).join(",");
    assert_eq!(by(SourceFilter::Customers), "ana,eve,di");
    assert_eq!(by(SourceFilter::Employees), "bo");
    assert_eq!(
        by(SourceFilter::All),
        "ana,cy,eve,bo,di",
        "includes the unmatched profile"
    );
}

fn tier_platform_and_minimum_filters_combine(db: &TestStore) {
    stored(db);
    let run = |q: CandidateQuery| handles(&db.candidates(&q).unwrap()).join(",");
    assert_eq!(run(query(|q| q.tier = Some(Tier::Micro))), "ana,eve,bo");
    assert_eq!(
        run(query(|q| q.platform = Some(Platform::Instagram))),
        "ana,eve"
    );
    assert_eq!(
        run(query(|q| q.min_authenticity = Some(75.0))),
        "ana,eve,di"
    );
    assert_eq!(run(query(|q| q.min_er = Some(0.02))), "ana,eve,di");
    assert_eq!(
        run(query(|q| {
            q.platform = Some(Platform::Instagram);
            q.min_er = Some(0.04);
        })),
        "ana"
    );
}

fn a_category_matches_a_whole_element_in_any_case(db: &TestStore) {
    stored(db);
    let run = |c: &str| {
        handles(
            &db.candidates(&query(|q| q.category = Some(c.into())))
                .unwrap(),
        )
        .join(",")
    };
    assert_eq!(run("food & drink"), "ana,di");
    assert_eq!(run("FOOD & DRINK"), "ana,di");
    assert_eq!(run("food"), "cy", "not a prefix of \"food & drink\"");
    assert_eq!(run("drink"), "");
    assert_eq!(run("%"), "", "no wildcards");
}

fn nulls_sort_last_in_both_directions(db: &TestStore) {
    stored(db);
    let sorted = |sort, order| {
        handles(
            &db.candidates(&query(|q| (q.sort, q.order) = (sort, order)))
                .unwrap(),
        )
        .join(",")
    };
    assert_eq!(
        sorted(SortKey::EngagementRate, SortOrder::Asc),
        "cy,di,eve,ana,bo"
    );
    assert_eq!(
        sorted(SortKey::EngagementRate, SortOrder::Desc),
        "ana,eve,di,cy,bo"
    );
    assert_eq!(
        sorted(SortKey::Followers, SortOrder::Asc),
        "ana,eve,bo,cy,di"
    );
    assert_eq!(
        sorted(SortKey::Followers, SortOrder::Desc),
        "cy,eve,bo,ana,di"
    );
    assert_eq!(
        sorted(SortKey::Authenticity, SortOrder::Asc),
        "bo,di,eve,ana,cy"
    );
}

fn pages_carry_their_rank_and_counts_ignore_the_page(db: &TestStore) {
    stored(db);
    let second = query(|q| (q.page, q.limit) = (2, 2));
    let page = db.candidates(&second).unwrap();
    assert_eq!(handles(&page), ["eve", "bo"]);
    assert_eq!(page.iter().map(|c| c.rank).collect::<Vec<_>>(), [3, 4]);
    assert_eq!(db.count_candidates(&second).unwrap(), 5);

    let customers = query(|q| (q.source, q.page, q.limit) = (SourceFilter::Customers, 9, 10));
    assert!(db.candidates(&customers).unwrap().is_empty());
    assert_eq!(db.count_candidates(&customers).unwrap(), 3);
}

fn replacing_candidates_drops_the_old_ones_and_records_the_version(db: &TestStore) {
    assert_eq!(db.scored_version().unwrap(), None);
    stored(db);
    assert_eq!(db.scored_version().unwrap(), Some(1));

    let only = candidate(Platform::X, "zed", None, 10.0);
    db.replace_candidates(std::slice::from_ref(&only), 7)
        .unwrap();
    assert_eq!(
        handles(&db.candidates(&CandidateQuery::default()).unwrap()),
        ["zed"]
    );
    assert_eq!(db.status().unwrap().candidates, 1);
    assert_eq!(db.scored_version().unwrap(), Some(7));

    db.replace_candidates(&[], 8).unwrap();
    assert_eq!(db.status().unwrap().candidates, 0);
    assert_eq!(
        db.scored_version().unwrap(),
        Some(8),
        "scoring nothing is still a scoring"
    );
}

fn a_score_that_is_not_a_number_is_refused_and_the_old_list_kept(db: &TestStore) {
    stored(db);
    let mut broken = five();
    broken[3].er_index = Some(f64::NAN);
    let err = db.replace_candidates(&broken, 2).unwrap_err();
    assert!(
        matches!(&err, StoreError::Unstorable(m) if m.contains("x/di")),
        "{err}"
    );
    assert_eq!(db.status().unwrap().candidates, 5);
    assert_eq!(db.scored_version().unwrap(), Some(1));
}

fn thousands_of_candidates_are_stored_and_ranked(db: &TestStore) {
    let many: Vec<Candidate> = (0..2_345)
        .map(|i| {
            candidate(
                Platform::ALL[i % 4],
                &format!("c{i}"),
                None,
                (i % 101) as f64,
            )
        })
        .collect();
    db.replace_candidates(&many, 3).unwrap();
    let all = CandidateQuery::default();
    assert_eq!(db.count_candidates(&all).unwrap(), 2_345);
    let last = db
        .candidates(&query(|q| (q.page, q.limit) = (235, 10)))
        .unwrap();
    assert_eq!(last.len(), 5);
    assert_eq!(last[4].rank, 2_345);
    assert_eq!(last[4].fit_score, 0.0);
}

store_tests!(
    thousands_of_candidates_are_stored_and_ranked,
    the_default_order_is_the_ranking_order_of_kith_core,
    the_source_filter_picks_customers_employees_or_everyone,
    tier_platform_and_minimum_filters_combine,
    a_category_matches_a_whole_element_in_any_case,
    nulls_sort_last_in_both_directions,
    pages_carry_their_rank_and_counts_ignore_the_page,
    replacing_candidates_drops_the_old_ones_and_records_the_version,
    a_score_that_is_not_a_number_is_refused_and_the_old_list_kept,
);
