//! `kith status`: counts of what the store holds.
//!
//! The JSON keys are a contract and stay exactly the `Status` fields. The table also
//! says how many people identity resolution matched to a profile and how many links
//! wait for review (`kith match`): that takes a resolution over every person and
//! profile, so it is computed here, for people reading a terminal, and not for scripts.

use std::collections::HashSet;

use anyhow::Result;
use kith_core::PersonSource;
use kith_store::{IdentityInputs, Store};

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
            let m = Matched::of(&store.identity_inputs()?);
            println!();
            println!(
                "{:<22} {:>10}  with at least one linked profile",
                "matched customers", m.customers
            );
            println!("{:<22} {:>10}", "matched employees", m.employees);
            println!(
                "{:<22} {:>10}  see `kith match`",
                "links to review", m.to_review
            );
        }
    }
    Ok(())
}

/// People linked to at least one profile, by source, and links waiting for a decision.
#[derive(Debug, Default, PartialEq, Eq)]
struct Matched {
    customers: u64,
    employees: u64,
    to_review: u64,
}

impl Matched {
    fn of(inputs: &IdentityInputs) -> Matched {
        let resolution = inputs.resolve();
        let linked: HashSet<&str> = resolution
            .links
            .iter()
            .map(|l| l.person_id.as_str())
            .collect();
        let mut m = Matched {
            to_review: resolution.to_review.len() as u64,
            ..Matched::default()
        };
        for p in inputs
            .people
            .iter()
            .filter(|p| linked.contains(p.id.as_str()))
        {
            match p.source() {
                PersonSource::Customer => m.customers += 1,
                PersonSource::Employee => m.employees += 1,
            }
        }
        m
    }
}
