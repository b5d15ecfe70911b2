//! `kith program …`: create programs, enrol people, change a member's status, review
//! flagged orders, back-fill imported orders, add briefs and posts, check members in,
//! and pay approved commissions as a PayPal Payouts file.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use kith_core::program::activation::Activation;
use kith_core::program::attribution::FraudFlag;
use kith_core::program::code::ReferralCode;
use kith_core::program::commission::CommissionRule;
use kith_core::program::redirect::check_destination;
use kith_core::program::{MemberStatus, ProgramKind};
use kith_core::{BrandConfig, Money};
use kith_store::Store;
use kith_store::programs::{Enrolment, NewProgram, Program, ReviewState};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::refresh::stored_brand;

#[derive(Debug, Subcommand)]
pub enum ProgramCommand {
    /// Create a program.
    Create(CreateArgs),
    /// List the programs.
    List(FormatArgs),
    /// Enrol people (by person id) in a program; each gets a code and a link.
    Enroll(EnrollArgs),
    /// Change a member's status: invited → active → paused ⇄ active; removal is final.
    Status(StatusArgs),
    /// Report a code as leaked (e.g. on a coupon site): its orders then wait for review.
    Leaked(CodeArg),
    /// List attributed orders.
    Conversions(ConversionsArgs),
    /// Clear or reject an order that waits for review.
    Review(ReviewArgs),
    /// Attribute the orders imported with `kith import orders`.
    Backfill,
    /// Add a brief, a perk, or (advocacy) a brand post to share.
    Content(ContentArgs),
    /// Check a member in at an activation.
    Checkin(CodeArg),
    /// Invite the people of an activation's region (their region or city), as many as
    /// it has places.
    Invite(ProgramArg),
    /// Pay every member their approved commission: writes a PayPal Payouts CSV.
    Payout(PayoutArgs),
    /// Mark a payout batch as paid.
    Paid(PaidArgs),
    /// Print a sign-in link to a member's portal (works once, for 72 hours).
    PortalLink(PortalLinkArgs),
}

#[derive(Debug, Args)]
pub struct PortalLinkArgs {
    pub person_id: String,
    /// Where kith is reached from the internet.
    #[arg(long, env = "KITH_PUBLIC_URL")]
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Ambassador,
    Affiliate,
    Advocacy,
    Activation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct FormatArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    pub name: String,
    #[arg(long, value_enum)]
    pub kind: KindArg,
    /// `10%` of the subtotal, `5.00` per order, or tiers by monthly sales `0:10%,1000:12%`.
    #[arg(long)]
    pub commission: Option<String>,
    /// Where links send people (default: the brand's website); must be an allowed
    /// redirect domain.
    #[arg(long)]
    pub destination: Option<String>,
    /// Fixed costs of the program (fees, an event's costs), counted in its ROI.
    #[arg(long, default_value = "0")]
    pub fee: String,
    /// Days a commission stays pending: the return window.
    #[arg(long, default_value_t = 30)]
    pub hold_days: u32,
    /// Days a click can earn an order (the referral cookie's life).
    #[arg(long, default_value_t = 30)]
    pub window_days: u32,
    /// When the program began (RFC 3339); earned media counts posts from then on.
    #[arg(long)]
    pub starts: Option<String>,
    /// Activation: the event's date (RFC 3339 or YYYY-MM-DD).
    #[arg(long)]
    pub date: Option<String>,
    /// Activation: where it takes place.
    #[arg(long)]
    pub place: Option<String>,
    /// Activation: the region whose members are invited.
    #[arg(long)]
    pub region: Option<String>,
    /// Activation: how many people it can take (members who are not removed).
    #[arg(long)]
    pub capacity: Option<u32>,
    /// Activation: the code attendees check in with, and use as a discount code.
    #[arg(long)]
    pub event_code: Option<String>,
    /// Give each counted click a one-time discount code (`kith_code` on the landing
    /// URL), which the order webhook redeems once.
    #[arg(long)]
    pub single_use_codes: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Invited,
    Active,
    Paused,
    Removed,
}

impl StatusArg {
    fn status(self) -> MemberStatus {
        match self {
            StatusArg::Invited => MemberStatus::Invited,
            StatusArg::Active => MemberStatus::Active,
            StatusArg::Paused => MemberStatus::Paused,
            StatusArg::Removed => MemberStatus::Removed,
        }
    }
}

