//! The rules for users, logins, sessions and API tokens. No HTTP in here.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, password_hash::rand_core::OsRng};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::model::{
    ApiToken, NewPassword, Role, SessionRow, TokenRow, User, UserRow, Username, parse_display_name,
    parse_email,
};
use crate::audit::{self, Actor, Change, Diff};
use crate::db::schema::{api_tokens, sessions, user_roles, users};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::ids::{TokenId, UserId, new_id, now};
use crate::listing::{Page, paging};

/// Hashes a password with argon2id and a fresh salt.
///
/// # Errors
/// Only if the hasher fails (an internal fault).
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(anyhow::anyhow!("hashing failed: {e}")))
}

/// Whether `password` matches the stored hash.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the time a real verification takes, so that a missing account
/// answers as slowly as a wrong password.
fn verify_against_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("laatu-dummy-password").unwrap_or_default());
    let _ = verify_password(password, dummy);
}

/// A random secret (32 bytes) in URL-safe hex with a prefix, and its hash.
pub fn new_secret(prefix: &str) -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!("{prefix}{}", hex::encode(bytes));
    let hash = secret_hash(&secret);
    (secret, hash)
}

/// How secrets (session and API tokens) are stored: SHA-256, hex.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

// ---------------------------------------------------------------- users

fn roles_of(conn: &mut DbConn, user_id: &str) -> AppResult<Vec<Role>> {
    let names: Vec<String> = user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .select(user_roles::role)
        .load(conn)?;
    let mut roles: Vec<Role> = names.iter().filter_map(|n| Role::parse(n).ok()).collect();
    roles.sort();
    Ok(roles)
}

fn user_not_found(username: &str) -> AppError {
    AppError::not_found("user_not_found", format!("no user `{username}`"))
}

fn row_by_username(conn: &mut DbConn, username: &str) -> AppResult<UserRow> {
    users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| user_not_found(username))
}

/// Loads a user and their roles by id.
///
/// # Errors
/// `user_not_found`; a database fault.
pub fn user_by_id(conn: &mut DbConn, id: &UserId) -> AppResult<User> {
    let row: UserRow = users::table
        .find(id.as_str())
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| user_not_found(id.as_str()))?;
    let roles = roles_of(conn, &row.id)?;
    Ok(User::from_row(row, roles))
}

/// Loads a user and their roles by username.
///
/// # Errors
/// `user_not_found`; a database fault.
pub fn user_by_username(conn: &mut DbConn, username: &str) -> AppResult<User> {
    let row = row_by_username(conn, username)?;
    let roles = roles_of(conn, &row.id)?;
    Ok(User::from_row(row, roles))
}

/// Lists users by username, paged.
///
/// # Errors
/// A database fault.
pub fn list_users(
    conn: &mut DbConn,
    page: Option<i64>,
    per_page: Option<i64>,
) -> AppResult<Page<User>> {
    let (page, per_page) = paging(page, per_page);
    let total: i64 = users::table.count().get_result(conn)?;
    let rows: Vec<UserRow> = users::table
        .order(users::username.asc())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(UserRow::as_select())
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let role_rows: Vec<(String, String)> = user_roles::table
        .filter(user_roles::user_id.eq_any(&ids))
        .select((user_roles::user_id, user_roles::role))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|row| {
            let mut roles: Vec<Role> = role_rows
                .iter()
                .filter(|(uid, _)| *uid == row.id)
                .filter_map(|(_, r)| Role::parse(r).ok())
                .collect();
            roles.sort();
            User::from_row(row, roles)
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

/// A validated new user.
#[derive(Debug)]
pub struct NewUser {
    pub username: Username,
    pub display_name: String,
    pub email: String,
    pub password: NewPassword,
    pub roles: Vec<Role>,
    pub expires_at: Option<NaiveDateTime>,
    pub language: Option<String>,
}

impl NewUser {
    /// Validates raw input.
    ///
    /// # Errors
    /// The first invalid field, with its stable code.
    pub fn parse(
        username: &str,
        display_name: &str,
        email: &str,
        password: &str,
        roles: &[String],
        expires_at: Option<&str>,
    ) -> AppResult<NewUser> {
        let username = Username::parse(username)?;
        let display_name = if display_name.trim().is_empty() {
            username.as_str().to_string()
        } else {
            parse_display_name(display_name)?
        };
        Ok(NewUser {
            username,
            display_name,
            email: parse_email(email)?,
            password: NewPassword::parse(password)?,
            roles: Role::parse_set(roles)?,
            expires_at: parse_expiry(expires_at)?,
            language: None,
        })
    }
}

/// Parses an account expiry: empty for none, a date (expires at 00:00 UTC
/// that day) or a UTC time.
///
/// # Errors
/// `invalid_time`.
pub fn parse_expiry(s: Option<&str>) -> AppResult<Option<NaiveDateTime>> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => audit::parse_time("expires_at", s).map(Some),
    }
}

