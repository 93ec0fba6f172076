//! What one area of Laatu adds to the whole, said in one place: its
//! `pub const AREA: Area` in its `mod.rs`. [`crate::AREAS`] lists the areas;
//! the API and page routes, the scheduler, "my tasks" and the question
//! whether a record is still in use all go over that list, so adding an area
//! is adding its folder and one line there, and no central list has to know
//! its routes, jobs or tables.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::auth::model::User;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::routes::PageRoutes;
use crate::scheduler::Job;

/// What one area adds.
#[derive(Clone, Copy)]
pub struct Area {
    /// Its name, as logs and reports say it (`documents`).
    pub name: &'static str,
    /// Registers its JSON routes under `/api/v1`. Routes whose order
    /// matters (`/nonconformities/stats` before `/nonconformities/{number}`)
    /// are put in order here, inside the area.
    pub api: fn(&mut utoipa_actix_web::service_config::ServiceConfig),
    /// Registers its HTML pages, in the order they must be matched.
    pub pages: fn(&mut PageRoutes<'_>),
    /// What the scheduler runs for it; each job runs on its own connection,
    /// and one that fails does not keep the others from running.
    pub jobs: &'static [Job],
    /// Where its tasks for one person come from.
    pub tasks: &'static [TaskSource],
    /// Its rows that point at records of other areas, so that "in use" is
    /// asked of every area instead of counted by hand.
    pub references: &'static [Reference],
    /// What it puts into the evidence export, part by part (see
    /// [`EvidencePart`] and `crate::evidence::export`).
    pub evidence: &'static [EvidencePart],
    /// Its cards on the home page.
    pub cards: &'static [Card],
}

fn no_api(_: &mut utoipa_actix_web::service_config::ServiceConfig) {}

fn no_pages(_: &mut PageRoutes<'_>) {}

impl Area {
    /// An area that adds nothing yet: start from it with
    /// `Area { name, api, ..Area::EMPTY }`.
    pub const EMPTY: Area = Area {
        name: "",
        api: no_api,
        pages: no_pages,
        jobs: &[],
        tasks: &[],
        references: &[],
        evidence: &[],
        cards: &[],
    };
}

/// One thing for one person to do, as "my tasks" lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Task {
    /// `nc_accept`, `nc_analyse`, `nc_plan_actions`, `nc_action`, `nc_verify`,
    /// `nc_close`, `document_sign`, `document_review`, `kpi_measure`.
    pub kind: String,
    /// What it is about: a nonconformity or document number, a process code.
    pub reference: String,
    /// What it is, in the words of the record.
    pub title: String,
    /// The page where it is done.
    pub link: String,
    /// When it is due, if it has a date.
    pub due: Option<NaiveDate>,
    /// Whether it is late.
    pub overdue: bool,
}

/// Where some of an area's tasks come from.
#[derive(Clone, Copy)]
pub struct TaskSource {
    /// Every kind of task it gives (`Task::kind`); each has a `task-<kind>`
    /// message in both catalogs.
    pub kinds: &'static [&'static str],
    /// The tasks of one person at an instant.
    pub of: fn(&mut DbConn, &User, NaiveDateTime) -> AppResult<Vec<Task>>,
}

/// What kind of record a [`Reference`] points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A process (`processes`).
    Process,
}

/// The record whose references are counted: its id and the key people
/// know it by (a process's code), since some rows keep the one and some
/// the other.
#[derive(Debug, Clone, Copy)]
pub struct Referent<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its code or number.
    pub key: &'a str,
}

/// Rows of an area that point at a record of another kind.
#[derive(Clone, Copy)]
pub struct Reference {
    /// What they point at.
    pub to: Target,
    /// What one of them is, as a refusal counts it: `document`.
    pub one: &'static str,
    /// What they are in the plural: `documents`.
    pub many: &'static str,
    /// How many of them point at the record.
    pub count: fn(&mut DbConn, Referent<'_>) -> AppResult<i64>,
}

/// One part of what an area puts into the evidence export: it writes its
/// files through the [`Sink`](crate::evidence::export::Sink), naming for
/// each the ISO 9001 clauses it evidences; the sink keeps a file only when
/// the export's clause filter wants one of them, and lists it in
/// `index.html`. The part applies the processes filter itself
/// (`sink.scope.wants_process`), and reads things as of `sink.scope.as_of`
/// or within the period, as its records are kept.
#[derive(Clone, Copy)]
pub struct EvidencePart {
    /// Its name, as logs and the progress bar say it (`documents`).
    pub name: &'static str,
    /// The clauses its files may evidence; with a clause filter the part
    /// is not run unless one of them is asked for. Empty when the part
    /// decides file by file (records follow their templates' clauses).
    pub clauses: &'static [&'static str],
    /// Writes its files.
    pub write: fn(
        &mut DbConn,
        &crate::store::DocStore,
        &mut crate::evidence::export::Sink<'_>,
    ) -> AppResult<()>,
}

