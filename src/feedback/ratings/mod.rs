//! Internal ratings (ISO 9001 9.1.2, 5.1.2 for internal customers): every
//! link of the process map, an output of one process addressed to another,
//! is rated each period by the receiving process's people: on time (yes or
//! no) and quality (1-5), with one comment (`model.rs`). The scheduler asks
//! them (`schedule.rs`), each open request is a task, a rating is never
//! edited (a correction is a new rating), a low rating offers a prefilled
//! internal complaint against the supplying process, and the ratings are a
//! counted, leading KPI of the supplier (`service.rs`).

pub mod api;
pub mod model;
pub mod pages;
pub mod schedule;
pub mod service;

use crate::area::{Area, Reference, Target};
use crate::processes::kpi_model::Frequency;
use crate::scheduler::Job;

/// What internal ratings add: their routes, the job that asks, the tasks
/// of the people asked, and the requests that keep a process in use.
pub const AREA: Area = Area {
    name: "internal_ratings",
    api: api::configure,
    pages: pages::configure,
    jobs: &[Job {
        name: "request_ratings",
        run: |state, conn, at| {
            let f = Frequency::parse(&state.config.internal_ratings_frequency)?;
            schedule::request_ratings(conn, f, at, state.tz)
        },
    }],
    tasks: &[schedule::TASKS],
    references: &[Reference {
        to: Target::Process,
        one: "internal rating request",
        many: "internal rating requests",
        count: service::requests_of,
    }],
    ..Area::EMPTY
};
