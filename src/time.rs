//! Timestamps on the wire: RFC 3339 in UTC with a `Z`.
//!
//! Times are UTC `NaiveDateTime` in the code and the database. In JSON they
//! are written as `2026-12-02T00:36:57.619736Z` (microseconds, `Z`), which is
//! what the OpenAPI `date-time` format promises. Put
//! `#[serde(with = "crate::time::rfc3339")]` on a `NaiveDateTime` field and
//! `#[serde(with = "crate::time::rfc3339_opt")]` on an `Option<NaiveDateTime>`
//! one. Pure dates (`NaiveDate`) stay `YYYY-MM-DD`.
//!
//! Reading accepts RFC 3339 with any offset (converted to UTC) and, for
//! older clients, the same text without an offset (taken as UTC).

use chrono::{DateTime, NaiveDateTime, SecondsFormat};

/// Formats a UTC time as RFC 3339 with microseconds and `Z`.
pub fn format(t: &NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Parses RFC 3339 (any offset, converted to UTC) or a time without an
/// offset (taken as UTC), seconds and fraction optional.
pub fn parse(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.naive_utc());
    }
    // RFC 3339 allows a space or a lower-case `t` between date and time.
    let s = s.strip_suffix(['Z', 'z']).unwrap_or(s);
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
}

/// `#[serde(with = "crate::time::rfc3339")]` for `NaiveDateTime`.
pub mod rfc3339 {
    use chrono::NaiveDateTime;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes RFC 3339 with `Z`.
    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format(t))
    }

    /// Reads RFC 3339 (or a time without an offset, as UTC).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        let s = String::deserialize(d)?;
        super::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{s}` is not an RFC 3339 time (2026-11-01T08:00:00Z)"
            ))
        })
    }
}

/// `#[serde(with = "crate::time::rfc3339_opt")]` for `Option<NaiveDateTime>`
/// (add `default` where the field may be missing on input).
pub mod rfc3339_opt {
    use chrono::NaiveDateTime;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes RFC 3339 with `Z`, or `null`.
    pub fn serialize<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&super::format(t)),
            None => s.serialize_none(),
        }
    }

    /// Reads RFC 3339, or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => super::parse(&s).map(Some).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "`{s}` is not an RFC 3339 time (2026-11-01T08:00:00Z)"
                ))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_rfc3339_with_z_and_reads_it_back() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_micro_opt(0, 36, 57, 619_736)
            .unwrap();
        assert_eq!(format(&t), "2026-12-02T00:36:57.619736Z");
        assert_eq!(parse("2026-12-02T00:36:57.619736Z"), Some(t));
        assert_eq!(parse("2026-12-02T02:36:57.619736+02:00"), Some(t));
        assert_eq!(parse("2026-12-02T00:36:57.619736"), Some(t));
        assert_eq!(parse("2026-12-02 00:36:57.619736z"), Some(t));
        assert_eq!(parse("2026-12-02"), None);
        assert_eq!(parse("yesterday"), None);
    }
}
