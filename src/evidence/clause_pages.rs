//! Clause views (`/clauses`, `/clauses/{clause}`): per clause of
//! `ISO9001.md`, what Laatu holds for it, so that an auditor can sample on
//! screen what a bundle would hold on disk. The list is the export's own:
//! every area's evidence parts run as for a bundle of the last twelve
//! months as of today, into [`Listing`], which keeps each file's title and
//! clauses and throws its bytes away. Each item links to the page that
//! shows it in the app. Quality managers and auditors, as the export.

use std::io::Write;

use actix_web::{HttpResponse, web};
use chrono::Months;
use serde::Serialize;

use super::api::{EXPORTERS, today};
use super::clauses::{self, CLAUSES, Clause};
use super::export::{self, ExportQuery, ExportScope, Files, IndexEntry, Sink};
use crate::db;
use crate::error::{AppError, AppResult, Code};
use crate::i18n::{self, Lang, t};
use crate::pages::PageCtx;
use crate::routes::PageRoutes;
use crate::state::AppState;

/// Registers the pages.
pub fn configure(routes: &mut PageRoutes<'_>) {
    routes
        .get("/clauses", clauses_page)
        .get("/clauses/{clause}", clause_page);
}

/// Files that are listed, never kept: each part writes into a sink whose
/// bytes go nowhere.
pub struct Listing;

impl Files for Listing {
    fn add_with(
        &mut self,
        _path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> AppResult<()>,
    ) -> AppResult<()> {
        write(&mut std::io::sink())
    }
}

/// What a bundle for `scope` would hold, without writing it.
///
/// # Errors
/// A database or repository fault.
pub fn holdings(
    conn: &mut crate::db::DbConn,
    store: &crate::store::DocStore,
    scope: &ExportScope,
) -> AppResult<Vec<IndexEntry>> {
    let mut files = Listing;
    let mut progress = |_: &str| {};
    let mut sink = Sink::new(&mut files, scope, &mut progress);
    for part in export::parts() {
        if scope.runs(part) {
            (part.write)(conn, store, &mut sink)?;
        }
    }
    Ok(sink.index().to_vec())
}

/// Where a bundle file is shown in the app, by its path in the bundle.
pub fn app_link(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let stem = |s: &str| s.rsplit_once('.').map_or(s, |(a, _)| a).to_string();
    match parts.as_slice() {
        ["documents", number, ..] => Some(format!("/documents/{number}")),
        ["nonconformities", "register.csv"] => Some("/nonconformities".into()),
        ["nonconformities", file] => Some(format!("/nonconformities/{}", stem(file))),
        ["nonconformities", number, ..] => Some(format!("/nonconformities/{number}")),
        ["records", form, "records.csv"] => Some(format!("/forms/{form}")),
        ["records", _, file] if file.ends_with(".html") => Some(format!("/records/{}", stem(file))),
        ["records", form, ..] => Some(format!("/forms/{form}")),
        ["processes", "map.svg"] => Some("/processes/map".into()),
        ["processes", ..] => Some("/processes".into()),
        ["competence", "trainings.csv"] => Some("/competence/trainings".into()),
        ["competence", ..] => Some("/competence".into()),
        _ => None,
    }
    .filter(|l| !l.contains("..") && !l.contains('\\'))
}

/// The scope of the clause views: as of today, the last twelve months,
/// every process, in the reader's language.
async fn scope(state: &AppState, lang: Lang, clause: Option<&Clause>) -> AppResult<ExportScope> {
    let day = today(state.tz);
    let from = day.checked_sub_months(Months::new(12)).unwrap_or(day);
    let q = ExportQuery {
        as_of: Some(day.to_string()),
        from: Some(from.to_string()),
        to: Some(day.to_string()),
        clauses: clause.map(|c| c.id.to_string()),
        processes: None,
        lang: Some(lang.code().to_string()),
    };
    let tz = state.tz;
    db::run(&state.pool, move |c| {
        ExportScope::parse(c, &q, day, tz, lang)
    })
    .await
}

async fn read(state: &AppState, scope: ExportScope) -> AppResult<Vec<IndexEntry>> {
    let store = state.store.clone();
    db::run(&state.pool, move |c| holdings(c, &store, &scope)).await
}

