//! The rules for nonconformities. No HTTP in here.

use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{NcKind, NcStatus, Severity};
use crate::audit::{self, Actor, Change, Diff};
use crate::auth::model::{Role, User};
use crate::db::schema::{nc_sequences, nonconformities, processes, users};
use crate::db::{self, DbConn, LockKey, write_tx};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::ids::{new_id, now};
use crate::listing::{Page, paging};

fn actor(u: &User) -> Actor {
    Actor::user(&u.id, &u.username)
}

fn process_id(conn: &mut DbConn, code: &str) -> AppResult<(String, String)> {
    processes::table
        .filter(processes::code.eq(code.trim()))
        .select((processes::id, processes::owner_id))
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::invalid("process_not_found", format!("no process {code}")))
}

/// What a reporter sends. The form is short; the responsible owner fills in the rest later.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewNonconformity {
    /// `deviation`, `internal_complaint`, `customer_complaint`, `supplier`, `audit_finding`, `customer_property`.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Code of the process where it was detected.
    pub detected_in: Option<String>,
    /// Code of the process responsible (for a complaint: the supplying process).
    pub responsible: String,
    /// `minor`, `major` or `critical`.
    pub severity: String,
    /// Order, product, lot: free text.
    #[serde(default)]
    pub references: String,
    /// Date detected (default: today).
    pub detected_on: Option<String>,
}

/// A nonconformity as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NonconformityView {
    pub number: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub detected_on: NaiveDateTime,
    pub detected_in: Option<String>,
    pub responsible: String,
    pub reporter: String,
    pub severity: String,
    pub references: String,
    pub status: String,
    pub rejection_reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub version: i32,
}

/// Records a report and allocates its number in the same transaction:
/// consecutive per year, no gaps, no duplicates under concurrency.
///
/// # Errors
/// `forbidden` (auditors change nothing), validation codes, `process_not_found`.
pub fn report(conn: &mut DbConn, by: &User, new: NewNonconformity) -> AppResult<NonconformityView> {
    by.require_any(&[Role::Staff, Role::ProcessOwner, Role::QualityManager])?;
    let kind = NcKind::parse(&new.kind)?;
    let severity = Severity::parse(&new.severity)?;
    let title = crate::processes::model::short_text("a title", "invalid_title", &new.title)?;
    let description = crate::processes::model::long_text("the description", &new.description)?;
    let references = crate::processes::model::long_text("the references", &new.references)?;
    let (responsible, _) = process_id(conn, &new.responsible)?;
    let detected_in = match new.detected_in.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(code) => Some(process_id(conn, code)?.0),
        None => None,
    };
    let t = now();
    let detected_on = match new.detected_on.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => {
            let d = audit::parse_time("detected_on", s)?;
            if d > t {
                return Err(AppError::invalid(
                    "detected_in_future",
                    "a nonconformity cannot be detected in the future",
                ));
            }
            d
        }
        None => t.date().and_time(chrono::NaiveTime::MIN),
    };
    let year = t.year();
    let number = write_tx(conn, |conn| {
        db::lock(conn, LockKey::NcNumbers)?;
        let next: Option<i32> = nc_sequences::table
            .find(year)
            .select(nc_sequences::next_value)
            .first(conn)
            .optional()?;
        let seq = next.unwrap_or(1);
        match next {
            Some(_) => diesel::update(nc_sequences::table.find(year))
                .set(nc_sequences::next_value.eq(seq + 1))
                .execute(conn)?,
            None => diesel::insert_into(nc_sequences::table)
                .values((
                    nc_sequences::year.eq(year),
                    nc_sequences::next_value.eq(seq + 1),
                ))
                .execute(conn)?,
        };
        let number = format!("NC-{year}-{seq:03}");
        let id = new_id();
        diesel::insert_into(nonconformities::table)
            .values((
                nonconformities::id.eq(&id),
                nonconformities::number.eq(&number),
                nonconformities::year.eq(year),
                nonconformities::seq.eq(seq),
                nonconformities::kind.eq(kind.as_str()),
                nonconformities::title.eq(&title),
                nonconformities::description.eq(&description),
                nonconformities::detected_on.eq(detected_on),
                nonconformities::detected_in_id.eq(&detected_in),
                nonconformities::responsible_id.eq(&responsible),
                nonconformities::reporter_id.eq(by.id.as_str()),
                nonconformities::severity.eq(severity.as_str()),
                nonconformities::refs.eq(&references),
                nonconformities::status.eq(NcStatus::Reported.as_str()),
                nonconformities::version.eq(1),
                nonconformities::created_at.eq(t),
                nonconformities::updated_at.eq(t),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "nonconformity.reported",
                entity_type: "nonconformity",
                entity_id: &number,
                summary: format!("{} reported {number}: {title}", by.username),
                changes: Diff::new()
                    .created("kind", &kind.as_str())
                    .created("title", &title)
                    .created("severity", &severity.as_str())
                    .created("responsible", &new.responsible)
                    .created("detected_in", &new.detected_in)
                    .into_value(),
            },
        )?;
        Ok(number)
    })?;
    get(conn, &number)
}

