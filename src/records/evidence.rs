//! What records put into the evidence export: per form template, the
//! records submitted in the period as a register (`records/<TEMPLATE>/
//! records.csv`, one row per record with its version in force and its
//! answers) and a page per record with every version and signature
//! (`records/<TEMPLATE>/<RECORD>.html`), filed under the clauses the
//! template names (read from its form at the commit the export finds in
//! force, else the latest its records were filled on); a template naming
//! none files its records under 4.4.2 b and 8.1 e, as ISO9001.md does.
//! With a processes filter, only the records filled for those processes.
//! Rows are read a page at a time, never all at once.

use std::fmt::Write as _;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use tera::escape_html as esc;

use super::service::form_at;
use crate::area::EvidencePart;
use crate::db::DbConn;
use crate::db::schema::{documents, processes, record_signatures, record_versions, records};
use crate::error::AppResult;
use crate::evidence::export::Sink;
use crate::evidence::index::page;
use crate::i18n::{self, t};
use crate::spreadsheet::{Cell, CsvRows, CsvStyle};
use crate::store::DocStore;

/// The part: records, clause by clause as their templates say.
pub const PARTS: &[EvidencePart] = &[EvidencePart {
    name: "records",
    clauses: &[],
    write: write_records,
}];

/// Where a template that names no clause files its records.
pub const DEFAULT_CLAUSES: &[&str] = &["4.4.2 b", "8.1 e"];

const SECTION: &str = "evidence-section-records";
const PAGE: i64 = 500;

type RecordRow = (
    String,
    String,
    i32,
    Option<String>,
    String,
    NaiveDateTime,
    i32,
    bool,
    bool,
);

fn write_records(conn: &mut DbConn, store: &DocStore, sink: &mut Sink<'_>) -> AppResult<()> {
    let scope = sink.scope;
    let (lang, tz) = (scope.lang, scope.tz);
    let templates: Vec<(String, String, String, Option<String>)> = documents::table
        .filter(documents::kind.eq("form"))
        .order(documents::number.asc())
        .select((
            documents::id,
            documents::number,
            documents::title,
            documents::effective_commit,
        ))
        .load(conn)?;
    let codes: std::collections::HashMap<String, String> = processes::table
        .select((processes::id, processes::code))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    for (template_id, number, title, effective) in templates {
        let in_period = records::table
            .filter(records::template_id.eq(&template_id))
            .filter(records::created_at.ge(scope.period_start))
            .filter(records::created_at.lt(scope.period_end));
        let latest_commit: Option<String> = in_period
            .inner_join(
                record_versions::table.on(record_versions::id.eq(records::current_version_id)),
            )
            .order(records::seq.desc())
            .select(record_versions::template_commit)
            .first(conn)
            .optional()?;
        let Some(commit) = effective.or(latest_commit.clone()) else {
            continue;
        };
        if latest_commit.is_none() {
            continue;
        }
        let form = form_at(store, &number, &commit)?;
        let named: Vec<String> = form.map(|f| f.clauses.clone()).unwrap_or_default();
        let clauses: Vec<&str> = if named.is_empty() {
            DEFAULT_CLAUSES.to_vec()
        } else {
            named.iter().map(String::as_str).collect()
        };
        if !scope.wants(&clauses) {
            continue;
        }
        let header: Vec<String> = [
            "evidence-record",
            "evidence-submitted-at",
            "evidence-submitted-by",
            "evidence-process",
            "evidence-version",
            "evidence-signed",
            "evidence-deviation",
            "evidence-answers",
        ]
        .iter()
        .map(|k| t(lang, k))
        .collect();
        let dir = format!("records/{number}");
        sink.add_with(
            SECTION,
            &format!("{dir}/records.csv"),
            &format!("{number} {title} – {}", t(lang, "evidence-register")),
            &clauses,
            &mut |w| {
                let mut csv = CsvRows::new(w, &header, CsvStyle::for_lang(lang))?;
                let mut after = 0;
                loop {
                    let rows: Vec<(RecordRow, String)> = records::table
                        .inner_join(
                            record_versions::table
                                .on(record_versions::id.eq(records::current_version_id)),
                        )
                        .filter(records::template_id.eq(&template_id))
                        .filter(records::created_at.ge(scope.period_start))
                        .filter(records::created_at.lt(scope.period_end))
                        .filter(records::seq.gt(after))
                        .order(records::seq.asc())
                        .limit(PAGE)
                        .select((
                            (
                                records::id,
                                records::number,
                                records::seq,
                                records::process_id,
                                records::created_by_name,
                                records::created_at,
                                records::version,
                                records::signed,
                                records::has_deviation,
                            ),
                            record_versions::answers,
                        ))
                        .load(conn)?;
                    let Some(last) = rows.last() else { break };
                    after = last.0.2;
                    for ((_, rnumber, _, process, by, at, version, signed, deviation), answers) in
                        &rows
                    {
                        if !scope.wants_process(process.as_deref()) {
                            continue;
                        }
                        csv.row(&[
                            Cell::Text(rnumber.clone()),
                            Cell::Text(i18n::format_datetime(lang, tz, at)),
                            Cell::Text(by.clone()),
                            Cell::Text(
                                process
                                    .as_ref()
                                    .and_then(|p| codes.get(p))
                                    .cloned()
                                    .unwrap_or_default(),
                            ),
                            Cell::Count(i64::from(*version)),
                            Cell::Text(t(
                                lang,
                                if *signed {
                                    "evidence-yes"
                                } else {
                                    "evidence-no"
                                },
                            )),
                            Cell::Text(t(
                                lang,
                                if *deviation {
                                    "evidence-yes"
                                } else {
                                    "evidence-no"
                                },
                            )),
                            Cell::Text(answers.clone()),
                        ])?;
                    }
                }
                csv.finish()
            },
        )?;
        // A second pass, a page at a time: one page per record.
        let mut after = 0;
        loop {
            let rows: Vec<(String, i32, Option<String>)> = records::table
                .filter(records::template_id.eq(&template_id))
                .filter(records::created_at.ge(scope.period_start))
                .filter(records::created_at.lt(scope.period_end))
                .filter(records::seq.gt(after))
                .order(records::seq.asc())
                .limit(PAGE)
                .select((records::id, records::seq, records::process_id))
                .load(conn)?;
            let Some(last) = rows.last() else { break };
            after = last.1;
            for (id, _, process) in &rows {
                if scope.wants_process(process.as_deref()) {
                    write_record_page(conn, sink, &dir, id, &clauses)?;
                }
            }
        }
    }
    Ok(())
}

