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
    RevisionStatus, RevisionStepRow, SignatureRow, StepRule,
};
use crate::audit::{self, Actor, Change, Diff};
use crate::auth::model::{Role, User};
use crate::auth::service as users;
use crate::db::schema::{
    approval_steps, documents, draft_saves, number_sequences, revision_steps, revisions, settings,
    signatures, user_roles,
};
use crate::db::{self, DbConn, write_tx};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::ids::{UserId, new_id, now};
use crate::listing::{Page, paging};
use crate::store::{DocStore, GitPerson};

/// Where the database keeps the commit `refs/heads/main` must point at.
pub const MAIN_COMMIT_SETTING: &str = "git_main_commit";

/// Roles that see drafts of every document (besides the author and owner).
const DRAFT_READERS: &[Role] = &[Role::QualityManager, Role::Auditor];

fn doc_not_found(number: &str) -> AppError {
    AppError::not_found("document_not_found", format!("no document {number}"))
}

fn actor(u: &User) -> Actor {
    Actor::user(&u.id, &u.username)
}

fn person(u: &User, t: NaiveDateTime) -> GitPerson {
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

/// A stable 64-bit key for a per-document advisory lock.
fn doc_lock_key(document_id: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(document_id.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h[..8]);
    i64::from_be_bytes(b)
}

// ------------------------------------------------------------------ reading

/// A document as lists and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentSummary {
    pub number: String,
    pub title: String,
    pub kind: String,
    pub process: Option<String>,
    pub owner: String,
    pub status: String,
    pub effective_revision: Option<i32>,
    pub next_review_at: Option<NaiveDateTime>,
    pub review_overdue: bool,
    pub updated_at: NaiveDateTime,
}

/// A revision as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RevisionView {
    pub rev: i32,
    pub status: String,
    pub title: String,
    pub commit: Option<String>,
    pub change_reason: String,
    pub author: String,
    pub effective_from: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub approved_at: Option<NaiveDateTime>,
    pub effective_at: Option<NaiveDateTime>,
    pub superseded_at: Option<NaiveDateTime>,
    /// Git tag of an approved revision.
    pub tag: Option<String>,
}

/// One step of a revision's route and how far it is.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StepView {
    pub step: i32,
    #[serde(flatten)]
    pub rule: StepRule,
    pub signed: i32,
    pub required: i32,
    pub complete: bool,
}

/// The draft (or revision in review) of a document, for those who may see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DraftView {
    #[serde(flatten)]
    pub revision: RevisionView,
    pub steps: Vec<StepView>,
    pub signatures: Vec<SignatureRow>,
    /// The user who saved last.
    pub last_saved_by: Option<String>,
}

/// A document with its effective revision and draft.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentDetail {
    #[serde(flatten)]
    pub summary: DocumentSummary,
    pub review_interval_months: i32,
    pub effective: Option<RevisionView>,
    pub draft: Option<DraftView>,
    /// Whether the caller may edit the draft.
    pub can_edit: bool,
}

struct Loaded {
    doc: DocumentRow,
    owner: User,
}

fn load_doc(conn: &mut DbConn, number: &str) -> AppResult<Loaded> {
    let doc: DocumentRow = documents::table
        .filter(documents::number.eq(number))
        .select(DocumentRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| doc_not_found(number))?;
    let owner = users::user_by_id(conn, &UserId(doc.owner_id.clone()))?;
    Ok(Loaded { doc, owner })
}

fn revisions_of(conn: &mut DbConn, document_id: &str) -> AppResult<Vec<RevisionRow>> {
    Ok(revisions::table
        .filter(revisions::document_id.eq(document_id))
        .order(revisions::rev.asc())
        .select(RevisionRow::as_select())
        .load(conn)?)
}

fn username_of(conn: &mut DbConn, id: &str) -> AppResult<String> {
    use crate::db::schema::users;
    Ok(users::table.find(id).select(users::username).first(conn)?)
}

fn revision_view(conn: &mut DbConn, number: &str, r: &RevisionRow) -> AppResult<RevisionView> {
    let approved = matches!(
        RevisionStatus::from_db(&r.status)?,
        RevisionStatus::Approved | RevisionStatus::Effective | RevisionStatus::Superseded
    ) || (r.status == RevisionStatus::Obsolete.as_str() && r.approved_at.is_some());
    Ok(RevisionView {
        rev: r.rev,
        status: r.status.clone(),
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
    })
}

pub fn tag_name(number: &str, rev: i32) -> String {
    format!("{number}/r{rev}")
}

fn summary(doc: &DocumentRow, owner: &str) -> DocumentSummary {
    DocumentSummary {
        number: doc.number.clone(),
        title: doc.title.clone(),
        kind: doc.kind.clone(),
        process: doc.process.clone(),
        owner: owner.to_string(),
        status: doc.status.clone(),
        effective_revision: doc.effective_revision,
        next_review_at: doc.next_review_at,
        review_overdue: doc.review_overdue,
        updated_at: doc.updated_at,
    }
}

fn open_revision(revs: &[RevisionRow]) -> Option<&RevisionRow> {
    revs.last().filter(|r| {
        r.status == RevisionStatus::Draft.as_str() || r.status == RevisionStatus::InReview.as_str()
    })
}

/// Whether `by` may see drafts of this document.
fn may_see_drafts(by: &User, doc: &DocumentRow, draft: Option<&RevisionRow>) -> bool {
    by.has_any(DRAFT_READERS)
        || doc.owner_id == by.id.0
        || draft.is_some_and(|d| d.author_id == by.id.0)
}

/// Whether `by` signs somewhere on the route of a revision in review
/// (a reviewer must read what they sign).
fn is_route_signer(conn: &mut DbConn, by: &User, r: &RevisionRow) -> AppResult<bool> {
    if r.status != RevisionStatus::InReview.as_str() {
        return Ok(false);
    }
    Ok(steps_of(conn, &r.id)?.iter().any(|(_, rule)| match rule {
        StepRule::AllUsers { users } => users.contains(&by.id.0),
        StepRule::NOfRole { role, .. } => by.has_role(*role),
    }))
}

