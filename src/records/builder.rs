//! The form builder: a quality manager or the process owner edits the
//! fields of a form template's draft in the browser, without JSON and
//! without JavaScript. The whole definition is posted with every button:
//! a field's parts as `f.<i>.<part>`, a table's columns as
//! `f.<i>.c.<j>.<part>`, and the button (`op`) says what to do: add,
//! move or remove a field, add or remove a column, preview, or save the
//! fields into the draft (a git commit beside the Markdown, checked by
//! [`FormInput::check`]). Nothing is saved until "save".

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::Serialize;

use super::fill;
use super::form::{
    ChoiceOption, Deviation, Field, FieldInput, FieldType, FormDef, FormInput, Label, MAX_COLUMNS,
    MAX_FIELDS, SignOffInput, is_key,
};
use crate::auth::csrf::CsrfForm;
use crate::db::schema::competences;
use crate::db::{self};
use crate::documents::model::DocumentKind;
use crate::documents::service as docs;
use crate::error::{AppError, AppResult, Code, FieldError};
use crate::i18n::{self, Lang};
use crate::pages::{PageCtx, see_other};
use crate::state::AppState;

/// Registers the builder.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/documents/{number}/form", builder_page)
        .post("/documents/{number}/form", builder_submit);
}

/// One field as the builder edits it: every part as typed.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
struct FieldDraft {
    key: String,
    kind: String,
    label_en: String,
    label_fi: String,
    help_en: String,
    help_fi: String,
    required: bool,
    unit: String,
    min: String,
    max: String,
    decimals: String,
    /// One option a line: `English / Suomi #key`.
    options: String,
    /// For yes/no: `no`, `yes` or empty; for a number: `outside_limits` or empty.
    deviation: String,
    /// The option keys that are deviations.
    deviating: Vec<String>,
    columns: Vec<FieldDraft>,
    /// What is wrong with it, translated (shown only).
    errors: Vec<String>,
}

/// The whole builder as typed.
#[derive(Debug, Clone, Default, Serialize)]
struct Draft {
    fields: Vec<FieldDraft>,
    reviewed: bool,
    reviewed_competence: String,
    released: bool,
    released_competence: String,
    clauses: String,
    base: String,
    change_reason: String,
    /// Refusals not of one field (signatures, clauses), translated.
    errors: Vec<String>,
}

/// A name that fits a key: `Temperature (°C)` gives `temperature_c`.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'ä' | 'å' | 'á' | 'à' => 'a',
            'ö' | 'ó' => 'o',
            'é' | 'è' => 'e',
            'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let mut out = out.trim_end_matches('_').to_string();
    if out.is_empty() || !out.as_bytes()[0].is_ascii_lowercase() {
        out.insert_str(0, "f_");
    }
    out.truncate(36);
    out.trim_end_matches('_').to_string()
}

/// `base`, or `base_2`, `base_3`, ... whichever is not yet in `taken`.
fn unique(base: String, taken: &[String]) -> String {
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|k| !taken.contains(k))
        .unwrap_or(base)
}

/// Options read from their lines, each with its key.
fn options_of(text: &str) -> Vec<ChoiceOption> {
    let mut out: Vec<ChoiceOption> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (labels, key) = match line.rsplit_once('#') {
            Some((l, k)) if is_key(k.trim()) => (l.trim(), Some(k.trim().to_string())),
            _ => (line, None),
        };
        let (en, fi) = match labels.split_once('/') {
            Some((en, fi)) => (en.trim(), fi.trim()),
            None => (labels, ""),
        };
        let taken: Vec<String> = out.iter().map(|o| o.key.clone()).collect();
        let key = unique(
            key.unwrap_or_else(|| slug(if en.is_empty() { fi } else { en })),
            &taken,
        );
        out.push(ChoiceOption {
            key,
            label: Label {
                en: en.to_string(),
                fi: fi.to_string(),
            },
        });
    }
    out
}

