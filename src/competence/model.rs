//! Rows of the competence area and its closed sets.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{
    acknowledgements, certification_files, certifications, competence_requirements, competences,
    trainings,
};
use crate::error::{AppError, AppResult, Code};
use crate::kit::choice::choice;

choice!(
    /// The level scale of a competence. `iluo` is the four steps many
    /// Finnish plants use: I learning, L can work under guidance, U works
    /// independently, O can train others.
    Scale, Code::InvalidScale, "level scale" {
        None => "none",
        Iluo => "iluo",
        OneToFive => "one_to_five",
    }
);

impl Scale {
    /// How many levels it has (0: none).
    pub fn levels(self) -> i32 {
        match self {
            Scale::None => 0,
            Scale::Iluo => 4,
            Scale::OneToFive => 5,
        }
    }

    /// The short name of level `n` (`U`, `3`).
    pub fn label(self, n: i32) -> String {
        match self {
            Scale::Iluo => ["I", "L", "U", "O"]
                .get(usize::try_from(n - 1).unwrap_or(usize::MAX))
                .map_or_else(|| n.to_string(), |s| (*s).to_string()),
            _ => n.to_string(),
        }
    }

    /// A level as sent: a number on the scale, or for ILUO its letter.
    ///
    /// # Errors
    /// `level_not_on_scale`, or `competence_has_no_levels`.
    pub fn parse_level(self, sent: &LevelInput) -> AppResult<i32> {
        if self == Scale::None {
            return Err(AppError::invalid(
                Code::CompetenceHasNoLevels,
                "this competence has no levels; leave the level out",
            ));
        }
        let n = match sent {
            LevelInput::Number(n) => i32::try_from(*n).unwrap_or(0),
            LevelInput::Text(t) => {
                let t = t.trim();
                match (self, t.to_ascii_uppercase().as_str()) {
                    (Scale::Iluo, "I") => 1,
                    (Scale::Iluo, "L") => 2,
                    (Scale::Iluo, "U") => 3,
                    (Scale::Iluo, "O") => 4,
                    _ => t.parse().unwrap_or(0),
                }
            }
        };
        if (1..=self.levels()).contains(&n) {
            Ok(n)
        } else {
            Err(AppError::invalid(
                Code::LevelNotOnScale,
                format!(
                    "the level is 1 to {} on this competence's scale{}",
                    self.levels(),
                    if self == Scale::Iluo {
                        " (or I, L, U, O)"
                    } else {
                        ""
                    }
                ),
            ))
        }
    }
}

/// A level as a request sends it: `3`, or `"U"` on the ILUO scale.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum LevelInput {
    /// A level number, from 1.
    Number(i64),
    /// A level number as text, or an ILUO letter.
    Text(String),
}

choice!(
    /// Whether a competence is still required and recorded.
    CompetenceStatus, Code::InvalidCompetenceStatus, "competence status" {
        Active => "active",
        Retired => "retired",
    }
);

choice!(
    /// Whom a requirement applies to.
    Scope, Code::InvalidRequirementScope, "requirement scope" {
        Process => "process",
        Role => "role",
        User => "user",
        Document => "document",
    }
);

choice!(
    /// Where a planned training stands.
    TrainingStatus, Code::InvalidTrainingStatus, "training status" {
        Planned => "planned",
        Completed => "completed",
        Cancelled => "cancelled",
    }
);

choice!(
    /// How a certification stands at the scheduler's last pass.
    Standing, Code::InvalidCertificationState, "certification state" {
        Valid => "valid",
        Expiring => "expiring",
        Expired => "expired",
    }
);

choice!(
    /// One cell of the competence matrix: one person and one requirement.
    CellState, Code::InvalidCellState, "matrix state" {
        Valid => "valid",
        Expiring => "expiring",
        Expired => "expired",
        Missing => "missing",
        BelowLevel => "below_level",
        InTraining => "in_training",
    }
);

impl CellState {
    /// Whether the person meets the requirement (now).
    pub fn met(self) -> bool {
        matches!(self, CellState::Valid | CellState::Expiring)
    }
}

