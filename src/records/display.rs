//! Answers as people read them: option labels instead of keys, names
//! instead of usernames, numbers with the reader's decimal mark and the
//! field's unit, dates the way the reader's language writes them. The
//! record page, the register and its downloads all show answers so.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use serde_json::Value;

use super::form::{Field, FieldType, FormDef};
use crate::db::DbConn;
use crate::db::schema::{documents, processes, record_files, users};
use crate::error::AppResult;
use crate::i18n::{self, Lang};

/// What answers name, by what they name it with.
#[derive(Debug, Default, Clone)]
pub struct Names {
    /// Display names by username.
    pub people: HashMap<String, String>,
    /// Process names by code.
    pub processes: HashMap<String, String>,
    /// Document titles by number.
    pub documents: HashMap<String, String>,
    /// File names by id.
    pub files: HashMap<String, String>,
}

fn collect(field: &Field, v: &Value, want: &mut [HashSet<String>; 4]) {
    let slot = match field.kind {
        FieldType::Person => Some(0),
        FieldType::Process => Some(1),
        FieldType::Document => Some(2),
        FieldType::File | FieldType::Photo => Some(3),
        _ => None,
    };
    match (slot, v) {
        (Some(i), Value::String(s)) => {
            want[i].insert(s.clone());
        }
        (None, Value::Array(rows)) if field.kind == FieldType::Table => {
            for row in rows {
                for c in &field.columns {
                    if let Some(cell) = row.get(&c.key) {
                        collect(c, cell, want);
                    }
                }
            }
        }
        _ => {}
    }
}

impl Names {
    /// The names the answers of `answers` (each a record's values under
    /// `form`) need, plus the `people` and `process codes` given, in four
    /// queries.
    ///
    /// # Errors
    /// A database fault.
    pub fn load<'a>(
        conn: &mut DbConn,
        form: &FormDef,
        answers: impl IntoIterator<Item = &'a Value>,
        people: impl IntoIterator<Item = String>,
        process_codes: impl IntoIterator<Item = String>,
    ) -> AppResult<Names> {
        let mut want: [HashSet<String>; 4] = Default::default();
        for a in answers {
            for f in &form.fields {
                if let Some(v) = a.get(&f.key) {
                    collect(f, v, &mut want);
                }
            }
        }
        want[0].extend(people);
        want[1].extend(process_codes);
        let [people, procs, docs, files] = want;
        let people: Vec<String> = people.into_iter().collect();
        let procs: Vec<String> = procs.into_iter().collect();
        let docs: Vec<String> = docs.into_iter().collect();
        let files: Vec<String> = files.into_iter().collect();
        Ok(Names {
            people: users::table
                .filter(users::username.eq_any(&people))
                .select((users::username, users::display_name))
                .load::<(String, String)>(conn)?
                .into_iter()
                .collect(),
            processes: processes::table
                .filter(processes::code.eq_any(&procs))
                .select((processes::code, processes::name))
                .load::<(String, String)>(conn)?
                .into_iter()
                .collect(),
            documents: documents::table
                .filter(documents::number.eq_any(&docs))
                .select((documents::number, documents::title))
                .load::<(String, String)>(conn)?
                .into_iter()
                .collect(),
            files: record_files::table
                .filter(record_files::id.eq_any(&files))
                .select((record_files::id, record_files::filename))
                .load::<(String, String)>(conn)?
                .into_iter()
                .collect(),
        })
    }

    /// A person's name, or the username when unknown.
    pub fn person(&self, username: &str) -> String {
        self.people
            .get(username)
            .cloned()
            .unwrap_or_else(|| username.to_string())
    }

    /// A process as `CODE Name`.
    pub fn process(&self, code: &str) -> String {
        match self.processes.get(code) {
            Some(name) => format!("{code} {name}"),
            None => code.to_string(),
        }
    }
}

