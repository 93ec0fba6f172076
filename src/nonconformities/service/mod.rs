//! The rules for nonconformities and corrective actions. No HTTP in here.
//!
//! Every change locks the nonconformity's row for its transaction
//! ([`db::lock_row`] on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already
//! serialises writers), checks the state and who is asking, writes, and
//! records one audit event under the entity `nonconformity` and its number,
//! so the trail of one case reads as its history. Functions take the time
//! (`at`) so that the scheduler, the demo loader and tests can say when.

mod actions;
mod files;
mod flow;
mod overdue;
mod tasks;
mod transfer;
mod views;
mod workflow;

pub use actions::{
    ACTION_OWNERS, ActionDone, NewAction, add_action, cancel_action, complete_action,
};
pub use files::{AttachmentFile, add_attachment, attachment, link_document};
pub use flow::{ACTION_FLOW, ActionFacts, CASE_FLOW, CaseFacts};
pub use overdue::mark_overdue;
pub use tasks::tasks;
pub use transfer::transfer;
pub use views::{
    ActionView, AnalysisView, AttachmentView, CheckView, DispositionView, LinkedDocument, NcFilter,
    NcSummary, NonconformityView, get, list,
};
pub use workflow::{
    AnalysisInput, DispositionInput, accept, analyse, close, decide_disposition, reject, verify,
};

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Deserialize;

use super::model::{NcKind, NcRow, NcStatus, Severity};
use crate::audit::{self, Actor, Change, Diff};
use crate::auth::model::{Role, User};
use crate::config::Config;
use crate::db::schema::{nc_documents, nonconformities, processes};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code};
use crate::ids::new_id;
use crate::kit::date::{midnight, parse_date};
use crate::kit::record::{self, Event, Record};
use crate::kit::text::{long_text, short_text};

/// Deadlines and the calendar, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct NcPolicy {
    /// Days the responsible owner has to accept or reject a report.
    pub acceptance_days: u32,
    /// Days from the last action done to the effectiveness check, unless planned.
    pub effectiveness_days: u32,
    /// The site's time zone: what "today" is for dates people type
    /// (detected on, due on) and for what is late.
    pub tz: chrono_tz::Tz,
}

impl NcPolicy {
    /// The policy of a configuration and its (already parsed) time zone.
    pub fn new(c: &Config, tz: chrono_tz::Tz) -> NcPolicy {
        NcPolicy {
            acceptance_days: c.nc_acceptance_days,
            effectiveness_days: c.nc_effectiveness_days,
            tz,
        }
    }

    /// The running server's policy.
    pub fn of(state: &crate::state::AppState) -> NcPolicy {
        NcPolicy::new(&state.config, state.tz)
    }

    /// The site's calendar date at the UTC time `at`.
    pub fn today(&self, at: NaiveDateTime) -> NaiveDate {
        at.and_utc().with_timezone(&self.tz).date_naive()
    }
}

impl Default for NcPolicy {
    fn default() -> Self {
        NcPolicy::new(&Config::default(), chrono_tz::UTC)
    }
}

/// Roles that may report a nonconformity: everyone who works here, not
/// auditors (who change nothing) nor a bare admin account.
pub const REPORTERS: &[Role] = &[Role::Staff, Role::ProcessOwner, Role::QualityManager];

/// Roles among which the handlers of a case are found (the responsible
/// process's owner holds one of them); checked before anything is looked up.
pub const HANDLERS: &[Role] = &[Role::ProcessOwner, Role::QualityManager];

pub(crate) fn actor(u: &User) -> Actor {
    Actor::user(&u.id, &u.username)
}

pub(crate) fn not_found(number: &str) -> AppError {
    AppError::not_found(
        Code::NonconformityNotFound,
        format!("no nonconformity {number}"),
    )
}

/// A process by code: (id, owner id).
pub(crate) fn process_by_code(conn: &mut DbConn, code: &str) -> AppResult<(String, String)> {
    crate::processes::service::find_by_code(conn, code.trim())?
        .map(|p| (p.id, p.owner_id))
        .ok_or_else(|| AppError::invalid(Code::ProcessNotFound, format!("no process {code}")))
}

