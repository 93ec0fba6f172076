//! The competence card of the home page: certifications about to expire
//! and expired ones, of everyone or of the people of the reader's
//! processes.

use diesel::prelude::*;

use crate::area::{Figure, Reader};
use crate::db::DbConn;
use crate::db::schema::{certifications, process_members, processes};
use crate::error::AppResult;

/// One query for the card.
///
/// # Errors
/// A database fault.
pub fn figures(conn: &mut DbConn, r: &Reader) -> AppResult<Vec<Figure>> {
    if !r.oversees() {
        return Ok(Vec::new());
    }
    let mut q = certifications::table
        .filter(certifications::corrected.eq(false))
        .filter(
            certifications::expiring
                .eq(true)
                .or(certifications::expired.eq(true)),
        )
        .into_boxed();
    if !r.whole {
        let people = process_members::table
            .filter(process_members::process_id.eq_any(r.owned.clone()))
            .select(process_members::user_id);
        let owners = processes::table
            .filter(processes::id.eq_any(r.owned.clone()))
            .select(processes::owner_id);
        q = q.filter(
            certifications::user_id
                .eq_any(people)
                .or(certifications::user_id.eq_any(owners)),
        );
    }
    let flags: Vec<(bool, bool)> = q
        .select((certifications::expiring, certifications::expired))
        .load(conn)?;
    let count = |f: fn(&(bool, bool)) -> bool| {
        i64::try_from(flags.iter().filter(|x| f(x)).count()).unwrap_or(i64::MAX)
    };
    Ok(vec![
        Figure {
            label: "dash-cert-expiring".into(),
            count: count(|(expiring, expired)| *expiring && !*expired),
            link: "/competence/certifications?state=expiring".into(),
            alert: false,
        },
        Figure {
            label: "dash-cert-expired".into(),
            count: count(|(_, expired)| *expired),
            link: "/competence/certifications?state=expired".into(),
            alert: true,
        },
    ])
}
