//! Records: filled on the revision of a form template in force, numbered
//! per template without gaps, corrected only by new versions, signed where
//! the template asks, and linked to the nonconformities their deviations
//! became.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::{Map, Value};

use super::form::{FormDef, RecordMeaning};
use super::model::{
    FileView, RecordRow, RecordSummary, RecordView, SignatureRow, SignatureView, VersionRow,
    VersionView,
};
use super::values::{self, Checked, FileRef, Refs};
use crate::audit::{self, Actor, Change, Diff};
use crate::auth::model::{Role, User};
use crate::db::schema::{
    certifications, competences, documents, nonconformities, processes, record_files,
    record_nonconformities, record_signatures, record_values, record_versions, records, revisions,
    users,
};
use crate::db::{self, DbConn, write_tx};
use crate::documents::model::{DocStatus, DocumentKind, RevisionStatus};
use crate::error::{AppError, AppResult, Code, ErrorKind};
use crate::ids::new_id;
use crate::kit::date::{midnight, parse_date};
use crate::kit::list::{self, Page, Paging};
use crate::kit::text::required_text;
use crate::store::DocStore;

/// Who fills in and corrects records: everyone who works in the processes.
pub const FILLERS: &[Role] = &[Role::QualityManager, Role::ProcessOwner, Role::Staff];

/// Definitions read from git, by commit: a commit's content never changes,
/// so an entry is never stale.
static FORMS: LazyLock<Mutex<HashMap<String, Arc<FormDef>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The form definition of template `number` at `commit`; `None` when that
/// commit holds none.
///
/// # Errors
/// A git fault.
pub fn form_at(store: &DocStore, number: &str, commit: &str) -> AppResult<Option<Arc<FormDef>>> {
    if let Some(f) = FORMS.lock().ok().and_then(|m| m.get(commit).cloned()) {
        return Ok(Some(f));
    }
    let Some(text) = store
        .read_form(number, commit)
        .map_err(AppError::internal)?
    else {
        return Ok(None);
    };
    let form = Arc::new(FormDef::from_stored(&text)?);
    if let Ok(mut m) = FORMS.lock() {
        if m.len() > 2000 {
            m.clear();
        }
        m.insert(commit.to_string(), form.clone());
    }
    Ok(Some(form))
}

/// A form template with the revision records are filled on.
#[derive(Debug, Clone)]
pub struct Template {
    /// The document's id.
    pub id: String,
    /// Its number.
    pub number: String,
    /// Its title.
    pub title: String,
    /// The code of its process, if any.
    pub process: Option<String>,
    /// The revision in force.
    pub rev: i32,
    /// Its commit.
    pub commit: String,
    /// Its fields.
    pub form: Arc<FormDef>,
}

fn not_found(number: &str) -> AppError {
    AppError::not_found(Code::RecordNotFound, format!("no record {number}"))
}

/// The form template `number` as it is in force.
///
/// # Errors
/// `document_not_found`, `not_a_form_template`, `form_not_effective`.
pub fn template(conn: &mut DbConn, store: &DocStore, number: &str) -> AppResult<Template> {
    let doc: Option<(String, String, DocumentKind, Option<String>, DocStatus)> = documents::table
        .filter(documents::number.eq(number))
        .select((
            documents::id,
            documents::title,
            documents::kind,
            documents::process,
            documents::status,
        ))
        .first(conn)
        .optional()?;
    let Some((id, title, kind, process, status)) = doc else {
        return Err(AppError::not_found(
            Code::DocumentNotFound,
            format!("no document {number}"),
        ));
    };
    if kind != DocumentKind::Form {
        return Err(AppError::invalid(
            Code::NotAFormTemplate,
            format!("{number} is not a form template"),
        ));
    }
    let not_effective = || {
        AppError::conflict(
            Code::FormNotEffective,
            format!(
                "{number} has no revision in force with fields; records are filled on an approved revision"
            ),
        )
    };
    if status != DocStatus::Effective {
        return Err(not_effective());
    }
    let (rev, commit): (i32, Option<String>) = revisions::table
        .filter(revisions::document_id.eq(&id))
        .filter(revisions::status.eq(RevisionStatus::Effective))
        .select((revisions::rev, revisions::commit_id))
        .first(conn)
        .optional()?
        .ok_or_else(not_effective)?;
    let commit = commit.ok_or_else(not_effective)?;
    let form = form_at(store, number, &commit)?.ok_or_else(not_effective)?;
    if form.fields.is_empty() {
        return Err(not_effective());
    }
    Ok(Template {
        id,
        number: number.to_string(),
        title,
        process,
        rev,
        commit,
        form,
    })
}

/// What the answers of a record may name, looked up in the database.
struct DbRefs<'a> {
    conn: &'a mut DbConn,
    template_id: String,
    /// The record being corrected, whose files a correction may keep.
    record_id: Option<String>,
    by: String,
}

