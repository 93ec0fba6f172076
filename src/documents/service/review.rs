//! Submitting, signing, approving and rejecting revisions.

use super::*;

// ------------------------------------------------------------------ review

pub(crate) fn open_for_review(
    conn: &mut DbConn,
    number: &str,
) -> AppResult<(DocumentRow, RevisionRow)> {
    let Loaded { doc, .. } = load_doc(conn, number)?;
    let revs = revisions_of(conn, &doc.id)?;
    let open = open_revision(&revs).cloned().ok_or_else(|| {
        AppError::conflict(
            Code::NoDraft,
            format!("{number} has no draft or revision in review"),
        )
    })?;
    Ok((doc, open))
}

/// Submits as [`submit`] does, and first checks what a revision of its
/// kind must hold: a value promise's draft holds its promise.
///
/// # Errors
/// As [`submit`]; `promise_missing`.
pub fn submit_checked(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    effective_from: Option<NaiveDateTime>,
) -> AppResult<RevisionView> {
    let (doc, open) = open_for_review(conn, number)?;
    if doc.kind == DocumentKind::ValuePromise {
        let holds = match &open.commit_id {
            Some(c) => crate::experience::service::promise_at(store, number, c)?.is_some(),
            None => false,
        };
        if !holds {
            review_flow::check(conn, &doc, &open, by, "submit")?;
            return Err(AppError::conflict(
                Code::PromiseMissing,
                format!("{number} holds no value promise yet; write the promise before submitting"),
            ));
        }
    }
    submit(conn, by, number, effective_from)
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
    review_flow::check(conn, &doc, &open, by, "submit")?;
    let today = now().date().and_time(chrono::NaiveTime::MIN);
    if let Some(d) = effective_from
        && d < today
    {
        return Err(AppError::invalid(
            Code::InvalidEffectiveDate,
            "the effective date is today or later",
        ));
    }
    let route = route_for(conn, &doc)?;
    write_tx(conn, |conn| {
        db::lock_row(conn, &doc.id)?;
        let n = diesel::update(
            revisions::table
                .find(&open.id)
                .filter(revisions::status.eq(RevisionStatus::Draft))
                .filter(revisions::commit_id.eq(&open.commit_id)),
        )
        .set((
            revisions::status.eq(RevisionStatus::InReview),
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
                    rule: r,
                    role,
                    required,
                    users,
                })
                .execute(conn)?;
        }
        crate::mail::events::signatures_needed(conn, &open.id, now())?;
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
    /// The new signature's id.
    pub signature_id: String,
    /// `in_review`, `approved` or `effective`.
    pub status: RevisionStatus,
    /// The git tag when this signature approved the revision.
    pub tag: Option<String>,
}

pub(crate) fn password_mismatch() -> AppError {
    AppError::new(
        ErrorKind::Forbidden,
        Code::SignaturePasswordMismatch,
        "the password does not match; the signature was not recorded",
    )
}

/// Whether this signature may say "no retraining needed": it is the one
/// that approves the revision, and the document has a revision in force
/// that the new one replaces.
fn check_no_retraining(
    number: &str,
    progress: &[StepView],
    meaning: Meaning,
    has_effective: bool,
) -> AppResult<()> {
    let last = progress.last().map_or(0, |s| s.step);
    let approves = meaning == Meaning::Approved
        && progress
            .iter()
            .find(|s| !s.complete)
            .is_some_and(|s| s.step == last && s.signed + 1 >= s.required);
    if !approves {
        return Err(AppError::invalid(
            Code::NoRetrainingNotFinalApproval,
            "only the signature that approves the revision can say no retraining is needed",
        ));
    }
    if !has_effective {
        return Err(AppError::conflict(
            Code::NoRetrainingWithoutEffectiveRevision,
            format!(
                "{number} has no revision in force whose acknowledgements could carry over; its readers acknowledge this one"
            ),
        ));
    }
    Ok(())
}

/// Signs the revision in review, after checking the signer's password again.
/// The signature binds to the exact commit under review; `commit`, when given,
/// must be that commit (what the signer read). The same as [`sign_with`]
/// without "no retraining needed".
///
/// # Errors
/// As [`sign_with`].
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
    sign_with(
        conn, store, by, number, password, meaning, comment, commit, false,
    )
}

