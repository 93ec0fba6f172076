//! Certifications: who holds which competence, at what level, since when
//! and until when, on what evidence, verified by whom. A certification is
//! never edited: a renewal is a new certification (the old one stays in the
//! record as renewed), and a correction is a new entry that names the one
//! it corrects and why. Whether one is valid, expiring or expired is kept
//! by the scheduler from its last day ([`mark_expiry`], through
//! [`crate::kit::due`]), so that lists, tasks and the matrix read it.

use std::collections::HashMap;

use chrono::{Months, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::catalogue::{self, actor};
use super::model::{
    CertificationFileMeta, CertificationRow, CompetenceRow, CompetenceStatus, LevelInput, Scale,
    Standing,
};
use crate::audit::{self, Actor, Diff};
use crate::auth::model::{Role, User};
use crate::db::schema::{
    certification_files, certifications, competences, process_members, processes, users,
};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code, ErrorKind};
use crate::ids::{new_id, now};
use crate::kit::date::{midnight, parse_date};
use crate::kit::due::{Deadline, Due, reconcile};
use crate::kit::flow::{Facts, Flow, Rule, Step};
use crate::kit::list::{Page, Paging};
use crate::kit::text::{optional_line, required_long};

/// What the competence area is configured with.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Days before its last day that a certification counts as expiring.
    pub expiring_days: u32,
}

impl Policy {
    /// The policy the server's configuration sets.
    pub fn of(state: &crate::state::AppState) -> Policy {
        Policy {
            expiring_days: state.config.competence_expiring_days,
        }
    }

    /// How a certification with last day `expires` stands on `today`.
    pub fn standing(self, expires: Option<NaiveDate>, today: NaiveDate) -> Standing {
        match expires {
            None => Standing::Valid,
            Some(d) if d < today => Standing::Expired,
            Some(d) if (d - today).num_days() <= i64::from(self.expiring_days) => {
                Standing::Expiring
            }
            Some(_) => Standing::Valid,
        }
    }
}

/// A new certification, as a caller sends it.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificationInput {
    /// The holder's username.
    pub user: Option<String>,
    /// The competence's code.
    pub competence: Option<String>,
    /// The day it was issued (`2026-11-23`; not in the future).
    pub issued_on: Option<String>,
    /// Its last valid day; from the competence's validity when left out.
    pub expires_on: Option<String>,
    /// Who issued it (a school, an inspection body, a trainer).
    pub issuer: Option<String>,
    /// The level reached, on the competence's scale (a number, or an ILUO letter).
    pub level: Option<LevelInput>,
}

/// A correction: why, and the values that change (the rest are kept).
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionInput {
    /// Why the entry is corrected (required).
    pub reason: Option<String>,
    /// The right holder, when the entry named the wrong person.
    pub user: Option<String>,
    /// The right competence.
    pub competence: Option<String>,
    /// The right day of issue.
    pub issued_on: Option<String>,
    /// The right last day.
    pub expires_on: Option<String>,
    /// The right issuer.
    pub issuer: Option<String>,
    /// The right level.
    pub level: Option<LevelInput>,
    /// The version read: refused if the entry changed since.
    pub version: Option<i32>,
}

/// A certification as lists and pages show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CertificationView {
    /// Its id.
    pub id: String,
    /// The holder's username.
    pub user: String,
    /// The holder's name.
    pub user_name: String,
    /// The competence's code.
    pub competence: String,
    /// Its name in English.
    pub competence_name: String,
    /// Its name in Finnish.
    pub competence_name_fi: String,
    /// The level, on the competence's scale.
    pub level: Option<i32>,
    /// The level's short name (`U`).
    pub level_label: Option<String>,
    /// The day of issue.
    pub issued_on: NaiveDate,
    /// The last valid day; null: for good.
    pub expires_on: Option<NaiveDate>,
    /// Who issued it.
    pub issuer: String,
    /// How it stands at the scheduler's last pass.
    pub state: Standing,
    /// A later certification of the same competence renews it.
    pub renewed: bool,
    /// A later entry corrects it (it no longer counts).
    pub corrected: bool,
    /// The entry this one corrects.
    pub corrects: Option<String>,
    /// Why this entry was made as a correction.
    pub correction_reason: String,
    /// Whether the competence needs an evidence file and none is attached.
    pub evidence_missing: bool,
    /// The evidence files.
    pub files: Vec<CertificationFileMeta>,
    /// The quality manager who verified it (name).
    pub verified_by: Option<String>,
    /// When.
    #[serde(with = "crate::time::rfc3339_opt")]
    #[schema(value_type = Option<String>)]
    pub verified_at: Option<NaiveDateTime>,
    /// Who recorded it (name).
    pub recorded_by: String,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String)]
    pub recorded_at: NaiveDateTime,
    /// The training it came from.
    pub training: Option<String>,
    /// What the reader may do with it: `verify`, `correct`, `add_evidence`.
    pub allowed_steps: Vec<&'static str>,
    /// Optimistic-concurrency version.
    pub version: i32,
}