type Row = (
    (
        String,
        String,
        String,
        String,
        NaiveDateTime,
        Option<String>,
        String,
        String,
    ),
    (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<NaiveDateTime>,
        NaiveDateTime,
        i32,
    ),
);

fn load(conn: &mut DbConn, number: &str) -> AppResult<Row> {
    nonconformities::table
        .filter(nonconformities::number.eq(number))
        .select((
            (
                nonconformities::number,
                nonconformities::kind,
                nonconformities::title,
                nonconformities::description,
                nonconformities::detected_on,
                nonconformities::detected_in_id,
                nonconformities::responsible_id,
                nonconformities::reporter_id,
            ),
            (
                nonconformities::severity,
                nonconformities::refs,
                nonconformities::status,
                nonconformities::rejection_reason,
                nonconformities::decided_by,
                nonconformities::decided_at,
                nonconformities::created_at,
                nonconformities::version,
            ),
        ))
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            AppError::not_found(
                "nonconformity_not_found",
                format!("no nonconformity {number}"),
            )
        })
}

fn code_of(conn: &mut DbConn, id: &str) -> AppResult<String> {
    Ok(processes::table
        .find(id)
        .select(processes::code)
        .first(conn)?)
}

fn username(conn: &mut DbConn, id: &str) -> AppResult<String> {
    Ok(users::table.find(id).select(users::username).first(conn)?)
}

/// One nonconformity.
///
/// # Errors
/// `nonconformity_not_found`.
pub fn get(conn: &mut DbConn, number: &str) -> AppResult<NonconformityView> {
    let (
        (number, kind, title, description, detected_on, detected_in, responsible, reporter),
        (
            severity,
            references,
            status,
            rejection_reason,
            decided_by,
            decided_at,
            created_at,
            version,
        ),
    ) = load(conn, number)?;
    Ok(NonconformityView {
        detected_in: match detected_in {
            Some(id) => Some(code_of(conn, &id)?),
            None => None,
        },
        responsible: code_of(conn, &responsible)?,
        reporter: username(conn, &reporter)?,
        decided_by: match decided_by {
            Some(id) => Some(username(conn, &id)?),
            None => None,
        },
        number,
        kind,
        title,
        description,
        detected_on,
        severity,
        references,
        status,
        rejection_reason,
        decided_at,
        created_at,
        version,
    })
}

/// Filters for the list.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NcFilter {
    pub status: Option<String>,
    pub kind: Option<String>,
    /// Process code, as responsible or as where it was detected.
    pub process: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Nonconformities, newest first.
