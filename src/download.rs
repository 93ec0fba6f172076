//! A file sent as a download: never shown inline, never sniffed, and
//! sandboxed should a browser open it anyway. Document attachments,
//! nonconformity evidence and CSV exports all leave through here.

use actix_web::HttpResponse;

/// `body` as a download named `filename`, of type `content_type`.
pub fn attachment(filename: &str, content_type: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "content-disposition",
            format!(
                "attachment; filename=\"{}\"",
                filename.replace(['"', '\r', '\n', '\\'], "")
            ),
        ))
        .insert_header(("x-content-type-options", "nosniff"))
        .insert_header(("content-security-policy", "sandbox"))
        .body(body)
}