crate::kit::choice::choice!(
    /// Whether an entry still counts.
    EntryState, Code::InvalidCertificationState, "certification entry" {
        Current => "current",
        Corrected => "corrected",
    }
);

/// What the steps on a certification read.
pub struct CertFacts {
    state: EntryState,
    reader: User,
    holder: bool,
    recorder: bool,
    owns_holder: bool,
    verified: bool,
    evidence_missing: bool,
}

impl Facts for CertFacts {
    type State = EntryState;
    fn state(&self) -> EntryState {
        self.state
    }
    fn reader(&self) -> &User {
        &self.reader
    }
}

fn forbidden(_: &CertFacts) -> AppError {
    AppError::forbidden()
}

/// The steps on a recorded certification.
pub static CERT_FLOW: Flow<CertFacts> = Flow {
    subject: "certification",
    steps: &[
        Step {
            name: "verify",
            doing: "verified",
            roles: &[Role::QualityManager],
            who: &[Rule {
                holds: |f| !f.holder,
                refusal: |_| {
                    AppError::new(
                        ErrorKind::Forbidden,
                        Code::CannotVerifyOwn,
                        "another quality manager verifies your own certification",
                    )
                },
            }],
            from: &[EntryState::Current],
            guards: &[
                Rule {
                    holds: |f| !f.verified,
                    refusal: |_| {
                        AppError::conflict(Code::AlreadyVerified, "the certification is verified")
                    },
                },
                Rule {
                    holds: |f| !f.evidence_missing,
                    refusal: |_| {
                        AppError::conflict(
                            Code::EvidenceMissing,
                            "this competence needs an evidence file: attach it before verifying",
                        )
                    },
                },
            ],
            to: &[],
        },
        Step {
            name: "correct",
            doing: "corrected",
            roles: &[Role::QualityManager, Role::ProcessOwner, Role::Staff],
            who: &[Rule {
                holds: |f| f.recorder || f.reader.has_role(Role::QualityManager),
                refusal: forbidden,
            }],
            from: &[EntryState::Current],
            guards: &[],
            to: &[EntryState::Corrected],
        },
        Step {
            name: "add_evidence",
            doing: "given evidence",
            roles: &[Role::QualityManager, Role::ProcessOwner, Role::Staff],
            who: &[Rule {
                holds: |f| {
                    f.recorder
                        || f.holder
                        || f.owns_holder
                        || f.reader.has_role(Role::QualityManager)
                },
                refusal: forbidden,
            }],
            from: &[EntryState::Current],
            guards: &[],
            to: &[],
        },
    ],
    wrong_state: |_, step| {
        AppError::conflict(
            Code::CertificationCorrected,
            format!(
                "this entry was corrected by a later one and cannot be {} now",
                step.doing
            ),
        )
    },
};

/// The people working in the processes `reader` owns (none unless they
/// are a process owner).
///
/// # Errors
/// A database fault.
pub(crate) fn owned_members(conn: &mut DbConn, reader: &User) -> AppResult<Vec<String>> {
    if !reader.has_role(Role::ProcessOwner) {
        return Ok(Vec::new());
    }
    Ok(process_members::table
        .inner_join(processes::table)
        .filter(processes::owner_id.eq(reader.id.as_str()))
        .select(process_members::user_id)
        .load(conn)?)
}

