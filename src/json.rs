//! JSON request bodies that are parsed after the role check.
//!
//! actix's `web::Json` extractor parses the body before the handler runs,
//! so a caller without the right role would learn about validation (422)
//! before being refused (403). `JsonBody` only reads the bytes; the handler
//! checks the role and then calls [`JsonBody::parse`].

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use serde::de::DeserializeOwned;

use crate::error::{AppError, AppResult, Code};
use crate::state::AppState;

/// A JSON body, read but not yet parsed.
pub struct JsonBody<T> {
    bytes: web::Bytes,
    content_type_ok: bool,
    _t: PhantomData<T>,
}

impl<T: DeserializeOwned> JsonBody<T> {
    /// Whether no body was sent (for routes whose body is optional).
    pub fn is_empty(&self) -> bool {
        self.bytes.iter().all(u8::is_ascii_whitespace)
    }

    /// Parses the body.
    ///
    /// # Errors
    /// `unsupported_content_type` (400), `malformed_json` (400),
    /// `control_character` or `bidi_control` (422, in any string of the
    /// body: see [`crate::kit::text`]) or `invalid_json` (422); reading it
    /// already refused a body over `max_json_bytes` (413 `payload_too_large`).
    pub fn parse(self) -> AppResult<T> {
        if !self.content_type_ok {
            return Err(AppError::bad_request(
                Code::UnsupportedContentType,
                "send the body as application/json",
            ));
        }
        let value: serde_json::Value = serde_json::from_slice(&self.bytes)
            .map_err(|e| AppError::bad_request(Code::MalformedJson, e.to_string()))?;
        crate::kit::text::check_json(&value)?;
        serde_json::from_value(value)
            .map_err(|e| AppError::invalid(Code::InvalidJson, e.to_string()))
    }
}

impl<T: 'static> FromRequest for JsonBody<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.config.max_json_bytes)
            .unwrap_or(1024 * 1024);
        let content_type_ok = req
            .mime_type()
            .ok()
            .flatten()
            .is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON));
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let bytes =
                crate::body::read_request(&req, payload, limit, Code::MalformedJson).await?;
            Ok(JsonBody {
                bytes: bytes.into(),
                content_type_ok,
                _t: PhantomData,
            })
        })
    }
}
