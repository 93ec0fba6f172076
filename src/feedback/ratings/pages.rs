//! HTML pages: "rate what you received" (`/internal-ratings/{id}`, reached
//! from the task), its correction, the prefilled internal complaint of a
//! low rating, and the section of the supplier's process page with the
//! ratings per link and period.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::model::{MAX_COMMENT, MAX_QUALITY, MAX_REASON, Score};
use super::service::{self, Filter, RequestView};
use crate::auth::csrf::CsrfForm;
use crate::auth::model::WRITING_ROLES;
use crate::charts::{number, period_text};
use crate::db::{self, DbConn};
use crate::error::{AppError, AppResult, Code};
use crate::i18n::Lang;
use crate::ids::now;
use crate::pages::{PageCtx, see_other};
use crate::records::schedule_due::site_date;
use crate::state::AppState;

/// Adds the rating page and its forms.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/internal-ratings/{id}", rate_page)
        .post("/internal-ratings/{id}", rate_submit)
        .post("/internal-ratings/{id}/correct", correct_submit)
        .get("/processes/{code}/internal-ratings.csv", figures_csv)
        .get("/processes/{code}/internal-ratings.xlsx", figures_xlsx);
}

/// What the rating form sent.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
struct RateForm {
    #[serde(default)]
    on_time: String,
    #[serde(default)]
    quality: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    reason: String,
}

impl RateForm {
    fn score(&self) -> AppResult<Score> {
        let bad = || {
            AppError::invalid(
                Code::InvalidRating,
                "say whether it came on time and choose a quality from 1 to 5",
            )
        };
        let on_time = match self.on_time.as_str() {
            "yes" => true,
            "no" => false,
            _ => return Err(bad()),
        };
        let quality = self.quality.trim().parse::<i32>().map_err(|_| bad())?;
        Score::parse(on_time, quality, &self.comment)
    }
}

async fn context(
    state: &AppState,
    page: &PageCtx,
    id: String,
    form: Option<&RateForm>,
) -> AppResult<tera::Context> {
    let who = page.require_user()?.user.clone();
    let today = site_date(state.tz, now());
    let r = db::run(&state.pool, move |c| service::get(c, &id, today)).await?;
    let lang = page.lang;
    let mine = r.rater == who.username && who.has_any(WRITING_ROLES);
    let mut ctx = tera::Context::new();
    // A low rating of one's own offers the prefilled complaint.
    let complaint = mine && r.rating.as_ref().is_some_and(|g| g.low);
    let shown = form.cloned().unwrap_or_else(|| match &r.rating {
        Some(g) => RateForm {
            on_time: if g.on_time { "yes" } else { "no" }.into(),
            quality: g.quality.to_string(),
            comment: g.comment.clone(),
            reason: String::new(),
        },
        None => RateForm::default(),
    });
    ctx.insert("period_text", &period_text(lang, &r.period));
    ctx.insert("due_text", &crate::i18n::format_day(lang, r.due_on));
    ctx.insert("complaint", &complaint);
    ctx.insert("mine", &mine);
    ctx.insert("r", &r);
    ctx.insert("form", &shown);
    ctx.insert("qualities", &(1..=MAX_QUALITY).collect::<Vec<_>>());
    ctx.insert("max_comment", &MAX_COMMENT);
    ctx.insert("max_reason", &MAX_REASON);
    Ok(ctx)
}

async fn rate_page(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ctx = context(&state, &page, id.into_inner(), None).await?;
    page.render(&state, "feedback/rate.html", ctx)
}

async fn submit(
    state: &AppState,
    page: &PageCtx,
    id: String,
    form: RateForm,
    correction: bool,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    who.user.require_may_write()?;
    let (i2, f2) = (id.clone(), form.clone());
    let result = match form.score() {
        Ok(score) => {
            db::run(&state.pool, move |c| {
                if correction {
                    service::correct(c, &who.user, &i2, score, &f2.reason, now())
                } else {
                    service::rate(c, &who.user, &i2, score, now())
                }
            })
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/internal-ratings/{id}?notice=rating-saved"
        ))),
        Err(e) => {
            let ctx = context(state, page, id, Some(&form)).await?;
            page.form_error(state, "feedback/rate.html", ctx, e)
        }
    }
}

