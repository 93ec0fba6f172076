//! Checks on everything that becomes part of a ref name, a tree path or an
//! object id. Nothing from outside reaches git2 without passing one of these.

use super::StoreError;

/// Longest attachment name, in bytes.
pub const MAX_ATTACHMENT_NAME: usize = 200;

/// Checks a document number against `^[A-Z]{1,10}-[0-9]{1,6}$`.
///
/// # Errors
/// [`StoreError::BadNumber`].
pub fn check_number(number: &str) -> Result<(), StoreError> {
    let ok = number.split_once('-').is_some_and(|(prefix, digits)| {
        (1..=10).contains(&prefix.len())
            && prefix.bytes().all(|b| b.is_ascii_uppercase())
            && (1..=6).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
    });
    if ok {
        Ok(())
    } else {
        Err(StoreError::BadNumber(number.to_string()))
    }
}

/// Checks an attachment file name: one path component that is safe to check
/// out on any system git runs on.
///
/// # Errors
/// [`StoreError::BadAttachmentName`] saying why.
pub fn check_attachment_name(name: &str) -> Result<(), StoreError> {
    let why = if crate::kit::text::is_blank(name) {
        Some("it is empty")
    } else if name.trim() != name {
        Some("it starts or ends with a space")
    } else if name.len() > MAX_ATTACHMENT_NAME {
        Some("it is longer than 200 bytes")
    } else if name.contains('/') || name.contains('\\') {
        Some("it contains a slash")
    } else if name.starts_with('.') {
        Some("it starts with a dot")
    } else if name.contains("..") {
        Some("it contains '..'")
    } else if name.chars().any(char::is_control) {
        Some("it contains a control character")
    } else if name.chars().any(crate::kit::text::is_bidi_control) {
        Some("it contains a character that reverses the text direction")
    } else {
        None
    };
    match why {
        Some(why) => Err(StoreError::BadAttachmentName {
            name: name.to_string(),
            why,
        }),
        None => Ok(()),
    }
}

/// Parses a full 40-digit hex object id. `git2::Oid::from_str` alone would
/// accept a prefix and pad it with zeros.
///
/// # Errors
/// [`StoreError::BadObjectId`].
pub fn parse_oid(id: &str) -> Result<git2::Oid, StoreError> {
    let bad = || StoreError::BadObjectId(id.to_string());
    if id.len() != 40 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    git2::Oid::from_str(id).map_err(|_| bad())
}

/// `refs/drafts/<NUMBER>`; the number must have been checked.
pub(super) fn draft_ref_name(number: &str) -> String {
    format!("refs/drafts/{number}")
}

/// `<NUMBER>/r<n>`, the tag's own name; the number must have been checked.
pub(super) fn tag_name(number: &str, n: i32) -> Result<String, StoreError> {
    if n < 1 {
        return Err(StoreError::BadRevision(n));
    }
    Ok(format!("{number}/r{n}"))
}

/// `refs/tags/<NUMBER>/r<n>`.
pub(super) fn tag_ref_name(number: &str, n: i32) -> Result<String, StoreError> {
    Ok(format!("refs/tags/{}", tag_name(number, n)?))
}

/// `<NUMBER>.md`.
pub(super) fn markdown_file(number: &str) -> String {
    format!("{number}.md")
}

/// `<NUMBER>.form.json`, a form template's field definition; the number
/// must have been checked.
pub(super) fn form_file(number: &str) -> String {
    format!("{number}.form.json")
}

/// `<NUMBER>.promise.json`, a value promise's basic task, promise and
/// target experiences; the number must have been checked.
pub(super) fn promise_file(number: &str) -> String {
    format!("{number}.promise.json")
}
