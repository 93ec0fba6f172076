//! The steps of a case and of a corrective action, as tables
//! ([`crate::kit::flow`]). The services check each step here; the API's
//! `allowed_steps` and the case page's forms come from the same tables.

use diesel::prelude::*;

use super::super::model::{ActionRow, ActionStatus, NcKind, NcStatus};
use super::{Case, HANDLERS, REPORTERS};
use crate::auth::model::{Role, User};
use crate::db::DbConn;
use crate::db::schema::{corrective_actions, process_members};
use crate::error::{AppError, AppResult, Code, ErrorKind};
use crate::kit::flow::{Facts, Flow, Rule, Step};

use NcStatus::{
    Accepted, ActionsDone, ActionsPlanned, Analysed, Closed, Rejected, Reported, Verified,
};

/// What the case steps' rules read: the case and the reader's part in it.
pub struct CaseFacts {
    number: String,
    status: NcStatus,
    /// An improvement rather than a nonconformity: no root cause to analyse first.
    improvement: bool,
    reader: User,
    /// Owns the responsible process.
    owner: bool,
    /// Reported it, handles it, works in the responsible process or owns one of its actions.
    takes_part: bool,
    /// Owned or carried out an action that was done (cancelling one is not doing it).
    did_actions: bool,
    open_actions: usize,
    done_actions: usize,
}

impl Facts for CaseFacts {
    type State = NcStatus;

    fn state(&self) -> NcStatus {
        self.status
    }

    fn reader(&self) -> &User {
        &self.reader
    }
}

impl CaseFacts {
    /// Reads the facts of `case` for `reader` (inside the case's lock when
    /// a step is taken; without it when a page asks what to offer).
    ///
    /// # Errors
    /// A database fault.
    pub(crate) fn read(conn: &mut DbConn, case: &Case, reader: &User) -> AppResult<CaseFacts> {
        let actions: Vec<(ActionStatus, String, Option<String>)> = corrective_actions::table
            .filter(corrective_actions::nc_id.eq(&case.row.id))
            .select((
                corrective_actions::status,
                corrective_actions::owner_id,
                corrective_actions::completed_by,
            ))
            .load(conn)?;
        let me = reader.id.as_str();
        let owner = case.owner_id == me;
        let member = process_members::table
            .filter(process_members::process_id.eq(&case.row.responsible_id))
            .filter(process_members::user_id.eq(me))
            .count()
            .get_result::<i64>(conn)?
            > 0;
        let count = |s: ActionStatus| actions.iter().filter(|(st, _, _)| *st == s).count();
        Ok(CaseFacts {
            number: case.row.number.clone(),
            status: case.status,
            improvement: case.row.kind == NcKind::Improvement,
            owner,
            takes_part: case.row.reporter_id == me
                || owner
                || reader.has_role(Role::QualityManager)
                || member
                || actions.iter().any(|(_, o, _)| o == me),
            did_actions: actions.iter().any(|(st, o, by)| {
                *st == ActionStatus::Done && (o == me || by.as_deref() == Some(me))
            }),
            open_actions: count(ActionStatus::Open),
            done_actions: count(ActionStatus::Done),
            reader: reader.clone(),
        })
    }

    fn handler(&self) -> bool {
        self.owner || self.reader.has_role(Role::QualityManager)
    }
}

const OWNER: Rule<CaseFacts> = Rule {
    holds: |f| f.owner,
    refusal: |f| {
        AppError::new(ErrorKind::Forbidden, Code::NotResponsibleOwner, {
            format!(
                "only the owner of the responsible process accepts or rejects {}",
                f.number
            )
        })
    },
};

const HANDLER: Rule<CaseFacts> = Rule {
    holds: CaseFacts::handler,
    refusal: |f| {
        AppError::new(ErrorKind::Forbidden, Code::NotCaseHandler, {
            format!(
                "only the owner of the responsible process or a quality manager handles {}",
                f.number
            )
        })
    },
};

