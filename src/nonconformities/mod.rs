//! Nonconformities and corrective actions (ISO 9001 8.7 and 10.2): reports
//! of deviations and complaints, numbered NC-<year>-<seq> without gaps,
//! accepted or rejected by the responsible process's owner, contained,
//! analysed to a root cause, corrected by actions whose effectiveness a
//! quality manager verifies, and closed; with statistics over all of them.

pub mod api;
pub mod model;
mod page_actions;
pub mod pages;
pub mod service;
pub mod stats;
pub mod stats_api;
pub mod stats_pages;
