//! The rules for users and passwords. No HTTP in here. Logins and sessions
//! are in [`super::login`], API tokens in [`super::tokens`]; both are
//! re-exported here.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub use super::login::{
    Credential, LoginAttempt, LoginFailure, LoginPolicy, LoginSuccess, end_session, login,
    user_for_session, user_for_token,
};
use super::model::{NewPassword, Role, User, UserRow, Username, parse_display_name, parse_email};
pub use super::password::{hash_password, verify_password};
use super::throttle;
pub use super::tokens::{CreatedToken, create_token, list_tokens, revoke_token};
use crate::audit::{self, Actor, Change, Diff};
use crate::db::schema::{sessions, user_roles, users};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code};
use crate::ids::{UserId, new_id, now};
use crate::kit::list::{self, Page, Paging};
use crate::mail::MailChoice;

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
    AppError::not_found(Code::UserNotFound, format!("no user `{username}`"))
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
    let rows = list::page(
        conn,
        Paging::new(page, per_page),
        || users::table,
        |q, conn| {
            q.order(users::username.asc())
                .select(UserRow::as_select())
                .load::<UserRow>(conn)
        },
    )?;
    let ids: Vec<&str> = rows.items.iter().map(|r| r.id.as_str()).collect();
    let role_rows: Vec<(String, String)> = user_roles::table
        .filter(user_roles::user_id.eq_any(&ids))
        .select((user_roles::user_id, user_roles::role))
        .load(conn)?;
    Ok(rows.map(|row| {
        let mut roles: Vec<Role> = role_rows
            .iter()
            .filter(|(uid, _)| *uid == row.id)
            .filter_map(|(_, r)| Role::parse(r).ok())
            .collect();
        roles.sort();
        User::from_row(row, roles)
    }))
}

/// A validated new user.
#[derive(Debug)]
pub struct NewUser {
    /// The login name.
    pub username: Username,
    /// The name shown to others.
    pub display_name: String,
    /// An e-mail address, or empty.
    pub email: String,
    /// The first password.
    pub password: NewPassword,
    /// The roles to give, at least one.
    pub roles: Vec<Role>,
    /// When the account stops working, if ever.
    pub expires_at: Option<NaiveDateTime>,
    /// The language (`en`, `fi`), or `None` for the browser's.
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
        Some(s) => crate::kit::date::parse_time("expires_at", s).map(Some),
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
                Code::UsernameTaken,
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
            mail: MailChoice::Digest,
            active: true,
            expires_at: new.expires_at,
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
            .values((user_roles::user_id.eq(user_id), user_roles::role.eq(r)))
            .execute(conn)?;
    }
    Ok(())
}

/// Changes to a user; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct UserChanges {
    /// The new display name.
    pub display_name: Option<String>,
    /// The new e-mail address (empty for none).
    pub email: Option<String>,
    /// The new set of roles, replacing the old.
    pub roles: Option<Vec<Role>>,
    /// `Some(None)` removes the expiry.
    pub expires_at: Option<Option<NaiveDateTime>>,
    /// `Some(false)` deactivates the account, `Some(true)` reactivates it.
    pub active: Option<bool>,
    /// `Some(None)` returns to the browser's language.
    pub language: Option<Option<String>>,
    /// What the user wants by e-mail.
    pub mail: Option<MailChoice>,
    /// Lifts the login delays of the account's name from every address.
    pub unlock: bool,
    /// The version the caller saw; a different current version is a conflict.
    pub version: Option<i32>,
}

