//! The nonconformities card of the home page: open and overdue cases, of
//! the whole system or of the reader's own processes.

use diesel::prelude::*;

use super::model::NcStatus;
use crate::area::{Figure, Reader};
use crate::db::DbConn;
use crate::db::schema::nonconformities;
use crate::error::AppResult;

/// Open and overdue cases (two counts in one query).
///
/// # Errors
/// A database fault.
pub fn figures(conn: &mut DbConn, r: &Reader) -> AppResult<Vec<Figure>> {
    if !r.oversees() {
        return Ok(Vec::new());
    }
    let mut q = nonconformities::table
        .filter(nonconformities::status.ne_all([NcStatus::Closed, NcStatus::Rejected]))
        .into_boxed();
    if !r.whole {
        q = q.filter(nonconformities::responsible_id.eq_any(r.owned.clone()));
    }
    let flags: Vec<bool> = q.select(nonconformities::overdue).load(conn)?;
    let overdue = i64::try_from(flags.iter().filter(|o| **o).count()).unwrap_or(i64::MAX);
    let open = i64::try_from(flags.len()).unwrap_or(i64::MAX);
    let scope = match (r.whole, r.owned_codes.as_slice()) {
        (false, [one]) => format!("&process={one}"),
        _ => String::new(),
    };
    Ok(vec![
        Figure {
            label: "dash-nc-open".into(),
            count: open,
            link: format!("/nonconformities?status=open{scope}"),
            alert: false,
        },
        Figure {
            label: "dash-nc-overdue".into(),
            count: overdue,
            link: format!("/nonconformities?overdue=true{scope}"),
            alert: true,
        },
    ])
}
