//! People as pages show them and pick them: by display name, never by
//! username, and only those who may take the part offered.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::auth::model::Role;
use crate::db::DbConn;
use crate::db::schema::{user_roles, users};
use crate::error::AppResult;

/// Active people holding one of `roles`, as (username, display name),
/// ordered by name: the options of a select.
///
/// # Errors
/// A database fault.
pub fn pickable(conn: &mut DbConn, roles: &[Role]) -> AppResult<Vec<(String, String)>> {
    let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    let mut people: Vec<(String, String)> = users::table
        .inner_join(user_roles::table)
        .filter(users::active.eq(true))
        .filter(user_roles::role.eq_any(&roles))
        .select((users::username, users::display_name))
        .distinct()
        .load(conn)?;
    people.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    Ok(people)
}

/// Display names of `usernames`; an unknown username stands for itself.
///
/// # Errors
/// A database fault.
pub fn names<'a>(
    conn: &mut DbConn,
    usernames: impl IntoIterator<Item = &'a str>,
) -> AppResult<HashMap<String, String>> {
    let wanted: Vec<&str> = usernames.into_iter().collect();
    let mut found: HashMap<String, String> = users::table
        .filter(users::username.eq_any(&wanted))
        .select((users::username, users::display_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    for w in wanted {
        found.entry(w.to_string()).or_insert_with(|| w.to_string());
    }
    Ok(found)
}

/// Every user's display name by username, former users included: what a
/// page needs to name the people in a history. One query; a site has
/// hundreds of people, not millions.
///
/// # Errors
/// A database fault.
pub fn all_names(conn: &mut DbConn) -> AppResult<HashMap<String, String>> {
    Ok(users::table
        .select((users::username, users::display_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}
