//! What processes put into the evidence export: the processes with their
//! owners, members, inputs, outputs, internal customers and
//! customer-experience measures (`processes/processes.csv`, 4.4.2 a and
//! 9.1.2), the process map as it stands (`processes/map.svg`, 4.4.2 a),
//! and the KPI measurements recorded in the period
//! (`processes/kpi_measurements.csv`, 9.1.1 and 6.2.1). With a processes
//! filter: only those processes and their KPIs, and no map (it shows every
//! process).

use diesel::prelude::*;

use crate::area::EvidencePart;
use crate::db::DbConn;
use crate::db::schema::{kpi_measurements, kpis, processes};
use crate::error::AppResult;
use crate::evidence::export::Sink;
use crate::i18n::t;
use crate::spreadsheet::{Cell, CsvRows, CsvStyle};
use crate::store::DocStore;

/// The part: the processes, the map, the measurements.
pub const PARTS: &[EvidencePart] = &[EvidencePart {
    name: "processes",
    clauses: &["4.4.2 a", "9.1.2", "9.1.1", "6.2.1"],
    write: write_processes,
}];

const SECTION: &str = "evidence-section-processes";

fn write_processes(conn: &mut DbConn, _: &DocStore, sink: &mut Sink<'_>) -> AppResult<()> {
    let scope = sink.scope;
    let lang = scope.lang;
    let codes: Vec<String> = processes::table
        .order(processes::code.asc())
        .select(processes::code)
        .load(conn)?;
    let header: Vec<String> = [
        "evidence-process-code",
        "evidence-process-name",
        "evidence-process-purpose",
        "evidence-process-owner",
        "evidence-process-members",
        "evidence-process-status",
        "evidence-process-inputs",
        "evidence-process-outputs",
        "evidence-process-customers",
        "evidence-process-cx",
    ]
    .iter()
    .map(|k| t(lang, k))
    .collect();
    sink.add_with(
        SECTION,
        "processes/processes.csv",
        &t(lang, "evidence-file-processes"),
        &["4.4.2 a", "9.1.2"],
        &mut |w| {
            let mut csv = CsvRows::new(w, &header, CsvStyle::for_lang(lang))?;
            for code in codes.iter().filter(|c| scope.wants_code(Some(c))) {
                let p = super::service::get(conn, code)?;
                let people = crate::people::names(
                    conn,
                    p.members
                        .iter()
                        .map(String::as_str)
                        .chain([p.owner.as_str()]),
                )?;
                let name_of = |u: &str, m: &std::collections::HashMap<String, String>| {
                    m.get(u).cloned().unwrap_or_else(|| u.to_string())
                };
                let inputs: Vec<String> = p
                    .inputs
                    .iter()
                    .map(|i| {
                        let from = i
                            .from
                            .clone()
                            .or_else(|| i.external_supplier.clone())
                            .unwrap_or_default();
                        format!("{} ← {from}", i.name)
                    })
                    .collect();
                let outputs: Vec<String> = p
                    .outputs
                    .iter()
                    .map(|o| {
                        let mut to = o.to.clone();
                        to.extend(o.external_customer.clone());
                        format!("{} → {}", o.name, to.join(", "))
                    })
                    .collect();
                let mut customers: Vec<String> =
                    p.outputs.iter().flat_map(|o| o.to.clone()).collect();
                customers.sort();
                customers.dedup();
                let cx: Vec<String> =
                    p.cx.measures
                        .iter()
                        .map(|m| format!("{} ({})", m.name, m.experience))
                        .collect();
                csv.row(&[
                    Cell::Text(p.code.clone()),
                    Cell::Text(p.name.clone()),
                    Cell::Text(p.purpose.clone()),
                    Cell::Text(name_of(&p.owner, &people)),
                    Cell::Text(
                        p.members
                            .iter()
                            .map(|m| name_of(m, &people))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::Text(t(
                        lang,
                        &format!("evidence-process-status-{}", p.status.as_str()),
                    )),
                    Cell::Text(inputs.join(" | ")),
                    Cell::Text(outputs.join(" | ")),
                    Cell::Text(customers.join(", ")),
                    Cell::Text(cx.join(" | ")),
                ])?;
            }
            csv.finish()
        },
    )?;
    if !scope.by_process() && scope.wants(&["4.4.2 a"]) {
        let (nodes, edges) = super::pages::map_graph(conn)?;
        let title = t(lang, "processes-map-title");
        let svg = super::map::render_map_svg(&nodes, &edges, &title);
        sink.add(
            SECTION,
            "processes/map.svg",
            &t(lang, "evidence-file-map"),
            &["4.4.2 a"],
            svg.as_bytes(),
        )?;
    }
    let header: Vec<String> = [
        "evidence-process-code",
        "evidence-kpi",
        "evidence-kpi-target",
        "evidence-kpi-period",
        "evidence-kpi-value",
        "evidence-kpi-comment",
        "evidence-kpi-recorded-by",
        "evidence-kpi-recorded-at",
    ]
    .iter()
    .map(|k| t(lang, k))
    .collect();
    let tz = scope.tz;
    sink.add_with(
        SECTION,
        "processes/kpi_measurements.csv",
        &t(lang, "evidence-file-kpis"),
        &["9.1.1", "6.2.1"],
        &mut |w| {
            let mut csv = CsvRows::new(w, &header, CsvStyle::for_lang(lang))?;
            let mut after = String::new();
            loop {
                type M = (
                    String,
                    String,
                    String,
                    String,
                    String,
                    String,
                    String,
                    String,
                    chrono::NaiveDateTime,
                );
                let rows: Vec<M> = kpi_measurements::table
                    .inner_join(kpis::table.on(kpis::id.eq(kpi_measurements::kpi_id)))
                    .inner_join(processes::table.on(processes::id.eq(kpis::process_id)))
                    .filter(kpi_measurements::recorded_at.ge(scope.period_start))
                    .filter(kpi_measurements::recorded_at.lt(scope.period_end))
                    .filter(kpi_measurements::id.gt(&after))
                    .order(kpi_measurements::id.asc())
                    .limit(500)
                    .select((
                        kpi_measurements::id,
                        processes::code,
                        kpis::name,
                        kpis::target,
                        kpi_measurements::period,
                        kpi_measurements::value,
                        kpi_measurements::comment,
                        kpi_measurements::recorded_by_name,
                        kpi_measurements::recorded_at,
                    ))
                    .load(conn)?;
                let Some(last) = rows.last() else { break };
                after = last.0.clone();
                for (_, code, kpi, target, period, value, comment, by, at) in rows {
                    if !scope.wants_code(Some(&code)) {
                        continue;
                    }
                    csv.row(&[
                        Cell::Text(code),
                        Cell::Text(kpi),
                        Cell::Text(target),
                        Cell::Text(period),
                        Cell::Text(value),
                        Cell::Text(comment),
                        Cell::Text(by),
                        Cell::Text(crate::i18n::format_datetime(lang, tz, &at)),
                    ])?;
                }
            }
            csv.finish()
        },
    )?;
    Ok(())
}
