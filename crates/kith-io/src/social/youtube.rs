//! YouTube Data API v3 `channels.list` and `videos.list` responses → profiles and videos.
//!
//! `channels.list` (`"kind": "youtube#channelListResponse"`) items are `{id, snippet:
//! {title, description, customUrl, thumbnails}, statistics: {subscriberCount,
//! hiddenSubscriberCount, videoCount}}`; the handle is `customUrl` (`@name`), else the
//! channel id. `videos.list` (`youtube#videoListResponse`) items are `{id, snippet:
//! {publishedAt, channelId, title, description}, statistics: {viewCount, likeCount,
//! commentCount}}`; a video's owner is found by its `channelId` among the channels read
//! earlier in the file (or the `kith` envelope's handle). YouTube writes every statistic
//! as a decimal string. `playlistItems.list` pages hold no statistics and are skipped. An
//! error (`{"error": {code, message, errors: [{reason}]}}`) is reported with its reason.
//!
//! A hidden subscriber count is unknown, not zero. The API does not say whether a video
//! is a Short, so every video is `video`.

use kith_core::{Handle, Platform, Post, PostKind, Profile, Record};
use serde::Deserialize;

use super::values::{
    Count, DocContext, DocError, Envelope, Id, Timestamp, non_blank, parse, quoted,
};

/// Whether the start of a file looks like YouTube Data API responses.
pub fn looks_like(head: &[u8]) -> bool {
    super::contains(head, b"\"youtube#")
}

#[derive(Debug, Deserialize)]
struct Response {
    kind: Option<String>,
    #[serde(default)]
    items: Vec<Item>,
    error: Option<ApiError>,
    #[serde(default)]
    kith: Envelope,
}

