//! The "what waits for me" card of the home page: the reader's tasks by
//! kind, and how many are late. Every role has it.

use std::collections::BTreeMap;

use crate::area::{Figure, Reader};
use crate::db::DbConn;
use crate::error::AppResult;

/// The reader's tasks, counted by kind (each task source runs its own
/// fixed queries once).
///
/// # Errors
/// A database fault.
pub fn figures(conn: &mut DbConn, r: &Reader) -> AppResult<Vec<Figure>> {
    let tasks = super::for_user(conn, &r.user, r.at)?;
    let mut by_kind: BTreeMap<String, i64> = BTreeMap::new();
    for t in &tasks {
        *by_kind.entry(t.kind.clone()).or_default() += 1;
    }
    let late = i64::try_from(tasks.iter().filter(|t| t.overdue).count()).unwrap_or(i64::MAX);
    let mut out = vec![Figure {
        label: "dash-tasks-all".into(),
        count: i64::try_from(tasks.len()).unwrap_or(i64::MAX),
        link: "/tasks".into(),
        alert: false,
    }];
    if late > 0 {
        out.push(Figure {
            label: "dash-tasks-late".into(),
            count: late,
            link: "/tasks".into(),
            alert: true,
        });
    }
    for kind in super::kinds() {
        if let Some(n) = by_kind.get(kind) {
            out.push(Figure {
                label: format!("dash-task-{kind}").into(),
                count: *n,
                link: format!("/tasks#{kind}"),
                alert: false,
            });
        }
    }
    Ok(out)
}
