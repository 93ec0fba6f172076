//! Message catalogs (Fluent, `src/i18n/locales/{en,fi}`), language choice and
//! locale formats. Every UI string goes through [`t`] or the templates' `t()`.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::NaiveDateTime;
use fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
use serde::Serialize;

static_loader! {
    static LOCALES = {
        locales: "./src/i18n/locales",
        fallback_language: "en",
        // Unicode isolation marks would end up inside attributes and e-mails.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static EN: LanguageIdentifier = langid!("en");
static FI: LanguageIdentifier = langid!("fi");

/// A language the UI speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Finnish.
    Fi,
}

impl Lang {
    /// Every language the catalogs have.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fi];

    /// The language of a code such as `fi` or `EN` (surrounding blanks ignored).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "fi" => Some(Lang::Fi),
            _ => None,
        }
    }

    /// The language's code, as cookies, settings and the page's `lang` write it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fi => "fi",
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::En => &EN,
            Lang::Fi => &FI,
        }
    }

    /// The first language of an `Accept-Language` header that we speak.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        fluent_langneg::accepted_languages::parse(header)
            .iter()
            .find_map(|l| Lang::parse(l.language.as_str()))
    }
}

/// A message from the catalog.
pub fn t(lang: Lang, key: &str) -> String {
    LOCALES.lookup(lang.id(), key)
}

/// A message with arguments (`{ $name }` in the catalog).
pub fn t_args(lang: Lang, key: &str, args: &[(&'static str, String)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())))
        .collect();
    LOCALES.lookup_with_args(lang.id(), key, &args)
}

/// A message with arguments if the catalog has it.
pub fn try_t_args(lang: Lang, key: &str, args: &[(&'static str, String)]) -> Option<String> {
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())))
        .collect();
    LOCALES.try_lookup_with_args(lang.id(), key, &args)
}

/// A message if the catalog has it.
pub fn try_t(lang: Lang, key: &str) -> Option<String> {
    LOCALES.try_lookup(lang.id(), key)
}

/// Whether both catalogs have `key` (used by tests).
pub fn has_key_in_all(key: &str) -> bool {
    Lang::ALL
        .iter()
        .all(|l| LOCALES.try_lookup(l.id(), key).is_some())
}

/// Formats a UTC time in the site's time zone the way the language writes it.
pub fn format_datetime(lang: Lang, tz: chrono_tz::Tz, t: &NaiveDateTime) -> String {
    let local = t.and_utc().with_timezone(&tz);
    match lang {
        Lang::En => local
            .format_localized("%-d %b %Y %H:%M", chrono::Locale::en_GB)
            .to_string(),
        Lang::Fi => local.format("%-d.%-m.%Y klo %H.%M").to_string(),
    }
}

/// Formats a date (a UTC time's local date) the way the language writes it.
pub fn format_date(lang: Lang, tz: chrono_tz::Tz, t: &NaiveDateTime) -> String {
    let local = t.and_utc().with_timezone(&tz);
    match lang {
        Lang::En => local
            .format_localized("%-d %b %Y", chrono::Locale::en_GB)
            .to_string(),
        Lang::Fi => local.format("%-d.%-m.%Y").to_string(),
    }
}

/// Formats a calendar date (a due date, say) the way the language writes it.
pub fn format_day(lang: Lang, d: chrono::NaiveDate) -> String {
    match lang {
        Lang::En => d
            .format_localized("%-d %b %Y", chrono::Locale::en_GB)
            .to_string(),
        Lang::Fi => d.format("%-d.%-m.%Y").to_string(),
    }
}

/// Registers `t(key, lang, ...)` and the `datetime`/`date`/`period`
/// filters with tera.
pub fn register(tera: &mut tera::Tera, tz: chrono_tz::Tz) {
    tera.register_function("t", translate_fn);
    // A period code ("2026-05", "2026-Q2") as the reader writes it.
    tera.register_filter(
        "period",
        |v: &tera::Value, args: &HashMap<String, tera::Value>| match v {
            tera::Value::String(s) => Ok(tera::Value::String(crate::charts::period_text(
                lang_arg(args),
                s,
            ))),
            tera::Value::Null => Ok(tera::Value::String(String::new())),
            other => Err(tera::Error::msg(format!("not a period: {other}"))),
        },
    );
    tera.register_filter(
        "datetime",
        move |v: &tera::Value, args: &HashMap<String, tera::Value>| {
            time_filter(v, args, |lang, t| format_datetime(lang, tz, t))
        },
    );
    tera.register_filter(
        "date",
        move |v: &tera::Value, args: &HashMap<String, tera::Value>| {
            time_filter(v, args, |lang, t| format_date(lang, tz, t))
        },
    );
}

fn lang_arg(args: &HashMap<String, tera::Value>) -> Lang {
    args.get("lang")
        .and_then(|v| v.as_str())
        .and_then(Lang::parse)
        .unwrap_or_default()
}

fn translate_fn(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let key = args
        .get("key")
        .and_then(|v| v.as_str())
        .ok_or_else(|| tera::Error::msg("t() needs key=\"...\""))?;
    let lang = lang_arg(args);
    let fluent_args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .filter(|(k, _)| k.as_str() != "key" && k.as_str() != "lang")
        .map(|(k, v)| {
            let value = match v {
                tera::Value::Number(n) => FluentValue::from(n.as_f64().unwrap_or_default()),
                tera::Value::String(s) => FluentValue::from(s.clone()),
                other => FluentValue::from(other.to_string()),
            };
            (Cow::Owned(k.clone()), value)
        })
        .collect();
    let text = LOCALES
        .try_lookup_with_args(lang.id(), key, &fluent_args)
        .ok_or_else(|| tera::Error::msg(format!("message `{key}` is not in the catalog")))?;
    Ok(tera::Value::String(text))
}

fn time_filter(
    v: &tera::Value,
    args: &HashMap<String, tera::Value>,
    format: impl Fn(Lang, &NaiveDateTime) -> String,
) -> tera::Result<tera::Value> {
    match v {
        tera::Value::Null => Ok(tera::Value::String(String::new())),
        tera::Value::String(s) => {
            // A calendar date has no time zone to convert from.
            if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                return Ok(tera::Value::String(format_day(lang_arg(args), d)));
            }
            let t = crate::time::parse(s)
                .ok_or_else(|| tera::Error::msg(format!("not a time: {s}")))?;
            Ok(tera::Value::String(format(lang_arg(args), &t)))
        }
        other => Err(tera::Error::msg(format!("not a time: {other}"))),
    }
}
