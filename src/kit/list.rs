//! Lists: every list answer is `{"items":[...],"total":N,"page":P,"per_page":S}`.
//!
//! An area writes its filters once, as a function that builds the filtered
//! query, and [`page`] counts what it selects and loads the asked-for page
//! of it, so that the count and the items can never disagree about the
//! filters.

use diesel::dsl::{CountStar, Limit, Offset, Select, count_star};
use diesel::query_dsl::LoadQuery;
use diesel::query_dsl::methods::{LimitDsl, OffsetDsl, SelectDsl};
use diesel::{QueryResult, RunQueryDsl};
use serde::Serialize;

use crate::db::DbConn;
use crate::error::AppResult;

/// One page of a list and the total count.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items the whole list has.
    pub total: i64,
    /// This page's number, from 1.
    pub page: i64,
    /// Items a page.
    pub per_page: i64,
}

impl<T> Page<T> {
    /// A list that is never paged, as one page holding all of it.
    pub fn whole(items: Vec<T>) -> Page<T> {
        let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
        Page {
            items,
            total,
            page: 1,
            per_page: total.max(1),
        }
    }

    /// How many pages the list has (at least one).
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }

    /// The same page with each item turned into another.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// Which page of a list is asked for, clamped to sane numbers: from page 1,
/// 50 items a page unless asked otherwise, never more than 200.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The page, from 1.
    pub page: i64,
    /// Items a page, 1 to 200.
    pub per_page: i64,
}

impl Paging {
    /// The paging a caller asked for (either may be absent).
    pub fn new(page: Option<i64>, per_page: Option<i64>) -> Paging {
        Paging {
            page: page.unwrap_or(1).max(1),
            per_page: per_page.unwrap_or(50).clamp(1, 200),
        }
    }

    /// How many items come before this page.
    pub fn offset(self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

/// Counts the rows `filtered` selects, then loads the page `paging` asks
/// for: `load` gets the filtered query already limited to the page and adds
/// its order, joins and selection.
///
/// # Errors
/// A database fault.
pub fn page<'q, Q, T>(
    conn: &mut DbConn,
    paging: Paging,
    filtered: impl Fn() -> Q,
    load: impl FnOnce(Offset<Limit<Q>>, &mut DbConn) -> QueryResult<Vec<T>>,
) -> AppResult<Page<T>>
where
    Q: SelectDsl<CountStar> + LimitDsl,
    Select<Q, CountStar>: LoadQuery<'q, DbConn, i64>,
    Limit<Q>: OffsetDsl,
{
    let total: i64 = filtered().select(count_star()).get_result(conn)?;
    let window = filtered().limit(paging.per_page).offset(paging.offset());
    Ok(Page {
        items: load(window, conn)?,
        total,
        page: paging.page,
        per_page: paging.per_page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_is_clamped() {
        assert_eq!(
            Paging::new(None, None),
            Paging {
                page: 1,
                per_page: 50
            }
        );
        let p = Paging::new(Some(0), Some(1000));
        assert_eq!((p.page, p.per_page, p.offset()), (1, 200, 0));
        let p = Paging::new(Some(3), Some(0));
        assert_eq!((p.page, p.per_page, p.offset()), (3, 1, 2));
        assert_eq!(Paging::new(Some(i64::MAX), Some(200)).offset(), i64::MAX);
    }

    #[test]
    fn pages_round_up_and_a_whole_list_is_one_page() {
        let p = Page {
            items: vec![1, 2],
            total: 101,
            page: 1,
            per_page: 50,
        };
        assert_eq!(p.pages(), 3);
        let w = Page::whole(Vec::<i32>::new());
        assert_eq!((w.total, w.page, w.per_page, w.pages()), (0, 1, 1, 1));
        assert_eq!(Page::whole(vec!["a"]).map(str::len).items, [1]);
    }
}