/// Whether `by` may edit the draft of this document.
fn may_edit(by: &User, doc: &DocumentRow, draft: Option<&RevisionRow>) -> bool {
    by.has_role(Role::QualityManager)
        || doc.owner_id == by.id.0
        || draft.is_some_and(|d| d.author_id == by.id.0)
}

fn steps_of(conn: &mut DbConn, revision_id: &str) -> AppResult<Vec<(i32, StepRule)>> {
    let rows: Vec<RevisionStepRow> = revision_steps::table
        .filter(revision_steps::revision_id.eq(revision_id))
        .order(revision_steps::step.asc())
        .select(RevisionStepRow::as_select())
        .load(conn)?;
    rows.iter()
        .map(|r| {
            Ok((
                r.step,
                StepRule::from_columns(&r.rule, r.role.as_deref(), r.required, &r.users)?,
            ))
        })
        .collect()
}

fn live_signatures(conn: &mut DbConn, revision_id: &str) -> AppResult<Vec<SignatureRow>> {
    Ok(signatures::table
        .filter(signatures::revision_id.eq(revision_id))
        .filter(signatures::voided_at.is_null())
        .filter(signatures::purpose.eq("approval"))
        .order(signatures::signed_at.asc())
        .select(SignatureRow::as_select())
        .load(conn)?)
}

fn all_signatures(conn: &mut DbConn, revision_id: &str) -> AppResult<Vec<SignatureRow>> {
    Ok(signatures::table
        .filter(signatures::revision_id.eq(revision_id))
        .order(signatures::signed_at.asc())
        .select(SignatureRow::as_select())
        .load(conn)?)
}

fn step_progress(steps: &[(i32, StepRule)], live: &[SignatureRow]) -> Vec<StepView> {
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
    let Loaded { doc, owner } = load_doc(conn, number)?;
    let revs = revisions_of(conn, &doc.id)?;
    let open = open_revision(&revs);
    let effective = match revs
        .iter()
        .find(|r| r.status == RevisionStatus::Effective.as_str())
    {
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
            })
        }
        _ => None,
    };
    let can_edit = doc.status != DocStatus::Obsolete.as_str() && may_edit(by, &doc, open);
    Ok(DocumentDetail {
        summary: summary(&doc, &owner.username),
        review_interval_months: doc.review_interval_months,
        effective,
        draft,
        can_edit,
    })
}

/// Filters for the document list.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentFilter {
    /// Words to find in number, title and effective content.
    pub q: Option<String>,
    /// `draft`, `effective` or `obsolete`.
    pub status: Option<String>,
    pub kind: Option<String>,
    pub process: Option<String>,
    /// Owner's username.
    pub owner: Option<String>,
    /// `true`: only documents whose periodic review is overdue.
    pub review_overdue: Option<bool>,
    pub page: Option<i64>,
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
    let words: Vec<String> =
        f.q.as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .map(|w| format!("%{}%", escape_like(&w.to_lowercase())))
            .collect();
    let filtered = || {
        let mut q = documents::table.into_boxed();
        match f.status.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => q = q.filter(documents::status.eq(s.to_string())),
            None => q = q.filter(documents::status.ne(DocStatus::Obsolete.as_str())),
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
        for w in &words {
            q = q.filter(documents::search_text.like(w.clone()).escape('\\'));
        }
        q
    };
    let (page, per_page) = paging(f.page, f.per_page);
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<(DocumentRow, String)> = filtered()
        .inner_join(users::table)
        .order(documents::number.asc())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select((DocumentRow::as_select(), users::username))
        .load(conn)?;
    Ok(Page {
        items: rows.iter().map(|(d, o)| summary(d, o)).collect(),
        total,
        page,
        per_page,
    })
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn search_text(number: &str, title: &str, markdown: &str) -> String {
    format!(
        "{} {} {}",
        number.to_lowercase(),
        title.to_lowercase(),
        super::render::plain_text(markdown).to_lowercase()
    )
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
    pub view: RevisionView,
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
            "revision_not_found",
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
            "revision_has_no_content",
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

// ------------------------------------------------------------------ creating

/// A validated new document.
#[derive(Debug)]
pub struct NewDocument {
    pub title: String,
    pub kind: DocumentKind,
    pub number: Option<DocNumber>,
    pub process: Option<String>,
    pub owner: Option<String>,
    pub review_interval_months: i32,
}

impl NewDocument {
    /// # Errors
    /// The first invalid field.
    pub fn parse(
        title: &str,
        kind: &str,
        number: Option<&str>,
        process: Option<&str>,
        owner: Option<&str>,
        review_interval_months: Option<i32>,
    ) -> AppResult<NewDocument> {
        Ok(NewDocument {
            title: parse_title(title)?,
            kind: DocumentKind::parse(kind)?,
            number: number
                .filter(|n| !n.trim().is_empty())
                .map(DocNumber::parse)
                .transpose()?,
            process: process
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
            owner: owner
                .map(|o| o.trim().to_string())
                .filter(|o| !o.is_empty()),
            review_interval_months: parse_interval(review_interval_months.unwrap_or(12))?,
        })
    }
}

fn parse_title(s: &str) -> AppResult<String> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 300 {
        return Err(AppError::invalid(
            "invalid_title",
            "a title is 1-300 characters",
        ));
    }
    Ok(s.to_string())
}

fn parse_interval(m: i32) -> AppResult<i32> {
    if (1..=120).contains(&m) {
        Ok(m)
    } else {
        Err(AppError::invalid(
            "invalid_review_interval",
            "the review interval is 1-120 months",
        ))
    }
}

