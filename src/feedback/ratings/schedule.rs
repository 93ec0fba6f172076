//! Who is asked to rate what, when: the scheduler's job and "my tasks".
//!
//! - Each period of `internal_ratings_frequency` (the site's calendar), every
//!   link of the process map between two active processes (an output of the
//!   supplier addressed to the customer) is to be rated by each of the
//!   customer's people: its members and its owner, active accounts that may
//!   write. The job asks whoever has not been asked for the link in the
//!   current period ([`request_ratings`]); running it again asks nobody twice
//!   (the table's unique key says so too).
//! - An unanswered request whose link is gone, or whose person no longer
//!   belongs to the receiving process, is withdrawn.
//! - A request is due on the last day of its period and is the person's
//!   `internal_rating` task until it is answered or the next period ends.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use diesel::prelude::*;

use super::model::RequestRow;
use crate::area::{Task, TaskSource};
use crate::audit::{self, Actor, Change};
use crate::auth::model::{User, WRITING_ROLES};
use crate::db::schema::{
    internal_rating_requests as req, internal_ratings, output_recipients, process_members,
    process_outputs, processes, user_roles, users,
};
use crate::db::{DbConn, write_tx};
use crate::error::AppResult;
use crate::ids::new_id;
use crate::processes::kpi_model::Frequency;
use crate::records::schedule::ScheduleFrequency;
use crate::records::schedule_due::{Period, period_containing, site_date};

/// The period of `frequency` that holds `day`.
pub fn period_at(frequency: Frequency, day: NaiveDate) -> Period {
    let f = match frequency {
        Frequency::Weekly => ScheduleFrequency::Weekly,
        Frequency::Monthly => ScheduleFrequency::Monthly,
        Frequency::Quarterly => ScheduleFrequency::Quarterly,
        Frequency::Yearly => ScheduleFrequency::Yearly,
    };
    period_containing(f, day)
}

/// One link of the map: (output id, output name, supplier id, customer id).
type Link = (String, String, String, String);

/// The links between active processes, with the codes of every process.
fn links(conn: &mut DbConn) -> AppResult<(Vec<Link>, HashMap<String, String>)> {
    let active: HashMap<String, String> = processes::table
        .filter(processes::status.eq("active"))
        .select((processes::id, processes::code))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let links = output_recipients::table
        .inner_join(process_outputs::table)
        .select((
            process_outputs::id,
            process_outputs::name,
            process_outputs::process_id,
            output_recipients::customer_id,
        ))
        .order((process_outputs::created_at, process_outputs::id))
        .load::<Link>(conn)?
        .into_iter()
        .filter(|(_, _, s, c)| active.contains_key(s) && active.contains_key(c))
        .collect();
    Ok((links, active))
}

