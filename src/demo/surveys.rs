//! The demo's external customer surveys: two touchpoints (an order
//! delivered, for delivery; a service case closed, for customer service),
//! each asked of customers every month of the year before the
//! application's clock. Most invitations are answered, in Finnish or in
//! English; the detractors' and low scores' follow-ups are mostly
//! recorded in time, a few late, the newest still open. Two customers'
//! ideas have been taken forward as improvements and one detractor's
//! answer opened as a customer complaint, linked both ways. Everything
//! goes through the services (`create`, `invite`, `answer`,
//! `record_done`, `nonconformities::service::report`), each at its own
//! time, so the trail is real. Loaded only when there are no surveys yet.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::auth::model::User;
use crate::auth::service::user_by_username;
use crate::db::DbConn;
use crate::db::schema::{survey_answers, survey_followups, surveys};
use crate::error::AppResult;
use crate::feedback::contacts::Contact;
use crate::feedback::followup::{self, FollowupDone};
use crate::feedback::model::SurveyInput;
use crate::feedback::service::{self, Answered};
use crate::i18n::Lang;
use crate::kit::clock::Clock;
use crate::nonconformities::service::{self as nc, NcPolicy, NewNonconformity};

/// Customers' companies, with a contact person and the language they read.
const CUSTOMERS: &[(&str, &str, Lang)] = &[
    ("Konepaja Virtanen Oy", "Matti Virtanen", Lang::Fi),
    ("Nordic Cranes AB", "Anna Lindqvist", Lang::En),
    ("Rakennus Laine Oy", "Päivi Laine", Lang::Fi),
    ("Saimaa Marine Oy", "Jussi Heikkinen", Lang::Fi),
    ("Baltic Agri Ltd", "Kaspars Ozols", Lang::En),
    ("Pohjolan Energia Oy", "Tiina Korhonen", Lang::Fi),
    ("Tampereen Teräsrakenne Oy", "Mikael Nieminen", Lang::Fi),
    ("Oulu Robotics Oy", "Laura Mäkelä", Lang::En),
];

/// What customers write: (English, Finnish).
const REMARKS: &[(&str, &str)] = &[
    ("", ""),
    (
        "Delivered on the agreed day, well packed.",
        "Toimitus sovittuna päivänä, hyvin pakattu.",
    ),
    (
        "The delivery note was missing the batch numbers.",
        "Lähetteestä puuttuivat eränumerot.",
    ),
    (
        "Two days late and nobody told us in advance.",
        "Kaksi päivää myöhässä, eikä kukaan ilmoittanut etukäteen.",
    ),
    (
        "Friendly and quick to answer.",
        "Ystävällistä ja nopeaa palvelua.",
    ),
];

/// Customers' ideas after a delivery: (English, Finnish).
const DELIVERY_IDEAS: &[(&str, &str)] = &[
    (
        "Send a text message when the truck leaves your yard.",
        "Lähettäkää tekstiviesti, kun auto lähtee pihastanne.",
    ),
    (
        "Print the drawing revision on the delivery note.",
        "Tulostakaa piirustuksen revisio lähetteeseen.",
    ),
];

/// Customers' ideas after a service case: (English, Finnish).
const SERVICE_IDEAS: &[(&str, &str)] = &[
    (
        "An online page where we can see the status of our service case.",
        "Verkkosivu, jolta näkisimme huoltotapauksemme tilan.",
    ),
    (
        "Tell us the name of the technician before the visit.",
        "Kertokaa huoltoteknikon nimi ennen käyntiä.",
    ),
];

fn survey_input(touchpoint: &str) -> SurveyInput {
    let (title, process, second) = if touchpoint == "order_delivered" {
        (
            ("How did your delivery go?", "Miten toimitus onnistui?"),
            "DELIV",
            json_question(
                "csat",
                "csat",
                "How satisfied are you with the delivery?",
                "Kuinka tyytyväinen olet toimitukseen?",
            ),
        )
    } else {
        (
            (
                "How was your service case handled?",
                "Miten huoltotapauksesi hoidettiin?",
            ),
            "CS",
            json_question(
                "effort",
                "effort",
                "How easy was it to get your case handled?",
                "Kuinka helppoa asiasi hoitaminen oli?",
            ),
        )
    };
    let questions = serde_json::json!([
        json_question(
            "nps",
            "recommend",
            "How likely are you to recommend us to a colleague?",
            "Kuinka todennäköisesti suosittelisit meitä kollegallesi?",
        ),
        second,
        json_question(
            "text",
            "better",
            "What could we do better?",
            "Mitä voisimme tehdä paremmin?",
        ),
        json_question(
            "idea",
            "idea",
            "An idea for us?",
            "Onko sinulla idea meille?",
        ),
    ]);
    serde_json::from_value(serde_json::json!({
        "title": { "en": title.0, "fi": title.1 },
        "touchpoint": touchpoint,
        "process": process,
        "questions": questions,
        "expiry_days": 30,
    }))
    .unwrap_or_else(|e| unreachable!("the demo's survey reads: {e}"))
}

