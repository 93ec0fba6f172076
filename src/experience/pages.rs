//! HTML pages: the value promise for everybody (`/promise`), the promise's
//! editor on a value-promise draft (`/documents/{number}/promise`), and the
//! forms that set the experiences a process serves and what a KPI measures.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::promise::{ExperienceInput, MAX_EXPERIENCES, Promise, PromiseInput, in_lang};
use super::service;
use crate::auth::csrf::CsrfForm;
use crate::db;
use crate::documents::model::DocumentKind;
use crate::documents::service as docs;
use crate::error::{AppError, AppResult, Code, FieldError};
use crate::i18n::{self, Lang};
use crate::pages::{PageCtx, see_other};
use crate::records::form::Label;
use crate::state::AppState;

/// Adds the promise page, its editor and the forms of processes and KPIs.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/promise", promise_page)
        .get("/documents/{number}/promise", editor_page)
        .post("/documents/{number}/promise", editor_submit)
        .post("/processes/{code}/experiences", process_experiences)
        .post("/kpis/{id}/experience", kpi_experience);
    super::scorecard_pages::configure(cfg);
}

/// One target experience as a reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ExperienceShown {
    /// Its key.
    pub key: String,
    /// The sentence in the reader's language.
    pub sentence: String,
    /// How it is measured, in the reader's language.
    pub measured_by: String,
}

/// The target experiences of `p` in `lang`.
pub fn shown(p: &Promise, lang: Lang) -> Vec<ExperienceShown> {
    p.experiences
        .iter()
        .map(|e| ExperienceShown {
            key: e.key.clone(),
            sentence: in_lang(&e.sentence, lang).to_string(),
            measured_by: in_lang(&e.measured_by, lang).to_string(),
        })
        .collect()
}

async fn promise_page(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let store = state.store.clone();
    let (in_force, document, serving) = db::run(&state.pool, move |c| {
        Ok((
            service::in_force(c, &store)?,
            service::the_document(c)?,
            service::processes_by_experience(c)?,
        ))
    })
    .await?;
    let lang = page.lang;
    let mut ctx = tera::Context::new();
    if let Some(p) = &in_force {
        ctx.insert("number", &p.number);
        ctx.insert("rev", &p.rev);
        ctx.insert("basic_task", in_lang(&p.promise.basic_task, lang));
        ctx.insert("promise", in_lang(&p.promise.promise, lang));
        ctx.insert("experiences", &shown(&p.promise, lang));
        ctx.insert("serving", &serving);
    }
    ctx.insert("in_force", &in_force.is_some());
    ctx.insert("document", &document);
    ctx.insert(
        "may_create",
        &who.user.has_role(crate::auth::model::Role::QualityManager),
    );
    page.render(&state, "experience/promise.html", ctx)
}

/// One row of the editor: what was typed, and the refusals of its parts
/// by part name (`key`, `sentence.en`, ...).
#[derive(Debug, Clone, Default, Serialize)]
struct Row {
    key: String,
    sentence_en: String,
    sentence_fi: String,
    measured_en: String,
    measured_fi: String,
    /// Kept from the revision in force, so its key stays.
    in_force: bool,
}

impl Row {
    /// Whether its texts are empty: the row is left out, whatever its key
    /// (so an experience of the revision in force, whose key cannot be
    /// edited, is removed by emptying its texts).
    fn is_blank(&self) -> bool {
        [
            &self.sentence_en,
            &self.sentence_fi,
            &self.measured_en,
            &self.measured_fi,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }
}

/// The editor's whole form.
#[derive(Debug, Clone, Default, Serialize)]
struct Draft {
    basic_task_en: String,
    basic_task_fi: String,
    promise_en: String,
    promise_fi: String,
    rows: Vec<Row>,
    base: String,
    change_reason: String,
    /// Refusals by input name (`promise_fi`, `e.2.key`), translated.
    errors: HashMap<String, String>,
}

impl Draft {
    fn of(p: Option<&Promise>, in_force: &[String], base: String) -> Draft {
        let mut d = Draft {
            base,
            ..Draft::default()
        };
        if let Some(p) = p {
            d.basic_task_en = p.basic_task.en.clone();
            d.basic_task_fi = p.basic_task.fi.clone();
            d.promise_en = p.promise.en.clone();
            d.promise_fi = p.promise.fi.clone();
            d.rows = p
                .experiences
                .iter()
                .map(|e| Row {
                    key: e.key.clone(),
                    sentence_en: e.sentence.en.clone(),
                    sentence_fi: e.sentence.fi.clone(),
                    measured_en: e.measured_by.en.clone(),
                    measured_fi: e.measured_by.fi.clone(),
                    in_force: in_force.contains(&e.key),
                })
                .collect();
        }
        d.rows.resize_with(MAX_EXPERIENCES, Row::default);
        d
    }

