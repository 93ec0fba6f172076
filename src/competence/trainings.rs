//! Training planned for people: a competence, a due date, a trainer. When
//! it is completed, the trainer or the person's process owner evaluates
//! whether it worked (ISO 9001 7.2 c); training that worked records the
//! certification it led to, in the same transaction.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::catalogue::{self, actor};
use super::certifications::{self, CertificationView, Policy, check_values, owns_member};
use super::model::{CompetenceStatus, LevelInput, Scale, TrainingRow, TrainingStatus};
use crate::audit::{self, Actor, Diff};
use crate::auth::model::{Role, User};
use crate::db::schema::{competences, process_members, trainings, users};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code, ErrorKind};
use crate::ids::{new_id, now};
use crate::kit::date::parse_date;
use crate::kit::due::{Deadline, Due, reconcile};
use crate::kit::flow::{Facts, Flow, Rule, Step};
use crate::kit::text::{long_text, optional_line, required_long};

/// Who plans training.
pub const PLANNERS: &[Role] = &[Role::QualityManager, Role::ProcessOwner];

/// Training to plan: for named people, or for everyone working in a process.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingInput {
    /// The competence's code.
    pub competence: Option<String>,
    /// One person (username).
    pub user: Option<String>,
    /// Several people (usernames).
    pub users: Option<Vec<String>>,
    /// Everyone working in this process (its code).
    pub process: Option<String>,
    /// The trainer (username), who completes and evaluates it.
    pub trainer: Option<String>,
    /// The day it is due (`2026-12-15`; not before today).
    pub due_on: Option<String>,
    /// The level aimed at, on the competence's scale.
    pub level: Option<LevelInput>,
    /// What the trainees should know beforehand.
    pub note: Option<String>,
}

/// Completing a training.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompletionInput {
    /// Whether it worked: the person can now do the work (7.2 c).
    pub effective: Option<bool>,
    /// How that was judged (required).
    pub evaluation: Option<String>,
    /// The day of the certification it led to (default today).
    pub issued_on: Option<String>,
    /// Its last valid day (default from the competence's validity).
    pub expires_on: Option<String>,
    /// The level reached (default the level aimed at).
    pub level: Option<LevelInput>,
    /// Who issued the certification (default the trainer's name).
    pub issuer: Option<String>,
    /// The version read.
    pub version: Option<i32>,
}

/// Cancelling a training.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelInput {
    /// Why (required).
    pub reason: Option<String>,
    /// The version read.
    pub version: Option<i32>,
}

/// A training as lists and pages show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingView {
    /// Its id.
    pub id: String,
    /// The competence's code.
    pub competence: String,
    /// Its name in English.
    pub competence_name: String,
    /// Its name in Finnish.
    pub competence_name_fi: String,
    /// The trainee's username.
    pub user: String,
    /// The trainee's name.
    pub user_name: String,
    /// The trainer's username.
    pub trainer: String,
    /// The trainer's name.
    pub trainer_name: String,
    /// The day it is due.
    pub due_on: NaiveDate,
    /// The level aimed at.
    pub level: Option<i32>,
    /// Its short name.
    pub level_label: Option<String>,
    /// The note.
    pub note: String,
    /// Where it stands.
    pub status: TrainingStatus,
    /// Past its day and not done.
    pub overdue: bool,
    /// Whether it worked, once completed.
    pub effective: Option<bool>,
    /// The evaluation, or why it was cancelled.
    pub evaluation: String,
    /// Who completed or cancelled it (name).
    pub closed_by: Option<String>,
    /// The certification it led to.
    pub certification: Option<String>,
    /// The rows planned together.
    pub group: String,
    /// What the reader may do: `complete`, `cancel`.
    pub allowed_steps: Vec<&'static str>,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// What the training steps read.
pub struct TrainingFacts {
    status: TrainingStatus,
    reader: User,
    trainer: bool,
    planner: bool,
    owns_trainee: bool,
}

