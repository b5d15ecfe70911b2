//! X API v2 users and posts (tweets) with `public_metrics` → profiles and posts.
//!
//! A users response (`/2/users/by/username/:name`, `/2/users/by`, `/2/users/:id`) is
//! `{"data": user or [user], "errors": [...]}` with users `{id, name, username,
//! description, protected, verified, profile_image_url, url, entities.url.urls
//! [{expanded_url}], public_metrics: {followers_count, following_count, tweet_count}}`.
//! A posts response (`/2/users/:id/tweets`) is `{"data": [{id, text, author_id,
//! created_at, attachments: {media_keys}, public_metrics: {like_count, reply_count,
//! retweet_count, quote_count, bookmark_count, impression_count}}], "includes": {users,
//! media: [{media_key, type}]}, "meta": {…}}`. Users in `includes` become profiles too, and
//! a post's owner is its `author_id` among the users read so far (or the `kith` envelope's
//! handle). Entries in `errors` beside `data` (a name not found among several) are not
//! data and are passed over; a response with only `errors` is reported.
//!
//! Mapping: replies → comments, retweets + quotes → shares, bookmarks → saves,
//! impressions → views, `protected` → private. A post with photos is an image (several: a
//! carousel), with a video or GIF a video, otherwise text.

use std::collections::HashMap;

use kith_core::{Handle, Platform, Post, PostKind, Profile, Record};
use serde::Deserialize;

use super::values::{
    Count, DocContext, DocError, Envelope, Id, Timestamp, non_blank, parse, quoted,
};

/// Whether the start of a file looks like X API v2 responses.
pub fn looks_like(head: &[u8]) -> bool {
    super::contains(head, b"\"public_metrics\"")
        && !super::contains(head, b"\"business_discovery\"")
}

#[derive(Debug, Deserialize)]
struct Response {
    data: Option<OneOrMany>,
    #[serde(default)]
    includes: Includes,
    #[serde(default)]
    errors: Vec<ApiProblem>,
    // Top-level problem details (401, 429) use these.
    title: Option<String>,
    detail: Option<String>,
    #[serde(default)]
    kith: Envelope,
}