const TAKES_PART: Rule<CaseFacts> = Rule {
    holds: |f| f.takes_part,
    refusal: |f| {
        AppError::new(ErrorKind::Forbidden, Code::NotInvolved, {
            format!(
                "only those who take part in {} add evidence to it",
                f.number
            )
        })
    },
};

const NOT_FINAL: Rule<CaseFacts> = Rule {
    holds: |f| !f.status.is_final(),
    refusal: |f| {
        AppError::new(ErrorKind::Conflict, Code::NonconformityFinal, {
            format!(
                "{} is {}; its record is complete and takes no more changes",
                f.number, f.status
            )
        })
    },
};

/// A nonconformity's root cause is analysed before actions are planned; an
/// improvement is accepted and then planned.
const ANALYSED_FIRST: Rule<CaseFacts> = Rule {
    holds: |f| !matches!(f.status, Reported | Accepted) || (f.improvement && f.status == Accepted),
    refusal: |f| {
        AppError::new(ErrorKind::Conflict, Code::AnalysisRequired, {
            format!(
                "analyse the root cause of {} before planning actions",
                f.number
            )
        })
    },
};

const DID_NO_ACTIONS: Rule<CaseFacts> = Rule {
    holds: |f| !f.did_actions,
    refusal: |f| {
        AppError::new(ErrorKind::Forbidden, Code::VerifierDidActions, {
            format!(
                "you carried out actions of {}; another quality manager verifies them",
                f.number
            )
        })
    },
};

const NO_OPEN_ACTIONS: Rule<CaseFacts> = Rule {
    holds: |f| f.open_actions == 0,
    refusal: |f| {
        AppError::new(ErrorKind::Conflict, Code::ActionsOpen, {
            format!(
                "{} has {} open corrective action(s); close them first",
                f.number, f.open_actions
            )
        })
    },
};

/// Actions that were done must have been found effective: a case waiting
/// for its check, or sent back to analysis by an ineffective one, is not
/// closed until new actions are verified.
const EFFECTIVENESS_VERIFIED: Rule<CaseFacts> = Rule {
    holds: |f| match f.status {
        ActionsDone => false,
        Analysed => f.done_actions == 0,
        _ => true,
    },
    refusal: |f| {
        AppError::new(ErrorKind::Conflict, Code::EffectivenessNotVerified, {
            if f.status == ActionsDone {
                format!(
                    "the effectiveness of the actions of {} has not been verified",
                    f.number
                )
            } else {
                format!(
                    "the actions of {} were found not effective; plan new ones and verify them",
                    f.number
                )
            }
        })
    },
};

const QM: &[Role] = &[Role::QualityManager];

/// Containment cannot wait for acceptance: a critical case is contained
/// the day it is found.
const IN_HAND: &[NcStatus] = &[Reported, Accepted, Analysed, ActionsPlanned, ActionsDone];

/// Every state: steps whose refusal in a final state has its own code.
const ANY: &[NcStatus] = NcStatus::ALL;

