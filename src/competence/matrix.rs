//! The competence matrix: people against what they must hold (the
//! competences required of them, and the documents they must have read),
//! each cell valid, expiring, expired, missing, below the required level or
//! in training; the gaps per process; and the certifications expiring soon.
//! It is read in a fixed number of queries whatever its size, and it reads
//! the states the scheduler keeps rather than the calendar.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::acknowledge::{self, AckState};
use super::model::{CellState, CompetenceRow, CompetenceStatus, Scale, Scope, TrainingStatus};
use crate::auth::model::Role;
use crate::db::DbConn;
use crate::db::schema::{
    certification_files, certifications, competence_requirements, competences, process_members,
    processes, trainings, user_roles, users,
};
use crate::error::{AppError, AppResult, Code};
use crate::processes::model::ProcessStatus;

/// Which people the matrix shows.
#[derive(Debug, Default, Clone)]
pub struct MatrixFilter {
    /// Only the people working in this process (its code).
    pub process: Option<String>,
    /// Only the holders of this role.
    pub role: Option<Role>,
    /// Only this person (username): one person's row.
    pub user: Option<String>,
}

/// A column: a competence or a document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Column {
    /// `competence` or `document`.
    pub kind: &'static str,
    /// The competence's code or the document's number.
    pub key: String,
    /// Its name in English (the document's title).
    pub name: String,
    /// Its name in Finnish (the document's title).
    pub name_fi: String,
    /// The level scale (competences).
    #[schema(value_type = Option<Scale>)]
    pub scale: Option<Scale>,
    /// People who must hold it and do not (now).
    pub gaps: usize,
}

/// One cell: one person and one column.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Cell {
    /// How the person stands.
    pub state: CellState,
    /// Whether it is required of the person (if not, the cell only shows what they hold).
    pub required: bool,
    /// The level the person holds.
    pub level: Option<i32>,
    /// Its short name.
    pub level_label: Option<String>,
    /// The level required.
    pub required_level: Option<i32>,
    /// Its short name.
    pub required_label: Option<String>,
    /// The last valid day of the certification that counts.
    pub expires_on: Option<NaiveDate>,
    /// The certification that counts.
    pub certification: Option<String>,
    /// The competence needs evidence and the certification has none.
    pub evidence_missing: bool,
    /// A quality manager verified the certification.
    pub verified: bool,
    /// For a document: acknowledged, carried over or pending.
    #[schema(value_type = Option<AckState>)]
    pub ack: Option<AckState>,
    /// For a document: the revision acknowledged.
    pub acknowledged_rev: Option<i32>,
}

/// One person's row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Row {
    /// The username.
    pub user: String,
    /// The name.
    pub name: String,
    /// The processes they work in (codes).
    pub processes: Vec<String>,
    /// Their roles.
    pub roles: Vec<Role>,
    /// One cell per column, in the columns' order; null where nothing is
    /// required or held.
    pub cells: Vec<Option<Cell>>,
    /// Cells required and not met.
    pub gaps: usize,
}

/// The gaps of one process.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProcessGaps {
    /// The process code.
    pub process: String,
    /// Its name.
    pub name: String,
    /// The people working in it.
    pub people: usize,
    /// Required cells of its people.
    pub required: usize,
    /// Of which met (valid or expiring).
    pub met: usize,
    /// Required cells by state.
    pub by_state: BTreeMap<CellState, usize>,
}

/// A certification within the expiry window.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Expiring {
    /// The certification.
    pub certification: String,
    /// The holder's username.
    pub user: String,
    /// The holder's name.
    pub name: String,
    /// The competence's code.
    pub competence: String,
    /// Its name in English.
    pub competence_name: String,
    /// Its name in Finnish.
    pub competence_name_fi: String,
    /// The last valid day.
    pub expires_on: NaiveDate,
    /// Days left from the matrix's day.
    pub days_left: i64,
}

