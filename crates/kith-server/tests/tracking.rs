//! The referral redirect `GET /r/{code}`: a 302 only ever to the brand's allowed
//! domains, with kith's UTM parameters and a referral cookie; people counted, bots and
//! prefetches not; every answered click stored, exactly, under concurrency; addresses
//! kept only as salted hashes.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kith_core::program::ProgramKind;
use kith_core::program::code::ReferralCode;
use kith_core::{Person, PersonSource, Record};
use kith_store::programs::{Enrolment, NewProgram};
use kith_store::testing::TestStore;
use kith_store::{InputError, Store};
use time::OffsetDateTime;
use tower::ServiceExt;

use crate::support::{App, Reply, new_program};

pub const BROWSER: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) \
     AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

pub const BRAND: &str = r#"
name = "Ridgeline Coffee Co."
currency = "USD"
website = "https://ridgeline.example"
allowed_redirect_domains = ["ridgeline.example"]
[shopify]
webhook_secret = "shpss_test_secret"
"#;

/// Runs a synchronous store call from an async test: PostgreSQL's client must not run on
/// a runtime thread, and `block_in_place` leaves the runtime for the call.
pub fn sync<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

/// Every backend there is: SQLite, and PostgreSQL when `KITH_TEST_DATABASE_URL` is set.
pub fn stores() -> Vec<TestStore> {
    sync(|| {
        let mut all = vec![kith_store::testing::sqlite()];
        all.extend(kith_store::testing::postgres());
        all
    })
}

/// Drops an app (and its test database) off the runtime.
pub fn done(app: App) {
    sync(move || drop(app));
}

/// The brand, Maya (c-1, code MAYA10) and Leo (c-2, LEO10) in an affiliate program at 10 %.
pub fn seed(store: &dyn Store) {
    store.set_brand(BRAND).unwrap();
    let person = |id: &str, name: &str| {
        Record::Person(Person {
            id: id.into(),
            source: Some(PersonSource::Customer),
            email: Some(format!("{}@example.com", name.to_lowercase())),
            first_name: Some(name.into()),
            ..Person::default()
        })
    };
    let mut records = [person("c-1", "Maya"), person("c-2", "Leo")]
        .into_iter()
        .map(Ok::<Record, InputError>);
    store.import(&mut records).unwrap();
    let p = store.programs();
    p.create_program(&NewProgram {
        commission: Some("10%".parse().unwrap()),
        destination: Some("https://ridgeline.example/shop?ref=kith#top".into()),
        ..new_program(
            "Spring Affiliates",
            ProgramKind::Affiliate,
            serde_json::json!({}),
        )
    })
    .unwrap();
    p.enroll(
        "Spring Affiliates",
        &[Enrolment::new("c-1"), Enrolment::new("c-2")],
        OffsetDateTime::now_utc(),
    )
    .unwrap();
}

pub fn app_for(db: TestStore) -> App {
    sync(|| seed(&*db.store()));
    App::new(db)
}

pub fn click(path: &str, agent: Option<&str>) -> Request<Body> {
    let mut b = Request::builder().uri(path);
    if let Some(a) = agent {
        b = b.header(header::USER_AGENT, a);
    }
    b.body(Body::empty()).unwrap()
}

/// (clicks, unique clicks) of the program.
pub fn counted(app: &App) -> (u64, u64) {
    let rows = sync(|| {
        app.store()
            .programs()
            .roi(Some("Spring Affiliates"), false, OffsetDateTime::now_utc())
            .unwrap()
    });
    (rows[0].clicks, rows[0].unique_clicks)
}

