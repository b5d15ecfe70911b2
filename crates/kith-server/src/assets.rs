//! Static files embedded in the binary, so the dashboard works offline and behind a
//! firewall: kith's own stylesheet and script, and the vendored htmx 2.0.11 and uPlot
//! 1.6.32 (both from npm, unmodified, each with its licence beside it under
//! `/static/vendor/`).
//!
//! htmx 2.x rather than 4.x: 4 is a new major with changed defaults and little use yet;
//! 2.x is the stable line the docs and examples describe.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::{Failure, PageError};

struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

macro_rules! asset {
    ($path:literal, $type:literal) => {
        Asset {
            path: $path,
            content_type: $type,
            body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/static/", $path)),
        }
    };
}

static ASSETS: &[Asset] = &[
    asset!("kith.css", "text/css; charset=utf-8"),
    asset!("kith.js", "text/javascript; charset=utf-8"),
    asset!(
        "vendor/htmx-2.0.11/htmx.min.js",
        "text/javascript; charset=utf-8"
    ),
    asset!("vendor/htmx-2.0.11/LICENSE", "text/plain; charset=utf-8"),
    asset!(
        "vendor/uplot-1.6.32/uPlot.iife.min.js",
        "text/javascript; charset=utf-8"
    ),
    asset!(
        "vendor/uplot-1.6.32/uPlot.min.css",
        "text/css; charset=utf-8"
    ),
    asset!("vendor/uplot-1.6.32/LICENSE", "text/plain; charset=utf-8"),
];

/// `GET /static/{*path}`.
pub async fn serve(Path(path): Path<String>) -> Result<Response, PageError> {
    let asset = ASSETS
        .iter()
        .find(|a| a.path == path)
        .ok_or_else(|| Failure::NotFound(format!("/static/{path}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, asset.content_type),
            // Files change only with the binary; an hour keeps pages fast without
            // serving stale code for long after an upgrade.
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        asset.body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vendored_library_ships_with_its_licence() {
        for lib in ["vendor/htmx-2.0.11/", "vendor/uplot-1.6.32/"] {
            assert!(
                ASSETS.iter().any(|a| a.path == format!("{lib}LICENSE")),
                "{lib} has no LICENSE"
            );
        }
        assert!(ASSETS.iter().all(|a| !a.body.is_empty()));
    }
}
