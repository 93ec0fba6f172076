//! HTML pages: the process list, one process as a turtle diagram, its forms,
//! KPI trend charts and the process map.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::kpis::{self, NewKpi};
use super::model::ProcessStatus;
use super::service::{self, ProcessInput};
use crate::auth::csrf::CsrfForm;
use crate::auth::model::Role;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::pages::{PageCtx, see_other};
use crate::state::AppState;

/// Adds the process list, process pages, the process map and their forms.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/processes", list_page)
        .post("/processes", create)
        .get("/processes/map", map_page)
        .get("/processes/map.svg", map_svg)
        .get("/processes/{code}", process_page)
        .post("/processes/{code}", update)
        .post("/processes/{code}/outputs", add_output)
        .post("/processes/{code}/inputs", add_input)
        .post("/processes/{code}/kpis", add_kpi)
        .post("/processes/{code}/outputs/{id}/remove", remove_output)
        .post("/processes/{code}/inputs/{id}/remove", remove_input)
        .post("/kpis/{id}/measurements", add_measurement)
        .get("/kpis/{id}/chart.svg", kpi_chart);
}

/// The sentences of the target experiences in force in `lang`, by key.
fn experience_names(
    promise: Option<&crate::experience::service::InForce>,
    lang: crate::i18n::Lang,
) -> std::collections::HashMap<String, String> {
    promise
        .map(|p| {
            crate::experience::pages::shown(&p.promise, lang)
                .into_iter()
                .map(|e| (e.key, e.sentence))
                .collect()
        })
        .unwrap_or_default()
}

/// Who may own a process, and who may work in one: (username, name).
const OWNERS: &[Role] = &[Role::ProcessOwner, Role::QualityManager];
const WORKERS: &[Role] = &[Role::ProcessOwner, Role::QualityManager, Role::Staff];

async fn list_context(state: &AppState, lang: crate::i18n::Lang) -> AppResult<tera::Context> {
    list_context_filtered(state, lang, None).await
}

/// The list's context; with `cx`, only the active processes whose
/// customer-experience measures stand so.
async fn list_context_filtered(
    state: &AppState,
    lang: crate::i18n::Lang,
    cx: Option<crate::experience::service::CxStatus>,
) -> AppResult<tera::Context> {
    let store = state.store.clone();
    let (list, owners, workers, names, promise) = db::run(&state.pool, move |c| {
        let mut list = service::list(c, None, Some(1), Some(200))?;
        if let Some(cx) = cx {
            list.items
                .retain(|p| p.status == ProcessStatus::Active && p.cx.status == cx);
            list.total = i64::try_from(list.items.len()).unwrap_or(i64::MAX);
        }
        let names = crate::people::names(c, list.items.iter().map(|p| p.owner.as_str()))?;
        Ok((
            list,
            crate::people::pickable(c, OWNERS)?,
            crate::people::pickable(c, WORKERS)?,
            names,
            crate::experience::service::in_force(c, &store)?,
        ))
    })
    .await?;
    let mut ctx = tera::Context::new();
    ctx.insert(
        "experience_names",
        &experience_names(promise.as_ref(), lang),
    );
    ctx.insert("processes", &list);
    ctx.insert("owners", &owners);
    ctx.insert("workers", &workers);
    ctx.insert("names", &names);
    Ok(ctx)
}

/// The process list's filter: `cx=none` or `cx=lagging_only` lists the
/// active processes with no customer-experience measure or only lagging ones.
#[derive(Deserialize, Default)]
struct ListFilter {
    #[serde(default)]
    cx: Option<String>,
}

async fn list_page(
    state: web::Data<AppState>,
    page: PageCtx,
    filter: web::Query<ListFilter>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?;
    let cx = filter
        .into_inner()
        .cx
        .filter(|c| !c.trim().is_empty())
        .map(|c| crate::experience::service::CxStatus::parse(&c))
        .transpose()?;
    let mut ctx = list_context_filtered(&state, page.lang, cx).await?;
    if let Some(cx) = cx {
        ctx.insert("cx_filter", &cx);
    }
    ctx.insert("can_create", &who.user.has_role(Role::QualityManager));
    ctx.insert("form", &serde_json::json!({}));
    page.render(&state, "processes/list.html", ctx)
}

#[derive(Deserialize, serde::Serialize, Default)]
struct ProcessForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    owner: String,
    /// Usernames, one per ticked box.
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    criteria: String,
    #[serde(default)]
    resources: String,
    #[serde(default)]
    risks: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    version: Option<i32>,
}