async fn rate_submit(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
    CsrfForm(form): CsrfForm<RateForm>,
) -> AppResult<HttpResponse> {
    submit(&state, &page, id.into_inner(), form, false).await
}

async fn correct_submit(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
    CsrfForm(form): CsrfForm<RateForm>,
) -> AppResult<HttpResponse> {
    submit(&state, &page, id.into_inner(), form, true).await
}

/// What the report form of a nonconformity takes from a low rating.
#[derive(Debug, Clone)]
pub struct ComplaintPrefill {
    /// The complaint's title.
    pub title: String,
    /// Its description.
    pub description: String,
    /// The receiving process (where it was detected).
    pub detected_in: String,
    /// The supplying process (responsible).
    pub responsible: String,
}

/// The prefilled internal complaint of the reader's own low rating of
/// request `id`, in the page's language.
///
/// # Errors
/// `rating_request_not_found`; `forbidden` when it is not the reader's
/// rating; `rating_not_given`.
pub async fn complaint_prefill(
    state: &AppState,
    page: &PageCtx,
    id: String,
) -> AppResult<ComplaintPrefill> {
    let who = page.require_user()?.user.clone();
    let today = site_date(state.tz, now());
    let r: RequestView = db::run(&state.pool, move |c| service::get(c, &id, today)).await?;
    if r.rater != who.username {
        return Err(AppError::forbidden());
    }
    let rating = r.rating.as_ref().ok_or_else(|| {
        AppError::conflict(Code::RatingNotGiven, "there is no rating to complain of")
    })?;
    let d = service::complaint_draft(&r, rating, page.lang);
    Ok(ComplaintPrefill {
        title: d.title,
        description: d.description,
        detected_in: d.detected_in,
        responsible: d.responsible,
    })
}

/// One row of the process page's ratings: a link in a period.
#[derive(Debug, Clone, Serialize)]
pub struct SectionRow {
    /// What flows.
    pub output: String,
    /// The receiving process.
    pub customer: String,
    /// The period in the reader's language.
    pub period: String,
    /// Ratings behind the figures.
    pub n: i64,
    /// Requests asked.
    pub asked: i64,
    /// Share on time, in the reader's notation (`–` without ratings).
    pub on_time: String,
    /// Average quality.
    pub quality: String,
    /// Share on time and of quality 3 or more.
    pub good: String,
    /// Whether the figures call for attention (fewer than 80 % good).
    pub alert: bool,
}

/// How many periods the process page shows.
const SHOWN_PERIODS: usize = 4;

/// The ratings of what process `code` supplied, per link and period, the
/// last four periods, newest first; and a chart of the share good per
/// period over every link (the last eight periods with ratings, oldest
/// first), each column labelled with its period and its number of ratings.
///
/// # Errors
/// `process_not_found`; a database fault.
pub fn process_section(
    conn: &mut DbConn,
    code: &str,
    lang: Lang,
) -> AppResult<(Vec<SectionRow>, String)> {
    let today = now().date();
    let all = service::list(
        conn,
        &Filter {
            supplier: Some(code.to_string()),
            ..Filter::default()
        },
        today,
    )?;
    let chart = good_chart(&all.aggregates, lang);
    let mut periods: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for a in all.aggregates {
        if !periods.contains(&a.period) {
            if periods.len() == SHOWN_PERIODS {
                break;
            }
            periods.push(a.period.clone());
        }
        let figure = |v: f64, d: usize, pct: bool| {
            if a.n == 0 {
                "–".to_string()
            } else {
                percent_or_number(lang, v, d, pct)
            }
        };
        out.push(SectionRow {
            on_time: figure(a.on_time_share, 0, true),
            quality: figure(a.average_quality, 1, false),
            good: figure(a.good_share, 0, true),
            alert: a.n > 0 && a.good_share < 80.0,
            output: a.output,
            customer: a.customer,
            period: period_text(lang, &a.period),
            n: a.n,
            asked: a.asked,
        });
    }
    Ok((out, chart))
}

