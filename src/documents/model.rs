//! Documents, revisions, approval steps and signatures: rows and validated types.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::model::Role;
use crate::db::schema::{documents, draft_saves, revision_steps, revisions, signatures};
use crate::error::{AppError, AppResult};

/// What kind of controlled document; decides the number prefix and the default route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Policy,
    Scope,
    Manual,
    Procedure,
    WorkInstruction,
    Form,
    External,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 7] = [
        DocumentKind::Policy,
        DocumentKind::Scope,
        DocumentKind::Manual,
        DocumentKind::Procedure,
        DocumentKind::WorkInstruction,
        DocumentKind::Form,
        DocumentKind::External,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Policy => "policy",
            DocumentKind::Scope => "scope",
            DocumentKind::Manual => "manual",
            DocumentKind::Procedure => "procedure",
            DocumentKind::WorkInstruction => "work_instruction",
            DocumentKind::Form => "form",
            DocumentKind::External => "external",
        }
    }

    /// The prefix of allocated numbers (`QP-001`).
    pub fn prefix(self) -> &'static str {
        match self {
            DocumentKind::Policy => "POL",
            DocumentKind::Scope => "SCOPE",
            DocumentKind::Manual => "QM",
            DocumentKind::Procedure => "QP",
            DocumentKind::WorkInstruction => "WI",
            DocumentKind::Form => "FORM",
            DocumentKind::External => "EXT",
        }
    }

    /// # Errors
    /// `unknown_document_kind`.
    pub fn parse(s: &str) -> AppResult<DocumentKind> {
        DocumentKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                AppError::invalid(
                    "unknown_document_kind",
                    format!(
                        "unknown document kind `{s}`; kinds are policy, scope, manual, procedure, work_instruction, form, external"
                    ),
                )
            })
    }
}

/// A document number: upper-case letters, a hyphen, digits (`QP-001`).
/// Safe as a git ref component and a tree path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct DocNumber(String);

impl DocNumber {
    /// # Errors
    /// `invalid_document_number`.
    pub fn parse(s: &str) -> AppResult<DocNumber> {
        let s = s.trim();
        let ok = s.split_once('-').is_some_and(|(p, n)| {
            (1..=10).contains(&p.len())
                && p.bytes().all(|b| b.is_ascii_uppercase())
                && (1..=6).contains(&n.len())
                && n.bytes().all(|b| b.is_ascii_digit())
        });
        if ok {
            Ok(DocNumber(s.to_string()))
        } else {
            Err(AppError::invalid(
                "invalid_document_number",
                format!("`{s}` is not a document number such as QP-001"),
            ))
        }
    }

    pub fn allocated(kind: DocumentKind, seq: i32) -> DocNumber {
        DocNumber(format!("{}-{seq:03}", kind.prefix()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DocNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident, $code:literal, $what:literal { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// Parses a value a caller sent.
            ///
            /// # Errors
            #[doc = concat!("`", $code, "`.")]
            pub fn parse(s: &str) -> AppResult<$name> {
                match s.trim() {
                    $($text => Ok($name::$variant),)*
                    other => Err(AppError::invalid(
                        $code,
                        format!(concat!("`{}` is not a valid ", $what, "; use one of: ", $($text, " "),*), other),
                    )),
                }
            }

            /// Reads a stored value; unknown values are a fault of ours.
            ///
            /// # Errors
            /// An internal error naming the value.
            pub fn from_db(s: &str) -> AppResult<$name> {
                match s {
                    $($text => Ok($name::$variant),)*
                    other => Err(AppError::internal(anyhow::anyhow!(
                        concat!("unknown ", stringify!($name), " `{}` in the database"), other
                    ))),
                }
            }
        }
    };
}

string_enum!(
    /// Where a document stands as a whole.
    DocStatus, "invalid_document_status", "document status" {
        Draft => "draft",
        Effective => "effective",
        Obsolete => "obsolete",
    }
);

string_enum!(
    /// Where one revision stands.
    RevisionStatus, "invalid_revision_status", "revision status" {
        Draft => "draft",
        InReview => "in_review",
        Approved => "approved",
        Effective => "effective",
        Superseded => "superseded",
        Obsolete => "obsolete",
    }
);

string_enum!(
    /// What a signature means.
    Meaning, "invalid_meaning", "meaning" {
        Reviewed => "reviewed",
        Approved => "approved",
        Rejected => "rejected",
    }
);

crate::kit::choice::choice!(
    /// What a signer may choose a signature to mean (`rejected` comes from a rejection).
    SignMeaning, "invalid_meaning", "meaning" {
        Reviewed => "reviewed",
        Approved => "approved",
    }
);

impl Meaning {
    /// Parses a meaning a signer may choose (`reviewed` or `approved`).
    ///
    /// # Errors
    /// `invalid_meaning`.
    pub fn parse_signing(s: &str) -> AppResult<Meaning> {
        match s.trim() {
            "reviewed" => Ok(Meaning::Reviewed),
            "approved" => Ok(Meaning::Approved),
            _ => Err(AppError::invalid(
                "invalid_meaning",
                "a signature means `reviewed` or `approved`",
            )),
        }
    }
}

/// How one approval step is satisfied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum StepRule {
    /// Every one of these users signs.
    AllUsers { users: Vec<String> },
    /// `n` different users holding `role` sign.
    NOfRole { role: Role, n: i32 },
}

impl StepRule {
    pub fn default_route() -> Vec<StepRule> {
        vec![StepRule::NOfRole {
            role: Role::QualityManager,
            n: 1,
        }]
    }