/// A case read for change (or for what a reader may do): its row and the
/// owner of the responsible process.
pub(crate) struct Case {
    pub row: NcRow,
    pub status: NcStatus,
    pub owner_id: String,
    /// The site's date when the change happens.
    pub today: NaiveDate,
}

impl Case {
    /// Checks `step` of the case flow for `by`, reading the facts.
    ///
    /// # Errors
    /// The step's refusal.
    pub fn check(
        &self,
        conn: &mut DbConn,
        step: &str,
        by: &User,
    ) -> AppResult<&'static crate::kit::flow::Step<CaseFacts>> {
        let facts = CaseFacts::read(conn, self, by)?;
        CASE_FLOW.check(step, &facts)
    }
}

impl Record for Case {
    type State = NcStatus;
    const ENTITY: &'static str = "nonconformity";

    fn find(conn: &mut DbConn, key: &str) -> AppResult<Option<String>> {
        Ok(nonconformities::table
            .filter(nonconformities::number.eq(key))
            .select(nonconformities::id)
            .first(conn)
            .optional()?)
    }

    fn load(conn: &mut DbConn, id: &str) -> AppResult<Case> {
        let row: NcRow = nonconformities::table
            .find(id)
            .select(NcRow::as_select())
            .first(conn)?;
        let owner_id: String = processes::table
            .find(&row.responsible_id)
            .select(processes::owner_id)
            .first(conn)?;
        Ok(Case {
            status: row.status,
            row,
            owner_id,
            today: NaiveDate::default(),
        })
    }

    fn not_found(key: &str) -> AppError {
        not_found(key)
    }

    fn id(&self) -> &str {
        &self.row.id
    }

    fn key(&self) -> &str {
        &self.row.number
    }

    fn version(&self) -> i32 {
        self.row.version
    }

    fn state(&self) -> NcStatus {
        self.status
    }

    fn write_state(
        &self,
        conn: &mut DbConn,
        next: NcStatus,
        version: i32,
        at: NaiveDateTime,
    ) -> AppResult<usize> {
        Ok(diesel::update(
            nonconformities::table
                .find(&self.row.id)
                .filter(nonconformities::version.eq(self.row.version)),
        )
        .set((
            nonconformities::status.eq(next),
            nonconformities::version.eq(version),
            nonconformities::updated_at.eq(at),
        ))
        .execute(conn)?)
    }

    /// A change can end what was late (an acceptance, say): the mark follows.
    fn after_write(&self, conn: &mut DbConn, at: NaiveDateTime, diff: Diff) -> AppResult<Diff> {
        let overdue = overdue::refresh(conn, &self.row.id, at, self.today)?;
        Ok(diff.field("overdue", &self.row.overdue, &overdue))
    }
}

/// Refuses a reader without the roles of `step` (a step of the case or of
/// an action), before anything is read or parsed.
///
/// # Errors
/// `forbidden`.
pub fn ask(by: &User, step: &str) -> AppResult<()> {
    match CASE_FLOW.step(step) {
        Ok(s) => s.require_role(by),
        Err(_) => ACTION_FLOW.step(step)?.require_role(by),
    }
}

/// Loads and locks a case inside a write transaction; `today` is the
/// site's date of the change.
///
/// # Errors
/// `nonconformity_not_found`.
pub(crate) fn lock_case(conn: &mut DbConn, number: &str, today: NaiveDate) -> AppResult<Case> {
    let mut case: Case = record::lock(conn, number)?;
    case.today = today;
    Ok(case)
}

/// Moves a case to `status` (or leaves it) with the audit event, after
/// checking that `step` leads there: the one way every change to a case is
/// written.
pub(crate) fn commit_change(
    conn: &mut DbConn,
    by: &User,
    case: &Case,
    step: &crate::kit::flow::Step<CaseFacts>,
    status: NcStatus,
    at: NaiveDateTime,
    event: Event<'_>,
) -> AppResult<()> {
    CASE_FLOW.require_target(step, case.status, status)?;
    record::commit(conn, &actor(by), case, status, at, event)
}