/// Signs the revision in review, after checking the signer's password again.
/// The signature binds to the exact commit under review; `commit`, when given,
/// must be that commit (what the signer read). `no_retraining` (the final
/// approval of a revision replacing one in force only) marks the revision
/// "no retraining needed": acknowledgements of the one in force carry over.
///
/// # Errors
/// `signer_not_allowed` (an auditor, or no signing role, whatever the route
/// says), `signature_password_mismatch` (audited), `not_a_signer`, `author_cannot_sign`,
/// `already_signed`, `final_step_needs_approval`, `draft_changed`,
/// `no_retraining_not_final_approval`, `no_retraining_without_effective_revision`, faults.
#[expect(clippy::too_many_arguments, reason = "a signature has this many parts")]
pub fn sign_with(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    password: &str,
    meaning: Meaning,
    comment: &str,
    commit: Option<&str>,
    no_retraining: bool,
) -> AppResult<SignOutcome> {
    let (doc, open) = open_for_review(conn, number)?;
    // Checked before the password, so that a refused signer is not asked
    // for it, and again under the lock below.
    let facts = review_flow::check(conn, &doc, &open, by, "sign")?;
    if no_retraining {
        check_no_retraining(
            number,
            &facts.progress,
            meaning,
            doc.status == DocStatus::Effective,
        )?;
    }
    confirm_password(conn, by, number, password, "sign")?;
    let comment = comment.trim().to_string();
    let t = now();
    let outcome = write_tx(conn, |conn| {
        db::lock_row(conn, &doc.id)?;
        db::lock(conn, db::LockKey::MainTree)?;
        let r: RevisionRow = revisions::table
            .find(&open.id)
            .select(RevisionRow::as_select())
            .first(conn)?;
        let facts = review_flow::check(conn, &doc, &r, by, "sign")?;
        let signed_commit = r.commit_id.clone().unwrap_or_default();
        if let Some(c) = commit
            && c != signed_commit
        {
            return Err(AppError::conflict(
                Code::DraftChanged,
                format!("{number} changed since you read it; read it again before signing"),
            ));
        }
        let progress = &facts.progress;
        let Some(current) = progress.iter().find(|s| !s.complete) else {
            return Err(AppError::internal(anyhow::anyhow!(
                "{number} in review with every step complete"
            )));
        };
        let is_last_step = current.step == progress.last().map_or(0, |s| s.step);
        let completes_step = current.signed + 1 >= current.required;
        if is_last_step && meaning != Meaning::Approved {
            return Err(AppError::invalid(
                Code::FinalStepNeedsApproval,
                "the last step of the route is signed as `approved`",
            ));
        }
        if no_retraining {
            let status: DocStatus = documents::table
                .find(&doc.id)
                .select(documents::status)
                .first(conn)?;
            check_no_retraining(number, progress, meaning, status == DocStatus::Effective)?;
            diesel::update(revisions::table.find(&r.id))
                .set(revisions::retraining.eq(false))
                .execute(conn)?;
        }
        let sig = SignatureRow {
            id: new_id(),
            revision_id: r.id.clone(),
            step: Some(current.step),
            purpose: SignaturePurpose::Approval,
            meaning,
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
                    "no_retraining": no_retraining,
                }),
            },
        )?;
        if !(is_last_step && completes_step) {
            if completes_step {
                crate::mail::events::signatures_needed(conn, &r.id, t)?;
            }
            return Ok((
                SignOutcome {
                    signature_id: sig.id,
                    status: RevisionStatus::InReview,
                    tag: None,
                },
                None,
            ));
        }
        let refs = approve(conn, store, by, &doc, &r, t)?;
        Ok((
            SignOutcome {
                signature_id: sig.id,
                status: refs.status,
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
pub(crate) struct PendingRefs {
    status: RevisionStatus,
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
            revisions::status.eq(RevisionStatus::Approved),
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
            RevisionStatus::Effective
        } else {
            RevisionStatus::Approved
        },
        tag: Some((r.rev, tag_oid)),
        main,
        drop_draft_ref: true,
    })
}

/// Makes an approved revision effective: supersedes the one before, records
/// the document's effective commit and next review, and writes the new main
/// tree commit (returned; the ref moves after the transaction).
pub(crate) fn make_effective(
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
            .filter(revisions::status.eq(RevisionStatus::Effective)),
    )
    .set((
        revisions::status.eq(RevisionStatus::Superseded),
        revisions::superseded_at.eq(Some(t)),
    ))
    .execute(conn)?;
    diesel::update(revisions::table.find(&r.id))
        .set((
            revisions::status.eq(RevisionStatus::Effective),
            revisions::effective_at.eq(Some(t)),
        ))
        .execute(conn)?;
    let (markdown, _) = store
        .read_content(&doc.number, &commit)
        .map_err(AppError::internal)?;
    let retraining: bool = revisions::table
        .find(&r.id)
        .select(revisions::retraining)
        .first(conn)?;
    let months = u32::try_from(doc.review_interval_months).unwrap_or(12);
    let next_review = t.checked_add_months(Months::new(months)).unwrap_or(t);
    diesel::update(documents::table.find(&doc.id))
        .set((
            documents::status.eq(DocStatus::Effective),
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
                "retraining": retraining,
            }),
        },
    )?;
    Ok(main)
}

/// Writes the main-tree commit for the effective set as the database has it now
/// and records it as the commit `refs/heads/main` must point at.
pub(crate) fn write_main(
    conn: &mut DbConn,
    store: &DocStore,
    who: &Actor,
    message: &str,
    t: NaiveDateTime,
) -> AppResult<String> {
    let effective: Vec<(String, Option<String>)> = documents::table
        .filter(documents::status.eq(DocStatus::Effective))
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
/// `comment_required`, `not_in_review`, `signer_not_allowed`, `forbidden`.
pub fn reject(conn: &mut DbConn, by: &User, number: &str, comment: &str) -> AppResult<()> {
    let comment = comment.trim();
    if comment.is_empty() {
        return Err(AppError::invalid(
            Code::CommentRequired,
            "say why the revision is rejected",
        ));
    }
    let (doc, open) = open_for_review(conn, number)?;
    review_flow::check(conn, &doc, &open, by, "reject")?;
    write_tx(conn, |conn| {
        db::lock_row(conn, &doc.id)?;
        let n = diesel::update(
            revisions::table
                .find(&open.id)
                .filter(revisions::status.eq(RevisionStatus::InReview)),
        )
        .set((
            revisions::status.eq(RevisionStatus::Draft),
            revisions::submitted_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::conflict(
                Code::NotInReview,
                format!("{number} is no longer in review"),
            ));
        }
        let t = now();
        diesel::insert_into(signatures::table)
            .values(&SignatureRow {
                id: new_id(),
                revision_id: open.id.clone(),
                step: None,
                purpose: SignaturePurpose::Approval,
                meaning: Meaning::Rejected,
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