/// The matrix.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Matrix {
    /// The day it was read on.
    pub as_of: NaiveDate,
    /// Days before the last day that count as expiring.
    pub window_days: u32,
    /// The process it is filtered by.
    pub process: Option<String>,
    /// The role it is filtered by.
    pub role: Option<Role>,
    /// The columns: competences by code, then documents by number.
    pub columns: Vec<Column>,
    /// The people, by name.
    pub rows: Vec<Row>,
    /// Gaps per process (of the people shown).
    pub gaps: Vec<ProcessGaps>,
    /// Required cells by state.
    pub totals: BTreeMap<CellState, usize>,
    /// Certifications expiring soon, soonest first.
    pub expiring: Vec<Expiring>,
}

struct Held {
    id: String,
    level: Option<i32>,
    expires_on: Option<NaiveDateTime>,
    expiring: bool,
    expired: bool,
    verified: bool,
    key: (NaiveDateTime, NaiveDateTime),
}

/// How one person stands on one competence.
pub fn cell_state(
    held: Option<(Option<i32>, bool, bool)>,
    in_training: bool,
    required_level: Option<i32>,
) -> CellState {
    match held {
        Some((level, _, false))
            if required_level.is_some_and(|r| level.unwrap_or(0) < r) && in_training =>
        {
            CellState::InTraining
        }
        Some((level, _, false)) if required_level.is_some_and(|r| level.unwrap_or(0) < r) => {
            CellState::BelowLevel
        }
        Some((_, true, false)) => CellState::Expiring,
        Some((_, false, false)) => CellState::Valid,
        _ if in_training => CellState::InTraining,
        Some((_, _, true)) => CellState::Expired,
        None => CellState::Missing,
    }
}