impl ProcessForm {
    fn into_input(self, creating: bool) -> ProcessInput {
        let opt = |s: String| (!s.trim().is_empty() || !creating).then_some(s);
        ProcessInput {
            code: Some(self.code),
            name: Some(self.name),
            purpose: Some(self.purpose),
            owner: Some(self.owner).filter(|o| !o.trim().is_empty()),
            members: Some(self.members.into_iter().filter(|m| !m.is_empty()).collect()),
            criteria: Some(self.criteria),
            resources: Some(self.resources),
            risks: Some(self.risks),
            status: opt(self.status).filter(|s| !s.is_empty()),
            version: self.version,
        }
    }
}

async fn create(
    state: web::Data<AppState>,
    page: PageCtx,
    CsrfForm(form): CsrfForm<ProcessForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(&[Role::QualityManager])?.clone();
    let shown = serde_json::to_value(&form).map_err(AppError::internal)?;
    let input = form.into_input(true);
    let result = db::run(&state.pool, move |c| service::create(c, &who.user, input)).await;
    match result {
        Ok(p) => Ok(see_other(&format!(
            "/processes/{}?notice=process-created",
            p.code
        ))),
        Err(e) => {
            let mut ctx = list_context(&state, page.lang).await?;
            ctx.insert("can_create", &true);
            ctx.insert("form", &shown);
            page.form_error(&state, "processes/list.html", ctx, e)
        }
    }
}

async fn process_context(
    state: &AppState,
    page: &PageCtx,
    code: String,
) -> AppResult<tera::Context> {
    let who = page.require_user()?.clone();
    let window = state.config.competence_expiring_days;
    let (tz, lang) = (state.tz, page.lang);
    let store = state.store.clone();
    let (detail, kpi_list, others, competence, records, names, (owners, workers), promise, ratings) =
        db::run(&state.pool, move |c| {
            let promise = crate::experience::service::in_force(c, &store)?;
            let detail = service::get(c, &code)?;
            let kpi_list = kpis::list(c, &code)?
                .into_iter()
                .map(|k| {
                    let series = kpis::measurements(c, &k.id)?;
                    Ok(KpiCard::new(lang, k, &series))
                })
                .collect::<AppResult<Vec<_>>>()?;
            let records = crate::records::schedule_pages::process_records(
                c,
                &code,
                crate::ids::now(),
                tz,
                lang,
            )?;
            let others = service::list(c, Some(ProcessStatus::Active), Some(1), Some(200))?;
            let competence = if detail.status == ProcessStatus::Active {
                let m = crate::competence::matrix::read(
                    c,
                    &crate::competence::matrix::MatrixFilter {
                        process: Some(detail.code.clone()),
                        role: None,
                        user: None,
                    },
                    window,
                    crate::ids::now().date(),
                )?;
                crate::competence::matrix::requirements(&m)
            } else {
                Vec::new()
            };
            let names = crate::people::names(
                c,
                std::iter::once(detail.owner.as_str())
                    .chain(detail.members.iter().map(String::as_str)),
            )?;
            let pick = (
                crate::people::pickable(c, OWNERS)?,
                crate::people::pickable(c, WORKERS)?,
            );
            let ratings = crate::feedback::ratings::pages::process_section(c, &code, lang)?;
            Ok((
                detail, kpi_list, others, competence, records, names, pick, promise, ratings,
            ))
        })
        .await?;
    let promise_experiences = promise
        .as_ref()
        .map(|p| crate::experience::pages::shown(&p.promise, lang))
        .unwrap_or_default();
    let is_owner = detail.owner == who.user.username;
    let is_qm = who.user.has_role(Role::QualityManager);
    let is_member = detail.members.contains(&who.user.username);
    let mut ctx = tera::Context::new();
    ctx.insert("may_edit", &(is_owner || is_qm));
    ctx.insert(
        "may_report",
        &who.user.has_any(crate::nonconformities::service::REPORTERS),
    );
    ctx.insert("is_qm", &is_qm);
    ctx.insert("may_measure", &(is_owner || is_qm || is_member));
    ctx.insert(
        "customers",
        &others
            .items
            .iter()
            .filter(|p| p.code != detail.code)
            .map(|p| p.code.clone())
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "owner_name",
        &names.get(&detail.owner).cloned().unwrap_or_default(),
    );
    ctx.insert(
        "member_names",
        &detail
            .members
            .iter()
            .map(|m| names.get(m).cloned().unwrap_or_else(|| m.clone()))
            .collect::<Vec<_>>(),
    );
    ctx.insert("owners", &owners);
    ctx.insert("workers", &workers);
    ctx.insert("p", &detail);
    ctx.insert("kpis", &kpi_list);
    ctx.insert(
        "experience_names",
        &promise_experiences
            .iter()
            .map(|e| (e.key.clone(), e.sentence.clone()))
            .collect::<std::collections::HashMap<_, _>>(),
    );
    ctx.insert("promise_experiences", &promise_experiences);
    ctx.insert("records", &records);
    ctx.insert("internal_ratings", &ratings.0);
    ctx.insert("internal_ratings_chart", &ratings.1);
    ctx.insert("competence", &competence);
    ctx.insert(
        "may_see_people",
        &who.user.has_any(crate::competence::api::READERS),
    );
    ctx.insert("this_month", &crate::ids::now().format("%Y-%m").to_string());
    Ok(ctx)
}