/// Creates a document with an empty first draft. Quality managers and process owners may.
///
/// # Errors
/// `forbidden`, `document_number_taken`, `user_not_found`, `owner_cannot_own`.
pub fn create_document(conn: &mut DbConn, by: &User, new: NewDocument) -> AppResult<String> {
    by.require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let owner = match &new.owner {
        Some(name) => users::user_by_username(conn, name)?,
        None => by.clone(),
    };
    if !owner.has_any(&[Role::QualityManager, Role::ProcessOwner]) {
        return Err(AppError::invalid(
            "owner_cannot_own",
            format!(
                "{} cannot own documents: an owner is a process owner or quality manager",
                owner.username
            ),
        ));
    }
    write_tx(conn, |conn| {
        let number = match &new.number {
            Some(n) => {
                let taken: i64 = documents::table
                    .filter(documents::number.eq(n.as_str()))
                    .count()
                    .get_result(conn)?;
                if taken > 0 {
                    return Err(AppError::conflict(
                        "document_number_taken",
                        format!("the number {n} is taken (numbers are never reused)"),
                    ));
                }
                n.clone()
            }
            None => allocate_number(conn, new.kind)?,
        };
        let t = now();
        let doc = DocumentRow {
            id: new_id(),
            number: number.as_str().to_string(),
            title: new.title.clone(),
            kind: new.kind.as_str().to_string(),
            process: new.process.clone(),
            owner_id: owner.id.0.clone(),
            review_interval_months: new.review_interval_months,
            status: DocStatus::Draft.as_str().to_string(),
            effective_revision: None,
            effective_commit: None,
            next_review_at: None,
            review_overdue: false,
            search_text: search_text(number.as_str(), &new.title, ""),
            created_at: t,
            updated_at: t,
        };
        diesel::insert_into(documents::table)
            .values(&doc)
            .execute(conn)?;
        let rev = RevisionRow {
            id: new_id(),
            document_id: doc.id.clone(),
            rev: 1,
            status: RevisionStatus::Draft.as_str().to_string(),
            title: doc.title.clone(),
            commit_id: None,
            change_reason: String::new(),
            author_id: by.id.0.clone(),
            effective_from: None,
            created_at: t,
            submitted_at: None,
            approved_at: None,
            effective_at: None,
            superseded_at: None,
        };
        diesel::insert_into(revisions::table)
            .values(&rev)
            .execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "document.created",
                entity_type: "document",
                entity_id: &doc.number,
                summary: format!("created {} {}", doc.number, doc.title),
                changes: Diff::new()
                    .created("title", &doc.title)
                    .created("kind", &doc.kind)
                    .created("process", &doc.process)
                    .created("owner", &owner.username)
                    .created("review_interval_months", &doc.review_interval_months)
                    .into_value(),
            },
        )?;
        Ok(doc.number)
    })
}

fn allocate_number(conn: &mut DbConn, kind: DocumentKind) -> AppResult<DocNumber> {
    let prefix = kind.prefix();
    let current: Option<i32> = number_sequences::table
        .find(prefix)
        .select(number_sequences::next_value)
        .first(conn)
        .optional()?;
    let mut next = current.unwrap_or(1);
    // Skip numbers given by hand.
    loop {
        let candidate = DocNumber::allocated(kind, next);
        let taken: i64 = documents::table
            .filter(documents::number.eq(candidate.as_str()))
            .count()
            .get_result(conn)?;
        next += 1;
        if taken == 0 {
            if current.is_some() {
                diesel::update(number_sequences::table.find(prefix))
                    .set(number_sequences::next_value.eq(next))
                    .execute(conn)?;
            } else {
                diesel::insert_into(number_sequences::table)
                    .values((
                        number_sequences::prefix.eq(prefix),
                        number_sequences::next_value.eq(next),
                    ))
                    .execute(conn)?;
            }
            return Ok(candidate);
        }
    }
}

// ------------------------------------------------------------------ drafts

/// A saved draft.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SavedDraft {
    /// The commit of this save; send it as `base` with the next save.
    pub commit: String,
    pub rev: i32,
}

