//! A survey's definition: its touchpoint, its questions and their fixed
//! scales. Questions reuse the parts of form templates' fields
//! ([`Label`] in English and Finnish, [`ChoiceOption`]); their types are
//! the survey's own closed set, since NPS, CSAT and effort are scales with
//! fixed ends rather than numbers a template defines.
//!
//! [`SurveyInput::check`] turns what a caller sends into a [`SurveyDef`] or
//! refuses it field by field; a stored definition is read back directly.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult, Code, FieldError};
use crate::kit::choice::choice;
use crate::kit::text::{Lines, bad_character, is_blank};
use crate::records::form::{ChoiceOption, Label};

/// Most questions a survey has.
pub const MAX_QUESTIONS: usize = 20;
/// Most options of a choice question.
pub const MAX_OPTIONS: usize = 20;
/// Longest title or question label, in characters.
pub const MAX_LABEL: usize = 300;
/// Longest open answer or idea, in characters.
pub const MAX_ANSWER: usize = 2000;
/// Longest question or option key.
pub const MAX_KEY: usize = 40;

choice!(
    /// Where in the customer's journey a survey asks.
    Touchpoint, Code::InvalidTouchpoint, "touchpoint" {
        OrderDelivered => "order_delivered",
        ProjectFinished => "project_finished",
        ServiceCaseClosed => "service_case_closed",
    }
);

choice!(
    /// What a question asks: `nps` (0-10, fixed), `csat` (1-5), `effort`
    /// (1-5, from very hard to very easy), `choice` (one of its options),
    /// `text` (an open answer) or `idea` (a development idea for us).
    QuestionType, Code::UnknownQuestionType, "question type" {
        Nps => "nps",
        Csat => "csat",
        Effort => "effort",
        Choice => "choice",
        Text => "text",
        Idea => "idea",
    }
);

impl QuestionType {
    /// The lowest and highest score of a scale question.
    pub fn scale(self) -> Option<(i32, i32)> {
        match self {
            QuestionType::Nps => Some((0, 10)),
            QuestionType::Csat | QuestionType::Effort => Some((1, 5)),
            _ => None,
        }
    }

    /// The form-template field type an answer to it is stored like.
    pub fn field_type(self) -> crate::records::form::FieldType {
        use crate::records::form::FieldType;
        match self {
            QuestionType::Nps | QuestionType::Csat | QuestionType::Effort => FieldType::Number,
            QuestionType::Choice => FieldType::Choice,
            QuestionType::Text | QuestionType::Idea => FieldType::LongText,
        }
    }
}

/// One question, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Question {
    /// Its key, the name of its input on the answer page: `[a-z][a-z0-9_]*`.
    pub key: String,
    /// What it asks.
    #[serde(rename = "type")]
    pub kind: QuestionType,
    /// What the customer reads, in both languages.
    pub label: Label,
    /// Whether an answer is needed.
    #[serde(default)]
    pub required: bool,
    /// A choice's options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
}

/// A survey's questions, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SurveyDef {
    /// The questions, in order.
    pub questions: Vec<Question>,
}

impl SurveyDef {
    /// Reads a stored definition.
    ///
    /// # Errors
    /// A fault: only checked definitions are stored.
    pub fn from_stored(s: &str) -> AppResult<SurveyDef> {
        serde_json::from_str(s).map_err(|e| {
            AppError::internal(anyhow::anyhow!(
                "a stored survey definition does not read: {e}"
            ))
        })
    }

    /// The definition as stored.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// One question as a caller sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    /// `[a-z][a-z0-9_]*`, unique in the survey.
    #[schema(max_length = 40)]
    pub key: String,
    /// `nps`, `csat`, `effort`, `choice`, `text` or `idea`.
    #[serde(rename = "type")]
    #[schema(value_type = QuestionType)]
    pub kind: String,
    /// What the customer reads: both languages, each at most 300 characters.
    #[serde(default)]
    pub label: Label,
    /// Whether an answer is needed.
    #[serde(default)]
    pub required: bool,
    /// A choice's options (2 to 20), each with a key and a label in both languages.
    #[serde(default)]
    pub options: Vec<ChoiceOption>,
}

