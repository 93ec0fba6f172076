//! JSON API: the audit trail.

use actix_web::{get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{AuditEvent, EventFilter};
use crate::auth::extract::CurrentUser;
use crate::auth::model::Role;
use crate::db;
use crate::error::{AppResult, ErrorBody};
use crate::kit::list::Page;
use crate::state::AppState;

/// Roles that may read the audit trail.
pub const AUDIT_READERS: &[Role] = &[Role::Admin, Role::QualityManager, Role::Auditor];

/// Adds the audit trail's API routes to the `/api/v1` scope.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_events);
}

/// Audit events, newest first, with filters and paging.
#[utoipa::path(
    tag = "audit",
    params(EventFilter),
    responses(
        (status = 200, body = Page<AuditEvent>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "A malformed time", body = ErrorBody),
    )
)]
#[get("/audit-events")]
async fn list_events(
    state: web::Data<AppState>,
    who: CurrentUser,
    filter: web::Query<EventFilter>,
) -> AppResult<web::Json<Page<AuditEvent>>> {
    who.user.require_any(AUDIT_READERS)?;
    let filter = filter.into_inner();
    let page = db::run(&state.pool, move |c| super::list(c, &filter)).await?;
    Ok(web::Json(page))
}
