//! Approval routes: who signs a document's revisions, step by step.

use super::*;

// ------------------------------------------------------------------ routes

/// The route for a document: its own, else its kind's, else the default.
pub(crate) fn route_for(conn: &mut DbConn, doc: &DocumentRow) -> AppResult<Vec<StepRule>> {
    for (scope_kind, scope) in [("document", doc.id.as_str()), ("kind", doc.kind.as_str())] {
        let rows: Vec<(StepRuleKind, Option<Role>, i32, String)> = approval_steps::table
            .filter(approval_steps::scope_kind.eq(scope_kind))
            .filter(approval_steps::scope.eq(scope))
            .order(approval_steps::step.asc())
            .select((
                approval_steps::rule,
                approval_steps::role,
                approval_steps::required,
                approval_steps::users,
            ))
            .load(conn)?;
        if !rows.is_empty() {
            return rows
                .iter()
                .map(|(rule, role, req, users)| StepRule::from_columns(*rule, *role, *req, users))
                .collect();
        }
    }
    Ok(StepRule::default_route())
}

/// The route a document's own setting or a kind's setting names, written
/// one step a line (`all: ann, bob` or `2 of quality_manager`); empty when
/// there is none (the fallback applies).
///
/// # Errors
/// `document_not_found`; a database fault.
pub fn route_text(conn: &mut DbConn, target: &RouteTarget) -> AppResult<String> {
    use crate::db::schema::users;
    let (scope_kind, scope) = match target {
        RouteTarget::Document(number) => ("document", load_doc(conn, number)?.doc.id),
        RouteTarget::Kind(kind) => ("kind", kind.as_str().to_string()),
    };
    let rows: Vec<(StepRuleKind, Option<Role>, i32, String)> = approval_steps::table
        .filter(approval_steps::scope_kind.eq(scope_kind))
        .filter(approval_steps::scope.eq(&scope))
        .order(approval_steps::step.asc())
        .select((
            approval_steps::rule,
            approval_steps::role,
            approval_steps::required,
            approval_steps::users,
        ))
        .load(conn)?;
    let mut lines = Vec::new();
    for (rule, role, required, ids) in rows {
        match StepRule::from_columns(rule, role, required, &ids)? {
            StepRule::AllUsers { users: ids } => {
                let names: Vec<String> = users::table
                    .filter(users::id.eq_any(&ids))
                    .select(users::username)
                    .load(conn)?;
                lines.push(format!("all: {}", names.join(", ")));
            }
            StepRule::NOfRole { role, n } => lines.push(format!("{n} of {role}")),
        }
    }
    Ok(lines.join("\n"))
}

/// Parses a route written one step a line: `all: ann, bob` or `2 of quality_manager`.
///
/// # Errors
/// `invalid_route` naming the line.
pub fn parse_route_text(text: &str) -> AppResult<Vec<StepRuleInput>> {
    let mut steps = Vec::new();
    for (i, line) in text.lines().map(str::trim).enumerate() {
        if line.is_empty() {
            continue;
        }
        let bad = || {
            AppError::invalid(
                Code::InvalidRoute,
                format!(
                    "line {}: write `all: ann, bob` or `2 of quality_manager`, not `{line}`",
                    i + 1
                ),
            )
        };
        if let Some(names) = line.strip_prefix("all:") {
            let users: Vec<String> = names
                .split(',')
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect();
            steps.push(StepRuleInput::AllUsers { users });
        } else if let Some((n, role)) = line.split_once(" of ") {
            let n = n.trim().parse::<i32>().map_err(|_| bad())?;
            steps.push(StepRuleInput::NOfRole {
                role: role.trim().to_string(),
                n,
            });
        } else {
            return Err(bad());
        }
    }
    Ok(steps)
}

