//! Login throttling by account name and client address together.
//!
//! OWASP's advice against brute force without handing attackers a lockout
//! button: failures are counted per (name, address) pair, the first
//! `free_failures` cost nothing, and each further one makes that pair wait
//! twice as long as the one before (from `base_delay_ms` up to
//! `max_delay_ms`). While a pair waits, its attempts are refused with 429
//! `login_throttled` without looking at the password. An attacker slows
//! only themselves down; the real user, from their own address, logs in
//! with the right password whatever the attacker did. Nothing locks an
//! account.
//!
//! The name is the one typed, lower-cased, whether or not an account has it,
//! so unknown names are throttled exactly like real ones and the answers do
//! not tell them apart. A pair is forgotten after a success, or `forget`
//! after its last failure.

use std::net::IpAddr;

use actix_web::HttpRequest;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::login_throttles;
use crate::db::{self, DbConn};
use crate::error::{AppError, AppResult, Code, ErrorKind};

/// How failed logins slow a (name, address) pair down, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    /// Failures in a row that cost no wait.
    pub free_failures: i32,
    /// The wait after the first failure past the free ones; doubles after each further one.
    pub base_delay_ms: u64,
    /// The longest wait.
    pub max_delay_ms: u64,
    /// A pair without failures for this long starts from zero again.
    pub forget: TimeDelta,
}

impl ThrottlePolicy {
    /// The wait after the `failures`-th failure in a row.
    pub fn delay_after(&self, failures: i32) -> u64 {
        let past_free = failures.saturating_sub(self.free_failures);
        if past_free <= 0 {
            return 0;
        }
        let doublings = u32::try_from(past_free - 1).unwrap_or(u32::MAX).min(40);
        self.base_delay_ms
            .saturating_mul(1u64 << doublings)
            .min(self.max_delay_ms)
    }
}

/// Whose attempts are counted together: a name as typed and a client address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleKey {
    /// The name as typed, normalised by [`normal_name`].
    pub username: String,
    /// The client's address.
    pub client: String,
}

impl ThrottleKey {
    /// The key for a name as typed (trimmed, lower-cased, at most 100
    /// characters) and an address.
    pub fn new(username: &str, client: &str) -> ThrottleKey {
        ThrottleKey {
            username: normal_name(username),
            client: client.chars().take(64).collect(),
        }
    }

    fn lock_id(&self) -> String {
        format!("login-throttle\n{}\n{}", self.username, self.client)
    }
}

/// The form of a typed name that throttling and the audit trail use.
pub fn normal_name(username: &str) -> String {
    username.trim().to_lowercase().chars().take(100).collect()
}

/// One throttled pair, as an admin sees it.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = login_throttles)]
pub struct ThrottleRow {
    /// The name as typed, normalised.
    pub username: String,
    /// The client's address.
    pub client: String,
    /// Failed attempts since the last success.
    pub failures: i32,
    /// When the last one failed (UTC).
    pub last_failure_at: NaiveDateTime,
    /// Until when attempts of the pair are refused, if they are.
    pub blocked_until: Option<NaiveDateTime>,
}

/// The refusal while a pair waits; the same for every name (`Retry-After`
/// says how long).
pub fn throttled() -> AppError {
    AppError::new(
        ErrorKind::TooManyRequests,
        Code::LoginThrottled,
        "too many failed logins for this name from your address; wait a moment and try again",
    )
}

/// Until when the pair must wait, if it must wait at `t`.
///
/// # Errors
/// A database fault.
pub fn blocked_until(
    conn: &mut DbConn,
    key: &ThrottleKey,
    t: NaiveDateTime,
) -> AppResult<Option<NaiveDateTime>> {
    let until: Option<Option<NaiveDateTime>> = login_throttles::table
        .find((&key.username, &key.client))
        .select(login_throttles::blocked_until)
        .first(conn)
        .optional()?;
    Ok(until.flatten().filter(|u| *u > t))
}

