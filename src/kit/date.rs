//! Dates and times as people and scripts write them, checked where they
//! enter; and how a calendar date is stored (midnight UTC).

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

use crate::error::{AppError, AppResult, Code};

/// A calendar date as people and scripts write it: `2026-11-23`, or the
/// Finnish `23.11.2026`.
///
/// # Errors
/// `invalid_date` naming the field.
pub fn parse_date(field: &str, s: &str) -> AppResult<NaiveDate> {
    let s = s.trim();
    let bad = || {
        AppError::invalid(
            Code::InvalidDate,
            format!("{field} must be a date such as 2026-11-23, not `{s}`"),
        )
    };
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .map_err(|_| bad())?;
    // SQLite keeps times as text: a year outside 1-9999 is written `+10000-`
    // or `-0001-` and would compare wrongly with every other date.
    if (1..=9999).contains(&d.year()) {
        Ok(d)
    } else {
        Err(bad())
    }
}

/// A date as stored: midnight UTC.
pub fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

/// A date that must not lie before `today` (the site's date), as stored.
///
/// # Errors
/// `invalid_date`, `date_in_past`.
pub fn future_date(field: &str, s: &str, today: NaiveDate) -> AppResult<NaiveDateTime> {
    let d = parse_date(field, s)?;
    if d < today {
        return Err(AppError::invalid(
            Code::DateInPast,
            format!("{field} cannot be before today"),
        ));
    }
    Ok(midnight(d))
}

/// Parses `2026-11-01` (midnight UTC) or an RFC 3339 time (`2026-11-01T08:00:00Z`;
/// without an offset it is UTC).
///
/// # Errors
/// `invalid_time` naming the field.
pub fn parse_time(field: &str, s: &str) -> AppResult<NaiveDateTime> {
    if let Some(t) = crate::time::parse(s) {
        return Ok(t);
    }
    if let Ok(d) = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        return Ok(midnight(d));
    }
    Err(AppError::invalid(
        Code::InvalidTime,
        format!("{field} must be a date (2026-11-01) or an RFC 3339 time (2026-11-01T08:00:00Z)"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_spellings() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(parse_date("due", "2026-11-23").unwrap(), d);
        assert_eq!(parse_date("due", " 23.11.2026 ").unwrap(), d);
        assert_eq!(
            parse_date("due", "23/11/2026").unwrap_err().code,
            "invalid_date"
        );
        assert_eq!(
            parse_date("due", "10000-01-01").unwrap_err().code,
            "invalid_date"
        );
    }

    #[test]
    fn future_dates_refuse_yesterday() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            future_date("due", "2026-11-22", today).unwrap_err().code,
            "date_in_past"
        );
        assert_eq!(
            future_date("due", "2026-11-23", today).unwrap(),
            midnight(today)
        );
    }
}
