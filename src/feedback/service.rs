//! The rules of surveys: who creates one and invites to it, how a personal
//! link is made (a random token of 256 bits, of which only the SHA-256 is
//! kept), how a link is answered once, and how a respondent's contact
//! details are erased while their scores stay.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::contacts::Contact;
use super::model::{CheckedAnswer, Question, SurveyDef, SurveyInput, Touchpoint};
use crate::audit::{self, Actor, Change, Diff};
use crate::auth::model::{Role, User};
use crate::db::schema::{processes, survey_answers, survey_invitations, surveys, users};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code};
use crate::i18n::Lang;
use crate::ids::{new_id, now};
use crate::records::form::Label;

/// Who reads surveys, their invitations and results.
pub const READERS: &[Role] = &[Role::QualityManager, Role::ProcessOwner, Role::Auditor];
/// Who creates surveys and invites (a process owner for their own processes).
pub const WRITERS: &[Role] = &[Role::QualityManager, Role::ProcessOwner];

/// A survey as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = surveys)]
pub struct SurveyRow {
    /// Its id.
    pub id: String,
    /// Title in English.
    pub title_en: String,
    /// Title in Finnish.
    pub title_fi: String,
    /// Where it asks.
    pub touchpoint: Touchpoint,
    /// The process it asks about.
    pub process_id: String,
    /// Its questions (JSON).
    pub questions: String,
    /// Days an invitation stays open.
    pub expiry_days: i32,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: NaiveDateTime,
}

/// An invitation as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = survey_invitations)]
pub struct InvitationRow {
    /// Its id.
    pub id: String,
    /// Its survey.
    pub survey_id: String,
    /// SHA-256 of the link's token.
    pub token_hash: String,
    /// The customer's name.
    pub name: Option<String>,
    /// Their address.
    pub email: Option<String>,
    /// Their company.
    pub company: Option<String>,
    /// Our reference.
    pub reference: Option<String>,
    /// Their language.
    pub language: String,
    /// Who invited.
    pub created_by: String,
    /// When.
    pub created_at: NaiveDateTime,
    /// From when the link no longer opens.
    pub expires_at: NaiveDateTime,
    /// When it was answered.
    pub answered_at: Option<NaiveDateTime>,
    /// When its contact details were erased.
    pub erased_at: Option<NaiveDateTime>,
}

/// A survey as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SurveyView {
    /// Its id.
    pub id: String,
    /// Its title in both languages.
    pub title: Label,
    /// Where it asks.
    pub touchpoint: Touchpoint,
    /// The code of the process it asks about.
    pub process: String,
    /// That process's name.
    pub process_name: String,
    /// Its questions.
    pub questions: Vec<Question>,
    /// Days an invitation stays open.
    pub expiry_days: i32,
    /// Username of who created it.
    pub created_by: String,
    /// When (UTC).
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    /// Invitations made.
    pub invited: i64,
    /// Invitations answered.
    pub answered: i64,
}

/// An invitation as readers see it: never its link.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvitationView {
    /// Its id.
    pub id: String,
    /// The customer's name; `null` once erased.
    pub name: Option<String>,
    /// Their address.
    pub email: Option<String>,
    /// Their company.
    pub company: Option<String>,
    /// Our reference.
    pub reference: Option<String>,
    /// `en` or `fi`.
    pub language: String,
    /// When it was made (UTC).
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    /// From when its link no longer opens (UTC).
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: NaiveDateTime,
    /// When it was answered (UTC).
    #[serde(with = "crate::time::rfc3339_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub answered_at: Option<NaiveDateTime>,
    /// Whether its contact details were erased on request.
    pub erased: bool,
    /// Its e-mail, when it was asked to be mailed: `queued`, `sent`,
    /// `failed` (given up after the last try) or `dropped` (erased first).
    pub mail: Option<String>,
}

impl From<InvitationRow> for InvitationView {
    fn from(r: InvitationRow) -> Self {
        InvitationView {
            id: r.id,
            name: r.name,
            email: r.email,
            company: r.company,
            reference: r.reference,
            language: r.language,
            created_at: r.created_at,
            expires_at: r.expires_at,
            answered_at: r.answered_at,
            mail: None,
            erased: r.erased_at.is_some(),
        }
    }
}