impl Facts for TrainingFacts {
    type State = TrainingStatus;
    fn state(&self) -> TrainingStatus {
        self.status
    }
    fn reader(&self) -> &User {
        &self.reader
    }
}

/// The steps of a planned training.
pub static TRAINING_FLOW: Flow<TrainingFacts> = Flow {
    subject: "training",
    steps: &[
        Step {
            name: "complete",
            doing: "completed",
            roles: &[Role::QualityManager, Role::ProcessOwner, Role::Staff],
            who: &[Rule {
                holds: |f| f.trainer || f.owns_trainee || f.reader.has_role(Role::QualityManager),
                refusal: |_| {
                    AppError::new(
                        ErrorKind::Forbidden,
                        Code::NotTheTrainer,
                        "the trainer or the trainee's process owner completes and evaluates a training",
                    )
                },
            }],
            from: &[TrainingStatus::Planned],
            guards: &[],
            to: &[TrainingStatus::Completed],
        },
        Step {
            name: "cancel",
            doing: "cancelled",
            roles: &[Role::QualityManager, Role::ProcessOwner],
            who: &[Rule {
                holds: |f| f.planner || f.owns_trainee || f.reader.has_role(Role::QualityManager),
                refusal: |_| AppError::forbidden(),
            }],
            from: &[TrainingStatus::Planned],
            guards: &[],
            to: &[TrainingStatus::Cancelled],
        },
    ],
    wrong_state: |f, step| {
        AppError::conflict(
            Code::TrainingClosed,
            format!(
                "the training is {} and cannot be {} now",
                f.status.as_str(),
                step.doing
            ),
        )
    },
};

fn facts(conn: &mut DbConn, row: &TrainingRow, reader: &User) -> AppResult<TrainingFacts> {
    let me = reader.id.as_str();
    Ok(TrainingFacts {
        status: row.status,
        trainer: row.trainer_id == me,
        planner: row.planned_by == me,
        owns_trainee: reader.has_role(Role::ProcessOwner) && owns_member(conn, me, &row.user_id)?,
        reader: reader.clone(),
    })
}

fn person(conn: &mut DbConn, username: &str, what: &str) -> AppResult<User> {
    let u = crate::auth::service::user_by_username(conn, username.trim()).map_err(|_| {
        AppError::invalid(
            Code::UserNotFound,
            format!("there is no user {}", username.trim()),
        )
    })?;
    if !u.active || (u.has_role(Role::Auditor) && !u.has_any(crate::auth::model::SIGNING_ROLES)) {
        return Err(AppError::invalid(
            Code::UserCannotTrain,
            format!("{} cannot be {what}", u.username),
        ));
    }
    Ok(u)
}

