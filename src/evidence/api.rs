//! JSON API of the evidence export: `GET /evidence` streams a bundle, and
//! `GET /evidence/exports` lists the exports made so far. Quality
//! managers and auditors only; both read, neither changes a record (the
//! export's own row and audit event are the trail of the reading).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::bundle::Bundle;
use super::export::{self, Counting, ExportQuery, ExportRow, ExportScope};
use super::stream;
use crate::audit::Actor;
use crate::auth::extract::CurrentUser;
use crate::auth::model::{Role, User};
use crate::db::{self, DbPool};
use crate::error::{AppResult, ErrorBody};
use crate::i18n::Lang;
use crate::ids::now;
use crate::state::AppState;
use crate::store::DocStore;

/// Who may export evidence and see earlier exports.
pub const EXPORTERS: &[Role] = &[Role::QualityManager, Role::Auditor];

/// Adds the evidence routes to the `/api/v1` scope.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(exports).service(export_bundle);
}

/// The site's date now.
pub fn today(tz: chrono_tz::Tz) -> chrono::NaiveDate {
    now().and_utc().with_timezone(&tz).date_naive()
}

/// Checks the parameters (on a blocking thread) for `who`.
///
/// # Errors
/// As [`ExportScope::parse`].
pub async fn scope_of(state: &AppState, who: &User, q: ExportQuery) -> AppResult<ExportScope> {
    let tz = state.tz;
    let lang = who.lang().unwrap_or(Lang::En);
    let day = today(tz);
    db::run(&state.pool, move |c| {
        ExportScope::parse(c, &q, day, tz, lang)
    })
    .await
}

/// Starts the export of `scope` on a blocking thread and answers the
/// streamed response; the export is recorded (row and audit event, one
/// transaction) once its last byte is written, and a failure on the way
/// breaks the response off instead of ending it cleanly.
pub fn stream_export(
    pool: DbPool,
    store: DocStore,
    scope: ExportScope,
    actor: Actor,
) -> HttpResponse {
    let (writer, fail, rx) = stream::channel();
    let filename = format!("evidence-{}.zip", scope.as_of);
    actix_web::rt::spawn(async move {
        let clock = pool.clock().clone();
        let built = web::block(move || {
            clock.enter(|| -> AppResult<()> {
                let mut conn = pool.get()?;
                let size = Arc::new(AtomicU64::new(0));
                let bundle = Bundle::new(Counting::new(writer, size.clone()));
                let manifest = export::write_export(
                    &mut conn,
                    &store,
                    &scope,
                    &actor.name,
                    bundle,
                    &mut |_| {},
                )?;
                export::record_export(&mut conn, &actor, &manifest, size.load(Ordering::Relaxed))?;
                Ok(())
            })
        })
        .await;
        let failure = match built {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(format!("{}: {:?}", e.code, e.source)),
            Err(e) => Some(e.to_string()),
        };
        if let Some(why) = failure {
            tracing::error!(%why, "an evidence export failed while streaming");
            let _ = fail
                .send(Err(std::io::Error::other("the export failed")))
                .await;
        }
    });
    HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header(crate::download::disposition(&filename))
        .insert_header(("x-content-type-options", "nosniff"))
        .insert_header(("content-security-policy", "sandbox"))
        .streaming(stream::body(rx))
}

/// Export the evidence bundle: a zip streamed as it is built (the first
/// bytes leave before the last file is read), holding the documents as
/// they were in force on `as_of`, the registers and records of the period
/// `from`..`to`, the audit-trail segment of the period, `index.html` and
/// `manifest.json` (check it with `laatu verify`). The parameters are
/// checked before a byte is sent: 422 `invalid_date`, `invalid_range`
/// (`from` after `to`), `unknown_clause`, `unknown_process`,
/// `unknown_language`, `too_many_items`. Each export is recorded with its
/// root hash (`GET /evidence/exports`) and in the audit trail
/// (`evidence.exported`). Quality managers and auditors.
#[utoipa::path(tag = "evidence", params(ExportQuery),
    responses(
        (status = 200, description = "The bundle (zip), streamed", content_type = "application/zip"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[get("/evidence")]
async fn export_bundle(
    state: web::Data<AppState>,
    who: CurrentUser,
    q: web::Query<ExportQuery>,
) -> AppResult<HttpResponse> {
    who.user.require_any(EXPORTERS)?;
    let scope = scope_of(&state, &who.user, q.into_inner()).await?;
    Ok(stream_export(
        state.pool.clone(),
        state.store.clone(),
        scope,
        who.actor(),
    ))
}

/// The evidence exports made so far, newest first (at most 200): who, when,
/// with what parameters, and the root hash `laatu verify` prints for the
/// bundle. Quality managers and auditors.
#[utoipa::path(tag = "evidence",
    responses((status = 200, body = Vec<ExportRow>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
#[get("/evidence/exports")]
async fn exports(
    state: web::Data<AppState>,
    who: CurrentUser,
) -> AppResult<web::Json<Vec<ExportRow>>> {
    who.user.require_any(EXPORTERS)?;
    let rows = db::run(&state.pool, |c| export::list_exports(c, 200)).await?;
    Ok(web::Json(rows))
}