fn key_ok(k: &str) -> bool {
    let mut chars = k.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && k.len() <= MAX_KEY
}

/// Checks a text in both languages: both present, one line, at most `max`.
fn label_errors(field: &str, l: &Label, max: usize, out: &mut Vec<FieldError>) -> Label {
    let mut checked = Label::default();
    for (lang, text, slot) in [
        ("en", &l.en, &mut checked.en),
        ("fi", &l.fi, &mut checked.fi),
    ] {
        let name = format!("{field}.{lang}");
        let t = text.trim();
        if let Some((code, _)) = bad_character(t, Lines::One) {
            out.push(FieldError::new(
                name,
                code,
                "a character that cannot be stored",
            ));
        } else if is_blank(t) {
            out.push(FieldError::new(
                name,
                Code::SurveyTextRequired,
                "write it in English and Finnish",
            ));
        } else if t.chars().count() > max {
            out.push(FieldError::new(
                name,
                Code::SurveyTextTooLong,
                format!("at most {max} characters"),
            ));
        } else {
            *slot = t.to_string();
        }
    }
    checked
}

/// A survey as a caller sends it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyInput {
    /// Its title in both languages, each at most 300 characters.
    pub title: Label,
    /// `order_delivered`, `project_finished` or `service_case_closed`.
    #[schema(value_type = Touchpoint)]
    pub touchpoint: String,
    /// The code of the process it asks about.
    #[schema(max_length = 20)]
    pub process: String,
    /// Its questions, 1 to 20; at most one each of `nps`, `csat` and `effort`.
    pub questions: Vec<QuestionInput>,
    /// Days an invitation stays open (1 to 365); by default `survey_expiry_days`.
    #[schema(minimum = 1, maximum = 365)]
    pub expiry_days: Option<i32>,
}

/// A survey checked: everything but its process, which the service looks up.
#[derive(Debug, Clone)]
pub struct CheckedSurvey {
    /// The title.
    pub title: Label,
    /// The touchpoint.
    pub touchpoint: Touchpoint,
    /// The process code as sent (trimmed).
    pub process: String,
    /// The questions.
    pub def: SurveyDef,
    /// Days an invitation stays open.
    pub expiry_days: Option<i32>,
}

