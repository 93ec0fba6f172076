//! Logging in and out, and resolving a credential to its user. No HTTP in here.
//!
//! A login costs the same and answers the same whether or not the name has
//! an account: one argon2 verification (against the start-up dummy hash for
//! an unknown name), one throttle update and one audit event in one
//! transaction, and the same refusal. Failures slow down the (name, client
//! address) pair (see [`super::throttle`]); nothing locks an account.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::model::{Role, SessionRow, User, UserRow};
use super::password::Passwords;
use super::service::{new_secret, secret_hash};
use super::throttle::{self, ThrottleKey, ThrottlePolicy};
use crate::audit::{self, Actor, Change};
use crate::db::schema::{api_tokens, sessions, user_roles, users};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code, ErrorKind};
use crate::ids::{UserId, new_id, now};

/// Login throttling and session length, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    /// How failed logins are counted and slowed down.
    pub throttle: ThrottlePolicy,
    /// How long a new session lasts.
    pub session_length: TimeDelta,
}

/// One login attempt: what was typed, and from where.
#[derive(Debug, Clone)]
pub struct LoginAttempt {
    /// The name as typed.
    pub username: String,
    /// The password as typed.
    pub password: String,
    /// The client's address ([`throttle::client_address`]).
    pub client: String,
}

/// A successful login.
#[derive(Debug)]
pub struct LoginSuccess {
    /// The user now logged in.
    pub user: User,
    /// The session token for the cookie (only its hash is stored).
    pub token: String,
    /// The new session's id.
    pub session_id: String,
}

/// A refused login: the error to answer with, how long to wait before
/// answering, and (while the pair is held back) when to try again.
#[derive(Debug)]
pub struct LoginFailure {
    /// The refusal to answer with.
    pub error: AppError,
    /// How long to wait before answering, in milliseconds.
    pub delay_ms: u64,
    /// Seconds for `Retry-After`, while the name and address are held back.
    pub retry_after_secs: Option<u64>,
}

impl LoginFailure {
    fn at_once(error: AppError) -> Self {
        LoginFailure {
            error,
            delay_ms: 0,
            retry_after_secs: None,
        }
    }
}

/// The refusal of a wrong password and of an unknown name alike.
pub fn bad_credentials() -> AppError {
    AppError::new(
        ErrorKind::Unauthenticated,
        Code::InvalidCredentials,
        "wrong username or password",
    )
}

