//! Corrective actions: planned after the root cause is known, carried out
//! by their owners, never rewritten. When the last open action is done the
//! case waits for its effectiveness check.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Deserialize;

use super::super::model::{ActionRow, ActionStatus, NcStatus};
use super::{
    ACTION_FLOW, ActionFacts, Case, NcPolicy, NonconformityView, ask, commit_change,
    commit_following, get, lock_case,
};
use crate::audit::Diff;
use crate::auth::model::{Role, User};
use crate::auth::service as users;
use crate::db::schema::{corrective_actions, documents, nonconformities, revisions};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code, ErrorKind};
use crate::ids::new_id;
use crate::kit::date::future_date;
use crate::kit::date::midnight;
use crate::kit::record::Event;
use crate::kit::text::required_long as required_text;

/// A corrective action as its planner writes it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewAction {
    /// What is to be done.
    #[schema(min_length = 1, max_length = 10000)]
    pub description: String,
    /// Username of who carries it out.
    pub owner: String,
    /// `2026-12-15`.
    #[schema(value_type = chrono::NaiveDate)]
    pub due_on: String,
    /// Number of a controlled document the action changes; the action is
    /// done when a revision of it has been approved.
    pub document: Option<String>,
}

/// The roles whose holders may own a corrective action: people who do the
/// work. Auditors change nothing; an administrator-only account runs Laatu.
pub const ACTION_OWNERS: &[Role] = &[Role::Staff, Role::ProcessOwner, Role::QualityManager];

/// Plans a corrective action (the responsible owner or a quality manager).
/// Returns the case and the new action's id.
///
/// # Errors
/// `forbidden`, `not_case_handler`, `analysis_required`, `invalid_transition`,
/// `description_required`, `action_owner_not_found`, `action_owner_inactive`,
/// `invalid_date`, `date_in_past`, `document_not_found`.
pub fn add_action(
    conn: &mut DbConn,
    policy: NcPolicy,
    by: &User,
    number: &str,
    new: NewAction,
    at: NaiveDateTime,
) -> AppResult<(NonconformityView, String)> {
    ask(by, "plan_action")?;
    let description = required_text(
        "the description",
        Code::DescriptionRequired,
        &new.description,
    )?;
    let due_on = future_date("due_on", &new.due_on, policy.today(at))?;
    let owner = users::user_by_username(conn, new.owner.trim()).map_err(|e| {
        if e.kind == ErrorKind::NotFound {
            AppError::invalid(
                Code::ActionOwnerNotFound,
                format!("there is no user {}", new.owner.trim()),
            )
        } else {
            e
        }
    })?;
    if !(owner.active && owner.expires_at.is_none_or(|t| at < t)) {
        return Err(AppError::invalid(
            Code::ActionOwnerInactive,
            format!("{} cannot log in; choose someone who can", owner.username),
        ));
    }
    if !owner.has_any(ACTION_OWNERS) {
        return Err(AppError::invalid(
            Code::ActionOwnerCannotAct,
            format!(
                "{} cannot own an action: an action owner is staff, a process owner or a quality manager",
                owner.username
            ),
        ));
    }
    let document = match new.document.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => Some((super::files::document_id(conn, n)?, n.to_string())),
        _ => None,
    };
    let id = new_id();
    write_tx(conn, |conn| {
        let case = lock_case(conn, number, policy.today(at))?;
        let step = case.check(conn, "plan_action", by)?;
        diesel::insert_into(corrective_actions::table)
            .values(&ActionRow {
                id: id.clone(),
                nc_id: case.row.id.clone(),
                description: description.clone(),
                owner_id: owner.id.0.clone(),
                due_on,
                status: ActionStatus::Open,
                document_id: document.as_ref().map(|(i, _)| i.clone()),
                document_revision: None,
                completion_note: String::new(),
                completed_by: None,
                completed_at: None,
                overdue: false,
                created_by: by.id.0.clone(),
                created_at: at,
            })
            .execute(conn)?;
        crate::mail::events::action_assigned(conn, &id, by.id.as_str(), at)?;
        commit_change(
            conn,
            by,
            &case,
            step,
            NcStatus::ActionsPlanned,
            at,
            Event {
                action: "nonconformity.action_planned",
                summary: format!(
                    "{} planned an action on {number} for {}: {description}",
                    by.username, owner.username
                ),
                diff: Diff::new()
                    .created("action", &id)
                    .created("description", &description)
                    .created("owner", &owner.username)
                    .created("due_on", &due_on.date())
                    .created("document", &document.as_ref().map(|(_, n)| n)),
            },
        )
    })?;
    Ok((get(conn, number, by)?, id))
}

