//! Every failure a request can end in, mapped in one table to a status, a stable machine
//! code and a message. The API answers `{"code", "message"}` as JSON; pages show the same
//! message in HTML. Internal details are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

/// The JSON body of every API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable and machine-readable, e.g. `bad_request`.
    pub code: &'static str,
    /// For people; may change between versions.
    pub message: String,
}

#[derive(Debug)]
pub enum Failure {
    Unauthorized,
    Forbidden,
    Csrf,
    NotFound(String),
    BadRequest(String),
    Conflict(String),
    TooLarge,
    TooManyAttempts,
    /// Logged in full; answered without detail.
    Internal(String),
}

impl Failure {
    /// The table: status, code and message of each failure.
    pub fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            Failure::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Sign in, or send an API token as `Authorization: Bearer TOKEN`.".into(),
            ),
            Failure::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Your role does not allow this.".into(),
            ),
            Failure::Csrf => (
                StatusCode::FORBIDDEN,
                "csrf",
                "The form expired or did not come from kith. Reload the page and try again.".into(),
            ),
            Failure::NotFound(what) => (
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{what} not found."),
            ),
            Failure::BadRequest(why) => (StatusCode::BAD_REQUEST, "bad_request", why.clone()),
            Failure::Conflict(why) => (StatusCode::CONFLICT, "conflict", why.clone()),
            Failure::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "The request is too large.".into(),
            ),
            Failure::TooManyAttempts => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                "Too many failed sign-ins. Wait 15 minutes and try again.".into(),
            ),
            Failure::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on the server; it has been logged.".into(),
            ),
        }
    }

    /// JSON for the API, HTML for pages.
    pub fn respond(self, api: bool) -> Response {
        if api {
            ApiError(self).into_response()
        } else {
            PageError(self).into_response()
        }
    }

    fn log(&self) {
        if let Failure::Internal(detail) = self {
            tracing::error!(error = %detail, "request failed");
        }
    }
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::Internal(e.to_string())
    }
}

/// A failure answered as JSON.
#[derive(Debug)]
pub struct ApiError(pub Failure);

impl<E: Into<Failure>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let (status, code, message) = self.0.parts();
        (status, Json(ErrorBody { code, message })).into_response()
    }
}

/// A failure answered as a small HTML page.
#[derive(Debug)]
pub struct PageError(pub Failure);

impl<E: Into<Failure>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.log();
        let (status, _, message) = self.0.parts();
        let body = crate::pages::error_page(status, &message);
        (status, Html(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_has_a_distinct_code_and_an_error_status() {
        let all = [
            Failure::Unauthorized,
            Failure::Forbidden,
            Failure::Csrf,
            Failure::NotFound("x".into()),
            Failure::BadRequest("x".into()),
            Failure::Conflict("x".into()),
            Failure::TooLarge,
            Failure::TooManyAttempts,
            Failure::Internal("secret detail".into()),
        ];
        let mut codes: Vec<&str> = all.iter().map(|f| f.parts().1).collect();
        assert!(all.iter().all(|f| f.parts().0.as_u16() >= 400));
        assert!(
            !all[8].parts().2.contains("secret"),
            "internals are not sent"
        );
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
