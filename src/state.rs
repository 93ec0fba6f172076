//! What every handler can reach.

use crate::auth::password::Passwords;
use crate::config::Config;
use crate::db::DbPool;
use crate::store::DocStore;

/// Shared application state, behind `web::Data`.
pub struct AppState {
    pub config: Config,
    pub pool: DbPool,
    pub templates: tera::Tera,
    /// Key for CSRF tokens; kept in `<data-dir>/secret.key`.
    pub secret: Vec<u8>,
    pub tz: chrono_tz::Tz,
    pub store: DocStore,
    /// The process map as last drawn (see [`crate::processes::map_cache`]).
    pub map_cache: crate::processes::map_cache::MapCache,
    /// Password checks for logins (the dummy hash for unknown names).
    pub passwords: Passwords,
}