fn json_question(kind: &str, key: &str, en: &str, fi: &str) -> serde_json::Value {
    serde_json::json!({
        "key": key,
        "type": kind,
        "label": { "en": en, "fi": fi },
        "required": kind == "nps",
    })
}

/// Scores that look like a year of real answers, `i` numbering the answer:
/// (NPS, second scale, remark, idea).
fn scores(i: usize) -> (i32, i32, usize, Option<usize>) {
    let nps = match i % 13 {
        0 | 6 => 10,
        2 | 8 | 11 => 9,
        4 => 6,
        9 => 3,
        1 | 7 => 7,
        _ => 8,
    };
    let second = match nps {
        0..=6 => 2,
        7 | 8 => 4,
        _ => 5,
    };
    let remark = match nps {
        0..=4 => 3,
        5 | 6 => 2,
        9 | 10 if i.is_multiple_of(3) => 1,
        _ if i.is_multiple_of(5) => 4,
        _ => 0,
    };
    let idea = (i % 17 == 5).then_some(i / 17);
    (nps, second, remark, idea)
}

/// Loads the surveys, unless there are some already.
///
/// # Errors
/// A database fault, or a refusal by the services.
pub fn load(conn: &mut DbConn, store: &crate::store::DocStore) -> AppResult<()> {
    let config = &crate::config::Config::default();
    let have: i64 = surveys::table.count().get_result(conn)?;
    if have > 0 {
        return Ok(());
    }
    let now = crate::ids::now();
    let laura = user_by_username(conn, "laura")?;
    let year_ago = now - TimeDelta::days(370);
    let mut n = 0;
    for touchpoint in ["order_delivered", "service_case_closed"] {
        let input = survey_input(touchpoint);
        let survey =
            Clock::starting_at(year_ago).enter(|| service::create(conn, &laura, &input, 30))?;
        // Twelve monthly rounds, and this week's first invitations.
        for month in 0..=12_i64 {
            let invited_at = now - TimeDelta::days(4 + 30 * (12 - month)) - TimeDelta::hours(3);
            let contacts: Vec<Contact> = CUSTOMERS
                .iter()
                .enumerate()
                .map(|(k, (company, name, lang))| Contact {
                    name: (*name).to_string(),
                    email: Some(format!("customer{k}@example.com")),
                    company: Some((*company).to_string()),
                    reference: Some(format!(
                        "{}-{:04}",
                        if touchpoint == "order_delivered" {
                            "DO"
                        } else {
                            "SC"
                        },
                        month * 10 + i64::try_from(k).unwrap_or(0) + 1
                    )),
                    language: *lang,
                })
                .collect();
            let links = service::invite(conn, &laura, &survey.id, &contacts, "", invited_at)?;
            for (k, link) in links.iter().enumerate() {
                n += 1;
                // One in five is never answered.
                if n % 5 == 2 {
                    continue;
                }
                let answered_at = invited_at
                    + TimeDelta::days(1 + i64::try_from(n % 6).unwrap_or(0))
                    + TimeDelta::minutes(41 * i64::try_from(k).unwrap_or(0));
                if answered_at >= now - TimeDelta::hours(3) {
                    continue;
                }
                answer(
                    conn,
                    config,
                    link.path.trim_start_matches("/s/"),
                    contacts[k].language,
                    touchpoint,
                    n,
                    answered_at,
                )?;
            }
        }
    }
    follow_up(conn, now)?;
    take_forward(conn, now)?;
    // The loop's own leading measure, counted, on both surveyed processes.
    for (code, key) in [("DELIV", "honest_info"), ("CS", "easy_to_deal")] {
        let owner = crate::processes::service::get(conn, code)?.owner;
        let owner = user_by_username(conn, &owner)?;
        crate::processes::kpis::create_with_forms(
            conn,
            Some(store),
            &owner,
            code,
            crate::processes::kpis::NewKpi {
                name: "Arvostelijoiden seuranta ajallaan / Detractors followed up in time".into(),
                unit: "%".into(),
                target: "90".into(),
                direction: "higher_is_better".into(),
                indicator: "leading".into(),
                frequency: "quarterly".into(),
                source: Some("survey_followups".into()),
                source_template: None,
                source_measure: None,
                source_field: None,
                experience: Some(key.into()),
            },
        )?;
    }
    Ok(())
}