/// Reads the matrix as the scheduler last left the states, on `today`.
///
/// # Errors
/// `process_not_found` (422), a database fault.
pub fn read(
    conn: &mut DbConn,
    filter: &MatrixFilter,
    window_days: u32,
    today: NaiveDate,
) -> AppResult<Matrix> {
    let people: Vec<(String, String, String)> = users::table
        .filter(users::active.eq(true))
        .select((users::id, users::username, users::display_name))
        .load(conn)?;
    let mut roles: HashMap<String, Vec<Role>> = HashMap::new();
    for (u, r) in user_roles::table
        .select((user_roles::user_id, user_roles::role))
        .load::<(String, String)>(conn)?
    {
        if let Ok(r) = Role::parse(&r) {
            roles.entry(u).or_default().push(r);
        }
    }
    let procs: Vec<(String, String, String)> = processes::table
        .filter(processes::status.eq(ProcessStatus::Active))
        .select((processes::id, processes::code, processes::name))
        .order(processes::code)
        .load(conn)?;
    let proc_code: HashMap<&str, &str> = procs
        .iter()
        .map(|(id, code, _)| (id.as_str(), code.as_str()))
        .collect();
    let mut member_of: HashMap<String, Vec<String>> = HashMap::new();
    for (p, u) in process_members::table
        .select((process_members::process_id, process_members::user_id))
        .load::<(String, String)>(conn)?
    {
        if proc_code.contains_key(p.as_str()) {
            member_of.entry(u).or_default().push(p);
        }
    }
    let filter_process = match &filter.process {
        Some(code) => Some(
            procs
                .iter()
                .find(|(_, c, _)| c.eq_ignore_ascii_case(code.trim()))
                .map(|(id, _, _)| id.clone())
                .ok_or_else(|| {
                    AppError::invalid(
                        Code::ProcessNotFound,
                        format!("there is no active process {}", code.trim()),
                    )
                })?,
        ),
        None => None,
    };
    let comps: HashMap<String, CompetenceRow> = competences::table
        .filter(competences::status.eq(CompetenceStatus::Active))
        .select(CompetenceRow::as_select())
        .load::<CompetenceRow>(conn)?
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect();
    let reqs: Vec<(String, Scope, String, Option<i32>)> = competence_requirements::table
        .select((
            competence_requirements::competence_id,
            competence_requirements::scope,
            competence_requirements::target,
            competence_requirements::level,
        ))
        .load(conn)?;
    let duties = acknowledge::duties(conn)?;
    let mut reads: HashMap<&str, HashSet<&str>> = HashMap::new();
    for d in &duties {
        reads
            .entry(d.user_id.as_str())
            .or_default()
            .insert(d.document_id.as_str());
    }
    // What each person must hold: competence id -> required level.
    let required_of = |uid: &str| -> HashMap<&str, Option<i32>> {
        let mut out: HashMap<&str, Option<i32>> = HashMap::new();
        let my_roles = roles.get(uid).map(Vec::as_slice).unwrap_or_default();
        let my_procs = member_of.get(uid).map(Vec::as_slice).unwrap_or_default();
        let my_docs = reads.get(uid);
        for (c, scope, target, level) in &reqs {
            if !comps.contains_key(c) {
                continue;
            }
            let applies = match scope {
                Scope::User => target == uid,
                Scope::Role => my_roles.iter().any(|r| r.as_str() == target),
                Scope::Process => my_procs.contains(target),
                Scope::Document => my_docs.is_some_and(|d| d.contains(target.as_str())),
            };
            if applies {
                let e = out.entry(c.as_str()).or_insert(*level);
                *e = (*e).max(*level);
            }
        }
        out
    };
    // The certification that counts, per person and competence.
    let mut held: HashMap<(String, String), Held> = HashMap::new();
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        String,
        String,
        String,
        Option<i32>,
        Option<NaiveDateTime>,
        bool,
        bool,
        Option<String>,
        NaiveDateTime,
        NaiveDateTime,
    )> = certifications::table
        .filter(certifications::corrected.eq(false))
        .select((
            certifications::id,
            certifications::user_id,
            certifications::competence_id,
            certifications::level,
            certifications::expires_on,
            certifications::expiring,
            certifications::expired,
            certifications::verified_by,
            certifications::issued_on,
            certifications::recorded_at,
        ))
        .load(conn)?;
    for (id, u, c, level, expires_on, expiring, expired, verified, issued, recorded) in rows {
        let h = Held {
            id,
            level,
            expires_on,
            expiring,
            expired,
            verified: verified.is_some(),
            key: (issued, recorded),
        };
        match held.get(&(u.clone(), c.clone())) {
            Some(old) if old.key >= h.key => {}
            _ => {
                held.insert((u, c), h);
            }
        }
    }
    let with_files: HashSet<String> = certification_files::table
        .select(certification_files::certification_id)
        .distinct()
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let training: HashSet<(String, String)> = trainings::table
        .filter(trainings::status.eq(TrainingStatus::Planned))
        .select((trainings::user_id, trainings::competence_id))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();

    // Who is shown.
    let shown: Vec<&(String, String, String)> = people
        .iter()
        .filter(|(id, username, _)| {
            let my_roles = roles.get(id).map(Vec::as_slice).unwrap_or_default();
            let works = my_roles
                .iter()
                .any(|r| matches!(r, Role::QualityManager | Role::ProcessOwner | Role::Staff));
            works
                && filter_process
                    .as_ref()
                    .is_none_or(|p| member_of.get(id).is_some_and(|m| m.contains(p)))
                && filter.role.is_none_or(|r| my_roles.contains(&r))
                && filter.user.as_ref().is_none_or(|u| u == username)
        })
        .collect();
    let required: HashMap<&str, HashMap<&str, Option<i32>>> = shown
        .iter()
        .map(|(id, _, _)| (id.as_str(), required_of(id)))
        .collect();
    let my_duties: HashMap<(&str, &str), &acknowledge::ReadingDuty> = duties
        .iter()
        .map(|d| ((d.user_id.as_str(), d.document_id.as_str()), d))
        .collect();
    // Columns: competences required of, or held by, someone shown.
    // (A person with no cell at all is left out of the rows below.)
    let mut comp_cols: Vec<&CompetenceRow> = comps
        .values()
        .filter(|c| {
            shown.iter().any(|(u, _, _)| {
                required[u.as_str()].contains_key(c.id.as_str())
                    || held.contains_key(&(u.clone(), c.id.clone()))
            })
        })
        .collect();
    comp_cols.sort_by(|a, b| a.code.cmp(&b.code));
    let mut doc_cols: Vec<(&str, &str, &str)> = duties
        .iter()
        .filter(|d| required.contains_key(d.user_id.as_str()))
        .map(|d| (d.document_id.as_str(), d.number.as_str(), d.title.as_str()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    doc_cols.sort_by(|a, b| a.1.cmp(b.1));
    let mut columns: Vec<Column> = comp_cols
        .iter()
        .map(|c| Column {
            kind: "competence",
            key: c.code.clone(),
            name: c.name_en.clone(),
            name_fi: c.name_fi.clone(),
            scale: Some(c.scale),
            gaps: 0,
        })
        .chain(doc_cols.iter().map(|(_, number, title)| Column {
            kind: "document",
            key: (*number).to_string(),
            name: (*title).to_string(),
            name_fi: (*title).to_string(),
            scale: None,
            gaps: 0,
        }))
        .collect();
    let mut totals: BTreeMap<CellState, usize> = CellState::ALL.iter().map(|s| (*s, 0)).collect();
    let mut out_rows = Vec::new();
    for (uid, username, name) in &shown {
        let req = &required[uid.as_str()];
        let mut cells = Vec::with_capacity(columns.len());
        let mut gaps = 0;
        for (i, c) in comp_cols.iter().enumerate() {
            let key = (uid.clone(), c.id.clone());
            let h = held.get(&key);
            let is_required = req.contains_key(c.id.as_str());
            if !is_required && h.is_none() {
                cells.push(None);
                continue;
            }
            let required_level = req.get(c.id.as_str()).copied().flatten();
            let state = cell_state(
                h.map(|h| (h.level, h.expiring, h.expired)),
                training.contains(&key),
                required_level,
            );
            if is_required {
                *totals.entry(state).or_default() += 1;
                if !state.met() {
                    gaps += 1;
                    columns[i].gaps += 1;
                }
            }
            cells.push(Some(Cell {
                state,
                required: is_required,
                level: h.and_then(|h| h.level),
                level_label: h.and_then(|h| h.level).map(|l| c.scale.label(l)),
                required_level,
                required_label: required_level.map(|l| c.scale.label(l)),
                expires_on: h.and_then(|h| h.expires_on).map(|d| d.date()),
                certification: h.map(|h| h.id.clone()),
                evidence_missing: h
                    .is_some_and(|h| c.evidence_required && !with_files.contains(&h.id)),
                verified: h.is_some_and(|h| h.verified),
                ack: None,
                acknowledged_rev: None,
            }));
        }
        for (j, (doc, _, _)) in doc_cols.iter().enumerate() {
            let Some(d) = my_duties.get(&(uid.as_str(), *doc)) else {
                cells.push(None);
                continue;
            };
            let state = match d.state {
                AckState::Pending => CellState::Missing,
                _ => CellState::Valid,
            };
            *totals.entry(state).or_default() += 1;
            if !state.met() {
                gaps += 1;
                columns[comp_cols.len() + j].gaps += 1;
            }
            cells.push(Some(Cell {
                state,
                required: true,
                level: None,
                level_label: None,
                required_level: None,
                required_label: None,
                expires_on: None,
                certification: None,
                evidence_missing: false,
                verified: false,
                ack: Some(d.state),
                acknowledged_rev: d.acknowledged_rev,
            }));
        }
        if cells.iter().all(Option::is_none) {
            // Nothing required of them and nothing held: not a row of the matrix.
            continue;
        }
        let mut my_procs: Vec<String> = member_of
            .get(uid)
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| proc_code.get(p.as_str()).map(|c| (*c).to_string()))
                    .collect()
            })
            .unwrap_or_default();
        my_procs.sort();
        out_rows.push(Row {
            user: username.clone(),
            name: name.clone(),
            processes: my_procs,
            roles: roles.get(uid).cloned().unwrap_or_default(),
            cells,
            gaps,
        });
    }
    out_rows.sort_by_key(|r| r.name.to_lowercase());
    // Gaps per process, over the people shown.
    let mut gaps = Vec::new();
    for (pid, code, pname) in &procs {
        if filter_process.as_ref().is_some_and(|p| p != pid) {
            continue;
        }
        let mut g = ProcessGaps {
            process: code.clone(),
            name: pname.clone(),
            people: 0,
            required: 0,
            met: 0,
            by_state: BTreeMap::new(),
        };
        for row in &out_rows {
            if !row.processes.contains(code) {
                continue;
            }
            g.people += 1;
            for cell in row.cells.iter().flatten().filter(|c| c.required) {
                g.required += 1;
                if cell.state.met() {
                    g.met += 1;
                }
                *g.by_state.entry(cell.state).or_default() += 1;
            }
        }
        if g.people > 0 {
            gaps.push(g);
        }
    }
    // Certifications within the window, of the people shown.
    let shown_ids: HashMap<&str, (&str, &str)> = shown
        .iter()
        .map(|(id, u, n)| (id.as_str(), (u.as_str(), n.as_str())))
        .collect();
    let mut expiring: Vec<Expiring> = held
        .iter()
        .filter(|(_, h)| h.expiring && !h.expired)
        .filter_map(|((u, c), h)| {
            let (user, name) = shown_ids.get(u.as_str())?;
            let comp = comps.get(c)?;
            let expires_on = h.expires_on?.date();
            Some(Expiring {
                certification: h.id.clone(),
                user: (*user).to_string(),
                name: (*name).to_string(),
                competence: comp.code.clone(),
                competence_name: comp.name_en.clone(),
                competence_name_fi: comp.name_fi.clone(),
                expires_on,
                days_left: (expires_on - today).num_days(),
            })
        })
        .collect();
    expiring.sort_by(|a, b| (a.expires_on, &a.name).cmp(&(b.expires_on, &b.name)));
    Ok(Matrix {
        as_of: today,
        window_days,
        process: filter
            .process
            .as_ref()
            .map(|p| p.trim().to_ascii_uppercase()),
        role: filter.role,
        columns,
        rows: out_rows,
        gaps,
        totals,
        expiring,
    })
}