/// A number with the reader's decimal mark, with `decimals` places when given.
pub fn number(lang: Lang, v: f64, decimals: Option<u8>) -> String {
    let s = match decimals {
        Some(d) => format!("{v:.*}", usize::from(d)),
        None => {
            let s = v.to_string();
            s.strip_suffix(".0").map_or(s.clone(), str::to_string)
        }
    };
    match lang {
        Lang::Fi => s.replace('.', ",").replacen('-', "\u{2212}", 1),
        Lang::En => s,
    }
}

/// An answer of `field` as the reader reads it; "" when there is none. A
/// table reads as its rows, `; ` between cells and ` | ` between rows.
pub fn shown(lang: Lang, field: &Field, v: Option<&Value>, names: &Names) -> String {
    let Some(v) = v else {
        return String::new();
    };
    let code = lang.code();
    match (field.kind, v) {
        (_, Value::Null) => String::new(),
        (FieldType::Number, Value::Number(n)) => {
            let s = number(lang, n.as_f64().unwrap_or_default(), field.decimals);
            // "pcs" reads "kpl" in Finnish; a unit Laatu does not know, as typed.
            crate::charts::with_unit(lang, &s, &field.unit)
        }
        (FieldType::YesNo, Value::Bool(b)) => {
            i18n::t(lang, if *b { "records-yes" } else { "records-no" })
        }
        (FieldType::Date, Value::String(s)) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_or_else(|_| s.clone(), |d| i18n::format_day(lang, d)),
        (FieldType::Choice, Value::String(k)) => field
            .option(k)
            .map_or_else(|| k.clone(), |o| o.label.get(code).to_string()),
        (FieldType::MultiChoice, Value::Array(keys)) => keys
            .iter()
            .filter_map(Value::as_str)
            .map(|k| {
                field
                    .option(k)
                    .map_or_else(|| k.to_string(), |o| o.label.get(code).to_string())
            })
            .collect::<Vec<_>>()
            .join(", "),
        (FieldType::Person, Value::String(u)) => names.person(u),
        (FieldType::Process, Value::String(c)) => names.process(c),
        (FieldType::Document, Value::String(n)) => match names.documents.get(n) {
            Some(t) => format!("{n} {t}"),
            None => n.clone(),
        },
        (FieldType::File | FieldType::Photo, Value::String(id)) => {
            names.files.get(id).cloned().unwrap_or_else(|| id.clone())
        }
        (FieldType::Table, Value::Array(rows)) => rows
            .iter()
            .map(|row| {
                field
                    .columns
                    .iter()
                    .filter_map(|c| {
                        let s = shown(lang, c, row.get(&c.key), names);
                        (!s.is_empty()).then(|| format!("{}: {s}", c.label.get(code)))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .collect::<Vec<_>>()
            .join(" | "),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(json: serde_json::Value) -> Field {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn numbers_read_with_the_readers_mark_and_unit() {
        let f = field(
            serde_json::json!({"key": "t", "type": "number", "label": {"en": "T"},
            "unit": "°C", "decimals": 2}),
        );
        let v = serde_json::json!(20.5);
        let n = Names::default();
        assert_eq!(shown(Lang::En, &f, Some(&v), &n), "20.50\u{a0}°C");
        assert_eq!(shown(Lang::Fi, &f, Some(&v), &n), "20,50\u{a0}°C");
        assert_eq!(number(Lang::Fi, -1.5, None), "\u{2212}1,5");
        assert_eq!(number(Lang::En, 3.0, None), "3");
    }

    #[test]
    fn choices_read_as_their_labels_and_tables_as_rows() {
        let f = field(
            serde_json::json!({"key": "r", "type": "table", "label": {"en": "R"},
            "columns": [
                {"key": "what", "type": "text", "label": {"en": "What", "fi": "Mitä"}},
                {"key": "c", "type": "choice", "label": {"en": "C"},
                 "options": [{"key": "ok", "label": {"en": "Fine", "fi": "Kunnossa"}}]}
            ]}),
        );
        let v = serde_json::json!([{"what": "a", "c": "ok"}, {"what": "b"}]);
        assert_eq!(
            shown(Lang::Fi, &f, Some(&v), &Names::default()),
            "Mitä: a; C: Kunnossa | Mitä: b"
        );
    }
}
