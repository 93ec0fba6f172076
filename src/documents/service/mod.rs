//! The rules of document control. No HTTP in here.
//!
//! Order of writes: git objects, then the database transaction, then refs.
//! The database is the truth about state; refs that lag behind after a crash
//! are re-derived by `laatu check --repair`.

use chrono::{Months, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::model::{
    DocNumber, DocStatus, DocumentKind, DocumentRow, DraftSaveRow, Meaning, RevisionRow,
    RevisionStatus, RevisionStepRow, SignaturePurpose, SignatureRow, StepRule, StepRuleKind,
};
use crate::audit::{self, Actor, Change, Diff};
use crate::auth::model::{Role, User};
use crate::auth::service as users;
use crate::db::schema::{
    approval_steps, documents, draft_saves, revision_steps, revisions, settings, signatures,
    user_roles,
};
use crate::db::{self, DbConn, write_tx};
use crate::error::{AppError, AppResult, Code, ErrorKind};
use crate::ids::{UserId, new_id, now};
use crate::kit::list::{self, Page, Paging};
use crate::kit::sequence;
use crate::store::{DocStore, GitPerson};

mod calendar;
mod drafts;
mod review;
mod review_flow;
mod routes;
mod signers;

pub use calendar::*;
pub use drafts::*;
pub use review::*;
pub use review_flow::{REVIEW_FLOW, RevisionFacts};
pub use routes::*;
pub use signers::*;

/// Where the database keeps the commit `refs/heads/main` must point at.
pub const MAIN_COMMIT_SETTING: &str = "git_main_commit";

/// Roles that see drafts of every document (besides the author and owner).
pub(crate) const DRAFT_READERS: &[Role] = &[Role::QualityManager, Role::Auditor];

pub(crate) fn doc_not_found(number: &str) -> AppError {
    AppError::not_found(Code::DocumentNotFound, format!("no document {number}"))
}

pub(crate) fn actor(u: &User) -> Actor {
    Actor::user(&u.id, &u.username)
}

pub(crate) fn person(u: &User, t: NaiveDateTime) -> GitPerson {
    GitPerson {
        name: u.display_name.clone(),
        email: if u.email.is_empty() {
            format!("{}@laatu.invalid", u.username)
        } else {
            u.email.clone()
        },
        time: t,
    }
}

// ------------------------------------------------------------------ reading

/// A document as lists and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentSummary {
    /// The document's number.
    pub number: String,
    /// Its title.
    pub title: String,
    /// Its kind.
    pub kind: DocumentKind,
    /// Code of the owning process, if any.
    pub process: Option<String>,
    /// The owner's username.
    pub owner: String,
    /// Where it stands as a whole.
    pub status: DocStatus,
    /// The revision in force, if any.
    pub effective_revision: Option<i32>,
    /// When the next periodic review is due.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub next_review_at: Option<NaiveDateTime>,
    /// Whether that review is overdue.
    pub review_overdue: bool,
    /// When the document last changed.
    #[serde(with = "crate::time::rfc3339")]
    pub updated_at: NaiveDateTime,
}

/// A revision as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RevisionView {
    /// The revision's number, from 1.
    pub rev: i32,
    /// Where it stands.
    pub status: RevisionStatus,
    /// The title as of this revision.
    pub title: String,
    /// The commit holding its content, once saved.
    pub commit: Option<String>,
    /// Why the document changes.
    pub change_reason: String,
    /// The author's username.
    pub author: String,
    /// From when it is to be in force once approved.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub effective_from: Option<NaiveDateTime>,
    /// When the revision was started.
    #[serde(with = "crate::time::rfc3339")]
    pub created_at: NaiveDateTime,
    /// When it was submitted for approval.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub submitted_at: Option<NaiveDateTime>,
    /// When its last signature approved it.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub approved_at: Option<NaiveDateTime>,
    /// When it came into force.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub effective_at: Option<NaiveDateTime>,
    /// When a later revision (or the withdrawal) ended it.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub superseded_at: Option<NaiveDateTime>,
    /// Git tag of an approved revision.
    pub tag: Option<String>,
    /// False when its approver said no retraining is needed (a typo fix):
    /// acknowledgements of the revision before carry over to it.
    pub retraining: bool,
}

/// One step of a revision's route and how far it is.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StepView {
    /// The step's position on the route, from 1.
    pub step: i32,
    /// Who signs the step.
    #[serde(flatten)]
    pub rule: StepRule,
    /// Live signatures counted towards it.
    pub signed: i32,
    /// Signatures it needs.
    pub required: i32,
    /// Whether it has all it needs.
    pub complete: bool,
}

