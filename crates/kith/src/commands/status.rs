//! `kith status`: counts of what the store holds.
//!
//! The JSON keys are a contract and stay exactly the `Status` fields. The table also
//! says how many people identity resolution matched to a profile and how many links
//! wait for review (`kith match`): that takes a resolution over every person and
//! profile, so it is computed here, for people reading a terminal, and not for scripts —
//! once per change of the data: the store keeps the counts with the `data_version` they
//! were computed from.

use anyhow::Result;
use kith_store::{IdentitySummary, Store};

use crate::cli::{StatusArgs, StatusFormat};

pub fn run(store: &dyn Store, args: &StatusArgs) -> Result<()> {
    let status = store.status()?;
    match args.format {
        StatusFormat::Json => println!("{}", serde_json::to_string_pretty(&status)?),
        StatusFormat::Table => {
            let rows = [
                ("customers", status.customers),
                ("employees", status.employees),
                ("profiles", status.profiles),
                ("posts", status.posts),
                ("reviews", status.reviews),
                ("orders", status.orders),
                ("candidates", status.candidates),
                ("programs", status.programs),
                ("members", status.members),
                ("clicks", status.clicks),
                ("conversions", status.conversions),
            ];
            for (name, count) in rows {
                println!("{name:<12} {count:>10}");
            }
            let m = identity_summary(store)?;
            println!();
            println!(
                "{:<22} {:>10}  with at least one linked profile",
                "matched customers", m.matched_customers
            );
            println!("{:<22} {:>10}", "matched employees", m.matched_employees);
            println!(
                "{:<22} {:>10}  see `kith match`",
                "links to review", m.to_review
            );
        }
    }
    Ok(())
}

/// Identity resolution in counts: the one the store kept for the data as it is now, or,
/// when the data moved since, a fresh one (kept for the next time).
fn identity_summary(store: &dyn Store) -> Result<IdentitySummary> {
    if let Some(summary) = store.identity_summary()? {
        return Ok(summary);
    }
    let inputs = store.identity_inputs()?;
    let summary = inputs.summary(&inputs.resolve());
    // Only a cache: a store that cannot keep it (read-only, busy) still gets its answer.
    if let Err(e) = store.save_identity_summary(&summary) {
        tracing::debug!(error = %e, "cannot keep the identity summary");
    }
    Ok(summary)
}
