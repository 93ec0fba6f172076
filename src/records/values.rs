//! A record's answers checked against its template's fields: every answer
//! refused is named with its own code, so the page can keep what was typed
//! and show each mistake beside its field. What passes is written in one
//! canonical form (numbers as JSON numbers, yes/no as booleans, choices as
//! option keys in the options' order), with the deviations it holds and
//! the single values the register filters on.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::form::{Field, FieldType, FormDef, MAX_ROWS};
use crate::error::{AppError, AppResult, Code, FieldError};
use crate::kit::text::{Lines, bad_character};

/// Longest short text answer, in characters.
pub const MAX_TEXT: usize = 500;
/// Longest long text answer, in characters.
pub const MAX_LONG_TEXT: usize = 20_000;
/// How much of a text answer the register's filter index keeps.
const INDEXED_TEXT: usize = 200;

/// A file a file field may name.
#[derive(Debug, Clone)]
pub struct FileRef {
    /// Its media type.
    pub content_type: String,
}

/// What the answers may name, looked up by the caller (the database).
pub trait Refs {
    /// Whether `username` is an active person.
    ///
    /// # Errors
    /// A database fault.
    fn person(&mut self, username: &str) -> AppResult<bool>;
    /// Whether `code` is a process.
    ///
    /// # Errors
    /// A database fault.
    fn process(&mut self, code: &str) -> AppResult<bool>;
    /// Whether `number` is a document.
    ///
    /// # Errors
    /// A database fault.
    fn document(&mut self, number: &str) -> AppResult<bool>;
    /// The uploaded file `id`, if this record may name it.
    ///
    /// # Errors
    /// A database fault.
    fn file(&mut self, id: &str) -> AppResult<Option<FileRef>>;
}

/// Answers that passed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checked {
    /// The answers in canonical form; empty answers are left out.
    pub answers: Map<String, Value>,
    /// Where the answers are deviations: field keys, `table[row].column` in tables.
    pub deviations: Vec<String>,
    /// `(field, text, number)` of each single answer, for the register's filters.
    pub scalars: Vec<(String, String, Option<f64>)>,
    /// The ids of the files named.
    pub files: Vec<String>,
}

struct Run<'a> {
    refs: &'a mut dyn Refs,
    errors: Vec<FieldError>,
    deviations: Vec<String>,
    files: Vec<String>,
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// The decimals of a number written as text (`12.50` has 2).
fn decimals_of(text: &str) -> usize {
    text.split_once('.')
        .map_or(0, |(_, frac)| frac.trim_end_matches('0').len())
}

