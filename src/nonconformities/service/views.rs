//! Reading nonconformities: one case with everything recorded on it, and
//! paged lists that cost a fixed number of queries whatever the page size.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::super::model::{
    ActionRow, ActionStatus, AnalysisRow, CauseCategory, CheckRow, Disposition, DispositionRow,
    Effectiveness, NcKind, NcRow, NcStatus, Severity, Whys,
};
use super::{ACTION_FLOW, ActionFacts, CASE_FLOW, Case, CaseFacts, not_found};
use crate::auth::model::User;
use crate::db::DbConn;
use crate::db::schema::{
    corrective_actions, documents, effectiveness_checks, nc_analyses, nc_attachments,
    nc_dispositions, nc_documents, nonconformities, processes, users,
};
use crate::error::AppResult;
use crate::kit::list::{self, Page, Paging};
use crate::kit::record::Record;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// Usernames and process codes by id, loaded once for a set of rows.
#[derive(Default)]
pub(crate) struct Names {
    users: HashMap<String, String>,
    processes: HashMap<String, (String, String)>,
}

impl Names {
    /// The names of `user_ids` and `process_ids`, and of those processes' owners.
    pub fn load(
        conn: &mut DbConn,
        mut user_ids: HashSet<String>,
        process_ids: HashSet<String>,
    ) -> AppResult<Names> {
        let processes: HashMap<String, (String, String)> = processes::table
            .filter(processes::id.eq_any(process_ids))
            .select((processes::id, processes::code, processes::owner_id))
            .load::<(String, String, String)>(conn)?
            .into_iter()
            .map(|(id, code, owner)| (id, (code, owner)))
            .collect();
        user_ids.extend(processes.values().map(|(_, owner)| owner.clone()));
        let users = users::table
            .filter(users::id.eq_any(user_ids))
            .select((users::id, users::username))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
        Ok(Names { users, processes })
    }

    pub fn user(&self, id: &str) -> String {
        self.users.get(id).cloned().unwrap_or_default()
    }

    pub fn user_opt(&self, id: Option<&String>) -> Option<String> {
        id.map(|i| self.user(i))
    }

    pub fn process(&self, id: &str) -> String {
        self.processes
            .get(id)
            .map(|(c, _)| c.clone())
            .unwrap_or_default()
    }

    pub fn owner_of(&self, process_id: &str) -> Option<&str> {
        self.processes.get(process_id).map(|(_, o)| o.as_str())
    }
}

/// A nonconformity in a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NcSummary {
    /// The case's number, `NC-<year>-<seq>`.
    pub number: String,
    /// What kind of nonconformity.
    pub kind: NcKind,
    /// A short title.
    pub title: String,
    /// How bad it is.
    pub severity: Severity,
    /// Where it stands.
    pub status: NcStatus,
    /// Code of the responsible process.
    pub responsible: String,
    /// Code of the process where it was detected.
    pub detected_in: Option<String>,
    /// Username of who reported it.
    pub reporter: String,
    /// The date it was detected (in the site's time zone).
    pub detected_on: NaiveDate,
    /// When it was reported.
    #[serde(with = "crate::time::rfc3339")]
    pub created_at: NaiveDateTime,
    /// When it was closed.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub closed_at: Option<NaiveDateTime>,
    /// An acceptance, action or effectiveness check is late (set by the scheduler).
    pub overdue: bool,
}

fn summary(r: &NcRow, n: &Names) -> NcSummary {
    NcSummary {
        number: r.number.clone(),
        kind: r.kind,
        title: r.title.clone(),
        severity: r.severity,
        status: r.status,
        responsible: n.process(&r.responsible_id),
        detected_in: r.detected_in_id.as_deref().map(|p| n.process(p)),
        reporter: n.user(&r.reporter_id),
        detected_on: r.detected_on.date(),
        created_at: r.created_at,
        closed_at: r.closed_at,
        overdue: r.overdue,
    }
}

