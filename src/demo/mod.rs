//! Demo data for `laatu serve --demo`: loaded once, marked in `settings`.

mod competence;
mod documents;
mod experience;
mod nonconformities;
mod processes;
mod ratings;
mod records;
mod surveys;

use diesel::prelude::*;

use crate::audit::{self, Actor, Change};
use crate::auth::model::{NewPassword, Role, Username};
use crate::auth::service::{self, NewUser};
use crate::db::schema::{settings, users};
use crate::db::{DbConn, write_tx};
use crate::error::AppResult;

const MARKER: &str = "demo_loaded";
/// The demo users' password; printed at start-up, meant only for trying Laatu out.
pub const DEMO_PASSWORD: &str = "laatu-demo-2026";

struct DemoUser {
    username: &'static str,
    display_name: &'static str,
    email: &'static str,
    roles: &'static [Role],
    language: &'static str,
    expires_in_days: Option<i64>,
}

const USERS: &[DemoUser] = &[
    DemoUser {
        username: "laura",
        display_name: "Laura Laatikainen",
        email: "laura@example.fi",
        roles: &[Role::QualityManager],
        language: "fi",
        expires_in_days: None,
    },
    DemoUser {
        username: "olli",
        display_name: "Olli Ojala",
        email: "olli@example.fi",
        roles: &[Role::QualityManager, Role::Admin],
        language: "fi",
        expires_in_days: None,
    },
    DemoUser {
        username: "pekka",
        display_name: "Pekka Virtanen",
        email: "pekka@example.fi",
        roles: &[Role::ProcessOwner, Role::Staff],
        language: "fi",
        expires_in_days: None,
    },
    DemoUser {
        username: "maria",
        display_name: "Maria Korhonen",
        email: "maria@example.fi",
        roles: &[Role::ProcessOwner, Role::Staff],
        language: "en",
        expires_in_days: None,
    },
    DemoUser {
        username: "sanna",
        display_name: "Sanna Nieminen",
        email: "sanna@example.fi",
        roles: &[Role::Staff],
        language: "fi",
        expires_in_days: None,
    },
    DemoUser {
        username: "james",
        display_name: "James Walker",
        email: "james@example.com",
        roles: &[Role::Staff],
        language: "en",
        expires_in_days: None,
    },
    // The people of the shop floor and the office (the competence demo).
    DemoUser {
        username: "mikko",
        display_name: "Mikko Mäkinen",
        email: "mikko@example.fi",
        roles: &[Role::Staff],
        language: "fi",
        expires_in_days: None,
    },
    DemoUser {
        username: "jari",
        display_name: "Jari Heikkinen",
        email: "jari@example.fi",
        roles: &[Role::Staff],
        language: "fi",
        expires_in_days: None,
    },
    DemoUser {
        username: "tuomas",
        display_name: "Tuomas Laine",
        email: "tuomas@example.fi",
        roles: &[Role::Staff],
        language: "fi",
        expires_in_days: None,
    },
    DemoUser {
        username: "eeva",
        display_name: "Eeva Lehtonen",
        email: "eeva@example.fi",
        roles: &[Role::Staff],
        language: "fi",
        expires_in_days: None,
    },
    DemoUser {
        username: "antti",
        display_name: "Antti Koskinen",
        email: "antti@example.fi",
        roles: &[Role::Staff],
        language: "fi",
        expires_in_days: None,
    },
    DemoUser {
        username: "heikki",
        display_name: "Heikki Rantanen",
        email: "heikki@example.fi",
        roles: &[Role::Staff],
        language: "fi",
        expires_in_days: None,
    },
    DemoUser {
        username: "ville",
        display_name: "Ville Järvinen",
        email: "ville@example.fi",
        roles: &[Role::Staff],
        language: "fi",
        expires_in_days: None,
    },
    DemoUser {
        username: "riikka",
        display_name: "Riikka Salo",
        email: "riikka@example.fi",
        roles: &[Role::Staff],
        language: "fi",
        expires_in_days: None,
    },
    DemoUser {
        username: "emma",
        display_name: "Emma Brown",
        email: "emma@example.com",
        roles: &[Role::Staff],
        language: "en",
        expires_in_days: None,
    },
    DemoUser {
        username: "kaisa",
        display_name: "Kaisa Hämäläinen",
        email: "kaisa@example.fi",
        roles: &[Role::Staff],
        language: "fi",
        expires_in_days: None,
    },
    DemoUser {
        username: "aino",
        display_name: "Aino Auditoija (external)",
        email: "aino@certifier.example",
        roles: &[Role::Auditor],
        language: "fi",
        expires_in_days: Some(90),
    },
];

