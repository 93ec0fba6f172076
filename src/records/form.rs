//! A form template's definition: its fields, the signatures its records
//! need and the ISO 9001 clauses they evidence. The definition is kept in
//! git beside the template's Markdown (`<NUMBER>.form.json`), so it is
//! approved, versioned and redlined with the document.
//!
//! [`FormInput`] is what a caller sends; [`FormInput::check`] turns it into
//! a [`FormDef`] or refuses it field by field. A stored definition is read
//! back as a [`FormDef`] directly: only checked definitions are written.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult, Code, FieldError};
use crate::kit::choice::choice;
use crate::kit::text::{Lines, bad_character, is_blank};

/// Most fields a form has.
pub const MAX_FIELDS: usize = 100;
/// Most columns a table field has.
pub const MAX_COLUMNS: usize = 20;
/// Most options of a choice.
pub const MAX_OPTIONS: usize = 50;
/// Most rows a table answer has.
pub const MAX_ROWS: usize = 200;
/// Longest label, help text or unit, in characters.
const MAX_LABEL: usize = 200;
const MAX_HELP: usize = 1000;

choice!(
    /// What kind of answer a field takes.
    FieldType, Code::UnknownFieldType, "field type" {
        Text => "text",
        LongText => "long_text",
        Number => "number",
        Date => "date",
        YesNo => "yes_no",
        Choice => "choice",
        MultiChoice => "multi_choice",
        Person => "person",
        Process => "process",
        Document => "document",
        File => "file",
        Photo => "photo",
        Table => "table",
    }
);

impl FieldType {
    /// Whether a table's column may be of this type (no tables in tables,
    /// no files in rows).
    pub fn in_tables(self) -> bool {
        !matches!(self, FieldType::Table | FieldType::File | FieldType::Photo)
    }
}

choice!(
    /// What a signature on a record means.
    RecordMeaning, Code::InvalidRecordMeaning, "record signature meaning" {
        Reviewed => "reviewed",
        Released => "released",
    }
);

/// A text in English and Finnish.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Label {
    /// In English.
    #[serde(default)]
    pub en: String,
    /// In Finnish.
    #[serde(default)]
    pub fi: String,
}

impl Label {
    /// Whether both languages are empty.
    pub fn is_empty(&self) -> bool {
        self.en.is_empty() && self.fi.is_empty()
    }

    /// The text in `lang` (`fi` or else English), falling back to the other.
    pub fn get(&self, lang: &str) -> &str {
        let (first, second) = if lang == "fi" {
            (&self.fi, &self.en)
        } else {
            (&self.en, &self.fi)
        };
        if first.is_empty() { second } else { first }
    }
}

/// One option of a choice field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// Its key, as answers and filters write it (`ok`, `scrap`).
    pub key: String,
    /// What people read.
    pub label: Label,
}

/// Which answer of a field is a deviation: `"no"` or `"yes"` for a yes/no
/// field, `"outside_limits"` for a number (its `min` and `max` are then
/// limits of tolerance, not of input), or the keys of the options that are
/// deviations for a choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Deviation {
    /// `no`, `yes` or `outside_limits`.
    One(String),
    /// Option keys.
    Many(Vec<String>),
}

/// One field of a form, checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Field {
    /// Its key in answers, filters and columns: `[a-z][a-z0-9_]*`, unique in the form.
    pub key: String,
    /// What it takes.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// What people read.
    pub label: Label,
    /// A hint shown under it.
    #[serde(default, skip_serializing_if = "Label::is_empty")]
    pub help: Label,
    /// Whether an answer is needed (for a table: at least one row).
    #[serde(default)]
    pub required: bool,
    /// A number's unit (`°C`, `mm`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// A number's lowest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// A number's highest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// How many decimals a number may have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u8>,
    /// A choice's options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    /// Which answer is a deviation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deviation: Option<Deviation>,
    /// A table's columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(no_recursion)]
    pub columns: Vec<Field>,
}

