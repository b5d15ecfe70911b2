//! Instagram Business Discovery against the mock Graph API.

use std::io::BufReader;
use std::sync::atomic::Ordering;
use std::time::Duration;

use kith_core::{Platform, Record};
use kith_fetch::state::{RunState, Status};
use kith_fetch::{FetchError, Token};
use kith_io::ndjson::{NdjsonReader, RecordKind};
use kith_io::social::{SocialFormat, SocialOptions};

use crate::mock;
use crate::support::{FakeClock, NOW, TOKEN, config, lines, run};

#[test]
fn media_pages_are_followed_until_enough_posts_are_fetched() {
    let (base, mock) = mock::spawn();
    let dir = tempfile::tempdir().unwrap();
    let mut c = config(Platform::Instagram, &base);
    c.max_posts = 30;
    let summary = run(&c, &["big.example"], dir.path(), &FakeClock::default()).unwrap();
    assert_eq!(mock.requests("GET /v25.0/17841400000000999"), 2);
    assert_eq!(
        mock.requests("media.after(cur25).limit(25)"),
        1,
        "the second page starts at the first page's cursor"
    );
    assert_eq!(
        (summary.fetched, summary.profiles, summary.posts),
        (1, 1, 40)
    );
    assert_eq!(lines(&summary.posts_file).len(), 40);
}

#[test]
fn a_429_waits_at_least_as_long_as_retry_after() {
    let (base, mock) = mock::spawn();
    mock.throttle.store(1, Ordering::SeqCst);
    mock.retry_after.store(7, Ordering::SeqCst);
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::default();
    let summary = run(
        &config(Platform::Instagram, &base),
        &["maple.crumbs.example"],
        dir.path(),
        &clock,
    )
    .unwrap();
    assert_eq!(summary.fetched, 1);
    let sleeps = clock.sleeps.lock().unwrap().clone();
    assert_eq!(sleeps.len(), 1);
    assert!(
        sleeps[0] >= Duration::from_secs(7) && sleeps[0] <= Duration::from_millis(7700),
        "{sleeps:?}"
    );
}

#[test]
fn an_expired_token_stops_the_run_with_a_clear_error_that_never_shows_the_token() {
    let (base, mock) = mock::spawn();
    mock.expire_after.store(1, Ordering::SeqCst);
    let dir = tempfile::tempdir().unwrap();
    let c = config(Platform::Instagram, &base);
    let err = run(
        &c,
        &["maple.crumbs.example", "big.example"],
        dir.path(),
        &FakeClock::default(),
    )
    .unwrap_err();
    assert!(matches!(err, FetchError::Auth { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("instagram rejected the token"), "{text}");
    assert!(text.contains("Session has expired"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
    assert!(!format!("{err:?}").contains(TOKEN));
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let content = std::fs::read_to_string(file.unwrap().path()).unwrap();
        assert!(!content.contains(TOKEN), "no output file holds the token");
    }
}

#[test]
fn a_run_interrupted_by_an_expired_token_resumes_where_it_stopped() {
    let (base, mock) = mock::spawn();
    mock.expire_after.store(1, Ordering::SeqCst);
    let dir = tempfile::tempdir().unwrap();
    let c = config(Platform::Instagram, &base);
    let names = ["maple.crumbs.example", "big.example"];
    assert!(run(&c, &names, dir.path(), &FakeClock::default()).is_err());
    let state = RunState::load(
        &RunState::path(dir.path(), Platform::Instagram),
        Platform::Instagram,
    )
    .unwrap();
    assert_eq!(state.handles.len(), 1);
    assert_eq!(state.handles[0].status, Status::Done);

    // A new token: the second run fetches only what the first did not finish.
    mock.expire_after.store(0, Ordering::SeqCst);
    let summary = run(&c, &names, dir.path(), &FakeClock::default()).unwrap();
    assert_eq!((summary.already_done, summary.fetched), (1, 1));
    assert_eq!(
        mock.requests("username(maple.crumbs.example)"),
        1,
        "a finished handle is not fetched again"
    );
    assert_eq!(lines(&summary.profiles_file).len(), 2);
}

#[test]
fn a_missing_account_is_recorded_and_skipped_and_the_run_goes_on() {
    let (base, _mock) = mock::spawn();
    let dir = tempfile::tempdir().unwrap();
    let c = config(Platform::Instagram, &base);
    let summary = run(
        &c,
        &["ghost.example", "maple.crumbs.example"],
        dir.path(),
        &FakeClock::default(),
    )
    .unwrap();
    assert_eq!(summary.fetched, 1);
    assert_eq!(summary.skipped.len(), 1);
    assert_eq!(summary.skipped[0].0.as_str(), "ghost.example");
    assert!(
        summary.skipped[0]
            .1
            .contains("not found, or not a business or creator account"),
        "{}",
        summary.skipped[0].1
    );
    let state = RunState::load(&summary.state_file, Platform::Instagram).unwrap();
    assert_eq!(state.handles[0].status, Status::Skipped);
    // A skipped handle is settled: the next run does not ask again.
    let again = run(&c, &["ghost.example"], dir.path(), &FakeClock::default()).unwrap();
    assert_eq!(again.already_done, 1);
}

#[test]
fn output_is_canonical_ndjson_and_the_raw_file_reads_to_the_same_records() {
    let (base, _mock) = mock::spawn();
    let dir = tempfile::tempdir().unwrap();
    let summary = run(
        &config(Platform::Instagram, &base),
        &["maple.crumbs.example"],
        dir.path(),
        &FakeClock::default(),
    )
    .unwrap();
    let open = |p: &std::path::Path| BufReader::new(std::fs::File::open(p).unwrap());
    let profiles: Vec<Record> =
        NdjsonReader::new(open(&summary.profiles_file), "p", RecordKind::Profiles)
            .collect::<Result<_, _>>()
            .unwrap();
    let posts: Vec<Record> = NdjsonReader::new(open(&summary.posts_file), "p", RecordKind::Posts)
        .collect::<Result<_, _>>()
        .unwrap();
    match &profiles[0] {
        Record::Profile(p) => {
            assert_eq!(p.fetched_at, Some(NOW), "dated by the run's clock");
            assert_eq!(p.followers, Some(5000));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(posts.len(), 5);
    let raw: Vec<Record> = SocialFormat::InstagramGraph
        .reader(
            open(&dir.path().join("instagram-raw.ndjson")),
            "raw",
            SocialOptions::default(),
        )
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(raw, [profiles, posts].concat());
}

#[test]
fn without_a_token_the_error_names_the_variable_to_set() {
    let err = Token::load(Platform::Instagram, None);
    // The variable is unset in the test environment unless a developer set it.
    if std::env::var("KITH_INSTAGRAM_TOKEN").is_err() {
        assert_eq!(
            err.unwrap_err().to_string(),
            "no instagram token: set KITH_INSTAGRAM_TOKEN or pass --token-file"
        );
    }
}
