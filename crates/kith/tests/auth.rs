//! `kith user add` and `kith token create`: users and tokens the dashboard and API accept.

use std::io::Write;
use std::process::Stdio;

use crate::support::Kith;

fn add_user(kith: &Kith, email: &str, role: &str, password: &str) -> std::process::Output {
    let mut child = kith
        .command()
        .args(["user", "add", email, "--role", role])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A usage error exits before reading, so the pipe may already be closed.
    let _ = writeln!(child.stdin.take().unwrap(), "{password}");
    child.wait_with_output().unwrap()
}

#[test]
fn user_add_reads_the_password_from_stdin_and_refuses_a_second_account() {
    let kith = Kith::new();
    let out = add_user(&kith, "Ana@Example.com", "owner", "correct horse battery");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("added ana@example.com as owner"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("correct horse"),
        "the password is never printed"
    );

    let again = add_user(&kith, "ana@example.com", "viewer", "another long password");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has an account"));
}

#[test]
fn user_add_refuses_a_short_password_and_an_unknown_role() {
    let kith = Kith::new();
    let short = add_user(&kith, "bo@example.com", "viewer", "short");
    assert_eq!(short.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"));
    let role = add_user(&kith, "bo@example.com", "root", "long enough password");
    assert_eq!(role.status.code(), Some(2), "a usage error");
}

#[test]
fn token_create_prints_a_token_once() {
    let kith = Kith::new();
    let out = kith.run(&["token", "create", "--role", "viewer", "--name", "nightly"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(token.starts_with("kith_") && token.len() > 70, "{token}");
    let (id, secret) = kith_server::auth::secret::split_api_token(&token).unwrap();
    let store = kith_store::open(None, &kith.dir.path().join("data")).unwrap();
    let (saved, hash) = store.api_token(id).unwrap().unwrap();
    assert_eq!(saved.name, "nightly");
    assert_eq!(saved.role, kith_store::Role::Viewer);
    assert_eq!(hash, kith_server::auth::secret::sha256_hex(secret));
    assert!(!hash.contains(secret), "only the hash is stored");
}
