//! HTML pages of records: the list of form templates, each template's
//! register with its filters and downloads, and a record's printable page
//! with its history, signatures and the offer to report a deviation as a
//! nonconformity. The builder (`builder.rs`) and the fill-in page
//! (`fill.rs`) add theirs.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::display::{self, Names};
use super::form::{FieldType, FormDef, RecordMeaning};
use super::model::RecordView;
use super::service::{self, FILLERS, RecordFilter};
use crate::auth::csrf::CsrfForm;
use crate::db::schema::{documents, processes, records, users};
use crate::db::{self, DbConn};
use crate::documents::model::{DocStatus, DocumentKind};
use crate::error::{AppError, AppResult, Code};
use crate::i18n::{self, Lang};
use crate::ids::now;
use crate::pages::{PageCtx, see_other};
use crate::spreadsheet::{self, Cell};
use crate::state::AppState;

/// Registers the record pages, in the order they must be matched.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/forms", forms_page)
        .get("/forms/{number}/records.csv", download_csv)
        .get("/forms/{number}/records.xlsx", download_xlsx);
    super::builder::configure(cfg);
    super::fill::configure(cfg);
    super::schedule_pages::configure(cfg);
    cfg.get("/forms/{number}", register_page)
        .get("/records/{number}", record_page)
        .post("/records/{number}/sign", sign)
        .get("/records/{number}/files/{id}", file);
}

// ------------------------------------------------------------------ the list of templates

/// A form template as the list shows it.
#[derive(Debug, Serialize)]
struct TemplateRow {
    number: String,
    title: String,
    status: DocStatus,
    process: Option<String>,
    records: i64,
}

async fn forms_page(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    let who = page.require_user()?;
    let rows = db::run(&state.pool, |c| {
        let docs: Vec<(String, String, String, DocStatus, Option<String>)> = documents::table
            .filter(documents::kind.eq(DocumentKind::Form))
            .filter(documents::status.ne(DocStatus::Obsolete))
            .order(documents::number.asc())
            .select((
                documents::id,
                documents::number,
                documents::title,
                documents::status,
                documents::process,
            ))
            .load(c)?;
        let counts: HashMap<String, i64> = records::table
            .group_by(records::template_id)
            .select((records::template_id, diesel::dsl::count_star()))
            .load::<(String, i64)>(c)?
            .into_iter()
            .collect();
        Ok(docs
            .into_iter()
            .map(|(id, number, title, status, process)| TemplateRow {
                records: counts.get(&id).copied().unwrap_or(0),
                number,
                title,
                status,
                process,
            })
            .collect::<Vec<_>>())
    })
    .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("templates", &rows);
    ctx.insert("can_fill", &who.user.has_any(FILLERS));
    page.render(&state, "records/forms.html", ctx)
}

// ------------------------------------------------------------------ the register

/// The register's filters as the page posts them: the API's, plus
/// `eq.<key>`, `min.<key>` and `max.<key>` for the fields' own inputs.
fn read_page_filter(query: &str) -> AppResult<(RecordFilter, HashMap<String, String>)> {
    let pairs: Vec<(String, String)> = serde_html_form::from_str(query)
        .map_err(|e| AppError::bad_request(Code::InvalidQuery, e.to_string()))?;
    let mut f = RecordFilter::default();
    let mut shown = HashMap::new();
    for (k, v) in pairs {
        let v = v.trim().to_string();
        if v.is_empty() {
            continue;
        }
        let blank = |s: &str| Some(s.to_string());
        match k.as_str() {
            "from" => f.from = blank(&v),
            "to" => f.to = blank(&v),
            "process" => f.process = blank(&v),
            "person" => f.person = blank(&v),
            "number" => f.number = blank(&v),
            "page" => f.page = v.parse().ok(),
            "value" => f.value.push(v.clone()),
            _ => {
                if let Some(key) = k.strip_prefix("eq.") {
                    f.value.push(format!("{key}:{v}"));
                } else if let Some(key) = k.strip_prefix("min.") {
                    f.value.push(format!("{key}>={}", v.replace(',', ".")));
                } else if let Some(key) = k.strip_prefix("max.") {
                    f.value.push(format!("{key}<={}", v.replace(',', ".")));
                } else {
                    continue;
                }
            }
        }
        if k != "page" {
            shown.insert(k, v);
        }
    }
    Ok((f, shown))
}

/// The fields the register shows as columns: every field of one answer.
fn columns(form: &FormDef) -> Vec<&super::form::Field> {
    form.fields
        .iter()
        .filter(|f| !matches!(f.kind, FieldType::Table | FieldType::LongText))
        .take(5)
        .collect()
}

