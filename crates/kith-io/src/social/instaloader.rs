//! Instaloader's JSON metadata files → profiles and posts.
//!
//! Instaloader saves each structure as `{"instaloader": {"node_type", "version"}, "node":
//! {…}}` (`--no-compress-json` writes plain JSON; the default `.json.xz` must be unpacked
//! first). A `Profile` node has `username, full_name, biography, id, is_private,
//! is_verified, external_url, profile_pic_url, edge_followed_by.count,
//! edge_follow.count`; a `Post` node has `shortcode, __typename (GraphImage, GraphVideo,
//! GraphSidecar), product_type ("clips" for reels), taken_at_timestamp,
//! edge_media_preview_like.count, edge_media_to_comment.count (or
//! edge_media_to_parent_comment), edge_media_to_caption.edges[0].node.text,
//! video_view_count, owner.username`. Files may be concatenated, one after another or as
//! NDJSON. Story items, hashtags and iterator states hold no profile or post and are
//! skipped.
//!
//! The post key is the shortcode, the part of the post's address users see. The first
//! twenty comment texts in the file, when present, become the comments sample.

use kith_core::{Handle, Platform, Post, PostKind, Profile, Record};
use serde::Deserialize;

use super::values::{
    Count, DocContext, DocError, Envelope, Id, UnixTime, non_blank, parse, quoted,
};

/// How many comment texts a post keeps as its sample.
const COMMENTS_SAMPLE: usize = 20;

/// Whether the start of a file looks like Instaloader metadata.
pub fn looks_like(head: &[u8]) -> bool {
    super::contains(head, b"\"instaloader\"") && super::contains(head, b"\"node_type\"")
}

/// The first pass reads only what the file holds; the second reads the node typed, so a
/// bad value inside it is still named with its own line.
#[derive(Debug, Deserialize)]
struct Kind {
    instaloader: Meta,
}

#[derive(Debug, Deserialize)]
struct Meta {
    node_type: String,
}

#[derive(Debug, Deserialize)]
struct File<T> {
    node: T,
    #[serde(default)]
    kith: Envelope,
}

#[derive(Debug, Deserialize)]
struct ProfileNode {
    username: Handle,
    id: Option<Id>,
    full_name: Option<String>,
    biography: Option<String>,
    is_private: Option<bool>,
    is_verified: Option<bool>,
    external_url: Option<String>,
    profile_pic_url: Option<String>,
    edge_followed_by: Option<Edge>,
    edge_follow: Option<Edge>,
    edge_owner_to_timeline_media: Option<Edge>,
}