impl Refs for DbRefs<'_> {
    fn person(&mut self, username: &str) -> AppResult<bool> {
        let n: i64 = users::table
            .filter(users::username.eq(username))
            .filter(users::active.eq(true))
            .count()
            .get_result(self.conn)?;
        Ok(n > 0)
    }

    fn process(&mut self, code: &str) -> AppResult<bool> {
        let n: i64 = processes::table
            .filter(processes::code.eq(code))
            .count()
            .get_result(self.conn)?;
        Ok(n > 0)
    }

    fn document(&mut self, number: &str) -> AppResult<bool> {
        let n: i64 = documents::table
            .filter(documents::number.eq(number))
            .count()
            .get_result(self.conn)?;
        Ok(n > 0)
    }

    fn file(&mut self, id: &str) -> AppResult<Option<FileRef>> {
        let row: Option<(String, Option<String>, String, String)> = record_files::table
            .find(id)
            .select((
                record_files::template_id,
                record_files::record_id,
                record_files::uploaded_by,
                record_files::content_type,
            ))
            .first(self.conn)
            .optional()?;
        Ok(row.and_then(|(template, record, uploader, content_type)| {
            let usable = template == self.template_id
                && match &record {
                    // Not yet bound: only its uploader may name it.
                    None => uploader == self.by,
                    // Bound: only a correction of the same record keeps it.
                    Some(r) => self.record_id.as_deref() == Some(r.as_str()),
                };
            usable.then_some(FileRef { content_type })
        }))
    }
}

fn actor(by: &User) -> Actor {
    Actor::user(&by.id, &by.username)
}

fn check_answers(
    conn: &mut DbConn,
    form: &FormDef,
    template_id: &str,
    record_id: Option<&str>,
    by: &User,
    given: &Map<String, Value>,
) -> AppResult<Checked> {
    let mut refs = DbRefs {
        conn,
        template_id: template_id.to_string(),
        record_id: record_id.map(str::to_string),
        by: by.id.0.clone(),
    };
    values::check(form, given, &mut refs)
}

fn process_id(conn: &mut DbConn, code: &str) -> AppResult<String> {
    processes::table
        .filter(processes::code.eq(code))
        .select(processes::id)
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Code::ProcessNotFound, format!("no process {code}")))
}

/// Writes a version with its filter index and binds its files.
#[expect(clippy::too_many_arguments, reason = "a version has this many parts")]
fn insert_version(
    conn: &mut DbConn,
    id: &str,
    record_id: &str,
    version: i32,
    template: (i32, &str),
    checked: &Checked,
    reason: &str,
    by: &User,
    at: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(record_versions::table)
        .values(&VersionRow {
            id: id.to_string(),
            record_id: record_id.to_string(),
            version,
            template_rev: template.0,
            template_commit: template.1.to_string(),
            answers: Value::Object(checked.answers.clone()).to_string(),
            deviations: serde_json::to_string(&checked.deviations).unwrap_or_default(),
            reason: reason.to_string(),
            author_id: by.id.0.clone(),
            author_name: by.username.clone(),
            created_at: at,
        })
        .execute(conn)?;
    for (field, text, num) in &checked.scalars {
        diesel::insert_into(record_values::table)
            .values((
                record_values::version_id.eq(id),
                record_values::field.eq(field),
                record_values::text_value.eq(text),
                record_values::num_value.eq(num),
            ))
            .execute(conn)?;
    }
    for file in &checked.files {
        diesel::update(
            record_files::table
                .find(file)
                .filter(record_files::record_id.is_null()),
        )
        .set(record_files::record_id.eq(record_id))
        .execute(conn)?;
    }
    Ok(())
}

