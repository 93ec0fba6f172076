//! The competence tasks of one person: certifications of competences
//! required of them (and of the people of the processes they own) that
//! are expiring or expired, and training they take or give.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{CompetenceStatus, Scope, TrainingStatus};
use crate::area::Task;
use crate::auth::model::User;
use crate::db::DbConn;
use crate::db::schema::{
    certifications, competence_requirements, competences, document_reader_roles, documents,
    process_members, processes, trainings, user_roles, users,
};
use crate::error::AppResult;
use crate::i18n::Lang;

/// The competence ids required of each of `people`, in a fixed number of
/// queries (a document's requirement counts for the members of its process
/// and the holders of the roles it names).
///
/// # Errors
/// A database fault.
pub fn required_of(
    conn: &mut DbConn,
    people: &[String],
) -> AppResult<HashMap<String, HashSet<String>>> {
    let reqs: Vec<(String, Scope, String)> = competence_requirements::table
        .inner_join(competences::table)
        .filter(competences::status.eq(CompetenceStatus::Active))
        .select((
            competence_requirements::competence_id,
            competence_requirements::scope,
            competence_requirements::target,
        ))
        .load(conn)?;
    let roles: Vec<(String, String)> = user_roles::table
        .filter(user_roles::user_id.eq_any(people))
        .select((user_roles::user_id, user_roles::role))
        .load(conn)?;
    let members: Vec<(String, String, String)> = process_members::table
        .inner_join(processes::table)
        .filter(process_members::user_id.eq_any(people))
        .select((process_members::user_id, processes::id, processes::code))
        .load(conn)?;
    let doc_ids: Vec<&String> = reqs
        .iter()
        .filter(|r| r.1 == Scope::Document)
        .map(|r| &r.2)
        .collect();
    let doc_process: HashMap<String, Option<String>> = documents::table
        .filter(documents::id.eq_any(&doc_ids))
        .select((documents::id, documents::process))
        .load::<(String, Option<String>)>(conn)?
        .into_iter()
        .collect();
    let doc_roles: Vec<(String, String)> = document_reader_roles::table
        .filter(document_reader_roles::document_id.eq_any(&doc_ids))
        .select((
            document_reader_roles::document_id,
            document_reader_roles::role,
        ))
        .load(conn)?;
    let mut out: HashMap<String, HashSet<String>> = HashMap::new();
    for p in people {
        let my_roles: Vec<&str> = roles
            .iter()
            .filter(|(u, _)| u == p)
            .map(|(_, r)| r.as_str())
            .collect();
        let my_procs: Vec<(&str, &str)> = members
            .iter()
            .filter(|(u, _, _)| u == p)
            .map(|(_, id, code)| (id.as_str(), code.as_str()))
            .collect();
        for (c, scope, target) in &reqs {
            let applies = match scope {
                Scope::User => target == p,
                Scope::Role => my_roles.contains(&target.as_str()),
                Scope::Process => my_procs.iter().any(|(id, _)| id == target),
                Scope::Document => {
                    doc_process.get(target).is_some_and(|proc| {
                        proc.as_deref()
                            .is_some_and(|code| my_procs.iter().any(|(_, c)| *c == code))
                    }) || doc_roles
                        .iter()
                        .any(|(d, r)| d == target && my_roles.contains(&r.as_str()))
                }
            };
            if applies {
                out.entry(p.clone()).or_default().insert(c.clone());
            }
        }
    }
    Ok(out)
}

/// The competence tasks of `by`.
///
/// # Errors
/// A database fault.
pub fn tasks(conn: &mut DbConn, by: &User, _at: NaiveDateTime) -> AppResult<Vec<Task>> {
    let lang = by.lang().unwrap_or_default();
    let me = by.id.0.clone();
    let mut people: Vec<String> = process_members::table
        .inner_join(processes::table)
        .filter(processes::owner_id.eq(&me))
        .select(process_members::user_id)
        .distinct()
        .load(conn)?;
    if !people.contains(&me) {
        people.push(me.clone());
    }
    let required = required_of(conn, &people)?;
    #[allow(clippy::type_complexity)]
    let certs: Vec<(
        String,
        String,
        String,
        Option<NaiveDateTime>,
        bool,
        NaiveDateTime,
        NaiveDateTime,
        String,
        String,
        String,
        String,
    )> = certifications::table
        .inner_join(competences::table)
        .inner_join(users::table.on(users::id.eq(certifications::user_id)))
        .filter(certifications::user_id.eq_any(&people))
        .filter(certifications::corrected.eq(false))
        .filter(users::active.eq(true))
        .select((
            certifications::id,
            certifications::user_id,
            certifications::competence_id,
            certifications::expires_on,
            certifications::expired,
            certifications::issued_on,
            certifications::recorded_at,
            competences::code,
            competences::name_en,
            competences::name_fi,
            users::display_name,
        ))
        .filter(certifications::expiring.eq(true))
        .load(conn)?;
    // A later entry renews an expiring one: only the latest of each counts.
    let latest = super::certifications::latest_of(conn, &people)?;
    let mut out = Vec::new();
    for (id, user, comp, expires, expired, issued, recorded, code, en, fi, name) in certs {
        if latest.get(&(user.clone(), comp.clone())) != Some(&(issued, recorded)) {
            continue;
        }
        if !required.get(&user).is_some_and(|r| r.contains(&comp)) {
            continue;
        }
        let cname = if lang == Lang::Fi { fi } else { en };
        out.push(Task {
            kind: if expired {
                "certification_expired"
            } else {
                "certification_expiring"
            }
            .into(),
            reference: code,
            title: if user == me {
                cname
            } else {
                format!("{cname} – {name}")
            },
            link: format!("/competence/certifications/{id}"),
            due: expires.map(|d| d.date()),
            overdue: expired,
        });
    }
    #[allow(clippy::type_complexity)]
    let training: Vec<(
        String,
        NaiveDateTime,
        bool,
        String,
        String,
        String,
        String,
        String,
    )> = trainings::table
        .inner_join(competences::table)
        .inner_join(users::table.on(users::id.eq(trainings::user_id)))
        .filter(trainings::status.eq(TrainingStatus::Planned))
        .filter(trainings::user_id.eq(&me).or(trainings::trainer_id.eq(&me)))
        .select((
            trainings::id,
            trainings::due_on,
            trainings::overdue,
            competences::code,
            competences::name_en,
            competences::name_fi,
            users::display_name,
            trainings::user_id,
        ))
        .order(trainings::due_on)
        .load(conn)?;
    for (id, due, overdue, code, en, fi, name, trainee) in training {
        let cname = if lang == Lang::Fi { fi } else { en };
        out.push(Task {
            kind: "training_due".into(),
            reference: code,
            title: if trainee == me {
                cname
            } else {
                format!("{cname} – {name}")
            },
            link: format!("/competence/trainings/{id}"),
            due: Some(due.date()),
            overdue,
        });
    }
    Ok(out)
}
