//! The public answer page `GET|POST /s/{token}`: no login, in the
//! invitation's language, a plain HTML form (inputs named by the question
//! keys) that works without JavaScript and on a phone. It is answered once
//! and expires; an unknown, expired or answered link gives the same page
//! with the same status, so a link tells nothing but whether it works. The
//! page shows only the survey's questions, never another answer.
//!
//! Its CSRF token cannot be bound to a session (there is none): it is
//! `HMAC-SHA256(secret key, "survey" ‖ SHA-256 of the link's token)`, so a
//! form is good only for its own link, and cross-site posts are refused
//! before by the origin guard. Requests are rate-limited per client
//! address (`survey_requests_per_minute`), bodies by `max_form_bytes`,
//! texts by the questions' limits.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::model::{QuestionType, SurveyDef};
use super::service::{self, Answered};
use crate::db;
use crate::error::{AppError, AppResult, Code, ErrorKind};
use crate::i18n::{self, Lang};
use crate::state::AppState;

/// The form token of the link whose token hashes to `token_hash`.
pub fn form_token(secret: &[u8], token_hash: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"survey\n");
    mac.update(token_hash.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// One question as the answer page draws it.
#[derive(Debug, Serialize)]
struct QuestionShown {
    key: String,
    kind: &'static str,
    label: String,
    required: bool,
    /// The scale's points, or the choice's (key, label) pairs.
    options: Vec<(String, String)>,
    /// What the scale's ends mean.
    low: String,
    high: String,
    value: String,
    error: Option<String>,
}

fn shown(
    def: &SurveyDef,
    lang: Lang,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> Vec<QuestionShown> {
    let l = lang.code();
    def.questions
        .iter()
        .map(|q| {
            let options = match q.kind.scale() {
                Some((lo, hi)) => (lo..=hi).map(|n| (n.to_string(), n.to_string())).collect(),
                None => q
                    .options
                    .iter()
                    .map(|o| (o.key.clone(), o.label.get(l).to_string()))
                    .collect(),
            };
            let ends = |end: &str| match q.kind {
                QuestionType::Nps | QuestionType::Csat | QuestionType::Effort => {
                    i18n::t(lang, &format!("survey-scale-{}-{end}", q.kind.as_str()))
                }
                _ => String::new(),
            };
            QuestionShown {
                key: q.key.clone(),
                kind: q.kind.as_str(),
                label: q.label.get(l).to_string(),
                required: q.required,
                options,
                low: ends("low"),
                high: ends("high"),
                value: values.get(&q.key).cloned().unwrap_or_default(),
                error: errors.get(&q.key).cloned(),
            }
        })
        .collect()
}

/// Which page the link gives.
enum View<'a> {
    Form {
        title: String,
        questions: Vec<QuestionShown>,
        csrf: String,
        action: &'a str,
        error: bool,
    },
    Thanks,
    Unavailable,
    Throttled,
}

fn draw(state: &AppState, lang: Lang, view: View<'_>) -> AppResult<HttpResponse> {
    let mut ctx = tera::Context::new();
    ctx.insert("lang", &lang);
    let status = match view {
        View::Form {
            title,
            questions,
            csrf,
            action,
            error,
        } => {
            ctx.insert("state", "form");
            ctx.insert("title", &title);
            ctx.insert("questions", &questions);
            ctx.insert("csrf_token", &csrf);
            ctx.insert("action", action);
            ctx.insert("has_error", &error);
            if error {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            }
        }
        View::Thanks => {
            ctx.insert("state", "thanks");
            StatusCode::OK
        }
        View::Unavailable => {
            ctx.insert("state", "unavailable");
            StatusCode::NOT_FOUND
        }
        View::Throttled => {
            ctx.insert("state", "throttled");
            StatusCode::TOO_MANY_REQUESTS
        }
    };
    let html = state
        .templates
        .render("feedback/answer.html", &ctx)
        .map_err(|e| AppError::internal(anyhow::anyhow!("template feedback/answer.html: {e:?}")))?;
    let mut res = HttpResponse::build(status);
    res.content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"));
    if status == StatusCode::TOO_MANY_REQUESTS {
        res.insert_header(("Retry-After", "60"));
    }
    Ok(res.body(html))
}

/// The language of a page without a usable link: the browser's, else the site's.
fn browser_lang(req: &HttpRequest, state: &AppState) -> Lang {
    let default = Lang::parse(&state.config.default_language).unwrap_or_default();
    crate::pages::choose_lang(req, None, default)
}

fn allowed(req: &HttpRequest, state: &AppState) -> bool {
    let client = crate::auth::throttle::client_address(req, &state.config.trusted_proxies);
    state.survey_limiter.allow(
        &client,
        state.config.survey_requests_per_minute,
        std::time::Instant::now(),
    )
}

/// `GET /s/{token}`: the survey's form, or the one refusal page.
pub async fn answer_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    if !allowed(&req, &state) {
        return draw(&state, browser_lang(&req, &state), View::Throttled);
    }
    let token = token.into_inner();
    let t = token.clone();
    let found = db::run(&state.pool, move |c| {
        service::open(c, &t, crate::ids::now())
    })
    .await?;
    let Some((survey, inv)) = found else {
        return draw(&state, browser_lang(&req, &state), View::Unavailable);
    };
    let lang = Lang::parse(&inv.language).unwrap_or_default();
    let def = SurveyDef::from_stored(&survey.questions)?;
    let title = if lang == Lang::Fi {
        survey.title_fi
    } else {
        survey.title_en
    };
    let path = req.path().to_string();
    draw(
        &state,
        lang,
        View::Form {
            title,
            questions: shown(&def, lang, &HashMap::new(), &HashMap::new()),
            csrf: form_token(&state.secret, &inv.token_hash),
            action: &path,
            error: false,
        },
    )
}

