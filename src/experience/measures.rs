//! A KPI as a customer-experience measure: tied to a target experience of
//! the value promise in force, or to none.

use diesel::prelude::*;

use crate::audit::{self, Actor, Change, Diff};
use crate::auth::model::{Role, User};
use crate::db::schema::kpis;
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code};
use crate::processes::kpis::{KpiView, kpi_row, view_by_id};
use crate::store::DocStore;

/// Marks a KPI as a customer-experience measure of a target experience of
/// the promise in force, or (`None`) as none (the process's owner or a
/// quality manager). `before` is the experience the caller read; when the
/// KPI says otherwise now, someone changed it in between (409).
///
/// # Errors
/// `forbidden`, `kpi_not_found`, `no_value_promise`, `unknown_experience`,
/// `version_conflict`; faults.
pub fn set_experience(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    id: &str,
    experience: Option<&str>,
    before: Option<Option<&str>>,
) -> AppResult<KpiView> {
    by.require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let (k, code, owner) = kpi_row(conn, id)?;
    if !(by.has_role(Role::QualityManager) || owner == by.id.0) {
        return Err(AppError::forbidden());
    }
    let after = match experience.map(str::trim).filter(|s| !s.is_empty()) {
        Some(key) => Some(crate::experience::service::check_experience(
            conn, store, key,
        )?),
        None => None,
    };
    write_tx(conn, |conn| {
        crate::db::lock_row(conn, &k.id)?;
        let now_is: Option<String> = kpis::table
            .find(&k.id)
            .select(kpis::experience)
            .first(conn)?;
        if let Some(read) = before
            && read.map(str::trim).filter(|s| !s.is_empty()) != now_is.as_deref()
        {
            return Err(AppError::conflict(
                Code::VersionConflict,
                format!(
                    "the KPI {} was changed by someone else; reload and try again",
                    k.name
                ),
            ));
        }
        if now_is == after {
            return Ok(());
        }
        diesel::update(kpis::table.find(&k.id))
            .set(kpis::experience.eq(&after))
            .execute(conn)?;
        audit::record(
            conn,
            &Actor::user(&by.id, &by.username),
            Change {
                action: "kpi.experience_set",
                entity_type: "kpi",
                entity_id: &k.id,
                summary: format!(
                    "{code}: KPI {} measures {}",
                    k.name,
                    after.as_deref().unwrap_or("no target experience")
                ),
                changes: Diff::new()
                    .field("experience", &now_is, &after)
                    .into_value(),
            },
        )?;
        Ok(())
    })?;
    view_by_id(conn, id)
}