/// Whether `owner` owns a process `member` works in.
pub(crate) fn owns_member(conn: &mut DbConn, owner: &str, member: &str) -> AppResult<bool> {
    let n: i64 = process_members::table
        .inner_join(processes::table)
        .filter(processes::owner_id.eq(owner))
        .filter(process_members::user_id.eq(member))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

fn facts(conn: &mut DbConn, row: &CertificationRow, reader: &User) -> AppResult<CertFacts> {
    let evidence_required: bool = competences::table
        .find(&row.competence_id)
        .select(competences::evidence_required)
        .first(conn)?;
    let files: i64 = certification_files::table
        .filter(certification_files::certification_id.eq(&row.id))
        .count()
        .get_result(conn)?;
    let me = reader.id.as_str();
    Ok(CertFacts {
        state: if row.corrected {
            EntryState::Corrected
        } else {
            EntryState::Current
        },
        holder: row.user_id == me,
        recorder: row.recorded_by == me,
        owns_holder: owns_member(conn, me, &row.user_id)?,
        verified: row.verified_by.is_some(),
        evidence_missing: evidence_required && files == 0,
        reader: reader.clone(),
    })
}

/// Whether `by` may record a certification for `holder`: quality managers
/// for anyone, process owners for the people of their processes and
/// themselves, everyone else for themselves.
fn may_record_for(conn: &mut DbConn, by: &User, holder: &str) -> AppResult<()> {
    if by.has_role(Role::Auditor) && !by.has_role(Role::QualityManager) {
        return Err(AppError::forbidden());
    }
    if by.has_role(Role::QualityManager) || by.id.as_str() == holder {
        return Ok(());
    }
    if by.has_role(Role::ProcessOwner) && owns_member(conn, by.id.as_str(), holder)? {
        return Ok(());
    }
    Err(AppError::new(
        ErrorKind::Forbidden,
        Code::NotYourPerson,
        "you record certifications for yourself and for the people of the processes you own",
    ))
}

fn holder(conn: &mut DbConn, username: &str) -> AppResult<User> {
    let u = crate::auth::service::user_by_username(conn, username.trim()).map_err(|_| {
        AppError::invalid(
            Code::UserNotFound,
            format!("there is no user {}", username.trim()),
        )
    })?;
    if !u.active {
        return Err(AppError::invalid(
            Code::UserInactive,
            format!("{} is not an active user", u.username),
        ));
    }
    Ok(u)
}

/// The values of a certification, checked.
pub(crate) struct Checked {
    pub(crate) user: User,
    pub(crate) competence: CompetenceRow,
    pub(crate) level: Option<i32>,
    pub(crate) issued_on: NaiveDate,
    pub(crate) expires_on: Option<NaiveDate>,
    pub(crate) issuer: String,
}

/// Checks a certification's values against its competence and the calendar.
pub(crate) fn check_values(
    competence: CompetenceRow,
    user: User,
    level: Option<&LevelInput>,
    issued_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    issuer: &str,
    today: NaiveDate,
) -> AppResult<Checked> {
    if competence.status == CompetenceStatus::Retired {
        return Err(AppError::invalid(
            Code::CompetenceRetired,
            format!(
                "{} is retired; nothing more is recorded of it",
                competence.code
            ),
        ));
    }
    if issued_on > today {
        return Err(AppError::invalid(
            Code::IssuedInFuture,
            "the day of issue cannot be after today",
        ));
    }
    let expires_on = match expires_on {
        Some(d) => Some(d),
        None => competence
            .validity_months
            .and_then(|m| issued_on.checked_add_months(Months::new(u32::try_from(m).ok()?))),
    };
    if let Some(e) = expires_on
        && e < issued_on
    {
        return Err(AppError::invalid(
            Code::ExpiryBeforeIssue,
            "the last valid day cannot be before the day of issue",
        ));
    }
    let level = match (level, competence.scale) {
        (Some(l), s) => Some(s.parse_level(l)?),
        (None, Scale::None) => None,
        (None, _) => {
            return Err(AppError::invalid(
                Code::LevelRequired,
                format!("{} is recorded with a level on its scale", competence.code),
            ));
        }
    };
    let issuer = optional_line("the issuer", Code::InvalidIssuer, issuer, 200)?;
    Ok(Checked {
        user,
        competence,
        level,
        issued_on,
        expires_on,
        issuer,
    })
}

/// An evidence file as it is added.
pub struct EvidenceFile {
    /// The file's name.
    pub filename: String,
    /// Its media type.
    pub content_type: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

fn file_row(
    cert: &str,
    file: &EvidenceFile,
    by: &User,
    t: NaiveDateTime,
) -> AppResult<(String, FileInsert)> {
    let checked = crate::kit::file::check(&file.filename, &file.content_type, &file.bytes)?;
    let id = new_id();
    Ok((
        id.clone(),
        FileInsert {
            id,
            certification_id: cert.to_string(),
            filename: checked.filename,
            content_type: checked.content_type,
            size: checked.size,
            sha256: checked.sha256,
            content: file.bytes.clone(),
            uploaded_by: by.id.0.clone(),
            uploaded_at: t,
        },
    ))
}

#[derive(Insertable)]
#[diesel(table_name = certification_files)]
struct FileInsert {
    id: String,
    certification_id: String,
    filename: String,
    content_type: String,
    size: i64,
    sha256: String,
    content: Vec<u8>,
    uploaded_by: String,
    uploaded_at: NaiveDateTime,
}

/// Where a new entry comes from besides its values.
#[derive(Default)]
pub(crate) struct Origin<'a> {
    /// The training it came from.
    pub(crate) training: Option<&'a str>,
    /// The entry it corrects, and why.
    pub(crate) corrects: Option<(&'a CertificationRow, &'a str)>,
    /// Its evidence file.
    pub(crate) file: Option<&'a EvidenceFile>,
}

/// Writes a checked certification and its audit event, in the caller's
/// transaction; answers its id.
pub(crate) fn insert(
    conn: &mut DbConn,
    policy: Policy,
    by_user: &User,
    c: &Checked,
    origin: Origin<'_>,
    t: NaiveDateTime,
) -> AppResult<String> {
    let Origin {
        training,
        corrects,
        file,
    } = origin;
    let by = &actor(by_user);
    let standing = policy.standing(c.expires_on, t.date());
    let row = CertificationRow {
        id: new_id(),
        user_id: c.user.id.0.clone(),
        competence_id: c.competence.id.clone(),
        level: c.level,
        issued_on: midnight(c.issued_on),
        expires_on: c.expires_on.map(midnight),
        issuer: c.issuer.clone(),
        expiring: standing != Standing::Valid,
        expired: standing == Standing::Expired,
        training_id: training.map(str::to_string),
        corrects_id: corrects.map(|(old, _)| old.id.clone()),
        correction_reason: corrects.map_or(String::new(), |(_, r)| r.to_string()),
        corrected: false,
        verified_by: None,
        verified_at: None,
        recorded_by: by_user.id.0.clone(),
        recorded_at: t,
        version: 1,
    };
    diesel::insert_into(certifications::table)
        .values(&row)
        .execute(conn)?;
    let mut files = Vec::new();
    if let Some(f) = file {
        let (id, ins) = file_row(&row.id, f, by_user, t)?;
        diesel::insert_into(certification_files::table)
            .values(&ins)
            .execute(conn)?;
        files.push(serde_json::json!({ "id": id, "filename": ins.filename, "sha256": ins.sha256 }));
    }
    let level = c.level.map(|l| c.competence.scale.label(l));
    let mut diff = Diff::new()
        .created("user", &c.user.username)
        .created("competence", &c.competence.code)
        .created("level", &level)
        .created("issued_on", &c.issued_on)
        .created("expires_on", &c.expires_on)
        .created("issuer", &c.issuer)
        .created("state", &standing);
    if let Some((old, reason)) = corrects {
        diff = diff.created("corrects", &old.id).created("reason", &reason);
    }
    if let Some(tr) = training {
        diff = diff.created("training", &tr);
    }
    if !files.is_empty() {
        diff = diff.created("files", &files);
    }
    audit::record(
        conn,
        by,
        audit::Change {
            action: if corrects.is_some() {
                "certification.corrected"
            } else {
                "certification.recorded"
            },
            entity_type: "certification",
            entity_id: &row.id,
            summary: format!(
                "{} {} {} for {}{}",
                if corrects.is_some() {
                    "corrected"
                } else {
                    "recorded"
                },
                c.competence.code,
                level.map_or(String::new(), |l| format!("level {l}")),
                c.user.username,
                c.expires_on
                    .map_or(String::new(), |d| format!(", valid through {d}"))
            )
            .replace("  ", " "),
            changes: diff.into_value(),
        },
    )?;
    Ok(row.id)
}

/// Records a certification (with its evidence file, if one is sent).
///
/// # Errors
/// `forbidden`, `not_your_person`, `user_not_found`, `user_inactive`,
/// `competence_not_found`, `competence_retired`, `invalid_date`,
/// `issued_in_future`, `expiry_before_issue`, `level_required`,
/// `level_not_on_scale`, `competence_has_no_levels`, `invalid_issuer`,
/// the file refusals.
pub fn record(
    conn: &mut DbConn,
    policy: Policy,
    by: &User,
    input: CertificationInput,
    file: Option<EvidenceFile>,
) -> AppResult<CertificationView> {
    if by.has_role(Role::Auditor) && !by.has_role(Role::QualityManager) || by.roles == [Role::Admin]
    {
        return Err(AppError::forbidden());
    }
    let t = now();
    let user = holder(
        conn,
        input
            .user
            .as_deref()
            .ok_or_else(|| AppError::invalid(Code::UserRequired, "name the holder"))?,
    )?;
    may_record_for(conn, by, user.id.as_str())?;
    let competence = catalogue::named(
        conn,
        input
            .competence
            .as_deref()
            .ok_or_else(|| AppError::invalid(Code::CompetenceRequired, "name the competence"))?,
    )?;
    let issued = parse_date(
        "the day of issue",
        input
            .issued_on
            .as_deref()
            .ok_or_else(|| AppError::invalid(Code::IssuedOnRequired, "give the day of issue"))?,
    )?;
    let expires = input
        .expires_on
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| parse_date("the last valid day", s))
        .transpose()?;
    let checked = check_values(
        competence,
        user,
        input.level.as_ref(),
        issued,
        expires,
        input.issuer.as_deref().unwrap_or_default(),
        t.date(),
    )?;
    let id = write_tx(conn, |conn| {
        insert(
            conn,
            policy,
            by,
            &checked,
            Origin {
                file: file.as_ref(),
                ..Origin::default()
            },
            t,
        )
    })?;
    get(conn, &id, by)
}

