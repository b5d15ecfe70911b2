//! Users, roles, sign-in sessions, API tokens and failed sign-ins: what the server's
//! authentication keeps.
//!
//! The store only keeps what it is given. Hashing passwords (argon2id), making and
//! hashing tokens, and deciding who may do what are the server's business; here, secrets
//! arrive already hashed and roles are parsed back from their names on every read.

use std::fmt;

use time::OffsetDateTime;

use crate::StoreError;
use crate::ops::{Session, query_int};
use crate::sql::{Dialect, Statements};
use crate::value::{Columns, Cursor, Value};

/// What a signed-in user or an API token may do. Each role can do everything the roles
/// below it can: `Viewer < Manager < Admin < Owner`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Reads the dashboard and the API.
    Viewer,
    /// Also imports data and exports candidates.
    Manager,
    /// Also changes the brand, users and API tokens.
    Admin,
    /// Also makes and removes owners.
    Owner,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Manager, Role::Admin, Role::Owner];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Manager => "manager",
            Role::Admin => "admin",
            Role::Owner => "owner",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// Whether this role includes `needed`.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A user of the dashboard, without the password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub created_at: OffsetDateTime,
}

/// The user a live session belongs to, with the session's CSRF token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: OffsetDateTime,
}

/// An API token as listed; its secret is never read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub created_at: OffsetDateTime,
    pub revoked: bool,
}

/// The statements of this module, rendered for a dialect.
#[derive(Debug)]
pub(crate) struct AuthSql {
    insert_user: String,
    user_by_email: String,
    users: String,
    set_role: String,
    set_password: String,
    delete_user: String,
    insert_session: String,
    session: String,
    delete_session: String,
    delete_expired_sessions: String,
    insert_token: String,
    token: String,
    tokens: String,
    revoke_token: String,
    insert_failure: String,
    count_failures: String,
    clear_failures: String,
    forget_failures_before: String,
}

const USER_COLUMNS: &str = "id, email, role, created_at";

impl AuthSql {
    pub(crate) fn new(d: Dialect) -> AuthSql {
        let r = |sql: &str| d.render(sql);
        AuthSql {
            insert_user: r(
                "INSERT INTO users (email, password_hash, role, created_at) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (email) DO NOTHING \
                 RETURNING id, email, role, created_at",
            ),
            user_by_email: r(&format!(
                "SELECT {USER_COLUMNS}, password_hash FROM users WHERE email = ?1"
            )),
            users: format!("SELECT {USER_COLUMNS} FROM users ORDER BY email"),
            set_role: r("UPDATE users SET role = ?2 WHERE id = ?1"),
            set_password: r("UPDATE users SET password_hash = ?2 WHERE id = ?1"),
            delete_user: r("DELETE FROM users WHERE id = ?1"),
            insert_session: r("INSERT INTO sessions \
                 (token_hash, user_id, csrf_token, created_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)"),
            session: r(
                "SELECT u.id, u.email, u.role, u.created_at, s.csrf_token, s.expires_at \
                 FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            ),
            delete_session: r("DELETE FROM sessions WHERE token_hash = ?1"),
            delete_expired_sessions: r("DELETE FROM sessions WHERE expires_at <= ?1"),
            insert_token: r(
                "INSERT INTO api_tokens (id, name, role, secret_hash, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            ),
            token: r(
                "SELECT id, name, role, created_at, revoked_at, secret_hash \
                 FROM api_tokens WHERE id = ?1",
            ),
            tokens: "SELECT id, name, role, created_at, revoked_at FROM api_tokens \
                 ORDER BY created_at, id"
                .into(),
            revoke_token: r(
                "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            ),
            insert_failure: r("INSERT INTO login_failures (key, failed_at) VALUES (?1, ?2)"),
            count_failures: r(
                "SELECT COUNT(*) FROM login_failures WHERE key = ?1 AND failed_at > ?2",
            ),
            clear_failures: r("DELETE FROM login_failures WHERE key = ?1"),
            forget_failures_before: r("DELETE FROM login_failures WHERE failed_at <= ?1"),
        }
    }
}

fn at(t: OffsetDateTime) -> Value<'static> {
    Value::Timestamp(crate::convert::utc_micros(t))
}

fn role(text: &str) -> Result<Role, StoreError> {
    Role::parse(text).ok_or_else(|| StoreError::Corrupt(format!("unknown role {text:?}")))
}

fn read_user(c: &mut Cursor<'_>) -> Result<User, StoreError> {
    Ok(User {
        id: c.req_int("users.id")?,
        email: c.req_text("users.email")?,
        role: role(&c.req_text("users.role")?)?,
        created_at: c
            .timestamp()?
            .ok_or_else(|| StoreError::Corrupt("users.created_at is null".into()))?,
    })
}

fn read_token(c: &mut Cursor<'_>) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: c.req_text("api_tokens.id")?,
        name: c.req_text("api_tokens.name")?,
        role: role(&c.req_text("api_tokens.role")?)?,
        created_at: c
            .timestamp()?
            .ok_or_else(|| StoreError::Corrupt("api_tokens.created_at is null".into()))?,
        revoked: c.timestamp()?.is_some(),
    })
}

