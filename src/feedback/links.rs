//! Closing the loop from an answer: a quality manager or a process owner
//! opens a customer complaint, or takes a customer's idea forward as an
//! improvement, from an answer on the survey's page. The case is reported
//! in the nonconformity register like any other (`survey_answer` on the
//! report), and the two are linked both ways: the survey's page lists the
//! cases opened from each answer, and the case names the answer it came
//! from. Links are only ever added, in the report's transaction.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{QuestionType, SurveyDef};
use super::service::READERS;
use crate::auth::model::User;
use crate::db::DbConn;
use crate::db::schema::{
    nonconformities, processes, survey_answer_nonconformities as links, survey_answers,
    survey_invitations, surveys,
};
use crate::error::{AppError, AppResult, Code};
use crate::i18n::{self, Lang};

fn not_found() -> AppError {
    AppError::not_found(Code::SurveyAnswerNotFound, "no such survey answer")
}

/// Checks that `by` may open a case from answer `answer_id` (who reads a
/// survey's answers: quality managers and process owners; auditors read
/// but report nothing) and that it exists.
///
/// # Errors
/// `forbidden`; `survey_answer_not_found`.
pub fn check_answer(conn: &mut DbConn, by: &User, answer_id: &str) -> AppResult<String> {
    by.require_any(READERS)?;
    survey_answers::table
        .find(answer_id)
        .select(survey_answers::id)
        .first(conn)
        .optional()?
        .ok_or_else(not_found)
}

