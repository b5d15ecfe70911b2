//! What the redirect knows of each code and of the brand, cached for [`TTL`] so a busy
//! link costs no database read per click.
//!
//! A member paused or removed, or a brand whose allowed domains changed, is seen within
//! [`TTL`]. Unknown codes are cached too, so a scan of random codes cannot make every
//! request a query; the cache is emptied when it holds [`MAX_ENTRIES`].

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use kith_core::BrandConfig;
use kith_core::program::code::ReferralCode;
use kith_core::program::redirect::{check_destination, tracked_url};

use crate::AppState;
use crate::error::Failure;

/// How long a cached answer is trusted.
pub(super) const TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 100_000;

/// Where a code sends people.
#[derive(Debug)]
pub(crate) struct Target {
    pub member_id: i64,
    /// The advocacy library post a share link shares.
    pub content_id: Option<i64>,
    /// The code of the link (a member's or a share link's).
    pub code: ReferralCode,
    /// Whether each counted click gets a single-use discount code.
    pub single_use: bool,
    /// `Location` (the destination with kith's UTM parameters) and `Set-Cookie` (for the
    /// program's attribution window) rendered but for the visitor id, so answering a
    /// click is two copies; `None` when the destination is not within the brand's
    /// allowed redirect domains (the link then answers 404).
    pub rendered: Option<Rendered>,
}

/// A target's answer with a gap for the visitor id: `Location` is
/// `location.0 + visitor + location.1` (`kith_ref` before any fragment, as
/// [`kith_core::program::redirect::with_visitor`] puts it) and `Set-Cookie` is
/// `kith_ref=` + visitor + `cookie_tail` (as `auth::set_cookie` writes it).
#[derive(Debug)]
pub(crate) struct Rendered {
    pub location: (String, String),
    pub cookie_tail: String,
}

impl Rendered {
    fn new(tracked: &str, window_days: u32) -> Rendered {
        let (url, fragment) = match tracked.split_once('#') {
            Some((u, f)) => (u, format!("#{f}")),
            None => (tracked, String::new()),
        };
        let separator = if url.contains('?') { '&' } else { '?' };
        let max_age = i64::from(window_days) * 86_400;
        Rendered {
            location: (format!("{url}{separator}kith_ref="), fragment),
            cookie_tail: format!("; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}"),
        }
    }
}

#[derive(Debug)]
struct Entry {
    loaded: Instant,
    target: Option<Arc<Target>>,
}

#[derive(Debug, Default)]
pub(super) struct Links {
    entries: RwLock<HashMap<ReferralCode, Entry>>,
    brand: RwLock<Option<(Instant, Arc<BrandConfig>)>>,
}

impl Links {
    /// The stored brand (a nameless one when none is stored).
    pub(super) async fn brand(&self, state: &AppState) -> Result<Arc<BrandConfig>, Failure> {
        if let Some((at, brand)) = self
            .brand
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            && at.elapsed() < TTL
        {
            return Ok(Arc::clone(brand));
        }
        let text = state.blocking(|store| store.brand()).await?;
        let brand = match text.map(|t| BrandConfig::from_toml(&t)) {
            Some(Ok(b)) => b,
            Some(Err(e)) => {
                tracing::error!(error = %e, "the stored brand does not parse");
                BrandConfig::named("")
            }
            None => BrandConfig::named(""),
        };
        let brand = Arc::new(brand);
        *self.brand.write().unwrap_or_else(PoisonError::into_inner) =
            Some((Instant::now(), Arc::clone(&brand)));
        Ok(brand)
    }

    /// Forgets what `code` pointed to, so the next request reads the store: a member
    /// paused or removed from the dashboard stops at once on this server.
    pub(super) fn forget(&self, code: &ReferralCode) {
        self.entries
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(code);
    }

    /// Where `code` sends people, or `None` for a code no member (still) has.
    pub(super) async fn target(
        &self,
        state: &AppState,
        code: &ReferralCode,
    ) -> Result<Option<Arc<Target>>, Failure> {
        if let Some(entry) = self
            .entries
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(code)
            && entry.loaded.elapsed() < TTL
        {
            return Ok(entry.target.clone());
        }
        let lookup = code.clone();
        let link = state
            .blocking(move |store| store.programs().link(&lookup))
            .await?;
        let target = match link {
            None => None,
            Some(link) => {
                let brand = self.brand(state).await?;
                let destination = link.destination.or_else(|| brand.website.clone());
                let tracked = destination.and_then(|d| {
                    match check_destination(&d, &brand.allowed_redirect_domains) {
                        Ok(()) => Some(tracked_url(&d, &link.campaign, link.code.as_str())),
                        Err(e) => {
                            tracing::warn!(code = %link.code, error = %e, "link destination refused");
                            None
                        }
                    }
                });
                let rendered = tracked
                    .as_deref()
                    .map(|t| Rendered::new(t, link.window_days));
                Some(Arc::new(Target {
                    member_id: link.member_id,
                    rendered,
                    content_id: link.content_id,
                    code: link.code,
                    single_use: link.single_use,
                }))
            }
        };
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            code.clone(),
            Entry {
                loaded: Instant::now(),
                target: target.clone(),
            },
        );
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_core::program::redirect::with_visitor;

    #[test]
    fn the_rendered_location_is_the_one_with_visitor_makes() {
        for tracked in [
            "https://shop.example/a?utm_source=kith&utm_content=MAYA10",
            "https://shop.example/a?utm_source=kith#top",
            "https://shop.example/a",
        ] {
            let r = Rendered::new(tracked, 30);
            let visitor = "0123456789abcdef0123456789abcdef";
            let location = format!("{}{visitor}{}", r.location.0, r.location.1);
            assert_eq!(location, with_visitor(tracked, visitor));
            let cookie = format!("kith_ref={visitor}{}", r.cookie_tail);
            let made = crate::auth::set_cookie("kith_ref", visitor, 30 * 86_400, false);
            assert_eq!(cookie, made.to_str().unwrap());
        }
    }
}
