//! What document control puts into the evidence export: every document as
//! it was in force at the end of `as_of` (its Markdown, the sanitised HTML
//! rendering and its attachments, under `documents/<NUMBER>/`), its
//! revision history up to that revision with each revision's signatures
//! given by then (`history.html`), its read-and-understood
//! acknowledgements (`acknowledgements.csv`), and the whole repository as
//! a git bundle (`documents.bundle`).
//!
//! Clauses: a scope evidences 4.3, a policy 5.2.2, every other kind 4.4.2 a
//! and 8.5.1 a; the history also 8.5.6 (changes, who authorised them); the
//! acknowledgements 7.2 d. With a processes filter only the documents of
//! those processes are written, and no `documents.bundle` (the repository
//! holds every document).

use std::fmt::Write as _;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use tera::escape_html as esc;

use super::model::DocumentKind;
use super::render::markdown_to_safe_html;
use super::service::signatures_by_revision;
use crate::area::EvidencePart;
use crate::db::DbConn;
use crate::db::schema::{acknowledgements, documents, revisions, users};
use crate::error::{AppError, AppResult};
use crate::evidence::export::Sink;
use crate::evidence::index::page;
use crate::i18n::{self, Lang, t};
use crate::spreadsheet::{Cell, CsvRows, CsvStyle};
use crate::store::DocStore;

/// Every clause a document's files can evidence.
pub const CLAUSES: &[&str] = &["4.3", "4.4.2 a", "5.2.2", "8.5.1 a", "8.5.6", "7.2 d"];

/// The parts: the documents as of the date, then the repository.
pub const PARTS: &[EvidencePart] = &[
    EvidencePart {
        name: "documents",
        clauses: CLAUSES,
        write: write_documents,
    },
    EvidencePart {
        name: "repository",
        clauses: &["4.3", "4.4.2 a", "5.2.2", "8.5.1 a", "8.5.6"],
        write: write_repository,
    },
];

/// The clauses a document of `kind` evidences.
pub fn kind_clauses(kind: DocumentKind) -> &'static [&'static str] {
    match kind {
        DocumentKind::Scope => &["4.3"],
        DocumentKind::Policy => &["5.2.2"],
        _ => &["4.4.2 a", "8.5.1 a"],
    }
}

const SECTION: &str = "evidence-section-documents";

fn names(
    conn: &mut DbConn,
    ids: &[String],
) -> AppResult<std::collections::HashMap<String, String>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name, users::username))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, d, u)| (id, if d.is_empty() { u } else { d }))
        .collect())
}

fn when(lang: Lang, tz: chrono_tz::Tz, t: Option<NaiveDateTime>) -> String {
    t.map(|t| i18n::format_datetime(lang, tz, &t))
        .unwrap_or_default()
}

type Row = (String, String, DocumentKind, Option<String>);

