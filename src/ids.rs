//! Identifiers and the clock. IDs are UUID v7 (time-ordered) stored as text
//! behind newtypes; times are UTC, truncated to microseconds so that both
//! databases store exactly what the audit chain hashed.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// Now, in UTC, to the microsecond, by the clock of the application the
/// current thread works for (see [`crate::kit::clock`]).
pub fn now() -> NaiveDateTime {
    crate::kit::clock::now()
}

/// A fresh time-ordered id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// A fresh time-ordered id.
            pub fn generate() -> Self {
                Self(new_id())
            }
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A user's id.
    UserId
);
id_type!(
    /// An API token's id.
    TokenId
);
