//! Passwords, random tokens and their hashes.
//!
//! Passwords are hashed with argon2id (the crate's defaults: 19 MiB, 2 passes), which is
//! slow on purpose. Session cookies and API token secrets are 256 random bits, so a
//! single SHA-256 is enough to keep a stolen database from yielding live credentials,
//! and fast enough to run on every request. Comparisons of secrets are constant-time.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Why a secret could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the system's random number generator failed: {0}")]
    Random(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// The shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 10;

/// An argon2id PHC string (`$argon2id$v=19$…`) with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, SecretError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| SecretError::Hash(e.to_string()))
}

/// Whether `password` matches the stored PHC string; a malformed hash matches nothing.
pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(hash) => Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok(),
        Err(_) => false,
    }
}

/// A password hash to verify against when the email is unknown, so a sign-in takes as
/// long whether or not the account exists.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("not a real password").unwrap_or_default())
}

/// `bytes` random bytes as lower-case hex.
pub fn random_hex(bytes: usize) -> Result<String, SecretError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| SecretError::Random(e.to_string()))?;
    Ok(hex(&buf))
}

pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// Constant-time equality of two secrets (their lengths are not secret).
pub fn same_secret(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// A new API token: what to show once, the id to store, and the hash of its secret.
#[derive(Debug)]
pub struct NewToken {
    /// `kith_<id>_<secret>`, shown to the user once and never stored.
    pub token: String,
    pub id: String,
    pub secret_hash: String,
}

pub fn new_api_token() -> Result<NewToken, SecretError> {
    let id = random_hex(6)?;
    let secret = random_hex(32)?;
    Ok(NewToken {
        token: format!("kith_{id}_{secret}"),
        secret_hash: sha256_hex(&secret),
        id,
    })
}

/// Splits `kith_<id>_<secret>` into its id and secret.
pub fn split_api_token(token: &str) -> Option<(&str, &str)> {
    let rest = token.strip_prefix("kith_")?;
    let (id, secret) = rest.split_once('_')?;
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hex(id) && hex(secret)).then_some((id, secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn api_tokens_split_into_id_and_secret_and_hash_the_secret() {
        let t = new_api_token().unwrap();
        let (id, secret) = split_api_token(&t.token).unwrap();
        assert_eq!(id, t.id);
        assert_eq!(sha256_hex(secret), t.secret_hash);
        assert!(!t.token.contains(&t.secret_hash));
        assert_eq!(split_api_token("kith_zz_00"), None);
        assert_eq!(split_api_token("Bearer x"), None);
    }

    #[test]
    fn secrets_compare_equal_only_when_identical() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
