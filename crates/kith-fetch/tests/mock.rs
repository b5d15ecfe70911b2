//! A local server speaking the four platforms' documented shapes: the Graph API's
//! Business Discovery and error object, TikTok's `{data, error}` envelope, YouTube's
//! list responses and `{error: {code, message, errors[{reason}]}}`, X's `{data,
//! includes, meta}` and problem objects. Switches on [`Mock`] stage the failures.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::support::TOKEN;

#[derive(Debug, Default)]
pub struct Mock {
    /// Every request, as `METHOD path key=value…` without the token.
    pub log: Mutex<Vec<String>>,
    /// Answer this many requests with 429 before serving.
    pub throttle: AtomicUsize,
    /// Seconds in `Retry-After` (Graph, TikTok) or until `x-rate-limit-reset` (X).
    pub retry_after: AtomicUsize,
    /// After this many served requests the token counts as expired (0: never).
    pub expire_after: AtomicUsize,
    pub served: AtomicUsize,
    pub quota_spent: AtomicBool,
}

type Shared = State<Arc<Mock>>;

impl Mock {
    fn note(&self, what: String) {
        self.log.lock().unwrap().push(what);
    }

    pub fn requests(&self, needle: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains(needle))
            .count()
    }

    fn authorised(&self, headers: &HeaderMap, query: &HashMap<String, String>) -> bool {
        let bearer = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == format!("Bearer {TOKEN}"));
        let expired = match self.expire_after.load(Ordering::SeqCst) {
            0 => false,
            n => self.served.load(Ordering::SeqCst) >= n,
        };
        (bearer || query.get("key").is_some_and(|k| k == TOKEN)) && !expired
    }

    /// True when this request is to be throttled.
    fn throttled(&self) -> bool {
        self.throttle
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }
}

pub fn spawn() -> (String, Arc<Mock>) {
    let mock = Arc::new(Mock::default());
    let app = Router::new()
        .route("/v25.0/{ig_user}", get(graph))
        .route("/v2/research/user/info/", post(tiktok_user))
        .route("/v2/research/video/query/", post(tiktok_videos))
        .route("/youtube/v3/{method}", get(youtube))
        .route("/2/users/by/username/{name}", get(x_user))
        .route("/2/users/{id}/tweets", get(x_tweets))
        .with_state(Arc::clone(&mock));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (format!("http://{addr}"), mock)
}

