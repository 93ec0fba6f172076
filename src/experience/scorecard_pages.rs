//! The scorecards page (`/scorecards`) and its downloads
//! (`/scorecards.csv`, `/scorecards.xlsx`): what [`super::scorecard`]
//! works out, in the reader's language and numbers.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::promise::in_lang;
use super::scorecard::{self, ProcessScore, ScoreLine, Scorecard, Span};
use super::service;
use crate::charts;
use crate::db;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::pages::PageCtx;
use crate::processes::kpis::Direction;
use crate::spreadsheet::{self, Cell};
use crate::state::AppState;

/// Adds the page and its downloads.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/scorecards", page)
        .get("/scorecards.csv", csv)
        .get("/scorecards.xlsx", xlsx);
}

#[derive(Debug, Default, Deserialize)]
struct Query {
    #[serde(default)]
    span: String,
}

/// A period's value as a reader sees it.
#[derive(Serialize)]
struct ValueShown {
    period: String,
    text: String,
    meets: Option<bool>,
}

/// A line as a reader sees it.
#[derive(Serialize)]
struct LineShown {
    kpi: String,
    name: String,
    experience: String,
    indicator: String,
    target: String,
    values: Vec<ValueShown>,
    on_target: String,
    previous: String,
    verdict: String,
    verdict_code: String,
}

/// A process as a reader sees it.
#[derive(Serialize)]
struct ProcessShown {
    code: String,
    name: String,
    owner: String,
    cx: String,
    cx_code: String,
    lines: Vec<LineShown>,
}

/// The card and the target experiences' sentences by key, read on a
/// blocking thread.
async fn read(
    state: &web::Data<AppState>,
    page: &PageCtx,
    q: &Query,
) -> AppResult<(Scorecard, HashMap<String, String>)> {
    page.require_user()?;
    let now = crate::ids::now();
    let span = if q.span.trim().is_empty() {
        Span::last_quarter(crate::records::schedule_due::site_date(state.tz, now))
    } else {
        Span::parse(&q.span)?
    };
    let store = state.store.clone();
    let lang = page.lang;
    db::run(&state.pool, move |c| {
        let card = scorecard::scorecard(c, &span, now, None)?;
        let sentences = service::in_force(c, &store)?
            .map(|p| {
                p.promise
                    .experiences
                    .iter()
                    .map(|e| (e.key.clone(), in_lang(&e.sentence, lang).to_string()))
                    .collect()
            })
            .unwrap_or_default();
        Ok((card, sentences))
    })
    .await
}

fn value_text(lang: Lang, unit: &str, v: &str) -> String {
    v.parse::<f64>().map_or_else(
        |_| v.to_string(),
        |x| charts::with_unit(lang, &charts::short_number(lang, x), unit),
    )
}

fn target_text(page: &PageCtx, l: &ScoreLine) -> String {
    let key = match l.direction {
        Direction::HigherIsBetter => "score-target-at-least",
        Direction::LowerIsBetter => "score-target-at-most",
    };
    crate::i18n::t_args(
        page.lang,
        key,
        &[("value", value_text(page.lang, &l.unit, &l.target))],
    )
}

fn of_periods(page: &PageCtx, on: i64, of: usize) -> String {
    crate::i18n::t_args(
        page.lang,
        "score-periods-on-target",
        &[("on", on.to_string()), ("of", of.to_string())],
    )
}

fn line_shown(page: &PageCtx, l: &ScoreLine, sentences: &HashMap<String, String>) -> LineShown {
    let lang = page.lang;
    LineShown {
        kpi: l.kpi.clone(),
        name: l.name.clone(),
        experience: sentences
            .get(&l.experience)
            .cloned()
            .unwrap_or_else(|| l.experience.clone()),
        indicator: page.t(&format!("kpi-{}", l.indicator.as_str())),
        target: target_text(page, l),
        values: l
            .values
            .iter()
            .map(|v| ValueShown {
                period: charts::period_text(lang, &v.period),
                text: v.value.as_deref().map_or_else(
                    || page.t("score-not-measured"),
                    |x| value_text(lang, &l.unit, x),
                ),
                meets: v.meets,
            })
            .collect(),
        on_target: of_periods(page, l.on_target, l.values.len()),
        previous: if l.previous_measured == 0 {
            page.t("score-previous-none")
        } else {
            crate::i18n::t_args(
                page.lang,
                "score-previous",
                &[
                    ("on", l.previous_on_target.to_string()),
                    ("measured", l.previous_measured.to_string()),
                ],
            )
        },
        verdict: page.t(&format!("score-verdict-{}", l.verdict.as_str())),
        verdict_code: l.verdict.as_str().to_string(),
    }
}

