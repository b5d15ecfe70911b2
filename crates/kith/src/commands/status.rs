//! `kith status`: counts of what the store holds.

use anyhow::Result;
use kith_store::Store;

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
        }
    }
    Ok(())
}
