//! HTML: the "read and understood" form and the reader roles on the
//! document page (drawn by the documents area's page), and the page of
//! one's own acknowledgements.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::AckState;
use super::service::{self, AckPolicy};
use crate::auth::csrf::CsrfForm;
use crate::auth::model::Role;
use crate::db;
use crate::error::AppResult;
use crate::pages::PageCtx;
use crate::state::AppState;

/// Adds the acknowledgement pages and forms.
pub fn configure(cfg: &mut crate::routes::PageRoutes<'_>) {
    cfg.get("/acknowledgements", mine_page)
        .post("/documents/{number}/acknowledge", acknowledge)
        .post("/documents/{number}/reader-roles", reader_roles);
}

#[derive(Deserialize)]
struct AckForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    commit: String,
}

async fn acknowledge(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<AckForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let num = number.clone();
    let policy = AckPolicy::of(&state);
    let result = db::run(&state.pool, move |c| {
        service::acknowledge(
            c,
            &who.user,
            &num,
            Some(form.password.as_str()),
            Some(form.commit.as_str()).filter(|s| !s.is_empty()),
            policy,
        )
    })
    .await;
    crate::documents::pages::after_action(&state, &page, number, result.map(|_| "acknowledged"))
        .await
}

#[derive(Deserialize)]
struct RolesForm {
    #[serde(default)]
    reader_roles: Vec<String>,
}

async fn reader_roles(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<RolesForm>,
) -> AppResult<HttpResponse> {
    let who = page
        .require_any(&[Role::QualityManager, Role::ProcessOwner])?
        .clone();
    let number = number.into_inner();
    let num = number.clone();
    let result = match service::parse_reader_roles(&form.reader_roles) {
        Ok(roles) => {
            db::run(&state.pool, move |c| {
                service::set_reader_roles(c, &who.user, &num, roles)
            })
            .await
        }
        Err(e) => Err(e),
    };
    crate::documents::pages::after_action(
        &state,
        &page,
        number,
        result.map(|_| "reader-roles-saved"),
    )
    .await
}

async fn mine_page(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let mut duties = db::run(&state.pool, move |c| {
        service::duties_of(c, who.user.id.as_str())
    })
    .await?;
    // What is waiting first, then by number.
    duties.sort_by(|a, b| {
        (a.state != AckState::Pending)
            .cmp(&(b.state != AckState::Pending))
            .then_with(|| a.number.cmp(&b.number))
    });
    let pending = duties
        .iter()
        .filter(|d| d.state == AckState::Pending)
        .count();
    let mut ctx = tera::Context::new();
    ctx.insert("duties", &duties);
    ctx.insert("pending", &pending);
    page.render(&state, "acknowledge/mine.html", ctx)
}