fn cookie_value(reply: &Reply) -> String {
    let set = reply.headers[header::SET_COOKIE].to_str().unwrap();
    set.split(';')
        .next()
        .unwrap()
        .trim_start_matches("kith_ref=")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_answers_302_with_utm_parameters_and_a_referral_cookie() {
    for db in stores() {
        let app = app_for(db);
        let reply = app.send(click("/r/maya10", Some(BROWSER))).await;
        assert_eq!(reply.status, StatusCode::FOUND);
        let visitor = cookie_value(&reply);
        assert_eq!(visitor.len(), 32);
        assert_eq!(
            reply.location().unwrap(),
            format!(
                "https://ridgeline.example/shop?ref=kith&utm_source=kith&utm_medium=referral\
                 &utm_campaign=Spring%20Affiliates&utm_content=MAYA10&kith_ref={visitor}#top"
            )
        );
        let set = reply.headers[header::SET_COOKIE].to_str().unwrap();
        assert!(
            set.contains("Max-Age=2592000") && set.contains("HttpOnly"),
            "{set}"
        );
        assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
        assert_eq!(counted(&app), (1, 1));
        assert_eq!(sync(|| app.store().status().unwrap().clicks), 1);
        done(app);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_and_malformed_codes_answer_404_and_count_nothing() {
    let app = app_for(kith_store::testing::sqlite());
    for path in ["/r/NOBODY99", "/r/ab", "/r/maya%2010", "/r/..%2Fetc"] {
        let reply = app.send(click(path, Some(BROWSER))).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(counted(&app), (0, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn no_request_can_send_a_visitor_anywhere_but_the_brands_domains() {
    let app = app_for(kith_store::testing::sqlite());
    let payloads = [
        "/r/MAYA10?url=https://evil.test",
        "/r/MAYA10?next=//evil.test&redirect=https%3A%2F%2Fevil.test",
        "/r/MAYA10?destination=javascript:alert(1)",
        "/r/MAYA10?utm_source=x&kith_ref=../../evil",
        "/r/MAYA10#https://evil.test",
        "/r/MAYA10%3Furl%3Dhttps%3A%2F%2Fevil.test",
        "/r/MAYA10%2F%2Fevil.test",
        "/r/https:%2F%2Fevil.test",
        "/r/%2F%2Fevil.test",
        "/r/MAYA10%0d%0aLocation:%20https://evil.test",
        "/r/MAYA10%5C%5Cevil.test",
        "/r//evil.test",
        "/r/MAYA10/..%2F..%2Fevil.test",
        "/r/MAYA10@evil.test",
    ];
    for path in payloads {
        let reply = app.send(click(path, Some(BROWSER))).await;
        match reply.location() {
            Some(l) => assert!(
                l.starts_with("https://ridgeline.example/shop?ref=kith&utm_source=kith"),
                "{path} → {l}"
            ),
            None => assert_ne!(reply.status, StatusCode::FOUND, "{path}"),
        }
    }
    // A destination the brand does not allow (stored behind the CLI's back) is refused.
    let p = app.store().programs();
    let mut bad = Enrolment::new("c-2");
    bad.code = Some(ReferralCode::parse("EVIL1").unwrap());
    bad.destination = Some("https://ridgeline.example.evil.test/".into());
    p.create_program(&new_program(
        "Other",
        ProgramKind::Affiliate,
        serde_json::json!({}),
    ))
    .unwrap();
    p.enroll("Other", &[bad], OffsetDateTime::now_utc())
        .unwrap();
    let reply = app.send(click("/r/EVIL1", Some(BROWSER))).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.location().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn bots_previews_libraries_and_prefetches_are_redirected_but_not_counted() {
    let app = app_for(kith_store::testing::sqlite());
    for agent in [
        Some("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
        Some("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"),
        Some("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"),
        Some("Twitterbot/1.0"),
        Some("curl/8.5.0"),
        Some("python-requests/2.31.0"),
        Some("Go-http-client/1.1"),
        None,
    ] {
        let reply = app.send(click("/r/LEO10", agent)).await;
        assert_eq!(reply.status, StatusCode::FOUND, "{agent:?}");
    }
    for (name, value) in [
        ("purpose", "prefetch"),
        ("sec-purpose", "prefetch;prerender"),
        ("x-moz", "prefetch"),
    ] {
        let mut req = click("/r/LEO10", Some(BROWSER));
        req.headers_mut().insert(name, value.parse().unwrap());
        assert_eq!(app.send(req).await.status, StatusCode::FOUND, "{name}");
    }
    let head = Request::builder()
        .method("HEAD")
        .uri("/r/LEO10")
        .header(header::USER_AGENT, BROWSER)
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(head).await.status, StatusCode::FOUND);
    assert_eq!(counted(&app), (0, 0), "no bot, prefetch or HEAD is a click");
    app.send(click("/r/LEO10", Some(BROWSER))).await;
    assert_eq!(counted(&app), (1, 1), "a person is");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_returning_visitor_is_one_unique_click_a_day() {
    let app = app_for(kith_store::testing::sqlite());
    let first = app.send(click("/r/MAYA10", Some(BROWSER))).await;
    let visitor = cookie_value(&first);
    for _ in 0..3 {
        let mut again = click("/r/MAYA10", Some(BROWSER));
        again.headers_mut().insert(
            header::COOKIE,
            format!("kith_ref={visitor}").parse().unwrap(),
        );
        let reply = app.send(again).await;
        assert_eq!(cookie_value(&reply), visitor, "the visitor keeps their id");
    }
    // A forged cookie is not a visitor id kith made: it gets a fresh one.
    let mut forged = click("/r/MAYA10", Some(BROWSER));
    forged
        .headers_mut()
        .insert(header::COOKIE, "kith_ref=<script>".parse().unwrap());
    assert_ne!(cookie_value(&app.send(forged).await), "<script>");
    assert_eq!(counted(&app), (5, 2));
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_clicks_are_all_counted_exactly() {
    for db in stores() {
        let app = app_for(db);
        let router = app.router.clone();
        let n = 600;
        let mut tasks = Vec::new();
        for i in 0..n {
            let router = router.clone();
            let code = if i % 3 == 0 { "LEO10" } else { "MAYA10" };
            tasks.push(tokio::spawn(async move {
                let reply = router
                    .oneshot(click(&format!("/r/{code}"), Some(BROWSER)))
                    .await
                    .unwrap();
                reply.status()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), StatusCode::FOUND);
        }
        assert_eq!(counted(&app), (n, n));
        assert_eq!(sync(|| app.store().status().unwrap().clicks), n);
        done(app);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn visitor_addresses_are_kept_only_as_salted_hashes() {
    let db = kith_store::testing::sqlite();
    let dir = db.data_dir().unwrap().to_owned();
    let app = app_for(db);
    for _ in 0..2 {
        let mut req = click("/r/MAYA10", Some(BROWSER));
        req.headers_mut()
            .insert("x-forwarded-for", "203.0.113.7, 10.0.0.1".parse().unwrap());
        app.send(req).await;
    }
    // A query through the store waits for the clicks answered before it; the raw
    // connection below would not.
    app.store().status().unwrap();
    let conn = rusqlite::Connection::open(dir.join("kith.db")).unwrap();
    let hashes: Vec<String> = conn
        .prepare("SELECT ip_hash FROM clicks")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(hashes.len(), 2);
    assert_eq!(hashes[0], hashes[1], "one address, one hash");
    assert_eq!(hashes[0].len(), 32);
    assert!(!hashes[0].contains("203.0.113"));
    let salt = app.store().programs().secret("ip_salt", "unused").unwrap();
    assert_ne!(salt, "unused", "the salt was made by the server and kept");
    assert_eq!(salt.len(), 64);
}

/// The writer's one step, called directly: a batch lands in one go.
#[test]
fn the_click_writer_writes_a_batch_and_reopens_its_log_when_needed() {
    let db = kith_store::testing::sqlite();
    seed(&*db.store());
    let store: Arc<dyn Store> = db.store();
    let member = store
        .programs()
        .link(&ReferralCode::parse("MAYA10").unwrap())
        .unwrap()
        .unwrap()
        .member_id;
    let clicks: Vec<_> = (0..10)
        .map(|i| kith_store::programs::NewClick {
            member_id: member,
            visitor: format!("v{i}"),
            at: OffsetDateTime::now_utc(),
            ip_hash: None,
            content_id: None,
            single_use_code: None,
        })
        .collect();
    let mut log = None;
    kith_server::tracking::clicks::write_batch(store.as_ref(), &mut log, &clicks).unwrap();
    assert!(log.is_some(), "the log stays open for the next batch");
    assert_eq!(store.status().unwrap().clicks, 10);
}