async fn process_page(
    state: web::Data<AppState>,
    page: PageCtx,
    code: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ctx = process_context(&state, &page, code.into_inner()).await?;
    page.render(&state, "processes/show.html", ctx)
}

/// Back to the process page, or the page with the error of the form.
pub(crate) async fn after(
    state: &AppState,
    page: &PageCtx,
    code: String,
    result: AppResult<&'static str>,
) -> AppResult<HttpResponse> {
    match result {
        Ok(notice) => Ok(see_other(&format!("/processes/{code}?notice={notice}"))),
        Err(e) => {
            let ctx = process_context(state, page, code).await?;
            page.form_error(state, "processes/show.html", ctx, e)
        }
    }
}

async fn update(
    state: web::Data<AppState>,
    page: PageCtx,
    code: web::Path<String>,
    CsrfForm(form): CsrfForm<ProcessForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let code = code.into_inner();
    let mut input = form.into_input(false);
    // The owner's own form has no owner or status fields.
    if !who.user.has_role(Role::QualityManager) {
        input.owner = None;
        input.status = None;
    }
    input.code = None;
    let c2 = code.clone();
    let result = db::run(&state.pool, move |c| {
        service::update(c, &who.user, &c2, input)
    })
    .await;
    after(&state, &page, code, result.map(|_| "process-saved")).await
}

#[derive(Deserialize)]
struct OutputForm {
    name: String,
    #[serde(default)]
    to: Vec<String>,
    #[serde(default)]
    external_customer: String,
}

async fn add_output(
    state: web::Data<AppState>,
    page: PageCtx,
    code: web::Path<String>,
    CsrfForm(form): CsrfForm<OutputForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let code = code.into_inner();
    let c2 = code.clone();
    let result = db::run(&state.pool, move |c| {
        service::add_output(
            c,
            &who.user,
            &c2,
            &form.name,
            &form.to,
            Some(form.external_customer.as_str()),
        )
    })
    .await;
    after(&state, &page, code, result.map(|_| "output-added")).await
}

#[derive(Deserialize)]
struct InputForm {
    name: String,
    external_supplier: String,
}

async fn add_input(
    state: web::Data<AppState>,
    page: PageCtx,
    code: web::Path<String>,
    CsrfForm(form): CsrfForm<InputForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let code = code.into_inner();
    let c2 = code.clone();
    let result = db::run(&state.pool, move |c| {
        service::add_external_input(c, &who.user, &c2, &form.name, &form.external_supplier)
    })
    .await;
    after(&state, &page, code, result.map(|_| "input-added")).await
}

#[derive(Deserialize)]
struct Empty {}

async fn remove_output(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let (code, id) = path.into_inner();
    let c2 = code.clone();
    let result = db::run(&state.pool, move |c| {
        service::delete_output(c, &who.user, &c2, &id)
    })
    .await;
    after(&state, &page, code, result.map(|()| "output-removed")).await
}

async fn remove_input(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let (code, id) = path.into_inner();
    let c2 = code.clone();
    let result = db::run(&state.pool, move |c| {
        service::delete_external_input(c, &who.user, &c2, &id)
    })
    .await;
    after(&state, &page, code, result.map(|()| "input-removed")).await
}

async fn add_kpi(
    state: web::Data<AppState>,
    page: PageCtx,
    code: web::Path<String>,
    CsrfForm(form): CsrfForm<NewKpi>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let code = code.into_inner();
    let c2 = code.clone();
    let store = state.store.clone();
    let result = db::run(&state.pool, move |c| {
        kpis::create_with_forms(c, Some(&store), &who.user, &c2, form)
    })
    .await;
    after(&state, &page, code, result.map(|_| "kpi-added")).await
}

#[derive(Deserialize)]
struct MeasurementForm {
    value: String,
    period: String,
    #[serde(default)]
    comment: String,
    process: String,
}