    fn read(form: &HashMap<String, String>, in_force: &[String]) -> Draft {
        let get = |k: &str| form.get(k).cloned().unwrap_or_default();
        let rows = (0..MAX_EXPERIENCES)
            .map(|i| {
                let key = get(&format!("e.{i}.key")).trim().to_string();
                Row {
                    in_force: in_force.contains(&key),
                    key,
                    sentence_en: get(&format!("e.{i}.sentence_en")),
                    sentence_fi: get(&format!("e.{i}.sentence_fi")),
                    measured_en: get(&format!("e.{i}.measured_en")),
                    measured_fi: get(&format!("e.{i}.measured_fi")),
                }
            })
            .collect();
        Draft {
            basic_task_en: get("basic_task_en"),
            basic_task_fi: get("basic_task_fi"),
            promise_en: get("promise_en"),
            promise_fi: get("promise_fi"),
            rows,
            base: get("base"),
            change_reason: get("change_reason"),
            errors: HashMap::new(),
        }
    }

    /// Blank rows are left out; a row without a key gets one made from its
    /// English sentence. Answers the input and, for each experience of it,
    /// the row it came from.
    fn input(&mut self) -> (PromiseInput, Vec<usize>) {
        let mut taken: Vec<String> = self.rows.iter().map(|r| r.key.clone()).collect();
        let mut from = Vec::new();
        let mut experiences = Vec::new();
        for (i, r) in self.rows.iter_mut().enumerate() {
            if r.is_blank() {
                continue;
            }
            if r.key.is_empty() {
                let text = if r.sentence_en.trim().is_empty() {
                    &r.sentence_fi
                } else {
                    &r.sentence_en
                };
                if !text.trim().is_empty() {
                    let mut key = crate::records::builder::slug(text);
                    let base = key.clone();
                    let mut n = 2;
                    while taken.contains(&key) {
                        key = format!("{base}_{n}");
                        n += 1;
                    }
                    taken.push(key.clone());
                    r.key = key;
                }
            }
            from.push(i);
            experiences.push(ExperienceInput {
                key: r.key.clone(),
                sentence: Label {
                    en: r.sentence_en.clone(),
                    fi: r.sentence_fi.clone(),
                },
                measured_by: Label {
                    en: r.measured_en.clone(),
                    fi: r.measured_fi.clone(),
                },
            });
        }
        (
            PromiseInput {
                basic_task: Label {
                    en: self.basic_task_en.clone(),
                    fi: self.basic_task_fi.clone(),
                },
                promise: Label {
                    en: self.promise_en.clone(),
                    fi: self.promise_fi.clone(),
                },
                experiences,
            },
            from,
        )
    }

    /// Puts each refusal beside its input.
    fn place_errors(&mut self, lang: Lang, fields: &[FieldError], from: &[usize]) {
        for f in fields {
            let name = match f.field.strip_prefix("experiences[") {
                Some(rest) => {
                    let (n, part) = rest.split_once(']').unwrap_or((rest, ""));
                    let row = n.parse::<usize>().ok().and_then(|k| from.get(k).copied());
                    let part = part
                        .trim_start_matches('.')
                        .replace("sentence.", "sentence_")
                        .replace("measured_by.", "measured_");
                    match row {
                        Some(r) => format!("e.{r}.{part}"),
                        None => "experiences".into(),
                    }
                }
                None if f.field == "experiences" => "experiences".into(),
                None => f.field.replace('.', "_"),
            };
            let text = i18n::try_t(lang, &format!("error-{}", f.code)).unwrap_or(f.message.clone());
            self.errors.entry(name).or_insert(text);
        }
    }
}

/// What the editor needs besides the draft.
struct Loaded {
    detail: docs::DocumentDetail,
    draft: Draft,
    in_force_keys: Vec<String>,
    needs_reason: bool,
}

async fn load(state: &AppState, page: &PageCtx, number: String) -> AppResult<Loaded> {
    let who = page.require_user()?.clone();
    let store = state.store.clone();
    db::run(&state.pool, move |c| {
        let detail = docs::get_document_in(c, Some(&store), &who.user, &number)?;
        if detail.summary.kind != DocumentKind::ValuePromise {
            return Err(AppError::invalid(
                Code::PromiseOnlyForValuePromise,
                format!("{number} is not of kind value_promise, so it holds no promise"),
            ));
        }
        if !detail.can_edit {
            return Err(AppError::forbidden());
        }
        let in_force_keys: Vec<String> = detail
            .promise
            .as_ref()
            .map(|p| p.experiences.iter().map(|e| e.key.clone()).collect())
            .unwrap_or_default();
        let base = detail
            .draft
            .as_ref()
            .and_then(|d| d.revision.commit.clone())
            .unwrap_or_default();
        let shown = detail.draft_promise.as_ref().or(detail.promise.as_ref());
        let draft = Draft::of(shown, &in_force_keys, base);
        let needs_reason = detail
            .draft
            .as_ref()
            .map_or(detail.effective.is_some(), |d| d.revision.rev > 1);
        Ok(Loaded {
            detail,
            draft,
            in_force_keys,
            needs_reason,
        })
    })
    .await
}

fn editor_context(loaded: &Loaded, draft: &Draft) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("doc", &loaded.detail);
    ctx.insert("draft", draft);
    ctx.insert("needs_reason", &loaded.needs_reason);
    ctx
}

