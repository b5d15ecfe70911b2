//! The demo's sign-in: `kith demo` makes (or refreshes) an owner account with a fresh
//! random password and prints it, so the person who just ran the demo can open the
//! dashboard at once. The password is never stored in clear and changes on every run.

use anyhow::{Context, Result};
use kith_server::auth::secret::{hash_password, random_hex};
use kith_store::{Role, Store};

/// The demo owner's email.
pub const DEMO_EMAIL: &str = "demo@kith.example";

/// Creates the demo owner, or gives the existing one a new password; returns the password.
pub fn ensure(store: &dyn Store) -> Result<String> {
    let password = random_hex(9).context("cannot make a password")?;
    let hash = hash_password(&password).context("cannot hash the password")?;
    match store.user_credentials(DEMO_EMAIL)? {
        Some((user, _)) => {
            store.set_user_password(user.id, &hash)?;
        }
        None => {
            store.create_user(DEMO_EMAIL, &hash, Role::Owner)?;
        }
    }
    Ok(password)
}
