//! Records to rows and back, in the column order of [`crate::tables`].
//!
//! Encoding borrows from the record wherever it can, because an import writes millions
//! of rows. Decoding checks what the schema cannot (enum names, non-negative counts) and
//! reports a stored value it cannot read as [`StoreError::Corrupt`].

use kith_core::record::{FollowerPoint, Handles};
use kith_core::{Candidate, Handle, Money, Order, Person, Platform, Post, Profile, Review};

use crate::StoreError;
use crate::convert::{self, Unstorable};
use crate::value::{Cursor, Value};

/// [`crate::tables::PEOPLE`]'s columns but the last, `updated_at`.
pub(crate) fn person(p: &Person) -> Result<Vec<Value<'_>>, Unstorable> {
    Ok(vec![
        Value::str(&p.id),
        Value::opt_str(p.source.map(|s| s.as_str())),
        Value::opt_str(p.email.as_deref()),
        Value::opt_str(p.first_name.as_deref()),
        Value::opt_str(p.last_name.as_deref()),
        Value::opt_str(p.city.as_deref()),
        Value::opt_str(p.region.as_deref()),
        Value::opt_str(p.country.as_deref()),
        Value::opt_str(p.postal_code.as_deref()),
        Value::opt_int(p.orders_count.map(i64::from)),
        Value::opt_int(p.total_spent.map(Money::minor)),
        Value::opt_bool(p.accepts_marketing),
        Value::owned(convert::to_json("tags", &p.tags)?),
        Value::opt_str(p.title.as_deref()),
        Value::opt_str(p.department.as_deref()),
    ])
}

pub(crate) fn read_person(c: &mut Cursor<'_>) -> Result<Person, StoreError> {
    Ok(Person {
        id: c.req_text("people.id")?,
        source: convert::person_source(c.text()?)?,
        email: c.text()?,
        first_name: c.text()?,
        last_name: c.text()?,
        city: c.text()?,
        region: c.text()?,
        country: c.text()?,
        postal_code: c.text()?,
        orders_count: c
            .int()?
            .map(|n| convert::u32_of("people.orders_count", n))
            .transpose()?,
        total_spent: c.int()?.map(Money::from_minor),
        accepts_marketing: c.boolean()?,
        tags: convert::from_json("people.tags", &c.req_text("people.tags")?)?,
        handles: Handles::default(),
        title: c.text()?,
        department: c.text()?,
    })
}

pub(crate) fn set_handle(handles: &mut Handles, platform: Platform, handle: Handle) {
    let slot = match platform {
        Platform::Instagram => &mut handles.instagram,
        Platform::Tiktok => &mut handles.tiktok,
        Platform::Youtube => &mut handles.youtube,
        Platform::X => &mut handles.x,
    };
    *slot = Some(handle);
}

pub(crate) fn profile(p: &Profile) -> Result<Vec<Value<'_>>, Unstorable> {
    Ok(vec![
        Value::str(p.platform.as_str()),
        Value::str(p.handle.as_str()),
        Value::opt_str(p.user_id.as_deref()),
        Value::opt_str(p.display_name.as_deref()),
        Value::opt_str(p.bio.as_deref()),
        Value::opt_int(convert::opt_int("followers", p.followers)?),
        Value::opt_int(convert::opt_int("following", p.following)?),
        Value::opt_int(convert::opt_int("posts_count", p.posts_count)?),
        Value::opt_bool(p.is_verified),
        Value::opt_bool(p.is_private),
        Value::opt_bool(p.has_profile_pic),
        Value::opt_str(p.external_url.as_deref()),
        Value::opt_timestamp(p.fetched_at),
        Value::owned(convert::to_json("follower_history", &p.follower_history)?),
    ])
}

pub(crate) fn read_profile(c: &mut Cursor<'_>) -> Result<Profile, StoreError> {
    Ok(Profile {
        platform: convert::platform(&c.req_text("profiles.platform")?)?,
        handle: convert::handle(&c.req_text("profiles.handle")?)?,
        user_id: c.text()?,
        display_name: c.text()?,
        bio: c.text()?,
        followers: convert::opt_uint("profiles.followers", c.int()?)?,
        following: convert::opt_uint("profiles.following", c.int()?)?,
        posts_count: convert::opt_uint("profiles.posts_count", c.int()?)?,
        is_verified: c.boolean()?,
        is_private: c.boolean()?,
        has_profile_pic: c.boolean()?,
        external_url: c.text()?,
        fetched_at: c.timestamp()?,
        follower_history: convert::from_json::<Vec<FollowerPoint>>(
            "profiles.follower_history",
            &c.req_text("profiles.follower_history")?,
        )?,
    })
}

pub(crate) fn post(p: &Post) -> Result<Vec<Value<'_>>, Unstorable> {
    Ok(vec![
        Value::str(p.platform.as_str()),
        Value::str(p.handle.as_str()),
        Value::str(&p.post_id),
        Value::opt_timestamp(p.posted_at),
        Value::opt_str(p.kind.map(|k| k.as_str())),
        Value::opt_str(p.caption.as_deref()),
        Value::opt_int(convert::opt_int("likes", p.likes)?),
        Value::opt_int(convert::opt_int("comments", p.comments)?),
        Value::opt_int(convert::opt_int("shares", p.shares)?),
        Value::opt_int(convert::opt_int("saves", p.saves)?),
        Value::opt_int(convert::opt_int("views", p.views)?),
        Value::opt_bool(p.is_sponsored),
        Value::owned(convert::to_json("comments_sample", &p.comments_sample)?),
    ])
}