fn load_row(conn: &mut DbConn, id: &str) -> AppResult<CertificationRow> {
    certifications::table
        .find(id)
        .select(CertificationRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            AppError::not_found(
                Code::CertificationNotFound,
                format!("there is no certification {id}"),
            )
        })
}

/// Corrects an entry: a new entry with the right values and the reason; the
/// old one stays, marked corrected, and no longer counts.
///
/// # Errors
/// `certification_not_found`, the step's refusals, `reason_required`,
/// `version_conflict`, the value refusals of [`record`].
pub fn correct(
    conn: &mut DbConn,
    policy: Policy,
    by: &User,
    id: &str,
    input: CorrectionInput,
) -> AppResult<CertificationView> {
    CERT_FLOW.step("correct")?.require_role(by)?;
    let t = now();
    let reason = required_long(
        "the reason",
        Code::ReasonRequired,
        input.reason.as_deref().unwrap_or_default(),
    )?;
    let new_id = write_tx(conn, |conn| {
        crate::db::lock_row(conn, id)?;
        let old = load_row(conn, id)?;
        let f = facts(conn, &old, by)?;
        CERT_FLOW.check("correct", &f)?;
        if let Some(v) = input.version
            && v != old.version
        {
            return Err(AppError::conflict(
                Code::VersionConflict,
                "the certification was changed by someone else since you opened it; reload and try again",
            ));
        }
        let user = match &input.user {
            Some(u) => holder(conn, u)?,
            None => {
                crate::auth::service::user_by_id(conn, &crate::ids::UserId(old.user_id.clone()))?
            }
        };
        if input.user.is_some() {
            may_record_for(conn, by, user.id.as_str())?;
        }
        let competence = match &input.competence {
            Some(c) => catalogue::named(conn, c)?,
            None => competences::table
                .find(&old.competence_id)
                .select(CompetenceRow::as_select())
                .first(conn)?,
        };
        let issued = match input.issued_on.as_deref() {
            Some(s) => parse_date("the day of issue", s)?,
            None => old.issued_on.date(),
        };
        let expires = match input.expires_on.as_deref() {
            Some(s) if s.trim().is_empty() => None,
            Some(s) => Some(parse_date("the last valid day", s)?),
            None if input.issued_on.is_some() || input.competence.is_some() => None,
            None => old.expires_on.map(|d| d.date()),
        };
        let scale_label = LevelInput::Number(i64::from(old.level.unwrap_or(0)));
        let level = match (&input.level, old.level) {
            (Some(l), _) => Some(l),
            (None, Some(_)) => Some(&scale_label),
            (None, None) => None,
        };
        let checked = check_values(
            competence,
            user,
            level,
            issued,
            expires,
            input.issuer.as_deref().unwrap_or(&old.issuer),
            t.date(),
        )?;
        let n = diesel::update(
            certifications::table
                .filter(certifications::id.eq(&old.id))
                .filter(certifications::version.eq(old.version)),
        )
        .set((
            certifications::corrected.eq(true),
            certifications::version.eq(old.version + 1),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::conflict(
                Code::VersionConflict,
                "the certification was changed by someone else; reload and try again",
            ));
        }
        let new_id = insert(
            conn,
            policy,
            by,
            &checked,
            Origin {
                training: old.training_id.as_deref(),
                corrects: Some((&old, &reason)),
                file: None,
            },
            t,
        )?;
        // The evidence stays with the corrected facts: the files go along.
        #[allow(clippy::type_complexity)]
        let files: Vec<(String, String, i64, String, Vec<u8>, String, NaiveDateTime)> =
            certification_files::table
                .filter(certification_files::certification_id.eq(&old.id))
                .select((
                    certification_files::filename,
                    certification_files::content_type,
                    certification_files::size,
                    certification_files::sha256,
                    certification_files::content,
                    certification_files::uploaded_by,
                    certification_files::uploaded_at,
                ))
                .load(conn)?;
        for (filename, content_type, size, sha256, content, uploaded_by, uploaded_at) in files {
            diesel::insert_into(certification_files::table)
                .values(&FileInsert {
                    id: crate::ids::new_id(),
                    certification_id: new_id.clone(),
                    filename,
                    content_type,
                    size,
                    sha256,
                    content,
                    uploaded_by,
                    uploaded_at,
                })
                .execute(conn)?;
        }
        Ok(new_id)
    })?;
    get(conn, &new_id, by)
}