/// Saves the draft content as a new commit on `refs/drafts/<NUMBER>`.
/// `base` is the commit the editor started from; a save on a stale base is
/// refused and names who saved in between. The first save of a revision
/// after the first needs a reason for change.
///
/// # Errors
/// `forbidden`, `document_obsolete`, `draft_conflict`, `change_reason_required`, faults.
pub fn save_draft(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    markdown: &str,
    base: Option<&str>,
    change_reason: Option<&str>,
) -> AppResult<SavedDraft> {
    if markdown.len() > 5 * 1024 * 1024 {
        return Err(AppError::invalid(
            "content_too_large",
            "a document's text may be at most 5 MiB; attach large files instead",
        ));
    }
    let Loaded { doc, .. } = load_doc(conn, number)?;
    if doc.status == DocStatus::Obsolete.as_str() {
        return Err(AppError::conflict(
            "document_obsolete",
            format!("{number} is obsolete and cannot change"),
        ));
    }
    let revs = revisions_of(conn, &doc.id)?;
    let open = open_revision(&revs).cloned();
    if !may_edit(by, &doc, open.as_ref()) {
        return Err(AppError::forbidden());
    }
    let reason = change_reason
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    // The commit this save builds on: the draft tip, or the last approved revision.
    let (tip, rev_no) = match &open {
        Some(r) => (r.commit_id.clone(), r.rev),
        None => (
            revs.last().and_then(|r| r.commit_id.clone()),
            revs.last().map_or(1, |r| r.rev + 1),
        ),
    };
    let needs_reason =
        rev_no > 1 && open.as_ref().is_none_or(|r| r.change_reason.is_empty()) && reason.is_none();
    if needs_reason {
        return Err(AppError::invalid(
            "change_reason_required",
            "a revision after the first needs a reason for change (ISO 9001 7.5.3)",
        ));
    }
    if let (Some(base), Some(open)) = (base, &open)
        && open.commit_id.as_deref() != Some(base)
    {
        return Err(draft_conflict(conn, &open.id, number)?);
    }
    let t = now();
    let message = match &reason {
        Some(r) => format!("{number} r{rev_no} draft: {r}"),
        None => format!("{number} r{rev_no} draft"),
    };
    // Attachments of the commit built on are kept.
    let commit = store
        .write_markdown_commit(number, tip.as_deref(), markdown, &person(by, t), &message)
        .map_err(AppError::internal)?;
    let saved = write_tx(conn, |conn| {
        db::lock_key(conn, doc_lock_key(&doc.id))?;
        let current = revisions_of(conn, &doc.id)?;
        let open_now = open_revision(&current).cloned();
        let revision_id = match (&open, &open_now) {
            (Some(before), Some(now_open)) if before.id == now_open.id => {
                if now_open.commit_id != before.commit_id {
                    return Err(draft_conflict(conn, &now_open.id, number)?);
                }
                let mut set_reason = now_open.change_reason.clone();
                if let Some(r) = &reason {
                    set_reason = r.clone();
                }
                diesel::update(revisions::table.find(&now_open.id))
                    .set((
                        revisions::commit_id.eq(Some(&commit)),
                        revisions::change_reason.eq(&set_reason),
                        revisions::title.eq(&doc.title),
                    ))
                    .execute(conn)?;
                let voided =
                    void_signatures(conn, &now_open.id, "the draft changed after signing")?;
                if voided > 0 {
                    audit::record(
                        conn,
                        &actor(by),
                        Change {
                            action: "document.signatures_voided",
                            entity_type: "document",
                            entity_id: number,
                            summary: format!(
                                "{voided} signatures on {number} r{} voided by an edit",
                                now_open.rev
                            ),
                            changes: serde_json::json!({ "voided": voided }),
                        },
                    )?;
                }
                now_open.id.clone()
            }
            (None, None) => {
                let row = RevisionRow {
                    id: new_id(),
                    document_id: doc.id.clone(),
                    rev: rev_no,
                    status: RevisionStatus::Draft.as_str().to_string(),
                    title: doc.title.clone(),
                    commit_id: Some(commit.clone()),
                    change_reason: reason.clone().unwrap_or_default(),
                    author_id: by.id.0.clone(),
                    effective_from: None,
                    created_at: t,
                    submitted_at: None,
                    approved_at: None,
                    effective_at: None,
                    superseded_at: None,
                };
                diesel::insert_into(revisions::table)
                    .values(&row)
                    .execute(conn)?;
                row.id
            }
            (_, Some(now_open)) => return Err(draft_conflict(conn, &now_open.id, number)?),
            (Some(_), None) => {
                return Err(AppError::conflict(
                    "draft_conflict",
                    format!("the draft of {number} was approved or withdrawn meanwhile; reload"),
                ));
            }
        };
        diesel::insert_into(draft_saves::table)
            .values(&DraftSaveRow {
                id: new_id(),
                revision_id: revision_id.clone(),
                commit_id: commit.clone(),
                parent_commit: tip.clone(),
                saved_by: by.id.0.clone(),
                saved_by_name: by.username.clone(),
                saved_at: t,
            })
            .execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "document.draft_saved",
                entity_type: "document",
                entity_id: number,
                summary: format!("saved draft of {number} r{rev_no}"),
                changes: serde_json::json!({
                    "commit": { "before": tip, "after": commit },
                    "change_reason": reason,
                }),
            },
        )?;
        Ok(SavedDraft {
            commit: commit.clone(),
            rev: rev_no,
        })
    })?;
    if let Err(e) = store.set_draft_ref(number, &saved.commit) {
        // The database has the save; `laatu check --repair` moves the ref.
        tracing::error!(error = %e, number, "draft ref not updated");
    }
    Ok(saved)
}

fn draft_conflict(conn: &mut DbConn, revision_id: &str, number: &str) -> AppResult<AppError> {
    let last: Option<(String, NaiveDateTime, String)> = draft_saves::table
        .filter(draft_saves::revision_id.eq(revision_id))
        .order(draft_saves::saved_at.desc())
        .select((
            draft_saves::saved_by_name,
            draft_saves::saved_at,
            draft_saves::commit_id,
        ))
        .first(conn)
        .optional()?;
    Ok(match last {
        Some((who, when, commit)) => AppError::conflict(
            "draft_conflict",
            format!(
                "{who} saved {number} at {} UTC (commit {}) after you started editing; your save was not applied. Reload, merge your changes and save again",
                when.format("%Y-%m-%d %H:%M:%S"),
                &commit[..commit.len().min(10)]
            ),
        ),
        None => AppError::conflict(
            "draft_conflict",
            format!("the draft of {number} changed after you started editing; reload"),
        ),
    })
}

fn void_signatures(conn: &mut DbConn, revision_id: &str, reason: &str) -> AppResult<usize> {
    Ok(diesel::update(
        signatures::table
            .filter(signatures::revision_id.eq(revision_id))
            .filter(signatures::voided_at.is_null())
            .filter(signatures::purpose.eq("approval")),
    )
    .set((
        signatures::voided_at.eq(Some(now())),
        signatures::void_reason.eq(Some(reason)),
    ))
    .execute(conn)?)
}

// ------------------------------------------------------------------ routes

/// The route for a document: its own, else its kind's, else the default.
fn route_for(conn: &mut DbConn, doc: &DocumentRow) -> AppResult<Vec<StepRule>> {
    for (scope_kind, scope) in [("document", doc.id.as_str()), ("kind", doc.kind.as_str())] {
        let rows: Vec<(String, Option<String>, i32, String)> = approval_steps::table
            .filter(approval_steps::scope_kind.eq(scope_kind))
            .filter(approval_steps::scope.eq(scope))
            .order(approval_steps::step.asc())
            .select((
                approval_steps::rule,
                approval_steps::role,
                approval_steps::required,
                approval_steps::users,
            ))
            .load(conn)?;
        if !rows.is_empty() {
            return rows
                .iter()
                .map(|(rule, role, req, users)| {
                    StepRule::from_columns(rule, role.as_deref(), *req, users)
                })
                .collect();
        }
    }
    Ok(StepRule::default_route())
}