fn roles_json(roles: &[Role]) -> Vec<&'static str> {
    roles.iter().map(|r| r.as_str()).collect()
}

/// Creates a user.
///
/// # Errors
/// `username_taken`; a database fault.
pub fn create_user(conn: &mut DbConn, actor: &Actor, new: NewUser) -> AppResult<User> {
    let hash = hash_password(new.password.expose())?;
    write_tx(conn, |conn| {
        let taken: i64 = users::table
            .filter(users::username.eq(new.username.as_str()))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(AppError::conflict(
                "username_taken",
                format!("the username `{}` is taken", new.username.as_str()),
            ));
        }
        let t = now();
        let row = UserRow {
            id: new_id(),
            username: new.username.as_str().to_string(),
            display_name: new.display_name.clone(),
            email: new.email.clone(),
            password_hash: hash,
            language: new.language.clone(),
            active: true,
            expires_at: new.expires_at,
            failed_logins: 0,
            locked_until: None,
            version: 1,
            created_at: t,
            updated_at: t,
        };
        diesel::insert_into(users::table)
            .values(&row)
            .execute(conn)?;
        insert_roles(conn, &row.id, &new.roles)?;
        audit::record(
            conn,
            actor,
            Change {
                action: "user.created",
                entity_type: "user",
                entity_id: &row.id,
                summary: format!("created user {}", row.username),
                changes: Diff::new()
                    .created("username", &row.username)
                    .created("display_name", &row.display_name)
                    .created("email", &row.email)
                    .created("roles", &roles_json(&new.roles))
                    .created(
                        "expires_at",
                        &row.expires_at.as_ref().map(crate::time::format),
                    )
                    .into_value(),
            },
        )?;
        Ok(User::from_row(row, new.roles.clone()))
    })
}

