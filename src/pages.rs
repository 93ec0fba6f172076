//! What every HTML page shares: the language, the user, the CSRF token, the
//! navigation, rendering, and error pages.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};
use serde::Serialize;

use crate::auth::csrf::{self, Binding, CSRF_COOKIE};
use crate::auth::extract::{CurrentUser, MaybeUser};
use crate::auth::model::Role;
use crate::error::{AppError, AppResult, Code, ErrorKind};
use crate::i18n::{self, Lang};
use crate::state::AppState;

/// The cookie holding the language chosen before logging in.
pub const LANG_COOKIE: &str = "laatu_lang";

/// The context of one page request.
#[derive(Clone)]
pub struct PageCtx {
    /// The language the page is drawn in.
    pub lang: Lang,
    /// The logged-in user, if any.
    pub user: Option<CurrentUser>,
    /// The CSRF token the page's forms carry.
    pub csrf_token: String,
    /// A CSRF cookie to set, when the browser had none.
    new_csrf_cookie: Option<String>,
    /// The request's path, for the navigation and `next` links.
    pub path: String,
    /// The request's query string.
    pub query: String,
    /// How many tasks wait for the logged-in user (the navigation shows it).
    pub tasks: usize,
    secure: bool,
}

/// Language: the user's setting, else the language cookie, else
/// `Accept-Language`, else the configured default.
pub fn choose_lang(req: &HttpRequest, user: Option<&CurrentUser>, default: Lang) -> Lang {
    user.and_then(|u| u.user.lang())
        .or_else(|| req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value())))
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(default)
}

#[derive(Serialize)]
struct Nav {
    users: bool,
    audit: bool,
    surveys: bool,
    evidence: bool,
    tasks: usize,
}

#[derive(Serialize)]
struct PageUser<'a> {
    username: &'a str,
    display_name: &'a str,
    roles: Vec<&'static str>,
}

impl PageCtx {
    async fn extract(req: HttpRequest) -> AppResult<PageCtx> {
        let state = state(&req)?;
        let MaybeUser(user) = MaybeUser::extract(&req).await?;
        let default = Lang::parse(&state.config.default_language).unwrap_or_default();
        let lang = choose_lang(&req, user.as_ref(), default);
        // Logged in: the token is bound to the session. Anonymous: to the
        // `laatu_csrf` cookie, made here when the browser has none.
        let (csrf_token, new_csrf_cookie) = match &user {
            Some(u) => (csrf::token_for(&state.secret, &Binding::of(u)), None),
            None => match req.cookie(CSRF_COOKIE) {
                Some(c) if c.value().len() == 64 => (
                    csrf::token_for(&state.secret, &Binding::Anonymous(c.value())),
                    None,
                ),
                _ => {
                    let v = csrf::new_cookie_value();
                    (
                        csrf::token_for(&state.secret, &Binding::Anonymous(&v)),
                        Some(v),
                    )
                }
            },
        };
        let tasks = match &user {
            Some(u) => {
                let who = u.user.clone();
                crate::db::run(&state.pool, move |c| {
                    crate::tasks::for_user(c, &who, crate::ids::now())
                })
                .await?
                .len()
            }
            None => 0,
        };
        Ok(PageCtx {
            lang,
            csrf_token,
            new_csrf_cookie,
            tasks,
            user,
            path: req.path().to_string(),
            query: req.query_string().to_string(),
            secure: state.config.secure_cookies(),
        })
    }

    /// The logged-in user, or 401 (which pages turn into the login page).
    ///
    /// # Errors
    /// `not_authenticated`.
    pub fn require_user(&self) -> AppResult<&CurrentUser> {
        self.user.as_ref().ok_or_else(AppError::unauthenticated)
    }

    /// The logged-in user holding one of `roles`.
    ///
    /// # Errors
    /// `not_authenticated` or `forbidden`.
    pub fn require_any(&self, roles: &[Role]) -> AppResult<&CurrentUser> {
        let u = self.require_user()?;
        u.user.require_any(roles)?;
        Ok(u)
    }