/// Checks a password and opens a session.
///
/// # Errors
/// A [`LoginFailure`]: `login_throttled` (429) while the name and address
/// must wait, `invalid_credentials` (401) for a wrong password or an unknown
/// name, `account_disabled` (401) for the right password of an unusable
/// account; database faults come back inside it as internal errors.
pub fn login(
    conn: &mut DbConn,
    passwords: &Passwords,
    policy: &LoginPolicy,
    attempt: &LoginAttempt,
) -> Result<LoginSuccess, LoginFailure> {
    let key = ThrottleKey::new(&attempt.username, &attempt.client);
    let t = now();
    match throttle::blocked_until(conn, &key, t) {
        Ok(Some(until)) => {
            let secs = (until - t)
                .num_milliseconds()
                .max(1)
                .unsigned_abs()
                .div_ceil(1000);
            return Err(LoginFailure {
                error: throttle::throttled(),
                delay_ms: 0,
                retry_after_secs: Some(secs),
            });
        }
        Ok(None) => {}
        Err(e) => return Err(LoginFailure::at_once(e)),
    }
    let row = users::table
        .filter(users::username.eq(attempt.username.trim()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
        .map_err(|e| LoginFailure::at_once(e.into()))?;
    // Exactly one verification, with or without an account.
    let right = passwords.check(
        &attempt.password,
        row.as_ref().map(|r| r.password_hash.as_str()),
    );
    match row {
        Some(row) if right => {
            if !row.usable_at(t) {
                // Right password, unusable account: say so, it is not a guess.
                return Err(LoginFailure::at_once(AppError::new(
                    ErrorKind::Unauthenticated,
                    Code::AccountDisabled,
                    "this account is deactivated or has expired",
                )));
            }
            open_session(conn, policy, row, &key).map_err(LoginFailure::at_once)
        }
        row => {
            let delay_ms = record_failure(conn, policy, row.as_ref(), &key, t)
                .map_err(LoginFailure::at_once)?;
            Err(LoginFailure {
                error: bad_credentials(),
                delay_ms,
                retry_after_secs: None,
            })
        }
    }
}

/// Counts the failure for the pair and audits it: under the account when the
/// name has one, under `login` and the name typed when it has none.
fn record_failure(
    conn: &mut DbConn,
    policy: &LoginPolicy,
    row: Option<&UserRow>,
    key: &ThrottleKey,
    t: NaiveDateTime,
) -> AppResult<u64> {
    write_tx(conn, |conn| {
        let (failures, delay_ms) = throttle::record_failure(conn, &policy.throttle, key, t)?;
        let changes = serde_json::json!({
            "client": key.client, "failures": failures, "delay_ms": delay_ms,
        });
        let (action, entity_type, entity_id) = match row {
            Some(r) => ("user.login_failed", "user", r.id.as_str()),
            None => ("login.failed", "login", key.username.as_str()),
        };
        audit::record(
            conn,
            &Actor::system("login"),
            Change {
                action,
                entity_type,
                entity_id,
                summary: format!(
                    "failed login {failures} for {} from {}",
                    key.username, key.client
                ),
                changes,
            },
        )?;
        Ok(delay_ms)
    })
}

fn open_session(
    conn: &mut DbConn,
    policy: &LoginPolicy,
    row: UserRow,
    key: &ThrottleKey,
) -> AppResult<LoginSuccess> {
    let (token, token_hash) = new_secret("");
    write_tx(conn, |conn| {
        let t = now();
        let session = SessionRow {
            id: new_id(),
            token_hash,
            user_id: row.id.clone(),
            created_at: t,
            expires_at: t + policy.session_length,
        };
        diesel::insert_into(sessions::table)
            .values(&session)
            .execute(conn)?;
        let forgotten = throttle::clear(conn, key)?;
        audit::record(
            conn,
            &Actor::user(&UserId(row.id.clone()), &row.username),
            Change {
                action: "session.created",
                entity_type: "session",
                entity_id: &session.id,
                summary: format!("{} logged in from {}", row.username, key.client),
                changes: serde_json::json!({
                    "expires_at": crate::time::format(&session.expires_at),
                    "client": key.client,
                    "failures_forgotten": forgotten > 0,
                }),
            },
        )?;
        let roles = roles_of(conn, &row.id)?;
        Ok(LoginSuccess {
            user: User::from_row(row, roles),
            token,
            session_id: session.id,
        })
    })
}

fn roles_of(conn: &mut DbConn, user_id: &str) -> AppResult<Vec<Role>> {
    let names: Vec<String> = user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .select(user_roles::role)
        .load(conn)?;
    let mut roles: Vec<Role> = names.iter().filter_map(|n| Role::parse(n).ok()).collect();
    roles.sort();
    Ok(roles)
}

/// Ends a session (logout).
///
/// # Errors
/// A database fault.
pub fn end_session(conn: &mut DbConn, user: &User, session_id: &str) -> AppResult<()> {
    write_tx(conn, |conn| {
        let n = diesel::delete(sessions::table.find(session_id)).execute(conn)?;
        if n > 0 {
            audit::record(
                conn,
                &Actor::user(&user.id, &user.username),
                Change {
                    action: "session.ended",
                    entity_type: "session",
                    entity_id: session_id,
                    summary: format!("{} logged out", user.username),
                    changes: serde_json::json!({}),
                },
            )?;
        }
        Ok(())
    })
}

/// How a request proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A session cookie; `token_hash` is the stored SHA-256 of its token,
    /// which CSRF tokens are bound to.
    Session {
        /// The session's id (`sessions.id`).
        id: String,
        /// The stored SHA-256 of the cookie's token.
        token_hash: String,
    },
    /// An API token sent as `Authorization: Bearer`.
    ApiToken {
        /// The token's id (`api_tokens.id`), so it can be named and revoked.
        id: String,
    },
}

/// Resolves a session cookie to its user, if the session is live and the user usable.
///
/// # Errors
/// A database fault.
pub fn user_for_session(conn: &mut DbConn, token: &str) -> AppResult<Option<(User, Credential)>> {
    let t = now();
    let token_hash = secret_hash(token);
    let found: Option<(String, UserRow)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(&token_hash))
        .filter(sessions::expires_at.gt(t))
        .select((sessions::id, UserRow::as_select()))
        .first(conn)
        .optional()?;
    usable(conn, found, t, |id| Credential::Session { id, token_hash })
}

/// Resolves a bearer token to its user, if the token is live and the user usable.
///
/// # Errors
/// A database fault.
pub fn user_for_token(conn: &mut DbConn, token: &str) -> AppResult<Option<(User, Credential)>> {
    let t = now();
    let found: Option<(String, UserRow)> = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(secret_hash(token)))
        .filter(api_tokens::revoked_at.is_null())
        .select((api_tokens::id, UserRow::as_select()))
        .first(conn)
        .optional()?;
    usable(conn, found, t, |id| Credential::ApiToken { id })
}

fn usable(
    conn: &mut DbConn,
    found: Option<(String, UserRow)>,
    t: NaiveDateTime,
    credential: impl FnOnce(String) -> Credential,
) -> AppResult<Option<(User, Credential)>> {
    match found {
        Some((id, row)) if row.usable_at(t) => {
            let roles = roles_of(conn, &row.id)?;
            Ok(Some((User::from_row(row, roles), credential(id))))
        }
        _ => Ok(None),
    }
}
