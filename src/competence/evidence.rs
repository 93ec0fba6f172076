//! What competence puts into the evidence export (7.2 d): the matrix as of
//! `as_of` in long form, one row per person and competence they held
//! then (`competence/matrix.csv`: certifications issued by then, not
//! corrected by then, with whether each was valid on the date), and the
//! trainings planned or closed in the period with their effectiveness
//! (`competence/trainings.csv`). Acknowledgements are written with their
//! documents. With a processes filter, only the members of those
//! processes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::area::EvidencePart;
use crate::db::DbConn;
use crate::db::schema::{certifications, competences, process_members, trainings, users};
use crate::error::AppResult;
use crate::evidence::export::Sink;
use crate::i18n::{self, t};
use crate::spreadsheet::{Cell, CsvRows, CsvStyle};
use crate::store::DocStore;

/// The part: the matrix and the trainings.
pub const PARTS: &[EvidencePart] = &[EvidencePart {
    name: "competence",
    clauses: &["7.2 d"],
    write: write_competence,
}];

const SECTION: &str = "evidence-section-competence";

fn member(conn: &mut DbConn, sink: &Sink<'_>, user: &str) -> AppResult<bool> {
    let scope = sink.scope;
    if !scope.by_process() {
        return Ok(true);
    }
    let ids: Vec<&str> = scope.processes.iter().map(|p| p.id.as_str()).collect();
    let n: i64 = process_members::table
        .filter(process_members::user_id.eq(user))
        .filter(process_members::process_id.eq_any(ids))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

fn write_competence(conn: &mut DbConn, _: &DocStore, sink: &mut Sink<'_>) -> AppResult<()> {
    let scope = sink.scope;
    let (lang, tz) = (scope.lang, scope.tz);
    let day = crate::kit::date::midnight(scope.as_of);
    type Cert = (
        String,
        String,
        String,
        String,
        Option<i32>,
        NaiveDateTime,
        Option<NaiveDateTime>,
        String,
        Option<NaiveDateTime>,
    );
    let certs: Vec<Cert> = certifications::table
        .inner_join(users::table.on(users::id.eq(certifications::user_id)))
        .inner_join(competences::table.on(competences::id.eq(certifications::competence_id)))
        .filter(certifications::recorded_at.lt(scope.as_of_end))
        .filter(certifications::issued_on.le(day))
        .filter(certifications::corrected.eq(false))
        .order((users::username.asc(), competences::code.asc()))
        .select((
            users::id,
            users::display_name,
            competences::code,
            competences::name_en,
            certifications::level,
            certifications::issued_on,
            certifications::expires_on,
            certifications::issuer,
            certifications::verified_at,
        ))
        .load(conn)?;
    let mut kept = Vec::new();
    for c in certs {
        if member(conn, sink, &c.0)? {
            kept.push(c);
        }
    }
    let header: Vec<String> = [
        "evidence-person",
        "evidence-competence",
        "evidence-level",
        "evidence-issued-on",
        "evidence-expires-on",
        "evidence-issuer",
        "evidence-valid-on-date",
        "evidence-verified-at",
    ]
    .iter()
    .map(|k| t(lang, k))
    .collect();
    sink.add_with(
        SECTION,
        "competence/matrix.csv",
        &t(lang, "evidence-file-matrix"),
        &["7.2 d"],
        &mut |w| {
            let mut csv = CsvRows::new(w, &header, CsvStyle::for_lang(lang))?;
            for (_, name, code, cname, level, issued, expires, issuer, verified) in &kept {
                let valid = expires.is_none_or(|e| e >= day);
                csv.row(&[
                    Cell::Text(name.clone()),
                    Cell::Text(format!("{code} {cname}")),
                    Cell::Text(level.map(|l| l.to_string()).unwrap_or_default()),
                    Cell::Text(issued.date().to_string()),
                    Cell::Text(expires.map(|e| e.date().to_string()).unwrap_or_default()),
                    Cell::Text(issuer.clone()),
                    Cell::Text(t(lang, if valid { "evidence-yes" } else { "evidence-no" })),
                    Cell::Text(
                        verified
                            .map(|v| i18n::format_datetime(lang, tz, &v))
                            .unwrap_or_default(),
                    ),
                ])?;
            }
            csv.finish()
        },
    )?;
    type Training = (
        String,
        String,
        String,
        NaiveDateTime,
        String,
        Option<NaiveDateTime>,
        Option<bool>,
        String,
    );
    let planned = trainings::planned_at
        .ge(scope.period_start)
        .and(trainings::planned_at.lt(scope.period_end));
    let closed = trainings::closed_at
        .ge(scope.period_start)
        .and(trainings::closed_at.lt(scope.period_end))
        .assume_not_null();
    let rows: Vec<Training> = trainings::table
        .inner_join(users::table.on(users::id.eq(trainings::user_id)))
        .inner_join(competences::table.on(competences::id.eq(trainings::competence_id)))
        .filter(planned.or(closed))
        .order(trainings::planned_at.asc())
        .select((
            users::id,
            users::display_name,
            competences::code,
            trainings::due_on,
            trainings::status,
            trainings::closed_at,
            trainings::effective,
            trainings::evaluation,
        ))
        .load(conn)?;
    let mut kept = Vec::new();
    for r in rows {
        if member(conn, sink, &r.0)? {
            kept.push(r);
        }
    }
    let header: Vec<String> = [
        "evidence-person",
        "evidence-competence",
        "evidence-due-on",
        "evidence-training-status",
        "evidence-closed-at",
        "evidence-effective",
        "evidence-evaluation",
    ]
    .iter()
    .map(|k| t(lang, k))
    .collect();
    sink.add_with(
        SECTION,
        "competence/trainings.csv",
        &t(lang, "evidence-file-trainings"),
        &["7.2 d"],
        &mut |w| {
            let mut csv = CsvRows::new(w, &header, CsvStyle::for_lang(lang))?;
            for (_, name, code, due, status, closed, effective, evaluation) in &kept {
                csv.row(&[
                    Cell::Text(name.clone()),
                    Cell::Text(code.clone()),
                    Cell::Text(due.date().to_string()),
                    Cell::Text(status.clone()),
                    Cell::Text(
                        closed
                            .map(|c| i18n::format_datetime(lang, tz, &c))
                            .unwrap_or_default(),
                    ),
                    Cell::Text(match effective {
                        Some(true) => t(lang, "evidence-yes"),
                        Some(false) => t(lang, "evidence-no"),
                        None => String::new(),
                    }),
                    Cell::Text(evaluation.clone()),
                ])?;
            }
            csv.finish()
        },
    )?;
    Ok(())
}