impl Run<'_> {
    fn refuse(&mut self, at: &str, code: Code, message: impl Into<String>) -> Option<Value> {
        self.errors.push(FieldError::new(at, code, message));
        None
    }

    fn text(&mut self, at: &str, v: &Value, lines: Lines, max: usize) -> Option<Value> {
        let Value::String(s) = v else {
            return self.refuse(at, Code::ValueNotText, "this answer is a text");
        };
        let s = s.trim();
        if let Some((code, _)) = bad_character(s, lines) {
            return self.refuse(at, code, "the text holds a character that cannot be stored");
        }
        if s.chars().count() > max {
            return self.refuse(at, Code::ValueTooLong, format!("at most {max} characters"));
        }
        Some(Value::String(s.to_string()))
    }

    fn number(&mut self, at: &str, f: &Field, v: &Value) -> Option<Value> {
        let text = match v {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.trim().replace(',', "."),
            _ => return self.refuse(at, Code::ValueNotNumber, "this answer is a number"),
        };
        let value = match text.parse::<f64>() {
            Ok(x) if x.is_finite() && !text.contains(['e', 'E']) => x,
            _ => {
                return self.refuse(
                    at,
                    Code::ValueNotNumber,
                    format!("`{text}` is not a number such as 12.5"),
                );
            }
        };
        if let Some(d) = f.decimals
            && decimals_of(&text) > usize::from(d)
        {
            return self.refuse(at, Code::TooManyDecimals, format!("at most {d} decimals"));
        }
        let low = f.min.is_some_and(|m| value < m);
        let high = f.max.is_some_and(|m| value > m);
        if f.limits_are_tolerance() {
            if low || high {
                self.deviations.push(at.to_string());
            }
        } else if low {
            return self.refuse(
                at,
                Code::NumberBelowMin,
                format!("at least {}", f.min.unwrap_or_default()),
            );
        } else if high {
            return self.refuse(
                at,
                Code::NumberAboveMax,
                format!("at most {}", f.max.unwrap_or_default()),
            );
        }
        serde_json::Number::from_f64(value).map(Value::Number)
    }

    fn yes_no(&mut self, at: &str, f: &Field, v: &Value) -> Option<Value> {
        let answer = match v {
            Value::Bool(b) => *b,
            Value::String(s) if s.trim() == "yes" => true,
            Value::String(s) if s.trim() == "no" => false,
            _ => return self.refuse(at, Code::ValueNotYesNo, "this answer is yes or no"),
        };
        if f.deviating_answer() == Some(answer) {
            self.deviations.push(at.to_string());
        }
        Some(Value::Bool(answer))
    }

    fn choice(&mut self, at: &str, f: &Field, v: &Value) -> Option<Value> {
        let Value::String(s) = v else {
            return self.refuse(at, Code::UnknownOption, "this answer is one of the options");
        };
        let key = s.trim();
        if f.option(key).is_none() {
            return self.refuse(
                at,
                Code::UnknownOption,
                format!("`{key}` is not one of the options"),
            );
        }
        if f.deviating_options().iter().any(|d| d == key) {
            self.deviations.push(at.to_string());
        }
        Some(Value::String(key.to_string()))
    }

    fn multi(&mut self, at: &str, f: &Field, v: &Value) -> Option<Value> {
        let given: Vec<&Value> = match v {
            Value::Array(a) => a.iter().collect(),
            Value::String(_) => vec![v],
            _ => {
                return self.refuse(at, Code::ValueNotAList, "this answer is a list of options");
            }
        };
        let mut keys = Vec::new();
        for g in given {
            let Value::String(s) = g else {
                return self.refuse(at, Code::UnknownOption, "each answer is one of the options");
            };
            let key = s.trim();
            if f.option(key).is_none() {
                return self.refuse(
                    at,
                    Code::UnknownOption,
                    format!("`{key}` is not one of the options"),
                );
            }
            if keys.contains(&key) {
                return self.refuse(at, Code::DuplicateOption, format!("`{key}` is given twice"));
            }
            keys.push(key);
        }
        if keys
            .iter()
            .any(|k| f.deviating_options().iter().any(|d| d == k))
        {
            self.deviations.push(at.to_string());
        }
        // In the options' order, whatever order they came in.
        let ordered: Vec<Value> = f
            .options
            .iter()
            .filter(|o| keys.contains(&o.key.as_str()))
            .map(|o| Value::String(o.key.clone()))
            .collect();
        Some(Value::Array(ordered))
    }

    fn reference(&mut self, at: &str, kind: FieldType, v: &Value) -> AppResult<Option<Value>> {
        let Value::String(s) = v else {
            return Ok(self.refuse(at, Code::ValueNotText, "this answer is a text"));
        };
        let s = s.trim().to_string();
        let ok = match kind {
            FieldType::Person => self.refs.person(&s)?,
            FieldType::Process => self.refs.process(&s)?,
            _ => self.refs.document(&s)?,
        };
        if ok {
            return Ok(Some(Value::String(s)));
        }
        let (code, what) = match kind {
            FieldType::Person => (Code::UnknownPerson, "no active person"),
            FieldType::Process => (Code::UnknownProcess, "no process"),
            _ => (Code::UnknownDocument, "no document"),
        };
        Ok(self.refuse(at, code, format!("{what} `{s}`")))
    }

    fn file(&mut self, at: &str, kind: FieldType, v: &Value) -> AppResult<Option<Value>> {
        let Value::String(s) = v else {
            return Ok(self.refuse(
                at,
                Code::UnknownFile,
                "this answer is the id of an uploaded file",
            ));
        };
        let id = s.trim().to_string();
        match self.refs.file(&id)? {
            None => Ok(self.refuse(
                at,
                Code::UnknownFile,
                format!("no uploaded file `{id}` that this record may name"),
            )),
            Some(f) if kind == FieldType::Photo && !f.content_type.starts_with("image/") => {
                Ok(self.refuse(at, Code::FileNotAnImage, "a photo is an image file"))
            }
            Some(_) => {
                if !self.files.contains(&id) {
                    self.files.push(id.clone());
                }
                Ok(Some(Value::String(id)))
            }
        }
    }

    fn table(&mut self, at: &str, f: &Field, v: &Value) -> AppResult<Option<Value>> {
        let Value::Array(rows) = v else {
            return Ok(self.refuse(at, Code::ValueNotATable, "this answer is a list of rows"));
        };
        let rows: Vec<&Value> = rows
            .iter()
            .filter(|r| !matches!(r, Value::Object(o) if o.values().all(is_empty)))
            .collect();
        if rows.len() > MAX_ROWS {
            return Ok(self.refuse(at, Code::TooManyRows, format!("at most {MAX_ROWS} rows")));
        }
        let mut out = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let rat = format!("{at}[{i}]");
            let Value::Object(cells) = row else {
                self.refuse(
                    &rat,
                    Code::ValueNotATable,
                    "each row is an object of its columns",
                );
                continue;
            };
            out.push(Value::Object(self.fields(&rat, &f.columns, cells)?));
        }
        if f.required && out.is_empty() {
            return Ok(self.refuse(at, Code::ValueRequired, "at least one row is needed"));
        }
        Ok(Some(Value::Array(out)))
    }

    fn value(&mut self, at: &str, f: &Field, v: &Value) -> AppResult<Option<Value>> {
        Ok(match f.kind {
            FieldType::Text => self.text(at, v, Lines::One, MAX_TEXT),
            FieldType::LongText => self.text(at, v, Lines::Many, MAX_LONG_TEXT),
            FieldType::Number => self.number(at, f, v),
            FieldType::Date => match v {
                Value::String(s) => match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
                    Ok(d) => Some(Value::String(d.format("%Y-%m-%d").to_string())),
                    Err(_) => self.refuse(
                        at,
                        Code::ValueNotDate,
                        format!("`{}` is not a date such as 2026-11-30", s.trim()),
                    ),
                },
                _ => self.refuse(
                    at,
                    Code::ValueNotDate,
                    "this answer is a date such as 2026-11-30",
                ),
            },
            FieldType::YesNo => self.yes_no(at, f, v),
            FieldType::Choice => self.choice(at, f, v),
            FieldType::MultiChoice => self.multi(at, f, v),
            FieldType::Person | FieldType::Process | FieldType::Document => {
                self.reference(at, f.kind, v)?
            }
            FieldType::File | FieldType::Photo => self.file(at, f.kind, v)?,
            FieldType::Table => self.table(at, f, v)?,
        })
    }

    fn fields(
        &mut self,
        prefix: &str,
        fields: &[Field],
        given: &Map<String, Value>,
    ) -> AppResult<Map<String, Value>> {
        let at = |key: &str| {
            if prefix.is_empty() {
                key.to_string()
            } else {
                format!("{prefix}.{key}")
            }
        };
        for key in given.keys() {
            if !fields.iter().any(|f| &f.key == key) {
                self.refuse(
                    &at(key),
                    Code::UnknownField,
                    format!("the form has no field `{key}`"),
                );
            }
        }
        let mut out = Map::new();
        for f in fields {
            let here = at(&f.key);
            match given.get(&f.key) {
                Some(v) if !is_empty(v) => {
                    if let Some(v) = self.value(&here, f, v)? {
                        out.insert(f.key.clone(), v);
                    }
                }
                _ if f.required => {
                    self.refuse(&here, Code::ValueRequired, "an answer is needed");
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

/// The filter index of canonical answers: one row per single value.
fn scalars(form: &FormDef, answers: &Map<String, Value>) -> Vec<(String, String, Option<f64>)> {
    let mut out = Vec::new();
    for f in &form.fields {
        let Some(v) = answers.get(&f.key) else {
            continue;
        };
        match (f.kind, v) {
            (FieldType::LongText | FieldType::File | FieldType::Photo | FieldType::Table, _) => {}
            (FieldType::Number, Value::Number(n)) => {
                out.push((f.key.clone(), n.to_string(), n.as_f64()));
            }
            (FieldType::YesNo, Value::Bool(b)) => {
                out.push((f.key.clone(), if *b { "yes" } else { "no" }.into(), None));
            }
            (FieldType::MultiChoice, Value::Array(keys)) => {
                for k in keys.iter().filter_map(Value::as_str) {
                    out.push((f.key.clone(), k.to_string(), None));
                }
            }
            (_, Value::String(s)) => {
                out.push((f.key.clone(), s.chars().take(INDEXED_TEXT).collect(), None));
            }
            _ => {}
        }
    }
    out
}

/// Checks `given` against the form.
///
/// # Errors
/// `invalid_record` with each field's refusal; a database fault from `refs`.
pub fn check(
    form: &FormDef,
    given: &Map<String, Value>,
    refs: &mut dyn Refs,
) -> AppResult<Checked> {
    let mut run = Run {
        refs,
        errors: Vec::new(),
        deviations: Vec::new(),
        files: Vec::new(),
    };
    let answers = run.fields("", &form.fields, given)?;
    if !run.errors.is_empty() {
        return Err(AppError::fields(
            Code::InvalidRecord,
            "some answers cannot be accepted; see `fields`",
            run.errors,
        ));
    }
    Ok(Checked {
        scalars: scalars(form, &answers),
        answers,
        deviations: run.deviations,
        files: run.files,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::form::FormInput;
    use super::*;

    struct Known;

    impl Refs for Known {
        fn person(&mut self, u: &str) -> AppResult<bool> {
            Ok(u == "maria")
        }
        fn process(&mut self, c: &str) -> AppResult<bool> {
            Ok(c == "PROD")
        }
        fn document(&mut self, n: &str) -> AppResult<bool> {
            Ok(n == "QP-001")
        }
        fn file(&mut self, id: &str) -> AppResult<Option<FileRef>> {
            Ok(match id {
                "img" => Some(FileRef {
                    content_type: "image/png".into(),
                }),
                "pdf" => Some(FileRef {
                    content_type: "application/pdf".into(),
                }),
                _ => None,
            })
        }
    }

    fn form() -> FormDef {
        serde_json::from_value::<FormInput>(json!({"fields": [
            {"key": "t", "type": "text", "label": {"en": "T"}, "required": true},
            {"key": "l", "type": "long_text", "label": {"en": "L"}},
            {"key": "n", "type": "number", "label": {"en": "N"}, "min": 0, "max": 10, "decimals": 1},
            {"key": "tol", "type": "number", "label": {"en": "Tol"}, "min": 9.9, "max": 10.1, "deviation": "outside_limits"},
            {"key": "d", "type": "date", "label": {"en": "D"}},
            {"key": "ok", "type": "yes_no", "label": {"en": "OK"}, "deviation": "no"},
            {"key": "c", "type": "choice", "label": {"en": "C"}, "deviation": ["bad"],
             "options": [{"key": "good", "label": {"en": "Good"}}, {"key": "bad", "label": {"en": "Bad"}}]},
            {"key": "m", "type": "multi_choice", "label": {"en": "M"},
             "options": [{"key": "a", "label": {"en": "A"}}, {"key": "b", "label": {"en": "B"}}]},
            {"key": "p", "type": "person", "label": {"en": "P"}},
            {"key": "pr", "type": "process", "label": {"en": "Pr"}},
            {"key": "doc", "type": "document", "label": {"en": "Doc"}},
            {"key": "f", "type": "file", "label": {"en": "F"}},
            {"key": "ph", "type": "photo", "label": {"en": "Ph"}},
            {"key": "rows", "type": "table", "label": {"en": "Rows"},
             "columns": [{"key": "x", "type": "number", "label": {"en": "X"}, "max": 5, "required": true},
                         {"key": "y", "type": "yes_no", "label": {"en": "Y"}, "deviation": "no"}]}
        ]}))
        .unwrap()
        .check()
        .unwrap()
    }

    fn given(v: serde_json::Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn refused(v: serde_json::Value) -> Vec<(String, &'static str)> {
        let e = check(&form(), &given(v), &mut Known).unwrap_err();
        assert_eq!(e.code, Code::InvalidRecord);
        e.fields
            .iter()
            .map(|f| (f.field.clone(), f.code.as_str()))
            .collect()
    }

    #[test]
    fn every_type_is_accepted_at_its_edges_in_canonical_form() {
        let c = check(
            &form(),
            &given(json!({
                "t": "  Lot 7 ", "l": "line one\nline two", "n": "10,0", "tol": 10.2,
                "d": "2026-02-28", "ok": "no", "c": "bad", "m": ["b", "a"], "p": "maria",
                "pr": "PROD", "doc": "QP-001", "f": "pdf", "ph": "img",
                "rows": [{"x": 0, "y": true}, {"x": "", "y": ""}, {"x": 5, "y": "no"}]
            })),
            &mut Known,
        )
        .unwrap();
        let a = &c.answers;
        assert_eq!(a["t"], json!("Lot 7"));
        assert_eq!(a["n"], json!(10.0));
        assert_eq!(a["ok"], json!(false));
        assert_eq!(a["m"], json!(["a", "b"]));
        assert_eq!(
            a["rows"],
            json!([{"x": 0.0, "y": true}, {"x": 5.0, "y": false}])
        );
        assert_eq!(c.deviations, ["tol", "ok", "c", "rows[1].y"]);
        assert_eq!(c.files, ["pdf", "img"]);
        assert!(c.scalars.contains(&("n".into(), "10.0".into(), Some(10.0))));
        assert!(c.scalars.contains(&("ok".into(), "no".into(), None)));
        assert!(c.scalars.contains(&("m".into(), "a".into(), None)));
        assert!(
            !c.scalars
                .iter()
                .any(|s| s.0 == "l" || s.0 == "rows" || s.0 == "f")
        );
        // The lowest values pass too, and nothing is a deviation.
        let c = check(
            &form(),
            &given(json!({"t": "x", "n": 0, "tol": "9.9", "ok": true, "c": "good"})),
            &mut Known,
        )
        .unwrap();
        assert!(c.deviations.is_empty());
    }

    #[test]
    fn each_bad_answer_is_named_with_its_code() {
        let got = refused(json!({
            "l": "bad\u{0}", "n": 10.05, "tol": "ten", "d": "2026-02-30", "ok": "maybe",
            "c": "ugly", "m": ["a", "a"], "p": "nobody", "pr": "NOPE", "doc": "QP-999",
            "f": "missing", "ph": "pdf", "extra": 1,
            "rows": [{"x": 6}, {"y": true}, {"z": 1}]
        }));
        for want in [
            ("t", "value_required"),
            ("l", "control_character"),
            ("n", "too_many_decimals"),
            ("tol", "value_not_number"),
            ("d", "value_not_date"),
            ("ok", "value_not_yes_no"),
            ("c", "unknown_option"),
            ("m", "duplicate_option"),
            ("p", "unknown_person"),
            ("pr", "unknown_process"),
            ("doc", "unknown_document"),
            ("f", "unknown_file"),
            ("ph", "file_not_an_image"),
            ("extra", "unknown_field"),
            ("rows[0].x", "number_above_max"),
            ("rows[1].x", "value_required"),
            ("rows[2].z", "unknown_field"),
        ] {
            assert!(
                got.iter().any(|(f, c)| f == want.0 && *c == want.1),
                "{want:?} missing from {got:?}"
            );
        }
        let got = refused(json!({"t": "x".repeat(MAX_TEXT + 1), "n": -0.1}));
        assert!(got.contains(&("t".into(), "value_too_long")));
        assert!(got.contains(&("n".into(), "number_below_min")));
        let got = refused(json!({"t": 5, "m": 3, "rows": "none"}));
        assert!(got.contains(&("t".into(), "value_not_text")));
        assert!(got.contains(&("m".into(), "value_not_a_list")));
        assert!(got.contains(&("rows".into(), "value_not_a_table")));
    }

    #[test]
    fn decimals_are_counted_from_the_text() {
        assert_eq!(decimals_of("12.50"), 1);
        assert_eq!(decimals_of("12"), 0);
        assert_eq!(decimals_of("0.125"), 3);
    }
}