/// An invitation just made, with its link: the only time the link is shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NewInvitation {
    /// Its id.
    pub id: String,
    /// The customer's name.
    pub name: String,
    /// Their address, if given.
    pub email: Option<String>,
    /// `en` or `fi`.
    pub language: String,
    /// The personal link's path (`/s/<token>`).
    pub path: String,
    /// The whole link, from `public_url`.
    pub link: String,
    /// From when it no longer opens (UTC).
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: NaiveDateTime,
    /// Whether its link was queued to be e-mailed to the contact.
    pub mailed: bool,
}

/// The SHA-256 (hex) of a link's token, as stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new link token: 32 bytes from the operating system's generator
/// (rand's thread generator, ChaCha seeded from the OS), as 64 hex digits.
fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn not_found() -> AppError {
    AppError::not_found(Code::SurveyNotFound, "no such survey")
}

/// The survey of `id`.
///
/// # Errors
/// `survey_not_found`.
pub fn row(conn: &mut DbConn, id: &str) -> AppResult<SurveyRow> {
    surveys::table
        .find(id)
        .select(SurveyRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(not_found)
}

/// Whether `by` may change the survey of process `process_id`: a quality
/// manager, or the process's owner.
fn may_write(conn: &mut DbConn, by: &User, process_id: &str) -> AppResult<bool> {
    if by.has_role(Role::QualityManager) {
        return Ok(true);
    }
    if !by.has_role(Role::ProcessOwner) {
        return Ok(false);
    }
    let owner: String = processes::table
        .find(process_id)
        .select(processes::owner_id)
        .first(conn)?;
    Ok(owner == by.id.0)
}

/// Creates a survey.
///
/// # Errors
/// `forbidden` (not a quality manager, nor the owner of the process);
/// `invalid_survey`; `process_not_found`.
pub fn create(
    conn: &mut DbConn,
    by: &User,
    input: &SurveyInput,
    default_expiry: i32,
) -> AppResult<SurveyView> {
    by.require_any(WRITERS)?;
    let checked = input.check()?;
    let process = crate::processes::service::row_by_code(conn, &checked.process)?;
    if !may_write(conn, by, &process.id)? {
        return Err(AppError::forbidden());
    }
    let id = new_id();
    let at = now();
    let expiry = checked.expiry_days.unwrap_or(default_expiry);
    write_tx(conn, |conn| {
        diesel::insert_into(surveys::table)
            .values((
                surveys::id.eq(&id),
                surveys::title_en.eq(&checked.title.en),
                surveys::title_fi.eq(&checked.title.fi),
                surveys::touchpoint.eq(checked.touchpoint),
                surveys::process_id.eq(&process.id),
                surveys::questions.eq(checked.def.to_stored()),
                surveys::expiry_days.eq(expiry),
                surveys::created_by.eq(&by.id.0),
                surveys::created_at.eq(at),
            ))
            .execute(conn)?;
        let keys: Vec<String> = checked
            .def
            .questions
            .iter()
            .map(|q| format!("{} ({})", q.key, q.kind.as_str()))
            .collect();
        audit::record(
            conn,
            &Actor::user(&by.id, &by.username),
            Change {
                action: "survey.created",
                entity_type: "survey",
                entity_id: &id,
                summary: format!(
                    "survey \"{}\" for {} at {}",
                    checked.title.en,
                    process.code,
                    checked.touchpoint.as_str()
                ),
                changes: Diff::new()
                    .created("title", &checked.title.en)
                    .created("process", &process.code)
                    .created("touchpoint", &checked.touchpoint.as_str())
                    .created("questions", &keys)
                    .created("expiry_days", &expiry)
                    .into_value(),
            },
        )?;
        Ok(())
    })?;
    view(conn, &id)
}

fn view_of(conn: &mut DbConn, r: SurveyRow) -> AppResult<SurveyView> {
    let (code, name): (String, String) = processes::table
        .find(&r.process_id)
        .select((processes::code, processes::name))
        .first(conn)?;
    let created_by: String = users::table
        .find(&r.created_by)
        .select(users::username)
        .first(conn)?;
    let invited: i64 = survey_invitations::table
        .filter(survey_invitations::survey_id.eq(&r.id))
        .count()
        .get_result(conn)?;
    let answered: i64 = survey_answers::table
        .filter(survey_answers::survey_id.eq(&r.id))
        .count()
        .get_result(conn)?;
    Ok(SurveyView {
        questions: SurveyDef::from_stored(&r.questions)?.questions,
        id: r.id,
        title: Label {
            en: r.title_en,
            fi: r.title_fi,
        },
        touchpoint: r.touchpoint,
        process: code,
        process_name: name,
        expiry_days: r.expiry_days,
        created_by,
        created_at: r.created_at,
        invited,
        answered,
    })
}

/// The survey of `id` as the API shows it.
///
/// # Errors
/// `survey_not_found`.
pub fn view(conn: &mut DbConn, id: &str) -> AppResult<SurveyView> {
    let r = row(conn, id)?;
    view_of(conn, r)
}

/// Every survey, newest first (a site has tens of surveys, not thousands).
///
/// # Errors
/// A database fault.
pub fn list(conn: &mut DbConn) -> AppResult<Vec<SurveyView>> {
    let rows: Vec<SurveyRow> = surveys::table
        .order((surveys::created_at.desc(), surveys::id.desc()))
        .select(SurveyRow::as_select())
        .load(conn)?;
    rows.into_iter().map(|r| view_of(conn, r)).collect()
}

/// Whether `by` may invite to and change `survey`.
///
/// # Errors
/// A database fault.
pub fn may_change(conn: &mut DbConn, by: &User, survey: &SurveyRow) -> AppResult<bool> {
    may_write(conn, by, &survey.process_id)
}

/// Invites `contacts` to the survey of `id`: one personal link each, open
/// for the survey's days from `at`, in one transaction with one audit
/// event. Answers each invitation with its link (`base` + `/s/<token>`).
///
/// # Errors
/// `survey_not_found`; `forbidden` (not a quality manager, nor the owner
/// of the survey's process).
pub fn invite(
    conn: &mut DbConn,
    by: &User,
    id: &str,
    contacts: &[Contact],
    base: &str,
    at: NaiveDateTime,
) -> AppResult<Vec<NewInvitation>> {
    invite_and_mail(conn, by, id, contacts, base, at, false)
}

/// [`invite`], and with `send` each contact that has an e-mail address is
/// also mailed their link (queued in the same transaction; see
/// [`super::mail`]).
///
/// # Errors
/// As [`invite`].
pub fn invite_and_mail(
    conn: &mut DbConn,
    by: &User,
    id: &str,
    contacts: &[Contact],
    base: &str,
    at: NaiveDateTime,
    send: bool,
) -> AppResult<Vec<NewInvitation>> {
    by.require_any(WRITERS)?;
    let survey = row(conn, id)?;
    if !may_change(conn, by, &survey)? {
        return Err(AppError::forbidden());
    }
    let expires_at = at + TimeDelta::days(i64::from(survey.expiry_days));
    write_tx(conn, |conn| {
        let mut out = Vec::new();
        for c in contacts {
            let token = new_token();
            let inv = new_id();
            diesel::insert_into(survey_invitations::table)
                .values((
                    survey_invitations::id.eq(&inv),
                    survey_invitations::survey_id.eq(&survey.id),
                    survey_invitations::token_hash.eq(token_hash(&token)),
                    survey_invitations::name.eq(&c.name),
                    survey_invitations::email.eq(&c.email),
                    survey_invitations::company.eq(&c.company),
                    survey_invitations::reference.eq(&c.reference),
                    survey_invitations::language.eq(c.language.code()),
                    survey_invitations::created_by.eq(&by.id.0),
                    survey_invitations::created_at.eq(at),
                    survey_invitations::expires_at.eq(expires_at),
                ))
                .execute(conn)?;
            let path = format!("/s/{token}");
            let link = format!("{base}{path}");
            let address = c.email.as_deref().filter(|e| send && !e.trim().is_empty());
            if let Some(to) = address {
                let title = if c.language == Lang::Fi {
                    &survey.title_fi
                } else {
                    &survey.title_en
                };
                let last = (expires_at - TimeDelta::seconds(1)).date();
                super::mail::queue(
                    conn,
                    &super::mail::InvitationMail {
                        invitation: &inv,
                        to,
                        name: &c.name,
                        language: c.language,
                        survey: title,
                        link: &link,
                        until: crate::i18n::format_day(c.language, last),
                    },
                    at,
                )?;
            }
            out.push(NewInvitation {
                mailed: address.is_some(),
                id: inv,
                name: c.name.clone(),
                email: c.email.clone(),
                language: c.language.code().to_string(),
                link,
                path,
                expires_at,
            });
        }
        let ids: Vec<&str> = out.iter().map(|i| i.id.as_str()).collect();
        let mailed: Vec<&str> = out
            .iter()
            .filter(|i| i.mailed)
            .map(|i| i.id.as_str())
            .collect();
        audit::record(
            conn,
            &Actor::user(&by.id, &by.username),
            Change {
                action: "survey.invited",
                entity_type: "survey",
                entity_id: &survey.id,
                summary: format!("{} invited to survey \"{}\"", out.len(), survey.title_en),
                changes: Diff::new()
                    .created("invitations", &ids)
                    .created("mailed", &mailed)
                    .created("expires_at", &crate::time::format(&expires_at))
                    .into_value(),
            },
        )?;
        Ok(out)
    })
}

/// The invitations of a survey, newest first.
///
/// # Errors
/// A database fault.
pub fn invitations(conn: &mut DbConn, survey_id: &str) -> AppResult<Vec<InvitationView>> {
    let mut list: Vec<InvitationView> = survey_invitations::table
        .filter(survey_invitations::survey_id.eq(survey_id))
        .order((
            survey_invitations::created_at.desc(),
            survey_invitations::id.desc(),
        ))
        .select(InvitationRow::as_select())
        .load(conn)?
        .into_iter()
        .map(InvitationView::from)
        .collect();
    let ids: Vec<String> = list.iter().map(|i| i.id.clone()).collect();
    let mut states = super::mail::states(conn, &ids)?;
    for i in &mut list {
        i.mail = states.remove(&i.id);
    }
    Ok(list)
}

/// The survey and invitation a link opens at `at`: `None` for an unknown
/// token, an expired link and one already answered alike, so the answer
/// page cannot tell them apart.
///
/// # Errors
/// A database fault.
pub fn open(
    conn: &mut DbConn,
    token: &str,
    at: NaiveDateTime,
) -> AppResult<Option<(SurveyRow, InvitationRow)>> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let found: Option<InvitationRow> = survey_invitations::table
        .filter(survey_invitations::token_hash.eq(token_hash(token)))
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()?;
    let Some(inv) = found.filter(|i| i.answered_at.is_none() && at < i.expires_at) else {
        return Ok(None);
    };
    let survey = row(conn, &inv.survey_id)?;
    Ok(Some((survey, inv)))
}