/// Sets the approval route of one document (`Some(number)`) or of a kind.
/// Revisions already submitted keep the route they were submitted with.
///
/// # Errors
/// `forbidden`, `invalid_route`, `user_not_found`.
pub fn set_route(
    conn: &mut DbConn,
    by: &User,
    target: RouteTarget,
    steps: Vec<StepRuleInput>,
) -> AppResult<Vec<StepRule>> {
    by.require_any(&[Role::QualityManager])?;
    if steps.is_empty() || steps.len() > 10 {
        return Err(AppError::invalid("invalid_route", "a route has 1-10 steps"));
    }
    let mut rules = Vec::new();
    for s in steps {
        rules.push(s.resolve(conn)?);
    }
    let (scope_kind, scope, label) = match &target {
        RouteTarget::Document(number) => {
            let Loaded { doc, .. } = load_doc(conn, number)?;
            ("document", doc.id, number.clone())
        }
        RouteTarget::Kind(kind) => ("kind", kind.as_str().to_string(), kind.as_str().to_string()),
    };
    write_tx(conn, |conn| {
        let before = approval_steps::table
            .filter(approval_steps::scope_kind.eq(scope_kind))
            .filter(approval_steps::scope.eq(&scope))
            .count()
            .get_result::<i64>(conn)?;
        diesel::delete(
            approval_steps::table
                .filter(approval_steps::scope_kind.eq(scope_kind))
                .filter(approval_steps::scope.eq(&scope)),
        )
        .execute(conn)?;
        for (i, rule) in rules.iter().enumerate() {
            let (r, role, required, users) = rule.to_columns();
            diesel::insert_into(approval_steps::table)
                .values((
                    approval_steps::id.eq(new_id()),
                    approval_steps::scope_kind.eq(scope_kind),
                    approval_steps::scope.eq(&scope),
                    approval_steps::step.eq(i32::try_from(i + 1).unwrap_or(i32::MAX)),
                    approval_steps::rule.eq(r),
                    approval_steps::role.eq(role),
                    approval_steps::required.eq(required),
                    approval_steps::users.eq(users),
                ))
                .execute(conn)?;
        }
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "approval_route.set",
                entity_type: if scope_kind == "kind" {
                    "document_kind"
                } else {
                    "document"
                },
                entity_id: &label,
                summary: format!(
                    "approval route of {label} set ({} steps, {before} before)",
                    rules.len()
                ),
                changes: serde_json::json!({ "steps": { "after": rules } }),
            },
        )?;
        Ok(rules.clone())
    })
}

/// Whose route to set.
#[derive(Debug, Clone)]
pub enum RouteTarget {
    Document(String),
    Kind(DocumentKind),
}

/// A route step as a caller gives it: usernames rather than ids.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum StepRuleInput {
    AllUsers { users: Vec<String> },
    NOfRole { role: String, n: i32 },
}

impl StepRuleInput {
    fn resolve(self, conn: &mut DbConn) -> AppResult<StepRule> {
        match self {
            StepRuleInput::AllUsers { users: names } => {
                if names.is_empty() {
                    return Err(AppError::invalid(
                        "invalid_route",
                        "an all-users step names at least one user",
                    ));
                }
                let mut ids = Vec::new();
                for n in names {
                    let u = users::user_by_username(conn, &n)?;
                    if !ids.contains(&u.id.0) {
                        ids.push(u.id.0);
                    }
                }
                Ok(StepRule::AllUsers { users: ids })
            }
            StepRuleInput::NOfRole { role, n } => {
                let role = Role::parse(&role)?;
                if n < 1 {
                    return Err(AppError::invalid(
                        "invalid_route",
                        "an n-of-role step needs at least one signature",
                    ));
                }
                let holders: i64 = user_roles::table
                    .filter(user_roles::role.eq(role.as_str()))
                    .count()
                    .get_result(conn)?;
                if i64::from(n) > holders {
                    return Err(AppError::invalid(
                        "invalid_route",
                        format!("only {holders} users hold {role}; {n} cannot sign"),
                    ));
                }
                Ok(StepRule::NOfRole { role, n })
            }
        }
    }
}

// ------------------------------------------------------------------ review

fn open_for_review(conn: &mut DbConn, number: &str) -> AppResult<(DocumentRow, RevisionRow)> {
    let Loaded { doc, .. } = load_doc(conn, number)?;
    let revs = revisions_of(conn, &doc.id)?;
    let open = open_revision(&revs).cloned().ok_or_else(|| {
        AppError::conflict(
            "no_draft",
            format!("{number} has no draft or revision in review"),
        )
    })?;
    Ok((doc, open))
}

/// Submits the draft for approval: the route in force is copied onto the revision.
/// `effective_from` is the date the revision takes effect once approved (default: on approval).
///
/// # Errors
/// `forbidden`, `no_draft`, `already_in_review`, `draft_empty`, `invalid_effective_date`.
pub fn submit(
    conn: &mut DbConn,
    by: &User,
    number: &str,
    effective_from: Option<NaiveDateTime>,
) -> AppResult<RevisionView> {
    let (doc, open) = open_for_review(conn, number)?;
    if !may_edit(by, &doc, Some(&open)) {
        return Err(AppError::forbidden());
    }
    if open.status == RevisionStatus::InReview.as_str() {
        return Err(AppError::conflict(
            "already_in_review",
            format!("{number} r{} is already in review", open.rev),
        ));
    }
    if open.commit_id.is_none() {
        return Err(AppError::conflict(
            "draft_empty",
            format!("save the draft of {number} before submitting it"),
        ));
    }
    let today = now().date().and_time(chrono::NaiveTime::MIN);
    if let Some(d) = effective_from
        && d < today
    {
        return Err(AppError::invalid(
            "invalid_effective_date",
            "the effective date is today or later",
        ));
    }
    let route = route_for(conn, &doc)?;
    write_tx(conn, |conn| {
        db::lock_key(conn, doc_lock_key(&doc.id))?;
        let n = diesel::update(
            revisions::table
                .find(&open.id)
                .filter(revisions::status.eq(RevisionStatus::Draft.as_str()))
                .filter(revisions::commit_id.eq(&open.commit_id)),
        )
        .set((
            revisions::status.eq(RevisionStatus::InReview.as_str()),
            revisions::submitted_at.eq(Some(now())),
            revisions::effective_from.eq(effective_from),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(draft_conflict(conn, &open.id, number)?);
        }
        diesel::delete(revision_steps::table.filter(revision_steps::revision_id.eq(&open.id)))
            .execute(conn)?;
        for (i, rule) in route.iter().enumerate() {
            let (r, role, required, users) = rule.to_columns();
            diesel::insert_into(revision_steps::table)
                .values(&RevisionStepRow {
                    revision_id: open.id.clone(),
                    step: i32::try_from(i + 1).unwrap_or(i32::MAX),
                    rule: r.to_string(),
                    role,
                    required,
                    users,
                })
                .execute(conn)?;
        }
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "document.submitted",
                entity_type: "document",
                entity_id: number,
                summary: format!("submitted {number} r{} for approval", open.rev),
                changes: serde_json::json!({
                    "status": { "before": "draft", "after": "in_review" },
                    "commit": open.commit_id,
                    "effective_from": effective_from,
                    "route": route,
                }),
            },
        )?;
        let r = revisions::table
            .find(&open.id)
            .select(RevisionRow::as_select())
            .first(conn)?;
        revision_view(conn, number, &r)
    })
}