/// A catalogued competence.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = competences)]
pub struct CompetenceRow {
    /// Id.
    pub id: String,
    /// Code.
    pub code: String,
    /// Name in English.
    pub name_en: String,
    /// Name in Finnish.
    pub name_fi: String,
    /// Description in English.
    pub description_en: String,
    /// Description in Finnish.
    pub description_fi: String,
    /// Months a certification is valid.
    pub validity_months: Option<i32>,
    /// Whether evidence is required.
    pub evidence_required: bool,
    /// Level scale.
    pub scale: Scale,
    /// Status.
    pub status: CompetenceStatus,
    /// Version.
    pub version: i32,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// A requirement row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = competence_requirements)]
pub struct RequirementRow {
    /// Id.
    pub id: String,
    /// The competence.
    pub competence_id: String,
    /// Whom it applies to.
    pub scope: Scope,
    /// The process, user or document id, or the role.
    pub target: String,
    /// Required level.
    pub level: Option<i32>,
    /// Who set it.
    pub created_by: String,
    /// When.
    pub created_at: NaiveDateTime,
}

/// A certification row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = certifications)]
pub struct CertificationRow {
    /// Id.
    pub id: String,
    /// Holder.
    pub user_id: String,
    /// Competence.
    pub competence_id: String,
    /// Level.
    pub level: Option<i32>,
    /// Issued (midnight).
    pub issued_on: NaiveDateTime,
    /// Last valid day (midnight).
    pub expires_on: Option<NaiveDateTime>,
    /// Issuer.
    pub issuer: String,
    /// Within the expiry window (scheduler).
    pub expiring: bool,
    /// Past its last day (scheduler).
    pub expired: bool,
    /// The training it came from.
    pub training_id: Option<String>,
    /// The certification it corrects.
    pub corrects_id: Option<String>,
    /// Why.
    pub correction_reason: String,
    /// Corrected by a later entry.
    pub corrected: bool,
    /// Verifier.
    pub verified_by: Option<String>,
    /// When verified.
    pub verified_at: Option<NaiveDateTime>,
    /// Recorder.
    pub recorded_by: String,
    /// When recorded.
    pub recorded_at: NaiveDateTime,
    /// Version.
    pub version: i32,
}

impl CertificationRow {
    /// How it stands by its marks.
    pub fn standing(&self) -> Standing {
        if self.expired {
            Standing::Expired
        } else if self.expiring {
            Standing::Expiring
        } else {
            Standing::Valid
        }
    }
}

/// An evidence file's row, without its content.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = certification_files)]
pub struct CertificationFileMeta {
    /// Id.
    pub id: String,
    /// The certification.
    #[serde(skip)]
    pub certification_id: String,
    /// File name.
    pub filename: String,
    /// Media type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256, hex.
    pub sha256: String,
    /// When added.
    #[serde(with = "crate::time::rfc3339")]
    pub uploaded_at: NaiveDateTime,
}

/// A training row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = trainings)]
pub struct TrainingRow {
    /// Id.
    pub id: String,
    /// Competence.
    pub competence_id: String,
    /// Trainee.
    pub user_id: String,
    /// Trainer.
    pub trainer_id: String,
    /// Planned together.
    pub group_id: String,
    /// Due (midnight).
    pub due_on: NaiveDateTime,
    /// Level aimed at.
    pub level: Option<i32>,
    /// Note.
    pub note: String,
    /// Status.
    pub status: TrainingStatus,
    /// Overdue mark.
    pub overdue: bool,
    /// Planner.
    pub planned_by: String,
    /// When planned.
    pub planned_at: NaiveDateTime,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// When.
    pub closed_at: Option<NaiveDateTime>,
    /// Whether it worked.
    pub effective: Option<bool>,
    /// Evaluation or reason.
    pub evaluation: String,
    /// Version.
    pub version: i32,
}

/// An acknowledgement row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = acknowledgements)]
pub struct AcknowledgementRow {
    /// Id.
    pub id: String,
    /// Document.
    pub document_id: String,
    /// Revision read.
    pub revision_id: String,
    /// Its number.
    pub rev: i32,
    /// Its commit.
    pub commit_id: String,
    /// Reader.
    pub user_id: String,
    /// Reader's username then.
    pub user_name: String,
    /// `read_and_understood`.
    pub meaning: String,
    /// Whether the password was asked.
    pub password_confirmed: bool,
    /// When.
    pub acknowledged_at: NaiveDateTime,
}