async fn add_measurement(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
    CsrfForm(form): CsrfForm<MeasurementForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let id = id.into_inner();
    let code = form.process.clone();
    let result = db::run(&state.pool, move |c| {
        kpis::record(c, &who.user, &id, &form.value, &form.period, &form.comment)
    })
    .await;
    after(&state, &page, code, result.map(|_| "measurement-recorded")).await
}

/// A KPI on the process page: what the API shows, its numbers as the
/// reader writes them, and its trend drawn inline.
#[derive(serde::Serialize)]
struct KpiCard {
    #[serde(flatten)]
    kpi: kpis::KpiView,
    /// The target with its unit ("95 %").
    target_text: String,
    /// The latest value with its unit ("97,4 %").
    latest_text: Option<String>,
    /// The trend as inline SVG.
    chart: String,
}

impl KpiCard {
    fn new(lang: crate::i18n::Lang, kpi: kpis::KpiView, series: &[kpis::Measurement]) -> KpiCard {
        let number = |s: &str| {
            s.parse::<f64>().map_or_else(
                |_| s.to_string(),
                |v| {
                    crate::charts::with_unit(lang, &crate::charts::short_number(lang, v), &kpi.unit)
                },
            )
        };
        let target_text = number(&kpi.target);
        let latest_text = kpi.latest_value.as_deref().map(number);
        let chart = trend(lang, &kpi, series);
        KpiCard {
            kpi,
            target_text,
            latest_text,
            chart,
        }
    }
}

/// The trend of `kpi` for a reader of `lang`.
fn trend(lang: crate::i18n::Lang, kpi: &kpis::KpiView, series: &[kpis::Measurement]) -> String {
    let points: Vec<(String, f64)> = series
        .iter()
        .filter_map(|m| m.value.parse::<f64>().ok().map(|v| (m.period.clone(), v)))
        .collect();
    super::chart::trend_svg(
        lang,
        &super::chart::Trend {
            title: &kpi.name,
            unit: &kpi.unit,
            points: &points,
            target: kpi.target.parse::<f64>().ok(),
            direction: kpi.direction,
        },
    )
}

/// The trend as a standalone SVG document (to download or open alone).
async fn kpi_chart(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    page.require_user()?;
    let id = id.into_inner();
    let lang = page.lang;
    let svg = db::run(&state.pool, move |c| {
        let series = kpis::measurements(c, &id)?;
        let view = kpis::view_by_id(c, &id)?;
        Ok(trend(lang, &view, &series))
    })
    .await?;
    // Alone, it has no page to take its font from.
    let svg = svg.replacen(
        "<svg ",
        r#"<svg font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" "#,
        1,
    );
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .body(svg))
}

/// The map page draws the map inline (its links work, and the page's policy
/// needs no `<object>`); the map's hover style comes from `laatu.css`.
async fn map_page(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    page.require_user()?;
    let title = page.t("processes-map-title");
    let s = state.clone();
    // As for the SVG: laid out on a blocking thread, once per change.
    let (nodes, edges) = db::run(&state.pool, map_graph).await?;
    let flows = map_flows(&nodes, &edges);
    let svg = db::cpu(&state.pool, move || {
        Ok(super::map::for_page(
            &s.map_cache.svg(&nodes, &edges, &title),
        ))
    })
    .await?;
    let store = state.store.clone();
    let (serving, promise) = db::run(&state.pool, move |c| {
        Ok((
            service::list(c, Some(ProcessStatus::Active), Some(1), Some(200))?,
            crate::experience::service::in_force(c, &store)?,
        ))
    })
    .await?;
    let names = experience_names(promise.as_ref(), page.lang);
    let mut ctx = tera::Context::new();
    ctx.insert("map_svg", &svg);
    ctx.insert("flows", &flows);
    ctx.insert("serving", &serving.items);
    ctx.insert("experience_names", &names);
    page.render(&state, "processes/map.html", ctx)
}

/// One end of a flow in the map's list: a process (a link) or an external
/// party.
#[derive(serde::Serialize)]
struct FlowEnd {
    label: String,
    href: Option<String>,
}

/// One row of the list under the map: who supplies what to whom.
#[derive(serde::Serialize)]
struct FlowRow {
    from: FlowEnd,
    what: String,
    to: FlowEnd,
}