fn write_record_page(
    conn: &mut DbConn,
    sink: &mut Sink<'_>,
    dir: &str,
    id: &str,
    clauses: &[&str],
) -> AppResult<()> {
    let scope = sink.scope;
    let (lang, tz) = (scope.lang, scope.tz);
    let number: String = records::table
        .find(id)
        .select(records::number)
        .first(conn)?;
    type Version = (i32, String, String, String, NaiveDateTime, String);
    let versions: Vec<Version> = record_versions::table
        .filter(record_versions::record_id.eq(id))
        .order(record_versions::version.asc())
        .select((
            record_versions::version,
            record_versions::answers,
            record_versions::reason,
            record_versions::author_name,
            record_versions::created_at,
            record_versions::template_commit,
        ))
        .load(conn)?;
    let signatures: Vec<(i32, String, String, NaiveDateTime)> = record_signatures::table
        .filter(record_signatures::record_id.eq(id))
        .order(record_signatures::signed_at.asc())
        .select((
            record_signatures::version,
            record_signatures::meaning,
            record_signatures::signer_name,
            record_signatures::signed_at,
        ))
        .load(conn)?;
    let mut b = String::new();
    let _ = write!(
        b,
        "<p><a href=\"../../index.html\">{}</a></p><h1>{}</h1>",
        esc(&t(lang, "evidence-back")),
        esc(&number)
    );
    for (v, answers, reason, author, at, commit) in &versions {
        let _ = write!(
            b,
            "<h2>{} {v}</h2><dl><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd><code>{}</code></dd></dl><pre>{}</pre>",
            esc(&t(lang, "evidence-version")),
            esc(&t(lang, "evidence-submitted-by")),
            esc(author),
            esc(&t(lang, "evidence-submitted-at")),
            esc(&i18n::format_datetime(lang, tz, at)),
            esc(&t(lang, "evidence-change-reason")),
            esc(reason),
            esc(&t(lang, "evidence-commit")),
            esc(commit),
            esc(&pretty(answers)),
        );
        let signed: Vec<_> = signatures.iter().filter(|s| s.0 == *v).collect();
        if signed.is_empty() {
            let _ = write!(
                b,
                "<p class=\"none\">{}</p>",
                esc(&t(lang, "evidence-no-signatures"))
            );
        }
        for (_, meaning, by, at) in signed {
            let _ = write!(
                b,
                "<p>{}: {} · {}</p>",
                esc(&t(lang, &format!("records-meaning-{meaning}"))),
                esc(by),
                esc(&i18n::format_datetime(lang, tz, at)),
            );
        }
    }
    sink.add(
        SECTION,
        &format!("{dir}/{number}.html"),
        &number,
        clauses,
        page(lang, &number, &b).as_bytes(),
    )?;
    Ok(())
}

fn pretty(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| json.to_string())
}
