//! The life cycle of a case: reported -> accepted (or rejected) -> analysed
//! -> actions planned -> actions done -> verified -> closed. Each step
//! checks who is asking and the state, inside the case's lock.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use super::super::model::{
    AnalysisRow, CauseCategory, CheckRow, Disposition, DispositionRow, Effectiveness, NcStatus,
    Whys,
};
use super::{NcPolicy, NonconformityView, ask, commit_change, get, lock_case};
use crate::audit::Diff;
use crate::auth::model::User;
use crate::db::schema::{effectiveness_checks, nc_analyses, nc_dispositions, nonconformities};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code};
use crate::ids::new_id;
use crate::kit::date::future_date;
use crate::kit::record::{self, Event};
use crate::kit::text::{long_text, required_long as required_text};

/// Accepts a reported nonconformity: only the owner of the responsible process.
///
/// # Errors
/// `forbidden`, `not_responsible_owner`, `invalid_transition`.
pub fn accept(
    conn: &mut DbConn,
    policy: NcPolicy,
    by: &User,
    number: &str,
    at: NaiveDateTime,
) -> AppResult<NonconformityView> {
    ask(by, "accept")?;
    write_tx(conn, |conn| {
        let case = lock_case(conn, number, policy.today(at))?;
        let step = case.check(conn, "accept", by)?;
        diesel::update(nonconformities::table.find(&case.row.id))
            .set((
                nonconformities::accepted_by.eq(Some(by.id.as_str())),
                nonconformities::accepted_at.eq(Some(at)),
            ))
            .execute(conn)?;
        commit_change(
            conn,
            by,
            &case,
            step,
            NcStatus::Accepted,
            at,
            Event {
                action: "nonconformity.accepted",
                summary: format!("{} accepted {number}", by.username),
                diff: Diff::new().field("accepted_by", &None, &Some(&by.username)),
            },
        )
    })?;
    get(conn, number, by)
}

/// Rejects a report as not a nonconformity, with a reason. Final.
///
/// # Errors
/// `forbidden`, `reason_required`, `not_responsible_owner`, `invalid_transition`.
pub fn reject(
    conn: &mut DbConn,
    policy: NcPolicy,
    by: &User,
    number: &str,
    reason: &str,
    at: NaiveDateTime,
) -> AppResult<NonconformityView> {
    ask(by, "reject")?;
    let reason = required_text("the reason", Code::ReasonRequired, reason)?;
    write_tx(conn, |conn| {
        let case = lock_case(conn, number, policy.today(at))?;
        let step = case.check(conn, "reject", by)?;
        diesel::update(nonconformities::table.find(&case.row.id))
            .set((
                nonconformities::accepted_by.eq(Some(by.id.as_str())),
                nonconformities::accepted_at.eq(Some(at)),
                nonconformities::rejection_reason.eq(Some(&reason)),
            ))
            .execute(conn)?;
        commit_change(
            conn,
            by,
            &case,
            step,
            NcStatus::Rejected,
            at,
            Event {
                action: "nonconformity.rejected",
                summary: format!("{} rejected {number}: {reason}", by.username),
                diff: Diff::new().field("rejection_reason", &None, &Some(&reason)),
            },
        )
    })?;
    get(conn, number, by)
}

/// Containment and correction, and the decision about a nonconforming output.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct DispositionInput {
    /// What was done at once to contain it (quarantine, sorting, stopping delivery).
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub containment: String,
    /// `rework`, `concession`, `scrap`, `return` or `use_as_is`.
    #[schema(value_type = Option<crate::nonconformities::model::Disposition>)]
    pub disposition: Option<String>,
    /// Details of the decision; for a concession, who authorised it.
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub note: String,
    /// The version read; a newer one answers 409.
    pub version: Option<i32>,
}