/// A quality manager verifies a certification (and its evidence).
///
/// # Errors
/// `certification_not_found`, the step's refusals.
pub fn verify(
    conn: &mut DbConn,
    by: &User,
    id: &str,
    version: Option<i32>,
) -> AppResult<CertificationView> {
    CERT_FLOW.step("verify")?.require_role(by)?;
    let t = now();
    write_tx(conn, |conn| {
        crate::db::lock_row(conn, id)?;
        let row = load_row(conn, id)?;
        CERT_FLOW.check("verify", &facts(conn, &row, by)?)?;
        if let Some(v) = version
            && v != row.version
        {
            return Err(AppError::conflict(
                Code::VersionConflict,
                "the certification was changed by someone else since you opened it; reload and try again",
            ));
        }
        diesel::update(
            certifications::table
                .filter(certifications::id.eq(id))
                .filter(certifications::version.eq(row.version)),
        )
        .set((
            certifications::verified_by.eq(Some(by.id.as_str())),
            certifications::verified_at.eq(Some(t)),
            certifications::version.eq(row.version + 1),
        ))
        .execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            audit::Change {
                action: "certification.verified",
                entity_type: "certification",
                entity_id: id,
                summary: format!("{} verified the certification", by.username),
                changes: Diff::new()
                    .field("verified_by", &None::<&String>, &Some(&by.username))
                    .into_value(),
            },
        )?;
        Ok(())
    })?;
    get(conn, id, by)
}

