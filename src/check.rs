//! `laatu check`: compares what the database says with git and the audit
//! chain; `--repair` re-derives refs from the database (which is the truth).

use diesel::prelude::*;

use crate::audit::{self, Actor, ChainCheck, Change};
use crate::db::schema::{documents, revisions, settings, signatures};
use crate::db::{DbConn, write_tx};
use crate::documents::model::{DocStatus, Meaning, RevisionStatus};
use crate::documents::service::MAIN_COMMIT_SETTING;
use crate::error::{AppError, AppResult};
use crate::store::{DocStore, GitPerson};

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Where the problem is: `audit` (the chain) or `git` (the repository against the database).
    pub area: &'static str,
    /// What is wrong, for the person running the check.
    pub message: String,
}

fn finding(area: &'static str, message: String) -> Finding {
    Finding { area, message }
}

/// What the database says about each revision that has content.
struct RevisionFact {
    number: String,
    rev: i32,
    status: RevisionStatus,
    commit: String,
    approved: bool,
    approved_at: Option<chrono::NaiveDateTime>,
}

/// (number, rev, status, commit, approved at)
type FactRow = (
    String,
    i32,
    RevisionStatus,
    Option<String>,
    Option<chrono::NaiveDateTime>,
);

fn revision_facts(conn: &mut DbConn) -> AppResult<Vec<RevisionFact>> {
    let rows: Vec<FactRow> = revisions::table
        .inner_join(documents::table)
        .filter(revisions::commit_id.is_not_null())
        .order((documents::number.asc(), revisions::rev.asc()))
        .select((
            documents::number,
            revisions::rev,
            revisions::status,
            revisions::commit_id,
            revisions::approved_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(number, rev, status, commit, approved_at)| RevisionFact {
            approved: approved_at.is_some(),
            number,
            rev,
            status,
            commit: commit.unwrap_or_default(),
            approved_at,
        })
        .collect())
}

fn is_open(status: RevisionStatus) -> bool {
    matches!(status, RevisionStatus::Draft | RevisionStatus::InReview)
}

fn main_commit_setting(conn: &mut DbConn) -> AppResult<Option<String>> {
    Ok(settings::table
        .find(MAIN_COMMIT_SETTING)
        .select(settings::value)
        .first(conn)
        .optional()?)
}

fn effective_set(conn: &mut DbConn) -> AppResult<Vec<(String, String)>> {
    let rows: Vec<(String, Option<String>)> = documents::table
        .filter(documents::status.eq(DocStatus::Effective))
        .order(documents::number.asc())
        .select((documents::number, documents::effective_commit))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(n, c)| c.map(|c| (n, c)))
        .collect())
}

fn git<T>(r: anyhow::Result<T>) -> AppResult<T> {
    r.map_err(AppError::internal)
}

/// Runs every check; returns the findings and what passed.
///
/// # Errors
/// A fault that keeps a check from running (not a finding).
pub fn run(conn: &mut DbConn, store: &DocStore) -> AppResult<(Vec<Finding>, Vec<String>)> {
    let mut findings = Vec::new();
    let mut passed = Vec::new();
    match audit::verify_chain(conn)? {
        ChainCheck::Intact { events } => {
            passed.push(format!("audit chain intact ({events} events)"));
        }
        ChainCheck::Broken { seq, reason } => findings.push(finding(
            "audit",
            format!("audit event #{seq} is broken: {reason}"),
        )),
    }
    if let Err(e) = store.check_ready() {
        findings.push(finding("git", format!("git repository: {e:#}")));
        return Ok((findings, passed));
    }
    passed.push(format!("git repository {} opens", store.path().display()));

    let before = findings.len();
    let facts = revision_facts(conn)?;
    for f in &facts {
        if !git(store.commit_exists(&f.commit))? {
            findings.push(finding(
                "git",
                format!("{} r{}: commit {} is missing", f.number, f.rev, f.commit),
            ));
            continue;
        }
        if f.approved {
            match git(store.tag_target(&f.number, f.rev))? {
                Some(t) if t == f.commit => {}
                Some(t) => findings.push(finding(
                    "git",
                    format!(
                        "tag {}/r{} marks {t}, not the signed commit {}",
                        f.number, f.rev, f.commit
                    ),
                )),
                None => findings.push(finding(
                    "git",
                    format!("tag {}/r{} is missing", f.number, f.rev),
                )),
            }
        }
        if is_open(f.status) && git(store.draft_ref(&f.number))?.as_deref() != Some(&f.commit) {
            findings.push(finding(
                "git",
                format!(
                    "refs/drafts/{} does not point at the last saved draft {}",
                    f.number, f.commit
                ),
            ));
        }
    }
    let expected_main = main_commit_setting(conn)?;
    let main_tip = git(store.main_tip())?;
    if expected_main != main_tip {
        findings.push(finding(
            "git",
            format!(
                "refs/heads/main is {}, the database says {}",
                main_tip.as_deref().unwrap_or("absent"),
                expected_main.as_deref().unwrap_or("absent")
            ),
        ));
    }
    let mut expected = Vec::new();
    for (number, commit) in effective_set(conn)? {
        match git(store.doc_entries(&number, &commit))? {
            Some(e) => expected.push((number, e.markdown)),
            None => findings.push(finding(
                "git",
                format!("{number}: the effective commit {commit} does not hold it"),
            )),
        }
    }
    let in_main = git(store.main_documents())?;
    if expected_main.is_some() && in_main != expected {
        let missing: Vec<&str> = expected
            .iter()
            .filter(|e| !in_main.contains(e))
            .map(|(n, _)| n.as_str())
            .collect();
        let extra: Vec<&str> = in_main
            .iter()
            .filter(|e| !expected.contains(e))
            .map(|(n, _)| n.as_str())
            .collect();
        findings.push(finding(
            "git",
            format!(
                "the main tree differs from the effective documents: missing or different {missing:?}, not in force {extra:?}"
            ),
        ));
    }
    if findings.len() == before {
        passed.push(format!(
            "git matches the database ({} saved revisions, {} documents in force)",
            facts.len(),
            expected.len()
        ));
    }
    Ok((findings, passed))
}

