//! `kith token create --role ROLE [--name N]`: prints an API token once; the store keeps
//! only the hash of its secret.

use anyhow::Result;
use kith_server::auth::secret::new_api_token;
use kith_store::{ApiToken, Store};
use time::OffsetDateTime;

use crate::cli::{TokenCommand, TokenCreateArgs};

pub fn run(store: &dyn Store, cmd: &TokenCommand) -> Result<()> {
    match cmd {
        TokenCommand::Create(args) => create(store, args),
    }
}

fn create(store: &dyn Store, args: &TokenCreateArgs) -> Result<()> {
    let made = new_api_token()?;
    let token = ApiToken {
        id: made.id.clone(),
        name: args.name.clone().unwrap_or_else(|| "API token".into()),
        role: super::user::role(args.role),
        created_at: OffsetDateTime::now_utc(),
        revoked: false,
    };
    store.create_api_token(&token, &made.secret_hash)?;
    eprintln!(
        "created token {} ({}, {}); it is shown only now — send it as `Authorization: Bearer TOKEN`",
        token.id, token.name, token.role
    );
    println!("{}", made.token);
    Ok(())
}
