//! JSON API: the competence catalogue and requirements, certifications,
//! trainings and the competence matrix.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::catalogue::{self, CompetenceInput, CompetenceView, RequirementInput, RequirementView};
use super::certifications::{
    self, CertificationInput, CertificationView, CorrectionInput, EvidenceFile, Policy,
};
use super::matrix::{self, Matrix, MatrixFilter};
use super::model::{CompetenceStatus, Standing, TrainingStatus};
use super::trainings::{self, CancelInput, CompletionInput, TrainingInput, TrainingView};
use crate::auth::extract::CurrentUser;
use crate::auth::model::{Role, User};
use crate::db;
use crate::error::{AppError, AppResult, Code, ErrorBody};
use crate::json::JsonBody;
use crate::kit::list::{Page, Paging};
use crate::state::AppState;

/// Who reads everyone's competence: quality managers, process owners and auditors.
pub const READERS: &[Role] = &[Role::QualityManager, Role::ProcessOwner, Role::Auditor];

/// Adds the competence routes to the `/api/v1` scope.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_competences)
        .service(create_competence)
        .service(get_competence)
        .service(update_competence)
        .service(add_requirement)
        .service(remove_requirement)
        .service(list_certifications)
        .service(record_certification)
        .service(get_certification)
        .service(correct_certification)
        .service(verify_certification)
        .service(add_evidence)
        .service(get_evidence)
        .service(list_trainings)
        .service(plan_training)
        .service(get_training)
        .service(complete_training)
        .service(cancel_training)
        .service(get_matrix);
}

/// Whether `who` may read the competence records of `username` (everyone's
/// for the readers; their own for everyone else).
///
/// # Errors
/// `forbidden`.
pub fn may_read_person(who: &User, username: Option<&str>) -> AppResult<()> {
    if who.has_any(READERS) || username.is_some_and(|u| u.trim() == who.username) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// Filter of the catalogue.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompetenceQuery {
    /// `active` or `retired`.
    #[param(value_type = Option<CompetenceStatus>)]
    pub status: Option<String>,
}

