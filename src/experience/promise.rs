//! The value promise's structured part: the basic task, the value promise
//! and three to seven target customer experiences, each with a stable key,
//! a sentence and how it is measured, in English and Finnish. It is kept in
//! git beside the document's Markdown (`<NUMBER>.promise.json`), so it is
//! approved, versioned and redlined with the revision, as a form template's
//! fields are.
//!
//! [`PromiseInput`] is what a caller sends; [`PromiseInput::check`] turns it
//! into a [`Promise`] or refuses it field by field. A stored promise is read
//! back as a [`Promise`] directly: only checked promises are written.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult, Code, FieldError};
use crate::i18n::Lang;
use crate::kit::text::{Lines, bad_character, is_blank};
use crate::records::form::{Label, is_key};

/// Fewest target experiences a promise states.
pub const MIN_EXPERIENCES: usize = 3;
/// Most target experiences a promise states.
pub const MAX_EXPERIENCES: usize = 7;
/// Longest basic task or value promise, in characters (each language).
pub const MAX_STATEMENT: usize = 1000;
/// Longest experience sentence or "how it is measured", in characters.
pub const MAX_SENTENCE: usize = 300;

/// A target customer experience as a caller sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ExperienceInput {
    /// Stable key (`[a-z][a-z0-9_]*`, at most 40): processes and KPIs name
    /// the experience by it, across revisions.
    #[schema(min_length = 1, max_length = 40, pattern = "^[a-z][a-z0-9_]*$")]
    pub key: String,
    /// The experience in one short sentence, in both languages.
    pub sentence: Label,
    /// How it is measured, in both languages.
    pub measured_by: Label,
}

/// The structured part of a value promise as a caller sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PromiseInput {
    /// What value the organisation creates for its customers, in both languages.
    pub basic_task: Label,
    /// The value promise, in both languages.
    pub promise: Label,
    /// Three to seven target customer experiences.
    pub experiences: Vec<ExperienceInput>,
}

/// A target customer experience, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Experience {
    /// Its stable key.
    pub key: String,
    /// The experience in one short sentence.
    pub sentence: Label,
    /// How it is measured.
    pub measured_by: Label,
}

/// A value promise, checked: what a revision holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Promise {
    /// What value the organisation creates for its customers.
    pub basic_task: Label,
    /// The value promise.
    pub promise: Label,
    /// The target customer experiences, in their order.
    pub experiences: Vec<Experience>,
}

/// A text in the reader's language (the other one when it is empty).
pub fn in_lang(l: &Label, lang: Lang) -> &str {
    let (first, second) = match lang {
        Lang::Fi => (&l.fi, &l.en),
        Lang::En => (&l.en, &l.fi),
    };
    if first.trim().is_empty() {
        second
    } else {
        first
    }
}

impl Promise {
    /// The stored form (`<NUMBER>.promise.json`).
    pub fn to_stored(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a stored promise.
    ///
    /// # Errors
    /// A stored promise that does not parse (a fault: only checked ones are written).
    pub fn from_stored(text: &str) -> AppResult<Promise> {
        serde_json::from_str(text).map_err(|e| AppError::internal(anyhow::anyhow!(e)))
    }

    /// The experience of `key`.
    pub fn experience(&self, key: &str) -> Option<&Experience> {
        self.experiences.iter().find(|e| e.key == key)
    }

    /// The promise written out as the text of a first draft, both languages.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        for (lang, heading, task, promise, experiences) in [
            (
                Lang::En,
                "Value promise",
                "Our basic task",
                "Our value promise",
                "Target customer experiences",
            ),
            (
                Lang::Fi,
                "Arvolupaus",
                "Perustehtävämme",
                "Arvolupauksemme",
                "Tavoitellut asiakaskokemukset",
            ),
        ] {
            let pick = |l: &Label| match lang {
                Lang::En => l.en.clone(),
                Lang::Fi => l.fi.clone(),
            };
            out.push_str(&format!(
                "# {heading}\n\n## {task}\n\n{}\n\n",
                pick(&self.basic_task)
            ));
            out.push_str(&format!(
                "## {promise}\n\n{}\n\n## {experiences}\n\n",
                pick(&self.promise)
            ));
            for e in &self.experiences {
                out.push_str(&format!(
                    "- **{}** ({})\n",
                    pick(&e.sentence),
                    pick(&e.measured_by)
                ));
            }
            out.push('\n');
        }
        out
    }
}

struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn text(&mut self, at: &str, s: &str, max: usize, lines: Lines) -> String {
        let s = s.trim();
        if is_blank(s) {
            self.errors.push(FieldError::new(
                at,
                Code::PromiseTextRequired,
                "write it in both English and Finnish",
            ));
        } else if let Some((code, _)) = bad_character(s, lines) {
            self.errors.push(FieldError::new(
                at,
                code,
                "the text holds a character that cannot be stored",
            ));
        } else if s.chars().count() > max {
            self.errors.push(FieldError::new(
                at,
                Code::PromiseTextTooLong,
                format!("at most {max} characters"),
            ));
        }
        s.to_string()
    }

    fn label(&mut self, at: &str, l: &Label, max: usize, lines: Lines) -> Label {
        Label {
            en: self.text(&format!("{at}.en"), &l.en, max, lines),
            fi: self.text(&format!("{at}.fi"), &l.fi, max, lines),
        }
    }
}

