//! Approval routes as a form with a row per step, instead of a little
//! language to type: each row is "n holders of a role" or "these people",
//! people and roles picked from lists. The rows are turned into the same
//! steps the API takes ([`StepRuleInput`]).

use std::collections::HashMap;

use serde::Serialize;

use super::service::{self, StepRuleInput};
use crate::auth::model::Role;
use crate::error::AppResult;

/// Most rows the form shows (the steps of a route and blank ones).
const MAX_ROWS: usize = 8;

/// One step as the form shows it.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct RouteRow {
    /// `n_of_role`, `all_users`, or empty for an unused row.
    pub rule: String,
    /// How many holders of the role sign.
    pub n: i32,
    /// The role.
    pub role: String,
    /// Usernames of the people who all sign.
    pub users: Vec<String>,
}

/// The rows of a route written as text (as `route_text` answers), with two
/// blank rows to add steps.
///
/// # Errors
/// A stored route that does not read (a fault).
pub fn rows_of(text: &str) -> AppResult<Vec<RouteRow>> {
    let mut rows: Vec<RouteRow> = service::parse_route_text(text)?
        .into_iter()
        .map(|s| match s {
            StepRuleInput::AllUsers { users } => RouteRow {
                rule: "all_users".into(),
                n: 1,
                role: String::new(),
                users,
            },
            StepRuleInput::NOfRole { role, n } => RouteRow {
                rule: "n_of_role".into(),
                n,
                role,
                users: Vec::new(),
            },
        })
        .collect();
    for _ in 0..2 {
        if rows.len() < MAX_ROWS {
            rows.push(RouteRow {
                n: 1,
                ..RouteRow::default()
            });
        }
    }
    Ok(rows)
}

/// The steps posted by the form (`s.<i>.rule`, `s.<i>.n`, `s.<i>.role`,
/// `s.<i>.users`), unused rows left out; or, when the form posts `steps`,
/// that text as `parse_route_text` reads it.
///
/// # Errors
/// `invalid_route` as the parser and the service name it.
pub fn read(pairs: &[(String, String)]) -> AppResult<Vec<StepRuleInput>> {
    let mut form: HashMap<&str, Vec<&str>> = HashMap::new();
    for (k, v) in pairs {
        form.entry(k.as_str()).or_default().push(v.as_str());
    }
    if let Some(text) = form.get("steps").and_then(|v| v.first()) {
        return service::parse_route_text(text);
    }
    let one = |k: String| form.get(k.as_str()).and_then(|v| v.first()).copied();
    let mut steps = Vec::new();
    for i in 0..MAX_ROWS {
        match one(format!("s.{i}.rule")) {
            Some("n_of_role") => steps.push(StepRuleInput::NOfRole {
                role: one(format!("s.{i}.role")).unwrap_or_default().to_string(),
                n: one(format!("s.{i}.n"))
                    .and_then(|n| n.trim().parse().ok())
                    .unwrap_or(0),
            }),
            Some("all_users") => steps.push(StepRuleInput::AllUsers {
                users: form
                    .get(format!("s.{i}.users").as_str())
                    .map(|v| v.iter().map(|s| (*s).to_string()).collect())
                    .unwrap_or_default(),
            }),
            _ => {}
        }
    }
    Ok(steps)
}

/// The roles whose holders sign documents.
pub fn signing_roles() -> Vec<&'static str> {
    [Role::QualityManager, Role::ProcessOwner, Role::Staff]
        .iter()
        .map(|r| r.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_back_into_the_steps_they_show() {
        let rows = rows_of("all: ann, bob\n2 of quality_manager").unwrap();
        assert_eq!(rows.len(), 4, "two steps and two blank rows");
        assert_eq!(rows[0].users, ["ann", "bob"]);
        assert_eq!((rows[1].n, rows[1].role.as_str()), (2, "quality_manager"));
        let posted: Vec<(String, String)> = [
            ("s.0.rule", "all_users"),
            ("s.0.users", "ann"),
            ("s.0.users", "bob"),
            ("s.1.rule", "n_of_role"),
            ("s.1.n", "2"),
            ("s.1.role", "quality_manager"),
            ("s.2.rule", ""),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let steps = read(&posted).unwrap();
        assert_eq!(steps.len(), 2);
        assert!(matches!(&steps[0], StepRuleInput::AllUsers { users } if users == &["ann", "bob"]));
        assert!(
            matches!(&steps[1], StepRuleInput::NOfRole { role, n: 2 } if role == "quality_manager")
        );
    }
}
