//! TikTok API v2 responses → profiles and videos.
//!
//! Every v2 response is `{"data": …, "error": {"code", "message", "log_id"}}` with code
//! `"ok"` on success. Three `data` shapes are read:
//! - Display API `/v2/user/info/`: `{"user": {open_id, username, display_name,
//!   bio_description, avatar_url, is_verified, follower_count, following_count,
//!   likes_count, video_count}}`;
//! - Research API `/v2/research/user/info/`: the same fields flat in `data`, plus
//!   `is_private`. It does not repeat the username, so the handle comes from the `kith`
//!   envelope `kith fetch` adds;
//! - `/v2/video/list/` and `/v2/research/video/query/`: `{"videos": [{id, create_time
//!   (Unix seconds), video_description or title, like_count, comment_count, share_count,
//!   view_count, favourites_count, username}], "cursor", "has_more"}`. A video's owner is
//!   its `username`, else the envelope's handle, else the last profile in the file.
//!
//! Favourites (TikTok's saves) count as saves.

use kith_core::{Handle, Platform, Post, PostKind, Profile, Record};
use serde::Deserialize;

use super::values::{Count, DocContext, DocError, Envelope, Id, UnixTime, non_blank, parse};

/// Whether the start of a file looks like TikTok API v2 responses.
pub fn looks_like(head: &[u8]) -> bool {
    let c = |k: &[u8]| super::contains(head, k);
    c(b"\"data\"")
        && (c(b"\"bio_description\"")
            || c(b"\"follower_count\"")
            || c(b"\"video_description\"")
            || c(b"\"create_time\"")
            || c(b"\"log_id\""))
}

#[derive(Debug, Deserialize)]
struct Response {
    data: Option<Data>,
    error: Option<ApiError>,
    #[serde(default)]
    kith: Envelope,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Data {
    user: Option<User>,
    videos: Option<Vec<Video>>,
    #[serde(flatten)]
    flat: User,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct User {
    open_id: Option<String>,
    union_id: Option<String>,
    username: Option<Handle>,
    display_name: Option<String>,
    bio_description: Option<String>,
    avatar_url: Option<String>,
    is_verified: Option<bool>,
    is_private: Option<bool>,
    follower_count: Option<Count>,
    following_count: Option<Count>,
    video_count: Option<Count>,
}

impl User {
    fn is_empty(&self) -> bool {
        self.follower_count.is_none()
            && self.display_name.is_none()
            && self.username.is_none()
            && self.open_id.is_none()
            && self.bio_description.is_none()
    }
}

#[derive(Debug, Deserialize)]
struct Video {
    id: Id,
    username: Option<Handle>,
    create_time: Option<UnixTime>,
    video_description: Option<String>,
    title: Option<String>,
    like_count: Option<Count>,
    comment_count: Option<Count>,
    share_count: Option<Count>,
    view_count: Option<Count>,
    favourites_count: Option<Count>,
}

/// TikTok's error object; `code` is `"ok"` on success.
#[derive(Debug, Clone, Deserialize)]
pub struct ApiError {
    pub code: Option<String>,
    pub message: Option<String>,
    pub log_id: Option<String>,
}

impl ApiError {
    pub fn is_ok(&self) -> bool {
        self.code.as_deref().is_none_or(|c| c == "ok")
    }

    pub fn describe(&self) -> String {
        let code = self.code.as_deref().unwrap_or("unknown");
        match self.message.as_deref().filter(|m| !m.is_empty()) {
            Some(m) => format!("TikTok error {code}: {m}"),
            None => format!("TikTok error {code}"),
        }
    }
}

pub fn map(text: &str, ctx: &mut DocContext) -> Result<Vec<Record>, DocError> {
    let response: Response = parse(text)?;
    if let Some(e) = response.error.as_ref().filter(|e| !e.is_ok()) {
        return Err(DocError::whole(Some("error"), e.describe()));
    }
    let Some(data) = response.data else {
        return Err(DocError::whole(
            None,
            "not a TikTok API response: no \"data\" object",
        ));
    };
    let mut records = Vec::new();
    let user = data.user.or((!data.flat.is_empty()).then_some(data.flat));
    if user.is_none() && data.videos.is_none() {
        return Err(DocError::whole(
            Some("data"),
            "holds neither a user nor videos",
        ));
    }
    if let Some(user) = user {
        records.push(Record::Profile(profile(user, &response.kith, ctx)?));
    }
    for (i, v) in data.videos.unwrap_or_default().into_iter().enumerate() {
        let handle = v
            .username
            .or_else(|| response.kith.handle.clone())
            .or_else(|| ctx.last_handle.clone())
            .ok_or_else(|| {
                DocError::whole(
                    Some(&format!("data.videos[{i}].username")),
                    "missing, and no profile earlier in the file says whose videos these are",
                )
            })?;
        let caption = non_blank(v.video_description).or(non_blank(v.title));
        records.push(Record::Post(Post {
            platform: Platform::Tiktok,
            handle,
            post_id: v.id.0,
            posted_at: v.create_time.map(|t| t.0),
            kind: Some(PostKind::Video),
            caption,
            likes: v.like_count.map(|c| c.0),
            comments: v.comment_count.map(|c| c.0),
            shares: v.share_count.map(|c| c.0),
            saves: v.favourites_count.map(|c| c.0),
            views: v.view_count.map(|c| c.0),
            is_sponsored: None,
            comments_sample: Vec::new(),
        }));
    }
    Ok(records)
}

fn profile(user: User, kith: &Envelope, ctx: &mut DocContext) -> Result<Profile, DocError> {
    let handle = user
        .username
        .or_else(|| kith.handle.clone())
        .ok_or_else(|| {
            DocError::whole(
                Some("data.username"),
                "missing: the research API's user info does not repeat the username; \
             save it with `kith fetch tiktok`, or add {\"kith\":{\"handle\":\"…\"}}",
            )
        })?;
    let user_id = user.open_id.or(user.union_id);
    ctx.remember(user_id.as_deref(), &handle);
    Ok(Profile {
        platform: Platform::Tiktok,
        handle,
        user_id,
        display_name: non_blank(user.display_name),
        bio: user.bio_description,
        followers: user.follower_count.map(|c| c.0),
        following: user.following_count.map(|c| c.0),
        posts_count: user.video_count.map(|c| c.0),
        is_verified: user.is_verified,
        is_private: user.is_private,
        has_profile_pic: user.avatar_url.map(|u| !u.trim().is_empty()),
        external_url: None,
        fetched_at: ctx.fetched_at(kith),
        follower_history: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_object_other_than_ok_fails_the_document() {
        let text = r#"{"data":{},"error":{"code":"access_token_invalid","message":"The access token is invalid or not found in the request.","log_id":"x"}}"#;
        let err = map(text, &mut DocContext::default()).unwrap_err();
        assert!(err.message.starts_with("TikTok error access_token_invalid"));
    }

    #[test]
    fn research_user_info_without_a_handle_says_where_to_get_one() {
        let text = r#"{"data":{"display_name":"Ana","follower_count":10},"error":{"code":"ok","message":"","log_id":"x"}}"#;
        let err = map(text, &mut DocContext::default()).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("data.username"));
    }
}
