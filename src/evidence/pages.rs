//! The export page (`/evidence`) and the clause views (`/clauses`).

use crate::routes::PageRoutes;

/// Registers the pages.
pub fn configure(_routes: &mut PageRoutes<'_>) {}
