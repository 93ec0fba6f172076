//! Who is asking: a bearer API token or a session cookie, checked on every
//! request against the database, so deactivation and revocation act at once.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use super::model::User;
use super::service::{self, Credential};
use crate::db;
use crate::error::{AppError, AppResult, Code};
use crate::state::AppState;

/// The cookie holding the session token.
pub const SESSION_COOKIE: &str = "laatu_session";

/// The logged-in user; 401 `not_authenticated` when there is none.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The user, as loaded for this request.
    pub user: User,
    /// How the request proved who it is.
    pub credential: Credential,
}

impl CurrentUser {
    /// The id of the session, when the request came with a session cookie (not an API token).
    pub fn session_id(&self) -> Option<&str> {
        match &self.credential {
            Credential::Session { id, .. } => Some(id),
            Credential::ApiToken { .. } => None,
        }
    }

    /// The user as the audit trail names them.
    pub fn actor(&self) -> crate::audit::Actor {
        crate::audit::Actor::user(&self.user.id, &self.user.username)
    }
}

/// The user if logged in.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

#[derive(Clone)]
struct Resolved(Option<CurrentUser>);

async fn resolve(req: &HttpRequest) -> AppResult<Option<CurrentUser>> {
    if let Some(Resolved(found)) = req.extensions().get::<Resolved>() {
        return Ok(found.clone());
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no app state")))?
        .clone();
    let bearer = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
    let found = match (bearer, cookie) {
        (Some(token), _) => {
            let found = db::run(&state.pool, move |c| service::user_for_token(c, &token)).await?;
            if found.is_none() {
                // A wrong bearer token is an error even if a cookie came along.
                return Err(AppError::new(
                    crate::error::ErrorKind::Unauthenticated,
                    Code::InvalidToken,
                    "the API token is unknown, revoked, or its user cannot log in",
                ));
            }
            found
        }
        (None, Some(token)) => {
            db::run(&state.pool, move |c| service::user_for_session(c, &token)).await?
        }
        (None, None) => None,
    };
    let found = found.map(|(user, credential)| CurrentUser { user, credential });
    req.extensions_mut().insert(Resolved(found.clone()));
    Ok(found)
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { resolve(&req).await?.ok_or_else(AppError::unauthenticated) })
    }
}

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match resolve(&req).await {
                Ok(found) => Ok(MaybeUser(found)),
                // Pages treat a bad token like no login.
                Err(e) if e.code == Code::InvalidToken => Ok(MaybeUser(None)),
                Err(e) => Err(e),
            }
        })
    }
}
