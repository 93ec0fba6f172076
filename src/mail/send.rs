//! The scheduler's `send` job: what is due goes out, with retries and
//! backoff; a person's digest mails go out together once a day.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, TimeDelta, TimeZone, Timelike};
use diesel::prelude::*;

use super::queue::MailRow;
use super::smtp::{Outgoing, Smtp};
use super::{MailChoice, MailState};
use crate::audit::{self, Actor, Change};
use crate::db::schema::{mail_queue, users};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Lang};
use crate::state::AppState;

/// Tries before a mail is given up on (`failed`, shown to the admin).
pub const MAX_ATTEMPTS: i32 = 5;

/// The wait after the first failed try; it doubles with each further one
/// (5, 10, 20, 40 minutes: a mail is given up on 75 minutes after its first try).
pub const FIRST_RETRY: TimeDelta = TimeDelta::minutes(5);

/// The wait after `attempts` failed tries.
pub fn backoff(attempts: i32) -> TimeDelta {
    let doublings = u32::try_from(attempts.clamp(1, 16) - 1).unwrap_or(0);
    FIRST_RETRY * 2_i32.pow(doublings)
}

/// The last digest time at or before `at`: `hour` o'clock site time, in UTC.
pub fn digest_instant(at: NaiveDateTime, tz: chrono_tz::Tz, hour: u32) -> NaiveDateTime {
    let local = at.and_utc().with_timezone(&tz);
    let mut day = local.date_naive();
    if local.hour() < hour {
        day = day.pred_opt().unwrap_or(day);
    }
    let wall = day.and_time(chrono::NaiveTime::MIN) + TimeDelta::hours(i64::from(hour));
    match tz.from_local_datetime(&wall).earliest() {
        Some(t) => t.naive_utc(),
        // A clock change skipped the hour: the hour after it exists.
        None => tz
            .from_local_datetime(&(wall + TimeDelta::hours(1)))
            .earliest()
            .map_or(wall, |t| t.naive_utc()),
    }
}

/// One mail to send and the queue rows it stands for (a digest stands for several).
struct Batch {
    rows: Vec<String>,
    attempts: i32,
    mail: Outgoing,
}

/// What a pass did to the queue.
#[derive(Debug, Default)]
struct Outcome {
    sent: Vec<String>,
    retrying: Vec<String>,
    failed: Vec<String>,
    dropped: Vec<String>,
}

impl Outcome {
    fn changed(&self) -> usize {
        self.sent.len() + self.retrying.len() + self.failed.len() + self.dropped.len()
    }
}

/// Sends every mail due at `at`: immediate ones whose (next) try has come,
/// and the digest mails queued before today's digest time, one mail per
/// person. Without SMTP settings nothing is sent and nothing changes.
/// Answers how many queued mails changed state or were tried.
///
/// # Errors
/// A database fault (sending faults are kept on the mails, not returned).
pub fn send_due(state: &AppState, conn: &mut DbConn, at: NaiveDateTime) -> AppResult<usize> {
    let Some(smtp) = Smtp::from_config(&state.config).map_err(AppError::internal)? else {
        return Ok(0);
    };
    let mut outcome = Outcome {
        dropped: unwanted(conn, at)?,
        ..Outcome::default()
    };
    let due: Vec<MailRow> = mail_queue::table
        .filter(mail_queue::state.eq(MailState::Queued))
        .filter(mail_queue::next_attempt_at.le(at))
        .filter(mail_queue::id.ne_all(&outcome.dropped))
        .order(mail_queue::created_at.asc())
        .select(MailRow::as_select())
        .load(conn)?;
    let cut = digest_instant(at, state.tz, state.config.mail_digest_hour);
    let base = state.config.base_url();
    let mut batches = Vec::new();
    let mut digests: BTreeMap<String, Vec<MailRow>> = BTreeMap::new();
    for row in due {
        if !row.digest {
            batches.push(Batch {
                rows: vec![row.id.clone()],
                attempts: row.attempts,
                mail: single(&row, &base),
            });
        } else if row.created_at < cut {
            digests.entry(row.user_id.clone()).or_default().push(row);
        }
    }
    for rows in digests.into_values() {
        if let Some(mail) = digest(&rows, &base) {
            batches.push(Batch {
                rows: rows.iter().map(|r| r.id.clone()).collect(),
                attempts: rows.iter().map(|r| r.attempts).max().unwrap_or(0),
                mail,
            });
        }
    }
    let mails: Vec<Outgoing> = batches.iter().map(|b| b.mail.clone()).collect();
    let results = smtp.send_all(&mails);
    write_tx(conn, |conn| {
        if !outcome.dropped.is_empty() {
            diesel::update(mail_queue::table.filter(mail_queue::id.eq_any(&outcome.dropped)))
                .set(mail_queue::state.eq(MailState::Dropped))
                .execute(conn)?;
        }
        for (batch, result) in batches.iter().zip(results) {
            let attempts = batch.attempts + 1;
            let rows = mail_queue::table.filter(mail_queue::id.eq_any(&batch.rows));
            match result {
                Ok(()) => {
                    diesel::update(rows)
                        .set((
                            mail_queue::state.eq(MailState::Sent),
                            mail_queue::attempts.eq(attempts),
                            mail_queue::sent_at.eq(Some(at)),
                            mail_queue::last_error.eq(None::<String>),
                        ))
                        .execute(conn)?;
                    outcome.sent.extend(batch.rows.iter().cloned());
                }
                Err(error) => {
                    let given_up = attempts >= MAX_ATTEMPTS;
                    diesel::update(rows)
                        .set((
                            mail_queue::state.eq(if given_up {
                                MailState::Failed
                            } else {
                                MailState::Queued
                            }),
                            mail_queue::attempts.eq(attempts),
                            mail_queue::next_attempt_at.eq(at + backoff(attempts)),
                            mail_queue::last_error.eq(Some(error)),
                        ))
                        .execute(conn)?;
                    let list = if given_up {
                        &mut outcome.failed
                    } else {
                        &mut outcome.retrying
                    };
                    list.extend(batch.rows.iter().cloned());
                }
            }
        }
        if outcome.changed() > 0 {
            audit::record(
                conn,
                &Actor::system("scheduler"),
                Change {
                    action: "mail.sent",
                    entity_type: "mail",
                    entity_id: "queue",
                    summary: format!(
                        "sent {} mails; {} to retry, {} given up, {} no longer wanted",
                        outcome.sent.len(),
                        outcome.retrying.len(),
                        outcome.failed.len(),
                        outcome.dropped.len()
                    ),
                    changes: serde_json::json!({
                        "sent": outcome.sent,
                        "retrying": outcome.retrying,
                        "failed": outcome.failed,
                        "dropped": outcome.dropped,
                    }),
                },
            )?;
        }
        Ok(())
    })?;
    if !outcome.failed.is_empty() {
        tracing::warn!(failed = ?outcome.failed, "mails given up on after {MAX_ATTEMPTS} tries");
    }
    Ok(outcome.changed())
}

