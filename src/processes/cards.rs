//! The KPI card of the home page: indicators whose latest value misses the
//! target, and those whose measurement is late, of the whole system or of
//! the reader's own processes.

use std::collections::HashMap;

use diesel::prelude::*;

use super::kpis::{Direction, meets};
use crate::area::{Figure, Reader};
use crate::db::DbConn;
use crate::db::schema::{kpi_measurements, kpis};
use crate::error::AppResult;

/// Two queries for the card: the KPIs in view, and their measurements.
///
/// # Errors
/// A database fault.
pub fn figures(conn: &mut DbConn, r: &Reader) -> AppResult<Vec<Figure>> {
    if !r.oversees() {
        return Ok(Vec::new());
    }
    let mut q = kpis::table.into_boxed();
    if !r.whole {
        q = q.filter(kpis::process_id.eq_any(r.owned.clone()));
    }
    let rows: Vec<(String, String, Direction, bool)> = q
        .select((
            kpis::id,
            kpis::target,
            kpis::direction,
            kpis::measurement_overdue,
        ))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&String> = rows.iter().map(|k| &k.0).collect();
    // The latest value of each: periods sort as text (`2026-11`, `2026-Q3`).
    let mut latest: HashMap<String, (String, String)> = HashMap::new();
    for (kpi, period, value) in kpi_measurements::table
        .filter(kpi_measurements::kpi_id.eq_any(&ids))
        .select((
            kpi_measurements::kpi_id,
            kpi_measurements::period,
            kpi_measurements::value,
        ))
        .load::<(String, String, String)>(conn)?
    {
        let newer = latest.get(&kpi).is_none_or(|(p, _)| period > *p);
        if newer {
            latest.insert(kpi, (period, value));
        }
    }
    let off_target = rows
        .iter()
        .filter(|(id, target, direction, _)| {
            let (Some((_, value)), Ok(target)) = (latest.get(id), target.parse::<f64>()) else {
                return false;
            };
            value
                .parse::<f64>()
                .is_ok_and(|v| !meets(*direction, v, target))
        })
        .count();
    let late = rows.iter().filter(|k| k.3).count();
    let link = match (r.whole, r.owned_codes.as_slice()) {
        (false, [one]) => format!("/processes/{one}#kpis"),
        _ => "/processes".into(),
    };
    Ok(vec![
        Figure {
            label: "dash-kpi-off-target".into(),
            count: i64::try_from(off_target).unwrap_or(i64::MAX),
            link: link.clone(),
            alert: true,
        },
        Figure {
            label: "dash-kpi-late".into(),
            count: i64::try_from(late).unwrap_or(i64::MAX),
            link,
            alert: true,
        },
    ])
}