/// What answering a link came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answered {
    /// Kept; the answer's id.
    Kept(String),
    /// The link does not open (unknown, expired or answered already).
    Unavailable,
}

/// Keeps the answer to the link of `token`, checked against its survey's
/// questions, once: the invitation's row is locked and marked answered in
/// the same transaction, so a second answer finds it used.
///
/// # Errors
/// `invalid_survey_answer` with a refusal per question.
pub fn answer(
    conn: &mut DbConn,
    token: &str,
    get: impl Fn(&str) -> Option<String>,
    at: NaiveDateTime,
    followup_due: chrono::NaiveDate,
) -> AppResult<Answered> {
    let Some((survey, inv)) = open(conn, token, at)? else {
        return Ok(Answered::Unavailable);
    };
    let def = SurveyDef::from_stored(&survey.questions)?;
    let checked: CheckedAnswer = def.check_answer(get)?;
    write_tx(conn, |conn| {
        crate::db::lock_row(conn, &inv.id)?;
        let marked = diesel::update(
            survey_invitations::table
                .find(&inv.id)
                .filter(survey_invitations::answered_at.is_null()),
        )
        .set(survey_invitations::answered_at.eq(at))
        .execute(conn)?;
        if marked == 0 {
            return Ok(Answered::Unavailable);
        }
        let id = new_id();
        diesel::insert_into(survey_answers::table)
            .values((
                survey_answers::id.eq(&id),
                survey_answers::invitation_id.eq(&inv.id),
                survey_answers::survey_id.eq(&survey.id),
                survey_answers::answered_at.eq(at),
                survey_answers::nps.eq(checked.nps),
                survey_answers::csat.eq(checked.csat),
                survey_answers::effort.eq(checked.effort),
                survey_answers::answers
                    .eq(serde_json::Value::Object(checked.values.clone()).to_string()),
                survey_answers::idea.eq(&checked.idea),
            ))
            .execute(conn)?;
        let followup = super::followup::open_if_needed(
            conn,
            &survey.id,
            &id,
            checked.nps,
            checked.csat,
            at,
            followup_due,
        )?;
        audit::record(
            conn,
            &Actor::system("survey"),
            Change {
                action: "survey.answered",
                entity_type: "survey",
                entity_id: &survey.id,
                summary: format!("an answer to survey \"{}\"", survey.title_en),
                changes: Diff::new()
                    .created("invitation", &inv.id)
                    .created("answer", &id)
                    .created("nps", &checked.nps)
                    .created("csat", &checked.csat)
                    .created("followup", &followup)
                    .into_value(),
            },
        )?;
        Ok(Answered::Kept(id))
    })
}

