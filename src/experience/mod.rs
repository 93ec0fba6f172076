//! Customer experience as the aim of the system (ISO 9001 5.1.2, 9.1.2):
//! the value promise, a controlled document of kind `value_promise` whose
//! basic task, promise and target experiences are approved with its
//! revision (`promise.rs`); the experiences each process serves; and each
//! process's customer-experience measures, KPIs tied to a target
//! experience (`service.rs`, `measures.rs`), with a home-page card for the processes that
//! have none or only lagging ones (`cards.rs`).

pub mod api;
pub mod cards;
pub mod measures;
pub mod pages;
pub mod promise;
pub mod scorecard;
pub mod scorecard_pages;
pub mod service;

use diesel::prelude::*;

use crate::area::{Area, Card, Reference, Referent, Target};
use crate::db::DbConn;
use crate::db::schema::process_experiences;
use crate::error::AppResult;

/// What customer experience adds: the promise's routes, the experiences a
/// process serves (which keep it in use), and the dashboard card.
pub const AREA: Area = Area {
    name: "experience",
    api: api::configure,
    pages: pages::configure,
    references: &[Reference {
        to: Target::Process,
        one: "target experience",
        many: "target experiences",
        count: experiences_of,
    }],
    cards: &[Card {
        title: "dash-card-cx",
        figures: cards::figures,
    }],
    ..Area::EMPTY
};

/// Target experiences the process serves.
fn experiences_of(conn: &mut DbConn, p: Referent<'_>) -> AppResult<i64> {
    Ok(process_experiences::table
        .filter(process_experiences::process_id.eq(p.id))
        .count()
        .get_result(conn)?)
}
