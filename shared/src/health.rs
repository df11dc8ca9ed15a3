//! The health report served at [`crate::routes::HEALTH`].

use serde::{Deserialize, Serialize};

/// Liveness report: `{"status":"ok","database":"ok","version":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Health {
    /// `ok` when the service answers and its database does; `degraded` otherwise.
    pub status: String,
    /// `ok` or `non raggiungibile`.
    pub database: String,
    /// The application's version.
    pub version: String,
}
