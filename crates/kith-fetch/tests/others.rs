//! TikTok, YouTube and X against the mock server.

use std::sync::atomic::Ordering;
use std::time::Duration;

use kith_core::Platform;
use kith_fetch::FetchError;
use kith_fetch::state::{RunState, Status};

use crate::mock;
use crate::support::{FakeClock, config, lines, run};

#[test]
fn tiktok_fetches_the_profile_and_pages_videos_by_cursor_and_search_id() {
    let (base, mock) = mock::spawn();
    let dir = tempfile::tempdir().unwrap();
    let summary = run(
        &config(Platform::Tiktok, &base),
        &["oat.latte.example"],
        dir.path(),
        &FakeClock::default(),
    )
    .unwrap();
    assert!(
        summary.skipped.is_empty() && summary.failed.is_empty(),
        "{summary:?}"
    );
    assert_eq!((summary.profiles, summary.posts), (1, 6));
    assert_eq!(
        mock.requests("\"cursor\":3"),
        1,
        "the second page passes the cursor"
    );
    assert_eq!(mock.requests("\"search_id\":\"7380000000000000000\""), 1);
    // 180 days are walked back in windows of at most 30 days.
    assert_eq!(mock.requests("\"start_date\":\"20240503\""), 2);
    // Six full windows and the one day left over: 2024-05-03 … 2023-12-04.
    assert_eq!(mock.requests("POST /v2/research/video/query/"), 2 + 6);
    assert_eq!(
        mock.requests("\"start_date\":\"20231204\",\"end_date\":\"20231204\""),
        1
    );
}

#[test]
fn tiktok_private_accounts_keep_their_profile_and_skip_videos() {
    let (base, mock) = mock::spawn();
    let dir = tempfile::tempdir().unwrap();
    let summary = run(
        &config(Platform::Tiktok, &base),
        &["hidden.example", "ghost.example"],
        dir.path(),
        &FakeClock::default(),
    )
    .unwrap();
    assert_eq!((summary.profiles, summary.posts), (1, 0));
    assert_eq!(mock.requests("video/query"), 0);
    let state = RunState::load(&summary.state_file, Platform::Tiktok).unwrap();
    assert_eq!(
        state.handles[0].detail.as_deref(),
        Some("private account: videos skipped")
    );
    assert_eq!(state.handles[1].status, Status::Skipped);
    assert!(
        summary.skipped[0].1.contains("invalid_params"),
        "{:?}",
        summary.skipped
    );
}

#[test]
fn tiktok_rate_limits_are_waited_out() {
    let (base, mock) = mock::spawn();
    mock.throttle.store(2, Ordering::SeqCst);
    mock.retry_after.store(3, Ordering::SeqCst);
    let clock = FakeClock::default();
    let dir = tempfile::tempdir().unwrap();
    let summary = run(
        &config(Platform::Tiktok, &base),
        &["oat.latte.example"],
        dir.path(),
        &clock,
    )
    .unwrap();
    assert_eq!(summary.posts, 6);
    let sleeps = clock.sleeps.lock().unwrap().clone();
    assert_eq!(sleeps.len(), 2);
    assert!(
        sleeps.iter().all(|d| *d >= Duration::from_secs(3)),
        "{sleeps:?}"
    );
}

#[test]
fn youtube_reads_the_channel_then_its_uploads_within_the_window() {
    let (base, mock) = mock::spawn();
    let dir = tempfile::tempdir().unwrap();
    let summary = run(
        &config(Platform::Youtube, &base),
        &["grindandgather.example", "ghost.example"],
        dir.path(),
        &FakeClock::default(),
    )
    .unwrap();
    assert_eq!(
        (summary.profiles, summary.posts),
        (1, 5),
        "the upload older than 180 days is left out"
    );
    assert_eq!(mock.requests("pageToken=EAAaBlBUOkNBVQ"), 1);
    assert_eq!(summary.skipped[0].1, "no channel with this handle");
    let profiles = lines(&summary.profiles_file);
    assert!(
        profiles[0].contains("\"followers\":23400"),
        "{}",
        profiles[0]
    );
}

#[test]
fn youtube_quota_exhaustion_stops_the_run_resumably() {
    let (base, mock) = mock::spawn();
    mock.quota_spent.store(true, Ordering::SeqCst);
    let dir = tempfile::tempdir().unwrap();
    let err = run(
        &config(Platform::Youtube, &base),
        &["grindandgather.example"],
        dir.path(),
        &FakeClock::default(),
    )
    .unwrap_err();
    assert!(matches!(err, FetchError::Quota { .. }), "{err:?}");
    assert!(err.to_string().contains("exceeded your quota."), "{err}");
}

#[test]
fn x_fetches_the_user_then_pages_posts_by_next_token() {
    let (base, mock) = mock::spawn();
    let dir = tempfile::tempdir().unwrap();
    let summary = run(
        &config(Platform::X, &base),
        &["BrewBench_ex", "nobody_ex", "locked_ex"],
        dir.path(),
        &FakeClock::default(),
    )
    .unwrap();
    assert_eq!((summary.profiles, summary.posts), (2, 4));
    assert_eq!(
        mock.requests("pagination_token=7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i"),
        1
    );
    assert_eq!(summary.skipped.len(), 1);
    assert_eq!(
        summary.skipped[0].1,
        "X Not Found Error: Could not find user with username: [nobody_ex]."
    );
    let state = RunState::load(&summary.state_file, Platform::X).unwrap();
    assert_eq!(
        state.handles[2].detail.as_deref(),
        Some("protected account: posts skipped")
    );
}

#[test]
fn x_429_waits_until_the_rate_limit_reset() {
    let (base, mock) = mock::spawn();
    mock.throttle.store(1, Ordering::SeqCst);
    mock.retry_after.store(120, Ordering::SeqCst);
    let clock = FakeClock::default();
    let dir = tempfile::tempdir().unwrap();
    run(
        &config(Platform::X, &base),
        &["brewbench_ex"],
        dir.path(),
        &clock,
    )
    .unwrap();
    let sleeps = clock.sleeps.lock().unwrap().clone();
    assert!(
        sleeps[0] >= Duration::from_secs(120) && sleeps[0] <= Duration::from_secs(132),
        "{sleeps:?}"
    );
}

#[test]
fn a_wait_longer_than_allowed_stops_the_run_instead_of_hanging() {
    let (base, mock) = mock::spawn();
    mock.throttle.store(1, Ordering::SeqCst);
    mock.retry_after.store(3 * 3600, Ordering::SeqCst);
    let clock = FakeClock::default();
    let dir = tempfile::tempdir().unwrap();
    let err = run(
        &config(Platform::X, &base),
        &["brewbench_ex"],
        dir.path(),
        &clock,
    )
    .unwrap_err();
    assert!(matches!(err, FetchError::RateLimited { .. }), "{err:?}");
    assert!(clock.sleeps.lock().unwrap().is_empty());
}
