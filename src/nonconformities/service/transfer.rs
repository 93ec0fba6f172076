//! Moving a case to another process: when it was reported against the wrong
//! one, when the analysis finds the cause lies elsewhere, or when the owner
//! is away and a quality manager sends it to a process that can act. The
//! new owner accepts it afresh; what was recorded so far stays.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::super::model::NcStatus;
use super::{NcPolicy, NonconformityView, ask, commit_change, get, lock_case, process_by_code};
use crate::audit::Diff;
use crate::auth::model::User;
use crate::db::schema::{nonconformities, processes};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code};
use crate::kit::record::Event;
use crate::kit::text::required_long as required_text;

/// Makes `responsible` (a process code) responsible for the case, with the
/// reason; the case returns to `reported` for that process's owner to
/// accept. The responsible owner or a quality manager may, until actions
/// are planned.
///
/// # Errors
/// `forbidden`, `not_case_handler`, `reason_required`, `process_not_found`,
/// `process_retired`, `same_process`, `invalid_transition`.
pub fn transfer(
    conn: &mut DbConn,
    policy: NcPolicy,
    by: &User,
    number: &str,
    responsible: &str,
    reason: &str,
    at: NaiveDateTime,
) -> AppResult<NonconformityView> {
    ask(by, "transfer")?;
    let reason = required_text("the reason", Code::ReasonRequired, reason)?;
    let (target, _) = process_by_code(conn, responsible)?;
    let (code, status): (String, String) = processes::table
        .find(&target)
        .select((processes::code, processes::status))
        .first(conn)?;
    if status != "active" {
        return Err(AppError::invalid(
            Code::ProcessRetired,
            format!("{code} is retired; choose an active process"),
        ));
    }
    write_tx(conn, |conn| {
        let case = lock_case(conn, number, policy.today(at))?;
        let step = case.check(conn, "transfer", by)?;
        if case.row.responsible_id == target {
            return Err(AppError::invalid(
                Code::SameProcess,
                format!("{number} is {code}'s already"),
            ));
        }
        let from: String = processes::table
            .find(&case.row.responsible_id)
            .select(processes::code)
            .first(conn)?;
        diesel::update(nonconformities::table.find(&case.row.id))
            .set((
                nonconformities::responsible_id.eq(&target),
                nonconformities::accepted_by.eq(None::<String>),
                nonconformities::accepted_at.eq(None::<NaiveDateTime>),
                nonconformities::accept_due_at
                    .eq(at + TimeDelta::days(i64::from(policy.acceptance_days))),
            ))
            .execute(conn)?;
        crate::mail::events::nonconformity_to_accept(conn, &case.row.id, by.id.as_str(), at)?;
        commit_change(
            conn,
            by,
            &case,
            step,
            NcStatus::Reported,
            at,
            Event {
                action: "nonconformity.transferred",
                summary: format!(
                    "{} moved {number} from {from} to {code}: {reason}",
                    by.username
                ),
                diff: Diff::new()
                    .field("responsible", &from, &code)
                    .created("reason", &reason),
            },
        )
    })?;
    get(conn, number, by)
}