/// The catalogue of competences, by code, each with who must hold it.
#[utoipa::path(tag = "competence", params(CompetenceQuery),
    responses((status = 200, body = Vec<CompetenceView>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/competences")]
async fn list_competences(
    state: web::Data<AppState>,
    _who: CurrentUser,
    q: web::Query<CompetenceQuery>,
) -> AppResult<web::Json<Vec<CompetenceView>>> {
    let status = q
        .status
        .as_deref()
        .map(CompetenceStatus::parse)
        .transpose()?;
    Ok(web::Json(
        db::run(&state.pool, move |c| catalogue::list(c, status)).await?,
    ))
}

/// Catalogue a competence (quality managers): `{"code","name","validity_months"?,"evidence_required"?,"scale"?}`.
#[utoipa::path(tag = "competence", request_body = CompetenceInput,
    responses((status = 201, body = CompetenceView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/competences")]
async fn create_competence(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: JsonBody<CompetenceInput>,
) -> AppResult<HttpResponse> {
    who.user.require_any(catalogue::CATALOGUE_ROLES)?;
    let input = body.parse()?;
    let v = db::run(&state.pool, move |c| catalogue::create(c, &who.user, input)).await?;
    Ok(HttpResponse::Created().json(v))
}

/// One competence with its requirements.
#[utoipa::path(tag = "competence", params(("code" = String, Path)),
    responses((status = 200, body = CompetenceView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/competences/{code}")]
async fn get_competence(
    state: web::Data<AppState>,
    _who: CurrentUser,
    code: web::Path<String>,
) -> AppResult<web::Json<CompetenceView>> {
    let code = code.into_inner();
    Ok(web::Json(
        db::run(&state.pool, move |c| catalogue::get(c, &code)).await?,
    ))
}

/// Change a competence (quality managers); fields left out keep their value.
#[utoipa::path(tag = "competence", params(("code" = String, Path)), request_body = CompetenceInput,
    responses((status = 200, body = CompetenceView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/competences/{code}")]
async fn update_competence(
    state: web::Data<AppState>,
    who: CurrentUser,
    code: web::Path<String>,
    body: JsonBody<CompetenceInput>,
) -> AppResult<web::Json<CompetenceView>> {
    who.user.require_any(catalogue::CATALOGUE_ROLES)?;
    let input = body.parse()?;
    let code = code.into_inner();
    Ok(web::Json(
        db::run(&state.pool, move |c| {
            catalogue::update(c, &who.user, &code, input)
        })
        .await?,
    ))
}

/// Require the competence of a process's people, a role, a person or a
/// document's readers: `{"process"?|"role"?|"user"?|"document"?, "level"?}`.
#[utoipa::path(tag = "competence", params(("code" = String, Path)), request_body = RequirementInput,
    responses((status = 201, body = RequirementView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/competences/{code}/requirements")]
async fn add_requirement(
    state: web::Data<AppState>,
    who: CurrentUser,
    code: web::Path<String>,
    body: JsonBody<RequirementInput>,
) -> AppResult<HttpResponse> {
    who.user.require_any(catalogue::CATALOGUE_ROLES)?;
    let input = body.parse()?;
    let code = code.into_inner();
    let v = db::run(&state.pool, move |c| {
        catalogue::add_requirement(c, &who.user, &code, input)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Remove a requirement (certifications already recorded stay).
#[utoipa::path(tag = "competence", params(("code" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[delete("/competences/{code}/requirements/{id}")]
async fn remove_requirement(
    state: web::Data<AppState>,
    who: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    who.user.require_any(catalogue::CATALOGUE_ROLES)?;
    let (code, id) = path.into_inner();
    db::run(&state.pool, move |c| {
        catalogue::remove_requirement(c, &who.user, &code, &id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Filters of the certification list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CertificationQuery {
    /// The holder's username (staff may only ask for their own).
    pub user: Option<String>,
    /// The competence's code.
    pub competence: Option<String>,
    /// `valid`, `expiring` or `expired`.
    #[param(value_type = Option<Standing>)]
    pub state: Option<String>,
    /// Corrected entries too.
    pub corrected: Option<bool>,
    /// Only the latest of each person and competence.
    pub current: Option<bool>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Items a page (at most 200).
    pub per_page: Option<i64>,
}

/// Certifications, latest issue first (corrected entries only when asked for).
#[utoipa::path(tag = "competence", params(CertificationQuery),
    responses((status = 200, body = Page<CertificationView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/certifications")]
async fn list_certifications(
    state: web::Data<AppState>,
    who: CurrentUser,
    q: web::Query<CertificationQuery>,
) -> AppResult<web::Json<Page<CertificationView>>> {
    let q = q.into_inner();
    may_read_person(&who.user, q.user.as_deref())?;
    let filter = certifications::Filter {
        user: q.user,
        competence: q.competence,
        state: q.state.as_deref().map(Standing::parse).transpose()?,
        corrected: q.corrected.unwrap_or(false),
        current: q.current.unwrap_or(false),
    };
    let paging = Paging::new(q.page, q.per_page);
    Ok(web::Json(
        db::run(&state.pool, move |c| {
            certifications::list(c, &who.user, &filter, paging)
        })
        .await?,
    ))
}

/// Record a certification: `{"user","competence","issued_on","expires_on"?,"issuer"?,"level"?}`;
/// the expiry follows from the competence's validity unless given. Answers it with its `id`.
#[utoipa::path(tag = "competence", request_body = CertificationInput,
    responses((status = 201, body = CertificationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/certifications")]
async fn record_certification(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: JsonBody<CertificationInput>,
) -> AppResult<HttpResponse> {
    who.user
        .require_any(&[Role::QualityManager, Role::ProcessOwner, Role::Staff])?;
    if who.user.has_role(Role::Auditor) {
        return Err(AppError::forbidden());
    }
    let input = body.parse()?;
    let policy = Policy::of(&state);
    let v = db::run(&state.pool, move |c| {
        certifications::record(c, policy, &who.user, input, None)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// One certification, with its files and what the reader may do with it.
#[utoipa::path(tag = "competence", params(("id" = String, Path)),
    responses((status = 200, body = CertificationView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/certifications/{id}")]
async fn get_certification(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
) -> AppResult<web::Json<CertificationView>> {
    let id = id.into_inner();
    let v = db::run(&state.pool, move |c| {
        let v = certifications::get(c, &id, &who.user)?;
        may_read_person(&who.user, Some(&v.user))?;
        Ok(v)
    })
    .await?;
    Ok(web::Json(v))
}

/// Correct an entry: a new entry with the right values and `reason`; the
/// old one stays, marked corrected.
#[utoipa::path(tag = "competence", params(("id" = String, Path)), request_body = CorrectionInput,
    responses((status = 201, body = CertificationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/certifications/{id}/corrections")]
async fn correct_certification(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
    body: JsonBody<CorrectionInput>,
) -> AppResult<HttpResponse> {
    certifications::CERT_FLOW
        .step("correct")?
        .require_role(&who.user)?;
    let input = body.parse()?;
    let id = id.into_inner();
    let policy = Policy::of(&state);
    let v = db::run(&state.pool, move |c| {
        certifications::correct(c, policy, &who.user, &id, input)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// The version read, for a step without other input.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionInput {
    /// The version read: refused if it changed since.
    pub version: Option<i32>,
}

/// Verify a certification and its evidence (a quality manager other than the holder).
#[utoipa::path(tag = "competence", params(("id" = String, Path)), request_body = VersionInput,
    responses((status = 200, body = CertificationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/certifications/{id}/verification")]
async fn verify_certification(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
    body: JsonBody<VersionInput>,
) -> AppResult<web::Json<CertificationView>> {
    certifications::CERT_FLOW
        .step("verify")?
        .require_role(&who.user)?;
    let version = if body.is_empty() {
        None
    } else {
        body.parse()?.version
    };
    let id = id.into_inner();
    Ok(web::Json(
        db::run(&state.pool, move |c| {
            certifications::verify(c, &who.user, &id, version)
        })
        .await?,
    ))
}

/// Which file an upload is.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvidenceQuery {
    /// The file's name, such as `certificate.pdf`.
    pub name: Option<String>,
}

/// A new file's id, and the certification.
#[derive(Serialize, ToSchema)]
pub struct CreatedEvidence {
    /// The file's id.
    pub id: String,
    /// The certification as it stands now.
    pub certification: CertificationView,
}

/// Add an evidence file (the body is the file). Files are never replaced or removed.
#[utoipa::path(tag = "competence", params(("id" = String, Path), EvidenceQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = CreatedEvidence), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/certifications/{id}/evidence")]
async fn add_evidence(
    state: web::Data<AppState>,
    who: CurrentUser,
    req: actix_web::HttpRequest,
    id: web::Path<String>,
    q: web::Query<EvidenceQuery>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    certifications::CERT_FLOW
        .step("add_evidence")?
        .require_role(&who.user)?;
    let bytes =
        crate::documents::api_files::read_limited(payload, state.config.max_attachment_bytes)
            .await?;
    let file = EvidenceFile {
        filename: q
            .into_inner()
            .name
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| {
                AppError::invalid(Code::NameRequired, "give the file's name as ?name=")
            })?,
        content_type: req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string(),
        bytes,
    };
    let id = id.into_inner();
    let (certification, id) = db::run(&state.pool, move |c| {
        certifications::add_evidence(c, &who.user, &id, file)
    })
    .await?;
    Ok(HttpResponse::Created().json(CreatedEvidence { id, certification }))
}

/// Download an evidence file.
#[utoipa::path(tag = "competence", params(("id" = String, Path), ("file" = String, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/certifications/{id}/evidence/{file}")]
async fn get_evidence(
    state: web::Data<AppState>,
    who: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, file) = path.into_inner();
    let f = db::run(&state.pool, move |c| {
        let v = certifications::get(c, &id, &who.user)?;
        may_read_person(&who.user, Some(&v.user))?;
        certifications::evidence(c, &id, &file)
    })
    .await?;
    Ok(crate::download::attachment(
        &f.filename,
        &f.content_type,
        f.bytes,
    ))
}

/// Filters of the training list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrainingQuery {
    /// The trainee's username (staff may only ask for their own, or their trainees').
    pub user: Option<String>,
    /// The trainer's username.
    pub trainer: Option<String>,
    /// The competence's code.
    pub competence: Option<String>,
    /// `planned`, `completed` or `cancelled`.
    #[param(value_type = Option<TrainingStatus>)]
    pub status: Option<String>,
}

/// Trainings, soonest due first (at most 1000).
#[utoipa::path(tag = "competence", params(TrainingQuery),
    responses((status = 200, body = Vec<TrainingView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/trainings")]
async fn list_trainings(
    state: web::Data<AppState>,
    who: CurrentUser,
    q: web::Query<TrainingQuery>,
) -> AppResult<web::Json<Vec<TrainingView>>> {
    let q = q.into_inner();
    if !who.user.has_any(READERS) {
        let mine = q
            .user
            .as_deref()
            .is_some_and(|u| u.trim() == who.user.username)
            || q.trainer
                .as_deref()
                .is_some_and(|u| u.trim() == who.user.username);
        if !mine {
            return Err(AppError::forbidden());
        }
    }
    let filter = trainings::Filter {
        user: q.user,
        trainer: q.trainer,
        competence: q.competence,
        status: q.status.as_deref().map(TrainingStatus::parse).transpose()?,
    };
    Ok(web::Json(
        db::run(&state.pool, move |c| trainings::list(c, &who.user, &filter)).await?,
    ))
}

/// Plan training (quality managers; process owners for their people): per
/// person (`user` or `users`) or for everyone of a `process`.
#[utoipa::path(tag = "competence", request_body = TrainingInput,
    responses((status = 201, body = Vec<TrainingView>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/trainings")]
async fn plan_training(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: JsonBody<TrainingInput>,
) -> AppResult<HttpResponse> {
    who.user.require_any(trainings::PLANNERS)?;
    let input = body.parse()?;
    let v = db::run(&state.pool, move |c| trainings::plan(c, &who.user, input)).await?;
    Ok(HttpResponse::Created().json(v))
}

/// One training.
#[utoipa::path(tag = "competence", params(("id" = String, Path)),
    responses((status = 200, body = TrainingView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/trainings/{id}")]
async fn get_training(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
) -> AppResult<web::Json<TrainingView>> {
    let id = id.into_inner();
    let v = db::run(&state.pool, move |c| {
        let v = trainings::get(c, &id, &who.user)?;
        if v.trainer != who.user.username {
            may_read_person(&who.user, Some(&v.user))?;
        }
        Ok(v)
    })
    .await?;
    Ok(web::Json(v))
}

/// What completing a training made.
#[derive(Serialize, ToSchema)]
pub struct Completed {
    /// The training.
    pub training: TrainingView,
    /// The certification it led to, when it worked.
    pub certification: Option<CertificationView>,
}

/// Complete a training with the evaluation of its effectiveness (the
/// trainer, the trainee's process owner or a quality manager); when it
/// worked, the certification is recorded.
#[utoipa::path(tag = "competence", params(("id" = String, Path)), request_body = CompletionInput,
    responses((status = 200, body = Completed), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/trainings/{id}/complete")]
async fn complete_training(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
    body: JsonBody<CompletionInput>,
) -> AppResult<web::Json<Completed>> {
    trainings::TRAINING_FLOW
        .step("complete")?
        .require_role(&who.user)?;
    let input = body.parse()?;
    let id = id.into_inner();
    let policy = Policy::of(&state);
    let (training, certification) = db::run(&state.pool, move |c| {
        trainings::complete(c, policy, &who.user, &id, input)
    })
    .await?;
    Ok(web::Json(Completed {
        training,
        certification,
    }))
}

/// Cancel a planned training, with the reason.
#[utoipa::path(tag = "competence", params(("id" = String, Path)), request_body = CancelInput,
    responses((status = 200, body = TrainingView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/trainings/{id}/cancel")]
async fn cancel_training(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
    body: JsonBody<CancelInput>,
) -> AppResult<web::Json<TrainingView>> {
    trainings::TRAINING_FLOW
        .step("cancel")?
        .require_role(&who.user)?;
    let input = body.parse()?;
    let id = id.into_inner();
    Ok(web::Json(
        db::run(&state.pool, move |c| {
            trainings::cancel(c, &who.user, &id, input)
        })
        .await?,
    ))
}

/// Filters of the matrix.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatrixQuery {
    /// Only the people of this process (its code).
    pub process: Option<String>,
    /// Only the holders of this role.
    #[param(value_type = Option<Role>)]
    pub role: Option<String>,
}

impl MatrixQuery {
    /// The filter it asks for.
    ///
    /// # Errors
    /// `unknown_role`.
    pub fn filter(&self) -> AppResult<MatrixFilter> {
        Ok(MatrixFilter {
            process: self.process.clone().filter(|p| !p.trim().is_empty()),
            // The pages send no role for "any"; here an empty one is refused
            // like any other text that names no role.
            role: self.role.as_deref().map(Role::parse).transpose()?,
            user: None,
        })
    }
}

/// The competence matrix: people × required competences and documents,
/// each cell valid, expiring, expired, missing, below_level or in_training;
/// gaps per process; certifications expiring soon.
#[utoipa::path(tag = "competence", params(MatrixQuery),
    responses((status = 200, body = Matrix), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/competence-matrix")]
async fn get_matrix(
    state: web::Data<AppState>,
    who: CurrentUser,
    q: web::Query<MatrixQuery>,
) -> AppResult<web::Json<Matrix>> {
    who.user.require_any(READERS)?;
    let filter = q.filter()?;
    let window = state.config.competence_expiring_days;
    Ok(web::Json(
        db::run(&state.pool, move |c| {
            matrix::read(c, &filter, window, crate::ids::now().date())
        })
        .await?,
    ))
}
