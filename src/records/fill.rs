//! Filling in a record, and correcting one, in the browser. The page is a
//! plain `multipart/form-data` form that works without JavaScript: a
//! field's answer is posted as `v.<key>` (repeated for multiple choice),
//! a table's cell as `v.<key>.<row>.<column>`, a file as the part
//! `file.<key>`. A refusal shows the form again with what was typed and
//! each mistake beside its field; a file already uploaded is kept by its id.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::form::{Field, FieldType, FormDef};
use super::service::{self, FILLERS};
use crate::db::schema::{documents, processes, users};
use crate::db::{self, DbConn};
use crate::documents::model::DocStatus;
use crate::error::{AppError, AppResult, Code};
use crate::i18n::{self, Lang};
use crate::ids::now;
use crate::pages::{PageCtx, read_upload, see_other};
use crate::state::AppState;

/// Registers the fill-in and correction pages.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/forms/{number}/fill", fill_page)
        .post("/forms/{number}/fill", fill_submit)
        .get("/records/{number}/correct", correct_page)
        .post("/records/{number}/correct", correct_submit);
}

/// Blank rows a table shows below its answers, and how many more "add
/// rows" gives.
const BLANK_ROWS: usize = 2;

/// What was typed into the form: every posted name with its values.
#[derive(Debug, Default, Clone)]
pub(super) struct Typed(HashMap<String, Vec<String>>);

impl Typed {
    fn from_pairs(pairs: &[(String, String)]) -> Typed {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in pairs {
            m.entry(k.clone()).or_default().push(v.clone());
        }
        Typed(m)
    }

    fn one(&self, name: &str) -> &str {
        self.0
            .get(name)
            .and_then(|v| v.first())
            .map_or("", String::as_str)
    }

    fn all(&self, name: &str) -> &[String] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }

    fn set(&mut self, name: String, value: String) {
        self.0.insert(name, vec![value]);
    }

    /// The rows of a table as typed: the indices posted, in order.
    fn rows(&self, key: &str) -> Vec<usize> {
        let prefix = format!("v.{key}.");
        let mut rows: Vec<usize> = self
            .0
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .filter_map(|rest| rest.split_once('.'))
            .filter_map(|(row, _)| row.parse().ok())
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    /// Drops the rows of tables that hold nothing and numbers the rest from
    /// 0, as the server counts them when it names a mistake in a row.
    fn compact(&mut self, form: &FormDef) {
        for f in form.fields.iter().filter(|f| f.kind == FieldType::Table) {
            let mut kept = 0;
            for row in self.rows(&f.key) {
                let cells: Vec<(String, Vec<String>)> = f
                    .columns
                    .iter()
                    .map(|c| {
                        let name = format!("v.{}.{row}.{}", f.key, c.key);
                        (c.key.clone(), self.0.remove(&name).unwrap_or_default())
                    })
                    .collect();
                if cells
                    .iter()
                    .all(|(_, v)| v.iter().all(|s| s.trim().is_empty()))
                {
                    continue;
                }
                for (col, v) in cells {
                    self.0.insert(format!("v.{}.{kept}.{col}", f.key), v);
                }
                kept += 1;
            }
        }
    }

    /// What the form holds as answers for the service.
    fn answers(&self, form: &FormDef) -> Map<String, Value> {
        fn single(typed: &Typed, f: &Field, name: &str) -> Option<Value> {
            if f.kind == FieldType::MultiChoice {
                let keys: Vec<Value> = typed
                    .all(name)
                    .iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.clone()))
                    .collect();
                return (!keys.is_empty()).then_some(Value::Array(keys));
            }
            let s = typed.one(name).trim();
            (!s.is_empty()).then(|| Value::String(s.to_string()))
        }
        let mut out = Map::new();
        for f in &form.fields {
            let v = if f.kind == FieldType::Table {
                let rows: Vec<Value> = self
                    .rows(&f.key)
                    .into_iter()
                    .map(|row| {
                        let mut cells = Map::new();
                        for c in &f.columns {
                            if let Some(v) =
                                single(self, c, &format!("v.{}.{row}.{}", f.key, c.key))
                            {
                                cells.insert(c.key.clone(), v);
                            }
                        }
                        Value::Object(cells)
                    })
                    .filter(|r| r.as_object().is_some_and(|o| !o.is_empty()))
                    .collect();
                (!rows.is_empty()).then_some(Value::Array(rows))
            } else {
                single(self, f, &format!("v.{}", f.key))
            };
            if let Some(v) = v {
                out.insert(f.key.clone(), v);
            }
        }
        out
    }

    /// The form filled with the answers of a record (for a correction).
    fn from_values(form: &FormDef, values: &Value, files: &HashMap<String, String>) -> Typed {
        fn put(t: &mut Typed, f: &Field, name: String, v: &Value, files: &HashMap<String, String>) {
            let texts: Vec<String> = match v {
                Value::Bool(b) => vec![if *b { "yes" } else { "no" }.into()],
                Value::Number(n) => vec![n.to_string()],
                Value::String(s) => vec![s.clone()],
                Value::Array(a) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
                _ => Vec::new(),
            };
            if matches!(f.kind, FieldType::File | FieldType::Photo)
                && let Some(id) = texts.first()
                && let Some(n) = files.get(id)
            {
                t.0.insert(name.replacen("v.", "n.", 1), vec![n.clone()]);
            }
            t.0.insert(name, texts);
        }
        let mut t = Typed::default();
        for f in &form.fields {
            let Some(v) = values.get(&f.key) else {
                continue;
            };
            if f.kind == FieldType::Table {
                for (i, row) in v.as_array().into_iter().flatten().enumerate() {
                    for c in &f.columns {
                        if let Some(cell) = row.get(&c.key) {
                            put(&mut t, c, format!("v.{}.{i}.{}", f.key, c.key), cell, files);
                        }
                    }
                }
            } else {
                put(&mut t, f, format!("v.{}", f.key), v, files);
            }
        }
        t
    }
}