#[derive(Debug, Args)]
pub struct EnrollArgs {
    pub program: String,
    #[arg(required = true)]
    pub person_ids: Vec<String>,
    /// `invited` members must be made active before their links earn.
    #[arg(long, value_enum, default_value = "active")]
    pub status: StatusArg,
    /// The code to give (only when enrolling one person); default: from the first name.
    #[arg(long)]
    pub code: Option<String>,
    /// What the product sent to each of them cost (seeding), counted in ROI.
    #[arg(long, default_value = "0")]
    pub seeding: String,
    /// Where their links send people, instead of the program's destination.
    #[arg(long)]
    pub destination: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    pub code: String,
    #[arg(long = "set", value_enum)]
    pub status: StatusArg,
}

#[derive(Debug, Args)]
pub struct ProgramArg {
    pub program: String,
}

#[derive(Debug, Args)]
pub struct CodeArg {
    pub code: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewArg {
    Clean,
    Pending,
    Approved,
    Rejected,
}

#[derive(Debug, Args)]
pub struct ConversionsArgs {
    #[arg(long)]
    pub program: Option<String>,
    #[arg(long, value_enum)]
    pub review: Option<ReviewArg>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    pub order_id: String,
    #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
    pub approve: bool,
    #[arg(long)]
    pub reject: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ContentKind {
    Brief,
    Perk,
    Post,
}

#[derive(Debug, Args)]
pub struct ContentArgs {
    pub program: String,
    #[arg(long, value_enum)]
    pub kind: ContentKind,
    #[arg(long)]
    pub title: String,
    #[arg(long, default_value = "")]
    pub body: String,
    /// For a post to share: the page it links to (an allowed redirect domain).
    #[arg(long)]
    pub url: Option<String>,
}

#[derive(Debug, Args)]
pub struct PayoutArgs {
    pub program: String,
    /// Where to write the PayPal Payouts CSV (standard output when absent).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PaidArgs {
    pub batch: i64,
}

fn kind(arg: KindArg) -> ProgramKind {
    match arg {
        KindArg::Ambassador => ProgramKind::Ambassador,
        KindArg::Affiliate => ProgramKind::Affiliate,
        KindArg::Advocacy => ProgramKind::Advocacy,
        KindArg::Activation => ProgramKind::Activation,
    }
}

fn code(text: &str) -> Result<ReferralCode> {
    Ok(ReferralCode::parse(text)?)
}

fn amount(what: &str, text: &str) -> Result<Money> {
    let m: Money = text
        .parse()
        .with_context(|| format!("--{what} must be an amount such as 45.00"))?;
    if m.minor() < 0 {
        bail!("--{what} must not be negative");
    }
    Ok(m)
}

fn timestamp(what: &str, text: &str) -> Result<OffsetDateTime> {
    let t = text.trim();
    if let Ok(at) = OffsetDateTime::parse(t, &Rfc3339) {
        return Ok(at);
    }
    OffsetDateTime::parse(&format!("{t}T00:00:00Z"), &Rfc3339)
        .with_context(|| format!("--{what} {t:?} is not a date (YYYY-MM-DD) or RFC 3339 time"))
}

/// A destination must be a page of one of the brand's allowed redirect domains.
pub fn check_allowed(brand: &BrandConfig, url: &str) -> Result<()> {
    if brand.allowed_redirect_domains.is_empty() {
        bail!(
            "the brand allows no redirect domains: add allowed_redirect_domains to brand.toml \
             before giving links a destination"
        );
    }
    check_destination(url, &brand.allowed_redirect_domains)?;
    Ok(())
}

pub fn run(store: &dyn Store, cmd: &ProgramCommand) -> Result<()> {
    let p = store.programs();
    let now = OffsetDateTime::now_utc();
    match cmd {
        ProgramCommand::Create(args) => {
            let program = create(store, args, now)?;
            print_programs(&[program], args.format)
        }
        ProgramCommand::List(args) => print_programs(&p.programs()?, args.format),
        ProgramCommand::Enroll(args) => enroll(store, args, now),
        ProgramCommand::Status(args) => {
            let m = p.set_status(&code(&args.code)?, args.status.status(), now)?;
            println!("{} in {} is now {}", m.code, m.program, m.status.as_str());
            Ok(())
        }
        ProgramCommand::Leaked(args) => {
            let m = p.report_leak(&code(&args.code)?, now)?;
            println!(
                "{} is reported leaked: its orders now wait for review",
                m.code
            );
            Ok(())
        }
        ProgramCommand::Conversions(args) => conversions(store, args),
        ProgramCommand::Review(args) => {
            let c = p.review(&args.order_id, args.approve, now)?;
            println!("order {} is {}", c.order_id, c.review.as_str());
            Ok(())
        }
        ProgramCommand::Backfill => {
            let r = p.backfill_orders(now)?;
            println!(
                "{} imported orders read, {} new, {} attributed to a member",
                r.orders, r.new, r.attributed
            );
            if r.converted > 0 {
                println!(
                    "{} orders that waited for an exchange rate converted at today's rate",
                    r.converted
                );
            }
            Ok(())
        }
        ProgramCommand::Content(args) => {
            if let Some(url) = &args.url {
                check_allowed(&stored_brand(store)?, url)?;
            }
            let kind = match args.kind {
                ContentKind::Brief => "brief",
                ContentKind::Perk => "perk",
                ContentKind::Post => "post",
            };
            let c = p.add_content(
                &args.program,
                kind,
                &args.title,
                &args.body,
                args.url.as_deref(),
                now,
            )?;
            println!("added {kind} {} to {}", c.id, args.program);
            Ok(())
        }
        ProgramCommand::Checkin(args) => {
            let first = p.check_in(&code(&args.code)?, now)?;
            println!(
                "{}: {}",
                args.code.to_ascii_uppercase(),
                if first {
                    "checked in"
                } else {
                    "already checked in"
                }
            );
            Ok(())
        }
        ProgramCommand::Invite(args) => {
            let done = p.invite_region(&args.program, now)?;
            for m in &done.invited {
                println!("invited {:<20} {}", m.person_id, m.code);
            }
            println!(
                "{} invited of {} in the region not yet members{}",
                done.invited.len(),
                done.in_region,
                done.seats_left
                    .map(|l| format!("; {l} places left"))
                    .unwrap_or_default()
            );
            Ok(())
        }
        ProgramCommand::Payout(args) => payout(store, args, now),
        ProgramCommand::PortalLink(args) => {
            if p.portal_view(&args.person_id, now)?.is_none() {
                bail!("{} is not a member of any program", args.person_id);
            }
            let token = kith_server::portal::issue_link(store, &args.person_id, now)
                .map_err(|e| anyhow::anyhow!("cannot make a sign-in link: {e:?}"))?;
            let base = crate::commands::links::base_url(args.base_url.as_deref());
            println!("{base}/portal/link/{token}");
            Ok(())
        }
        ProgramCommand::Paid(args) => {
            let b = p.mark_paid(args.batch, now)?;
            println!("payout batch {} of {} is marked paid", b.id, b.program);
            Ok(())
        }
    }
}

fn create(store: &dyn Store, args: &CreateArgs, now: OffsetDateTime) -> Result<Program> {
    let brand = stored_brand(store)?;
    let commission = args
        .commission
        .as_deref()
        .map(str::parse::<CommissionRule>)
        .transpose()?;
    if let Some(url) = &args.destination {
        check_allowed(&brand, url)?;
    }
    let mut details = if kind(args.kind) == ProgramKind::Activation {
        Activation {
            date: args
                .date
                .as_deref()
                .map(|d| timestamp("date", d).and_then(|at| Ok(at.format(&Rfc3339)?)))
                .transpose()?,
            place: args.place.clone(),
            region: args.region.clone(),
            capacity: args.capacity,
            event_code: args.event_code.as_deref().map(code).transpose()?,
        }
        .to_details()
    } else {
        if args.date.is_some()
            || args.place.is_some()
            || args.region.is_some()
            || args.capacity.is_some()
            || args.event_code.is_some()
        {
            bail!("--date, --place, --region, --capacity and --event-code are for activations");
        }
        serde_json::json!({})
    };
    if args.single_use_codes {
        details["single_use_codes"] = true.into();
    }
    let new = NewProgram {
        name: args.name.clone(),
        kind: kind(args.kind),
        commission,
        destination: args.destination.clone(),
        currency: brand.currency.clone().unwrap_or_else(|| "USD".into()),
        fee: amount("fee", &args.fee)?,
        hold_days: args.hold_days,
        window_days: args.window_days,
        details,
        starts_at: args
            .starts
            .as_deref()
            .map(|s| timestamp("starts", s))
            .transpose()?
            .unwrap_or(now),
    };
    Ok(store.programs().create_program(&new)?)
}

fn print_programs(programs: &[Program], format: Format) -> Result<()> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(programs)?),
        Format::Table => {
            println!(
                "{:<28} {:<11} {:<16} {:>9} {:>7}",
                "program", "kind", "commission", "fee", "hold"
            );
            for p in programs {
                let commission = p.commission.as_ref().map(ToString::to_string);
                println!(
                    "{:<28} {:<11} {:<16} {:>9} {:>6}d",
                    p.name,
                    p.kind.as_str(),
                    commission.as_deref().unwrap_or("-"),
                    p.fee.to_string(),
                    p.hold_days
                );
            }
        }
    }
    Ok(())
}