/// Records containment and the disposition decision (ISO 9001 8.7); the
/// caller is recorded as who decided. A later decision is a new entry.
///
/// # Errors
/// `forbidden`, `not_case_handler`, `invalid_transition`, `version_conflict`,
/// `invalid_disposition`, `disposition_empty`, `concession_needs_authorisation`.
pub fn decide_disposition(
    conn: &mut DbConn,
    policy: NcPolicy,
    by: &User,
    number: &str,
    input: DispositionInput,
    at: NaiveDateTime,
) -> AppResult<NonconformityView> {
    ask(by, "decide_disposition")?;
    let containment = long_text("the containment", &input.containment)?;
    let note = long_text("the note", &input.note)?;
    let disposition = match input.disposition.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => Some(Disposition::parse(d)?),
        _ => None,
    };
    if containment.is_empty() && disposition.is_none() {
        return Err(AppError::invalid(
            Code::DispositionEmpty,
            "describe the containment or choose a disposition",
        ));
    }
    if disposition == Some(Disposition::Concession) && note.is_empty() {
        return Err(AppError::invalid(
            Code::ConcessionNeedsAuthorisation,
            "a concession needs a note of who authorised it (ISO 9001 8.7.1 d)",
        ));
    }
    write_tx(conn, |conn| {
        let case = lock_case(conn, number, policy.today(at))?;
        let step = case.check(conn, "decide_disposition", by)?;
        record::require_version(&case, input.version)?;
        let row = DispositionRow {
            id: new_id(),
            nc_id: case.row.id.clone(),
            containment: containment.clone(),
            disposition,
            note: note.clone(),
            decided_by: by.id.0.clone(),
            decided_at: at,
        };
        diesel::insert_into(nc_dispositions::table)
            .values(&row)
            .execute(conn)?;
        commit_change(
            conn,
            by,
            &case,
            step,
            case.status,
            at,
            Event {
                action: "nonconformity.disposition_decided",
                summary: format!(
                    "{} decided on {number}: {}",
                    by.username,
                    disposition.map_or("containment", |d| d.as_str())
                ),
                diff: Diff::new()
                    .created("containment", &containment)
                    .created("disposition", &row.disposition)
                    .created("note", &note),
            },
        )
    })?;
    get(conn, number, by)
}

/// A root-cause analysis.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct AnalysisInput {
    /// Up to five answers to "why?".
    #[serde(default)]
    pub whys: Vec<String>,
    /// The root cause found.
    #[schema(min_length = 1, max_length = 10000)]
    pub root_cause: String,
    /// `people`, `method`, `machine`, `material`, `measurement`, `environment`, `management`, `supplier`.
    #[schema(value_type = crate::nonconformities::model::CauseCategory)]
    pub cause_category: String,
    /// When to check that the actions worked, `2026-12-31` (default: some days after the last action is done).
    #[schema(value_type = Option<chrono::NaiveDate>)]
    pub effectiveness_due_on: Option<String>,
    /// The version read; a newer one answers 409.
    pub version: Option<i32>,
}

/// Records a root-cause analysis. The first one moves an accepted case to
/// `analysed`; a later one (after an ineffective action, say) is a new entry.
///
/// # Errors
/// `forbidden`, `not_case_handler`, `invalid_transition`, `version_conflict`,
/// `root_cause_required`, `invalid_cause_category`, `invalid_whys`, `date_in_past`.
pub fn analyse(
    conn: &mut DbConn,
    policy: NcPolicy,
    by: &User,
    number: &str,
    input: AnalysisInput,
    at: NaiveDateTime,
) -> AppResult<NonconformityView> {
    ask(by, "analyse")?;
    let root_cause = required_text("the root cause", Code::RootCauseRequired, &input.root_cause)?;
    let category = CauseCategory::parse(&input.cause_category)?;
    let whys = Whys::parse(&input.whys)?;
    let due = match input.effectiveness_due_on.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => Some(future_date("effectiveness_due_on", d, policy.today(at))?),
        _ => None,
    };
    write_tx(conn, |conn| {
        let case = lock_case(conn, number, policy.today(at))?;
        let step = case.check(conn, "analyse", by)?;
        record::require_version(&case, input.version)?;
        diesel::insert_into(nc_analyses::table)
            .values(&AnalysisRow {
                id: new_id(),
                nc_id: case.row.id.clone(),
                whys: whys.to_stored(),
                root_cause: root_cause.clone(),
                cause_category: category,
                analysed_by: by.id.0.clone(),
                analysed_at: at,
            })
            .execute(conn)?;
        let mut diff = Diff::new()
            .created("whys", &whys)
            .created("root_cause", &root_cause)
            .created("cause_category", &category.as_str());
        if let Some(d) = due {
            diesel::update(nonconformities::table.find(&case.row.id))
                .set(nonconformities::effectiveness_due_on.eq(Some(d)))
                .execute(conn)?;
            diff = diff.field(
                "effectiveness_due_on",
                &case.row.effectiveness_due_on.map(|t| t.date()),
                &Some(d.date()),
            );
        }
        let next = if case.status == NcStatus::Accepted {
            NcStatus::Analysed
        } else {
            case.status
        };
        commit_change(
            conn,
            by,
            &case,
            step,
            next,
            at,
            Event {
                action: "nonconformity.analysed",
                summary: format!("{} analysed {number}: {root_cause}", by.username),
                diff,
            },
        )
    })?;
    get(conn, number, by)
}

