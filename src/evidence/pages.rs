//! The export page (`/evidence`): a form (dates with defaults, clauses and
//! processes picked from lists, the language), the download
//! (`/evidence/bundle`, the same streamed bundle as the API, its
//! parameters checked first and a refusal shown on the form), and the
//! earlier exports with who, when, what and their root hashes. Quality
//! managers and auditors.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::api::{EXPORTERS, scope_of, stream_export, today};
use super::clauses::CLAUSES;
use super::export::{self, ExportQuery};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::i18n::{self, t};
use crate::pages::PageCtx;
use crate::routes::PageRoutes;
use crate::state::AppState;

/// Registers the pages.
pub fn configure(routes: &mut PageRoutes<'_>) {
    routes
        .get("/evidence", export_page)
        .get("/evidence/bundle", download);
    super::clause_pages::configure(routes);
}

/// The form as the page sends it: clauses and processes repeated.
#[derive(Debug, Default, Deserialize)]
struct ExportForm {
    #[serde(default)]
    as_of: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    clauses: Vec<String>,
    #[serde(default)]
    processes: Vec<String>,
    #[serde(default)]
    lang: String,
}

impl ExportForm {
    fn query(&self) -> ExportQuery {
        ExportQuery {
            as_of: Some(self.as_of.clone()),
            from: Some(self.from.clone()),
            to: Some(self.to.clone()),
            clauses: Some(self.clauses.join(",")),
            processes: Some(self.processes.join(",")),
            lang: Some(self.lang.clone()),
        }
    }
}

#[derive(Serialize)]
struct Pick {
    value: String,
    label: String,
    checked: bool,
}

#[derive(Serialize)]
struct Shown {
    by: String,
    at: String,
    parameters: String,
    root: String,
    size: String,
    files: i32,
}

fn parameters_text(lang: i18n::Lang, json: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    let list = |k: &str| {
        let items: Vec<String> = v[k]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        if items.is_empty() {
            t(lang, "evidence-all")
        } else {
            items.join(", ")
        }
    };
    let day = |k: &str| {
        v[k].as_str()
            .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .map(|d| i18n::format_day(lang, d))
            .unwrap_or_default()
    };
    format!(
        "{} {} · {} {} – {} · {} {} · {} {}",
        t(lang, "evidence-as-of"),
        day("as_of"),
        t(lang, "evidence-period"),
        day("from"),
        day("to"),
        t(lang, "evidence-clauses"),
        list("clauses"),
        t(lang, "evidence-processes"),
        list("processes"),
    )
}

async fn context(state: &AppState, page: &PageCtx, form: &ExportForm) -> AppResult<tera::Context> {
    let lang = page.lang;
    let tz = state.tz;
    let (processes, rows, names) = db::run(&state.pool, |c| {
        let processes = crate::processes::service::pickable(c)?;
        let rows = export::list_exports(c, 50)?;
        let names = crate::people::names(c, rows.iter().map(|r| r.exported_by_name.as_str()))?;
        Ok((processes, rows, names))
    })
    .await?;
    let clauses: Vec<Pick> = CLAUSES
        .iter()
        .map(|c| Pick {
            value: c.id.to_string(),
            label: format!("{} {}", c.id, t(lang, c.key)),
            checked: form.clauses.iter().any(|f| f == c.id),
        })
        .collect();
    let processes: Vec<Pick> = processes
        .into_iter()
        .map(|(code, name)| Pick {
            checked: form.processes.contains(&code),
            label: format!("{code} {name}"),
            value: code,
        })
        .collect();
    let shown: Vec<Shown> = rows
        .iter()
        .map(|r| Shown {
            by: if r.exported_by_name.starts_with("system:") {
                t(lang, "evidence-by-system")
            } else {
                names
                    .get(&r.exported_by_name)
                    .cloned()
                    .unwrap_or_else(|| r.exported_by_name.clone())
            },
            at: i18n::format_datetime(lang, tz, &r.exported_at),
            parameters: parameters_text(lang, &r.parameters),
            root: r.root_hash.clone(),
            size: crate::i18n::t_args(
                lang,
                "evidence-size",
                &[("kib", ((r.size_bytes + 1023) / 1024).to_string())],
            ),
            files: r.files,
        })
        .collect();
    let day = today(tz);
    let value = |s: &str, d: chrono::NaiveDate| {
        if s.is_empty() {
            d.to_string()
        } else {
            s.to_string()
        }
    };
    let mut ctx = tera::Context::new();
    ctx.insert(
        "form",
        &serde_json::json!({
            "as_of": value(&form.as_of, day),
            "from": value(&form.from, chrono::NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day)),
            "to": value(&form.to, day),
            "lang": if form.lang.is_empty() { lang.code() } else { form.lang.as_str() },
        }),
    );
    ctx.insert("clauses", &clauses);
    ctx.insert("processes", &processes);
    ctx.insert("exports", &shown);
    Ok(ctx)
}

fn parse_form(req: &HttpRequest) -> AppResult<ExportForm> {
    serde_html_form::from_str(req.query_string()).map_err(|_| {
        AppError::bad_request(
            crate::error::Code::InvalidQuery,
            "the address has an invalid parameter",
        )
    })
}

async fn export_page(
    state: web::Data<AppState>,
    page: PageCtx,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    page.require_any(EXPORTERS)?;
    let form = parse_form(&req)?;
    let ctx = context(&state, &page, &form).await?;
    page.render(&state, "evidence/export.html", ctx)
}

async fn download(
    state: web::Data<AppState>,
    page: PageCtx,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let who = page.require_any(EXPORTERS)?.clone();
    let form = parse_form(&req)?;
    match scope_of(&state, &who.user, form.query()).await {
        Ok(scope) => Ok(stream_export(
            state.pool.clone(),
            state.store.clone(),
            scope,
            who.actor(),
        )),
        Err(e) => {
            let ctx = context(&state, &page, &form).await?;
            page.form_error(&state, "evidence/export.html", ctx, e)
        }
    }
}
