//! HTML pages of the competence area: the matrix (with its CSV and XLSX
//! downloads), the catalogue, certifications, trainings and each person's
//! competence.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::api::{MatrixQuery, READERS, may_read_person};
use super::catalogue::{self, CATALOGUE_ROLES, CompetenceInput, RequirementInput};
use super::certifications::{
    self, CertificationInput, CorrectionInput, EvidenceFile, Filter as CertFilter, Policy,
};
use super::matrix::{self, Matrix};
use super::model::{LevelInput, Scale, Scope, Standing, TrainingStatus};
use super::trainings::{self, CancelInput, CompletionInput, PLANNERS, TrainingInput};
use crate::auth::csrf::CsrfForm;
use crate::auth::model::{Role, User};
use crate::db::schema::{processes, user_roles, users};
use crate::db::{self, DbConn};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::kit::list::Paging;
use crate::pages::{PageCtx, read_upload, see_other};
use crate::spreadsheet::Cell;
use crate::state::AppState;

/// Adds the competence pages.
pub fn configure(cfg: &mut crate::routes::PageRoutes<'_>) {
    cfg.get("/competence", matrix_page)
        .get("/competence/matrix.csv", matrix_csv)
        .get("/competence/matrix.xlsx", matrix_xlsx)
        .get("/competence/catalogue", catalogue_page)
        .post("/competence/catalogue", catalogue_create)
        .get("/competence/catalogue/{code}", competence_page)
        .post("/competence/catalogue/{code}", competence_update)
        .post("/competence/catalogue/{code}/requirements", requirement_add)
        .post(
            "/competence/catalogue/{code}/requirements/{id}/remove",
            requirement_remove,
        )
        .get("/competence/certifications", certifications_page)
        .post("/competence/certifications", certification_record)
        .get("/competence/certifications/{id}", certification_page)
        .post(
            "/competence/certifications/{id}/verify",
            certification_verify,
        )
        .post(
            "/competence/certifications/{id}/correct",
            certification_correct,
        )
        .post(
            "/competence/certifications/{id}/evidence",
            certification_evidence,
        )
        .get(
            "/competence/certifications/{id}/evidence/{file}",
            certification_file,
        )
        .get("/competence/trainings", trainings_page)
        .post("/competence/trainings", training_plan)
        .get("/competence/trainings/{id}", training_page)
        .post("/competence/trainings/{id}/complete", training_complete)
        .post("/competence/trainings/{id}/cancel", training_cancel)
        .get("/competence/people/{username}", person_page);
}

/// A person as pickers list them.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    /// The username (the value sent).
    pub username: String,
    /// The name shown.
    pub name: String,
}

/// The people who work in the processes (not auditors or administrators
/// only), by name: who can hold competences, train or be trained.
///
/// # Errors
/// A database fault.
pub fn working_people(conn: &mut DbConn) -> AppResult<Vec<Person>> {
    let working = [
        Role::QualityManager.as_str(),
        Role::ProcessOwner.as_str(),
        Role::Staff.as_str(),
    ];
    let mut rows: Vec<(String, String)> = users::table
        .filter(users::active.eq(true))
        .filter(
            users::id.eq_any(
                user_roles::table
                    .filter(user_roles::role.eq_any(working))
                    .select(user_roles::user_id),
            ),
        )
        .select((users::username, users::display_name))
        .load(conn)?;
    rows.sort_by_key(|(_, n)| n.to_lowercase());
    Ok(rows
        .into_iter()
        .map(|(username, name)| Person { username, name })
        .collect())
}

/// Whom `by` may record certifications for, by name.
fn recordable(conn: &mut DbConn, by: &User) -> AppResult<Vec<Person>> {
    let all = working_people(conn)?;
    if by.has_role(Role::QualityManager) {
        return Ok(all);
    }
    let mine = certifications::owned_members(conn, by)?;
    let names: Vec<String> = users::table
        .filter(users::id.eq_any(&mine))
        .select(users::username)
        .load(conn)?;
    Ok(all
        .into_iter()
        .filter(|p| p.username == by.username || names.contains(&p.username))
        .collect())
}