/// Erases the contact details (name, e-mail, company, reference) of an
/// invitation on the respondent's request; the answer and its scores stay.
/// The audit event says which fields were erased, never what they held.
///
/// # Errors
/// `forbidden` (not a quality manager); `invitation_not_found`.
pub fn erase_contact(
    conn: &mut DbConn,
    by: &User,
    survey_id: &str,
    invitation_id: &str,
) -> AppResult<InvitationView> {
    by.require_any(&[Role::QualityManager])?;
    write_tx(conn, |conn| {
        crate::db::lock_row(conn, invitation_id)?;
        let inv: InvitationRow = survey_invitations::table
            .find(invitation_id)
            .filter(survey_invitations::survey_id.eq(survey_id))
            .select(InvitationRow::as_select())
            .first(conn)
            .optional()?
            .ok_or_else(|| AppError::not_found(Code::InvitationNotFound, "no such invitation"))?;
        if inv.erased_at.is_some() {
            return Ok(InvitationView::from(inv));
        }
        let at = now();
        super::mail::erase(conn, invitation_id)?;
        diesel::update(survey_invitations::table.find(invitation_id))
            .set((
                survey_invitations::name.eq(None::<String>),
                survey_invitations::email.eq(None::<String>),
                survey_invitations::company.eq(None::<String>),
                survey_invitations::reference.eq(None::<String>),
                survey_invitations::erased_at.eq(Some(at)),
            ))
            .execute(conn)?;
        let erased: Vec<&str> = [
            ("name", inv.name.is_some()),
            ("email", inv.email.is_some()),
            ("company", inv.company.is_some()),
            ("reference", inv.reference.is_some()),
        ]
        .into_iter()
        .filter_map(|(f, had)| had.then_some(f))
        .collect();
        audit::record(
            conn,
            &Actor::user(&by.id, &by.username),
            Change {
                action: "survey.contact_erased",
                entity_type: "survey",
                entity_id: survey_id,
                summary: format!("contact details of invitation {invitation_id} erased on request"),
                changes: serde_json::json!({
                    "invitation": { "before": null, "after": invitation_id },
                    "erased_fields": { "before": null, "after": erased },
                }),
            },
        )?;
        let after: InvitationRow = survey_invitations::table
            .find(invitation_id)
            .select(InvitationRow::as_select())
            .first(conn)?;
        Ok(InvitationView::from(after))
    })
}
