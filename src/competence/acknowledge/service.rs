//! The rules of acknowledgements: who reads a document, where each reader
//! stands, acknowledging, and the roles a document names. No HTTP.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::{AckState, ReadingDuty};
use crate::audit::{self, Change};
use crate::auth::model::{Role, User};
use crate::competence::model::AcknowledgementRow;
use crate::db::schema::{
    acknowledgements, document_reader_roles, documents, process_members, processes, revisions,
    user_roles, users,
};
use crate::db::{self, DbConn, write_tx};
use crate::documents::model::{DocStatus, RevisionStatus};
use crate::documents::service as docs;
use crate::error::{AppError, AppResult, Code, ErrorKind};
use crate::ids::{new_id, now};

/// The meaning of every acknowledgement signature.
pub const READ_AND_UNDERSTOOD: &str = "read_and_understood";

/// Roles a document may name as its readers: those who work by documents.
/// Auditors read everything and change nothing; admins manage accounts.
pub const READER_ROLES: &[Role] = &[Role::QualityManager, Role::ProcessOwner, Role::Staff];

/// Parses the roles a document names as its readers, dropping duplicates.
/// An empty list is allowed (then only the process's members read it).
///
/// # Errors
/// `unknown_role`; `reader_role_not_allowed` for `auditor` and `admin`.
pub fn parse_reader_roles<S: AsRef<str>>(items: &[S]) -> AppResult<Vec<Role>> {
    let mut roles = Vec::new();
    for s in items {
        let r = Role::parse(s.as_ref().trim())?;
        if !READER_ROLES.contains(&r) {
            return Err(AppError::invalid(
                Code::ReaderRoleNotAllowed,
                format!(
                    "`{}` cannot be a reader role: auditors and administrators do not work by documents; name quality_manager, process_owner or staff",
                    r.as_str()
                ),
            ));
        }
        roles.push(r);
    }
    roles.sort();
    roles.dedup();
    Ok(roles)
}

/// The roles a document names as its readers, in order.
///
/// # Errors
/// A database fault.
pub fn reader_roles_of(conn: &mut DbConn, document_id: &str) -> AppResult<Vec<Role>> {
    let names: Vec<String> = document_reader_roles::table
        .filter(document_reader_roles::document_id.eq(document_id))
        .select(document_reader_roles::role)
        .load(conn)?;
    let mut roles: Vec<Role> = names.iter().filter_map(|r| Role::parse(r).ok()).collect();
    roles.sort();
    Ok(roles)
}