impl Field {
    /// Whether a number outside `min`..`max` is a deviation rather than refused.
    pub fn limits_are_tolerance(&self) -> bool {
        self.kind == FieldType::Number
            && matches!(&self.deviation, Some(Deviation::One(d)) if d == "outside_limits")
    }

    /// The option keys that are deviations of a choice.
    pub fn deviating_options(&self) -> &[String] {
        match &self.deviation {
            Some(Deviation::Many(keys)) => keys,
            _ => &[],
        }
    }

    /// The yes/no answer that is a deviation.
    pub fn deviating_answer(&self) -> Option<bool> {
        match &self.deviation {
            Some(Deviation::One(d)) if self.kind == FieldType::YesNo => Some(d == "yes"),
            _ => None,
        }
    }

    /// The option of `key`.
    pub fn option(&self, key: &str) -> Option<&ChoiceOption> {
        self.options.iter().find(|o| o.key == key)
    }
}

/// A signature the template asks of its records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignOff {
    /// `reviewed` or `released`.
    pub meaning: RecordMeaning,
    /// The code of the competence the signer must hold, valid on the day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competence: Option<String>,
}

/// A form template's definition, checked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FormDef {
    /// The fields, in order.
    pub fields: Vec<Field>,
    /// The signatures each record needs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<SignOff>,
    /// The ISO 9001 clauses its records evidence (`7.1.5.1`, `8.6`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clauses: Vec<String>,
}

impl FormDef {
    /// The field of `key`.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The signature asked with `meaning`.
    pub fn sign_off(&self, meaning: RecordMeaning) -> Option<&SignOff> {
        self.signatures.iter().find(|s| s.meaning == meaning)
    }

    /// The definition as stored in git: pretty JSON ending in a line break.
    pub fn to_stored(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads a stored definition.
    ///
    /// # Errors
    /// A fault: only checked definitions are stored.
    pub fn from_stored(s: &str) -> AppResult<FormDef> {
        serde_json::from_str(s).map_err(|e| {
            AppError::internal(anyhow::anyhow!(
                "a stored form definition does not read: {e}"
            ))
        })
    }

    /// One line per field, for the redline of a revision: what changed in
    /// the form reads like what changed in the text.
    pub fn outline(&self) -> String {
        fn line(f: &Field, indent: &str, out: &mut String) {
            out.push_str(&format!(
                "{indent}- {} ({}{}): {} / {}",
                f.key,
                f.kind.as_str(),
                if f.required { ", required" } else { "" },
                f.label.en,
                f.label.fi
            ));
            if !f.unit.is_empty() {
                out.push_str(&format!(" [{}]", f.unit));
            }
            if f.min.is_some() || f.max.is_some() {
                let show = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
                out.push_str(&format!(" {}..{}", show(f.min), show(f.max)));
            }
            if let Some(d) = f.decimals {
                out.push_str(&format!(" {d} decimals"));
            }
            if !f.options.is_empty() {
                let keys: Vec<&str> = f.options.iter().map(|o| o.key.as_str()).collect();
                out.push_str(&format!(" options {}", keys.join(", ")));
            }
            match &f.deviation {
                Some(Deviation::One(d)) => out.push_str(&format!(" deviation: {d}")),
                Some(Deviation::Many(d)) => {
                    out.push_str(&format!(" deviation: {}", d.join(", ")));
                }
                None => {}
            }
            out.push('\n');
            if !f.help.is_empty() {
                out.push_str(&format!("{indent}  {} / {}\n", f.help.en, f.help.fi));
            }
            for c in &f.columns {
                line(c, &format!("{indent}    "), out);
            }
        }
        let mut out = String::new();
        for f in &self.fields {
            line(f, "", &mut out);
        }
        for s in &self.signatures {
            out.push_str(&format!(
                "- signature {}{}\n",
                s.meaning.as_str(),
                s.competence
                    .as_ref()
                    .map_or(String::new(), |c| format!(" by holders of {c}"))
            ));
        }
        if !self.clauses.is_empty() {
            out.push_str(&format!("- ISO 9001 {}\n", self.clauses.join(", ")));
        }
        out
    }
}

/// One field as a caller sends it (see [`Field`]).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldInput {
    /// Its key: `[a-z][a-z0-9_]*`, at most 40 characters, unique in the form.
    pub key: String,
    /// `text`, `long_text`, `number`, `date`, `yes_no`, `choice`,
    /// `multi_choice`, `person`, `process`, `document`, `file`, `photo`, `table`.
    #[serde(rename = "type")]
    #[schema(value_type = FieldType)]
    pub kind: String,
    /// What people read; English or Finnish at least.
    #[serde(default)]
    pub label: Label,
    /// A hint shown under the field.
    #[serde(default)]
    pub help: Label,
    /// Whether an answer is needed.
    #[serde(default)]
    pub required: bool,
    /// A number's unit.
    #[serde(default)]
    pub unit: Option<String>,
    /// A number's lowest value.
    #[serde(default)]
    pub min: Option<f64>,
    /// A number's highest value.
    #[serde(default)]
    pub max: Option<f64>,
    /// How many decimals a number may have (0-6).
    #[serde(default)]
    pub decimals: Option<u8>,
    /// A choice's options.
    #[serde(default)]
    pub options: Vec<ChoiceOption>,
    /// Which answer is a deviation (see [`Deviation`]).
    #[serde(default)]
    pub deviation: Option<Deviation>,
    /// A table's columns (no tables, files or photos).
    #[serde(default)]
    #[schema(no_recursion)]
    pub columns: Vec<FieldInput>,
}

