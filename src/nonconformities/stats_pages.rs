//! HTML pages: nonconformity statistics with their charts, and each table
//! as a CSV download. The page and the downloads are built from the same
//! [`Table`]s, so what is shown is what is downloaded.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::stats::{self, NcStatistics, StatsFilter, StatsRange};
use crate::charts::{self, Bar};
use crate::db;
use crate::error::{AppError, AppResult, Code};
use crate::i18n::{self, Lang};
use crate::ids::now;
use crate::kit::date::midnight;
use crate::pages::PageCtx;
use crate::spreadsheet::{self, Cell};
use crate::state::AppState;

/// Registered before any `/nonconformities/{number}` page, which would
/// otherwise take `stats` for a number.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/nonconformities/stats", stats_page)
        .get("/nonconformities/stats/{table}.csv", stats_csv);
}

/// The tables of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    ByProcess,
    ByKind,
    BySeverity,
    ByMonth,
    Complaints,
}

impl Table {
    const SHOWN: [Table; 5] = [
        Table::ByMonth,
        Table::ByProcess,
        Table::ByKind,
        Table::BySeverity,
        Table::Complaints,
    ];

    /// The name in the download's address; `None` for tables not offered.
    fn slug(self) -> Option<&'static str> {
        match self {
            Table::ByProcess => Some("by-process"),
            Table::ByKind => Some("by-kind"),
            Table::ByMonth => Some("by-month"),
            Table::Complaints => Some("complaints"),
            Table::BySeverity => None,
        }
    }

    fn from_slug(s: &str) -> Option<Table> {
        Table::SHOWN.into_iter().find(|t| t.slug() == Some(s))
    }

    fn title_key(self) -> &'static str {
        match self {
            Table::ByProcess => "ncstats-by-process",
            Table::ByKind => "ncstats-by-kind",
            Table::BySeverity => "ncstats-by-severity",
            Table::ByMonth => "ncstats-by-month",
            Table::Complaints => "ncstats-complaints",
        }
    }

    fn header(self, lang: Lang) -> Vec<String> {
        let keys: &[&str] = match self {
            Table::ByProcess => &[
                "ncstats-col-code",
                "ncstats-col-process",
                "ncstats-col-responsible",
                "ncstats-col-detected-in",
                "ncstats-col-open",
                "ncstats-col-overdue",
            ],
            Table::ByKind => &["ncstats-col-kind", "ncstats-col-cases"],
            Table::BySeverity => &["ncstats-col-severity", "ncstats-col-cases"],
            Table::ByMonth => &["ncstats-col-month", "ncstats-col-reports"],
            Table::Complaints => &[
                "ncstats-col-code",
                "ncstats-col-process",
                "ncstats-col-complaints",
            ],
        };
        keys.iter().map(|k| i18n::t(lang, k)).collect()
    }

    fn rows(self, s: &NcStatistics, lang: Lang) -> Vec<Vec<Cell>> {
        match self {
            Table::ByProcess => s
                .by_process
                .iter()
                .map(|p| {
                    vec![
                        Cell::from(p.code.as_str()),
                        Cell::from(p.name.as_str()),
                        Cell::Count(p.responsible),
                        Cell::Count(p.detected_in),
                        Cell::Count(p.open),
                        Cell::Count(p.overdue),
                    ]
                })
                .collect(),
            Table::ByKind => s
                .by_kind
                .iter()
                .map(|k| {
                    vec![
                        Cell::Text(i18n::t(lang, &format!("nc-kind-{}", k.kind))),
                        Cell::Count(k.count),
                    ]
                })
                .collect(),
            Table::BySeverity => s
                .by_severity
                .iter()
                .map(|k| {
                    vec![
                        Cell::Text(i18n::t(lang, &format!("nc-severity-{}", k.severity))),
                        Cell::Count(k.count),
                    ]
                })
                .collect(),
            Table::ByMonth => s
                .by_month
                .iter()
                .map(|m| vec![Cell::from(m.month.as_str()), Cell::Count(m.count)])
                .collect(),
            Table::Complaints => s
                .complaints_received
                .iter()
                .map(|p| {
                    vec![
                        Cell::from(p.code.as_str()),
                        Cell::from(p.name.as_str()),
                        Cell::Count(p.count),
                    ]
                })
                .collect(),
        }
    }
}

