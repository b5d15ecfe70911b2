//! kith's HTTP face: health checks, the overview page, and (as they land) the dashboard,
//! REST API, redirect and webhooks.
//!
//! The app is a value: [`router`] builds it from an [`AppState`], [`run`] serves it on a
//! listener until a shutdown signal, so tests bind port 0 and call it in-process.
//!
//! # Layout
//! - `pages`: server-rendered HTML from embedded minijinja templates (escaped by default).

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use kith_store::Store;
use tokio::net::TcpListener;

mod pages;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    templates: Arc<minijinja::Environment<'static>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("backend", &self.store.backend())
            .finish()
    }
}

impl AppState {
    pub fn new(store: Arc<dyn Store>) -> AppState {
        AppState {
            store,
            templates: Arc::new(pages::templates()),
        }
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/", get(pages::overview))
        .with_state(state)
}

/// Serves the app until `shutdown` completes.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

async fn healthz() -> &'static str {
    "ok"
}

/// A failure inside a handler: logged in full, answered without internals.
#[derive(Debug)]
pub(crate) struct Internal(String);

impl<E: std::fmt::Display> From<E> for Internal {
    fn from(e: E) -> Self {
        Internal(e.to_string())
    }
}

impl IntoResponse for Internal {
    fn into_response(self) -> Response {
        tracing::error!(error = %self.0, "request failed");
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            Html("<h1>Something went wrong</h1>"),
        )
            .into_response()
    }
}