/// A row of the register.
#[derive(Debug, Serialize)]
struct RegisterRow {
    number: String,
    created_at: String,
    /// The process's code, and its name for the tooltip.
    process: String,
    process_name: String,
    person: String,
    version: i32,
    cells: Vec<String>,
    has_deviation: bool,
    signed: bool,
}

/// A field the register filters on, with its choices.
#[derive(Debug, Serialize)]
struct FilterField {
    key: String,
    label: String,
    kind: &'static str,
    options: Vec<(String, String)>,
}

fn filter_fields(lang: Lang, form: &FormDef) -> Vec<FilterField> {
    let code = lang.code();
    form.fields
        .iter()
        .filter_map(|f| {
            let options = match f.kind {
                FieldType::YesNo => vec![
                    ("yes".to_string(), i18n::t(lang, "records-yes")),
                    ("no".to_string(), i18n::t(lang, "records-no")),
                ],
                FieldType::Choice | FieldType::MultiChoice => f
                    .options
                    .iter()
                    .map(|o| (o.key.clone(), o.label.get(code).to_string()))
                    .collect(),
                FieldType::Number => Vec::new(),
                _ => return None,
            };
            Some(FilterField {
                key: f.key.clone(),
                label: f.label.get(code).to_string(),
                kind: f.kind.as_str(),
                options,
            })
        })
        .collect()
}

async fn register_page(
    state: web::Data<AppState>,
    page: PageCtx,
    req: HttpRequest,
    number: web::Path<String>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.user.clone();
    let number = number.into_inner();
    let (filter, shown) = read_page_filter(req.query_string())?;
    let store = state.store.clone();
    let lang = page.lang;
    let tz = state.tz;
    let f = filter.clone();
    let n = number.clone();
    let result = db::run(&state.pool, move |c| {
        let detail = crate::documents::service::get_document(c, &who, &n)?;
        let (_, form) = service::register_of(c, &store, &n)?;
        let in_force = service::template(c, &store, &n).is_ok();
        let lists = lists(c)?;
        let list = service::list(c, &store, &n, &f);
        Ok((detail, form, in_force, lists, list))
    })
    .await?;
    let (detail, form, in_force, (people, procs), list) = result;
    let mut ctx = tera::Context::new();
    let query = req.query_string().to_string();
    let without_page: String = query
        .split('&')
        .filter(|kv| !kv.starts_with("page=") && !kv.is_empty())
        .collect::<Vec<_>>()
        .join("&");
    ctx.insert("doc", &detail);
    ctx.insert("in_force", &in_force);
    ctx.insert("clauses", &form.clauses);
    ctx.insert("asks_signatures", &!form.signatures.is_empty());
    ctx.insert("filter", &shown);
    ctx.insert("filter_fields", &filter_fields(lang, &form));
    ctx.insert("people", &people);
    ctx.insert("processes", &procs);
    ctx.insert(
        "headers",
        &columns(&form)
            .iter()
            .map(|f| f.label.get(lang.code()).to_string())
            .collect::<Vec<_>>(),
    );
    ctx.insert("query", &without_page);
    ctx.insert("can_fill", &(in_force && page.require_any(FILLERS).is_ok()));
    ctx.insert("can_edit", &detail.can_edit);
    match list {
        Ok(list) => {
            let rows = register_rows(&state, lang, tz, form.clone(), list.items.clone()).await?;
            ctx.insert("pages", &list.pages());
            ctx.insert("list", &list);
            ctx.insert("rows", &rows);
            ctx.insert("pager_base", &format!("/forms/{number}?{without_page}&"));
            page.render(&state, "records/register.html", ctx)
        }
        Err(e) => {
            ctx.insert("rows", &Vec::<RegisterRow>::new());
            page.form_error(&state, "records/register.html", ctx, e)
        }
    }
}

/// Active people (username, name) and processes (code, name) for the filters.
type Lists = (Vec<(String, String)>, Vec<(String, String)>);

fn lists(c: &mut DbConn) -> AppResult<Lists> {
    Ok((
        users::table
            .order(users::display_name.asc())
            .select((users::username, users::display_name))
            .load(c)?,
        processes::table
            .order(processes::code.asc())
            .select((processes::code, processes::name))
            .load(c)?,
    ))
}

