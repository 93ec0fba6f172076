//! The customer-experience card of the home page: active processes with no
//! customer-experience measure, and those whose measures are all lagging,
//! of the whole system or of the reader's own processes.

use crate::area::{Figure, Reader};
use crate::db::DbConn;
use crate::error::AppResult;

/// Two queries whatever the number of processes (see [`super::service::gaps`]).
///
/// # Errors
/// A database fault.
pub fn figures(conn: &mut DbConn, r: &Reader) -> AppResult<Vec<Figure>> {
    if !r.oversees() {
        return Ok(Vec::new());
    }
    let (none, lagging) = if r.whole {
        super::service::gaps(conn, None)?
    } else {
        super::service::gaps(conn, Some(&r.owned))?
    };
    Ok(vec![
        Figure {
            label: "dash-cx-none".into(),
            count: none,
            link: "/processes?cx=none".into(),
            alert: true,
        },
        Figure {
            label: "dash-cx-lagging-only".into(),
            count: lagging,
            link: "/processes?cx=lagging_only".into(),
            alert: true,
        },
    ])
}
