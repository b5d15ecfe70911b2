//! TikTok: the Research API, the one TikTok API that looks up any public account by
//! username (the Display API only reads the account that authorised the token).
//!
//! `POST /v2/research/user/info/` with `{"username"}` gives the profile; videos come
//! from `POST /v2/research/video/query/` filtered on the username, in windows of at most
//! 30 days (the API's limit) walking back over the engagement window, each paged by
//! `cursor` and `search_id`. Every response carries TikTok's error object:
//! `access_token_invalid` and the scope errors stop the run, `rate_limit_exceeded` (429)
//! is retried, and a refused username (`invalid_params`, 404) is skipped. A private
//! account's profile is kept and its videos skipped.

use kith_core::Handle;
use kith_io::social::tiktok::ApiError;
use kith_io::social::{DocContext, SocialFormat};
use serde_json::json;
use time::macros::format_description;

use super::{Fetched, WINDOW_DAYS};
use crate::error::FetchError;
use crate::http::{Http, Reply, Request, Stop, Verdict, by_status};
use crate::run::Config;

const USER_FIELDS: &str = "display_name,bio_description,avatar_url,is_verified,is_private,follower_count,following_count,likes_count,video_count";
const VIDEO_FIELDS: &str = "id,create_time,username,video_description,like_count,comment_count,share_count,view_count,favourites_count";
/// The longest window one video query may span.
const WINDOW_STEP_DAYS: i64 = 30;

pub fn fetch(config: &Config, http: &mut Http, handle: &Handle) -> Result<Fetched, Stop> {
    let at = http.clock.now();
    let mut fetched = Fetched::default();
    let mut ctx = DocContext::new(Some(at));
    let url = format!("{}/v2/research/user/info/", config.api_base);
    let req = Request::post_json(url, &json!({ "username": handle.as_str() }))
        .query("fields", USER_FIELDS);
    let reply = http.call(&req, &classify)?;
    fetched.add(SocialFormat::Tiktok, &reply.body, handle, at, &mut ctx)?;
    let private = reply.json().and_then(|v| {
        v.pointer("/data/is_private")
            .and_then(serde_json::Value::as_bool)
    }) == Some(true);
    if private {
        fetched.note = Some("private account: videos skipped".into());
        return Ok(fetched);
    }
    let url = format!("{}/v2/research/video/query/", config.api_base);
    let day = format_description!("[year][month][day]");
    let mut end = at.date();
    let oldest = (at - time::Duration::days(WINDOW_DAYS)).date();
    while end >= oldest && fetched.posts() < config.max_posts {
        let start = (end - time::Duration::days(WINDOW_STEP_DAYS - 1)).max(oldest);
        let (mut cursor, mut search_id): (Option<u64>, Option<String>) = (None, None);
        loop {
            let mut body = json!({
                "query": {"and": [{"operation": "EQ", "field_name": "username", "field_values": [handle.as_str()]}]},
                "start_date": start.format(day).unwrap_or_default(),
                "end_date": end.format(day).unwrap_or_default(),
                "max_count": 100,
            });
            if let (Some(c), Some(s)) = (cursor, &search_id) {
                body["cursor"] = json!(c);
                body["search_id"] = json!(s);
            }
            let reply = http.call(
                &Request::post_json(&url, &body).query("fields", VIDEO_FIELDS),
                &classify,
            )?;
            fetched.add(SocialFormat::Tiktok, &reply.body, handle, at, &mut ctx)?;
            let v = reply.json().unwrap_or_default();
            let more = v
                .pointer("/data/has_more")
                .and_then(serde_json::Value::as_bool)
                == Some(true);
            cursor = v
                .pointer("/data/cursor")
                .and_then(serde_json::Value::as_u64);
            search_id = v
                .pointer("/data/search_id")
                .and_then(|s| s.as_str())
                .map(str::to_owned);
            if !more
                || cursor.is_none()
                || search_id.is_none()
                || fetched.posts() >= config.max_posts
            {
                break;
            }
        }
        end = start - time::Duration::days(1);
    }
    Ok(fetched)
}

fn classify(reply: &Reply, http: &Http) -> Verdict {
    let error: Option<ApiError> = reply
        .json()
        .and_then(|v| v.get("error").cloned())
        .and_then(|e| serde_json::from_value(e).ok());
    let code = error
        .as_ref()
        .and_then(|e| e.code.clone())
        .unwrap_or_default();
    let detail = error
        .as_ref()
        .map(|e| http.token().redact(&e.describe()))
        .unwrap_or_else(|| format!("HTTP {}", reply.status));
    match code.as_str() {
        "access_token_invalid" | "scope_not_authorized" | "scope_permission_missed" => {
            return Verdict::Fatal(FetchError::Auth {
                platform: http.platform,
                detail,
            });
        }
        "rate_limit_exceeded" => {
            let hint = match by_status(reply, http) {
                Some(Verdict::Retry { hint, .. }) => hint,
                _ => None,
            };
            return Verdict::Retry { hint, why: detail };
        }
        _ => {}
    }
    if reply.status == 401 {
        return Verdict::Fatal(FetchError::Auth {
            platform: http.platform,
            detail,
        });
    }
    if let Some(v) = by_status(reply, http) {
        return v;
    }
    if reply.status != 200 || error.as_ref().is_some_and(|e| !e.is_ok()) {
        return Verdict::Skip(format!("not found or not available ({detail})"));
    }
    Verdict::Done { pause: None }
}
