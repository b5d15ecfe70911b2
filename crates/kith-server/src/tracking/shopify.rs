//! `POST /webhooks/shopify/orders`: Shopify's `orders/create` and `refunds/create`.
//!
//! Every delivery is verified first: `X-Shopify-Hmac-Sha256` must be the base64
//! HMAC-SHA256 of the raw body under the shop's webhook secret (env
//! `KITH_SHOPIFY_WEBHOOK_SECRET`, else `[shopify] webhook_secret` in `brand.toml`),
//! compared in constant time. A wrong or missing signature — or no secret configured —
//! gets 401 and nothing is stored. Then the body is stored as a fact, idempotently by
//! `X-Shopify-Webhook-Id` and by order or refund id, and an order is attributed; the
//! answer is 200 with what happened, so Shopify does not retry. Other topics are
//! verified and acknowledged without storing anything.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use kith_store::programs::Delivery;
use sha2::Sha256;
use time::OffsetDateTime;

use super::payload;
use crate::AppState;
use crate::error::{ApiError, ErrorBody, Failure};

pub const HMAC_HEADER: &str = "x-shopify-hmac-sha256";
pub const TOPIC_HEADER: &str = "x-shopify-topic";
pub const WEBHOOK_ID_HEADER: &str = "x-shopify-webhook-id";

/// The base64 HMAC-SHA256 of `body` under `secret`, as Shopify signs a delivery.
pub fn sign(secret: &str, body: &[u8]) -> String {
    match <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body);
            STANDARD.encode(mac.finalize().into_bytes())
        }
        // HMAC accepts keys of any length.
        Err(_) => String::new(),
    }
}

/// Whether `signature` (base64, as sent) is the body's HMAC under `secret`; the
/// comparison takes the same time wherever the bytes differ.
pub fn verify(secret: &str, body: &[u8], signature: &str) -> bool {
    let Ok(sent) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    match <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body);
            mac.verify_slice(&sent).is_ok()
        }
        Err(_) => false,
    }
}

fn unauthorized(message: &str) -> Response {
    let body = ErrorBody {
        code: "unauthorized",
        message: message.to_owned(),
    };
    (StatusCode::UNAUTHORIZED, Json(body)).into_response()
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

pub(crate) async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let brand = match state.tracking.links().brand(&state).await {
        Ok(b) => b,
        Err(e) => return ApiError(e).into_response(),
    };
    let secret = state
        .tracking
        .webhook_secret()
        .or(brand.shopify.webhook_secret.as_deref())
        .filter(|s| !s.is_empty());
    let Some(secret) = secret else {
        tracing::error!(
            "a Shopify webhook arrived but no secret is set: set {} or [shopify] webhook_secret",
            super::WEBHOOK_SECRET_VAR
        );
        return unauthorized("This kith has no Shopify webhook secret configured.");
    };
    let Some(signature) = header(&headers, HMAC_HEADER) else {
        return unauthorized("X-Shopify-Hmac-Sha256 is missing.");
    };
    if !verify(secret, &body, signature) {
        tracing::warn!("a Shopify webhook with a wrong signature was refused");
        return unauthorized("X-Shopify-Hmac-Sha256 does not match the body.");
    }
    let topic = header(&headers, TOPIC_HEADER)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let delivery = header(&headers, WEBHOOK_ID_HEADER).map(|id| Delivery {
        id: id.to_owned(),
        topic: topic.clone(),
    });
    let currency = brand.currency.clone().unwrap_or_else(|| "USD".to_owned());
    let now = OffsetDateTime::now_utc();
    let outcome = match topic.as_str() {
        "orders/create" => order(&state, &body, &currency, delivery, now).await,
        "refunds/create" => refund(&state, &body, delivery, now).await,
        _ => {
            tracing::info!(%topic, "a Shopify webhook of a topic kith does not use");
            return (
                StatusCode::OK,
                Json(serde_json::json!({"outcome": "ignored", "topic": topic})),
            )
                .into_response();
        }
    };
    match outcome {
        Ok(receipt) => (StatusCode::OK, Json(receipt)).into_response(),
        Err(e) => ApiError(e).into_response(),
    }
}

async fn order(
    state: &AppState,
    body: &[u8],
    currency: &str,
    delivery: Option<Delivery>,
    now: OffsetDateTime,
) -> Result<kith_store::programs::Receipt, Failure> {
    let parsed =
        payload::order(body, currency, now).map_err(|e| Failure::BadRequest(e.to_string()))?;
    let mut fact = parsed.fact;
    if let Some(ip) = parsed.browser_ip {
        fact.ip_hash = Some(state.tracking.hash_address(state, &ip).await?);
    }
    let receipt = state
        .blocking(move |store| {
            store
                .programs()
                .receive_order(delivery.as_ref(), &fact, now)
        })
        .await?;
    Ok(receipt)
}

async fn refund(
    state: &AppState,
    body: &[u8],
    delivery: Option<Delivery>,
    now: OffsetDateTime,
) -> Result<kith_store::programs::Receipt, Failure> {
    let fact = payload::refund(body, now).map_err(|e| Failure::BadRequest(e.to_string()))?;
    let receipt = state
        .blocking(move |store| {
            store
                .programs()
                .receive_refund(delivery.as_ref(), &fact, now)
        })
        .await?;
    Ok(receipt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_its_own_body_and_secret() {
        let body = br#"{"id":1}"#;
        let signature = sign("s3cret", body);
        assert!(verify("s3cret", body, &signature));
        assert!(!verify("s3cret", br#"{"id":2}"#, &signature));
        assert!(!verify("other", body, &signature));
        assert!(!verify("s3cret", body, "not base64!"));
        assert!(!verify("s3cret", body, ""));
    }
}
