//! Users, roles, sessions and API tokens: rows and validated domain types.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{api_tokens, sessions, users};
use crate::error::{AppError, AppResult, Code};
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::mail::MailChoice;

crate::kit::choice::choice!(
    /// What a user may do. A user may hold several roles.
    Role, Code::UnknownRole, "role", |s| {
        format!(
            "unknown role `{s}`; roles are admin, quality_manager, process_owner, staff, auditor"
        )
    } {
        Admin => "admin",
        QualityManager => "quality_manager",
        ProcessOwner => "process_owner",
        Staff => "staff",
        Auditor => "auditor",
    }
);

impl Role {
    /// Parses a list, dropping duplicates; at least one role is required.
    ///
    /// # Errors
    /// `unknown_role`, or `roles_required` for an empty list.
    pub fn parse_set<S: AsRef<str>>(items: &[S]) -> AppResult<Vec<Role>> {
        let mut roles = items
            .iter()
            .map(|s| Role::parse(s.as_ref()))
            .collect::<AppResult<Vec<_>>>()?;
        roles.sort();
        roles.dedup();
        if roles.is_empty() {
            return Err(AppError::invalid(
                Code::RolesRequired,
                "give the user at least one role",
            ));
        }
        Ok(roles)
    }
}

/// The roles whose holders may change something (see
/// [`User::require_may_write`]): every role but `auditor`.
pub const WRITING_ROLES: &[Role] = &[
    Role::Admin,
    Role::QualityManager,
    Role::ProcessOwner,
    Role::Staff,
];

/// The roles whose holders may sign document revisions (review, approve,
/// reject, withdraw). Admins manage accounts, not documents; auditors never
/// sign, whatever other roles they hold, so that they stay independent of
/// what they audit.
pub const SIGNING_ROLES: &[Role] = &[Role::QualityManager, Role::ProcessOwner, Role::Staff];

impl Role {
    /// Whether holding this role lets one sign (see [`SIGNING_ROLES`]).
    pub fn signs(self) -> bool {
        SIGNING_ROLES.contains(&self)
    }
}

/// A user row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    /// The user's id (UUID v7).
    pub id: String,
    /// The login name, unique and lower-case.
    pub username: String,
    /// The name shown to others.
    pub display_name: String,
    /// An e-mail address, or empty.
    pub email: String,
    /// The argon2id hash of the password (PHC string).
    pub password_hash: String,
    /// The chosen language (`en`, `fi`), or `None` for the browser's.
    pub language: Option<String>,
    /// What the person wants by e-mail.
    pub mail: MailChoice,
    /// Whether the account may be used; deactivation clears it.
    pub active: bool,
    /// When the account stops working (UTC), for external auditors.
    pub expires_at: Option<NaiveDateTime>,
    /// Optimistic-concurrency version, raised by every change.
    pub version: i32,
    /// When the account was created (UTC).
    pub created_at: NaiveDateTime,
    /// When the account last changed (UTC).
    pub updated_at: NaiveDateTime,
}

impl UserRow {
    /// Whether the account may be used at `now` (active and not expired).
    pub fn usable_at(&self, now: NaiveDateTime) -> bool {
        self.active && self.expires_at.is_none_or(|t| now < t)
    }
}

/// A user as the API shows it (never the password hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    /// The user's id.
    pub id: UserId,
    /// The login name.
    pub username: String,
    /// The name shown to others.
    pub display_name: String,
    /// An e-mail address, or empty.
    pub email: String,
    /// The roles held, in order.
    pub roles: Vec<Role>,
    /// The chosen language, or `None` for the browser's.
    #[schema(value_type = Option<crate::i18n::Lang>)]
    pub language: Option<String>,
    /// What the user wants by e-mail about what waits for them:
    /// `immediate`, a daily `digest` (the default), or `off`.
    pub mail: MailChoice,
    /// Whether the account may be used.
    pub active: bool,
    /// UTC time from which the account no longer works.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub expires_at: Option<NaiveDateTime>,
    /// Optimistic-concurrency version; send it back with changes.
    pub version: i32,
    /// When the account was created (UTC).
    #[serde(with = "crate::time::rfc3339")]
    pub created_at: NaiveDateTime,
}

impl User {
    /// The user of a row, with the roles loaded beside it.
    pub fn from_row(row: UserRow, roles: Vec<Role>) -> Self {
        Self {
            id: UserId(row.id),
            username: row.username,
            display_name: row.display_name,
            email: row.email,
            roles,
            language: row.language,
            mail: row.mail,
            active: row.active,
            expires_at: row.expires_at,
            version: row.version,
            created_at: row.created_at,
        }
    }

