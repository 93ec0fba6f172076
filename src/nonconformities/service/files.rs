//! Evidence files and linked documents. Files are kept in the database, in
//! the same transaction as their audit event, so a record and its evidence
//! are backed up, restored and exported together. They are never replaced
//! or removed: a better photo is another file.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{NcPolicy, NonconformityView, ask, commit_change, get, lock_case};
use crate::audit::Diff;
use crate::auth::model::User;
use crate::db::schema::{
    corrective_actions, documents, nc_attachments, nc_documents, nonconformities,
};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code};
use crate::ids::new_id;
use crate::kit::record::Event;

/// A document's id by number, for input that refers to a document.
///
/// # Errors
/// `document_not_found` (422: the reference in the request is wrong).
pub(crate) fn document_id(conn: &mut DbConn, number: &str) -> AppResult<String> {
    documents::table
        .filter(documents::number.eq(number.trim()))
        .select(documents::id)
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            AppError::invalid(
                Code::DocumentNotFound,
                format!("there is no document {}", number.trim()),
            )
        })
}

/// An evidence file being added.
pub struct AttachmentFile {
    /// The file's name as uploaded.
    pub filename: String,
    /// Its media type, as the browser or client gave it.
    pub content_type: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Adds an evidence file, optionally as evidence for one corrective action.
/// Returns the case and the file's id.
///
/// # Errors
/// `forbidden`, `not_involved`, `nonconformity_final`, `invalid_attachment_name`,
/// `empty_file`, `action_not_found`.
pub fn add_attachment(
    conn: &mut DbConn,
    policy: NcPolicy,
    by: &User,
    number: &str,
    file: AttachmentFile,
    action_id: Option<&str>,
    at: NaiveDateTime,
) -> AppResult<(NonconformityView, String)> {
    ask(by, "add_attachment")?;
    let crate::kit::file::CheckedFile {
        filename,
        content_type,
        size,
        sha256: sha,
    } = crate::kit::file::check(&file.filename, &file.content_type, &file.bytes)?;
    let id = new_id();
    write_tx(conn, |conn| {
        let case = lock_case(conn, number, policy.today(at))?;
        let step = case.check(conn, "add_attachment", by)?;
        if let Some(a) = action_id {
            let found: i64 = corrective_actions::table
                .find(a)
                .filter(corrective_actions::nc_id.eq(&case.row.id))
                .count()
                .get_result(conn)?;
            if found == 0 {
                return Err(AppError::invalid(
                    Code::ActionNotFound,
                    format!("{number} has no action {a}"),
                ));
            }
        }
        diesel::insert_into(nc_attachments::table)
            .values((
                nc_attachments::id.eq(&id),
                nc_attachments::nc_id.eq(&case.row.id),
                nc_attachments::action_id.eq(action_id),
                nc_attachments::filename.eq(&filename),
                nc_attachments::content_type.eq(&content_type),
                nc_attachments::size.eq(size),
                nc_attachments::sha256.eq(&sha),
                nc_attachments::content.eq(&file.bytes),
                nc_attachments::uploaded_by.eq(by.id.as_str()),
                nc_attachments::uploaded_at.eq(at),
            ))
            .execute(conn)?;
        commit_change(
            conn,
            by,
            &case,
            step,
            case.status,
            at,
            Event {
                action: "nonconformity.attachment_added",
                summary: format!("{} attached {filename} to {number}", by.username),
                diff: Diff::new()
                    .created("attachment", &id)
                    .created("filename", &filename)
                    .created("size", &size)
                    .created("sha256", &sha)
                    .created("action", &action_id),
            },
        )
    })?;
    Ok((get(conn, number, by)?, id))
}

/// An evidence file's name, type and content.
///
/// # Errors
/// `nonconformity_not_found`, `attachment_not_found`.
pub fn attachment(conn: &mut DbConn, number: &str, id: &str) -> AppResult<AttachmentFile> {
    let nc_id: String = nonconformities::table
        .filter(nonconformities::number.eq(number))
        .select(nonconformities::id)
        .first(conn)
        .optional()?
        .ok_or_else(|| super::not_found(number))?;
    let (filename, content_type, bytes) = nc_attachments::table
        .find(id)
        .filter(nc_attachments::nc_id.eq(&nc_id))
        .select((
            nc_attachments::filename,
            nc_attachments::content_type,
            nc_attachments::content,
        ))
        .first::<(String, String, Vec<u8>)>(conn)
        .optional()?
        .ok_or_else(|| {
            AppError::not_found(
                Code::AttachmentNotFound,
                format!("{number} has no file {id}"),
            )
        })?;
    Ok(AttachmentFile {
        filename,
        content_type,
        bytes,
    })
}

/// Links a controlled document to the case (the responsible owner or a
/// quality manager). Linking one that is linked already changes nothing.
///
/// # Errors
/// `forbidden`, `not_case_handler`, `nonconformity_final`, `document_not_found`.
pub fn link_document(
    conn: &mut DbConn,
    policy: NcPolicy,
    by: &User,
    number: &str,
    document: &str,
    at: NaiveDateTime,
) -> AppResult<NonconformityView> {
    ask(by, "link_document")?;
    let document_id = document_id(conn, document)?;
    write_tx(conn, |conn| {
        let case = lock_case(conn, number, policy.today(at))?;
        let step = case.check(conn, "link_document", by)?;
        let linked: i64 = nc_documents::table
            .filter(nc_documents::nc_id.eq(&case.row.id))
            .filter(nc_documents::document_id.eq(&document_id))
            .count()
            .get_result(conn)?;
        if linked > 0 {
            return Ok(());
        }
        diesel::insert_into(nc_documents::table)
            .values((
                nc_documents::nc_id.eq(&case.row.id),
                nc_documents::document_id.eq(&document_id),
                nc_documents::linked_by.eq(by.id.as_str()),
                nc_documents::linked_at.eq(at),
            ))
            .execute(conn)?;
        commit_change(
            conn,
            by,
            &case,
            step,
            case.status,
            at,
            Event {
                action: "nonconformity.document_linked",
                summary: format!("{} linked {} to {number}", by.username, document.trim()),
                diff: Diff::new().created("document", &document.trim()),
            },
        )
    })?;
    get(conn, number, by)
}