/// What a signature did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignOutcome {
    pub signature_id: String,
    /// `in_review`, `approved` or `effective`.
    pub status: String,
    /// The git tag when this signature approved the revision.
    pub tag: Option<String>,
}

fn password_mismatch() -> AppError {
    AppError::new(
        ErrorKind::Forbidden,
        "signature_password_mismatch",
        "the password does not match; the signature was not recorded",
    )
}

/// Signs the revision in review, after checking the signer's password again.
/// The signature binds to the exact commit under review; `commit`, when given,
/// must be that commit (what the signer read).
///
/// # Errors
/// `signature_password_mismatch` (audited), `not_a_signer`, `author_cannot_sign`,
/// `already_signed`, `final_step_needs_approval`, `draft_changed`, faults.
#[expect(clippy::too_many_arguments, reason = "a signature has this many parts")]
pub fn sign(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    password: &str,
    meaning: Meaning,
    comment: &str,
    commit: Option<&str>,
) -> AppResult<SignOutcome> {
    let (doc, open) = open_for_review(conn, number)?;
    if open.status != RevisionStatus::InReview.as_str() {
        return Err(AppError::conflict(
            "not_in_review",
            format!("{number} r{} is a draft; submit it first", open.rev),
        ));
    }
    let stored_hash: String = {
        use crate::db::schema::users;
        users::table
            .find(by.id.as_str())
            .select(users::password_hash)
            .first(conn)?
    };
    if !users::verify_password(password, &stored_hash) {
        write_tx(conn, |conn| {
            audit::record(
                conn,
                &actor(by),
                Change {
                    action: "signature.password_mismatch",
                    entity_type: "document",
                    entity_id: number,
                    summary: format!(
                        "{} gave a wrong password signing {number} r{}",
                        by.username, open.rev
                    ),
                    changes: serde_json::json!({ "meaning": meaning.as_str() }),
                },
            )
        })?;
        return Err(password_mismatch());
    }
    let comment = comment.trim().to_string();
    let t = now();
    let outcome = write_tx(conn, |conn| {
        db::lock_key(conn, doc_lock_key(&doc.id))?;
        db::lock(conn, db::LockKey::MainTree)?;
        let r: RevisionRow = revisions::table
            .find(&open.id)
            .select(RevisionRow::as_select())
            .first(conn)?;
        if r.status != RevisionStatus::InReview.as_str() {
            return Err(AppError::conflict(
                "not_in_review",
                format!("{number} r{} is no longer in review", r.rev),
            ));
        }
        let signed_commit = r.commit_id.clone().unwrap_or_default();
        if let Some(c) = commit
            && c != signed_commit
        {
            return Err(AppError::conflict(
                "draft_changed",
                format!("{number} changed since you read it; read it again before signing"),
            ));
        }
        if r.author_id == by.id.0 {
            return Err(AppError::new(
                ErrorKind::Forbidden,
                "author_cannot_sign",
                "the author of a revision cannot sign it",
            ));
        }
        let steps = steps_of(conn, &r.id)?;
        let live = live_signatures(conn, &r.id)?;
        let progress = step_progress(&steps, &live);
        let Some(current) = progress.iter().find(|s| !s.complete) else {
            return Err(AppError::internal(anyhow::anyhow!(
                "{number} in review with every step complete"
            )));
        };
        let eligible = match &current.rule {
            StepRule::AllUsers { users } => users.contains(&by.id.0),
            StepRule::NOfRole { role, .. } => by.has_role(*role),
        };
        if !eligible {
            return Err(AppError::new(
                ErrorKind::Forbidden,
                "not_a_signer",
                format!("you are not a signer of step {} of {number}", current.step),
            ));
        }
        if live
            .iter()
            .any(|s| s.step == Some(current.step) && s.signer_id == by.id.0)
        {
            return Err(AppError::conflict(
                "already_signed",
                format!("you have signed step {} of {number} already", current.step),
            ));
        }
        let is_last_step = current.step == progress.last().map_or(0, |s| s.step);
        let completes_step = current.signed + 1 >= current.required;
        if is_last_step && meaning != Meaning::Approved {
            return Err(AppError::invalid(
                "final_step_needs_approval",
                "the last step of the route is signed as `approved`",
            ));
        }
        let sig = SignatureRow {
            id: new_id(),
            revision_id: r.id.clone(),
            step: Some(current.step),
            purpose: "approval".into(),
            meaning: meaning.as_str().into(),
            signer_id: by.id.0.clone(),
            signer_name: by.username.clone(),
            comment: comment.clone(),
            commit_id: signed_commit.clone(),
            signed_at: t,
            voided_at: None,
            void_reason: None,
        };
        diesel::insert_into(signatures::table)
            .values(&sig)
            .execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "document.signed",
                entity_type: "document",
                entity_id: number,
                summary: format!(
                    "{} signed {number} r{} as {} (step {})",
                    by.username,
                    r.rev,
                    meaning.as_str(),
                    current.step
                ),
                changes: serde_json::json!({
                    "signature": sig.id, "meaning": sig.meaning, "commit": sig.commit_id,
                    "step": current.step, "comment": sig.comment,
                }),
            },
        )?;
        if !(is_last_step && completes_step) {
            return Ok((
                SignOutcome {
                    signature_id: sig.id,
                    status: RevisionStatus::InReview.as_str().into(),
                    tag: None,
                },
                None,
            ));
        }
        let refs = approve(conn, store, by, &doc, &r, t)?;
        Ok((
            SignOutcome {
                signature_id: sig.id,
                status: refs.status.clone(),
                tag: Some(tag_name(number, r.rev)),
            },
            Some(refs),
        ))
    })?;
    let (outcome, refs) = outcome;
    if let Some(refs) = refs {
        refs.apply(store, number);
    }
    Ok(outcome)
}

