//! Workflows as tables of steps. One [`Flow`] per workflow lists every step:
//! its name, the roles that may ask at all, the rules about the reader
//! (owner of the process, not the one who did the work), the states it is
//! taken from, the conditions on the record, and the states it leads to.
//!
//! The service checks a step with [`Flow::check`] inside the record's lock;
//! the API and the pages ask [`Flow::allowed`] which steps this reader may
//! take now, so what a page offers is what the server accepts. Nothing here
//! knows HTTP or a table: an area describes the record and the reader in a
//! value of its own (the "facts") and the rules read it.
//!
//! A step is checked in a fixed order, the same for every area, so that a
//! refusal names the first thing that is wrong:
//! 1. the reader's roles ([`Step::roles`], `forbidden`),
//! 2. the rules about the reader ([`Step::who`]),
//! 3. the state ([`Step::from`], the flow's own wrong-state refusal),
//! 4. the conditions on the record ([`Step::guards`]).

use std::fmt::Display;

use crate::auth::model::{Role, User};
use crate::error::{AppError, AppResult};

/// What a flow's rules read: the record's state and the reader, plus
/// whatever the area's rules need (counts, who did what).
pub trait Facts: 'static {
    /// The record's closed set of states.
    type State: Copy + PartialEq + Display + 'static;

    /// The state the record is in.
    fn state(&self) -> Self::State;

    /// Who is asking.
    fn reader(&self) -> &User;
}

/// One condition of a step, with the refusal when it does not hold
/// (`Forbidden` for rules about the reader, usually `Conflict` for
/// conditions on the record; the message is English, pages show the
/// catalog's text for the code).
pub struct Rule<F> {
    /// Whether the condition holds.
    pub holds: fn(&F) -> bool,
    /// The answer when it does not.
    pub refusal: fn(&F) -> AppError,
}

impl<F> Rule<F> {
    fn check(&self, facts: &F) -> AppResult<()> {
        if (self.holds)(facts) {
            Ok(())
        } else {
            Err((self.refusal)(facts))
        }
    }
}

/// One step of a workflow.
pub struct Step<F: Facts> {
    /// The step's name, as `allowed_steps` answers it.
    pub name: &'static str,
    /// What the record becomes, for the wrong-state refusal ("cannot be
    /// {doing} now").
    pub doing: &'static str,
    /// Roles that may ask at all (empty: anyone who is logged in); checked
    /// before the record is read.
    pub roles: &'static [Role],
    /// Rules about the reader, all of which must hold.
    pub who: &'static [Rule<F>],
    /// The states the step is taken from.
    pub from: &'static [F::State],
    /// Conditions on the record, all of which must hold.
    pub guards: &'static [Rule<F>],
    /// The states the step may lead to; empty when the record keeps its state.
    pub to: &'static [F::State],
}

impl<F: Facts> Step<F> {
    /// Refuses a reader without one of the step's roles, before anything
    /// is looked up.
    ///
    /// # Errors
    /// `forbidden`.
    pub fn require_role(&self, by: &User) -> AppResult<()> {
        if self.roles.is_empty() {
            Ok(())
        } else {
            by.require_any(self.roles)
        }
    }

    /// Whether the step may end in `next` when taken from `from`.
    pub fn leads_to(&self, from: F::State, next: F::State) -> bool {
        if self.to.is_empty() {
            next == from
        } else {
            self.to.contains(&next)
        }
    }
}

/// A workflow: its steps, and how it refuses a step from the wrong state.
pub struct Flow<F: Facts> {
    /// What the records are called in faults of ours ("nonconformity").
    pub subject: &'static str,
    /// Every step.
    pub steps: &'static [Step<F>],
    /// The refusal for a step taken from a state it does not start from.
    pub wrong_state: fn(&F, &Step<F>) -> AppError,
}