/// One option of a choice as the form shows it.
#[derive(Debug, Serialize)]
pub(super) struct OptionView {
    key: String,
    label: String,
    checked: bool,
}

/// One field (or a table's cell) as the form shows it.
#[derive(Debug, Serialize)]
pub(super) struct FieldView {
    key: String,
    /// The input's name.
    name: String,
    /// The field type (`text`, `number`, ...).
    kind: &'static str,
    label: String,
    help: String,
    required: bool,
    unit: String,
    /// "between 0 and 10", as the reader writes numbers.
    limits: String,
    /// Whether the limits are a tolerance (outside is a deviation, not refused).
    tolerance: bool,
    options: Vec<OptionView>,
    /// The single answer typed.
    value: String,
    /// The name of a file already uploaded for it.
    file_name: String,
    /// What is wrong with it, in the reader's language.
    errors: Vec<String>,
    /// A table's columns (their labels head the table).
    columns: Vec<FieldView>,
    /// A table's rows of cells.
    rows: Vec<Vec<FieldView>>,
}

/// What is wrong, by the path the server named (`key`, `key[0].col`).
pub(super) type Errors = HashMap<String, Vec<String>>;

/// The refusals of an error, translated, by field path.
pub(super) fn errors_of(lang: Lang, e: &AppError) -> Errors {
    let mut out: Errors = HashMap::new();
    for f in &e.fields {
        let text = i18n::try_t(lang, &format!("error-{}", f.code)).unwrap_or(f.message.clone());
        out.entry(f.field.clone()).or_default().push(text);
    }
    out
}

fn limits(lang: Lang, f: &Field) -> String {
    let n = |v: f64| super::display::number(lang, v, None);
    match (f.min, f.max) {
        (Some(a), Some(b)) => i18n::t_args(
            lang,
            "records-limits-between",
            &[("min", n(a)), ("max", n(b))],
        ),
        (Some(a), None) => i18n::t_args(lang, "records-limits-min", &[("min", n(a))]),
        (None, Some(b)) => i18n::t_args(lang, "records-limits-max", &[("max", n(b))]),
        (None, None) => String::new(),
    }
}