fn insert_roles(conn: &mut DbConn, user_id: &str, roles: &[Role]) -> AppResult<()> {
    // One row at a time: batch inserts are not portable across the two backends.
    for r in roles {
        diesel::insert_into(user_roles::table)
            .values((
                user_roles::user_id.eq(user_id),
                user_roles::role.eq(r.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Changes to a user; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub roles: Option<Vec<Role>>,
    /// `Some(None)` removes the expiry.
    pub expires_at: Option<Option<NaiveDateTime>>,
    pub active: Option<bool>,
    /// `Some(None)` returns to the browser's language.
    pub language: Option<Option<String>>,
    /// Unlocks an account locked after failed logins.
    pub unlock: bool,
    /// The version the caller saw; a different current version is a conflict.
    pub version: Option<i32>,
}

/// Applies changes to a user, audited with before and after.
///
/// # Errors
/// `user_not_found`, `version_conflict`, `cannot_remove_last_admin`; a database fault.
pub fn update_user(
    conn: &mut DbConn,
    actor: &Actor,
    username: &str,
    changes: UserChanges,
) -> AppResult<User> {
    write_tx(conn, |conn| {
        let before = row_by_username(conn, username)?;
        if let Some(v) = changes.version
            && v != before.version
        {
            return Err(AppError::conflict(
                "version_conflict",
                format!(
                    "user {username} was changed by someone else (version {} is current, you edited {v}); reload and try again",
                    before.version
                ),
            ));
        }
        let before_roles = roles_of(conn, &before.id)?;
        let mut after = before.clone();
        if let Some(n) = &changes.display_name {
            after.display_name = parse_display_name(n)?;
        }
        if let Some(e) = &changes.email {
            after.email = parse_email(e)?;
        }
        if let Some(x) = changes.expires_at {
            after.expires_at = x;
        }
        if let Some(a) = changes.active {
            after.active = a;
        }
        if let Some(l) = &changes.language {
            after.language = l.clone();
        }
        if changes.unlock {
            after.locked_until = None;
            after.failed_logins = 0;
        }
        let after_roles = changes
            .roles
            .clone()
            .unwrap_or_else(|| before_roles.clone());
        let removes_admin = before_roles.contains(&Role::Admin)
            && (!after_roles.contains(&Role::Admin) || !after.active);
        if removes_admin && other_active_admins(conn, &before.id)? == 0 {
            return Err(AppError::conflict(
                "cannot_remove_last_admin",
                "this is the last active admin; make someone else admin first",
            ));
        }
        let diff = Diff::new()
            .field("display_name", &before.display_name, &after.display_name)
            .field("email", &before.email, &after.email)
            .field(
                "roles",
                &roles_json(&before_roles),
                &roles_json(&after_roles),
            )
            .field(
                "expires_at",
                &before.expires_at.as_ref().map(crate::time::format),
                &after.expires_at.as_ref().map(crate::time::format),
            )
            .field("active", &before.active, &after.active)
            .field("language", &before.language, &after.language)
            .field("locked_until", &before.locked_until, &after.locked_until);
        if diff.is_empty() {
            return Ok(User::from_row(before, before_roles));
        }
        after.version = before.version + 1;
        after.updated_at = now();
        diesel::update(users::table.find(&before.id))
            .set((
                users::display_name.eq(&after.display_name),
                users::email.eq(&after.email),
                users::expires_at.eq(after.expires_at),
                users::active.eq(after.active),
                users::language.eq(&after.language),
                users::locked_until.eq(after.locked_until),
                users::failed_logins.eq(after.failed_logins),
                users::version.eq(after.version),
                users::updated_at.eq(after.updated_at),
            ))
            .execute(conn)?;
        if after_roles != before_roles {
            diesel::delete(user_roles::table.filter(user_roles::user_id.eq(&before.id)))
                .execute(conn)?;
            insert_roles(conn, &before.id, &after_roles)?;
        }
        if !after.active {
            // Deactivation ends every session at once (requests check `active` too).
            diesel::delete(sessions::table.filter(sessions::user_id.eq(&before.id)))
                .execute(conn)?;
        }
        let action = match (before.active, after.active) {
            (true, false) => "user.deactivated",
            (false, true) => "user.reactivated",
            _ => "user.updated",
        };
        audit::record(
            conn,
            actor,
            Change {
                action,
                entity_type: "user",
                entity_id: &before.id,
                summary: format!("{} user {}", action.trim_start_matches("user."), username),
                changes: diff.into_value(),
            },
        )?;
        Ok(User::from_row(after, after_roles))
    })
}

fn other_active_admins(conn: &mut DbConn, except: &str) -> AppResult<i64> {
    Ok(users::table
        .inner_join(user_roles::table)
        .filter(user_roles::role.eq(Role::Admin.as_str()))
        .filter(users::active.eq(true))
        .filter(users::id.ne(except))
        .count()
        .get_result(conn)?)
}

/// Sets a user's password. Every session of the user ends except `keep_session`.
///
/// # Errors
/// `user_not_found`; a database fault.
pub fn set_password(
    conn: &mut DbConn,
    actor: &Actor,
    username: &str,
    password: &NewPassword,
    keep_session: Option<&str>,
) -> AppResult<()> {
    let hash = hash_password(password.expose())?;
    write_tx(conn, |conn| {
        let row = row_by_username(conn, username)?;
        diesel::update(users::table.find(&row.id))
            .set((
                users::password_hash.eq(&hash),
                users::failed_logins.eq(0),
                users::locked_until.eq(None::<NaiveDateTime>),
                users::updated_at.eq(now()),
            ))
            .execute(conn)?;
        let mut q = diesel::delete(sessions::table)
            .filter(sessions::user_id.eq(&row.id))
            .into_boxed();
        if let Some(keep) = keep_session {
            q = q.filter(sessions::id.ne(keep.to_string()));
        }
        let ended = q.execute(conn)?;
        audit::record(
            conn,
            actor,
            Change {
                action: "user.password_changed",
                entity_type: "user",
                entity_id: &row.id,
                summary: format!("password of {username} changed; {ended} other sessions ended"),
                changes: serde_json::json!({ "sessions_ended": ended }),
            },
        )?;
        Ok(())
    })
}

/// Changes one's own password after checking the current one.
///
/// # Errors
/// `current_password_mismatch`, `weak_password`; a database fault.
pub fn change_own_password(
    conn: &mut DbConn,
    user: &User,
    current: &str,
    new: &str,
    session_id: Option<&str>,
) -> AppResult<()> {
    let row = row_by_username(conn, &user.username)?;
    if !verify_password(current, &row.password_hash) {
        return Err(AppError::invalid(
            "current_password_mismatch",
            "the current password is not right",
        ));
    }
    let new = NewPassword::parse(new)?;
    set_password(
        conn,
        &Actor::user(&user.id, &user.username),
        &user.username,
        &new,
        session_id,
    )
}

// ---------------------------------------------------------------- logins

/// Login throttling, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    pub max_failures: i32,
    pub lockout: TimeDelta,
    pub base_delay_ms: u64,
    pub session_length: TimeDelta,
}

/// A successful login.
#[derive(Debug)]
pub struct LoginSuccess {
    pub user: User,
    /// The session token for the cookie (only its hash is stored).
    pub token: String,
    pub session_id: String,
}

/// A refused login: the error to answer with, and how long to wait first.
#[derive(Debug)]
pub struct LoginFailure {
    pub error: AppError,
    pub delay_ms: u64,
}

fn bad_credentials() -> AppError {
    AppError::new(
        ErrorKind::Unauthenticated,
        "invalid_credentials",
        "wrong username or password",
    )
}

/// Checks a password and opens a session. Failures count towards a lockout.
///
/// # Errors
/// A [`LoginFailure`]; database faults come back inside it as internal errors.
pub fn login(
    conn: &mut DbConn,
    policy: &LoginPolicy,
    username: &str,
    password: &str,
) -> Result<LoginSuccess, LoginFailure> {
    let fail = |error: AppError| LoginFailure { error, delay_ms: 0 };
    let row = match users::table
        .filter(users::username.eq(username.trim()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
    {
        Ok(Some(row)) => row,
        Ok(None) => {
            verify_against_dummy(password);
            return Err(LoginFailure {
                error: bad_credentials(),
                delay_ms: policy.base_delay_ms,
            });
        }
        Err(e) => return Err(fail(e.into())),
    };
    let t = now();
    if let Some(until) = row.locked_until
        && until > t
    {
        return Err(fail(AppError::new(
            ErrorKind::TooManyRequests,
            "account_locked",
            format!(
                "too many failed logins; the account is locked until {} UTC",
                until.format("%Y-%m-%d %H:%M")
            ),
        )));
    }
    if !verify_password(password, &row.password_hash) {
        return record_failure(conn, policy, &row)
            .map_err(|error| LoginFailure { error, delay_ms: 0 })?;
    }
    if !row.usable_at(t) {
        // Right password, unusable account: say so, it is not a guess.
        return Err(fail(AppError::new(
            ErrorKind::Unauthenticated,
            "account_disabled",
            "this account is deactivated or has expired",
        )));
    }
    open_session(conn, policy, row).map_err(fail)
}

fn record_failure(
    conn: &mut DbConn,
    policy: &LoginPolicy,
    row: &UserRow,
) -> AppResult<Result<LoginSuccess, LoginFailure>> {
    write_tx(conn, |conn| {
        let failures: i32 = users::table
            .find(&row.id)
            .select(users::failed_logins)
            .first(conn)?;
        let failures = failures + 1;
        let lock = failures >= policy.max_failures;
        let locked_until = lock.then(|| now() + policy.lockout);
        diesel::update(users::table.find(&row.id))
            .set((
                users::failed_logins.eq(if lock { 0 } else { failures }),
                users::locked_until.eq(locked_until),
            ))
            .execute(conn)?;
        let actor = Actor::system("login");
        audit::record(
            conn,
            &actor,
            Change {
                action: if lock {
                    "user.locked"
                } else {
                    "user.login_failed"
                },
                entity_type: "user",
                entity_id: &row.id,
                summary: if lock {
                    format!("{} locked after {failures} failed logins", row.username)
                } else {
                    format!("failed login {failures} for {}", row.username)
                },
                changes: serde_json::json!({ "failed_logins": failures, "locked_until": locked_until }),
            },
        )?;
        let delay_ms = if failures >= 3 {
            policy
                .base_delay_ms
                .saturating_mul(1u64 << (failures - 3).min(5))
        } else {
            0
        };
        Ok(Err(LoginFailure {
            error: bad_credentials(),
            delay_ms,
        }))
    })
}

fn open_session(conn: &mut DbConn, policy: &LoginPolicy, row: UserRow) -> AppResult<LoginSuccess> {
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
        if row.failed_logins > 0 || row.locked_until.is_some() {
            diesel::update(users::table.find(&row.id))
                .set((
                    users::failed_logins.eq(0),
                    users::locked_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
        }
        audit::record(
            conn,
            &Actor::user(&UserId(row.id.clone()), &row.username),
            Change {
                action: "session.created",
                entity_type: "session",
                entity_id: &session.id,
                summary: format!("{} logged in", row.username),
                changes: serde_json::json!({ "expires_at": crate::time::format(&session.expires_at) }),
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
    Session { id: String },
    ApiToken { id: String },
}

/// Resolves a session cookie to its user, if the session is live and the user usable.
///
/// # Errors
/// A database fault.
pub fn user_for_session(conn: &mut DbConn, token: &str) -> AppResult<Option<(User, Credential)>> {
    let t = now();
    let found: Option<(String, UserRow)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(secret_hash(token)))
        .filter(sessions::expires_at.gt(t))
        .select((sessions::id, UserRow::as_select()))
        .first(conn)
        .optional()?;
    usable(conn, found, t, |id| Credential::Session { id })
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

// ---------------------------------------------------------------- API tokens

/// A token just created: the secret is shown this once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    pub id: String,
    pub name: String,
    /// Send as `Authorization: Bearer <token>`. Not retrievable later.
    pub token: String,
}

/// Creates a personal API token.
///
/// # Errors
/// `invalid_token_name`; a database fault.
pub fn create_token(conn: &mut DbConn, user: &User, name: &str) -> AppResult<CreatedToken> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::invalid(
            "invalid_token_name",
            "a token name is 1-100 characters",
        ));
    }
    let (token, token_hash) = new_secret("laatu_");
    write_tx(conn, |conn| {
        let row = TokenRow {
            id: TokenId::generate().0,
            user_id: user.id.0.clone(),
            name: name.to_string(),
            token_hash,
            created_at: now(),
            revoked_at: None,
        };
        diesel::insert_into(api_tokens::table)
            .values(&row)
            .execute(conn)?;
        audit::record(
            conn,
            &Actor::user(&user.id, &user.username),
            Change {
                action: "api_token.created",
                entity_type: "api_token",
                entity_id: &row.id,
                summary: format!("{} created API token {name}", user.username),
                changes: Diff::new().created("name", &row.name).into_value(),
            },
        )?;
        Ok(CreatedToken {
            id: row.id,
            name: row.name,
            token,
        })
    })
}

/// Lists a user's tokens, newest first.
///
/// # Errors
/// A database fault.
pub fn list_tokens(conn: &mut DbConn, user_id: &UserId) -> AppResult<Vec<ApiToken>> {
    let rows: Vec<TokenRow> = api_tokens::table
        .filter(api_tokens::user_id.eq(user_id.as_str()))
        .order(api_tokens::created_at.desc())
        .select(TokenRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(ApiToken::from).collect())
}

/// Revokes a token. Its owner may; so may an admin.
///
/// # Errors
/// `token_not_found` (also for someone else's token, unless admin); a database fault.
pub fn revoke_token(conn: &mut DbConn, by: &User, token_id: &str) -> AppResult<()> {
    write_tx(conn, |conn| {
        let row: Option<TokenRow> = api_tokens::table
            .find(token_id)
            .select(TokenRow::as_select())
            .first(conn)
            .optional()?;
        let row = match row {
            Some(r) if r.user_id == by.id.0 || by.has_role(Role::Admin) => r,
            _ => {
                return Err(AppError::not_found(
                    "token_not_found",
                    format!("no API token {token_id}"),
                ));
            }
        };
        if row.revoked_at.is_some() {
            return Ok(());
        }
        let t = now();
        diesel::update(api_tokens::table.find(&row.id))
            .set(api_tokens::revoked_at.eq(Some(t)))
            .execute(conn)?;
        audit::record(
            conn,
            &Actor::user(&by.id, &by.username),
            Change {
                action: "api_token.revoked",
                entity_type: "api_token",
                entity_id: &row.id,
                summary: format!("{} revoked API token {}", by.username, row.name),
                changes: Diff::new()
                    .field("revoked_at", &None, &Some(crate::time::format(&t)))
                    .into_value(),
            },
        )?;
        Ok(())
    })
}

/// Makes sure an `admin` user exists. Returns the password when it was created.
///
/// # Errors
/// A database fault, or an unusable configured password.
pub fn ensure_admin(conn: &mut DbConn, configured: Option<&str>) -> AppResult<Option<String>> {
    let exists: i64 = users::table
        .filter(users::username.eq("admin"))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(None);
    }
    let password = match configured {
        Some(p) => p.to_string(),
        None => {
            let (secret, _) = new_secret("");
            secret[..20].to_string()
        }
    };
    let new = NewUser {
        username: Username::parse("admin")?,
        display_name: "Administrator".into(),
        email: String::new(),
        password: NewPassword::parse(&password)?,
        roles: vec![Role::Admin],
        expires_at: None,
        language: None,
    };
    create_user(conn, &Actor::system("setup"), new)?;
    Ok(Some(password))
}