/// Ref changes to make once the database has committed.
#[derive(Debug)]
struct PendingRefs {
    status: String,
    tag: Option<(i32, String)>,
    main: Option<String>,
    drop_draft_ref: bool,
}

impl PendingRefs {
    fn apply(&self, store: &DocStore, number: &str) {
        if let Some((rev, tag_oid)) = &self.tag
            && let Err(e) = store.set_tag_ref(number, *rev, tag_oid)
        {
            tracing::error!(error = %e, number, "tag ref not written; run laatu check --repair");
        }
        if let Some(main) = &self.main
            && let Err(e) = store.set_main_ref(main)
        {
            tracing::error!(error = %e, "main ref not moved; run laatu check --repair");
        }
        if self.drop_draft_ref
            && let Err(e) = store.delete_draft_ref(number)
        {
            tracing::error!(error = %e, number, "draft ref not removed");
        }
    }
}

/// Marks the revision approved and tags it; makes it effective at once when
/// its effective date has come. Runs inside the signing transaction.
fn approve(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    doc: &DocumentRow,
    r: &RevisionRow,
    t: NaiveDateTime,
) -> AppResult<PendingRefs> {
    let commit = r.commit_id.clone().unwrap_or_default();
    let tag_oid = store
        .write_tag_object(
            &doc.number,
            r.rev,
            &commit,
            &person(by, t),
            &format!(
                "{} revision {} approved by {}\n\n{}",
                doc.number, r.rev, by.display_name, r.change_reason
            ),
        )
        .map_err(AppError::internal)?;
    diesel::update(revisions::table.find(&r.id))
        .set((
            revisions::status.eq(RevisionStatus::Approved.as_str()),
            revisions::approved_at.eq(Some(t)),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        &actor(by),
        Change {
            action: "document.approved",
            entity_type: "document",
            entity_id: &doc.number,
            summary: format!("{} r{} approved", doc.number, r.rev),
            changes: serde_json::json!({
                "status": { "before": "in_review", "after": "approved" },
                "tag": tag_name(&doc.number, r.rev), "commit": commit,
                "effective_from": r.effective_from,
            }),
        },
    )?;
    let due = r.effective_from.is_none_or(|d| d <= t);
    let main = if due {
        Some(make_effective(
            conn,
            store,
            &Actor::user(&by.id, &by.username),
            doc,
            r,
            t,
        )?)
    } else {
        None
    };
    Ok(PendingRefs {
        status: if due {
            RevisionStatus::Effective.as_str().into()
        } else {
            RevisionStatus::Approved.as_str().into()
        },
        tag: Some((r.rev, tag_oid)),
        main,
        drop_draft_ref: true,
    })
}

/// Makes an approved revision effective: supersedes the one before, records
/// the document's effective commit and next review, and writes the new main
/// tree commit (returned; the ref moves after the transaction).
fn make_effective(
    conn: &mut DbConn,
    store: &DocStore,
    who: &Actor,
    doc: &DocumentRow,
    r: &RevisionRow,
    t: NaiveDateTime,
) -> AppResult<String> {
    let commit = r.commit_id.clone().unwrap_or_default();
    let superseded = diesel::update(
        revisions::table
            .filter(revisions::document_id.eq(&doc.id))
            .filter(revisions::status.eq(RevisionStatus::Effective.as_str())),
    )
    .set((
        revisions::status.eq(RevisionStatus::Superseded.as_str()),
        revisions::superseded_at.eq(Some(t)),
    ))
    .execute(conn)?;
    diesel::update(revisions::table.find(&r.id))
        .set((
            revisions::status.eq(RevisionStatus::Effective.as_str()),
            revisions::effective_at.eq(Some(t)),
        ))
        .execute(conn)?;
    let (markdown, _) = store
        .read_content(&doc.number, &commit)
        .map_err(AppError::internal)?;
    let months = u32::try_from(doc.review_interval_months).unwrap_or(12);
    let next_review = t.checked_add_months(Months::new(months)).unwrap_or(t);
    diesel::update(documents::table.find(&doc.id))
        .set((
            documents::status.eq(DocStatus::Effective.as_str()),
            documents::effective_revision.eq(Some(r.rev)),
            documents::effective_commit.eq(Some(&commit)),
            documents::next_review_at.eq(Some(next_review)),
            documents::review_overdue.eq(false),
            documents::title.eq(&r.title),
            documents::search_text.eq(search_text(&doc.number, &r.title, &markdown)),
            documents::updated_at.eq(t),
        ))
        .execute(conn)?;
    let main = write_main(
        conn,
        store,
        who,
        &format!("{} r{} effective", doc.number, r.rev),
        t,
    )?;
    audit::record(
        conn,
        who,
        Change {
            action: "document.effective",
            entity_type: "document",
            entity_id: &doc.number,
            summary: format!(
                "{} r{} effective{}",
                doc.number,
                r.rev,
                if superseded > 0 {
                    "; the previous revision is superseded"
                } else {
                    ""
                }
            ),
            changes: serde_json::json!({
                "effective_revision": { "before": doc.effective_revision, "after": r.rev },
                "next_review_at": next_review,
                "main_commit": main,
            }),
        },
    )?;
    Ok(main)
}

/// Writes the main-tree commit for the effective set as the database has it now
/// and records it as the commit `refs/heads/main` must point at.
fn write_main(
    conn: &mut DbConn,
    store: &DocStore,
    who: &Actor,
    message: &str,
    t: NaiveDateTime,
) -> AppResult<String> {
    let effective: Vec<(String, Option<String>)> = documents::table
        .filter(documents::status.eq(DocStatus::Effective.as_str()))
        .order(documents::number.asc())
        .select((documents::number, documents::effective_commit))
        .load(conn)?;
    let set: Vec<(String, String)> = effective
        .into_iter()
        .filter_map(|(n, c)| c.map(|c| (n, c)))
        .collect();
    let parent: Option<String> = settings::table
        .find(MAIN_COMMIT_SETTING)
        .select(settings::value)
        .first(conn)
        .optional()?;
    let author = GitPerson {
        name: who.name.clone(),
        email: format!("{}@laatu.invalid", who.name.replace(':', ".")),
        time: t,
    };
    let main = store
        .write_main_commit(&set, parent.as_deref(), &author, message)
        .map_err(AppError::internal)?;
    if parent.is_some() {
        diesel::update(settings::table.find(MAIN_COMMIT_SETTING))
            .set(settings::value.eq(&main))
            .execute(conn)?;
    } else {
        diesel::insert_into(settings::table)
            .values((
                settings::key.eq(MAIN_COMMIT_SETTING),
                settings::value.eq(&main),
            ))
            .execute(conn)?;
    }
    Ok(main)
}

/// Rejects the revision in review back to draft, with a required comment.
/// Earlier signatures are voided.
///
/// # Errors
/// `comment_required`, `not_in_review`, `forbidden`.
pub fn reject(conn: &mut DbConn, by: &User, number: &str, comment: &str) -> AppResult<()> {
    let comment = comment.trim();
    if comment.is_empty() {
        return Err(AppError::invalid(
            "comment_required",
            "say why the revision is rejected",
        ));
    }
    let (doc, open) = open_for_review(conn, number)?;
    if open.status != RevisionStatus::InReview.as_str() {
        return Err(AppError::conflict(
            "not_in_review",
            format!("{number} r{} is not in review", open.rev),
        ));
    }
    let steps = steps_of(conn, &open.id)?;
    let may_reject = by.has_role(Role::QualityManager)
        || steps.iter().any(|(_, rule)| match rule {
            StepRule::AllUsers { users } => users.contains(&by.id.0),
            StepRule::NOfRole { role, .. } => by.has_role(*role),
        });
    if !may_reject || open.author_id == by.id.0 {
        return Err(AppError::forbidden());
    }
    write_tx(conn, |conn| {
        db::lock_key(conn, doc_lock_key(&doc.id))?;
        let n = diesel::update(
            revisions::table
                .find(&open.id)
                .filter(revisions::status.eq(RevisionStatus::InReview.as_str())),
        )
        .set((
            revisions::status.eq(RevisionStatus::Draft.as_str()),
            revisions::submitted_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::conflict(
                "not_in_review",
                format!("{number} is no longer in review"),
            ));
        }
        let t = now();
        diesel::insert_into(signatures::table)
            .values(&SignatureRow {
                id: new_id(),
                revision_id: open.id.clone(),
                step: None,
                purpose: "approval".into(),
                meaning: Meaning::Rejected.as_str().into(),
                signer_id: by.id.0.clone(),
                signer_name: by.username.clone(),
                comment: comment.to_string(),
                commit_id: open.commit_id.clone().unwrap_or_default(),
                signed_at: t,
                voided_at: Some(t),
                void_reason: Some("rejection".into()),
            })
            .execute(conn)?;
        let voided = void_signatures(conn, &open.id, "the revision was rejected")?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "document.rejected",
                entity_type: "document",
                entity_id: number,
                summary: format!("{} rejected {number} r{}: {comment}", by.username, open.rev),
                changes: serde_json::json!({
                    "status": { "before": "in_review", "after": "draft" },
                    "comment": comment, "signatures_voided": voided,
                }),
            },
        )?;
        Ok(())
    })
}