fn write_documents(conn: &mut DbConn, store: &DocStore, sink: &mut Sink<'_>) -> AppResult<()> {
    let scope = sink.scope;
    let at = scope.as_of_end;
    let docs: Vec<Row> = documents::table
        .order(documents::number.asc())
        .select((
            documents::id,
            documents::number,
            documents::kind,
            documents::process,
        ))
        .load(conn)?;
    for (id, number, kind, process) in docs {
        if !scope.wants_code(process.as_deref()) {
            continue;
        }
        let clauses = kind_clauses(kind);
        let in_force: Option<(i32, String, Option<String>)> = revisions::table
            .filter(revisions::document_id.eq(&id))
            .filter(revisions::effective_at.le(at))
            .filter(
                revisions::superseded_at
                    .is_null()
                    .or(revisions::superseded_at.gt(at)),
            )
            .order(revisions::rev.desc())
            .select((revisions::rev, revisions::title, revisions::commit_id))
            .first(conn)
            .optional()?;
        let Some((rev, title, Some(commit))) = in_force else {
            continue;
        };
        let lang = scope.lang;
        let label = format!("{number} {title} (r{rev})");
        let dir = format!("documents/{number}");
        if scope.wants(clauses) {
            let (markdown, attachments) = store
                .read_content(&number, &commit)
                .map_err(AppError::internal)?;
            sink.add(
                SECTION,
                &format!("{dir}/{number}.md"),
                &format!("{label} – Markdown"),
                clauses,
                markdown.as_bytes(),
            )?;
            let html = markdown_to_safe_html(&markdown);
            let body = format!(
                "<p><a href=\"../../index.html\">{}</a></p><p>{} · r{rev} · <code>{}</code></p>{html}",
                esc(&t(lang, "evidence-back")),
                esc(&number),
                esc(&commit)
            );
            sink.add(
                SECTION,
                &format!("{dir}/{number}.html"),
                &label,
                clauses,
                page(lang, &format!("{number} {title}"), &body).as_bytes(),
            )?;
            for (name, _) in attachments {
                let bytes = store
                    .read_attachment(&number, &commit, &name)
                    .map_err(AppError::internal)?
                    .unwrap_or_default();
                sink.add(
                    SECTION,
                    &format!("{dir}/attachments/{name}"),
                    &format!("{label} – {name}"),
                    clauses,
                    &bytes,
                )?;
            }
        }
        let mut history_clauses: Vec<&str> = clauses.to_vec();
        history_clauses.push("8.5.6");
        if scope.wants(&history_clauses) {
            let html = history(conn, scope, &id, &number, &title, rev)?;
            sink.add(
                SECTION,
                &format!("{dir}/history.html"),
                &format!("{label} – {}", t(lang, "evidence-history")),
                &history_clauses,
                html.as_bytes(),
            )?;
        }
        if scope.wants(&["7.2 d"]) {
            write_acknowledgements(conn, sink, &id, &dir, &label, rev)?;
        }
    }
    Ok(())
}

