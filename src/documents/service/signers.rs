//! Who signed each revision and who still must: what the document page
//! prints for 21 CFR 11.50 (the printed name, the date and time, the
//! meaning) and what it names as waiting.

use std::collections::{BTreeMap, HashMap};

use super::*;
use crate::auth::model::SIGNING_ROLES;
use crate::db::schema::users as user_table;

/// A signature as a page prints it: the signer's name, not the login.
#[derive(Debug, Clone, Serialize)]
pub struct PrintedSignature {
    /// The signer's display name.
    pub name: String,
    /// `reviewed`, `approved` or `rejected`.
    pub meaning: Meaning,
    /// `approval`, `withdrawal` or `periodic_review`.
    pub purpose: SignaturePurpose,
    /// When it was signed (UTC).
    pub signed_at: NaiveDateTime,
    /// The commit it is bound to.
    pub commit_id: String,
    /// What the signer wrote with it.
    pub comment: String,
    /// Whether an edit of the draft voided it.
    pub voided: bool,
}

/// Every signature of the revisions `visible` of `number` (those the
/// caller has already found the reader may see), by revision number, in the
/// order they were given. One query whatever the number of revisions.
///
/// # Errors
/// A database fault.
pub fn signatures_by_revision(
    conn: &mut DbConn,
    number: &str,
    visible: &[i32],
) -> AppResult<BTreeMap<i32, Vec<PrintedSignature>>> {
    let rows: Vec<(i32, SignatureRow, Option<String>)> = signatures::table
        .inner_join(revisions::table.on(revisions::id.eq(signatures::revision_id)))
        .inner_join(documents::table.on(documents::id.eq(revisions::document_id)))
        .left_join(user_table::table.on(user_table::id.eq(signatures::signer_id)))
        .filter(documents::number.eq(number))
        .filter(revisions::rev.eq_any(visible))
        .order((revisions::rev.asc(), signatures::signed_at.asc()))
        .select((
            revisions::rev,
            SignatureRow::as_select(),
            user_table::display_name.nullable(),
        ))
        .load(conn)?;
    let mut out: BTreeMap<i32, Vec<PrintedSignature>> = BTreeMap::new();
    for (rev, s, name) in rows {
        out.entry(rev).or_default().push(PrintedSignature {
            name: name.unwrap_or_else(|| s.signer_name.clone()),
            meaning: s.meaning,
            purpose: s.purpose,
            signed_at: s.signed_at,
            commit_id: s.commit_id,
            comment: s.comment,
            voided: s.voided_at.is_some(),
        });
    }
    Ok(out)
}

/// An approval step that still needs signatures, and who may give them.
#[derive(Debug, Clone, Serialize)]
pub struct StillToSign {
    /// The step's position on the route, from 1.
    pub step: i32,
    /// How many more signatures the step needs.
    pub missing: i32,
    /// The display names of the people who may still sign it, by name.
    pub people: Vec<String>,
}

/// For each incomplete step of a revision in review, the people who may
/// still sign it: those the step names or whose role it names, who may sign
/// at all, can log in, did not write the revision and have not signed it.
///
/// # Errors
/// A database fault.
pub fn still_to_sign(
    conn: &mut DbConn,
    draft: &DraftView,
    at: NaiveDateTime,
) -> AppResult<Vec<StillToSign>> {
    if draft.revision.status != RevisionStatus::InReview {
        return Ok(Vec::new());
    }
    let signed: Vec<&str> = draft
        .signatures
        .iter()
        .filter(|s| s.voided_at.is_none() && s.purpose == SignaturePurpose::Approval)
        .map(|s| s.signer_id.as_str())
        .collect();
    let people: Vec<(String, String, String, Option<NaiveDateTime>)> = user_table::table
        .filter(user_table::active.eq(true))
        .select((
            user_table::id,
            user_table::username,
            user_table::display_name,
            user_table::expires_at,
        ))
        .load(conn)?;
    let mut roles: HashMap<String, Vec<Role>> = HashMap::new();
    for (id, role) in user_roles::table
        .select((user_roles::user_id, user_roles::role))
        .load::<(String, String)>(conn)?
    {
        if let Ok(r) = Role::parse(&role) {
            roles.entry(id).or_default().push(r);
        }
    }
    let may_sign = |id: &str| {
        let held = roles.get(id).map(Vec::as_slice).unwrap_or_default();
        !held.contains(&Role::Auditor) && held.iter().any(|r| SIGNING_ROLES.contains(r))
    };
    let mut out = Vec::new();
    for step in draft.steps.iter().filter(|s| !s.complete) {
        let mut names: Vec<String> = people
            .iter()
            .filter(|(id, username, _, expires)| {
                expires.is_none_or(|t| at < t)
                    && *username != draft.revision.author
                    && !signed.contains(&id.as_str())
                    && may_sign(id)
                    && match &step.rule {
                        StepRule::AllUsers { users } => users.contains(id),
                        StepRule::NOfRole { role, .. } => roles
                            .get(id.as_str())
                            .is_some_and(|held| held.contains(role)),
                    }
            })
            .map(|(_, _, name, _)| name.clone())
            .collect();
        names.sort();
        out.push(StillToSign {
            step: step.step,
            missing: step.required - step.signed,
            people: names,
        });
    }
    Ok(out)
}
