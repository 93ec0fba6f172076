//! HTML pages of surveys: the list, creating one (a standard set of
//! questions whose labels can be edited; choice questions through the
//! API), a survey's page with its results, invitations (one contact, or a
//! pasted or uploaded CSV) and the links just made, the results as CSV and
//! XLSX, and the public answer page (`public.rs`).

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::contacts::{self, ContactInput};
use super::model::{QuestionInput, SurveyInput, Touchpoint};
use super::public;
use super::results::{self, Results};
use super::service::{self, READERS, SurveyView, WRITERS};
use crate::auth::csrf::CsrfForm;
use crate::auth::model::Role;
use crate::charts::{self, Bar};
use crate::db;
use crate::db::schema::processes;
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Lang};
use crate::pages::{PageCtx, see_other};
use crate::records::form::{ChoiceOption, Label};
use crate::spreadsheet::Cell;
use crate::state::AppState;

/// Adds the survey pages and the public answer page.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/surveys", list_page)
        .get("/surveys/new", new_page)
        .post("/surveys/new", new_submit)
        .get("/surveys/{id}", survey_page)
        .post("/surveys/{id}/invitations", invite_submit)
        .post("/surveys/{id}/invitations/{invitation}/erase", erase_submit)
        .post("/surveys/{id}/followups/{followup}/done", followup_submit)
        .get("/surveys/{id}/results.csv", results_csv)
        .get("/surveys/{id}/results.xlsx", results_xlsx)
        .get("/s/{token}", public::answer_page)
        .post("/s/{token}", public::answer_submit);
}

#[derive(Serialize)]
struct Listed {
    id: String,
    title: String,
    process: String,
    process_name: String,
    touchpoint: String,
    invited: i64,
    answered: i64,
}

fn title_in(l: &Label, lang: Lang) -> String {
    l.get(lang.code()).to_string()
}

async fn list_page(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    let who = page.require_any(READERS)?.clone();
    let all = db::run(&state.pool, service::list).await?;
    let rows: Vec<Listed> = all
        .into_iter()
        .map(|s| Listed {
            title: title_in(&s.title, page.lang),
            touchpoint: page.t(&format!("survey-touchpoint-{}", s.touchpoint.as_str())),
            id: s.id,
            process: s.process,
            process_name: s.process_name,
            invited: s.invited,
            answered: s.answered,
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("surveys", &rows);
    ctx.insert("may_create", &who.user.has_any(WRITERS));
    page.render(&state, "feedback/list.html", ctx)
}

/// The create form as typed.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
struct NewForm {
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    title_fi: String,
    #[serde(default)]
    touchpoint: String,
    #[serde(default)]
    process: String,
    #[serde(default)]
    expiry_days: String,
    /// Which standard questions to ask, by type.
    #[serde(default)]
    ask: Vec<String>,
    #[serde(default, flatten)]
    labels: HashMap<String, String>,
}

/// The standard questions the page offers, in order: type and key.
const STANDARD: &[(&str, &str)] = &[
    ("nps", "nps"),
    ("csat", "csat"),
    ("effort", "effort"),
    ("text", "comment"),
    ("idea", "idea"),
];

fn default_form() -> NewForm {
    let mut labels = HashMap::new();
    for (kind, _) in STANDARD {
        for lang in Lang::ALL {
            labels.insert(
                format!("label_{kind}_{}", lang.code()),
                i18n::t(lang, &format!("survey-default-{kind}")),
            );
        }
    }
    NewForm {
        ask: STANDARD.iter().map(|(k, _)| k.to_string()).collect(),
        touchpoint: "order_delivered".into(),
        labels,
        ..NewForm::default()
    }
}

/// How many choice questions the create page offers.
const CHOICE_ROWS: usize = 3;

/// An option's key from its English text: lower case letters, digits and
/// underscores, at most 40, unique in the question (`o2` when nothing is left).
fn option_key(text: &str, n: usize, taken: &[String]) -> String {
    let mut key = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    let mut key: String = key.trim_end_matches('_').chars().take(36).collect();
    if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        key = format!("o{n}");
    }
    if taken.contains(&key) {
        key = format!("{key}_{n}");
    }
    key
}

/// The options of a choice row, one per line, `English | Finnish` (a line
/// without `|` reads the same in both).
fn choice_options(text: &str) -> Vec<ChoiceOption> {
    let mut out: Vec<ChoiceOption> = Vec::new();
    for (n, line) in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let (en, fi) = line.split_once('|').unwrap_or((line, line));
        let taken: Vec<String> = out.iter().map(|o| o.key.clone()).collect();
        out.push(ChoiceOption {
            key: option_key(en.trim(), n + 1, &taken),
            label: Label {
                en: en.trim().to_string(),
                fi: fi.trim().to_string(),
            },
        });
    }
    out
}

