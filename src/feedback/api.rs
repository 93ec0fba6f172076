//! JSON API of external customer surveys: surveys, invitations (whose
//! links are shown once, when made), results over a period, and erasing a
//! respondent's contact details.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::contacts::{self, ContactInput};
use super::followup::{self, FollowupDone, FollowupView};
use super::model::SurveyInput;
use super::results::{self, Results};
use super::service::{self, InvitationView, NewInvitation, READERS, SurveyView, WRITERS};
use crate::auth::extract::CurrentUser;
use crate::auth::model::Role;
use crate::db;
use crate::error::{AppResult, ErrorBody};
use crate::i18n::Lang;
use crate::json::JsonBody;
use crate::kit::date::midnight;
use crate::nonconformities::stats::StatsFilter;
use crate::state::AppState;

/// Adds the survey routes to `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_surveys)
        .service(create_survey)
        .service(get_survey)
        .service(list_invitations)
        .service(invite)
        .service(survey_results)
        .service(erase_contact)
        .service(list_followups)
        .service(followup_done);
}

/// The follow-ups of a survey's detractors and low CSAT answers, by due day.
#[utoipa::path(tag = "surveys", params(("id" = String, Path)),
    responses((status = 200, body = Vec<FollowupView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/surveys/{id}/followups")]
async fn list_followups(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
) -> AppResult<web::Json<Vec<FollowupView>>> {
    who.user.require_any(READERS)?;
    let id = id.into_inner();
    let tz = state.tz;
    Ok(web::Json(
        db::run(&state.pool, move |c| {
            service::row(c, &id)?;
            let at = crate::ids::now();
            followup::of_survey(
                c,
                &id,
                chrono::TimeZone::from_utc_datetime(&tz, &at).date_naive(),
            )
        })
        .await?,
    ))
}

/// Record what was done about a follow-up and whether the customer was
/// told (its owner, the process's owner when the answer came, or a quality
/// manager); once.
#[utoipa::path(tag = "surveys", params(("id" = String, Path), ("followup" = String, Path)),
    request_body = FollowupDone,
    responses((status = 200, body = FollowupView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The follow-up was recorded already (`followup_done_already`)", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/surveys/{id}/followups/{followup}/done")]
async fn followup_done(
    state: web::Data<AppState>,
    who: CurrentUser,
    path: web::Path<(String, String)>,
    body: JsonBody<FollowupDone>,
) -> AppResult<web::Json<FollowupView>> {
    who.user.require_any(WRITERS)?;
    let b = body.parse()?;
    let (id, f) = path.into_inner();
    Ok(web::Json(
        db::run(&state.pool, move |c| {
            followup::record_done(c, &who.user, &id, &f, &b, crate::ids::now())
        })
        .await?,
    ))
}

/// Every survey, newest first.
#[utoipa::path(tag = "surveys",
    responses((status = 200, body = Vec<SurveyView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
#[get("/surveys")]
async fn list_surveys(
    state: web::Data<AppState>,
    who: CurrentUser,
) -> AppResult<web::Json<Vec<SurveyView>>> {
    who.user.require_any(READERS)?;
    Ok(web::Json(db::run(&state.pool, service::list).await?))
}

/// Create a survey for a touchpoint and a process (a quality manager, or
/// the process's owner). Refusals of its parts are named in `error.fields`.
#[utoipa::path(tag = "surveys", request_body = SurveyInput,
    responses((status = 201, body = SurveyView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/surveys")]
async fn create_survey(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: JsonBody<SurveyInput>,
) -> AppResult<HttpResponse> {
    who.user.require_any(WRITERS)?;
    let b = body.parse()?;
    let days = i32::try_from(state.config.survey_expiry_days).unwrap_or(30);
    let view = db::run(&state.pool, move |c| {
        service::create(c, &who.user, &b, days)
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

/// One survey with its questions and counts.
#[utoipa::path(tag = "surveys", params(("id" = String, Path)),
    responses((status = 200, body = SurveyView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/surveys/{id}")]
async fn get_survey(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
) -> AppResult<web::Json<SurveyView>> {
    who.user.require_any(READERS)?;
    let id = id.into_inner();
    Ok(web::Json(
        db::run(&state.pool, move |c| service::view(c, &id)).await?,
    ))
}

/// A survey's invitations, newest first; never their links.
#[utoipa::path(tag = "surveys", params(("id" = String, Path)),
    responses((status = 200, body = Vec<InvitationView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/surveys/{id}/invitations")]
async fn list_invitations(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
) -> AppResult<web::Json<Vec<InvitationView>>> {
    who.user.require_any(READERS)?;
    let id = id.into_inner();
    Ok(web::Json(
        db::run(&state.pool, move |c| {
            service::row(c, &id)?;
            service::invitations(c, &id)
        })
        .await?,
    ))
}

/// Contacts to invite.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    /// 1 to 500 contacts; every one is checked before any is invited.
    #[schema(min_items = 1, max_items = 500)]
    pub contacts: Vec<ContactInput>,
    /// Also e-mail each contact that has an address their link, in their
    /// language, through the site's SMTP settings (default: no; the links
    /// are answered here to be copied either way).
    #[serde(default)]
    pub send: bool,
}

/// Invite contacts: each gets a personal link, answered with it here (the
/// only time it is shown; only its hash is kept). All or none: a bad
/// contact is named in `error.fields` (`contacts[2].email`) and nothing is
/// written.
#[utoipa::path(tag = "surveys", params(("id" = String, Path)), request_body = InviteRequest,
    responses((status = 201, body = Vec<NewInvitation>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/surveys/{id}/invitations")]
async fn invite(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
    body: JsonBody<InviteRequest>,
) -> AppResult<HttpResponse> {
    who.user.require_any(WRITERS)?;
    let b = body.parse()?;
    let default = Lang::parse(&state.config.default_language).unwrap_or_default();
    let checked = contacts::check_all(&b.contacts, default)?;
    let id = id.into_inner();
    let base = state.config.base_url();
    let send = b.send;
    let out = db::run(&state.pool, move |c| {
        service::invite_and_mail(c, &who.user, &id, &checked, &base, crate::ids::now(), send)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The period of results: answers on or after `from`, before `to` (UTC days).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultsQuery {
    /// First day counted, such as `2026-07-01`.
    pub from: Option<String>,
    /// First day no longer counted, such as `2026-10-01`.
    pub to: Option<String>,
}

/// A survey's results in a period: NPS (promoters, passives, detractors,
/// n and a 95 % interval), CSAT (mean, n, interval), the answers' count,
/// the response rate of the invitations made in the period, breakdowns by
/// process, touchpoint, company and month, and the answers and ideas.
#[utoipa::path(tag = "surveys", params(("id" = String, Path), ResultsQuery),
    responses((status = 200, body = Results), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[get("/surveys/{id}/results")]
async fn survey_results(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
    q: web::Query<ResultsQuery>,
) -> AppResult<web::Json<Results>> {
    who.user.require_any(READERS)?;
    let q = q.into_inner();
    let range = StatsFilter {
        from: q.from,
        to: q.to,
    }
    .parse()?;
    let id = id.into_inner();
    let r = db::run(&state.pool, move |c| {
        let v = service::view(c, &id)?;
        results::results(
            c,
            &id,
            &v.process,
            v.touchpoint.as_str(),
            range.from.map(midnight),
            range.to.map(midnight),
        )
    })
    .await?;
    Ok(web::Json(r))
}

/// Erase a respondent's contact details on their request (a quality
/// manager): name, e-mail, company and reference go; the scores stay. The
/// audit event names the fields erased, not what they held.
#[utoipa::path(tag = "surveys", params(("id" = String, Path), ("invitation" = String, Path)),
    responses((status = 200, body = InvitationView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[post("/surveys/{id}/invitations/{invitation}/erase")]
async fn erase_contact(
    state: web::Data<AppState>,
    who: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<web::Json<InvitationView>> {
    who.user.require_any(&[Role::QualityManager])?;
    let (id, inv) = path.into_inner();
    Ok(web::Json(
        db::run(&state.pool, move |c| {
            service::erase_contact(c, &who.user, &id, &inv)
        })
        .await?,
    ))
}