    /// Whether the user holds `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the user holds any of `roles`.
    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has_role(*r))
    }

    /// Whether the user may sign documents: a [`SIGNING_ROLES`] role and
    /// not an auditor.
    pub fn may_sign(&self) -> bool {
        !self.has_role(Role::Auditor) && self.has_any(SIGNING_ROLES)
    }

    /// # Errors
    /// `forbidden` unless the user holds one of `roles`.
    pub fn require_any(&self, roles: &[Role]) -> AppResult<()> {
        if self.has_any(roles) {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }

    /// # Errors
    /// `forbidden` for a user who only reads: one whose roles are all
    /// `auditor`. Routes that anyone may write to (the service decides
    /// who, from the record) ask this first, so that an auditor is refused
    /// before anything they sent is looked at.
    pub fn require_may_write(&self) -> AppResult<()> {
        self.require_any(WRITING_ROLES)
    }

    /// The user's chosen language, if it is one the catalogs have.
    pub fn lang(&self) -> Option<Lang> {
        self.language.as_deref().and_then(Lang::parse)
    }
}

/// A username: 2-64 characters of lower-case letters, digits, `.`, `_`, `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    /// # Errors
    /// `invalid_username`.
    pub fn parse(s: &str) -> AppResult<Username> {
        let s = s.trim();
        let ok = (2..=64).contains(&s.chars().count())
            && s.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            })
            && s.starts_with(|c: char| c.is_ascii_alphanumeric());
        if ok {
            Ok(Username(s.to_string()))
        } else {
            Err(AppError::invalid(
                Code::InvalidUsername,
                "a username is 2-64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
            ))
        }
    }

    /// The username as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: at least 10 characters, at most 1024.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    /// # Errors
    /// `weak_password`.
    pub fn parse(s: &str) -> AppResult<NewPassword> {
        let n = s.chars().count();
        if n < 10 {
            return Err(AppError::invalid(
                Code::WeakPassword,
                "a password needs at least 10 characters",
            ));
        }
        if n > 1024 {
            return Err(AppError::invalid(
                Code::WeakPassword,
                "a password may have at most 1024 characters",
            ));
        }
        Ok(NewPassword(s.to_string()))
    }

    /// The password as typed, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// A display name: 1-200 characters once trimmed.
///
/// # Errors
/// `invalid_display_name`.
pub fn parse_display_name(s: &str) -> AppResult<String> {
    crate::kit::text::required_line("a display name", Code::InvalidDisplayName, s, 200)
}

/// An e-mail address: empty, or something with one `@` and no spaces.
///
/// # Errors
/// `invalid_email`.
pub fn parse_email(s: &str) -> AppResult<String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    let mut parts = s.split('@');
    let ok = matches!((parts.next(), parts.next(), parts.next()),
        (Some(local), Some(domain), None) if !local.is_empty() && domain.contains('.'))
        && !s.chars().any(char::is_whitespace)
        && s.len() <= 254;
    if ok {
        Ok(s.to_string())
    } else {
        Err(AppError::invalid(
            Code::InvalidEmail,
            format!("`{s}` is not an e-mail address"),
        ))
    }
}

/// A session row; the cookie holds the token, the row only its hash.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    /// The session's id.
    pub id: String,
    /// SHA-256 of the cookie's token, in hex.
    pub token_hash: String,
    /// Whose session it is.
    pub user_id: String,
    /// When the session began (UTC).
    pub created_at: NaiveDateTime,
    /// When it ends (UTC).
    pub expires_at: NaiveDateTime,
}

/// An API token row; the token itself is shown once and never stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct TokenRow {
    /// The token's id.
    pub id: String,
    /// Whose token it is.
    pub user_id: String,
    /// What the token is for.
    pub name: String,
    /// SHA-256 of the token, in hex.
    pub token_hash: String,
    /// When the token was made (UTC).
    pub created_at: NaiveDateTime,
    /// When it was revoked, if it was.
    pub revoked_at: Option<NaiveDateTime>,
}

/// An API token as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    /// The token's id, to revoke it by.
    pub id: String,
    /// What the token is for.
    pub name: String,
    /// When the token was made.
    #[serde(with = "crate::time::rfc3339")]
    pub created_at: NaiveDateTime,
    /// When it was revoked, if it was.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub revoked_at: Option<NaiveDateTime>,
}

impl From<TokenRow> for ApiToken {
    fn from(r: TokenRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            created_at: r.created_at,
            revoked_at: r.revoked_at,
        }
    }
}