/// `data` is one object or an array of them. Not `#[serde(untagged)]`: that would hide
/// which field of which entry is wrong behind "did not match any variant".
#[derive(Debug)]
enum OneOrMany {
    Many(Vec<Entry>),
    One(Box<Entry>),
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object or an array of objects")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany, A::Error> {
                let mut all = Vec::new();
                while let Some(e) = seq.next_element()? {
                    all.push(e);
                }
                Ok(OneOrMany::Many(all))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<OneOrMany, A::Error> {
                let one = Entry::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(OneOrMany::One(Box::new(one)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A user or a post: X's `data` holds one kind or the other.
#[derive(Debug, Deserialize)]
struct Entry {
    id: Id,
    // User fields.
    username: Option<Handle>,
    name: Option<String>,
    description: Option<String>,
    protected: Option<bool>,
    verified: Option<bool>,
    profile_image_url: Option<String>,
    url: Option<String>,
    entities: Option<serde_json::Value>,
    // Post fields.
    text: Option<String>,
    author_id: Option<String>,
    created_at: Option<Timestamp>,
    attachments: Option<Attachments>,
    #[serde(default)]
    public_metrics: Metrics,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Metrics {
    followers_count: Option<Count>,
    following_count: Option<Count>,
    tweet_count: Option<Count>,
    like_count: Option<Count>,
    reply_count: Option<Count>,
    retweet_count: Option<Count>,
    quote_count: Option<Count>,
    bookmark_count: Option<Count>,
    impression_count: Option<Count>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Attachments {
    media_keys: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Includes {
    users: Vec<Entry>,
    media: Vec<Media>,
}

#[derive(Debug, Deserialize)]
struct Media {
    media_key: String,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// One entry of X's `errors` array.
#[derive(Debug, Clone, Deserialize)]
pub struct ApiProblem {
    pub title: Option<String>,
    pub detail: Option<String>,
    pub message: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub value: Option<String>,
}

impl ApiProblem {
    pub fn describe(&self) -> String {
        let title = self.title.as_deref().unwrap_or("Error");
        match self.detail.as_deref().or(self.message.as_deref()) {
            Some(d) => format!("X {title}: {d}"),
            None => format!("X {title}"),
        }
    }
}

pub fn map(text: &str, ctx: &mut DocContext) -> Result<Vec<Record>, DocError> {
    let response: Response = parse(text)?;
    let entries = match response.data {
        Some(OneOrMany::Many(v)) => v,
        Some(OneOrMany::One(e)) => vec![*e],
        None => {
            let message = match (response.errors.first(), &response.title) {
                (Some(p), _) => p.describe(),
                (None, Some(t)) => format!("X {t}: {}", response.detail.as_deref().unwrap_or("")),
                (None, None) => "not an X API response: no \"data\"".to_owned(),
            };
            return Err(DocError::whole(Some("data"), message));
        }
    };
    let mut records = Vec::new();
    for user in response.includes.users {
        records.push(Record::Profile(profile(
            user,
            "includes.users",
            &response.kith,
            ctx,
        )?));
    }
    let media: HashMap<String, Option<String>> = response
        .includes
        .media
        .into_iter()
        .map(|m| (m.media_key, m.kind))
        .collect();
    for (i, entry) in entries.into_iter().enumerate() {
        if entry.username.is_some() {
            records.push(Record::Profile(profile(
                entry,
                "data",
                &response.kith,
                ctx,
            )?));
        } else if entry.text.is_some() {
            records.push(Record::Post(post(entry, i, &media, &response.kith, ctx)?));
        } else {
            return Err(DocError::whole(
                Some(&format!("data[{i}]")),
                "is neither a user (no \"username\") nor a post (no \"text\")",
            ));
        }
    }
    Ok(records)
}

fn profile(
    user: Entry,
    at: &str,
    kith: &Envelope,
    ctx: &mut DocContext,
) -> Result<Profile, DocError> {
    let Some(handle) = user.username else {
        return Err(DocError::whole(Some(&format!("{at}.username")), "missing"));
    };
    ctx.remember(Some(&user.id.0), &handle);
    // X shortens the website to t.co; the entities hold the address as typed.
    let expanded = user
        .entities
        .as_ref()
        .and_then(|e| e.pointer("/url/urls/0/expanded_url"))
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    let m = user.public_metrics;
    Ok(Profile {
        platform: Platform::X,
        handle,
        user_id: Some(user.id.0),
        display_name: non_blank(user.name),
        bio: user.description,
        followers: m.followers_count.map(|c| c.0),
        following: m.following_count.map(|c| c.0),
        posts_count: m.tweet_count.map(|c| c.0),
        is_verified: user.verified,
        is_private: user.protected,
        has_profile_pic: user
            .profile_image_url
            .map(|u| !u.trim().is_empty() && !u.contains("default_profile_images")),
        external_url: non_blank(expanded).or(non_blank(user.url)),
        fetched_at: ctx.fetched_at(kith),
        follower_history: Vec::new(),
    })
}

fn post(
    entry: Entry,
    i: usize,
    media: &HashMap<String, Option<String>>,
    kith: &Envelope,
    ctx: &DocContext,
) -> Result<Post, DocError> {
    let author = entry.author_id.as_deref();
    let handle = author
        .and_then(|a| ctx.handles_by_id.get(a).cloned())
        .or_else(|| kith.handle.clone())
        .ok_or_else(|| {
            DocError::whole(
                Some(&format!("data[{i}].author_id")),
                format!(
                    "user {} is in neither this response's includes.users nor an earlier users response",
                    quoted(author.unwrap_or("(missing)"))
                ),
            )
        })?;
    let kinds: Vec<&str> = entry
        .attachments
        .iter()
        .flat_map(|a| a.media_keys.iter())
        .filter_map(|k| media.get(k).and_then(|t| t.as_deref()))
        .collect();
    let kind = if kinds.iter().any(|t| matches!(*t, "video" | "animated_gif")) {
        PostKind::Video
    } else {
        match kinds.iter().filter(|t| **t == "photo").count() {
            0 => PostKind::Text,
            1 => PostKind::Image,
            _ => PostKind::Carousel,
        }
    };
    let m = entry.public_metrics;
    let shares = match (m.retweet_count, m.quote_count) {
        (None, None) => None,
        (r, q) => Some(r.map_or(0, |c| c.0) + q.map_or(0, |c| c.0)),
    };
    Ok(Post {
        platform: Platform::X,
        handle,
        post_id: entry.id.0,
        posted_at: entry.created_at.map(|t| t.0),
        kind: Some(kind),
        caption: entry.text,
        likes: m.like_count.map(|c| c.0),
        comments: m.reply_count.map(|c| c.0),
        shares,
        saves: m.bookmark_count.map(|c| c.0),
        views: m.impression_count.map(|c| c.0),
        is_sponsored: None,
        comments_sample: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_not_found_only_response_is_reported() {
        let text = r#"{"errors":[{"value":"nobody_here","detail":"Could not find user with username: [nobody_here].","title":"Not Found Error","resource_type":"user","parameter":"username","type":"https://api.twitter.com/2/problems/resource-not-found"}]}"#;
        let err = map(text, &mut DocContext::default()).unwrap_err();
        assert_eq!(
            err.message,
            "X Not Found Error: Could not find user with username: [nobody_here]."
        );
    }

    #[test]
    fn retweets_and_quotes_add_up_to_shares() {
        let text = r#"{"data":[{"id":"1","text":"hi","author_id":"9","public_metrics":{"retweet_count":2,"quote_count":3,"like_count":7}}],"includes":{"users":[{"id":"9","username":"Fern_Fan","name":"F"}]}}"#;
        let records = map(text, &mut DocContext::default()).unwrap();
        match &records[1] {
            Record::Post(p) => {
                assert_eq!(
                    (p.shares, p.likes, p.kind),
                    (Some(5), Some(7), Some(PostKind::Text))
                );
                assert_eq!(p.handle.as_str(), "fern_fan");
            }
            other => panic!("{other:?}"),
        }
    }
}
