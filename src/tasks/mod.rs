//! "My tasks": everything that waits for the person asking, gathered from
//! every area's registered task sources ([`crate::area::Area::tasks`]):
//! nonconformities to accept, analyse, act on, verify or close; revisions
//! waiting for their signature; documents due for periodic review; KPI
//! measurements that are late. Each area answers for its own tasks; this
//! module only puts them in one list, late ones first, and owns no area's
//! queries.

pub mod api;
pub mod cards;
pub mod pages;

use chrono::NaiveDateTime;

pub use crate::area::Task;
use crate::area::{self, Area};
use crate::auth::model::User;
use crate::db::DbConn;
use crate::error::AppResult;

/// What "my tasks" adds: its routes.
pub const AREA: Area = Area {
    name: "tasks",
    api: api::configure,
    pages: pages::configure,
    cards: &[crate::area::Card {
        title: "dash-card-tasks",
        figures: cards::figures,
    }],
    ..Area::EMPTY
};

/// Every kind of task the areas give, as `Task::kind` writes it.
pub fn kinds() -> Vec<&'static str> {
    area::task_kinds(crate::AREAS)
}

/// The tasks of `by` at `at`, late ones first, then by due date.
///
/// # Errors
/// A database fault.
pub fn for_user(conn: &mut DbConn, by: &User, at: NaiveDateTime) -> AppResult<Vec<Task>> {
    area::tasks_of(crate::AREAS, conn, by, at)
}
