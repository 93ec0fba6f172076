//! Demo competence: a catalogue of the machine shop's competences (the
//! licences with their real validity, the production skills on the ILUO
//! scale), who must hold them (per process, role, person and document),
//! the certifications people hold in every state, planned and completed
//! training, and "read and understood" acknowledgements of two documents,
//! part done.
//!
//! Everything goes through the services, as the people who would do it, so
//! that the audit trail reads as in real use; every date is counted from
//! the application's clock ([`crate::ids::now`]), never a calendar date.
//! Two things the services do not offer yet are written directly, each row
//! with its audit event in the same transaction: one overdue training
//! (see [`overdue_training`]) and the acknowledgements (see [`acknowledge`]).

use std::collections::HashMap;

use chrono::{Months, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::audit::{self, Actor, Change, Diff};
use crate::auth::model::User;
use crate::auth::service::user_by_username;
use crate::competence::catalogue::{self, CompetenceInput, RequirementInput};
use crate::competence::certifications::{
    self, CertificationInput, CorrectionInput, EvidenceFile, Policy,
};
use crate::competence::model::{AcknowledgementRow, LevelInput, TrainingRow, TrainingStatus};
use crate::competence::trainings::{self, CompletionInput, TrainingInput};
use crate::db::schema::{
    acknowledgements, competences, document_reader_roles, documents, process_members, processes,
    revisions, trainings as trainings_table, user_roles,
};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::kit::date::midnight;

/// The expiry window the demo's marks are set with (the default setting).
const POLICY: Policy = Policy { expiring_days: 60 };

/// A catalogued competence: code, names, descriptions, validity in months,
/// whether evidence is required, and the level scale.
struct DemoCompetence {
    code: &'static str,
    name: &'static str,
    name_fi: &'static str,
    description: &'static str,
    description_fi: &'static str,
    validity_months: Option<i32>,
    evidence_required: bool,
    scale: &'static str,
}

const COMPETENCES: &[DemoCompetence] = &[
    DemoCompetence {
        code: "WELD-9606",
        name: "Welder qualification EN ISO 9606-1",
        name_fi: "Hitsaajan pätevyyskoe SFS-EN ISO 9606-1",
        description: "Welder qualification test for fusion welding of steels (process 135, MAG), by an inspection body; confirmed every six months by the welding coordinator, revalidated every two years.",
        description_fi: "Terästen sulahitsauksen pätevyyskoe (prosessi 135, MAG) tarkastuslaitoksen valvomana; hitsauskoordinaattori vahvistaa puolen vuoden välein, uusitaan kahden vuoden välein.",
        validity_months: Some(24),
        evidence_required: true,
        scale: "none",
    },
    DemoCompetence {
        code: "MAG-WELD",
        name: "MAG welding",
        name_fi: "MAG-hitsaus",
        description: "Welding brackets and frames to the welding procedure specification (WPS) and the drawing.",
        description_fi: "Kiinnikkeiden ja runkojen hitsaus hitsausohjeen (WPS) ja piirustuksen mukaan.",
        validity_months: None,
        evidence_required: false,
        scale: "iluo",
    },
    DemoCompetence {
        code: "CNC-SETUP",
        name: "CNC machine setup",
        name_fi: "CNC-koneen asetus",
        description: "Setting up the CNC lathes and mills: fixtures, tools and offsets, first-piece check.",
        description_fi: "CNC-sorvien ja -jyrsinten asetus: kiinnittimet, terät ja korjaukset, ensimmäisen kappaleen tarkastus.",
        validity_months: None,
        evidence_required: false,
        scale: "iluo",
    },
    DemoCompetence {
        code: "ASSEMBLY",
        name: "Assembly",
        name_fi: "Kokoonpano",
        description: "Assembling parts to the assembly drawing, torque values and the parts list.",
        description_fi: "Osien kokoonpano kokoonpanopiirustuksen, kiristysmomenttien ja osaluettelon mukaan.",
        validity_months: None,
        evidence_required: false,
        scale: "iluo",
    },
    DemoCompetence {
        code: "FINAL-INSP",
        name: "Final inspection",
        name_fi: "Lopputarkastus",
        description: "Inspecting finished parts against the drawing and releasing them for delivery.",
        description_fi: "Valmiiden osien tarkastus piirustusta vasten ja vapauttaminen toimitukseen.",
        validity_months: None,
        evidence_required: false,
        scale: "iluo",
    },
    DemoCompetence {
        code: "MEAS",
        name: "Use of measuring instruments",
        name_fi: "Mittavälineiden käyttö",
        description: "Calipers, micrometers, dial gauges and thread gauges: reading, care, checking the calibration label.",
        description_fi: "Työntömitat, mikrometrit, mittakellot ja kierretulkit: lukeminen, hoito, kalibrointitarran tarkistus.",
        validity_months: None,
        evidence_required: false,
        scale: "none",
    },
    DemoCompetence {
        code: "CALIBRATION",
        name: "Calibration of measuring instruments",
        name_fi: "Mittavälineiden kalibrointi",
        description: "Calibrating the shop's instruments against the reference gauge blocks and recording the results (ISO 9001 7.1.5.2).",
        description_fi: "Mittavälineiden kalibrointi vertailumittapaloja vasten ja tulosten kirjaaminen (ISO 9001 7.1.5.2).",
        validity_months: None,
        evidence_required: false,
        scale: "none",
    },
    DemoCompetence {
        code: "FORKLIFT",
        name: "Forklift licence",
        name_fi: "Trukkikortti",
        description: "Forklift driver training and the employer's written permission to drive (Government Decree 403/2008).",
        description_fi: "Trukinkuljettajan koulutus ja työnantajan kirjallinen ajolupa (VNA 403/2008).",
        validity_months: Some(60),
        evidence_required: true,
        scale: "none",
    },
    DemoCompetence {
        code: "FIRST-AID",
        name: "First aid EA1",
        name_fi: "Ensiapu EA1",
        description: "Red Cross first aid course EA 1 (16 h); refreshed every three years.",
        description_fi: "SPR:n ensiapukurssi EA 1 (16 h); kertaus kolmen vuoden välein.",
        validity_months: Some(36),
        evidence_required: true,
        scale: "none",
    },
    DemoCompetence {
        code: "HOT-WORK",
        name: "Hot work licence",
        name_fi: "Tulityökortti",
        description: "Hot work safety training (Finnish National Rescue Association); needed for welding and grinding outside the welding booth.",
        description_fi: "Tulityöturvallisuuskoulutus (SPEK); tarvitaan hitsaukseen ja hiontaan hitsauskopin ulkopuolella.",
        validity_months: Some(60),
        evidence_required: true,
        scale: "none",
    },
    DemoCompetence {
        code: "ELEC-SAFETY",
        name: "Electrical safety (SFS 6002)",
        name_fi: "Sähkötyöturvallisuus (SFS 6002)",
        description: "Electrical work safety training to SFS 6002, for maintenance work on the machines' electrics.",
        description_fi: "Sähkötyöturvallisuuskoulutus SFS 6002 mukaan koneiden sähkökunnossapitoon.",
        validity_months: Some(60),
        evidence_required: true,
        scale: "none",
    },
    DemoCompetence {
        code: "OHS-CARD",
        name: "Occupational safety card",
        name_fi: "Työturvallisuuskortti",
        description: "The Centre for Occupational Safety's one-day course on safety at shared workplaces.",
        description_fi: "Työturvallisuuskeskuksen yhden päivän kurssi yhteisen työpaikan turvallisuudesta.",
        validity_months: Some(60),
        evidence_required: true,
        scale: "none",
    },
    DemoCompetence {
        code: "INT-AUDITOR",
        name: "Internal auditor ISO 9001",
        name_fi: "Sisäinen auditoija ISO 9001",
        description: "Internal auditor course (ISO 9001 and ISO 19011) and at least one audit as a co-auditor.",
        description_fi: "Sisäisen auditoijan kurssi (ISO 9001 ja ISO 19011) ja vähintään yksi auditointi apuauditoijana.",
        validity_months: None,
        evidence_required: false,
        scale: "none",
    },
    DemoCompetence {
        code: "DATA-PROTECT",
        name: "Data protection basics",
        name_fi: "Tietosuojan perusteet",
        description: "Handling customers' and suppliers' personal data under the GDPR; repeated every two years.",
        description_fi: "Asiakkaiden ja toimittajien henkilötietojen käsittely tietosuoja-asetuksen mukaan; toistetaan kahden vuoden välein.",
        validity_months: Some(24),
        evidence_required: false,
        scale: "none",
    },
];

/// Whom a requirement is for.
enum For {
    Process(&'static str),
    Role(&'static str),
    User(&'static str),
    Document(&'static str),
}

/// (competence, whom, level)
const REQUIREMENTS: &[(&str, For, Option<&str>)] = &[
    // Everyone in production.
    ("OHS-CARD", For::Process("PROD"), None),
    ("MEAS", For::Process("PROD"), None),
    ("ASSEMBLY", For::Process("PROD"), Some("U")),
    // Incoming inspection is done in purchasing.
    ("MEAS", For::Process("PURCH"), None),
    ("FORKLIFT", For::Process("DELIV"), None),
    ("INT-AUDITOR", For::Process("IMPR"), None),
    ("DATA-PROTECT", For::Process("SALES"), None),
    ("DATA-PROTECT", For::Process("CS"), None),
    // Supervisors are the first aiders; quality managers audit.
    ("FIRST-AID", For::Role("process_owner"), None),
    ("INT-AUDITOR", For::Role("quality_manager"), None),
    // The welders.
    ("WELD-9606", For::User("mikko"), None),
    ("WELD-9606", For::User("jari"), None),
    ("MAG-WELD", For::User("mikko"), Some("U")),
    ("MAG-WELD", For::User("jari"), Some("U")),
    ("HOT-WORK", For::User("mikko"), None),
    ("HOT-WORK", For::User("jari"), None),
    // The machine setters.
    ("CNC-SETUP", For::User("tuomas"), Some("U")),
    ("CNC-SETUP", For::User("sanna"), Some("U")),
    // The inspector, the maintenance electrician, the warehouse's first aider.
    ("FINAL-INSP", For::User("antti"), Some("U")),
    ("CALIBRATION", For::User("antti"), None),
    ("ELEC-SAFETY", For::User("heikki"), None),
    ("HOT-WORK", For::User("heikki"), None),
    ("FIRST-AID", For::User("ville"), None),
    // Whoever reads the incoming inspection instruction measures.
    ("MEAS", For::Document("WI-001"), None),
];

/// A certification as recorded: holder, competence, who recorded it, the
/// day of issue (`months` and `days` before today: issued on today minus
/// `months` months plus `plus_days` days), the level, the issuer, and
/// whether its evidence file comes with it (competences that require one).
struct DemoCert {
    holder: &'static str,
    competence: &'static str,
    by: &'static str,
    months_ago: u32,
    plus_days: i64,
    level: Option<&'static str>,
    issuer: &'static str,
    with_file: bool,
}

#[allow(clippy::too_many_arguments)] // one line per certification in the table below
const fn cert(
    holder: &'static str,
    competence: &'static str,
    by: &'static str,
    months_ago: u32,
    plus_days: i64,
    level: Option<&'static str>,
    issuer: &'static str,
    with_file: bool,
) -> DemoCert {
    DemoCert {
        holder,
        competence,
        by,
        months_ago,
        plus_days,
        level,
        issuer,
        with_file,
    }
}

const TTK: &str = "Työturvallisuuskeskus TTK";
const SPR: &str = "Suomen Punainen Risti";
const SPEK: &str = "Suomen Pelastusalan Keskusjärjestö SPEK";

/// Plain certifications (renewals, the correction and the trainings'
/// certifications are in [`load`]). The states they come to at load:
/// valid unless a comment says otherwise.
const CERTS: &[DemoCert] = &[
    // mikko: welder; hot work licence expiring in 30 days.
    cert("mikko", "OHS-CARD", "pekka", 24, 0, None, TTK, true),
    cert(
        "mikko",
        "MEAS",
        "pekka",
        18,
        0,
        None,
        "Pekka Virtanen",
        false,
    ),
    cert(
        "mikko",
        "ASSEMBLY",
        "pekka",
        30,
        0,
        Some("U"),
        "Pekka Virtanen",
        false,
    ),
    cert(
        "mikko",
        "MAG-WELD",
        "pekka",
        20,
        0,
        Some("O"),
        "Pekka Virtanen",
        false,
    ),
    cert("mikko", "HOT-WORK", "pekka", 60, 30, None, SPEK, true),
    // jari: welder; qualification expiring in 40 days with no evidence file,
    // hot work licence expired, assembly below the level required (L < U).
    cert("jari", "OHS-CARD", "pekka", 30, 0, None, TTK, true),
    cert(
        "jari",
        "MEAS",
        "pekka",
        12,
        0,
        None,
        "Pekka Virtanen",
        false,
    ),
    cert(
        "jari",
        "ASSEMBLY",
        "pekka",
        14,
        0,
        Some("L"),
        "Pekka Virtanen",
        false,
    ),
    cert(
        "jari",
        "MAG-WELD",
        "pekka",
        14,
        0,
        Some("U"),
        "Pekka Virtanen",
        false,
    ),
    cert(
        "jari",
        "WELD-9606",
        "pekka",
        24,
        40,
        None,
        "Inspecta Sertifiointi Oy",
        false,
    ),
    cert("jari", "HOT-WORK", "pekka", 62, 0, None, SPEK, true),
    // tuomas: CNC setter at L, in training for U.
    cert("tuomas", "OHS-CARD", "pekka", 12, 0, None, TTK, true),
    cert(
        "tuomas",
        "MEAS",
        "pekka",
        36,
        0,
        None,
        "Antti Koskinen",
        false,
    ),
    cert(
        "tuomas",
        "ASSEMBLY",
        "pekka",
        24,
        0,
        Some("U"),
        "Pekka Virtanen",
        false,
    ),
    cert(
        "tuomas",
        "CNC-SETUP",
        "pekka",
        6,
        0,
        Some("L"),
        "Sanna Nieminen",
        false,
    ),
    // eeva: assembler (O); her safety card is the corrected entry; she is
    // in (overdue) training for the measuring instruments.
    cert(
        "eeva",
        "ASSEMBLY",
        "pekka",
        40,
        0,
        Some("O"),
        "Pekka Virtanen",
        false,
    ),
    // antti: inspector and internal auditor; assembly only at I.
    cert("antti", "OHS-CARD", "pekka", 20, 0, None, TTK, true),
    cert("antti", "MEAS", "pekka", 48, 0, None, "Mittaus Oy", false),
    cert(
        "antti",
        "ASSEMBLY",
        "pekka",
        3,
        0,
        Some("I"),
        "Eeva Lehtonen",
        false,
    ),
    cert(
        "antti",
        "FINAL-INSP",
        "pekka",
        36,
        0,
        Some("O"),
        "Pekka Virtanen",
        false,
    ),
    cert(
        "antti",
        "CALIBRATION",
        "laura",
        24,
        0,
        None,
        "Mittaus Oy",
        false,
    ),
    cert(
        "antti",
        "INT-AUDITOR",
        "laura",
        18,
        0,
        None,
        "Laatukoulutus Oy",
        false,
    ),
    // heikki: maintenance electrician; safety card expired; no measuring
    // instruments or assembly recorded (missing).
    cert("heikki", "OHS-CARD", "pekka", 61, 0, None, TTK, true),
    cert("heikki", "HOT-WORK", "pekka", 8, 0, None, SPEK, true),
    // sanna: CNC setter (O), also drives the forklift in delivery.
    cert("sanna", "OHS-CARD", "pekka", 26, 0, None, TTK, true),
    cert(
        "sanna",
        "MEAS",
        "pekka",
        30,
        0,
        None,
        "Antti Koskinen",
        false,
    ),
    cert(
        "sanna",
        "ASSEMBLY",
        "pekka",
        28,
        0,
        Some("U"),
        "Pekka Virtanen",
        false,
    ),
    cert(
        "sanna",
        "CNC-SETUP",
        "pekka",
        40,
        0,
        Some("O"),
        "DMG Mori Academy",
        false,
    ),
    cert(
        "sanna",
        "FORKLIFT",
        "pekka",
        22,
        0,
        None,
        "Trukkikoulu Oy",
        true,
    ),
    // james: assembly at I (in training again after a training that did not work).
    cert("james", "OHS-CARD", "pekka", 9, 0, None, TTK, true),
    cert(
        "james",
        "ASSEMBLY",
        "pekka",
        5,
        0,
        Some("I"),
        "Eeva Lehtonen",
        false,
    ),
    cert(
        "james",
        "DATA-PROTECT",
        "maria",
        6,
        0,
        None,
        "Maria Korhonen",
        false,
    ),
    // The office and the warehouse.
    cert("ville", "FIRST-AID", "pekka", 12, 0, None, SPR, true),
    cert(
        "riikka",
        "MEAS",
        "maria",
        20,
        0,
        None,
        "Antti Koskinen",
        false,
    ),
    cert(
        "emma",
        "DATA-PROTECT",
        "maria",
        14,
        0,
        None,
        "Maria Korhonen",
        false,
    ),
    // kaisa: data protection expired a month ago.
    cert(
        "kaisa",
        "DATA-PROTECT",
        "maria",
        25,
        0,
        None,
        "Maria Korhonen",
        false,
    ),
    // maria records her own first aid, expiring in 20 days.
    cert("maria", "FIRST-AID", "maria", 36, 20, None, SPR, true),
    cert(
        "pekka",
        "INT-AUDITOR",
        "laura",
        40,
        0,
        None,
        "Laatukoulutus Oy",
        false,
    ),
    cert(
        "laura",
        "INT-AUDITOR",
        "olli",
        60,
        0,
        None,
        "Laatukoulutus Oy",
        false,
    ),
];

/// Loads the competence demo unless a competence is catalogued already.
///
/// # Errors
/// A database fault or a refusal by the services.
pub fn load(conn: &mut DbConn) -> AppResult<()> {
    let existing: i64 = competences::table.count().get_result(conn)?;
    if existing > 0 {
        return Ok(());
    }
    let now = crate::ids::now();
    let today = now.date();
    let mut people = People::default();
    let laura = people.get(conn, "laura")?;
    let olli = people.get(conn, "olli")?;
    let pekka = people.get(conn, "pekka")?;

    for c in COMPETENCES {
        catalogue::create(
            conn,
            &laura,
            CompetenceInput {
                code: Some(c.code.into()),
                name: Some(c.name.into()),
                name_fi: Some(c.name_fi.into()),
                description: Some(c.description.into()),
                description_fi: Some(c.description_fi.into()),
                validity_months: c.validity_months,
                evidence_required: Some(c.evidence_required),
                scale: Some(c.scale.into()),
                ..CompetenceInput::default()
            },
        )?;
    }
    for (code, whom, level) in REQUIREMENTS {
        let mut input = RequirementInput {
            level: level.map(|l| LevelInput::Text(l.into())),
            ..RequirementInput::default()
        };
        match whom {
            For::Process(p) => input.process = Some((*p).into()),
            For::Role(r) => input.role = Some((*r).into()),
            For::User(u) => input.user = Some((*u).into()),
            For::Document(d) => input.document = Some((*d).into()),
        }
        catalogue::add_requirement(conn, &laura, code, input)?;
    }

    for c in CERTS {
        let by = people.get(conn, c.by)?;
        record(conn, &by, c, today)?;
    }

    // Renewed: mikko's welder qualification lapsed a month ago and was
    // renewed since; the new certificate has its scan and is verified.
    let mikko_old = cert(
        "mikko",
        "WELD-9606",
        "pekka",
        25,
        0,
        None,
        "Inspecta Sertifiointi Oy",
        true,
    );
    record(conn, &pekka, &mikko_old, today)?;
    let mikko_new = cert(
        "mikko",
        "WELD-9606",
        "pekka",
        0,
        -20,
        None,
        "Inspecta Sertifiointi Oy",
        true,
    );
    let (id, version) = record(conn, &pekka, &mikko_new, today)?;
    certifications::verify(conn, &laura, &id, Some(version))?;

    // Verified with evidence: heikki's electrical safety, ville's forklift
    // licence (the scan added after recording), pekka's first aid.
    let heikki = cert(
        "heikki",
        "ELEC-SAFETY",
        "pekka",
        10,
        0,
        None,
        "Sähkötieto ry",
        true,
    );
    let (id, version) = record(conn, &pekka, &heikki, today)?;
    certifications::verify(conn, &laura, &id, Some(version))?;
    let ville = cert(
        "ville",
        "FORKLIFT",
        "pekka",
        30,
        0,
        None,
        "Trukkikoulu Oy",
        false,
    );
    let (id, _) = record(conn, &pekka, &ville, today)?;
    let (view, _) = certifications::add_evidence(
        conn,
        &pekka,
        &id,
        evidence("ville", "FORKLIFT", "Trukkikoulu Oy"),
    )?;
    certifications::verify(conn, &laura, &id, Some(view.version))?;
    let pekka_aid = cert("pekka", "FIRST-AID", "pekka", 18, 0, None, SPR, true);
    let (id, version) = record(conn, &pekka, &pekka_aid, today)?;
    certifications::verify(conn, &olli, &id, Some(version))?;

    // Corrected: eeva's safety card was entered with the day of issue of
    // her old card; the correction gives the right day and says why.
    let eeva_card = cert("eeva", "OHS-CARD", "pekka", 14, 0, None, TTK, true);
    let (id, version) = record(conn, &pekka, &eeva_card, today)?;
    certifications::correct(
        conn,
        POLICY,
        &pekka,
        &id,
        CorrectionInput {
            reason: Some(
                "Päivämäärä kirjattiin vanhasta kortista; uuden kortin myöntöpäivä on kuukautta aiemmin. / The day of issue was taken from her old card; the new card was issued a month earlier."
                    .into(),
            ),
            issued_on: Some(issued(today, 15, 0).to_string()),
            version: Some(version),
            ..CorrectionInput::default()
        },
    )?;

    load_trainings(conn, &mut people, now)?;
    acknowledge(conn, &mut people, now)?;

    certifications::mark_expiry(conn, POLICY, now)?;
    trainings::mark_overdue(conn, now)?;
    Ok(())
}

/// The day of issue `months` months and `plus_days` days before `today`.
fn issued(today: NaiveDate, months: u32, plus_days: i64) -> NaiveDate {
    today
        .checked_sub_months(Months::new(months))
        .unwrap_or(today)
        + TimeDelta::days(plus_days)
}

/// A stand-in for the scanned certificate: a short text file that says
/// what it stands for.
fn evidence(holder: &str, competence: &str, issuer: &str) -> EvidenceFile {
    EvidenceFile {
        filename: format!("{}-{holder}.txt", competence.to_ascii_lowercase()),
        content_type: "text/plain; charset=utf-8".into(),
        bytes: format!(
            "Laatu demo: this file stands for the scanned {competence} certificate of {holder}, issued by {issuer}.\n"
        )
        .into_bytes(),
    }
}

/// Records one certification through the service; answers its id and version.
fn record(
    conn: &mut DbConn,
    by: &User,
    c: &DemoCert,
    today: NaiveDate,
) -> AppResult<(String, i32)> {
    let view = certifications::record(
        conn,
        POLICY,
        by,
        CertificationInput {
            user: Some(c.holder.into()),
            competence: Some(c.competence.into()),
            issued_on: Some(issued(today, c.months_ago, c.plus_days).to_string()),
            issuer: Some(c.issuer.into()),
            level: c.level.map(|l| LevelInput::Text(l.into())),
            ..CertificationInput::default()
        },
        c.with_file
            .then(|| evidence(c.holder, c.competence, c.issuer)),
    )?;
    Ok((view.id, view.version))
}

/// Training: one overdue, one due soon, one later, one completed that
/// worked (with the certification it led to) and one that did not (with
/// the training planned again).
fn load_trainings(conn: &mut DbConn, people: &mut People, now: NaiveDateTime) -> AppResult<()> {
    let today = now.date();
    let pekka = people.get(conn, "pekka")?;
    let laura = people.get(conn, "laura")?;
    let antti = people.get(conn, "antti")?;
    let eeva = people.get(conn, "eeva")?;
    let plan = |conn: &mut DbConn,
                by: &User,
                competence: &str,
                user: &str,
                trainer: &str,
                due_in: i64,
                level: Option<&str>,
                note: &str|
     -> AppResult<(String, i32)> {
        let rows = trainings::plan(
            conn,
            by,
            TrainingInput {
                competence: Some(competence.into()),
                user: Some(user.into()),
                trainer: Some(trainer.into()),
                due_on: Some((today + TimeDelta::days(due_in)).to_string()),
                level: level.map(|l| LevelInput::Text(l.into())),
                note: Some(note.into()),
                ..TrainingInput::default()
            },
        )?;
        let t = rows
            .into_iter()
            .next()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("no training planned")))?;
        Ok((t.id, t.version))
    };
    // Due soon: tuomas from L to U on CNC setup, with sanna.
    plan(
        conn,
        &pekka,
        "CNC-SETUP",
        "tuomas",
        "sanna",
        10,
        Some("U"),
        "Asettaa itsenäisesti kolme uutta nimikettä Sannan seuratessa. / Sets up three new items on his own, Sanna watching.",
    )?;
    // Later: kaisa's internal auditor course.
    plan(
        conn,
        &laura,
        "INT-AUDITOR",
        "kaisa",
        "laura",
        45,
        None,
        "ISO 19011 course, then the purchasing audit as co-auditor.",
    )?;
    // Completed and it worked: james on the measuring instruments.
    let (id, version) = plan(
        conn,
        &pekka,
        "MEAS",
        "james",
        "antti",
        0,
        None,
        "Calipers and micrometers; reading and care.",
    )?;
    trainings::complete(
        conn,
        POLICY,
        &antti,
        &id,
        CompletionInput {
            effective: Some(true),
            evaluation: Some(
                "James measured ten parts from the last batch; all his readings agreed with the measuring room's within 0.01 mm."
                    .into(),
            ),
            version: Some(version),
            ..CompletionInput::default()
        },
    )?;
    // Completed and it did not work: james on assembly; planned again.
    let (id, version) = plan(
        conn,
        &pekka,
        "ASSEMBLY",
        "james",
        "eeva",
        0,
        Some("L"),
        "Kokoonpano piirustuksen mukaan. / Assembly to the drawing.",
    )?;
    trainings::complete(
        conn,
        POLICY,
        &eeva,
        &id,
        CompletionInput {
            effective: Some(false),
            evaluation: Some(
                "Two of five assemblies had the wrong torque: the torque table was not used. Not yet L; trained again with the table at the station."
                    .into(),
            ),
            version: Some(version),
            ..CompletionInput::default()
        },
    )?;
    plan(
        conn,
        &pekka,
        "ASSEMBLY",
        "james",
        "eeva",
        21,
        Some("L"),
        "Second round, with the torque table at the station.",
    )?;
    overdue_training(conn, &pekka, &antti, "eeva", "MEAS", now)?;
    Ok(())
}

/// Eeva's measuring-instrument training, planned forty days ago and due
/// five days ago, not done: the overdue one.
///
/// `trainings::plan` only plans from today on, so a training that is
/// already late cannot come through it, and shifting the clock back would
/// put its audit event out of order in the hash chain. As the demo
/// nonconformities do, the row carries the days of the story (planned 40
/// days ago, due 5 days ago) while its audit event is written now, in the
/// same transaction, with what `plan` would have written; the overdue mark
/// is then set by the scheduler's own job (`trainings::mark_overdue` at
/// load), audited as the scheduler, so the demo shows it late at once.
fn overdue_training(
    conn: &mut DbConn,
    by: &User,
    trainer: &User,
    trainee: &str,
    competence: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    let trainee = user_by_username(conn, trainee)?;
    let competence = catalogue::row_by_code(conn, competence)?;
    let due = midnight(now.date() - TimeDelta::days(5));
    let row = TrainingRow {
        id: new_id(),
        competence_id: competence.id.clone(),
        user_id: trainee.id.0.clone(),
        trainer_id: trainer.id.0.clone(),
        group_id: new_id(),
        due_on: due,
        level: None,
        note: "Mittavälineiden käyttö ennen mittaushuoneen vuoroja. / Measuring instruments before her shifts in the measuring room."
            .into(),
        status: TrainingStatus::Planned,
        overdue: false,
        planned_by: by.id.0.clone(),
        planned_at: now - TimeDelta::days(40),
        closed_by: None,
        closed_at: None,
        effective: None,
        evaluation: String::new(),
        version: 1,
    };
    write_tx(conn, |conn| {
        diesel::insert_into(trainings_table::table)
            .values(&row)
            .execute(conn)?;
        audit::record(
            conn,
            &Actor::user(&by.id, &by.username),
            Change {
                action: "training.planned",
                entity_type: "training",
                entity_id: &row.id,
                summary: format!(
                    "planned {} training for {} by {}, due {}",
                    competence.code,
                    trainee.username,
                    trainer.username,
                    due.date()
                ),
                changes: Diff::new()
                    .created("competence", &competence.code)
                    .created("user", &trainee.username)
                    .created("trainer", &trainer.username)
                    .created("due_on", &due.date())
                    .created("level", &None::<String>)
                    .created("group", &row.group_id)
                    .created("planned_at", &row.planned_at)
                    .into_value(),
            },
        )?;
        Ok(())
    })
}

/// Documents read by named roles, and the readers who acknowledged them.
const READER_ROLES: &[(&str, &str)] = &[("QP-001", "staff"), ("QP-002", "process_owner")];
/// Who acknowledged what (about half of each document's readers).
const ACKNOWLEDGED: &[(&str, &[&str])] = &[
    (
        "QP-001",
        &[
            "pekka", "maria", "sanna", "mikko", "jari", "antti", "riikka", "emma",
        ],
    ),
    ("QP-002", &["pekka", "antti"]),
    ("WI-002", &["sanna"]),
];

/// Reader roles on QP-001 (staff) and QP-002 (process owners), and
/// acknowledgements of about half of the readers of those and of WI-002.
///
/// The acknowledgement service is being built beside this; until it is,
/// the rows are written here as it will write them, each with its audit
/// event in the same transaction. They are dated at load: the demo's
/// revisions become effective at load, and a reading dated before the
/// revision it signs could not have happened.
fn acknowledge(conn: &mut DbConn, people: &mut People, now: NaiveDateTime) -> AppResult<()> {
    let laura = people.get(conn, "laura")?;
    for &(number, role) in READER_ROLES {
        let doc: String = documents::table
            .filter(documents::number.eq(number))
            .select(documents::id)
            .first(conn)?;
        write_tx(conn, |conn| {
            diesel::insert_into(document_reader_roles::table)
                .values((
                    document_reader_roles::document_id.eq(&doc),
                    document_reader_roles::role.eq(role),
                ))
                .execute(conn)?;
            audit::record(
                conn,
                &Actor::user(&laura.id, &laura.username),
                Change {
                    action: "document.readers_set",
                    entity_type: "document",
                    entity_id: number,
                    summary: format!("{number} is to be read by every {role} too"),
                    changes: Diff::new()
                        .field("reader_roles", &Vec::<&str>::new(), &vec![role])
                        .into_value(),
                },
            )?;
            Ok(())
        })?;
    }
    for &(number, readers) in ACKNOWLEDGED {
        let (doc, rev, commit): (String, Option<i32>, Option<String>) = documents::table
            .filter(documents::number.eq(number))
            .select((
                documents::id,
                documents::effective_revision,
                documents::effective_commit,
            ))
            .first(conn)?;
        let not_effective =
            || AppError::internal(anyhow::anyhow!("demo document {number} is not in force"));
        let rev = rev.ok_or_else(not_effective)?;
        let commit = commit.ok_or_else(not_effective)?;
        let revision: String = revisions::table
            .filter(revisions::document_id.eq(&doc))
            .filter(revisions::rev.eq(rev))
            .select(revisions::id)
            .first(conn)?;
        let must_read = readers_of(conn, &doc)?;
        for &reader in readers {
            let user = people.get(conn, reader)?;
            if !must_read.contains(&user.id.0) {
                return Err(AppError::internal(anyhow::anyhow!(
                    "{reader} is not a reader of {number}"
                )));
            }
            let row = AcknowledgementRow {
                id: new_id(),
                document_id: doc.clone(),
                revision_id: revision.clone(),
                rev,
                commit_id: commit.clone(),
                user_id: user.id.0.clone(),
                user_name: user.username.clone(),
                meaning: "read_and_understood".into(),
                password_confirmed: true,
                acknowledged_at: now,
            };
            write_tx(conn, |conn| {
                diesel::insert_into(acknowledgements::table)
                    .values(&row)
                    .execute(conn)?;
                audit::record(
                    conn,
                    &Actor::user(&user.id, &user.username),
                    Change {
                        action: "document.acknowledged",
                        entity_type: "document",
                        entity_id: number,
                        summary: format!("{} read and understood {number} r{rev}", user.username),
                        changes: Diff::new()
                            .created("acknowledgement", &row.id)
                            .created("rev", &rev)
                            .created("commit", &commit)
                            .created("meaning", &row.meaning)
                            .created("password_confirmed", &true)
                            .into_value(),
                    },
                )?;
                Ok(())
            })?;
        }
    }
    Ok(())
}

/// The readers of a document: the members of its process and the holders
/// of the roles named on it (user ids).
fn readers_of(conn: &mut DbConn, doc: &str) -> AppResult<Vec<String>> {
    let process: Option<String> = documents::table
        .find(doc)
        .select(documents::process)
        .first(conn)?;
    let mut out: Vec<String> = match process {
        Some(code) => process_members::table
            .inner_join(processes::table)
            .filter(processes::code.eq(code))
            .select(process_members::user_id)
            .load(conn)?,
        None => Vec::new(),
    };
    let roles: Vec<String> = document_reader_roles::table
        .filter(document_reader_roles::document_id.eq(doc))
        .select(document_reader_roles::role)
        .load(conn)?;
    out.extend(
        user_roles::table
            .filter(user_roles::role.eq_any(&roles))
            .select(user_roles::user_id)
            .load::<String>(conn)?,
    );
    out.sort();
    out.dedup();
    Ok(out)
}

/// Demo users by name, looked up once.
#[derive(Default)]
struct People(HashMap<&'static str, User>);

impl People {
    fn get(&mut self, conn: &mut DbConn, name: &'static str) -> AppResult<User> {
        if let Some(u) = self.0.get(name) {
            return Ok(u.clone());
        }
        let u = user_by_username(conn, name)?;
        self.0.insert(name, u.clone());
        Ok(u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_certification_is_issued_in_the_past_and_names_a_catalogued_competence() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        for c in CERTS {
            assert!(
                COMPETENCES.iter().any(|k| k.code == c.competence),
                "{}",
                c.competence
            );
            assert!(issued(today, c.months_ago, c.plus_days) <= today);
        }
        for (code, _, _) in REQUIREMENTS {
            assert!(COMPETENCES.iter().any(|k| k.code == *code), "{code}");
        }
        assert!(COMPETENCES.len() >= 12);
    }
}
