//! Instagram Graph API Business Discovery responses.

use kith_core::engagement::engagement;
use kith_core::{PostKind, Record};
use kith_io::social::SocialFormat;
use time::OffsetDateTime;
use time::macros::datetime;

use crate::support::{posts, profiles, read_ok};

const GRAPH: SocialFormat = SocialFormat::InstagramGraph;
const FETCHED: OffsetDateTime = datetime!(2024-06-01 00:00 UTC);
/// A clock far from the fixtures: if it were used instead of `fetched_at`, every post
/// would fall outside the 180-day window and no rate would come out.
const FAR_NOW: OffsetDateTime = datetime!(2031-01-01 00:00 UTC);

#[test]
fn one_response_is_one_profile_then_its_media() {
    let records = read_ok(GRAPH, "instagram-one.json", None);
    assert!(
        matches!(records[0], Record::Profile(_)),
        "the profile comes first"
    );
    let p = profiles(&records)[0];
    assert_eq!(p.handle.as_str(), "maple.crumbs.example");
    assert_eq!(p.user_id.as_deref(), Some("17841400000000001"));
    assert_eq!(p.display_name.as_deref(), Some("Maple Crumbs"));
    assert_eq!(p.bio.as_deref(), Some("Home baker. Coffee first. 🍞☕"));
    assert_eq!(
        (p.followers, p.following, p.posts_count),
        (Some(4200), Some(610), Some(318))
    );
    assert_eq!(
        p.external_url.as_deref(),
        Some("https://maple-crumbs.example")
    );
    assert_eq!(
        (p.is_private, p.is_verified, p.has_profile_pic),
        (Some(false), None, Some(true))
    );
    assert_eq!(
        p.fetched_at, None,
        "the response does not say, and readers never read the clock"
    );
    let media = posts(&records);
    assert_eq!(media.len(), 6);
    assert_eq!(media[0].post_id, "1790000000000000");
    assert_eq!(media[0].posted_at, Some(datetime!(2024-05-28 22:00:00 UTC)));
    assert_eq!((media[0].likes, media[0].comments), (Some(120), Some(10)));
    assert_eq!(
        (media[0].shares, media[0].saves, media[0].views),
        (None, None, None)
    );
    assert_eq!(
        media[0].caption.as_deref(),
        Some("Morning pour-over #0 #fernwoodcoffee")
    );
}

#[test]
fn media_types_map_to_canonical_kinds() {
    let records = read_ok(GRAPH, "instagram-one.json", None);
    let kinds: Vec<Option<PostKind>> = posts(&records).iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds[..4],
        [
            Some(PostKind::Image),
            Some(PostKind::Carousel),
            Some(PostKind::Reel),
            Some(PostKind::Video)
        ]
    );
}

#[test]
fn two_responses_import_as_two_profiles_and_all_their_media() {
    for name in ["instagram-two.json", "instagram-two.ndjson"] {
        let records = read_ok(GRAPH, name, Some(FETCHED));
        let ps = profiles(&records);
        let handles: Vec<&str> = ps.iter().map(|p| p.handle.as_str()).collect();
        assert_eq!(
            handles,
            ["maple.crumbs.example", "trail.notes.example"],
            "{name}"
        );
        assert_eq!(posts(&records).len(), 6 + 14, "{name}");
        assert!(
            ps.iter().all(|p| p.fetched_at == Some(FETCHED)),
            "the caller's fetch time applies"
        );
    }
}

#[test]
fn engagement_rates_follow_the_contract_exactly() {
    let records = read_ok(GRAPH, "instagram-two.json", Some(FETCHED));
    let ps = profiles(&records);
    let of = |handle: &str| -> Vec<kith_core::Post> {
        posts(&records)
            .into_iter()
            .filter(|p| p.handle.as_str() == handle)
            .cloned()
            .collect()
    };
    // maple.crumbs.example: five posts in the window (the 200-day-old one is out);
    // interactions 130, 84, 212, 156, 100 → median 130 over 4,200 followers.
    let a = engagement(ps[0], &of("maple.crumbs.example"), FAR_NOW);
    assert_eq!(a.posts_used, 5);
    assert_eq!(a.rate, Some(130.0 / 4200.0));
    // trail.notes.example: fourteen posts in the window, only the latest twelve count;
    // their interactions sorted are 312 … 398, 410, 432 … 744 → median (410 + 432) / 2.
    let b = engagement(ps[1], &of("trail.notes.example"), FAR_NOW);
    assert_eq!(b.posts_used, 12);
    assert_eq!(b.rate, Some(421.0 / 18500.0));
}

#[test]
fn the_fetch_time_in_a_saved_response_wins_over_the_callers() {
    let records = read_ok(GRAPH, "instagram-fetched.ndjson", Some(FAR_NOW));
    assert_eq!(profiles(&records)[0].fetched_at, Some(FETCHED));
}

#[test]
fn missing_optional_fields_are_empty_not_zero() {
    let records = read_ok(GRAPH, "instagram-missing-fields.json", None);
    let p = profiles(&records)[0];
    assert_eq!(
        (
            p.display_name.as_deref(),
            p.bio.as_deref(),
            p.external_url.as_deref()
        ),
        (None, None, None)
    );
    assert_eq!(
        (p.following, p.posts_count, p.has_profile_pic),
        (None, None, None)
    );
    let media = posts(&records);
    assert_eq!(media[0].likes, None, "hidden like counts stay unknown");
    assert_eq!(media[1].posted_at, None);
    assert_eq!(media[1].kind, None);
    assert_eq!(media[2].kind, None, "an unknown media type is left unknown");
}