impl SurveyInput {
    /// Checks every part and names each refusal at its field.
    ///
    /// # Errors
    /// `invalid_survey` with the refusals of the fields.
    pub fn check(&self) -> AppResult<CheckedSurvey> {
        let mut errs = Vec::new();
        let title = label_errors("title", &self.title, MAX_LABEL, &mut errs);
        let touchpoint = match Touchpoint::parse(&self.touchpoint) {
            Ok(t) => Some(t),
            Err(e) => {
                errs.push(FieldError::new("touchpoint", e.code, e.message));
                None
            }
        };
        if self.questions.is_empty() || self.questions.len() > MAX_QUESTIONS {
            errs.push(FieldError::new(
                "questions",
                Code::SurveyQuestionCount,
                format!("a survey has 1 to {MAX_QUESTIONS} questions"),
            ));
        }
        if self.expiry_days.is_some_and(|d| !(1..=365).contains(&d)) {
            errs.push(FieldError::new(
                "expiry_days",
                Code::InvalidExpiryDays,
                "an invitation stays open 1 to 365 days",
            ));
        }
        let mut questions = Vec::new();
        for (i, q) in self.questions.iter().take(MAX_QUESTIONS).enumerate() {
            let at = format!("questions[{i}]");
            let key = q.key.trim().to_string();
            if !key_ok(&key) {
                errs.push(FieldError::new(
                    format!("{at}.key"),
                    Code::InvalidQuestionKey,
                    "a key is a-z, 0-9 and _, starting with a letter, at most 40",
                ));
            } else if questions.iter().any(|x: &Question| x.key == key) {
                errs.push(FieldError::new(
                    format!("{at}.key"),
                    Code::DuplicateQuestionKey,
                    format!("`{key}` is used twice"),
                ));
            }
            let label = label_errors(&format!("{at}.label"), &q.label, MAX_LABEL, &mut errs);
            let kind = match QuestionType::parse(&q.kind) {
                Ok(k) => k,
                Err(e) => {
                    errs.push(FieldError::new(format!("{at}.type"), e.code, e.message));
                    continue;
                }
            };
            if kind.scale().is_some() && questions.iter().any(|x: &Question| x.kind == kind) {
                errs.push(FieldError::new(
                    format!("{at}.type"),
                    Code::DuplicateScaleQuestion,
                    format!("a survey asks `{}` once", kind.as_str()),
                ));
            }
            let mut options = Vec::new();
            if kind == QuestionType::Choice {
                if q.options.len() < 2 || q.options.len() > MAX_OPTIONS {
                    errs.push(FieldError::new(
                        format!("{at}.options"),
                        Code::SurveyOptionCount,
                        format!("a choice has 2 to {MAX_OPTIONS} options"),
                    ));
                }
                for (j, o) in q.options.iter().take(MAX_OPTIONS).enumerate() {
                    let ok = o.key.trim();
                    if !key_ok(ok) || options.iter().any(|x: &ChoiceOption| x.key == ok) {
                        errs.push(FieldError::new(
                            format!("{at}.options[{j}].key"),
                            Code::InvalidQuestionKey,
                            "an option's key is a-z, 0-9 and _, unique in the question",
                        ));
                    }
                    let l = label_errors(
                        &format!("{at}.options[{j}].label"),
                        &o.label,
                        200,
                        &mut errs,
                    );
                    options.push(ChoiceOption {
                        key: ok.to_string(),
                        label: l,
                    });
                }
            } else if !q.options.is_empty() {
                errs.push(FieldError::new(
                    format!("{at}.options"),
                    Code::SurveyOptionCount,
                    "only a choice has options",
                ));
            }
            questions.push(Question {
                key,
                kind,
                label,
                required: q.required,
                options,
            });
        }
        let process = self.process.trim().to_string();
        if process.is_empty() {
            errs.push(FieldError::new(
                "process",
                Code::ProcessNotFound,
                "name the process the survey asks about",
            ));
        }
        match (errs.is_empty(), touchpoint) {
            (true, Some(touchpoint)) => Ok(CheckedSurvey {
                title,
                touchpoint,
                process,
                def: SurveyDef { questions },
                expiry_days: self.expiry_days,
            }),
            _ => Err(AppError::fields(
                Code::InvalidSurvey,
                "the survey has mistakes; see fields",
                errs,
            )),
        }
    }
}

/// What one customer answered, checked against the questions: every
/// answer by key (a number or a text), and the scores on their own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckedAnswer {
    /// Every answer given, by question key.
    pub values: serde_json::Map<String, serde_json::Value>,
    /// The NPS score.
    pub nps: Option<i32>,
    /// The CSAT score.
    pub csat: Option<i32>,
    /// The effort score.
    pub effort: Option<i32>,
    /// The idea, when one was written.
    pub idea: Option<String>,
}