async fn register_rows(
    state: &AppState,
    lang: Lang,
    tz: chrono_tz::Tz,
    form: Arc<FormDef>,
    items: Vec<super::model::RecordSummary>,
) -> AppResult<Vec<RegisterRow>> {
    db::run(&state.pool, move |c| {
        let names = Names::load(
            c,
            &form,
            items.iter().map(|r| &r.values),
            items.iter().map(|r| r.created_by.clone()),
            items.iter().filter_map(|r| r.process.clone()),
        )?;
        let cols = columns(&form);
        Ok(items
            .into_iter()
            .map(|r| RegisterRow {
                cells: cols
                    .iter()
                    .map(|f| display::shown(lang, f, r.values.get(&f.key), &names))
                    .collect(),
                created_at: i18n::format_datetime(lang, tz, &r.created_at),
                process_name: r
                    .process
                    .as_deref()
                    .map_or(String::new(), |p| names.process(p)),
                process: r.process.clone().unwrap_or_default(),
                person: names.person(&r.created_by),
                number: r.number,
                version: r.version,
                has_deviation: r.has_deviation,
                signed: r.signed,
            })
            .collect())
    })
    .await
}

// ------------------------------------------------------------------ downloads

/// The header and rows of a download: every field a column.
async fn table(
    state: &AppState,
    page: &PageCtx,
    req: &HttpRequest,
    number: String,
) -> AppResult<(Vec<String>, Vec<Vec<Cell>>)> {
    page.require_user()?;
    let (filter, _) = read_page_filter(req.query_string())?;
    let store = state.store.clone();
    let lang = page.lang;
    let tz = state.tz;
    db::run(&state.pool, move |c| {
        let (_, form) = service::register_of(c, &store, &number)?;
        let all = service::all_for_download(c, &store, &number, &filter)?;
        let names = Names::load(
            c,
            &form,
            all.iter().map(|r| &r.values),
            all.iter().map(|r| r.created_by.clone()),
            all.iter().filter_map(|r| r.process.clone()),
        )?;
        let t = |k: &str| i18n::t(lang, k);
        let mut header = vec![
            t("records-col-number"),
            t("records-col-filled-at"),
            t("records-col-process"),
            t("records-col-person"),
            t("records-col-version"),
        ];
        header.extend(form.fields.iter().map(|f| {
            let label = f.label.get(lang.code());
            if f.unit.is_empty() {
                label.to_string()
            } else {
                format!("{label} ({})", crate::charts::unit_label(lang, &f.unit))
            }
        }));
        let asks = !form.signatures.is_empty();
        header.push(t("records-col-deviation"));
        if asks {
            header.push(t("records-col-signed"));
        }
        let yes_no = |b: bool| Cell::Text(t(if b { "records-yes" } else { "records-no" }));
        let rows = all
            .into_iter()
            .map(|r| {
                let mut row: Vec<Cell> = vec![
                    r.number.clone().into(),
                    i18n::format_datetime(lang, tz, &r.created_at).into(),
                    r.process.clone().unwrap_or_default().into(),
                    names.person(&r.created_by).into(),
                    i64::from(r.version).into(),
                ];
                for f in &form.fields {
                    let v = r.values.get(&f.key);
                    row.push(match (f.kind, v) {
                        (FieldType::Number, Some(Value::Number(n))) => {
                            Cell::Number(n.as_f64().unwrap_or_default())
                        }
                        (FieldType::Process, Some(Value::String(code))) => code.clone().into(),
                        _ => {
                            let mut plain = f.clone();
                            plain.unit.clear();
                            display::shown(lang, &plain, v, &names).into()
                        }
                    });
                }
                row.push(yes_no(r.has_deviation));
                if asks {
                    row.push(yes_no(r.signed));
                }
                row
            })
            .collect();
        Ok((header, rows))
    })
    .await
}

async fn download_csv(
    state: web::Data<AppState>,
    page: PageCtx,
    req: HttpRequest,
    number: web::Path<String>,
) -> AppResult<HttpResponse> {
    let number = number.into_inner();
    let (header, rows) = table(&state, &page, &req, number.clone()).await?;
    let lang = page.lang;
    let body = db::cpu(&state.pool, move || {
        spreadsheet::to_csv(&header, &rows, spreadsheet::CsvStyle::for_lang(lang))
    })
    .await?;
    Ok(crate::download::attachment(
        &format!("{number}-records.csv"),
        "text/csv; charset=utf-8",
        body,
    ))
}

