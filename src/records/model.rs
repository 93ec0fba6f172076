//! Rows of records and what the API shows of them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::form::{RecordMeaning, SignOff};
use crate::db::schema::{record_files, record_signatures, record_versions, records};

/// A record as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = records)]
pub struct RecordRow {
    /// Its id.
    pub id: String,
    /// `FORM-003-0017`.
    pub number: String,
    /// The template.
    pub template_id: String,
    /// Its number among the template's records.
    pub seq: i32,
    /// The process it was filled for.
    pub process_id: Option<String>,
    /// Who filled it in.
    pub created_by: String,
    /// Their username then.
    pub created_by_name: String,
    /// When.
    pub created_at: NaiveDateTime,
    /// The version in force.
    pub version: i32,
    /// That version's row.
    pub current_version_id: String,
    /// Whether the version in force holds a deviation.
    pub has_deviation: bool,
    /// Whether the version in force has every signature asked.
    pub signed: bool,
    /// When it last changed.
    pub updated_at: NaiveDateTime,
}

/// One version of a record as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = record_versions)]
pub struct VersionRow {
    /// Its id.
    pub id: String,
    /// The record.
    pub record_id: String,
    /// 1, 2, ...
    pub version: i32,
    /// The template's revision.
    pub template_rev: i32,
    /// That revision's commit.
    pub template_commit: String,
    /// The answers, JSON.
    pub answers: String,
    /// The deviations, JSON array.
    pub deviations: String,
    /// Why it was corrected.
    pub reason: String,
    /// Who wrote it.
    pub author_id: String,
    /// Their username then.
    pub author_name: String,
    /// When.
    pub created_at: NaiveDateTime,
}

/// A signature on a record as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = record_signatures)]
pub struct SignatureRow {
    /// Its id.
    pub id: String,
    /// The record.
    pub record_id: String,
    /// The version signed.
    pub version: i32,
    /// What it means.
    pub meaning: RecordMeaning,
    /// Who signed.
    pub signer_id: String,
    /// Their username then.
    pub signer_name: String,
    /// The competence required of the signer.
    pub competence_code: Option<String>,
    /// Their certification of it.
    pub certification_id: Option<String>,
    /// When.
    pub signed_at: NaiveDateTime,
}

/// A file of a record, without its content.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = record_files)]
pub struct FileView {
    /// Its id: the value of the file field that names it.
    pub id: String,
    /// The name as uploaded.
    pub filename: String,
    /// Its media type.
    pub content_type: String,
    /// Its size in bytes.
    pub size: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
}

/// A signature on a record, as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignatureView {
    /// The version signed.
    pub version: i32,
    /// `reviewed` or `released`.
    pub meaning: RecordMeaning,
    /// The signer's username.
    pub signer: String,
    /// Their name.
    pub signer_name: String,
    /// The competence the signature needed, if any.
    pub competence: Option<String>,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    pub signed_at: NaiveDateTime,
}

/// One version of a record, as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionView {
    /// 1, 2, ...
    pub version: i32,
    /// The template's revision it was filled on.
    pub template_rev: i32,
    /// That revision's commit.
    pub template_commit: String,
    /// The answers: `{field: value}`.
    #[schema(value_type = Object)]
    pub values: serde_json::Value,
    /// Where the answers are deviations.
    pub deviations: Vec<String>,
    /// Why it was corrected; empty for the first version.
    pub reason: String,
    /// Who wrote it (username).
    pub author: String,
    /// Their name.
    pub author_name: String,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    pub created_at: NaiveDateTime,
}

/// A record with its history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordView {
    /// `FORM-003-0017`.
    pub number: String,
    /// The template's document number.
    pub template: String,
    /// The template's title.
    pub template_title: String,
    /// The process it was filled for.
    pub process: Option<String>,
    /// Who filled it in (username).
    pub created_by: String,
    /// Their name.
    pub created_by_name: String,
    /// When it was submitted.
    #[serde(with = "crate::time::rfc3339")]
    pub created_at: NaiveDateTime,
    /// The version in force.
    pub version: i32,
    /// The template's revision it was filled on.
    pub template_rev: i32,
    /// That revision's commit.
    pub template_commit: String,
    /// The answers in force.
    #[schema(value_type = Object)]
    pub values: serde_json::Value,
    /// Where they are deviations.
    pub deviations: Vec<String>,
    /// Whether the version in force has every signature asked.
    pub signed: bool,
    /// The signatures the template asks for.
    pub signatures_asked: Vec<SignOff>,
    /// The signatures given, to any version.
    pub signatures: Vec<SignatureView>,
    /// Every version, oldest first.
    pub versions: Vec<VersionView>,
    /// Its files.
    pub files: Vec<FileView>,
    /// The nonconformities reported from it.
    pub nonconformities: Vec<String>,
    /// What the reader may do: `correct`, `sign`, `report_nonconformity`.
    pub allowed_steps: Vec<String>,
}

/// A record as the register lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordSummary {
    /// `FORM-003-0017`.
    pub number: String,
    /// Its number among the template's records.
    pub seq: i32,
    /// The process it was filled for.
    pub process: Option<String>,
    /// Who filled it in (username).
    pub created_by: String,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    pub created_at: NaiveDateTime,
    /// The version in force.
    pub version: i32,
    /// The answers in force.
    #[schema(value_type = Object)]
    pub values: serde_json::Value,
    /// Whether they hold a deviation.
    pub has_deviation: bool,
    /// Whether every signature asked is given.
    pub signed: bool,
}
