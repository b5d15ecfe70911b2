//! `kith demo`: a sample brand, imported through the same path as a user's files,
//! scored, shown, written to `candidates.csv`, and served.
//!
//! It also runs the brand's programs: an ambassador program with the top customers, an
//! affiliate program, an employee-advocacy program and a field activation; then it
//! simulates clicks and Shopify orders **through the real redirect and webhook** (served
//! on a loopback port), so `kith report roi` and the dashboard show real numbers.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use kith_core::program::ProgramKind;
use kith_core::{BrandConfig, CandidateQuery, Money, PersonSource, SourceFilter};
use kith_io::candidates::{CandidateFormat, write_candidates};
use kith_io::demo::{DemoOptions, write_demo};
use kith_io::ndjson::RecordKind;
use kith_server::AppState;
use kith_server::tracking::Tracking;
use kith_server::tracking::simulate::{DemoMember, Traffic, serve_and_drive};
use kith_store::Store;
use kith_store::programs::{Enrolment, NewProgram};
use time::{Duration, OffsetDateTime};

use crate::cli::DemoArgs;
use crate::commands::demo_account;
use crate::commands::import::{import_ndjson, summary};
use crate::{output, refresh};

pub fn run(store: Arc<dyn Store>, args: &DemoArgs) -> Result<()> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let options = DemoOptions {
        seed: args.seed,
        customers: args.customers,
        employees: args.employees,
    };
    let files = write_demo(&args.out, &options).context("cannot write the demo files")?;
    eprintln!("wrote the sample brand to {}", args.out.display());

    let (brand, text) = with_webhook_secret(&files.brand)?;
    refresh::save_brand(store.as_ref(), &brand, &text)?;
    let imports = [
        (RecordKind::Customers, &files.customers),
        (RecordKind::Employees, &files.employees),
        (RecordKind::Profiles, &files.profiles),
        (RecordKind::Posts, &files.posts),
        (RecordKind::Reviews, &files.reviews),
        (RecordKind::Orders, &files.orders),
    ];
    for (kind, path) in imports {
        let report = import_ndjson(store.as_ref(), kind, path)?;
        eprintln!("{}", summary(kind, path, &report));
    }
    refresh::refresh(store.as_ref())?;

    let top = store.candidates(&CandidateQuery {
        limit: 20,
        ..CandidateQuery::default()
    })?;
    println!("\nTop candidates for {}:\n", brand.name);
    print!("{}", output::candidate_table(&top));
    let all = store.candidates(&CandidateQuery {
        limit: u32::MAX,
        ..CandidateQuery::default()
    })?;
    let csv_path = args.out.join("candidates.csv");
    write_csv(&csv_path, &all)?;
    let micro = all
        .iter()
        .filter(|c| c.tier == Some(kith_core::Tier::Micro))
        .count();
    println!(
        "\n{} candidates ({micro} micro-influencers) written to {}",
        all.len(),
        csv_path.display()
    );
    run_programs(&store, &brand, args.seed)?;
    let password = demo_account::ensure(store.as_ref())?;
    println!(
        "\nDashboard sign-in: {} / {password} (a new password on every demo run)",
        demo_account::DEMO_EMAIL
    );
    portal_link(store.as_ref(), args)?;
    if args.no_serve {
        println!("Start the dashboard with `kith serve`.");
        return Ok(());
    }
    crate::commands::serve::run(store, args.bind)
}

/// Prints a one-time sign-in link to the first active ambassador's portal, so the demo
/// shows what a member sees too.
fn portal_link(store: &dyn Store, args: &DemoArgs) -> Result<()> {
    let Some(member) = store
        .programs()
        .members(Some(AMBASSADORS))?
        .into_iter()
        .find(|m| m.status == kith_core::program::MemberStatus::Active)
    else {
        return Ok(());
    };
    let token =
        kith_server::portal::issue_link(store, &member.person_id, OffsetDateTime::now_utc())
            .map_err(|e| anyhow::anyhow!("cannot make a portal sign-in link: {e:?}"))?;
    // Where `kith serve` will listen: the demo's own address, or the default.
    let served = if args.bind.ip().is_unspecified() {
        std::net::SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), args.bind.port())
    } else {
        args.bind
    };
    let base = match std::env::var("KITH_PUBLIC_URL") {
        Ok(url) if !url.trim().is_empty() => crate::commands::links::base_url(Some(&url)),
        _ => format!("http://{served}"),
    };
    println!(
        "Member portal, as {} ({}): {base}/portal/link/{token} (works once, within {} hours)",
        member.name.as_deref().unwrap_or(&member.person_id),
        member.code,
        kith_server::portal::LINK_LIFE.whole_hours()
    );
    Ok(())
}

