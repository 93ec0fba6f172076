//! The review of a revision as a table of steps ([`crate::kit::flow`]):
//! a draft is submitted, signed along its route until it is approved, or
//! rejected back to draft. The services check each step here, and the
//! draft's `allowed_steps` (what the document page offers) come from the
//! same table.

use super::*;
use crate::kit::flow::{Facts, Flow, Rule, Step};

/// What the review steps' rules read: the revision and the reader's part.
pub struct RevisionFacts {
    number: String,
    rev: i32,
    status: RevisionStatus,
    reader: User,
    /// May edit the draft: a quality manager, the document's owner, or the revision's author.
    editor: bool,
    /// The draft has been saved at least once.
    has_content: bool,
    /// Wrote the revision.
    author: bool,
    /// The current step of the route admits the reader.
    current_signer: bool,
    /// Has signed the current step already.
    signed_current: bool,
    /// A quality manager, or named by some step of the route.
    on_route: bool,
    /// How far each step of the route is (what signing goes on from).
    pub(crate) progress: Vec<StepView>,
}

impl Facts for RevisionFacts {
    type State = RevisionStatus;

    fn state(&self) -> RevisionStatus {
        self.status
    }

    fn reader(&self) -> &User {
        &self.reader
    }
}

impl RevisionFacts {
    /// Reads the facts of revision `r` of `doc` for `reader`.
    ///
    /// # Errors
    /// A database fault.
    pub(crate) fn read(
        conn: &mut DbConn,
        doc: &DocumentRow,
        r: &RevisionRow,
        reader: &User,
    ) -> AppResult<RevisionFacts> {
        let steps = steps_of(conn, &r.id)?;
        let live = live_signatures(conn, &r.id)?;
        let progress = step_progress(&steps, &live);
        let current = progress.iter().find(|s| !s.complete).cloned();
        let current = current.as_ref();
        Ok(RevisionFacts {
            number: doc.number.clone(),
            rev: r.rev,
            status: r.status,
            editor: may_edit(reader, doc, Some(r)),
            has_content: r.commit_id.is_some(),
            author: r.author_id == reader.id.0,
            current_signer: current.is_some_and(|s| rule_admits(&s.rule, reader)),
            signed_current: current.is_some_and(|c| {
                live.iter()
                    .any(|s| s.step == Some(c.step) && s.signer_id == reader.id.0)
            }),
            on_route: reader.has_role(Role::QualityManager)
                || steps.iter().any(|(_, rule)| match rule {
                    StepRule::AllUsers { users } => users.contains(&reader.id.0),
                    StepRule::NOfRole { role, .. } => reader.has_role(*role),
                }),
            reader: reader.clone(),
            progress,
        })
    }
}

const EDITOR: Rule<RevisionFacts> = Rule {
    holds: |f| f.editor,
    refusal: |_| AppError::forbidden(),
};

const HAS_CONTENT: Rule<RevisionFacts> = Rule {
    holds: |f| f.has_content,
    refusal: |f| {
        AppError::new(
            ErrorKind::Conflict,
            Code::DraftEmpty,
            format!("save the draft of {} before submitting it", f.number),
        )
    },
};

const MAY_SIGN: Rule<RevisionFacts> = Rule {
    holds: |f| f.reader.may_sign(),
    refusal: |_| signer_not_allowed(),
};

const NOT_AUTHOR: Rule<RevisionFacts> = Rule {
    holds: |f| !f.author,
    refusal: |_| {
        AppError::new(
            ErrorKind::Forbidden,
            Code::AuthorCannotSign,
            "the author of a revision cannot sign it",
        )
    },
};

const CURRENT_SIGNER: Rule<RevisionFacts> = Rule {
    holds: |f| f.current_signer,
    refusal: |f| {
        AppError::new(
            ErrorKind::Forbidden,
            Code::NotASigner,
            format!("you are not a signer of the current step of {}", f.number),
        )
    },
};

const NOT_SIGNED_YET: Rule<RevisionFacts> = Rule {
    holds: |f| !f.signed_current,
    refusal: |f| {
        AppError::new(
            ErrorKind::Conflict,
            Code::AlreadySigned,
            format!("you have signed the current step of {} already", f.number),
        )
    },
};

/// Rejecting is for those who review: on the route (or a quality
/// manager), and not the author.
const REVIEWER: Rule<RevisionFacts> = Rule {
    holds: |f| f.on_route && !f.author,
    refusal: |_| AppError::forbidden(),
};

/// A revision's review: draft -> in review -> approved (or effective at
/// once when its date has come); rejected back to draft.
pub static REVIEW_FLOW: Flow<RevisionFacts> = Flow {
    subject: "revision",
    steps: &[
        Step {
            name: "submit",
            doing: "submitted",
            roles: &[],
            who: &[EDITOR],
            from: &[RevisionStatus::Draft],
            guards: &[HAS_CONTENT],
            to: &[RevisionStatus::InReview],
        },
        Step {
            name: "sign",
            doing: "signed",
            roles: &[],
            who: &[MAY_SIGN, NOT_AUTHOR, CURRENT_SIGNER],
            from: &[RevisionStatus::InReview],
            guards: &[NOT_SIGNED_YET],
            to: &[
                RevisionStatus::InReview,
                RevisionStatus::Approved,
                RevisionStatus::Effective,
            ],
        },
        Step {
            name: "reject",
            doing: "rejected",
            roles: &[],
            who: &[MAY_SIGN, REVIEWER],
            from: &[RevisionStatus::InReview],
            guards: &[],
            to: &[RevisionStatus::Draft],
        },
    ],
    wrong_state: |f, step| {
        if f.status == RevisionStatus::InReview {
            AppError::conflict(
                Code::AlreadyInReview,
                format!("{} r{} is already in review", f.number, f.rev),
            )
        } else {
            AppError::conflict(
                Code::NotInReview,
                format!(
                    "{} r{} is not in review; it cannot be {} now",
                    f.number, f.rev, step.doing
                ),
            )
        }
    },
};

/// The review steps `reader` may take on revision `r` now.
///
/// # Errors
/// A database fault.
pub(crate) fn allowed_steps(
    conn: &mut DbConn,
    doc: &DocumentRow,
    r: &RevisionRow,
    reader: &User,
) -> AppResult<Vec<String>> {
    let facts = RevisionFacts::read(conn, doc, r, reader)?;
    Ok(REVIEW_FLOW
        .allowed(&facts)
        .into_iter()
        .map(str::to_string)
        .collect())
}

/// Checks review step `step` of revision `r` for `reader`; answers the
/// facts it read.
///
/// # Errors
/// The step's refusal.
pub(crate) fn check(
    conn: &mut DbConn,
    doc: &DocumentRow,
    r: &RevisionRow,
    reader: &User,
    step: &str,
) -> AppResult<RevisionFacts> {
    let facts = RevisionFacts::read(conn, doc, r, reader)?;
    REVIEW_FLOW.check(step, &facts)?;
    Ok(facts)
}
