//! The tables that imports and scoring write, described once for both dialects: their
//! columns in row order, with the type PostgreSQL needs to bind a column as an array.
//!
//! These lists must match `migrations/*/`; [`crate::rows`] encodes records in this order
//! and [`crate::sql`] renders statements from them.

/// How a column is typed, which PostgreSQL needs to bind a whole column as one array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Int,
    Real,
    Bool,
    Timestamp,
}

impl Kind {
    pub(crate) fn pg_array(self) -> &'static str {
        match self {
            Kind::Text => "text[]",
            Kind::Int => "bigint[]",
            Kind::Real => "double precision[]",
            Kind::Bool => "boolean[]",
            Kind::Timestamp => "timestamptz[]",
        }
    }
}

/// A table that imports and scoring write, described once for both dialects. Writing a
/// row upserts by `key`, or inserts when `key` is empty.
#[derive(Debug)]
pub(crate) struct Table {
    /// Position in [`TABLES`], to find the table's statements.
    pub index: usize,
    pub name: &'static str,
    pub key: &'static [&'static str],
    pub columns: &'static [(&'static str, Kind)],
}

impl Table {
    pub(crate) fn column_names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|(name, _)| *name).collect()
    }

    /// Positions of the key columns in a row.
    pub(crate) fn key_positions(&self) -> Vec<usize> {
        self.key
            .iter()
            .filter_map(|k| self.columns.iter().position(|(name, _)| name == k))
            .collect()
    }
}

use Kind::{Bool, Int, Real, Text, Timestamp};

/// Written by [`crate::rows::person`], then `updated_at`.
pub(crate) const PEOPLE: Table = Table {
    index: 0,
    name: "people",
    key: &["id"],
    columns: &[
        ("id", Text),
        ("source", Text),
        ("email", Text),
        ("first_name", Text),
        ("last_name", Text),
        ("city", Text),
        ("region", Text),
        ("country", Text),
        ("postal_code", Text),
        ("orders_count", Int),
        ("total_spent_minor", Int),
        ("accepts_marketing", Bool),
        ("tags", Text),
        ("title", Text),
        ("department", Text),
        ("updated_at", Timestamp),
    ],
};

pub(crate) const PERSON_HANDLES: Table = Table {
    index: 1,
    name: "person_handles",
    key: &["person_id", "platform"],
    columns: &[("person_id", Text), ("platform", Text), ("handle", Text)],
};

pub(crate) const PROFILES: Table = Table {
    index: 2,
    name: "profiles",
    key: &["platform", "handle"],
    columns: &[
        ("platform", Text),
        ("handle", Text),
        ("user_id", Text),
        ("display_name", Text),
        ("bio", Text),
        ("followers", Int),
        ("following", Int),
        ("posts_count", Int),
        ("is_verified", Bool),
        ("is_private", Bool),
        ("has_profile_pic", Bool),
        ("external_url", Text),
        ("fetched_at", Timestamp),
        ("follower_history", Text),
    ],
};

pub(crate) const POSTS: Table = Table {
    index: 3,
    name: "posts",
    key: &["platform", "post_id"],
    columns: &[
        ("platform", Text),
        ("handle", Text),
        ("post_id", Text),
        ("posted_at", Timestamp),
        ("kind", Text),
        ("caption", Text),
        ("likes", Int),
        ("comments", Int),
        ("shares", Int),
        ("saves", Int),
        ("views", Int),
        ("is_sponsored", Bool),
        ("comments_sample", Text),
    ],
};

pub(crate) const REVIEWS: Table = Table {
    index: 4,
    name: "reviews",
    key: &["id"],
    columns: &[
        ("id", Text),
        ("person_id", Text),
        ("email", Text),
        ("product", Text),
        ("rating", Int),
        ("title", Text),
        ("body", Text),
        ("created_at", Timestamp),
        ("verified_buyer", Bool),
    ],
};

pub(crate) const ORDERS: Table = Table {
    index: 5,
    name: "orders",
    key: &["id"],
    columns: &[
        ("id", Text),
        ("person_id", Text),
        ("email", Text),
        ("created_at", Timestamp),
        ("currency", Text),
        ("subtotal_minor", Int),
        ("total_minor", Int),
        ("discounts_minor", Int),
        ("discount_codes", Text),
        ("financial_status", Text),
        ("landing_site", Text),
        ("referring_site", Text),
    ],
};

/// Replaced as a whole, so inserted without a key. `candidates()` reads every column
/// but the last.
pub(crate) const CANDIDATES: Table = Table {
    index: 6,
    name: "candidates",
    key: &[],
    columns: &[
        ("person_id", Text),
        ("source", Text),
        ("name", Text),
        ("platform", Text),
        ("handle", Text),
        ("followers", Int),
        ("tier", Text),
        ("engagement_rate", Real),
        ("er_index", Real),
        ("authenticity", Real),
        ("authenticity_flags", Text),
        ("categories", Text),
        ("brand_mentions", Int),
        ("brand_sentiment", Real),
        ("customer_value", Real),
        ("fit_score", Real),
        ("explanation", Text),
        ("categories_key", Text),
    ],
};

pub(crate) const TABLES: [&Table; 7] = [
    &PEOPLE,
    &PERSON_HANDLES,
    &PROFILES,
    &POSTS,
    &REVIEWS,
    &ORDERS,
    &CANDIDATES,
];