    /// A message from the catalog in the page's language.
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    /// Renders a template with the shared variables.
    ///
    /// # Errors
    /// A template fault (internal).
    pub fn render(
        &self,
        state: &AppState,
        template: &str,
        mut ctx: tera::Context,
    ) -> AppResult<HttpResponse> {
        self.fill(&mut ctx);
        let html = state
            .templates
            .render(template, &ctx)
            .map_err(|e| AppError::internal(anyhow::anyhow!("template {template}: {e:?}")))?;
        let mut res = HttpResponse::Ok();
        res.content_type("text/html; charset=utf-8");
        self.add_cookies(&mut res);
        Ok(res.body(html))
    }

    /// Shows a form page again with the refusal of the attempt (translated),
    /// keeping what the person typed in `ctx`; faults and "log in first" pass on.
    ///
    /// # Errors
    /// `e` itself when it is not a refusal a form can show.
    pub fn form_error(
        &self,
        state: &AppState,
        template: &str,
        mut ctx: tera::Context,
        e: AppError,
    ) -> AppResult<HttpResponse> {
        let shown = is_user_error(&e)
            || matches!(e.kind, ErrorKind::Forbidden | ErrorKind::TooManyRequests)
            || (e.kind == ErrorKind::Unauthenticated && e.code != Code::NotAuthenticated);
        if !shown {
            return Err(e);
        }
        let status = actix_web::ResponseError::status_code(&e);
        let text = i18n::try_t(self.lang, &format!("error-{}", e.code)).unwrap_or(e.message);
        ctx.insert("error", &text);
        let mut res = self.render(state, template, ctx)?;
        *res.status_mut() = status;
        Ok(res)
    }

    fn fill(&self, ctx: &mut tera::Context) {
        ctx.insert("lang", &self.lang);
        ctx.insert("languages", &Lang::ALL);
        ctx.insert("csrf_token", &self.csrf_token);
        ctx.insert("path", &self.path);
        let here = if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        };
        ctx.insert("here", &here);
        let user = self.user.as_ref().map(|u| PageUser {
            username: &u.user.username,
            display_name: &u.user.display_name,
            roles: u.user.roles.iter().map(|r| r.as_str()).collect(),
        });
        ctx.insert("user", &user);
        let has = |roles: &[Role]| self.user.as_ref().is_some_and(|u| u.user.has_any(roles));
        ctx.insert(
            "nav",
            &Nav {
                users: has(&[Role::Admin, Role::Auditor]),
                audit: has(&[Role::Admin, Role::QualityManager, Role::Auditor]),
                surveys: has(crate::feedback::service::READERS),
                evidence: has(crate::evidence::api::EXPORTERS),
                tasks: self.tasks,
            },
        );
        if let Some(notice) = notice_from_query(&self.query)
            && let Some(text) = i18n::try_t(self.lang, &format!("notice-{notice}"))
        {
            ctx.insert("notice", &text);
        }
    }

    fn add_cookies(&self, res: &mut actix_web::HttpResponseBuilder) {
        if let Some(v) = &self.new_csrf_cookie {
            res.cookie(csrf_cookie(v.clone(), self.secure));
        }
    }
}

fn notice_from_query(query: &str) -> Option<String> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("notice="))
        .filter(|v| v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_string)
}

/// The CSRF cookie.
pub fn csrf_cookie(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(CSRF_COOKIE, value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish()
}

fn state(req: &HttpRequest) -> AppResult<web::Data<AppState>> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no app state")))
}

impl FromRequest for PageCtx {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let ctx = PageCtx::extract(req.clone()).await?;
            req.extensions_mut().insert(ctx.lang);
            // The error page draws with it: the reader's navigation and language.
            req.extensions_mut().insert(ctx.clone());
            Ok(ctx)
        })
    }
}

