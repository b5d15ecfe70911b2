//! Canonical records: the shapes every importer produces and the store keeps.
//!
//! Field names and meanings follow the canonical NDJSON contract in `DESIGN.md`; unknown
//! fields are ignored and missing optional fields are `None`. Records are deserialised
//! as-is and then checked with [`Person::validated`] and friends, which name the field
//! that is wrong.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::handle::{Handle, Platform};
use crate::money::Money;

/// The two kinds of people a brand already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonSource {
    Customer,
    Employee,
}

impl PersonSource {
    pub fn as_str(self) -> &'static str {
        match self {
            PersonSource::Customer => "customer",
            PersonSource::Employee => "employee",
        }
    }

    pub fn parse(text: &str) -> Option<PersonSource> {
        match text {
            "customer" => Some(PersonSource::Customer),
            "employee" => Some(PersonSource::Employee),
            _ => None,
        }
    }
}

/// A field that failed validation, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field {field:?}: {reason}")]
pub struct FieldError {
    pub field: &'static str,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        FieldError {
            field,
            reason: reason.into(),
        }
    }
}

/// The social handles a person declared (e.g. in a loyalty sign-up form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Handles {
    pub instagram: Option<Handle>,
    pub tiktok: Option<Handle>,
    pub youtube: Option<Handle>,
    pub x: Option<Handle>,
}

impl Handles {
    pub fn get(&self, platform: Platform) -> Option<&Handle> {
        match platform {
            Platform::Instagram => self.instagram.as_ref(),
            Platform::Tiktok => self.tiktok.as_ref(),
            Platform::Youtube => self.youtube.as_ref(),
            Platform::X => self.x.as_ref(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (Platform, &Handle)> {
        Platform::ALL
            .into_iter()
            .filter_map(|p| self.get(p).map(|h| (p, h)))
    }
}

/// A customer or an employee.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Person {
    /// The natural key. When absent in a file, the lower-cased email takes its place.
    pub id: String,
    pub source: Option<PersonSource>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub postal_code: Option<String>,
    pub orders_count: Option<u32>,
    pub total_spent: Option<Money>,
    pub accepts_marketing: Option<bool>,
    pub tags: Vec<String>,
    pub handles: Handles,
    pub title: Option<String>,
    pub department: Option<String>,
}

impl Person {
    /// Fills the key from the email when needed, applies the import's source when the
    /// record has none, and checks what cannot be expressed in types.
    pub fn validated(mut self, default_source: PersonSource) -> Result<Person, FieldError> {
        self.id = self.id.trim().to_owned();
        if let Some(email) = &self.email {
            let email = email.trim().to_lowercase();
            if !email.is_empty() && !looks_like_email(&email) {
                return Err(FieldError::new(
                    "email",
                    format!("{email:?} is not an email address"),
                ));
            }
            self.email = (!email.is_empty()).then_some(email);
        }
        if self.id.is_empty() {
            match &self.email {
                Some(email) => self.id = email.clone(),
                None => {
                    return Err(FieldError::new(
                        "id",
                        "missing, and no email to use instead",
                    ));
                }
            }
        }
        if self.source.is_none() {
            self.source = Some(default_source);
        }
        if self.total_spent.is_some_and(|m| m.minor() < 0) {
            return Err(FieldError::new("total_spent", "is negative"));
        }
        Ok(self)
    }

    pub fn source(&self) -> PersonSource {
        self.source.unwrap_or(PersonSource::Customer)
    }

    /// "First Last", or whatever part of it is known.
    pub fn display_name(&self) -> String {
        let parts: Vec<&str> = [&self.first_name, &self.last_name]
            .into_iter()
            .filter_map(|p| p.as_deref().map(str::trim).filter(|s| !s.is_empty()))
            .collect();
        parts.join(" ")
    }
}

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// A point in a profile's follower history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowerPoint {
    #[serde(with = "date_serde")]
    pub date: time::Date,
    pub followers: u64,
}

/// A social profile on one platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub platform: Platform,
    pub handle: Handle,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub bio: Option<String>,
    #[serde(default)]
    pub followers: Option<u64>,
    #[serde(default)]
    pub following: Option<u64>,
    #[serde(default)]
    pub posts_count: Option<u64>,
    #[serde(default)]
    pub is_verified: Option<bool>,
    #[serde(default)]
    pub is_private: Option<bool>,
    #[serde(default)]
    pub has_profile_pic: Option<bool>,
    #[serde(default)]
    pub external_url: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub fetched_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub follower_history: Vec<FollowerPoint>,
}

/// What a post is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PostKind {
    Image,
    Carousel,
    Video,
    Reel,
    Short,
    Text,
}

impl PostKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Image => "image",
            PostKind::Carousel => "carousel",
            PostKind::Video => "video",
            PostKind::Reel => "reel",
            PostKind::Short => "short",
            PostKind::Text => "text",
        }
    }
}

/// A post on a profile, with its public counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    pub platform: Platform,
    pub handle: Handle,
    pub post_id: String,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub posted_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub kind: Option<PostKind>,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub likes: Option<u64>,
    #[serde(default)]
    pub comments: Option<u64>,
    #[serde(default)]
    pub shares: Option<u64>,
    #[serde(default)]
    pub saves: Option<u64>,
    #[serde(default)]
    pub views: Option<u64>,
    #[serde(default)]
    pub is_sponsored: Option<bool>,
    #[serde(default)]
    pub comments_sample: Vec<String>,
}

