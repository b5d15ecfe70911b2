//! `kith user add EMAIL --role ROLE`: a dashboard user, with the password read from
//! standard input so it never appears in the shell's history or the process list.

use std::io::BufRead;

use anyhow::{Context, Result, bail};
use kith_server::auth::login::normalise_email;
use kith_server::auth::secret::{MIN_PASSWORD_LEN, hash_password};
use kith_store::{Role, Store};

use crate::cli::{RoleArg, UserAddArgs, UserCommand};

pub fn role(arg: RoleArg) -> Role {
    match arg {
        RoleArg::Owner => Role::Owner,
        RoleArg::Admin => Role::Admin,
        RoleArg::Manager => Role::Manager,
        RoleArg::Viewer => Role::Viewer,
    }
}

pub fn run(store: &dyn Store, cmd: &UserCommand) -> Result<()> {
    match cmd {
        UserCommand::Add(args) => add(store, args, &mut std::io::stdin().lock()),
    }
}

fn add(store: &dyn Store, args: &UserAddArgs, input: &mut dyn BufRead) -> Result<()> {
    let email = normalise_email(&args.email);
    if !email.contains('@') || email.contains(char::is_whitespace) {
        bail!("{:?} is not an email address", args.email);
    }
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprint!("Password for {email} (input is shown; pipe it in to hide it): ");
    }
    let mut line = String::new();
    input
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']);
    if password.chars().count() < MIN_PASSWORD_LEN {
        bail!(
            "the password needs at least {MIN_PASSWORD_LEN} characters (read from standard input)"
        );
    }
    let role = role(args.role);
    let hash = hash_password(password)?;
    match store.create_user(&email, &hash, role)? {
        Some(user) => {
            println!("added {} as {} (user {})", user.email, user.role, user.id);
            Ok(())
        }
        None => bail!("{email} already has an account"),
    }
}
