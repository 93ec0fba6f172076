//! The contacts an invitation goes to: checked one by one, or read from a
//! pasted or uploaded CSV (`name,email,company,reference,language`, a
//! header row naming the columns, or those columns in that order). Every
//! row is checked before anything is written; a refusal names each bad row
//! by its line number.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{AppError, AppResult, Code, FieldError};
use crate::i18n::Lang;
use crate::kit::text::{Lines, bad_character, is_blank};

/// Most contacts invited at once.
pub const MAX_CONTACTS: usize = 500;
/// Largest CSV of contacts, in bytes.
pub const MAX_CSV_BYTES: usize = 256 * 1024;
/// Longest name, company or e-mail address.
const MAX_FIELD: usize = 200;
/// Longest reference.
const MAX_REFERENCE: usize = 100;

/// One contact as a caller sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// The customer's name.
    #[schema(max_length = 200)]
    pub name: String,
    /// Their e-mail address.
    #[schema(max_length = 200)]
    pub email: Option<String>,
    /// Their company.
    #[schema(max_length = 200)]
    pub company: Option<String>,
    /// Our reference: an order, project or case number.
    #[schema(max_length = 100)]
    pub reference: Option<String>,
    /// `en` or `fi`; by default the site's `default_language`.
    #[schema(max_length = 2)]
    pub language: Option<String>,
}

/// A contact, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// The name.
    pub name: String,
    /// The e-mail address, if given.
    pub email: Option<String>,
    /// The company, if given.
    pub company: Option<String>,
    /// The reference, if given.
    pub reference: Option<String>,
    /// The language the customer reads.
    pub language: Lang,
}

fn optional(
    at: &str,
    field: &str,
    v: Option<&str>,
    max: usize,
    errs: &mut Vec<FieldError>,
) -> Option<String> {
    let v = v.map(str::trim).filter(|v| !is_blank(v))?;
    let name = format!("{at}.{field}");
    if let Some((code, _)) = bad_character(v, Lines::One) {
        errs.push(FieldError::new(
            name,
            code,
            "a character that cannot be stored",
        ));
        None
    } else if v.chars().count() > max {
        errs.push(FieldError::new(
            name,
            Code::ContactFieldTooLong,
            format!("at most {max} characters"),
        ));
        None
    } else {
        Some(v.to_string())
    }
}

impl ContactInput {
    /// Checks the contact, adding each refusal under `at` (`contacts[3]`,
    /// `line 4`).
    fn check(&self, at: &str, default: Lang, errs: &mut Vec<FieldError>) -> Option<Contact> {
        let before = errs.len();
        let name = optional(at, "name", Some(&self.name), MAX_FIELD, errs);
        if name.is_none() && errs.len() == before {
            errs.push(FieldError::new(
                format!("{at}.name"),
                Code::ContactNameRequired,
                "every contact needs a name",
            ));
        }
        let email = optional(at, "email", self.email.as_deref(), MAX_FIELD, errs);
        if let Some(e) = &email
            && !plausible_email(e)
        {
            errs.push(FieldError::new(
                format!("{at}.email"),
                Code::InvalidEmail,
                format!("`{e}` is not an e-mail address"),
            ));
        }
        let company = optional(at, "company", self.company.as_deref(), MAX_FIELD, errs);
        let reference = optional(
            at,
            "reference",
            self.reference.as_deref(),
            MAX_REFERENCE,
            errs,
        );
        let language = match self.language.as_deref().map(str::trim) {
            None | Some("") => default,
            Some(l) => match Lang::parse(&l.to_lowercase()) {
                Some(l) => l,
                None => {
                    errs.push(FieldError::new(
                        format!("{at}.language"),
                        Code::InvalidContactLanguage,
                        "a language is en or fi",
                    ));
                    default
                }
            },
        };
        (errs.len() == before).then(|| Contact {
            name: name.unwrap_or_default(),
            email,
            company,
            reference,
            language,
        })
    }
}

/// An address with one `@`, something on both sides, a dot in the domain
/// and no spaces: enough to catch a name typed into the e-mail column.
fn plausible_email(e: &str) -> bool {
    match e.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !e.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// Checks every contact; nothing is accepted unless all are.
///
/// # Errors
/// `too_many_contacts` (none or over [`MAX_CONTACTS`]); `invalid_contacts`
/// naming every bad field as `contacts[i].field`.
pub fn check_all(input: &[ContactInput], default: Lang) -> AppResult<Vec<Contact>> {
    check_named(
        input
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("contacts[{i}]"), c)),
        default,
    )
}