fn enroll(store: &dyn Store, args: &EnrollArgs, now: OffsetDateTime) -> Result<()> {
    if args.code.is_some() && args.person_ids.len() > 1 {
        bail!("--code names one member's code: enrol one person with it");
    }
    if let Some(url) = &args.destination {
        check_allowed(&stored_brand(store)?, url)?;
    }
    let seeding = amount("seeding", &args.seeding)?;
    let given = args.code.as_deref().map(code).transpose()?;
    let people: Vec<Enrolment> = args
        .person_ids
        .iter()
        .map(|id| Enrolment {
            person_id: id.trim().to_owned(),
            code: given.clone(),
            status: args.status.status(),
            destination: args.destination.clone(),
            seeding,
        })
        .collect();
    let members = store.programs().enroll(&args.program, &people, now)?;
    let base = crate::commands::links::base_url(None);
    match args.format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = members
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "code": m.code,
                        "url": format!("{base}/r/{}", m.code),
                        "person_id": m.person_id,
                        "program": m.program,
                        "status": m.status,
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&rows)?);
        }
        Format::Table => {
            for m in &members {
                println!(
                    "{:<14} {:<10} {:<20} {base}/r/{}",
                    m.code.as_str(),
                    m.status.as_str(),
                    m.person_id,
                    m.code
                );
            }
        }
    }
    Ok(())
}