/// Re-derives refs from the database: draft refs, tags of approved
/// revisions, and main. Returns what it did.
///
/// # Errors
/// Faults; missing commits cannot be repaired (restore git from backup).
pub fn repair(conn: &mut DbConn, store: &DocStore) -> AppResult<Vec<String>> {
    let mut done = Vec::new();
    for f in revision_facts(conn)? {
        if !git(store.commit_exists(&f.commit))? {
            continue;
        }
        if is_open(f.status) && git(store.draft_ref(&f.number))?.as_deref() != Some(&f.commit) {
            git(store.set_draft_ref(&f.number, &f.commit))?;
            done.push(format!("refs/drafts/{} -> {}", f.number, f.commit));
        }
        if f.approved && git(store.tag_target(&f.number, f.rev))?.is_none() {
            let approver: Option<String> = signatures::table
                .inner_join(revisions::table)
                .inner_join(documents::table.on(documents::id.eq(revisions::document_id)))
                .filter(documents::number.eq(&f.number))
                .filter(revisions::rev.eq(f.rev))
                .filter(signatures::meaning.eq(Meaning::Approved))
                .filter(signatures::voided_at.is_null())
                .order(signatures::signed_at.desc())
                .select(signatures::signer_name)
                .first(conn)
                .optional()?;
            let tagger = GitPerson {
                name: approver.clone().unwrap_or_else(|| "laatu".into()),
                email: format!("{}@laatu.invalid", approver.as_deref().unwrap_or("laatu")),
                time: f.approved_at.unwrap_or_else(crate::ids::now),
            };
            let tag = git(store.write_tag_object(
                &f.number,
                f.rev,
                &f.commit,
                &tagger,
                &format!(
                    "{} revision {} approved (tag restored by laatu check --repair)",
                    f.number, f.rev
                ),
            ))?;
            git(store.set_tag_ref(&f.number, f.rev, &tag))?;
            done.push(format!("tag {}/r{} -> {}", f.number, f.rev, f.commit));
        }
    }
    let expected_main = main_commit_setting(conn)?;
    if let Some(main) = &expected_main {
        if git(store.commit_exists(main))? {
            if git(store.main_tip())?.as_deref() != Some(main) {
                git(store.set_main_ref(main))?;
                done.push(format!("refs/heads/main -> {main}"));
            }
        } else {
            // The main commit was lost with git: rebuild it from the database.
            let set = effective_set(conn)?;
            let author = GitPerson {
                name: "laatu".into(),
                email: "laatu@laatu.invalid".into(),
                time: crate::ids::now(),
            };
            let rebuilt = git(store.write_main_commit(
                &set,
                None,
                &author,
                "main rebuilt by laatu check --repair",
            ))?;
            write_tx(conn, |conn| {
                diesel::update(settings::table.find(MAIN_COMMIT_SETTING))
                    .set(settings::value.eq(&rebuilt))
                    .execute(conn)?;
                audit::record(
                    conn,
                    &Actor::system("repair"),
                    Change {
                        action: "git.main_rebuilt",
                        entity_type: "setting",
                        entity_id: MAIN_COMMIT_SETTING,
                        summary: "main tree commit rebuilt from the effective documents".into(),
                        changes: serde_json::json!({ MAIN_COMMIT_SETTING: { "before": main, "after": rebuilt } }),
                    },
                )?;
                Ok(())
            })?;
            git(store.set_main_ref(&rebuilt))?;
            done.push(format!("refs/heads/main rebuilt as {rebuilt}"));
        }
    }
    Ok(done)
}
