//! Competence (ISO 9001 7.2) and awareness (7.3): a catalogue of
//! competences with their level scales and validity, requirements of them
//! per process, role, person or document, the certifications people hold
//! (never edited: a renewal or a correction is a new entry), the training
//! planned for them with its evaluation of effectiveness, "read and
//! understood" acknowledgements of the documents people work by, and the
//! matrix of people against what they must hold.

pub mod acknowledge;
pub mod model;

use crate::area::Area;

/// What the competence area adds.
pub const AREA: Area = Area {
    name: "competence",
    api: configure_api,
    pages: configure_pages,
    tasks: &[acknowledge::TASKS],
    ..Area::EMPTY
};

fn configure_api(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    acknowledge::configure_api(cfg);
}

fn configure_pages(cfg: &mut crate::routes::PageRoutes<'_>) {
    acknowledge::configure_pages(cfg);
}
