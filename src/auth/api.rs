//! JSON API: session, me, tokens, users.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::extract::{CurrentUser, SESSION_COOKIE};
use super::model::{ApiToken, NewPassword, Role, User};
use super::service::{self, CreatedToken, LoginAttempt, LoginPolicy, NewUser, UserChanges};
use super::throttle::{ThrottlePolicy, client_address};
use crate::audit::Actor;
use crate::db;
use crate::error::{AppError, AppResult, Code, ErrorBody};
use crate::json::JsonBody;
use crate::kit::list::Page;
use crate::state::AppState;

/// Adds sessions, the caller's own account, API tokens and user administration to the `/api/v1` scope.
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

/// The login rules the configuration sets.
pub fn login_policy(state: &AppState) -> LoginPolicy {
    let c = &state.config;
    LoginPolicy {
        throttle: ThrottlePolicy {
            free_failures: c.login_free_failures,
            base_delay_ms: c.login_failure_delay_ms,
            max_delay_ms: c.login_max_delay_ms,
            forget: chrono::TimeDelta::hours(i64::from(c.login_throttle_forget_hours)),
        },
        session_length: chrono::TimeDelta::hours(i64::from(c.session_hours)),
    }
}

/// The session cookie for a new login.
pub fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(state.config.secure_cookies())
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

/// A refused login as the handlers answer it.
#[derive(Debug)]
pub struct LoginRefused {
    /// The refusal to answer with.
    pub error: AppError,
    /// Seconds for `Retry-After`, while the name and address are held back.
    pub retry_after_secs: Option<u64>,
}

/// Adds `Retry-After` to an answer, when there is one to give.
pub fn add_retry_after(res: &mut HttpResponse, secs: Option<u64>) {
    if let Some(secs) = secs {
        res.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from(secs),
        );
    }
}

impl From<AppError> for LoginRefused {
    fn from(error: AppError) -> Self {
        LoginRefused {
            error,
            retry_after_secs: None,
        }
    }
}

/// Checks the password and opens a session. After repeated failures of the
/// name from this client the answer waits: on the timer (`tokio::time::sleep`),
/// never on a worker thread; the argon2 and database work runs in `web::block`.
///
/// # Errors
/// `invalid_credentials`, `login_throttled`, `account_disabled`.
pub async fn do_login(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    username: String,
    password: String,
) -> Result<service::LoginSuccess, LoginRefused> {
    let policy = login_policy(state);
    let attempt = LoginAttempt {
        username,
        password,
        client: client_address(req, &state.config.trusted_proxies),
    };
    let state2 = state.clone();
    let outcome = web::block(move || {
        // By the application's clock, as `db::run` would.
        state2.pool.clock().enter(|| {
            let mut conn = state2.pool.get()?;
            Ok::<_, AppError>(service::login(
                &mut conn,
                &state2.passwords,
                &policy,
                &attempt,
            ))
        })
    })
    .await
    .map_err(AppError::from)??;
    match outcome {
        Ok(success) => Ok(success),
        Err(failure) => {
            if failure.delay_ms > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(failure.delay_ms)).await;
            }
            Err(LoginRefused {
                error: failure.error,
                retry_after_secs: failure.retry_after_secs,
            })
        }
    }
}

/// Credentials for `POST /api/v1/session`.
#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    /// The username (any case; it is compared as typed, trimmed and lower-cased).
    pub username: String,
    /// The password.
    pub password: String,
}