/// `POST /s/{token}`: keeps the answer once and thanks, shows the form
/// again with what needs a look, or gives the one refusal page.
pub async fn answer_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    if !allowed(&req, &state) {
        return draw(&state, browser_lang(&req, &state), View::Throttled);
    }
    let bytes = crate::body::read_request(
        &req,
        payload.into_inner(),
        state.config.max_form_bytes,
        Code::MalformedForm,
    )
    .await?;
    crate::kit::text::check_form(&bytes)?;
    let form: HashMap<String, String> = form_urlencoded::parse(&bytes)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let token = token.into_inner();
    let t = token.clone();
    let found = db::run(&state.pool, move |c| {
        service::open(c, &t, crate::ids::now())
    })
    .await?;
    let Some((survey, inv)) = found else {
        return draw(&state, browser_lang(&req, &state), View::Unavailable);
    };
    let lang = Lang::parse(&inv.language).unwrap_or_default();
    let expected = form_token(&state.secret, &inv.token_hash);
    let sent = form.get("csrf_token").map_or("", String::as_str);
    if !bool::from(expected.as_bytes().ct_eq(sent.as_bytes())) {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            Code::CsrfTokenInvalid,
            "the form did not come from this link; open the link again",
        ));
    }
    let values = form.clone();
    let holidays = state.config.public_holidays.clone();
    let days = state.config.survey_followup_days;
    let tz = state.tz;
    let outcome = db::run(&state.pool, move |c| {
        let at = crate::ids::now();
        let today = chrono::TimeZone::from_utc_datetime(&tz, &at).date_naive();
        let due = super::followup::add_working_days(today, days, &holidays);
        service::answer(c, &token, |k| values.get(k).cloned(), at, due)
    })
    .await;
    match outcome {
        Ok(Answered::Kept(_)) => draw(&state, lang, View::Thanks),
        Ok(Answered::Unavailable) => draw(&state, browser_lang(&req, &state), View::Unavailable),
        Err(e) if e.code == Code::InvalidSurveyAnswer => {
            let def = SurveyDef::from_stored(&survey.questions)?;
            let errors: HashMap<String, String> = e
                .fields
                .iter()
                .map(|f| {
                    let text = i18n::try_t(lang, &format!("error-{}", f.code))
                        .unwrap_or_else(|| f.message.clone());
                    (f.field.clone(), text)
                })
                .collect();
            let title = if lang == Lang::Fi {
                survey.title_fi
            } else {
                survey.title_en
            };
            let path = req.path().to_string();
            draw(
                &state,
                lang,
                View::Form {
                    title,
                    questions: shown(&def, lang, &form, &errors),
                    csrf: expected,
                    action: &path,
                    error: true,
                },
            )
        }
        Err(e) => Err(e),
    }
}
