//! The demo's value promise: a Finnish machine shop's basic task, promise
//! and five target customer experiences, approved through the document
//! route (laura writes, olli approves), the experiences its processes
//! serve, and customer-experience KPIs on most processes: MGMT, HR and
//! IMPR have none, and PURCH has only a lagging one, so the dashboard's
//! card has something to show. Loaded only if there is no value promise yet.

use chrono::{Datelike, Months};

use super::DEMO_PASSWORD;
use crate::auth::service as users;
use crate::db::DbConn;
use crate::documents::model::Meaning;
use crate::documents::service::{self as docs, NewDocument};
use crate::error::AppResult;
use crate::experience::promise::{ExperienceInput, PromiseInput};
use crate::processes::kpis::{self, NewKpi};
use crate::records::form::Label;
use crate::store::DocStore;

/// The value promise's number.
pub const NUMBER: &str = "VP-001";

fn label(en: &str, fi: &str) -> Label {
    Label {
        en: en.into(),
        fi: fi.into(),
    }
}

/// (key, sentence en, fi, measured by en, fi)
const EXPERIENCES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "on_time",
        "Parts arrive on the day we promised.",
        "Osat saapuvat luvattuna päivänä.",
        "On-time delivery, % of order lines",
        "Toimitusvarmuus, % tilausriveistä",
    ),
    (
        "right_first_time",
        "Every part fits at the first try.",
        "Jokainen osa sopii ensimmäisellä kerralla.",
        "Customer complaints per delivered lot; first pass yield",
        "Asiakasreklamaatiot toimitettua erää kohden; läpäisy ensimmäisellä kerralla",
    ),
    (
        "quick_answer",
        "A request gets a clear answer within one working day.",
        "Pyyntöön saa selkeän vastauksen yhden työpäivän kuluessa.",
        "Share of requests and quotes answered within one working day",
        "Yhden työpäivän kuluessa vastattujen pyyntöjen ja tarjousten osuus",
    ),
    (
        "easy_to_deal",
        "Dealing with us is easy: one contact person who knows your order.",
        "Kanssamme on helppo asioida: yksi yhteyshenkilö, joka tuntee tilauksesi.",
        "Customer satisfaction survey after delivery (1-5)",
        "Asiakastyytyväisyyskysely toimituksen jälkeen (1-5)",
    ),
    (
        "honest_info",
        "We tell early and honestly when something changes.",
        "Kerromme ajoissa ja rehellisesti, kun jokin muuttuu.",
        "Share of delays announced before the promised day",
        "Ennen luvattua päivää ilmoitettujen viivästysten osuus",
    ),
];

/// Which target experiences each process serves.
const SERVES: &[(&str, &[&str])] = &[
    (
        "MGMT",
        &[
            "on_time",
            "right_first_time",
            "quick_answer",
            "easy_to_deal",
            "honest_info",
        ],
    ),
    ("SALES", &["quick_answer", "easy_to_deal", "honest_info"]),
    ("PURCH", &["on_time", "right_first_time"]),
    ("PROD", &["right_first_time", "on_time"]),
    ("DELIV", &["on_time", "honest_info"]),
    ("CS", &["quick_answer", "easy_to_deal", "honest_info"]),
    ("HR", &["easy_to_deal"]),
    ("IMPR", &["right_first_time"]),
];

/// Existing demo KPIs (process, name starts with) that measure an experience.
const TIED: &[(&str, &str, &str)] = &[
    ("SALES", "Tarjouksen vastausaika", "quick_answer"),
    ("PURCH", "Toimittajien toimitusvarmuus", "on_time"),
    ("PROD", "Läpäisy ensimmäisellä kerralla", "right_first_time"),
    ("DELIV", "Toimitusvarmuus", "on_time"),
    ("CS", "Asiakastyytyväisyys", "easy_to_deal"),
];