// ------------------------------------------------------------------ scheduler

/// Makes approved revisions whose effective date has come effective. Run by
/// the scheduler, not by page views.
///
/// # Errors
/// Faults.
pub fn make_due_effective(
    conn: &mut DbConn,
    store: &DocStore,
    t: NaiveDateTime,
) -> AppResult<usize> {
    let due: Vec<RevisionRow> = revisions::table
        .filter(revisions::status.eq(RevisionStatus::Approved.as_str()))
        .filter(revisions::effective_from.le(t))
        .select(RevisionRow::as_select())
        .load(conn)?;
    let mut made = 0;
    for r in due {
        let doc: DocumentRow = documents::table
            .find(&r.document_id)
            .select(DocumentRow::as_select())
            .first(conn)?;
        let main = write_tx(conn, |conn| {
            db::lock_key(conn, doc_lock_key(&doc.id))?;
            db::lock(conn, db::LockKey::MainTree)?;
            let still: i64 = revisions::table
                .find(&r.id)
                .filter(revisions::status.eq(RevisionStatus::Approved.as_str()))
                .count()
                .get_result(conn)?;
            if still == 0 {
                return Ok(None);
            }
            make_effective(conn, store, &Actor::system("scheduler"), &doc, &r, t).map(Some)
        })?;
        if let Some(main) = main {
            made += 1;
            if let Err(e) = store.set_main_ref(&main) {
                tracing::error!(error = %e, "main ref not moved; run laatu check --repair");
            }
        }
    }
    Ok(made)
}

/// Marks documents whose periodic review date has passed.
///
/// # Errors
/// Faults.
pub fn mark_overdue_reviews(conn: &mut DbConn, t: NaiveDateTime) -> AppResult<usize> {
    let due: Vec<String> = documents::table
        .filter(documents::status.eq(DocStatus::Effective.as_str()))
        .filter(documents::review_overdue.eq(false))
        .filter(documents::next_review_at.le(t))
        .select(documents::number)
        .load(conn)?;
    for number in &due {
        write_tx(conn, |conn| {
            let n = diesel::update(
                documents::table
                    .filter(documents::number.eq(number))
                    .filter(documents::review_overdue.eq(false)),
            )
            .set(documents::review_overdue.eq(true))
            .execute(conn)?;
            if n > 0 {
                audit::record(
                    conn,
                    &Actor::system("scheduler"),
                    Change {
                        action: "document.review_overdue",
                        entity_type: "document",
                        entity_id: number,
                        summary: format!("periodic review of {number} is overdue"),
                        changes: Diff::new()
                            .field("review_overdue", &false, &true)
                            .into_value(),
                    },
                )?;
            }
            Ok(())
        })?;
    }
    Ok(due.len())
}