/// Plans training; answers the rows made (one per person).
///
/// # Errors
/// `forbidden`, `not_your_person`, `competence_not_found`, `competence_retired`,
/// `trainees_required`, `trainer_required`, `user_not_found`, `user_cannot_train`,
/// `process_not_found`, `invalid_date`, `date_in_past`, the level refusals.
pub fn plan(conn: &mut DbConn, by: &User, input: TrainingInput) -> AppResult<Vec<TrainingView>> {
    by.require_any(PLANNERS)?;
    let t = now();
    let competence = catalogue::named(
        conn,
        input
            .competence
            .as_deref()
            .ok_or_else(|| AppError::invalid(Code::CompetenceRequired, "name the competence"))?,
    )?;
    if competence.status == CompetenceStatus::Retired {
        return Err(AppError::invalid(
            Code::CompetenceRetired,
            format!("{} is retired", competence.code),
        ));
    }
    let mut trainees: Vec<User> = Vec::new();
    let mut names: Vec<String> = input.users.clone().unwrap_or_default();
    names.extend(input.user.clone());
    for n in names.iter().filter(|n| !n.trim().is_empty()) {
        let u = person(conn, n, "trained")?;
        if !trainees.iter().any(|x| x.id == u.id) {
            trainees.push(u);
        }
    }
    if let Some(code) = input.process.as_deref().filter(|c| !c.trim().is_empty()) {
        let p = crate::processes::service::find_by_code(conn, code)?.ok_or_else(|| {
            AppError::invalid(
                Code::ProcessNotFound,
                format!("there is no process {}", code.trim()),
            )
        })?;
        let ids: Vec<String> = process_members::table
            .filter(process_members::process_id.eq(&p.id))
            .select(process_members::user_id)
            .load(conn)?;
        for id in ids {
            let u = crate::auth::service::user_by_id(conn, &crate::ids::UserId(id))?;
            if u.active && !trainees.iter().any(|x| x.id == u.id) {
                trainees.push(u);
            }
        }
    }
    if trainees.is_empty() {
        return Err(AppError::invalid(
            Code::TraineesRequired,
            "name the people to train, or a process whose people are trained",
        ));
    }
    if !by.has_role(Role::QualityManager) {
        for u in &trainees {
            if u.id != by.id && !owns_member(conn, by.id.as_str(), u.id.as_str())? {
                return Err(AppError::new(
                    ErrorKind::Forbidden,
                    Code::NotYourPerson,
                    format!(
                        "{} does not work in a process you own; a quality manager plans their training",
                        u.username
                    ),
                ));
            }
        }
    }
    let trainer = person(
        conn,
        input
            .trainer
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| AppError::invalid(Code::TrainerRequired, "name the trainer"))?,
        "a trainer",
    )?;
    let due = crate::kit::date::future_date(
        "the due date",
        input
            .due_on
            .as_deref()
            .ok_or_else(|| AppError::invalid(Code::DueDateRequired, "give the due date"))?,
        t.date(),
    )?;
    let level = input
        .level
        .as_ref()
        .map(|l| competence.scale.parse_level(l))
        .transpose()?;
    let note = long_text("the note", input.note.as_deref().unwrap_or_default())?;
    let group = new_id();
    let ids = write_tx(conn, |conn| {
        let mut ids = Vec::new();
        for u in &trainees {
            let row = TrainingRow {
                id: new_id(),
                competence_id: competence.id.clone(),
                user_id: u.id.0.clone(),
                trainer_id: trainer.id.0.clone(),
                group_id: group.clone(),
                due_on: due,
                level,
                note: note.clone(),
                status: TrainingStatus::Planned,
                overdue: false,
                planned_by: by.id.0.clone(),
                planned_at: t,
                closed_by: None,
                closed_at: None,
                effective: None,
                evaluation: String::new(),
                version: 1,
            };
            diesel::insert_into(trainings::table)
                .values(&row)
                .execute(conn)?;
            audit::record(
                conn,
                &actor(by),
                audit::Change {
                    action: "training.planned",
                    entity_type: "training",
                    entity_id: &row.id,
                    summary: format!(
                        "planned {} training for {} by {}, due {}",
                        competence.code,
                        u.username,
                        trainer.username,
                        due.date()
                    ),
                    changes: Diff::new()
                        .created("competence", &competence.code)
                        .created("user", &u.username)
                        .created("trainer", &trainer.username)
                        .created("due_on", &due.date())
                        .created("level", &level.map(|l| competence.scale.label(l)))
                        .created("group", &group)
                        .into_value(),
                },
            )?;
            ids.push(row.id);
        }
        Ok(ids)
    })?;
    views(conn, by, &ids)
}

fn load_row(conn: &mut DbConn, id: &str) -> AppResult<TrainingRow> {
    trainings::table
        .find(id)
        .select(TrainingRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            AppError::not_found(Code::TrainingNotFound, format!("there is no training {id}"))
        })
}

fn stale() -> AppError {
    AppError::conflict(
        Code::VersionConflict,
        "the training was changed by someone else since you opened it; reload and try again",
    )
}

/// How a planned training is closed.
struct Closing<'a> {
    step: &'static str,
    next: TrainingStatus,
    effective: Option<bool>,
    /// The evaluation, or why it was cancelled.
    text: &'a str,
    version: Option<i32>,
    at: NaiveDateTime,
    action: &'static str,
    summary: String,
}