/// Containment, correction and the decision about the output (8.7.2).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DispositionView {
    /// What was done at once to contain it.
    pub containment: String,
    /// `rework`, `concession`, `scrap`, `return`, `use_as_is`, or none.
    pub disposition: Option<Disposition>,
    /// A note, such as who authorised a concession.
    pub note: String,
    /// Who decided.
    pub decided_by: String,
    /// When it was decided.
    #[serde(with = "crate::time::rfc3339")]
    pub decided_at: NaiveDateTime,
}

/// A root-cause analysis.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AnalysisView {
    /// The answers to "why?", in order.
    pub whys: Vec<String>,
    /// The root cause found.
    pub root_cause: String,
    /// Where the root cause lies.
    pub cause_category: CauseCategory,
    /// Username of who analysed.
    pub analysed_by: String,
    /// When it was analysed.
    #[serde(with = "crate::time::rfc3339")]
    pub analysed_at: NaiveDateTime,
}

/// A corrective action.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActionView {
    /// The action's id.
    pub id: String,
    /// What is to be done.
    pub description: String,
    /// Username of who carries it out.
    pub owner: String,
    /// The date it is due.
    pub due_on: NaiveDate,
    /// `open`, `done` or `cancelled`.
    pub status: ActionStatus,
    /// A controlled document the action changes.
    pub document: Option<String>,
    /// The document's revision that carries the change (set when done).
    pub document_revision: Option<i32>,
    /// What was done, or why it was cancelled.
    pub completion_note: String,
    /// Username of who finished or cancelled it.
    pub completed_by: Option<String>,
    /// When it was done or cancelled.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub completed_at: Option<NaiveDateTime>,
    /// An acceptance, action or effectiveness check is late (set by the scheduler).
    pub overdue: bool,
    /// Username of who planned it.
    pub created_by: String,
    /// When it was planned.
    #[serde(with = "crate::time::rfc3339")]
    pub created_at: NaiveDateTime,
    /// The steps the reader may take on this action now: `complete`, `cancel`.
    pub allowed_steps: Vec<String>,
}

/// An effectiveness check.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckView {
    /// `effective` or `not_effective`.
    pub result: Effectiveness,
    /// What was checked and found.
    pub comment: String,
    /// Username of the quality manager who checked.
    pub verified_by: String,
    /// When it was checked.
    #[serde(with = "crate::time::rfc3339")]
    pub verified_at: NaiveDateTime,
}

/// An evidence file.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttachmentView {
    /// The action's id.
    pub id: String,
    /// The file's name as uploaded.
    pub filename: String,
    /// Its media type.
    pub content_type: String,
    /// Its size in bytes.
    pub size: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// The corrective action it is evidence for, if any.
    pub action: Option<String>,
    /// Username of who added it.
    pub uploaded_by: String,
    /// When it was uploaded.
    #[serde(with = "crate::time::rfc3339")]
    pub uploaded_at: NaiveDateTime,
}

/// A controlled document the case concerns.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LinkedDocument {
    /// The case's number, `NC-<year>-<seq>`.
    pub number: String,
    /// A short title.
    pub title: String,
    /// Where it stands (`draft`, `effective`, `obsolete`).
    pub status: String,
    /// The revision in force, if any.
    pub effective_revision: Option<i32>,
}

