//! CSRF protection for HTML forms: a signed double-submit token.
//!
//! The browser holds a random `laatu_csrf` cookie (HttpOnly, SameSite=Strict);
//! every form carries `csrf_token = HMAC(server key, cookie)`. A cross-site
//! page can neither read the cookie nor compute the token. The cookie is
//! renewed at login, so a token planted before login is useless after it.
//! The JSON API needs no token: it accepts only `application/json` bodies or
//! bearer tokens, which a cross-site form cannot send.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::error::{AppError, ErrorKind};
use crate::state::AppState;

pub const CSRF_COOKIE: &str = "laatu_csrf";

/// A fresh random cookie value.
pub fn new_cookie_value() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The form token that belongs to a cookie value.
pub fn token_for(secret: &[u8], cookie_value: &str) -> String {
    // HMAC accepts keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(cookie_value.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `submitted` is the token for the request's cookie.
pub fn verify(secret: &[u8], req: &HttpRequest, submitted: &str) -> bool {
    match req.cookie(CSRF_COOKIE) {
        Some(c) if !c.value().is_empty() => {
            let expected = token_for(secret, c.value());
            expected.as_bytes().ct_eq(submitted.as_bytes()).into()
        }
        _ => false,
    }
}

pub fn csrf_refused() -> AppError {
    AppError::new(
        ErrorKind::Forbidden,
        "csrf_token_invalid",
        "the form has expired or did not come from this site; reload the page and try again",
    )
}

#[derive(Deserialize)]
struct TokenField {
    #[serde(default)]
    csrf_token: String,
}

/// A form body whose CSRF token has been checked. Parses repeated fields
/// (`roles=a&roles=b`) into `Vec`s.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.config.max_form_bytes)
            .unwrap_or(64 * 1024);
        let payload = payload.take();
        Box::pin(async move {
            let bytes = crate::body::read_request(&req, payload, limit, "malformed_form").await?;
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("no app state")))?;
            let token: TokenField = serde_html_form::from_bytes(&bytes)
                .map_err(|e| AppError::bad_request("malformed_form", e.to_string()))?;
            if !verify(&state.secret, &req, &token.csrf_token) {
                return Err(csrf_refused());
            }
            let value: T = serde_html_form::from_bytes(&bytes)
                .map_err(|e| AppError::invalid("invalid_form", e.to_string()))?;
            Ok(CsrfForm(value))
        })
    }
}