/// Collects every row of a query through `read`.
fn rows<T>(
    s: &mut dyn Session,
    sql: &str,
    params: &[Value<'_>],
    read: impl Fn(&dyn Columns) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    s.each_row(sql, params, &mut |row| {
        out.push(read(row)?);
        Ok(())
    })?;
    Ok(out)
}

pub(crate) fn create_user(
    s: &mut dyn Session,
    sql: &Statements,
    email: &str,
    password_hash: &str,
    role: Role,
    now: OffsetDateTime,
) -> Result<Option<User>, StoreError> {
    let params = [
        Value::str(email),
        Value::str(password_hash),
        Value::str(role.as_str()),
        at(now),
    ];
    let created = rows(s, &sql.auth.insert_user, &params, |row| {
        read_user(&mut Cursor::new(row))
    })?;
    Ok(created.into_iter().next())
}

pub(crate) fn user_credentials(
    s: &mut dyn Session,
    sql: &Statements,
    email: &str,
) -> Result<Option<(User, String)>, StoreError> {
    let found = rows(s, &sql.auth.user_by_email, &[Value::str(email)], |row| {
        let mut c = Cursor::new(row);
        Ok((read_user(&mut c)?, c.req_text("users.password_hash")?))
    })?;
    Ok(found.into_iter().next())
}

pub(crate) fn users(s: &mut dyn Session, sql: &Statements) -> Result<Vec<User>, StoreError> {
    rows(s, &sql.auth.users, &[], |row| {
        read_user(&mut Cursor::new(row))
    })
}

pub(crate) fn set_user_role(
    s: &mut dyn Session,
    sql: &Statements,
    id: i64,
    role: Role,
) -> Result<bool, StoreError> {
    let changed = s.execute(
        &sql.auth.set_role,
        &[Value::Int(id), Value::str(role.as_str())],
    )?;
    Ok(changed > 0)
}

pub(crate) fn set_user_password(
    s: &mut dyn Session,
    sql: &Statements,
    id: i64,
    password_hash: &str,
) -> Result<bool, StoreError> {
    let changed = s.execute(
        &sql.auth.set_password,
        &[Value::Int(id), Value::str(password_hash)],
    )?;
    Ok(changed > 0)
}

/// Removes the user and, through the foreign key, every session of theirs.
pub(crate) fn delete_user(
    s: &mut dyn Session,
    sql: &Statements,
    id: i64,
) -> Result<bool, StoreError> {
    Ok(s.execute(&sql.auth.delete_user, &[Value::Int(id)])? > 0)
}

pub(crate) fn create_session(
    s: &mut dyn Session,
    sql: &Statements,
    token_hash: &str,
    user_id: i64,
    csrf_token: &str,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StoreError> {
    // Signing in is rare enough to sweep expired sessions on the way.
    s.execute(&sql.auth.delete_expired_sessions, &[at(now)])?;
    s.execute(
        &sql.auth.insert_session,
        &[
            Value::str(token_hash),
            Value::Int(user_id),
            Value::str(csrf_token),
            at(now),
            at(expires_at),
        ],
    )?;
    Ok(())
}

pub(crate) fn session(
    s: &mut dyn Session,
    sql: &Statements,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<SessionUser>, StoreError> {
    let found = rows(
        s,
        &sql.auth.session,
        &[Value::str(token_hash), at(now)],
        |row| {
            let mut c = Cursor::new(row);
            Ok(SessionUser {
                user: read_user(&mut c)?,
                csrf_token: c.req_text("sessions.csrf_token")?,
                expires_at: c
                    .timestamp()?
                    .ok_or_else(|| StoreError::Corrupt("sessions.expires_at is null".into()))?,
            })
        },
    )?;
    Ok(found.into_iter().next())
}

pub(crate) fn delete_session(
    s: &mut dyn Session,
    sql: &Statements,
    token_hash: &str,
) -> Result<(), StoreError> {
    s.execute(&sql.auth.delete_session, &[Value::str(token_hash)])
        .map(drop)
}

pub(crate) fn create_api_token(
    s: &mut dyn Session,
    sql: &Statements,
    token: &ApiToken,
    secret_hash: &str,
) -> Result<(), StoreError> {
    s.execute(
        &sql.auth.insert_token,
        &[
            Value::str(&token.id),
            Value::str(&token.name),
            Value::str(token.role.as_str()),
            Value::str(secret_hash),
            at(token.created_at),
        ],
    )
    .map(drop)
}

pub(crate) fn api_token(
    s: &mut dyn Session,
    sql: &Statements,
    id: &str,
) -> Result<Option<(ApiToken, String)>, StoreError> {
    let found = rows(s, &sql.auth.token, &[Value::str(id)], |row| {
        let mut c = Cursor::new(row);
        Ok((read_token(&mut c)?, c.req_text("api_tokens.secret_hash")?))
    })?;
    Ok(found.into_iter().next())
}

pub(crate) fn api_tokens(
    s: &mut dyn Session,
    sql: &Statements,
) -> Result<Vec<ApiToken>, StoreError> {
    rows(s, &sql.auth.tokens, &[], |row| {
        read_token(&mut Cursor::new(row))
    })
}

pub(crate) fn revoke_api_token(
    s: &mut dyn Session,
    sql: &Statements,
    id: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    Ok(s.execute(&sql.auth.revoke_token, &[Value::str(id), at(now)])? > 0)
}

/// Records one failed sign-in under each key, forgetting failures older than `forget_before`.
pub(crate) fn record_login_failure(
    s: &mut dyn Session,
    sql: &Statements,
    keys: &[&str],
    now: OffsetDateTime,
    forget_before: OffsetDateTime,
) -> Result<(), StoreError> {
    s.execute(&sql.auth.forget_failures_before, &[at(forget_before)])?;
    for key in keys {
        s.execute(&sql.auth.insert_failure, &[Value::str(key), at(now)])?;
    }
    Ok(())
}

pub(crate) fn login_failures_since(
    s: &mut dyn Session,
    sql: &Statements,
    key: &str,
    since: OffsetDateTime,
) -> Result<u64, StoreError> {
    let n = query_int(s, &sql.auth.count_failures, &[Value::str(key), at(since)])?;
    crate::convert::uint("a count", n.unwrap_or(0))
}

pub(crate) fn clear_login_failures(
    s: &mut dyn Session,
    sql: &Statements,
    key: &str,
) -> Result<(), StoreError> {
    s.execute(&sql.auth.clear_failures, &[Value::str(key)])
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_include_the_roles_below_them() {
        assert!(Role::Owner.allows(Role::Admin));
        assert!(Role::Admin.allows(Role::Manager));
        assert!(Role::Manager.allows(Role::Viewer));
        assert!(!Role::Viewer.allows(Role::Manager));
        assert!(!Role::Admin.allows(Role::Owner));
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse(" Admin "), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn postgres_statements_use_numbered_dollar_parameters() {
        let sql = AuthSql::new(Dialect::Postgres);
        assert!(
            sql.session
                .contains("s.token_hash = $1 AND s.expires_at > $2")
        );
        assert!(!sql.insert_user.contains('?'));
    }
}