/// A nonconformity with everything recorded on it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NonconformityView {
    /// The case as lists show it.
    #[serde(flatten)]
    pub summary: NcSummary,
    /// What is to be done.
    pub description: String,
    /// References the reporter gave (order numbers, batches, ...).
    pub references: String,
    /// Username of the responsible process's owner, who accepts and handles it.
    pub responsible_owner: String,
    /// When acceptance or rejection is due.
    #[serde(with = "crate::time::rfc3339")]
    pub accept_due_at: NaiveDateTime,
    /// Who accepted or rejected the report.
    pub accepted_by: Option<String>,
    /// When it was accepted or rejected.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub accepted_at: Option<NaiveDateTime>,
    /// Why it was rejected as not a nonconformity.
    pub rejection_reason: Option<String>,
    /// The decision in force; earlier ones are in `disposition_history`.
    pub disposition: Option<DispositionView>,
    /// Every disposition decision, oldest first.
    pub disposition_history: Vec<DispositionView>,
    /// The analysis in force; earlier ones are in `analysis_history`.
    pub analysis: Option<AnalysisView>,
    /// Every analysis, oldest first.
    pub analysis_history: Vec<AnalysisView>,
    /// The corrective actions, in the order planned.
    pub actions: Vec<ActionView>,
    /// The date the effectiveness of the actions is to be checked.
    pub effectiveness_due_on: Option<NaiveDate>,
    /// Effectiveness checks, oldest first; the last one counts.
    pub checks: Vec<CheckView>,
    /// Username of the quality manager who closed it.
    pub closed_by: Option<String>,
    /// Why it was closed without actions, or a closing note.
    pub closing_comment: String,
    /// Evidence files, in the order added.
    pub attachments: Vec<AttachmentView>,
    /// Controlled documents the case refers to.
    pub documents: Vec<LinkedDocument>,
    /// The records (of form templates) it was reported from.
    pub records: Vec<String>,
    /// The customers' survey answers it was opened from.
    pub survey_answers: Vec<crate::feedback::links::AnswerLink>,
    /// Send it back with edits; a newer one answers 409.
    pub version: i32,
    /// When it last changed.
    #[serde(with = "crate::time::rfc3339")]
    pub updated_at: NaiveDateTime,
    /// The steps the reader may take on the case now, in the order of the
    /// life cycle: `accept`, `reject`, `transfer`, `decide_disposition`,
    /// `analyse`, `plan_action`, `verify`, `close`, `link_document`,
    /// `add_attachment`. The server refuses every other step.
    pub allowed_steps: Vec<String>,
}

type AttachmentMeta = (
    String,
    Option<String>,
    String,
    String,
    i64,
    String,
    String,
    NaiveDateTime,
);

