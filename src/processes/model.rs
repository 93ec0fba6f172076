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

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = processes)]
pub struct ProcessRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub purpose: String,
    pub owner_id: String,
    pub criteria: String,
    pub resources: String,
    pub risks: String,
    pub status: ProcessStatus,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = process_outputs)]
pub struct OutputRow {
    pub id: String,
    pub process_id: String,
    pub name: String,
    pub external_customer: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = process_external_inputs)]
pub struct ExternalInputRow {
    pub id: String,
    pub process_id: String,
    pub name: String,
    pub external_supplier: String,
    pub created_at: NaiveDateTime,
}
