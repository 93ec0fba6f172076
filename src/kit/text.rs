//! One set of rules for text that people type, so that no field lets
//! through what a database cannot store or a reader cannot see.
//!
//! - Control characters are refused (`control_character`): PostgreSQL cannot
//!   store NUL at all, and the others end up invisible in HTML, CSV and git
//!   messages. Multi-line text keeps newlines and tabs.
//! - Bidirectional embeddings, overrides and isolates (U+202A-U+202E,
//!   U+2066-U+2069) are refused (`bidi_control`): an RLO (U+202E) before
//!   `txt.exe` makes it read as `exe.txt`. Right-to-left text itself needs none of them.
//! - A name that is blank once trimmed is refused with the field's own code;
//!   characters that show nothing (zero-width spaces, joiners, the byte-order
//!   mark, soft hyphens) do not count as content.

use crate::error::{AppError, AppResult, Code};

/// Whether `c` is a bidirectional embedding, override or isolate.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` shows nothing on its own: format characters such as the
/// zero-width space, joiners, word joiner, byte-order mark and soft hyphen.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    ) || is_bidi_control(c)
}

/// Whether `s` has nothing a reader can see.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// How many lines a text may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// A name, a title, a label: no line breaks or tabs.
    One,
    /// A description, a comment, Markdown: newlines and tabs allowed.
    Many,
}

/// What is wrong with a text's characters, if anything: the stable code and
/// the first offending character.
pub fn bad_character(s: &str, lines: Lines) -> Option<(Code, char)> {
    s.chars().find_map(|c| {
        let allowed_space = lines == Lines::Many && matches!(c, '\n' | '\r' | '\t');
        if c.is_control() && !allowed_space {
            Some((Code::ControlCharacter, c))
        } else if is_bidi_control(c) {
            Some((Code::BidiControl, c))
        } else {
            None
        }
    })
}

/// Refuses control characters and bidirectional overrides in `s`.
///
/// # Errors
/// `control_character` or `bidi_control`, naming the field and the character.
pub fn check_characters(field: &str, s: &str, lines: Lines) -> AppResult<()> {
    match bad_character(s, lines) {
        None => Ok(()),
        Some((code, c)) => Err(AppError::invalid(
            code,
            format!(
                "{field} contains the character U+{:04X}, which is not allowed",
                u32::from(c)
            ),
        )),
    }
}

/// A required single-line text: trimmed, 1 to `max` characters, something
/// visible in it, no control characters or overrides.
///
/// # Errors
/// `code` when blank or too long; `control_character`, `bidi_control`.
pub fn required_line(field: &str, code: Code, s: &str, max: usize) -> AppResult<String> {
    check_characters(field, s, Lines::One)?;
    let s = s.trim();
    if is_blank(s) || s.chars().count() > max {
        return Err(AppError::invalid(
            code,
            format!("{field} is 1-{max} characters, not blank"),
        ));
    }
    Ok(s.to_string())
}

fn optional(field: &str, code: Code, s: &str, max: usize, lines: Lines) -> AppResult<String> {
    check_characters(field, s, lines)?;
    let s = s.trim();
    if s.chars().count() > max {
        return Err(AppError::invalid(
            code,
            format!("{field} may be at most {max} characters"),
        ));
    }
    Ok(if is_blank(s) {
        String::new()
    } else {
        s.to_string()
    })
}

/// An optional single-line text: trimmed, at most `max` characters (empty
/// when blank).
///
/// # Errors
/// `code` when too long; `control_character`, `bidi_control`.
pub fn optional_line(field: &str, code: Code, s: &str, max: usize) -> AppResult<String> {
    optional(field, code, s, max, Lines::One)
}

/// An optional multi-line text: trimmed, at most `max` characters.
///
/// # Errors
/// `code` when too long; `control_character`, `bidi_control`.
pub fn optional_text(field: &str, code: Code, s: &str, max: usize) -> AppResult<String> {
    optional(field, code, s, max, Lines::Many)
}

/// A required multi-line text: as [`optional_text`], and not blank.
///
/// # Errors
/// `code` when blank or too long; `control_character`, `bidi_control`.
pub fn required_text(field: &str, code: Code, s: &str, max: usize) -> AppResult<String> {
    let s = optional_text(field, code, s, max)?;
    if s.is_empty() {
        return Err(AppError::invalid(
            code,
            format!("{field} is required and may be at most {max} characters"),
        ));
    }
    Ok(s)
}

/// A required short text (names, titles, what flows): 1-200 characters once
/// trimmed, on one line.
///
/// # Errors
/// `code`; `control_character`, `bidi_control`.
pub fn short_text(field: &str, code: Code, s: &str) -> AppResult<String> {
    required_line(field, code, s, 200)
}

/// An optional long text (purpose, criteria, notes): at most 10,000 characters.
///
/// # Errors
/// `text_too_long`; `control_character`, `bidi_control`.
pub fn long_text(field: &str, s: &str) -> AppResult<String> {
    optional_text(field, Code::TextTooLong, s, 10_000)
}

