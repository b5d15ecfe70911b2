//! Instagram: Graph API Business Discovery, asked of the brand's own professional
//! account (`KITH_INSTAGRAM_USER_ID`) about each handle.
//!
//! One request per page: `GET /{version}/{ig-user-id}?fields=business_discovery.
//! username(NAME){profile fields, media.limit(25){media fields}}`, then
//! `media.after(CURSOR)` for older pages while posts are wanted and still inside the
//! engagement window. Errors follow the Graph API's error object: code 190 is a bad or
//! expired token (stops the run), 4/17/32/613 and 80001–80010 are throttling (retried),
//! 110 or subcode 2207013 is an account that does not exist or is not a business or
//! creator account (skipped). The `X-App-Usage` and `X-Business-Use-Case-Usage` headers
//! report usage in percent: close to 100 the connector slows down, and
//! `estimated_time_to_regain_access` (minutes) is honoured.

use std::time::Duration;

use kith_core::Handle;
use kith_io::social::instagram::GraphError;
use kith_io::social::{DocContext, SocialFormat};

use super::{Fetched, WINDOW_DAYS};
use crate::error::FetchError;
use crate::http::{Http, Reply, Request, Stop, Verdict, by_status};
use crate::run::Config;

pub const GRAPH_VERSION: &str = "v25.0";
const PAGE: usize = 25;
const PROFILE_FIELDS: &str =
    "username,name,biography,followers_count,follows_count,media_count,website,profile_picture_url";
const MEDIA_FIELDS: &str =
    "id,caption,like_count,comments_count,timestamp,media_type,media_product_type,permalink";

/// Instagram usernames: letters, digits, `.` and `_`, at most 30. Checked before the name
/// goes into the `fields` expression, where `(`, `)` or `{` would change its meaning.
fn valid(handle: &str) -> bool {
    !handle.is_empty()
        && handle.len() <= 30
        && handle
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_')
}

pub fn fetch(config: &Config, http: &mut Http, handle: &Handle) -> Result<Fetched, Stop> {
    if !valid(handle.as_str()) {
        return Err(Stop::Skip("not a valid Instagram username".into()));
    }
    let Some(user_id) = config.instagram_user_id.as_deref() else {
        return Err(Stop::Fatal(FetchError::Config(
            "Business Discovery asks through your own professional account: set KITH_INSTAGRAM_USER_ID or pass --instagram-user-id".into(),
        )));
    };
    let at = http.clock.now();
    let since = at - time::Duration::days(WINDOW_DAYS);
    let url = format!("{}/{GRAPH_VERSION}/{user_id}", config.api_base);
    let mut fetched = Fetched::default();
    let mut ctx = DocContext::new(Some(at));
    let mut after: Option<String> = None;
    loop {
        let page = match &after {
            Some(c) => format!("media.after({c}).limit({PAGE})"),
            None => format!("media.limit({PAGE})"),
        };
        let fields = format!(
            "business_discovery.username({}){{{PROFILE_FIELDS},{page}{{{MEDIA_FIELDS}}}}}",
            handle.as_str()
        );
        let reply = http.call(&Request::get(&url).query("fields", fields), &classify)?;
        let before = fetched.posts();
        fetched.add(
            SocialFormat::InstagramGraph,
            &reply.body,
            handle,
            at,
            &mut ctx,
        )?;
        // `paging.next` is present only when there is a next page; the cursor says where.
        let paging = reply
            .json()
            .and_then(|v| v.pointer("/business_discovery/media/paging").cloned())
            .unwrap_or_default();
        after = paging
            .get("next")
            .and_then(|_| paging.pointer("/cursors/after"))
            .and_then(|c| c.as_str())
            .map(str::to_owned)
            // A cursor goes into the fields expression too: only its base64url alphabet.
            .filter(|c| {
                c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b))
            });
        let got = fetched.posts() - before;
        let enough = fetched.posts() >= config.max_posts;
        let past_window = fetched.oldest().is_some_and(|t| t < since);
        if got == 0 || enough || past_window || after.is_none() {
            return Ok(fetched);
        }
    }
}