fn reply(status: u16, body: Value) -> Response {
    (StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response()
}

fn log_line(method: &str, path: &str, query: &HashMap<String, String>, body: &str) -> String {
    let mut keys: Vec<String> = query
        .iter()
        .filter(|(k, _)| k.as_str() != "key")
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    keys.sort();
    format!("{method} {path} {} {body}", keys.join(" "))
}

// ---- Instagram Graph API --------------------------------------------------------------

/// Accounts: `big.example` has 40 media, `maple.crumbs.example` 5; `ghost.example` does
/// not exist.
fn graph_media(username: &str) -> usize {
    match username {
        "big.example" => 40,
        "ghost.example" => 0,
        _ => 5,
    }
}

async fn graph(
    State(mock): Shared,
    Path(ig_user): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let fields = q.get("fields").cloned().unwrap_or_default();
    mock.note(log_line("GET", &format!("/v25.0/{ig_user}"), &q, ""));
    if mock.throttled() {
        let mut r = reply(
            429,
            json!({"error": {"message": "(#4) Application request limit reached", "type": "OAuthException", "is_transient": true, "code": 4, "fbtrace_id": "AxExample"}}),
        );
        r.headers_mut().insert(
            "retry-after",
            mock.retry_after
                .load(Ordering::SeqCst)
                .to_string()
                .parse()
                .unwrap(),
        );
        return r;
    }
    if !mock.authorised(&headers, &q) {
        // Graph messages do not quote tokens; this one does, to prove kith redacts.
        return reply(
            400,
            json!({"error": {"message": format!("Error validating access token: Session has expired on Saturday, 01-Jun-24 00:00:00 PDT. (token {TOKEN})"), "type": "OAuthException", "code": 190, "error_subcode": 463, "fbtrace_id": "AxExample"}}),
        );
    }
    let username = between(&fields, "business_discovery.username(", ")").unwrap_or_default();
    let total = graph_media(&username);
    if total == 0 {
        return reply(
            400,
            json!({"error": {"message": "Invalid user id", "type": "OAuthException", "code": 110, "error_subcode": 2207013, "is_transient": false, "error_user_title": "Cannot find User", "error_user_msg": "The user with username: ghost.example cannot be found.", "fbtrace_id": "AxExample"}}),
        );
    }
    mock.served.fetch_add(1, Ordering::SeqCst);
    let limit: usize = between(&fields, "limit(", ")")
        .and_then(|l| l.parse().ok())
        .unwrap_or(25);
    let start: usize = between(&fields, "after(", ")")
        .and_then(|c| c.strip_prefix("cur").and_then(|n| n.parse().ok()))
        .unwrap_or(0);
    let end = (start + limit).min(total);
    let data: Vec<Value> = (start..end)
        .map(|i| {
            json!({
                "id": format!("179{:013}", i),
                "caption": format!("post {i} #fernwoodcoffee"),
                "like_count": 100 + i,
                "comments_count": 5,
                "timestamp": format!("2024-05-{:02}T12:00:00+0000", 30 - (i % 28)),
                "media_type": "IMAGE",
                "permalink": format!("https://www.instagram.com/p/EX{i}/"),
            })
        })
        .collect();
    let mut paging =
        json!({"cursors": {"before": format!("cur{start}"), "after": format!("cur{end}")}});
    if end < total {
        paging["next"] = json!("https://graph.facebook.com/v25.0/next-page");
    }
    let mut r = reply(
        200,
        json!({
            "business_discovery": {
                "username": username, "name": "Example", "biography": "Example account",
                "followers_count": 5000, "follows_count": 300, "media_count": total,
                "id": "17841400000000001",
                "media": {"data": data, "paging": paging},
            },
            "id": ig_user,
        }),
    );
    r.headers_mut().insert(
        "x-app-usage",
        r#"{"call_count":12,"total_cputime":4,"total_time":5}"#
            .parse()
            .unwrap(),
    );
    r
}

fn between(text: &str, open: &str, close: &str) -> Option<String> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(text[start..start + len].to_owned())
}

// ---- TikTok Research API -------------------------------------------------------------

fn tiktok_ok() -> Value {
    json!({"code": "ok", "message": "", "log_id": "20240601000000EXAMPLE"})
}

async fn tiktok_user(
    State(mock): Shared,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    mock.note(log_line("POST", "/v2/research/user/info/", &q, &body));
    if !mock.authorised(&headers, &q) {
        return reply(
            401,
            json!({"data": {}, "error": {"code": "access_token_invalid", "message": "The access token is invalid or not found in the request.", "log_id": "x"}}),
        );
    }
    let req: Value = serde_json::from_str(&body).unwrap_or_default();
    let name = req["username"].as_str().unwrap_or_default();
    if name == "ghost.example" {
        return reply(
            400,
            json!({"data": {}, "error": {"code": "invalid_params", "message": "The username does not exist or is not public.", "log_id": "x"}}),
        );
    }
    mock.served.fetch_add(1, Ordering::SeqCst);
    reply(
        200,
        json!({"data": {"display_name": "Oat Latte", "bio_description": "Latte art", "avatar_url": "https://p16.example/a.jpeg", "is_verified": false, "is_private": name == "hidden.example", "follower_count": 12840, "following_count": 211, "likes_count": 402113, "video_count": 187}, "error": tiktok_ok()}),
    )
}

