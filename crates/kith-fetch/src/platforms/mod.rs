//! One connector per platform: which requests to make for a handle, how to page, and
//! what each platform's error shapes mean.
//!
//! Every successful response is saved with a `kith` envelope (`{"handle", "fetched_at"}`)
//! added beside the platform's own keys, then read by the same mapper as an imported file
//! ([`kith_io::social`]) — so the raw file `kith fetch --raw` keeps imports to exactly the
//! records the run wrote.

pub mod instagram;
pub mod tiktok;
pub mod x;
pub mod youtube;

use kith_core::{Handle, Platform, Record};
use kith_io::social::{DocContext, SocialFormat};
use time::OffsetDateTime;

use crate::http::{Http, Stop};
use crate::run::Config;

/// How far back posts are worth fetching: the engagement window of the contract.
pub const WINDOW_DAYS: i64 = kith_core::engagement::WINDOW_DAYS;

/// What one handle gave.
#[derive(Debug, Default)]
pub struct Fetched {
    /// The responses as saved, one JSON object each.
    pub raw: Vec<String>,
    pub records: Vec<Record>,
    /// What was left out and why (a private account's posts).
    pub note: Option<String>,
}

impl Fetched {
    /// Saves one response and adds its records; later pages repeat the profile, which is
    /// kept once.
    pub fn add(
        &mut self,
        format: SocialFormat,
        body: &str,
        handle: &Handle,
        at: OffsetDateTime,
        ctx: &mut DocContext,
    ) -> Result<(), Stop> {
        let text = with_envelope(body, handle, at)?;
        let records = format.map(&text, ctx).map_err(|e| {
            Stop::Failed(format!(
                "the response did not read: {}{}",
                e.field
                    .map(|f| format!("field {f:?}: "))
                    .unwrap_or_default(),
                e.message
            ))
        })?;
        let have_profile = self.records.iter().any(|r| matches!(r, Record::Profile(_)));
        self.records.extend(
            records
                .into_iter()
                .filter(|r| !(have_profile && matches!(r, Record::Profile(_)))),
        );
        self.raw.push(text);
        Ok(())
    }

    pub fn posts(&self) -> usize {
        self.records
            .iter()
            .filter(|r| matches!(r, Record::Post(_)))
            .count()
    }

    /// The oldest post time so far, to stop paging past the window.
    pub fn oldest(&self) -> Option<OffsetDateTime> {
        self.records
            .iter()
            .filter_map(|r| match r {
                Record::Post(p) => p.posted_at,
                _ => None,
            })
            .min()
    }
}

/// The response with `"kith": {"handle", "fetched_at"}` added.
fn with_envelope(body: &str, handle: &Handle, at: OffsetDateTime) -> Result<String, Stop> {
    let mut value: serde_json::Value = serde_json::from_str(body)
        .map_err(|e| Stop::Failed(format!("the response is not JSON: {e}")))?;
    let Some(map) = value.as_object_mut() else {
        return Err(Stop::Failed("the response is not a JSON object".into()));
    };
    let at = at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    map.insert(
        "kith".into(),
        serde_json::json!({ "handle": handle.as_str(), "fetched_at": at }),
    );
    Ok(value.to_string())
}

/// Fetches one handle's profile and recent posts.
pub fn fetch(config: &Config, http: &mut Http, handle: &Handle) -> Result<Fetched, Stop> {
    match config.platform {
        Platform::Instagram => instagram::fetch(config, http, handle),
        Platform::Tiktok => tiktok::fetch(config, http, handle),
        Platform::Youtube => youtube::fetch(config, http, handle),
        Platform::X => x::fetch(config, http, handle),
    }
}

/// The default API address of each platform.
pub fn default_base(platform: Platform) -> &'static str {
    match platform {
        Platform::Instagram => "https://graph.facebook.com",
        Platform::Tiktok => "https://open.tiktokapis.com",
        Platform::Youtube => "https://www.googleapis.com",
        Platform::X => "https://api.x.com",
    }
}

/// The reason text of a JSON body, cut short and with the token removed.
pub fn short(text: &str, http: &Http) -> String {
    let t: String = text.chars().take(300).collect();
    http.token().redact(&t)
}