    /// Stored form: (rule, role, required, users JSON).
    pub fn to_columns(&self) -> (&'static str, Option<String>, i32, String) {
        match self {
            StepRule::AllUsers { users } => (
                "all_users",
                None,
                i32::try_from(users.len()).unwrap_or(i32::MAX),
                serde_json::to_string(users).unwrap_or_else(|_| "[]".into()),
            ),
            StepRule::NOfRole { role, n } => (
                "n_of_role",
                Some(role.as_str().to_string()),
                *n,
                "[]".into(),
            ),
        }
    }

    /// # Errors
    /// An internal error for a malformed stored step.
    pub fn from_columns(
        rule: &str,
        role: Option<&str>,
        required: i32,
        users: &str,
    ) -> AppResult<StepRule> {
        match rule {
            "all_users" => Ok(StepRule::AllUsers {
                users: serde_json::from_str(users).map_err(AppError::internal)?,
            }),
            "n_of_role" => Ok(StepRule::NOfRole {
                role: Role::parse(role.unwrap_or_default())
                    .map_err(|e| AppError::internal(anyhow::anyhow!("{}", e.message)))?,
                n: required,
            }),
            other => Err(AppError::internal(anyhow::anyhow!(
                "unknown step rule `{other}`"
            ))),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = documents)]
pub struct DocumentRow {
    pub id: String,
    pub number: String,
    pub title: String,
    pub kind: String,
    pub process: Option<String>,
    pub owner_id: String,
    pub review_interval_months: i32,
    pub status: String,
    pub effective_revision: Option<i32>,
    pub effective_commit: Option<String>,
    pub next_review_at: Option<NaiveDateTime>,
    pub review_overdue: bool,
    pub search_text: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = revisions)]
pub struct RevisionRow {
    pub id: String,
    pub document_id: String,
    pub rev: i32,
    pub status: String,
    pub title: String,
    pub commit_id: Option<String>,
    pub change_reason: String,
    pub author_id: String,
    pub effective_from: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub approved_at: Option<NaiveDateTime>,
    pub effective_at: Option<NaiveDateTime>,
    pub superseded_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = draft_saves)]
pub struct DraftSaveRow {
    pub id: String,
    pub revision_id: String,
    pub commit_id: String,
    pub parent_commit: Option<String>,
    pub saved_by: String,
    pub saved_by_name: String,
    pub saved_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = revision_steps)]
pub struct RevisionStepRow {
    pub revision_id: String,
    pub step: i32,
    pub rule: String,
    pub role: Option<String>,
    pub required: i32,
    pub users: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = signatures)]
pub struct SignatureRow {
    pub id: String,
    pub revision_id: String,
    pub step: Option<i32>,
    /// `approval`, `withdrawal` or `periodic_review`.
    pub purpose: String,
    /// `reviewed`, `approved` or `rejected`.
    #[schema(value_type = Meaning)]
    pub meaning: String,
    pub signer_id: String,
    pub signer_name: String,
    pub comment: String,
    /// The exact commit the signature is bound to.
    pub commit_id: String,
    #[serde(with = "crate::time::rfc3339")]
    pub signed_at: NaiveDateTime,
    #[serde(with = "crate::time::rfc3339_opt")]
    pub voided_at: Option<NaiveDateTime>,
    pub void_reason: Option<String>,
}
