//! What nonconformities put into the evidence export: the cases reported
//! in the period (or closed in it) as a register
//! (`nonconformities/register.csv`, one row per case with its root cause,
//! actions and effectiveness) and a page per case with its whole history
//! (`nonconformities/<NUMBER>.html`) and its evidence files
//! (`nonconformities/<NUMBER>/<file>`). They evidence 10.2.2, 8.7.2 and
//! 8.5.3 (customer property is a kind of case). With a processes filter,
//! the cases detected in or handled by those processes. Cases are read a
//! page at a time.

use std::fmt::Write as _;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use tera::escape_html as esc;

use crate::area::EvidencePart;
use crate::db::DbConn;
use crate::db::schema::{
    audit_events, corrective_actions, effectiveness_checks, nc_analyses, nc_attachments,
    nonconformities as ncs, processes,
};
use crate::error::AppResult;
use crate::evidence::export::{ExportScope, Sink};
use crate::evidence::index::page;
use crate::i18n::{self, t};
use crate::spreadsheet::{Cell, CsvRows, CsvStyle};
use crate::store::DocStore;

/// The clauses the cases evidence.
pub const CLAUSES: &[&str] = &["10.2.2", "8.7.2", "8.5.3"];

/// The part: the register, the case pages and their files.
pub const PARTS: &[EvidencePart] = &[EvidencePart {
    name: "nonconformities",
    clauses: CLAUSES,
    write: write_cases,
}];

const SECTION: &str = "evidence-section-nonconformities";
const PAGE: i64 = 500;

type Case = (
    String,
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
    Option<String>,
    String,
    String,
);

fn page_of(conn: &mut DbConn, scope: &ExportScope, after: &str) -> AppResult<Vec<Case>> {
    let in_period = ncs::created_at
        .ge(scope.period_start)
        .and(ncs::created_at.lt(scope.period_end));
    let closed_in = ncs::closed_at
        .ge(scope.period_start)
        .and(ncs::closed_at.lt(scope.period_end))
        .assume_not_null();
    let rows: Vec<Case> = ncs::table
        .filter(in_period.or(closed_in))
        .filter(ncs::id.gt(after))
        .order(ncs::id.asc())
        .limit(PAGE)
        .select((
            ncs::id,
            ncs::number,
            ncs::kind,
            ncs::severity,
            ncs::title,
            ncs::status,
            ncs::detected_on,
            ncs::detected_in_id,
            ncs::responsible_id,
            ncs::description,
        ))
        .load(conn)?;
    Ok(rows)
}

/// Whether the processes filter keeps the case (the rows of a page are
/// filtered here, so that a page is still one query).
fn wanted(scope: &ExportScope, c: &Case) -> bool {
    scope.wants_process(c.7.as_deref()) || scope.wants_process(Some(c.8.as_str()))
}

fn joined(items: &[String]) -> String {
    items.join(" | ")
}

/// Root cause, actions and effectiveness of a case, as the register writes them.
fn outcome(conn: &mut DbConn, id: &str) -> AppResult<(String, Vec<String>, Vec<String>)> {
    let cause: Option<String> = nc_analyses::table
        .filter(nc_analyses::nc_id.eq(id))
        .order(nc_analyses::analysed_at.desc())
        .select(nc_analyses::root_cause)
        .first(conn)
        .optional()?;
    let actions: Vec<(String, String)> = corrective_actions::table
        .filter(corrective_actions::nc_id.eq(id))
        .order(corrective_actions::created_at.asc())
        .select((corrective_actions::description, corrective_actions::status))
        .load(conn)?;
    let checks: Vec<(String, String)> = effectiveness_checks::table
        .filter(effectiveness_checks::nc_id.eq(id))
        .order(effectiveness_checks::verified_at.asc())
        .select((effectiveness_checks::result, effectiveness_checks::comment))
        .load(conn)?;
    Ok((
        cause.unwrap_or_default(),
        actions
            .into_iter()
            .map(|(d, s)| format!("{d} ({s})"))
            .collect(),
        checks
            .into_iter()
            .map(|(r, c)| if c.is_empty() { r } else { format!("{r}: {c}") })
            .collect(),
    ))
}

