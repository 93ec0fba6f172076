//! What the calendar decides: effective dates, periodic reviews, withdrawal.

use super::*;
use crate::kit::due::{Deadline, Due, reconcile};

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
        .filter(revisions::status.eq(RevisionStatus::Approved))
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
            db::lock_row(conn, &doc.id)?;
            db::lock(conn, db::LockKey::MainTree)?;
            let still: i64 = revisions::table
                .find(&r.id)
                .filter(revisions::status.eq(RevisionStatus::Approved))
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

/// An effective document whose periodic review may be due.
struct ReviewDue {
    number: String,
    next_review_at: Option<NaiveDateTime>,
    overdue: bool,
}

impl Due for ReviewDue {
    fn deadlines(&self) -> Vec<Deadline> {
        self.next_review_at
            .map(Deadline::From)
            .into_iter()
            .collect()
    }

    fn marked(&self) -> bool {
        self.overdue
    }

    fn set_mark(&self, conn: &mut DbConn, overdue: bool) -> AppResult<usize> {
        Ok(diesel::update(
            documents::table
                .filter(documents::number.eq(&self.number))
                .filter(documents::review_overdue.eq(self.overdue)),
        )
        .set(documents::review_overdue.eq(overdue))
        .execute(conn)?)
    }

    const ACTIONS: (&'static str, &'static str) =
        ("document.review_overdue", "document.review_on_time");
    const FIELD: &'static str = "review_overdue";

    fn entity(&self) -> (&str, &str) {
        ("document", &self.number)
    }

    fn summary(&self, overdue: bool) -> String {
        match overdue {
            true => format!("periodic review of {} is overdue", self.number),
            false => format!("periodic review of {} is no longer overdue", self.number),
        }
    }
}

/// Marks documents whose periodic review date has passed (recording the
/// review clears the mark). Returns how many it marked.
///
/// # Errors
/// Faults.
pub fn mark_overdue_reviews(conn: &mut DbConn, t: NaiveDateTime) -> AppResult<usize> {
    let due: Vec<ReviewDue> = documents::table
        .filter(documents::status.eq(DocStatus::Effective))
        .filter(documents::review_overdue.eq(false))
        .filter(documents::next_review_at.le(t))
        .select((
            documents::number,
            documents::next_review_at,
            documents::review_overdue,
        ))
        .load::<(String, Option<NaiveDateTime>, bool)>(conn)?
        .into_iter()
        .map(|(number, next_review_at, overdue)| ReviewDue {
            number,
            next_review_at,
            overdue,
        })
        .collect();
    reconcile(conn, &Actor::system("scheduler"), t, t.date(), due)
}

/// Checks a signer's password again; a wrong one is audited and refused.
pub(crate) fn confirm_password(
    conn: &mut DbConn,
    by: &User,
    number: &str,
    password: &str,
    what: &str,
) -> AppResult<()> {
    let stored_hash: String = {
        use crate::db::schema::users;
        users::table
            .find(by.id.as_str())
            .select(users::password_hash)
            .first(conn)?
    };
    if users::verify_password(password, &stored_hash) {
        return Ok(());
    }
    write_tx(conn, |conn| {
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "signature.password_mismatch",
                entity_type: "document",
                entity_id: number,
                summary: format!("{} gave a wrong password to {what} {number}", by.username),
                changes: serde_json::json!({ "purpose": what }),
            },
        )
    })?;
    Err(password_mismatch())
}

fn signoff(
    conn: &mut DbConn,
    by: &User,
    revision: &RevisionRow,
    purpose: SignaturePurpose,
    meaning: Meaning,
    comment: &str,
    t: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(signatures::table)
        .values(&SignatureRow {
            id: new_id(),
            revision_id: revision.id.clone(),
            step: None,
            purpose,
            meaning,
            signer_id: by.id.0.clone(),
            signer_name: by.username.clone(),
            comment: comment.to_string(),
            commit_id: revision.commit_id.clone().unwrap_or_default(),
            signed_at: t,
            voided_at: None,
            void_reason: None,
        })
        .execute(conn)?;
    Ok(())
}