fn process_options(conn: &mut DbConn) -> AppResult<Vec<(String, String)>> {
    Ok(processes::table
        .filter(processes::status.eq(crate::processes::model::ProcessStatus::Active))
        .select((processes::code, processes::name))
        .order(processes::code)
        .load(conn)?)
}

fn competence_options(conn: &mut DbConn, lang: Lang) -> AppResult<Vec<serde_json::Value>> {
    Ok(
        catalogue::list(conn, Some(super::model::CompetenceStatus::Active))?
            .into_iter()
            .map(|c| {
                serde_json::json!({
                    "code": c.code, "name": c.name_in(lang), "levels": c.levels,
                    "scale": c.scale,
                })
            })
            .collect(),
    )
}

fn role_options() -> Vec<&'static str> {
    [Role::QualityManager, Role::ProcessOwner, Role::Staff]
        .iter()
        .map(|r| r.as_str())
        .collect()
}

fn level(s: &str) -> Option<LevelInput> {
    let s = s.trim();
    (!s.is_empty()).then(|| LevelInput::Text(s.to_string()))
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

// --- The matrix -----------------------------------------------------------

#[derive(Deserialize, Default)]
struct MatrixForm {
    #[serde(default)]
    process: String,
    #[serde(default)]
    role: String,
}

impl MatrixForm {
    fn query(&self) -> MatrixQuery {
        MatrixQuery {
            process: opt(&self.process),
            role: opt(&self.role),
        }
    }
}

async fn read_matrix(state: &AppState, q: MatrixQuery) -> AppResult<Matrix> {
    let filter = q.filter()?;
    let window = state.config.competence_expiring_days;
    db::run(&state.pool, move |c| {
        matrix::read(c, &filter, window, crate::ids::now().date())
    })
    .await
}

async fn matrix_page(
    state: web::Data<AppState>,
    page: PageCtx,
    q: web::Query<MatrixForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    if !who.user.has_any(READERS) {
        return Ok(see_other(&format!(
            "/competence/people/{}",
            who.user.username
        )));
    }
    let m = read_matrix(&state, q.query()).await?;
    let procs = db::run(&state.pool, process_options).await?;
    let mut ctx = tera::Context::new();
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("process", &q.process)
        .append_pair("role", &q.role)
        .finish();
    ctx.insert("m", &m);
    ctx.insert(
        "filter",
        &serde_json::json!({ "process": q.process, "role": q.role }),
    );
    ctx.insert("query", &query);
    ctx.insert("processes", &procs);
    ctx.insert("roles", &role_options());
    ctx.insert("is_qm", &who.user.has_role(Role::QualityManager));
    ctx.insert("may_plan", &who.user.has_any(PLANNERS));
    page.render(&state, "competence/matrix.html", ctx)
}

/// The matrix as a table: one row per person, one column per competence
/// or document, each cell the state in the reader's language (with the
/// level held, and the last valid day).
fn matrix_table(m: &Matrix, page: &PageCtx) -> (Vec<String>, Vec<Vec<Cell>>) {
    let mut header = vec![page.t("comp-person"), page.t("comp-processes")];
    header.extend(m.columns.iter().map(|c| {
        let name = if page.lang == Lang::Fi {
            &c.name_fi
        } else {
            &c.name
        };
        format!("{} {name}", c.key)
    }));
    let rows = m
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![
                Cell::Text(r.name.clone()),
                Cell::Text(r.processes.join(", ")),
            ];
            row.extend(r.cells.iter().map(|c| match c {
                None => Cell::Text(String::new()),
                Some(c) => {
                    let mut s = page.t(&format!("cell-{}", c.state));
                    if let Some(l) = &c.level_label {
                        s.push_str(&format!(" ({l})"));
                    }
                    if let Some(d) = c.expires_on {
                        s.push_str(&format!(" – {}", crate::i18n::format_day(page.lang, d)));
                    }
                    if !c.required {
                        s = format!("({s})");
                    }
                    Cell::Text(s)
                }
            }));
            row
        })
        .collect();
    (header, rows)
}