/// The draft (or revision in review) of a document, for those who may see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DraftView {
    /// The revision.
    #[serde(flatten)]
    pub revision: RevisionView,
    /// Its route, step by step.
    pub steps: Vec<StepView>,
    /// Every signature given to it, voided ones included.
    pub signatures: Vec<SignatureRow>,
    /// The user who saved last.
    pub last_saved_by: Option<String>,
    /// The review steps the reader may take now: `submit`, `sign`,
    /// `reject`. The server refuses every other.
    pub allowed_steps: Vec<String>,
}

/// A document with its effective revision and draft.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentDetail {
    /// The document.
    #[serde(flatten)]
    pub summary: DocumentSummary,
    /// Months between periodic reviews.
    pub review_interval_months: i32,
    /// The revision in force, if any.
    pub effective: Option<RevisionView>,
    /// The draft or revision in review, when the caller may see it.
    pub draft: Option<DraftView>,
    /// Whether the caller may edit the draft.
    pub can_edit: bool,
    /// Roles whose holders read it and acknowledge it, besides the members
    /// of its process.
    pub reader_roles: Vec<Role>,
    /// For a form template: the fields of the revision in force, which
    /// records are filled on.
    pub form: Option<crate::records::form::FormDef>,
    /// For a form template: the fields of the draft, for those who see it.
    pub draft_form: Option<crate::records::form::FormDef>,
    /// For a value promise: the basic task, promise and target experiences
    /// of the revision in force.
    pub promise: Option<crate::experience::promise::Promise>,
    /// For a value promise: those of the draft, for those who see it.
    pub draft_promise: Option<crate::experience::promise::Promise>,
}

pub(crate) struct Loaded {
    pub(crate) doc: DocumentRow,
    pub(crate) owner: User,
}

pub(crate) fn load_doc(conn: &mut DbConn, number: &str) -> AppResult<Loaded> {
    let doc: DocumentRow = documents::table
        .filter(documents::number.eq(number))
        .select(DocumentRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| doc_not_found(number))?;
    let owner = users::user_by_id(conn, &UserId(doc.owner_id.clone()))?;
    Ok(Loaded { doc, owner })
}

pub(crate) fn revisions_of(conn: &mut DbConn, document_id: &str) -> AppResult<Vec<RevisionRow>> {
    Ok(revisions::table
        .filter(revisions::document_id.eq(document_id))
        .order(revisions::rev.asc())
        .select(RevisionRow::as_select())
        .load(conn)?)
}

pub(crate) fn username_of(conn: &mut DbConn, id: &str) -> AppResult<String> {
    use crate::db::schema::users;
    Ok(users::table.find(id).select(users::username).first(conn)?)
}

pub(crate) fn revision_view(
    conn: &mut DbConn,
    number: &str,
    r: &RevisionRow,
) -> AppResult<RevisionView> {
    let approved = matches!(
        r.status,
        RevisionStatus::Approved | RevisionStatus::Effective | RevisionStatus::Superseded
    ) || (r.status == RevisionStatus::Obsolete && r.approved_at.is_some());
    Ok(RevisionView {
        rev: r.rev,
        status: r.status,
        title: r.title.clone(),
        commit: r.commit_id.clone(),
        change_reason: r.change_reason.clone(),
        author: username_of(conn, &r.author_id)?,
        effective_from: r.effective_from,
        created_at: r.created_at,
        submitted_at: r.submitted_at,
        approved_at: r.approved_at,
        effective_at: r.effective_at,
        superseded_at: r.superseded_at,
        tag: approved.then(|| tag_name(number, r.rev)),
        retraining: revisions::table
            .find(&r.id)
            .select(revisions::retraining)
            .first(conn)?,
    })
}

/// The name of the tag that marks an approved revision (`QP-001/r2`).
pub fn tag_name(number: &str, rev: i32) -> String {
    format!("{number}/r{rev}")
}

pub(crate) fn summary(doc: &DocumentRow, owner: &str) -> DocumentSummary {
    DocumentSummary {
        number: doc.number.clone(),
        title: doc.title.clone(),
        kind: doc.kind,
        process: doc.process.clone(),
        owner: owner.to_string(),
        status: doc.status,
        effective_revision: doc.effective_revision,
        next_review_at: doc.next_review_at,
        review_overdue: doc.review_overdue,
        updated_at: doc.updated_at,
    }
}

