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
            "unknown document kind `{s}`; kinds are policy, scope, manual, procedure, work_instruction, form, external, value_promise"
        )
    } {
        Policy => "policy",
        Scope => "scope",
        Manual => "manual",
        Procedure => "procedure",
        WorkInstruction => "work_instruction",
        Form => "form",
        External => "external",
        ValuePromise => "value_promise",
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
            DocumentKind::ValuePromise => "VP",
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

    /// The number allocated as `seq` of `kind` (`QP-007`).
    pub fn allocated(kind: DocumentKind, seq: i32) -> DocNumber {
        DocNumber(format!("{}-{seq:03}", kind.prefix()))
    }

    /// The number as text.
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
    AllUsers {
        /// Ids of the signers.
        users: Vec<String>,
    },
    /// `n` different users holding `role` sign.
    NOfRole {
        /// The role the signers hold.
        role: Role,
        /// How many signatures the step needs.
        n: i32,
    },
}

impl StepRule {
    /// The route used when neither the document nor its kind has one: one quality manager approves.
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

/// One row of `documents`: a controlled document and where it stands.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = documents)]
pub struct DocumentRow {
    /// The document's id (UUID v7).
    pub id: String,
    /// Its number (`QP-001`), unique and never reused.
    pub number: String,
    /// The title of its latest revision.
    pub title: String,
    /// Its kind.
    pub kind: DocumentKind,
    /// Code of the owning process, if any.
    pub process: Option<String>,
    /// Id of the owner, who may edit its drafts.
    pub owner_id: String,
    /// Months between periodic reviews.
    pub review_interval_months: i32,
    /// Where it stands as a whole.
    pub status: DocStatus,
    /// The revision in force, if any.
    pub effective_revision: Option<i32>,
    /// The commit of the revision in force.
    pub effective_commit: Option<String>,
    /// When the next periodic review is due.
    pub next_review_at: Option<NaiveDateTime>,
    /// Whether that review is overdue (set by the scheduler).
    pub review_overdue: bool,
    /// Number, title and effective text as the full-text index reads them.
    pub search_text: String,
    /// When the document was created.
    pub created_at: NaiveDateTime,
    /// When it last changed.
    pub updated_at: NaiveDateTime,
}

/// One row of `revisions`: one revision of a document, from draft to superseded.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = revisions)]
pub struct RevisionRow {
    /// The revision's id (UUID v7).
    pub id: String,
    /// The document it belongs to.
    pub document_id: String,
    /// Its number, from 1.
    pub rev: i32,
    /// Where it stands.
    pub status: RevisionStatus,
    /// The title as of this revision.
    pub title: String,
    /// The commit holding its content; `None` until the first save.
    pub commit_id: Option<String>,
    /// Why the document changes (empty for the first revision).
    pub change_reason: String,
    /// Who wrote it.
    pub author_id: String,
    /// From when it is to be in force once approved.
    pub effective_from: Option<NaiveDateTime>,
    /// When the revision was started.
    pub created_at: NaiveDateTime,
    /// When it was submitted for approval.
    pub submitted_at: Option<NaiveDateTime>,
    /// When its last signature approved it.
    pub approved_at: Option<NaiveDateTime>,
    /// When it came into force.
    pub effective_at: Option<NaiveDateTime>,
    /// When a later revision (or the withdrawal) ended it.
    pub superseded_at: Option<NaiveDateTime>,
}

/// One row of `draft_saves`: one save of a draft, as a git commit.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = draft_saves)]
pub struct DraftSaveRow {
    /// The save's id.
    pub id: String,
    /// The revision saved.
    pub revision_id: String,
    /// The commit made.
    pub commit_id: String,
    /// The commit it followed, if any.
    pub parent_commit: Option<String>,
    /// Id of who saved.
    pub saved_by: String,
    /// Username of who saved, kept with the save.
    pub saved_by_name: String,
    /// When it was saved.
    pub saved_at: NaiveDateTime,
}

/// One row of `revision_steps`: a step of the route a submitted revision follows.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = revision_steps)]
pub struct RevisionStepRow {
    /// The revision.
    pub revision_id: String,
    /// The step's position, from 1.
    pub step: i32,
    /// How the step is satisfied.
    pub rule: StepRuleKind,
    /// The role of an `n_of_role` step.
    pub role: Option<Role>,
    /// How many signatures the step needs.
    pub required: i32,
    /// JSON list of the user ids of an `all_users` step.
    pub users: String,
}

/// One row of `signatures`: an electronic signature bound to a commit.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = signatures)]
pub struct SignatureRow {
    /// The signature's id.
    pub id: String,
    /// The revision signed.
    pub revision_id: String,
    /// The route step signed, for an approval signature.
    pub step: Option<i32>,
    /// `approval`, `withdrawal` or `periodic_review`.
    #[schema(value_type = String)]
    pub purpose: SignaturePurpose,
    /// `reviewed`, `approved` or `rejected`.
    pub meaning: Meaning,
    /// Id of the signer.
    pub signer_id: String,
    /// Username of the signer, kept with the signature.
    pub signer_name: String,
    /// What the signer wrote with it.
    pub comment: String,
    /// The exact commit the signature is bound to.
    pub commit_id: String,
    /// When it was signed.
    #[serde(with = "crate::time::rfc3339")]
    pub signed_at: NaiveDateTime,
    /// When an edit of the draft voided it, if one did.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub voided_at: Option<NaiveDateTime>,
    /// Why it was voided.
    pub void_reason: Option<String>,
}
