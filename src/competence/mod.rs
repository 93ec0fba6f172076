//! Competence (ISO 9001 7.2) and awareness (7.3): a catalogue of
//! competences with their level scales and validity, requirements of them
//! per process, role, person or document, the certifications people hold
//! (never edited: a renewal or a correction is a new entry), the training
//! planned for them with its evaluation of effectiveness, "read and
//! understood" acknowledgements of the documents people work by, and the
//! matrix of people against what they must hold.

pub mod acknowledge;
pub mod api;
pub mod cards;
pub mod catalogue;
pub mod certifications;
pub mod evidence;
pub mod matrix;
pub mod model;
pub mod pages;
pub mod tasks;
pub mod trainings;

use crate::area::{Area, TaskSource};
use crate::scheduler::Job;

/// What the competence area adds: its routes; the scheduler's expiry marks
/// of certifications and overdue marks of training; the tasks of the
/// holders, their process owners, trainers and readers.
pub const AREA: Area = Area {
    name: "competence",
    api: configure_api,
    pages: configure_pages,
    jobs: &[
        Job {
            name: "certification_expiry",
            run: |state, conn, at| {
                certifications::mark_expiry(conn, certifications::Policy::of(state), at)
            },
        },
        Job {
            name: "trainings_overdue",
            run: |_, conn, at| trainings::mark_overdue(conn, at),
        },
    ],
    tasks: &[
        TaskSource {
            kinds: &[
                "certification_expiring",
                "certification_expired",
                "training_due",
            ],
            of: tasks::tasks,
        },
        acknowledge::TASKS,
    ],
    evidence: evidence::PARTS,
    cards: &[crate::area::Card {
        title: "dash-card-competence",
        figures: cards::figures,
    }],
    ..Area::EMPTY
};

fn configure_api(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::configure(cfg);
    acknowledge::configure_api(cfg);
}

fn configure_pages(cfg: &mut crate::routes::PageRoutes<'_>) {
    pages::configure(cfg);
    acknowledge::configure_pages(cfg);
}
