//! `/admin/mail`: whether mail is set up, and the mails that wait or
//! could not be sent.

use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::MailState;
use super::smtp::Smtp;
use crate::auth::model::Role;
use crate::db::schema::{mail_queue, users};
use crate::db::{self, DbConn};
use crate::error::AppResult;
use crate::pages::PageCtx;
use crate::state::AppState;

/// How many mails of each list the page shows.
const SHOWN: i64 = 100;

/// Adds the admin's mail page.
pub fn configure(cfg: &mut crate::routes::PageRoutes<'_>) {
    cfg.get("/admin/mail", mail_page);
}

/// One mail as the page lists it.
#[derive(Debug, Serialize)]
pub struct MailLine {
    /// The recipient's name.
    pub name: String,
    /// The recipient's username.
    pub username: String,
    /// The address.
    pub address: String,
    /// What it is about (a task kind).
    pub kind: String,
    /// Its subject.
    pub subject: String,
    /// Whether it waits for the digest.
    pub digest: bool,
    /// Tries so far.
    pub attempts: i32,
    /// When it was queued.
    #[serde(with = "crate::time::rfc3339")]
    pub created_at: NaiveDateTime,
    /// When it is tried (next).
    #[serde(with = "crate::time::rfc3339")]
    pub next_attempt_at: NaiveDateTime,
    /// Why the last try failed.
    pub last_error: Option<String>,
}

/// What the page shows of the queue.
#[derive(Debug, Serialize)]
pub struct Overview {
    /// Mails waiting to be sent.
    pub queued: i64,
    /// Mails sent.
    pub sent: i64,
    /// Mails given up on.
    pub failed: i64,
    /// The failed mails, latest first.
    pub failed_mails: Vec<MailLine>,
    /// The waiting mails, next first.
    pub queued_mails: Vec<MailLine>,
}

fn count(conn: &mut DbConn, state: MailState) -> AppResult<i64> {
    Ok(mail_queue::table
        .filter(mail_queue::state.eq(state))
        .count()
        .get_result(conn)?)
}

fn lines(conn: &mut DbConn, state: MailState) -> AppResult<Vec<MailLine>> {
    #[allow(clippy::type_complexity)]
    let query = mail_queue::table
        .inner_join(users::table)
        .filter(mail_queue::state.eq(state))
        .select((
            users::display_name,
            users::username,
            mail_queue::address,
            mail_queue::kind,
            mail_queue::subject,
            mail_queue::digest,
            mail_queue::attempts,
            mail_queue::created_at,
            mail_queue::next_attempt_at,
            mail_queue::last_error,
        ))
        .limit(SHOWN)
        .into_boxed();
    let query = if state == MailState::Failed {
        query.order(mail_queue::created_at.desc())
    } else {
        query.order(mail_queue::next_attempt_at.asc())
    };
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        String,
        String,
        String,
        String,
        String,
        bool,
        i32,
        NaiveDateTime,
        NaiveDateTime,
        Option<String>,
    )> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(
                name,
                username,
                address,
                kind,
                subject,
                digest,
                attempts,
                created_at,
                next_attempt_at,
                last_error,
            )| MailLine {
                name,
                username,
                address,
                kind,
                subject,
                digest,
                attempts,
                created_at,
                next_attempt_at,
                last_error,
            },
        )
        .collect())
}

/// The counts and the lists of the queue.
///
/// # Errors
/// A database fault.
pub fn overview(conn: &mut DbConn) -> AppResult<Overview> {
    Ok(Overview {
        queued: count(conn, MailState::Queued)?,
        sent: count(conn, MailState::Sent)?,
        failed: count(conn, MailState::Failed)?,
        failed_mails: lines(conn, MailState::Failed)?,
        queued_mails: lines(conn, MailState::Queued)?,
    })
}

async fn mail_page(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    // Admins see it; auditors read everything.
    page.require_any(&[Role::Admin, Role::Auditor])?;
    let smtp = Smtp::from_config(&state.config).ok().flatten();
    let overview = db::run(&state.pool, overview).await?;
    let mut ctx = tera::Context::new();
    ctx.insert("configured", &smtp.is_some());
    ctx.insert(
        "smtp_server",
        &smtp.as_ref().map(Smtp::server).unwrap_or_default(),
    );
    ctx.insert(
        "mail_from",
        &smtp.as_ref().map(Smtp::from).unwrap_or_default(),
    );
    ctx.insert("digest_hour", &state.config.mail_digest_hour);
    ctx.insert("timezone", &state.config.timezone);
    ctx.insert("max_attempts", &super::send::MAX_ATTEMPTS);
    ctx.insert("overview", &overview);
    page.render(&state, "admin/mail.html", ctx)
}