async fn download_xlsx(
    state: web::Data<AppState>,
    page: PageCtx,
    req: HttpRequest,
    number: web::Path<String>,
) -> AppResult<HttpResponse> {
    let number = number.into_inner();
    let (header, rows) = table(&state, &page, &req, number.clone()).await?;
    let sheet = number.clone();
    let body = db::cpu(&state.pool, move || {
        spreadsheet::to_xlsx(&sheet, &header, &rows)
    })
    .await?;
    Ok(crate::download::attachment(
        &format!("{number}-records.xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        body,
    ))
}

// ------------------------------------------------------------------ one record

/// One answer as the record page shows it.
#[derive(Debug, Serialize)]
struct AnswerView {
    label: String,
    kind: &'static str,
    text: String,
    deviation: bool,
    /// A file's id, for its link.
    file: Option<String>,
    /// A table's column labels and rows of cell texts.
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn answers(
    lang: Lang,
    form: &FormDef,
    values: &Value,
    deviations: &[String],
    names: &Names,
) -> Vec<AnswerView> {
    let code = lang.code();
    form.fields
        .iter()
        .map(|f| {
            let v = values.get(&f.key);
            let deviation = deviations
                .iter()
                .any(|d| d == &f.key || d.starts_with(&format!("{}[", f.key)));
            let (columns, rows) = if f.kind == FieldType::Table {
                (
                    f.columns
                        .iter()
                        .map(|c| c.label.get(code).to_string())
                        .collect(),
                    v.and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .map(|row| {
                            f.columns
                                .iter()
                                .map(|c| display::shown(lang, c, row.get(&c.key), names))
                                .collect()
                        })
                        .collect(),
                )
            } else {
                (Vec::new(), Vec::new())
            };
            AnswerView {
                label: f.label.get(code).to_string(),
                kind: f.kind.as_str(),
                text: display::shown(lang, f, v, names),
                deviation,
                file: match (f.kind, v) {
                    (FieldType::File | FieldType::Photo, Some(Value::String(id))) => {
                        Some(id.clone())
                    }
                    _ => None,
                },
                columns,
                rows,
            }
        })
        .collect()
}

/// A version of the record as its history shows it.
#[derive(Debug, Serialize)]
struct VersionShown {
    version: i32,
    author: String,
    at: String,
    reason: String,
    answers: Vec<AnswerView>,
}

async fn record_context(
    state: &AppState,
    page: &PageCtx,
    number: String,
) -> AppResult<tera::Context> {
    let who = page.require_user()?.user.clone();
    let store = state.store.clone();
    let lang = page.lang;
    let tz = state.tz;
    let (r, form, names, process_name): (RecordView, Arc<FormDef>, Names, String) =
        db::run(&state.pool, move |c| {
            let r = service::get(c, &store, &who, &number)?;
            let form =
                service::form_at(&store, &r.template, &r.template_commit)?.unwrap_or_default();
            let names = Names::load(
                c,
                &form,
                r.versions.iter().map(|v| &v.values),
                std::iter::empty(),
                r.process.clone(),
            )?;
            let process_name = r
                .process
                .as_deref()
                .map_or(String::new(), |p| names.process(p));
            Ok((r, form, names, process_name))
        })
        .await?;
    let history: Vec<VersionShown> = r
        .versions
        .iter()
        .rev()
        .map(|v| VersionShown {
            version: v.version,
            author: v.author_name.clone(),
            at: i18n::format_datetime(lang, tz, &v.created_at),
            reason: v.reason.clone(),
            answers: answers(lang, &form, &v.values, &v.deviations, &names),
        })
        .collect();
    let signed_now: Vec<RecordMeaning> = r
        .signatures
        .iter()
        .filter(|s| s.version == r.version)
        .map(|s| s.meaning)
        .collect();
    let to_sign: Vec<&str> = r
        .signatures_asked
        .iter()
        .filter(|s| !signed_now.contains(&s.meaning))
        .map(|s| s.meaning.as_str())
        .collect();
    let deviating: Vec<String> = form
        .fields
        .iter()
        .filter(|f| {
            r.deviations
                .iter()
                .any(|d| d == &f.key || d.starts_with(&format!("{}[", f.key)))
        })
        .map(|f| f.label.get(lang.code()).to_string())
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert(
        "answers",
        &answers(lang, &form, &r.values, &r.deviations, &names),
    );
    ctx.insert("history", &history);
    ctx.insert("process_name", &process_name);
    ctx.insert("filled_at", &i18n::format_datetime(lang, tz, &r.created_at));
    ctx.insert("to_sign", &to_sign);
    ctx.insert("deviating", &deviating);
    ctx.insert(
        "signatures",
        &r.signatures
            .iter()
            .map(|s| {
                serde_json::json!({
                    "version": s.version,
                    "meaning": s.meaning.as_str(),
                    "signer": s.signer_name,
                    "competence": s.competence,
                    "at": i18n::format_datetime(lang, tz, &s.signed_at),
                    "current": s.version == r.version,
                })
            })
            .collect::<Vec<_>>(),
    );
    let may = |step: &str| r.allowed_steps.iter().any(|s| s == step);
    ctx.insert("may_correct", &may("correct"));
    ctx.insert("may_sign", &(may("sign") && !to_sign.is_empty()));
    ctx.insert("may_report", &may("report_nonconformity"));
    ctx.insert("record", &r);
    Ok(ctx)
}

async fn record_page(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ctx = record_context(&state, &page, number.into_inner()).await?;
    page.render(&state, "records/record.html", ctx)
}

#[derive(serde::Deserialize)]
struct SignForm {
    #[serde(default)]
    meaning: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    version: Option<i32>,
}

async fn sign(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<SignForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.user.clone();
    let number = number.into_inner();
    let store = state.store.clone();
    let today = super::api::site_today(&state);
    let n = number.clone();
    let result = db::run(&state.pool, move |c| {
        let meaning = RecordMeaning::parse(&form.meaning)?;
        service::sign(
            c,
            &store,
            &who,
            &n,
            &form.password,
            meaning,
            form.version,
            now(),
            today,
        )
    })
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/records/{number}?notice=record-signed#signatures"
        ))),
        Err(e) => {
            let ctx = record_context(&state, &page, number).await?;
            page.form_error(&state, "records/record.html", ctx, e)
        }
    }
}

