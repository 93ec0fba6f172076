//! Paged lists: every list answer is `{"items":[...],"total":N}` with paging.

use serde::Serialize;

/// One page of a list and the total count.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items all pages hold together.
    pub total: i64,
    /// This page's number, from 1.
    pub page: i64,
    /// Items a page.
    pub per_page: i64,
}

impl<T> Page<T> {
    /// How many pages there are (at least 1).
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// Clamps paging input to sane numbers.
pub fn paging(page: Option<i64>, per_page: Option<i64>) -> (i64, i64) {
    (
        page.unwrap_or(1).max(1),
        per_page.unwrap_or(50).clamp(1, 200),
    )
}