pub(crate) fn open_revision(revs: &[RevisionRow]) -> Option<&RevisionRow> {
    revs.last()
        .filter(|r| matches!(r.status, RevisionStatus::Draft | RevisionStatus::InReview))
}

/// Whether `by` may see drafts of this document.
pub(crate) fn may_see_drafts(by: &User, doc: &DocumentRow, draft: Option<&RevisionRow>) -> bool {
    by.has_any(DRAFT_READERS)
        || doc.owner_id == by.id.0
        || draft.is_some_and(|d| d.author_id == by.id.0)
}

/// Whether `by` signs somewhere on the route of a revision in review
/// (a reviewer must read what they sign).
pub(crate) fn is_route_signer(conn: &mut DbConn, by: &User, r: &RevisionRow) -> AppResult<bool> {
    if r.status != RevisionStatus::InReview {
        return Ok(false);
    }
    Ok(steps_of(conn, &r.id)?
        .iter()
        .any(|(_, rule)| rule_admits(rule, by)))
}

/// Whether a step's rule lets `by` sign it: named by it, and allowed to sign
/// at all (a route set before someone became an auditor does not let them).
pub(crate) fn rule_admits(rule: &StepRule, by: &User) -> bool {
    by.may_sign()
        && match rule {
            StepRule::AllUsers { users } => users.contains(&by.id.0),
            StepRule::NOfRole { role, .. } => by.has_role(*role),
        }
}

/// The refusal of a signature by someone whose roles do not sign.
pub(crate) fn signer_not_allowed() -> AppError {
    AppError::new(
        ErrorKind::Forbidden,
        Code::SignerNotAllowed,
        "your roles do not sign documents (auditors and admins never sign); nothing was recorded",
    )
}

/// A revision in review that waits for one person's signature.
#[derive(Debug, Clone)]
pub struct AwaitingSignature {
    /// The document's number.
    pub number: String,
    /// The revision's title.
    pub title: String,
    /// The revision's number.
    pub rev: i32,
    /// The step waiting for the signature.
    pub step: i32,
    /// When the revision was submitted.
    pub submitted_at: Option<NaiveDateTime>,
}

/// Revisions whose current step `by` may sign and has not signed, and that
/// `by` did not write: the signatures waiting for them.
///
/// # Errors
/// A database fault.
pub fn awaiting_signature(conn: &mut DbConn, by: &User) -> AppResult<Vec<AwaitingSignature>> {
    let in_review: Vec<(RevisionRow, String)> = revisions::table
        .inner_join(documents::table)
        .filter(revisions::status.eq(RevisionStatus::InReview))
        .filter(revisions::author_id.ne(by.id.as_str()))
        .order(documents::number.asc())
        .select((RevisionRow::as_select(), documents::number))
        .load(conn)?;
    let mut out = Vec::new();
    for (r, number) in in_review {
        let steps = steps_of(conn, &r.id)?;
        let live = live_signatures(conn, &r.id)?;
        let Some(current) = step_progress(&steps, &live)
            .into_iter()
            .find(|s| !s.complete)
        else {
            continue;
        };
        let signed = live
            .iter()
            .any(|s| s.step == Some(current.step) && s.signer_id == by.id.0);
        if rule_admits(&current.rule, by) && !signed {
            out.push(AwaitingSignature {
                number,
                title: r.title,
                rev: r.rev,
                step: current.step,
                submitted_at: r.submitted_at,
            });
        }
    }
    Ok(out)
}

/// Whether `by` may edit the draft of this document.
pub(crate) fn may_edit(by: &User, doc: &DocumentRow, draft: Option<&RevisionRow>) -> bool {
    by.has_role(Role::QualityManager)
        || doc.owner_id == by.id.0
        || draft.is_some_and(|d| d.author_id == by.id.0)
}

pub(crate) fn steps_of(conn: &mut DbConn, revision_id: &str) -> AppResult<Vec<(i32, StepRule)>> {
    let rows: Vec<RevisionStepRow> = revision_steps::table
        .filter(revision_steps::revision_id.eq(revision_id))
        .order(revision_steps::step.asc())
        .select(RevisionStepRow::as_select())
        .load(conn)?;
    rows.iter()
        .map(|r| {
            Ok((
                r.step,
                StepRule::from_columns(r.rule, r.role, r.required, &r.users)?,
            ))
        })
        .collect()
}