fn answer(
    conn: &mut DbConn,
    config: &crate::config::Config,
    token: &str,
    lang: Lang,
    touchpoint: &str,
    n: usize,
    at: NaiveDateTime,
) -> AppResult<()> {
    let (nps, second, remark, idea) = scores(n);
    let pick = |(en, fi): (&'static str, &'static str)| if lang == Lang::Fi { fi } else { en };
    let second_key = if touchpoint == "order_delivered" {
        "csat"
    } else {
        "effort"
    };
    let remark = pick(REMARKS[remark]).to_string();
    let ideas = if touchpoint == "order_delivered" {
        DELIVERY_IDEAS
    } else {
        SERVICE_IDEAS
    };
    let idea = idea
        .map(|i| pick(ideas[i % ideas.len()]).to_string())
        .unwrap_or_default();
    let given = |key: &str| -> Option<String> {
        match key {
            "recommend" => Some(nps.to_string()),
            "csat" | "effort" if key == second_key => Some(second.to_string()),
            "better" => Some(remark.clone()),
            "idea" => Some(idea.clone()),
            _ => None,
        }
    };
    let due = followup::add_working_days(
        at.date(),
        config.survey_followup_days,
        &config.public_holidays,
    );
    match service::answer(conn, token, given, at, due)? {
        Answered::Kept(_) => Ok(()),
        Answered::Unavailable => Err(crate::error::AppError::internal(anyhow::anyhow!(
            "a demo survey link did not open"
        ))),
    }
}

/// Records the follow-ups: most on their due day or before, one in four
/// late, those of the last week left open.
fn follow_up(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<()> {
    let open: Vec<(String, String, String, NaiveDateTime, NaiveDateTime)> = survey_followups::table
        .order(survey_followups::created_at.asc())
        .select((
            survey_followups::id,
            survey_followups::survey_id,
            survey_followups::owner_id,
            survey_followups::created_at,
            survey_followups::due_on,
        ))
        .load(conn)?;
    for (i, (id, survey, owner, created, due)) in open.into_iter().enumerate() {
        if created > now - TimeDelta::days(7) {
            continue;
        }
        let owner: User = crate::auth::service::user_by_id(conn, &crate::ids::UserId(owner))?;
        let late = i % 4 == 3;
        let at = if late {
            due + TimeDelta::days(3) + TimeDelta::hours(10)
        } else {
            (created + TimeDelta::hours(26)).min(due + TimeDelta::hours(15))
        };
        let (action, told) = if late {
            (
                "Called the customer after the holidays; the next delivery is confirmed by phone.",
                true,
            )
        } else if i % 3 == 0 {
            (
                "Went through the delivery with the customer; the batch numbers are now printed on every note.",
                true,
            )
        } else {
            (
                "Checked the case with the team; the customer could not be reached.",
                false,
            )
        };
        followup::record_done(
            conn,
            &owner,
            &survey,
            &id,
            &FollowupDone {
                action_taken: action.into(),
                customer_told: told,
            },
            at,
        )?;
    }
    Ok(())
}

/// Two ideas taken forward as improvements, one accepted with its action
/// planned, and the newest detractor's answer opened as a customer
/// complaint: reported last, in the hour before the clock, so that the
/// register's numbers follow their dates.
fn take_forward(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<()> {
    let ideas: Vec<(String, String)> = survey_answers::table
        .filter(survey_answers::idea.is_not_null())
        .order(survey_answers::answered_at.asc())
        .select((survey_answers::id, survey_answers::survey_id))
        .load(conn)?;
    let mut chosen: Vec<String> = Vec::new();
    for (answer, survey) in &ideas {
        // One from each survey.
        if chosen.is_empty() || ideas.iter().any(|(a, s)| a == &chosen[0] && s != survey) {
            chosen.push(answer.clone());
        }
        if chosen.len() == 2 {
            break;
        }
    }
    let detractor: Option<String> = survey_answers::table
        .filter(survey_answers::nps.le(4))
        .order(survey_answers::answered_at.desc())
        .select(survey_answers::id)
        .first(conn)
        .optional()?;
    let laura = user_by_username(conn, "laura")?;
    let mut at = now - TimeDelta::minutes(50);
    let mut reported = Vec::new();
    for (answer, improvement) in chosen
        .iter()
        .map(|a| (a.clone(), true))
        .chain(detractor.map(|d| (d, false)))
    {
        let d = crate::feedback::links::draft(conn, &laura, &answer, improvement, Lang::Fi)?;
        let case = nc::report(
            conn,
            NcPolicy::default(),
            &laura,
            NewNonconformity {
                kind: d.kind,
                title: d.title,
                description: d.description,
                detected_in: Some(d.process.clone()),
                detected_on: Some(d.answered_on.to_string()),
                responsible: d.process,
                severity: "minor".into(),
                survey_answer: Some(d.answer),
                ..NewNonconformity::default()
            },
            at,
        )?;
        reported.push(case);
        at += TimeDelta::minutes(5);
    }
    // The first improvement: accepted by its process's owner and planned.
    if let Some(first) = reported.first() {
        let owner = user_by_username(conn, &first.responsible_owner)?;
        let number = first.summary.number.clone();
        nc::accept(conn, NcPolicy::default(), &owner, &number, at)?;
        nc::add_action(
            conn,
            NcPolicy::default(),
            &owner,
            &number,
            nc::NewAction {
                description: "Kokeillaan ehdotusta kahden asiakkaan kanssa ja päätetään sen jälkeen käyttöönotosta.".into(),
                owner: owner.username.to_string(),
                due_on: (now + TimeDelta::days(45)).date().to_string(),
                document: None,
            },
            at + TimeDelta::minutes(5),
        )?;
    }
    Ok(())
}
