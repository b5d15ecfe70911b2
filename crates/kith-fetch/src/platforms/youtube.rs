//! YouTube: the Data API v3 with an API key (`KITH_YOUTUBE_TOKEN`, sent as `key=`).
//!
//! `channels.list?forHandle=@NAME` gives the channel
//! and its uploads playlist; `playlistItems.list` pages the newest uploads (1 quota unit
//! a page, where `search.list` costs 100) until enough are found or they leave the
//! engagement window; `videos.list` reads their statistics, 50 ids a call. A channel
//! list without items is a missing channel (skipped). Google's error reasons decide the
//! rest: `quotaExceeded` stops the run (the daily quota resets at midnight Pacific
//! time), `rateLimitExceeded` is retried, a refused key or token stops the run.

use kith_core::Handle;
use kith_io::social::youtube::ApiError;
use kith_io::social::{DocContext, SocialFormat};

use super::{Fetched, WINDOW_DAYS};
use crate::error::FetchError;
use crate::http::{Http, Reply, Request, Stop, Verdict, by_status};
use crate::run::Config;

pub fn fetch(config: &Config, http: &mut Http, handle: &Handle) -> Result<Fetched, Stop> {
    let at = http.clock.now();
    let since = at - time::Duration::days(WINDOW_DAYS);
    let mut fetched = Fetched::default();
    let mut ctx = DocContext::new(Some(at));
    let base = format!("{}/youtube/v3", config.api_base);
    // Handles are stored lower-case and channel ids are case-sensitive, so channels are
    // always asked for by handle.
    let req = Request::get(format!("{base}/channels"))
        .query("part", "snippet,statistics,contentDetails")
        .query("forHandle", format!("@{}", handle.as_str()));
    let reply = http.call(&req, &classify)?;
    let channels = reply.json().unwrap_or_default();
    let Some(channel) = channels.pointer("/items/0") else {
        return Err(Stop::Skip("no channel with this handle".into()));
    };
    let uploads = channel
        .pointer("/contentDetails/relatedPlaylists/uploads")
        .and_then(|u| u.as_str())
        .map(str::to_owned);
    fetched.add(SocialFormat::Youtube, &reply.body, handle, at, &mut ctx)?;
    let Some(uploads) = uploads else {
        return Ok(fetched);
    };
    let mut ids: Vec<String> = Vec::new();
    let mut page: Option<String> = None;
    loop {
        let mut req = Request::get(format!("{base}/playlistItems"))
            .query("part", "contentDetails")
            .query("playlistId", uploads.clone())
            .query("maxResults", "50");
        if let Some(p) = &page {
            req = req.query("pageToken", p.clone());
        }
        let reply = match http.call(&req, &classify) {
            Ok(r) => r,
            // A channel without uploads has no uploads playlist.
            Err(Stop::Skip(_)) => break,
            Err(e) => return Err(e),
        };
        let v = reply.json().unwrap_or_default();
        let mut past = false;
        for item in v
            .get("items")
            .and_then(|i| i.as_array())
            .into_iter()
            .flatten()
        {
            let published = item
                .pointer("/contentDetails/videoPublishedAt")
                .and_then(|t| t.as_str())
                .and_then(kith_io::social::values::Timestamp::parse);
            if published.is_some_and(|t| t < since) {
                past = true;
                continue;
            }
            if let Some(id) = item
                .pointer("/contentDetails/videoId")
                .and_then(|i| i.as_str())
            {
                ids.push(id.to_owned());
            }
        }
        page = v
            .get("nextPageToken")
            .and_then(|t| t.as_str())
            .map(str::to_owned);
        if past || page.is_none() || ids.len() >= config.max_posts {
            break;
        }
    }
    ids.truncate(config.max_posts);
    for chunk in ids.chunks(50) {
        let req = Request::get(format!("{base}/videos"))
            .query("part", "snippet,statistics,contentDetails")
            .query("id", chunk.join(","));
        let reply = http.call(&req, &classify)?;
        fetched.add(SocialFormat::Youtube, &reply.body, handle, at, &mut ctx)?;
    }
    Ok(fetched)
}

fn classify(reply: &Reply, http: &Http) -> Verdict {
    let error: Option<ApiError> = reply
        .json()
        .and_then(|v| v.get("error").cloned())
        .and_then(|e| serde_json::from_value(e).ok());
    let Some(error) = error else {
        return by_status(reply, http).unwrap_or(Verdict::Done { pause: None });
    };
    let detail = http.token().redact(&error.describe());
    let reason = error.reason().unwrap_or_default();
    let message = error.message.as_deref().unwrap_or_default();
    match reason {
        "quotaExceeded" | "dailyLimitExceeded" => {
            return Verdict::Fatal(FetchError::Quota {
                platform: http.platform,
                detail,
            });
        }
        "rateLimitExceeded" | "userRateLimitExceeded" => {
            return Verdict::Retry {
                hint: None,
                why: detail,
            };
        }
        "authError" | "keyInvalid" | "keyExpired" | "forbidden" => {
            return Verdict::Fatal(FetchError::Auth {
                platform: http.platform,
                detail,
            });
        }
        _ => {}
    }
    if reply.status == 401 || message.contains("API key") {
        return Verdict::Fatal(FetchError::Auth {
            platform: http.platform,
            detail,
        });
    }
    by_status(reply, http).unwrap_or(Verdict::Skip(detail))
}