/// Counts a failure of the pair at `t`; returns the failures in a row and the
/// wait that now applies. Runs inside the caller's write transaction (which
/// also writes the audit event), and forgets pairs idle for `forget`.
///
/// # Errors
/// A database fault.
pub fn record_failure(
    conn: &mut DbConn,
    policy: &ThrottlePolicy,
    key: &ThrottleKey,
    t: NaiveDateTime,
) -> AppResult<(i32, u64)> {
    db::lock_row(conn, &key.lock_id())?;
    let stale = t - policy.forget;
    diesel::delete(login_throttles::table.filter(login_throttles::last_failure_at.lt(stale)))
        .execute(conn)?;
    let before: Option<i32> = login_throttles::table
        .find((&key.username, &key.client))
        .select(login_throttles::failures)
        .first(conn)
        .optional()?;
    let failures = before.unwrap_or(0).saturating_add(1);
    let delay_ms = policy.delay_after(failures);
    let blocked = (delay_ms > 0)
        .then(|| t + TimeDelta::milliseconds(i64::try_from(delay_ms).unwrap_or(i64::MAX)));
    if before.is_some() {
        diesel::update(login_throttles::table.find((&key.username, &key.client)))
            .set((
                login_throttles::failures.eq(failures),
                login_throttles::last_failure_at.eq(t),
                login_throttles::blocked_until.eq(blocked),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(login_throttles::table)
            .values((
                login_throttles::username.eq(&key.username),
                login_throttles::client.eq(&key.client),
                login_throttles::failures.eq(failures),
                login_throttles::last_failure_at.eq(t),
                login_throttles::blocked_until.eq(blocked),
            ))
            .execute(conn)?;
    }
    Ok((failures, delay_ms))
}

/// Forgets the pair (after a successful login).
///
/// # Errors
/// A database fault.
pub fn clear(conn: &mut DbConn, key: &ThrottleKey) -> AppResult<usize> {
    Ok(diesel::delete(login_throttles::table.find((&key.username, &key.client))).execute(conn)?)
}

/// Forgets every pair of a name (an admin lifting the delays of an account).
///
/// # Errors
/// A database fault.
pub fn clear_name(conn: &mut DbConn, username: &str) -> AppResult<usize> {
    Ok(diesel::delete(
        login_throttles::table.filter(login_throttles::username.eq(normal_name(username))),
    )
    .execute(conn)?)
}

/// The pairs of a name that have failures, most recent first.
///
/// # Errors
/// A database fault.
pub fn pairs_of(conn: &mut DbConn, username: &str) -> AppResult<Vec<ThrottleRow>> {
    Ok(login_throttles::table
        .filter(login_throttles::username.eq(normal_name(username)))
        .order(login_throttles::last_failure_at.desc())
        .select(ThrottleRow::as_select())
        .load(conn)?)
}

/// The client's address: the peer, or, when the peer is one of the
/// `trusted_proxies`, the nearest address in `X-Forwarded-For` that is not
/// itself a trusted proxy. Untrusted peers cannot choose their address.
pub fn client_address(req: &HttpRequest, trusted_proxies: &[IpAddr]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    if !trusted_proxies.contains(&peer) {
        return peer.to_string();
    }
    let forwarded: Vec<IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse::<IpAddr>().ok())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|ip| !trusted_proxies.contains(ip))
        .unwrap_or(&peer)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_the_free_failures_up_to_the_cap() {
        let p = ThrottlePolicy {
            free_failures: 3,
            base_delay_ms: 500,
            max_delay_ms: 3_000,
            forget: TimeDelta::hours(24),
        };
        let waits: Vec<u64> = (1..=8).map(|n| p.delay_after(n)).collect();
        assert_eq!(waits, [0, 0, 0, 500, 1_000, 2_000, 3_000, 3_000]);
        assert_eq!(p.delay_after(i32::MAX), 3_000);
    }

    #[test]
    fn names_are_compared_as_typed_but_lower_case() {
        assert_eq!(ThrottleKey::new("  Admin ", "::1").username, "admin");
    }
}
