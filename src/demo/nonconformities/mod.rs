//! Demo nonconformities: thirty cases from the last twelve months, in
//! Finnish and English, in every state of the life cycle. Each case is
//! reported, handled and closed through the real services, as the people
//! who would do it, on believable days in the past.

mod closed;
mod done;
mod no_actions;
mod planned;

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::auth::model::User;
use crate::auth::service::user_by_username;
use crate::db::DbConn;
use crate::db::schema::nonconformities;
use crate::error::{AppError, AppResult};
use crate::kit::date::midnight;
use crate::nonconformities::service::{
    self as nc, ActionDone, AnalysisInput, DispositionInput, NcPolicy, NewAction, NewNonconformity,
};

/// One demo case: the report, then what happened to it.
pub struct DemoNc {
    /// Days before the load that it was reported.
    pub reported: i64,
    /// Days before the report that it was detected.
    pub detected_before: i64,
    pub reporter: &'static str,
    pub kind: &'static str,
    pub severity: &'static str,
    pub detected_in: &'static str,
    pub responsible: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub references: &'static str,
    /// Documents named in the report.
    pub documents: &'static [&'static str],
    /// What happened next, in order: (days after the report, who, what).
    pub steps: &'static [(i64, &'static str, Do)],
}

/// One step in a case's life.
pub enum Do {
    Accept,
    Reject(&'static str),
    Decide {
        containment: &'static str,
        disposition: Option<&'static str>,
        note: &'static str,
    },
    Analyse {
        whys: &'static [&'static str],
        root_cause: &'static str,
        category: &'static str,
        /// Days after the analysis to check effectiveness, if planned.
        check_in: Option<i64>,
    },
    Plan {
        description: &'static str,
        owner: &'static str,
        /// Days after planning that it is due.
        due_in: i64,
        document: Option<&'static str>,
    },
    /// Marks the case's `action`th planned action done.
    Done {
        action: usize,
        note: &'static str,
    },
    Cancel {
        action: usize,
        reason: &'static str,
    },
    /// A quality manager's effectiveness check, with a comment.
    Effective(&'static str),
    NotEffective(&'static str),
    Close(&'static str),
    Link(&'static str),
}

/// Loads the demo cases unless there are nonconformities already, then
/// marks what is late today.
///
/// # Errors
/// A database fault or a refusal by the services.
pub fn load(conn: &mut DbConn) -> AppResult<()> {
    let existing: i64 = nonconformities::table.count().get_result(conn)?;
    if existing > 0 {
        return Ok(());
    }
    let now = crate::ids::now();
    let mut people = People::default();
    for (i, case) in in_order().into_iter().enumerate() {
        load_case(conn, &mut people, now.date(), i, case)?;
    }
    nc::mark_overdue(conn, NcPolicy::default(), now)?;
    Ok(())
}

/// Oldest report first, so that the numbers follow the dates.
fn in_order() -> Vec<&'static DemoNc> {
    let mut all: Vec<&DemoNc> = [
        closed::CASES,
        done::CASES,
        planned::CASES,
        no_actions::CASES,
    ]
    .into_iter()
    .flatten()
    .collect();
    all.sort_by_key(|c| std::cmp::Reverse(c.reported));
    all
}

/// When the `step`th thing of the `case`th case happened: `days_ago` days
/// before `today`, in working hours (UTC), later steps of a day later.
fn when(today: NaiveDate, days_ago: i64, case: usize, step: usize) -> NaiveDateTime {
    let minutes = 5 * 60 + (case as i64 * 41) % 240 + step as i64 * 20;
    midnight(today - TimeDelta::days(days_ago)) + TimeDelta::minutes(minutes)
}

/// Demo users by name, looked up once.
#[derive(Default)]
struct People(HashMap<&'static str, User>);

impl People {
    fn get(&mut self, conn: &mut DbConn, name: &'static str) -> AppResult<User> {
        if let Some(u) = self.0.get(name) {
            return Ok(u.clone());
        }
        let u = user_by_username(conn, name)?;
        self.0.insert(name, u.clone());
        Ok(u)
    }
}

fn load_case(
    conn: &mut DbConn,
    people: &mut People,
    today: NaiveDate,
    i: usize,
    c: &DemoNc,
) -> AppResult<()> {
    let policy = NcPolicy::default();
    let at = |step: usize, day: i64| when(today, c.reported - day, i, step);
    let reported_at = at(0, 0);
    let reporter = people.get(conn, c.reporter)?;
    let detected_on = reported_at.date() - TimeDelta::days(c.detected_before);
    let report = NewNonconformity {
        kind: c.kind.into(),
        title: c.title.into(),
        description: c.description.into(),
        detected_in: Some(c.detected_in.into()),
        responsible: c.responsible.into(),
        severity: c.severity.into(),
        references: c.references.into(),
        detected_on: Some(detected_on.to_string()),
        documents: c.documents.iter().map(|d| d.to_string()).collect(),
        record: None,
        survey_answer: None,
    };
    let number = nc::report(conn, policy, &reporter, report, reported_at)?
        .summary
        .number;
    let number = number.as_str();
    let mut actions: Vec<String> = Vec::new();
    let action = |actions: &[String], n: usize| {
        actions.get(n).cloned().ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("demo case {number} has no action {n}"))
        })
    };
    for (step, (day, by, what)) in c.steps.iter().enumerate() {
        let at = at(step + 1, *day);
        let by = people.get(conn, by)?;
        match what {
            Do::Accept => {
                nc::accept(conn, policy, &by, number, at)?;
            }
            Do::Reject(reason) => {
                nc::reject(conn, policy, &by, number, reason, at)?;
            }
            Do::Decide {
                containment,
                disposition,
                note,
            } => {
                let input = DispositionInput {
                    containment: (*containment).into(),
                    disposition: disposition.map(str::to_string),
                    note: (*note).into(),
                    version: None,
                };
                nc::decide_disposition(conn, policy, &by, number, input, at)?;
            }
            Do::Analyse {
                whys,
                root_cause,
                category,
                check_in,
            } => {
                let input = AnalysisInput {
                    whys: whys.iter().map(|w| w.to_string()).collect(),
                    root_cause: (*root_cause).into(),
                    cause_category: (*category).into(),
                    effectiveness_due_on: check_in
                        .map(|d| (at.date() + TimeDelta::days(d)).to_string()),
                    version: None,
                };
                nc::analyse(conn, policy, &by, number, input, at)?;
            }
            Do::Plan {
                description,
                owner,
                due_in,
                document,
            } => {
                let new = NewAction {
                    description: (*description).into(),
                    owner: (*owner).into(),
                    due_on: (at.date() + TimeDelta::days(*due_in)).to_string(),
                    document: document.map(str::to_string),
                };
                let (_, id) = nc::add_action(conn, policy, &by, number, new, at)?;
                actions.push(id);
            }
            Do::Done { action: n, note } => {
                let done = ActionDone {
                    note: (*note).into(),
                    document_revision: None,
                };
                let id = action(&actions, *n)?;
                nc::complete_action(conn, policy, &by, number, &id, done, at)?;
            }
            Do::Cancel { action: n, reason } => {
                let id = action(&actions, *n)?;
                nc::cancel_action(conn, policy, &by, number, &id, reason, at)?;
            }
            Do::Effective(comment) => {
                nc::verify(conn, policy, &by, number, "effective", comment, at)?;
            }
            Do::NotEffective(comment) => {
                nc::verify(conn, policy, &by, number, "not_effective", comment, at)?;
            }
            Do::Close(comment) => {
                nc::close(conn, policy, &by, number, comment, at)?;
            }
            Do::Link(document) => {
                nc::link_document(conn, policy, &by, number, document, at)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_happens_in_the_past_and_in_order() {
        let cases = in_order();
        assert_eq!(cases.len(), 30);
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        for (i, c) in cases.iter().enumerate() {
            assert!(c.detected_before >= 0, "{}", c.title);
            assert!(c.reported <= 365, "{}: within the last year", c.title);
            let mut last = when(today, c.reported, i, 0);
            let mut planned = 0;
            for (step, (day, _, what)) in c.steps.iter().enumerate() {
                assert!(
                    c.reported - day >= 1,
                    "{}: step {step} is not in the past",
                    c.title
                );
                let at = when(today, c.reported - day, i, step + 1);
                assert!(at > last, "{}: step {step} is out of order", c.title);
                assert_eq!(at.date(), today - TimeDelta::days(c.reported - day));
                last = at;
                match what {
                    Do::Plan { due_in, .. } => {
                        assert!(*due_in >= 0, "{}: due before it was planned", c.title);
                        planned += 1;
                    }
                    Do::Done { action, .. } | Do::Cancel { action, .. } => {
                        assert!(*action < planned, "{}: no action {action} yet", c.title);
                    }
                    _ => {}
                }
            }
        }
    }
}
