//! The audit trail: append-only and hash-chained.
//!
//! Every change of data calls [`record`] inside the same write transaction as
//! the change. `hash = sha256(prev_hash || canonical event)`, where the
//! canonical event is a JSON object with a fixed field order. Nothing updates
//! or deletes an event; the database refuses it with triggers, and
//! [`verify_chain`] finds an event that was altered behind its back.

pub mod api;
pub mod pages;
pub mod sentence;

/// What the audit trail adds: reading it (routes only; every area writes to it).
pub const AREA: crate::area::Area = crate::area::Area {
    name: "audit",
    api: api::configure,
    pages: pages::configure,
    ..crate::area::Area::EMPTY
};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::schema::audit_events;
use crate::db::{self, DbConn, LockKey};
use crate::error::{AppError, AppResult};
use crate::ids::{UserId, now};
use crate::kit::list::{self, Page, Paging};

/// The hash before the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did something: a user, or the system (CLI, scheduler, demo loader).
/// The name is kept with the event, so the trail survives renames.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user who acted; `None` when the system did.
    pub id: Option<UserId>,
    /// The name the trail shows: the username, or `system:<what>` for the system.
    pub name: String,
}

impl Actor {
    /// A user acting under their username.
    pub fn user(id: &UserId, username: &str) -> Self {
        Self {
            id: Some(id.clone()),
            name: username.to_string(),
        }
    }

    /// The system acting as `what` (shown as `system:<what>`).
    pub fn system(name: &str) -> Self {
        Self {
            id: None,
            name: format!("system:{name}"),
        }
    }
}

/// A stored audit event.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When the change happened (UTC).
    #[serde(with = "crate::time::rfc3339")]
    pub occurred_at: NaiveDateTime,
    /// Id of the user who acted; `None` for the system.
    pub actor_id: Option<String>,
    /// The actor's name at the time, kept so the trail survives renames.
    pub actor_name: String,
    /// What happened, as `entity.verb` (`document.signed`).
    pub action: String,
    /// What kind of thing changed (`document`, `user`, `nonconformity`, ...).
    pub entity_type: String,
    /// Which one: its number, code or id.
    pub entity_id: String,
    /// One line for people reading the trail.
    pub summary: String,
    /// JSON: `{"field": {"before": .., "after": ..}}` or other detail.
    pub changes: String,
    /// The hash of the event before (64 zeros for the first).
    pub prev_hash: String,
    /// `sha256(prev_hash || canonical event)`, in hex.
    pub hash: String,
}

/// What a change tells the trail.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// What happened, as `entity.verb`.
    pub action: &'a str,
    /// What kind of thing changed.
    pub entity_type: &'a str,
    /// Which one: its number, code or id.
    pub entity_id: &'a str,
    /// One line for people reading the trail.
    pub summary: String,
    /// The detail: usually a [`Diff`], as JSON.
    pub changes: serde_json::Value,
}

/// The before/after of changed fields, in the shape the trail stores.
#[derive(Debug, Default)]
pub struct Diff(serde_json::Map<String, serde_json::Value>);

impl Diff {
    /// An empty set of changes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Notes a field if its value changed.
    pub fn field<T: Serialize + PartialEq>(mut self, name: &str, before: &T, after: &T) -> Self {
        if before != after {
            self.0.insert(
                name.to_string(),
                serde_json::json!({ "before": before, "after": after }),
            );
        }
        self
    }

    /// Notes a field of a newly created thing.
    pub fn created<T: Serialize>(mut self, name: &str, value: &T) -> Self {
        self.0.insert(
            name.to_string(),
            serde_json::json!({ "before": null, "after": value }),
        );
        self
    }

    /// Whether no field changed (then there is nothing to record).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The changes as the JSON the event stores.
    pub fn into_value(self) -> serde_json::Value {
        serde_json::Value::Object(self.0)
    }
}

#[derive(Serialize)]
struct Canonical<'a> {
    seq: i64,
    occurred_at: String,
    actor_id: Option<&'a str>,
    actor_name: &'a str,
    action: &'a str,
    entity_type: &'a str,
    entity_id: &'a str,
    summary: &'a str,
    changes: &'a str,
}

