//! kith's HTTP face: the dashboard (server-rendered, with htmx and uPlot embedded), the
//! REST API with its OpenAPI document, sign-in and roles, and health checks.
//!
//! The app is a value: [`router`] builds it from an [`AppState`], [`run`] serves it on a
//! listener until a shutdown signal, so tests bind port 0 and call it in-process.
//!
//! # Layout
//! - [`routes`]: the one table of every route, its method and the role it needs; the
//!   router is built from it and a test walks it with every role.
//! - [`auth`]: sessions, API tokens, CSRF, the per-route guard, sign-in and its limits.
//! - `api`: `/api/v1` (JSON) and `/api/openapi.json` (utoipa, OpenAPI 3.1).
//! - `pages`: server-rendered HTML from embedded minijinja templates (escaped by default),
//!   one module per page; `assets`: the embedded static files and their licences.
//! - [`discovery`]: the candidates in memory, so filtered, sorted pages stay fast at a
//!   million rows; [`identity`]: each person's linked and proposed profiles, resolved
//!   once per change of the data, not once per page.
//! - `imports`: uploads running in the background, with progress and exact errors.
//! - `error`: the one table of failures, answered as JSON or HTML.
//! - [`portal`]: the member portal — a member's own codes, links, orders and earnings.
//! - [`tracking`]: the referral redirect `/r/{code}`, its click writer, and the Shopify
//!   order webhook.

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::serve::ListenerExt;
use kith_store::{Store, StoreError};
use tokio::net::TcpListener;

pub(crate) mod api;
mod assets;
pub mod auth;
pub mod discovery;
pub mod error;
pub mod identity;
mod imports;
pub(crate) mod pages;
pub mod portal;
pub mod query;
pub mod routes;
pub mod tracking;

pub use imports::rescore;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    templates: Arc<minijinja::Environment<'static>>,
    imports: imports::Imports,
    /// One-shot notices for the page a form redirects to.
    flashes: pages::flash::Flashes,
    /// The scored candidates in memory, for fast filtered, sorted pages.
    pub discovery: discovery::Discovery,
    /// Identity resolution's rows per person, kept per data version.
    pub identity: identity::Identity,
    /// Mark cookies `Secure` even without `X-Forwarded-Proto: https` (served over TLS).
    pub secure_cookies: bool,
    /// The referral redirect's click writer and link cache, the webhook's secret.
    pub tracking: tracking::Tracking,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("backend", &self.store.backend())
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn new(store: Arc<dyn Store>) -> AppState {
        AppState {
            tracking: tracking::Tracking::new(Arc::clone(&store)),
            store,
            templates: Arc::new(pages::templates()),
            imports: imports::Imports::default(),
            flashes: pages::flash::Flashes::default(),
            discovery: discovery::Discovery::default(),
            identity: identity::Identity::default(),
            secure_cookies: false,
        }
    }

    /// Runs a store call on the blocking pool. Required, not a nicety: the PostgreSQL
    /// backend's synchronous client panics on an async worker thread.
    pub(crate) async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, error::Failure> {
        let store = Arc::clone(&self.store);
        let out = tokio::task::spawn_blocking(move || f(store.as_ref())).await?;
        Ok(out?)
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    routes::build(state)
}

/// Serves the app until `shutdown` completes.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The first Discover pages need not wait for the index.
    state.discovery.rebuild_in_background(&state.store);
    state.identity.follow_changes(&state.store);
    // Small answers must leave at once, not wait for Nagle's algorithm.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "cannot set TCP_NODELAY");
        }
    });
    // Referral links skip the router (tracking::fast); everything else goes through it,
    // with the peer address, which keys the sign-in rate limit.
    let app = tracking::fast::MakeConnection {
        router: router(state.clone()),
        state: Arc::new(state),
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
