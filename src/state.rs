//! What every handler can reach.

use crate::auth::password::Passwords;
use crate::config::Config;
use crate::db::DbPool;
use crate::store::DocStore;

/// Shared application state, behind `web::Data`.
pub struct AppState {
    /// The configuration the server started with.
    pub config: Config,
    /// The database connection pool.
    pub pool: DbPool,
    /// The page templates.
    pub templates: tera::Tera,
    /// Key for CSRF tokens; kept in `<data-dir>/secret.key`.
    pub secret: Vec<u8>,
    /// The site's time zone, for dates people type and read.
    pub tz: chrono_tz::Tz,
    /// The git repository of controlled documents.
    pub store: DocStore,
    /// The process map as last drawn (see [`crate::processes::map_cache`]).
    pub map_cache: crate::processes::map_cache::MapCache,
    /// How often each client address may open or post survey links.
    pub survey_limiter: crate::feedback::limit::Limiter,
    /// Password checks for logins (the dummy hash for unknown names).
    pub passwords: Passwords,
    /// API answers the OpenAPI document does not describe (kept only with
    /// `check_api_contract`; see [`crate::contract`]).
    pub contract_breaches: crate::contract::Breaches,
}
