//! Who is asking, and may they: sessions (cookie), API tokens (`Authorization: Bearer`),
//! CSRF checks on every state-changing request a browser sends, and the guard that each
//! route of [`crate::routes`] runs with the role it declares.
//!
//! # Layout
//! - [`secret`]: argon2id passwords, random tokens, hashes, constant-time comparison.
//! - `cookies`: reading and writing the session and sign-in cookies.
//! - `login`: the sign-in form, its rate limit, and signing out.

pub mod secret;

mod cookies;
pub mod login;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use kith_store::{Role, User};

use crate::AppState;
use crate::error::Failure;

pub(crate) use cookies::{SESSION_COOKIE, cookie, set_cookie};

/// What a route needs of the one asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in user or an API token with at least this role.
    Role(Role),
}

/// A signed-in user or an API token, after the checks.
#[derive(Debug, Clone)]
pub struct Principal {
    pub role: Role,
    pub via: Via,
}

#[derive(Debug, Clone)]
pub enum Via {
    /// A browser session: forms must echo `csrf`.
    Session {
        user: User,
        csrf: String,
        token_hash: String,
    },
    /// An API token, which a browser never sends by itself, so it needs no CSRF token.
    Token { id: String, name: String },
}

impl Principal {
    pub fn user(&self) -> Option<&User> {
        match &self.via {
            Via::Session { user, .. } => Some(user),
            Via::Token { .. } => None,
        }
    }

    /// The CSRF token forms must carry; empty for API tokens.
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            Via::Token { .. } => "",
        }
    }

    /// Who did it, for logs: never a secret.
    pub fn label(&self) -> String {
        match &self.via {
            Via::Session { user, .. } => format!("user {}", user.id),
            Via::Token { id, .. } => format!("token {id}"),
        }
    }
}

/// The principal behind a request's bearer token or session cookie, if any is valid.
pub(crate) async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Principal>, Failure> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    if let Some(token) = bearer {
        let Some((id, secret)) = secret::split_api_token(&token) else {
            return Ok(None);
        };
        let (id, hash) = (id.to_owned(), secret::sha256_hex(secret));
        let found = state.blocking(move |store| store.api_token(&id)).await?;
        return Ok(found.and_then(|(token, stored)| {
            (!token.revoked && secret::same_secret(&hash, &stored)).then_some(Principal {
                role: token.role,
                via: Via::Token {
                    id: token.id,
                    name: token.name,
                },
            })
        }));
    }
    let Some(value) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let token_hash = secret::sha256_hex(&value);
    let lookup = token_hash.clone();
    let session = state.blocking(move |store| store.session(&lookup)).await?;
    Ok(session.map(|s| Principal {
        role: s.user.role,
        via: Via::Session {
            user: s.user,
            csrf: s.csrf_token,
            token_hash,
        },
    }))
}

/// The largest form body the CSRF check reads; uploads are multipart and send the token
/// in a header instead.
const FORM_LIMIT: usize = 1 << 20;

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Runs before every routed handler with the route's declared [`Access`]: 401 (API) or
/// a redirect to `/login` (pages) for no one, 403 for a role too low, 403 for a browser
/// form without its CSRF token. Puts the [`Principal`] in the request's extensions.
pub(crate) async fn guard(
    State(state): State<AppState>,
    access: Access,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let api = is_api(&path);
    let principal = match authenticate(&state, request.headers()).await {
        Ok(p) => p,
        Err(e) => return e.respond(api),
    };
    let (mut request, principal) = match (access, principal) {
        (Access::Public, p) => (request, p),
        (Access::Role(_), None) if api => return Failure::Unauthorized.respond(true),
        (Access::Role(_), None) => {
            let next = match request.uri().path_and_query() {
                Some(pq) if request.method() == Method::GET => pq.as_str().to_owned(),
                _ => "/".to_owned(),
            };
            let target = format!("/login?next={}", crate::pages::url_encode(&next));
            return Redirect::to(&target).into_response();
        }
        (Access::Role(needed), Some(p)) if !p.role.allows(needed) => {
            tracing::info!(who = %p.label(), %path, needed = %needed, "forbidden");
            return Failure::Forbidden.respond(api);
        }
        (Access::Role(_), Some(p)) => match check_csrf(request, &p).await {
            Ok(request) => (request, Some(p)),
            Err(e) => return e.respond(api),
        },
    };
    if let Some(p) = principal {
        request.extensions_mut().insert(p);
    }
    next.run(request).await
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A state-changing request from a browser session must carry the session's CSRF token,
/// in the `X-CSRF-Token` header (htmx, uploads) or a `csrf` form field.
async fn check_csrf(request: Request, p: &Principal) -> Result<Request, Failure> {
    let Via::Session { csrf, .. } = &p.via else {
        return Ok(request);
    };
    if is_safe(request.method()) {
        return Ok(request);
    }
    if let Some(sent) = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if secret::same_secret(sent, csrf) {
            Ok(request)
        } else {
            Err(Failure::Csrf)
        };
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(Failure::Csrf);
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| Failure::TooLarge)?;
    let sent = form_field(&bytes, "csrf").unwrap_or_default();
    if !secret::same_secret(&sent, csrf) {
        return Err(Failure::Csrf);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// A field of an `application/x-www-form-urlencoded` body, decoded.
pub(crate) fn form_field(body: &[u8], name: &str) -> Option<String> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| crate::pages::url_decode(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_are_found_and_decoded() {
        let body = b"email=ana%40example.com&csrf=ab12&next=%2Fdiscover%3Fa%3D1+2";
        assert_eq!(form_field(body, "csrf").as_deref(), Some("ab12"));
        assert_eq!(
            form_field(body, "email").as_deref(),
            Some("ana@example.com")
        );
        assert_eq!(form_field(body, "next").as_deref(), Some("/discover?a=1 2"));
        assert_eq!(form_field(body, "missing"), None);
    }
}