/// A required long text (a reason, a root cause): present once trimmed,
/// at most 10,000 characters.
///
/// # Errors
/// `code` when blank, `text_too_long` when too long; `control_character`, `bidi_control`.
pub fn required_long(field: &str, code: Code, s: &str) -> AppResult<String> {
    let s = long_text(field, s)?;
    if s.is_empty() {
        return Err(AppError::invalid(code, format!("{field} is required")));
    }
    Ok(s)
}

/// Walks every string of a JSON value (keys included) and refuses control
/// characters other than newlines and tabs, and bidirectional overrides:
/// the net under every JSON body, whatever field a string lands in.
///
/// # Errors
/// `control_character` or `bidi_control`.
pub fn check_json(value: &serde_json::Value) -> AppResult<()> {
    use serde_json::Value;
    match value {
        Value::String(s) => check_characters("a text", s, Lines::Many),
        Value::Array(items) => items.iter().try_for_each(check_json),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            check_characters("a field name", k, Lines::One)?;
            check_json(v)
        }),
        _ => Ok(()),
    }
}

/// Refuses control characters (newlines and tabs allowed) and
/// bidirectional overrides in every name and value of a form body
/// (`application/x-www-form-urlencoded`), as [`check_json`] does for JSON.
///
/// # Errors
/// `control_character` or `bidi_control`.
pub fn check_form(body: &[u8]) -> AppResult<()> {
    form_urlencoded::parse(body).try_for_each(|(k, v)| {
        check_characters("a field name", &k, Lines::One)?;
        check_characters("a text", &v, Lines::Many)
    })
}

/// Refuses control characters and bidirectional overrides in a
/// percent-encoded part of a URL (its path or its query): nothing a person
/// types into a link needs them, and PostgreSQL cannot compare with NUL.
///
/// # Errors
/// `control_character` or `bidi_control`.
pub fn check_url_part(part: &str) -> AppResult<()> {
    let decoded = percent_encoding::percent_decode_str(part).decode_utf8_lossy();
    check_characters("the address", &decoded, Lines::One)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: AppResult<String>) -> &'static str {
        r.err().map_or("ok", |e| e.code.as_str())
    }

    #[test]
    fn names_refuse_what_cannot_be_stored_or_seen() {
        let line = |s: &str| code(required_line("Title", Code::InvalidTitle, s, 20));
        assert_eq!(line("Kalibrointi"), "ok");
        assert_eq!(line("a\u{0}b"), "control_character");
        assert_eq!(line("a\nb"), "control_character");
        assert_eq!(line("a\tb"), "control_character");
        assert_eq!(line("\u{202E}txt.exe"), "bidi_control");
        assert_eq!(line("x\u{2066}y"), "bidi_control");
        assert_eq!(line("\u{200B}\u{200B}"), "invalid_title");
        assert_eq!(line(" "), "invalid_title");
        assert_eq!(line("\u{FEFF}\u{00A0}"), "invalid_title");
        assert_eq!(line(&"x".repeat(21)), "invalid_title");
        assert_eq!(line(&"ä".repeat(20)), "ok", "characters, not bytes");
        assert_eq!(line("עברית"), "ok", "right-to-left text needs no override");
    }

    #[test]
    fn multi_line_text_keeps_newlines_and_tabs() {
        let text = |s: &str| code(optional_text("Description", Code::TextTooLong, s, 100));
        assert_eq!(text("line 1\r\n\tline 2"), "ok");
        assert_eq!(text("bell\u{7}"), "control_character");
        assert_eq!(text("\u{85}"), "control_character");
        assert_eq!(
            optional_text("d", Code::TextTooLong, " \u{200B} ", 10)
                .ok()
                .as_deref(),
            Some("")
        );
    }

    #[test]
    fn forms_and_addresses_are_checked_once_decoded() {
        assert!(check_form(b"title=Kalibrointi&text=a%0D%0Ab").is_ok());
        let nul = check_form(b"title=x%00y").err().map(|e| e.code.as_str());
        assert_eq!(nul, Some("control_character"));
        let rlo = check_form(b"name=%E2%80%AEtxt.exe")
            .err()
            .map(|e| e.code.as_str());
        assert_eq!(rlo, Some("bidi_control"));
        assert!(check_url_part("/documents/QP-001").is_ok());
        assert!(check_url_part("q=m%C3%A4%C3%A4r%C3%A4ys").is_ok());
        let nul = check_url_part("q=%00").err().map(|e| e.code.as_str());
        assert_eq!(nul, Some("control_character"));
    }

    #[test]
    fn every_string_of_a_json_body_is_checked() {
        let ok = serde_json::json!({"a": ["x\ny", {"b": "\tz"}], "n": 1});
        assert!(check_json(&ok).is_ok());
        let nul = serde_json::json!({"a": [{"b": "x\u{0}"}]});
        assert_eq!(
            check_json(&nul).err().map(|e| e.code.as_str()),
            Some("control_character")
        );
        let key = serde_json::json!({"k\u{202E}": 1});
        assert_eq!(
            check_json(&key).err().map(|e| e.code.as_str()),
            Some("bidi_control")
        );
    }
}