/// Applies changes to a user, audited with before and after.
///
/// # Errors
/// `user_not_found`, `version_conflict`, `cannot_remove_last_admin`; a database fault.
///
/// Deactivation ends the user's sessions and revokes their API tokens for
/// good: reactivating the account does not bring them back.
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
                Code::VersionConflict,
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
        if let Some(m) = changes.mail {
            after.mail = m;
        }
        let after_roles = changes
            .roles
            .clone()
            .unwrap_or_else(|| before_roles.clone());
        let removes_admin = before_roles.contains(&Role::Admin)
            && (!after_roles.contains(&Role::Admin) || !after.active);
        if removes_admin && other_active_admins(conn, &before.id)? == 0 {
            return Err(AppError::conflict(
                Code::CannotRemoveLastAdmin,
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
            .field("mail", &before.mail.as_str(), &after.mail.as_str());
        let delays_lifted = if changes.unlock {
            throttle::clear_name(conn, &before.username)?
        } else {
            0
        };
        if diff.is_empty() && delays_lifted == 0 {
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
                users::mail.eq(after.mail),
                users::version.eq(after.version),
                users::updated_at.eq(after.updated_at),
            ))
            .execute(conn)?;
        if after_roles != before_roles {
            diesel::delete(user_roles::table.filter(user_roles::user_id.eq(&before.id)))
                .execute(conn)?;
            insert_roles(conn, &before.id, &after_roles)?;
        }
        let mut diff = diff.into_value();
        if !after.active {
            // Deactivation ends every session at once (requests check `active`
            // too) and revokes every token for good.
            let ended = diesel::delete(sessions::table.filter(sessions::user_id.eq(&before.id)))
                .execute(conn)?;
            let revoked = super::tokens::revoke_all(conn, &before.id, None, after.updated_at)?;
            if before.active {
                diff["sessions_ended"] = serde_json::json!(ended);
                diff["api_tokens_revoked"] = serde_json::json!(revoked);
            }
        }
        if delays_lifted > 0 {
            diff["login_delays_lifted"] = serde_json::json!(delays_lifted);
        }
        let action = match (before.active, after.active) {
            (true, false) => "user.deactivated",
            (false, true) => "user.reactivated",
            _ if diff_is_only_unlock(&diff) => "user.login_delays_lifted",
            _ => "user.updated",
        };
        audit::record(
            conn,
            actor,
            Change {
                action,
                entity_type: "user",
                entity_id: &before.id,
                summary: format!(
                    "{} user {}",
                    action.trim_start_matches("user.").replace('_', " "),
                    username
                ),
                changes: diff,
            },
        )?;
        Ok(User::from_row(after, after_roles))
    })
}

fn diff_is_only_unlock(diff: &serde_json::Value) -> bool {
    diff.as_object()
        .is_some_and(|o| o.len() == 1 && o.contains_key("login_delays_lifted"))
}

fn other_active_admins(conn: &mut DbConn, except: &str) -> AppResult<i64> {
    Ok(users::table
        .inner_join(user_roles::table)
        .filter(user_roles::role.eq(Role::Admin))
        .filter(users::active.eq(true))
        .filter(users::id.ne(except))
        .count()
        .get_result(conn)?)
}

/// Sets a user's password. Every session and API token of the user ends
/// except `keep` (the credential the user changes their own password with);
/// the tokens are revoked for good. One audit event lists what ended.
///
/// # Errors
/// `user_not_found`; a database fault.
pub fn set_password(
    conn: &mut DbConn,
    actor: &Actor,
    username: &str,
    password: &NewPassword,
    keep: Option<&Credential>,
) -> AppResult<()> {
    let hash = hash_password(password.expose())?;
    write_tx(conn, |conn| {
        let row = row_by_username(conn, username)?;
        let t = now();
        diesel::update(users::table.find(&row.id))
            .set((users::password_hash.eq(&hash), users::updated_at.eq(t)))
            .execute(conn)?;
        let mut q = diesel::delete(sessions::table)
            .filter(sessions::user_id.eq(&row.id))
            .into_boxed();
        if let Some(Credential::Session { id, .. }) = keep {
            q = q.filter(sessions::id.ne(id.clone()));
        }
        let ended = q.execute(conn)?;
        let keep_token = match keep {
            Some(Credential::ApiToken { id }) => Some(id.as_str()),
            _ => None,
        };
        let revoked = super::tokens::revoke_all(conn, &row.id, keep_token, t)?;
        audit::record(
            conn,
            actor,
            Change {
                action: "user.password_changed",
                entity_type: "user",
                entity_id: &row.id,
                summary: format!(
                    "password of {username} changed; {ended} other sessions ended, {} API tokens revoked",
                    revoked.len()
                ),
                changes: serde_json::json!({
                    "sessions_ended": ended,
                    "api_tokens_revoked": revoked,
                }),
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
    credential: Option<&Credential>,
) -> AppResult<()> {
    let row = row_by_username(conn, &user.username)?;
    if !verify_password(current, &row.password_hash) {
        return Err(AppError::invalid(
            Code::CurrentPasswordMismatch,
            "the current password is not right",
        ));
    }
    let new = NewPassword::parse(new)?;
    set_password(
        conn,
        &Actor::user(&user.id, &user.username),
        &user.username,
        &new,
        credential,
    )
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