/// A table as the template shows it.
#[derive(Serialize)]
struct ShownTable {
    id: &'static str,
    title: String,
    header: Vec<ShownCell>,
    rows: Vec<Vec<ShownCell>>,
    csv: Option<String>,
}

#[derive(Serialize)]
struct ShownCell {
    text: String,
    number: bool,
}

fn shown_cell(lang: Lang, c: Cell) -> ShownCell {
    match c {
        Cell::Text(text) => ShownCell {
            text,
            number: false,
        },
        Cell::Count(n) => ShownCell {
            text: n.to_string(),
            number: true,
        },
        Cell::Decimal(v) => ShownCell {
            text: v
                .map(|v| charts::number(lang, v, 1))
                .unwrap_or_else(|| "–".into()),
            number: true,
        },
        Cell::Number(v) => ShownCell {
            text: match lang {
                Lang::Fi => v.to_string().replace('.', ","),
                Lang::En => v.to_string(),
            },
            number: true,
        },
    }
}

/// `?from=..&to=..` for links, from the checked range (dates need no escaping).
fn range_query(r: StatsRange) -> String {
    let parts: Vec<String> = [("from", r.from), ("to", r.to)]
        .into_iter()
        .filter_map(|(k, v)| v.map(|d| format!("{k}={d}")))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Days with one decimal, written as the language writes decimals.
fn days_text(lang: Lang, days: Option<f64>) -> String {
    match days {
        None => "–".into(),
        Some(d) => {
            let n = format!("{d:.1}");
            let n = if lang == Lang::Fi {
                n.replace('.', ",")
            } else {
                n
            };
            i18n::t_args(lang, "ncstats-days", &[("days", n)])
        }
    }
}

/// What the counted range is, in words.
fn range_text(lang: Lang, r: StatsRange) -> String {
    let date = |d| i18n::format_date(lang, chrono_tz::UTC, &midnight(d));
    // `to` is the first day not counted; people read the last day counted.
    let last = r.to.and_then(|t| t.pred_opt());
    match (r.from, last) {
        (Some(f), Some(l)) => i18n::t_args(
            lang,
            "ncstats-range-from-to",
            &[("from", date(f)), ("last", date(l))],
        ),
        (Some(f), None) => i18n::t_args(lang, "ncstats-range-from", &[("from", date(f))]),
        (None, Some(l)) => i18n::t_args(lang, "ncstats-range-to", &[("last", date(l))]),
        (None, None) => i18n::t(lang, "ncstats-range-all"),
    }
}

fn process_label(code: &str, name: &str) -> String {
    if name.is_empty() || name == code {
        code.to_string()
    } else {
        format!("{code} {name}")
    }
}

/// The page's variables: range, totals, charts and tables.
fn stats_context(page: &PageCtx, r: StatsRange, s: &NcStatistics) -> tera::Context {
    let lang = page.lang;
    let query = range_query(r);
    let mut ctx = tera::Context::new();
    ctx.insert("range_text", &range_text(lang, r));
    ctx.insert("totals", &s.totals);
    ctx.insert("closed", &s.time_to_close.closed);
    ctx.insert("close_mean", &days_text(lang, s.time_to_close.mean_days));
    ctx.insert("close_p90", &days_text(lang, s.time_to_close.p90_days));
    let months: Vec<Bar> = s
        .by_month
        .iter()
        .map(|m| Bar::new(m.month.clone(), m.count as f64))
        .collect();
    ctx.insert(
        "chart_months",
        &charts::column_chart(lang, &i18n::t(lang, "ncstats-chart-months"), &months),
    );
    let processes: Vec<Bar> = s
        .by_process
        .iter()
        .map(|p| Bar::new(process_label(&p.code, &p.name), p.responsible as f64))
        .collect();
    ctx.insert(
        "chart_processes",
        &charts::bar_chart(lang, &i18n::t(lang, "ncstats-chart-processes"), &processes),
    );
    let complaints: Vec<Bar> = s
        .complaints_received
        .iter()
        .map(|p| Bar::new(process_label(&p.code, &p.name), p.count as f64))
        .collect();
    ctx.insert(
        "chart_complaints",
        &charts::bar_chart(
            lang,
            &i18n::t(lang, "ncstats-chart-complaints"),
            &complaints,
        ),
    );
    let tables: Vec<ShownTable> = Table::SHOWN
        .into_iter()
        .map(|t| {
            let mut rows: Vec<Vec<ShownCell>> = t
                .rows(s, lang)
                .into_iter()
                .map(|row| row.into_iter().map(|c| shown_cell(lang, c)).collect())
                .collect();
            // The CSV keeps the month as `2026-05`; a person reads it.
            if t == Table::ByMonth {
                for month in rows.iter_mut().filter_map(|r| r.first_mut()) {
                    month.text = charts::period_text(lang, &month.text);
                }
            }
            // A column is numeric as its cells are (right-aligned).
            let header = t
                .header(lang)
                .into_iter()
                .enumerate()
                .map(|(i, text)| ShownCell {
                    text,
                    number: rows
                        .first()
                        .is_some_and(|r| r.get(i).is_some_and(|c| c.number)),
                })
                .collect();
            ShownTable {
                id: t.title_key(),
                title: i18n::t(lang, t.title_key()),
                header,
                rows,
                csv: t
                    .slug()
                    .map(|slug| format!("/nonconformities/stats/{slug}.csv{query}")),
            }
        })
        .collect();
    ctx.insert("tables", &tables);
    ctx
}

async fn stats_page(
    state: web::Data<AppState>,
    page: PageCtx,
    q: web::Query<StatsFilter>,
) -> AppResult<HttpResponse> {
    page.require_user()?;
    let f = q.into_inner();
    let mut ctx = tera::Context::new();
    ctx.insert("form", &f);
    let range = match f.parse() {
        Ok(r) => r,
        Err(e) => return page.form_error(&state, "nonconformities/stats.html", ctx, e),
    };
    let result = db::run(&state.pool, move |c| stats::statistics(c, &f, now())).await;
    match result {
        Ok(s) => {
            ctx.extend(stats_context(&page, range, &s));
            page.render(&state, "nonconformities/stats.html", ctx)
        }
        Err(e) => page.form_error(&state, "nonconformities/stats.html", ctx, e),
    }
}

async fn stats_csv(
    state: web::Data<AppState>,
    page: PageCtx,
    table: web::Path<String>,
    q: web::Query<StatsFilter>,
) -> AppResult<HttpResponse> {
    page.require_user()?;
    let table = Table::from_slug(&table)
        .ok_or_else(|| AppError::not_found(Code::PageNotFound, "no such table"))?;
    let slug = table.slug().unwrap_or("table");
    let f = q.into_inner();
    let s = db::run(&state.pool, move |c| stats::statistics(c, &f, now())).await?;
    spreadsheet::csv_download(
        &format!("nonconformities-{slug}.csv"),
        &table.header(page.lang),
        &table.rows(&s, page.lang),
        page.lang,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_four_tables_download() {
        for slug in ["by-process", "by-kind", "by-month", "complaints"] {
            assert_eq!(Table::from_slug(slug).and_then(Table::slug), Some(slug));
        }
        assert_eq!(Table::from_slug("by-severity"), None);
        assert_eq!(Table::from_slug("../etc"), None);
    }

    #[test]
    fn links_carry_the_checked_range() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let r = StatsRange {
            from: d("2026-07-01"),
            to: d("2026-10-01"),
        };
        assert_eq!(range_query(r), "?from=2026-07-01&to=2026-10-01");
        assert_eq!(range_query(StatsRange::default()), "");
        assert_eq!(
            range_text(Lang::Fi, r),
            i18n::t_args(
                Lang::Fi,
                "ncstats-range-from-to",
                &[("from", "1.7.2026".into()), ("last", "30.9.2026".into())]
            )
        );
        assert_eq!(days_text(Lang::Fi, Some(2.5)), "2,5 vrk");
        assert_eq!(days_text(Lang::En, None), "–");
    }
}