/// Closes a planned training by one of its steps, inside the caller's
/// transaction: locks it, checks the step and the version read, writes the
/// outcome (refusing a row that changed under it) and its audit event.
/// Answers the row as it was.
fn close(conn: &mut DbConn, by: &User, id: &str, c: Closing<'_>) -> AppResult<TrainingRow> {
    crate::db::lock_row(conn, id)?;
    let row = load_row(conn, id)?;
    let step = TRAINING_FLOW.check(c.step, &facts(conn, &row, by)?)?;
    TRAINING_FLOW.require_target(step, row.status, c.next)?;
    if c.version.is_some_and(|v| v != row.version) {
        return Err(stale());
    }
    let n = diesel::update(
        trainings::table
            .filter(trainings::id.eq(id))
            .filter(trainings::version.eq(row.version)),
    )
    .set((
        trainings::status.eq(c.next),
        trainings::overdue.eq(false),
        trainings::closed_by.eq(Some(by.id.as_str())),
        trainings::closed_at.eq(Some(c.at)),
        trainings::effective.eq(c.effective),
        trainings::evaluation.eq(c.text),
        trainings::version.eq(row.version + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(stale());
    }
    let mut diff = Diff::new().field("status", &row.status, &c.next);
    if c.effective.is_some() {
        diff = diff
            .field("effective", &None::<bool>, &c.effective)
            .created("evaluation", &c.text);
    } else {
        diff = diff.created("reason", &c.text);
    }
    audit::record(
        conn,
        &actor(by),
        audit::Change {
            action: c.action,
            entity_type: "training",
            entity_id: id,
            summary: c.summary,
            changes: diff.into_value(),
        },
    )?;
    Ok(row)
}

/// Completes a training with its evaluation; when it worked, records the
/// certification it led to. Answers the training and the certification.
///
/// # Errors
/// `training_not_found`, the step's refusals, `effectiveness_required`,
/// `evaluation_required`, `version_conflict`, the certification refusals.
pub fn complete(
    conn: &mut DbConn,
    policy: Policy,
    by: &User,
    id: &str,
    input: CompletionInput,
) -> AppResult<(TrainingView, Option<CertificationView>)> {
    TRAINING_FLOW.step("complete")?.require_role(by)?;
    let t = now();
    let effective = input.effective.ok_or_else(|| {
        AppError::invalid(
            Code::EffectivenessRequired,
            "say whether the training worked (effective true or false)",
        )
    })?;
    let evaluation = required_long(
        "the evaluation",
        Code::EvaluationRequired,
        input.evaluation.as_deref().unwrap_or_default(),
    )?;
    let cert_id = write_tx(conn, |conn| {
        let row = close(
            conn,
            by,
            id,
            Closing {
                step: "complete",
                next: TrainingStatus::Completed,
                effective: Some(effective),
                text: &evaluation,
                version: input.version,
                at: t,
                action: "training.completed",
                summary: format!(
                    "completed the training; {}",
                    if effective {
                        "it worked"
                    } else {
                        "it did not work"
                    }
                ),
            },
        )?;
        if !effective {
            return Ok(None);
        }
        let competence = competences::table
            .find(&row.competence_id)
            .select(super::model::CompetenceRow::as_select())
            .first(conn)?;
        let trainee =
            crate::auth::service::user_by_id(conn, &crate::ids::UserId(row.user_id.clone()))?;
        let trainer_name: String = users::table
            .find(&row.trainer_id)
            .select(users::display_name)
            .first(conn)?;
        let issued = match input.issued_on.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => parse_date("the day of issue", s)?,
            None => t.date(),
        };
        let expires = input
            .expires_on
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| parse_date("the last valid day", s))
            .transpose()?;
        let aimed = row.level.map(|l| LevelInput::Number(i64::from(l)));
        let level = input.level.as_ref().or(aimed.as_ref());
        let issuer = input
            .issuer
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(trainer_name);
        let issuer = optional_line("the issuer", Code::InvalidIssuer, &issuer, 200)?;
        let checked = check_values(
            competence,
            trainee,
            level,
            issued,
            expires,
            &issuer,
            t.date(),
        )?;
        let cert = certifications::insert(
            conn,
            policy,
            by,
            &checked,
            certifications::Origin {
                training: Some(id),
                ..certifications::Origin::default()
            },
            t,
        )?;
        Ok(Some(cert))
    })?;
    let training = get(conn, id, by)?;
    let cert = cert_id
        .map(|c| certifications::get(conn, &c, by))
        .transpose()?;
    Ok((training, cert))
}