/// The history page: every revision up to `rev` with its signatures given
/// by the end of `as_of`.
fn history(
    conn: &mut DbConn,
    scope: &crate::evidence::export::ExportScope,
    id: &str,
    number: &str,
    title: &str,
    rev: i32,
) -> AppResult<String> {
    let (lang, tz, at) = (scope.lang, scope.tz, scope.as_of_end);
    type Rev = (
        i32,
        String,
        String,
        String,
        Option<String>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let revs: Vec<Rev> = revisions::table
        .filter(revisions::document_id.eq(id))
        .filter(revisions::rev.le(rev))
        .order(revisions::rev.asc())
        .select((
            revisions::rev,
            revisions::title,
            revisions::change_reason,
            revisions::author_id,
            revisions::commit_id,
            revisions::approved_at,
            revisions::effective_at,
            revisions::superseded_at,
        ))
        .load(conn)?;
    let authors: Vec<String> = revs.iter().map(|r| r.3.clone()).collect();
    let authors = names(conn, &authors)?;
    let numbers: Vec<i32> = revs.iter().map(|r| r.0).collect();
    let signatures = signatures_by_revision(conn, number, &numbers)?;
    let mut b = String::new();
    let _ = write!(
        b,
        "<p><a href=\"../../index.html\">{}</a></p><h1>{} {} – {}</h1>",
        esc(&t(lang, "evidence-back")),
        esc(number),
        esc(title),
        esc(&t(lang, "evidence-history"))
    );
    for (r, rtitle, reason, author, commit, approved, effective, superseded) in &revs {
        // What happened after `as_of` is not part of this history.
        let superseded = superseded.filter(|s| *s <= at);
        let _ = write!(
            b,
            "<h2>r{r} {}</h2><dl><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>\
<dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd><code>{}</code></dd></dl>",
            esc(rtitle),
            esc(&t(lang, "evidence-change-reason")),
            esc(reason),
            esc(&t(lang, "evidence-author")),
            esc(authors.get(author).map_or(author.as_str(), String::as_str)),
            esc(&t(lang, "evidence-approved-at")),
            esc(&when(lang, tz, *approved)),
            esc(&t(lang, "evidence-effective-at")),
            esc(&when(lang, tz, *effective)),
            esc(&t(lang, "evidence-superseded-at")),
            esc(&when(lang, tz, superseded)),
            esc(&t(lang, "evidence-commit")),
            esc(commit.as_deref().unwrap_or("")),
        );
        let given: Vec<_> = signatures
            .get(r)
            .map(|s| s.iter().filter(|s| s.signed_at <= at).collect())
            .unwrap_or_default();
        if given.is_empty() {
            let _ = write!(
                b,
                "<p class=\"none\">{}</p>",
                esc(&t(lang, "evidence-no-signatures"))
            );
            continue;
        }
        let _ = write!(
            b,
            "<div class=\"scroll\"><table class=\"signatures\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            esc(&t(lang, "evidence-signer")),
            esc(&t(lang, "evidence-meaning")),
            esc(&t(lang, "evidence-purpose")),
            esc(&t(lang, "evidence-signed-at")),
            esc(&t(lang, "evidence-commit")),
            esc(&t(lang, "evidence-comment")),
        );
        for s in given {
            let voided = if s.voided {
                format!(" ({})", t(lang, "evidence-voided"))
            } else {
                String::new()
            };
            let _ = write!(
                b,
                "<tr><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                esc(&s.name),
                esc(&t(lang, &format!("meaning-{}", s.meaning.as_str()))),
                esc(&voided),
                esc(&t(lang, &format!("purpose-{}", s.purpose.as_str()))),
                esc(&i18n::format_datetime(lang, tz, &s.signed_at)),
                esc(&s.commit_id),
                esc(&s.comment),
            );
        }
        b.push_str("</tbody></table></div>");
    }
    Ok(page(lang, &format!("{number} {title}"), &b))
}

fn write_acknowledgements(
    conn: &mut DbConn,
    sink: &mut Sink<'_>,
    id: &str,
    dir: &str,
    label: &str,
    rev: i32,
) -> AppResult<()> {
    let scope = sink.scope;
    let (lang, tz) = (scope.lang, scope.tz);
    type Ack = (i32, String, String, String, String, NaiveDateTime);
    let rows: Vec<Ack> = acknowledgements::table
        .filter(acknowledgements::document_id.eq(id))
        .filter(acknowledgements::rev.le(rev))
        .filter(acknowledgements::acknowledged_at.lt(scope.as_of_end))
        .order((
            acknowledgements::rev.asc(),
            acknowledgements::acknowledged_at.asc(),
        ))
        .select((
            acknowledgements::rev,
            acknowledgements::user_id,
            acknowledgements::user_name,
            acknowledgements::meaning,
            acknowledgements::commit_id,
            acknowledgements::acknowledged_at,
        ))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = rows.iter().map(|r| r.1.clone()).collect();
    let people = names(conn, &ids)?;
    let header: Vec<String> = [
        "evidence-revision",
        "evidence-person",
        "evidence-meaning",
        "evidence-acknowledged-at",
        "evidence-commit",
    ]
    .iter()
    .map(|k| t(lang, k))
    .collect();
    sink.add_with(
        SECTION,
        &format!("{dir}/acknowledgements.csv"),
        &format!("{label} – {}", t(lang, "evidence-acknowledgements")),
        &["7.2 d"],
        &mut |w| {
            let mut csv = CsvRows::new(w, &header, CsvStyle::for_lang(lang))?;
            for (r, user, name, meaning, commit, at) in &rows {
                csv.row(&[
                    Cell::Count(i64::from(*r)),
                    Cell::Text(people.get(user).cloned().unwrap_or_else(|| name.clone())),
                    Cell::Text(meaning.clone()),
                    Cell::Text(i18n::format_datetime(lang, tz, at)),
                    Cell::Text(commit.clone()),
                ])?;
            }
            csv.finish()
        },
    )?;
    Ok(())
}

fn write_repository(_: &mut DbConn, store: &DocStore, sink: &mut Sink<'_>) -> AppResult<()> {
    if sink.scope.by_process() {
        return Ok(());
    }
    let title = t(sink.scope.lang, "evidence-file-git-bundle");
    sink.add_with(
        SECTION,
        "documents.bundle",
        &title,
        &["4.3", "4.4.2 a", "5.2.2", "8.5.1 a", "8.5.6"],
        &mut |w| {
            store.write_bundle(w).map_err(AppError::internal)?;
            Ok(())
        },
    )?;
    Ok(())
}
