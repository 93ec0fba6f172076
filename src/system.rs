//! Health, readiness and the OpenAPI document.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;

use crate::db;
use crate::error::{AppResult, Code};
use crate::state::AppState;

/// What the system adds to the API: the OpenAPI document. (`/healthz` and
/// `/readyz` sit outside the page scope and its error pages, in `lib.rs`.)
pub const AREA: crate::area::Area = crate::area::Area {
    name: "system",
    api: |cfg| {
        cfg.service(openapi_json);
    },
    ..crate::area::Area::EMPTY
};

#[derive(Serialize)]
struct Health {
    status: &'static str,
}

/// Alive: the process answers.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// Ready: the database answers and the git repository opens.
pub async fn readyz(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    use diesel::RunQueryDsl;
    db::run(&state.pool, |c| {
        diesel::sql_query("SELECT 1").execute(c)?;
        Ok(())
    })
    .await?;
    let store = state.store.clone();
    web::block(move || store.check_ready())
        .await?
        .map_err(|e| crate::error::AppError::unavailable(Code::RepositoryUnavailable, e))?;
    Ok(HttpResponse::Ok().json(Health { status: "ready" }))
}

/// The OpenAPI document of this API, generated from the code.
#[utoipa::path(
    tag = "system",
    security(()),
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json"))
)]
#[get("/openapi.json")]
pub async fn openapi_json(api: web::Data<utoipa::openapi::OpenApi>) -> HttpResponse {
    HttpResponse::Ok().json(api.get_ref())
}
