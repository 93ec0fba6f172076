//! Filling in a record on a page: the template's fields as inputs, each
//! refused answer shown beside its field with what was typed kept.

/// Registers the fill-in pages.
pub fn configure(_cfg: &mut crate::routes::PageRoutes) {}