/// The queued mails of people who no longer want them: they chose `off`,
/// or their account cannot log in.
fn unwanted(conn: &mut DbConn, at: NaiveDateTime) -> AppResult<Vec<String>> {
    let rows: Vec<(String, MailChoice, bool, Option<NaiveDateTime>)> = mail_queue::table
        .inner_join(users::table)
        .filter(mail_queue::state.eq(MailState::Queued))
        .select((
            mail_queue::id,
            users::mail,
            users::active,
            users::expires_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(_, choice, active, expires)| {
            *choice == MailChoice::Off || !*active || expires.is_some_and(|t| at >= t)
        })
        .map(|(id, ..)| id)
        .collect())
}

fn lang_of(row: &MailRow) -> Lang {
    Lang::parse(&row.language).unwrap_or_default()
}

/// The closing lines: why the mail came and where to change that.
fn footer(lang: Lang, choice: MailChoice, base: &str) -> String {
    i18n::t_args(
        lang,
        "mail-footer",
        &[
            (
                "choice",
                i18n::t(lang, &format!("mail-choice-{}", choice.as_str())),
            ),
            ("account", format!("{base}/account")),
        ],
    )
}

fn single(row: &MailRow, base: &str) -> Outgoing {
    let lang = lang_of(row);
    Outgoing {
        to: row.address.clone(),
        language: lang.code().to_string(),
        subject: row.subject.clone(),
        body: format!(
            "{}\n\n{}\n{base}{}\n\n-- \n{}\n",
            row.body,
            i18n::t(lang, "mail-open"),
            row.link,
            footer(lang, MailChoice::Immediate, base)
        ),
    }
}

fn digest(rows: &[MailRow], base: &str) -> Option<Outgoing> {
    let newest = rows.last()?;
    let lang = lang_of(newest);
    let count = rows.len().to_string();
    let form = if rows.len() == 1 { "one" } else { "other" };
    let mut body = i18n::t_args(
        lang,
        &format!("mail-digest-intro-{form}"),
        &[("count", count.clone())],
    );
    body.push_str("\n\n");
    for row in rows {
        body.push_str(&format!(
            "* {}\n  {}\n  {base}{}\n\n",
            row.subject, row.body, row.link
        ));
    }
    body.push_str(&format!(
        "-- \n{}\n",
        footer(lang, MailChoice::Digest, base)
    ));
    Some(Outgoing {
        to: newest.address.clone(),
        language: lang.code().to_string(),
        subject: i18n::t_args(
            lang,
            &format!("mail-digest-subject-{form}"),
            &[("count", count)],
        ),
        body,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn t(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 5, d)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    #[test]
    fn the_digest_goes_at_the_sites_hour() {
        let hki = chrono_tz::Europe::Helsinki;
        // 07:00 in Helsinki in May is 04:00 UTC.
        assert_eq!(digest_instant(t(13, 4, 0), hki, 7), t(13, 4, 0));
        assert_eq!(digest_instant(t(13, 3, 59), hki, 7), t(12, 4, 0));
        assert_eq!(digest_instant(t(13, 23, 0), hki, 7), t(13, 4, 0));
        assert_eq!(digest_instant(t(13, 6, 30), chrono_tz::UTC, 7), t(12, 7, 0));
    }

    #[test]
    fn retries_wait_longer_each_time() {
        assert_eq!(backoff(1), TimeDelta::minutes(5));
        assert_eq!(backoff(2), TimeDelta::minutes(10));
        assert_eq!(backoff(4), TimeDelta::minutes(40));
    }
}