/// Adds an evidence file; files are never replaced or removed.
///
/// # Errors
/// `certification_not_found`, the step's refusals, the file refusals.
pub fn add_evidence(
    conn: &mut DbConn,
    by: &User,
    id: &str,
    file: EvidenceFile,
) -> AppResult<(CertificationView, String)> {
    CERT_FLOW.step("add_evidence")?.require_role(by)?;
    let t = now();
    let file_id = write_tx(conn, |conn| {
        crate::db::lock_row(conn, id)?;
        let row = load_row(conn, id)?;
        CERT_FLOW.check("add_evidence", &facts(conn, &row, by)?)?;
        let (fid, ins) = file_row(id, &file, by, t)?;
        diesel::insert_into(certification_files::table)
            .values(&ins)
            .execute(conn)?;
        diesel::update(certifications::table.find(id))
            .set(certifications::version.eq(row.version + 1))
            .execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            audit::Change {
                action: "certification.evidence_added",
                entity_type: "certification",
                entity_id: id,
                summary: format!("added evidence {}", ins.filename),
                changes: serde_json::json!({ "file": fid, "filename": ins.filename, "sha256": ins.sha256, "size": ins.size }),
            },
        )?;
        Ok(fid)
    })?;
    Ok((get(conn, id, by)?, file_id))
}

/// An evidence file with its content.
pub struct StoredFile {
    /// Its name.
    pub filename: String,
    /// Its media type.
    pub content_type: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// One evidence file of a certification.
///
/// # Errors
/// `file_not_found`.
pub fn evidence(conn: &mut DbConn, cert: &str, file: &str) -> AppResult<StoredFile> {
    let (filename, content_type, bytes) = certification_files::table
        .filter(certification_files::certification_id.eq(cert))
        .filter(certification_files::id.eq(file))
        .select((
            certification_files::filename,
            certification_files::content_type,
            certification_files::content,
        ))
        .first::<(String, String, Vec<u8>)>(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Code::FileNotFound, "there is no such file"))?;
    Ok(StoredFile {
        filename,
        content_type,
        bytes,
    })
}

/// Filters of the certification list.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// The holder's username.
    pub user: Option<String>,
    /// The competence's code.
    pub competence: Option<String>,
    /// How they stand.
    pub state: Option<Standing>,
    /// Corrected entries too (they never count).
    pub corrected: bool,
    /// Only the latest of each person and competence (renewed ones left out).
    pub current: bool,
}

type Joined = (
    CertificationRow,
    String,
    String,
    String,
    String,
    String,
    bool,
    Scale,
);

/// Certifications, latest issue first.
///
/// # Errors
/// `user_not_found`, `competence_not_found` (422), a database fault.
pub fn list(
    conn: &mut DbConn,
    reader: &User,
    f: &Filter,
    paging: Paging,
) -> AppResult<Page<CertificationView>> {
    let user_id = match &f.user {
        Some(u) => Some(holder_id(conn, u)?),
        None => None,
    };
    let competence_id = match &f.competence {
        Some(c) => Some(catalogue::named(conn, c)?.id),
        None => None,
    };
    let filtered = || {
        let mut q = certifications::table.into_boxed();
        if let Some(u) = &user_id {
            q = q.filter(certifications::user_id.eq(u.clone()));
        }
        if let Some(c) = &competence_id {
            q = q.filter(certifications::competence_id.eq(c.clone()));
        }
        if !f.corrected {
            q = q.filter(certifications::corrected.eq(false));
        }
        match f.state {
            Some(Standing::Expired) => q = q.filter(certifications::expired.eq(true)),
            Some(Standing::Expiring) => {
                q = q
                    .filter(certifications::expired.eq(false))
                    .filter(certifications::expiring.eq(true));
            }
            Some(Standing::Valid) => q = q.filter(certifications::expiring.eq(false)),
            None => {}
        }
        q
    };
    let page = crate::kit::list::page(conn, paging, filtered, |q, conn| {
        q.order((
            certifications::issued_on.desc(),
            certifications::recorded_at.desc(),
        ))
        .select(certifications::id)
        .load::<String>(conn)
    })?;
    let views = views(conn, reader, &page.items)?;
    let mut out = Page {
        items: views,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    };
    if f.current {
        out.items.retain(|v| !v.renewed);
    }
    Ok(out)
}

fn holder_id(conn: &mut DbConn, username: &str) -> AppResult<String> {
    users::table
        .filter(users::username.eq(username.trim()))
        .select(users::id)
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            AppError::invalid(
                Code::UserNotFound,
                format!("there is no user {}", username.trim()),
            )
        })
}

/// One certification.
///
/// # Errors
/// `certification_not_found`.
pub fn get(conn: &mut DbConn, id: &str, reader: &User) -> AppResult<CertificationView> {
    load_row(conn, id)?;
    views(conn, reader, &[id.to_string()])?
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("certification {id} vanished")))
}

