//! The mail queue: one row per mail, written in the transaction of the
//! event that causes it, rendered in the recipient's language.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::{MailChoice, MailState};
use crate::db::DbConn;
use crate::db::schema::{mail_queue, users};
use crate::error::AppResult;
use crate::i18n::{self, Lang};
use crate::ids::new_id;

/// A value put into a mail's text, written the way the reader's language
/// writes it.
#[derive(Debug, Clone)]
pub enum Value {
    /// The same in every language (a number, a title people typed).
    Plain(String),
    /// A day, in the reader's date format.
    Day(NaiveDate),
    /// A name kept in both languages (a competence's).
    ByLang {
        /// The English one.
        en: String,
        /// The Finnish one.
        fi: String,
    },
}

impl Value {
    fn in_lang(&self, lang: Lang) -> String {
        match self {
            Value::Plain(s) => s.clone(),
            Value::Day(d) => i18n::format_day(lang, *d),
            Value::ByLang { en, fi } => match lang {
                Lang::En => en.clone(),
                Lang::Fi => fi.clone(),
            },
        }
    }
}

/// One mail to queue for one person.
#[derive(Debug, Clone)]
pub struct Letter<'a> {
    /// The recipient's user id.
    pub to: &'a str,
    /// What it is about, as a task kind (`document_sign`); the catalog has
    /// `mail-subject-<kind>` and `mail-body-<kind>`.
    pub kind: &'static str,
    /// The record it is about (`QP-003 r2`); also `$reference` in the text.
    pub reference: String,
    /// The path of the page where the task is done.
    pub link: String,
    /// The other values of the text (`$title`, `$due`, ...).
    pub args: Vec<(&'static str, Value)>,
}

/// A queued mail as the queue keeps it.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mail_queue)]
pub struct MailRow {
    /// The mail's id.
    pub id: String,
    /// Whom it is for.
    pub user_id: String,
    /// The address it goes to.
    pub address: String,
    /// Its language (`en`, `fi`).
    pub language: String,
    /// What it is about (a task kind).
    pub kind: String,
    /// The record it is about.
    pub reference: String,
    /// Its subject line.
    pub subject: String,
    /// Its text, without the link.
    pub body: String,
    /// The path of the task's page.
    pub link: String,
    /// Whether it waits for the daily digest.
    pub digest: bool,
    /// Where it stands.
    pub state: MailState,
    /// When it was queued.
    pub created_at: NaiveDateTime,
    /// How many times sending it was tried.
    pub attempts: i32,
    /// When it may be tried (next).
    pub next_attempt_at: NaiveDateTime,
    /// When it was sent.
    pub sent_at: Option<NaiveDateTime>,
    /// Why the last try failed.
    pub last_error: Option<String>,
}

/// The recipient's address, language and choice, if they get mail at all:
/// an active account with an address whose choice is not `off`.
fn recipient(
    conn: &mut DbConn,
    user_id: &str,
    at: NaiveDateTime,
) -> AppResult<Option<(String, Lang, MailChoice)>> {
    #[allow(clippy::type_complexity)]
    let row: Option<(
        String,
        Option<String>,
        MailChoice,
        bool,
        Option<NaiveDateTime>,
    )> = users::table
        .find(user_id)
        .select((
            users::email,
            users::language,
            users::mail,
            users::active,
            users::expires_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(email, language, choice, active, expires)| {
        let usable = active && expires.is_none_or(|t| at < t);
        (usable && choice != MailChoice::Off && !email.trim().is_empty()).then(|| {
            (
                email.trim().to_string(),
                language
                    .as_deref()
                    .and_then(Lang::parse)
                    .unwrap_or_default(),
                choice,
            )
        })
    }))
}

/// Queues `letter` at `at`, in the caller's transaction, unless its
/// recipient gets no mail (`off`, no address, an account that cannot log
/// in). Answers whether a mail was queued.
///
/// # Errors
/// A database fault.
pub fn queue(conn: &mut DbConn, letter: Letter<'_>, at: NaiveDateTime) -> AppResult<bool> {
    let Some((address, lang, choice)) = recipient(conn, letter.to, at)? else {
        return Ok(false);
    };
    let mut args: Vec<(&'static str, String)> = letter
        .args
        .iter()
        .map(|(k, v)| (*k, v.in_lang(lang)))
        .collect();
    args.push(("reference", letter.reference.clone()));
    let subject = i18n::t_args(lang, &format!("mail-subject-{}", letter.kind), &args);
    let body = i18n::t_args(lang, &format!("mail-body-{}", letter.kind), &args);
    diesel::insert_into(mail_queue::table)
        .values(&MailRow {
            id: new_id(),
            user_id: letter.to.to_string(),
            address,
            language: lang.code().to_string(),
            kind: letter.kind.to_string(),
            reference: letter.reference,
            subject: one_line(&subject),
            body,
            link: letter.link,
            digest: choice == MailChoice::Digest,
            state: MailState::Queued,
            created_at: at,
            attempts: 0,
            next_attempt_at: at,
            sent_at: None,
            last_error: None,
        })
        .execute(conn)?;
    Ok(true)
}

/// A subject is one line, whatever a title held.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The (recipient, reference) pairs that already have a mail of `kind`,
/// for reminders that must be queued once.
///
/// # Errors
/// A database fault.
pub fn already_queued(conn: &mut DbConn, kind: &str) -> AppResult<HashSet<(String, String)>> {
    Ok(mail_queue::table
        .filter(mail_queue::kind.eq(kind))
        .select((mail_queue::user_id, mail_queue::reference))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}