/// Records the effectiveness check (quality managers who did none of the
/// actions). `effective` verifies the case; `not_effective` sends it back
/// to analysis for new actions, and both checks stay on record.
///
/// # Errors
/// `forbidden`, `comment_required`, `invalid_effectiveness_result`,
/// `invalid_transition`, `verifier_did_actions`.
pub fn verify(
    conn: &mut DbConn,
    policy: NcPolicy,
    by: &User,
    number: &str,
    result: &str,
    comment: &str,
    at: NaiveDateTime,
) -> AppResult<NonconformityView> {
    ask(by, "verify")?;
    let result = Effectiveness::parse(result)?;
    let comment = required_text("the comment", Code::CommentRequired, comment)?;
    write_tx(conn, |conn| {
        let case = lock_case(conn, number, policy.today(at))?;
        let step = case.check(conn, "verify", by)?;
        diesel::insert_into(effectiveness_checks::table)
            .values(&CheckRow {
                id: new_id(),
                nc_id: case.row.id.clone(),
                result,
                comment: comment.clone(),
                verified_by: by.id.0.clone(),
                verified_at: at,
            })
            .execute(conn)?;
        let (next, action) = match result {
            Effectiveness::Effective => (NcStatus::Verified, "nonconformity.verified"),
            Effectiveness::NotEffective => {
                // New actions get their own check date when they are done.
                diesel::update(nonconformities::table.find(&case.row.id))
                    .set(nonconformities::effectiveness_due_on.eq(None::<NaiveDateTime>))
                    .execute(conn)?;
                (NcStatus::Analysed, "nonconformity.not_effective")
            }
        };
        commit_change(
            conn,
            by,
            &case,
            step,
            next,
            at,
            Event {
                action,
                summary: format!(
                    "{} found the actions of {number} {result}: {comment}",
                    by.username
                ),
                diff: Diff::new()
                    .created("result", &result.as_str())
                    .created("comment", &comment),
            },
        )
    })?;
    get(conn, number, by)
}

/// Closes a case (quality managers): once its actions were verified
/// effective, or, when the analysis found no corrective action is needed
/// (ISO 9001 10.2.1 b), with a comment that says why.
///
/// # Errors
/// `forbidden`, `actions_open`, `effectiveness_not_verified`, `comment_required`,
/// `invalid_transition`.
pub fn close(
    conn: &mut DbConn,
    policy: NcPolicy,
    by: &User,
    number: &str,
    comment: &str,
    at: NaiveDateTime,
) -> AppResult<NonconformityView> {
    ask(by, "close")?;
    let comment = long_text("the comment", comment)?;
    write_tx(conn, |conn| {
        let case = lock_case(conn, number, policy.today(at))?;
        let step = case.check(conn, "close", by)?;
        // Closing without corrective action (10.2.1 b) needs the reason.
        if case.status == NcStatus::Analysed && comment.is_empty() {
            return Err(AppError::invalid(
                Code::CommentRequired,
                "say why no corrective action is needed",
            ));
        }
        diesel::update(nonconformities::table.find(&case.row.id))
            .set((
                nonconformities::closed_by.eq(Some(by.id.as_str())),
                nonconformities::closed_at.eq(Some(at)),
                nonconformities::closing_comment.eq(&comment),
            ))
            .execute(conn)?;
        commit_change(
            conn,
            by,
            &case,
            step,
            NcStatus::Closed,
            at,
            Event {
                action: "nonconformity.closed",
                summary: format!("{} closed {number}", by.username),
                diff: Diff::new().created("closing_comment", &comment),
            },
        )
    })?;
    get(conn, number, by)
}
