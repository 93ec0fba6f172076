//! The form builder: a form template's fields edited in the browser, saved
//! into the template's draft, and previewed as they will be filled in.

/// Registers the builder's pages.
pub fn configure(_cfg: &mut crate::routes::PageRoutes) {}