/// One nonconformity with its history, and the steps `reader` may take on it.
///
/// # Errors
/// `nonconformity_not_found`.
pub fn get(conn: &mut DbConn, number: &str, reader: &User) -> AppResult<NonconformityView> {
    let id = Case::find(conn, number)?.ok_or_else(|| not_found(number))?;
    let case = Case::load(conn, &id)?;
    let allowed_steps = steps(CASE_FLOW.allowed(&CaseFacts::read(conn, &case, reader)?));
    let row = case.row.clone();
    let dispositions: Vec<DispositionRow> = nc_dispositions::table
        .filter(nc_dispositions::nc_id.eq(&row.id))
        .order(nc_dispositions::decided_at.asc())
        .select(DispositionRow::as_select())
        .load(conn)?;
    let analyses: Vec<AnalysisRow> = nc_analyses::table
        .filter(nc_analyses::nc_id.eq(&row.id))
        .order(nc_analyses::analysed_at.asc())
        .select(AnalysisRow::as_select())
        .load(conn)?;
    let actions: Vec<(ActionRow, Option<String>)> = corrective_actions::table
        .left_join(documents::table)
        .filter(corrective_actions::nc_id.eq(&row.id))
        .order(corrective_actions::created_at.asc())
        .select((ActionRow::as_select(), documents::number.nullable()))
        .load(conn)?;
    let checks: Vec<CheckRow> = effectiveness_checks::table
        .filter(effectiveness_checks::nc_id.eq(&row.id))
        .order(effectiveness_checks::verified_at.asc())
        .select(CheckRow::as_select())
        .load(conn)?;
    let attachments: Vec<AttachmentMeta> = nc_attachments::table
        .filter(nc_attachments::nc_id.eq(&row.id))
        .order(nc_attachments::uploaded_at.asc())
        .select((
            nc_attachments::id,
            nc_attachments::action_id,
            nc_attachments::filename,
            nc_attachments::content_type,
            nc_attachments::size,
            nc_attachments::sha256,
            nc_attachments::uploaded_by,
            nc_attachments::uploaded_at,
        ))
        .load(conn)?;
    let linked: Vec<(String, String, String, Option<i32>)> = nc_documents::table
        .inner_join(documents::table)
        .filter(nc_documents::nc_id.eq(&row.id))
        .order(documents::number.asc())
        .select((
            documents::number,
            documents::title,
            documents::status,
            documents::effective_revision,
        ))
        .load(conn)?;

    let mut user_ids: HashSet<String> = [row.reporter_id.clone()].into();
    user_ids.extend(row.accepted_by.clone());
    user_ids.extend(row.closed_by.clone());
    user_ids.extend(dispositions.iter().map(|d| d.decided_by.clone()));
    user_ids.extend(analyses.iter().map(|a| a.analysed_by.clone()));
    for (a, _) in &actions {
        user_ids.insert(a.owner_id.clone());
        user_ids.insert(a.created_by.clone());
        user_ids.extend(a.completed_by.clone());
    }
    user_ids.extend(checks.iter().map(|c| c.verified_by.clone()));
    user_ids.extend(attachments.iter().map(|a| a.6.clone()));
    let mut process_ids: HashSet<String> = [row.responsible_id.clone()].into();
    process_ids.extend(row.detected_in_id.clone());
    let names = Names::load(conn, user_ids, process_ids)?;

    let disposition_views: Vec<DispositionView> = dispositions
        .into_iter()
        .map(|d| DispositionView {
            decided_by: names.user(&d.decided_by),
            containment: d.containment,
            disposition: d.disposition,
            note: d.note,
            decided_at: d.decided_at,
        })
        .collect();
    let analysis_views: Vec<AnalysisView> = analyses
        .into_iter()
        .map(|a| AnalysisView {
            whys: Whys::from_stored(&a.whys).answers().to_vec(),
            analysed_by: names.user(&a.analysed_by),
            root_cause: a.root_cause,
            cause_category: a.cause_category,
            analysed_at: a.analysed_at,
        })
        .collect();
    Ok(NonconformityView {
        summary: summary(&row, &names),
        responsible_owner: names
            .owner_of(&row.responsible_id)
            .map(|o| names.user(o))
            .unwrap_or_default(),
        accepted_by: names.user_opt(row.accepted_by.as_ref()),
        closed_by: names.user_opt(row.closed_by.as_ref()),
        disposition: disposition_views.last().cloned(),
        disposition_history: disposition_views,
        analysis: analysis_views.last().cloned(),
        analysis_history: analysis_views,
        actions: actions
            .into_iter()
            .map(|(a, document)| ActionView {
                allowed_steps: steps(ACTION_FLOW.allowed(&ActionFacts::of(&case, &a, reader))),
                owner: names.user(&a.owner_id),
                created_by: names.user(&a.created_by),
                completed_by: names.user_opt(a.completed_by.as_ref()),
                id: a.id,
                description: a.description,
                due_on: a.due_on.date(),
                status: a.status,
                document,
                document_revision: a.document_revision,
                completion_note: a.completion_note,
                completed_at: a.completed_at,
                overdue: a.overdue,
                created_at: a.created_at,
            })
            .collect(),
        checks: checks
            .into_iter()
            .map(|c| CheckView {
                verified_by: names.user(&c.verified_by),
                result: c.result,
                comment: c.comment,
                verified_at: c.verified_at,
            })
            .collect(),
        attachments: attachments
            .into_iter()
            .map(
                |(id, action, filename, content_type, size, sha256, by, at)| AttachmentView {
                    id,
                    action,
                    filename,
                    content_type,
                    size,
                    sha256,
                    uploaded_by: names.user(&by),
                    uploaded_at: at,
                },
            )
            .collect(),
        documents: linked
            .into_iter()
            .map(
                |(number, title, status, effective_revision)| LinkedDocument {
                    number,
                    title,
                    status,
                    effective_revision,
                },
            )
            .collect(),
        records: crate::records::service::records_of_nonconformity(conn, &row.id)?,
        survey_answers: crate::feedback::links::answers_of_case(conn, &row.id)?,
        description: row.description,
        references: row.refs,
        accept_due_at: row.accept_due_at,
        accepted_at: row.accepted_at,
        rejection_reason: row.rejection_reason,
        effectiveness_due_on: row.effectiveness_due_on.map(|d| d.date()),
        closing_comment: row.closing_comment,
        version: row.version,
        updated_at: row.updated_at,
        allowed_steps,
    })
}