impl NewForm {
    /// The choice questions typed in its rows, those left empty skipped.
    fn choices(&self) -> Vec<QuestionInput> {
        let field = |name: String| self.labels.get(&name).cloned().unwrap_or_default();
        (1..=CHOICE_ROWS)
            .filter_map(|n| {
                let en = field(format!("choice_{n}_en"));
                let fi = field(format!("choice_{n}_fi"));
                let options = field(format!("choice_{n}_options"));
                if en.trim().is_empty() && fi.trim().is_empty() && options.trim().is_empty() {
                    return None;
                }
                Some(QuestionInput {
                    key: format!("choice{n}"),
                    kind: "choice".into(),
                    label: Label { en, fi },
                    required: false,
                    options: choice_options(&options),
                })
            })
            .collect()
    }

    fn input(&self) -> SurveyInput {
        let label = |kind: &str, lang: &str| {
            self.labels
                .get(&format!("label_{kind}_{lang}"))
                .cloned()
                .unwrap_or_default()
        };
        SurveyInput {
            title: Label {
                en: self.title_en.clone(),
                fi: self.title_fi.clone(),
            },
            touchpoint: self.touchpoint.clone(),
            process: self.process.clone(),
            questions: STANDARD
                .iter()
                .filter(|(kind, _)| self.ask.iter().any(|a| a == kind))
                .map(|(kind, key)| QuestionInput {
                    key: key.to_string(),
                    kind: kind.to_string(),
                    label: Label {
                        en: label(kind, "en"),
                        fi: label(kind, "fi"),
                    },
                    required: *kind == "nps",
                    options: Vec::new(),
                })
                .chain(self.choices())
                .collect(),
            expiry_days: self.expiry_days.trim().parse().ok(),
        }
    }
}

async fn new_context(state: &AppState, page: &PageCtx, form: &NewForm) -> AppResult<tera::Context> {
    let who = page.require_any(WRITERS)?.user.clone();
    let choices: Vec<(String, String)> = db::run(&state.pool, move |c| {
        let mut q = processes::table
            .filter(processes::status.eq("active"))
            .order(processes::code.asc())
            .select((processes::code, processes::name))
            .into_boxed();
        if !who.has_role(Role::QualityManager) {
            q = q.filter(processes::owner_id.eq(who.id.0.clone()));
        }
        Ok(q.load(c)?)
    })
    .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("form", form);
    ctx.insert("processes", &choices);
    let touchpoints: Vec<(&str, String)> = Touchpoint::ALL
        .iter()
        .map(|t| {
            (
                t.as_str(),
                page.t(&format!("survey-touchpoint-{}", t.as_str())),
            )
        })
        .collect();
    ctx.insert("touchpoints", &touchpoints);
    let standard: Vec<(&str, String)> = STANDARD
        .iter()
        .map(|(k, _)| (*k, page.t(&format!("survey-question-type-{k}"))))
        .collect();
    ctx.insert("standard", &standard);
    ctx.insert("choice_rows", &(1..=CHOICE_ROWS).collect::<Vec<_>>());
    ctx.insert("default_expiry", &state.config.survey_expiry_days);
    Ok(ctx)
}

async fn new_page(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    let ctx = new_context(&state, &page, &default_form()).await?;
    page.render(&state, "feedback/new.html", ctx)
}

async fn new_submit(
    state: web::Data<AppState>,
    page: PageCtx,
    form: CsrfForm<NewForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(WRITERS)?.clone();
    let form = form.0;
    let input = form.input();
    let days = i32::try_from(state.config.survey_expiry_days).unwrap_or(30);
    let made = db::run(&state.pool, move |c| {
        service::create(c, &who.user, &input, days)
    })
    .await;
    match made {
        Ok(v) => Ok(see_other(&format!(
            "/surveys/{}?notice=survey-created",
            v.id
        ))),
        Err(e) => {
            let mut ctx = new_context(&state, &page, &form).await?;
            let fields: HashMap<String, String> = e
                .fields
                .iter()
                .map(|f| {
                    (
                        f.field.clone(),
                        i18n::try_t(page.lang, &format!("error-{}", f.code))
                            .unwrap_or_else(|| f.message.clone()),
                    )
                })
                .collect();
            ctx.insert("field_errors", &fields);
            page.form_error(&state, "feedback/new.html", ctx, e)
        }
    }
}

