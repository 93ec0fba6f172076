//! The audit trail pages: the events as sentences with filters and paging,
//! their CSV download, and the chain check.

use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use serde::{Deserialize, Serialize};

use super::api::AUDIT_READERS;
use super::sentence::{self, Directory};
use super::{ChainFault, ChainReport, EventFilter, FilterValues};
use crate::auth::csrf::CsrfForm;
use crate::auth::model::Role;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Lang};
use crate::pages::PageCtx;
use crate::spreadsheet::{self, Cell};
use crate::state::AppState;

/// Roles offered the "verify the chain" button: those who answer for the
/// trail's integrity (administrators) and those who test it (auditors).
pub const CHAIN_VERIFIERS: &[Role] = &[Role::Admin, Role::Auditor];

/// Adds the audit trail's pages.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/audit", events_page)
        .post("/audit/verify", verify_page)
        .get("/audit-events.csv", events_csv);
}

/// One choice of a filter's select.
#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

fn sorted(mut choices: Vec<Choice>) -> Vec<Choice> {
    choices.sort_by_key(|a| a.label.to_lowercase());
    choices
}

/// The filter the page's form stands for, as the API reads it: the page's
/// dates are whole days in the site's time zone (both ends included), and
/// logins are hidden unless asked for.
fn effective_filter(form: &EventFilter, tz: chrono_tz::Tz) -> EventFilter {
    let day_start = |s: &str, days: i64| -> Option<String> {
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()? + chrono::Days::new(days as u64);
        let local = tz
            .from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
            .earliest()?;
        Some(local.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string())
    };
    let convert = |v: &Option<String>, days| {
        v.as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| day_start(s, days).unwrap_or_else(|| s.to_string()))
    };
    EventFilter {
        from: convert(&form.from, 0),
        to: convert(&form.to, 1),
        logins: Some(form.logins.unwrap_or(false)),
        ..form.clone()
    }
}