#[derive(Serialize)]
struct ClauseRow {
    id: String,
    slug: String,
    kind: String,
    asks: String,
    count: usize,
}

fn kind_text(lang: Lang, kind: &str) -> String {
    let key = match kind {
        "M" => "clause-kind-maintain",
        "R" => "clause-kind-retain",
        "M+R" => "clause-kind-both",
        _ => "clause-kind-monitor",
    };
    t(lang, key)
}

async fn clauses_page(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    page.require_any(EXPORTERS)?;
    let scope = scope(&state, page.lang, None).await?;
    let (from, to) = (scope.from, scope.to);
    let held = read(&state, scope).await?;
    let rows: Vec<ClauseRow> = CLAUSES
        .iter()
        .map(|c| ClauseRow {
            id: c.id.to_string(),
            slug: clauses::slug(c),
            kind: kind_text(page.lang, c.kind),
            asks: t(page.lang, c.key),
            count: held
                .iter()
                .filter(|e| export::rows_of(&e.clauses).iter().any(|r| r.id == c.id))
                .count(),
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("rows", &rows);
    ctx.insert("from", &i18n::format_day(page.lang, from));
    ctx.insert("to", &i18n::format_day(page.lang, to));
    page.render(&state, "evidence/clauses.html", ctx)
}

#[derive(Serialize)]
struct Held {
    title: String,
    link: Option<String>,
    file: String,
}

#[derive(Serialize)]
struct Section {
    title: String,
    items: Vec<Held>,
}

async fn clause_page(
    state: web::Data<AppState>,
    page: PageCtx,
    slug: web::Path<String>,
) -> AppResult<HttpResponse> {
    page.require_any(EXPORTERS)?;
    let clause = clauses::by_slug(&slug).ok_or_else(|| {
        AppError::not_found(Code::UnknownClause, format!("no clause {}", slug.as_str()))
    })?;
    let scope = scope(&state, page.lang, Some(clause)).await?;
    let (from, to) = (scope.from, scope.to);
    let held = read(&state, scope).await?;
    let mut sections: Vec<(&'static str, Vec<Held>)> = Vec::new();
    for e in held.iter().filter(|e| {
        export::rows_of(&e.clauses)
            .iter()
            .any(|r| r.id == clause.id)
    }) {
        let item = Held {
            title: e.title.clone(),
            link: app_link(&e.path),
            file: e.path.clone(),
        };
        match sections.iter_mut().find(|(s, _)| *s == e.section) {
            Some((_, items)) => items.push(item),
            None => sections.push((e.section, vec![item])),
        }
    }
    let sections: Vec<Section> = sections
        .into_iter()
        .map(|(key, items)| Section {
            title: t(page.lang, key),
            items,
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("id", clause.id);
    ctx.insert("slug", &clauses::slug(clause));
    ctx.insert("kind", &kind_text(page.lang, clause.kind));
    ctx.insert("asks", &t(page.lang, clause.key));
    ctx.insert("sections", &sections);
    ctx.insert("from", &i18n::format_day(page.lang, from));
    ctx.insert("to", &i18n::format_day(page.lang, to));
    ctx.insert("iso_from", &from.to_string());
    ctx.insert("iso_to", &to.to_string());
    page.render(&state, "evidence/clause.html", ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_paths_lead_to_their_pages() {
        assert_eq!(
            app_link("documents/QP-001/QP-001.md").unwrap(),
            "/documents/QP-001"
        );
        assert_eq!(
            app_link("nonconformities/register.csv").unwrap(),
            "/nonconformities"
        );
        assert_eq!(
            app_link("nonconformities/NC-2026-004.html").unwrap(),
            "/nonconformities/NC-2026-004"
        );
        assert_eq!(
            app_link("records/FORM-007/FORM-007-0003.html").unwrap(),
            "/records/FORM-007-0003"
        );
        assert_eq!(
            app_link("records/FORM-007/records.csv").unwrap(),
            "/forms/FORM-007"
        );
        assert_eq!(app_link("processes/map.svg").unwrap(), "/processes/map");
        assert_eq!(app_link("competence/matrix.csv").unwrap(), "/competence");
        assert_eq!(app_link("documents.bundle"), None);
        assert_eq!(app_link("documents/../x"), None);
    }
}