/// Writes the reader roles of a document inside the caller's transaction
/// (the caller records the audit event). Answers the roles before.
///
/// # Errors
/// A database fault.
pub(crate) fn write_reader_roles(
    conn: &mut DbConn,
    document_id: &str,
    roles: &[Role],
) -> AppResult<Vec<Role>> {
    let before = reader_roles_of(conn, document_id)?;
    diesel::delete(
        document_reader_roles::table.filter(document_reader_roles::document_id.eq(document_id)),
    )
    .execute(conn)?;
    for r in roles {
        diesel::insert_into(document_reader_roles::table)
            .values((
                document_reader_roles::document_id.eq(document_id),
                document_reader_roles::role.eq(r.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(before)
}

/// Sets the roles a document names as its readers (a quality manager or
/// the document's owner), audited.
///
/// # Errors
/// `forbidden`, `document_not_found`, `document_obsolete`, faults.
pub fn set_reader_roles(
    conn: &mut DbConn,
    by: &User,
    number: &str,
    roles: Vec<Role>,
) -> AppResult<Vec<Role>> {
    let docs::Loaded { doc, .. } = docs::load_doc(conn, number)?;
    if !(by.has_role(Role::QualityManager) || doc.owner_id == by.id.0) {
        return Err(AppError::forbidden());
    }
    if doc.status == DocStatus::Obsolete {
        return Err(AppError::conflict(
            Code::DocumentObsolete,
            format!("{number} is obsolete"),
        ));
    }
    write_tx(conn, |conn| {
        db::lock_row(conn, &doc.id)?;
        let before = write_reader_roles(conn, &doc.id, &roles)?;
        if before != roles {
            let names = |rs: &[Role]| rs.iter().map(|r| r.as_str()).collect::<Vec<_>>();
            audit::record(
                conn,
                &docs::actor(by),
                Change {
                    action: "document.reader_roles_set",
                    entity_type: "document",
                    entity_id: number,
                    summary: format!(
                        "{} set the reader roles of {number}: {}",
                        by.username,
                        if roles.is_empty() {
                            "none".to_string()
                        } else {
                            names(&roles).join(", ")
                        }
                    ),
                    changes: serde_json::json!({
                        "reader_roles": { "before": names(&before), "after": names(&roles) },
                    }),
                },
            )?;
        }
        Ok(roles)
    })
}

/// Which reading duties to compute.
#[derive(Debug, Clone, Copy)]
enum Scope<'a> {
    /// Every effective document and every reader.
    All,
    /// One document (by id).
    Document(&'a str),
    /// One person (by id).
    User(&'a str),
}

/// A person who may be a reader.
struct Person {
    username: String,
    name: String,
}

/// An effective document as the duties read it.
struct EffectiveDoc {
    id: String,
    number: String,
    title: String,
    process: Option<String>,
    rev: i32,
}

/// The reading duties of a scope in a fixed number of queries (seven),
/// whatever the number of documents and people.
fn compute(conn: &mut DbConn, scope: Scope<'_>) -> AppResult<Vec<ReadingDuty>> {
    let t = now();
    // 1. Effective documents.
    let mut q = documents::table
        .filter(documents::status.eq(DocStatus::Effective))
        .into_boxed();
    if let Scope::Document(id) = scope {
        q = q.filter(documents::id.eq(id.to_string()));
    }
    let effective: Vec<EffectiveDoc> = q
        .order(documents::number.asc())
        .select((
            documents::id,
            documents::number,
            documents::title,
            documents::process,
            documents::effective_revision,
        ))
        .load::<(String, String, String, Option<String>, Option<i32>)>(conn)?
        .into_iter()
        .filter_map(|(id, number, title, process, rev)| {
            rev.map(|rev| EffectiveDoc {
                id,
                number,
                title,
                process,
                rev,
            })
        })
        .collect();
    if effective.is_empty() {
        return Ok(Vec::new());
    }
    // 2. The revisions that were ever in force, with their retraining flag.
    let mut q = revisions::table
        .inner_join(documents::table)
        .filter(documents::status.eq(DocStatus::Effective))
        .filter(revisions::effective_at.is_not_null())
        .into_boxed();
    if let Scope::Document(id) = scope {
        q = q.filter(revisions::document_id.eq(id.to_string()));
    }
    let revs: Vec<(String, i32, bool)> = q
        .select((
            revisions::document_id,
            revisions::rev,
            revisions::retraining,
        ))
        .load(conn)?;
    let mut revs_of: HashMap<&str, Vec<(i32, bool)>> = HashMap::new();
    for (d, rev, retraining) in &revs {
        revs_of
            .entry(d.as_str())
            .or_default()
            .push((*rev, *retraining));
    }
    // 3. The roles each document names.
    let mut q = document_reader_roles::table
        .inner_join(documents::table)
        .filter(documents::status.eq(DocStatus::Effective))
        .into_boxed();
    if let Scope::Document(id) = scope {
        q = q.filter(document_reader_roles::document_id.eq(id.to_string()));
    }
    let doc_roles: Vec<(String, String)> = q
        .select((
            document_reader_roles::document_id,
            document_reader_roles::role,
        ))
        .load(conn)?;
    let mut roles_named: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (d, r) in &doc_roles {
        roles_named
            .entry(d.as_str())
            .or_default()
            .insert(r.as_str());
    }
    // 4. People who can be readers: active, not expired.
    let mut q = users::table.filter(users::active.eq(true)).into_boxed();
    if let Scope::User(id) = scope {
        q = q.filter(users::id.eq(id.to_string()));
    }
    let people: HashMap<String, Person> = q
        .select((
            users::id,
            users::username,
            users::display_name,
            users::expires_at,
        ))
        .load::<(String, String, String, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .filter(|(_, _, _, expires)| expires.is_none_or(|e| t < e))
        .map(|(id, username, name, _)| (id, Person { username, name }))
        .collect();
    // 5. Their roles.
    let mut q = user_roles::table
        .inner_join(users::table)
        .filter(users::active.eq(true))
        .into_boxed();
    if let Scope::User(id) = scope {
        q = q.filter(user_roles::user_id.eq(id.to_string()));
    }
    let held: Vec<(String, String)> = q
        .select((user_roles::user_id, user_roles::role))
        .load(conn)?;
    let mut roles_of: HashMap<&str, Vec<Role>> = HashMap::new();
    for (u, r) in &held {
        if let Ok(r) = Role::parse(r) {
            roles_of.entry(u.as_str()).or_default().push(r);
        }
    }
    // Readers are people who work by documents: a signing role, not an auditor.
    let works = |uid: &str| {
        roles_of
            .get(uid)
            .is_some_and(|rs| !rs.contains(&Role::Auditor) && rs.iter().any(|r| r.signs()))
    };
    let mut holders: HashMap<&str, Vec<&str>> = HashMap::new();
    for (u, r) in &held {
        if people.contains_key(u) && works(u) {
            holders.entry(r.as_str()).or_default().push(u.as_str());
        }
    }
    // 6. Process members, by process code.
    let mut q = process_members::table
        .inner_join(processes::table)
        .into_boxed();
    if let Scope::User(id) = scope {
        q = q.filter(process_members::user_id.eq(id.to_string()));
    }
    let members: Vec<(String, String)> = q
        .select((processes::code, process_members::user_id))
        .load(conn)?;
    let mut members_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for (code, u) in &members {
        if people.contains_key(u) && works(u) {
            members_of
                .entry(code.as_str())
                .or_default()
                .push(u.as_str());
        }
    }
    // 7. Acknowledgements of the effective documents.
    let mut q = acknowledgements::table
        .inner_join(documents::table)
        .filter(documents::status.eq(DocStatus::Effective))
        .into_boxed();
    match scope {
        Scope::Document(id) => q = q.filter(acknowledgements::document_id.eq(id.to_string())),
        Scope::User(id) => q = q.filter(acknowledgements::user_id.eq(id.to_string())),
        Scope::All => {}
    }
    let acks: Vec<(String, String, i32, NaiveDateTime)> = q
        .select((
            acknowledgements::document_id,
            acknowledgements::user_id,
            acknowledgements::rev,
            acknowledgements::acknowledged_at,
        ))
        .load(conn)?;
    let mut acked: HashMap<(&str, &str), Vec<(i32, NaiveDateTime)>> = HashMap::new();
    for (d, u, rev, at) in &acks {
        acked
            .entry((d.as_str(), u.as_str()))
            .or_default()
            .push((*rev, *at));
    }

    let mut out = Vec::new();
    for d in &effective {
        let mut readers: BTreeSet<&str> = BTreeSet::new();
        if let Some(code) = &d.process
            && let Some(ms) = members_of.get(code.as_str())
        {
            readers.extend(ms.iter().copied());
        }
        if let Some(named) = roles_named.get(d.id.as_str()) {
            for r in named {
                if let Some(hs) = holders.get(r) {
                    readers.extend(hs.iter().copied());
                }
            }
        }
        let floor = carry_floor(revs_of.get(d.id.as_str()).map(Vec::as_slice), d.rev);
        for uid in readers {
            let Some(p) = people.get(uid) else { continue };
            let latest = acked.get(&(d.id.as_str(), uid)).and_then(|v| {
                v.iter()
                    .filter(|(r, _)| *r <= d.rev)
                    .max_by_key(|(r, _)| *r)
            });
            let (state, acknowledged_rev, acknowledged_at) = match latest {
                Some((r, at)) if *r == d.rev => (AckState::Acknowledged, Some(*r), Some(*at)),
                Some((r, at)) if *r >= floor => (AckState::CarriedOver, Some(*r), Some(*at)),
                _ => (AckState::Pending, None, None),
            };
            out.push(ReadingDuty {
                user_id: uid.to_string(),
                document_id: d.id.clone(),
                username: p.username.clone(),
                name: p.name.clone(),
                number: d.number.clone(),
                title: d.title.clone(),
                rev: d.rev,
                state,
                acknowledged_rev,
                acknowledged_at,
            });
        }
    }
    Ok(out)
}

/// The earliest revision whose acknowledgement still counts for revision
/// `effective`: walking back from it, each revision marked "no retraining
/// needed" lets the acknowledgements of the one in force before it carry on.
fn carry_floor(revs: Option<&[(i32, bool)]>, effective: i32) -> i32 {
    let mut ever: Vec<(i32, bool)> = revs
        .unwrap_or_default()
        .iter()
        .copied()
        .filter(|(r, _)| *r <= effective)
        .collect();
    ever.sort_unstable();
    let Some(mut j) = ever.iter().position(|(r, _)| *r == effective) else {
        return effective;
    };
    while j > 0 && !ever[j].1 {
        j -= 1;
    }
    ever[j].0
}

/// Every reader of every effective document, in a fixed number of queries.
///
/// # Errors
/// A database fault.
pub fn all_duties(conn: &mut DbConn) -> AppResult<Vec<ReadingDuty>> {
    compute(conn, Scope::All)
}

/// The reading duties of one person (every effective document they read),
/// in a fixed number of queries.
///
/// # Errors
/// A database fault.
pub fn duties_of(conn: &mut DbConn, user_id: &str) -> AppResult<Vec<ReadingDuty>> {
    compute(conn, Scope::User(user_id))
}

/// The readers of one document and where each stands, in a fixed number
/// of queries (empty when nothing of it is in force).
///
/// # Errors
/// A database fault.
pub fn readers_of(conn: &mut DbConn, document_id: &str) -> AppResult<Vec<ReadingDuty>> {
    compute(conn, Scope::Document(document_id))
}

/// One acknowledgement as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AcknowledgementView {
    /// The acknowledgement's id.
    pub id: String,
    /// The document's number.
    pub number: String,
    /// The revision acknowledged.
    pub rev: i32,
    /// The commit of that revision: what the signature is bound to.
    pub commit: String,
    /// The reader's username.
    pub username: String,
    /// The reader's name.
    pub name: String,
    /// Always `read_and_understood`.
    pub meaning: String,
    /// Whether the reader gave their password again.
    pub password_confirmed: bool,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    pub acknowledged_at: NaiveDateTime,
}

/// One reader of a document and where they stand.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReaderView {
    /// The reader's username.
    pub username: String,
    /// The reader's name.
    pub name: String,
    /// Where they stand with the revision in force.
    pub state: AckState,
    /// The revision they acknowledged: the one in force, or an earlier one
    /// when carried over.
    pub acknowledged_rev: Option<i32>,
    /// When they acknowledged it.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub acknowledged_at: Option<NaiveDateTime>,
}

impl From<&ReadingDuty> for ReaderView {
    fn from(d: &ReadingDuty) -> Self {
        ReaderView {
            username: d.username.clone(),
            name: d.name.clone(),
            state: d.state,
            acknowledged_rev: d.acknowledged_rev,
            acknowledged_at: d.acknowledged_at,
        }
    }
}

/// Who has acknowledged the revision of a document in force, and who not.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentAcknowledgements {
    /// The document's number.
    pub number: String,
    /// Its title.
    pub title: String,
    /// Code of its process, whose members read it.
    pub process: Option<String>,
    /// The roles it names as its readers.
    pub reader_roles: Vec<Role>,
    /// The revision in force, if any.
    pub effective_rev: Option<i32>,
    /// Its commit: what an acknowledgement is bound to.
    pub commit: Option<String>,
    /// Readers who acknowledged the revision in force.
    pub acknowledged: usize,
    /// Readers whose acknowledgement of an earlier revision carries over.
    pub carried_over: usize,
    /// Readers who have not acknowledged.
    pub pending: usize,
    /// Every reader, by name.
    pub readers: Vec<ReaderView>,
    /// The caller's own line, when the caller is a reader.
    pub mine: Option<ReaderView>,
    /// Acknowledgements of earlier revisions, newest first.
    pub earlier: Vec<AcknowledgementView>,
}

fn views(
    conn: &mut DbConn,
    number: &str,
    rows: Vec<AcknowledgementRow>,
) -> AppResult<Vec<AcknowledgementView>> {
    let ids: Vec<&String> = rows.iter().map(|r| &r.user_id).collect();
    let names: HashMap<String, String> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| AcknowledgementView {
            name: names
                .get(&r.user_id)
                .cloned()
                .unwrap_or_else(|| r.user_name.clone()),
            id: r.id,
            number: number.to_string(),
            rev: r.rev,
            commit: r.commit_id,
            username: r.user_name,
            meaning: r.meaning,
            password_confirmed: r.password_confirmed,
            acknowledged_at: r.acknowledged_at,
        })
        .collect())
}

/// Who has acknowledged document `number` and who has not, for any reader
/// of documents.
///
/// # Errors
/// `document_not_found`; a database fault.
pub fn for_document(
    conn: &mut DbConn,
    by: &User,
    number: &str,
) -> AppResult<DocumentAcknowledgements> {
    let docs::Loaded { doc, .. } = docs::load_doc(conn, number)?;
    let mut duties = readers_of(conn, &doc.id)?;
    duties.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.username.cmp(&b.username))
    });
    let effective_rev = (doc.status == DocStatus::Effective)
        .then_some(doc.effective_revision)
        .flatten();
    let earlier_rows: Vec<AcknowledgementRow> = acknowledgements::table
        .filter(acknowledgements::document_id.eq(&doc.id))
        .filter(acknowledgements::rev.ne(effective_rev.unwrap_or(-1)))
        .order((
            acknowledgements::rev.desc(),
            acknowledgements::acknowledged_at.desc(),
        ))
        .select(AcknowledgementRow::as_select())
        .load(conn)?;
    let count = |s: AckState| duties.iter().filter(|d| d.state == s).count();
    Ok(DocumentAcknowledgements {
        number: doc.number.clone(),
        title: doc.title.clone(),
        process: doc.process.clone(),
        reader_roles: reader_roles_of(conn, &doc.id)?,
        effective_rev,
        commit: effective_rev.and(doc.effective_commit.clone()),
        acknowledged: count(AckState::Acknowledged),
        carried_over: count(AckState::CarriedOver),
        pending: count(AckState::Pending),
        mine: duties
            .iter()
            .find(|d| d.user_id == by.id.0)
            .map(ReaderView::from),
        readers: duties.iter().map(ReaderView::from).collect(),
        earlier: views(conn, number, earlier_rows)?,
    })
}

