//! Demo processes: a small machine shop's processes with their flows and a
//! year of monthly KPI measurements, loaded through the real services.

use chrono::{Datelike, Months};

use crate::auth::service as users;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::processes::kpis::{self, NewKpi};
use crate::processes::service::{self as processes, ProcessInput};

struct DemoProcess {
    code: &'static str,
    name: &'static str,
    owner: &'static str,
    members: &'static [&'static str],
    purpose: &'static str,
    resources: &'static str,
}

const PROCESSES: &[DemoProcess] = &[
    DemoProcess {
        code: "MGMT",
        name: "Johtaminen / Management",
        owner: "laura",
        members: &["olli"],
        purpose: "Set the direction, quality policy and objectives; review the system.",
        resources: "Management team, monthly review meeting",
    },
    DemoProcess {
        code: "SALES",
        name: "Myynti / Sales",
        owner: "maria",
        members: &["james", "emma"],
        purpose: "Turn customer requests into confirmed orders we can deliver.",
        resources: "CRM, price list, drawings archive",
    },
    DemoProcess {
        code: "PURCH",
        name: "Hankinta / Purchasing",
        owner: "maria",
        members: &["riikka"],
        purpose: "Buy materials and services from evaluated suppliers.",
        resources: "Approved supplier list, ERP",
    },
    DemoProcess {
        code: "PROD",
        name: "Tuotanto / Production",
        owner: "pekka",
        members: &[
            "sanna", "james", "mikko", "jari", "tuomas", "eeva", "antti", "heikki",
        ],
        purpose: "Machine parts to drawing, right first time.",
        resources: "CNC lathes and mills, measuring room",
    },
    DemoProcess {
        code: "DELIV",
        name: "Toimitus / Delivery",
        owner: "pekka",
        members: &["sanna", "ville"],
        purpose: "Pack and deliver on the promised day.",
        resources: "Packing station, carrier contracts",
    },
    DemoProcess {
        code: "CS",
        name: "Asiakaspalvelu / Customer service",
        owner: "maria",
        members: &["kaisa"],
        purpose: "Answer customers and bring their feedback into the company.",
        resources: "Shared mailbox, feedback form",
    },
    DemoProcess {
        code: "HR",
        name: "Henkilöstö / People",
        owner: "olli",
        members: &["kaisa"],
        purpose: "Recruit, train and keep competent people.",
        resources: "Training plan, competence matrix",
    },
    DemoProcess {
        code: "IMPR",
        name: "Parantaminen / Improvement",
        owner: "laura",
        members: &["pekka", "antti"],
        purpose: "Handle nonconformities, audits and corrective actions.",
        resources: "Laatu, internal auditors",
    },
];

/// (supplier, what flows, internal customers, external customer)
const OUTPUTS: &[(&str, &str, &[&str], Option<&str>)] = &[
    (
        "SALES",
        "Vahvistettu tilaus / Confirmed order",
        &["PROD", "PURCH"],
        None,
    ),
    (
        "PURCH",
        "Ostettu materiaali / Purchased material",
        &["PROD"],
        None,
    ),
    ("PROD", "Valmiit osat / Finished parts", &["DELIV"], None),
    (
        "DELIV",
        "Toimitetut osat / Delivered parts",
        &[],
        Some("Asiakkaat / Customers"),
    ),
    (
        "DELIV",
        "Toimitusvahvistus / Delivery confirmation",
        &["CS", "SALES"],
        None,
    ),
    (
        "CS",
        "Asiakaspalaute / Customer feedback",
        &["IMPR", "SALES"],
        None,
    ),
    (
        "IMPR",
        "Parannusraportti / Improvement report",
        &["MGMT"],
        None,
    ),
    (
        "MGMT",
        "Laatutavoitteet / Quality objectives",
        &["SALES", "PROD", "DELIV", "IMPR"],
        None,
    ),
    (
        "HR",
        "Koulutettu henkilöstö / Trained staff",
        &["PROD", "DELIV"],
        None,
    ),
];

/// (process, what flows, external supplier)
const INPUTS: &[(&str, &str, &str)] = &[
    (
        "SALES",
        "Tarjouspyyntö / Request for quotation",
        "Asiakkaat / Customers",
    ),
    (
        "PURCH",
        "Teräs- ja alumiinitanko / Steel and aluminium bar",
        "Teräs Oy",
    ),
    (
        "PROD",
        "Kalibrointipalvelu / Calibration service",
        "Mittaus Oy",
    ),
];

/// (process, name, unit, target, direction, indicator, base, swing)
type DemoKpi = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    f64,
);

