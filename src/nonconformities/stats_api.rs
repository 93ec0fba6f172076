//! JSON API: nonconformity statistics. Its own `configure`, called before
//! [`super::api::configure`]: actix matches in registration order, and
//! `/nonconformities/{number}` would otherwise take `stats` for a number.

use actix_web::{get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::stats::{self, NcStatistics, StatsFilter};
use crate::auth::extract::CurrentUser;
use crate::db;
use crate::error::{AppResult, ErrorBody};
use crate::ids::now;
use crate::state::AppState;

/// Adds the nonconformity statistics to the `/api/v1` scope.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(statistics);
}

/// Statistics of the nonconformities reported in a range (`from` inclusive,
/// `to` exclusive): per process, kind, severity and month, time to close,
/// and internal complaints received per process. Without a range: all
/// reports, with the last 12 months per month.
#[utoipa::path(tag = "nonconformities", params(StatsFilter),
    responses((status = 200, body = NcStatistics), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[get("/nonconformities/stats")]
async fn statistics(
    state: web::Data<AppState>,
    _who: CurrentUser,
    q: web::Query<StatsFilter>,
) -> AppResult<web::Json<NcStatistics>> {
    let f = q.into_inner();
    let s = db::run(&state.pool, move |c| stats::statistics(c, &f, now())).await?;
    Ok(web::Json(s))
}
