//! TikTok, YouTube, X and Instaloader files.

use kith_core::{Platform, PostKind};
use kith_io::social::SocialFormat;
use time::macros::datetime;

use crate::support::{posts, profiles, read_ok};

#[test]
fn tiktok_display_api_user_info_and_video_list_read_as_profile_and_videos() {
    let records = read_ok(SocialFormat::Tiktok, "tiktok-display.ndjson", None);
    let p = profiles(&records)[0];
    assert_eq!(
        (p.platform, p.handle.as_str()),
        (Platform::Tiktok, "oat.latte.example")
    );
    assert_eq!(
        (p.followers, p.following, p.posts_count),
        (Some(12840), Some(211), Some(187))
    );
    assert_eq!(p.is_verified, Some(false));
    let v = posts(&records);
    assert_eq!(v.len(), 2);
    assert_eq!(
        v[0].handle.as_str(),
        "oat.latte.example",
        "videos belong to the profile before them"
    );
    assert_eq!(v[0].posted_at, Some(datetime!(2024-05-27 08:53:20 UTC)));
    assert_eq!(
        (v[0].likes, v[0].comments, v[0].shares, v[0].views),
        (Some(1500), Some(40), Some(22), Some(30100))
    );
    assert_eq!(
        v[1].caption.as_deref(),
        Some("Tulip fail"),
        "an empty description falls back to the title"
    );
    assert_eq!(v[0].kind, Some(PostKind::Video));
}

#[test]
fn tiktok_research_api_responses_take_the_handle_from_the_envelope() {
    let records = read_ok(SocialFormat::Tiktok, "tiktok-research.json", None);
    let p = profiles(&records)[0];
    assert_eq!(p.handle.as_str(), "oat.latte.example");
    assert_eq!(p.is_private, Some(false));
    assert_eq!(p.fetched_at, Some(datetime!(2024-06-01 00:00 UTC)));
    let v = posts(&records);
    assert_eq!(
        v[0].post_id, "7370000000000000001",
        "a numeric id keeps every digit"
    );
    assert_eq!(v[0].saves, Some(75), "favourites are saves");
}

#[test]
fn youtube_channels_then_videos_read_with_string_statistics() {
    let records = read_ok(SocialFormat::Youtube, "youtube.json", None);
    let p = profiles(&records)[0];
    assert_eq!(p.handle.as_str(), "grindandgather.example");
    assert_eq!(p.user_id.as_deref(), Some("UCexample000000000000001"));
    assert_eq!((p.followers, p.posts_count), (Some(23400), Some(141)));
    let v = posts(&records);
    assert_eq!(v.len(), 2);
    assert_eq!(
        v[0].handle.as_str(),
        "grindandgather.example",
        "owner found by channelId"
    );
    assert_eq!(
        (v[0].likes, v[0].comments, v[0].views),
        (Some(2300), Some(188), Some(54010))
    );
    assert_eq!(v[1].likes, None, "a hidden like count stays unknown");
    assert_eq!(
        v[0].caption.as_deref(),
        Some("Cold brew at 3,000 m\nGear list below.")
    );
}

#[test]
fn x_users_and_posts_map_public_metrics() {
    let records = read_ok(SocialFormat::X, "x.ndjson", None);
    let p = profiles(&records)[0];
    assert_eq!(p.handle.as_str(), "brewbench_ex");
    assert_eq!(
        (p.followers, p.following, p.posts_count),
        (Some(6100), Some(800), Some(9032))
    );
    assert_eq!(
        p.external_url.as_deref(),
        Some("https://brewbench.example"),
        "t.co links are expanded"
    );
    assert_eq!((p.is_private, p.has_profile_pic), (Some(false), Some(true)));
    let t = posts(&records);
    assert_eq!(t[0].posted_at, Some(datetime!(2024-05-30 08:00 UTC)));
    assert_eq!(
        (
            t[0].likes,
            t[0].comments,
            t[0].shares,
            t[0].saves,
            t[0].views
        ),
        (Some(140), Some(9), Some(15), Some(7), Some(8800))
    );
    assert_eq!(
        (t[0].kind, t[1].kind),
        (Some(PostKind::Image), Some(PostKind::Text))
    );
}

#[test]
fn instaloader_profile_and_post_files_read_in_order() {
    let records = read_ok(SocialFormat::Instaloader, "instaloader.json", None);
    let p = profiles(&records)[0];
    assert_eq!(
        (p.platform, p.handle.as_str()),
        (Platform::Instagram, "crumb.diary.example")
    );
    assert_eq!((p.followers, p.following), (Some(2750), Some(330)));
    let v = posts(&records);
    assert_eq!(v[0].post_id, "EXAMPLEcd1");
    assert_eq!(
        (v[0].kind, v[0].likes, v[0].comments),
        (Some(PostKind::Carousel), Some(310), Some(2))
    );
    assert_eq!(
        v[0].comments_sample,
        ["Gorgeous crumb!", "Recipe please 🙏"]
    );
    assert_eq!(
        v[0].caption.as_deref(),
        Some("Weekend loaf with @fernwoodcoffee")
    );
    assert_eq!(
        (v[1].kind, v[1].views, v[1].comments),
        (Some(PostKind::Reel), Some(5400), Some(11))
    );
    assert_eq!(
        v[1].handle.as_str(),
        "crumb.diary.example",
        "an owner without a username is the profile read before"
    );
}

#[test]
fn each_fixture_is_recognised_as_its_own_format_only() {
    let cases = [
        ("instagram-two.json", SocialFormat::InstagramGraph),
        ("instagram-two.ndjson", SocialFormat::InstagramGraph),
        ("tiktok-display.ndjson", SocialFormat::Tiktok),
        ("tiktok-research.json", SocialFormat::Tiktok),
        ("youtube.json", SocialFormat::Youtube),
        ("x.ndjson", SocialFormat::X),
        ("instaloader.json", SocialFormat::Instaloader),
    ];
    for (name, format) in cases {
        let bytes = std::fs::read(crate::support::fixture(name)).unwrap();
        let head = &bytes[..bytes.len().min(4096)];
        assert_eq!(SocialFormat::guess(head), Some(format), "{name}");
    }
}