fn view(
    lang: Lang,
    f: &Field,
    name: String,
    path: &str,
    typed: &Typed,
    errors: &Errors,
) -> FieldView {
    let code = lang.code();
    let chosen = typed.all(&name);
    let mut own_errors = errors.get(path).cloned().unwrap_or_default();
    let (columns, rows) = if f.kind == FieldType::Table {
        let typed_rows = typed.rows(&f.key);
        let wanted: usize = typed
            .one(&format!("rows.{}", f.key))
            .parse()
            .unwrap_or(0)
            .max(typed_rows.iter().max().map_or(0, |m| m + 1) + BLANK_ROWS)
            .min(super::form::MAX_ROWS);
        let columns = f
            .columns
            .iter()
            .map(|c| {
                view(
                    lang,
                    c,
                    String::new(),
                    "",
                    &Typed::default(),
                    &HashMap::new(),
                )
            })
            .collect();
        let rows = (0..wanted)
            .map(|i| {
                if let Some(e) = errors.get(&format!("{path}[{i}]")) {
                    own_errors.extend(e.iter().cloned());
                }
                f.columns
                    .iter()
                    .map(|c| {
                        view(
                            lang,
                            c,
                            format!("{name}.{i}.{}", c.key),
                            &format!("{path}[{i}].{}", c.key),
                            typed,
                            errors,
                        )
                    })
                    .collect()
            })
            .collect();
        (columns, rows)
    } else {
        (Vec::new(), Vec::new())
    };
    FieldView {
        key: f.key.clone(),
        kind: f.kind.as_str(),
        label: f.label.get(code).to_string(),
        help: f.help.get(code).to_string(),
        required: f.required,
        unit: crate::charts::unit_label(lang, &f.unit),
        limits: limits(lang, f),
        tolerance: f.limits_are_tolerance(),
        options: f
            .options
            .iter()
            .map(|o| OptionView {
                key: o.key.clone(),
                label: o.label.get(code).to_string(),
                checked: chosen.contains(&o.key),
            })
            .collect(),
        value: typed.one(&name).to_string(),
        file_name: typed.one(&name.replacen("v.", "n.", 1)).to_string(),
        errors: own_errors,
        columns,
        rows,
        name,
    }
}

/// The fields of `form` as the page shows them, with what was typed and
/// what is wrong.
pub(super) fn views(lang: Lang, form: &FormDef, typed: &Typed, errors: &Errors) -> Vec<FieldView> {
    form.fields
        .iter()
        .map(|f| view(lang, f, format!("v.{}", f.key), &f.key, typed, errors))
        .collect()
}

/// What the person, process and document fields pick from.
#[derive(Debug, Serialize, Default)]
pub(super) struct Pickers {
    /// (username, name) of active people, by name.
    people: Vec<(String, String)>,
    /// (code, name) of active processes.
    processes: Vec<(String, String)>,
    /// (number, title) of documents in force.
    documents: Vec<(String, String)>,
}

/// Loads the lists the pickers of `form` need (only those it has).
pub(super) fn pickers(conn: &mut DbConn, form: &FormDef) -> AppResult<Pickers> {
    let has = |k: FieldType| {
        form.fields
            .iter()
            .any(|f| f.kind == k || f.columns.iter().any(|c| c.kind == k))
    };
    let mut p = Pickers {
        processes: processes::table
            .filter(processes::status.eq("active"))
            .order(processes::code.asc())
            .select((processes::code, processes::name))
            .load(conn)?,
        ..Pickers::default()
    };
    if has(FieldType::Person) {
        p.people = users::table
            .filter(users::active.eq(true))
            .order(users::display_name.asc())
            .select((users::username, users::display_name))
            .load(conn)?;
    }
    if has(FieldType::Document) {
        p.documents = documents::table
            .filter(documents::status.eq(DocStatus::Effective))
            .order(documents::number.asc())
            .select((documents::number, documents::title))
            .load(conn)?;
    }
    Ok(p)
}

#[derive(Deserialize)]
struct FillQuery {
    /// The process the record is for.
    process: Option<String>,
}

/// What the fill-in page shows, for a new record or a correction.
struct Sheet {
    template: String,
    title: String,
    rev: i32,
    form: std::sync::Arc<FormDef>,
    pickers: Pickers,
}