fn process_shown(
    page: &PageCtx,
    p: &ProcessScore,
    sentences: &HashMap<String, String>,
) -> ProcessShown {
    ProcessShown {
        code: p.code.clone(),
        name: p.name.clone(),
        owner: p.owner.clone(),
        cx: page.t(&format!("cx-status-{}", p.cx.as_str())),
        cx_code: p.cx.as_str().to_string(),
        lines: p
            .lines
            .iter()
            .map(|l| line_shown(page, l, sentences))
            .collect(),
    }
}

async fn page(
    state: web::Data<AppState>,
    page: PageCtx,
    q: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let (card, sentences) = read(&state, &page, &q).await?;
    let shown: Vec<ProcessShown> = card
        .processes
        .iter()
        .map(|p| process_shown(&page, p, &sentences))
        .collect();
    let today = crate::records::schedule_due::site_date(state.tz, crate::ids::now());
    let spans: Vec<(String, String)> = scorecard::recent_spans(today)
        .into_iter()
        .map(|s| {
            let text = charts::period_text(page.lang, &s);
            (s, text)
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("span", &card.span);
    ctx.insert("span_text", &charts::period_text(page.lang, &card.span));
    ctx.insert(
        "previous_text",
        &charts::period_text(page.lang, &card.previous),
    );
    ctx.insert("from", &crate::i18n::format_day(page.lang, card.from));
    ctx.insert("to", &crate::i18n::format_day(page.lang, card.to));
    ctx.insert("spans", &spans);
    ctx.insert("processes", &shown);
    ctx.insert(
        "without",
        &card.processes.iter().filter(|p| p.lines.is_empty()).count(),
    );
    page.render(&state, "experience/scorecards.html", ctx)
}

/// The card as one row per CX KPI (a process without any has one row
/// saying so).
fn table(
    page: &PageCtx,
    card: &Scorecard,
    sentences: &HashMap<String, String>,
) -> (Vec<String>, Vec<Vec<Cell>>) {
    let header: Vec<String> = [
        "score-col-process",
        "score-col-owner",
        "score-col-kpi",
        "score-col-experience",
        "score-col-indicator",
        "score-col-target",
        "score-col-values",
        "score-col-periods",
        "score-col-measured",
        "score-col-on-target",
        "score-col-verdict",
        "score-col-previous-measured",
        "score-col-previous-on-target",
    ]
    .iter()
    .map(|k| page.t(k))
    .collect();
    let mut rows = Vec::new();
    for p in &card.processes {
        let process = format!("{} {}", p.code, p.name);
        if p.lines.is_empty() {
            let mut row: Vec<Cell> = vec![
                process.clone().into(),
                p.owner.clone().into(),
                page.t("cx-status-none").into(),
            ];
            row.resize(header.len(), Cell::Text(String::new()));
            rows.push(row);
        }
        for l in &p.lines {
            let shown = line_shown(page, l, sentences);
            let values = shown
                .values
                .iter()
                .map(|v| format!("{}: {}", v.period, v.text))
                .collect::<Vec<_>>()
                .join("; ");
            rows.push(vec![
                process.clone().into(),
                p.owner.clone().into(),
                l.name.clone().into(),
                shown.experience.into(),
                shown.indicator.into(),
                shown.target.into(),
                values.into(),
                Cell::Count(l.values.len() as i64),
                Cell::Count(l.measured),
                Cell::Count(l.on_target),
                shown.verdict.into(),
                Cell::Count(l.previous_measured),
                Cell::Count(l.previous_on_target),
            ]);
        }
    }
    (header, rows)
}

async fn csv(
    state: web::Data<AppState>,
    page: PageCtx,
    q: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let (card, sentences) = read(&state, &page, &q).await?;
    let (header, rows) = table(&page, &card, &sentences);
    spreadsheet::csv_download(
        &format!("scorecards-{}.csv", card.span),
        &header,
        &rows,
        page.lang,
    )
}

async fn xlsx(
    state: web::Data<AppState>,
    page: PageCtx,
    q: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let (card, sentences) = read(&state, &page, &q).await?;
    let (header, rows) = table(&page, &card, &sentences);
    spreadsheet::xlsx_download(
        &format!("scorecards-{}.xlsx", card.span),
        &page.t("score-title"),
        &header,
        &rows,
    )
}
