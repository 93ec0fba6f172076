//! Processes (ISO 9001 4.4): owners, members, inputs and outputs, internal
//! customers, the process map, turtle diagrams and KPIs.

pub mod api;
pub mod cards;
pub mod chart;
pub mod evidence;
pub mod kpi_model;
pub mod kpi_sources;
pub mod kpis;
pub mod map;
pub mod map_cache;
pub mod map_layout;
pub mod model;
pub mod pages;
pub mod service;
pub mod tasks;

use diesel::prelude::*;

use crate::area::{Area, Reference, Referent, Target, TaskSource};
use crate::db::DbConn;
use crate::db::schema::{
    kpis as kpi_rows, output_recipients, process_external_inputs, process_outputs,
};
use crate::error::AppResult;
use crate::scheduler::Job;

/// What processes add: their routes, late KPI measurements (marked by the
/// scheduler and given to the owner as tasks), and the links and KPIs that
/// keep a process in use.
pub const AREA: Area = Area {
    name: "processes",
    evidence: evidence::PARTS,
    api: api::configure,
    pages: pages::configure,
    jobs: &[Job {
        name: "kpi_measurements_overdue",
        run: |_, conn, at| kpis::mark_overdue(conn, at),
    }],
    tasks: &[TaskSource {
        kinds: &["kpi_measure"],
        of: tasks::tasks,
    }],
    references: &[
        Reference {
            to: Target::Process,
            one: "output",
            many: "outputs",
            count: outputs_of,
        },
        Reference {
            to: Target::Process,
            one: "input",
            many: "inputs",
            count: inputs_of,
        },
        Reference {
            to: Target::Process,
            one: "KPI",
            many: "KPIs",
            count: kpis_of,
        },
    ],
    cards: &[crate::area::Card {
        title: "dash-card-kpis",
        figures: cards::figures,
    }],
};

/// Outputs the process supplies.
fn outputs_of(conn: &mut DbConn, p: Referent<'_>) -> AppResult<i64> {
    Ok(process_outputs::table
        .filter(process_outputs::process_id.eq(p.id))
        .count()
        .get_result(conn)?)
}

/// Inputs the process takes: other processes' outputs addressed to it, and
/// inputs from external suppliers.
fn inputs_of(conn: &mut DbConn, p: Referent<'_>) -> AppResult<i64> {
    let internal: i64 = output_recipients::table
        .filter(output_recipients::customer_id.eq(p.id))
        .count()
        .get_result(conn)?;
    let external: i64 = process_external_inputs::table
        .filter(process_external_inputs::process_id.eq(p.id))
        .count()
        .get_result(conn)?;
    Ok(internal + external)
}

/// KPIs of the process (their measurements are records and stay).
fn kpis_of(conn: &mut DbConn, p: Referent<'_>) -> AppResult<i64> {
    Ok(kpi_rows::table
        .filter(kpi_rows::process_id.eq(p.id))
        .count()
        .get_result(conn)?)
}
