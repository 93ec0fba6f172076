//! Processes and their links: rows and validated types.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{process_external_inputs, process_outputs, processes};
use crate::error::{AppError, AppResult, Code};

/// A process code: a capital letter, then capitals, digits, `_` or `-`; 2-16 long.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct ProcessCode(String);

impl ProcessCode {
    /// # Errors
    /// `invalid_process_code`.
    pub fn parse(s: &str) -> AppResult<ProcessCode> {
        let s = s.trim();
        let ok = (2..=16).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_uppercase())
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if ok {
            Ok(ProcessCode(s.to_string()))
        } else {
            Err(AppError::invalid(
                Code::InvalidProcessCode,
                format!("`{s}` is not a process code such as SALES or PROD-2"),
            ))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::kit::choice::choice!(
    /// Whether a process is in use.
    ProcessStatus, Code::InvalidProcessStatus, "process status", |s| {
        "a process is `active` or `retired`"
    } {
        Active => "active",
        Retired => "retired",
    }
);

/// One row of `processes`: a process of the quality management system.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = processes)]
pub struct ProcessRow {
    /// The process's id (UUID v7).
    pub id: String,
    /// Its code, unique (`SALES`).
    pub code: String,
    /// Its name.
    pub name: String,
    /// What it is for.
    pub purpose: String,
    /// Id of its owner.
    pub owner_id: String,
    /// How its results are judged.
    pub criteria: String,
    /// What it needs to run.
    pub resources: String,
    /// Its risks and opportunities.
    pub risks: String,
    /// Whether it is in use.
    pub status: ProcessStatus,
    /// Optimistic-concurrency version, raised by every change.
    pub version: i32,
    /// When it was created.
    pub created_at: NaiveDateTime,
    /// When it last changed.
    pub updated_at: NaiveDateTime,
}

/// One row of `process_outputs`: what a process delivers.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = process_outputs)]
pub struct OutputRow {
    /// The output's id.
    pub id: String,
    /// The supplier process.
    pub process_id: String,
    /// What flows.
    pub name: String,
    /// An external customer that takes it, if any.
    pub external_customer: Option<String>,
    /// When it was added.
    pub created_at: NaiveDateTime,
}

/// One row of `process_external_inputs`: what a process takes from an external supplier.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = process_external_inputs)]
pub struct ExternalInputRow {
    /// The input's id.
    pub id: String,
    /// The process that takes it.
    pub process_id: String,
    /// What flows in.
    pub name: String,
    /// Who supplies it.
    pub external_supplier: String,
    /// When it was added.
    pub created_at: NaiveDateTime,
}
