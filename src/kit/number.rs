//! Numbers people and programs send: one rule for a decimal value, and one
//! input type that takes it as a JSON number (`95`, `2.5`) where the API
//! documents a number, or as text (`"12,5"`) as forms and older clients
//! send it.

use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::error::{AppError, AppResult, Code};

/// A decimal value as people type it: `12.5` or `12,5`. Returns the value
/// written with a point, and the number.
///
/// # Errors
/// `invalid_value` naming the field.
pub fn decimal(field: &str, s: &str) -> AppResult<(String, f64)> {
    let normal = s.trim().replace(',', ".");
    match normal.parse::<f64>() {
        Ok(v) if v.is_finite() && !normal.is_empty() => Ok((normal, v)),
        _ => Err(AppError::invalid(
            Code::InvalidValue,
            format!("{field} must be a number such as 12.5, not `{s}`"),
        )),
    }
}

/// A decimal a caller sent, not yet checked: the text of a JSON number as
/// JSON writes it, or the string sent. Check it with [`decimal`]. In an
/// OpenAPI schema, give its field `#[schema(value_type = f64)]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DecimalInput(pub String);

impl DecimalInput {
    /// The text to check.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for DecimalInput {
    fn from(s: &str) -> Self {
        DecimalInput(s.to_string())
    }
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = DecimalInput;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number such as 12.5")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<DecimalInput, E> {
        Ok(DecimalInput(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<DecimalInput, E> {
        Ok(DecimalInput(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<DecimalInput, E> {
        // Written as serde_json writes the number (`95.0`, `2.5`).
        serde_json::Number::from_f64(v)
            .map(|n| DecimalInput(n.to_string()))
            .ok_or_else(|| E::custom("a number must be finite"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DecimalInput, E> {
        Ok(DecimalInput(v.to_string()))
    }
}

impl<'de> Deserialize<'de> for DecimalInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DecimalVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decimal_takes_a_point_or_a_comma() {
        assert_eq!(decimal("v", "12,5").unwrap().0, "12.5");
        assert_eq!(decimal("v", " 95 ").unwrap(), ("95".to_string(), 95.0));
        for bad in ["abc", "", "NaN", "inf"] {
            assert_eq!(decimal("v", bad).unwrap_err().code, "invalid_value");
        }
    }

    #[test]
    fn numbers_and_strings_are_both_taken() {
        let read = |json: &str| serde_json::from_str::<DecimalInput>(json).map(|d| d.0);
        assert_eq!(read("95").unwrap(), "95");
        assert_eq!(read("-3").unwrap(), "-3");
        assert_eq!(read("2.5").unwrap(), "2.5");
        assert_eq!(read("\"12,5\"").unwrap(), "12,5");
        assert!(read("true").is_err());
        assert!(read("null").is_err());
        assert!(read("[1]").is_err());
    }
}
