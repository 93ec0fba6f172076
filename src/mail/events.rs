//! What causes a mail, one function per kind of event. Each is called once,
//! in the transaction of its event, by the area where the event happens
//! (the service that submits a revision, reports a nonconformity, plans an
//! action, marks a certification expiring); reminders that follow from a
//! state rather than an event (a document to acknowledge) are queued by
//! the scheduler from the task lists.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::MailChoice;
use super::queue::{Letter, Value, already_queued, queue};
use crate::audit::{self, Actor, Change};
use crate::competence::acknowledge::AckState;
use crate::db::schema::{
    certifications, competences, corrective_actions, documents, nonconformities, processes,
    revisions, user_roles, users,
};
use crate::db::{DbConn, write_tx};
use crate::documents::model::StepRule;
use crate::documents::service::{live_signatures, rule_admits, step_progress, steps_of};
use crate::error::AppResult;
use crate::ids::UserId;

/// The signers of the step of revision `revision_id` that now waits for
/// signatures each get a `document_sign` mail (at submission: the first
/// step; after a step is complete: the next one). Those who signed the
/// step already, the author and anyone whose roles do not sign are left out.
///
/// # Errors
/// A database fault.
pub fn signatures_needed(
    conn: &mut DbConn,
    revision_id: &str,
    at: NaiveDateTime,
) -> AppResult<usize> {
    let (number, title, rev, author): (String, String, i32, String) = revisions::table
        .inner_join(documents::table)
        .filter(revisions::id.eq(revision_id))
        .select((
            documents::number,
            revisions::title,
            revisions::rev,
            revisions::author_id,
        ))
        .first(conn)?;
    let steps = steps_of(conn, revision_id)?;
    let live = live_signatures(conn, revision_id)?;
    let Some(current) = step_progress(&steps, &live)
        .into_iter()
        .find(|s| !s.complete)
    else {
        return Ok(0);
    };
    let candidates: Vec<String> = match &current.rule {
        StepRule::AllUsers { users } => users.clone(),
        StepRule::NOfRole { role, .. } => user_roles::table
            .filter(user_roles::role.eq(role.as_str()))
            .select(user_roles::user_id)
            .load(conn)?,
    };
    let signed: HashSet<&str> = live
        .iter()
        .filter(|s| s.step == Some(current.step))
        .map(|s| s.signer_id.as_str())
        .collect();
    let mut queued = 0;
    for id in candidates {
        if id == author || signed.contains(id.as_str()) {
            continue;
        }
        let user = crate::auth::service::user_by_id(conn, &UserId(id.clone()))?;
        if !rule_admits(&current.rule, &user) {
            continue;
        }
        let letter = Letter {
            to: &id,
            kind: "document_sign",
            reference: format!("{number} r{rev}"),
            link: format!("/documents/{number}"),
            args: vec![("title", Value::Plain(title.clone()))],
        };
        queued += usize::from(queue(conn, letter, at)?);
    }
    Ok(queued)
}

/// The owner of the process responsible for nonconformity `nc_id` gets an
/// `nc_accept` mail (it was reported, or moved to their process), unless
/// they caused it themselves (`by`).
///
/// # Errors
/// A database fault.
pub fn nonconformity_to_accept(
    conn: &mut DbConn,
    nc_id: &str,
    by: &str,
    at: NaiveDateTime,
) -> AppResult<usize> {
    let (number, title, code, owner): (String, String, String, String) = nonconformities::table
        .inner_join(processes::table.on(processes::id.eq(nonconformities::responsible_id)))
        .filter(nonconformities::id.eq(nc_id))
        .select((
            nonconformities::number,
            nonconformities::title,
            processes::code,
            processes::owner_id,
        ))
        .first(conn)?;
    if owner == by {
        return Ok(0);
    }
    let letter = Letter {
        to: &owner,
        kind: "nc_accept",
        link: format!("/nonconformities/{number}"),
        reference: number,
        args: vec![
            ("title", Value::Plain(title)),
            ("process", Value::Plain(code)),
        ],
    };
    Ok(usize::from(queue(conn, letter, at)?))
}