async fn editor_page(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
) -> AppResult<HttpResponse> {
    let loaded = load(&state, &page, number.into_inner()).await?;
    let ctx = editor_context(&loaded, &loaded.draft);
    page.render(&state, "experience/editor.html", ctx)
}

async fn editor_submit(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let loaded = load(&state, &page, number.clone()).await?;
    let mut draft = Draft::read(&form, &loaded.in_force_keys);
    let (input, from) = draft.input();
    let store = state.store.clone();
    let base = draft.base.clone();
    let reason = draft.change_reason.clone();
    let n = number.clone();
    let result = db::run(&state.pool, move |c| {
        docs::save_draft_with_promise(
            c,
            &store,
            &who.user,
            &n,
            None,
            &input,
            Some(base.as_str()).filter(|b| !b.is_empty()),
            Some(reason.as_str()),
        )
    })
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/documents/{number}/promise?notice=promise-saved"
        ))),
        Err(e) => {
            draft.place_errors(page.lang, &e.fields, &from);
            let ctx = editor_context(&loaded, &draft);
            page.form_error(&state, "experience/editor.html", ctx, e)
        }
    }
}

#[derive(Deserialize)]
struct ExperiencesForm {
    #[serde(default)]
    experience: Vec<String>,
    version: Option<i32>,
}

async fn process_experiences(
    state: web::Data<AppState>,
    page: PageCtx,
    code: web::Path<String>,
    CsrfForm(form): CsrfForm<ExperiencesForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let code = code.into_inner();
    let store = state.store.clone();
    let c2 = code.clone();
    let result = db::run(&state.pool, move |c| {
        service::set_experiences(c, &store, &who.user, &c2, &form.experience, form.version)
    })
    .await;
    crate::processes::pages::after(&state, &page, code, result.map(|_| "experiences-saved")).await
}

#[derive(Deserialize)]
struct KpiExperienceForm {
    #[serde(default)]
    experience: String,
    #[serde(default)]
    before: String,
}

async fn kpi_experience(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
    CsrfForm(form): CsrfForm<KpiExperienceForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let id = id.into_inner();
    let i2 = id.clone();
    let code = db::run(&state.pool, move |c| {
        Ok(crate::processes::kpis::view_by_id(c, &i2)?.process)
    })
    .await?;
    let store = state.store.clone();
    let result = db::run(&state.pool, move |c| {
        crate::experience::measures::set_experience(
            c,
            &store,
            &who.user,
            &id,
            Some(form.experience.as_str()),
            Some(Some(form.before.as_str())),
        )
    })
    .await;
    crate::processes::pages::after(&state, &page, code, result.map(|_| "kpi-experience-saved"))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn blank_rows_are_left_out_and_keys_are_made_from_the_sentence() {
        let mut d = Draft::read(
            &form(&[
                ("e.0.key", "kept"),
                ("e.2.sentence_en", "Parts arrive on time"),
                ("e.2.sentence_fi", "Osat ajallaan"),
                ("e.4.key", "kept"),
                ("e.4.sentence_en", "Kept twice"),
                ("e.5.sentence_fi", "Ääni kuuluu"),
            ]),
            &["kept".to_string()],
        );
        assert!(d.rows[0].in_force);
        let (input, from) = d.input();
        let keys: Vec<&str> = input.experiences.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["parts_arrive_on_time", "kept", "aani_kuuluu"]);
        assert_eq!(from, [2, 4, 5], "row 0 has a key but no text: left out");
    }

    #[test]
    fn refusals_are_placed_at_the_inputs_they_came_from() {
        let mut d = Draft::default();
        let fields = [
            FieldError::new("promise.fi", Code::PromiseTextRequired, "x"),
            FieldError::new("experiences", Code::PromiseExperienceCount, "x"),
            FieldError::new("experiences[1].key", Code::DuplicateExperienceKey, "x"),
            FieldError::new(
                "experiences[0].measured_by.en",
                Code::PromiseTextTooLong,
                "x",
            ),
        ];
        d.place_errors(Lang::En, &fields, &[3, 6]);
        let mut names: Vec<&str> = d.errors.keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            ["e.3.measured_en", "e.6.key", "experiences", "promise_fi"]
        );
        assert_eq!(
            d.errors["promise_fi"],
            "Write this in both English and Finnish."
        );
    }
}
