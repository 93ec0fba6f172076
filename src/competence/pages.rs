//! HTML pages of the competence area.

/// Adds the competence pages.
pub fn configure(_cfg: &mut crate::routes::PageRoutes<'_>) {}