fn write_csv(path: &Path, candidates: &[kith_core::Candidate]) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    write_candidates(&mut out, candidates, CandidateFormat::Csv)?;
    out.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The demo brand with a webhook secret of its own, written back to its file, so the
/// simulated Shopify deliveries (and any a person sends by hand) can be verified.
fn with_webhook_secret(path: &Path) -> Result<(BrandConfig, String)> {
    let (brand, text) = refresh::read_brand(path)?;
    if brand.shopify.webhook_secret.is_some() {
        return Ok((brand, text));
    }
    let secret = kith_server::auth::secret::random_hex(24)?;
    let text = if text.contains("[shopify]") {
        let mut b = brand;
        b.shopify.webhook_secret = Some(secret);
        b.to_toml()
    } else {
        format!(
            "{text}\n# Shopify signs its webhooks with this secret (made by `kith demo`).\n\
             [shopify]\nwebhook_secret = \"{secret}\"\n"
        )
    };
    std::fs::write(path, &text).with_context(|| format!("cannot write {}", path.display()))?;
    let brand = BrandConfig::from_toml(&text).with_context(|| format!("{}", path.display()))?;
    Ok((brand, text))
}

const AMBASSADORS: &str = "Ridgeline Ambassadors";
const AFFILIATES: &str = "Ridgeline Affiliates";
const ADVOCATES: &str = "Team Ridgeline";
const ACTIVATION: &str = "Boulder Brew-Along";
/// The demo catalogue's basket prices, in cents.
const PRICES: &[i64] = &[1800, 1750, 1950, 2400, 1800, 4800, 2200, 3600];

/// People from the top candidates of one source, best first, each once, with reach.
fn top_people(store: &dyn Store, source: SourceFilter, n: usize) -> Result<Vec<(String, u64)>> {
    let candidates = store.candidates(&CandidateQuery {
        source,
        limit: 500,
        ..CandidateQuery::default()
    })?;
    let mut seen = std::collections::HashSet::new();
    Ok(candidates
        .into_iter()
        .filter_map(|c| c.person_id.map(|p| (p, c.followers.unwrap_or(0))))
        .filter(|(p, _)| seen.insert(p.clone()))
        .take(n)
        .collect())
}

fn program(
    name: &str,
    kind: ProgramKind,
    commission: Option<&str>,
    fee: i64,
) -> Result<NewProgram> {
    Ok(NewProgram {
        name: name.into(),
        kind,
        commission: commission.map(str::parse).transpose()?,
        destination: None,
        currency: "USD".into(),
        fee: Money::from_minor(fee),
        hold_days: 30,
        window_days: 30,
        details: serde_json::json!({}),
        // Earned media counts the members' posts of the last six months.
        starts_at: kith_io::demo::FETCHED_AT - Duration::days(180),
    })
}

