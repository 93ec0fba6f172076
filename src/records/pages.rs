//! HTML pages of records: the register of each template, a record's
//! printable page with its history, and the list of form templates. The
//! builder (`builder.rs`) and the fill-in page (`fill.rs`) add theirs.

/// Registers the record pages, in the order they must be matched.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    super::builder::configure(cfg);
    super::fill::configure(cfg);
    super::schedule_pages::configure(cfg);
}
