//! The catalogue of competences and who must hold them.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{CompetenceRow, CompetenceStatus, LevelInput, RequirementRow, Scale, Scope};
use crate::audit::{self, Actor, Change, Diff};
use crate::auth::model::{Role, User};
use crate::db::schema::{competence_requirements, competences, documents, processes, users};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code};
use crate::i18n::Lang;
use crate::ids::{new_id, now};
use crate::kit::text::{long_text, optional_line, required_line};

/// Who may change the catalogue and the requirements.
pub const CATALOGUE_ROLES: &[Role] = &[Role::QualityManager];

pub(crate) fn actor(u: &User) -> Actor {
    Actor::user(&u.id, &u.username)
}

/// A competence code: `WELD-135`, `FORKLIFT`, two to twenty capitals,
/// digits, `-` or `_`, starting with a capital.
///
/// # Errors
/// `invalid_competence_code`.
pub fn parse_code(s: &str) -> AppResult<String> {
    let s = s.trim().to_ascii_uppercase();
    let ok = (2..=20).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(s)
    } else {
        Err(AppError::invalid(
            Code::InvalidCompetenceCode,
            format!("`{s}` is not a competence code such as WELD-135 or FIRST-AID"),
        ))
    }
}

/// What a caller sends to catalogue or change a competence. On a change,
/// fields left out keep their value.
#[derive(Debug, Default, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompetenceInput {
    /// The code (only when cataloguing; a code never changes).
    pub code: Option<String>,
    /// The name in English.
    pub name: Option<String>,
    /// The name in Finnish (the English name when left out).
    pub name_fi: Option<String>,
    /// What it covers, in English.
    pub description: Option<String>,
    /// What it covers, in Finnish.
    pub description_fi: Option<String>,
    /// How many months a certification is valid; leave out or null for good.
    pub validity_months: Option<i32>,
    /// Whether each certification must come with an evidence file.
    pub evidence_required: Option<bool>,
    /// The level scale: `none` (default), `iluo` or `one_to_five`.
    #[schema(value_type = Option<Scale>)]
    pub scale: Option<String>,
    /// `active` or `retired` (on a change).
    #[schema(value_type = Option<CompetenceStatus>)]
    pub status: Option<String>,
    /// The version read, on a change: refused if someone changed it since.
    pub version: Option<i32>,
    /// Set to clear `validity_months` (valid for good) on a change.
    pub no_expiry: Option<bool>,
}

/// A competence as the catalogue shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompetenceView {
    /// Its code.
    pub code: String,
    /// Its name in English.
    pub name: String,
    /// Its name in Finnish.
    pub name_fi: String,
    /// What it covers, in English.
    pub description: String,
    /// What it covers, in Finnish.
    pub description_fi: String,
    /// Months a certification is valid; null: for good.
    pub validity_months: Option<i32>,
    /// Whether a certification needs an evidence file.
    pub evidence_required: bool,
    /// The level scale.
    pub scale: Scale,
    /// The levels' short names, lowest first (`I`, `L`, `U`, `O`).
    pub levels: Vec<String>,
    /// `active` or `retired`.
    pub status: CompetenceStatus,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Who must hold it.
    pub requirements: Vec<RequirementView>,
}

impl CompetenceView {
    /// The name in `lang`.
    pub fn name_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi if !self.name_fi.is_empty() => &self.name_fi,
            _ => &self.name,
        }
    }
}

/// One requirement of a competence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequirementView {
    /// Its id (to remove it).
    pub id: String,
    /// `process`, `role`, `user` or `document`.
    pub scope: Scope,
    /// The process code, role, username or document number.
    pub target: String,
    /// The process's or document's title, or the person's name.
    pub target_name: String,
    /// The least level required, if any.
    pub level: Option<i32>,
    /// Its short name on the scale.
    pub level_label: Option<String>,
}

pub(crate) fn view(row: CompetenceRow, requirements: Vec<RequirementView>) -> CompetenceView {
    CompetenceView {
        levels: (1..=row.scale.levels())
            .map(|n| row.scale.label(n))
            .collect(),
        code: row.code,
        name: row.name_en,
        name_fi: row.name_fi,
        description: row.description_en,
        description_fi: row.description_fi,
        validity_months: row.validity_months,
        evidence_required: row.evidence_required,
        scale: row.scale,
        status: row.status,
        version: row.version,
        requirements,
    }
}

