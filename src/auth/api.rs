//! JSON API: session, me, tokens, users.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::extract::{CurrentUser, SESSION_COOKIE};
use super::model::{ApiToken, NewPassword, Role, User};
use super::service::{self, CreatedToken, LoginPolicy, NewUser, UserChanges};
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::JsonBody;
use crate::listing::Page;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_session)
        .service(delete_session)
        .service(get_me)
        .service(patch_me)
        .service(change_my_password)
        .service(list_tokens)
        .service(create_token)
        .service(revoke_token)
        .service(list_users)
        .service(create_user)
        .service(get_user)
        .service(patch_user)
        .service(set_user_password);
}

/// Roles that may see the list of users.
pub const USER_READERS: &[Role] = &[Role::Admin, Role::QualityManager, Role::Auditor];

pub fn login_policy(state: &AppState) -> LoginPolicy {
    LoginPolicy {
        max_failures: state.config.login_max_failures,
        lockout: chrono::TimeDelta::minutes(i64::from(state.config.login_lockout_minutes)),
        base_delay_ms: state.config.login_failure_delay_ms,
        session_length: chrono::TimeDelta::hours(i64::from(state.config.session_hours)),
    }
}

/// The session cookie for a new login.
pub fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(state.config.secure_cookies)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::hours(i64::from(state.config.session_hours)))
        .finish()
}

/// A cookie that removes the session cookie.
pub fn cleared_session_cookie(state: &AppState) -> Cookie<'static> {
    let mut c = session_cookie(state, String::new());
    c.make_removal();
    c
}

/// Checks the password and opens a session, waiting first after repeated failures.
///
/// # Errors
/// `invalid_credentials`, `account_locked`, `account_disabled`.
pub async fn do_login(
    state: &web::Data<AppState>,
    username: String,
    password: String,
) -> AppResult<service::LoginSuccess> {
    let policy = login_policy(state);
    let pool = state.pool.clone();
    let outcome = web::block(move || {
        let mut conn = pool.get()?;
        Ok::<_, AppError>(service::login(&mut conn, &policy, &username, &password))
    })
    .await??;
    match outcome {
        Ok(success) => Ok(success),
        Err(failure) => {
            if failure.delay_ms > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(failure.delay_ms)).await;
            }
            Err(failure.error)
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// Log in: sets the session cookie and returns the user.
#[utoipa::path(
    tag = "session",
    security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; `laatu_session` cookie set", body = User),
        (status = 401, description = "Wrong username or password, or account disabled", body = ErrorBody),
        (status = 429, description = "Account locked after failed logins", body = ErrorBody),
    )
)]
#[post("/session")]
async fn create_session(
    state: web::Data<AppState>,
    body: JsonBody<LoginRequest>,
) -> AppResult<HttpResponse> {
    let body = body.parse()?;
    let success = do_login(&state, body.username, body.password).await?;
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(&state, success.token))
        .json(success.user))
}

/// Log out: ends the session of the cookie.
#[utoipa::path(
    tag = "session",
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
#[delete("/session")]
async fn delete_session(state: web::Data<AppState>, who: CurrentUser) -> AppResult<HttpResponse> {
    if let Some(id) = who.session_id().map(str::to_string) {
        let user = who.user.clone();
        db::run(&state.pool, move |c| service::end_session(c, &user, &id)).await?;
    }
    Ok(HttpResponse::NoContent()
        .cookie(cleared_session_cookie(&state))
        .finish())
}

/// The caller and their roles.
#[utoipa::path(
    tag = "me",
    responses((status = 200, body = User), (status = 401, body = ErrorBody))
)]
#[get("/me")]
async fn get_me(who: CurrentUser) -> web::Json<User> {
    web::Json(who.user)
}

#[derive(Deserialize, ToSchema)]
pub struct MeChanges {
    /// `en`, `fi`, or null for the browser's language.
    #[serde(default, with = "::serde_with::rust::double_option")]
    #[schema(value_type = Option<String>, nullable)]
    pub language: Option<Option<String>>,
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    pub email: Option<String>,
}