fn steps(names: Vec<&'static str>) -> Vec<String> {
    names.into_iter().map(str::to_string).collect()
}

/// Filters for the list. Empty values are ignored.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NcFilter {
    /// A state, or `open` for every state but `rejected` and `closed`.
    #[param(value_type = Option<crate::nonconformities::model::NcStatusFilter>)]
    pub status: Option<String>,
    /// A kind of nonconformity.
    #[param(value_type = Option<crate::nonconformities::model::NcKind>)]
    pub kind: Option<String>,
    /// Process code, as responsible or as where it was detected.
    pub process: Option<String>,
    /// `true`: only those with something late.
    pub overdue: Option<bool>,
    /// Words in the number, title or description.
    pub q: Option<String>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Items a page (at most 200).
    pub per_page: Option<i64>,
}

fn open_states() -> Vec<&'static str> {
    NcStatus::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect()
}

/// Nonconformities, newest first.
///
/// # Errors
/// `invalid_nc_status`, `invalid_nc_kind`; a database fault.
pub fn list(conn: &mut DbConn, f: &NcFilter) -> AppResult<Page<NcSummary>> {
    let nonempty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let status = match nonempty(&f.status) {
        Some(s) if s == "open" => Some(open_states()),
        Some(s) => Some(vec![super::NcStatus::parse(&s)?.as_str()]),
        None => None,
    };
    let kind = match nonempty(&f.kind) {
        Some(k) => Some(super::NcKind::parse(&k)?.as_str()),
        None => None,
    };
    // An unknown process code matches nothing rather than everything.
    let process: Option<String> = match nonempty(&f.process) {
        Some(code) => Some(
            crate::processes::service::find_by_code(conn, &code)?
                .map(|p| p.id)
                .unwrap_or_default(),
        ),
        None => None,
    };
    let words: Vec<String> = nonempty(&f.q)
        .map(|q| {
            q.split_whitespace()
                .take(8)
                .map(|w| format!("%{}%", w.to_lowercase().replace(['%', '_', '\\'], "")))
                .collect()
        })
        .unwrap_or_default();
    let filtered = || {
        let mut q = nonconformities::table.into_boxed();
        if let Some(s) = &status {
            q = q.filter(nonconformities::status.eq_any(s.clone()));
        }
        if let Some(k) = kind {
            q = q.filter(nonconformities::kind.eq(k));
        }
        if let Some(p) = &process {
            q = q.filter(
                nonconformities::responsible_id
                    .eq(p.clone())
                    .or(nonconformities::detected_in_id.eq(p.clone())),
            );
        }
        if f.overdue == Some(true) {
            q = q.filter(nonconformities::overdue.eq(true));
        }
        for w in &words {
            q = q.filter(
                lower(nonconformities::number)
                    .like(w.clone())
                    .or(lower(nonconformities::title).like(w.clone()))
                    .or(lower(nonconformities::description).like(w.clone())),
            );
        }
        q
    };
    let rows = list::page(
        conn,
        Paging::new(f.page, f.per_page),
        filtered,
        |q, conn| {
            q.order((nonconformities::year.desc(), nonconformities::seq.desc()))
                .select(NcRow::as_select())
                .load::<NcRow>(conn)
        },
    )?;
    let user_ids = rows.items.iter().map(|r| r.reporter_id.clone()).collect();
    let process_ids = rows
        .items
        .iter()
        .flat_map(|r| [Some(r.responsible_id.clone()), r.detected_in_id.clone()])
        .flatten()
        .collect();
    let names = Names::load(conn, user_ids, process_ids)?;
    Ok(rows.map(|r| summary(&r, &names)))
}