/// The owner of corrective action `action_id` gets an `nc_action` mail,
/// unless they planned it themselves (`by`).
///
/// # Errors
/// A database fault.
pub fn action_assigned(
    conn: &mut DbConn,
    action_id: &str,
    by: &str,
    at: NaiveDateTime,
) -> AppResult<usize> {
    let (number, title, action, owner, due): (String, String, String, String, NaiveDateTime) =
        corrective_actions::table
            .inner_join(nonconformities::table)
            .filter(corrective_actions::id.eq(action_id))
            .select((
                nonconformities::number,
                nonconformities::title,
                corrective_actions::description,
                corrective_actions::owner_id,
                corrective_actions::due_on,
            ))
            .first(conn)?;
    if owner == by {
        return Ok(0);
    }
    let letter = Letter {
        to: &owner,
        kind: "nc_action",
        link: format!("/nonconformities/{number}"),
        reference: number,
        args: vec![
            ("title", Value::Plain(title)),
            ("action", Value::Plain(action)),
            ("due", Value::Day(due.date())),
        ],
    };
    Ok(usize::from(queue(conn, letter, at)?))
}

/// The holder of certification `id` gets a `certification_expiring` mail
/// (it has just come within the expiry window).
///
/// # Errors
/// A database fault.
pub fn certification_expiring(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> AppResult<usize> {
    #[allow(clippy::type_complexity)]
    let (holder, expires, code, en, fi): (
        String,
        Option<NaiveDateTime>,
        String,
        String,
        String,
    ) = certifications::table
        .inner_join(competences::table)
        .filter(certifications::id.eq(id))
        .select((
            certifications::user_id,
            certifications::expires_on,
            competences::code,
            competences::name_en,
            competences::name_fi,
        ))
        .first(conn)?;
    let Some(expires) = expires else {
        return Ok(0);
    };
    let letter = Letter {
        to: &holder,
        kind: "certification_expiring",
        reference: code,
        link: format!("/competence/certifications/{id}"),
        args: vec![
            ("title", Value::ByLang { en, fi }),
            ("due", Value::Day(expires.date())),
        ],
    };
    Ok(usize::from(queue(conn, letter, at)?))
}

/// Queues a `document_acknowledge` mail for every reader of an effective
/// revision who has not acknowledged it and has had no mail about that
/// revision yet (the scheduler's job): one transaction, one audit event.
///
/// # Errors
/// A database fault.
pub fn acknowledgements_waiting(conn: &mut DbConn, at: NaiveDateTime) -> AppResult<usize> {
    let wanting: HashSet<String> = users::table
        .filter(users::active.eq(true))
        .filter(users::email.ne(""))
        .filter(users::mail.ne(MailChoice::Off))
        .select(users::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    if wanting.is_empty() {
        return Ok(0);
    }
    let done = already_queued(conn, "document_acknowledge")?;
    let due: Vec<_> = crate::competence::acknowledge::duties(conn)?
        .into_iter()
        .filter(|d| d.state == AckState::Pending && wanting.contains(&d.user_id))
        .map(|d| (format!("{} r{}", d.number, d.rev), d))
        .filter(|(reference, d)| !done.contains(&(d.user_id.clone(), reference.clone())))
        .collect();
    if due.is_empty() {
        return Ok(0);
    }
    write_tx(conn, |conn| {
        let mut ids = Vec::new();
        for (reference, d) in &due {
            let letter = Letter {
                to: &d.user_id,
                kind: "document_acknowledge",
                reference: reference.clone(),
                link: format!("/documents/{}#acknowledge", d.number),
                args: vec![
                    ("title", Value::Plain(d.title.clone())),
                    ("rev", Value::Plain(d.rev.to_string())),
                ],
            };
            if queue(conn, letter, at)? {
                ids.push(reference.clone());
            }
        }
        if !ids.is_empty() {
            audit::record(
                conn,
                &Actor::system("scheduler"),
                Change {
                    action: "mail.reminders_queued",
                    entity_type: "mail",
                    entity_id: "document_acknowledge",
                    summary: format!("queued {} reminders to acknowledge documents", ids.len()),
                    changes: serde_json::json!({ "references": ids }),
                },
            )?;
        }
        Ok(ids.len())
    })
}
