//! CSRF protection for HTML forms: a token bound to the session.
//!
//! Every form carries `csrf_token = HMAC-SHA256(server key, binding)`, where
//! the binding is what proves who the browser is:
//!
//! - logged in: the stored SHA-256 of the session token (`session` tag), so a
//!   token is worth nothing with any other session, and a new login makes
//!   every earlier token useless;
//! - not logged in: the random `laatu_csrf` cookie (HttpOnly,
//!   SameSite=Strict; `anonymous` tag), accepted only by the few forms an
//!   anonymous visitor has ([`ANONYMOUS_FORMS`]: the login form and the
//!   language switch).
//!
//! A cross-site page can neither read the cookies nor compute the HMAC.
//! [`crate::security::origin_guard`] refuses cross-site unsafe requests
//! before the token is looked at. The JSON API needs no token: it accepts
//! only `application/json` bodies or bearer tokens, which a cross-site form
//! cannot send.

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

use super::extract::{CurrentUser, MaybeUser};
use super::service::Credential;
use crate::error::{AppError, Code, ErrorKind};
use crate::state::AppState;

/// The cookie holding the random binding of forms sent before logging in.
pub const CSRF_COOKIE: &str = "laatu_csrf";

/// The paths whose forms accept a token bound to the anonymous cookie.
pub const ANONYMOUS_FORMS: &[&str] = &["/login", "/language"];

/// A fresh random cookie value.
pub fn new_cookie_value() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What a form token is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding<'a> {
    /// The SHA-256 (hex) of the session token, as stored.
    Session(&'a str),
    /// A bearer API token's id (pages reached with a bearer token).
    ApiToken(&'a str),
    /// The anonymous `laatu_csrf` cookie value.
    Anonymous(&'a str),
}

impl<'a> Binding<'a> {
    /// The binding of a logged-in request.
    pub fn of(user: &'a CurrentUser) -> Binding<'a> {
        match &user.credential {
            Credential::Session { token_hash, .. } => Binding::Session(token_hash),
            Credential::ApiToken { id } => Binding::ApiToken(id),
        }
    }
}

/// The form token that belongs to a binding.
pub fn token_for(secret: &[u8], binding: &Binding<'_>) -> String {
    let (tag, value) = match binding {
        Binding::Session(v) => ("session", v),
        Binding::ApiToken(v) => ("api_token", v),
        Binding::Anonymous(v) => ("anonymous", v),
    };
    // HMAC accepts keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(tag.as_bytes());
    mac.update(b"\n");
    mac.update(value.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `submitted` is the token for this request: for the session of a
/// logged-in request, else (on the [`ANONYMOUS_FORMS`] only) for the
/// request's `laatu_csrf` cookie.
pub fn verify(
    secret: &[u8],
    req: &HttpRequest,
    user: Option<&CurrentUser>,
    submitted: &str,
) -> bool {
    let expected = match user {
        Some(u) => token_for(secret, &Binding::of(u)),
        None => match req.cookie(CSRF_COOKIE) {
            Some(c) if !c.value().is_empty() && ANONYMOUS_FORMS.contains(&req.path()) => {
                token_for(secret, &Binding::Anonymous(c.value()))
            }
            _ => return false,
        },
    };
    expected.as_bytes().ct_eq(submitted.as_bytes()).into()
}

/// The 403 `csrf_token_invalid` refusal of a form whose token does not match.
pub fn csrf_refused() -> AppError {
    AppError::new(
        ErrorKind::Forbidden,
        Code::CsrfTokenInvalid,
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
            let bytes =
                crate::body::read_request(&req, payload, limit, Code::MalformedForm).await?;
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("no app state")))?;
            let token: TokenField = serde_html_form::from_bytes(&bytes)
                .map_err(|e| AppError::bad_request(Code::MalformedForm, e.to_string()))?;
            let MaybeUser(user) = MaybeUser::extract(&req).await?;
            if !verify(&state.secret, &req, user.as_ref(), &token.csrf_token) {
                return Err(csrf_refused());
            }
            crate::kit::text::check_form(&bytes)?;
            let value: T = serde_html_form::from_bytes(&bytes)
                .map_err(|e| AppError::invalid(Code::InvalidForm, e.to_string()))?;
            Ok(CsrfForm(value))
        })
    }
}
