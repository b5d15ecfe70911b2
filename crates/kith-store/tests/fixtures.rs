//! Small, readable records for the tests, and helpers to import them.

use kith_core::record::{FollowerPoint, Handles};
use kith_core::{
    Candidate, Handle, Money, Order, Person, PersonSource, Platform, Post, PostKind, Profile,
    Record, Review, Tier,
};
use kith_store::{ImportReport, InputError, Store};
use time::macros::{date, datetime};

pub fn handle(text: &str) -> Handle {
    Handle::parse(text).unwrap()
}

pub fn customer(id: &str, email: &str) -> Person {
    Person {
        id: id.into(),
        source: Some(PersonSource::Customer),
        email: Some(email.into()),
        first_name: Some("Maya".into()),
        ..Person::default()
    }
}

pub fn employee(id: &str, email: &str) -> Person {
    Person {
        source: Some(PersonSource::Employee),
        ..customer(id, email)
    }
}

/// A person with every field set, timestamps aside.
pub fn full_person() -> Person {
    Person {
        id: "c-100".into(),
        source: Some(PersonSource::Customer),
        email: Some("maya@example.com".into()),
        first_name: Some("Maya".into()),
        last_name: Some("Okafor".into()),
        city: Some("Portland".into()),
        region: Some("OR".into()),
        country: Some("US".into()),
        postal_code: Some("97201".into()),
        orders_count: Some(7),
        total_spent: Some(Money::from_minor(123_456)),
        accepts_marketing: Some(true),
        tags: vec!["vip".into(), "coffee; beans".into(), "é€".into()],
        handles: Handles {
            instagram: Some(handle("maya.eats")),
            tiktok: Some(handle("mayaeats")),
            youtube: None,
            x: None,
        },
        title: None,
        department: None,
    }
}

pub fn profile(platform: Platform, name: &str, followers: u64) -> Profile {
    Profile {
        platform,
        handle: handle(name),
        user_id: None,
        display_name: None,
        bio: None,
        followers: Some(followers),
        following: None,
        posts_count: None,
        is_verified: None,
        is_private: None,
        has_profile_pic: None,
        external_url: None,
        fetched_at: None,
        follower_history: Vec::new(),
    }
}

/// A profile with every field set; `fetched_at` carries nanoseconds and an offset.
pub fn full_profile() -> Profile {
    Profile {
        user_id: Some("17841400000".into()),
        display_name: Some("Maya Eats".into()),
        bio: Some("Coffee & croissants ☕".into()),
        following: Some(312),
        posts_count: Some(845),
        is_verified: Some(false),
        is_private: Some(false),
        has_profile_pic: Some(true),
        external_url: Some("https://maya.example".into()),
        fetched_at: Some(datetime!(2026-02-01 10:30:00.123456789 +01:00)),
        follower_history: vec![
            FollowerPoint {
                date: date!(2026 - 01 - 01),
                followers: 11_800,
            },
            FollowerPoint {
                date: date!(2026 - 02 - 01),
                followers: 12_400,
            },
        ],
        ..profile(Platform::Instagram, "maya.eats", 12_400)
    }
}

pub fn post(platform: Platform, name: &str, post_id: &str) -> Post {
    Post {
        platform,
        handle: handle(name),
        post_id: post_id.into(),
        posted_at: None,
        kind: None,
        caption: None,
        likes: Some(10),
        comments: None,
        shares: None,
        saves: None,
        views: None,
        is_sponsored: None,
        comments_sample: Vec::new(),
    }
}

pub fn full_post() -> Post {
    Post {
        posted_at: Some(datetime!(2026-01-20 23:59:59.999999999 -08:00)),
        kind: Some(PostKind::Reel),
        caption: Some("Morning ritual with @fernwoodcoffee #fernwoodcoffee".into()),
        likes: Some(480),
        comments: Some(31),
        shares: Some(4),
        saves: Some(12),
        views: Some(9_000),
        is_sponsored: Some(false),
        comments_sample: vec!["love this!".into(), "🔥🔥".into()],
        ..post(Platform::Instagram, "maya.eats", "p-1")
    }
}

pub fn review(id: &str, person_id: Option<&str>, email: Option<&str>) -> Review {
    Review {
        id: id.into(),
        person_id: person_id.map(Into::into),
        email: email.map(Into::into),
        product: Some("Morning Ritual blend".into()),
        rating: 5,
        title: Some("Best beans".into()),
        body: Some("Smooth, never bitter.".into()),
        created_at: Some(datetime!(2025-12-24 08:00:00 UTC)),
        verified_buyer: Some(true),
    }
}

pub fn order(id: &str, person_id: Option<&str>, email: Option<&str>, subtotal: i64) -> Order {
    Order {
        id: id.into(),
        person_id: person_id.map(Into::into),
        email: email.map(Into::into),
        created_at: Some(datetime!(2026-01-05 12:00:00 UTC)),
        currency: Some("USD".into()),
        subtotal_price: Money::from_minor(subtotal),
        total_price: Some(Money::from_minor(subtotal + 800)),
        total_discounts: Some(Money::from_minor(0)),
        discount_codes: vec!["MAYA10".into()],
        financial_status: Some("paid".into()),
        landing_site: Some("/?ref=maya".into()),
        referring_site: None,
    }
}

pub fn candidate(platform: Platform, name: &str, person_id: Option<&str>, fit: f64) -> Candidate {
    Candidate {
        rank: 0,
        person_id: person_id.map(Into::into),
        source: person_id.map(|_| PersonSource::Customer),
        name: name.into(),
        platform,
        handle: handle(name),
        followers: Some(5_000),
        tier: Some(Tier::Micro),
        engagement_rate: Some(0.034),
        er_index: Some(1.2),
        authenticity: Some(80.0),
        authenticity_flags: Vec::new(),
        categories: vec!["food & drink".into()],
        brand_mentions: 2,
        brand_sentiment: Some(40.0),
        customer_value: Some(55.5),
        fit_score: fit,
        explanation: format!("{name} fits"),
    }
}

/// Imports records that are all valid.
pub fn import(store: &dyn Store, records: impl IntoIterator<Item = Record>) -> ImportReport {
    let mut stream = records.into_iter().map(Ok::<Record, InputError>);
    store.import(&mut stream).unwrap()
}
