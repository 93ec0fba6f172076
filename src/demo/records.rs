//! Demo records: six starter form templates (see [`templates`]), approved
//! and in force like the other controlled documents, and about three
//! months of records filled from them by the people of their processes:
//! calibrations, order reviews signed off `reviewed` by the sales owner,
//! supplier evaluations, final inspections released by the holder of the
//! final inspection competence, design reviews with their actions, and
//! weekly machine checks, the last of which found a fault that became a
//! nonconformity linked to its record.
//!
//! Everything goes through the services (`save_draft_with_form`, the
//! document route, `records::service::submit`, `sign`, `correct`,
//! `nonconformities::service::report`), so the audit trail, numbers and
//! signatures are real. Days are counted back from the application's clock
//! ([`crate::ids::now`]), as in the other demo parts, so that nothing is in
//! the future and the release signatures fall inside the inspector's
//! certification: on 3 December 2026 the records span September to
//! November. The templates are approved at load time like the other demo
//! documents.

mod office;
mod production;
mod templates;

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde_json::{Map, Value};

use super::DEMO_PASSWORD;
use crate::auth::model::User;
use crate::auth::service::user_by_username;
use crate::db::DbConn;
use crate::db::schema::{documents, records};
use crate::documents::model::Meaning;
use crate::documents::service::{self as docs, NewDocument};
use crate::error::{AppError, AppResult};
use crate::kit::date::midnight;
use crate::records::form::{FormInput, RecordMeaning};
use crate::records::service;
use crate::store::DocStore;
use office::{order_reviews, supplier_evaluations};
use production::{calibrations, design_reviews, final_inspections, machine_checks};
use templates::{
    CALIBRATION, DESIGN_REVIEW, FINAL_INSPECTION, MACHINE_CHECK, ORDER_REVIEW, SUPPLIER, TEMPLATES,
};

/// Loads the templates and their records, each part unless it is there
/// already (a load that stopped half-way adds only what is missing).
///
/// # Errors
/// A database or git fault, or a refusal by the services.
pub fn load(conn: &mut DbConn, store: &DocStore) -> AppResult<()> {
    let mut demo = Demo {
        conn,
        store,
        people: HashMap::new(),
        today: crate::ids::now().date(),
    };
    for t in TEMPLATES {
        demo.template(t)?;
    }
    let parts: [(&str, Part); 6] = [
        (CALIBRATION, calibrations),
        (ORDER_REVIEW, order_reviews),
        (SUPPLIER, supplier_evaluations),
        (FINAL_INSPECTION, final_inspections),
        (DESIGN_REVIEW, design_reviews),
        (MACHINE_CHECK, machine_checks),
    ];
    for (number, part) in parts {
        if demo.has_records(number)? {
            continue;
        }
        part(&mut demo)?;
    }
    Ok(())
}

/// One part of the load: the records of one template.
type Part = fn(&mut Demo) -> AppResult<()>;

/// The loader's state: the connection, the people met so far, and the day
/// everything is counted back from.
struct Demo<'a> {
    conn: &'a mut DbConn,
    store: &'a DocStore,
    people: HashMap<&'static str, User>,
    today: NaiveDate,
}

fn answers(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

impl Demo<'_> {
    fn user(&mut self, name: &'static str) -> AppResult<User> {
        if let Some(u) = self.people.get(name) {
            return Ok(u.clone());
        }
        let u = user_by_username(self.conn, name)?;
        self.people.insert(name, u.clone());
        Ok(u)
    }

    /// `days_ago` days before today at `hour`:`minute` UTC.
    fn at(&self, days_ago: i64, hour: i64, minute: i64) -> NaiveDateTime {
        midnight(self.today - TimeDelta::days(days_ago)) + TimeDelta::minutes(hour * 60 + minute)
    }

    fn has_records(&mut self, template: &str) -> AppResult<bool> {
        let n: i64 = records::table
            .inner_join(documents::table.on(documents::id.eq(records::template_id)))
            .filter(documents::number.eq(template))
            .count()
            .get_result(self.conn)?;
        Ok(n > 0)
    }

    /// Creates the template's document, saves its text and fields, and has
    /// it approved (by the quality manager), unless it exists.
    fn template(&mut self, t: &templates::DemoTemplate) -> AppResult<()> {
        let exists: i64 = documents::table
            .filter(documents::number.eq(t.number))
            .count()
            .get_result(self.conn)?;
        if exists > 0 {
            return Ok(());
        }
        let owner = self.user(t.owner)?;
        let approver = self.user("laura")?;
        let new = NewDocument::parse(
            t.title,
            "form",
            Some(t.number),
            Some(t.process),
            Some(t.owner),
            Some(24),
        )?;
        docs::create_document(self.conn, &owner, new)?;
        let form: FormInput = serde_json::from_value((t.form)()).map_err(|e| {
            AppError::internal(anyhow::anyhow!("demo form {} does not read: {e}", t.number))
        })?;
        docs::save_draft_with_form(
            self.conn,
            self.store,
            &owner,
            t.number,
            t.content,
            Some(&form),
            None,
            None,
        )?;
        docs::submit(self.conn, &owner, t.number, None)?;
        docs::sign(
            self.conn,
            self.store,
            &approver,
            t.number,
            DEMO_PASSWORD,
            Meaning::Approved,
            "",
            None,
        )?;
        Ok(())
    }

    fn submit(
        &mut self,
        template: &str,
        by: &'static str,
        values: Value,
        at: NaiveDateTime,
    ) -> AppResult<String> {
        let by = self.user(by)?;
        let r = service::submit(
            self.conn,
            self.store,
            &by,
            template,
            &answers(values),
            None,
            at,
        )?;
        Ok(r.number)
    }

    fn sign(
        &mut self,
        number: &str,
        by: &'static str,
        meaning: RecordMeaning,
        at: NaiveDateTime,
    ) -> AppResult<()> {
        let by = self.user(by)?;
        service::sign(
            self.conn,
            self.store,
            &by,
            number,
            DEMO_PASSWORD,
            meaning,
            None,
            at,
            at.date(),
        )?;
        Ok(())
    }

    fn correct(
        &mut self,
        number: &str,
        by: &'static str,
        values: Value,
        reason: &str,
        at: NaiveDateTime,
    ) -> AppResult<()> {
        let by = self.user(by)?;
        service::correct(
            self.conn,
            self.store,
            &by,
            number,
            &answers(values),
            reason,
            None,
            at,
        )?;
        Ok(())
    }
}
