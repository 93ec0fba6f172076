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

mod templates;

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde_json::{Map, Value, json};

use super::DEMO_PASSWORD;
use crate::auth::model::User;
use crate::auth::service::user_by_username;
use crate::db::DbConn;
use crate::db::schema::{documents, records};
use crate::documents::model::Meaning;
use crate::documents::service::{self as docs, NewDocument};
use crate::error::{AppError, AppResult};
use crate::kit::date::midnight;
use crate::nonconformities::service::{self as nc, NcPolicy, NewNonconformity};
use crate::records::form::{FormInput, RecordMeaning};
use crate::records::service;
use crate::store::DocStore;
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
    let parts: [(&str, fn(&mut Demo) -> AppResult<()>); 6] = [
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

fn next_year(d: NaiveDate) -> String {
    d.checked_add_months(Months::new(12))
        .unwrap_or(d)
        .to_string()
}

/// The micrometers and height gauge of the measuring room, calibrated by
/// Antti: (days ago, instrument, reading, temperature, result, notes).
const CALIBRATIONS: &[(i64, &str, f64, f64, &str, &str)] = &[
    (
        88,
        "Ulkomikrometri 0–25 mm, MIK-011",
        25.001,
        20.2,
        "pass",
        "",
    ),
    (
        81,
        "Ulkomikrometri 0–25 mm, MIK-012",
        24.999,
        20.4,
        "pass",
        "",
    ),
    (
        74,
        "Ulkomikrometri 0–25 mm, MIK-014",
        25.006,
        20.1,
        "adjusted",
        "Lukema ennen säätöä 25,006 mm. Nollakohta säädetty, uusi lukema 25,001 mm. Edellisen kalibroinnin jälkeen mitatut erät tarkistettu: ei vaikutusta (mitoissa ±0,05 mm toleranssi). / As found 25.006 mm; zero adjusted, now 25.001 mm. Lots measured since the last calibration checked: no effect (their tolerance is ±0.05 mm).",
    ),
    (
        60,
        "Ulkomikrometri 25–50 mm, MIK-021",
        25.002,
        20.6,
        "pass",
        "",
    ),
    (
        53,
        "Ulkomikrometri 25–50 mm, MIK-022",
        25.009,
        20.3,
        "fail",
        "Karan kierre kulunut, lukema ei pysy. Poistettu käytöstä ja merkitty punaisella tarralla; korvaava mikrometri tilattu. / The spindle thread is worn and the reading does not hold. Taken out of use with a red label; a replacement is ordered.",
    ),
    (
        39,
        "Digitaalinen korkeusmittari 0–300 mm, KM-02",
        25.002,
        20.8,
        "pass",
        "Ulkoinen kalibrointi Mittaus Oy:ssä; todistus liitteenä. / Calibrated externally by Mittaus Oy; the certificate is attached.",
    ),
    (
        25,
        "Ulkomikrometri 25–50 mm, MIK-024",
        24.998,
        19.9,
        "pass",
        "Uusi mikrometri MIK-022:n tilalle, vastaanottokalibrointi. / New micrometer replacing MIK-022, calibrated on receipt.",
    ),
    (
        18,
        "Ulkomikrometri 0–25 mm, MIK-015",
        25.000,
        20.5,
        "pass",
        "",
    ),
    (
        4,
        "Ulkomikrometri 0–25 mm, MIK-011",
        25.001,
        20.3,
        "pass",
        "Välitarkastus MIK-014:n säädön jälkeen sovitusti. / Interim check as agreed after MIK-014 needed adjusting.",
    ),
];

fn calibrations(d: &mut Demo) -> AppResult<()> {
    for (days, instrument, reading, temperature, result, note) in CALIBRATIONS {
        let at = d.at(*days, 6, 40);
        let mut values = json!({
            "instrument": instrument,
            "reference": "Mittapalasarja Mitutoyo 516-940, todistus K-2026-0412",
            "reading": reading,
            "temperature": temperature,
            "result": result,
            "next_due": next_year(at.date()),
            "notes": note,
        });
        if instrument.contains("KM-02") {
            let antti = d.user("antti")?;
            let file = service::upload_file(
                d.conn,
                &antti,
                CALIBRATION,
                "KM-02-kalibrointitodistus.pdf",
                "application/pdf",
                b"%PDF-1.4\n% Laatu demo: stands for Mittaus Oy's calibration certificate of KM-02.\n",
                at,
            )?;
            values["certificate"] = json!(file.id);
        }
        d.submit(CALIBRATION, "antti", values, at)?;
    }
    Ok(())
}

/// Orders reviewed by sales: (days ago, who, customer, order, drawing,
/// quantity, days to delivery, can meet, decision, notes).
type Order = (
    i64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    bool,
    &'static str,
    &'static str,
);

const ORDERS: &[Order] = &[
    (
        89,
        "james",
        "Pirkan Hydrauliikka Oy",
        "PO 77120",
        "4410-220 C",
        200,
        28,
        true,
        "accept",
        "",
    ),
    (
        84,
        "emma",
        "Nordic Lift Systems AB",
        "PO-SE-3391",
        "NL-5120-018 B",
        60,
        35,
        true,
        "accept",
        "",
    ),
    (
        76,
        "james",
        "Ferrum Marine Oy",
        "Tarjous T-2291",
        "FM-3305-101 A",
        40,
        21,
        false,
        "decline",
        "Asiakas tarvitsee osat kolmessa viikossa; duplex-teräksen toimitusaika on kuusi viikkoa. Tarjottu kuutta viikkoa, asiakas kieltäytyi. / The customer needs the parts in three weeks; duplex steel takes six weeks to arrive. We offered six weeks; the customer declined.",
    ),
    (
        69,
        "emma",
        "Tampereen Paperikone Oy",
        "TPK-46620",
        "TPK-88-410 D",
        12,
        42,
        true,
        "accept_changed",
        "Pintakäsittely muutettu sinkityksestä kemialliseen nikkeliin asiakkaan kanssa sovitusti (sähköposti 12.). / Surface treatment changed from zinc to electroless nickel as agreed with the customer (e-mail).",
    ),
    (
        62,
        "james",
        "Pirkan Hydrauliikka Oy",
        "PO 77254",
        "4410-220 C",
        250,
        28,
        true,
        "accept",
        "",
    ),
    (
        55,
        "emma",
        "Kone-Asennus Virtanen Oy",
        "KAV-118",
        "KAV-2001 A",
        8,
        14,
        true,
        "accept",
        "Pikatilaus; koneaika varattu viikolle. / Rush order; machine time booked for the week.",
    ),
    (
        47,
        "james",
        "Nordic Lift Systems AB",
        "PO-SE-3460",
        "NL-5120-018 B",
        120,
        35,
        true,
        "accept",
        "",
    ),
    (
        33,
        "emma",
        "Ferrum Marine Oy",
        "FM-2026-77",
        "FM-3305-104 A",
        30,
        49,
        true,
        "accept",
        "Ainestodistus EN 10204 3.1 ja mittauspöytäkirja vaaditaan. / Material certificate EN 10204 3.1 and a measurement report are required.",
    ),
    (
        19,
        "james",
        "Tampereen Paperikone Oy",
        "TPK-46871",
        "TPK-88-412 A",
        24,
        35,
        true,
        "accept",
        "",
    ),
    (
        9,
        "emma",
        "Pirkan Hydrauliikka Oy",
        "PO 77431",
        "4410-221 A",
        150,
        30,
        true,
        "accept",
        "",
    ),
    (
        2,
        "james",
        "Kone-Asennus Virtanen Oy",
        "KAV-131",
        "KAV-2001 B",
        16,
        21,
        true,
        "accept",
        "",
    ),
];

fn order_values(o: &Order, at: NaiveDateTime, quantity: i64) -> Value {
    let (_, _, customer, order, drawing, _, lead, can_meet, decision, note) = *o;
    json!({
        "customer": customer,
        "order_ref": order,
        "drawing": drawing,
        "quantity": quantity,
        "delivery_date": (at.date() + TimeDelta::days(lead)).to_string(),
        "requirements_clear": true,
        "can_meet": can_meet,
        "differences_resolved": true,
        "decision": decision,
        "notes": note,
    })
}

fn order_reviews(d: &mut Demo) -> AppResult<()> {
    for o in ORDERS {
        let (days, by, quantity) = (o.0, o.1, o.5);
        let at = d.at(days, 7, 15);
        // One quantity was typed wrong and corrected before the review.
        let typed = if o.3 == "PO 77254" { 205 } else { quantity };
        let number = d.submit(ORDER_REVIEW, by, order_values(o, at, typed), at)?;
        if typed != quantity {
            d.correct(
                &number,
                by,
                order_values(o, at, quantity),
                "Määrä kirjoitettu väärin: tilauksessa 250 kpl, ei 205. / Quantity mistyped: the order is for 250 pcs, not 205.",
                at + TimeDelta::minutes(25),
            )?;
        }
        // The owner of sales reviews within a day; the newest wait for her.
        if days > 10 {
            d.sign(
                &number,
                "maria",
                RecordMeaning::Reviewed,
                at + TimeDelta::hours(5),
            )?;
        }
    }
    Ok(())
}

/// The quarter before `day`, as the evaluation period (`Q3 2026`).
fn previous_quarter(day: NaiveDate) -> String {
    let q = (day.month0() / 3) as i32; // 0..3: the quarter `day` is in
    let (year, quarter) = if q == 0 {
        (day.year() - 1, 4)
    } else {
        (day.year(), q)
    };
    format!("Q{quarter} {year}")
}

fn supplier_evaluations(d: &mut Demo) -> AppResult<()> {
    // (who, supplier, supplies, quality, delivery, communication, on time %, rating, actions)
    let rows: [(&'static str, &str, &str, i64, i64, i64, f64, &str, &str); 5] = [
        (
            "riikka",
            "Teräspalvelu Laine Oy",
            "Teräs- ja RST-tanko / steel and stainless bar",
            5,
            4,
            4,
            96.0,
            "approved",
            "",
        ),
        (
            "riikka",
            "Alumiinitukku Nordal Oy",
            "Alumiinitanko ja -levy / aluminium bar and plate",
            4,
            5,
            4,
            98.5,
            "approved",
            "",
        ),
        (
            "riikka",
            "Pinnoite Hämeenlinna Oy",
            "Sinkitys ja kemiallinen nikkeli / zinc and electroless nickel plating",
            3,
            2,
            3,
            71.4,
            "conditional",
            "Viikoittainen toimitusaikataulu sähköpostilla; uusi arvio seuraavalla neljänneksellä. / A weekly delivery schedule by e-mail; evaluated again next quarter.",
        ),
        (
            "riikka",
            "Lämpökäsittely Kangasala Oy",
            "Karkaisu ja päästö / hardening and tempering",
            2,
            3,
            2,
            85.0,
            "not_approved",
            "Kaksi erää kovuus alle vaatimuksen (NC-raportit), todistukset myöhässä. Uudet tilaukset siirretty toiselle toimittajalle, auditointi ennen uutta hyväksyntää. / Two lots below the hardness required, certificates late. New orders go to another provider; an audit before any new approval.",
        ),
        (
            "maria",
            "Kuljetus Mäkelä Oy",
            "Kuljetukset / transport",
            4,
            4,
            5,
            93.0,
            "approved",
            "",
        ),
    ];
    for (i, (by, supplier, supplies, quality, delivery, comm, on_time, rating, actions)) in
        rows.into_iter().enumerate()
    {
        let at = d.at(62 - i as i64, 9, 10);
        let values = json!({
            "supplier": supplier,
            "supplies": supplies,
            "period": previous_quarter(at.date()),
            "quality": quality,
            "delivery": delivery,
            "communication": comm,
            "on_time": on_time,
            "rating": rating,
            "actions": actions,
        });
        d.submit(SUPPLIER, by, values, at)?;
    }
    Ok(())
}

/// Lots inspected before delivery: (days ago, who measured, work order,
/// part, quantity, surface ok, decision, notes).
const INSPECTIONS: &[(i64, &str, &str, &str, i64, bool, &str, &str)] = &[
    (
        86,
        "sanna",
        "TM-1187",
        "4410-220 C Laippa / flange",
        200,
        true,
        "release",
        "",
    ),
    (
        79,
        "tuomas",
        "TM-1192",
        "NL-5120-018 B Akseli / shaft",
        60,
        true,
        "release",
        "",
    ),
    (
        71,
        "eeva",
        "TM-1201",
        "TPK-88-410 D Holkki / bushing",
        12,
        true,
        "release",
        "",
    ),
    (
        64,
        "jari",
        "TM-1205",
        "KAV-2001 A Kiinnike / bracket",
        8,
        true,
        "release",
        "",
    ),
    (
        57,
        "sanna",
        "TM-1213",
        "4410-220 C Laippa / flange",
        250,
        false,
        "hold",
        "Sinkityksessä valumia 6 kappaleessa; erä pidätetty, kappaleet palautettu pinnoittajalle. / Runs in the zinc plating on 6 pieces; lot held, the pieces returned to the plater.",
    ),
    (
        50,
        "sanna",
        "TM-1213",
        "4410-220 C Laippa / flange",
        250,
        true,
        "release",
        "Uudelleen pinnoitetut 6 kappaletta tarkastettu, koko erä kunnossa. / The 6 re-plated pieces inspected; the whole lot is fine.",
    ),
    (
        43,
        "tuomas",
        "TM-1220",
        "NL-5120-018 B Akseli / shaft",
        120,
        true,
        "release",
        "",
    ),
    (
        30,
        "eeva",
        "TM-1231",
        "FM-3305-104 A Laippa / flange",
        30,
        true,
        "release",
        "",
    ),
    (
        16,
        "jari",
        "TM-1238",
        "TPK-88-412 A Holkki / bushing",
        24,
        true,
        "release",
        "",
    ),
    (
        6,
        "tuomas",
        "TM-1244",
        "4410-221 A Laippa / flange",
        150,
        true,
        "release",
        "",
    ),
];

fn inspection_values(work_order: &str, part: &str, quantity: i64, surface: bool) -> Value {
    let mut documents = vec!["measurement_report"];
    if part.starts_with("FM-") || part.starts_with("TPK-") {
        documents.insert(0, "material_cert");
    }
    json!({
        "work_order": work_order,
        "part": part,
        "quantity": quantity,
        "dimensions_ok": true,
        "surface_ok": surface,
        "marking_ok": true,
        "documents": documents,
    })
}

fn final_inspections(d: &mut Demo) -> AppResult<()> {
    for (days, by, work_order, part, quantity, surface, decision, note) in INSPECTIONS {
        let at = d.at(*days, 10, 5);
        let mut values = inspection_values(work_order, part, *quantity, *surface);
        values["decision"] = json!(decision);
        values["notes"] = json!(note);
        // One quantity was counted from the wrong order line and corrected
        // after the release; the corrected version is released again.
        let first = if *work_order == "TM-1220" {
            let mut v = values.clone();
            v["quantity"] = json!(112);
            v
        } else {
            values.clone()
        };
        let number = d.submit(FINAL_INSPECTION, by, first, at)?;
        if *decision != "release" {
            continue;
        }
        d.sign(
            &number,
            "antti",
            RecordMeaning::Released,
            at + TimeDelta::minutes(50),
        )?;
        if *work_order == "TM-1220" {
            d.correct(
                &number,
                by,
                values,
                "Määrä luettu väärältä tilausriviltä: erässä 120 kpl. / The quantity was read from the wrong order line: the lot is 120 pcs.",
                at + TimeDelta::hours(2),
            )?;
            d.sign(
                &number,
                "antti",
                RecordMeaning::Released,
                at + TimeDelta::minutes(150),
            )?;
        }
    }
    Ok(())
}

fn design_reviews(d: &mut Demo) -> AppResult<()> {
    let participants =
        "Pekka Virtanen, Tuomas Laine, Antti Koskinen; Pirkan Hydrauliikka: Jussi Rinne";
    let project = "Hydrauliikkalohkon HB-40 kiinnitin / fixture for hydraulic block HB-40";
    let due = |at: NaiveDateTime, days: i64| (at.date() + TimeDelta::days(days)).to_string();
    let reviews: [(i64, &'static str, &str, bool, &str, Vec<Value>, &str); 4] = [
        (80, "pekka", "concept", true, "proceed", vec![], ""),
        (
            58,
            "pekka",
            "detail",
            false,
            "review_again",
            vec![
                json!({"action": "Kiristysvoiman mitoitus uudelleen: ohut seinämä taipuu 0,03 mm / size the clamping force again: the thin wall deflects 0.03 mm", "owner": "tuomas"}),
            ],
            "Kiristys muuttaa ohuen seinämän mittoja; lähtötieto ±0,02 mm ei täyty. / Clamping deforms the thin wall; the ±0.02 mm input is not met.",
        ),
        (
            41,
            "tuomas",
            "detail",
            true,
            "proceed_with_actions",
            vec![],
            "Tukipiste lisätty seinämän alle; FEM-tarkastelussa taipuma 0,004 mm. / Support point added under the wall; 0.004 mm deflection in the FEM check.",
        ),
        (12, "pekka", "pre_production", true, "proceed", vec![], ""),
    ];
    for (days, by, stage, inputs_met, decision, extra, note) in reviews {
        let at = d.at(days, 11, 0);
        let mut actions = extra;
        for a in actions.iter_mut() {
            a["due"] = json!(due(at, 10));
            a["done"] = json!(true);
        }
        match stage {
            "concept" => actions.push(json!({"action": "Kiinnityspisteet asiakkaan 3D-mallista / clamping points from the customer's 3D model", "owner": "tuomas", "due": due(at, 7), "done": true})),
            "detail" if inputs_met => actions.push(json!({"action": "Koekappale ja mittaus ennen sarjaa / trial piece measured before the series", "owner": "antti", "due": due(at, 14), "done": true})),
            "pre_production" => actions.push(json!({"action": "Ensimmäisen kappaleen tarkastus ja mittauspöytäkirja asiakkaalle / first article inspection and report to the customer", "owner": "antti", "due": due(at, 10), "done": false})),
            _ => {}
        }
        let values = json!({
            "project": project,
            "stage": stage,
            "participants": participants,
            "inputs_met": inputs_met,
            "actions": actions,
            "decision": decision,
            "notes": note,
        });
        d.submit(DESIGN_REVIEW, by, values, at)?;
    }
    Ok(())
}

/// Thirteen weeks of checks of the two machines; the newest check of the
/// lathe, yesterday, found the door interlock broken and became a
/// nonconformity. It is reported after the nonconformity demo's cases (the
/// last of which is reported yesterday morning), so that the numbers still
/// follow the report dates.
fn machine_checks(d: &mut Demo) -> AppResult<()> {
    let lathe = ["sanna", "tuomas", "jari"];
    let mill = ["mikko", "eeva"];
    for week in (0..13i64).rev() {
        let days = 1 + 7 * week;
        for (m, machine) in ["lathe_1", "mill_2"].into_iter().enumerate() {
            let by = if m == 0 {
                lathe[week as usize % 3]
            } else {
                mill[week as usize % 2]
            };
            let at = d.at(days, 11, 10 + 20 * m as i64);
            let pressure = 6.0 + ((week * 3 + m as i64) % 5) as f64 / 10.0;
            let broken = week == 0 && machine == "lathe_1";
            let values = |pressure: f64| {
                json!({
                    "machine": machine,
                    "guards_ok": !broken,
                    "coolant_ok": true,
                    "lubrication_ok": true,
                    "chips_ok": true,
                    "air_pressure": pressure,
                    "remarks": if broken {
                        "Oven turvakytkin ei pysäyttänyt karaa oven auetessa. Kone pysäytetty ja lukittu, ilmoitettu Pekalle. / The door interlock did not stop the spindle when the door opened. Machine stopped and locked out, Pekka told."
                    } else {
                        ""
                    },
                })
            };
            // One pressure was typed without its decimal point.
            let typo = week == 7 && machine == "mill_2";
            let first = if typo { 62.0 } else { pressure };
            let number = d.submit(MACHINE_CHECK, by, values(first), at)?;
            if typo {
                d.correct(
                    &number,
                    by,
                    values(6.2),
                    "Desimaalipilkku unohtui: paine oli 6,2 bar. / The decimal point was left out: the pressure was 6.2 bar.",
                    at + TimeDelta::minutes(10),
                )?;
            }
            if broken {
                report_interlock(d, by, &number, at)?;
            }
        }
    }
    Ok(())
}

fn report_interlock(
    d: &mut Demo,
    by: &'static str,
    record: &str,
    at: NaiveDateTime,
) -> AppResult<()> {
    let reporter = d.user(by)?;
    let report = NewNonconformity {
        kind: "deviation".into(),
        title: "CNC-sorvi 1: oven turvakytkin ei pysäytä karaa".into(),
        description: "Viikkotarkastuksessa kara jatkoi pyörimistä, kun ovi avattiin. Kone on pysäytetty ja lukittu, kunnes kytkin on korjattu ja toiminta testattu. / In the weekly check the spindle kept turning when the door was opened. The machine is stopped and locked out until the switch is repaired and tested.".into(),
        detected_in: Some("PROD".into()),
        responsible: "PROD".into(),
        severity: "major".into(),
        references: format!("Viikkotarkastus / weekly check {record}"),
        detected_on: Some(at.date().to_string()),
        documents: Vec::new(),
        record: Some(record.to_string()),
    };
    nc::report(
        d.conn,
        NcPolicy::default(),
        &reporter,
        report,
        at + TimeDelta::minutes(25),
    )?;
    Ok(())
}