/// Submits a record of template `number`, filled on its revision in force,
/// for `process` (by default the template's own). The number is the
/// template's next, in the transaction that stores the record.
///
/// # Errors
/// `forbidden`, the template's refusals, `process_not_found`,
/// `invalid_record` naming each answer refused.
pub fn submit(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    given: &Map<String, Value>,
    process: Option<&str>,
    at: NaiveDateTime,
) -> AppResult<RecordView> {
    by.require_any(FILLERS)?;
    let t = template(conn, store, number)?;
    let process_code = process
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .or_else(|| t.process.clone());
    let process = match &process_code {
        Some(code) => Some(process_id(conn, code)?),
        None => None,
    };
    let checked = check_answers(conn, &t.form, &t.id, None, by, given)?;
    let record_number = write_tx(conn, |conn| {
        let seq = crate::kit::sequence::next(conn, &format!("record:{}", t.number))?;
        let record_number = format!("{}-{seq:04}", t.number);
        let id = new_id();
        // The record row first (versions point at it), then its first version.
        let version_id = new_id();
        diesel::insert_into(records::table)
            .values(&RecordRow {
                id: id.clone(),
                number: record_number.clone(),
                template_id: t.id.clone(),
                seq,
                process_id: process.clone(),
                created_by: by.id.0.clone(),
                created_by_name: by.username.clone(),
                created_at: at,
                version: 1,
                current_version_id: version_id.clone(),
                has_deviation: !checked.deviations.is_empty(),
                signed: t.form.signatures.is_empty(),
                updated_at: at,
            })
            .execute(conn)?;
        insert_version(
            conn,
            &version_id,
            &id,
            1,
            (t.rev, &t.commit),
            &checked,
            "",
            by,
            at,
        )?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "record.submitted",
                entity_type: "record",
                entity_id: &record_number,
                summary: format!(
                    "{} filled in {record_number} ({} r{})",
                    by.username, t.title, t.rev
                ),
                changes: Diff::new()
                    .created("template", &t.number)
                    .created("template_rev", &t.rev)
                    .created("template_commit", &t.commit)
                    .created("process", &process_code)
                    .created("values", &Value::Object(checked.answers.clone()))
                    .created("deviations", &checked.deviations)
                    .into_value(),
            },
        )?;
        Ok(record_number)
    })?;
    get(conn, store, by, &record_number)
}

fn load(conn: &mut DbConn, number: &str) -> AppResult<RecordRow> {
    records::table
        .filter(records::number.eq(number))
        .select(RecordRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| not_found(number))
}

fn versions_of(conn: &mut DbConn, record_id: &str) -> AppResult<Vec<VersionRow>> {
    Ok(record_versions::table
        .filter(record_versions::record_id.eq(record_id))
        .order(record_versions::version.asc())
        .select(VersionRow::as_select())
        .load(conn)?)
}

fn signatures_of(conn: &mut DbConn, record_id: &str) -> AppResult<Vec<SignatureRow>> {
    Ok(record_signatures::table
        .filter(record_signatures::record_id.eq(record_id))
        .order(record_signatures::signed_at.asc())
        .select(SignatureRow::as_select())
        .load(conn)?)
}

fn template_number(conn: &mut DbConn, template_id: &str) -> AppResult<(String, String)> {
    Ok(documents::table
        .find(template_id)
        .select((documents::number, documents::title))
        .first(conn)?)
}

/// Whether every signature `form` asks is on `version`.
fn all_signed(form: &FormDef, signatures: &[SignatureRow], version: i32) -> bool {
    form.signatures.iter().all(|s| {
        signatures
            .iter()
            .any(|g| g.version == version && g.meaning == s.meaning)
    })
}

/// A record and its history, for any reader.
///
/// # Errors
/// `record_not_found`; faults.
pub fn get(conn: &mut DbConn, store: &DocStore, by: &User, number: &str) -> AppResult<RecordView> {
    let r = load(conn, number)?;
    let versions = versions_of(conn, &r.id)?;
    let signatures = signatures_of(conn, &r.id)?;
    let (template, template_title) = template_number(conn, &r.template_id)?;
    let current = versions
        .iter()
        .find(|v| v.id == r.current_version_id)
        .or(versions.last())
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("{number} has no versions")))?;
    let form = form_at(store, &template, &current.template_commit)?.unwrap_or_default();
    let mut ids: Vec<String> = versions.iter().map(|v| v.author_id.clone()).collect();
    ids.extend(signatures.iter().map(|s| s.signer_id.clone()));
    ids.push(r.created_by.clone());
    let names: HashMap<String, String> = users::table
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::display_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let name = |id: &str, fallback: &str| names.get(id).cloned().unwrap_or_else(|| fallback.into());
    let process = match &r.process_id {
        Some(p) => Some(
            processes::table
                .find(p)
                .select(processes::code)
                .first::<String>(conn)?,
        ),
        None => None,
    };
    let files: Vec<FileView> = record_files::table
        .filter(record_files::record_id.eq(&r.id))
        .order(record_files::uploaded_at.asc())
        .select(FileView::as_select())
        .load(conn)?;
    let ncs: Vec<String> = record_nonconformities::table
        .inner_join(nonconformities::table)
        .filter(record_nonconformities::record_id.eq(&r.id))
        .order(nonconformities::number.asc())
        .select(nonconformities::number)
        .load(conn)?;
    let version_views: Vec<VersionView> = versions
        .iter()
        .map(|v| VersionView {
            version: v.version,
            template_rev: v.template_rev,
            template_commit: v.template_commit.clone(),
            values: serde_json::from_str(&v.answers).unwrap_or(Value::Null),
            deviations: serde_json::from_str(&v.deviations).unwrap_or_default(),
            reason: v.reason.clone(),
            author: v.author_name.clone(),
            author_name: name(&v.author_id, &v.author_name),
            created_at: v.created_at,
        })
        .collect();
    let current_view = version_views
        .iter()
        .find(|v| v.version == current.version)
        .cloned()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("{number}: no current version")))?;
    let mut allowed = Vec::new();
    if may_correct(by, &r) {
        allowed.push("correct".to_string());
    }
    let unsigned = form.signatures.iter().any(|s| {
        !signatures
            .iter()
            .any(|g| g.version == r.version && g.meaning == s.meaning)
    });
    if unsigned && by.may_sign() {
        allowed.push("sign".to_string());
    }
    if by.has_any(FILLERS) {
        allowed.push("report_nonconformity".to_string());
    }
    Ok(RecordView {
        number: r.number.clone(),
        template,
        template_title,
        process,
        created_by: r.created_by_name.clone(),
        created_by_name: name(&r.created_by, &r.created_by_name),
        created_at: r.created_at,
        version: r.version,
        template_rev: current.template_rev,
        template_commit: current.template_commit.clone(),
        values: current_view.values,
        deviations: current_view.deviations,
        signed: r.signed,
        signatures_asked: form.signatures.clone(),
        signatures: signatures
            .iter()
            .map(|s| SignatureView {
                version: s.version,
                meaning: s.meaning,
                signer: s.signer_name.clone(),
                signer_name: name(&s.signer_id, &s.signer_name),
                competence: s.competence_code.clone(),
                signed_at: s.signed_at,
            })
            .collect(),
        versions: version_views,
        files,
        nonconformities: ncs,
        allowed_steps: allowed,
    })
}

