//! The records card of the home page: scheduled records that are overdue,
//! and records of the last 30 days that hold a deviation, of the whole
//! system or of the reader's processes.

use chrono::TimeDelta;
use diesel::prelude::*;

use crate::area::{Figure, Reader};
use crate::db::DbConn;
use crate::db::schema::{record_schedules, records};
use crate::error::AppResult;

/// Two counts for the card; none when there are no form templates in use.
///
/// # Errors
/// A database fault.
pub fn figures(conn: &mut DbConn, r: &Reader) -> AppResult<Vec<Figure>> {
    if !r.oversees() {
        return Ok(Vec::new());
    }
    let mut late = record_schedules::table
        .filter(record_schedules::active.eq(true))
        .filter(record_schedules::overdue.eq(true))
        .into_boxed();
    let mut deviating = records::table
        .filter(records::has_deviation.eq(true))
        .filter(records::created_at.ge(r.at - TimeDelta::days(30)))
        .into_boxed();
    if !r.whole {
        late = late.filter(record_schedules::process_id.eq_any(r.owned.clone()));
        deviating = deviating.filter(records::process_id.eq_any(r.owned.clone()));
    }
    let late: i64 = late.count().get_result(conn)?;
    let deviating: i64 = deviating.count().get_result(conn)?;
    let any: i64 = records::table.count().get_result(conn)?;
    if any == 0 && late == 0 {
        return Ok(Vec::new());
    }
    Ok(vec![
        Figure {
            label: "dash-records-overdue".into(),
            count: late,
            link: "/forms".into(),
            alert: true,
        },
        Figure {
            label: "dash-records-deviation".into(),
            count: deviating,
            link: "/forms".into(),
            alert: true,
        },
    ])
}
