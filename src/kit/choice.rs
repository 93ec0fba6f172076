//! Closed sets of values (kinds, states, directions): one enum each, written
//! as fixed snake_case texts in JSON, in forms and in the database, parsed
//! once where they enter. Rows carry the enum, not a string.

/// Declares an enum whose variants are written as fixed snake_case texts,
/// with `ALL`, `as_str()` and `parse()`; an unknown text is refused with the
/// given stable error code. The enum maps to a diesel `Text` column on every
/// backend, so a row or a filter carries it directly; a stored text outside
/// the set is a read error, not a silent default.
///
/// The refusal's message names the text and the set. A set whose callers
/// already read another message gives it after `$what` as `|s| { .. }`,
/// where `s` is the text as sent.
macro_rules! choice {
    ($(#[$doc:meta])* $name:ident, $code:path, $what:literal { $($variant:ident => $text:literal),* $(,)? }) => {
        $crate::kit::choice::choice!(
            $(#[$doc])* $name, $code, $what, |s| {
                format!(concat!("`{}` is not a valid ", $what, "; use one of: ", $($text, " "),*), s.trim())
            } { $($variant => $text),* }
        );
    };
    ($(#[$doc:meta])* $name:ident, $code:path, $what:literal, |$s:ident| $message:block { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[serde(rename_all = "snake_case")]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[allow(missing_docs)]
        pub enum $name { $($variant),* }

        impl $name {
            /// Every value, in the order declared.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The value as written in JSON, forms and the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// Reads a value as written (surrounding blanks ignored).
            ///
            /// # Errors
            #[doc = concat!("`", stringify!($code), "`.")]
            pub fn parse($s: &str) -> $crate::error::AppResult<$name> {
                match $s.trim() {
                    $($text => Ok($name::$variant),)*
                    _ => Err($crate::error::AppError::invalid($code, $message)),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::AppError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s)
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    DB,
                >>::from_sql(bytes)?;
                $name::parse(&text).map_err(|_| {
                    format!(concat!("stored ", $what, " `{}` is not one we know"), text).into()
                })
            }
        }
    };
}

pub(crate) use choice;

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use crate::db::DbConn;
    use crate::error::Code;

    choice!(
        /// A test set.
        Colour, Code::InvalidQuery, "colour" {
            Red => "red",
            DarkBlue => "dark_blue",
        }
    );

    choice!(
        /// A set whose refusal is worded its own way.
        Size, Code::InvalidValue, "size", |s| { format!("`{s}` is no size we make") } {
            Small => "small",
        }
    );

    #[test]
    fn texts_round_trip() {
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()).unwrap(), *c);
        }
        assert_eq!(Colour::parse(" dark_blue ").unwrap(), Colour::DarkBlue);
        assert_eq!(Colour::parse("green").unwrap_err().code, "invalid_query");
        assert_eq!(
            serde_json::to_string(&Colour::DarkBlue).unwrap(),
            "\"dark_blue\""
        );
        assert!(Colour::Red == "red");
    }

    #[test]
    fn refusals_name_the_text_and_the_set() {
        let e = Colour::parse(" green ").unwrap_err();
        assert_eq!(
            e.message,
            "`green` is not a valid colour; use one of: red dark_blue "
        );
        let e = Size::parse(" huge ").unwrap_err();
        assert_eq!(e.code, "invalid_value");
        assert_eq!(e.message, "` huge ` is no size we make");
        assert_eq!(Size::parse("small").unwrap(), Size::Small);
    }

    #[test]
    fn stored_as_text_and_refused_when_unknown() {
        let mut conn = DbConn::establish(":memory:").unwrap();
        diesel::sql_query("CREATE TABLE t (c TEXT NOT NULL)")
            .execute(&mut conn)
            .unwrap();
        diesel::sql_query("INSERT INTO t VALUES (?)")
            .bind::<diesel::sql_types::Text, _>(Colour::DarkBlue)
            .execute(&mut conn)
            .unwrap();
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            c: Colour,
        }
        let rows: Vec<Row> = diesel::sql_query("SELECT c FROM t")
            .load(&mut conn)
            .unwrap();
        assert_eq!(rows[0].c, Colour::DarkBlue);
        diesel::sql_query("INSERT INTO t VALUES ('green')")
            .execute(&mut conn)
            .unwrap();
        let bad: Result<Vec<Row>, _> = diesel::sql_query("SELECT c FROM t").load(&mut conn);
        assert!(bad.is_err());
    }
}