fn options_text(options: &[ChoiceOption]) -> String {
    options
        .iter()
        .map(|o| {
            if o.label.fi.is_empty() {
                format!("{} #{}", o.label.en, o.key)
            } else {
                format!("{} / {} #{}", o.label.en, o.label.fi, o.key)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn shown_number(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

impl FieldDraft {
    fn of(f: &Field) -> FieldDraft {
        let (deviation, deviating) = match &f.deviation {
            Some(Deviation::One(d)) => (d.clone(), Vec::new()),
            Some(Deviation::Many(keys)) => (String::new(), keys.clone()),
            None => (String::new(), Vec::new()),
        };
        FieldDraft {
            key: f.key.clone(),
            kind: f.kind.as_str().to_string(),
            label_en: f.label.en.clone(),
            label_fi: f.label.fi.clone(),
            help_en: f.help.en.clone(),
            help_fi: f.help.fi.clone(),
            required: f.required,
            unit: f.unit.clone(),
            min: shown_number(f.min),
            max: shown_number(f.max),
            decimals: f.decimals.map_or(String::new(), |d| d.to_string()),
            options: options_text(&f.options),
            deviation,
            deviating,
            columns: f.columns.iter().map(FieldDraft::of).collect(),
            errors: Vec::new(),
        }
    }

    /// Reads the parts posted under `prefix` (`f.3.` or `f.3.c.1.`).
    fn read(form: &HashMap<String, Vec<String>>, prefix: &str) -> FieldDraft {
        let one = |part: &str| {
            form.get(&format!("{prefix}{part}"))
                .and_then(|v| v.first())
                .cloned()
                .unwrap_or_default()
        };
        let mut columns = Vec::new();
        for j in 0..MAX_COLUMNS {
            let p = format!("{prefix}c.{j}.");
            if !form.contains_key(&format!("{p}type")) {
                break;
            }
            columns.push(FieldDraft::read(form, &p));
        }
        FieldDraft {
            key: one("key").trim().to_string(),
            kind: one("type"),
            label_en: one("label_en"),
            label_fi: one("label_fi"),
            help_en: one("help_en"),
            help_fi: one("help_fi"),
            required: !one("required").is_empty(),
            unit: one("unit"),
            min: one("min"),
            max: one("max"),
            decimals: one("decimals"),
            options: one("options").replace("\r\n", "\n"),
            deviation: one("deviation"),
            deviating: form
                .get(&format!("{prefix}dev"))
                .cloned()
                .unwrap_or_default(),
            columns,
            errors: Vec::new(),
        }
    }

    /// Gives a field without a key one from its label, and its options theirs.
    fn fill_keys(&mut self, taken: &[String]) {
        if self.key.is_empty() {
            let label = if self.label_en.trim().is_empty() {
                &self.label_fi
            } else {
                &self.label_en
            };
            if !label.trim().is_empty() {
                self.key = unique(slug(label), taken);
            }
        }
        if !self.options.trim().is_empty() {
            self.options = options_text(&options_of(&self.options));
        }
        let mut col_keys: Vec<String> = self.columns.iter().map(|c| c.key.clone()).collect();
        for c in &mut self.columns {
            c.fill_keys(&col_keys);
            col_keys.push(c.key.clone());
        }
    }

    /// What the definition says, for [`FormInput::check`]; a limit that is
    /// not a number is refused here, at `at`.
    fn input(&self, at: &str, errors: &mut Vec<FieldError>) -> FieldInput {
        let mut number = |part: &str, s: &str| -> Option<f64> {
            let s = s.trim().replace(',', ".").replace('\u{2212}', "-");
            if s.is_empty() {
                return None;
            }
            match s.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => {
                    errors.push(FieldError::new(
                        format!("{at}.{part}"),
                        Code::ValueNotNumber,
                        format!("{part} is not a number"),
                    ));
                    None
                }
            }
        };
        let min = number("min", &self.min);
        let max = number("max", &self.max);
        let decimals = match self.decimals.trim() {
            "" => None,
            d => match d.parse::<u8>() {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(FieldError::new(
                        format!("{at}.decimals"),
                        Code::InvalidDecimals,
                        "decimals is a whole number from 0 to 6",
                    ));
                    None
                }
            },
        };
        let options = options_of(&self.options);
        let deviation = match self.kind.as_str() {
            "yes_no" | "number" if !self.deviation.is_empty() => {
                Some(Deviation::One(self.deviation.clone()))
            }
            "choice" | "multi_choice" => {
                let keys: Vec<String> = options
                    .iter()
                    .filter(|o| self.deviating.contains(&o.key))
                    .map(|o| o.key.clone())
                    .collect();
                (!keys.is_empty()).then_some(Deviation::Many(keys))
            }
            _ => None,
        };
        let uses_options = matches!(self.kind.as_str(), "choice" | "multi_choice");
        let is_number = self.kind == "number";
        FieldInput {
            key: self.key.clone(),
            kind: self.kind.clone(),
            label: Label {
                en: self.label_en.trim().to_string(),
                fi: self.label_fi.trim().to_string(),
            },
            help: Label {
                en: self.help_en.trim().to_string(),
                fi: self.help_fi.trim().to_string(),
            },
            required: self.required,
            unit: (is_number && !self.unit.trim().is_empty()).then(|| self.unit.trim().into()),
            min: min.filter(|_| is_number),
            max: max.filter(|_| is_number),
            decimals: decimals.filter(|_| is_number),
            options: if uses_options { options } else { Vec::new() },
            deviation,
            columns: if self.kind == "table" {
                self.columns
                    .iter()
                    .enumerate()
                    .map(|(j, c)| c.input(&format!("{at}.columns[{j}]"), errors))
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    /// Puts each refusal at the field (or column) it names.
    fn take_errors(&mut self, at: &str, errors: &mut Vec<(String, String)>) {
        for (j, c) in self.columns.iter_mut().enumerate() {
            c.take_errors(&format!("{at}.columns[{j}]"), errors);
        }
        let mine = |path: &str| {
            path == at
                || path
                    .strip_prefix(at)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        };
        let (take, keep): (Vec<_>, Vec<_>) = errors.drain(..).partition(|(p, _)| mine(p));
        *errors = keep;
        self.errors.extend(take.into_iter().map(|(_, m)| m));
    }
}

impl Draft {
    fn of(def: &FormDef) -> Draft {
        let sign = |m: super::form::RecordMeaning| def.sign_off(m);
        let reviewed = sign(super::form::RecordMeaning::Reviewed);
        let released = sign(super::form::RecordMeaning::Released);
        Draft {
            fields: def.fields.iter().map(FieldDraft::of).collect(),
            reviewed: reviewed.is_some(),
            reviewed_competence: reviewed
                .and_then(|s| s.competence.clone())
                .unwrap_or_default(),
            released: released.is_some(),
            released_competence: released
                .and_then(|s| s.competence.clone())
                .unwrap_or_default(),
            clauses: def.clauses.join(", "),
            ..Draft::default()
        }
    }

    fn read(pairs: &[(String, String)]) -> Draft {
        let mut form: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in pairs {
            form.entry(k.clone()).or_default().push(v.clone());
        }
        let one = |k: &str| {
            form.get(k)
                .and_then(|v| v.first())
                .cloned()
                .unwrap_or_default()
        };
        let mut fields = Vec::new();
        for i in 0..MAX_FIELDS {
            let p = format!("f.{i}.");
            if !form.contains_key(&format!("{p}type")) {
                break;
            }
            fields.push(FieldDraft::read(&form, &p));
        }
        Draft {
            fields,
            reviewed: !one("reviewed").is_empty(),
            reviewed_competence: one("reviewed_competence"),
            released: !one("released").is_empty(),
            released_competence: one("released_competence"),
            clauses: one("clauses"),
            base: one("base"),
            change_reason: one("change_reason"),
            errors: Vec::new(),
        }
    }

    fn fill_keys(&mut self) {
        let mut taken: Vec<String> = self.fields.iter().map(|f| f.key.clone()).collect();
        for f in &mut self.fields {
            f.fill_keys(&taken);
            taken.push(f.key.clone());
        }
    }

    fn input(&self) -> (FormInput, Vec<FieldError>) {
        let mut errors = Vec::new();
        let fields = self
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| f.input(&format!("fields[{i}]"), &mut errors))
            .collect();
        let mut signatures = Vec::new();
        for (on, meaning, competence) in [
            (self.reviewed, "reviewed", &self.reviewed_competence),
            (self.released, "released", &self.released_competence),
        ] {
            if on {
                signatures.push(SignOffInput {
                    meaning: meaning.into(),
                    competence: Some(competence.trim().to_string()).filter(|c| !c.is_empty()),
                });
            }
        }
        let clauses = self
            .clauses
            .split([',', ';', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        (
            FormInput {
                fields,
                signatures,
                clauses,
            },
            errors,
        )
    }

    /// Checks the definition; the refusals go to their fields.
    fn check(&mut self, lang: Lang) -> Option<(FormInput, FormDef)> {
        let (input, mut local) = self.input();
        let result = input.check();
        let mut all: Vec<FieldError> = match &result {
            Ok(_) => Vec::new(),
            Err(e) if e.fields.is_empty() => vec![FieldError::new("", e.code, e.message.clone())],
            Err(e) => e.fields.clone(),
        };
        all.append(&mut local);
        self.place_errors(lang, &all);
        match result {
            Ok(def) if all.is_empty() => Some((input, def)),
            _ => None,
        }
    }

    fn place_errors(&mut self, lang: Lang, errors: &[FieldError]) {
        let mut errors: Vec<(String, String)> = errors
            .iter()
            .map(|e| {
                let text = i18n::try_t(lang, &format!("error-{}", e.code))
                    .unwrap_or_else(|| e.message.clone());
                (e.field.clone(), text)
            })
            .collect();
        for (i, f) in self.fields.iter_mut().enumerate() {
            f.take_errors(&format!("fields[{i}]"), &mut errors);
        }
        self.errors.extend(errors.into_iter().map(|(_, m)| m));
    }

    /// Runs a button other than save and preview; false when `op` is none.
    fn apply(&mut self, op: &str, new_type: &str) -> bool {
        let index = |s: &str| s.parse::<usize>().ok();
        let n = self.fields.len();
        if op == "add" {
            if n < MAX_FIELDS {
                let kind = FieldType::parse(new_type).map_or("text", FieldType::as_str);
                let mut f = FieldDraft {
                    kind: kind.to_string(),
                    ..FieldDraft::default()
                };
                if kind == "table" {
                    f.columns.push(FieldDraft {
                        kind: "text".into(),
                        ..FieldDraft::default()
                    });
                }
                self.fields.push(f);
            }
            return true;
        }
        let Some((verb, rest)) = op.split_once('-') else {
            return false;
        };
        match verb {
            "up" => {
                if let Some(i) = index(rest).filter(|&i| i > 0 && i < n) {
                    self.fields.swap(i - 1, i);
                }
            }
            "down" => {
                if let Some(i) = index(rest).filter(|&i| i + 1 < n) {
                    self.fields.swap(i, i + 1);
                }
            }
            "remove" => {
                if let Some(i) = index(rest).filter(|&i| i < n) {
                    self.fields.remove(i);
                }
            }
            "addcol" => {
                if let Some(f) = index(rest).and_then(|i| self.fields.get_mut(i))
                    && f.columns.len() < MAX_COLUMNS
                {
                    f.columns.push(FieldDraft {
                        kind: "text".into(),
                        ..FieldDraft::default()
                    });
                }
            }
            "rmcol" => {
                if let Some((i, j)) = rest.split_once('-')
                    && let (Some(i), Some(j)) = (index(i), index(j))
                    && let Some(f) = self.fields.get_mut(i)
                    && j < f.columns.len()
                {
                    f.columns.remove(j);
                }
            }
            _ => return false,
        }
        true
    }
}

/// What the builder page needs besides the draft.
struct Loaded {
    detail: docs::DocumentDetail,
    markdown: String,
    base: String,
    needs_reason: bool,
    competences: Vec<(String, String)>,
}

async fn load(state: &AppState, page: &PageCtx, number: String) -> AppResult<Loaded> {
    let who = page.require_user()?.clone();
    let store = state.store.clone();
    let lang = page.lang;
    db::run(&state.pool, move |c| {
        let detail = docs::get_document_in(c, Some(&store), &who.user, &number)?;
        if detail.summary.kind != DocumentKind::Form {
            return Err(AppError::invalid(
                Code::FormOnlyForFormDocuments,
                format!("{number} is not of kind form, so it has no fields"),
            ));
        }
        if !detail.can_edit {
            return Err(AppError::forbidden());
        }
        let source = detail
            .draft
            .as_ref()
            .filter(|d| d.revision.commit.is_some())
            .map(|d| d.revision.rev)
            .or(detail.effective.as_ref().map(|r| r.rev));
        let markdown = match source {
            Some(rev) => docs::revision_content(c, &store, &who.user, &number, rev)?.markdown,
            None => String::new(),
        };
        let base = detail
            .draft
            .as_ref()
            .and_then(|d| d.revision.commit.clone())
            .unwrap_or_default();
        let needs_reason = detail
            .draft
            .as_ref()
            .map_or(detail.effective.is_some(), |d| d.revision.rev > 1);
        let competences = competences::table
            .order(competences::code.asc())
            .select((
                competences::code,
                competences::name_en,
                competences::name_fi,
            ))
            .load::<(String, String, String)>(c)?
            .into_iter()
            .map(|(code, en, fi)| (code, if lang == Lang::Fi { fi } else { en }))
            .collect();
        Ok(Loaded {
            detail,
            markdown,
            base,
            needs_reason,
            competences,
        })
    })
    .await
}

fn context(loaded: &Loaded, draft: &Draft) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("doc", &loaded.detail);
    ctx.insert("draft", draft);
    ctx.insert("needs_reason", &loaded.needs_reason);
    ctx.insert("competences", &loaded.competences);
    ctx.insert(
        "types",
        &FieldType::ALL
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "column_types",
        &FieldType::ALL
            .iter()
            .filter(|t| t.in_tables())
            .map(|t| t.as_str())
            .collect::<Vec<_>>(),
    );
    ctx
}

async fn builder_page(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
) -> AppResult<HttpResponse> {
    let loaded = load(&state, &page, number.into_inner()).await?;
    let def = loaded
        .detail
        .draft_form
        .clone()
        .or(loaded.detail.form.clone())
        .unwrap_or_default();
    let mut draft = Draft::of(&def);
    draft.base.clone_from(&loaded.base);
    draft.change_reason = loaded
        .detail
        .draft
        .as_ref()
        .map(|d| d.revision.change_reason.clone())
        .unwrap_or_default();
    let ctx = context(&loaded, &draft);
    page.render(&state, "records/builder.html", ctx)
}

async fn builder_submit(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let loaded = load(&state, &page, number.clone()).await?;
    let mut draft = Draft::read(&pairs);
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map_or(String::new(), |(_, v)| v.clone())
    };
    let op = get("op");
    draft.fill_keys();
    if op != "save" && op != "preview" {
        draft.apply(&op, &get("new_type"));
        let ctx = context(&loaded, &draft);
        return page.render(&state, "records/builder.html", ctx);
    }
    let Some((input, def)) = draft.check(page.lang) else {
        let mut ctx = context(&loaded, &draft);
        ctx.insert("error", &i18n::t(page.lang, "error-invalid_form"));
        let mut res = page.render(&state, "records/builder.html", ctx)?;
        *res.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    };
    if op == "preview" {
        let pickers = {
            let def = def.clone();
            db::run(&state.pool, move |c| fill::pickers(c, &def)).await?
        };
        let mut ctx = context(&loaded, &draft);
        ctx.insert(
            "preview",
            &fill::views(page.lang, &def, &fill::Typed::default(), &HashMap::new()),
        );
        ctx.insert("pickers", &pickers);
        ctx.insert("sign_offs", &def.signatures);
        return page.render(&state, "records/builder.html", ctx);
    }
    let store = state.store.clone();
    let markdown = loaded.markdown.clone();
    let base = draft.base.clone();
    let reason = draft.change_reason.clone();
    let n = number.clone();
    let result = db::run(&state.pool, move |c| {
        docs::save_draft_with_form(
            c,
            &store,
            &who.user,
            &n,
            &markdown,
            Some(&input),
            Some(base.as_str()).filter(|b| !b.is_empty()),
            Some(reason.as_str()),
        )
    })
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/documents/{number}/form?notice=form-saved"
        ))),
        Err(e) => {
            draft.place_errors(page.lang, &e.fields);
            let ctx = context(&loaded, &draft);
            page.form_error(&state, "records/builder.html", ctx, e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_from_labels_and_stay_unique() {
        assert_eq!(slug("Lämpötila (°C)"), "lampotila_c");
        assert_eq!(slug("2nd check"), "f_2nd_check");
        assert_eq!(unique("a".into(), &["a".into(), "a_2".into()]), "a_3");
        let o = options_of("Within tolerance / Toleranssissa\nScrap / Romutus #scrap\nScrap");
        let keys: Vec<&str> = o.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(keys, ["within_tolerance", "scrap", "scrap_2"]);
        assert_eq!(o[0].label.fi, "Toleranssissa");
        assert_eq!(options_of(&options_text(&o)), o, "the text reads back");
    }

    #[test]
    fn a_posted_builder_checks_into_a_form_and_names_mistakes() {
        let pairs: Vec<(String, String)> = [
            ("f.0.type", "number"),
            ("f.0.label_en", "Reading"),
            ("f.0.min", "1,5"),
            ("f.0.max", "x"),
            ("f.0.deviation", "outside_limits"),
            ("f.1.type", "choice"),
            ("f.1.label_en", "Result"),
            ("f.1.options", "Pass / Hyväksytty\nFail / Hylätty"),
            ("f.1.dev", "fail"),
            ("f.2.type", "table"),
            ("f.2.label_en", "Actions"),
            ("f.2.c.0.type", "text"),
            ("f.2.c.0.label_en", "What"),
            ("clauses", "7.1.5.1, 8.6"),
            ("released", "on"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let mut d = Draft::read(&pairs);
        d.fill_keys();
        assert!(d.check(Lang::En).is_none(), "max is not a number");
        assert_eq!(d.fields[0].errors.len(), 1);
        d.fields[0].max = "9.5".into();
        d.fields[0].errors.clear();
        let (_, def) = d.check(Lang::En).expect("checks");
        assert_eq!(def.fields[0].key, "reading");
        assert_eq!(def.fields[0].min, Some(1.5));
        assert_eq!(def.fields[1].deviating_options(), ["fail".to_string()]);
        assert_eq!(def.fields[2].columns[0].key, "what");
        assert_eq!(def.clauses, ["7.1.5.1", "8.6"]);
        assert_eq!(def.signatures.len(), 1);
        let again = Draft::of(&def);
        assert_eq!(again.fields[1].deviating, ["fail".to_string()]);
    }

    #[test]
    fn buttons_add_move_and_remove() {
        let mut d = Draft::default();
        assert!(d.apply("add", "table"));
        assert!(d.apply("add", "yes_no"));
        assert_eq!(d.fields[0].columns.len(), 1);
        assert!(d.apply("up-1", ""));
        assert_eq!(d.fields[0].kind, "yes_no");
        assert!(d.apply("addcol-1", ""));
        assert_eq!(d.fields[1].columns.len(), 2);
        assert!(d.apply("rmcol-1-0", ""));
        assert_eq!(d.fields[1].columns.len(), 1);
        assert!(d.apply("remove-0", ""));
        assert_eq!(d.fields.len(), 1);
        assert!(!d.apply("", ""));
    }
}