fn write_cases(conn: &mut DbConn, _: &DocStore, sink: &mut Sink<'_>) -> AppResult<()> {
    let scope = sink.scope;
    let (lang, tz) = (scope.lang, scope.tz);
    let codes: std::collections::HashMap<String, String> = processes::table
        .select((processes::id, processes::code))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let code = |id: &str| codes.get(id).cloned().unwrap_or_default();
    let header: Vec<String> = [
        "evidence-nc-number",
        "evidence-nc-kind",
        "evidence-nc-severity",
        "evidence-nc-title",
        "evidence-nc-status",
        "evidence-nc-detected-on",
        "evidence-nc-detected-in",
        "evidence-nc-responsible",
        "evidence-nc-root-cause",
        "evidence-nc-actions",
        "evidence-nc-effectiveness",
    ]
    .iter()
    .map(|k| t(lang, k))
    .collect();
    sink.add_with(
        SECTION,
        "nonconformities/register.csv",
        &t(lang, "evidence-nc-register"),
        CLAUSES,
        &mut |w| {
            let mut csv = CsvRows::new(w, &header, CsvStyle::for_lang(lang))?;
            let mut after = String::new();
            loop {
                let rows = page_of(conn, scope, &after)?;
                let Some(last) = rows.last() else { break };
                after = last.0.clone();
                for c in rows.iter().filter(|c| wanted(scope, c)) {
                    let (cause, actions, checks) = outcome(conn, &c.0)?;
                    csv.row(&[
                        Cell::Text(c.1.clone()),
                        Cell::Text(c.2.clone()),
                        Cell::Text(c.3.clone()),
                        Cell::Text(c.4.clone()),
                        Cell::Text(c.5.clone()),
                        Cell::Text(c.6.date().to_string()),
                        Cell::Text(c.7.as_deref().map(code).unwrap_or_default()),
                        Cell::Text(code(&c.8)),
                        Cell::Text(cause),
                        Cell::Text(joined(&actions)),
                        Cell::Text(joined(&checks)),
                    ])?;
                }
            }
            csv.finish()
        },
    )?;
    // One page per case, with its files, a page of cases at a time.
    let mut after = String::new();
    loop {
        let rows = page_of(conn, scope, &after)?;
        let Some(last) = rows.last() else { break };
        after = last.0.clone();
        for c in rows.iter().filter(|c| wanted(scope, c)) {
            write_case(conn, sink, c, &code, tz)?;
        }
    }
    Ok(())
}

fn write_case(
    conn: &mut DbConn,
    sink: &mut Sink<'_>,
    c: &Case,
    code: &dyn Fn(&str) -> String,
    tz: chrono_tz::Tz,
) -> AppResult<()> {
    let lang = sink.scope.lang;
    let number = &c.1;
    let (cause, actions, checks) = outcome(conn, &c.0)?;
    let files: Vec<(String, String)> = nc_attachments::table
        .filter(nc_attachments::nc_id.eq(&c.0))
        .order(nc_attachments::uploaded_at.asc())
        .select((nc_attachments::id, nc_attachments::filename))
        .load(conn)?;
    let events: Vec<(NaiveDateTime, String, String)> = audit_events::table
        .filter(audit_events::entity_type.eq("nonconformity"))
        .filter(audit_events::entity_id.eq(number))
        .filter(audit_events::occurred_at.lt(sink.scope.period_end))
        .order(audit_events::seq.asc())
        .select((
            audit_events::occurred_at,
            audit_events::actor_name,
            audit_events::summary,
        ))
        .load(conn)?;
    let mut b = String::new();
    let _ = write!(
        b,
        "<p><a href=\"../index.html\">{}</a></p><h1>{} {}</h1><dl>",
        esc(&t(lang, "evidence-back")),
        esc(number),
        esc(&c.4)
    );
    let facts = [
        ("evidence-nc-kind", c.2.clone()),
        ("evidence-nc-severity", c.3.clone()),
        ("evidence-nc-status", c.5.clone()),
        (
            "evidence-nc-detected-on",
            i18n::format_day(lang, c.6.date()),
        ),
        (
            "evidence-nc-detected-in",
            c.7.as_deref().map(code).unwrap_or_default(),
        ),
        ("evidence-nc-responsible", code(&c.8)),
        ("evidence-nc-description", c.9.clone()),
        ("evidence-nc-root-cause", cause),
        ("evidence-nc-actions", joined(&actions)),
        ("evidence-nc-effectiveness", joined(&checks)),
    ];
    for (k, v) in facts {
        let _ = write!(b, "<dt>{}</dt><dd>{}</dd>", esc(&t(lang, k)), esc(&v));
    }
    b.push_str("</dl>");
    let _ = write!(b, "<h2>{}</h2><ul>", esc(&t(lang, "evidence-history")));
    for (at, who, summary) in &events {
        let _ = write!(
            b,
            "<li>{} · {} · {}</li>",
            esc(&i18n::format_datetime(lang, tz, at)),
            esc(who),
            esc(summary)
        );
    }
    b.push_str("</ul>");
    let mut paths = Vec::new();
    for (i, (id, name)) in files.iter().enumerate() {
        let safe: String = name
            .chars()
            .map(|ch| {
                if ch == '/' || ch == '\\' || ch.is_control() {
                    '_'
                } else {
                    ch
                }
            })
            .collect();
        let path = format!("nonconformities/{number}/{}-{safe}", i + 1);
        paths.push((id.clone(), path, name.clone()));
    }
    if !paths.is_empty() {
        let _ = write!(b, "<h2>{}</h2><ul>", esc(&t(lang, "evidence-files")));
        for (_, path, name) in &paths {
            let rel = path.trim_start_matches("nonconformities/");
            let _ = write!(
                b,
                "<li><a href=\"{}\">{}</a></li>",
                crate::evidence::index::href(rel),
                esc(name)
            );
        }
        b.push_str("</ul>");
    }
    sink.add(
        SECTION,
        &format!("nonconformities/{number}.html"),
        &format!("{number} {}", c.4),
        CLAUSES,
        page(lang, number, &b).as_bytes(),
    )?;
    for (id, path, name) in paths {
        let bytes: Vec<u8> = nc_attachments::table
            .find(&id)
            .select(nc_attachments::content)
            .first(conn)?;
        sink.add(
            SECTION,
            &path,
            &format!("{number} – {name}"),
            CLAUSES,
            &bytes,
        )?;
    }
    Ok(())
}
