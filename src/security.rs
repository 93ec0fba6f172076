//! What every answer and every unsafe request goes through: the security
//! headers, and the refusal of cross-site requests that change something.
//!
//! - [`headers`] adds a Content-Security-Policy, frame protection,
//!   `X-Content-Type-Options: nosniff` and a Referrer-Policy to every answer
//!   that did not set its own (downloads and the SVG map set theirs).
//! - [`origin_guard`] refuses a POST, PUT, PATCH or DELETE whose `Origin` (or,
//!   without one, `Sec-Fetch-Site`) says it came from another site, with 403
//!   `cross_site_request`. Same-origin means the `Origin` is the configured
//!   `public_url` or names the request's own `Host`. A request with neither
//!   header (curl, scripts) passes on to the CSRF token or the API's rules.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web;

use crate::error::{AppError, Code, ErrorKind};
use crate::state::AppState;

/// The policy of every page: our own scripts, styles and images only (and
/// `data:` images), never framed, forms only to us.
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/// The policy of a served SVG document (the process map): nothing but its
/// own inline style. It is a document of its own, opened or downloaded.
pub const SVG_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

/// Adds the security headers that an answer does not set itself.
///
/// # Errors
/// Whatever the inner service fails with.
pub async fn headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut res = next.call(req).await?;
    let h = res.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        if !h.contains_key(&name) {
            h.insert(name, header::HeaderValue::from_static(value));
        }
    }
    Ok(res)
}

/// The origin of an http(s) URL: `scheme://host[:port]`, lower case, the
/// scheme's default port left out; `None` for anything else.
pub fn origin_of(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    Some(format!(
        "{scheme}://{}",
        strip_default_port(scheme, authority)
    ))
}

fn strip_default_port<'a>(scheme: &str, authority: &'a str) -> &'a str {
    let default = if scheme == "https" { ":443" } else { ":80" };
    authority.strip_suffix(default).unwrap_or(authority)
}

/// Whether an `Origin` header value is this site: the configured public
/// origin, or an origin whose host and port are the request's `Host`.
pub fn same_origin(origin: &str, host: Option<&str>, public_origin: Option<&str>) -> bool {
    let Some(origin) = origin_of(origin.trim()) else {
        // `null` (sandboxed frames, some redirects) and garbage are not us.
        return false;
    };
    if public_origin == Some(origin.as_str()) {
        return true;
    }
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    host.map(|h| h.trim().to_ascii_lowercase())
        .is_some_and(|h| !h.is_empty() && strip_default_port(scheme, &h) == authority)
}

/// The refusal of a cross-site request.
pub fn cross_site() -> AppError {
    AppError::new(
        ErrorKind::Forbidden,
        Code::CrossSiteRequest,
        "this request came from another site and was refused; use Laatu's own pages",
    )
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Whether an unsafe request may go on, judged by `Origin`, else by
/// `Sec-Fetch-Site`; a request with neither passes.
fn allowed(req: &ServiceRequest, public_origin: Option<&str>) -> bool {
    let headers = req.headers();
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        return origin
            .to_str()
            .is_ok_and(|o| same_origin(o, host, public_origin));
    }
    match headers.get("sec-fetch-site").map(|v| v.to_str()) {
        None => true,
        Some(Ok(site)) => matches!(site.trim(), "same-origin" | "none"),
        Some(Err(_)) => false,
    }
}

/// Refuses unsafe cross-site requests with 403 `cross_site_request` (an
/// error response the pages' error handler turns into a page).
///
/// # Errors
/// Whatever the inner service fails with.
pub async fn origin_guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if is_unsafe(req.method()) {
        let public_origin = req
            .app_data::<web::Data<AppState>>()
            .and_then(|s| s.config.public_origin().ok().flatten());
        if !allowed(&req, public_origin.as_deref()) {
            tracing::warn!(
                origin = ?req.headers().get(header::ORIGIN),
                path = req.path(),
                "cross-site request refused"
            );
            return Ok(req.error_response(cross_site()).map_into_right_body());
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised() {
        assert_eq!(
            origin_of("HTTPS://Laatu.Example:443/x").as_deref(),
            Some("https://laatu.example")
        );
        assert_eq!(origin_of("http://h:8080").as_deref(), Some("http://h:8080"));
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("ftp://h"), None);
        assert_eq!(origin_of("https://u@h"), None);
    }

    #[test]
    fn same_origin_is_the_host_or_the_public_address() {
        assert!(same_origin(
            "http://127.0.0.1:8080",
            Some("127.0.0.1:8080"),
            None
        ));
        assert!(same_origin(
            "https://q.example",
            Some("q.example:443"),
            None
        ));
        assert!(same_origin(
            "https://q.example",
            Some("10.0.0.5:8080"),
            Some("https://q.example")
        ));
        assert!(!same_origin(
            "https://evil.example",
            Some("q.example"),
            None
        ));
        assert!(!same_origin(
            "http://q.example:8081",
            Some("q.example:8080"),
            None
        ));
        assert!(!same_origin("null", Some("q.example"), None));
        assert!(!same_origin("https://q.example", None, None));
    }
}