/// How acknowledging asks for the reader's password.
#[derive(Debug, Clone, Copy)]
pub struct AckPolicy {
    /// The password is required (config `acknowledge_with_password`).
    pub with_password: bool,
}

impl AckPolicy {
    /// The policy the configuration sets.
    pub fn of(state: &crate::state::AppState) -> AckPolicy {
        AckPolicy {
            with_password: state.config.acknowledge_with_password,
        }
    }
}

fn not_a_reader(number: &str) -> AppError {
    AppError::new(
        ErrorKind::Forbidden,
        Code::NotAReader,
        format!(
            "you are not a reader of {number}: its readers are the members of its process and the holders of the roles it names"
        ),
    )
}

fn already_acknowledged(number: &str, rev: i32) -> AppError {
    AppError::conflict(
        Code::AlreadyAcknowledged,
        format!("you have acknowledged {number} r{rev} already"),
    )
}

/// Acknowledges the revision of document `number` in force as read and
/// understood: an electronic signature bound to its commit. `commit`, when
/// given, must be that commit (what the reader read). With the policy's
/// password on, the password is required and checked; a wrong one is
/// audited and refused.
///
/// # Errors
/// `signer_not_allowed` (auditors, admins), `document_not_found`,
/// `not_effective`, `not_a_reader`, `already_acknowledged`,
/// `password_required`, `signature_password_mismatch` (audited),
/// `document_changed`, faults.
pub fn acknowledge(
    conn: &mut DbConn,
    by: &User,
    number: &str,
    password: Option<&str>,
    commit: Option<&str>,
    policy: AckPolicy,
) -> AppResult<AcknowledgementView> {
    if !by.may_sign() {
        return Err(docs::signer_not_allowed());
    }
    let docs::Loaded { doc, .. } = docs::load_doc(conn, number)?;
    let not_effective = || {
        AppError::conflict(
            Code::NotEffective,
            format!("{number} has no revision in force to acknowledge"),
        )
    };
    if doc.status != DocStatus::Effective {
        return Err(not_effective());
    }
    let mine = readers_of(conn, &doc.id)?
        .into_iter()
        .find(|d| d.user_id == by.id.0)
        .ok_or_else(|| not_a_reader(number))?;
    if mine.state == AckState::Acknowledged {
        return Err(already_acknowledged(number, mine.rev));
    }
    let password = password.filter(|p| !p.is_empty());
    match password {
        Some(p) => docs::confirm_password(conn, by, number, p, "acknowledge")?,
        None if policy.with_password => {
            return Err(AppError::invalid(
                Code::PasswordRequired,
                "give your password to acknowledge the document",
            ));
        }
        None => {}
    }
    let t = now();
    write_tx(conn, |conn| {
        db::lock_row(conn, &doc.id)?;
        let (status, rev, effective_commit): (DocStatus, Option<i32>, Option<String>) =
            documents::table
                .find(&doc.id)
                .select((
                    documents::status,
                    documents::effective_revision,
                    documents::effective_commit,
                ))
                .first(conn)?;
        let (Some(rev), Some(effective_commit), DocStatus::Effective) =
            (rev, effective_commit, status)
        else {
            return Err(not_effective());
        };
        if commit.is_some_and(|c| c != effective_commit) || rev != mine.rev {
            return Err(AppError::conflict(
                Code::DocumentChanged,
                format!(
                    "{number} changed since you read it: revision {rev} is in force now; read it and acknowledge again"
                ),
            ));
        }
        let revision_id: String = revisions::table
            .filter(revisions::document_id.eq(&doc.id))
            .filter(revisions::rev.eq(rev))
            .filter(revisions::status.eq(RevisionStatus::Effective))
            .select(revisions::id)
            .first(conn)?;
        let done: i64 = acknowledgements::table
            .filter(acknowledgements::revision_id.eq(&revision_id))
            .filter(acknowledgements::user_id.eq(by.id.as_str()))
            .count()
            .get_result(conn)?;
        if done > 0 {
            return Err(already_acknowledged(number, rev));
        }
        let row = AcknowledgementRow {
            id: new_id(),
            document_id: doc.id.clone(),
            revision_id,
            rev,
            commit_id: effective_commit,
            user_id: by.id.0.clone(),
            user_name: by.username.clone(),
            meaning: READ_AND_UNDERSTOOD.to_string(),
            password_confirmed: password.is_some(),
            acknowledged_at: t,
        };
        diesel::insert_into(acknowledgements::table)
            .values(&row)
            .execute(conn)?;
        audit::record(
            conn,
            &docs::actor(by),
            Change {
                action: "document.acknowledged",
                entity_type: "document",
                entity_id: number,
                summary: format!(
                    "{} acknowledged {number} r{rev} as read and understood",
                    by.username
                ),
                changes: serde_json::json!({
                    "acknowledgement": row.id, "rev": rev, "commit": row.commit_id,
                    "meaning": row.meaning, "password_confirmed": row.password_confirmed,
                    "before": mine.state, "carried_from": mine.acknowledged_rev,
                }),
            },
        )?;
        Ok(AcknowledgementView {
            id: row.id,
            number: number.to_string(),
            rev,
            commit: row.commit_id,
            username: by.username.clone(),
            name: by.display_name.clone(),
            meaning: row.meaning,
            password_confirmed: row.password_confirmed,
            acknowledged_at: t,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::carry_floor;

    #[test]
    fn carry_floor_walks_back_over_no_retraining_revisions() {
        // r1 in force only: only r1 counts.
        assert_eq!(carry_floor(Some(&[(1, true)]), 1), 1);
        // r2 needs retraining: only r2 counts.
        assert_eq!(carry_floor(Some(&[(1, true), (2, true)]), 2), 2);
        // r2 no retraining: r1 counts.
        assert_eq!(carry_floor(Some(&[(1, true), (2, false)]), 2), 1);
        // r3 and r2 no retraining: r1 counts.
        assert_eq!(
            carry_floor(Some(&[(1, true), (2, false), (3, false)]), 3),
            1
        );
        // r3 no retraining, r2 needed it: r2 counts, r1 not.
        assert_eq!(carry_floor(Some(&[(1, true), (2, true), (3, false)]), 3), 2);
        // Nothing known: the revision itself.
        assert_eq!(carry_floor(None, 4), 4);
    }
}