#[derive(Debug, Deserialize)]
struct Item {
    kind: Option<String>,
    id: Option<Id>,
    #[serde(default)]
    snippet: Snippet,
    #[serde(default)]
    statistics: Statistics,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Snippet {
    title: Option<String>,
    description: Option<String>,
    custom_url: Option<Handle>,
    published_at: Option<Timestamp>,
    channel_id: Option<String>,
    thumbnails: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Statistics {
    subscriber_count: Option<Count>,
    hidden_subscriber_count: Option<bool>,
    video_count: Option<Count>,
    view_count: Option<Count>,
    like_count: Option<Count>,
    comment_count: Option<Count>,
}

/// Google's error object.
#[derive(Debug, Clone, Deserialize)]
pub struct ApiError {
    pub code: Option<u16>,
    pub message: Option<String>,
    #[serde(default)]
    pub errors: Vec<ErrorDetail>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ErrorDetail {
    pub reason: Option<String>,
    pub domain: Option<String>,
}

impl ApiError {
    pub fn reason(&self) -> Option<&str> {
        self.errors.iter().find_map(|e| e.reason.as_deref())
    }

    pub fn describe(&self) -> String {
        let reason = self.reason().unwrap_or("error");
        let code = self.code.map(|c| format!(" {c}")).unwrap_or_default();
        match &self.message {
            Some(m) => format!("YouTube{code} {reason}: {}", strip_tags(m)),
            None => format!("YouTube{code} {reason}"),
        }
    }
}

/// Google's messages carry HTML links (`<a href=…>quota</a>`): keep the words.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Channels,
    Videos,
    Skipped,
}

fn shape(kind: Option<&str>, items: &[Item]) -> Option<Shape> {
    let kind = kind.or_else(|| items.first().and_then(|i| i.kind.as_deref()))?;
    match kind {
        "youtube#channelListResponse" | "youtube#channel" => Some(Shape::Channels),
        "youtube#videoListResponse" | "youtube#video" => Some(Shape::Videos),
        "youtube#playlistItemListResponse" | "youtube#playlistItem" => Some(Shape::Skipped),
        _ => None,
    }
}

pub fn map(text: &str, ctx: &mut DocContext) -> Result<Vec<Record>, DocError> {
    let response: Response = parse(text)?;
    if let Some(e) = &response.error {
        return Err(DocError::whole(Some("error"), e.describe()));
    }
    let Some(shape) = shape(response.kind.as_deref(), &response.items) else {
        let kind = response.kind.as_deref().unwrap_or("none");
        return Err(DocError::whole(
            Some("kind"),
            format!(
                "{} is not a channels.list or videos.list response",
                quoted(kind)
            ),
        ));
    };
    let mut records = Vec::new();
    for (i, item) in response.items.into_iter().enumerate() {
        let id = item.id.map(|i| i.0);
        match shape {
            Shape::Channels => records.push(Record::Profile(channel(
                item.snippet,
                item.statistics,
                id,
                i,
                &response.kith,
                ctx,
            )?)),
            Shape::Videos => records.push(Record::Post(video(
                item.snippet,
                item.statistics,
                id,
                i,
                &response.kith,
                ctx,
            )?)),
            Shape::Skipped => {}
        }
    }
    Ok(records)
}

fn channel(
    snippet: Snippet,
    stats: Statistics,
    id: Option<String>,
    i: usize,
    kith: &Envelope,
    ctx: &mut DocContext,
) -> Result<Profile, DocError> {
    let handle = match (snippet.custom_url, &id) {
        (Some(h), _) => h,
        (None, Some(id)) => kith
            .handle
            .clone()
            .map_or_else(|| Handle::parse(id), Ok)
            .map_err(|e| DocError::whole(Some(&format!("items[{i}].id")), e.to_string()))?,
        (None, None) => {
            return Err(DocError::whole(
                Some(&format!("items[{i}].id")),
                "missing, and the channel has no customUrl either",
            ));
        }
    };
    ctx.remember(id.as_deref(), &handle);
    let hidden = stats.hidden_subscriber_count == Some(true);
    Ok(Profile {
        platform: Platform::Youtube,
        handle,
        user_id: id,
        display_name: non_blank(snippet.title),
        bio: snippet.description,
        followers: stats.subscriber_count.filter(|_| !hidden).map(|c| c.0),
        following: None,
        posts_count: stats.video_count.map(|c| c.0),
        is_verified: None,
        is_private: None,
        has_profile_pic: snippet.thumbnails.map(|_| true),
        external_url: None,
        fetched_at: ctx.fetched_at(kith),
        follower_history: Vec::new(),
    })
}

fn video(
    snippet: Snippet,
    stats: Statistics,
    id: Option<String>,
    i: usize,
    kith: &Envelope,
    ctx: &DocContext,
) -> Result<Post, DocError> {
    let id = id.ok_or_else(|| DocError::whole(Some(&format!("items[{i}].id")), "missing"))?;
    let owner = snippet.channel_id.as_deref();
    let handle = owner
        .and_then(|c| ctx.handles_by_id.get(c).cloned())
        .or_else(|| kith.handle.clone())
        .ok_or_else(|| {
            DocError::whole(
                Some(&format!("items[{i}].snippet.channelId")),
                format!(
                    "channel {} is not in an earlier channels.list response in this file",
                    quoted(owner.unwrap_or("(missing)"))
                ),
            )
        })?;
    let caption = match (non_blank(snippet.title), non_blank(snippet.description)) {
        (Some(t), Some(d)) => Some(format!("{t}\n{d}")),
        (t, d) => t.or(d),
    };
    Ok(Post {
        platform: Platform::Youtube,
        handle,
        post_id: id,
        posted_at: snippet.published_at.map(|t| t.0),
        kind: Some(PostKind::Video),
        caption,
        likes: stats.like_count.map(|c| c.0),
        comments: stats.comment_count.map(|c| c.0),
        shares: None,
        saves: None,
        views: stats.view_count.map(|c| c.0),
        is_sponsored: None,
        comments_sample: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_errors_keep_the_words_of_the_message() {
        let text = r#"{"error":{"code":403,"message":"The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.","errors":[{"message":"x","domain":"youtube.quota","reason":"quotaExceeded"}]}}"#;
        let err = map(text, &mut DocContext::default()).unwrap_err();
        assert_eq!(
            err.message,
            "YouTube 403 quotaExceeded: The request cannot be completed because you have exceeded your quota."
        );
    }

    #[test]
    fn playlist_pages_yield_nothing() {
        let text = r#"{"kind":"youtube#playlistItemListResponse","items":[{"kind":"youtube#playlistItem","id":"x"}]}"#;
        assert!(map(text, &mut DocContext::default()).unwrap().is_empty());
    }
}