///
/// # Errors
/// A database fault.
pub fn list(conn: &mut DbConn, f: &NcFilter) -> AppResult<Page<NonconformityView>> {
    // An unknown process code matches nothing rather than everything.
    let pid: Option<String> = f
        .process
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|code| process_id(conn, code).map(|p| p.0).unwrap_or_default());
    let filtered = || {
        let mut q = nonconformities::table.into_boxed();
        if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
            q = q.filter(nonconformities::status.eq(s.to_string()));
        }
        if let Some(k) = f.kind.as_deref().filter(|s| !s.is_empty()) {
            q = q.filter(nonconformities::kind.eq(k.to_string()));
        }
        if let Some(p) = &pid {
            q = q.filter(
                nonconformities::responsible_id
                    .eq(p.clone())
                    .or(nonconformities::detected_in_id.eq(p.clone())),
            );
        }
        q
    };
    let (page, per_page) = paging(f.page, f.per_page);
    let total: i64 = filtered().count().get_result(conn)?;
    let numbers: Vec<String> = filtered()
        .order((nonconformities::year.desc(), nonconformities::seq.desc()))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(nonconformities::number)
        .load(conn)?;
    let items = numbers
        .iter()
        .map(|n| get(conn, n))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

/// Accepts a reported nonconformity: only the owner of the responsible process.
///
/// # Errors
/// `not_responsible_owner`, `invalid_transition`.
pub fn accept(conn: &mut DbConn, by: &User, number: &str) -> AppResult<NonconformityView> {
    decide(conn, by, number, None)
}

/// Rejects a report as not a nonconformity, with a reason.
///
/// # Errors
/// `reason_required`, `not_responsible_owner`, `invalid_transition`.
pub fn reject(
    conn: &mut DbConn,
    by: &User,
    number: &str,
    reason: &str,
) -> AppResult<NonconformityView> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason_required",
            "say why this is not a nonconformity",
        ));
    }
    decide(conn, by, number, Some(reason))
}

fn decide(
    conn: &mut DbConn,
    by: &User,
    number: &str,
    rejection: Option<&str>,
) -> AppResult<NonconformityView> {
    let t = now();
    write_tx(conn, |conn| {
        let ((_, _, _, _, _, _, responsible, _), (_, _, status, _, _, _, _, version)) =
            load(conn, number)?;
        let owner: String = processes::table
            .find(&responsible)
            .select(processes::owner_id)
            .first(conn)?;
        if owner != by.id.0 {
            return Err(AppError::new(
                ErrorKind::Forbidden,
                "not_responsible_owner",
                "only the owner of the responsible process accepts or rejects a nonconformity",
            ));
        }
        if status != NcStatus::Reported.as_str() {
            return Err(AppError::conflict(
                "invalid_transition",
                format!(
                    "{number} is {status}; only a reported nonconformity is accepted or rejected"
                ),
            ));
        }
        let after = if rejection.is_some() {
            NcStatus::Rejected
        } else {
            NcStatus::Accepted
        };
        diesel::update(nonconformities::table.filter(nonconformities::number.eq(number)))
            .set((
                nonconformities::status.eq(after.as_str()),
                nonconformities::rejection_reason.eq(rejection),
                nonconformities::decided_by.eq(Some(by.id.as_str())),
                nonconformities::decided_at.eq(Some(t)),
                nonconformities::version.eq(version + 1),
                nonconformities::updated_at.eq(t),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: if rejection.is_some() {
                    "nonconformity.rejected"
                } else {
                    "nonconformity.accepted"
                },
                entity_type: "nonconformity",
                entity_id: number,
                summary: match rejection {
                    Some(r) => format!("{} rejected {number}: {r}", by.username),
                    None => format!("{} accepted {number}", by.username),
                },
                changes: Diff::new()
                    .field("status", &status.as_str(), &after.as_str())
                    .field("rejection_reason", &None, &rejection)
                    .into_value(),
            },
        )?;
        Ok(())
    })?;
    get(conn, number)
}
