//! Personal API tokens: created, listed, revoked. No HTTP in here.
//!
//! A token is `laatu_` and 64 hex digits, shown once and stored as its
//! SHA-256. A revoked token never works again: deactivation and a password
//! change or reset revoke a user's tokens for good ([`revoke_all`]).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::model::{ApiToken, Role, TokenRow, User};
use super::service::new_secret;
use crate::audit::{self, Actor, Change, Diff};
use crate::db::schema::api_tokens;
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code};
use crate::ids::{TokenId, UserId, now};

/// A token just created: the secret is shown this once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    /// The token's id, to revoke it by.
    pub id: String,
    /// What the token is for.
    pub name: String,
    /// Send as `Authorization: Bearer <token>`. Not retrievable later.
    pub token: String,
}

/// Creates a personal API token.
///
/// # Errors
/// `invalid_token_name`; a database fault.
pub fn create_token(conn: &mut DbConn, user: &User, name: &str) -> AppResult<CreatedToken> {
    let name = crate::kit::text::required_line("a token name", Code::InvalidTokenName, name, 100)?;
    let name = name.as_str();
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
                    Code::TokenNotFound,
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

/// Revokes every live token of a user but `keep` (the caller's own token,
/// when the user changes their password with it), at `t`; returns the ids
/// revoked. Runs inside the caller's transaction, whose audit event lists them.
///
/// # Errors
/// A database fault.
pub fn revoke_all(
    conn: &mut DbConn,
    user_id: &str,
    keep: Option<&str>,
    t: NaiveDateTime,
) -> AppResult<Vec<String>> {
    let mut q = api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::revoked_at.is_null())
        .select(api_tokens::id)
        .into_boxed();
    if let Some(keep) = keep {
        q = q.filter(api_tokens::id.ne(keep.to_string()));
    }
    let ids: Vec<String> = q.load(conn)?;
    for id in &ids {
        diesel::update(api_tokens::table.find(id))
            .set(api_tokens::revoked_at.eq(Some(t)))
            .execute(conn)?;
    }
    Ok(ids)
}
