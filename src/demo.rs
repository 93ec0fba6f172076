//! Demo data for `laatu serve --demo`: loaded once, marked in `settings`.

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
pub fn load(conn: &mut DbConn) -> AppResult<Option<String>> {
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
