//! HTML pages: login, logout, language, one's own account, and user administration.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::api::{add_retry_after, cleared_session_cookie, do_login, session_cookie};
use super::csrf::{self, CsrfForm};
use super::model::{NewPassword, Role};
use super::service::{self, NewUser, UserChanges};
use crate::db;
use crate::error::{AppError, AppResult, Code};
use crate::i18n::Lang;
use crate::mail::MailChoice;
use crate::pages::{LANG_COOKIE, PageCtx, csrf_cookie, safe_next, see_other};
use crate::state::AppState;

/// Adds the home page, login, language choice, one's own account and user administration pages.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/", home)
        .get("/login", login_page)
        .post("/login", login_submit)
        .post("/logout", logout)
        .post("/language", set_language)
        .get("/account", account_page)
        .post("/account/password", account_password)
        .post("/account/mail", account_mail)
        .post("/account/tokens", account_token_create)
        .post("/account/tokens/{id}/revoke", account_token_revoke)
        .get("/admin/users", users_page)
        .post("/admin/users", user_create)
        .get("/admin/users/new", user_new_page)
        .get("/admin/users/{username}", user_page)
        .post("/admin/users/{username}", user_update)
        .post("/admin/users/{username}/password", user_password);
}

async fn home(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    let user = page.require_user()?.user.clone();
    let at = crate::ids::now();
    let today = at.and_utc().with_timezone(&state.tz).date_naive();
    let cards = crate::db::run(&state.pool, move |c| {
        use crate::db::schema::processes;
        use diesel::prelude::*;
        let owned: Vec<(String, String)> = processes::table
            .filter(processes::owner_id.eq(&user.id.0))
            .filter(processes::status.eq("active"))
            .order(processes::code.asc())
            .select((processes::id, processes::code))
            .load(c)?;
        let reader = crate::area::Reader {
            whole: user.has_any(&[Role::QualityManager, Role::Auditor]),
            owned: owned.iter().map(|p| p.0.clone()).collect(),
            owned_codes: owned.into_iter().map(|p| p.1).collect(),
            user,
            at,
            today,
        };
        let mut cards = crate::area::cards_of(crate::AREAS, c, &reader)?;
        // What waits for the reader comes first.
        cards.sort_by_key(|(title, _)| *title != "dash-card-tasks");
        Ok((cards, reader.owned_codes))
    })
    .await?;
    let who = &page.require_user()?.user;
    let mut ctx = tera::Context::new();
    ctx.insert(
        "cards",
        &cards
            .0
            .iter()
            .map(|(title, figures)| serde_json::json!({ "title": title, "figures": figures }))
            .collect::<Vec<_>>(),
    );
    ctx.insert("owned", &cards.1);
    ctx.insert("is_auditor", &who.has_role(Role::Auditor));
    ctx.insert("is_qm", &who.has_role(Role::QualityManager));
    page.render(&state, "home.html", ctx)
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(
    state: web::Data<AppState>,
    page: PageCtx,
    q: web::Query<NextQuery>,
) -> AppResult<HttpResponse> {
    if page.user.is_some() {
        return Ok(see_other(&safe_next(q.next.as_deref())));
    }
    let mut ctx = tera::Context::new();
    ctx.insert("next", &safe_next(q.next.as_deref()));
    ctx.insert("username", "");
    page.render(&state, "login.html", ctx)
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

async fn login_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    page: PageCtx,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> AppResult<HttpResponse> {
    let next = safe_next(form.next.as_deref());
    match do_login(&state, &req, form.username.clone(), form.password).await {
        Ok(success) => Ok(HttpResponse::SeeOther()
            .insert_header((actix_web::http::header::LOCATION, next))
            .cookie(session_cookie(&state, success.token))
            // A fresh CSRF cookie: a token planted before login is worthless after it.
            .cookie(csrf_cookie(
                csrf::new_cookie_value(),
                state.config.secure_cookies(),
            ))
            .finish()),
        Err(refused) => {
            let mut ctx = tera::Context::new();
            ctx.insert("next", &next);
            ctx.insert("username", &form.username);
            let mut res = page.form_error(&state, "login.html", ctx, refused.error)?;
            add_retry_after(&mut res, refused.retry_after_secs);
            Ok(res)
        }
    }
}

#[derive(Deserialize)]
struct Empty {}

#[derive(Deserialize)]
struct BackForm {
    back: Option<String>,
}

async fn logout(
    state: web::Data<AppState>,
    page: PageCtx,
    form: Result<CsrfForm<Empty>, AppError>,
) -> AppResult<HttpResponse> {
    if page.user.is_none() {
        // Nothing to end (the session expired under a stale page): no token
        // to check, nothing a forged request could do.
        return Ok(see_other("/login"));
    }
    form?;
    if let Some(who) = page.user.clone()
        && let Some(id) = who.session_id().map(str::to_string)
    {
        db::run(&state.pool, move |c| {
            service::end_session(c, &who.user, &id)
        })
        .await?;
    }
    let mut res = see_other("/login");
    res.add_cookie(&cleared_session_cookie(&state))
        .map_err(AppError::internal)?;
    Ok(res)
}

#[derive(Deserialize)]
struct LanguageForm {
    lang: String,
    back: Option<String>,
}

async fn set_language(
    state: web::Data<AppState>,
    page: PageCtx,
    CsrfForm(form): CsrfForm<LanguageForm>,
) -> AppResult<HttpResponse> {
    let lang = Lang::parse(&form.lang)
        .ok_or_else(|| AppError::invalid(Code::UnknownLanguage, "language must be `en` or `fi`"))?;
    if let Some(who) = page.user.clone() {
        let actor = who.actor();
        let changes = UserChanges {
            language: Some(Some(lang.code().to_string())),
            ..UserChanges::default()
        };
        db::run(&state.pool, move |c| {
            service::update_user(c, &actor, &who.user.username, changes)
        })
        .await?;
    }
    let mut res = see_other(&safe_next(form.back.as_deref()));
    let cookie = actix_web::cookie::Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .same_site(actix_web::cookie::SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish();
    res.add_cookie(&cookie).map_err(AppError::internal)?;
    Ok(res)
}

async fn account_context(state: &AppState, page: &PageCtx) -> AppResult<tera::Context> {
    let who = page.require_user()?.clone();
    let id = who.user.id.clone();
    let tokens = db::run(&state.pool, move |c| service::list_tokens(c, &id)).await?;
    let mut ctx = tera::Context::new();
    ctx.insert("tokens", &tokens);
    let choices: Vec<&str> = MailChoice::ALL.iter().map(|c| c.as_str()).collect();
    ctx.insert("mail_choices", &choices);
    ctx.insert("my_mail", who.user.mail.as_str());
    ctx.insert("my_email", &who.user.email);
    ctx.insert("digest_hour", &state.config.mail_digest_hour);
    Ok(ctx)
}

async fn account_page(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    let ctx = account_context(&state, &page).await?;
    page.render(&state, "account.html", ctx)
}

#[derive(Deserialize)]
struct PasswordForm {
    current_password: String,
    new_password: String,
}

async fn account_password(
    state: web::Data<AppState>,
    page: PageCtx,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let result = db::run(&state.pool, move |c| {
        service::change_own_password(
            c,
            &who.user,
            &form.current_password,
            &form.new_password,
            Some(&who.credential),
        )
    })
    .await;
    match result {
        Ok(()) => Ok(see_other("/account?notice=password-changed")),
        Err(e) => {
            let ctx = account_context(&state, &page).await?;
            page.form_error(&state, "account.html", ctx, e)
        }
    }
}

#[derive(Deserialize)]
struct MailForm {
    mail: String,
}

async fn account_mail(
    state: web::Data<AppState>,
    page: PageCtx,
    CsrfForm(form): CsrfForm<MailForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let result = match MailChoice::parse(&form.mail) {
        Ok(mail) => {
            let actor = who.actor();
            let username = who.user.username.clone();
            db::run(&state.pool, move |c| {
                let changes = UserChanges {
                    mail: Some(mail),
                    ..UserChanges::default()
                };
                service::update_user(c, &actor, &username, changes)
            })
            .await
            .map(|_| ())
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other("/account?notice=mail-saved")),
        Err(e) => {
            let ctx = account_context(&state, &page).await?;
            page.form_error(&state, "account.html", ctx, e)
        }
    }
}

#[derive(Deserialize)]
struct TokenForm {
    name: String,
}

async fn account_token_create(
    state: web::Data<AppState>,
    page: PageCtx,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let result = db::run(&state.pool, move |c| {
        service::create_token(c, &who.user, &form.name)
    })
    .await;
    let mut ctx = account_context(&state, &page).await?;
    match result {
        Ok(created) => {
            // Shown once, on this answer only.
            ctx.insert("created_token", &created);
            page.render(&state, "account.html", ctx)
        }
        Err(e) => page.form_error(&state, "account.html", ctx, e),
    }
}

async fn account_token_revoke(
    state: web::Data<AppState>,
    page: PageCtx,
    id: web::Path<String>,
    CsrfForm(form): CsrfForm<BackForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let id = id.into_inner();
    db::run(&state.pool, move |c| {
        service::revoke_token(c, &who.user, &id)
    })
    .await?;
    let back = safe_next(Some(form.back.as_deref().unwrap_or("/account")));
    Ok(see_other(&format!("{back}?notice=token-revoked")))
}

#[derive(Deserialize)]
struct UsersQuery {
    page: Option<i64>,
}

async fn users_page(
    state: web::Data<AppState>,
    page: PageCtx,
    q: web::Query<UsersQuery>,
) -> AppResult<HttpResponse> {
    // Auditors read the accounts; only admins change them.
    let who = page.require_any(&[Role::Admin, Role::Auditor])?;
    let may_edit = who.user.has_role(Role::Admin);
    let n = q.page;
    let users = db::run(&state.pool, move |c| service::list_users(c, n, Some(100))).await?;
    let mut ctx = tera::Context::new();
    ctx.insert("may_edit", &may_edit);
    ctx.insert("pages", &users.pages());
    ctx.insert("users", &users);
    page.render(&state, "admin/users.html", ctx)
}

fn role_names() -> Vec<&'static str> {
    Role::ALL.iter().map(|r| r.as_str()).collect()
}

async fn user_new_page(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    page.require_any(&[Role::Admin])?;
    let mut ctx = tera::Context::new();
    ctx.insert("all_roles", &role_names());
    ctx.insert("form", &serde_json::json!({ "roles": ["staff"] }));
    page.render(&state, "admin/user_new.html", ctx)
}

#[derive(Deserialize, serde::Serialize)]
struct NewUserForm {
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default, skip_serializing)]
    password: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    expires_on: String,
}