/// The query string of a filter (paging left out).
fn query_of(f: &EventFilter) -> AppResult<String> {
    let fields: Vec<(&str, String)> = [
        ("actor", f.actor.clone()),
        ("action", f.action.clone()),
        ("entity_type", f.entity_type.clone()),
        ("entity_id", f.entity_id.clone()),
        ("from", f.from.clone()),
        ("to", f.to.clone()),
        ("logins", f.logins.map(|b| b.to_string())),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
    .collect();
    serde_html_form::to_string(&fields).map_err(AppError::internal)
}

/// The result of the chain check, as the page shows it.
#[derive(Serialize)]
struct ChainShown {
    intact: bool,
    message: String,
}

fn chain_shown(lang: Lang, r: &ChainReport) -> ChainShown {
    let count = |n: i64| ("events", n.to_string());
    match &r.broken {
        None => ChainShown {
            intact: true,
            message: i18n::t_args(lang, "audit-chain-intact", &[count(r.intact)]),
        },
        Some((seq, fault)) => {
            let reason = match fault {
                ChainFault::Missing { next } => i18n::t_args(
                    lang,
                    "audit-chain-fault-missing",
                    &[("next", next.to_string())],
                ),
                ChainFault::PrevHash => i18n::t(lang, "audit-chain-fault-prev_hash"),
                ChainFault::Content => i18n::t(lang, "audit-chain-fault-content"),
            };
            ChainShown {
                intact: false,
                message: i18n::t_args(
                    lang,
                    "audit-chain-broken",
                    &[
                        ("seq", seq.to_string()),
                        count(r.intact),
                        ("reason", reason),
                    ],
                ),
            }
        }
    }
}

async fn events_context(
    state: &AppState,
    page: &PageCtx,
    form: EventFilter,
    chain: Option<ChainReport>,
) -> AppResult<tera::Context> {
    let who = page.require_any(AUDIT_READERS)?;
    let lang = page.lang;
    let tz = state.tz;
    let filter = effective_filter(&form, tz);
    let f = filter.clone();
    let store = state.store.clone();
    let (events, values, dir) = db::run(&state.pool, move |c| {
        let events = super::list(c, &f)?;
        let values = super::filter_values(c)?;
        let mut dir = Directory::load(c, &events.items)?;
        dir.load_forms(c, &store, &events.items)?;
        Ok((events, values, dir))
    })
    .await?;
    let readable = sentence::readable_events(lang, tz, &dir, &events.items);
    let FilterValues {
        entity_types,
        actions,
        actors,
    } = values;
    let areas = sorted(
        entity_types
            .into_iter()
            .map(|t| Choice {
                label: sentence::area_name(lang, &t),
                value: t,
            })
            .collect(),
    );
    let actions = sorted(
        actions
            .into_iter()
            .map(|a| Choice {
                label: sentence::action_name(lang, &a),
                value: a,
            })
            .collect(),
    );
    let people = sorted(
        actors
            .into_iter()
            .map(|a| Choice {
                label: sentence::actor_label(lang, &a, |u| dir.person(u)),
                value: a,
            })
            .collect(),
    );
    let query = query_of(&form)?;
    let mut ctx = tera::Context::new();
    ctx.insert("pages", &events.pages());
    ctx.insert("page_no", &events.page);
    ctx.insert("total", &events.total);
    ctx.insert("events", &readable);
    ctx.insert("areas", &areas);
    ctx.insert("actions", &actions);
    ctx.insert("people", &people);
    ctx.insert("pager_base", &format!("/audit?{query}&"));
    ctx.insert("verify_action", &format!("/audit/verify?{query}"));
    ctx.insert(
        "csv_href",
        &format!("/audit-events.csv?{}", query_of(&filter)?),
    );
    ctx.insert(
        "filter",
        &serde_json::json!({
            "actor": form.actor.unwrap_or_default(),
            "action": form.action.unwrap_or_default(),
            "entity_type": form.entity_type.unwrap_or_default(),
            "entity_id": form.entity_id.unwrap_or_default(),
            "from": form.from.unwrap_or_default(),
            "to": form.to.unwrap_or_default(),
            "logins": form.logins.unwrap_or(false),
        }),
    );
    ctx.insert("can_verify", &who.user.has_any(CHAIN_VERIFIERS));
    if let Some(r) = chain {
        ctx.insert("chain", &chain_shown(lang, &r));
    }
    Ok(ctx)
}

async fn events_page(
    state: web::Data<AppState>,
    page: PageCtx,
    filter: web::Query<EventFilter>,
) -> AppResult<HttpResponse> {
    let ctx = events_context(&state, &page, filter.into_inner(), None).await?;
    page.render(&state, "audit/events.html", ctx)
}

#[derive(Deserialize)]
struct Empty {}

/// Runs the chain check of `laatu check` and shows the trail with its
/// result. It only reads: it writes no audit event (an auditor's request
/// changes nothing, and a check that extended the chain it checks would
/// leave a new head behind each time it is asked); the log keeps a line.
async fn verify_page(
    state: web::Data<AppState>,
    page: PageCtx,
    filter: web::Query<EventFilter>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(CHAIN_VERIFIERS)?;
    let username = who.user.username.clone();
    let report = db::run(&state.pool, super::check_chain).await?;
    tracing::info!(by = %username, intact = report.intact, broken = ?report.broken, "audit chain verified from the page");
    let ctx = events_context(&state, &page, filter.into_inner(), Some(report)).await?;
    page.render(&state, "audit/events.html", ctx)
}

fn utc(t: &NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The filtered events (the API's filters, paging ignored) as CSV with
/// their hashes, so that a reader can keep the trail and check its chain.
async fn events_csv(
    state: web::Data<AppState>,
    page: PageCtx,
    filter: web::Query<EventFilter>,
) -> AppResult<HttpResponse> {
    page.require_any(AUDIT_READERS)?;
    let lang = page.lang;
    let tz = state.tz;
    let f = filter.into_inner();
    let (events, dir) = db::run(&state.pool, move |c| {
        let events = super::list_all(c, &f)?;
        let dir = Directory::load(c, &events)?;
        Ok((events, dir))
    })
    .await?;
    let rows = db::cpu(&state.pool, move || {
        Ok(events
            .iter()
            .map(|e| {
                vec![
                    Cell::Count(e.seq),
                    Cell::Text(utc(&e.occurred_at)),
                    Cell::Text(dir.actor(lang, e)),
                    Cell::Text(e.actor_name.clone()),
                    Cell::Text(sentence::sentence(lang, tz, &dir, e)),
                    Cell::Text(e.action.clone()),
                    Cell::Text(e.entity_type.clone()),
                    Cell::Text(e.entity_id.clone()),
                    Cell::Text(e.summary.clone()),
                    Cell::Text(e.changes.clone()),
                    Cell::Text(e.prev_hash.clone()),
                    Cell::Text(e.hash.clone()),
                ]
            })
            .collect::<Vec<_>>())
    })
    .await?;
    let header: Vec<String> = [
        "audit-csv-seq",
        "audit-csv-time",
        "audit-csv-actor",
        "audit-csv-actor-name",
        "audit-csv-sentence",
        "audit-csv-action",
        "audit-csv-entity-type",
        "audit-csv-entity-id",
        "audit-csv-summary",
        "audit-csv-changes",
        "audit-csv-prev-hash",
        "audit-csv-hash",
    ]
    .iter()
    .map(|k| page.t(k))
    .collect();
    spreadsheet::csv_download("audit-events.csv", &header, &rows, lang)
}