fn check_named<'a>(
    rows: impl ExactSizeIterator<Item = (String, &'a ContactInput)>,
    default: Lang,
) -> AppResult<Vec<Contact>> {
    if rows.len() == 0 || rows.len() > MAX_CONTACTS {
        return Err(AppError::invalid(
            Code::TooManyContacts,
            format!("invite 1 to {MAX_CONTACTS} contacts at once"),
        ));
    }
    let mut errs = Vec::new();
    let mut out = Vec::new();
    for (at, c) in rows {
        if let Some(c) = c.check(&at, default, &mut errs) {
            out.push(c);
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(AppError::fields(
            Code::InvalidContacts,
            "some contacts have mistakes; nothing was saved",
            errs,
        ))
    }
}

const COLUMNS: [&str; 5] = ["name", "email", "company", "reference", "language"];

/// Reads contacts from CSV text (comma or semicolon separated, as
/// spreadsheets in Finland save it). A first row naming columns
/// (`name`/`nimi`, `email`/`sähköposti`, `company`/`yritys`,
/// `reference`/`viite`, `language`/`kieli`) says their order; without
/// one, the columns are name, email, company, reference, language. Blank
/// lines are skipped. Refusals name the line: `line 4.email`.
///
/// # Errors
/// `payload_too_large` over [`MAX_CSV_BYTES`]; `csv_unreadable`;
/// `too_many_contacts`; `invalid_contacts`.
pub fn from_csv(text: &str, default: Lang) -> AppResult<Vec<Contact>> {
    if text.len() > MAX_CSV_BYTES {
        return Err(AppError::payload_too_large(MAX_CSV_BYTES));
    }
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut order: Vec<Option<usize>> = (0..COLUMNS.len()).map(Some).collect();
    let mut rows: Vec<(String, ContactInput)> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            AppError::invalid(Code::CsvUnreadable, format!("the CSV cannot be read: {e}"))
        })?;
        let line = record.position().map_or(i as u64 + 1, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if i == 0
            && let Some(header) = header_order(&record)
        {
            order = header;
            continue;
        }
        if rows.len() >= MAX_CONTACTS {
            return Err(AppError::invalid(
                Code::TooManyContacts,
                format!("invite at most {MAX_CONTACTS} contacts at once"),
            ));
        }
        let col = |c: usize| {
            order[c]
                .and_then(|j| record.get(j))
                .map(str::to_string)
                .filter(|s| !s.trim().is_empty())
        };
        rows.push((
            format!("line {line}"),
            ContactInput {
                name: col(0).unwrap_or_default(),
                email: col(1),
                company: col(2),
                reference: col(3),
                language: col(4),
            },
        ));
    }
    check_named(rows.iter().map(|(at, c)| (at.clone(), c)), default)
}

/// The columns a header row names, if the row is a header.
fn header_order(record: &csv::StringRecord) -> Option<Vec<Option<usize>>> {
    let names: Vec<String> = record.iter().map(|f| f.trim().to_lowercase()).collect();
    let alias = |c: &str| -> &'static [&'static str] {
        match c {
            "name" => &["name", "nimi"],
            "email" => &["email", "e-mail", "sähköposti"],
            "company" => &["company", "yritys"],
            "reference" => &["reference", "viite"],
            _ => &["language", "kieli"],
        }
    };
    let order: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|c| names.iter().position(|n| alias(c).contains(&n.as_str())))
        .collect();
    order[0].is_some().then_some(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_is_read_by_its_header_and_refused_by_line() {
        let ok = from_csv(
            "email;nimi;yritys\nanna@example.com;Anna Aho;Aho Oy\n\nbo@example.com;Bo;\n",
            Lang::Fi,
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].name, "Anna Aho");
        assert_eq!(ok[0].company.as_deref(), Some("Aho Oy"));
        assert_eq!(ok[1].company, None);
        assert_eq!(ok[1].language, Lang::Fi);
        let plain = from_csv("Cecilia,cc@example.com,,PO-1,en", Lang::Fi).unwrap();
        assert_eq!(plain[0].reference.as_deref(), Some("PO-1"));
        assert_eq!(plain[0].language, Lang::En);
        let bad = from_csv(
            "name,email\nAnna,anna@example.com\n,x@example.com\nBo,not-an-address\n",
            Lang::En,
        )
        .unwrap_err();
        let got: Vec<(String, &str)> = bad
            .fields
            .iter()
            .map(|f| (f.field.clone(), f.code.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("line 3.name".to_string(), "contact_name_required"),
                ("line 4.email".to_string(), "invalid_email"),
            ]
        );
        assert_eq!(
            from_csv("", Lang::En).unwrap_err().code,
            Code::TooManyContacts
        );
        let many: String = (0..=MAX_CONTACTS).map(|i| format!("P{i}\n")).collect();
        assert_eq!(
            from_csv(&many, Lang::En).unwrap_err().code,
            Code::TooManyContacts
        );
    }
}