/// The life cycle of a case: reported -> accepted (or rejected) -> analysed
/// -> actions planned -> actions done -> verified -> closed.
pub static CASE_FLOW: Flow<CaseFacts> = Flow {
    subject: "nonconformity",
    steps: &[
        Step {
            name: "accept",
            doing: "accepted",
            roles: HANDLERS,
            who: &[OWNER],
            from: &[Reported],
            guards: &[],
            to: &[Accepted],
        },
        Step {
            name: "reject",
            doing: "rejected",
            roles: HANDLERS,
            who: &[OWNER],
            from: &[Reported],
            guards: &[],
            to: &[Rejected],
        },
        Step {
            name: "transfer",
            doing: "moved to another process",
            roles: HANDLERS,
            who: &[HANDLER],
            from: &[Reported, Accepted, Analysed],
            guards: &[],
            to: &[Reported],
        },
        Step {
            name: "decide_disposition",
            doing: "given a disposition",
            roles: HANDLERS,
            who: &[HANDLER],
            from: IN_HAND,
            guards: &[],
            to: &[],
        },
        Step {
            name: "analyse",
            doing: "analysed",
            roles: HANDLERS,
            who: &[HANDLER],
            from: &[Accepted, Analysed, ActionsPlanned],
            guards: &[],
            to: &[Analysed, ActionsPlanned],
        },
        Step {
            name: "plan_action",
            doing: "given new actions",
            roles: HANDLERS,
            who: &[HANDLER],
            from: IN_HAND,
            guards: &[ANALYSED_FIRST],
            to: &[ActionsPlanned],
        },
        Step {
            name: "verify",
            doing: "verified",
            roles: QM,
            who: &[],
            from: &[ActionsDone],
            guards: &[DID_NO_ACTIONS],
            to: &[Verified, Analysed],
        },
        Step {
            name: "close",
            doing: "closed",
            roles: QM,
            who: &[],
            from: &[Verified, Analysed, ActionsPlanned, ActionsDone],
            guards: &[NO_OPEN_ACTIONS, EFFECTIVENESS_VERIFIED],
            to: &[Closed],
        },
        Step {
            name: "link_document",
            doing: "linked to a document",
            roles: HANDLERS,
            who: &[HANDLER],
            from: ANY,
            guards: &[NOT_FINAL],
            to: &[],
        },
        Step {
            name: "add_attachment",
            doing: "given evidence",
            roles: REPORTERS,
            who: &[TAKES_PART],
            from: ANY,
            guards: &[NOT_FINAL],
            to: &[],
        },
    ],
    wrong_state: |f, step| {
        AppError::conflict(
            Code::InvalidTransition,
            format!(
                "{} is {}; it cannot be {} now",
                f.number, f.status, step.doing
            ),
        )
    },
};

/// What the action steps' rules read: one action and the reader's part.
pub struct ActionFacts {
    number: String,
    status: ActionStatus,
    reader: User,
    /// Owns the action.
    action_owner: bool,
    /// Owns the responsible process.
    case_owner: bool,
}

impl Facts for ActionFacts {
    type State = ActionStatus;

    fn state(&self) -> ActionStatus {
        self.status
    }

    fn reader(&self) -> &User {
        &self.reader
    }
}

impl ActionFacts {
    /// The facts of action `a` of `case` for `reader`.
    pub(crate) fn of(case: &Case, a: &ActionRow, reader: &User) -> ActionFacts {
        ActionFacts {
            number: case.row.number.clone(),
            status: a.status,
            action_owner: a.owner_id == reader.id.as_str(),
            case_owner: case.owner_id == reader.id.as_str(),
            reader: reader.clone(),
        }
    }
}

const ACTION_OWNER: Rule<ActionFacts> = Rule {
    holds: |f| f.action_owner || f.case_owner,
    refusal: |_| {
        AppError::new(
            ErrorKind::Forbidden,
            Code::NotActionOwner,
            "only the action's owner or the responsible process's owner marks it done",
        )
    },
};

const ACTION_HANDLER: Rule<ActionFacts> = Rule {
    holds: |f| f.case_owner || f.reader.has_role(Role::QualityManager),
    refusal: |f| {
        AppError::new(ErrorKind::Forbidden, Code::NotCaseHandler, {
            format!(
                "only the owner of the responsible process or a quality manager handles {}",
                f.number
            )
        })
    },
};

/// A corrective action: open -> done, or cancelled when it turned out unnecessary.
pub static ACTION_FLOW: Flow<ActionFacts> = Flow {
    subject: "corrective action",
    steps: &[
        Step {
            name: "complete",
            doing: "done",
            roles: &[],
            who: &[ACTION_OWNER],
            from: &[ActionStatus::Open],
            guards: &[],
            to: &[ActionStatus::Done],
        },
        Step {
            name: "cancel",
            doing: "cancelled",
            roles: HANDLERS,
            who: &[ACTION_HANDLER],
            from: &[ActionStatus::Open],
            guards: &[],
            to: &[ActionStatus::Cancelled],
        },
    ],
    wrong_state: |f, _| {
        AppError::conflict(
            Code::ActionNotOpen,
            format!("the action is {} already", f.status),
        )
    },
};