/// Cancels a planned training.
///
/// # Errors
/// `training_not_found`, the step's refusals, `reason_required`, `version_conflict`.
pub fn cancel(
    conn: &mut DbConn,
    by: &User,
    id: &str,
    input: CancelInput,
) -> AppResult<TrainingView> {
    TRAINING_FLOW.step("cancel")?.require_role(by)?;
    let t = now();
    let reason = required_long(
        "the reason",
        Code::ReasonRequired,
        input.reason.as_deref().unwrap_or_default(),
    )?;
    write_tx(conn, |conn| {
        close(
            conn,
            by,
            id,
            Closing {
                step: "cancel",
                next: TrainingStatus::Cancelled,
                effective: None,
                text: &reason,
                version: input.version,
                at: t,
                action: "training.cancelled",
                summary: "cancelled the training".into(),
            },
        )
    })?;
    get(conn, id, by)
}

/// Filters of the training list.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// The trainee's username.
    pub user: Option<String>,
    /// The trainer's username.
    pub trainer: Option<String>,
    /// The competence's code.
    pub competence: Option<String>,
    /// Where they stand.
    pub status: Option<TrainingStatus>,
}

/// Trainings, soonest due first.
///
/// # Errors
/// `user_not_found`, `competence_not_found` (422), a database fault.
pub fn list(conn: &mut DbConn, reader: &User, f: &Filter) -> AppResult<Vec<TrainingView>> {
    let id_of = |conn: &mut DbConn, name: &str| -> AppResult<String> {
        users::table
            .filter(users::username.eq(name.trim()))
            .select(users::id)
            .first(conn)
            .optional()?
            .ok_or_else(|| {
                AppError::invalid(
                    Code::UserNotFound,
                    format!("there is no user {}", name.trim()),
                )
            })
    };
    let mut q = trainings::table.select(trainings::id).into_boxed();
    if let Some(u) = &f.user {
        q = q.filter(trainings::user_id.eq(id_of(conn, u)?));
    }
    if let Some(u) = &f.trainer {
        q = q.filter(trainings::trainer_id.eq(id_of(conn, u)?));
    }
    if let Some(c) = &f.competence {
        q = q.filter(trainings::competence_id.eq(catalogue::named(conn, c)?.id));
    }
    if let Some(s) = f.status {
        q = q.filter(trainings::status.eq(s));
    }
    let ids: Vec<String> = q
        .order((trainings::due_on, trainings::planned_at))
        .limit(1000)
        .load(conn)?;
    views(conn, reader, &ids)
}

/// One training.
///
/// # Errors
/// `training_not_found`.
pub fn get(conn: &mut DbConn, id: &str, reader: &User) -> AppResult<TrainingView> {
    load_row(conn, id)?;
    views(conn, reader, &[id.to_string()])?
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("training {id} vanished")))
}

