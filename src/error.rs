//! Errors. The policy in three lines:
//! - outside the request cycle (CLI, start-up) use `anyhow`;
//! - services return `AppResult<T>`: a refusal with a stable code, or an internal fault;
//! - handlers return `AppResult<T>` too; the HTTP status and the JSON body follow from the error.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

pub mod codes;

pub use codes::Code;

/// The result type of services and handlers.
pub type AppResult<T> = Result<T, AppError>;

/// What kind of refusal an error is; decides the HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Malformed request (400).
    BadRequest,
    /// Not logged in, or the credentials are wrong (401).
    Unauthenticated,
    /// Logged in but not allowed (403).
    Forbidden,
    /// No such thing (404).
    NotFound,
    /// The path exists but not with this method (405).
    MethodNotAllowed,
    /// The request conflicts with the current state (409).
    Conflict,
    /// The request body is larger than the limit (413).
    PayloadTooLarge,
    /// Well-formed but invalid input (422).
    Invalid,
    /// Too many attempts (429).
    TooManyRequests,
    /// Our fault (500); the cause is logged, never shown.
    Internal,
    /// A dependency (database, git) is not usable (503).
    Unavailable,
}

/// An error with a stable, machine-readable code and a human message.
#[derive(Debug, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AppError {
    /// Which kind of refusal; decides the HTTP status.
    pub kind: ErrorKind,
    /// Stable snake_case code; the UI translates it as `error-<code>`.
    pub code: Code,
    /// A safe message for the caller (English; pages use the catalog).
    pub message: String,
    /// The cause of an internal fault, logged and never shown.
    #[source]
    pub source: Option<anyhow::Error>,
    /// What is wrong with each field, when input is refused field by field
    /// (a record's answers, a form's definition); empty otherwise.
    pub fields: Vec<FieldError>,
}

/// One field's refusal within an answer that names several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field's key; a table's cell is `key[row].column`, rows from 0.
    pub field: String,
    /// Stable snake_case code, as for the whole answer.
    #[schema(value_type = String)]
    pub code: Code,
    /// What is wrong, in English.
    pub message: String,
}

impl FieldError {
    /// The refusal of `field` with `code`.
    pub fn new(field: impl Into<String>, code: Code, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

impl AppError {
    /// An error of `kind` with `code` and a message for the caller.
    pub fn new(kind: ErrorKind, code: Code, message: impl Into<String>) -> Self {
        Self {
            kind,
            code,
            message: message.into(),
            source: None,
            fields: Vec::new(),
        }
    }

    /// Input refused field by field (422): `code` for the whole, and each
    /// field's own refusal.
    pub fn fields(code: Code, message: impl Into<String>, fields: Vec<FieldError>) -> Self {
        Self {
            fields,
            ..Self::new(ErrorKind::Invalid, code, message)
        }
    }

    /// A malformed request (400).
    pub fn bad_request(code: Code, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadRequest, code, message)
    }

    /// Well-formed but invalid input (422).
    pub fn invalid(code: Code, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, code, message)
    }

    /// Something named does not exist (404).
    pub fn not_found(code: Code, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, code, message)
    }

    /// The request conflicts with the current state (409).
    pub fn conflict(code: Code, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, code, message)
    }

    /// `payload_too_large` (413): the body is larger than `limit` bytes.
    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            ErrorKind::PayloadTooLarge,
            Code::PayloadTooLarge,
            format!("the body is larger than {limit} bytes"),
        )
    }

    /// `method_not_allowed` (405): the path exists, the method does not.
    pub fn method_not_allowed() -> Self {
        Self::new(
            ErrorKind::MethodNotAllowed,
            Code::MethodNotAllowed,
            "this address does not take this method; see the Allow header",
        )
    }

    /// `not_authenticated` (401): log in first.
    pub fn unauthenticated() -> Self {
        Self::new(
            ErrorKind::Unauthenticated,
            Code::NotAuthenticated,
            "log in first",
        )
    }

    /// `forbidden` (403): the caller's roles do not allow this.
    pub fn forbidden() -> Self {
        Self::new(
            ErrorKind::Forbidden,
            Code::Forbidden,
            "your roles do not allow this",
        )
    }

    /// `internal_error` (500); `source` is logged, the caller sees only that it was logged.
    pub fn internal(source: impl Into<anyhow::Error>) -> Self {
        Self {
            kind: ErrorKind::Internal,
            code: Code::InternalError,
            message: "internal error; it has been logged".into(),
            source: Some(source.into()),
            fields: Vec::new(),
        }
    }

    /// A dependency (the database, git) is not usable (503); `source` is logged.
    pub fn unavailable(code: Code, source: impl Into<anyhow::Error>) -> Self {
        Self {
            kind: ErrorKind::Unavailable,
            code,
            message: "a dependency of the server is not usable".into(),
            source: Some(source.into()),
            fields: Vec::new(),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::not_found(Code::NotFound, "not found"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::conflict(Code::AlreadyExists, "a record with that key already exists")
            }
            // A row still points at what was to be removed (or at what is
            // gone): the caller's conflict with the data, not our fault.
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => AppError {
                source: Some(anyhow::Error::new(e)),
                ..AppError::conflict(
                    Code::StillReferenced,
                    "other records still refer to this, so it cannot be removed or changed this way; nothing was changed",
                )
            },
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => AppError::conflict(
                Code::ConcurrentUpdate,
                "someone else changed this at the same time; try again",
            ),
            // SQLite's write lock was not free within `db_wait_secs`.
            Error::DatabaseError(_, ref info)
                if info.message().contains("database is locked")
                    || info.message().contains("database is busy") =>
            {
                AppError::unavailable(Code::DatabaseBusy, e)
            }
            other => AppError::internal(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::unavailable(Code::DatabaseUnavailable, e)
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::internal(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

/// The JSON shape of every error: `{"error":{"code","message"}}`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The code and message.
    pub error: ErrorDetail,
}

/// The code and message of an error body.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code.
    pub code: String,
    /// What went wrong, in English; pages show the catalog's message instead.
    pub message: String,
    /// Each field's refusal, when the input was refused field by field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self.kind {
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if matches!(self.kind, ErrorKind::Internal | ErrorKind::Unavailable) {
            // The request span (tracing-actix-web) carries the request id.
            tracing::error!(code = self.code.as_str(), error = ?self.source, "request failed");
        }
        HttpResponse::build(self.status_code()).json(ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str().to_string(),
                message: self.message.clone(),
                fields: self.fields.clone(),
            },
        })
    }
}

/// Query strings that do not parse: `invalid_query`.
pub fn query_error_handler(
    err: actix_web::error::QueryPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    AppError::bad_request(Code::InvalidQuery, err.to_string()).into()
}

/// Path parameters that do not parse: `not_found` (404), as for a path that names nothing.
pub fn path_error_handler(
    err: actix_web::error::PathError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    AppError::not_found(Code::NotFound, err.to_string()).into()
}