/// Creates the demo programs (once) and sends their traffic through the real app.
fn run_programs(store: &Arc<dyn Store>, brand: &BrandConfig, seed: u64) -> Result<()> {
    let p = store.programs();
    if p.program(AMBASSADORS)?.is_some() {
        eprintln!("the demo programs exist already; their traffic is not simulated again");
        return Ok(());
    }
    let now = OffsetDateTime::now_utc();
    let customers = top_people(store.as_ref(), SourceFilter::Customers, 37)?;
    let employees = top_people(store.as_ref(), SourceFilter::Employees, 15)?;
    let enrol = |people: &[(String, u64)], seeding: i64| -> Vec<Enrolment> {
        people
            .iter()
            .map(|(id, _)| Enrolment {
                seeding: Money::from_minor(seeding),
                ..Enrolment::new(id)
            })
            .collect()
    };
    let split = customers.len().min(12);
    let mut members = Vec::new();
    p.create_program(&program(
        AMBASSADORS,
        ProgramKind::Ambassador,
        Some("10%"),
        50_000,
    )?)?;
    members.extend(p.enroll(AMBASSADORS, &enrol(&customers[..split], 4_500), now)?);
    p.create_program(&program(
        AFFILIATES,
        ProgramKind::Affiliate,
        Some("0:10%,1000:12%"),
        0,
    )?)?;
    members.extend(p.enroll(AFFILIATES, &enrol(&customers[split..], 0), now)?);
    p.create_program(&program(ADVOCATES, ProgramKind::Advocacy, None, 25_000)?)?;
    members.extend(p.enroll(ADVOCATES, &enrol(&employees, 0), now)?);
    let site = brand.website.clone().unwrap_or_default();
    for (title, path) in [
        ("Summit Blend is back", "/products/summit-blend"),
        (
            "Brew it outside: the Alpine Pour-Over Kit",
            "/products/alpine-pour-over-kit",
        ),
        ("Cold brew season", "/collections/cold-brew"),
    ] {
        p.add_content(
            ADVOCATES,
            "post",
            title,
            "",
            Some(&format!("{site}{path}")),
            now,
        )?;
    }
    p.add_content(
        AMBASSADORS,
        "brief",
        "Your first Summit Blend post",
        "Show your morning brew outdoors; tag @ridgelinecoffee and #brewedoutside.",
        None,
        now,
    )?;
    let mut activation = program(ACTIVATION, ProgramKind::Activation, None, 120_000)?;
    activation.details = serde_json::json!({
        "date": (now + Duration::days(21)).date().to_string(),
        "place": "Ridgeline Roastery, Boulder, CO",
        "region": "CO",
        "capacity": 40,
    });
    p.create_program(&activation)?;
    let locals = local_people(store.as_ref(), "CO", 30)?;
    let invited: Vec<Enrolment> = locals
        .iter()
        .map(|id| Enrolment {
            status: kith_core::program::MemberStatus::Invited,
            ..Enrolment::new(id)
        })
        .collect();
    p.enroll(ACTIVATION, &invited, now)?;

    let reach: std::collections::HashMap<&str, u64> = customers
        .iter()
        .chain(&employees)
        .map(|(id, r)| (id.as_str(), *r))
        .collect();
    let secret = brand.shopify.webhook_secret.clone().unwrap_or_default();
    let traffic = Traffic {
        seed,
        secret: secret.clone(),
        members: members
            .iter()
            .map(|m| DemoMember {
                code: m.code.to_string(),
                email: m.email.clone(),
                reach: reach.get(m.person_id.as_str()).copied().unwrap_or(0),
            })
            .collect(),
        prices: PRICES.to_vec(),
    };
    let mut state = AppState::new(Arc::clone(store));
    state.tracking = Tracking::with_secret(Arc::clone(store), Some(secret));
    let sent = serve_and_drive(state, &traffic).context("the simulated traffic failed")?;
    println!(
        "\nPrograms: {} members in 4 programs. Simulated through /r/{{code}} and the Shopify \
         webhook: {} clicks ({} of them by returning visitors; {} bot visits, not counted), \
         {} orders, {} refunds, {} repeated deliveries.\n",
        members.len() + invited.len(),
        sent.clicks,
        sent.returning,
        sent.bot_visits,
        sent.orders,
        sent.refunds,
        sent.duplicates
    );
    let rows = p.roi(None, false, OffsetDateTime::now_utc())?;
    print!("{}", crate::commands::report::table(&rows));
    if let Some(m) = members.first() {
        println!(
            "\n`kith links list` lists every code and link (e.g. /r/{}).",
            m.code
        );
    }
    Ok(())
}

/// Up to `n` customers living in `region`.
fn local_people(store: &dyn Store, region: &str, n: usize) -> Result<Vec<String>> {
    let mut found = Vec::new();
    let mut offset = 0;
    loop {
        let (page, total) = store.people(Some(PersonSource::Customer), 1_000, offset)?;
        if page.is_empty() {
            break;
        }
        offset += page.len() as u64;
        found.extend(
            page.into_iter()
                .filter(|p| p.region.as_deref() == Some(region))
                .map(|p| p.id),
        );
        if found.len() >= n || offset >= total {
            break;
        }
    }
    found.truncate(n);
    Ok(found)
}
