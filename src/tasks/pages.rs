//! The "my tasks" page.

use actix_web::{HttpResponse, web};

use crate::db;
use crate::error::AppResult;
use crate::pages::PageCtx;
use crate::state::AppState;

/// Adds the "my tasks" page.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/tasks", tasks_page);
}

/// What waits for the reader, late first.
///
/// # Errors
/// `not_authenticated`; a database fault.
pub async fn tasks_page(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let tasks = db::run(&state.pool, move |c| {
        super::for_user(c, &who.user, crate::ids::now())
    })
    .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("tasks", &tasks);
    page.render(&state, "tasks.html", ctx)
}
