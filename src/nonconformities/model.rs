//! Nonconformity kinds, severities and states.

use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident, $code:literal { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// # Errors
            #[doc = concat!("`", $code, "`.")]
            pub fn parse(s: &str) -> AppResult<$name> {
                match s.trim() {
                    $($text => Ok($name::$variant),)*
                    other => Err(AppError::invalid(
                        $code,
                        format!(concat!("`{}` is not one of: ", $($text, " "),*), other),
                    )),
                }
            }
        }
    };
}

choice!(
    /// What kind of nonconformity.
    NcKind, "invalid_nc_kind" {
        Deviation => "deviation",
        InternalComplaint => "internal_complaint",
        CustomerComplaint => "customer_complaint",
        Supplier => "supplier",
        AuditFinding => "audit_finding",
        CustomerProperty => "customer_property",
    }
);

choice!(
    /// How bad it is.
    Severity, "invalid_severity" {
        Minor => "minor",
        Major => "major",
        Critical => "critical",
    }
);

choice!(
    /// Where a nonconformity stands.
    NcStatus, "invalid_nc_status" {
        Reported => "reported",
        Accepted => "accepted",
        Rejected => "rejected",
        Analysed => "analysed",
        ActionsPlanned => "actions_planned",
        ActionsDone => "actions_done",
        Verified => "verified",
        Closed => "closed",
    }
);