pub(crate) fn not_found(code: &str) -> AppError {
    AppError::not_found(
        Code::CompetenceNotFound,
        format!("there is no competence {}", code.trim()),
    )
}

/// The competence with `code`.
///
/// # Errors
/// `competence_not_found`.
pub fn row_by_code(conn: &mut DbConn, code: &str) -> AppResult<CompetenceRow> {
    competences::table
        .filter(competences::code.eq(code.trim().to_ascii_uppercase()))
        .select(CompetenceRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| not_found(code))
}

/// A competence named in a request body (422 when there is none).
///
/// # Errors
/// `competence_not_found` (422).
pub fn named(conn: &mut DbConn, code: &str) -> AppResult<CompetenceRow> {
    row_by_code(conn, code).map_err(|_| {
        AppError::invalid(
            Code::CompetenceNotFound,
            format!("there is no competence {}", code.trim()),
        )
    })
}

fn validity(v: Option<i32>) -> AppResult<Option<i32>> {
    match v {
        Some(m) if !(1..=600).contains(&m) => Err(AppError::invalid(
            Code::InvalidValidity,
            "the validity is 1 to 600 months, or none",
        )),
        v => Ok(v),
    }
}

fn name_line(s: &str) -> AppResult<String> {
    required_line("a competence name", Code::InvalidCompetenceName, s, 200)
}

fn optional_name(s: Option<&str>) -> AppResult<String> {
    optional_line(
        "a competence name",
        Code::InvalidCompetenceName,
        s.unwrap_or_default(),
        200,
    )
}

/// Catalogues a competence.
///
/// # Errors
/// `forbidden`, `invalid_competence_code`, `invalid_competence_name`,
/// `invalid_validity`, `invalid_scale`, `competence_code_taken`.
pub fn create(conn: &mut DbConn, by: &User, input: CompetenceInput) -> AppResult<CompetenceView> {
    by.require_any(CATALOGUE_ROLES)?;
    let code = parse_code(input.code.as_deref().unwrap_or_default())?;
    let name_en = name_line(input.name.as_deref().unwrap_or_default())?;
    let name_fi = optional_name(input.name_fi.as_deref())?;
    let t = now();
    let row = CompetenceRow {
        id: new_id(),
        code,
        name_fi: if name_fi.is_empty() {
            name_en.clone()
        } else {
            name_fi
        },
        name_en,
        description_en: long_text(
            "the description",
            input.description.as_deref().unwrap_or_default(),
        )?,
        description_fi: long_text(
            "the description",
            input.description_fi.as_deref().unwrap_or_default(),
        )?,
        validity_months: validity(input.validity_months)?,
        evidence_required: input.evidence_required.unwrap_or(false),
        scale: input
            .scale
            .as_deref()
            .map(Scale::parse)
            .transpose()?
            .unwrap_or(Scale::None),
        status: CompetenceStatus::Active,
        version: 1,
        created_at: t,
        updated_at: t,
    };
    write_tx(conn, |conn| {
        let taken: i64 = competences::table
            .filter(competences::code.eq(&row.code))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(AppError::conflict(
                Code::CompetenceCodeTaken,
                format!("the code {} is taken", row.code),
            ));
        }
        diesel::insert_into(competences::table)
            .values(&row)
            .execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "competence.created",
                entity_type: "competence",
                entity_id: &row.code,
                summary: format!("catalogued competence {} {}", row.code, row.name_en),
                changes: Diff::new()
                    .created("name", &row.name_en)
                    .created("name_fi", &row.name_fi)
                    .created("validity_months", &row.validity_months)
                    .created("evidence_required", &row.evidence_required)
                    .created("scale", &row.scale)
                    .into_value(),
            },
        )?;
        Ok(())
    })?;
    get(conn, &row.code)
}

