//! Evidence files as they are added to a record: the checks every area
//! makes before it stores one (a safe name, some content) and what is
//! stored with it (its media type, size and SHA-256).

use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult, Code};
use crate::store::names::check_attachment_name;

/// A file that passed the checks, with what is stored beside its content.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    /// The name, trimmed.
    pub filename: String,
    /// The media type sent, or guessed from the name when none (or only
    /// `application/octet-stream`) was sent.
    pub content_type: String,
    /// The size in bytes.
    pub size: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
}

/// Checks a file being added.
///
/// # Errors
/// `invalid_attachment_name`, `empty_file`.
pub fn check(filename: &str, content_type: &str, bytes: &[u8]) -> AppResult<CheckedFile> {
    let filename = filename.trim().to_string();
    check_attachment_name(&filename)
        .map_err(|e| AppError::invalid(Code::InvalidAttachmentName, e.to_string()))?;
    if bytes.is_empty() {
        return Err(AppError::invalid(Code::EmptyFile, "the file is empty"));
    }
    let content_type =
        if content_type.trim().is_empty() || content_type == "application/octet-stream" {
            mime_guess::from_path(&filename)
                .first_or_octet_stream()
                .to_string()
        } else {
            content_type.to_string()
        };
    Ok(CheckedFile {
        size: i64::try_from(bytes.len()).map_err(AppError::internal)?,
        sha256: hex::encode(Sha256::digest(bytes)),
        filename,
        content_type,
    })
}