async fn user_create(
    state: web::Data<AppState>,
    page: PageCtx,
    CsrfForm(form): CsrfForm<NewUserForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(&[Role::Admin])?.clone();
    let parsed = NewUser::parse(
        &form.username,
        &form.display_name,
        &form.email,
        &form.password,
        &form.roles,
        Some(&form.expires_on),
    );
    let result = match parsed {
        Ok(new) => {
            let actor = who.actor();
            db::run(&state.pool, move |c| service::create_user(c, &actor, new)).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(user) => Ok(see_other(&format!(
            "/admin/users/{}?notice=user-created",
            user.username
        ))),
        Err(e) => {
            let mut ctx = tera::Context::new();
            ctx.insert("all_roles", &role_names());
            ctx.insert("form", &form);
            page.form_error(&state, "admin/user_new.html", ctx, e)
        }
    }
}

async fn user_context(state: &AppState, username: String) -> AppResult<tera::Context> {
    let user = db::run(&state.pool, move |c| {
        service::user_by_username(c, &username)
    })
    .await?;
    let user_id = user.id.clone();
    let tokens = db::run(&state.pool, move |c| service::list_tokens(c, &user_id)).await?;
    let name = user.username.clone();
    let t = crate::ids::now();
    let delayed = db::run(&state.pool, move |c| super::throttle::pairs_of(c, &name))
        .await?
        .into_iter()
        .filter(|p| p.blocked_until.is_some_and(|u| u > t))
        .count();
    let mut ctx = tera::Context::new();
    ctx.insert("may_edit", &true);
    ctx.insert("login_delays", &delayed);
    ctx.insert("all_roles", &role_names());
    ctx.insert(
        "user_roles",
        &user.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
    );
    ctx.insert(
        "expires_on",
        &user
            .expires_at
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    );
    ctx.insert("subject", &user);
    ctx.insert("tokens", &tokens);
    Ok(ctx)
}

async fn user_page(
    state: web::Data<AppState>,
    page: PageCtx,
    username: web::Path<String>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(&[Role::Admin, Role::Auditor])?;
    let may_edit = who.user.has_role(Role::Admin);
    let mut ctx = user_context(&state, username.into_inner()).await?;
    ctx.insert("may_edit", &may_edit);
    page.render(&state, "admin/user.html", ctx)
}

#[derive(Deserialize)]
struct UserForm {
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    expires_on: String,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    unlock: Option<String>,
    version: i32,
}

async fn user_update(
    state: web::Data<AppState>,
    page: PageCtx,
    username: web::Path<String>,
    CsrfForm(form): CsrfForm<UserForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(&[Role::Admin])?.clone();
    let username = username.into_inner();
    let changes = (|| -> AppResult<UserChanges> {
        Ok(UserChanges {
            display_name: Some(form.display_name.clone()),
            email: Some(form.email.clone()),
            roles: Some(Role::parse_set(&form.roles)?),
            expires_at: Some(service::parse_expiry(Some(&form.expires_on))?),
            active: Some(form.active.is_some()),
            language: None,
            mail: None,
            unlock: form.unlock.is_some(),
            version: Some(form.version),
        })
    })();
    let result = match changes {
        Ok(changes) => {
            let actor = who.actor();
            let name = username.clone();
            db::run(&state.pool, move |c| {
                service::update_user(c, &actor, &name, changes)
            })
            .await
            .map(|_| ())
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/admin/users/{username}?notice=user-saved"
        ))),
        Err(e) => {
            let ctx = user_context(&state, username).await?;
            page.form_error(&state, "admin/user.html", ctx, e)
        }
    }
}

#[derive(Deserialize)]
struct ResetForm {
    password: String,
}

async fn user_password(
    state: web::Data<AppState>,
    page: PageCtx,
    username: web::Path<String>,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(&[Role::Admin])?.clone();
    let username = username.into_inner();
    let result = match NewPassword::parse(&form.password) {
        Ok(password) => {
            let actor = who.actor();
            let name = username.clone();
            // An admin resetting their own password stays logged in.
            let keep = (name == who.user.username).then(|| who.credential.clone());
            db::run(&state.pool, move |c| {
                service::set_password(c, &actor, &name, &password, keep.as_ref())
            })
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/admin/users/{username}?notice=password-set"
        ))),
        Err(e) => {
            let ctx = user_context(&state, username).await?;
            page.form_error(&state, "admin/user.html", ctx, e)
        }
    }
}
