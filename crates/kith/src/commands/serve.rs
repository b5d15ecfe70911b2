//! `kith serve`: the web app until Ctrl-C.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};
use kith_server::AppState;
use kith_store::Store;

pub fn run(store: Arc<dyn Store>, bind: SocketAddr) -> Result<()> {
    // Scores are fresh before the first page is served.
    crate::refresh::refresh(store.as_ref())?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .with_context(|| format!("cannot listen on {bind}"))?;
        eprintln!(
            "kith is serving on http://{} (Ctrl-C stops it)",
            listener.local_addr()?
        );
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        kith_server::run(listener, AppState::new(store), shutdown).await?;
        Ok(())
    })
}
