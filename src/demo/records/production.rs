//! The shop floor's records: calibrations, final inspections released by
//! the inspector, design reviews with their actions, and the weekly machine
//! checks, one of which became a nonconformity.

use chrono::{Months, NaiveDate, NaiveDateTime, TimeDelta};
use serde_json::{Value, json};

use super::Demo;
use super::templates::{CALIBRATION, DESIGN_REVIEW, FINAL_INSPECTION, MACHINE_CHECK};
use crate::error::AppResult;
use crate::nonconformities::service::{self as nc, NcPolicy, NewNonconformity};
use crate::records::form::RecordMeaning;
use crate::records::service;

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

pub(super) fn calibrations(d: &mut Demo) -> AppResult<()> {
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
                &mut *d.conn,
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

/// Lots inspected before delivery, each a few days before the delivery date
/// its order review promised: (days ago, who measured, work order, part,
/// quantity, surface ok, decision, notes).
type Lot = (
    i64,
    &'static str,
    &'static str,
    &'static str,
    i64,
    bool,
    &'static str,
    &'static str,
);

const INSPECTIONS: &[Lot] = &[
    (
        86,
        "jari",
        "TM-1176",
        "FM-3305-101 A Laippa / flange",
        40,
        true,
        "release",
        "",
    ),
    (
        63,
        "sanna",
        "TM-1187",
        "4410-220 C Laippa / flange",
        200,
        true,
        "release",
        "",
    ),
    (
        51,
        "tuomas",
        "TM-1192",
        "NL-5120-018 B Akseli / shaft",
        60,
        true,
        "release",
        "",
    ),
    (
        42,
        "jari",
        "TM-1213",
        "KAV-2001 A Kiinnike / bracket",
        8,
        true,
        "release",
        "",
    ),
    (
        37,
        "sanna",
        "TM-1208",
        "4410-220 C Laippa / flange",
        250,
        false,
        "hold",
        "Sinkityksessä valumia 6 kappaleessa; erä pidätetty, kappaleet palautettu pinnoittajalle. / Runs in the zinc plating on 6 pieces; lot held, the pieces returned to the plater.",
    ),
    (
        33,
        "sanna",
        "TM-1208",
        "4410-220 C Laippa / flange",
        250,
        true,
        "release",
        "Uudelleen pinnoitetut 6 kappaletta tarkastettu, koko erä kunnossa. / The 6 re-plated pieces inspected; the whole lot is fine.",
    ),
    (
        29,
        "eeva",
        "TM-1201",
        "TPK-88-410 D Holkki / bushing",
        12,
        true,
        "release",
        "",
    ),
    (
        14,
        "tuomas",
        "TM-1220",
        "NL-5120-018 B Akseli / shaft",
        120,
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

pub(super) fn final_inspections(d: &mut Demo) -> AppResult<()> {
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

/// (days ago, who, stage, inputs met, decision, actions found, notes)
type Review = (
    i64,
    &'static str,
    &'static str,
    bool,
    &'static str,
    Vec<Value>,
    &'static str,
);

pub(super) fn design_reviews(d: &mut Demo) -> AppResult<()> {
    let participants =
        "Pekka Virtanen, Tuomas Laine, Antti Koskinen; Pirkan Hydrauliikka: Jussi Rinne";
    let project = "Hydrauliikkalohkon HB-40 kiinnitin / fixture for hydraulic block HB-40";
    let due = |at: NaiveDateTime, days: i64| (at.date() + TimeDelta::days(days)).to_string();
    let reviews: [Review; 4] = [
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
pub(super) fn machine_checks(d: &mut Demo) -> AppResult<()> {
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
        survey_answer: None,
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