impl SurveyDef {
    /// Checks a posted answer: each question's input by its key; answers
    /// to questions the survey does not ask are ignored.
    ///
    /// # Errors
    /// `invalid_survey_answer` with a refusal per question.
    pub fn check_answer(&self, get: impl Fn(&str) -> Option<String>) -> AppResult<CheckedAnswer> {
        let mut out = CheckedAnswer::default();
        let mut errs = Vec::new();
        for q in &self.questions {
            let raw = get(&q.key).unwrap_or_default();
            let raw = raw.trim();
            if raw.is_empty() {
                if q.required {
                    errs.push(FieldError::new(
                        &q.key,
                        Code::SurveyAnswerRequired,
                        "please answer this question",
                    ));
                }
                continue;
            }
            if let Some((lo, hi)) = q.kind.scale() {
                match raw.parse::<i32>() {
                    Ok(n) if (lo..=hi).contains(&n) => {
                        out.values.insert(q.key.clone(), n.into());
                        let slot = match q.kind {
                            QuestionType::Nps => &mut out.nps,
                            QuestionType::Csat => &mut out.csat,
                            _ => &mut out.effort,
                        };
                        *slot = Some(n);
                    }
                    _ => errs.push(FieldError::new(
                        &q.key,
                        Code::SurveyAnswerOutOfScale,
                        format!("choose {lo} to {hi}"),
                    )),
                }
                continue;
            }
            match q.kind {
                QuestionType::Choice => {
                    if q.options.iter().any(|o| o.key == raw) {
                        out.values.insert(q.key.clone(), raw.into());
                    } else {
                        errs.push(FieldError::new(
                            &q.key,
                            Code::SurveyAnswerUnknownOption,
                            "choose one of the options",
                        ));
                    }
                }
                _ => {
                    if let Some((code, _)) = bad_character(raw, Lines::Many) {
                        errs.push(FieldError::new(&q.key, code, "a character we cannot keep"));
                    } else if raw.chars().count() > MAX_ANSWER {
                        errs.push(FieldError::new(
                            &q.key,
                            Code::SurveyAnswerTooLong,
                            format!("at most {MAX_ANSWER} characters"),
                        ));
                    } else {
                        out.values.insert(q.key.clone(), raw.into());
                        if q.kind == QuestionType::Idea && out.idea.is_none() {
                            out.idea = Some(raw.to_string());
                        }
                    }
                }
            }
        }
        if errs.is_empty() {
            Ok(out)
        } else {
            Err(AppError::fields(
                Code::InvalidSurveyAnswer,
                "some answers need a look",
                errs,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(en: &str, fi: &str) -> Label {
        Label {
            en: en.into(),
            fi: fi.into(),
        }
    }

    fn input(questions: Vec<QuestionInput>) -> SurveyInput {
        SurveyInput {
            title: l("After delivery", "Toimituksen jälkeen"),
            touchpoint: "order_delivered".into(),
            process: "SALES".into(),
            questions,
            expiry_days: None,
        }
    }

    fn q(key: &str, kind: &str) -> QuestionInput {
        QuestionInput {
            key: key.into(),
            kind: kind.into(),
            label: l("Q", "K"),
            required: false,
            options: vec![],
        }
    }

    fn codes(e: AppError) -> Vec<(String, String)> {
        e.fields
            .iter()
            .map(|f| (f.field.clone(), f.code.as_str().to_string()))
            .collect()
    }

    #[test]
    fn a_survey_is_refused_field_by_field() {
        let mut two_nps = input(vec![q("a", "nps"), q("b", "nps"), q("a", "text")]);
        two_nps.questions[2].label.fi = String::new();
        let got = codes(two_nps.check().unwrap_err());
        assert_eq!(
            got,
            vec![
                (
                    "questions[1].type".into(),
                    "duplicate_scale_question".into()
                ),
                ("questions[2].key".into(), "duplicate_question_key".into()),
                (
                    "questions[2].label.fi".into(),
                    "survey_text_required".into()
                ),
            ]
        );
        let mut choice = input(vec![q("pick", "choice")]);
        choice.touchpoint = "lunch".into();
        let got = codes(choice.check().unwrap_err());
        assert_eq!(got[0].0, "touchpoint");
        assert_eq!(
            got[1],
            ("questions[0].options".into(), "survey_option_count".into())
        );
        assert!(input(vec![]).check().is_err());
        assert!(
            input(vec![q("nps", "nps"), q("idea", "idea")])
                .check()
                .is_ok()
        );
    }

    #[test]
    fn answers_keep_their_scales() {
        let def = input(vec![q("nps", "nps"), q("csat", "csat"), q("idea", "idea")])
            .check()
            .unwrap()
            .def;
        let a = def
            .check_answer(|k| match k {
                "nps" => Some("10".into()),
                "csat" => Some(" 4 ".into()),
                "idea" => Some("Deliver on Fridays".into()),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            (a.nps, a.csat, a.idea.as_deref()),
            (Some(10), Some(4), Some("Deliver on Fridays"))
        );
        for bad in ["11", "-1", "x", "3.5"] {
            let e = def
                .check_answer(|k| (k == "nps").then(|| bad.to_string()))
                .unwrap_err();
            assert_eq!(e.fields[0].code, Code::SurveyAnswerOutOfScale, "{bad}");
        }
        let e = def
            .check_answer(|k| (k == "csat").then(|| "0".to_string()))
            .unwrap_err();
        assert_eq!(e.fields[0].field, "csat");
    }
}