/// A figure with its words, as the survey page shows it.
#[derive(Serialize)]
struct Figures {
    answers: i64,
    nps: Option<String>,
    nps_n: i64,
    nps_words: Option<String>,
    promoters: i64,
    passives: i64,
    detractors: i64,
    csat: Option<String>,
    csat_n: i64,
    csat_words: Option<String>,
    response: Option<String>,
    invited: i64,
    answered: i64,
    few: bool,
}

fn figures(r: &Results, lang: Lang) -> Figures {
    let n = |v: f64, d: usize| charts::number(lang, v, d);
    let nps_words = r.nps.interval.map(|i| {
        i18n::t_args(
            lang,
            "survey-nps-interval",
            &[
                ("n", r.nps.n.to_string()),
                ("low", n(i.low, 0)),
                ("high", n(i.high, 0)),
            ],
        )
    });
    let csat_words = r.csat.interval.map(|i| {
        i18n::t_args(
            lang,
            "survey-csat-interval",
            &[
                ("n", r.csat.n.to_string()),
                ("low", n(i.low, 1)),
                ("high", n(i.high, 1)),
            ],
        )
    });
    Figures {
        answers: r.answers,
        nps: r.nps.score.map(|s| n(s, 0)),
        nps_n: r.nps.n,
        nps_words,
        promoters: r.nps.promoters,
        passives: r.nps.passives,
        detractors: r.nps.detractors,
        csat: r.csat.mean.map(|m| n(m, 1)),
        csat_n: r.csat.n,
        csat_words,
        response: r
            .response_rate
            .rate
            .map(|x| format!("{} %", n(x * 100.0, 0))),
        invited: r.response_rate.invited,
        answered: r.response_rate.answered,
        few: r.nps.n > 0 && r.nps.n < 30,
    }
}

#[derive(Serialize)]
struct AnswerRow {
    id: String,
    when: String,
    company: String,
    nps: String,
    csat: String,
    texts: Vec<(String, String)>,
    idea: Option<String>,
    /// Cases opened from it, with their kind and state in the reader's language.
    cases: Vec<(String, String, String)>,
    /// Whether a complaint is offered: a detractor, a low CSAT or the
    /// customer's own words (a promoter's bare scores complain of nothing).
    complaint: bool,
}

