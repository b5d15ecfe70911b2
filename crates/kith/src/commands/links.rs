//! `kith links list`: every member's code and referral link, as CSV (`code,url,
//! person_id,program`, the contract's columns) or JSON.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use kith_store::Store;

#[derive(Debug, Subcommand)]
pub enum LinksCommand {
    /// List members' codes and links.
    List(ListArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LinkFormat {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long)]
    pub program: Option<String>,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: LinkFormat,
    /// Where kith is reached from the internet; links are `{base}/r/{code}`.
    #[arg(long, env = "KITH_PUBLIC_URL")]
    pub base_url: Option<String>,
}

/// The public address links start with: the flag or `KITH_PUBLIC_URL`, else kith's
/// default local address.
pub fn base_url(given: Option<&str>) -> String {
    given
        .map(str::to_owned)
        .or_else(|| std::env::var("KITH_PUBLIC_URL").ok())
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| "http://127.0.0.1:8080".to_owned())
        .trim()
        .trim_end_matches('/')
        .to_owned()
}

pub fn run(store: &dyn Store, cmd: &LinksCommand) -> Result<()> {
    match list(store, cmd) {
        // `kith links list | head` closes the pipe early: that is not a failure.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(())
        }
        other => other,
    }
}

fn list(store: &dyn Store, cmd: &LinksCommand) -> Result<()> {
    let LinksCommand::List(args) = cmd;
    let base = base_url(args.base_url.as_deref());
    let members = store.programs().members(args.program.as_deref())?;
    let rows: Vec<[String; 4]> = members
        .iter()
        .map(|m| {
            [
                m.code.to_string(),
                format!("{base}/r/{}", m.code),
                m.person_id.clone(),
                m.program.clone(),
            ]
        })
        .collect();
    let mut out = std::io::stdout().lock();
    match args.format {
        LinkFormat::Csv => {
            writeln!(out, "code,url,person_id,program")?;
            for row in &rows {
                let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
                writeln!(out, "{}", cells.join(","))?;
            }
        }
        LinkFormat::Json => {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|[code, url, person_id, program]| {
                    serde_json::json!({
                        "code": code, "url": url, "person_id": person_id, "program": program
                    })
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
        }
    }
    Ok(())
}

/// A CSV cell, quoted when it holds a comma, a quote or a line break.
fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
