//! Reading request bodies with a size limit: one reader for JSON bodies,
//! forms and raw uploads, so every body over its limit is refused the same
//! way: `413 payload_too_large`.

use actix_web::HttpRequest;
use actix_web::http::header;
use futures_util::{Stream, StreamExt};

use crate::error::{AppError, AppResult, Code};

/// The `Content-Length` the client announced, if any.
pub fn announced_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok())
}

/// Reads a body stream up to `limit` bytes.
///
/// # Errors
/// `payload_too_large` (413) as soon as the body passes `limit`; the given
/// `read_error` code (400) when the stream breaks off.
pub async fn read_limited<S, B, E>(
    mut stream: S,
    limit: usize,
    read_error: Code,
) -> AppResult<Vec<u8>>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
    E: std::fmt::Display,
{
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk
            .map_err(|e| AppError::bad_request(read_error, format!("cannot read the body: {e}")))?;
        let chunk = chunk.as_ref();
        if body.len() + chunk.len() > limit {
            return Err(AppError::payload_too_large(limit));
        }
        body.extend_from_slice(chunk);
    }
    Ok(body)
}

/// Reads the body of `req` up to `limit` bytes, refusing at once a body
/// whose announced length is over the limit.
///
/// # Errors
/// As [`read_limited`].
pub async fn read_request(
    req: &HttpRequest,
    payload: actix_web::dev::Payload,
    limit: usize,
    read_error: Code,
) -> AppResult<Vec<u8>> {
    if announced_length(req).is_some_and(|n| n > limit) {
        return Err(AppError::payload_too_large(limit));
    }
    read_limited(payload, limit, read_error).await
}