fn stale_version(number: &str, now: i32) -> AppError {
    AppError::conflict(
        Code::VersionConflict,
        format!("{number} was corrected meanwhile (now version {now}); read it again"),
    )
}

fn may_correct(by: &User, r: &RecordRow) -> bool {
    by.has_role(Role::QualityManager) || (by.id.0 == r.created_by && by.has_any(FILLERS))
}

/// Corrects a record: a new version with a reason, checked against the
/// template revision the record was filled on. `version`, when given, is the
/// version the corrector read; a later one makes this a conflict.
///
/// # Errors
/// `not_record_author`, `reason_required`, `version_conflict`, `invalid_record`.
#[expect(
    clippy::too_many_arguments,
    reason = "a correction has this many parts"
)]
pub fn correct(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    given: &Map<String, Value>,
    reason: &str,
    version: Option<i32>,
    at: NaiveDateTime,
) -> AppResult<RecordView> {
    by.require_any(FILLERS)?;
    let r = load(conn, number)?;
    if !may_correct(by, &r) {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            Code::NotRecordAuthor,
            "only the person who filled in the record or a quality manager corrects it",
        ));
    }
    let reason = required_text("the reason", Code::ReasonRequired, reason, 2000)?;
    if version.is_some_and(|v| v != r.version) {
        return Err(stale_version(number, r.version));
    }
    let first: VersionRow = record_versions::table
        .filter(record_versions::record_id.eq(&r.id))
        .filter(record_versions::version.eq(1))
        .select(VersionRow::as_select())
        .first(conn)?;
    let (template, _) = template_number(conn, &r.template_id)?;
    let form = form_at(store, &template, &first.template_commit)?.unwrap_or_default();
    let checked = check_answers(conn, &form, &r.template_id, Some(&r.id), by, given)?;
    write_tx(conn, |conn| {
        db::lock_row(conn, &r.id)?;
        let now_row: RecordRow = records::table
            .find(&r.id)
            .select(RecordRow::as_select())
            .first(conn)?;
        if version.is_some_and(|v| v != now_row.version) {
            return Err(stale_version(number, now_row.version));
        }
        let before: VersionRow = record_versions::table
            .find(&now_row.current_version_id)
            .select(VersionRow::as_select())
            .first(conn)?;
        let next = now_row.version + 1;
        let vid = new_id();
        insert_version(
            conn,
            &vid,
            &r.id,
            next,
            (first.template_rev, &first.template_commit),
            &checked,
            &reason,
            by,
            at,
        )?;
        diesel::update(records::table.find(&r.id))
            .set((
                records::version.eq(next),
                records::current_version_id.eq(&vid),
                records::has_deviation.eq(!checked.deviations.is_empty()),
                records::signed.eq(form.signatures.is_empty()),
                records::updated_at.eq(at),
            ))
            .execute(conn)?;
        let old: Map<String, Value> = serde_json::from_str(&before.answers).unwrap_or_default();
        let mut diff = Diff::new();
        for f in &form.fields {
            let (a, b) = (old.get(&f.key), checked.answers.get(&f.key));
            if a != b {
                diff = diff.field(&f.key, &a, &b);
            }
        }
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "record.corrected",
                entity_type: "record",
                entity_id: number,
                summary: format!(
                    "{} corrected {number} (version {next}): {reason}",
                    by.username
                ),
                changes: diff
                    .field("version", &now_row.version, &next)
                    .created("reason", &reason)
                    .into_value(),
            },
        )
    })?;
    get(conn, store, by, number)
}