impl Post {
    pub fn validated(mut self) -> Result<Post, FieldError> {
        self.post_id = self.post_id.trim().to_owned();
        if self.post_id.is_empty() {
            return Err(FieldError::new("post_id", "is empty"));
        }
        Ok(self)
    }

    /// Likes + comments + shares + saves: the interactions the engagement rate counts.
    pub fn interactions(&self) -> u64 {
        interactions([self.likes, self.comments, self.shares, self.saves])
    }
}

/// The sum of a post's likes, comments, shares and saves, the missing ones counting 0.
pub(crate) fn interactions(counts: [Option<u64>; 4]) -> u64 {
    counts.into_iter().flatten().sum()
}

/// A product review a person left (Judge.me, Yotpo, or the shop's own).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Review {
    pub id: String,
    /// The reviewer, by person id; when absent the email links the review to a person.
    pub person_id: Option<String>,
    pub email: Option<String>,
    pub product: Option<String>,
    /// Stars, 1 to 5.
    pub rating: u8,
    pub title: Option<String>,
    pub body: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub created_at: Option<OffsetDateTime>,
    pub verified_buyer: Option<bool>,
}

impl Review {
    pub fn validated(mut self) -> Result<Review, FieldError> {
        self.id = self.id.trim().to_owned();
        if self.id.is_empty() {
            return Err(FieldError::new("id", "is empty"));
        }
        if !(1..=5).contains(&self.rating) {
            return Err(FieldError::new(
                "rating",
                format!("{} is not between 1 and 5", self.rating),
            ));
        }
        self.email = self
            .email
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty());
        if self
            .person_id
            .as_deref()
            .is_none_or(|p| p.trim().is_empty())
            && self.email.is_none()
        {
            return Err(FieldError::new(
                "person_id",
                "missing, and no email to link the review",
            ));
        }
        Ok(self)
    }
}

/// An order from the shop, with Shopify's money fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Order {
    pub id: String,
    pub person_id: Option<String>,
    pub email: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub created_at: Option<OffsetDateTime>,
    /// ISO 4217 code; the brand's currency when absent.
    pub currency: Option<String>,
    /// Line items after discounts, before shipping and taxes: what revenue is measured in.
    pub subtotal_price: Money,
    pub total_price: Option<Money>,
    pub total_discounts: Option<Money>,
    pub discount_codes: Vec<String>,
    pub financial_status: Option<String>,
    pub landing_site: Option<String>,
    pub referring_site: Option<String>,
}

impl Order {
    pub fn validated(mut self) -> Result<Order, FieldError> {
        self.id = self.id.trim().to_owned();
        if self.id.is_empty() {
            return Err(FieldError::new("id", "is empty"));
        }
        if self.subtotal_price.minor() < 0 {
            return Err(FieldError::new("subtotal_price", "is negative"));
        }
        self.email = self
            .email
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty());
        if let Some(c) = &self.currency {
            if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(FieldError::new(
                    "currency",
                    format!("{c:?} is not an ISO 4217 code"),
                ));
            }
            self.currency = Some(c.to_ascii_uppercase());
        }
        Ok(self)
    }
}

mod date_serde {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;
    use time::format_description::well_known::Iso8601;

    const FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]");

    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        let text = date.format(FORMAT).map_err(serde::ser::Error::custom)?;
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        // A full timestamp is accepted too: only its date matters for history.
        let day = text.get(..10).unwrap_or(&text);
        Date::parse(day, FORMAT)
            .or_else(|_| Date::parse(&text, &Iso8601::DEFAULT))
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a date (YYYY-MM-DD)")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_without_id_is_keyed_by_lowercased_email() {
        let p: Person = serde_json::from_str(r#"{"email":" Maya@Example.com "}"#).unwrap();
        let p = p.validated(PersonSource::Customer).unwrap();
        assert_eq!(p.id, "maya@example.com");
        assert_eq!(p.source(), PersonSource::Customer);
    }

    #[test]
    fn person_without_id_or_email_names_the_id_field() {
        let p: Person = serde_json::from_str(r#"{"first_name":"Maya"}"#).unwrap();
        let err = p.validated(PersonSource::Customer).unwrap_err();
        assert_eq!(err.field, "id");
    }

    #[test]
    fn unknown_fields_are_ignored_and_handles_normalised() {
        let p: Person = serde_json::from_str(
            r#"{"id":"c1","loyalty_points":5,"handles":{"instagram":"@Maya.Eats","myspace":"m"}}"#,
        )
        .unwrap();
        assert_eq!(p.handles.instagram.unwrap().as_str(), "maya.eats");
    }

    #[test]
    fn review_rating_must_be_one_to_five() {
        let r: Review = serde_json::from_str(r#"{"id":"r1","email":"a@b.co","rating":6}"#).unwrap();
        assert_eq!(r.validated().unwrap_err().field, "rating");
    }

    #[test]
    fn follower_history_dates_round_trip() {
        let json = r#"{"date":"2026-01-31","followers":1200}"#;
        let p: FollowerPoint = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), json);
    }
}