/// Changes a competence. A new validity applies to certifications recorded
/// from now on; those recorded keep the expiry they were given.
///
/// # Errors
/// `forbidden`, `competence_not_found`, `version_conflict`, the field refusals
/// of [`create`], `scale_in_use` (the scale cannot change once levels are recorded).
pub fn update(
    conn: &mut DbConn,
    by: &User,
    code: &str,
    input: CompetenceInput,
) -> AppResult<CompetenceView> {
    by.require_any(CATALOGUE_ROLES)?;
    let t = now();
    let code = write_tx(conn, |conn| {
        let before = row_by_code(conn, code)?;
        crate::db::lock_row(conn, &before.id)?;
        let before = row_by_code(conn, code)?;
        if let Some(v) = input.version
            && v != before.version
        {
            return Err(AppError::conflict(
                Code::VersionConflict,
                format!(
                    "{} was changed by someone else since you opened it; reload and try again",
                    before.code
                ),
            ));
        }
        let mut after = before.clone();
        if let Some(n) = &input.name {
            after.name_en = name_line(n)?;
        }
        if let Some(n) = &input.name_fi {
            let n = optional_name(Some(n))?;
            after.name_fi = if n.is_empty() {
                after.name_en.clone()
            } else {
                n
            };
        }
        if let Some(d) = &input.description {
            after.description_en = long_text("the description", d)?;
        }
        if let Some(d) = &input.description_fi {
            after.description_fi = long_text("the description", d)?;
        }
        if input.no_expiry == Some(true) {
            after.validity_months = None;
        } else if input.validity_months.is_some() {
            after.validity_months = validity(input.validity_months)?;
        }
        if let Some(e) = input.evidence_required {
            after.evidence_required = e;
        }
        if let Some(s) = &input.scale {
            after.scale = Scale::parse(s)?;
            if after.scale != before.scale {
                use crate::db::schema::certifications;
                let levelled: i64 = certifications::table
                    .filter(certifications::competence_id.eq(&before.id))
                    .filter(certifications::level.is_not_null())
                    .count()
                    .get_result(conn)?;
                if levelled > 0 {
                    return Err(AppError::conflict(
                        Code::ScaleInUse,
                        "levels are already recorded on this scale; catalogue a new competence instead",
                    ));
                }
            }
        }
        if let Some(s) = &input.status {
            after.status = CompetenceStatus::parse(s)?;
        }
        let diff = Diff::new()
            .field("name", &before.name_en, &after.name_en)
            .field("name_fi", &before.name_fi, &after.name_fi)
            .field("description", &before.description_en, &after.description_en)
            .field(
                "description_fi",
                &before.description_fi,
                &after.description_fi,
            )
            .field(
                "validity_months",
                &before.validity_months,
                &after.validity_months,
            )
            .field(
                "evidence_required",
                &before.evidence_required,
                &after.evidence_required,
            )
            .field("scale", &before.scale, &after.scale)
            .field("status", &before.status, &after.status);
        if diff.is_empty() {
            return Ok(before.code);
        }
        let n = diesel::update(
            competences::table
                .filter(competences::id.eq(&before.id))
                .filter(competences::version.eq(before.version)),
        )
        .set((
            competences::name_en.eq(&after.name_en),
            competences::name_fi.eq(&after.name_fi),
            competences::description_en.eq(&after.description_en),
            competences::description_fi.eq(&after.description_fi),
            competences::validity_months.eq(after.validity_months),
            competences::evidence_required.eq(after.evidence_required),
            competences::scale.eq(after.scale),
            competences::status.eq(after.status),
            competences::version.eq(before.version + 1),
            competences::updated_at.eq(t),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::conflict(
                Code::VersionConflict,
                "changed by someone else; reload and try again",
            ));
        }
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "competence.updated",
                entity_type: "competence",
                entity_id: &before.code,
                summary: format!("changed competence {}", before.code),
                changes: diff.into_value(),
            },
        )?;
        Ok(before.code)
    })?;
    get(conn, &code)
}

/// Every competence (active first, then by code), with its requirements,
/// in three queries.
///
/// # Errors
/// A database fault.
pub fn list(conn: &mut DbConn, status: Option<CompetenceStatus>) -> AppResult<Vec<CompetenceView>> {
    let mut q = competences::table
        .select(CompetenceRow::as_select())
        .order(competences::code)
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(competences::status.eq(s));
    }
    let rows: Vec<CompetenceRow> = q.load(conn)?;
    let mut reqs = requirement_views(conn, None)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mine = reqs.remove(&r.id).unwrap_or_default();
            view(r, mine)
        })
        .collect())
}

/// One competence with its requirements.
///
/// # Errors
/// `competence_not_found`.
pub fn get(conn: &mut DbConn, code: &str) -> AppResult<CompetenceView> {
    let row = row_by_code(conn, code)?;
    let mut reqs = requirement_views(conn, Some(&row.id))?;
    let mine = reqs.remove(&row.id).unwrap_or_default();
    Ok(view(row, mine))
}