/// A form definition as a caller sends it with a draft.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FormInput {
    /// The fields, in order; at least one.
    pub fields: Vec<FieldInput>,
    /// The signatures each record needs.
    #[serde(default)]
    pub signatures: Vec<SignOffInput>,
    /// The ISO 9001 clauses its records evidence.
    #[serde(default)]
    pub clauses: Vec<String>,
}

/// A signature a template asks for, as sent.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOffInput {
    /// `reviewed` or `released`.
    #[schema(value_type = RecordMeaning)]
    pub meaning: String,
    /// The code of a competence its signer must hold.
    #[serde(default)]
    pub competence: Option<String>,
}

/// Whether `s` is a field or option key: `[a-z][a-z0-9_]*`, 1-40 characters.
pub fn is_key(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.as_bytes()[0].is_ascii_lowercase()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether `s` names a clause of ISO 9001 (`4` to `10`, then up to three
/// more levels: `7.1.5.1`).
pub fn is_clause(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() <= 4
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[0].parse::<u32>().is_ok_and(|n| (4..=10).contains(&n))
}

struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn refuse(&mut self, at: &str, code: Code, message: impl Into<String>) {
        self.errors.push(FieldError::new(at, code, message));
    }

    fn text(&mut self, at: &str, s: &str, max: usize) -> String {
        let s = s.trim();
        if let Some((code, _)) = bad_character(s, Lines::One) {
            self.refuse(at, code, "a label holds a character that cannot be stored");
        } else if s.chars().count() > max {
            self.refuse(
                at,
                Code::FormLabelTooLong,
                format!("at most {max} characters"),
            );
        }
        s.to_string()
    }

    fn label(&mut self, at: &str, l: &Label, required: bool, max: usize) -> Label {
        let label = Label {
            en: self.text(&format!("{at}.en"), &l.en, max),
            fi: self.text(&format!("{at}.fi"), &l.fi, max),
        };
        if required && is_blank(&label.en) && is_blank(&label.fi) {
            self.refuse(
                at,
                Code::FormLabelRequired,
                "give a label in English or Finnish",
            );
        }
        label
    }

    fn field(&mut self, at: &str, f: &FieldInput, in_table: bool) -> Option<Field> {
        let key = f.key.trim().to_string();
        if !is_key(&key) {
            self.refuse(
                at,
                Code::InvalidFieldKey,
                format!(
                    "`{}` is not a field key: lower-case letters, digits and _, starting with a letter, at most 40",
                    f.key
                ),
            );
        }
        let kind = match FieldType::parse(&f.kind) {
            Ok(k) => k,
            Err(e) => {
                self.refuse(at, e.code, e.message);
                return None;
            }
        };
        if in_table && !kind.in_tables() {
            self.refuse(
                at,
                Code::ColumnTypeNotAllowed,
                "a table's columns cannot be tables, files or photos",
            );
        }
        let label = self.label(&format!("{at}.label"), &f.label, true, MAX_LABEL);
        let help = self.label(&format!("{at}.help"), &f.help, false, MAX_HELP);
        let number = kind == FieldType::Number;
        let unit = f.unit.as_deref().unwrap_or_default();
        let unit = self.text(&format!("{at}.unit"), unit, 20);
        if !number
            && (!unit.is_empty() || f.min.is_some() || f.max.is_some() || f.decimals.is_some())
        {
            self.refuse(
                at,
                Code::NumberSettingsOnOtherType,
                "unit, min, max and decimals belong to number fields",
            );
        }
        if let (Some(lo), Some(hi)) = (f.min, f.max)
            && lo > hi
        {
            self.refuse(at, Code::MinAboveMax, "min is above max");
        }
        if f.min.is_some_and(|v| !v.is_finite()) || f.max.is_some_and(|v| !v.is_finite()) {
            self.refuse(at, Code::MinAboveMax, "min and max are finite numbers");
        }
        if f.decimals.is_some_and(|d| d > 6) {
            self.refuse(at, Code::InvalidDecimals, "at most 6 decimals");
        }
        let choice = matches!(kind, FieldType::Choice | FieldType::MultiChoice);
        let mut options = Vec::new();
        if choice {
            if f.options.is_empty() {
                self.refuse(
                    at,
                    Code::OptionsRequired,
                    "a choice needs at least one option",
                );
            }
            if f.options.len() > MAX_OPTIONS {
                self.refuse(
                    at,
                    Code::TooManyOptions,
                    format!("at most {MAX_OPTIONS} options"),
                );
            }
            for (i, o) in f.options.iter().enumerate() {
                let oat = format!("{at}.options[{i}]");
                let okey = o.key.trim().to_string();
                if !is_key(&okey) {
                    self.refuse(
                        &oat,
                        Code::InvalidFieldKey,
                        format!("`{}` is not an option key", o.key),
                    );
                } else if options.iter().any(|p: &ChoiceOption| p.key == okey) {
                    self.refuse(
                        &oat,
                        Code::DuplicateFieldKey,
                        format!("two options are `{okey}`"),
                    );
                }
                let label = self.label(&format!("{oat}.label"), &o.label, true, MAX_LABEL);
                options.push(ChoiceOption { key: okey, label });
            }
        } else if !f.options.is_empty() {
            self.refuse(
                at,
                Code::OptionsOnOtherType,
                "options belong to choice fields",
            );
        }
        let deviation = match (&f.deviation, kind) {
            (None, _) => None,
            (Some(Deviation::One(d)), FieldType::YesNo) if d == "yes" || d == "no" => {
                Some(Deviation::One(d.clone()))
            }
            (Some(Deviation::One(d)), FieldType::Number)
                if d == "outside_limits" && (f.min.is_some() || f.max.is_some()) =>
            {
                Some(Deviation::One(d.clone()))
            }
            (Some(d), FieldType::Choice | FieldType::MultiChoice) => {
                let keys = match d {
                    Deviation::One(k) => vec![k.clone()],
                    Deviation::Many(k) => k.clone(),
                };
                if keys.is_empty() || keys.iter().any(|k| !options.iter().any(|o| &o.key == k)) {
                    self.refuse(
                        at,
                        Code::InvalidDeviation,
                        "a choice's deviation names some of its options",
                    );
                }
                Some(Deviation::Many(keys))
            }
            _ => {
                self.refuse(
                    at,
                    Code::InvalidDeviation,
                    "a deviation is `no` or `yes` for a yes/no field, `outside_limits` for a number with limits, or options of a choice",
                );
                None
            }
        };
        let mut columns = Vec::new();
        if kind == FieldType::Table {
            if f.columns.is_empty() {
                self.refuse(at, Code::ColumnsRequired, "a table needs columns");
            }
            if f.columns.len() > MAX_COLUMNS {
                self.refuse(
                    at,
                    Code::TooManyFields,
                    format!("at most {MAX_COLUMNS} columns"),
                );
            }
            for (i, c) in f.columns.iter().enumerate() {
                let cat = format!("{at}.columns[{i}]");
                if let Some(col) = self.field(&cat, c, true) {
                    if columns.iter().any(|p: &Field| p.key == col.key) {
                        self.refuse(
                            &cat,
                            Code::DuplicateFieldKey,
                            format!("two columns are `{}`", col.key),
                        );
                    }
                    columns.push(col);
                }
            }
        } else if !f.columns.is_empty() {
            self.refuse(at, Code::ColumnsOnOtherType, "columns belong to tables");
        }
        Some(Field {
            key,
            kind,
            label,
            help,
            required: f.required,
            unit: if number { unit } else { String::new() },
            min: f.min,
            max: f.max,
            decimals: f.decimals,
            options,
            deviation,
            columns,
        })
    }
}

impl FormInput {
    /// Checks the definition; competences named by signatures are checked
    /// by the caller, who has the catalogue.
    ///
    /// # Errors
    /// `invalid_form` with each field's refusal (`fields[2].key`, ...).
    pub fn check(&self) -> AppResult<FormDef> {
        let mut c = Checker { errors: Vec::new() };
        if self.fields.is_empty() {
            c.refuse("fields", Code::FieldsRequired, "a form needs a field");
        }
        if self.fields.len() > MAX_FIELDS {
            c.refuse(
                "fields",
                Code::TooManyFields,
                format!("at most {MAX_FIELDS} fields"),
            );
        }
        let mut fields: Vec<Field> = Vec::new();
        for (i, f) in self.fields.iter().enumerate() {
            let at = format!("fields[{i}]");
            if let Some(field) = c.field(&at, f, false) {
                if fields.iter().any(|p| p.key == field.key) {
                    c.refuse(
                        &at,
                        Code::DuplicateFieldKey,
                        format!("two fields are `{}`", field.key),
                    );
                }
                fields.push(field);
            }
        }
        let mut signatures: Vec<SignOff> = Vec::new();
        for (i, s) in self.signatures.iter().enumerate() {
            let at = format!("signatures[{i}]");
            match RecordMeaning::parse(&s.meaning) {
                Ok(meaning) => {
                    if signatures.iter().any(|p| p.meaning == meaning) {
                        c.refuse(&at, Code::DuplicateSignOff, "each meaning is asked once");
                    }
                    let competence = s
                        .competence
                        .as_deref()
                        .map(str::trim)
                        .filter(|x| !x.is_empty())
                        .map(str::to_string);
                    signatures.push(SignOff {
                        meaning,
                        competence,
                    });
                }
                Err(e) => c.refuse(&at, e.code, e.message),
            }
        }
        let mut clauses: Vec<String> = Vec::new();
        for (i, cl) in self.clauses.iter().enumerate() {
            let cl = cl.trim().to_string();
            if !is_clause(&cl) {
                c.refuse(
                    &format!("clauses[{i}]"),
                    Code::InvalidClause,
                    format!("`{cl}` is not a clause of ISO 9001 such as 8.6 or 7.1.5.1"),
                );
            } else if !clauses.contains(&cl) {
                clauses.push(cl);
            }
        }
        if c.errors.is_empty() {
            Ok(FormDef {
                fields,
                signatures,
                clauses,
            })
        } else {
            Err(AppError::fields(
                Code::InvalidForm,
                "the form's definition has mistakes; see `fields`",
                c.errors,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(json: serde_json::Value) -> FormInput {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_good_form_is_kept_as_sent() {
        let f = input(serde_json::json!({
            "fields": [
                {"key": "reading", "type": "number", "label": {"en": "Reading", "fi": "Lukema"},
                 "unit": "mm", "min": 9.95, "max": 10.05, "decimals": 3, "deviation": "outside_limits"},
                {"key": "ok", "type": "yes_no", "label": {"en": "Passed"}, "required": true, "deviation": "no"},
                {"key": "result", "type": "choice", "label": {"fi": "Tulos"},
                 "options": [{"key": "pass", "label": {"en": "Pass"}}, {"key": "scrap", "label": {"en": "Scrap"}}],
                 "deviation": "scrap"},
                {"key": "rows", "type": "table", "label": {"en": "Rows"},
                 "columns": [{"key": "what", "type": "text", "label": {"en": "What"}}]}
            ],
            "signatures": [{"meaning": "released", "competence": "FINAL-INSP"}],
            "clauses": ["8.6", "7.1.5.1", "8.6"]
        }))
        .check()
        .unwrap();
        assert_eq!(f.fields.len(), 4);
        assert!(f.fields[0].limits_are_tolerance());
        assert_eq!(f.fields[1].deviating_answer(), Some(false));
        assert_eq!(f.fields[2].deviating_options(), ["scrap".to_string()]);
        assert_eq!(f.clauses, ["8.6", "7.1.5.1"]);
        let back = FormDef::from_stored(&f.to_stored()).unwrap();
        assert_eq!(back, f);
        assert!(
            f.outline()
                .contains("reading (number): Reading / Lukema [mm] 9.95..10.05")
        );
    }

    #[test]
    fn mistakes_are_named_field_by_field() {
        let e = input(serde_json::json!({
            "fields": [
                {"key": "Bad Key", "type": "text", "label": {"en": "A"}},
                {"key": "a", "type": "sketch", "label": {"en": "A"}},
                {"key": "n", "type": "number", "label": {}, "min": 5, "max": 1},
                {"key": "c", "type": "choice", "label": {"en": "C"}},
                {"key": "y", "type": "yes_no", "label": {"en": "Y"}, "deviation": "maybe"},
                {"key": "t", "type": "table", "label": {"en": "T"},
                 "columns": [{"key": "inner", "type": "table", "label": {"en": "I"},
                              "columns": [{"key": "x", "type": "text", "label": {"en": "X"}}]}]},
                {"key": "y", "type": "text", "label": {"en": "again"}, "unit": "kg"}
            ],
            "clauses": ["3.1", "8.6"],
            "signatures": [{"meaning": "approved"}]
        }))
        .check()
        .unwrap_err();
        assert_eq!(e.code, Code::InvalidForm);
        let got: Vec<(String, &str)> = e
            .fields
            .iter()
            .map(|f| (f.field.clone(), f.code.as_str()))
            .collect();
        for want in [
            ("fields[0]", "invalid_field_key"),
            ("fields[1]", "unknown_field_type"),
            ("fields[2].label", "form_label_required"),
            ("fields[2]", "min_above_max"),
            ("fields[3]", "options_required"),
            ("fields[4]", "invalid_deviation"),
            ("fields[5].columns[0]", "column_type_not_allowed"),
            ("fields[6]", "number_settings_on_other_type"),
            ("fields[6]", "duplicate_field_key"),
            ("clauses[0]", "invalid_clause"),
            ("signatures[0]", "invalid_record_meaning"),
        ] {
            assert!(
                got.iter().any(|(f, c)| f == want.0 && *c == want.1),
                "{want:?} missing from {got:?}"
            );
        }
    }

    #[test]
    fn clauses_are_those_of_the_standard() {
        for ok in ["4", "7.1.5.1", "8.6", "10.2"] {
            assert!(is_clause(ok), "{ok}");
        }
        for bad in ["3", "11", "8.", "8.6.1.2.3", "x", ""] {
            assert!(!is_clause(bad), "{bad}");
        }
    }
}
