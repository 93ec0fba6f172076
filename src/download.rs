//! A file sent as a download: never shown inline, never sniffed, and
//! sandboxed should a browser open it anyway. Document attachments,
//! nonconformity evidence and CSV exports all leave through here.

use actix_web::HttpResponse;
use actix_web::http::header::{
    Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};

/// The `Content-Disposition` of a download (RFC 6266): the name in UTF-8 as
/// `filename*`, and a plain ASCII `filename` for clients that know no other.
pub fn disposition(filename: &str) -> ContentDisposition {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '%') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: filename.as_bytes().to_vec(),
            }),
        ],
    }
}

/// `body` as a download named `filename`, of type `content_type`.
pub fn attachment(filename: &str, content_type: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(disposition(filename))
        .insert_header(("x-content-type-options", "nosniff"))
        .insert_header(("content-security-policy", "sandbox"))
        .body(body)
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::TryIntoHeaderValue;

    #[test]
    fn names_go_as_utf8_with_an_ascii_fallback() {
        let value = super::disposition("Mittaus \"ä\".pdf")
            .try_into_value()
            .expect("header value");
        let text = value.to_str().expect("ascii header");
        assert!(text.starts_with("attachment"), "{text}");
        assert!(text.contains("filename=\"Mittaus ___.pdf\""), "{text}");
        assert!(
            text.contains("filename*=UTF-8''Mittaus%20%22%C3%A4%22.pdf"),
            "{text}"
        );
    }
}
