//! Rows of internal ratings and a rating's scores, valid by construction.
//!
//! "On time" is a yes or a no, not a scale: whether something came when it
//! was needed is a fact the receiver knows, and a share of "yes" reads
//! plainly as a KPI. Quality is a judgement, so it is a scale of 1 to 5.
//! A rating is **low** when it did not come on time or its quality is 2
//! or less; a low rating offers to file an internal complaint.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{internal_rating_requests, internal_ratings};
use crate::error::{AppError, AppResult, Code};
use crate::kit::text::optional_text;

/// The longest comment, in characters.
pub const MAX_COMMENT: usize = 500;
/// The longest reason of a correction, in characters.
pub const MAX_REASON: usize = 500;
/// The highest quality score; the lowest is 1.
pub const MAX_QUALITY: i32 = 5;
/// A quality at or below this is low.
pub const LOW_QUALITY: i32 = 2;

/// One request: a person asked to rate one link for one period.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = internal_rating_requests)]
pub struct RequestRow {
    /// Its id.
    pub id: String,
    /// The output (link) rated.
    pub output_id: String,
    /// The output's name when asked.
    pub output_name: String,
    /// The supplying process's id.
    pub supplier_id: String,
    /// The receiving process's id.
    pub customer_id: String,
    /// The person asked.
    pub user_id: String,
    /// The period (`2026-Q2`).
    pub period: String,
    /// Its first day (ISO date).
    pub period_start: String,
    /// Its last day, when the rating is due (ISO date).
    pub due_on: String,
    /// The last day it is a task (ISO date).
    pub lapses_on: String,
    /// When it was asked.
    pub created_at: NaiveDateTime,
}

/// One rating, as stored; never changed.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = internal_ratings)]
pub struct RatingRow {
    /// Its id.
    pub id: String,
    /// The request it answers.
    pub request_id: String,
    /// Whether it came on time.
    pub on_time: bool,
    /// Quality, 1 to 5.
    pub quality: i32,
    /// The comment, or empty.
    pub comment: String,
    /// The rating it corrects.
    pub corrects_id: Option<String>,
    /// Why it corrects it.
    pub reason: String,
    /// Who rated.
    pub rated_by: String,
    /// When.
    pub created_at: NaiveDateTime,
}

/// What a person says of what they received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    /// Whether it came on time.
    pub on_time: bool,
    /// Quality, 1 to 5.
    pub quality: i32,
    /// One comment, at most [`MAX_COMMENT`] characters (empty when none).
    pub comment: String,
}

impl Score {
    /// A score from what was sent.
    ///
    /// # Errors
    /// `invalid_rating` for a quality outside 1-5 or a comment too long;
    /// `control_character`, `bidi_control`.
    pub fn parse(on_time: bool, quality: i32, comment: &str) -> AppResult<Score> {
        if !(1..=MAX_QUALITY).contains(&quality) {
            return Err(AppError::invalid(
                Code::InvalidRating,
                format!("quality is 1 to {MAX_QUALITY}, not {quality}"),
            ));
        }
        let comment = optional_text("the comment", Code::InvalidRating, comment, MAX_COMMENT)?;
        Ok(Score {
            on_time,
            quality,
            comment,
        })
    }

    /// Whether it is low: late, or quality 2 or less.
    pub fn is_low(&self) -> bool {
        is_low(self.on_time, self.quality)
    }
}

/// Whether a rating with these scores is low.
pub fn is_low(on_time: bool, quality: i32) -> bool {
    !on_time || quality <= LOW_QUALITY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_bounded() {
        assert!(Score::parse(true, 1, "").is_ok());
        assert!(Score::parse(true, 5, " fine ").unwrap().comment == "fine");
        for q in [0, 6, -1] {
            assert_eq!(
                Score::parse(true, q, "").unwrap_err().code,
                "invalid_rating"
            );
        }
        let long = "x".repeat(MAX_COMMENT + 1);
        assert_eq!(
            Score::parse(true, 3, &long).unwrap_err().code,
            "invalid_rating"
        );
    }

    #[test]
    fn late_or_poor_is_low() {
        assert!(is_low(false, 5));
        assert!(is_low(true, 2));
        assert!(!is_low(true, 3));
    }
}