/// Sets the approval route of one document (`Some(number)`) or of a kind.
/// Revisions already submitted keep the route they were submitted with.
///
/// # Errors
/// `forbidden`, `invalid_route`, `route_signer_not_allowed` (a step naming an
/// auditor, a user without a signing role, or a role that does not sign),
/// `user_not_found`.
pub fn set_route(
    conn: &mut DbConn,
    by: &User,
    target: RouteTarget,
    steps: Vec<StepRuleInput>,
) -> AppResult<Vec<StepRule>> {
    by.require_any(&[Role::QualityManager])?;
    if steps.is_empty() || steps.len() > 10 {
        return Err(AppError::invalid(
            Code::InvalidRoute,
            "a route has 1-10 steps",
        ));
    }
    let mut rules = Vec::new();
    for s in steps {
        rules.push(s.resolve(conn)?);
    }
    let (scope_kind, scope, label) = match &target {
        RouteTarget::Document(number) => {
            let Loaded { doc, .. } = load_doc(conn, number)?;
            ("document", doc.id, number.clone())
        }
        RouteTarget::Kind(kind) => ("kind", kind.as_str().to_string(), kind.as_str().to_string()),
    };
    write_tx(conn, |conn| {
        let before = approval_steps::table
            .filter(approval_steps::scope_kind.eq(scope_kind))
            .filter(approval_steps::scope.eq(&scope))
            .count()
            .get_result::<i64>(conn)?;
        diesel::delete(
            approval_steps::table
                .filter(approval_steps::scope_kind.eq(scope_kind))
                .filter(approval_steps::scope.eq(&scope)),
        )
        .execute(conn)?;
        for (i, rule) in rules.iter().enumerate() {
            let (r, role, required, users) = rule.to_columns();
            diesel::insert_into(approval_steps::table)
                .values((
                    approval_steps::id.eq(new_id()),
                    approval_steps::scope_kind.eq(scope_kind),
                    approval_steps::scope.eq(&scope),
                    approval_steps::step.eq(i32::try_from(i + 1).unwrap_or(i32::MAX)),
                    approval_steps::rule.eq(r),
                    approval_steps::role.eq(role),
                    approval_steps::required.eq(required),
                    approval_steps::users.eq(users),
                ))
                .execute(conn)?;
        }
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "approval_route.set",
                entity_type: if scope_kind == "kind" {
                    "document_kind"
                } else {
                    "document"
                },
                entity_id: &label,
                summary: format!(
                    "approval route of {label} set ({} steps, {before} before)",
                    rules.len()
                ),
                changes: serde_json::json!({ "steps": { "after": rules } }),
            },
        )?;
        Ok(rules.clone())
    })
}

fn route_signer_not_allowed(message: String) -> AppError {
    AppError::invalid(Code::RouteSignerNotAllowed, message)
}

/// Whose route to set.
#[derive(Debug, Clone)]
pub enum RouteTarget {
    /// One document's own route, by number.
    Document(String),
    /// The route of every document of a kind that has none of its own.
    Kind(DocumentKind),
}

/// A route step as a caller gives it: usernames rather than ids.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum StepRuleInput {
    /// Every one of these users signs.
    AllUsers {
        /// Usernames of the signers.
        users: Vec<String>,
    },
    /// `n` different holders of `role` sign.
    NOfRole {
        /// The role, as written (`quality_manager`).
        role: String,
        /// How many signatures the step needs.
        n: i32,
    },
}

impl StepRuleInput {
    fn resolve(self, conn: &mut DbConn) -> AppResult<StepRule> {
        match self {
            StepRuleInput::AllUsers { users: names } => {
                if names.is_empty() {
                    return Err(AppError::invalid(
                        Code::InvalidRoute,
                        "an all-users step names at least one user",
                    ));
                }
                let mut ids = Vec::new();
                for n in names {
                    let u = users::user_by_username(conn, &n)?;
                    if !u.may_sign() {
                        return Err(route_signer_not_allowed(format!(
                            "{n} cannot sign documents (auditors and users without a signing role never sign)"
                        )));
                    }
                    if !ids.contains(&u.id.0) {
                        ids.push(u.id.0);
                    }
                }
                Ok(StepRule::AllUsers { users: ids })
            }
            StepRuleInput::NOfRole { role, n } => {
                let role = Role::parse(&role)?;
                if !role.signs() {
                    return Err(route_signer_not_allowed(format!(
                        "holders of {role} do not sign documents; name quality_manager, process_owner or staff"
                    )));
                }
                if n < 1 {
                    return Err(AppError::invalid(
                        Code::InvalidRoute,
                        "an n-of-role step needs at least one signature",
                    ));
                }
                // Only holders who may sign count: an auditor never does.
                let auditors: Vec<String> = user_roles::table
                    .filter(user_roles::role.eq(Role::Auditor))
                    .select(user_roles::user_id)
                    .load(conn)?;
                let holders: i64 = user_roles::table
                    .filter(user_roles::role.eq(role))
                    .filter(user_roles::user_id.ne_all(auditors))
                    .count()
                    .get_result(conn)?;
                if i64::from(n) > holders {
                    return Err(AppError::invalid(
                        Code::InvalidRoute,
                        format!("only {holders} users hold {role}; {n} cannot sign"),
                    ));
                }
                Ok(StepRule::NOfRole { role, n })
            }
        }
    }
}