fn views(conn: &mut DbConn, reader: &User, ids: &[String]) -> AppResult<Vec<TrainingView>> {
    let rows: Vec<(TrainingRow, String, String, String, Scale)> = trainings::table
        .inner_join(competences::table)
        .filter(trainings::id.eq_any(ids))
        .select((
            TrainingRow::as_select(),
            competences::code,
            competences::name_en,
            competences::name_fi,
            competences::scale,
        ))
        .load(conn)?;
    let people: HashMap<String, (String, String)> = users::table
        .select((users::id, users::username, users::display_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(i, u, d)| (i, (u, d)))
        .collect();
    let owned = super::certifications::owned_members(conn, reader)?;
    let certs: HashMap<String, String> = {
        use crate::db::schema::certifications;
        certifications::table
            .filter(certifications::training_id.eq_any(ids))
            .filter(certifications::corrected.eq(false))
            .select((
                certifications::training_id.assume_not_null(),
                certifications::id,
            ))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect()
    };
    let who = |id: &str| {
        people
            .get(id)
            .cloned()
            .unwrap_or_else(|| (id.to_string(), id.to_string()))
    };
    let me = reader.id.as_str();
    let mut by_id: HashMap<String, TrainingView> = rows
        .into_iter()
        .map(|(r, code, en, fi, scale)| {
            let f = TrainingFacts {
                status: r.status,
                trainer: r.trainer_id == me,
                planner: r.planned_by == me,
                owns_trainee: owned.contains(&r.user_id),
                reader: reader.clone(),
            };
            let (user, user_name) = who(&r.user_id);
            let (trainer, trainer_name) = who(&r.trainer_id);
            (
                r.id.clone(),
                TrainingView {
                    id: r.id.clone(),
                    competence: code,
                    competence_name: en,
                    competence_name_fi: fi,
                    user,
                    user_name,
                    trainer,
                    trainer_name,
                    due_on: r.due_on.date(),
                    level: r.level,
                    level_label: r.level.map(|l| scale.label(l)),
                    note: r.note.clone(),
                    status: r.status,
                    overdue: r.overdue,
                    effective: r.effective,
                    evaluation: r.evaluation.clone(),
                    closed_by: r.closed_by.as_deref().map(|c| who(c).1),
                    certification: certs.get(&r.id).cloned(),
                    group: r.group_id.clone(),
                    allowed_steps: TRAINING_FLOW.allowed(&f),
                    version: r.version,
                },
            )
        })
        .collect();
    Ok(ids.iter().filter_map(|i| by_id.remove(i)).collect())
}

/// A planned training's due day, as the scheduler marks it overdue.
struct DueTraining {
    id: String,
    due_on: NaiveDateTime,
    overdue: bool,
}

impl Due for DueTraining {
    fn deadlines(&self) -> Vec<Deadline> {
        vec![Deadline::day_of(self.due_on)]
    }
    fn marked(&self) -> bool {
        self.overdue
    }
    fn set_mark(&self, conn: &mut DbConn, on: bool) -> AppResult<usize> {
        Ok(diesel::update(
            trainings::table
                .filter(trainings::id.eq(&self.id))
                .filter(trainings::status.eq(TrainingStatus::Planned))
                .filter(trainings::overdue.eq(!on)),
        )
        .set(trainings::overdue.eq(on))
        .execute(conn)?)
    }
    const ACTIONS: (&'static str, &'static str) = ("training.overdue", "training.on_time");
    const FIELD: &'static str = "overdue";
    fn entity(&self) -> (&str, &str) {
        ("training", &self.id)
    }
    fn summary(&self, on: bool) -> String {
        if on {
            format!("the training was due on {}", self.due_on.date())
        } else {
            "the training is no longer overdue".into()
        }
    }
}

/// Marks planned trainings whose day has passed (the scheduler's job).
///
/// # Errors
/// A database fault.
pub fn mark_overdue(conn: &mut DbConn, at: NaiveDateTime) -> AppResult<usize> {
    let rows: Vec<(String, NaiveDateTime, bool)> = trainings::table
        .filter(trainings::status.eq(TrainingStatus::Planned))
        .select((trainings::id, trainings::due_on, trainings::overdue))
        .load(conn)?;
    reconcile(
        conn,
        &Actor::system("scheduler"),
        at,
        at.date(),
        rows.into_iter().map(|(id, due_on, overdue)| DueTraining {
            id,
            due_on,
            overdue,
        }),
    )
}