#[derive(Serialize)]
struct InvitationRow {
    id: String,
    name: String,
    company: String,
    reference: String,
    language: String,
    created: String,
    expires: String,
    answered: Option<String>,
    erased: bool,
    /// Its e-mail's state in the reader's language, if it was mailed.
    mail: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Period {
    from: Option<String>,
    to: Option<String>,
}

async fn load(
    state: &AppState,
    id: String,
    period: Period,
) -> AppResult<(SurveyView, Results, Vec<service::InvitationView>, bool)> {
    let range = crate::nonconformities::stats::StatsFilter {
        from: period.from,
        to: period.to,
    }
    .parse()?;
    db::run(&state.pool, move |c| {
        let v = service::view(c, &id)?;
        let r = results::results(
            c,
            &id,
            &v.process,
            v.touchpoint.as_str(),
            range.from.map(crate::kit::date::midnight),
            range.to.map(crate::kit::date::midnight),
        )?;
        let inv = service::invitations(c, &id)?;
        Ok((v, r, inv, range.from.is_some() || range.to.is_some()))
    })
    .await
}

async fn survey_page(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
    q: web::Query<Period>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(READERS)?.clone();
    let q = q.into_inner();
    let (from, to) = (
        q.from.clone().unwrap_or_default(),
        q.to.clone().unwrap_or_default(),
    );
    let (v, r, inv, _) = load(&state, id.into_inner(), q).await?;
    let ctx = survey_context(&state, &page, &who.user, v, &r, inv, from, to).await?;
    page.render(&state, "feedback/survey.html", ctx)
}

#[allow(clippy::too_many_arguments)]
async fn survey_context(
    state: &AppState,
    page: &PageCtx,
    user: &crate::auth::model::User,
    v: SurveyView,
    r: &Results,
    inv: Vec<service::InvitationView>,
    from: String,
    to: String,
) -> AppResult<tera::Context> {
    let lang = page.lang;
    let tz = state.tz;
    let sid = v.id.clone();
    let u = user.clone();
    let (may_invite, mut cases) = db::run(&state.pool, move |c| {
        let row = service::row(c, &sid)?;
        Ok((
            service::may_change(c, &u, &row)?,
            super::links::cases_of_survey(c, &sid)?,
        ))
    })
    .await?;
    let may_open_cases = user.has_any(crate::nonconformities::service::HANDLERS);
    let labels: HashMap<String, String> = v
        .questions
        .iter()
        .map(|q| (q.key.clone(), q.label.get(lang.code()).to_string()))
        .collect();
    let text_keys: Vec<String> = v
        .questions
        .iter()
        .filter(|q| {
            q.kind == super::model::QuestionType::Text
                || q.kind == super::model::QuestionType::Choice
        })
        .map(|q| q.key.clone())
        .collect();
    let answers: Vec<AnswerRow> = r
        .list
        .iter()
        .take(200)
        .map(|a| AnswerRow {
            complaint: super::followup::reason(a.nps, a.csat).is_some()
                || text_keys.iter().any(|k| {
                    a.answers
                        .get(k)
                        .and_then(|v| v.as_str())
                        .is_some_and(|v| !v.trim().is_empty())
                }),
            id: a.id.clone(),
            cases: cases
                .remove(&a.id)
                .unwrap_or_default()
                .into_iter()
                .map(|c| {
                    (
                        c.number,
                        page.t(&format!("nc-kind-{}", c.kind)),
                        page.t(&format!("nc-status-{}", c.status)),
                    )
                })
                .collect(),
            when: i18n::format_date(lang, tz, &a.answered_at),
            company: a.company.clone().unwrap_or_default(),
            nps: a.nps.map(|n| n.to_string()).unwrap_or_default(),
            csat: a.csat.map(|n| n.to_string()).unwrap_or_default(),
            texts: text_keys
                .iter()
                .filter_map(|k| {
                    let val = a.answers.get(k)?.as_str()?;
                    let q = v.questions.iter().find(|q| &q.key == k)?;
                    let shown = q
                        .options
                        .iter()
                        .find(|o| o.key == val)
                        .map_or(val.to_string(), |o| o.label.get(lang.code()).to_string());
                    Some((labels.get(k).cloned().unwrap_or_default(), shown))
                })
                .collect(),
            idea: a.idea.clone(),
        })
        .collect();
    let invitations: Vec<InvitationRow> = inv
        .into_iter()
        .map(|i| InvitationRow {
            id: i.id,
            name: i.name.unwrap_or_default(),
            company: i.company.unwrap_or_default(),
            reference: i.reference.unwrap_or_default(),
            language: i18n::t(lang, &format!("lang-{}", i.language)),
            created: i18n::format_date(lang, tz, &i.created_at),
            expires: i18n::format_date(lang, tz, &i.expires_at),
            answered: i.answered_at.map(|t| i18n::format_date(lang, tz, &t)),
            erased: i.erased,
            mail: i
                .mail
                .map(|m| i18n::t(lang, &format!("survey-mail-state-{m}"))),
        })
        .collect();
    let months: Vec<Bar> = r
        .by_month
        .iter()
        .map(|g| Bar::new(g.key.clone(), g.answers as f64))
        .collect();
    let chart_answers = charts::column_chart(lang, &page.t("survey-chart-answers"), &months);
    let csat_months: Vec<Bar> = r
        .by_month
        .iter()
        .filter_map(|g| g.csat.mean.map(|m| Bar::new(g.key.clone(), m)))
        .collect();
    let chart_csat = charts::column_chart(lang, &page.t("survey-chart-csat"), &csat_months);
    let companies: Vec<(String, i64, String, String)> = r
        .by_company
        .iter()
        .map(|g| {
            (
                if g.key.is_empty() {
                    page.t("survey-company-unknown")
                } else {
                    g.key.clone()
                },
                g.answers,
                g.nps
                    .score
                    .map(|s| charts::number(lang, s, 0))
                    .unwrap_or_default(),
                g.csat
                    .mean
                    .map(|m| charts::number(lang, m, 1))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let sid = v.id.clone();
    let today = chrono::TimeZone::from_utc_datetime(&tz, &crate::ids::now()).date_naive();
    let followups = db::run(&state.pool, move |c| {
        super::followup::of_survey(c, &sid, today)
    })
    .await?;
    let names = db::run(&state.pool, crate::people::all_names).await?;
    let followups: Vec<FollowupShown> = followups
        .into_iter()
        .map(|f| FollowupShown {
            may_record: f.done_at.is_none()
                && (user.has_role(Role::QualityManager) || f.owner == user.username),
            reason: i18n::t(lang, &format!("survey-followup-reason-{}", f.reason)),
            owner: names.get(&f.owner).cloned().unwrap_or(f.owner.clone()),
            due: i18n::format_day(lang, f.due),
            done: f.done_at.map(|t| i18n::format_date(lang, tz, &t)),
            done_by: f.done_by.map(|u| names.get(&u).cloned().unwrap_or(u)),
            told: f.customer_told,
            id: f.id,
            overdue: f.overdue,
            action: f.action_taken.unwrap_or_default(),
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("followups", &followups);
    ctx.insert("survey", &v);
    ctx.insert("title", &title_in(&v.title, lang));
    ctx.insert(
        "touchpoint",
        &page.t(&format!("survey-touchpoint-{}", v.touchpoint.as_str())),
    );
    ctx.insert("figures", &figures(r, lang));
    ctx.insert("answers", &answers);
    ctx.insert("may_open_cases", &may_open_cases);
    ctx.insert("mail_configured", &state.config.smtp_url.is_some());
    ctx.insert("invitations", &invitations);
    ctx.insert("companies", &companies);
    ctx.insert("chart_answers", &chart_answers);
    ctx.insert("chart_csat", &chart_csat);
    ctx.insert("may_invite", &may_invite);
    ctx.insert("may_erase", &user.has_role(Role::QualityManager));
    ctx.insert("from", &from);
    ctx.insert("to", &to);
    ctx.insert(
        "questions",
        &v.questions
            .iter()
            .map(|q| {
                (
                    q.key.clone(),
                    page.t(&format!("survey-question-type-{}", q.kind.as_str())),
                    q.label.get(lang.code()).to_string(),
                )
            })
            .collect::<Vec<_>>(),
    );
    Ok(ctx)
}

async fn invite_submit(
    state: web::Data<AppState>,
    page: PageCtx,
    req: HttpRequest,
    id: web::Path<String>,
    form: actix_multipart::Multipart,
) -> AppResult<HttpResponse> {
    let who = page.require_any(WRITERS)?.clone();
    let upload = crate::pages::read_upload(&state, &req, form).await?;
    let default = Lang::parse(&state.config.default_language).unwrap_or_default();
    let csv_text = match &upload.file {
        Some(f) if !f.bytes.is_empty() => Some(String::from_utf8(f.bytes.clone()).map_err(|_| {
            AppError::invalid(
                crate::error::Code::CsvUnreadable,
                "the CSV is not UTF-8 text",
            )
        })),
        _ => {
            let pasted = upload.field("csv");
            (!pasted.trim().is_empty()).then(|| Ok(pasted.to_string()))
        }
    };
    let checked = match csv_text {
        Some(text) => text.and_then(|t| contacts::from_csv(&t, default)),
        None => contacts::check_all(
            &[ContactInput {
                name: upload.field("name").to_string(),
                email: Some(upload.field("email").to_string()),
                company: Some(upload.field("company").to_string()),
                reference: Some(upload.field("reference").to_string()),
                language: Some(upload.field("language").to_string()),
            }],
            default,
        ),
    };
    let send = upload.field("send") == "yes";
    let id = id.into_inner();
    let base = state.config.base_url();
    let made = match checked {
        Ok(list) => {
            let sid = id.clone();
            let user = who.user.clone();
            db::run(&state.pool, move |c| {
                service::invite_and_mail(c, &user, &sid, &list, &base, crate::ids::now(), send)
            })
            .await
        }
        Err(e) => Err(e),
    };
    let (v, r, inv, _) = load(&state, id, Period::default()).await?;
    let mut ctx = survey_context(
        &state,
        &page,
        &who.user,
        v,
        &r,
        inv,
        String::new(),
        String::new(),
    )
    .await?;
    match made {
        Ok(links) => {
            ctx.insert("new_links", &links);
            page.render(&state, "feedback/survey.html", ctx)
        }
        Err(e) => {
            let rows: Vec<String> = e
                .fields
                .iter()
                .map(|f| {
                    format!(
                        "{}: {}",
                        f.field
                            .replace("line ", &format!("{} ", page.t("survey-csv-line"))),
                        i18n::try_t(page.lang, &format!("error-{}", f.code))
                            .unwrap_or_else(|| f.message.clone())
                    )
                })
                .collect();
            ctx.insert("invite_errors", &rows);
            page.form_error(&state, "feedback/survey.html", ctx, e)
        }
    }
}

#[derive(Serialize)]
struct FollowupShown {
    id: String,
    reason: String,
    owner: String,
    due: String,
    overdue: bool,
    done: Option<String>,
    done_by: Option<String>,
    action: String,
    told: Option<bool>,
    may_record: bool,
}

#[derive(Deserialize)]
struct Empty {}

#[derive(Deserialize)]
struct DoneForm {
    #[serde(default)]
    action_taken: String,
    #[serde(default)]
    customer_told: Option<String>,
}

async fn followup_submit(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, String)>,
    form: CsrfForm<DoneForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(WRITERS)?.clone();
    let (id, f) = path.into_inner();
    let done = super::followup::FollowupDone {
        action_taken: form.0.action_taken,
        customer_told: form.0.customer_told.is_some(),
    };
    let sid = id.clone();
    let outcome = db::run(&state.pool, move |c| {
        super::followup::record_done(c, &who.user, &sid, &f, &done, crate::ids::now())
    })
    .await;
    match outcome {
        Ok(_) => Ok(see_other(&format!(
            "/surveys/{id}?notice=survey-followup-done"
        ))),
        Err(e) => {
            let (v, r, inv, _) = load(&state, id, Period::default()).await?;
            let user = page.require_user()?.user.clone();
            let ctx = survey_context(
                &state,
                &page,
                &user,
                v,
                &r,
                inv,
                String::new(),
                String::new(),
            )
            .await?;
            page.form_error(&state, "feedback/survey.html", ctx, e)
        }
    }
}

async fn erase_submit(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, String)>,
    _form: CsrfForm<Empty>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(&[Role::QualityManager])?.clone();
    let (id, inv) = path.into_inner();
    let sid = id.clone();
    db::run(&state.pool, move |c| {
        service::erase_contact(c, &who.user, &sid, &inv)
    })
    .await?;
    Ok(see_other(&format!(
        "/surveys/{id}?notice=survey-contact-erased"
    )))
}

fn results_table(v: &SurveyView, r: &Results, page: &PageCtx) -> (Vec<String>, Vec<Vec<Cell>>) {
    let mut header = vec![
        page.t("survey-col-answered"),
        page.t("survey-col-company"),
        "nps".to_string(),
        "csat".to_string(),
        "effort".to_string(),
    ];
    let keys: Vec<&str> = v
        .questions
        .iter()
        .filter(|q| q.kind.scale().is_none())
        .map(|q| q.key.as_str())
        .collect();
    header.extend(keys.iter().map(|k| k.to_string()));
    let rows = r
        .list
        .iter()
        .map(|a| {
            let mut row = vec![
                Cell::Text(crate::time::format(&a.answered_at)),
                Cell::Text(a.company.clone().unwrap_or_default()),
                a.nps
                    .map_or(Cell::Text(String::new()), |n| Cell::Count(n.into())),
                a.csat
                    .map_or(Cell::Text(String::new()), |n| Cell::Count(n.into())),
                a.effort
                    .map_or(Cell::Text(String::new()), |n| Cell::Count(n.into())),
            ];
            for k in &keys {
                row.push(Cell::Text(
                    a.answers
                        .get(*k)
                        .and_then(|x| x.as_str())
                        .unwrap_or_default()
                        .to_string(),
                ));
            }
            row
        })
        .collect();
    (header, rows)
}

async fn results_csv(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
    q: web::Query<Period>,
) -> AppResult<HttpResponse> {
    page.require_any(READERS)?;
    let (v, r, _, _) = load(&state, id.into_inner(), q.into_inner()).await?;
    let (header, rows) = results_table(&v, &r, &page);
    crate::spreadsheet::csv_download("survey-answers.csv", &header, &rows, page.lang)
}

async fn results_xlsx(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
    q: web::Query<Period>,
) -> AppResult<HttpResponse> {
    page.require_any(READERS)?;
    let (v, r, _, _) = load(&state, id.into_inner(), q.into_inner()).await?;
    let (header, rows) = results_table(&v, &r, &page);
    crate::spreadsheet::xlsx_download(
        "survey-answers.xlsx",
        &page.t("survey-answers"),
        &header,
        &rows,
    )
}
