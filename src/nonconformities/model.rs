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
        Improvement => "improvement",
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
    /// The case's id (UUID v7).
    pub id: String,
    /// Its number, `NC-<year>-<seq>`.
    pub number: String,
    /// The year of the number.
    pub year: i32,
    /// The number's sequence within the year, without gaps.
    pub seq: i32,
    /// What kind of nonconformity.
    pub kind: NcKind,
    /// A short title.
    pub title: String,
    /// What was found.
    pub description: String,
    /// When it was detected (the site's midnight of the date given).
    pub detected_on: NaiveDateTime,
    /// Id of the process where it was detected, if known.
    pub detected_in_id: Option<String>,
    /// Id of the process responsible for handling it.
    pub responsible_id: String,
    /// Id of who reported it.
    pub reporter_id: String,
    /// How bad it is.
    pub severity: Severity,
    /// References the reporter gave (order numbers, batches, ...).
    pub refs: String,
    /// Where it stands.
    pub status: NcStatus,
    /// By when the responsible owner is to accept or reject it.
    pub accept_due_at: NaiveDateTime,
    /// Id of who accepted it.
    pub accepted_by: Option<String>,
    /// When it was accepted.
    pub accepted_at: Option<NaiveDateTime>,
    /// Why it was rejected as not a nonconformity.
    pub rejection_reason: Option<String>,
    /// When the effectiveness of its actions is to be checked.
    pub effectiveness_due_on: Option<NaiveDateTime>,
    /// Id of the quality manager who closed it.
    pub closed_by: Option<String>,
    /// When it was closed.
    pub closed_at: Option<NaiveDateTime>,
    /// Why it was closed without actions, or a closing note.
    pub closing_comment: String,
    /// Whether something on it is late (set by every change and by the scheduler).
    pub overdue: bool,
    /// Optimistic-concurrency version, raised by every change.
    pub version: i32,
    /// When it was reported.
    pub created_at: NaiveDateTime,
    /// When it last changed.
    pub updated_at: NaiveDateTime,
}

/// A corrective action as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = corrective_actions)]
pub struct ActionRow {
    /// The case's id (UUID v7).
    pub id: String,
    /// The case it corrects.
    pub nc_id: String,
    /// What was found.
    pub description: String,
    /// Id of who is to do it.
    pub owner_id: String,
    /// By when (the site's midnight of the date given).
    pub due_on: NaiveDateTime,
    /// Open, done or cancelled.
    pub status: ActionStatus,
    /// A document the action changes, if any.
    pub document_id: Option<String>,
    /// The approved revision of that document that completed the action.
    pub document_revision: Option<i32>,
    /// What its owner noted on finishing or cancelling it.
    pub completion_note: String,
    /// Id of who finished or cancelled it.
    pub completed_by: Option<String>,
    /// When it was finished or cancelled.
    pub completed_at: Option<NaiveDateTime>,
    /// Whether something on it is late (set by every change and by the scheduler).
    pub overdue: bool,
    /// Id of who planned it.
    pub created_by: String,
    /// When it was reported.
    pub created_at: NaiveDateTime,
}

/// A containment and disposition decision as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = nc_dispositions)]
pub struct DispositionRow {
    /// The case's id (UUID v7).
    pub id: String,
    /// The case it corrects.
    pub nc_id: String,
    /// What was done at once to contain the nonconformity.
    pub containment: String,
    /// What was decided about the output, if anything.
    pub disposition: Option<Disposition>,
    /// A note, such as who authorised a concession.
    pub note: String,
    /// Id of who decided.
    pub decided_by: String,
    /// When it was decided.
    pub decided_at: NaiveDateTime,
}

/// A root-cause analysis as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = nc_analyses)]
pub struct AnalysisRow {
    /// The case's id (UUID v7).
    pub id: String,
    /// The case it corrects.
    pub nc_id: String,
    /// The five whys, as a JSON list (see [`Whys`]).
    pub whys: String,
    /// The root cause found.
    pub root_cause: String,
    /// Where the root cause lies.
    pub cause_category: CauseCategory,
    /// Id of who analysed.
    pub analysed_by: String,
    /// When the analysis was recorded.
    pub analysed_at: NaiveDateTime,
}

/// An effectiveness check as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = effectiveness_checks)]
pub struct CheckRow {
    /// The case's id (UUID v7).
    pub id: String,
    /// The case it corrects.
    pub nc_id: String,
    /// What the check found.
    pub result: Effectiveness,
    /// What was checked and found.
    pub comment: String,
    /// Id of the quality manager who checked.
    pub verified_by: String,
    /// When the check was recorded.
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

    /// The answers as the JSON list the database keeps.
    pub fn to_stored(&self) -> String {
        serde_json::Value::from(self.0.clone()).to_string()
    }

    /// The answers, in order.
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