pub(crate) fn read_post(c: &mut Cursor<'_>) -> Result<Post, StoreError> {
    Ok(Post {
        platform: convert::platform(&c.req_text("posts.platform")?)?,
        handle: convert::handle(&c.req_text("posts.handle")?)?,
        post_id: c.req_text("posts.post_id")?,
        posted_at: c.timestamp()?,
        kind: convert::post_kind(c.text()?)?,
        caption: c.text()?,
        likes: convert::opt_uint("posts.likes", c.int()?)?,
        comments: convert::opt_uint("posts.comments", c.int()?)?,
        shares: convert::opt_uint("posts.shares", c.int()?)?,
        saves: convert::opt_uint("posts.saves", c.int()?)?,
        views: convert::opt_uint("posts.views", c.int()?)?,
        is_sponsored: c.boolean()?,
        comments_sample: convert::from_json(
            "posts.comments_sample",
            &c.req_text("posts.comments_sample")?,
        )?,
    })
}

pub(crate) fn review(r: &Review) -> Vec<Value<'_>> {
    vec![
        Value::str(&r.id),
        Value::opt_str(r.person_id.as_deref()),
        Value::opt_str(r.email.as_deref()),
        Value::opt_str(r.product.as_deref()),
        Value::Int(i64::from(r.rating)),
        Value::opt_str(r.title.as_deref()),
        Value::opt_str(r.body.as_deref()),
        Value::opt_timestamp(r.created_at),
        Value::opt_bool(r.verified_buyer),
    ]
}

pub(crate) fn read_review(c: &mut Cursor<'_>) -> Result<Review, StoreError> {
    Ok(Review {
        id: c.req_text("reviews.id")?,
        person_id: c.text()?,
        email: c.text()?,
        product: c.text()?,
        rating: {
            let stars = c.req_int("reviews.rating")?;
            u8::try_from(stars)
                .map_err(|_| StoreError::Corrupt(format!("reviews.rating is {stars}")))?
        },
        title: c.text()?,
        body: c.text()?,
        created_at: c.timestamp()?,
        verified_buyer: c.boolean()?,
    })
}

pub(crate) fn order(o: &Order) -> Result<Vec<Value<'_>>, Unstorable> {
    Ok(vec![
        Value::str(&o.id),
        Value::opt_str(o.person_id.as_deref()),
        Value::opt_str(o.email.as_deref()),
        Value::opt_timestamp(o.created_at),
        Value::opt_str(o.currency.as_deref()),
        Value::Int(o.subtotal_price.minor()),
        Value::opt_int(o.total_price.map(Money::minor)),
        Value::opt_int(o.total_discounts.map(Money::minor)),
        Value::owned(convert::to_json("discount_codes", &o.discount_codes)?),
        Value::opt_str(o.financial_status.as_deref()),
        Value::opt_str(o.landing_site.as_deref()),
        Value::opt_str(o.referring_site.as_deref()),
    ])
}

/// [`crate::tables::CANDIDATES`]' columns. Scores must be finite: a
/// NaN would be stored as NULL by SQLite but kept by PostgreSQL.
pub(crate) fn candidate(c: &Candidate) -> Result<Vec<Value<'_>>, Unstorable> {
    let finite = |field: &'static str, x: Option<f64>| match x {
        Some(v) if !v.is_finite() => Err(Unstorable {
            field,
            reason: format!("{v} is not a finite number"),
        }),
        _ => Ok(Value::opt_real(x)),
    };
    Ok(vec![
        Value::opt_str(c.person_id.as_deref()),
        Value::opt_str(c.source.map(|s| s.as_str())),
        Value::str(&c.name),
        Value::str(c.platform.as_str()),
        Value::str(c.handle.as_str()),
        Value::opt_int(convert::opt_int("followers", c.followers)?),
        Value::opt_str(c.tier.map(|t| t.as_str())),
        finite("engagement_rate", c.engagement_rate)?,
        finite("er_index", c.er_index)?,
        finite("authenticity", c.authenticity)?,
        Value::owned(convert::join_list(&c.authenticity_flags)),
        Value::owned(convert::join_list(&c.categories)),
        Value::Int(i64::from(c.brand_mentions)),
        finite("brand_sentiment", c.brand_sentiment)?,
        finite("customer_value", c.customer_value)?,
        finite("fit_score", Some(c.fit_score))?,
        Value::str(&c.explanation),
        Value::owned(convert::categories_key(&c.categories)),
    ])
}

pub(crate) fn read_candidate(c: &mut Cursor<'_>, rank: u32) -> Result<Candidate, StoreError> {
    Ok(Candidate {
        rank,
        person_id: c.text()?,
        source: convert::person_source(c.text()?)?,
        name: c.req_text("candidates.name")?,
        platform: convert::platform(&c.req_text("candidates.platform")?)?,
        handle: convert::handle(&c.req_text("candidates.handle")?)?,
        followers: convert::opt_uint("candidates.followers", c.int()?)?,
        tier: convert::tier(c.text()?)?,
        engagement_rate: c.real()?,
        er_index: c.real()?,
        authenticity: c.real()?,
        authenticity_flags: convert::split_list(&c.req_text("candidates.authenticity_flags")?),
        categories: convert::split_list(&c.req_text("candidates.categories")?),
        brand_mentions: convert::u32_of(
            "candidates.brand_mentions",
            c.req_int("candidates.brand_mentions")?,
        )?,
        brand_sentiment: c.real()?,
        customer_value: c.real()?,
        fit_score: c.req_real("candidates.fit_score")?,
        explanation: c.req_text("candidates.explanation")?,
    })
}