fn canonical_time(t: &NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The hash an event must carry, given the hash before it.
pub fn event_hash(e: &AuditEvent, prev_hash: &str) -> String {
    let canonical = Canonical {
        seq: e.seq,
        occurred_at: canonical_time(&e.occurred_at),
        actor_id: e.actor_id.as_deref(),
        actor_name: &e.actor_name,
        action: &e.action,
        entity_type: &e.entity_type,
        entity_id: &e.entity_id,
        summary: &e.summary,
        changes: &e.changes,
    };
    // Serialising a struct of strings and integers cannot fail.
    let json = serde_json::to_vec(&canonical).unwrap_or_default();
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(&json);
    hex::encode(h.finalize())
}

/// Appends one event. Must run inside the write transaction of the change.
///
/// # Errors
/// Outside a transaction (a programming error), or a database fault.
pub fn record(conn: &mut DbConn, actor: &Actor, change: Change<'_>) -> AppResult<AuditEvent> {
    if !db::in_transaction(conn) {
        return Err(AppError::internal(anyhow::anyhow!(
            "audit event `{}` recorded outside a transaction",
            change.action
        )));
    }
    db::lock(conn, LockKey::AuditChain)?;
    let head: Option<(i64, String)> = audit_events::table
        .select((audit_events::seq, audit_events::hash))
        .order(audit_events::seq.desc())
        .first(conn)
        .optional()?;
    let (prev_seq, prev_hash) = head.unwrap_or((0, GENESIS_HASH.to_string()));
    let mut event = AuditEvent {
        seq: prev_seq + 1,
        occurred_at: now(),
        actor_id: actor.id.as_ref().map(|id| id.0.clone()),
        actor_name: actor.name.clone(),
        action: change.action.to_string(),
        entity_type: change.entity_type.to_string(),
        entity_id: change.entity_id.to_string(),
        summary: change.summary,
        changes: change.changes.to_string(),
        prev_hash,
        hash: String::new(),
    };
    event.hash = event_hash(&event, &event.prev_hash);
    diesel::insert_into(audit_events::table)
        .values(&event)
        .execute(conn)?;
    Ok(event)
}

/// Actions of logging in and out: many, and rarely what a reader looks for,
/// so the audit trail page hides them unless asked (`logins=true`).
pub const LOGIN_ACTIONS: &[&str] = &[
    "session.created",
    "session.ended",
    "user.login_failed",
    "login.failed",
];

/// Filters for listing events.
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventFilter {
    /// Username of the actor (as recorded).
    pub actor: Option<String>,
    /// Action, such as `user.created`.
    pub action: Option<String>,
    /// Entity type, such as `user` or `api_token`.
    pub entity_type: Option<String>,
    /// Entity id.
    pub entity_id: Option<String>,
    /// Earliest time (UTC, `2026-11-01T00:00:00` or `2026-11-01`).
    pub from: Option<String>,
    /// Latest time, exclusive (UTC).
    pub to: Option<String>,
    /// Whether logins, logouts and failed logins are included (default:
    /// yes; the audit trail page hides them unless asked).
    pub logins: Option<bool>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Events a page (at most 200).
    pub per_page: Option<i64>,
}

use crate::kit::date::parse_time;

type Backend = <DbConn as diesel::Connection>::Backend;

/// The events `f` selects, unordered; `from` and `to` already parsed.
fn filtered<'a>(
    f: &'a EventFilter,
    from: Option<NaiveDateTime>,
    to: Option<NaiveDateTime>,
) -> audit_events::BoxedQuery<'a, Backend> {
    let mut q = audit_events::table.into_boxed();
    if let Some(a) = f.actor.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(audit_events::actor_name.eq(a));
    }
    if let Some(a) = f.action.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(audit_events::action.eq(a));
    }
    if let Some(t) = f.entity_type.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(audit_events::entity_type.eq(t));
    }
    if let Some(id) = f.entity_id.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(audit_events::entity_id.eq(id));
    }
    if let Some(from) = from {
        q = q.filter(audit_events::occurred_at.ge(from));
    }
    if let Some(to) = to {
        q = q.filter(audit_events::occurred_at.lt(to));
    }
    if f.logins == Some(false) {
        q = q.filter(audit_events::action.ne_all(LOGIN_ACTIONS));
    }
    q
}

fn times(f: &EventFilter) -> AppResult<(Option<NaiveDateTime>, Option<NaiveDateTime>)> {
    let from = f
        .from
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| parse_time("from", s))
        .transpose()?;
    let to =
        f.to.as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| parse_time("to", s))
            .transpose()?;
    Ok((from, to))
}

/// Lists events, newest first.
///
/// # Errors
/// Malformed times; a database fault.
pub fn list(conn: &mut DbConn, f: &EventFilter) -> AppResult<Page<AuditEvent>> {
    let (from, to) = times(f)?;
    list::page(
        conn,
        Paging::new(f.page, f.per_page),
        || filtered(f, from, to),
        |q, conn| {
            q.order(audit_events::seq.desc())
                .select(AuditEvent::as_select())
                .load(conn)
        },
    )
}

