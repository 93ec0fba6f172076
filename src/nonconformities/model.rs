//! Nonconformities and corrective actions: the closed sets of kinds and
//! states, the stored rows, and values checked where they enter.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{
    corrective_actions, effectiveness_checks, nc_analyses, nc_dispositions, nonconformities,
};
use crate::error::{AppError, AppResult, Code};
use crate::kit::choice::choice;

choice!(
    /// What kind of nonconformity.
    NcKind, Code::InvalidNcKind, "kind" {
        Deviation => "deviation",
        InternalComplaint => "internal_complaint",
        CustomerComplaint => "customer_complaint",
        Supplier => "supplier",
        AuditFinding => "audit_finding",
        CustomerProperty => "customer_property",
    }
);

choice!(
    /// How bad it is.
    Severity, Code::InvalidSeverity, "severity" {
        Minor => "minor",
        Major => "major",
        Critical => "critical",
    }
);

choice!(
    /// Where a nonconformity stands. `rejected` and `closed` are final.
    NcStatus, Code::InvalidNcStatus, "status" {
        Reported => "reported",
        Accepted => "accepted",
        Rejected => "rejected",
        Analysed => "analysed",
        ActionsPlanned => "actions_planned",
        ActionsDone => "actions_done",
        Verified => "verified",
        Closed => "closed",
    }
);

choice!(
    /// A list filter on the state: one state, or `open` for every state but
    /// `rejected` and `closed`.
    NcStatusFilter, Code::InvalidNcStatus, "status" {
        Open => "open",
        Reported => "reported",
        Accepted => "accepted",
        Rejected => "rejected",
        Analysed => "analysed",
        ActionsPlanned => "actions_planned",
        ActionsDone => "actions_done",
        Verified => "verified",
        Closed => "closed",
    }
);

impl NcStatus {
    /// Whether the record is final: nothing more is added to it.
    pub fn is_final(self) -> bool {
        matches!(self, NcStatus::Rejected | NcStatus::Closed)
    }

    /// Whether it is still being handled (counts as open in statistics).
    pub fn is_open(self) -> bool {
        !self.is_final()
    }
}

choice!(
    /// What was decided about a nonconforming output (ISO 9001 8.7.1).
    Disposition, Code::InvalidDisposition, "disposition" {
        Rework => "rework",
        Concession => "concession",
        Scrap => "scrap",
        Return => "return",
        UseAsIs => "use_as_is",
    }
);

choice!(
    /// Where the root cause lies (the six Ms of a fishbone diagram, and management).
    CauseCategory, Code::InvalidCauseCategory, "cause category" {
        People => "people",
        Method => "method",
        Machine => "machine",
        Material => "material",
        Measurement => "measurement",
        Environment => "environment",
        Management => "management",
        Supplier => "supplier",
    }
);

choice!(
    /// Where a corrective action stands.
    ActionStatus, Code::InvalidActionStatus, "action status" {
        Open => "open",
        Done => "done",
        Cancelled => "cancelled",
    }
);

choice!(
    /// What an effectiveness check found.
    Effectiveness, Code::InvalidEffectivenessResult, "effectiveness result" {
        Effective => "effective",
        NotEffective => "not_effective",
    }
);

/// A nonconformity as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = nonconformities)]
pub struct NcRow {
    pub id: String,
    pub number: String,
    pub year: i32,
    pub seq: i32,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub detected_on: NaiveDateTime,
    pub detected_in_id: Option<String>,
    pub responsible_id: String,
    pub reporter_id: String,
    pub severity: String,
    pub refs: String,
    pub status: String,
    pub accept_due_at: NaiveDateTime,
    pub accepted_by: Option<String>,
    pub accepted_at: Option<NaiveDateTime>,
    pub rejection_reason: Option<String>,
    pub effectiveness_due_on: Option<NaiveDateTime>,
    pub closed_by: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    pub closing_comment: String,
    pub overdue: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl NcRow {
    /// The stored status; a value outside the set is a fault of ours.
    ///
    /// # Errors
    /// `invalid_nc_status`.
    pub fn state(&self) -> AppResult<NcStatus> {
        NcStatus::parse(&self.status)
    }
}

/// A corrective action as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = corrective_actions)]
pub struct ActionRow {
    pub id: String,
    pub nc_id: String,
    pub description: String,
    pub owner_id: String,
    pub due_on: NaiveDateTime,
    pub status: String,
    pub document_id: Option<String>,
    pub document_revision: Option<i32>,
    pub completion_note: String,
    pub completed_by: Option<String>,
    pub completed_at: Option<NaiveDateTime>,
    pub overdue: bool,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// A containment and disposition decision as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = nc_dispositions)]
pub struct DispositionRow {
    pub id: String,
    pub nc_id: String,
    pub containment: String,
    pub disposition: Option<String>,
    pub note: String,
    pub decided_by: String,
    pub decided_at: NaiveDateTime,
}

/// A root-cause analysis as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = nc_analyses)]
pub struct AnalysisRow {
    pub id: String,
    pub nc_id: String,
    pub whys: String,
    pub root_cause: String,
    pub cause_category: String,
    pub analysed_by: String,
    pub analysed_at: NaiveDateTime,
}

/// An effectiveness check as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = effectiveness_checks)]
pub struct CheckRow {
    pub id: String,
    pub nc_id: String,
    pub result: String,
    pub comment: String,
    pub verified_by: String,
    pub verified_at: NaiveDateTime,
}

/// The five whys: one to five non-empty answers, each at most 1,000 characters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Whys(Vec<String>);

impl Whys {
    /// # Errors
    /// `invalid_whys`.
    pub fn parse(answers: &[String]) -> AppResult<Whys> {
        let mut kept: Vec<String> = Vec::new();
        for a in answers {
            let a = crate::kit::text::optional_text("a why", Code::InvalidWhys, a, 1_000)?;
            if !a.is_empty() {
                kept.push(a);
            }
        }
        if kept.len() > 5 {
            return Err(AppError::invalid(
                Code::InvalidWhys,
                "give at most five whys of at most 1,000 characters each",
            ));
        }
        Ok(Whys(kept))
    }

    /// Reads the stored JSON; a damaged value reads as no answers.
    pub fn from_stored(json: &str) -> Whys {
        Whys(serde_json::from_str(json).unwrap_or_default())
    }

    pub fn to_stored(&self) -> String {
        serde_json::Value::from(self.0.clone()).to_string()
    }

    pub fn answers(&self) -> &[String] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whys_keep_answers_and_refuse_a_sixth() {
        let five: Vec<String> = (1..=5).map(|i| format!("because {i}")).collect();
        let w = Whys::parse(&five).unwrap();
        assert_eq!(Whys::from_stored(&w.to_stored()), w);
        let mut six = five.clone();
        six.push("and again".into());
        assert_eq!(Whys::parse(&six).unwrap_err().code, "invalid_whys");
        assert_eq!(Whys::parse(&["  ".into()]).unwrap().answers().len(), 0);
    }

    #[test]
    fn final_states() {
        assert!(NcStatus::Closed.is_final());
        assert!(NcStatus::Rejected.is_final());
        assert!(!NcStatus::ActionsDone.is_final());
        assert_eq!(
            Disposition::parse("shred").unwrap_err().code,
            "invalid_disposition"
        );
    }
}
