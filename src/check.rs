//! `laatu check`: compares what the database says with the audit chain (and,
//! as areas grow, with git). Prints findings; the caller decides the exit code.

use crate::audit::{self, ChainCheck};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::store::DocStore;

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub area: &'static str,
    pub message: String,
}

/// Runs every check.
///
/// # Errors
/// A database fault (not a finding: the check could not run).
pub fn run(conn: &mut DbConn, store: &DocStore) -> AppResult<(Vec<Finding>, Vec<String>)> {
    let mut findings = Vec::new();
    let mut passed = Vec::new();
    match audit::verify_chain(conn)? {
        ChainCheck::Intact { events } => {
            passed.push(format!("audit chain intact ({events} events)"));
        }
        ChainCheck::Broken { seq, reason } => findings.push(Finding {
            area: "audit",
            message: format!("audit event #{seq} is broken: {reason}"),
        }),
    }
    match store.check_ready() {
        Ok(()) => passed.push(format!("git repository {} opens", store.path().display())),
        Err(e) => findings.push(Finding {
            area: "git",
            message: format!("git repository: {e:#}"),
        }),
    }
    Ok((findings, passed))
}
