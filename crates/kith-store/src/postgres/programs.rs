//! [`ProgramStore`](crate::programs::ProgramStore) on PostgreSQL, and the click writer's
//! connection.
//!
//! The click log is a connection of its own, so batches of clicks never wait behind the
//! store's one connection. PostgreSQL's default `synchronous_commit = on` makes a commit
//! return only once its WAL record is flushed to disk; a batch is one transaction (and
//! one statement, unnesting arrays), so one flush covers every click in it.

use postgres::{Client, NoTls};

use super::PostgresStore;
use crate::StoreError;
use crate::programs::sql::{PG_INSERT_CLICK_CODES, PG_INSERT_CLICKS};
use crate::programs::{ClickLog, NewClick, impl_program_store};

impl_program_store!(PostgresStore);

impl PostgresStore {
    fn open_click_log(&self) -> Result<Box<dyn ClickLog>, StoreError> {
        let mut client = self.config.connect(NoTls)?;
        // Durability is the point of this connection: never let a setting relax it.
        client.batch_execute("SET synchronous_commit = on")?;
        Ok(Box::new(PgClickLog {
            config: self.config.clone(),
            client,
        }))
    }
}

struct PgClickLog {
    config: postgres::Config,
    client: Client,
}

impl ClickLog for PgClickLog {
    fn append(&mut self, clicks: &[NewClick]) -> Result<(), StoreError> {
        if clicks.is_empty() {
            return Ok(());
        }
        if self.client.is_closed() {
            tracing::warn!("click log connection closed; reconnecting");
            self.client = self.config.connect(NoTls)?;
        }
        let members: Vec<i64> = clicks.iter().map(|c| c.member_id).collect();
        let visitors: Vec<&str> = clicks.iter().map(|c| c.visitor.as_str()).collect();
        let times: Vec<time::OffsetDateTime> = clicks
            .iter()
            .map(|c| crate::convert::utc_micros(c.at))
            .collect();
        let hashes: Vec<Option<&str>> = clicks.iter().map(|c| c.ip_hash.as_deref()).collect();
        let content: Vec<Option<i64>> = clicks.iter().map(|c| c.content_id).collect();
        let mut tx = self.client.transaction()?;
        tx.execute(
            PG_INSERT_CLICKS,
            &[&members, &visitors, &times, &hashes, &content],
        )?;
        // Each single-use code is stored with its click, in the same transaction.
        let issued: Vec<&NewClick> = clicks
            .iter()
            .filter(|c| c.single_use_code.is_some())
            .collect();
        if !issued.is_empty() {
            let codes: Vec<&str> = issued
                .iter()
                .filter_map(|c| c.single_use_code.as_ref().map(|k| k.as_str()))
                .collect();
            let members: Vec<i64> = issued.iter().map(|c| c.member_id).collect();
            let visitors: Vec<&str> = issued.iter().map(|c| c.visitor.as_str()).collect();
            let times: Vec<time::OffsetDateTime> = issued
                .iter()
                .map(|c| crate::convert::utc_micros(c.at))
                .collect();
            tx.execute(
                PG_INSERT_CLICK_CODES,
                &[&codes, &members, &visitors, &times],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}