fn effective_revision(conn: &mut DbConn, doc: &DocumentRow) -> AppResult<Option<RevisionRow>> {
    Ok(revisions::table
        .filter(revisions::document_id.eq(&doc.id))
        .filter(revisions::status.eq(RevisionStatus::Effective))
        .select(RevisionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Records a signed periodic review with no change: the review date moves
/// on by the interval, and no new revision is made (ISO 9001 7.5.2 b).
///
/// # Errors
/// `forbidden`, `not_effective`, `signature_password_mismatch`, `comment_required`.
pub fn review_without_change(
    conn: &mut DbConn,
    by: &User,
    number: &str,
    password: &str,
    comment: &str,
) -> AppResult<NaiveDateTime> {
    let Loaded { doc, .. } = load_doc(conn, number)?;
    if !(by.has_role(Role::QualityManager) || doc.owner_id == by.id.0) {
        return Err(AppError::forbidden());
    }
    if !by.may_sign() {
        return Err(signer_not_allowed());
    }
    let comment = comment.trim();
    if comment.is_empty() {
        return Err(AppError::invalid(
            Code::CommentRequired,
            "say what the review looked at",
        ));
    }
    let Some(current) = effective_revision(conn, &doc)? else {
        return Err(AppError::conflict(
            Code::NotEffective,
            format!("{number} has no revision in force to review"),
        ));
    };
    confirm_password(conn, by, number, password, "review")?;
    let t = now();
    let months = u32::try_from(doc.review_interval_months).unwrap_or(12);
    let next = t.checked_add_months(Months::new(months)).unwrap_or(t);
    write_tx(conn, |conn| {
        db::lock_row(conn, &doc.id)?;
        signoff(
            conn,
            by,
            &current,
            SignaturePurpose::PeriodicReview,
            Meaning::Reviewed,
            comment,
            t,
        )?;
        diesel::update(documents::table.find(&doc.id))
            .set((
                documents::next_review_at.eq(Some(next)),
                documents::review_overdue.eq(false),
                documents::updated_at.eq(t),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "document.reviewed",
                entity_type: "document",
                entity_id: number,
                summary: format!(
                    "{} reviewed {number} r{}: no change needed",
                    by.username, current.rev
                ),
                changes: serde_json::json!({
                    "next_review_at": { "before": doc.next_review_at, "after": next },
                    "review_overdue": { "before": doc.review_overdue, "after": false },
                    "comment": comment,
                }),
            },
        )?;
        Ok(next)
    })
}

/// Withdraws a document (quality managers, with a reason and signature): it
/// leaves the main tree and the lists of documents in force, and stays
/// retrievable with every revision.
///
/// # Errors
/// `forbidden`, `document_obsolete`, `reason_required`, `signature_password_mismatch`.
pub fn withdraw(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    password: &str,
    reason: &str,
) -> AppResult<()> {
    by.require_any(&[Role::QualityManager])?;
    if !by.may_sign() {
        return Err(signer_not_allowed());
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(
            Code::ReasonRequired,
            "say why the document is withdrawn",
        ));
    }
    let Loaded { doc, .. } = load_doc(conn, number)?;
    if doc.status == DocStatus::Obsolete {
        return Err(AppError::conflict(
            Code::DocumentObsolete,
            format!("{number} is obsolete already"),
        ));
    }
    confirm_password(conn, by, number, password, "withdraw")?;
    let t = now();
    let main = write_tx(conn, |conn| {
        db::lock_row(conn, &doc.id)?;
        db::lock(conn, db::LockKey::MainTree)?;
        let revs = revisions_of(conn, &doc.id)?;
        let Some(last) = revs.last() else {
            return Err(AppError::internal(anyhow::anyhow!(
                "{number} has no revision"
            )));
        };
        let signed = effective_revision(conn, &doc)?.unwrap_or_else(|| last.clone());
        signoff(
            conn,
            by,
            &signed,
            SignaturePurpose::Withdrawal,
            Meaning::Approved,
            reason,
            t,
        )?;
        // Every revision not already superseded is obsolete; open drafts end.
        diesel::update(
            revisions::table
                .filter(revisions::document_id.eq(&doc.id))
                .filter(revisions::status.ne(RevisionStatus::Superseded)),
        )
        .set((
            revisions::status.eq(RevisionStatus::Obsolete),
            revisions::superseded_at.eq(Some(t)),
        ))
        .execute(conn)?;
        diesel::update(documents::table.find(&doc.id))
            .set((
                documents::status.eq(DocStatus::Obsolete),
                documents::review_overdue.eq(false),
                documents::next_review_at.eq(None::<NaiveDateTime>),
                documents::updated_at.eq(t),
            ))
            .execute(conn)?;
        let main = if doc.status == DocStatus::Effective {
            Some(write_main(
                conn,
                store,
                &actor(by),
                &format!("{number} withdrawn: {reason}"),
                t,
            )?)
        } else {
            None
        };
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "document.withdrawn",
                entity_type: "document",
                entity_id: number,
                summary: format!("{} withdrew {number}: {reason}", by.username),
                changes: serde_json::json!({
                    "status": { "before": doc.status, "after": DocStatus::Obsolete },
                    "reason": reason, "main_commit": main,
                }),
            },
        )?;
        Ok(main)
    })?;
    if let Some(main) = main
        && let Err(e) = store.set_main_ref(&main)
    {
        tracing::error!(error = %e, "main ref not moved; run laatu check --repair");
    }
    if let Err(e) = store.delete_draft_ref(number) {
        tracing::error!(error = %e, number, "draft ref not removed");
    }
    Ok(())
}