/// How many demo users there are.
pub fn user_count() -> usize {
    USERS.len()
}

/// Loads the demo data unless it is there already. Returns a note with the
/// demo logins when it loaded.
///
/// # Errors
/// A database fault.
pub fn load(conn: &mut DbConn, store: &crate::store::DocStore) -> AppResult<Option<String>> {
    let loaded: i64 = settings::table
        .filter(settings::key.eq(MARKER))
        .count()
        .get_result(conn)?;
    if loaded > 0 {
        return Ok(None);
    }
    let actor = Actor::system("demo");
    for u in USERS {
        let exists: i64 = users::table
            .filter(users::username.eq(u.username))
            .count()
            .get_result(conn)?;
        if exists > 0 {
            continue;
        }
        let new = NewUser {
            username: Username::parse(u.username)?,
            display_name: u.display_name.into(),
            email: u.email.into(),
            password: NewPassword::parse(DEMO_PASSWORD)?,
            roles: u.roles.to_vec(),
            expires_at: u
                .expires_in_days
                .map(|d| crate::ids::now() + chrono::TimeDelta::days(d)),
            language: Some(u.language.into()),
        };
        service::create_user(conn, &actor, new)?;
    }
    let have_processes: i64 = crate::db::schema::processes::table
        .count()
        .get_result(conn)?;
    if have_processes == 0 {
        processes::load(conn)?;
    }
    load_documents(conn, store)?;
    nonconformities::load(conn)?;
    competence::load(conn)?;
    records::load(conn, store)?;
    experience::load(conn, store)?;
    ratings::load(conn)?;
    surveys::load(conn, store)?;
    write_tx(conn, |conn| {
        diesel::insert_into(settings::table)
            .values((settings::key.eq(MARKER), settings::value.eq("1")))
            .execute(conn)?;
        audit::record(
            conn,
            &actor,
            Change {
                action: "demo.loaded",
                entity_type: "setting",
                entity_id: MARKER,
                summary: "demo data loaded".into(),
                changes: serde_json::json!({ MARKER: { "before": null, "after": "1" } }),
            },
        )?;
        Ok(())
    })?;
    let names: Vec<String> = USERS
        .iter()
        .map(|u| {
            let roles: Vec<&str> = u.roles.iter().map(|r| r.as_str()).collect();
            format!("  {:<6} {}", u.username, roles.join(", "))
        })
        .collect();
    Ok(Some(format!(
        "demo users (password `{DEMO_PASSWORD}`):\n{}",
        names.join("\n")
    )))
}

/// Loads the demo documents through the same services people use, so the
/// git history, signatures and audit trail are real.
fn load_documents(conn: &mut DbConn, store: &crate::store::DocStore) -> AppResult<()> {
    use crate::documents::model::Meaning;
    use crate::documents::service::{self as docs, NewDocument};
    use documents::Last;

    let user = |conn: &mut DbConn, name: &str| service::user_by_username(conn, name);
    let approver_for = |owner: &str| if owner == "laura" { "olli" } else { "laura" };
    for d in documents::DOCS {
        let exists: i64 = crate::db::schema::documents::table
            .filter(crate::db::schema::documents::number.eq(d.number))
            .count()
            .get_result(conn)?;
        if exists > 0 {
            continue;
        }
        let owner = user(conn, d.owner)?;
        let new = NewDocument::parse(
            d.title,
            d.kind,
            Some(d.number),
            Some(d.process),
            Some(d.owner),
            Some(d.review_interval_months),
        )?;
        docs::create_document(conn, &owner, new)?;
        let approver = user(conn, approver_for(d.owner))?;
        for (i, (content, reason)) in d.revisions.iter().enumerate() {
            let last = i + 1 == d.revisions.len();
            let reason = Some(*reason).filter(|r| !r.is_empty());
            docs::save_draft(conn, store, &owner, d.number, content, None, reason)?;
            if last && d.last == Last::Draft {
                break;
            }
            let effective_from = (last && d.last == Last::ApprovedFuture)
                .then(|| crate::ids::now() + chrono::TimeDelta::days(14));
            docs::submit(conn, &owner, d.number, effective_from)?;
            if last && d.last == Last::InReview {
                break;
            }
            docs::sign(
                conn,
                store,
                &approver,
                d.number,
                DEMO_PASSWORD,
                Meaning::Approved,
                "",
                None,
            )?;
        }
    }
    Ok(())
}