/// Every event `f` selects (paging ignored), newest first: what the CSV
/// download holds.
///
/// # Errors
/// Malformed times; a database fault.
pub fn list_all(conn: &mut DbConn, f: &EventFilter) -> AppResult<Vec<AuditEvent>> {
    let (from, to) = times(f)?;
    Ok(filtered(f, from, to)
        .order(audit_events::seq.desc())
        .select(AuditEvent::as_select())
        .load(conn)?)
}

/// The values the trail's filters can take: the areas (entity types),
/// actions and actors that occur in it.
#[derive(Debug, Default)]
pub struct FilterValues {
    /// Entity types, sorted.
    pub entity_types: Vec<String>,
    /// Actions, sorted.
    pub actions: Vec<String>,
    /// Actor names as recorded (usernames, `system:<what>`), sorted.
    pub actors: Vec<String>,
}

/// What the filters can choose from (three `DISTINCT` queries on the trail).
///
/// # Errors
/// A database fault.
pub fn filter_values(conn: &mut DbConn) -> AppResult<FilterValues> {
    Ok(FilterValues {
        entity_types: audit_events::table
            .select(audit_events::entity_type)
            .distinct()
            .order(audit_events::entity_type)
            .load(conn)?,
        actions: audit_events::table
            .select(audit_events::action)
            .distinct()
            .order(audit_events::action)
            .load(conn)?,
        actors: audit_events::table
            .select(audit_events::actor_name)
            .distinct()
            .order(audit_events::actor_name)
            .load(conn)?,
    })
}

/// The outcome of checking the chain.
#[derive(Debug, PartialEq, Eq)]
pub enum ChainCheck {
    /// Every event's hash follows from the one before.
    Intact {
        /// How many events the chain holds.
        events: i64,
    },
    /// The chain breaks at one event.
    Broken {
        /// The sequence number of the first event that does not follow.
        seq: i64,
        /// What does not match (a hash, a gap in the sequence, ...).
        reason: String,
    },
}

/// What is wrong with the first event that does not follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainFault {
    /// The event with this number is missing; the next one stored is `next`.
    Missing {
        /// The sequence number found instead.
        next: i64,
    },
    /// Its `prev_hash` is not the hash of the event before it.
    PrevHash,
    /// Its content does not match its hash.
    Content,
}

impl std::fmt::Display for ChainFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainFault::Missing { next } => write!(f, "it is missing (next is #{next})"),
            ChainFault::PrevHash => {
                f.write_str("its prev_hash is not the hash of the event before it")
            }
            ChainFault::Content => f.write_str("its content does not match its hash"),
        }
    }
}

/// The chain's state in detail: how many events follow one another from the
/// start, and the first that does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// How many events were found intact before the break (or in all).
    pub intact: i64,
    /// The first broken event's number and what is wrong with it.
    pub broken: Option<(i64, ChainFault)>,
}

/// Walks the whole chain in order and names the first broken event.
///
/// # Errors
/// A database fault.
pub fn verify_chain(conn: &mut DbConn) -> AppResult<ChainCheck> {
    Ok(match check_chain(conn)? {
        ChainReport {
            intact,
            broken: None,
        } => ChainCheck::Intact { events: intact },
        ChainReport {
            broken: Some((seq, fault)),
            ..
        } => ChainCheck::Broken {
            seq,
            reason: match fault {
                ChainFault::Missing { next } => {
                    format!("event #{seq} is missing (next is #{next})")
                }
                other => other.to_string(),
            },
        },
    })
}

/// The walk behind [`verify_chain`] (`laatu check` and the audit trail
/// page's button), in batches so that a long chain does not fill memory.
///
/// # Errors
/// A database fault.
pub fn check_chain(conn: &mut DbConn) -> AppResult<ChainReport> {
    const BATCH: i64 = 2000;
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS_HASH.to_string();
    let broken = |seq: i64, fault| ChainReport {
        intact: seq - 1,
        broken: Some((seq, fault)),
    };
    loop {
        let batch: Vec<AuditEvent> = audit_events::table
            .filter(audit_events::seq.ge(expected_seq))
            .order(audit_events::seq.asc())
            .limit(BATCH)
            .select(AuditEvent::as_select())
            .load(conn)?;
        if batch.is_empty() {
            return Ok(ChainReport {
                intact: expected_seq - 1,
                broken: None,
            });
        }
        for e in &batch {
            if e.seq != expected_seq {
                return Ok(broken(expected_seq, ChainFault::Missing { next: e.seq }));
            }
            if e.prev_hash != prev_hash {
                return Ok(broken(e.seq, ChainFault::PrevHash));
            }
            if event_hash(e, &prev_hash) != e.hash {
                return Ok(broken(e.seq, ChainFault::Content));
            }
            prev_hash = e.hash.clone();
            expected_seq += 1;
        }
    }
}