/// Every flow of the map as a row, in the order of the supplying process:
/// the map as text, for a phone, a screen reader and a label that the
/// drawing had no room for.
fn map_flows(nodes: &[super::map::MapNode], edges: &[super::map::MapEdge]) -> Vec<FlowRow> {
    let by_key: std::collections::HashMap<&str, &super::map::MapNode> =
        nodes.iter().map(|n| (n.key.as_str(), n)).collect();
    let end = |key: &str| {
        by_key.get(key).map(|n| FlowEnd {
            label: n.label.clone(),
            href: n.href.clone(),
        })
    };
    let mut rows: Vec<(usize, FlowRow)> = edges
        .iter()
        .filter_map(|e| {
            let rank = nodes.iter().position(|n| n.key == e.from)?;
            Some((
                rank,
                FlowRow {
                    from: end(&e.from)?,
                    what: e.label.clone(),
                    to: end(&e.to)?,
                },
            ))
        })
        .collect();
    rows.sort_by_key(|(rank, _)| *rank);
    rows.into_iter().map(|(_, r)| r).collect()
}

/// The map as a standalone SVG document, with the policy of one: only its
/// own inline style (`security::SVG_CSP`).
async fn map_svg(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    page.require_user()?;
    let title = page.t("processes-map-title");
    let s = state.clone();
    // Laid out on a blocking thread (and only when the map changed): a large
    // map takes seconds, and an actix worker must never wait for it.
    let (nodes, edges) = db::run(&state.pool, map_graph).await?;
    let svg = db::cpu(&state.pool, move || {
        Ok(s.map_cache.svg(&nodes, &edges, &title))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .insert_header(("content-security-policy", crate::security::SVG_CSP))
        .body(svg.as_str().to_owned()))
}

/// The process map's graph: every active process, external customers and
/// suppliers as their own boxes, and one arrow per supplier-customer pair.
///
/// # Errors
/// A database fault.
pub(crate) fn map_graph(
    conn: &mut crate::db::DbConn,
) -> AppResult<(Vec<super::map::MapNode>, Vec<super::map::MapEdge>)> {
    use super::map::{MapEdge, MapNode};
    use super::model::{ExternalInputRow, OutputRow};
    use crate::db::schema::{
        output_recipients, process_external_inputs, process_outputs, processes,
    };
    use diesel::prelude::*;
    let active: Vec<(String, String, String)> = processes::table
        .filter(processes::status.eq(ProcessStatus::Active))
        .order(processes::code.asc())
        .select((processes::id, processes::code, processes::name))
        .load(conn)?;
    let code_of: std::collections::HashMap<&str, &str> = active
        .iter()
        .map(|(id, code, _)| (id.as_str(), code.as_str()))
        .collect();
    let mut nodes: Vec<MapNode> = active
        .iter()
        .map(|(_, code, name)| MapNode {
            key: code.clone(),
            label: format!("{code} · {name}"),
            href: Some(format!("/processes/{code}")),
            external: false,
        })
        .collect();
    let mut edges = Vec::new();
    let mut external = std::collections::BTreeSet::new();
    let outputs: Vec<OutputRow> = process_outputs::table
        .order(process_outputs::created_at.asc())
        .select(OutputRow::as_select())
        .load(conn)?;
    let links: Vec<(String, String)> = output_recipients::table
        .select((output_recipients::output_id, output_recipients::customer_id))
        .load(conn)?;
    for o in &outputs {
        let Some(from) = code_of.get(o.process_id.as_str()) else {
            continue;
        };
        for (_, customer) in links.iter().filter(|(oid, _)| *oid == o.id) {
            if let Some(to) = code_of.get(customer.as_str()) {
                edges.push(MapEdge {
                    from: from.to_string(),
                    to: to.to_string(),
                    label: o.name.clone(),
                });
            }
        }
        if let Some(c) = &o.external_customer {
            let key = format!("ext:{c}");
            external.insert((key.clone(), c.clone()));
            edges.push(MapEdge {
                from: from.to_string(),
                to: key,
                label: o.name.clone(),
            });
        }
    }
    let inputs: Vec<ExternalInputRow> = process_external_inputs::table
        .order(process_external_inputs::created_at.asc())
        .select(ExternalInputRow::as_select())
        .load(conn)?;
    for i in &inputs {
        let Some(to) = code_of.get(i.process_id.as_str()) else {
            continue;
        };
        let key = format!("ext:{}", i.external_supplier);
        external.insert((key.clone(), i.external_supplier.clone()));
        edges.push(MapEdge {
            from: key,
            to: to.to_string(),
            label: i.name.clone(),
        });
    }
    nodes.extend(external.into_iter().map(|(key, label)| MapNode {
        key,
        label,
        href: None,
        external: true,
    }));
    Ok((nodes, edges))
}