/// A card an area shows on the home page: a few figures, each linking to
/// the list behind it. Its function runs a fixed number of queries for the
/// whole card, whatever the figures count, and answers no figures when the
/// card says nothing to this reader (the card is then left out).
#[derive(Debug, Clone, Copy)]
pub struct Card {
    /// The catalog key of its title.
    pub title: &'static str,
    /// Its figures for a reader.
    pub figures: fn(&mut DbConn, &Reader) -> AppResult<Vec<Figure>>,
}

/// Who reads the home page, worked out once for every card.
#[derive(Debug, Clone)]
pub struct Reader {
    /// The person.
    pub user: User,
    /// When (UTC).
    pub at: NaiveDateTime,
    /// The site's date then.
    pub today: NaiveDate,
    /// Whether they see the whole system (a quality manager or an auditor).
    pub whole: bool,
    /// Ids of the processes they own.
    pub owned: Vec<String>,
    /// Codes of the processes they own, in the same order.
    pub owned_codes: Vec<String>,
}

impl Reader {
    /// Whether the reader sees figures of processes: the whole system or
    /// their own processes.
    pub fn oversees(&self) -> bool {
        self.whole || !self.owned.is_empty()
    }
}

/// One figure of a card.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// The catalog key of what it counts; the count is its `count` argument.
    pub label: std::borrow::Cow<'static, str>,
    /// How many.
    pub count: i64,
    /// The list behind it.
    pub link: String,
    /// Whether a count above zero needs attention (late, off target).
    pub alert: bool,
}

/// The dashboard's cards for `reader` from every area, in the areas' order:
/// (title, figures), cards without figures left out.
///
/// # Errors
/// A database fault.
pub fn cards_of(
    areas: &[Area],
    conn: &mut DbConn,
    reader: &Reader,
) -> AppResult<Vec<(&'static str, Vec<Figure>)>> {
    let mut out = Vec::new();
    for card in areas.iter().flat_map(|a| a.cards) {
        let figures = (card.figures)(conn, reader)?;
        if !figures.is_empty() {
            out.push((card.title, figures));
        }
    }
    Ok(out)
}

/// Every kind of task the areas give.
pub fn task_kinds(areas: &[Area]) -> Vec<&'static str> {
    areas
        .iter()
        .flat_map(|a| a.tasks)
        .flat_map(|s| s.kinds.iter().copied())
        .collect()
}

/// The tasks of `by` at `at` from every area, late ones first, then by due
/// date (dated before undated), then by reference.
///
/// # Errors
/// A database fault.
pub fn tasks_of(
    areas: &[Area],
    conn: &mut DbConn,
    by: &User,
    at: NaiveDateTime,
) -> AppResult<Vec<Task>> {
    let mut tasks = Vec::new();
    for source in areas.iter().flat_map(|a| a.tasks) {
        tasks.extend((source.of)(conn, by, at)?);
    }
    tasks.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| match (a.due, b.due) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.reference.cmp(&b.reference))
    });
    Ok(tasks)
}

/// How many rows of every area point at `referent`, per kind of row, in
/// the order of the areas; kinds with none are left out, so an empty
/// answer means that nothing refers to it.
///
/// # Errors
/// A database fault.
pub fn references_to(
    areas: &[Area],
    conn: &mut DbConn,
    to: Target,
    referent: Referent<'_>,
) -> AppResult<Vec<(Reference, i64)>> {
    let mut found = Vec::new();
    for r in areas
        .iter()
        .flat_map(|a| a.references)
        .filter(|r| r.to == to)
    {
        let n = (r.count)(conn, referent)?;
        if n > 0 {
            found.push((*r, n));
        }
    }
    Ok(found)
}

/// Counts as a refusal says them: `2 documents, 1 output and 3 inputs`.
pub fn counted(found: &[(Reference, i64)]) -> String {
    let parts: Vec<String> = found
        .iter()
        .map(|(r, n)| format!("{n} {}", if *n == 1 { r.one } else { r.many }))
        .collect();
    match parts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(one: &'static str, many: &'static str) -> Reference {
        Reference {
            to: Target::Process,
            one,
            many,
            count: |_, _| Ok(0),
        }
    }

    #[test]
    fn counts_read_as_a_sentence() {
        let docs = rows("document", "documents");
        let outputs = rows("output", "outputs");
        let inputs = rows("input", "inputs");
        assert_eq!(counted(&[]), "");
        assert_eq!(counted(&[(docs, 2)]), "2 documents");
        assert_eq!(
            counted(&[(docs, 2), (outputs, 1), (inputs, 3)]),
            "2 documents, 1 output and 3 inputs"
        );
    }
}
