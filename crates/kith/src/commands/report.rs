//! `kith report roi`: per program (and, with `--by-member`, per member) the clicks,
//! unique clicks, attributed orders, revenue net of refunds, commission, total cost,
//! ROI against the industry's $7.65 per $1, and earned media value — reported beside
//! revenue, never added to it.
//!
//! JSON keys, in order: `program, clicks, unique_clicks, orders, revenue, commission,
//! cost, roi, emv` (the contract), then `currency, kind, industry_roi, pending,
//! approved, paid`, `code, person_id` on member rows, then `unconverted_orders`: orders
//! counted whose currency no exchange rate converts. Money is a decimal string;
//! `roi` is a number with two decimals, `null` when nothing was spent. The row is
//! [`ReportRow`], which the API's `/api/v1/programs` answers too.

use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use kith_core::program::emv::INDUSTRY_ROI;
use kith_store::Store;
use kith_store::programs::RoiRow;
use kith_store::report::ReportRow;
use time::OffsetDateTime;

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Return on investment and earned media value per program.
    Roi(RoiArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct RoiArgs {
    #[arg(long)]
    pub program: Option<String>,
    /// Add a row per member after each program's row.
    #[arg(long)]
    pub by_member: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
}

pub fn run(store: &dyn Store, cmd: &ReportCommand) -> Result<()> {
    let ReportCommand::Roi(args) = cmd;
    let rows = store.programs().roi(
        args.program.as_deref(),
        args.by_member,
        OffsetDateTime::now_utc(),
    )?;
    match args.format {
        ReportFormat::Json => {
            let list: Vec<ReportRow> = rows.iter().map(ReportRow::from).collect();
            println!("{}", serde_json::to_string_pretty(&list)?);
        }
        ReportFormat::Table => print!("{}", table(&rows)),
    }
    Ok(())
}

/// The ROI report as a table for the terminal.
pub fn table(rows: &[RoiRow]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<26} {:>7} {:>7} {:>6} {:>12} {:>11} {:>11} {:>7} {:>11}",
        "program", "clicks", "unique", "orders", "revenue", "commission", "cost", "ROI", "EMV"
    );
    for r in rows {
        let name = match &r.code {
            Some(code) => format!("  {code}"),
            None => r.program.clone(),
        };
        let roi = r.roi.map_or_else(|| "-".to_owned(), |x| format!("{x:.2}x"));
        let _ = writeln!(
            out,
            "{:<26} {:>7} {:>7} {:>6} {:>12} {:>11} {:>11} {:>7} {:>11}",
            name,
            r.clicks,
            r.unique_clicks,
            r.orders,
            r.revenue.to_string(),
            r.commission.to_string(),
            r.cost.to_string(),
            roi,
            r.emv.to_string()
        );
    }
    for r in rows.iter().filter(|r| r.code.is_none()) {
        for note in r.unconverted_notes() {
            let _ = writeln!(out, "\n{}: {note}", r.program);
        }
    }
    let _ = writeln!(
        out,
        "\nROI is revenue per $1 of cost (commission + fees + seeding); the industry \
         figure is ${INDUSTRY_ROI:.2} per $1.\nEMV (earned media value of members' posts \
         about the brand) is shown beside revenue and never counted in it."
    );
    out
}