pub(crate) fn live_signatures(
    conn: &mut DbConn,
    revision_id: &str,
) -> AppResult<Vec<SignatureRow>> {
    Ok(signatures::table
        .filter(signatures::revision_id.eq(revision_id))
        .filter(signatures::voided_at.is_null())
        .filter(signatures::purpose.eq(SignaturePurpose::Approval))
        .order(signatures::signed_at.asc())
        .select(SignatureRow::as_select())
        .load(conn)?)
}

pub(crate) fn all_signatures(conn: &mut DbConn, revision_id: &str) -> AppResult<Vec<SignatureRow>> {
    Ok(signatures::table
        .filter(signatures::revision_id.eq(revision_id))
        .order(signatures::signed_at.asc())
        .select(SignatureRow::as_select())
        .load(conn)?)
}

pub(crate) fn step_progress(steps: &[(i32, StepRule)], live: &[SignatureRow]) -> Vec<StepView> {
    steps
        .iter()
        .map(|(step, rule)| {
            let here: Vec<&SignatureRow> = live.iter().filter(|s| s.step == Some(*step)).collect();
            let (signed, required) = match rule {
                StepRule::AllUsers { users } => (
                    i32::try_from(
                        users
                            .iter()
                            .filter(|u| here.iter().any(|s| &s.signer_id == *u))
                            .count(),
                    )
                    .unwrap_or(i32::MAX),
                    i32::try_from(users.len()).unwrap_or(i32::MAX),
                ),
                StepRule::NOfRole { n, .. } => (i32::try_from(here.len()).unwrap_or(i32::MAX), *n),
            };
            StepView {
                step: *step,
                rule: rule.clone(),
                signed,
                required,
                complete: signed >= required,
            }
        })
        .collect()
}

/// Loads a document for a reader.
///
/// # Errors
/// `document_not_found`; a database fault.
pub fn get_document(conn: &mut DbConn, by: &User, number: &str) -> AppResult<DocumentDetail> {
    get_document_in(conn, None, by, number)
}

/// Loads a document for a reader, with a form template's fields read from
/// `store` when one is given.
///
/// # Errors
/// `document_not_found`; a database or git fault.
pub fn get_document_in(
    conn: &mut DbConn,
    store: Option<&DocStore>,
    by: &User,
    number: &str,
) -> AppResult<DocumentDetail> {
    let Loaded { doc, owner } = load_doc(conn, number)?;
    let revs = revisions_of(conn, &doc.id)?;
    let open = open_revision(&revs);
    let effective = match revs.iter().find(|r| r.status == RevisionStatus::Effective) {
        Some(r) => Some(revision_view(conn, number, r)?),
        None => None,
    };
    let draft = match open {
        Some(r) if may_see_drafts(by, &doc, Some(r)) || is_route_signer(conn, by, r)? => {
            let steps = steps_of(conn, &r.id)?;
            let live = live_signatures(conn, &r.id)?;
            let last_saved_by: Option<String> = draft_saves::table
                .filter(draft_saves::revision_id.eq(&r.id))
                .order(draft_saves::saved_at.desc())
                .select(draft_saves::saved_by_name)
                .first(conn)
                .optional()?;
            Some(DraftView {
                revision: revision_view(conn, number, r)?,
                steps: step_progress(&steps, &live),
                signatures: all_signatures(conn, &r.id)?,
                last_saved_by,
                allowed_steps: review_flow::allowed_steps(conn, &doc, r, by)?,
            })
        }
        _ => None,
    };
    let can_edit = doc.status != DocStatus::Obsolete && may_edit(by, &doc, open);
    let form_of = |commit: Option<&String>| -> AppResult<Option<crate::records::form::FormDef>> {
        match (store, commit) {
            (Some(store), Some(c)) if doc.kind == DocumentKind::Form => {
                Ok(crate::records::service::form_at(store, number, c)?.map(|f| (*f).clone()))
            }
            _ => Ok(None),
        }
    };
    let form = form_of(effective.as_ref().and_then(|e| e.commit.as_ref()))?;
    let draft_form = form_of(draft.as_ref().and_then(|d| d.revision.commit.as_ref()))?;
    let promise_of =
        |commit: Option<&String>| -> AppResult<Option<crate::experience::promise::Promise>> {
            match (store, commit) {
                (Some(store), Some(c)) if doc.kind == DocumentKind::ValuePromise => {
                    Ok(crate::experience::service::promise_at(store, number, c)?
                        .map(|p| (*p).clone()))
                }
                _ => Ok(None),
            }
        };
    let promise = promise_of(effective.as_ref().and_then(|e| e.commit.as_ref()))?;
    let draft_promise = promise_of(draft.as_ref().and_then(|d| d.revision.commit.as_ref()))?;
    Ok(DocumentDetail {
        summary: summary(&doc, &owner.username),
        review_interval_months: doc.review_interval_months,
        effective,
        draft,
        can_edit,
        reader_roles: crate::competence::acknowledge::reader_roles_of(conn, &doc.id)?,
        form,
        draft_form,
        promise,
        draft_promise,
    })
}