/// The views of the certifications with `ids`, in that order, in a fixed
/// number of queries.
pub(crate) fn views(
    conn: &mut DbConn,
    reader: &User,
    ids: &[String],
) -> AppResult<Vec<CertificationView>> {
    let rows: Vec<Joined> = certifications::table
        .inner_join(competences::table)
        .inner_join(users::table.on(users::id.eq(certifications::user_id)))
        .filter(certifications::id.eq_any(ids))
        .select((
            CertificationRow::as_select(),
            users::username,
            users::display_name,
            competences::code,
            competences::name_en,
            competences::name_fi,
            competences::evidence_required,
            competences::scale,
        ))
        .load(conn)?;
    let mut files: HashMap<String, Vec<CertificationFileMeta>> = HashMap::new();
    for f in certification_files::table
        .filter(certification_files::certification_id.eq_any(ids))
        .select(CertificationFileMeta::as_select())
        .order(certification_files::uploaded_at)
        .load::<CertificationFileMeta>(conn)?
    {
        files.entry(f.certification_id.clone()).or_default().push(f);
    }
    // The names of the people these entries name, and the people the reader
    // owns, each read once for the whole list.
    let named: Vec<&String> = rows
        .iter()
        .flat_map(|r| [Some(&r.0.recorded_by), r.0.verified_by.as_ref()])
        .flatten()
        .collect();
    let names: HashMap<String, String> = users::table
        .filter(users::id.eq_any(named))
        .select((users::id, users::display_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let owned = owned_members(conn, reader)?;
    // Renewed: a later current entry of the same person and competence.
    let pairs: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r.0.user_id.clone(), r.0.competence_id.clone()))
        .collect();
    let holders: Vec<String> = pairs.iter().map(|p| p.0.clone()).collect();
    let latest = latest_of(conn, &holders)?;
    let mut by_id: HashMap<String, CertificationView> = HashMap::new();
    for (row, username, display, code, name_en, name_fi, evidence_required, scale) in rows {
        let my_files = files.remove(&row.id).unwrap_or_default();
        let renewed = !row.corrected
            && latest
                .get(&(row.user_id.clone(), row.competence_id.clone()))
                .is_some_and(|l| *l > (row.issued_on, row.recorded_at));
        let me = reader.id.as_str();
        let f = CertFacts {
            state: if row.corrected {
                EntryState::Corrected
            } else {
                EntryState::Current
            },
            holder: row.user_id == me,
            recorder: row.recorded_by == me,
            owns_holder: owned.contains(&row.user_id),
            verified: row.verified_by.is_some(),
            evidence_missing: evidence_required && my_files.is_empty(),
            reader: reader.clone(),
        };
        let allowed_steps = CERT_FLOW.allowed(&f);
        by_id.insert(
            row.id.clone(),
            CertificationView {
                id: row.id.clone(),
                user: username,
                user_name: display,
                competence: code,
                competence_name: name_en,
                competence_name_fi: name_fi,
                level: row.level,
                level_label: row.level.map(|l| scale.label(l)),
                issued_on: row.issued_on.date(),
                expires_on: row.expires_on.map(|d| d.date()),
                issuer: row.issuer.clone(),
                state: row.standing(),
                renewed,
                corrected: row.corrected,
                corrects: row.corrects_id.clone(),
                correction_reason: row.correction_reason.clone(),
                evidence_missing: f.evidence_missing,
                files: my_files,
                verified_by: row
                    .verified_by
                    .as_ref()
                    .map(|v| names.get(v).cloned().unwrap_or_else(|| v.clone())),
                verified_at: row.verified_at,
                recorded_by: names
                    .get(&row.recorded_by)
                    .cloned()
                    .unwrap_or_else(|| row.recorded_by.clone()),
                recorded_at: row.recorded_at,
                training: row.training_id.clone(),
                allowed_steps,
                version: row.version,
            },
        );
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// The latest entry that counts (by day of issue, then by when it was
/// recorded) of each person and competence, for `people`: an entry older
/// than it is renewed.
///
/// # Errors
/// A database fault.
pub(crate) fn latest_of(
    conn: &mut DbConn,
    people: &[String],
) -> AppResult<HashMap<(String, String), (NaiveDateTime, NaiveDateTime)>> {
    let rows: Vec<(String, String, NaiveDateTime, NaiveDateTime)> = certifications::table
        .filter(certifications::user_id.eq_any(people))
        .filter(certifications::corrected.eq(false))
        .select((
            certifications::user_id,
            certifications::competence_id,
            certifications::issued_on,
            certifications::recorded_at,
        ))
        .load(conn)?;
    let mut latest = HashMap::new();
    for (u, c, issued, recorded) in rows {
        let e = latest.entry((u, c)).or_insert((issued, recorded));
        if (issued, recorded) > *e {
            *e = (issued, recorded);
        }
    }
    Ok(latest)
}

/// A certification's expiry, as the scheduler keeps its two marks.
#[derive(Debug, Clone)]
pub(crate) struct Expiry {
    id: String,
    expires_on: NaiveDate,
    expiring: bool,
    expired: bool,
    window: u32,
    at: NaiveDateTime,
}

/// The "expiring" mark: set from `window` days before the last day.
struct ExpiringMark<'a>(&'a Expiry);

/// The "expired" mark: set from the day after the last day.
struct ExpiredMark<'a>(&'a Expiry);