/// Writes a change to a case whose state follows from something else (an
/// action done or cancelled moves the case on); the action's own step was
/// checked against [`ACTION_FLOW`].
pub(crate) fn commit_following(
    conn: &mut DbConn,
    by: &User,
    case: &Case,
    status: NcStatus,
    at: NaiveDateTime,
    event: Event<'_>,
) -> AppResult<()> {
    record::commit(conn, &actor(by), case, status, at, event)
}

/// What a reporter sends. The form is short; the responsible owner fills in the rest later.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewNonconformity {
    /// `deviation`, `internal_complaint`, `customer_complaint`, `supplier`, `audit_finding`, `customer_property`, or `improvement` (an opportunity
    /// for improvement, a customer's idea say: its actions may be planned without a root-cause analysis).
    #[schema(value_type = crate::nonconformities::model::NcKind)]
    pub kind: String,
    /// A short title, one line.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// What happened, in the reporter's words.
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub description: String,
    /// Code of the process where it was detected.
    pub detected_in: Option<String>,
    /// Code of the process responsible (for an internal complaint: the supplying process).
    pub responsible: String,
    /// `minor`, `major` or `critical`.
    #[schema(value_type = crate::nonconformities::model::Severity)]
    pub severity: String,
    /// Order, product, lot: free text.
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub references: String,
    /// Date detected, `2026-11-23` (default: today).
    #[schema(value_type = Option<chrono::NaiveDate>)]
    pub detected_on: Option<String>,
    /// Numbers of controlled documents concerned.
    #[serde(default)]
    pub documents: Vec<String>,
    /// The number of the record it is reported from (a deviation in a
    /// record of a form template): the case and the record are linked both ways.
    pub record: Option<String>,
    /// The id of the customer's survey answer it is opened from (a
    /// complaint, or an idea taken forward): linked both ways. Only those
    /// who read survey answers (quality managers, process owners) name one.
    #[serde(default)]
    pub survey_answer: Option<String>,
}

/// A report, checked.
struct Report {
    kind: NcKind,
    severity: Severity,
    title: String,
    description: String,
    references: String,
    responsible: String,
    detected_in: Option<String>,
    detected_on: NaiveDateTime,
    documents: Vec<(String, String)>,
    record: Option<(String, String)>,
    survey_answer: Option<String>,
}

fn check_report(
    conn: &mut DbConn,
    by: &User,
    new: &NewNonconformity,
    today: NaiveDate,
) -> AppResult<Report> {
    let kind = NcKind::parse(&new.kind)?;
    let severity = Severity::parse(&new.severity)?;
    let title = short_text("a title", Code::InvalidTitle, &new.title)?;
    let description = long_text("the description", &new.description)?;
    let references = long_text("the references", &new.references)?;
    let (responsible, _) = process_by_code(conn, &new.responsible)?;
    let detected_in = match new.detected_in.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(code) => Some(process_by_code(conn, code)?.0),
        None => None,
    };
    let detected_on = match new.detected_on.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => {
            let d = parse_date("detected_on", s)?;
            if d > today {
                return Err(AppError::invalid(
                    Code::DetectedInFuture,
                    "a nonconformity cannot be detected in the future",
                ));
            }
            midnight(d)
        }
        None => midnight(today),
    };
    let mut documents = Vec::new();
    for number in new
        .documents
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
    {
        let id = files::document_id(conn, number)?;
        if !documents.iter().any(|(i, _)| i == &id) {
            documents.push((id, number.to_string()));
        }
    }
    let record = match new
        .record
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(number) => Some((
            crate::records::service::record_id(conn, number)?,
            number.to_string(),
        )),
        None => None,
    };
    let survey_answer = match new
        .survey_answer
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(id) => Some(crate::feedback::links::check_answer(conn, by, id)?),
        None => None,
    };
    Ok(Report {
        record,
        survey_answer,
        kind,
        severity,
        title,
        description,
        references,
        responsible,
        detected_in,
        detected_on,
        documents,
    })
}