/// Filters for the document list.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentFilter {
    /// Words to find in number, title and effective content.
    pub q: Option<String>,
    /// `draft`, `effective` or `obsolete`.
    #[param(value_type = Option<crate::documents::model::DocStatus>)]
    pub status: Option<String>,
    /// Only documents of this kind.
    #[param(value_type = Option<crate::documents::model::DocumentKind>)]
    pub kind: Option<String>,
    /// Only documents of this process (code).
    pub process: Option<String>,
    /// Owner's username.
    pub owner: Option<String>,
    /// `true`: only documents whose periodic review is overdue.
    pub review_overdue: Option<bool>,
    /// `true`: only documents with a revision waiting for approval.
    pub in_review: Option<bool>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Items a page (at most 200).
    pub per_page: Option<i64>,
}

/// Lists documents by number, with filters and full-text search. Obsolete
/// documents are listed only when asked for by status.
///
/// # Errors
/// A database fault.
pub fn list_documents(conn: &mut DbConn, f: &DocumentFilter) -> AppResult<Page<DocumentSummary>> {
    use crate::db::schema::users;
    let owner_id: Option<String> = match f.owner.as_deref().filter(|s| !s.is_empty()) {
        Some(name) => Some(
            users::table
                .filter(users::username.eq(name))
                .select(users::id)
                .first(conn)
                .optional()?
                .unwrap_or_default(),
        ),
        None => None,
    };
    let terms = search_terms(f.q.as_deref().unwrap_or_default());
    let sqlite = matches!(conn, DbConn::Sqlite(_));
    let filtered = || {
        let mut q = documents::table.into_boxed();
        match f.status.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => q = q.filter(documents::status.eq(s.to_string())),
            None => q = q.filter(documents::status.ne(DocStatus::Obsolete)),
        }
        if let Some(k) = f.kind.as_deref().filter(|s| !s.is_empty()) {
            q = q.filter(documents::kind.eq(k.to_string()));
        }
        if let Some(p) = f.process.as_deref().filter(|s| !s.is_empty()) {
            q = q.filter(documents::process.eq(p.to_string()));
        }
        if let Some(o) = &owner_id {
            q = q.filter(documents::owner_id.eq(o.clone()));
        }
        if let Some(overdue) = f.review_overdue {
            q = q.filter(documents::review_overdue.eq(overdue));
        }
        if f.in_review == Some(true) {
            q = q.filter(
                documents::id.eq_any(
                    crate::db::schema::revisions::table
                        .filter(crate::db::schema::revisions::status.eq(RevisionStatus::InReview))
                        .select(crate::db::schema::revisions::document_id),
                ),
            );
        }
        if let Some(cond) = search_condition(sqlite, &terms) {
            q = q.filter(cond);
        }
        q
    };
    let rows = list::page(
        conn,
        Paging::new(f.page, f.per_page),
        filtered,
        |q, conn| {
            q.inner_join(users::table)
                .order(documents::number.asc())
                .select((DocumentRow::as_select(), users::username))
                .load::<(DocumentRow, String)>(conn)
        },
    )?;
    Ok(rows.map(|(d, o)| summary(&d, &o)))
}

/// The words of a search, each matched as a word prefix: letters and digits
/// only, so `QP-012` looks for `qp` and `012` as the index splits them.
pub(crate) fn search_terms(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(12)
        .collect()
}

/// The full-text condition for each backend's index: FTS5 on SQLite, a GIN
/// index over `to_tsvector('simple', search_text)` on PostgreSQL.
fn search_condition(
    sqlite: bool,
    terms: &[String],
) -> Option<
    Box<
        dyn BoxableExpression<documents::table, db::MultiBackend, SqlType = diesel::sql_types::Bool>,
    >,
> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Text};
    if terms.is_empty() {
        return None;
    }
    Some(match sqlite {
        true => {
            let m = terms
                .iter()
                .map(|t| format!("\"{t}\"*"))
                .collect::<Vec<_>>()
                .join(" AND ");
            Box::new(
                sql::<Bool>(
                    "documents.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ",
                )
                .bind::<Text, _>(m)
                .sql(")"),
            )
        }
        false => {
            let m = terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(" & ");
            Box::new(
                sql::<Bool>(
                    "to_tsvector('simple', documents.search_text) @@ to_tsquery('simple', ",
                )
                .bind::<Text, _>(m)
                .sql(")"),
            )
        }
    })
}

/// What the full-text index sees: words of letters and digits, lower case,
/// split the way [`search_terms`] splits a query, so both databases' parsers
/// agree (PostgreSQL would otherwise read `QP-001` as `qp` and `-001`).
pub(crate) fn search_text(number: &str, title: &str, markdown: &str) -> String {
    let all = format!("{number} {title} {}", super::render::plain_text(markdown));
    all.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Revisions of a document, oldest first (drafts only for those who may see them).
///
/// # Errors
/// `document_not_found`; a database fault.
pub fn list_revisions(conn: &mut DbConn, by: &User, number: &str) -> AppResult<Vec<RevisionView>> {
    let Loaded { doc, .. } = load_doc(conn, number)?;
    let revs = revisions_of(conn, &doc.id)?;
    let open = open_revision(&revs).map(|r| r.id.clone());
    let see = may_see_drafts(by, &doc, open_revision(&revs))
        || match open_revision(&revs) {
            Some(r) => is_route_signer(conn, by, r)?,
            None => false,
        };
    revs.iter()
        .filter(|r| see || Some(&r.id) != open.as_ref())
        .map(|r| revision_view(conn, number, r))
        .collect()
}

/// One revision's content.
#[derive(Debug, Clone)]
pub struct RevisionContent {
    /// The revision.
    pub view: RevisionView,
    /// Its Markdown.
    pub markdown: String,
    /// Attachment names and sizes in bytes.
    pub attachments: Vec<(String, u64)>,
}

/// The Markdown of revision `rev`, if the caller may read it.
///
/// # Errors
/// `document_not_found`, `revision_not_found`, `revision_has_no_content`.
pub fn revision_content(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    rev: i32,
) -> AppResult<RevisionContent> {
    let Loaded { doc, .. } = load_doc(conn, number)?;
    let revs = revisions_of(conn, &doc.id)?;
    let not_found = || {
        AppError::not_found(
            Code::RevisionNotFound,
            format!("{number} has no revision {rev}"),
        )
    };
    let r = revs.iter().find(|r| r.rev == rev).ok_or_else(not_found)?;
    let is_open = open_revision(&revs).is_some_and(|o| o.id == r.id);
    if is_open && !may_see_drafts(by, &doc, Some(r)) && !is_route_signer(conn, by, r)? {
        return Err(not_found());
    }
    let commit = r.commit_id.clone().ok_or_else(|| {
        AppError::not_found(
            Code::RevisionHasNoContent,
            format!("revision {rev} of {number} has not been saved yet"),
        )
    })?;
    let (markdown, attachments) = store
        .read_content(number, &commit)
        .map_err(AppError::internal)?;
    Ok(RevisionContent {
        view: revision_view(conn, number, r)?,
        markdown,
        attachments,
    })
}

/// The text a redline compares for revision `rev`: its Markdown and, for a
/// form template, an outline of its fields (one line a field), so that a
/// change of the form reads like a change of the text.
///
/// # Errors
/// As [`revision_content`].
pub fn redline_text(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    rev: i32,
) -> AppResult<String> {
    let content = revision_content(conn, store, by, number, rev)?;
    let form = match &content.view.commit {
        Some(c) => crate::records::service::form_at(store, number, c)?,
        None => None,
    };
    Ok(match form {
        Some(f) => format!(
            "{}

---

{}",
            content.markdown,
            f.outline()
        ),
        None => content.markdown,
    })
}

/// One attachment of revision `rev`, if the caller may read the revision.
///
/// # Errors
/// As [`revision_content`]; `attachment_not_found`.
pub fn attachment(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    rev: i32,
    name: &str,
) -> AppResult<Vec<u8>> {
    let content = revision_content(conn, store, by, number, rev)?;
    let commit = content.view.commit.unwrap_or_default();
    let not_found = || {
        AppError::not_found(
            Code::AttachmentNotFound,
            format!("{number} r{rev} has no attachment {name}"),
        )
    };
    if !content.attachments.iter().any(|(n, _)| n == name) {
        return Err(not_found());
    }
    store
        .read_attachment(number, &commit, name)
        .map_err(AppError::internal)?
        .ok_or_else(not_found)
}