/// A file sent with a form.
pub struct UploadedFile {
    /// The file's name as the browser sent it.
    pub filename: String,
    /// Its media type, as the browser sent it.
    pub content_type: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// A `multipart/form-data` form whose CSRF token has been checked: its text
/// fields and the file in the field named `file`, if one was chosen.
pub struct Upload {
    /// The text fields, by name (the last of a repeated name).
    pub fields: std::collections::HashMap<String, String>,
    /// Every text field in the order sent, repeated names included
    /// (checkboxes of one name).
    pub pairs: Vec<(String, String)>,
    /// The file, if one was chosen.
    pub file: Option<UploadedFile>,
    /// Files chosen in fields of other names, by name.
    pub files: Vec<(String, UploadedFile)>,
}

impl Upload {
    /// A text field, or "" when absent.
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// Reads a multipart form, refusing parts larger than
/// `max_attachment_bytes`, then checks its `csrf_token`.
///
/// # Errors
/// `malformed_form`, `payload_too_large`, `csrf_token_invalid`.
pub async fn read_upload(
    state: &AppState,
    req: &HttpRequest,
    mut form: actix_multipart::Multipart,
) -> AppResult<Upload> {
    use futures_util::StreamExt;
    let limit = state.config.max_attachment_bytes;
    let mut upload = Upload {
        fields: std::collections::HashMap::new(),
        pairs: Vec::new(),
        file: None,
        files: Vec::new(),
    };
    while let Some(field) = form.next().await {
        let mut field =
            field.map_err(|e| AppError::bad_request(Code::MalformedForm, e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        let filename = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        let content_type = field
            .content_type()
            .map(ToString::to_string)
            .unwrap_or_default();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk =
                chunk.map_err(|e| AppError::bad_request(Code::MalformedForm, e.to_string()))?;
            if bytes.len() + chunk.len() > limit {
                return Err(AppError::payload_too_large(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        match (name.as_str(), filename) {
            ("file", Some(filename)) if !filename.is_empty() => {
                upload.file = Some(UploadedFile {
                    filename,
                    content_type,
                    bytes,
                });
            }
            ("file", _) => {}
            (_, Some(filename)) => {
                if !filename.is_empty() && !bytes.is_empty() {
                    upload.files.push((
                        name,
                        UploadedFile {
                            filename,
                            content_type,
                            bytes,
                        },
                    ));
                }
            }
            _ => {
                let value = String::from_utf8_lossy(&bytes).into_owned();
                upload.pairs.push((name.clone(), value.clone()));
                upload.fields.insert(name, value);
            }
        }
    }
    let MaybeUser(user) = MaybeUser::extract(req).await?;
    if !csrf::verify(
        &state.secret,
        req,
        user.as_ref(),
        upload.field("csrf_token"),
    ) {
        return Err(csrf::csrf_refused());
    }
    for (name, value) in &upload.fields {
        crate::kit::text::check_characters("a field name", name, crate::kit::text::Lines::One)?;
        crate::kit::text::check_characters("a text", value, crate::kit::text::Lines::Many)?;
    }
    Ok(upload)
}

/// A 303 redirect after a form post.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_string()))
        .finish()
}

/// Only local paths are followed after login, never another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

/// Turns errors on HTML routes into pages: 401 goes to the login page, other
/// errors show the translated message for their code.
///
/// # Errors
/// Never; actix's signature.
pub fn error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let status = res.status();
    let rendered_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if rendered_page && res.response().error().is_none() {
        // A handler rendered this page itself (a form shown again with its error).
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let (code, message) = match res
        .response()
        .error()
        .and_then(|e| e.as_error::<AppError>())
    {
        Some(e) => (e.code, e.message.clone()),
        None => (
            match status {
                StatusCode::NOT_FOUND => Code::NotFound,
                StatusCode::METHOD_NOT_ALLOWED => Code::MethodNotAllowed,
                s if s.is_server_error() => Code::InternalError,
                _ => Code::BadRequest,
            },
            status.canonical_reason().unwrap_or("error").to_string(),
        ),
    };
    let allow = res.headers().get(header::ALLOW).cloned();
    let (req, _) = res.into_parts();
    let mut response = if status == StatusCode::UNAUTHORIZED && code == Code::NotAuthenticated {
        let next = match req.query_string() {
            "" => req.path().to_string(),
            q => format!("{}?{q}", req.path()),
        };
        let location = format!("/login?next={}", url_escape(&next));
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location))
            .finish()
    } else {
        render_error(&req, status, code, &message)
    };
    if let Some(allow) = allow {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}

fn url_escape(s: &str) -> String {
    serde_html_form::to_string([("", s)])
        .map(|q| q.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

fn render_error(req: &HttpRequest, status: StatusCode, code: Code, message: &str) -> HttpResponse {
    let Ok(state) = state(req) else {
        return HttpResponse::build(status).body(message.to_string());
    };
    let page = req.extensions().get::<PageCtx>().cloned();
    if let Some(page) = page {
        let text =
            i18n::try_t(page.lang, &format!("error-{code}")).unwrap_or_else(|| message.to_string());
        let mut ctx = tera::Context::new();
        ctx.insert("status", &status.as_u16());
        ctx.insert("code", &code);
        ctx.insert("message", &text);
        ctx.insert("next_step", &next_step(status, code));
        ctx.insert("heading", &heading(status));
        match page.render(&state, "error.html", ctx) {
            Ok(mut res) => {
                *res.status_mut() = status;
                return res;
            }
            Err(e) => tracing::error!(error = ?e, "error page failed to render"),
        }
    }
    let default = Lang::parse(&state.config.default_language).unwrap_or_default();
    // Two statements: reading cookies borrows the extensions mutably.
    let resolved = req.extensions().get::<Lang>().copied();
    let lang = resolved.unwrap_or_else(|| choose_lang(req, None, default));
    let text = i18n::try_t(lang, &format!("error-{code}")).unwrap_or_else(|| message.to_string());
    let mut ctx = tera::Context::new();
    ctx.insert("lang", &lang);
    ctx.insert("languages", &Lang::ALL);
    ctx.insert("status", &status.as_u16());
    ctx.insert("code", &code);
    ctx.insert("message", &text);
    ctx.insert("next_step", &next_step(status, code));
    ctx.insert("heading", &heading(status));
    ctx.insert("user", &None::<()>);
    ctx.insert("nav", &serde_json::json!({}));
    ctx.insert("here", req.path());
    ctx.insert("csrf_token", "");
    match state.templates.render("error.html", &ctx) {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(e) => {
            tracing::error!(error = ?e, "error page failed to render");
            HttpResponse::build(status).body(text)
        }
    }
}

/// The error page's heading (a catalog key).
fn heading(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "error-heading-not-found",
        StatusCode::FORBIDDEN => "error-heading-forbidden",
        _ => "error-title",
    }
}

/// What the error page suggests doing next (a catalog key).
fn next_step(status: StatusCode, code: Code) -> &'static str {
    match (status, code) {
        (StatusCode::NOT_FOUND, _) => "error-next-not-found",
        (StatusCode::FORBIDDEN, Code::CsrfTokenInvalid) => "error-next-reload",
        (StatusCode::FORBIDDEN, _) => "error-next-forbidden",
        (StatusCode::TOO_MANY_REQUESTS, _) => "error-next-wait",
        (s, _) if s.is_server_error() => "error-next-fault",
        _ => "error-next-back",
    }
}

/// Maps a refusal kind to how pages show it (forms re-render with the message).
pub fn is_user_error(e: &AppError) -> bool {
    matches!(
        e.kind,
        ErrorKind::BadRequest | ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::NotFound
    )
}
