//! The command-line contract (see DESIGN.md): global options and subcommands.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "kith",
    version,
    about = "Find the micro-influencers among your own customers and employees"
)]
pub struct Cli {
    /// Where the embedded SQLite store lives.
    #[arg(long, global = true, env = "KITH_DATA", default_value = "./kith-data")]
    pub data: PathBuf,
    /// A `postgres://…` URL selects PostgreSQL instead of the embedded store.
    #[arg(long, global = true, env = "KITH_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a sample brand, import it, score it, print the top candidates and serve.
    Demo(DemoArgs),
    /// Import a file of customers, employees, profiles, posts, reviews or orders.
    Import(ImportArgs),
    /// Score canonical NDJSON files into candidates, without a store.
    Score(ScoreArgs),
    /// List candidates from the store, best first.
    Discover(DiscoverArgs),
    /// Serve the web app.
    Serve(ServeArgs),
    /// Count what the store holds.
    Status(StatusArgs),
    /// Review the person ↔ profile links kith is unsure of: list them, or store decisions.
    Match(crate::commands::r#match::MatchArgs),
    /// Measure the scores on the labelled public data sets.
    Eval(EvalArgs),
    /// Manage who may sign in to the dashboard.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Fetch profiles and recent posts from a platform's API, resumably.
    Fetch(FetchArgs),
    /// Run programs: create, enrol, review orders, pay members.
    #[command(subcommand)]
    Program(crate::commands::program::ProgramCommand),
    /// Members' referral links.
    #[command(subcommand)]
    Links(crate::commands::links::LinksCommand),
    /// Reports: return on investment and earned media value.
    #[command(subcommand)]
    Report(crate::commands::report::ReportCommand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Owner,
    Admin,
    Manager,
    Viewer,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from standard input (its first line).
    Add(UserAddArgs),
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    pub email: String,
    #[arg(long, value_enum)]
    pub role: RoleArg,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token and print it once; kith keeps only its hash.
    Create(TokenCreateArgs),
}

#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// What the token is for, shown in Settings.
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The folder holding the data sets (instafake/, airline-tweets/, …).
    #[arg(long, default_value = "../shared/data")]
    pub data_dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write the sample files and candidates.csv.
    #[arg(long, default_value = "./kith-demo")]
    pub out: PathBuf,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[arg(long, default_value_t = 20_000)]
    pub customers: u32,
    #[arg(long, default_value_t = 300)]
    pub employees: u32,
    /// Stop after writing candidates.csv instead of serving the dashboard.
    #[arg(long)]
    pub no_serve: bool,
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    Customers,
    Employees,
    Profiles,
    Posts,
    Reviews,
    Orders,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[arg(value_enum)]
    pub kind: Kind,
    pub file: PathBuf,
    /// The file's format; guessed from the file when unambiguous.
    #[arg(long)]
    pub format: Option<String>,
    /// Column → field mapping for generic CSV (implies --format csv).
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Import the good rows and write the bad ones, with the reason for each, to
    /// FILE.rejects.csv (by default one bad row imports nothing).
    #[arg(long)]
    pub skip_bad_rows: bool,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[arg(long)]
    pub brand: PathBuf,
    #[arg(long)]
    pub profiles: PathBuf,
    #[arg(long)]
    pub posts: Option<PathBuf>,
    /// Customers and employees (canonical person records).
    #[arg(long)]
    pub people: Option<PathBuf>,
    /// Output file: CSV, or JSON / NDJSON by extension. Standard output when absent.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Posts held in memory before sorted runs spill to temporary files, in MiB.
    #[arg(long, default_value_t = 384)]
    pub memory_mb: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Source {
    Customers,
    Employees,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TierArg {
    Nano,
    Micro,
    Macro,
    Mega,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlatformArg {
    Instagram,
    Tiktok,
    Youtube,
    X,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    FitScore,
    Followers,
    EngagementRate,
    ErIndex,
    Authenticity,
    BrandMentions,
    BrandSentiment,
    CustomerValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OrderArg {
    Asc,
    Desc,
}

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// Use (and save) this brand config; otherwise the stored one.
    #[arg(long)]
    pub brand: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "all")]
    pub source: Source,
    #[arg(long, value_enum)]
    pub tier: Option<TierArg>,
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long, value_enum)]
    pub platform: Option<PlatformArg>,
    /// 0–100.
    #[arg(long)]
    pub min_authenticity: Option<f64>,
    /// A fraction: 0.02 is 2 %.
    #[arg(long)]
    pub min_er: Option<f64>,
    #[arg(long, value_enum, default_value = "fit-score")]
    pub sort: SortArg,
    #[arg(long, value_enum, default_value = "desc")]
    pub order: OrderArg,
    /// At most this many rows (default: 50 for a table, all for CSV and JSON).
    #[arg(long)]
    pub limit: Option<u32>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: StatusFormat,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    #[arg(value_enum)]
    pub platform: PlatformArg,
    /// One handle per line (`@` optional; `#` starts a comment).
    #[arg(long)]
    pub handles: PathBuf,
    /// Where the NDJSON files and the run's state go.
    #[arg(long, default_value = "./kith-fetch")]
    pub out: PathBuf,
    /// Posts to fetch per handle (the engagement rate uses the latest 12).
    #[arg(long, default_value_t = 24)]
    pub posts: usize,
    /// Read the token from this file instead of KITH_<PLATFORM>_TOKEN.
    #[arg(long)]
    pub token_file: Option<PathBuf>,
    /// Your own Instagram professional account id: Business Discovery asks through it.
    #[arg(long, env = "KITH_INSTAGRAM_USER_ID")]
    pub instagram_user_id: Option<String>,
    /// Also keep every response in PLATFORM-raw.ndjson.
    #[arg(long)]
    pub raw: bool,
    /// Forget an earlier run's state and files for this platform and start over.
    #[arg(long)]
    pub restart: bool,
    /// Import the fetched profiles and posts into the store afterwards.
    #[arg(long)]
    pub import: bool,
    /// The longest wait a rate limit may ask for before the run stops (seconds).
    #[arg(long, default_value_t = 900)]
    pub max_wait: u64,
    /// The API address, to test against a local server.
    #[arg(long, hide = true, env = "KITH_FETCH_API_BASE")]
    pub api_base: Option<String>,
}