async fn tiktok_videos(
    State(mock): Shared,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    mock.note(log_line("POST", "/v2/research/video/query/", &q, &body));
    if mock.throttled() {
        let mut r = reply(
            429,
            json!({"data": {}, "error": {"code": "rate_limit_exceeded", "message": "The API rate limit was exceeded. Please try again later.", "log_id": "x"}}),
        );
        r.headers_mut().insert(
            "retry-after",
            mock.retry_after
                .load(Ordering::SeqCst)
                .to_string()
                .parse()
                .unwrap(),
        );
        return r;
    }
    if !mock.authorised(&headers, &q) {
        return reply(
            401,
            json!({"data": {}, "error": {"code": "access_token_invalid", "message": "The access token is invalid or not found in the request.", "log_id": "x"}}),
        );
    }
    let req: Value = serde_json::from_str(&body).unwrap_or_default();
    // Only the newest 30-day window has videos: two pages of them.
    if req["end_date"] != "20240601" {
        return reply(
            200,
            json!({"data": {"videos": [], "cursor": 0, "has_more": false, "search_id": "s1"}, "error": tiktok_ok()}),
        );
    }
    let page = req["cursor"].as_u64().unwrap_or(0);
    let name = req["query"]["and"][0]["field_values"][0]
        .as_str()
        .unwrap_or_default();
    let videos: Vec<Value> = (0..3)
        .map(|i| {
            let n = page + i;
            json!({"id": 7370000000000000000u64 + n, "username": name, "create_time": 1716800000 - n * 86400, "video_description": format!("video {n}"), "like_count": 1000 + n, "comment_count": 40, "share_count": 20, "view_count": 30000, "favourites_count": 70})
        })
        .collect();
    reply(
        200,
        json!({"data": {"videos": videos, "cursor": page + 3, "has_more": page == 0, "search_id": "7380000000000000000"}, "error": tiktok_ok()}),
    )
}

// ---- YouTube Data API v3 -------------------------------------------------------------

async fn youtube(
    State(mock): Shared,
    Path(method): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    mock.note(log_line("GET", &format!("/youtube/v3/{method}"), &q, ""));
    if mock.quota_spent.load(Ordering::SeqCst) {
        return reply(
            403,
            json!({"error": {"code": 403, "message": "The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.", "errors": [{"message": "quota", "domain": "youtube.quota", "reason": "quotaExceeded"}]}}),
        );
    }
    if !mock.authorised(&headers, &q) {
        return reply(
            400,
            json!({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "errors": [{"message": "API key not valid. Please pass a valid API key.", "domain": "global", "reason": "badRequest"}], "status": "INVALID_ARGUMENT"}}),
        );
    }
    mock.served.fetch_add(1, Ordering::SeqCst);
    match method.as_str() {
        "channels" => {
            if q.get("forHandle").map(String::as_str) == Some("@ghost.example") {
                return reply(
                    200,
                    json!({"kind": "youtube#channelListResponse", "etag": "e", "pageInfo": {"totalResults": 0, "resultsPerPage": 5}}),
                );
            }
            reply(
                200,
                json!({"kind": "youtube#channelListResponse", "etag": "e", "pageInfo": {"totalResults": 1, "resultsPerPage": 5}, "items": [{"kind": "youtube#channel", "etag": "c", "id": "UCexample000000000000001", "snippet": {"title": "Grind & Gather", "description": "Slow coffee", "customUrl": "@grindandgather.example", "publishedAt": "2019-03-02T10:00:00Z"}, "statistics": {"viewCount": "1203344", "subscriberCount": "23400", "hiddenSubscriberCount": false, "videoCount": "141"}, "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": "UUexample000000000000001"}}}]}),
            )
        }
        "playlistItems" => {
            let second = q.contains_key("pageToken");
            let items: Vec<Value> = (0..3)
                .map(|i| {
                    let n = if second { i + 3 } else { i };
                    // The sixth upload is older than the window.
                    let at = if n == 5 { "2023-01-01T00:00:00Z".to_owned() } else { format!("2024-05-{:02}T16:00:00Z", 20 - n) };
                    json!({"kind": "youtube#playlistItem", "id": format!("pi{n}"), "contentDetails": {"videoId": format!("EXvid00000{n}"), "videoPublishedAt": at}})
                })
                .collect();
            let mut body = json!({"kind": "youtube#playlistItemListResponse", "items": items, "pageInfo": {"totalResults": 6, "resultsPerPage": 3}});
            if !second {
                body["nextPageToken"] = json!("EAAaBlBUOkNBVQ");
            }
            reply(200, body)
        }
        "videos" => {
            let ids: Vec<String> = q
                .get("id")
                .map(|s| s.split(',').map(str::to_owned).collect())
                .unwrap_or_default();
            let items: Vec<Value> = ids.iter().map(|id| json!({"kind": "youtube#video", "id": id, "snippet": {"publishedAt": "2024-05-20T16:00:00Z", "channelId": "UCexample000000000000001", "title": format!("Video {id}"), "description": ""}, "statistics": {"viewCount": "54010", "likeCount": "2300", "favoriteCount": "0", "commentCount": "188"}})).collect();
            reply(
                200,
                json!({"kind": "youtube#videoListResponse", "items": items}),
            )
        }
        _ => reply(
            404,
            json!({"error": {"code": 404, "message": "Not Found", "errors": [{"reason": "notFound"}]}}),
        ),
    }
}