/// Requirements by competence id, each with the name of what it targets.
fn requirement_views(
    conn: &mut DbConn,
    competence: Option<&str>,
) -> AppResult<std::collections::HashMap<String, Vec<RequirementView>>> {
    let mut q = competence_requirements::table
        .inner_join(competences::table)
        .select((RequirementRow::as_select(), competences::scale))
        .order((
            competence_requirements::scope,
            competence_requirements::target,
        ))
        .into_boxed();
    if let Some(id) = competence {
        q = q.filter(competence_requirements::competence_id.eq(id));
    }
    let rows: Vec<(RequirementRow, Scale)> = q.load(conn)?;
    let names = Targets::load(conn)?;
    let mut out: std::collections::HashMap<String, Vec<RequirementView>> = Default::default();
    for (r, scale) in rows {
        let (target, target_name) = names.describe(r.scope, &r.target);
        out.entry(r.competence_id.clone())
            .or_default()
            .push(RequirementView {
                id: r.id,
                scope: r.scope,
                target,
                target_name,
                level: r.level,
                level_label: r.level.map(|n| scale.label(n)),
            });
    }
    Ok(out)
}

/// The names of what requirements can target, by id.
pub(crate) struct Targets {
    processes: std::collections::HashMap<String, (String, String)>,
    users: std::collections::HashMap<String, (String, String)>,
    documents: std::collections::HashMap<String, (String, String)>,
}

impl Targets {
    pub(crate) fn load(conn: &mut DbConn) -> AppResult<Targets> {
        let pairs = |v: Vec<(String, String, String)>| {
            v.into_iter()
                .map(|(id, key, name)| (id, (key, name)))
                .collect()
        };
        Ok(Targets {
            processes: pairs(
                processes::table
                    .select((processes::id, processes::code, processes::name))
                    .load(conn)?,
            ),
            users: pairs(
                users::table
                    .select((users::id, users::username, users::display_name))
                    .load(conn)?,
            ),
            documents: pairs(
                documents::table
                    .select((documents::id, documents::number, documents::title))
                    .load(conn)?,
            ),
        })
    }

    /// The key people know a target by, and its name.
    pub(crate) fn describe(&self, scope: Scope, target: &str) -> (String, String) {
        let from = |m: &std::collections::HashMap<String, (String, String)>| {
            m.get(target)
                .cloned()
                .unwrap_or_else(|| (target.to_string(), target.to_string()))
        };
        match scope {
            Scope::Process => from(&self.processes),
            Scope::User => from(&self.users),
            Scope::Document => from(&self.documents),
            Scope::Role => (target.to_string(), target.to_string()),
        }
    }
}

/// Whom a new requirement is for: exactly one of process, role, user or
/// document, and the level required.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequirementInput {
    /// A process code: everyone working in the process.
    pub process: Option<String>,
    /// A role: everyone holding it.
    #[schema(value_type = Option<Role>)]
    pub role: Option<String>,
    /// A username: that person.
    pub user: Option<String>,
    /// A document number: every reader of the document.
    pub document: Option<String>,
    /// The least level required, on the competence's scale (a number, or an ILUO letter).
    pub level: Option<LevelInput>,
}