impl PromiseInput {
    /// Checks the whole promise and names every mistake: both languages of
    /// every text, their lengths, three to seven experiences, keys
    /// well-formed and unique.
    ///
    /// # Errors
    /// `invalid_promise` with `fields` (`experiences[2].key`:
    /// `invalid_experience_key`, `duplicate_experience_key`;
    /// `experiences`: `promise_experience_count`; `basic_task.fi`:
    /// `promise_text_required`, `promise_text_too_long`, ...).
    pub fn check(&self) -> AppResult<Promise> {
        let mut c = Checker { errors: Vec::new() };
        let basic_task = c.label("basic_task", &self.basic_task, MAX_STATEMENT, Lines::Many);
        let promise = c.label("promise", &self.promise, MAX_STATEMENT, Lines::Many);
        let n = self.experiences.len();
        if !(MIN_EXPERIENCES..=MAX_EXPERIENCES).contains(&n) {
            c.errors.push(FieldError::new(
                "experiences",
                Code::PromiseExperienceCount,
                format!("a promise states {MIN_EXPERIENCES} to {MAX_EXPERIENCES} target experiences, not {n}"),
            ));
        }
        let mut experiences = Vec::with_capacity(n.min(MAX_EXPERIENCES));
        let mut seen = std::collections::HashSet::new();
        for (i, e) in self
            .experiences
            .iter()
            .take(MAX_EXPERIENCES + 1)
            .enumerate()
        {
            let at = format!("experiences[{i}]");
            // Not trimmed: a key is exactly what processes and KPIs will name.
            let key = e.key.clone();
            if !is_key(&key) {
                c.errors.push(FieldError::new(
                    format!("{at}.key"),
                    Code::InvalidExperienceKey,
                    "a key is lower-case letters, digits and _, starting with a letter, at most 40",
                ));
            } else if !seen.insert(key.clone()) {
                c.errors.push(FieldError::new(
                    format!("{at}.key"),
                    Code::DuplicateExperienceKey,
                    format!("the key `{key}` is given twice"),
                ));
            }
            let sentence = c.label(
                &format!("{at}.sentence"),
                &e.sentence,
                MAX_SENTENCE,
                Lines::One,
            );
            let measured_by = c.label(
                &format!("{at}.measured_by"),
                &e.measured_by,
                MAX_SENTENCE,
                Lines::One,
            );
            experiences.push(Experience {
                key,
                sentence,
                measured_by,
            });
        }
        if !c.errors.is_empty() {
            let first = c.errors[0].message.clone();
            return Err(AppError::fields(
                Code::InvalidPromise,
                format!("the promise is not complete: {first}"),
                c.errors,
            ));
        }
        Ok(Promise {
            basic_task,
            promise,
            experiences,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(s: &str) -> Label {
        Label {
            en: s.into(),
            fi: format!("{s} (fi)"),
        }
    }

    fn input(n: usize) -> PromiseInput {
        PromiseInput {
            basic_task: label("We make parts"),
            promise: label("On time, right first time"),
            experiences: (0..n)
                .map(|i| ExperienceInput {
                    key: format!("exp_{i}"),
                    sentence: label("It arrives when promised"),
                    measured_by: label("On-time delivery %"),
                })
                .collect(),
        }
    }

    fn codes(e: &AppError) -> Vec<(String, &'static str)> {
        e.fields
            .iter()
            .map(|f| (f.field.clone(), f.code.as_str()))
            .collect()
    }

    #[test]
    fn three_to_seven_experiences() {
        assert!(input(3).check().is_ok());
        assert!(input(7).check().is_ok());
        for n in [0, 2, 8] {
            let e = input(n).check().unwrap_err();
            assert_eq!(e.code, Code::InvalidPromise);
            assert!(
                codes(&e).contains(&("experiences".into(), "promise_experience_count")),
                "{n}: {:?}",
                codes(&e)
            );
        }
    }

    #[test]
    fn keys_are_well_formed_and_unique() {
        let mut i = input(4);
        i.experiences[1].key = "Bad Key".into();
        i.experiences[3].key = "exp_0".into();
        let e = i.check().unwrap_err();
        assert_eq!(
            codes(&e),
            [
                ("experiences[1].key".into(), "invalid_experience_key"),
                ("experiences[3].key".into(), "duplicate_experience_key"),
            ]
        );
    }

    #[test]
    fn both_languages_and_bounded_lengths() {
        let mut i = input(3);
        i.promise.fi = "  ".into();
        i.experiences[0].sentence.en = "x".repeat(MAX_SENTENCE + 1);
        i.experiences[2].measured_by.en = "two\nlines".into();
        let e = i.check().unwrap_err();
        assert_eq!(
            codes(&e),
            [
                ("promise.fi".into(), "promise_text_required"),
                ("experiences[0].sentence.en".into(), "promise_text_too_long"),
                ("experiences[2].measured_by.en".into(), "control_character"),
            ]
        );
    }

    #[test]
    fn stored_form_reads_back() {
        let p = input(5).check().unwrap();
        assert_eq!(Promise::from_stored(&p.to_stored()).unwrap(), p);
        assert!(p.to_markdown().contains("Tavoitellut asiakaskokemukset"));
        assert_eq!(
            in_lang(&p.promise, Lang::Fi),
            "On time, right first time (fi)"
        );
    }
}