/// Image types a browser may show in the page; every other file downloads.
const SHOWN_INLINE: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp"];

async fn file(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    page.require_user()?;
    let (number, id) = path.into_inner();
    let (file, bytes) = db::run(&state.pool, move |c| service::file(c, &number, &id)).await?;
    if SHOWN_INLINE.contains(&file.content_type.as_str()) {
        return Ok(HttpResponse::Ok()
            .content_type(file.content_type)
            .insert_header(("Content-Disposition", "inline"))
            .insert_header(("Cache-Control", "private, max-age=3600"))
            .body(bytes));
    }
    Ok(crate::download::attachment(
        &file.filename,
        &file.content_type,
        bytes,
    ))
}

/// What a nonconformity reported from a record's deviation starts with.
#[derive(Debug, Default)]
pub struct DeviationReport {
    /// The record's number.
    pub record: String,
    /// Its process's code.
    pub process: Option<String>,
    /// "Deviation in FORM-003-0017: Diameter".
    pub title: String,
    /// One line for each answer that is a deviation.
    pub description: String,
}

/// The start of a nonconformity report from the deviations of `number`.
///
/// # Errors
/// `record_not_found`, faults.
pub async fn deviation_report(
    state: &AppState,
    page: &PageCtx,
    number: String,
) -> AppResult<DeviationReport> {
    let who = page.require_user()?.user.clone();
    let store = state.store.clone();
    let lang = page.lang;
    db::run(&state.pool, move |c| {
        let r = service::get(c, &store, &who, &number)?;
        let form = service::form_at(&store, &r.template, &r.template_commit)?.unwrap_or_default();
        let names = Names::load(c, &form, [&r.values], std::iter::empty(), r.process.clone())?;
        let shown = answers(lang, &form, &r.values, &r.deviations, &names);
        let deviating: Vec<&AnswerView> = shown.iter().filter(|a| a.deviation).collect();
        let labels: Vec<&str> = deviating.iter().map(|a| a.label.as_str()).collect();
        let description = deviating
            .iter()
            .map(|a| {
                if a.kind == "table" {
                    let rows: Vec<String> = a.rows.iter().map(|r| r.join("; ")).collect();
                    format!("- {}: {}", a.label, rows.join(" | "))
                } else {
                    format!("- {}: {}", a.label, a.text)
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        Ok(DeviationReport {
            title: i18n::t_args(
                lang,
                "nc-from-record-title",
                &[("number", r.number.clone()), ("fields", labels.join(", "))],
            ),
            description: format!(
                "{}\n{description}",
                i18n::t_args(
                    lang,
                    "nc-from-record-description",
                    &[
                        ("number", r.number.clone()),
                        ("template", r.template_title.clone())
                    ]
                )
            ),
            process: r.process,
            record: r.number,
        })
    })
    .await
}