impl<F: Facts> Flow<F> {
    /// The step called `name`; asking for one that is not in the table is
    /// a fault of ours.
    ///
    /// # Errors
    /// `internal_error`.
    pub fn step(&'static self, name: &str) -> AppResult<&'static Step<F>> {
        self.steps.iter().find(|s| s.name == name).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!(
                "the {} flow has no step {name}",
                self.subject
            ))
        })
    }

    /// Checks that the reader of `facts` may take the step now.
    ///
    /// # Errors
    /// The first refusal, in the order of the module documentation.
    pub fn check(&'static self, name: &str, facts: &F) -> AppResult<&'static Step<F>> {
        let step = self.step(name)?;
        self.refusal(step, facts).map_or(Ok(step), Err)
    }

    /// Checks that `next` is a state the step leads to from `from`: a
    /// service that moves a record elsewhere is a fault of ours.
    ///
    /// # Errors
    /// `internal_error`.
    pub fn require_target(
        &'static self,
        step: &Step<F>,
        from: F::State,
        next: F::State,
    ) -> AppResult<()> {
        if step.leads_to(from, next) {
            Ok(())
        } else {
            Err(AppError::internal(anyhow::anyhow!(
                "the {} step {} does not lead from {from} to {next}",
                self.subject,
                step.name,
            )))
        }
    }

    /// The names of the steps the reader of `facts` may take now, in the
    /// table's order.
    pub fn allowed(&self, facts: &F) -> Vec<&'static str> {
        self.steps
            .iter()
            .filter(|s| self.refusal(s, facts).is_none())
            .map(|s| s.name)
            .collect()
    }

    fn refusal(&self, step: &Step<F>, facts: &F) -> Option<AppError> {
        let first = || -> AppResult<()> {
            step.require_role(facts.reader())?;
            for rule in step.who {
                rule.check(facts)?;
            }
            if !step.from.contains(&facts.state()) {
                return Err((self.wrong_state)(facts, step));
            }
            for rule in step.guards {
                rule.check(facts)?;
            }
            Ok(())
        };
        first().err()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Code, ErrorKind};
    use crate::ids::UserId;

    crate::kit::choice::choice!(
        /// A door's states.
        Door, Code::InvalidTransition, "door" {
            Shut => "shut",
            Open => "open",
            Locked => "locked",
        }
    );

    struct DoorFacts {
        state: Door,
        reader: User,
        has_key: bool,
        blocked: bool,
    }

    impl Facts for DoorFacts {
        type State = Door;
        fn state(&self) -> Door {
            self.state
        }
        fn reader(&self) -> &User {
            &self.reader
        }
    }

    const KEY: Rule<DoorFacts> = Rule {
        holds: |f| f.has_key,
        refusal: |_| AppError::new(ErrorKind::Forbidden, Code::NotInvolved, "you have no key"),
    };

    const CLEAR: Rule<DoorFacts> = Rule {
        holds: |f| !f.blocked,
        refusal: |_| {
            AppError::new(
                ErrorKind::Conflict,
                Code::ActionsOpen,
                "something is in the way",
            )
        },
    };

    static DOOR: Flow<DoorFacts> = Flow {
        subject: "door",
        steps: &[
            Step {
                name: "open",
                doing: "opened",
                roles: &[],
                who: &[],
                from: &[Door::Shut],
                guards: &[CLEAR],
                to: &[Door::Open],
            },
            Step {
                name: "lock",
                doing: "locked",
                roles: &[Role::QualityManager],
                who: &[KEY],
                from: &[Door::Shut],
                guards: &[],
                to: &[Door::Locked],
            },
            Step {
                name: "knock",
                doing: "knocked on",
                roles: &[],
                who: &[],
                from: &[Door::Shut, Door::Locked],
                guards: &[],
                to: &[],
            },
        ],
        wrong_state: |f, s| {
            AppError::conflict(
                Code::InvalidTransition,
                format!("the door is {}; it cannot be {} now", f.state, s.doing),
            )
        },
    };

    fn facts(state: Door, roles: Vec<Role>, has_key: bool, blocked: bool) -> DoorFacts {
        DoorFacts {
            state,
            reader: User {
                id: UserId("u1".into()),
                username: "u1".into(),
                display_name: "U One".into(),
                email: String::new(),
                roles,
                language: None,
                mail: crate::mail::MailChoice::Digest,
                active: true,
                expires_at: None,
                version: 1,
                created_at: chrono::NaiveDateTime::default(),
            },
            has_key,
            blocked,
        }
    }

    #[test]
    fn allowed_is_what_check_accepts() {
        let cases = [
            facts(Door::Shut, vec![Role::Staff], false, false),
            facts(Door::Shut, vec![Role::QualityManager], true, true),
            facts(Door::Shut, vec![Role::QualityManager], false, false),
            facts(Door::Locked, vec![Role::QualityManager], true, false),
            facts(Door::Open, vec![Role::Staff], true, false),
        ];
        for f in &cases {
            let allowed = DOOR.allowed(f);
            for step in DOOR.steps {
                assert_eq!(
                    DOOR.check(step.name, f).is_ok(),
                    allowed.contains(&step.name),
                    "{} from {}",
                    step.name,
                    f.state
                );
            }
        }
        assert_eq!(DOOR.allowed(&cases[0]), ["open", "knock"]);
        assert_eq!(DOOR.allowed(&cases[1]), ["lock", "knock"]);
        assert!(DOOR.allowed(&cases[4]).is_empty());
    }

    #[test]
    fn refusals_come_in_a_fixed_order() {
        let code = |f: &DoorFacts, step: &str| DOOR.check(step, f).err().map(|e| e.code);
        // Roles before the reader's rules before the state.
        let staff_open = facts(Door::Open, vec![Role::Staff], false, false);
        assert_eq!(code(&staff_open, "lock"), Some(Code::Forbidden));
        let qm_open = facts(Door::Open, vec![Role::QualityManager], false, false);
        assert_eq!(code(&qm_open, "lock"), Some(Code::NotInvolved));
        let qm_open_key = facts(Door::Open, vec![Role::QualityManager], true, false);
        assert_eq!(code(&qm_open_key, "lock"), Some(Code::InvalidTransition));
        // The state before the record's conditions.
        let open_blocked = facts(Door::Open, vec![Role::Staff], false, true);
        assert_eq!(code(&open_blocked, "open"), Some(Code::InvalidTransition));
        let shut_blocked = facts(Door::Shut, vec![Role::Staff], false, true);
        assert_eq!(code(&shut_blocked, "open"), Some(Code::ActionsOpen));
    }

    #[test]
    fn targets_are_checked() {
        let f = facts(Door::Shut, vec![Role::Staff], false, false);
        let open = DOOR.step("open").unwrap();
        assert!(DOOR.require_target(open, f.state, Door::Open).is_ok());
        assert!(DOOR.require_target(open, f.state, Door::Locked).is_err());
        let knock = DOOR.step("knock").unwrap();
        assert!(DOOR.require_target(knock, f.state, Door::Shut).is_ok());
        assert!(DOOR.require_target(knock, f.state, Door::Open).is_err());
        assert!(DOOR.step("kick").is_err());
    }
}