const KPIS: &[DemoKpi] = &[
    (
        "SALES",
        "Tarjouksen vastausaika / Quote response time",
        "d",
        "2",
        "lower_is_better",
        "leading",
        2.1,
        0.8,
    ),
    (
        "PURCH",
        "Toimittajien toimitusvarmuus / Supplier on-time delivery",
        "%",
        "90",
        "higher_is_better",
        "lagging",
        89.0,
        5.0,
    ),
    (
        "PROD",
        "Läpäisy ensimmäisellä kerralla / First pass yield",
        "%",
        "97",
        "higher_is_better",
        "lagging",
        96.8,
        1.5,
    ),
    (
        "PROD",
        "Sisäiset reklamaatiot / Complaints from internal customers",
        "pcs",
        "1",
        "lower_is_better",
        "lagging",
        1.2,
        1.0,
    ),
    (
        "DELIV",
        "Toimitusvarmuus / On-time delivery",
        "%",
        "95",
        "higher_is_better",
        "lagging",
        94.5,
        3.0,
    ),
    (
        "CS",
        "Asiakastyytyväisyys / Customer satisfaction",
        "1-5",
        "4.2",
        "higher_is_better",
        "lagging",
        4.2,
        0.3,
    ),
    (
        "HR",
        "Koulutustunnit / Training hours per person",
        "h",
        "2",
        "higher_is_better",
        "leading",
        2.0,
        1.2,
    ),
    (
        "IMPR",
        "Ajallaan suljetut korjaavat toimenpiteet / Corrective actions closed on time",
        "%",
        "80",
        "higher_is_better",
        "lagging",
        78.0,
        12.0,
    ),
];

/// Loads the processes, their links, KPIs and twelve months of measurements.
///
/// # Errors
/// A database fault or a refusal by the services.
pub fn load(conn: &mut DbConn) -> AppResult<()> {
    let qm = users::user_by_username(conn, "laura")?;
    for p in PROCESSES {
        processes::create(
            conn,
            &qm,
            ProcessInput {
                code: Some(p.code.into()),
                name: Some(p.name.into()),
                purpose: Some(p.purpose.into()),
                owner: Some(p.owner.into()),
                members: Some(p.members.iter().map(|m| m.to_string()).collect()),
                resources: Some(p.resources.into()),
                criteria: Some(
                    "Measured by the KPIs below; reviewed monthly by the owner and yearly in the management review."
                        .into(),
                ),
                risks: Some(
                    "Risk: a late or wrong input from the supplying process. Opportunity: ask internal customers what they need."
                        .into(),
                ),
                ..ProcessInput::default()
            },
        )?;
    }
    for (from, name, to, external) in OUTPUTS {
        let to: Vec<String> = to.iter().map(|s| s.to_string()).collect();
        processes::add_output(conn, &qm, from, name, &to, *external)?;
    }
    for (code, name, supplier) in INPUTS {
        processes::add_external_input(conn, &qm, code, name, supplier)?;
    }
    let today = crate::ids::now().date();
    for (i, (code, name, unit, target, direction, indicator, base, swing)) in
        KPIS.iter().enumerate()
    {
        let owner = PROCESSES
            .iter()
            .find(|p| p.code == *code)
            .map_or("laura", |p| p.owner);
        let owner = users::user_by_username(conn, owner)?;
        let kpi = kpis::create(
            conn,
            &owner,
            code,
            NewKpi {
                name: (*name).into(),
                unit: (*unit).into(),
                target: (*target).into(),
                direction: (*direction).into(),
                indicator: (*indicator).into(),
                frequency: "monthly".into(),
                source: None,
                source_template: None,
                source_measure: None,
                source_field: None,
                experience: None,
            },
        )?;
        for back in (1..=12u32).rev() {
            let Some(day) = today.checked_sub_months(Months::new(back)) else {
                continue;
            };
            // A deterministic wave, different for each KPI, so the demo
            // shows months that meet the target and months that miss it.
            let phase = f64::from(day.month()) + i as f64 * 1.7;
            let value = base + swing * (phase * 0.9).sin();
            let value = if *unit == "pcs" {
                value.max(0.0).round()
            } else {
                (value * 10.0).round() / 10.0
            };
            let period = format!("{}-{:02}", day.year(), day.month());
            kpis::record(conn, &owner, &kpi.id, &value.to_string(), &period, "")?;
        }
    }
    // Internal-customer satisfaction for the processes others depend on:
    // counted from the complaints they receive, never typed.
    for code in ["PURCH", "PROD", "SALES"] {
        let owner = PROCESSES
            .iter()
            .find(|p| p.code == code)
            .map_or("laura", |p| p.owner);
        let owner = users::user_by_username(conn, owner)?;
        kpis::create(
            conn,
            &owner,
            code,
            NewKpi {
                name: "Saadut sisäiset reklamaatiot / Internal complaints received".into(),
                unit: "pcs".into(),
                target: "1".into(),
                direction: "lower_is_better".into(),
                indicator: "lagging".into(),
                frequency: "monthly".into(),
                source: Some("internal_complaints".into()),
                source_template: None,
                source_measure: None,
                source_field: None,
                experience: None,
            },
        )?;
    }
    Ok(())
}