/// Requires a competence.
///
/// # Errors
/// `forbidden`, `competence_not_found`, `requirement_target_required`,
/// `process_not_found`, `unknown_role`, `user_not_found`, `document_not_found`,
/// the level refusals, `requirement_exists`.
pub fn add_requirement(
    conn: &mut DbConn,
    by: &User,
    code: &str,
    input: RequirementInput,
) -> AppResult<RequirementView> {
    by.require_any(CATALOGUE_ROLES)?;
    let competence = row_by_code(conn, code)?;
    let given = [
        input.process.is_some(),
        input.role.is_some(),
        input.user.is_some(),
        input.document.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if given != 1 {
        return Err(AppError::invalid(
            Code::RequirementTargetRequired,
            "name exactly one of process, role, user or document",
        ));
    }
    let (scope, target) = if let Some(p) = &input.process {
        let row = crate::processes::service::find_by_code(conn, p)?.ok_or_else(|| {
            AppError::invalid(
                Code::ProcessNotFound,
                format!("there is no process {}", p.trim()),
            )
        })?;
        (Scope::Process, row.id)
    } else if let Some(r) = &input.role {
        let role = Role::parse(r)?;
        if matches!(role, Role::Auditor | Role::Admin) {
            return Err(AppError::invalid(
                Code::RoleCannotBeRequired,
                "auditors and administrators do not work in the processes; require competences of the roles that do",
            ));
        }
        (Scope::Role, role.as_str().to_string())
    } else if let Some(u) = &input.user {
        let user = crate::auth::service::user_by_username(conn, u.trim()).map_err(|_| {
            AppError::invalid(Code::UserNotFound, format!("there is no user {}", u.trim()))
        })?;
        (Scope::User, user.id.0)
    } else {
        let number = input.document.as_deref().unwrap_or_default();
        (
            Scope::Document,
            documents::table
                .filter(documents::number.eq(number.trim()))
                .select(documents::id)
                .first(conn)
                .optional()?
                .ok_or_else(|| {
                    AppError::invalid(
                        Code::DocumentNotFound,
                        format!("there is no document {}", number.trim()),
                    )
                })?,
        )
    };
    let level = input
        .level
        .as_ref()
        .map(|l| competence.scale.parse_level(l))
        .transpose()?;
    let row = RequirementRow {
        id: new_id(),
        competence_id: competence.id.clone(),
        scope,
        target,
        level,
        created_by: by.id.0.clone(),
        created_at: now(),
    };
    let names = Targets::load(conn)?;
    let (key, target_name) = names.describe(scope, &row.target);
    write_tx(conn, |conn| {
        let exists: i64 = competence_requirements::table
            .filter(competence_requirements::competence_id.eq(&row.competence_id))
            .filter(competence_requirements::scope.eq(row.scope))
            .filter(competence_requirements::target.eq(&row.target))
            .count()
            .get_result(conn)?;
        if exists > 0 {
            return Err(AppError::conflict(
                Code::RequirementExists,
                format!(
                    "{} is already required of this {}; remove it first to change the level",
                    competence.code,
                    scope.as_str()
                ),
            ));
        }
        diesel::insert_into(competence_requirements::table)
            .values(&row)
            .execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "competence.required",
                entity_type: "competence",
                entity_id: &competence.code,
                summary: format!(
                    "required {} of {} {key}{}",
                    competence.code,
                    scope.as_str(),
                    level.map_or(String::new(), |l| format!(
                        " at level {}",
                        competence.scale.label(l)
                    ))
                ),
                changes: serde_json::json!({
                    "requirement": row.id, "scope": scope, "target": key, "level": level,
                }),
            },
        )?;
        Ok(())
    })?;
    Ok(RequirementView {
        id: row.id,
        scope,
        target: key,
        target_name,
        level,
        level_label: level.map(|l| competence.scale.label(l)),
    })
}

/// Removes a requirement (certifications already recorded stay).
///
/// # Errors
/// `forbidden`, `competence_not_found`, `requirement_not_found`.
pub fn remove_requirement(conn: &mut DbConn, by: &User, code: &str, id: &str) -> AppResult<()> {
    by.require_any(CATALOGUE_ROLES)?;
    let competence = row_by_code(conn, code)?;
    write_tx(conn, |conn| {
        let row: RequirementRow = competence_requirements::table
            .find(id)
            .filter(competence_requirements::competence_id.eq(&competence.id))
            .select(RequirementRow::as_select())
            .first(conn)
            .optional()?
            .ok_or_else(|| {
                AppError::not_found(Code::RequirementNotFound, "there is no such requirement")
            })?;
        diesel::delete(competence_requirements::table.find(id)).execute(conn)?;
        let names = Targets::load(conn)?;
        let (key, _) = names.describe(row.scope, &row.target);
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "competence.requirement_removed",
                entity_type: "competence",
                entity_id: &competence.code,
                summary: format!(
                    "no longer requires {} of {} {key}",
                    competence.code,
                    row.scope.as_str()
                ),
                changes: serde_json::json!({
                    "requirement": row.id, "scope": row.scope, "target": key, "level": row.level,
                }),
            },
        )?;
        Ok(())
    })
}

/// Every requirement row with its competence, for the matrix.
///
/// # Errors
/// A database fault.
pub fn all_requirements(conn: &mut DbConn) -> AppResult<Vec<RequirementRow>> {
    Ok(competence_requirements::table
        .select(RequirementRow::as_select())
        .load(conn)?)
}