/// The certification by which `user` holds competence `code` on `today`:
/// the latest that is not corrected and has not expired.
fn holding(
    conn: &mut DbConn,
    user: &str,
    code: &str,
    today: NaiveDate,
) -> AppResult<Option<String>> {
    let competence: Option<String> = competences::table
        .filter(competences::code.eq(code))
        .select(competences::id)
        .first(conn)
        .optional()?;
    let Some(competence) = competence else {
        return Ok(None);
    };
    let rows: Vec<(String, Option<NaiveDateTime>)> = certifications::table
        .filter(certifications::user_id.eq(user))
        .filter(certifications::competence_id.eq(&competence))
        .filter(certifications::corrected.eq(false))
        .filter(certifications::issued_on.le(midnight(today)))
        .order(certifications::issued_on.desc())
        .select((certifications::id, certifications::expires_on))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .find(|(_, until)| until.is_none_or(|u| u.date() >= today))
        .map(|(id, _)| id))
}

/// Signs the version in force of a record, as `reviewed` or `released`,
/// after checking the password again; where the template names a
/// competence, only a holder of it on `today` may.
///
/// # Errors
/// `signer_not_allowed`, `signature_not_asked`, `author_cannot_review`,
/// `signer_lacks_competence`, `signature_password_mismatch`, `already_signed`.
#[expect(clippy::too_many_arguments, reason = "a signature has this many parts")]
pub fn sign(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    password: &str,
    meaning: RecordMeaning,
    version: Option<i32>,
    at: NaiveDateTime,
    today: NaiveDate,
) -> AppResult<RecordView> {
    if !by.may_sign() {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            Code::SignerNotAllowed,
            "your roles do not sign (auditors and admins never sign); nothing was recorded",
        ));
    }
    let r = load(conn, number)?;
    let current: VersionRow = record_versions::table
        .find(&r.current_version_id)
        .select(VersionRow::as_select())
        .first(conn)?;
    let (template, _) = template_number(conn, &r.template_id)?;
    let form = form_at(store, &template, &current.template_commit)?.unwrap_or_default();
    let Some(asked) = form.sign_off(meaning).cloned() else {
        return Err(AppError::conflict(
            Code::SignatureNotAsked,
            format!("{template} does not ask for a `{meaning}` signature"),
        ));
    };
    if meaning == RecordMeaning::Reviewed && current.author_id == by.id.0 {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            Code::AuthorCannotReview,
            "the person who wrote this version cannot sign it as reviewed",
        ));
    }
    let certification = match &asked.competence {
        Some(code) => Some(holding(conn, &by.id.0, code, today)?.ok_or_else(|| {
            AppError::new(
                ErrorKind::Forbidden,
                Code::SignerLacksCompetence,
                format!("a `{meaning}` signature on {template} needs a valid certification of {code}; nothing was recorded"),
            )
        })?),
        None => None,
    };
    confirm_password(conn, by, number, password)?;
    write_tx(conn, |conn| {
        db::lock_row(conn, &r.id)?;
        let now_row: RecordRow = records::table
            .find(&r.id)
            .select(RecordRow::as_select())
            .first(conn)?;
        if now_row.version != r.version || version.is_some_and(|v| v != now_row.version) {
            return Err(AppError::conflict(
                Code::VersionConflict,
                format!("{number} was corrected meanwhile; read it again before signing"),
            ));
        }
        let mut given = signatures_of(conn, &r.id)?;
        if given
            .iter()
            .any(|g| g.version == now_row.version && g.meaning == meaning)
        {
            return Err(AppError::conflict(
                Code::AlreadySigned,
                format!(
                    "version {} of {number} is already signed `{meaning}`",
                    now_row.version
                ),
            ));
        }
        let row = SignatureRow {
            id: new_id(),
            record_id: r.id.clone(),
            version: now_row.version,
            meaning,
            signer_id: by.id.0.clone(),
            signer_name: by.username.clone(),
            competence_code: asked.competence.clone(),
            certification_id: certification.clone(),
            signed_at: at,
        };
        diesel::insert_into(record_signatures::table)
            .values(&row)
            .execute(conn)?;
        given.push(row);
        let signed = all_signed(&form, &given, now_row.version);
        diesel::update(records::table.find(&r.id))
            .set((records::signed.eq(signed), records::updated_at.eq(at)))
            .execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "record.signed",
                entity_type: "record",
                entity_id: number,
                summary: format!(
                    "{} signed {number} version {} as {meaning}",
                    by.username, now_row.version
                ),
                changes: Diff::new()
                    .created("meaning", &meaning.as_str())
                    .created("version", &now_row.version)
                    .created("competence", &asked.competence)
                    .created("certification", &certification)
                    .field("signed", &now_row.signed, &signed)
                    .into_value(),
            },
        )
    })?;
    get(conn, store, by, number)
}