fn action_of(conn: &mut DbConn, case: &Case, action_id: &str) -> AppResult<ActionRow> {
    corrective_actions::table
        .find(action_id)
        .filter(corrective_actions::nc_id.eq(&case.row.id))
        .select(ActionRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            AppError::not_found(
                Code::ActionNotFound,
                format!("{} has no action {action_id}", case.row.number),
            )
        })
}

/// The approved revision that carries an action's change to a document:
/// the one named, or else the latest approved since the action was planned.
fn document_revision(
    conn: &mut DbConn,
    a: &ActionRow,
    document_id: &str,
    named: Option<i32>,
) -> AppResult<i32> {
    let (number,): (String,) = documents::table
        .find(document_id)
        .select((documents::number,))
        .first(conn)?;
    let approved = ["approved", "effective", "superseded"];
    let found: Option<i32> = match named {
        Some(n) => revisions::table
            .filter(revisions::document_id.eq(document_id))
            .filter(revisions::rev.eq(n))
            .filter(revisions::status.eq_any(approved))
            .select(revisions::rev)
            .first(conn)
            .optional()?,
        None => revisions::table
            .filter(revisions::document_id.eq(document_id))
            .filter(revisions::status.eq_any(approved))
            .filter(revisions::approved_at.ge(a.created_at))
            .order(revisions::rev.desc())
            .select(revisions::rev)
            .first(conn)
            .optional()?,
    };
    found.ok_or_else(|| match named {
        Some(n) => AppError::conflict(
            Code::DocumentRevisionNotApproved,
            format!("{number} revision {n} is not an approved revision"),
        ),
        None => AppError::conflict(
            Code::DocumentRevisionMissing,
            format!(
                "no revision of {number} has been approved since the action was planned; \
                 get the changed document approved first"
            ),
        ),
    })
}

/// After an action is closed: `actions_done` when none is open and one was
/// done (and the effectiveness check gets its date), `analysed` when all
/// were cancelled, else unchanged.
fn status_after_actions(
    conn: &mut DbConn,
    policy: NcPolicy,
    case: &Case,
    diff: Diff,
) -> AppResult<(NcStatus, Diff)> {
    let statuses: Vec<ActionStatus> = corrective_actions::table
        .filter(corrective_actions::nc_id.eq(&case.row.id))
        .select(corrective_actions::status)
        .load(conn)?;
    if statuses.contains(&ActionStatus::Open) {
        return Ok((case.status, diff));
    }
    if !statuses.contains(&ActionStatus::Done) {
        return Ok((NcStatus::Analysed, diff));
    }
    if case.row.effectiveness_due_on.is_some() {
        return Ok((NcStatus::ActionsDone, diff));
    }
    let due = midnight(case.today) + TimeDelta::days(i64::from(policy.effectiveness_days));
    diesel::update(nonconformities::table.find(&case.row.id))
        .set(nonconformities::effectiveness_due_on.eq(Some(due)))
        .execute(conn)?;
    Ok((
        NcStatus::ActionsDone,
        diff.field("effectiveness_due_on", &None, &Some(due.date())),
    ))
}

/// What was done.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ActionDone {
    /// What was done.
    #[schema(min_length = 1, max_length = 10000)]
    pub note: String,
    /// For an action that changes a document: the approved revision that
    /// carries the change (default: the latest approved since the action was planned).
    pub document_revision: Option<i32>,
}

