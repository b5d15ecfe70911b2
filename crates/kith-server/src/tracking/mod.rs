//! Referral tracking: the redirect `GET /r/{code}`, the click writer behind it, and the
//! Shopify order webhook `POST /webhooks/shopify/orders`.
//!
//! # Layout
//! - [`redirect`]: answers a referral link with a 302 to the member's (allowed)
//!   destination, and records the click of a person — not of a bot or a prefetch — before
//!   answering.
//! - [`clicks`]: the click writer, a thread of its own that writes clicks in batches
//!   (group commit) and acknowledges each click once its batch is durable.
//! - `links`: what the redirect knows of each code, cached for a few seconds, with its
//!   `Location` and `Set-Cookie` pre-rendered.
//! - `fast`: the connection-level service that sends `GET /r/{code}` straight to the
//!   redirect, past the router and the guard it does not need.
//! - `random`: visitor ids from OS randomness drawn in blocks, not a syscall each.
//! - [`shopify`]: the webhook, verified by HMAC over the raw body, idempotent by webhook
//!   id and by order and refund id; `payload` reads Shopify's JSON.
//! - [`simulate`]: drives the real redirect and webhook over HTTP (for `kith demo`).

pub mod clicks;
pub(crate) mod fast;
mod links;
mod payload;
mod random;
pub mod redirect;
pub mod shopify;
pub mod simulate;

use std::sync::{Arc, OnceLock};

use hmac::{Hmac, KeyInit, Mac};
use kith_store::Store;
use sha2::Sha256;

use crate::AppState;
use crate::error::Failure;

/// The environment variable holding the Shopify webhook secret (it wins over
/// `[shopify] webhook_secret` in `brand.toml`).
pub const WEBHOOK_SECRET_VAR: &str = "KITH_SHOPIFY_WEBHOOK_SECRET";

/// The store's name for the salt of address hashes.
const SALT: &str = "ip_salt";

/// The tracking part of the app's state: cheap to clone.
#[derive(Clone)]
pub struct Tracking(Arc<Inner>);

struct Inner {
    links: links::Links,
    clicks: clicks::ClickWriter,
    /// From the environment, read once when the app is built.
    webhook_secret: Option<String>,
    salt: OnceLock<String>,
    /// HMAC-SHA256 keyed with the salt, cloned per address: the key is hashed once.
    keyed: OnceLock<Hmac<Sha256>>,
}

impl std::fmt::Debug for Tracking {
    // Never prints the secret or the salt.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tracking")
            .field("webhook_secret_from_env", &self.0.webhook_secret.is_some())
            .finish_non_exhaustive()
    }
}

impl Tracking {
    /// Tracking over `store`, with the webhook secret from [`WEBHOOK_SECRET_VAR`] if set.
    pub fn new(store: Arc<dyn Store>) -> Tracking {
        let secret = std::env::var(WEBHOOK_SECRET_VAR)
            .ok()
            .filter(|s| !s.trim().is_empty());
        Tracking::with_secret(store, secret)
    }

    /// Tracking with the webhook secret given here instead of the environment's.
    pub fn with_secret(store: Arc<dyn Store>, webhook_secret: Option<String>) -> Tracking {
        Tracking(Arc::new(Inner {
            links: links::Links::default(),
            clicks: clicks::ClickWriter::new(store),
            webhook_secret,
            salt: OnceLock::new(),
            keyed: OnceLock::new(),
        }))
    }

    fn webhook_secret(&self) -> Option<&str> {
        self.0.webhook_secret.as_deref()
    }

    fn links(&self) -> &links::Links {
        &self.0.links
    }

    /// Forgets the cached target of `code` (after its member's status changed).
    pub(crate) fn forget(&self, code: &kith_core::program::code::ReferralCode) {
        self.0.links.forget(code);
    }

    pub fn click_writer(&self) -> &clicks::ClickWriter {
        &self.0.clicks
    }

    /// The salt of address hashes: made once per store and kept in it, so an address
    /// hashes the same way across restarts (the "orders from one address" rule needs
    /// that) while the store never holds an address.
    async fn salt(&self, state: &AppState) -> Result<String, Failure> {
        if let Some(salt) = self.0.salt.get() {
            return Ok(salt.clone());
        }
        let fresh = crate::auth::secret::random_hex(32)?;
        let salt = state
            .blocking(move |store| store.programs().secret(SALT, &fresh))
            .await?;
        // Another request may have set it first; the store returned the same value.
        Ok(self.0.salt.get_or_init(|| salt).clone())
    }

    /// A salted hash of a network address: 128 bits of HMAC-SHA256, hex.
    pub(crate) async fn hash_address(
        &self,
        state: &AppState,
        address: &str,
    ) -> Result<String, Failure> {
        if let Some(mac) = self.0.keyed.get() {
            return Ok(finish_hash(mac.clone(), address));
        }
        let salt = self.salt(state).await?;
        let mac = self.0.keyed.get_or_init(|| keyed(&salt));
        Ok(finish_hash(mac.clone(), address))
    }
}

fn keyed(key: &str) -> Hmac<Sha256> {
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes())
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()))
}

fn finish_hash(mut mac: Hmac<Sha256>, text: &str) -> String {
    mac.update(text.as_bytes());
    let digest = mac.finalize().into_bytes();
    random::hex(&digest[..16])
}

/// HMAC-SHA256 of `text` under `key`, the first 16 bytes as hex.
#[cfg(test)]
pub(crate) fn keyed_hash(key: &str, text: &str) -> String {
    finish_hash(keyed(key), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cached_keyed_hash_is_the_hmac_of_the_address_under_the_salt() {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(b"salt").unwrap();
        mac.update(b"203.0.113.9");
        let full = mac.finalize().into_bytes();
        let expected: String = full[..16].iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(keyed_hash("salt", "203.0.113.9"), expected);
        assert_eq!(keyed_hash("salt", "203.0.113.9").len(), 32);
    }
}
