//! `kith discover`: candidates from the store, filtered and ranked.

use std::io::Write;

use anyhow::{Context, Result};
use kith_core::{CandidateQuery, Platform, SortKey, SortOrder, SourceFilter, Tier};
use kith_io::candidates::{CandidateFormat, write_candidates};
use kith_store::Store;

use crate::cli::{DiscoverArgs, ListFormat, OrderArg, PlatformArg, SortArg, Source, TierArg};
use crate::{output, refresh};

pub fn run(store: &dyn Store, args: &DiscoverArgs) -> Result<()> {
    if let Some(path) = &args.brand {
        let (brand, text) = refresh::read_brand(path)?;
        refresh::save_brand(store, &brand, &text)?;
    }
    refresh::refresh(store)?;
    let query = query(args);
    let candidates = store.candidates(&query)?;
    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::stdout().lock()),
    };
    match args.format {
        ListFormat::Table => {
            let total = store.count_candidates(&query)?;
            write!(out, "{}", output::candidate_table(&candidates))?;
            writeln!(out, "{} of {total} candidates", candidates.len())?;
        }
        ListFormat::Csv => write_candidates(&mut out, &candidates, CandidateFormat::Csv)?,
        ListFormat::Json => write_candidates(&mut out, &candidates, CandidateFormat::Json)?,
    }
    out.flush()?;
    Ok(())
}

fn query(args: &DiscoverArgs) -> CandidateQuery {
    let default_limit = if args.format == ListFormat::Table {
        50
    } else {
        u32::MAX
    };
    CandidateQuery {
        source: match args.source {
            Source::Customers => SourceFilter::Customers,
            Source::Employees => SourceFilter::Employees,
            Source::All => SourceFilter::All,
        },
        tier: args.tier.map(|t| match t {
            TierArg::Nano => Tier::Nano,
            TierArg::Micro => Tier::Micro,
            TierArg::Macro => Tier::Macro,
            TierArg::Mega => Tier::Mega,
        }),
        platform: args.platform.map(|p| match p {
            PlatformArg::Instagram => Platform::Instagram,
            PlatformArg::Tiktok => Platform::Tiktok,
            PlatformArg::Youtube => Platform::Youtube,
            PlatformArg::X => Platform::X,
        }),
        category: args.category.clone(),
        min_authenticity: args.min_authenticity,
        min_er: args.min_er,
        sort: match args.sort {
            SortArg::FitScore => SortKey::FitScore,
            SortArg::Followers => SortKey::Followers,
            SortArg::EngagementRate => SortKey::EngagementRate,
            SortArg::ErIndex => SortKey::ErIndex,
            SortArg::Authenticity => SortKey::Authenticity,
            SortArg::BrandMentions => SortKey::BrandMentions,
            SortArg::BrandSentiment => SortKey::BrandSentiment,
            SortArg::CustomerValue => SortKey::CustomerValue,
        },
        order: match args.order {
            OrderArg::Asc => SortOrder::Asc,
            OrderArg::Desc => SortOrder::Desc,
        },
        page: 1,
        limit: args.limit.unwrap_or(default_limit),
    }
}