/// Marks an action done with a note of what was done (its owner, or the
/// responsible owner on their behalf). An action that changes a document
/// records the approved revision that carries the change.
///
/// # Errors
/// `not_action_owner`, `action_not_found`, `action_not_open`, `note_required`,
/// `document_revision_missing`, `document_revision_not_approved`.
pub fn complete_action(
    conn: &mut DbConn,
    policy: NcPolicy,
    by: &User,
    number: &str,
    action_id: &str,
    done: ActionDone,
    at: NaiveDateTime,
) -> AppResult<NonconformityView> {
    let ActionDone {
        note,
        document_revision: revision,
    } = done;
    write_tx(conn, |conn| {
        let case = lock_case(conn, number, policy.today(at))?;
        let a = action_of(conn, &case, action_id)?;
        ACTION_FLOW.check("complete", &ActionFacts::of(&case, &a, by))?;
        let note = required_text("the note", Code::NoteRequired, &note)?;
        let rev = match &a.document_id {
            Some(d) => Some(document_revision(conn, &a, d, revision)?),
            None => None,
        };
        diesel::update(corrective_actions::table.find(&a.id))
            .set((
                corrective_actions::status.eq(ActionStatus::Done),
                corrective_actions::completion_note.eq(&note),
                corrective_actions::completed_by.eq(Some(by.id.as_str())),
                corrective_actions::completed_at.eq(Some(at)),
                corrective_actions::document_revision.eq(rev),
                corrective_actions::overdue.eq(false),
            ))
            .execute(conn)?;
        let diff = Diff::new()
            .created("action", &a.id)
            .field("action_status", &a.status, &ActionStatus::Done)
            .created("note", &note)
            .created("document_revision", &rev);
        let (next, diff) = status_after_actions(conn, policy, &case, diff)?;
        commit_following(
            conn,
            by,
            &case,
            next,
            at,
            Event {
                action: "nonconformity.action_done",
                summary: format!("{} completed an action on {number}: {note}", by.username),
                diff,
            },
        )
    })?;
    get(conn, number, by)
}

/// Cancels an open action that turned out unnecessary, with the reason
/// (the responsible owner or a quality manager).
///
/// # Errors
/// `forbidden`, `not_case_handler`, `action_not_found`, `action_not_open`, `reason_required`.
pub fn cancel_action(
    conn: &mut DbConn,
    policy: NcPolicy,
    by: &User,
    number: &str,
    action_id: &str,
    reason: &str,
    at: NaiveDateTime,
) -> AppResult<NonconformityView> {
    ask(by, "cancel")?;
    let reason = required_text("the reason", Code::ReasonRequired, reason)?;
    write_tx(conn, |conn| {
        let case = lock_case(conn, number, policy.today(at))?;
        let a = action_of(conn, &case, action_id)?;
        ACTION_FLOW.check("cancel", &ActionFacts::of(&case, &a, by))?;
        diesel::update(corrective_actions::table.find(&a.id))
            .set((
                corrective_actions::status.eq(ActionStatus::Cancelled),
                corrective_actions::completion_note.eq(&reason),
                corrective_actions::completed_by.eq(Some(by.id.as_str())),
                corrective_actions::completed_at.eq(Some(at)),
                corrective_actions::overdue.eq(false),
            ))
            .execute(conn)?;
        let diff = Diff::new()
            .created("action", &a.id)
            .field("action_status", &a.status, &ActionStatus::Cancelled)
            .created("reason", &reason);
        let (next, diff) = status_after_actions(conn, policy, &case, diff)?;
        commit_following(
            conn,
            by,
            &case,
            next,
            at,
            Event {
                action: "nonconformity.action_cancelled",
                summary: format!("{} cancelled an action on {number}: {reason}", by.username),
                diff,
            },
        )
    })?;
    get(conn, number, by)
}
