//! Documents, revisions, approval steps and signatures: rows and validated types.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::model::Role;
use crate::db::schema::{documents, draft_saves, revision_steps, revisions, signatures};
use crate::error::{AppError, AppResult, Code};

crate::kit::choice::choice!(
    /// What kind of controlled document; decides the number prefix and the default route.
    DocumentKind, Code::UnknownDocumentKind, "document kind", |s| {
        format!(
            "unknown document kind `{s}`; kinds are policy, scope, manual, procedure, work_instruction, form, external"
        )
    } {
        Policy => "policy",
        Scope => "scope",
        Manual => "manual",
        Procedure => "procedure",
        WorkInstruction => "work_instruction",
        Form => "form",
        External => "external",
    }
);

impl DocumentKind {
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
                Code::InvalidDocumentNumber,
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

crate::kit::choice::choice!(
    /// Where a document stands as a whole.
    DocStatus, Code::InvalidDocumentStatus, "document status" {
        Draft => "draft",
        Effective => "effective",
        Obsolete => "obsolete",
    }
);

crate::kit::choice::choice!(
    /// Where one revision stands.
    RevisionStatus, Code::InvalidRevisionStatus, "revision status" {
        Draft => "draft",
        InReview => "in_review",
        Approved => "approved",
        Effective => "effective",
        Superseded => "superseded",
        Obsolete => "obsolete",
    }
);

crate::kit::choice::choice!(
    /// What a signature means.
    Meaning, Code::InvalidMeaning, "meaning" {
        Reviewed => "reviewed",
        Approved => "approved",
        Rejected => "rejected",
    }
);

crate::kit::choice::choice!(
    /// What a signer may choose a signature to mean (`rejected` comes from a rejection).
    SignMeaning, Code::InvalidMeaning, "meaning", |s| {
        "a signature means `reviewed` or `approved`"
    } {
        Reviewed => "reviewed",
        Approved => "approved",
    }
);

impl From<SignMeaning> for Meaning {
    fn from(m: SignMeaning) -> Meaning {
        match m {
            SignMeaning::Reviewed => Meaning::Reviewed,
            SignMeaning::Approved => Meaning::Approved,
        }
    }
}

impl Meaning {
    /// Parses a meaning a signer may choose (`reviewed` or `approved`).
    ///
    /// # Errors
    /// `invalid_meaning`.
    pub fn parse_signing(s: &str) -> AppResult<Meaning> {
        SignMeaning::parse(s).map(Meaning::from)
    }
}

crate::kit::choice::choice!(
    /// Why a signature was given.
    SignaturePurpose, Code::InvalidSignaturePurpose, "signature purpose" {
        Approval => "approval",
        Withdrawal => "withdrawal",
        PeriodicReview => "periodic_review",
    }
);

crate::kit::choice::choice!(
    /// How a stored approval step is satisfied (the `rule` column).
    StepRuleKind, Code::InvalidRoute, "step rule" {
        AllUsers => "all_users",
        NOfRole => "n_of_role",
    }
);

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
    pub fn to_columns(&self) -> (StepRuleKind, Option<Role>, i32, String) {
        match self {
            StepRule::AllUsers { users } => (
                StepRuleKind::AllUsers,
                None,
                i32::try_from(users.len()).unwrap_or(i32::MAX),
                serde_json::to_string(users).unwrap_or_else(|_| "[]".into()),
            ),
            StepRule::NOfRole { role, n } => (StepRuleKind::NOfRole, Some(*role), *n, "[]".into()),
        }
    }

    /// # Errors
    /// An internal error for a malformed stored step.
    pub fn from_columns(
        rule: StepRuleKind,
        role: Option<Role>,
        required: i32,
        users: &str,
    ) -> AppResult<StepRule> {
        match (rule, role) {
            (StepRuleKind::AllUsers, _) => Ok(StepRule::AllUsers {
                users: serde_json::from_str(users).map_err(AppError::internal)?,
            }),
            (StepRuleKind::NOfRole, Some(role)) => Ok(StepRule::NOfRole { role, n: required }),
            (StepRuleKind::NOfRole, None) => Err(AppError::internal(anyhow::anyhow!(
                "an n_of_role step without a role"
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
    pub kind: DocumentKind,
    pub process: Option<String>,
    pub owner_id: String,
    pub review_interval_months: i32,
    pub status: DocStatus,
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
    pub status: RevisionStatus,
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
    pub rule: StepRuleKind,
    pub role: Option<Role>,
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
    #[schema(value_type = String)]
    pub purpose: SignaturePurpose,
    /// `reviewed`, `approved` or `rejected`.
    pub meaning: Meaning,
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