async fn matrix_csv(
    state: web::Data<AppState>,
    page: PageCtx,
    q: web::Query<MatrixForm>,
) -> AppResult<HttpResponse> {
    page.require_any(READERS)?;
    let m = read_matrix(&state, q.query()).await?;
    let (header, rows) = matrix_table(&m, &page);
    crate::spreadsheet::csv_download(
        &format!("competence-matrix-{}.csv", m.as_of),
        &header,
        &rows,
        page.lang,
    )
}

async fn matrix_xlsx(
    state: web::Data<AppState>,
    page: PageCtx,
    q: web::Query<MatrixForm>,
) -> AppResult<HttpResponse> {
    page.require_any(READERS)?;
    let m = read_matrix(&state, q.query()).await?;
    let (header, rows) = matrix_table(&m, &page);
    crate::spreadsheet::xlsx_download(
        &format!("competence-matrix-{}.xlsx", m.as_of),
        &page.t("comp-matrix-title"),
        &header,
        &rows,
    )
}

// --- The catalogue --------------------------------------------------------

#[derive(Deserialize, Serialize, Default)]
struct CompetenceForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_fi: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    description_fi: String,
    #[serde(default)]
    validity_months: String,
    #[serde(default)]
    evidence_required: Option<String>,
    #[serde(default)]
    scale: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    version: Option<i32>,
}

impl CompetenceForm {
    fn input(&self, creating: bool) -> AppResult<CompetenceInput> {
        let months = match self.validity_months.trim() {
            "" => None,
            m => Some(m.parse::<i32>().map_err(|_| {
                AppError::invalid(
                    crate::error::Code::InvalidValidity,
                    "the validity is a whole number of months",
                )
            })?),
        };
        Ok(CompetenceInput {
            code: creating.then(|| self.code.clone()),
            name: Some(self.name.clone()),
            name_fi: Some(self.name_fi.clone()),
            description: Some(self.description.clone()),
            description_fi: Some(self.description_fi.clone()),
            validity_months: months,
            no_expiry: (!creating && months.is_none()).then_some(true),
            evidence_required: Some(self.evidence_required.is_some()),
            scale: opt(&self.scale),
            status: if creating { None } else { opt(&self.status) },
            version: self.version,
        })
    }
}

async fn catalogue_context(state: &AppState) -> AppResult<tera::Context> {
    let list = db::run(&state.pool, |c| catalogue::list(c, None)).await?;
    let mut ctx = tera::Context::new();
    ctx.insert("competences", &list);
    ctx.insert("scales", &Scale::ALL);
    Ok(ctx)
}

async fn catalogue_page(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    let who = page.require_user()?;
    let mut ctx = catalogue_context(&state).await?;
    ctx.insert("may_edit", &who.user.has_any(CATALOGUE_ROLES));
    ctx.insert(
        "form",
        &serde_json::json!({
            "code": "", "name": "", "name_fi": "", "description": "", "description_fi": "",
            "validity_months": "", "scale": "none", "evidence_required": false,
        }),
    );
    page.render(&state, "competence/catalogue.html", ctx)
}