/// Change one's own language, display name or e-mail.
#[utoipa::path(
    tag = "me",
    request_body = MeChanges,
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/me")]
async fn patch_me(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: JsonBody<MeChanges>,
) -> AppResult<web::Json<User>> {
    let body = body.parse()?;
    let language = match body.language {
        Some(Some(l)) => Some(Some(
            crate::i18n::Lang::parse(&l)
                .ok_or_else(|| {
                    AppError::invalid("unknown_language", "language must be `en` or `fi`")
                })?
                .code()
                .to_string(),
        )),
        Some(None) => Some(None),
        None => None,
    };
    let changes = UserChanges {
        display_name: body.display_name,
        email: body.email,
        language,
        ..UserChanges::default()
    };
    let actor = who.actor();
    let username = who.user.username.clone();
    let user = db::run(&state.pool, move |c| {
        service::update_user(c, &actor, &username, changes)
    })
    .await?;
    Ok(web::Json(user))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    #[schema(min_length = 10, max_length = 1024)]
    pub new_password: String,
}

/// Change one's own password; other sessions end.
#[utoipa::path(
    tag = "me",
    request_body = PasswordChange,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/me/password")]
async fn change_my_password(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: JsonBody<PasswordChange>,
) -> AppResult<HttpResponse> {
    let body = body.parse()?;
    let session = who.session_id().map(str::to_string);
    db::run(&state.pool, move |c| {
        service::change_own_password(
            c,
            &who.user,
            &body.current_password,
            &body.new_password,
            session.as_deref(),
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's API tokens (never the secrets).
#[utoipa::path(
    tag = "tokens",
    responses((status = 200, body = Page<ApiToken>), (status = 401, body = ErrorBody))
)]
#[get("/tokens")]
async fn list_tokens(
    state: web::Data<AppState>,
    who: CurrentUser,
) -> AppResult<web::Json<Page<ApiToken>>> {
    let items = db::run(&state.pool, move |c| service::list_tokens(c, &who.user.id)).await?;
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    Ok(web::Json(Page {
        per_page: total.max(1),
        items,
        total,
        page: 1,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
}

/// Create a personal API token; the token is in this answer only.
#[utoipa::path(
    tag = "tokens",
    request_body = TokenRequest,
    responses((status = 201, body = CreatedToken), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/tokens")]
async fn create_token(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: JsonBody<TokenRequest>,
) -> AppResult<HttpResponse> {
    let name = body.parse()?.name;
    let created = db::run(&state.pool, move |c| {
        service::create_token(c, &who.user, &name)
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Revoke an API token (one's own; an admin may revoke any).
#[utoipa::path(
    tag = "tokens",
    params(("id" = String, Path, description = "Token id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[delete("/tokens/{id}")]
async fn revoke_token(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    db::run(&state.pool, move |c| {
        service::revoke_token(c, &who.user, &id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Items a page (at most 200).
    pub per_page: Option<i64>,
}

/// List users (admins, quality managers, auditors).
#[utoipa::path(
    tag = "users",
    params(PageQuery),
    responses((status = 200, body = Page<User>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[get("/users")]
async fn list_users(
    state: web::Data<AppState>,
    who: CurrentUser,
    q: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<User>>> {
    who.user.require_any(USER_READERS)?;
    let q = q.into_inner();
    let page = db::run(&state.pool, move |c| {
        service::list_users(c, q.page, q.per_page)
    })
    .await?;
    Ok(web::Json(page))
}

#[derive(Deserialize, ToSchema)]
pub struct UserRequest {
    #[schema(min_length = 2, max_length = 64, pattern = r"^[a-z0-9][a-z0-9._-]*$")]
    pub username: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    #[schema(min_length = 10, max_length = 1024)]
    pub password: String,
    #[schema(value_type = Vec<crate::auth::model::Role>)]
    pub roles: Vec<String>,
    /// Account expiry, UTC: `2027-01-31` or `2027-01-31T12:00:00`.
    pub expires_at: Option<String>,
}

/// Create a user (admins).
#[utoipa::path(
    tag = "users",
    request_body = UserRequest,
    responses(
        (status = 201, body = User),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, description = "Username taken", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/users")]
async fn create_user(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: JsonBody<UserRequest>,
) -> AppResult<HttpResponse> {
    who.user.require_any(&[Role::Admin])?;
    let b = body.parse()?;
    let new = NewUser::parse(
        &b.username,
        &b.display_name,
        &b.email,
        &b.password,
        &b.roles,
        b.expires_at.as_deref(),
    )?;
    let actor = who.actor();
    let user = db::run(&state.pool, move |c| service::create_user(c, &actor, new)).await?;
    Ok(HttpResponse::Created().json(user))
}

/// One user (admins, quality managers, auditors).
#[utoipa::path(
    tag = "users",
    params(("username" = String, Path)),
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/users/{username}")]
async fn get_user(
    state: web::Data<AppState>,
    who: CurrentUser,
    username: web::Path<String>,
) -> AppResult<web::Json<User>> {
    who.user.require_any(USER_READERS)?;
    let username = username.into_inner();
    let user = db::run(&state.pool, move |c| {
        service::user_by_username(c, &username)
    })
    .await?;
    Ok(web::Json(user))
}

#[derive(Deserialize, ToSchema)]
pub struct UserPatch {
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    pub email: Option<String>,
    #[schema(value_type = Option<Vec<crate::auth::model::Role>>)]
    pub roles: Option<Vec<String>>,
    /// Expiry (UTC); null removes it.
    #[serde(default, with = "::serde_with::rust::double_option")]
    #[schema(value_type = Option<String>, nullable)]
    pub expires_at: Option<Option<String>>,
    /// `false` deactivates the account: its sessions and tokens stop at once.
    pub active: Option<bool>,
    /// `true` lifts a lockout after failed logins.
    #[serde(default)]
    pub unlock: bool,
    /// The `version` you read; a newer one answers 409.
    pub version: Option<i32>,
}

/// Change a user (admins): roles, expiry, deactivation, unlock.
#[utoipa::path(
    tag = "users",
    params(("username" = String, Path)),
    request_body = UserPatch,
    responses(
        (status = 200, body = User),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Changed by someone else, or the last admin", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[patch("/users/{username}")]
async fn patch_user(
    state: web::Data<AppState>,
    who: CurrentUser,
    username: web::Path<String>,
    body: JsonBody<UserPatch>,
) -> AppResult<web::Json<User>> {
    who.user.require_any(&[Role::Admin])?;
    let b = body.parse()?;
    let changes = UserChanges {
        display_name: b.display_name,
        email: b.email,
        roles: b.roles.as_deref().map(Role::parse_set).transpose()?,
        expires_at: match b.expires_at {
            None => None,
            Some(x) => Some(service::parse_expiry(x.as_deref())?),
        },
        active: b.active,
        language: None,
        unlock: b.unlock,
        version: b.version,
    };
    let actor = who.actor();
    let username = username.into_inner();
    let user = db::run(&state.pool, move |c| {
        service::update_user(c, &actor, &username, changes)
    })
    .await?;
    Ok(web::Json(user))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordReset {
    #[schema(min_length = 10, max_length = 1024)]
    pub password: String,
}

/// Set a user's password (admins); the user's sessions end.
#[utoipa::path(
    tag = "users",
    params(("username" = String, Path)),
    request_body = PasswordReset,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/users/{username}/password")]
async fn set_user_password(
    state: web::Data<AppState>,
    who: CurrentUser,
    username: web::Path<String>,
    body: JsonBody<PasswordReset>,
) -> AppResult<HttpResponse> {
    who.user.require_any(&[Role::Admin])?;
    let password = NewPassword::parse(&body.parse()?.password)?;
    let actor: Actor = who.actor();
    let username = username.into_inner();
    db::run(&state.pool, move |c| {
        service::set_password(c, &actor, &username, &password, None)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
