//! One module per subcommand.

use anyhow::Result;

use crate::cli::{Cli, Command};

mod demo;
mod demo_account;
mod discover;
mod eval;
mod fetch;
mod import;
pub(crate) mod links;
pub(crate) mod r#match;
pub(crate) mod program;
pub(crate) mod report;
mod score;
mod serve;
mod status;
mod token;
mod user;

pub fn run(cli: Cli) -> Result<()> {
    let open = || kith_store::open(cli.database_url.as_deref(), &cli.data);
    match &cli.command {
        Command::Demo(args) => demo::run(open()?, args),
        Command::Import(args) => import::run(open()?.as_ref(), args),
        Command::Score(args) => score::run(args),
        Command::Discover(args) => discover::run(open()?.as_ref(), args),
        Command::Serve(args) => serve::run(open()?, args.bind),
        Command::Status(args) => status::run(open()?.as_ref(), args),
        Command::Match(args) => r#match::run(open()?.as_ref(), args),
        Command::Eval(args) => eval::run(args),
        Command::User(cmd) => user::run(open()?.as_ref(), cmd),
        Command::Token(cmd) => token::run(open()?.as_ref(), cmd),
        Command::Fetch(args) => fetch::run(args, open),
        Command::Program(cmd) => program::run(open()?.as_ref(), cmd),
        Command::Links(cmd) => links::run(open()?.as_ref(), cmd),
        Command::Report(cmd) => report::run(open()?.as_ref(), cmd),
    }
}