async fn catalogue_create(
    state: web::Data<AppState>,
    page: PageCtx,
    CsrfForm(form): CsrfForm<CompetenceForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(CATALOGUE_ROLES)?.clone();
    let shown = serde_json::to_value(&form).map_err(AppError::internal)?;
    let result = match form.input(true) {
        Ok(input) => db::run(&state.pool, move |c| catalogue::create(c, &who.user, input)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(v) => Ok(see_other(&format!(
            "/competence/catalogue/{}?notice=competence-created",
            v.code
        ))),
        Err(e) => {
            let mut ctx = catalogue_context(&state).await?;
            ctx.insert("may_edit", &true);
            ctx.insert("form", &shown);
            page.form_error(&state, "competence/catalogue.html", ctx, e)
        }
    }
}

async fn competence_context(
    state: &AppState,
    page: &PageCtx,
    code: String,
) -> AppResult<tera::Context> {
    let who = page.require_user()?.clone();
    let lang = page.lang;
    let reader = who.user.clone();
    let (comp, holders, procs, people, docs) = db::run(&state.pool, move |c| {
        let comp = catalogue::get(c, &code)?;
        let holders = if reader.has_any(READERS) {
            certifications::list(
                c,
                &reader,
                &CertFilter {
                    competence: Some(comp.code.clone()),
                    current: true,
                    ..CertFilter::default()
                },
                Paging::new(Some(1), Some(200)),
            )?
            .items
        } else {
            Vec::new()
        };
        let docs: Vec<(String, String)> = {
            use crate::db::schema::documents;
            documents::table
                .select((documents::number, documents::title))
                .order(documents::number)
                .load(c)?
        };
        Ok((comp, holders, process_options(c)?, working_people(c)?, docs))
    })
    .await?;
    let _ = lang;
    let mut ctx = tera::Context::new();
    ctx.insert("c", &comp);
    ctx.insert("holders", &holders);
    ctx.insert("processes", &procs);
    ctx.insert("people", &people);
    ctx.insert("documents", &docs);
    ctx.insert("roles", &role_options());
    ctx.insert("scopes", &Scope::ALL);
    ctx.insert("scales", &Scale::ALL);
    ctx.insert("may_edit", &who.user.has_any(CATALOGUE_ROLES));
    ctx.insert("may_read_people", &who.user.has_any(READERS));
    Ok(ctx)
}

async fn competence_page(
    state: web::Data<AppState>,
    page: PageCtx,
    code: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ctx = competence_context(&state, &page, code.into_inner()).await?;
    page.render(&state, "competence/competence.html", ctx)
}

/// Back to the competence page with a notice, or the page with the refusal.
async fn back_to_competence(
    state: &AppState,
    page: &PageCtx,
    code: String,
    result: AppResult<&'static str>,
) -> AppResult<HttpResponse> {
    match result {
        Ok(notice) => Ok(see_other(&format!(
            "/competence/catalogue/{code}?notice={notice}"
        ))),
        Err(e) => {
            let ctx = competence_context(state, page, code).await?;
            page.form_error(state, "competence/competence.html", ctx, e)
        }
    }
}

async fn competence_update(
    state: web::Data<AppState>,
    page: PageCtx,
    code: web::Path<String>,
    CsrfForm(form): CsrfForm<CompetenceForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(CATALOGUE_ROLES)?.clone();
    let code = code.into_inner();
    let c2 = code.clone();
    let result = match form.input(false) {
        Ok(input) => {
            db::run(&state.pool, move |c| {
                catalogue::update(c, &who.user, &c2, input)
            })
            .await
        }
        Err(e) => Err(e),
    };
    back_to_competence(&state, &page, code, result.map(|_| "competence-saved")).await
}

#[derive(Deserialize)]
struct RequirementForm {
    scope: String,
    #[serde(default)]
    process: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    document: String,
    #[serde(default)]
    level: String,
}

async fn requirement_add(
    state: web::Data<AppState>,
    page: PageCtx,
    code: web::Path<String>,
    CsrfForm(form): CsrfForm<RequirementForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(CATALOGUE_ROLES)?.clone();
    let code = code.into_inner();
    let mut input = RequirementInput {
        level: level(&form.level),
        ..RequirementInput::default()
    };
    match form.scope.as_str() {
        "process" => input.process = opt(&form.process),
        "role" => input.role = opt(&form.role),
        "user" => input.user = opt(&form.user),
        "document" => input.document = opt(&form.document),
        _ => {}
    }
    let c2 = code.clone();
    let result = db::run(&state.pool, move |c| {
        catalogue::add_requirement(c, &who.user, &c2, input)
    })
    .await;
    back_to_competence(&state, &page, code, result.map(|_| "requirement-added")).await
}

#[derive(Deserialize)]
struct Empty {}

async fn requirement_remove(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(CATALOGUE_ROLES)?.clone();
    let (code, id) = path.into_inner();
    let c2 = code.clone();
    let result = db::run(&state.pool, move |c| {
        catalogue::remove_requirement(c, &who.user, &c2, &id)
    })
    .await;
    back_to_competence(&state, &page, code, result.map(|()| "requirement-removed")).await
}

// --- Certifications -------------------------------------------------------

#[derive(Deserialize, Default, Serialize)]
struct CertListForm {
    #[serde(default)]
    user: String,
    #[serde(default)]
    competence: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    corrected: String,
    #[serde(default)]
    page: Option<i64>,
}

async fn certifications_context(
    state: &AppState,
    page: &PageCtx,
    q: CertListForm,
) -> AppResult<tera::Context> {
    let who = page.require_user()?.clone();
    let user = if who.user.has_any(READERS) {
        opt(&q.user)
    } else {
        Some(who.user.username.clone())
    };
    may_read_person(&who.user, user.as_deref())?;
    let filter = CertFilter {
        user,
        competence: opt(&q.competence),
        state: opt(&q.state).map(|s| Standing::parse(&s)).transpose()?,
        corrected: q.corrected == "true",
        current: false,
    };
    let lang = page.lang;
    let paging = Paging::new(q.page, Some(100));
    let reader = who.user.clone();
    let (list, people, comps, recordable) = db::run(&state.pool, move |c| {
        Ok((
            certifications::list(c, &reader, &filter, paging)?,
            working_people(c)?,
            competence_options(c, lang)?,
            recordable(c, &reader)?,
        ))
    })
    .await?;
    let mut ctx = tera::Context::new();
    let base = form_urlencoded::Serializer::new(String::new())
        .append_pair("user", &q.user)
        .append_pair("competence", &q.competence)
        .append_pair("state", &q.state)
        .append_pair("corrected", &q.corrected)
        .finish();
    ctx.insert("pager_base", &format!("/competence/certifications?{base}&"));
    ctx.insert("pages", &list.pages());
    ctx.insert("list", &list);
    ctx.insert("filter", &q);
    ctx.insert("people", &people);
    ctx.insert("competences", &comps);
    ctx.insert("recordable", &recordable);
    ctx.insert("states", &Standing::ALL);
    ctx.insert("is_reader", &who.user.has_any(READERS));
    ctx.insert(
        "may_record",
        &(!recordable.is_empty() && !who.user.has_role(Role::Auditor)),
    );
    ctx.insert("today", &crate::ids::now().date().to_string());
    ctx.insert(
        "form",
        &serde_json::json!({
            "user": "", "competence": "", "issued_on": "", "expires_on": "", "issuer": "", "level": "",
        }),
    );
    Ok(ctx)
}

async fn certifications_page(
    state: web::Data<AppState>,
    page: PageCtx,
    q: web::Query<CertListForm>,
) -> AppResult<HttpResponse> {
    let ctx = certifications_context(&state, &page, q.into_inner()).await?;
    page.render(&state, "competence/certifications.html", ctx)
}

fn evidence_of(upload: &crate::pages::Upload) -> Option<EvidenceFile> {
    upload.file.as_ref().map(|f| EvidenceFile {
        filename: f.filename.clone(),
        content_type: f.content_type.clone(),
        bytes: f.bytes.clone(),
    })
}

async fn certification_record(
    state: web::Data<AppState>,
    page: PageCtx,
    req: HttpRequest,
    form: actix_multipart::Multipart,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let upload = read_upload(&state, &req, form).await?;
    let input = CertificationInput {
        user: opt(upload.field("user")),
        competence: opt(upload.field("competence")),
        issued_on: opt(upload.field("issued_on")),
        expires_on: opt(upload.field("expires_on")),
        issuer: opt(upload.field("issuer")),
        level: level(upload.field("level")),
    };
    let shown = serde_json::json!({
        "user": upload.field("user"), "competence": upload.field("competence"),
        "issued_on": upload.field("issued_on"), "expires_on": upload.field("expires_on"),
        "issuer": upload.field("issuer"), "level": upload.field("level"),
    });
    let file = evidence_of(&upload);
    let policy = Policy::of(&state);
    let result = db::run(&state.pool, move |c| {
        certifications::record(c, policy, &who.user, input, file)
    })
    .await;
    match result {
        Ok(v) => Ok(see_other(&format!(
            "/competence/certifications/{}?notice=certification-recorded",
            v.id
        ))),
        Err(e) => {
            let mut ctx = certifications_context(&state, &page, CertListForm::default()).await?;
            ctx.insert("form", &shown);
            page.form_error(&state, "competence/certifications.html", ctx, e)
        }
    }
}

async fn certification_context(
    state: &AppState,
    page: &PageCtx,
    id: String,
) -> AppResult<tera::Context> {
    let who = page.require_user()?.clone();
    let lang = page.lang;
    let reader = who.user.clone();
    let (cert, chain, comps, people) = db::run(&state.pool, move |c| {
        let cert = certifications::get(c, &id, &reader)?;
        may_read_person(&reader, Some(&cert.user))?;
        let chain = certifications::chain(c, &reader, &cert.id)?;
        Ok((
            cert,
            chain,
            competence_options(c, lang)?,
            recordable(c, &reader)?,
        ))
    })
    .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("cert", &cert);
    ctx.insert("chain", &chain);
    ctx.insert("competences", &comps);
    ctx.insert("people", &people);
    ctx.insert("steps", &cert.allowed_steps);
    ctx.insert("today", &crate::ids::now().date().to_string());
    Ok(ctx)
}

async fn certification_page(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ctx = certification_context(&state, &page, id.into_inner()).await?;
    page.render(&state, "competence/certification.html", ctx)
}

async fn back_to_certification(
    state: &AppState,
    page: &PageCtx,
    id: String,
    result: AppResult<(String, &'static str)>,
) -> AppResult<HttpResponse> {
    match result {
        Ok((id, notice)) => Ok(see_other(&format!(
            "/competence/certifications/{id}?notice={notice}"
        ))),
        Err(e) => {
            let ctx = certification_context(state, page, id).await?;
            page.form_error(state, "competence/certification.html", ctx, e)
        }
    }
}

#[derive(Deserialize)]
struct VersionForm {
    #[serde(default)]
    version: Option<i32>,
}

async fn certification_verify(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
    CsrfForm(form): CsrfForm<VersionForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let id = id.into_inner();
    let i2 = id.clone();
    let result = db::run(&state.pool, move |c| {
        certifications::verify(c, &who.user, &i2, form.version)
    })
    .await;
    back_to_certification(
        &state,
        &page,
        id,
        result.map(|v| (v.id, "certification-verified")),
    )
    .await
}

#[derive(Deserialize)]
struct CorrectForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    competence: String,
    #[serde(default)]
    issued_on: String,
    #[serde(default)]
    expires_on: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    version: Option<i32>,
}

async fn certification_correct(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
    CsrfForm(form): CsrfForm<CorrectForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let id = id.into_inner();
    let input = CorrectionInput {
        reason: Some(form.reason),
        user: opt(&form.user),
        competence: opt(&form.competence),
        issued_on: opt(&form.issued_on),
        // The form always shows the last day: empty means "valid for good".
        expires_on: Some(form.expires_on.trim().to_string()),
        issuer: Some(form.issuer),
        level: level(&form.level),
        version: form.version,
    };
    let policy = Policy::of(&state);
    let i2 = id.clone();
    let result = db::run(&state.pool, move |c| {
        certifications::correct(c, policy, &who.user, &i2, input)
    })
    .await;
    back_to_certification(
        &state,
        &page,
        id,
        result.map(|v| (v.id, "certification-corrected")),
    )
    .await
}

async fn certification_evidence(
    state: web::Data<AppState>,
    page: PageCtx,
    req: HttpRequest,
    id: web::Path<String>,
    form: actix_multipart::Multipart,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let upload = read_upload(&state, &req, form).await?;
    let id = id.into_inner();
    let result = match evidence_of(&upload) {
        None => Err(AppError::invalid(
            crate::error::Code::EmptyFile,
            "choose the file to attach",
        )),
        Some(file) => {
            let i2 = id.clone();
            db::run(&state.pool, move |c| {
                certifications::add_evidence(c, &who.user, &i2, file)
            })
            .await
        }
    };
    back_to_certification(
        &state,
        &page,
        id,
        result.map(|(v, _)| (v.id, "evidence-added")),
    )
    .await
}

async fn certification_file(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
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

// --- Trainings ------------------------------------------------------------

#[derive(Deserialize, Default)]
struct TrainingListForm {
    #[serde(default)]
    status: String,
}

async fn trainings_context(
    state: &AppState,
    page: &PageCtx,
    status: String,
) -> AppResult<tera::Context> {
    let who = page.require_user()?.clone();
    let lang = page.lang;
    let reader = who.user.clone();
    let status_filter = opt(&status)
        .map(|s| TrainingStatus::parse(&s))
        .transpose()?
        .or(Some(TrainingStatus::Planned));
    let (list, people, comps, procs, trainees) = db::run(&state.pool, move |c| {
        let mut list = trainings::list(
            c,
            &reader,
            &trainings::Filter {
                status: status_filter,
                ..trainings::Filter::default()
            },
        )?;
        if !reader.has_any(READERS) {
            list.retain(|t| t.user == reader.username || t.trainer == reader.username);
        }
        Ok((
            list,
            working_people(c)?,
            competence_options(c, lang)?,
            process_options(c)?,
            recordable(c, &reader)?,
        ))
    })
    .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("list", &list);
    ctx.insert("status", &status_filter.map(TrainingStatus::as_str));
    ctx.insert("statuses", &TrainingStatus::ALL);
    ctx.insert("people", &people);
    ctx.insert("trainees", &trainees);
    ctx.insert("competences", &comps);
    ctx.insert("processes", &procs);
    ctx.insert("may_plan", &who.user.has_any(PLANNERS));
    ctx.insert("is_qm", &who.user.has_role(Role::QualityManager));
    ctx.insert("today", &crate::ids::now().date().to_string());
    ctx.insert(
        "form",
        &serde_json::json!({
            "competence": "", "users": [], "process": "", "trainer": "", "due_on": "", "level": "", "note": "",
        }),
    );
    Ok(ctx)
}

async fn trainings_page(
    state: web::Data<AppState>,
    page: PageCtx,
    q: web::Query<TrainingListForm>,
) -> AppResult<HttpResponse> {
    let ctx = trainings_context(&state, &page, q.into_inner().status).await?;
    page.render(&state, "competence/trainings.html", ctx)
}

#[derive(Deserialize, Serialize)]
struct PlanForm {
    #[serde(default)]
    competence: String,
    #[serde(default)]
    users: Vec<String>,
    #[serde(default)]
    process: String,
    #[serde(default)]
    trainer: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    note: String,
}

async fn training_plan(
    state: web::Data<AppState>,
    page: PageCtx,
    CsrfForm(form): CsrfForm<PlanForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(PLANNERS)?.clone();
    let shown = serde_json::to_value(&form).map_err(AppError::internal)?;
    let input = TrainingInput {
        competence: opt(&form.competence),
        user: None,
        users: Some(form.users),
        process: opt(&form.process),
        trainer: opt(&form.trainer),
        due_on: opt(&form.due_on),
        level: level(&form.level),
        note: Some(form.note),
    };
    let result = db::run(&state.pool, move |c| trainings::plan(c, &who.user, input)).await;
    match result {
        Ok(v) if v.len() == 1 => Ok(see_other(&format!(
            "/competence/trainings/{}?notice=training-planned",
            v[0].id
        ))),
        Ok(_) => Ok(see_other("/competence/trainings?notice=training-planned")),
        Err(e) => {
            let mut ctx = trainings_context(&state, &page, String::new()).await?;
            ctx.insert("form", &shown);
            page.form_error(&state, "competence/trainings.html", ctx, e)
        }
    }
}

async fn training_context(
    state: &AppState,
    page: &PageCtx,
    id: String,
) -> AppResult<tera::Context> {
    let who = page.require_user()?.clone();
    let reader = who.user.clone();
    let t = db::run(&state.pool, move |c| {
        let t = trainings::get(c, &id, &reader)?;
        if t.trainer != reader.username {
            may_read_person(&reader, Some(&t.user))?;
        }
        Ok(t)
    })
    .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("steps", &t.allowed_steps);
    ctx.insert("tr", &t);
    ctx.insert("today", &crate::ids::now().date().to_string());
    Ok(ctx)
}

async fn training_page(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ctx = training_context(&state, &page, id.into_inner()).await?;
    page.render(&state, "competence/training.html", ctx)
}

#[derive(Deserialize)]
struct CompleteForm {
    #[serde(default)]
    effective: String,
    #[serde(default)]
    evaluation: String,
    #[serde(default)]
    issued_on: String,
    #[serde(default)]
    expires_on: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    version: Option<i32>,
}

async fn back_to_training(
    state: &AppState,
    page: &PageCtx,
    id: String,
    result: AppResult<&'static str>,
) -> AppResult<HttpResponse> {
    match result {
        Ok(notice) => Ok(see_other(&format!(
            "/competence/trainings/{id}?notice={notice}"
        ))),
        Err(e) => {
            let ctx = training_context(state, page, id).await?;
            page.form_error(state, "competence/training.html", ctx, e)
        }
    }
}

async fn training_complete(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
    CsrfForm(form): CsrfForm<CompleteForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let id = id.into_inner();
    let input = CompletionInput {
        effective: match form.effective.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        evaluation: Some(form.evaluation),
        issued_on: opt(&form.issued_on),
        expires_on: opt(&form.expires_on),
        level: level(&form.level),
        issuer: opt(&form.issuer),
        version: form.version,
    };
    let policy = Policy::of(&state);
    let i2 = id.clone();
    let result = db::run(&state.pool, move |c| {
        trainings::complete(c, policy, &who.user, &i2, input)
    })
    .await;
    back_to_training(&state, &page, id, result.map(|_| "training-completed")).await
}

#[derive(Deserialize)]
struct CancelForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    version: Option<i32>,
}

async fn training_cancel(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
    CsrfForm(form): CsrfForm<CancelForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let id = id.into_inner();
    let input = CancelInput {
        reason: Some(form.reason),
        version: form.version,
    };
    let i2 = id.clone();
    let result = db::run(&state.pool, move |c| {
        trainings::cancel(c, &who.user, &i2, input)
    })
    .await;
    back_to_training(&state, &page, id, result.map(|_| "training-cancelled")).await
}

// --- One person -----------------------------------------------------------

async fn person_page(
    state: web::Data<AppState>,
    page: PageCtx,
    username: web::Path<String>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let username = username.into_inner();
    may_read_person(&who.user, Some(&username))?;
    let window = state.config.competence_expiring_days;
    let reader = who.user.clone();
    let (person, m, certs, training, duties) = db::run(&state.pool, move |c| {
        let person = crate::auth::service::user_by_username(c, &username)?;
        let m = matrix::read(
            c,
            &matrix::MatrixFilter {
                user: Some(person.username.clone()),
                ..matrix::MatrixFilter::default()
            },
            window,
            crate::ids::now().date(),
        )?;
        let certs = certifications::list(
            c,
            &reader,
            &CertFilter {
                user: Some(person.username.clone()),
                ..CertFilter::default()
            },
            Paging::new(Some(1), Some(200)),
        )?
        .items;
        let training = trainings::list(
            c,
            &reader,
            &trainings::Filter {
                user: Some(person.username.clone()),
                ..trainings::Filter::default()
            },
        )?;
        let duties = super::acknowledge::service::duties_of(c, person.id.as_str())?;
        Ok((person, m, certs, training, duties))
    })
    .await?;
    // The person's row of the matrix, with its columns.
    let row = m.rows.iter().find(|r| r.user == person.username);
    let cells: Vec<serde_json::Value> = row
        .map(|r| {
            m.columns
                .iter()
                .zip(&r.cells)
                .filter(|(col, cell)| col.kind == "competence" && cell.is_some())
                .map(|(col, cell)| serde_json::json!({ "column": col, "cell": cell }))
                .collect()
        })
        .unwrap_or_default();
    let mut ctx = tera::Context::new();
    ctx.insert(
        "person",
        &serde_json::json!({
            "username": person.username, "name": person.display_name,
            "roles": person.roles, "processes": row.map(|r| r.processes.clone()).unwrap_or_default(),
        }),
    );
    ctx.insert("cells", &cells);
    ctx.insert("gaps", &row.map_or(0, |r| r.gaps));
    ctx.insert("certs", &certs);
    ctx.insert("trainings", &training);
    ctx.insert("duties", &duties);
    ctx.insert("is_me", &(person.username == who.user.username));
    ctx.insert("is_reader", &who.user.has_any(READERS));
    page.render(&state, "competence/person.html", ctx)
}
