//! Survey invitations by e-mail, through the site's SMTP settings. An
//! invitation asked to be mailed is queued in the invitation's own
//! transaction (so an acknowledged invitation is never lost), written in
//! the customer's language; the scheduler's job `feedback/send_invitations`
//! sends what is due, retrying with the mail queue's back-off. The body
//! holds the personal link, which the database otherwise never keeps, so
//! it is wiped the moment the mail is sent or given up on; erasing a
//! contact wipes the address and the body at once. Without SMTP settings
//! nothing is sent and the invitations wait, their links still shown once
//! to be copied.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::{self, Actor, Change};
use crate::db::schema::survey_invitation_mail as mail;
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Lang};
use crate::mail::send::{MAX_ATTEMPTS, backoff};
use crate::mail::smtp::{Outgoing, Smtp};
use crate::state::AppState;

/// Queued, not sent yet.
pub const QUEUED: &str = "queued";
/// Sent.
pub const SENT: &str = "sent";
/// Given up on after the last try.
pub const FAILED: &str = "failed";
/// Not sent: the contact was erased.
pub const DROPPED: &str = "dropped";

/// What one invitation's mail says.
pub struct InvitationMail<'a> {
    /// The invitation.
    pub invitation: &'a str,
    /// The address.
    pub to: &'a str,
    /// The customer's name.
    pub name: &'a str,
    /// The customer's language.
    pub language: Lang,
    /// The survey's title in that language.
    pub survey: &'a str,
    /// The personal link.
    pub link: &'a str,
    /// The last day the link opens, as the customer reads it.
    pub until: String,
}

/// Queues the mail of one invitation, in the invitation's transaction.
///
/// # Errors
/// A database fault.
pub fn queue(conn: &mut DbConn, m: &InvitationMail<'_>, at: NaiveDateTime) -> AppResult<()> {
    let args = [
        ("name", m.name.to_string()),
        ("survey", m.survey.to_string()),
        ("link", m.link.to_string()),
        ("until", m.until.clone()),
    ];
    let subject = i18n::t_args(m.language, "survey-mail-subject", &args);
    let body = i18n::t_args(m.language, "survey-mail-body", &args);
    diesel::insert_into(mail::table)
        .values((
            mail::invitation_id.eq(m.invitation),
            mail::address.eq(m.to),
            mail::language.eq(m.language.code()),
            mail::subject.eq(subject.split_whitespace().collect::<Vec<_>>().join(" ")),
            mail::body.eq(body),
            mail::state.eq(QUEUED),
            mail::created_at.eq(at),
            mail::attempts.eq(0),
            mail::next_attempt_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The state of each mailed invitation of `ids`, by invitation.
///
/// # Errors
/// A database fault.
pub fn states(
    conn: &mut DbConn,
    ids: &[String],
) -> AppResult<std::collections::HashMap<String, String>> {
    Ok(mail::table
        .filter(mail::invitation_id.eq_any(ids))
        .select((mail::invitation_id, mail::state))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

/// Wipes the address and the body of an erased contact's mail, unsent or
/// sent, in the erasure's transaction.
///
/// # Errors
/// A database fault.
pub fn erase(conn: &mut DbConn, invitation: &str) -> AppResult<()> {
    diesel::update(mail::table.find(invitation))
        .set((mail::address.eq(""), mail::body.eq("")))
        .execute(conn)?;
    diesel::update(mail::table.find(invitation).filter(mail::state.eq(QUEUED)))
        .set(mail::state.eq(DROPPED))
        .execute(conn)?;
    Ok(())
}

type Due = (String, String, String, String, String, i32);

/// Sends every invitation mail due at `at` and answers how many were tried;
/// without SMTP settings nothing is tried. One audit event says which went,
/// which will be retried and which were given up on.
///
/// # Errors
/// A database fault (sending faults are kept on the mails).
pub fn send_due(state: &AppState, conn: &mut DbConn, at: NaiveDateTime) -> AppResult<usize> {
    let Some(smtp) = Smtp::from_config(&state.config).map_err(AppError::internal)? else {
        return Ok(0);
    };
    let due: Vec<Due> = mail::table
        .filter(mail::state.eq(QUEUED))
        .filter(mail::next_attempt_at.le(at))
        .order(mail::created_at.asc())
        .limit(200)
        .select((
            mail::invitation_id,
            mail::address,
            mail::language,
            mail::subject,
            mail::body,
            mail::attempts,
        ))
        .load(conn)?;
    if due.is_empty() {
        return Ok(0);
    }
    let outgoing: Vec<Outgoing> = due
        .iter()
        .map(|(_, to, language, subject, body, _)| Outgoing {
            to: to.clone(),
            language: language.clone(),
            subject: subject.clone(),
            body: body.clone(),
        })
        .collect();
    let results = smtp.send_all(&outgoing);
    write_tx(conn, |conn| {
        let (mut sent, mut retrying, mut failed) = (Vec::new(), Vec::new(), Vec::new());
        for ((id, .., attempts), result) in due.iter().zip(results) {
            let attempts = attempts + 1;
            let row = mail::table.find(id).filter(mail::state.eq(QUEUED));
            match result {
                Ok(()) => {
                    diesel::update(row)
                        .set((
                            mail::state.eq(SENT),
                            mail::body.eq(""),
                            mail::attempts.eq(attempts),
                            mail::sent_at.eq(Some(at)),
                            mail::last_error.eq(None::<String>),
                        ))
                        .execute(conn)?;
                    sent.push(id.clone());
                }
                Err(error) if attempts >= MAX_ATTEMPTS => {
                    diesel::update(row)
                        .set((
                            mail::state.eq(FAILED),
                            mail::body.eq(""),
                            mail::attempts.eq(attempts),
                            mail::last_error.eq(Some(error)),
                        ))
                        .execute(conn)?;
                    failed.push(id.clone());
                }
                Err(error) => {
                    diesel::update(row)
                        .set((
                            mail::attempts.eq(attempts),
                            mail::next_attempt_at.eq(at + backoff(attempts)),
                            mail::last_error.eq(Some(error)),
                        ))
                        .execute(conn)?;
                    retrying.push(id.clone());
                }
            }
        }
        audit::record(
            conn,
            &Actor::system("scheduler"),
            Change {
                action: "survey.invitations_mailed",
                entity_type: "mail",
                entity_id: "survey_invitations",
                summary: format!(
                    "sent {} survey invitations; {} to retry, {} given up",
                    sent.len(),
                    retrying.len(),
                    failed.len()
                ),
                changes: serde_json::json!({
                    "sent": sent,
                    "retrying": retrying,
                    "failed": failed,
                }),
            },
        )?;
        Ok(due.len())
    })
}