/// Records a report and allocates its number in the same transaction:
/// consecutive per year, no gaps, no duplicates under concurrency.
///
/// # Errors
/// `forbidden` (auditors change nothing), validation codes, `process_not_found`,
/// `document_not_found`.
pub fn report(
    conn: &mut DbConn,
    policy: NcPolicy,
    by: &User,
    new: NewNonconformity,
    at: NaiveDateTime,
) -> AppResult<NonconformityView> {
    by.require_any(REPORTERS)?;
    let today = policy.today(at);
    let r = check_report(conn, by, &new, today)?;
    let year = today.year();
    let number = write_tx(conn, |conn| {
        // Per year, under the prefix's lock: consecutive, no gaps, no duplicates.
        let seq = crate::kit::sequence::next(conn, &format!("NC-{year}"))?;
        let number = format!("NC-{year}-{seq:03}");
        let id = new_id();
        let accept_due_at = at + TimeDelta::days(i64::from(policy.acceptance_days));
        diesel::insert_into(nonconformities::table)
            .values((
                nonconformities::id.eq(&id),
                nonconformities::number.eq(&number),
                nonconformities::year.eq(year),
                nonconformities::seq.eq(seq),
                nonconformities::kind.eq(r.kind),
                nonconformities::title.eq(&r.title),
                nonconformities::description.eq(&r.description),
                nonconformities::detected_on.eq(r.detected_on),
                nonconformities::detected_in_id.eq(&r.detected_in),
                nonconformities::responsible_id.eq(&r.responsible),
                nonconformities::reporter_id.eq(by.id.as_str()),
                nonconformities::severity.eq(r.severity),
                nonconformities::refs.eq(&r.references),
                nonconformities::status.eq(NcStatus::Reported),
                nonconformities::accept_due_at.eq(accept_due_at),
                nonconformities::overdue.eq(false),
                nonconformities::version.eq(1),
                nonconformities::created_at.eq(at),
                nonconformities::updated_at.eq(at),
            ))
            .execute(conn)?;
        for (document_id, _) in &r.documents {
            diesel::insert_into(nc_documents::table)
                .values((
                    nc_documents::nc_id.eq(&id),
                    nc_documents::document_id.eq(document_id),
                    nc_documents::linked_by.eq(by.id.as_str()),
                    nc_documents::linked_at.eq(at),
                ))
                .execute(conn)?;
        }
        if let Some((record_id, _)) = &r.record {
            crate::records::service::link_nonconformity(conn, by, record_id, &id, at)?;
        }
        if let Some(answer) = &r.survey_answer {
            crate::feedback::links::link(conn, by, answer, &id, at)?;
        }
        crate::mail::events::nonconformity_to_accept(conn, &id, by.id.as_str(), at)?;
        let documents: Vec<&str> = r.documents.iter().map(|(_, n)| n.as_str()).collect();
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "nonconformity.reported",
                entity_type: "nonconformity",
                entity_id: &number,
                summary: format!("{} reported {number}: {}", by.username, r.title),
                changes: Diff::new()
                    .created("kind", &r.kind.as_str())
                    .created("title", &r.title)
                    .created("description", &r.description)
                    .created("severity", &r.severity.as_str())
                    .created("responsible", &new.responsible.trim())
                    .created("detected_in", &new.detected_in)
                    .created("detected_on", &r.detected_on.date())
                    .created("references", &r.references)
                    .created("documents", &documents)
                    .created("record", &r.record.as_ref().map(|(_, n)| n))
                    .created("survey_answer", &r.survey_answer)
                    .into_value(),
            },
        )?;
        Ok(number)
    })?;
    get(conn, &number, by)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn today_is_the_sites_date() {
        let helsinki = NcPolicy {
            tz: chrono_tz::Europe::Helsinki,
            ..NcPolicy::default()
        };
        let late_evening_utc = NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(23, 30, 0)
            .unwrap();
        assert_eq!(
            helsinki.today(late_evening_utc),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
        assert_eq!(
            NcPolicy::default().today(late_evening_utc),
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
        );
    }
}
