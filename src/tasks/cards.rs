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
        label: "dash-tasks-all",
        count: i64::try_from(tasks.len()).unwrap_or(i64::MAX),
        link: "/tasks".into(),
        alert: false,
    }];
    if late > 0 {
        out.push(Figure {
            label: "dash-tasks-late",
            count: late,
            link: "/tasks".into(),
            alert: true,
        });
    }
    for kind in super::kinds() {
        if let Some(n) = by_kind.get(kind) {
            out.push(Figure {
                label: kind_label(kind),
                count: *n,
                link: format!("/tasks#{kind}"),
                alert: false,
            });
        }
    }
    Ok(out)
}

/// The catalog key of a kind's count (`dash-task-<kind>`); the kinds are
/// the areas' own, so the keys are made once and kept.
fn kind_label(kind: &str) -> &'static str {
    static LABELS: std::sync::LazyLock<std::sync::Mutex<BTreeMap<String, &'static str>>> =
        std::sync::LazyLock::new(Default::default);
    let mut m = LABELS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    m.entry(kind.to_string())
        .or_insert_with(|| Box::leak(format!("dash-task-{kind}").into_boxed_str()))
}