/// New leading CX KPIs: (process, name, experience, target, base value).
const LEADING: &[(&str, &str, &str, &str, f64)] = &[
    (
        "PROD",
        "Ensimmäisen kappaleen mittaus tehty / First-article inspection done",
        "right_first_time",
        "100",
        97.0,
    ),
    (
        "DELIV",
        "Ennakkoon ilmoitetut viivästykset / Delays announced in advance",
        "honest_info",
        "90",
        86.0,
    ),
    (
        "CS",
        "Vastattu yhdessä työpäivässä / Answered within one working day",
        "quick_answer",
        "90",
        91.0,
    ),
];

fn promise() -> PromiseInput {
    PromiseInput {
        basic_task: label(
            "We machine precision parts that keep our customers' production running.",
            "Valmistamme tarkkuusosia, jotka pitävät asiakkaidemme tuotannon käynnissä.",
        ),
        promise: label(
            "The right part, on the promised day, without having to chase us.",
            "Oikea osa luvattuna päivänä, ilman että meitä tarvitsee jahdata.",
        ),
        experiences: EXPERIENCES
            .iter()
            .map(|(key, s_en, s_fi, m_en, m_fi)| ExperienceInput {
                key: (*key).into(),
                sentence: label(s_en, s_fi),
                measured_by: label(m_en, m_fi),
            })
            .collect(),
    }
}

/// Loads the promise, the processes' experiences and the CX KPIs.
///
/// # Errors
/// A database or git fault, or a refusal by the services.
pub fn load(conn: &mut DbConn, store: &DocStore) -> AppResult<()> {
    if crate::experience::service::the_document(conn)?.is_some() {
        return Ok(());
    }
    let laura = users::user_by_username(conn, "laura")?;
    let olli = users::user_by_username(conn, "olli")?;
    let new = NewDocument::parse(
        "Arvolupaus ja tavoitellut asiakaskokemukset / Value promise and target customer experiences",
        "value_promise",
        Some(NUMBER),
        Some("MGMT"),
        Some("laura"),
        Some(12),
    )?;
    docs::create_document(conn, &laura, new)?;
    docs::save_draft_with_promise(conn, store, &laura, NUMBER, None, &promise(), None, None)?;
    docs::submit_checked(conn, store, &laura, NUMBER, None)?;
    docs::sign(
        conn,
        store,
        &olli,
        NUMBER,
        DEMO_PASSWORD,
        Meaning::Approved,
        "",
        None,
    )?;
    for (code, keys) in SERVES {
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        crate::experience::service::set_experiences(conn, store, &laura, code, &keys, None)?;
    }
    for (code, name, key) in TIED {
        let Some(kpi) = kpis::list(conn, code)?
            .into_iter()
            .find(|k| k.name.starts_with(name))
        else {
            continue;
        };
        crate::experience::measures::set_experience(conn, store, &laura, &kpi.id, Some(key), None)?;
    }
    let today = crate::ids::now().date();
    for (i, (code, name, key, target, base)) in LEADING.iter().enumerate() {
        let owner = crate::processes::service::get(conn, code)?.owner;
        let owner = users::user_by_username(conn, &owner)?;
        let kpi = kpis::create_with_forms(
            conn,
            Some(store),
            &owner,
            code,
            NewKpi {
                name: (*name).into(),
                unit: "%".into(),
                target: (*target).into(),
                direction: "higher_is_better".into(),
                indicator: "leading".into(),
                frequency: "monthly".into(),
                source: None,
                source_template: None,
                source_measure: None,
                source_field: None,
                experience: Some((*key).into()),
            },
        )?;
        for back in (1..=12u32).rev() {
            let Some(day) = today.checked_sub_months(Months::new(back)) else {
                continue;
            };
            let phase = f64::from(day.month()) + i as f64 * 2.3;
            let value = (base + 3.0 * (phase * 1.1).sin()).min(100.0);
            let value = (value * 10.0).round() / 10.0;
            let period = format!("{}-{:02}", day.year(), day.month());
            kpis::record(conn, &owner, &kpi.id, &value.to_string(), &period, "")?;
        }
    }
    Ok(())
}
