//! Everything scoring reads about a brand's people and profiles, as plain values.
//!
//! The store fills a [`Population`]; scoring is a pure function of it, the brand config
//! and the clock reading passed in.

use crate::identity::Confirmation;
use crate::money::Money;
use crate::record::{Person, Post, Profile, Review};

/// A profile with its posts (any order).
#[derive(Debug, Clone, PartialEq)]
pub struct ProfilePosts {
    pub profile: Profile,
    pub posts: Vec<Post>,
}

/// What a person bought, summed from the orders table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseTotals {
    pub person_id: String,
    pub orders: u32,
    pub spent: Money,
}

/// The inputs of scoring for one brand.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Population {
    pub people: Vec<Person>,
    pub profiles: Vec<ProfilePosts>,
    /// Reviews already linked to a person id (`person_id` set).
    pub reviews: Vec<Review>,
    pub purchases: Vec<PurchaseTotals>,
    /// People's decisions on proposed person ↔ profile links.
    pub confirmations: Vec<Confirmation>,
}