/// A share or a number in the reader's notation (`85 %` in Finnish, `85%`).
fn percent_or_number(lang: Lang, v: f64, decimals: usize, pct: bool) -> String {
    match (pct, lang) {
        (true, Lang::Fi) => format!("{} %", number(lang, v, decimals)),
        (true, Lang::En) => format!("{}%", number(lang, v, decimals)),
        (false, _) => number(lang, v, decimals),
    }
}

/// How many periods the chart shows.
const CHART_PERIODS: usize = 8;

/// The share good per period over every link (newest-first `aggregates`
/// in, oldest-first columns out), weighted by each link's ratings.
fn good_chart(aggregates: &[service::Aggregate], lang: Lang) -> String {
    let mut by_period: Vec<(String, f64, i64)> = Vec::new();
    for a in aggregates.iter().filter(|a| a.n > 0) {
        let good = a.good_share * a.n as f64 / 100.0;
        let full = by_period.len() >= CHART_PERIODS;
        match by_period.iter_mut().find(|(p, _, _)| *p == a.period) {
            Some(slot) => {
                slot.1 += good;
                slot.2 += a.n;
            }
            None if !full => by_period.push((a.period.clone(), good, a.n)),
            None => {}
        }
    }
    let bars: Vec<crate::charts::Bar> = by_period
        .iter()
        .rev()
        .map(|(period, good, n)| {
            // Whole percents, and the ratings behind each: one rating says little.
            crate::charts::Bar::new(
                format!("{} · n {n}", period_text(lang, period)),
                (100.0 * good / *n as f64).round(),
            )
        })
        .collect();
    crate::charts::column_chart(lang, &crate::i18n::t(lang, "ratings-chart-good"), &bars)
}

/// Every period's figures of what process `code` supplied, per link: the
/// table of the downloads.
async fn figures_table(
    state: &AppState,
    page: &PageCtx,
    code: String,
) -> AppResult<(Vec<String>, Vec<Vec<crate::spreadsheet::Cell>>)> {
    use crate::spreadsheet::Cell;
    page.require_user()?;
    let today = site_date(state.tz, now());
    let all = db::run(&state.pool, move |c| {
        service::list(
            c,
            &Filter {
                supplier: Some(code),
                ..Filter::default()
            },
            today,
        )
    })
    .await?;
    let header = [
        "ratings-link",
        "ratings-supplier",
        "ratings-customer",
        "ratings-period",
        "ratings-n",
        "ratings-asked",
        "ratings-on-time-share",
        "ratings-quality",
        "ratings-good-share",
    ]
    .iter()
    .map(|k| page.t(k))
    .collect();
    let rows = all
        .aggregates
        .into_iter()
        .map(|a| {
            let rated = a.n > 0;
            vec![
                Cell::Text(a.output),
                Cell::Text(a.supplier),
                Cell::Text(a.customer),
                Cell::Text(a.period),
                Cell::Count(a.n),
                Cell::Count(a.asked),
                Cell::Decimal(rated.then_some(a.on_time_share)),
                Cell::Decimal(rated.then_some(a.average_quality)),
                Cell::Decimal(rated.then_some(a.good_share)),
            ]
        })
        .collect();
    Ok((header, rows))
}

async fn figures_csv(
    state: web::Data<AppState>,
    page: PageCtx,
    code: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (header, rows) = figures_table(&state, &page, code.into_inner()).await?;
    crate::spreadsheet::csv_download("internal-ratings.csv", &header, &rows, page.lang)
}

async fn figures_xlsx(
    state: web::Data<AppState>,
    page: PageCtx,
    code: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (header, rows) = figures_table(&state, &page, code.into_inner()).await?;
    crate::spreadsheet::xlsx_download(
        "internal-ratings.xlsx",
        &page.t("ratings-section"),
        &header,
        &rows,
    )
}