/// Log in: sets the session cookie and returns the user.
#[utoipa::path(
    tag = "session",
    security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; `laatu_session` cookie set", body = User),
        (status = 401, description = "Wrong username or password (the same answer for a name without an account), or account disabled", body = ErrorBody),
        (status = 429, description = "Too many failed logins for this name from this address: wait `Retry-After` seconds", body = ErrorBody),
    )
)]
#[post("/session")]
async fn create_session(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<LoginRequest>,
) -> AppResult<HttpResponse> {
    let body = body.parse()?;
    match do_login(&state, &req, body.username, body.password).await {
        Ok(success) => Ok(HttpResponse::Ok()
            .cookie(session_cookie(&state, success.token))
            .json(success.user)),
        Err(refused) => {
            let mut res = actix_web::ResponseError::error_response(&refused.error);
            add_retry_after(&mut res, refused.retry_after_secs);
            Ok(res)
        }
    }
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

/// Changes a user makes to their own account; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
pub struct MeChanges {
    /// `en`, `fi`, or null for the browser's language.
    #[serde(default, with = "::serde_with::rust::double_option")]
    #[schema(value_type = Option<String>, nullable)]
    pub language: Option<Option<String>>,
    /// The name shown to others.
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    /// An e-mail address, or empty for none.
    pub email: Option<String>,
    /// E-mail about what waits: `immediate` (a mail for each task as it
    /// comes), `digest` (one mail a day) or `off`.
    #[schema(value_type = Option<crate::mail::MailChoice>)]
    pub mail: Option<String>,
}

/// Change one's own language, display name, e-mail address, or which mails one gets.
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
                    AppError::invalid(Code::UnknownLanguage, "language must be `en` or `fi`")
                })?
                .code()
                .to_string(),
        )),
        Some(None) => Some(None),
        None => None,
    };
    let mail = body
        .mail
        .as_deref()
        .map(crate::mail::MailChoice::parse)
        .transpose()?;
    let changes = UserChanges {
        display_name: body.display_name,
        email: body.email,
        language,
        mail,
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

/// A change of one's own password.
#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    /// The password in use now.
    pub current_password: String,
    /// The new password.
    #[schema(min_length = 10, max_length = 1024)]
    pub new_password: String,
}

/// Change one's own password; the other sessions end and the API tokens are
/// revoked (all but the token this request uses, if it uses one).
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
    db::run(&state.pool, move |c| {
        service::change_own_password(
            c,
            &who.user,
            &body.current_password,
            &body.new_password,
            Some(&who.credential),
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
    Ok(web::Json(Page::whole(items)))
}

/// A new API token.
#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// What the token is for, to tell it apart in the list.
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

/// Which page of a list to show.
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

/// A new user, as an admin gives it.
#[derive(Deserialize, ToSchema)]
pub struct UserRequest {
    /// The login name: lower-case letters, digits, `.`, `_` and `-`.
    #[schema(min_length = 2, max_length = 64, pattern = r"^[a-z0-9][a-z0-9._-]*$")]
    pub username: String,
    /// The name shown to others (default: the username).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub display_name: String,
    /// An e-mail address, or empty for none.
    #[serde(default)]
    pub email: String,
    /// The first password; the user may change it later.
    #[schema(min_length = 10, max_length = 1024)]
    pub password: String,
    /// The roles to give, at least one.
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

/// Changes an admin makes to a user; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
pub struct UserPatch {
    /// The name shown to others.
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    /// An e-mail address, or empty for none.
    pub email: Option<String>,
    /// The user's roles, replacing those held (at least one).
    #[schema(value_type = Option<Vec<crate::auth::model::Role>>)]
    pub roles: Option<Vec<String>>,
    /// Expiry (UTC); null removes it.
    #[serde(default, with = "::serde_with::rust::double_option")]
    #[schema(value_type = Option<String>, nullable)]
    pub expires_at: Option<Option<String>>,
    /// `false` deactivates the account: its sessions and tokens stop at once.
    pub active: Option<bool>,
    /// `true` lifts the login delays of the account's name from every address.
    #[serde(default)]
    pub unlock: bool,
    /// The `version` you read; a newer one answers 409.
    pub version: Option<i32>,
}

/// Change a user (admins): roles, expiry, deactivation (revokes the API
/// tokens for good), lifting login delays.
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
        mail: None,
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

/// A password an admin sets for a user.
#[derive(Deserialize, ToSchema)]
pub struct PasswordReset {
    /// The new password.
    #[schema(min_length = 10, max_length = 1024)]
    pub password: String,
}

/// Set a user's password (admins); the user's sessions end and their API
/// tokens are revoked.
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
    // An admin resetting their own password keeps the credential they use.
    let keep = (username == who.user.username).then_some(who.credential);
    db::run(&state.pool, move |c| {
        service::set_password(c, &actor, &username, &password, keep.as_ref())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
