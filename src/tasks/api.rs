//! JSON API: the caller's tasks.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::Task;
use crate::auth::extract::CurrentUser;
use crate::db;
use crate::error::{AppResult, ErrorBody};
use crate::state::AppState;

/// Adds the caller's tasks to the `/api/v1` scope.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(my_tasks);
}

/// The caller's tasks.
#[derive(Serialize, ToSchema)]
pub struct TaskList {
    /// The tasks, late ones first.
    pub items: Vec<Task>,
    /// How many there are.
    pub total: i64,
}

/// What waits for the caller, late first: each task with its kind and a link to the page where it is done.
#[utoipa::path(tag = "tasks", responses((status = 200, body = TaskList), (status = 401, body = ErrorBody)))]
#[get("/tasks")]
async fn my_tasks(state: web::Data<AppState>, who: CurrentUser) -> AppResult<web::Json<TaskList>> {
    let items = db::run(&state.pool, move |c| {
        super::for_user(c, &who.user, crate::ids::now())
    })
    .await?;
    Ok(web::Json(TaskList {
        total: i64::try_from(items.len()).unwrap_or(i64::MAX),
        items,
    }))
}