/// One requirement of a process's people, and who lacks it now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Requirement {
    /// The column (competence or document).
    pub column: Column,
    /// The least level required, if any (its short name).
    pub level: Option<String>,
    /// How many people of the process it is required of.
    pub required_of: usize,
    /// How many of them meet it now.
    pub met: usize,
    /// Those who do not meet it, by name, with their state.
    pub lacking: Vec<Lacking>,
}

/// A person who does not meet a requirement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Lacking {
    /// The username.
    pub user: String,
    /// The name.
    pub name: String,
    /// Their state.
    pub state: CellState,
}

/// What the process page shows: each competence or document required of
/// the people of the process the matrix was read for, and who lacks it.
pub fn requirements(m: &Matrix) -> Vec<Requirement> {
    m.columns
        .iter()
        .enumerate()
        .filter_map(|(i, col)| {
            let cells: Vec<(&Row, &Cell)> = m
                .rows
                .iter()
                .filter_map(|r| r.cells[i].as_ref().filter(|c| c.required).map(|c| (r, c)))
                .collect();
            if cells.is_empty() {
                return None;
            }
            Some(Requirement {
                column: col.clone(),
                level: cells.iter().find_map(|(_, c)| c.required_label.clone()),
                required_of: cells.len(),
                met: cells.iter().filter(|(_, c)| c.state.met()).count(),
                lacking: cells
                    .iter()
                    .filter(|(_, c)| !c.state.met())
                    .map(|(r, c)| Lacking {
                        user: r.user.clone(),
                        name: r.name.clone(),
                        state: c.state,
                    })
                    .collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_states() {
        use CellState::*;
        assert_eq!(cell_state(None, false, None), Missing);
        assert_eq!(cell_state(None, true, None), InTraining);
        assert_eq!(cell_state(Some((None, false, false)), false, None), Valid);
        assert_eq!(cell_state(Some((None, true, false)), false, None), Expiring);
        assert_eq!(cell_state(Some((None, true, true)), false, None), Expired);
        assert_eq!(cell_state(Some((None, true, true)), true, None), InTraining);
        assert_eq!(
            cell_state(Some((Some(2), false, false)), false, Some(3)),
            BelowLevel
        );
        assert_eq!(
            cell_state(Some((Some(2), false, false)), true, Some(3)),
            InTraining
        );
        assert_eq!(
            cell_state(Some((Some(3), true, false)), false, Some(3)),
            Expiring
        );
        assert_eq!(
            cell_state(Some((Some(4), false, false)), false, Some(3)),
            Valid
        );
    }
}