#[derive(Debug, Deserialize)]
struct PostNode {
    shortcode: Option<String>,
    code: Option<String>,
    #[serde(rename = "__typename")]
    typename: Option<String>,
    product_type: Option<String>,
    taken_at_timestamp: Option<UnixTime>,
    date: Option<UnixTime>,
    edge_media_preview_like: Option<Edge>,
    edge_liked_by: Option<Edge>,
    edge_media_to_comment: Option<Edge>,
    edge_media_to_parent_comment: Option<Edge>,
    edge_media_to_caption: Option<Edge>,
    caption: Option<String>,
    video_view_count: Option<Count>,
    is_video: Option<bool>,
    edge_media_to_sponsor_user: Option<Edge>,
    owner: Option<Owner>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Edge {
    count: Option<Count>,
    edges: Vec<EdgeItem>,
}

#[derive(Debug, Deserialize)]
struct EdgeItem {
    node: Option<TextNode>,
}

#[derive(Debug, Deserialize)]
struct TextNode {
    text: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Owner {
    username: Option<Handle>,
}

impl Edge {
    fn texts(&self) -> impl Iterator<Item = &str> {
        self.edges
            .iter()
            .filter_map(|e| e.node.as_ref()?.text.as_deref())
    }
}

pub fn map(text: &str, ctx: &mut DocContext) -> Result<Vec<Record>, DocError> {
    let kind: Kind = parse(text)?;
    match kind.instaloader.node_type.as_str() {
        "Profile" => {
            let file: File<ProfileNode> = parse(text)?;
            Ok(vec![Record::Profile(profile(file.node, &file.kith, ctx))])
        }
        "Post" => {
            let file: File<PostNode> = parse(text)?;
            Ok(vec![Record::Post(post(file.node, &file.kith, ctx)?)])
        }
        "StoryItem" | "Hashtag" | "FrozenNodeIterator" => Ok(Vec::new()),
        other => Err(DocError::whole(
            Some("instaloader.node_type"),
            format!("{} is not a Profile or Post", quoted(other)),
        )),
    }
}

fn profile(p: ProfileNode, kith: &Envelope, ctx: &mut DocContext) -> Profile {
    let user_id = p.id.map(|i| i.0);
    ctx.remember(user_id.as_deref(), &p.username);
    let count = |e: Option<Edge>| e.and_then(|e| e.count).map(|c| c.0);
    Profile {
        platform: Platform::Instagram,
        handle: p.username,
        user_id,
        display_name: non_blank(p.full_name),
        bio: p.biography,
        followers: count(p.edge_followed_by),
        following: count(p.edge_follow),
        posts_count: count(p.edge_owner_to_timeline_media),
        is_verified: p.is_verified,
        is_private: p.is_private,
        has_profile_pic: p.profile_pic_url.map(|u| !u.trim().is_empty()),
        external_url: non_blank(p.external_url),
        fetched_at: ctx.fetched_at(kith),
        follower_history: Vec::new(),
    }
}

fn post(p: PostNode, kith: &Envelope, ctx: &DocContext) -> Result<Post, DocError> {
    let post_id = non_blank(p.shortcode.or(p.code))
        .ok_or_else(|| DocError::whole(Some("node.shortcode"), "missing"))?;
    let handle = p
        .owner
        .and_then(|o| o.username)
        .or_else(|| kith.handle.clone())
        .or_else(|| ctx.last_handle.clone())
        .ok_or_else(|| {
            DocError::whole(
                Some("node.owner.username"),
                "missing, and no profile earlier in the file says whose post this is",
            )
        })?;
    let kind = if p.product_type.as_deref() == Some("clips") {
        Some(PostKind::Reel)
    } else {
        match p.typename.as_deref() {
            Some("GraphImage") => Some(PostKind::Image),
            Some("GraphSidecar") => Some(PostKind::Carousel),
            Some("GraphVideo") => Some(PostKind::Video),
            _ => p
                .is_video
                .map(|v| if v { PostKind::Video } else { PostKind::Image }),
        }
    };
    let caption = p
        .edge_media_to_caption
        .as_ref()
        .and_then(|e| e.texts().next().map(str::to_owned))
        .or(p.caption);
    let comments_edge = p.edge_media_to_comment.or(p.edge_media_to_parent_comment);
    let comments_sample = comments_edge
        .as_ref()
        .map(|e| e.texts().take(COMMENTS_SAMPLE).map(str::to_owned).collect())
        .unwrap_or_default();
    let count = |e: Option<&Edge>| e.and_then(|e| e.count).map(|c| c.0);
    Ok(Post {
        platform: Platform::Instagram,
        handle,
        post_id,
        posted_at: p.taken_at_timestamp.or(p.date).map(|t| t.0),
        kind,
        caption,
        likes: count(
            p.edge_media_preview_like
                .as_ref()
                .or(p.edge_liked_by.as_ref()),
        ),
        comments: count(comments_edge.as_ref()),
        shares: None,
        saves: None,
        views: p.video_view_count.map(|c| c.0),
        is_sponsored: p.edge_media_to_sponsor_user.map(|e| !e.edges.is_empty()),
        comments_sample,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_items_are_skipped() {
        let text =
            r#"{"instaloader":{"node_type":"StoryItem","version":"4.14"},"node":{"id":"1"}}"#;
        assert!(map(text, &mut DocContext::default()).unwrap().is_empty());
    }

    #[test]
    fn a_bad_count_in_the_node_names_its_path() {
        let text = r#"{"instaloader":{"node_type":"Profile"},"node":{"username":"ana","edge_followed_by":{"count":"many"}}}"#;
        let err = map(text, &mut DocContext::default()).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("node.edge_followed_by.count"));
        assert!(
            err.message.contains("\"many\" is not a count"),
            "{}",
            err.message
        );
    }
}
