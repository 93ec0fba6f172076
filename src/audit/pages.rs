//! The audit trail page.

use actix_web::{HttpResponse, web};

use super::EventFilter;
use super::api::AUDIT_READERS;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::pages::PageCtx;
use crate::state::AppState;

/// Adds the audit trail's pages.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/audit", events_page);
}

async fn events_page(
    state: web::Data<AppState>,
    page: PageCtx,
    filter: web::Query<EventFilter>,
) -> AppResult<HttpResponse> {
    page.require_any(AUDIT_READERS)?;
    let filter = filter.into_inner();
    let f = filter.clone();
    let events = db::run(&state.pool, move |c| super::list(c, &f)).await?;
    let mut ctx = tera::Context::new();
    ctx.insert("pages", &events.pages());
    ctx.insert("events", &events);
    let fields = [
        ("actor", filter.actor.unwrap_or_default()),
        ("action", filter.action.unwrap_or_default()),
        ("entity_type", filter.entity_type.unwrap_or_default()),
        ("entity_id", filter.entity_id.unwrap_or_default()),
        ("from", filter.from.unwrap_or_default()),
        ("to", filter.to.unwrap_or_default()),
    ];
    let query = serde_html_form::to_string(&fields).map_err(AppError::internal)?;
    ctx.insert("pager_base", &format!("/audit?{query}&"));
    ctx.insert(
        "filter",
        &fields
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>(),
    );
    page.render(&state, "audit/events.html", ctx)
}