fn confirm_password(conn: &mut DbConn, by: &User, number: &str, password: &str) -> AppResult<()> {
    let stored: String = users::table
        .find(by.id.as_str())
        .select(users::password_hash)
        .first(conn)?;
    if crate::auth::password::verify_password(password, &stored) {
        return Ok(());
    }
    write_tx(conn, |conn| {
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "signature.password_mismatch",
                entity_type: "record",
                entity_id: number,
                summary: format!("{} gave a wrong password to sign {number}", by.username),
                changes: serde_json::json!({ "purpose": "sign" }),
            },
        )
    })?;
    Err(AppError::new(
        ErrorKind::Forbidden,
        Code::SignaturePasswordMismatch,
        "the password does not match; the signature was not recorded",
    ))
}

/// Links a nonconformity reported from a record, inside the report's
/// transaction. Answers the record's number.
///
/// # Errors
/// `record_not_found`; a database fault.
pub fn link_nonconformity(
    conn: &mut DbConn,
    by: &User,
    record_id: &str,
    nc_id: &str,
    at: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(record_nonconformities::table)
        .values((
            record_nonconformities::record_id.eq(record_id),
            record_nonconformities::nc_id.eq(nc_id),
            record_nonconformities::linked_by.eq(by.id.as_str()),
            record_nonconformities::linked_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The id of record `number`, for a nonconformity reported from it.
///
/// # Errors
/// `record_not_found`.
pub fn record_id(conn: &mut DbConn, number: &str) -> AppResult<String> {
    Ok(load(conn, number)?.id)
}

/// The records a nonconformity was reported from.
///
/// # Errors
/// A database fault.
pub fn records_of_nonconformity(conn: &mut DbConn, nc_id: &str) -> AppResult<Vec<String>> {
    Ok(record_nonconformities::table
        .inner_join(records::table)
        .filter(record_nonconformities::nc_id.eq(nc_id))
        .order(records::number.asc())
        .select(records::number)
        .load(conn)?)
}

/// Stores a file for a file or photo field of template `number`, before
/// the record that names it is submitted.
///
/// # Errors
/// `forbidden`, the template's refusals, `invalid_attachment_name`, `empty_file`.
pub fn upload_file(
    conn: &mut DbConn,
    by: &User,
    number: &str,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
    at: NaiveDateTime,
) -> AppResult<FileView> {
    by.require_any(FILLERS)?;
    let template: Option<(String, DocumentKind)> = documents::table
        .filter(documents::number.eq(number))
        .select((documents::id, documents::kind))
        .first(conn)
        .optional()?;
    let Some((template_id, kind)) = template else {
        return Err(AppError::not_found(
            Code::DocumentNotFound,
            format!("no document {number}"),
        ));
    };
    if kind != DocumentKind::Form {
        return Err(AppError::invalid(
            Code::NotAFormTemplate,
            format!("{number} is not a form template"),
        ));
    }
    let file = crate::kit::file::check(filename, content_type, bytes)?;
    let id = new_id();
    write_tx(conn, |conn| {
        diesel::insert_into(record_files::table)
            .values((
                record_files::id.eq(&id),
                record_files::template_id.eq(&template_id),
                record_files::filename.eq(&file.filename),
                record_files::content_type.eq(&file.content_type),
                record_files::size.eq(file.size),
                record_files::sha256.eq(&file.sha256),
                record_files::content.eq(bytes),
                record_files::uploaded_by.eq(by.id.as_str()),
                record_files::uploaded_at.eq(at),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "record.file_uploaded",
                entity_type: "document",
                entity_id: number,
                summary: format!(
                    "{} uploaded {} for a record of {number}",
                    by.username, file.filename
                ),
                changes: Diff::new()
                    .created("file", &id)
                    .created("filename", &file.filename)
                    .created("sha256", &file.sha256)
                    .into_value(),
            },
        )
    })?;
    Ok(FileView {
        id,
        filename: file.filename,
        content_type: file.content_type,
        size: file.size,
        sha256: file.sha256,
    })
}

/// One file of a record with its content.
///
/// # Errors
/// `record_not_found`, `record_file_not_found`.
pub fn file(conn: &mut DbConn, number: &str, id: &str) -> AppResult<(FileView, Vec<u8>)> {
    let r = load(conn, number)?;
    let found: Option<(FileView, Vec<u8>)> = record_files::table
        .filter(record_files::id.eq(id))
        .filter(record_files::record_id.eq(&r.id))
        .select((FileView::as_select(), record_files::content))
        .first(conn)
        .optional()?;
    found.ok_or_else(|| {
        AppError::not_found(
            Code::RecordFileNotFound,
            format!("{number} has no file {id}"),
        )
    })
}

// ------------------------------------------------------------------ the register

/// Filters of a template's register.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordFilter {
    /// Filled in on or after this day (`2026-10-01`).
    #[param(value_type = Option<NaiveDate>)]
    pub from: Option<String>,
    /// Filled in on or before this day.
    #[param(value_type = Option<NaiveDate>)]
    pub to: Option<String>,
    /// The code of the process.
    pub process: Option<String>,
    /// The username of who filled it in.
    pub person: Option<String>,
    /// The record's number (`FORM-003-0017`) or its sequence (`17`).
    pub number: Option<String>,
    /// Conditions on the answers in force: `key:value` (equal), `key>=n`,
    /// `key<=n`; repeat for several (all must hold).
    #[serde(default)]
    pub value: Vec<String>,
    /// The page, from 1.
    pub page: Option<i64>,
    /// Records a page (1-200, default 50).
    pub per_page: Option<i64>,
}

enum Condition {
    Equal(String, String),
    AtLeast(String, f64),
    AtMost(String, f64),
}

fn bad_filter(s: &str) -> AppError {
    AppError::invalid(
        Code::InvalidRecordFilter,
        format!(
            "`{s}` is not a filter such as ok:no, reading>=5 or reading<=9.5 on a field of the form"
        ),
    )
}

fn parse_condition(form: &FormDef, s: &str) -> AppResult<Condition> {
    let number = |key: &str, n: &str| -> AppResult<f64> {
        crate::kit::number::decimal("the filter", n)
            .map(|(_, v)| v)
            .map_err(|_| bad_filter(s))
            .and_then(|v| {
                if form.field(key).is_some() {
                    Ok(v)
                } else {
                    Err(bad_filter(s))
                }
            })
    };
    if let Some((k, n)) = s.split_once(">=") {
        return Ok(Condition::AtLeast(k.trim().into(), number(k.trim(), n)?));
    }
    if let Some((k, n)) = s.split_once("<=") {
        return Ok(Condition::AtMost(k.trim().into(), number(k.trim(), n)?));
    }
    let (k, v) = s.split_once(':').ok_or_else(|| bad_filter(s))?;
    let key = k.trim();
    if form.field(key).is_none() {
        return Err(bad_filter(s));
    }
    Ok(Condition::Equal(key.into(), v.trim().into()))
}

/// The register of template `number`: its records, newest first, filtered.
/// Field conditions are on the fields of the revision in force.
///
/// # Errors
/// The template's refusals; `invalid_date`, `invalid_record_filter`.
pub fn list(
    conn: &mut DbConn,
    store: &DocStore,
    number: &str,
    f: &RecordFilter,
) -> AppResult<Page<RecordSummary>> {
    let (template_id, form) = register_of(conn, store, number)?;
    let from = blank(&f.from).map(|s| parse_date("from", s)).transpose()?;
    let to = blank(&f.to).map(|s| parse_date("to", s)).transpose()?;
    // An unknown process or person selects nothing.
    let process: Option<String> = match blank(&f.process) {
        Some(code) => Some(
            processes::table
                .filter(processes::code.eq(code))
                .select(processes::id)
                .first(conn)
                .optional()?
                .unwrap_or_default(),
        ),
        None => None,
    };
    let person: Option<String> = match blank(&f.person) {
        Some(name) => Some(
            users::table
                .filter(users::username.eq(name))
                .select(users::id)
                .first(conn)
                .optional()?
                .unwrap_or_default(),
        ),
        None => None,
    };
    let wanted_number = blank(&f.number).map(|n| match n.parse::<i32>() {
        Ok(seq) => (None, Some(seq)),
        Err(_) => (Some(n.to_string()), None),
    });
    let conditions: Vec<Condition> = f
        .value
        .iter()
        .filter(|v| !v.trim().is_empty())
        .map(|v| parse_condition(&form, v))
        .collect::<AppResult<_>>()?;
    let filtered = || {
        let mut q = records::table
            .filter(records::template_id.eq(template_id.clone()))
            .into_boxed();
        if let Some(d) = from {
            q = q.filter(records::created_at.ge(midnight(d)));
        }
        if let Some(d) = to {
            q = q.filter(records::created_at.lt(midnight(d + chrono::TimeDelta::days(1))));
        }
        if let Some(p) = &process {
            q = q.filter(records::process_id.eq(p.clone()));
        }
        if let Some(p) = &person {
            q = q.filter(records::created_by.eq(p.clone()));
        }
        match &wanted_number {
            Some((Some(n), _)) => q = q.filter(records::number.eq(n.clone())),
            Some((_, Some(seq))) => q = q.filter(records::seq.eq(*seq)),
            _ => {}
        }
        for c in &conditions {
            use record_values::{field, num_value, table as values, text_value, version_id};
            q = match c {
                Condition::Equal(k, v) => q.filter(
                    records::current_version_id.eq_any(
                        values
                            .filter(field.eq(k.clone()))
                            .filter(text_value.eq(v.clone()))
                            .select(version_id),
                    ),
                ),
                Condition::AtLeast(k, n) => q.filter(
                    records::current_version_id.eq_any(
                        values
                            .filter(field.eq(k.clone()))
                            .filter(num_value.ge(*n))
                            .select(version_id),
                    ),
                ),
                Condition::AtMost(k, n) => q.filter(
                    records::current_version_id.eq_any(
                        values
                            .filter(field.eq(k.clone()))
                            .filter(num_value.le(*n))
                            .select(version_id),
                    ),
                ),
            };
        }
        q
    };
    let page = list::page(
        conn,
        Paging::new(f.page, f.per_page),
        filtered,
        |q, conn| {
            q.order(records::seq.desc())
                .select(RecordRow::as_select())
                .load::<RecordRow>(conn)
        },
    )?;
    summaries(conn, page)
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The template of a register and the fields its filters and columns use:
/// those of the revision in force, or of the last approved one.
///
/// # Errors
/// `document_not_found`, `not_a_form_template`.
pub fn register_of(
    conn: &mut DbConn,
    store: &DocStore,
    number: &str,
) -> AppResult<(String, Arc<FormDef>)> {
    match template(conn, store, number) {
        Ok(t) => Ok((t.id, t.form)),
        Err(e) if e.code == Code::FormNotEffective => {
            let id: String = documents::table
                .filter(documents::number.eq(number))
                .select(documents::id)
                .first(conn)?;
            let last: Option<Option<String>> = revisions::table
                .filter(revisions::document_id.eq(&id))
                .filter(revisions::approved_at.is_not_null())
                .order(revisions::rev.desc())
                .select(revisions::commit_id)
                .first(conn)
                .optional()?;
            let form = match last.flatten() {
                Some(c) => form_at(store, number, &c)?.unwrap_or_default(),
                None => Arc::new(FormDef::default()),
            };
            Ok((id, form))
        }
        Err(e) => Err(e),
    }
}

fn summaries(conn: &mut DbConn, page: Page<RecordRow>) -> AppResult<Page<RecordSummary>> {
    let version_ids: Vec<&str> = page
        .items
        .iter()
        .map(|r| r.current_version_id.as_str())
        .collect();
    let answers: HashMap<String, String> = record_versions::table
        .filter(record_versions::id.eq_any(&version_ids))
        .select((record_versions::id, record_versions::answers))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let process_ids: Vec<&str> = page
        .items
        .iter()
        .filter_map(|r| r.process_id.as_deref())
        .collect();
    let codes: HashMap<String, String> = processes::table
        .filter(processes::id.eq_any(&process_ids))
        .select((processes::id, processes::code))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    Ok(page.map(|r| RecordSummary {
        values: answers
            .get(&r.current_version_id)
            .and_then(|a| serde_json::from_str(a).ok())
            .unwrap_or(Value::Null),
        process: r.process_id.as_ref().and_then(|p| codes.get(p).cloned()),
        number: r.number,
        seq: r.seq,
        created_by: r.created_by_name,
        created_at: r.created_at,
        version: r.version,
        has_deviation: r.has_deviation,
        signed: r.signed,
    }))
}

/// Every record of the register that the filters select, for a download:
/// all pages, oldest first.
///
/// # Errors
/// As [`list`].
pub fn all_for_download(
    conn: &mut DbConn,
    store: &DocStore,
    number: &str,
    f: &RecordFilter,
) -> AppResult<Vec<RecordSummary>> {
    let mut out = Vec::new();
    let mut page = 1;
    loop {
        let got = list(
            conn,
            store,
            number,
            &RecordFilter {
                page: Some(page),
                per_page: Some(200),
                ..f.clone()
            },
        )?;
        let done = got.items.len() < 200;
        out.extend(got.items);
        if done {
            break;
        }
        page += 1;
    }
    out.reverse();
    Ok(out)
}

/// The count of records a template has, for the references of a process.
///
/// # Errors
/// A database fault.
pub fn count_for_process(conn: &mut DbConn, process_id: &str) -> AppResult<i64> {
    Ok(records::table
        .filter(records::process_id.eq(process_id))
        .count()
        .get_result(conn)?)
}