fn review_state(arg: ReviewArg) -> ReviewState {
    match arg {
        ReviewArg::Clean => ReviewState::Clean,
        ReviewArg::Pending => ReviewState::Pending,
        ReviewArg::Approved => ReviewState::Approved,
        ReviewArg::Rejected => ReviewState::Rejected,
    }
}

fn conversions(store: &dyn Store, args: &ConversionsArgs) -> Result<()> {
    let list = store
        .programs()
        .conversions(args.program.as_deref(), args.review.map(review_state))?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&list)?),
        Format::Table => {
            println!(
                "{:<16} {:<12} {:<14} {:<8} {:>10} {:>10} {:<16} {:<9} reasons",
                "order", "code", "by", "currency", "subtotal", "refunded", "in program", "review"
            );
            for c in &list {
                let reasons: Vec<&str> = c.flags.iter().map(FraudFlag::key).collect();
                // In the program's currency: the same, converted, or waiting for a rate.
                let in_program = match &c.converted_subtotal {
                    Some(amount) => format!("{amount} {}", c.program_currency),
                    None if c.currency == c.program_currency => "same".to_owned(),
                    None => "no rate yet".to_owned(),
                };
                println!(
                    "{:<16} {:<12} {:<14} {:<8} {:>10} {:>10} {:<16} {:<9} {}",
                    c.order_id,
                    c.code.as_str(),
                    c.attributed_by,
                    c.currency,
                    c.subtotal.to_string(),
                    c.refunded.to_string(),
                    in_program,
                    c.review.as_str(),
                    reasons.join(", ")
                );
            }
        }
    }
    Ok(())
}

fn payout(store: &dyn Store, args: &PayoutArgs, now: OffsetDateTime) -> Result<()> {
    let Some(batch) = store.programs().create_payout(&args.program, now)? else {
        eprintln!(
            "no member of {} has approved commission to pay",
            args.program
        );
        return Ok(());
    };
    let csv = batch.paypal_csv().with_context(|| {
        format!(
            "payout batch {} was recorded but cannot be written for PayPal",
            batch.id
        )
    })?;
    match &args.out {
        Some(path) => std::fs::write(path, &csv)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().write_all(csv.as_bytes())?,
    }
    eprintln!(
        "payout batch {}: {} members, {} {} — upload the file to PayPal Payouts, then run \
         `kith program paid {}`",
        batch.id,
        batch.items.len(),
        batch.total(),
        batch.currency,
        batch.id
    );
    Ok(())
}
