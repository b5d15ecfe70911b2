//! Instagram Graph API Business Discovery responses → one profile and its media.
//!
//! The response to `GET /{ig-user-id}?fields=business_discovery.username(NAME){…}` is
//! `{"business_discovery": {username, name, biography, followers_count, follows_count,
//! media_count, website, profile_picture_url, id, media: {data: [{id, caption,
//! like_count, comments_count, timestamp, media_type, media_product_type, permalink}],
//! paging}}, "id": …}`. Timestamps carry a colon-less offset (`2024-05-02T14:00:11+0000`).
//! A Graph error (`{"error": {message, type, code, error_subcode, fbtrace_id}}`) is
//! reported with its code and message.
//!
//! Business Discovery only answers for professional (business or creator) accounts,
//! which Instagram never lets be private, so `is_private` is `false`. `like_count` is
//! absent when the owner hides likes: the post then has no like count, not zero.

use kith_core::{Handle, Platform, Post, PostKind, Profile, Record};
use serde::Deserialize;

use super::values::{Count, DocContext, DocError, Envelope, Id, Timestamp, non_blank, parse};

/// Whether the start of a file looks like Business Discovery responses.
pub fn looks_like(head: &[u8]) -> bool {
    super::contains(head, b"\"business_discovery\"")
}

#[derive(Debug, Deserialize)]
struct Response {
    business_discovery: Option<Account>,
    error: Option<GraphError>,
    #[serde(default)]
    kith: Envelope,
}

#[derive(Debug, Deserialize)]
struct Account {
    username: Handle,
    id: Option<Id>,
    name: Option<String>,
    biography: Option<String>,
    followers_count: Option<Count>,
    follows_count: Option<Count>,
    media_count: Option<Count>,
    website: Option<String>,
    profile_picture_url: Option<String>,
    media: Option<MediaPage>,
}

#[derive(Debug, Deserialize)]
struct MediaPage {
    #[serde(default)]
    data: Vec<Media>,
}

#[derive(Debug, Deserialize)]
struct Media {
    id: Id,
    caption: Option<String>,
    like_count: Option<Count>,
    comments_count: Option<Count>,
    timestamp: Option<Timestamp>,
    media_type: Option<String>,
    media_product_type: Option<String>,
}

/// The Graph API's error object.
#[derive(Debug, Clone, Deserialize)]
pub struct GraphError {
    pub message: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub code: Option<i64>,
    pub error_subcode: Option<i64>,
}

impl GraphError {
    pub fn describe(&self) -> String {
        let mut text = format!("Graph API error {}", self.code.unwrap_or_default());
        if let Some(sub) = self.error_subcode {
            text.push_str(&format!(" (subcode {sub})"));
        }
        if let Some(m) = &self.message {
            text.push_str(": ");
            text.push_str(m);
        }
        text
    }
}

/// The media kind: reels are told apart by `media_product_type`; an unknown type is
/// left unknown rather than failing the import.
fn kind(media_type: Option<&str>, product: Option<&str>) -> Option<PostKind> {
    if product.is_some_and(|p| p.eq_ignore_ascii_case("REELS")) {
        return Some(PostKind::Reel);
    }
    match media_type?.to_ascii_uppercase().as_str() {
        "IMAGE" => Some(PostKind::Image),
        "CAROUSEL_ALBUM" => Some(PostKind::Carousel),
        "VIDEO" => Some(PostKind::Video),
        "REELS" => Some(PostKind::Reel),
        _ => None,
    }
}

/// Maps one response to its profile and posts.
pub fn map(text: &str, ctx: &mut DocContext) -> Result<Vec<Record>, DocError> {
    let response: Response = parse(text)?;
    let account = match (response.business_discovery, response.error) {
        (Some(a), _) => a,
        (None, Some(e)) => return Err(DocError::whole(Some("error"), e.describe())),
        (None, None) => {
            return Err(DocError::whole(
                None,
                "not a Business Discovery response: no \"business_discovery\" object",
            ));
        }
    };
    let handle = account.username;
    let user_id = account.id.map(|i| i.0);
    let profile = Profile {
        platform: Platform::Instagram,
        handle: handle.clone(),
        user_id: user_id.clone(),
        display_name: non_blank(account.name),
        bio: account.biography,
        followers: account.followers_count.map(|c| c.0),
        following: account.follows_count.map(|c| c.0),
        posts_count: account.media_count.map(|c| c.0),
        is_verified: None,
        is_private: Some(false),
        has_profile_pic: account.profile_picture_url.map(|u| !u.trim().is_empty()),
        external_url: non_blank(account.website),
        fetched_at: ctx.fetched_at(&response.kith),
        follower_history: Vec::new(),
    };
    ctx.remember(user_id.as_deref(), &handle);
    let mut records = vec![Record::Profile(profile)];
    for m in account.media.map(|p| p.data).unwrap_or_default() {
        records.push(Record::Post(Post {
            platform: Platform::Instagram,
            handle: handle.clone(),
            post_id: m.id.0,
            posted_at: m.timestamp.map(|t| t.0),
            kind: kind(m.media_type.as_deref(), m.media_product_type.as_deref()),
            caption: m.caption,
            likes: m.like_count.map(|c| c.0),
            comments: m.comments_count.map(|c| c.0),
            shares: None,
            saves: None,
            views: None,
            is_sponsored: None,
            comments_sample: Vec::new(),
        }));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reels_are_told_apart_from_other_videos() {
        assert_eq!(kind(Some("VIDEO"), Some("REELS")), Some(PostKind::Reel));
        assert_eq!(kind(Some("VIDEO"), Some("FEED")), Some(PostKind::Video));
        assert_eq!(kind(Some("CAROUSEL_ALBUM"), None), Some(PostKind::Carousel));
        assert_eq!(kind(Some("HOLOGRAM"), None), None);
    }

    #[test]
    fn an_error_response_is_reported_with_its_code() {
        let text = r#"{"error":{"message":"Invalid user id","type":"OAuthException","code":110,"error_subcode":2207013}}"#;
        let err = map(text, &mut DocContext::default()).unwrap_err();
        assert_eq!(
            err.message,
            "Graph API error 110 (subcode 2207013): Invalid user id"
        );
    }
}