/// Links case `nc_id` to the answer it was opened from, in the report's
/// transaction.
///
/// # Errors
/// A database fault.
pub fn link(
    conn: &mut DbConn,
    by: &User,
    answer_id: &str,
    nc_id: &str,
    at: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(links::table)
        .values((
            links::answer_id.eq(answer_id),
            links::nc_id.eq(nc_id),
            links::linked_by.eq(by.id.as_str()),
            links::linked_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The survey answer a case was opened from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnswerLink {
    /// The survey's id.
    pub survey: String,
    /// The survey's title in English.
    pub title_en: String,
    /// The survey's title in Finnish.
    pub title_fi: String,
    /// The answer's id.
    pub answer: String,
    /// When it was answered (UTC).
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub answered_at: NaiveDateTime,
}

/// The answers case `nc_id` was opened from.
///
/// # Errors
/// A database fault.
pub fn answers_of_case(conn: &mut DbConn, nc_id: &str) -> AppResult<Vec<AnswerLink>> {
    let rows: Vec<(String, String, String, String, NaiveDateTime)> = links::table
        .inner_join(survey_answers::table)
        .inner_join(surveys::table.on(surveys::id.eq(survey_answers::survey_id)))
        .filter(links::nc_id.eq(nc_id))
        .order(survey_answers::answered_at.asc())
        .select((
            surveys::id,
            surveys::title_en,
            surveys::title_fi,
            survey_answers::id,
            survey_answers::answered_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(survey, title_en, title_fi, answer, answered_at)| AnswerLink {
                survey,
                title_en,
                title_fi,
                answer,
                answered_at,
            },
        )
        .collect())
}

/// A case opened from an answer, as the survey's page lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseLink {
    /// The case's number, `NC-2026-014`.
    pub number: String,
    /// `customer_complaint`, `improvement` or another kind.
    pub kind: String,
    /// Where it stands.
    pub status: String,
}

/// The cases opened from the answers of survey `survey_id`, by answer.
///
/// # Errors
/// A database fault.
pub fn cases_of_survey(
    conn: &mut DbConn,
    survey_id: &str,
) -> AppResult<HashMap<String, Vec<CaseLink>>> {
    let rows: Vec<(String, String, String, String)> = links::table
        .inner_join(survey_answers::table)
        .inner_join(nonconformities::table)
        .filter(survey_answers::survey_id.eq(survey_id))
        .order(nonconformities::number.asc())
        .select((
            links::answer_id,
            nonconformities::number,
            nonconformities::kind,
            nonconformities::status,
        ))
        .load(conn)?;
    let mut out: HashMap<String, Vec<CaseLink>> = HashMap::new();
    for (answer, number, kind, status) in rows {
        out.entry(answer).or_default().push(CaseLink {
            number,
            kind,
            status,
        });
    }
    Ok(out)
}

/// What the report form is prefilled with for a case from an answer.
#[derive(Debug, Clone, Default)]
pub struct CaseDraft {
    /// `customer_complaint`, or `improvement` for an idea.
    pub kind: String,
    /// The title.
    pub title: String,
    /// The customer's words.
    pub description: String,
    /// The code of the survey's process, responsible for it and where it was found.
    pub process: String,
    /// The answer's id.
    pub answer: String,
    /// The day the customer answered: when it was found.
    pub answered_on: chrono::NaiveDate,
}

/// The draft of a case from answer `answer_id`, in `lang`: an improvement
/// from its idea when `improvement` is asked and there is one, otherwise a
/// customer complaint with the scores and the customer's words. The
/// company is named when it is known and not erased; the person never is.
///
/// # Errors
/// `forbidden`; `survey_answer_not_found`.
pub fn draft(
    conn: &mut DbConn,
    by: &User,
    answer_id: &str,
    improvement: bool,
    lang: Lang,
) -> AppResult<CaseDraft> {
    check_answer(conn, by, answer_id)?;
    type Row = (
        NaiveDateTime,
        Option<i32>,
        Option<i32>,
        String,
        Option<String>,
        String,
        String,
        String,
        String,
        Option<String>,
    );
    let (answered_at, nps, csat, answers, idea, questions, title_en, title_fi, process, company): Row =
        survey_answers::table
            .inner_join(survey_invitations::table)
            .inner_join(surveys::table.on(surveys::id.eq(survey_answers::survey_id)))
            .inner_join(processes::table.on(processes::id.eq(surveys::process_id)))
            .filter(survey_answers::id.eq(answer_id))
            .select((
                survey_answers::answered_at,
                survey_answers::nps,
                survey_answers::csat,
                survey_answers::answers,
                survey_answers::idea,
                surveys::questions,
                surveys::title_en,
                surveys::title_fi,
                processes::code,
                survey_invitations::company,
            ))
            .first(conn)?;
    let survey = if lang == Lang::Fi { title_fi } else { title_en };
    let company = company.filter(|c| !c.trim().is_empty());
    let t = |key: &str, args: &[(&'static str, String)]| i18n::t_args(lang, key, args);
    let from = company.unwrap_or_else(|| i18n::t(lang, "answer-case-a-customer"));
    if improvement && let Some(idea) = idea.filter(|i| !i.trim().is_empty()) {
        let short: String = idea.chars().take(120).collect();
        let short = short.lines().next().unwrap_or_default().to_string();
        return Ok(CaseDraft {
            kind: "improvement".into(),
            title: t("answer-case-idea-title", &[("idea", short)]),
            description: format!(
                "{}\n\n{idea}",
                t(
                    "answer-case-idea-from",
                    &[("from", from), ("survey", survey)]
                )
            ),
            process,
            answer: answer_id.to_string(),
            answered_on: answered_at.date(),
        });
    }
    let mut scores = Vec::new();
    if let Some(n) = nps {
        scores.push(format!("NPS {n}"));
    }
    if let Some(c) = csat {
        scores.push(format!("CSAT {c}"));
    }
    let mut description = vec![t(
        "answer-case-complaint-from",
        &[
            ("from", from.clone()),
            ("survey", survey),
            ("scores", scores.join(", ")),
        ],
    )];
    let def = SurveyDef::from_stored(&questions)?;
    let given: serde_json::Value = serde_json::from_str(&answers).unwrap_or_default();
    for q in def
        .questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionType::Text | QuestionType::Choice))
    {
        let Some(val) = given.get(&q.key).and_then(|v| v.as_str()) else {
            continue;
        };
        let shown = q
            .options
            .iter()
            .find(|o| o.key == val)
            .map_or(val.to_string(), |o| o.label.get(lang.code()).to_string());
        description.push(format!("{}: {shown}", q.label.get(lang.code())));
    }
    Ok(CaseDraft {
        kind: "customer_complaint".into(),
        title: t(
            "answer-case-complaint-title",
            &[("from", from), ("scores", scores.join(", "))],
        ),
        description: description.join("\n\n"),
        process,
        answer: answer_id.to_string(),
        answered_on: answered_at.date(),
    })
}