fn sheet_context(page: &PageCtx, sheet: &Sheet, typed: &Typed, errors: &Errors) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("template", &sheet.template);
    ctx.insert("title", &sheet.title);
    ctx.insert("rev", &sheet.rev);
    ctx.insert("fields", &views(page.lang, &sheet.form, typed, errors));
    ctx.insert("pickers", &sheet.pickers);
    ctx.insert("sign_offs", &sheet.form.signatures);
    ctx.insert("process", typed.one("process"));
    ctx.insert(
        "general_errors",
        &errors.get("").cloned().unwrap_or_default(),
    );
    ctx
}

async fn load_sheet(state: &AppState, number: String) -> AppResult<(Sheet, Option<String>)> {
    let store = state.store.clone();
    db::run(&state.pool, move |c| {
        let t = service::template(c, &store, &number)?;
        let pickers = pickers(c, &t.form)?;
        Ok((
            Sheet {
                template: t.number,
                title: t.title,
                rev: t.rev,
                form: t.form,
                pickers,
            },
            t.process,
        ))
    })
    .await
}

async fn fill_page(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    q: web::Query<FillQuery>,
) -> AppResult<HttpResponse> {
    page.require_any(FILLERS)?;
    let (sheet, process) = load_sheet(&state, number.into_inner()).await?;
    let mut typed = Typed::default();
    typed.set(
        "process".into(),
        q.into_inner().process.or(process).unwrap_or_default(),
    );
    let ctx = sheet_context(&page, &sheet, &typed, &HashMap::new());
    page.render(&state, "records/fill.html", ctx)
}