// ---- X API v2 ------------------------------------------------------------------------

fn x_user_json(name: &str) -> Value {
    json!({"id": format!("15{:017}", name.len()), "name": "Brew Bench", "username": name, "description": "Espresso gear", "protected": name == "locked_ex", "verified": false, "profile_image_url": "https://pbs.example/a_normal.jpg", "public_metrics": {"followers_count": 6100, "following_count": 800, "tweet_count": 9032, "listed_count": 41}})
}

async fn x_user(
    State(mock): Shared,
    Path(name): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    mock.note(log_line(
        "GET",
        &format!("/2/users/by/username/{name}"),
        &q,
        "",
    ));
    if mock.throttled() {
        let reset =
            crate::support::NOW.unix_timestamp() + mock.retry_after.load(Ordering::SeqCst) as i64;
        let mut r = reply(
            429,
            json!({"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}),
        );
        r.headers_mut()
            .insert("x-rate-limit-limit", "900".parse().unwrap());
        r.headers_mut()
            .insert("x-rate-limit-remaining", "0".parse().unwrap());
        r.headers_mut()
            .insert("x-rate-limit-reset", reset.to_string().parse().unwrap());
        return r;
    }
    if !mock.authorised(&headers, &q) {
        return reply(
            401,
            json!({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}),
        );
    }
    mock.served.fetch_add(1, Ordering::SeqCst);
    if name == "nobody_ex" {
        return reply(
            200,
            json!({"errors": [{"value": name, "detail": format!("Could not find user with username: [{name}]."), "title": "Not Found Error", "resource_type": "user", "parameter": "username", "resource_id": name, "type": "https://api.twitter.com/2/problems/resource-not-found"}]}),
        );
    }
    reply(200, json!({"data": x_user_json(&name)}))
}

async fn x_tweets(
    State(mock): Shared,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    mock.note(log_line("GET", &format!("/2/users/{id}/tweets"), &q, ""));
    if !mock.authorised(&headers, &q) {
        return reply(
            401,
            json!({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}),
        );
    }
    let second = q.contains_key("pagination_token");
    let tweets: Vec<Value> = (0..2)
        .map(|i| {
            let n = if second { i + 2 } else { i };
            json!({"id": format!("17900000000000001{n:02}"), "text": format!("post {n}"), "author_id": id, "created_at": format!("2024-05-{:02}T08:00:00.000Z", 30 - n), "public_metrics": {"retweet_count": 2, "reply_count": 3, "like_count": 40, "quote_count": 1, "bookmark_count": 1, "impression_count": 900}})
        })
        .collect();
    let mut meta = json!({"result_count": 2, "newest_id": "a", "oldest_id": "b"});
    if !second {
        meta["next_token"] = json!("7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i");
    }
    reply(
        200,
        json!({"data": tweets, "includes": {"users": [x_user_json("brewbench_ex")]}, "meta": meta}),
    )
}