/// Each active process's people who may rate: members and owner with an
/// active account that may write, by process id.
fn raters(conn: &mut DbConn) -> AppResult<HashMap<String, Vec<String>>> {
    let writers: HashSet<String> = user_roles::table
        .inner_join(users::table)
        .filter(users::active.eq(true))
        .filter(
            user_roles::role.eq_any(WRITING_ROLES.iter().map(|r| r.as_str()).collect::<Vec<_>>()),
        )
        .select(user_roles::user_id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let members: Vec<(String, String)> = process_members::table
        .select((process_members::process_id, process_members::user_id))
        .load(conn)?;
    let owners: Vec<(String, String)> = processes::table
        .select((processes::id, processes::owner_id))
        .load(conn)?;
    for (p, u) in owners.into_iter().chain(members) {
        let people = out.entry(p).or_default();
        if writers.contains(&u) && !people.contains(&u) {
            people.push(u);
        }
    }
    Ok(out)
}

/// Asks for the ratings of the period that holds `at` on the calendar of
/// `tz`, and withdraws unanswered requests that no longer stand. Run by the
/// scheduler; says how many requests it made or withdrew.
///
/// # Errors
/// A database fault (nothing of the pass is kept).
pub fn request_ratings(
    conn: &mut DbConn,
    frequency: Frequency,
    at: NaiveDateTime,
    tz: Tz,
) -> AppResult<usize> {
    let period = period_at(frequency, site_date(tz, at));
    let next = period_at(frequency, period.end);
    let actor = Actor::system("scheduler");
    write_tx(conn, |conn| {
        let (links, codes) = links(conn)?;
        let people = raters(conn)?;
        let wanted: HashSet<(String, String, String)> = links
            .iter()
            .flat_map(|(o, _, _, c)| {
                people
                    .get(c)
                    .into_iter()
                    .flatten()
                    .map(move |u| (o.clone(), c.clone(), u.clone()))
            })
            .collect();
        let mut changed = 0;
        // Withdraw what no longer stands, unanswered.
        let open: Vec<RequestRow> = req::table
            .filter(req::id.ne_all(internal_ratings::table.select(internal_ratings::request_id)))
            .select(RequestRow::as_select())
            .load(conn)?;
        for r in open {
            let key = (
                r.output_id.clone(),
                r.customer_id.clone(),
                r.user_id.clone(),
            );
            if wanted.contains(&key) {
                continue;
            }
            diesel::delete(req::table.find(&r.id)).execute(conn)?;
            audit::record(
                conn,
                &actor,
                Change {
                    action: "internal_rating.withdrawn",
                    entity_type: "internal_rating_request",
                    entity_id: &r.id,
                    summary: format!(
                        "The request to rate {} ({}) was withdrawn: the link or the person's place in the process is gone",
                        r.output_name, r.period
                    ),
                    changes: serde_json::json!({
                        "output": r.output_id, "name": r.output_name, "period": r.period,
                    }),
                },
            )?;
            changed += 1;
        }
        let asked: HashSet<(String, String, String)> = req::table
            .filter(req::period.eq(&period.label))
            .select((req::output_id, req::customer_id, req::user_id))
            .load::<(String, String, String)>(conn)?
            .into_iter()
            .collect();
        for (output, name, supplier, customer) in &links {
            for user in people.get(customer).into_iter().flatten() {
                if asked.contains(&(output.clone(), customer.clone(), user.clone())) {
                    continue;
                }
                let row = RequestRow {
                    id: new_id(),
                    output_id: output.clone(),
                    output_name: name.clone(),
                    supplier_id: supplier.clone(),
                    customer_id: customer.clone(),
                    user_id: user.clone(),
                    period: period.label.clone(),
                    period_start: period.start.to_string(),
                    due_on: period.last_day().to_string(),
                    lapses_on: next.last_day().to_string(),
                    created_at: at,
                };
                diesel::insert_into(req::table).values(&row).execute(conn)?;
                let (s, c) = (&codes[supplier], &codes[customer]);
                audit::record(
                    conn,
                    &actor,
                    Change {
                        action: "internal_rating.requested",
                        entity_type: "internal_rating_request",
                        entity_id: &row.id,
                        summary: format!("{c} is asked to rate {name} from {s} ({})", period.label),
                        changes: serde_json::json!({
                            "output": output, "name": name, "supplier": s, "customer": c,
                            "user": user, "period": period.label, "due_on": row.due_on,
                        }),
                    },
                )?;
                changed += 1;
            }
        }
        Ok(changed)
    })
}

/// The `internal_rating` tasks of `by` on `today`: unanswered requests that
/// have not lapsed, late once their period is over.
///
/// # Errors
/// A database fault.
pub fn tasks_on(conn: &mut DbConn, by: &User, today: NaiveDate) -> AppResult<Vec<Task>> {
    let day = today.to_string();
    let open: Vec<RequestRow> = req::table
        .filter(req::user_id.eq(by.id.as_str()))
        .filter(req::lapses_on.ge(&day))
        .filter(req::id.ne_all(internal_ratings::table.select(internal_ratings::request_id)))
        .order((req::due_on, req::output_name))
        .select(RequestRow::as_select())
        .load(conn)?;
    if open.is_empty() {
        return Ok(Vec::new());
    }
    let codes: HashMap<String, String> = processes::table
        .select((processes::id, processes::code))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let lang = by.lang().unwrap_or_default();
    Ok(open
        .into_iter()
        .map(|r| {
            let supplier = codes.get(&r.supplier_id).cloned().unwrap_or_default();
            let due = NaiveDate::parse_from_str(&r.due_on, "%Y-%m-%d").ok();
            Task {
                kind: "internal_rating".into(),
                title: crate::i18n::t_args(
                    lang,
                    "ratings-task-title",
                    &[
                        ("output", r.output_name.clone()),
                        ("supplier", supplier.clone()),
                        ("period", crate::charts::period_text(lang, &r.period)),
                    ],
                ),
                reference: supplier,
                link: format!("/internal-ratings/{}", r.id),
                overdue: due.is_some_and(|d| d < today),
                due,
            }
        })
        .collect())
}

/// The internal ratings' tasks. "My tasks" hands a source no site time
/// zone, so its days are UTC's, as the records area's are.
pub const TASKS: TaskSource = TaskSource {
    kinds: &["internal_rating"],
    of: |conn, by, at| tasks_on(conn, by, at.date()),
};
