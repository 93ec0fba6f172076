//! Creating documents, saving drafts, approval routes.

use super::*;

// ------------------------------------------------------------------ creating

/// A validated new document.
#[derive(Debug)]
pub struct NewDocument {
    /// The title, validated.
    pub title: String,
    /// The kind, which decides the number prefix.
    pub kind: DocumentKind,
    /// A number given by the caller; `None` allocates the next of the kind.
    pub number: Option<DocNumber>,
    /// The owning process's code, if any.
    pub process: Option<String>,
    /// The owner's username; `None` makes the creator the owner.
    pub owner: Option<String>,
    /// Months between periodic reviews.
    pub review_interval_months: i32,
    /// Roles whose holders read it besides its process's members (see
    /// [`crate::competence::acknowledge::parse_reader_roles`]); none by default.
    pub reader_roles: Vec<Role>,
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
            reader_roles: Vec::new(),
        })
    }
}

pub(crate) fn parse_title(s: &str) -> AppResult<String> {
    crate::kit::text::required_line("a title", Code::InvalidTitle, s, 300)
}

pub(crate) fn parse_interval(m: i32) -> AppResult<i32> {
    if (1..=120).contains(&m) {
        Ok(m)
    } else {
        Err(AppError::invalid(
            Code::InvalidReviewInterval,
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
            Code::OwnerCannotOwn,
            format!(
                "{} cannot own documents: an owner is a process owner or quality manager",
                owner.username
            ),
        ));
    }
    write_tx(conn, |conn| {
        if new.kind == DocumentKind::ValuePromise {
            crate::experience::service::refuse_second_promise(conn)?;
        }
        let number = match &new.number {
            Some(n) => {
                // Under the lock the allocator takes, so that it cannot
                // hand out this number at the same time.
                sequence::lock(conn, n.as_str().split('-').next().unwrap_or_default())?;
                let taken: i64 = documents::table
                    .filter(documents::number.eq(n.as_str()))
                    .count()
                    .get_result(conn)?;
                if taken > 0 {
                    return Err(AppError::conflict(
                        Code::DocumentNumberTaken,
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
            kind: new.kind,
            process: new.process.clone(),
            owner_id: owner.id.0.clone(),
            review_interval_months: new.review_interval_months,
            status: DocStatus::Draft,
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
            status: RevisionStatus::Draft,
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
        crate::competence::acknowledge::service::write_reader_roles(
            conn,
            &doc.id,
            &new.reader_roles,
        )?;
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
                    .created("reader_roles", &new.reader_roles)
                    .into_value(),
            },
        )?;
        Ok(doc.number)
    })
}

/// Refuses a document text over 5 MiB (`content_too_large`).
fn check_text_size(markdown: &str) -> AppResult<()> {
    if markdown.len() > 5 * 1024 * 1024 {
        return Err(AppError::invalid(
            Code::ContentTooLarge,
            "a document's text may be at most 5 MiB; attach large files instead",
        ));
    }
    Ok(())
}

/// Documents not withdrawn, as (number, title) by number: the options of a
/// document picker.
///
/// # Errors
/// A database fault.
pub fn pickable(conn: &mut DbConn) -> AppResult<Vec<(String, String)>> {
    Ok(documents::table
        .filter(documents::status.ne(DocStatus::Obsolete))
        .order(documents::number.asc())
        .select((documents::number, documents::title))
        .load(conn)?)
}

/// The number a new document of `kind` would get now, without taking it:
/// the placeholder of the new-document form.
///
/// # Errors
/// A database fault.
pub fn next_number(conn: &mut DbConn, kind: DocumentKind) -> AppResult<DocNumber> {
    let mut seq = sequence::peek(conn, kind.prefix())?;
    loop {
        let candidate = DocNumber::allocated(kind, seq);
        let taken: i64 = documents::table
            .filter(documents::number.eq(candidate.as_str()))
            .count()
            .get_result(conn)?;
        if taken == 0 {
            return Ok(candidate);
        }
        seq += 1;
    }
}

/// The next free number of `kind`, skipping numbers given by hand.
pub(crate) fn allocate_number(conn: &mut DbConn, kind: DocumentKind) -> AppResult<DocNumber> {
    loop {
        let candidate = DocNumber::allocated(kind, sequence::next(conn, kind.prefix())?);
        let taken: i64 = documents::table
            .filter(documents::number.eq(candidate.as_str()))
            .count()
            .get_result(conn)?;
        if taken == 0 {
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
    /// The revision the draft belongs to.
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
    check_text_size(markdown)?;
    // Attachments of the commit built on are kept.
    commit_draft(
        conn,
        store,
        by,
        number,
        base,
        change_reason,
        |tip, person, message| store.write_markdown_commit(number, tip, markdown, person, message),
    )
}

/// Saves the draft as [`save_draft`] does, and for a form template its
/// fields too (`<NUMBER>.form.json` in the same commit). `form` is checked
/// first; a form for a document of another kind is refused.
///
/// # Errors
/// As [`save_draft`]; `invalid_form` naming each mistake,
/// `form_only_for_form_documents`, `sign_off_competence_not_found`.
#[expect(clippy::too_many_arguments, reason = "a save has this many parts")]
pub fn save_draft_with_form(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    markdown: &str,
    form: Option<&crate::records::form::FormInput>,
    base: Option<&str>,
    change_reason: Option<&str>,
) -> AppResult<SavedDraft> {
    let Some(form) = form else {
        return save_draft(conn, store, by, number, markdown, base, change_reason);
    };
    let Loaded { doc, .. } = load_doc(conn, number)?;
    if doc.kind != DocumentKind::Form {
        return Err(AppError::invalid(
            Code::FormOnlyForFormDocuments,
            format!("{number} is not of kind form, so it has no fields"),
        ));
    }
    let def = form.check()?;
    for s in &def.signatures {
        if let Some(code) = &s.competence {
            use crate::db::schema::competences;
            let known: i64 = competences::table
                .filter(competences::code.eq(code))
                .count()
                .get_result(conn)?;
            if known == 0 {
                return Err(AppError::invalid(
                    Code::SignOffCompetenceNotFound,
                    format!("no competence {code} in the catalogue"),
                ));
            }
        }
    }
    check_text_size(markdown)?;
    let stored = def.to_stored();
    commit_draft(
        conn,
        store,
        by,
        number,
        base,
        change_reason,
        |tip, person, message| {
            store.write_form_commit(number, tip, markdown, &stored, person, message)
        },
    )
}

/// Saves the draft of a value promise with its structured part
/// (`<NUMBER>.promise.json`, see [`crate::experience::promise`]) in the
/// same commit. `markdown` replaces the text when given; otherwise the text
/// of the commit built on stays, and a first save writes the promise out as
/// its text.
///
/// # Errors
/// As [`save_draft`]; `invalid_promise` naming each mistake,
/// `promise_only_for_value_promise`.
#[expect(clippy::too_many_arguments, reason = "a save has this many parts")]
pub fn save_draft_with_promise(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    markdown: Option<&str>,
    promise: &crate::experience::promise::PromiseInput,
    base: Option<&str>,
    change_reason: Option<&str>,
) -> AppResult<SavedDraft> {
    let Loaded { doc, .. } = load_doc(conn, number)?;
    if doc.kind != DocumentKind::ValuePromise {
        return Err(AppError::invalid(
            Code::PromiseOnlyForValuePromise,
            format!("{number} is not of kind value_promise, so it holds no promise"),
        ));
    }
    let checked = promise.check()?;
    if let Some(m) = markdown {
        check_text_size(m)?;
    }
    let stored = checked.to_stored();
    commit_draft(
        conn,
        store,
        by,
        number,
        base,
        change_reason,
        |tip, person, message| {
            let text = match (markdown, tip) {
                (Some(m), _) => m.to_string(),
                (None, Some(tip)) => store.read_content(number, tip)?.0,
                (None, None) => checked.to_markdown(),
            };
            store.write_promise_commit(number, tip, &text, &stored, person, message)
        },
    )
}

/// Adds or replaces an attachment of the draft (a new draft commit).
///
/// # Errors
/// As [`save_draft`]; `draft_empty` before the first save; `invalid_attachment_name`.
#[expect(clippy::too_many_arguments, reason = "a save has this many parts")]
pub fn save_attachment(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    name: &str,
    bytes: &[u8],
    base: Option<&str>,
    change_reason: Option<&str>,
) -> AppResult<SavedDraft> {
    crate::store::names::check_attachment_name(name)
        .map_err(|e| AppError::invalid(Code::InvalidAttachmentName, e.to_string()))?;
    commit_draft(
        conn,
        store,
        by,
        number,
        base,
        change_reason,
        |tip, person, message| {
            let tip = tip.ok_or_else(|| anyhow::Error::new(NoTextYet))?;
            store.write_commit_with_attachment(
                number,
                tip,
                name,
                bytes,
                person,
                &format!("{message}: attach {name}"),
            )
        },
    )
}

/// Removes an attachment from the draft (a new draft commit).
///
/// # Errors
/// As [`save_attachment`]; `attachment_not_found`.
pub fn remove_attachment(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    name: &str,
    base: Option<&str>,
    change_reason: Option<&str>,
) -> AppResult<SavedDraft> {
    commit_draft(
        conn,
        store,
        by,
        number,
        base,
        change_reason,
        |tip, person, message| {
            let tip = tip.ok_or_else(|| anyhow::Error::new(NoTextYet))?;
            store.remove_attachment_commit(
                number,
                tip,
                name,
                person,
                &format!("{message}: remove {name}"),
            )
        },
    )
}

#[derive(Debug, thiserror::Error)]
#[error("the draft has no text yet")]
struct NoTextYet;

/// Maps what the store refuses to the caller's error codes.
fn store_refusal(e: anyhow::Error) -> AppError {
    use crate::store::StoreError;
    if e.downcast_ref::<NoTextYet>().is_some() {
        return AppError::conflict(
            Code::DraftEmpty,
            "save the document's text before attaching files",
        );
    }
    match e.downcast_ref::<StoreError>() {
        Some(StoreError::BadAttachmentName { .. } | StoreError::DuplicateAttachment(_)) => {
            AppError::invalid(Code::InvalidAttachmentName, e.to_string())
        }
        Some(StoreError::NoSuchAttachment { .. }) => {
            AppError::not_found(Code::AttachmentNotFound, e.to_string())
        }
        _ => AppError::internal(e),
    }
}

/// The shared part of every change to a draft: permission, reason for
/// change, stale-base check, the git commit (made by `make_commit` from the
/// tip), the database transaction, then the draft ref.
fn commit_draft(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    base: Option<&str>,
    change_reason: Option<&str>,
    make_commit: impl FnOnce(Option<&str>, &GitPerson, &str) -> anyhow::Result<String>,
) -> AppResult<SavedDraft> {
    let Loaded { doc, .. } = load_doc(conn, number)?;
    if doc.status == DocStatus::Obsolete {
        return Err(AppError::conflict(
            Code::DocumentObsolete,
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
            Code::ChangeReasonRequired,
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
    let commit = make_commit(tip.as_deref(), &person(by, t), &message).map_err(store_refusal)?;
    let saved = write_tx(conn, |conn| {
        db::lock_row(conn, &doc.id)?;
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
                    status: RevisionStatus::Draft,
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
                    Code::DraftConflict,
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

pub(crate) fn draft_conflict(
    conn: &mut DbConn,
    revision_id: &str,
    number: &str,
) -> AppResult<AppError> {
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
            Code::DraftConflict,
            format!(
                "{who} saved {number} at {} UTC (commit {}) after you started editing; your save was not applied. Reload, merge your changes and save again",
                when.format("%Y-%m-%d %H:%M:%S"),
                &commit[..commit.len().min(10)]
            ),
        ),
        None => AppError::conflict(
            Code::DraftConflict,
            format!("the draft of {number} changed after you started editing; reload"),
        ),
    })
}

pub(crate) fn void_signatures(
    conn: &mut DbConn,
    revision_id: &str,
    reason: &str,
) -> AppResult<usize> {
    Ok(diesel::update(
        signatures::table
            .filter(signatures::revision_id.eq(revision_id))
            .filter(signatures::voided_at.is_null())
            .filter(signatures::purpose.eq(SignaturePurpose::Approval)),
    )
    .set((
        signatures::voided_at.eq(Some(now())),
        signatures::void_reason.eq(Some(reason)),
    ))
    .execute(conn)?)
}
