//! The redirect's fast path: a per-connection service in front of the router that sends
//! `GET`/`HEAD /r/{code}` straight to [`redirect::answer`](super::redirect::answer).
//!
//! Why: under load a referral link is nearly all kith serves, and the router and the
//! per-route guard cost more than the redirect itself — the guard authenticates every
//! request (the redirect needs no principal), axum clones the whole [`AppState`] for
//! each extractor, and the path goes through the route table and percent-decoding. The
//! route stays declared in `routes::table` as public, and anything the fast path does
//! not recognise exactly — another method, a code with characters a code cannot have,
//! a percent-encoded path — goes through the router as before, so the answer is the
//! same either way.

use std::convert::Infallible;
use std::future::{Future, Ready, ready};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::http::Method;
use axum::response::Response;
use axum::serve::{IncomingStream, Listener};
use tower_service::Service;

use crate::AppState;

use super::redirect;

/// Makes one [`Connection`] per accepted connection (for `axum::serve`).
#[derive(Clone)]
pub(crate) struct MakeConnection {
    pub router: Router,
    /// One `Arc` to clone per redirect instead of every `Arc` inside the state.
    pub state: Arc<AppState>,
}

impl<L> Service<IncomingStream<'_, L>> for MakeConnection
where
    L: Listener<Addr = SocketAddr>,
{
    type Response = Connection;
    type Error = Infallible;
    type Future = Ready<Result<Connection, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, incoming: IncomingStream<'_, L>) -> Ready<Result<Connection, Infallible>> {
        ready(Ok(Connection {
            router: self.router.clone(),
            state: Arc::clone(&self.state),
            peer: *incoming.remote_addr(),
        }))
    }
}

/// One connection's service: the fast path, else the router (with the peer address as
/// `ConnectInfo`, which the sign-in rate limit reads).
#[derive(Clone)]
pub(crate) struct Connection {
    router: Router,
    state: Arc<AppState>,
    peer: SocketAddr,
}

/// The code in `/r/{code}`, when the path is exactly that and the code is made only of
/// the characters a referral code may have (so no percent-decoding can change it).
pub(crate) fn referral_code(path: &str) -> Option<&str> {
    let code = path.strip_prefix("/r/")?;
    (!code.is_empty()
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then_some(code)
}

impl Service<Request> for Connection {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // The router is always ready.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let method = request.method();
        if (method == Method::GET || method == Method::HEAD)
            && referral_code(request.uri().path()).is_some()
        {
            let state = Arc::clone(&self.state);
            let peer = self.peer.ip();
            return Box::pin(async move {
                let (parts, _) = request.into_parts();
                let code = referral_code(parts.uri.path()).unwrap_or_default();
                Ok(redirect::answer(&state, code, &parts.method, &parts.headers, Some(peer)).await)
            });
        }
        request.extensions_mut().insert(ConnectInfo(self.peer));
        let mut router = self.router.clone();
        Box::pin(async move { router.call(request).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plain_code_takes_the_fast_path() {
        assert_eq!(referral_code("/r/MAYA10"), Some("MAYA10"));
        assert_eq!(referral_code("/r/maya-10_x"), Some("maya-10_x"));
        for slow in [
            "/r/",
            "/r/MAYA%31",
            "/r/MAYA/10",
            "/rMAYA",
            "/healthz",
            "/r/MA YA",
        ] {
            assert_eq!(referral_code(slow), None, "{slow}");
        }
    }
}
