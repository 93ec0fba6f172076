//! Nonconformities (ISO 9001 8.7 and 10.2): reports of deviations,
//! internal-customer complaints and the like, numbered NC-<year>-<seq>
//! without gaps, accepted or rejected by the responsible process's owner.
//!
//! Built so far: reporting, numbering, acceptance and rejection, lists.
//! Root-cause analysis, corrective actions, effectiveness and statistics
//! come next.

pub mod api;
pub mod model;
pub mod service;