impl Due for ExpiringMark<'_> {
    fn deadlines(&self) -> Vec<Deadline> {
        let d = self.0.expires_on - TimeDelta::days(i64::from(self.0.window) + 1);
        vec![Deadline::Day(d)]
    }
    fn marked(&self) -> bool {
        self.0.expiring
    }
    fn set_mark(&self, conn: &mut DbConn, on: bool) -> AppResult<usize> {
        let n = diesel::update(
            certifications::table
                .filter(certifications::id.eq(&self.0.id))
                .filter(certifications::expiring.eq(!on)),
        )
        .set(certifications::expiring.eq(on))
        .execute(conn)?;
        if on && n > 0 {
            crate::mail::events::certification_expiring(conn, &self.0.id, self.0.at)?;
        }
        Ok(n)
    }
    const ACTIONS: (&'static str, &'static str) =
        ("certification.expiring", "certification.not_expiring");
    const FIELD: &'static str = "expiring";
    fn entity(&self) -> (&str, &str) {
        ("certification", &self.0.id)
    }
    fn summary(&self, on: bool) -> String {
        if on {
            format!("the certification expires on {}", self.0.expires_on)
        } else {
            "the certification is no longer within the expiry window".into()
        }
    }
}

impl Due for ExpiredMark<'_> {
    fn deadlines(&self) -> Vec<Deadline> {
        vec![Deadline::Day(self.0.expires_on)]
    }
    fn marked(&self) -> bool {
        self.0.expired
    }
    fn set_mark(&self, conn: &mut DbConn, on: bool) -> AppResult<usize> {
        Ok(diesel::update(
            certifications::table
                .filter(certifications::id.eq(&self.0.id))
                .filter(certifications::expired.eq(!on)),
        )
        .set(certifications::expired.eq(on))
        .execute(conn)?)
    }
    const ACTIONS: (&'static str, &'static str) =
        ("certification.expired", "certification.not_expired");
    const FIELD: &'static str = "expired";
    fn entity(&self) -> (&str, &str) {
        ("certification", &self.0.id)
    }
    fn summary(&self, on: bool) -> String {
        if on {
            format!("the certification expired after {}", self.0.expires_on)
        } else {
            "the certification is no longer expired".into()
        }
    }
}

/// Brings the expiry marks of every certification that counts in line with
/// the calendar at `at` (the scheduler's job). Answers how many marks changed.
///
/// # Errors
/// A database fault; marks changed before it stay changed and audited.
pub fn mark_expiry(conn: &mut DbConn, policy: Policy, at: NaiveDateTime) -> AppResult<usize> {
    let today = at.date();
    let rows: Vec<(String, Option<NaiveDateTime>, bool, bool)> = certifications::table
        .filter(certifications::corrected.eq(false))
        .filter(certifications::expires_on.is_not_null())
        .select((
            certifications::id,
            certifications::expires_on,
            certifications::expiring,
            certifications::expired,
        ))
        .load(conn)?;
    let rows: Vec<Expiry> = rows
        .into_iter()
        .filter_map(|(id, e, expiring, expired)| {
            Some(Expiry {
                id,
                expires_on: e?.date(),
                expiring,
                expired,
                window: policy.expiring_days,
                at,
            })
        })
        .filter(|e| {
            let s = policy.standing(Some(e.expires_on), today);
            (s != Standing::Valid) != e.expiring || (s == Standing::Expired) != e.expired
        })
        .collect();
    let who = Actor::system("scheduler");
    let a = reconcile(conn, &who, at, today, rows.iter().map(ExpiringMark))?;
    let b = reconcile(conn, &who, at, today, rows.iter().map(ExpiredMark))?;
    Ok(a + b)
}

/// The record around one certification: every entry of the same person
/// and competence (renewals, corrected entries), and the entries a
/// correction links it to, latest recorded first.
///
/// # Errors
/// `certification_not_found`.
pub fn chain(conn: &mut DbConn, reader: &User, id: &str) -> AppResult<Vec<CertificationView>> {
    let row = load_row(conn, id)?;
    let ids: Vec<String> = certifications::table
        .filter(
            certifications::user_id
                .eq(&row.user_id)
                .and(certifications::competence_id.eq(&row.competence_id))
                .or(certifications::corrects_id.eq(id))
                .or(certifications::id.eq(row.corrects_id.clone().unwrap_or_default())),
        )
        .order(certifications::recorded_at.desc())
        .select(certifications::id)
        .load(conn)?;
    views(conn, reader, &ids)
}