/// The Graph API's usage headers: the highest percentage, and the minutes until access
/// returns when a limit was hit.
fn usage(reply: &Reply) -> (f64, u64) {
    let mut pct: f64 = 0.0;
    let mut regain: u64 = 0;
    let mut scan = |v: &serde_json::Value| {
        for key in ["call_count", "total_cputime", "total_time"] {
            if let Some(p) = v.get(key).and_then(serde_json::Value::as_f64) {
                pct = pct.max(p);
            }
        }
        if let Some(m) = v
            .get("estimated_time_to_regain_access")
            .and_then(serde_json::Value::as_u64)
        {
            regain = regain.max(m);
        }
    };
    if let Some(v) = reply
        .header("x-app-usage")
        .and_then(|h| serde_json::from_str(h).ok())
    {
        scan(&v);
    }
    let buc: Option<serde_json::Value> = reply
        .header("x-business-use-case-usage")
        .and_then(|h| serde_json::from_str(h).ok());
    if let Some(serde_json::Value::Object(accounts)) = buc {
        for entries in accounts.values() {
            for e in entries.as_array().into_iter().flatten() {
                scan(e);
            }
        }
    }
    (pct, regain)
}

fn classify(reply: &Reply, http: &Http) -> Verdict {
    let (pct, regain) = usage(reply);
    let regain = (regain > 0).then(|| Duration::from_secs(regain * 60));
    let error: Option<GraphError> = reply
        .json()
        .and_then(|v| v.get("error").cloned())
        .and_then(|e| serde_json::from_value(e).ok());
    if let Some(e) = error {
        let detail = http.token().redact(&e.describe());
        return match (e.code.unwrap_or_default(), e.error_subcode) {
            (190, _) | (102, _) => Verdict::Fatal(FetchError::Auth {
                platform: http.platform,
                detail,
            }),
            (10, _) | (200..=299, _) => Verdict::Fatal(FetchError::Auth {
                platform: http.platform,
                detail: format!("missing permission: {detail}"),
            }),
            (4 | 17 | 32 | 613 | 80001..=80010, _) => Verdict::Retry {
                hint: by_status(reply, http)
                    .and_then(|v| match v {
                        Verdict::Retry { hint, .. } => hint,
                        _ => None,
                    })
                    .or(regain),
                why: format!("throttled: {detail}"),
            },
            (1 | 2, _) => Verdict::Retry {
                hint: None,
                why: detail,
            },
            (110, _) | (_, Some(2207013)) => Verdict::Skip(format!(
                "not found, or not a business or creator account ({detail})"
            )),
            _ => Verdict::Skip(detail),
        };
    }
    if let Some(v) = by_status(reply, http) {
        return v;
    }
    if reply.status != 200 {
        return Verdict::Skip(format!(
            "HTTP {}: {}",
            reply.status,
            super::short(&reply.body, http)
        ));
    }
    let pause = if regain.is_some() {
        regain
    } else if pct >= 95.0 {
        Some(Duration::from_secs(60))
    } else if pct >= 80.0 {
        Some(Duration::from_secs(5))
    } else {
        None
    };
    Verdict::Done { pause }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_usernames_reach_the_fields_expression() {
        assert!(valid("maple.crumbs_2"));
        assert!(!valid("x){id}"));
        assert!(!valid(&"a".repeat(31)));
    }

    #[test]
    fn usage_headers_report_the_highest_percentage_and_the_wait() {
        let reply = Reply {
            status: 200,
            headers: vec![
                ("x-app-usage".into(), r#"{"call_count":12,"total_cputime":3,"total_time":4}"#.into()),
                (
                    "x-business-use-case-usage".into(),
                    r#"{"17841400000000999":[{"type":"instagram","call_count":97,"total_cputime":10,"total_time":9,"estimated_time_to_regain_access":2}]}"#.into(),
                ),
            ],
            body: String::new(),
        };
        assert_eq!(usage(&reply), (97.0, 2));
    }
}
