//! Closed sets of values that travel as snake_case text (kinds, states,
//! directions): one enum each, parsed once at the boundary.

/// Declares an enum whose variants are written as fixed snake_case texts,
/// with `ALL`, `as_str()` and `parse()`; an unknown text is refused with the
/// given stable error code.
macro_rules! choice {
    ($(#[$doc:meta])* $name:ident, $code:literal, $what:literal { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// # Errors
            #[doc = concat!("`", $code, "`.")]
            pub fn parse(s: &str) -> $crate::error::AppResult<$name> {
                match s.trim() {
                    $($text => Ok($name::$variant),)*
                    other => Err($crate::error::AppError::invalid(
                        $code,
                        format!(concat!("`{}` is not a valid ", $what, "; use one of: ", $($text, " "),*), other),
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use choice;