/// Uploads the files chosen in the form for its file and photo fields; a
/// file refused is named at its field.
async fn upload_files(
    state: &AppState,
    page: &PageCtx,
    template: &str,
    form: &FormDef,
    files: Vec<(String, crate::pages::UploadedFile)>,
    typed: &mut Typed,
    errors: &mut Errors,
) -> AppResult<()> {
    let who = page.require_user()?.clone();
    for (name, file) in files {
        let Some(key) = name.strip_prefix("file.") else {
            continue;
        };
        if !form
            .field(key)
            .is_some_and(|f| matches!(f.kind, FieldType::File | FieldType::Photo))
        {
            continue;
        }
        let (t, u, k) = (template.to_string(), who.user.clone(), key.to_string());
        let result = db::run(&state.pool, move |c| {
            service::upload_file(
                c,
                &u,
                &t,
                &file.filename,
                &file.content_type,
                &file.bytes,
                now(),
            )
        })
        .await;
        match result {
            Ok(f) => {
                typed.set(format!("v.{k}"), f.id);
                typed.set(format!("n.{k}"), f.filename);
            }
            Err(e) if crate::pages::is_user_error(&e) => {
                let text =
                    i18n::try_t(page.lang, &format!("error-{}", e.code)).unwrap_or(e.message);
                errors.entry(k).or_default().push(text);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Reads the posted form: what was typed and the files chosen.
async fn read_sheet(
    state: &AppState,
    req: &HttpRequest,
    payload: actix_multipart::Multipart,
) -> AppResult<(Typed, Vec<(String, crate::pages::UploadedFile)>)> {
    let upload = read_upload(state, req, payload).await?;
    Ok((Typed::from_pairs(&upload.pairs), upload.files))
}

/// The form shown again: with more rows in a table (`rows-<key>`), or with
/// the refusal `e` beside the fields it names.
fn again(
    state: &AppState,
    page: &PageCtx,
    template: &str,
    mut ctx: tera::Context,
    e: Option<AppError>,
) -> AppResult<HttpResponse> {
    match e {
        None => page.render(state, template, ctx),
        Some(e) => {
            if e.fields.is_empty() {
                page.form_error(state, template, ctx, e)
            } else {
                let status = actix_web::ResponseError::status_code(&e);
                ctx.insert(
                    "error",
                    &i18n::try_t(page.lang, &format!("error-{}", e.code)).unwrap_or(e.message),
                );
                let mut res = page.render(state, template, ctx)?;
                *res.status_mut() = status;
                Ok(res)
            }
        }
    }
}

/// `rows-<key>`: one more set of blank rows for a table.
fn more_rows(typed: &mut Typed, form: &FormDef) -> bool {
    let op = typed.one("op").to_string();
    let Some(key) = op.strip_prefix("rows-") else {
        return false;
    };
    if form.field(key).is_some_and(|f| f.kind == FieldType::Table) {
        let shown: usize = typed.one(&format!("rows.{key}")).parse().unwrap_or(0);
        typed.set(format!("rows.{key}"), (shown + BLANK_ROWS + 1).to_string());
    }
    true
}

/// How a posted sheet is stored: the service call, given the answers and
/// what was typed, answering the record.
type Store = Box<
    dyn FnOnce(&mut DbConn, Map<String, Value>, &Typed) -> AppResult<super::model::RecordView>
        + Send,
>;

/// The course of a posted sheet, new record or correction: its files are
/// uploaded, "more rows" shows it again, else `store` runs; success goes to
/// the record with `notice`, a refusal shows the sheet again with each
/// mistake at its field (`context` builds the page from what was typed).
#[expect(
    clippy::too_many_arguments,
    reason = "a sheet's post has this many parts"
)]
async fn post_sheet(
    state: &AppState,
    page: &PageCtx,
    sheet: &Sheet,
    mut typed: Typed,
    files: Vec<(String, crate::pages::UploadedFile)>,
    template: &str,
    notice: &str,
    context: impl Fn(&Typed, &Errors) -> tera::Context,
    store: Store,
) -> AppResult<HttpResponse> {
    let mut errors = Errors::new();
    upload_files(
        state,
        page,
        &sheet.template,
        &sheet.form,
        files,
        &mut typed,
        &mut errors,
    )
    .await?;
    if more_rows(&mut typed, &sheet.form) {
        return again(state, page, template, context(&typed, &errors), None);
    }
    typed.compact(&sheet.form);
    let answers = typed.answers(&sheet.form);
    let result = if errors.is_empty() {
        let t = typed.clone();
        db::run(&state.pool, move |c| store(c, answers, &t)).await
    } else {
        Err(AppError::fields(
            Code::InvalidRecord,
            "a file was refused",
            Vec::new(),
        ))
    };
    match result {
        Ok(r) => Ok(see_other(&format!("/records/{}?notice={notice}", r.number))),
        Err(e) => {
            errors.extend(errors_of(page.lang, &e));
            again(state, page, template, context(&typed, &errors), Some(e))
        }
    }
}

async fn fill_submit(
    state: web::Data<AppState>,
    page: PageCtx,
    req: HttpRequest,
    number: web::Path<String>,
    payload: actix_multipart::Multipart,
) -> AppResult<HttpResponse> {
    let who = page.require_any(FILLERS)?.clone();
    let (typed, files) = read_sheet(&state, &req, payload).await?;
    let (sheet, _) = load_sheet(&state, number.into_inner()).await?;
    let store = state.store.clone();
    let t = sheet.template.clone();
    post_sheet(
        &state,
        &page,
        &sheet,
        typed,
        files,
        "records/fill.html",
        "record-submitted",
        |typed, errors| sheet_context(&page, &sheet, typed, errors),
        Box::new(move |c, answers, typed| {
            let process = typed.one("process");
            service::submit(c, &store, &who.user, &t, &answers, Some(process), now())
        }),
    )
    .await
}

/// The correction form: the record's answers in force on the revision it
/// was filled on.
async fn correction_sheet(
    state: &AppState,
    page: &PageCtx,
    number: String,
) -> AppResult<(Sheet, super::model::RecordView, Typed)> {
    let who = page.require_any(FILLERS)?.clone();
    let store = state.store.clone();
    db::run(&state.pool, move |c| {
        let r = service::get(c, &store, &who.user, &number)?;
        if !r.allowed_steps.iter().any(|s| s == "correct") {
            return Err(AppError::forbidden());
        }
        let first = r
            .versions
            .first()
            .map_or(r.template_commit.clone(), |v| v.template_commit.clone());
        let form = service::form_at(&store, &r.template, &first)?.unwrap_or_default();
        let files: HashMap<String, String> = r
            .files
            .iter()
            .map(|f| (f.id.clone(), f.filename.clone()))
            .collect();
        let typed = Typed::from_values(&form, &r.values, &files);
        let pickers = pickers(c, &form)?;
        Ok((
            Sheet {
                template: r.template.clone(),
                title: r.template_title.clone(),
                rev: r.template_rev,
                form,
                pickers,
            },
            r,
            typed,
        ))
    })
    .await
}

fn correction_context(
    page: &PageCtx,
    sheet: &Sheet,
    r: &super::model::RecordView,
    typed: &Typed,
    errors: &Errors,
) -> tera::Context {
    let mut ctx = sheet_context(page, sheet, typed, errors);
    ctx.insert("record", &r.number);
    ctx.insert("version", &r.version);
    ctx.insert("reason", typed.one("reason"));
    ctx
}

async fn correct_page(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (sheet, r, typed) = correction_sheet(&state, &page, number.into_inner()).await?;
    let ctx = correction_context(&page, &sheet, &r, &typed, &HashMap::new());
    page.render(&state, "records/correct.html", ctx)
}

async fn correct_submit(
    state: web::Data<AppState>,
    page: PageCtx,
    req: HttpRequest,
    number: web::Path<String>,
    payload: actix_multipart::Multipart,
) -> AppResult<HttpResponse> {
    let who = page.require_any(FILLERS)?.clone();
    let (typed, files) = read_sheet(&state, &req, payload).await?;
    let (sheet, r, _) = correction_sheet(&state, &page, number.into_inner()).await?;
    let store = state.store.clone();
    let n = r.number.clone();
    post_sheet(
        &state,
        &page,
        &sheet,
        typed,
        files,
        "records/correct.html",
        "record-corrected",
        |typed, errors| correction_context(&page, &sheet, &r, typed, errors),
        Box::new(move |c, answers, typed| {
            let version = typed.one("version").parse::<i32>().ok();
            service::correct(
                c,
                &store,
                &who.user,
                &n,
                &answers,
                typed.one("reason"),
                version,
                now(),
            )
        }),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> FormDef {
        serde_json::from_value(serde_json::json!({"fields": [
            {"key": "t", "type": "number", "label": {"en": "T"}},
            {"key": "m", "type": "multi_choice", "label": {"en": "M"},
             "options": [{"key": "a", "label": {"en": "A"}}, {"key": "b", "label": {"en": "B"}}]},
            {"key": "rows", "type": "table", "label": {"en": "Rows"},
             "columns": [{"key": "what", "type": "text", "label": {"en": "What"}}]}
        ]}))
        .unwrap()
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn a_posted_form_becomes_answers_without_empty_rows() {
        let mut t = Typed::from_pairs(&pairs(&[
            ("v.t", " 12,5 "),
            ("v.m", "a"),
            ("v.m", "b"),
            ("v.rows.0.what", ""),
            ("v.rows.1.what", "second"),
            ("v.rows.2.what", ""),
        ]));
        t.compact(&form());
        assert_eq!(t.one("v.rows.0.what"), "second");
        let a = t.answers(&form());
        assert_eq!(
            Value::Object(a),
            serde_json::json!({"t": "12,5", "m": ["a", "b"], "rows": [{"what": "second"}]})
        );
    }

    #[test]
    fn a_records_answers_fill_the_form_again() {
        let values = serde_json::json!({"t": 3.5, "m": ["b"], "rows": [{"what": "x"}]});
        let t = Typed::from_values(&form(), &values, &HashMap::new());
        assert_eq!(t.one("v.t"), "3.5");
        assert_eq!(t.all("v.m"), ["b".to_string()]);
        assert_eq!(t.one("v.rows.0.what"), "x");
        let v = views(Lang::En, &form(), &t, &HashMap::new());
        assert!(v[1].options[1].checked && !v[1].options[0].checked);
        assert_eq!(v[2].rows.len(), 1 + BLANK_ROWS, "answers and blank rows");
    }
}
