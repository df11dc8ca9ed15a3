//! Logging set-up: `RUST_LOG`-style filtering, defaulting to `info`.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls are no-ops (tests call it repeatedly).
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,surrealdb=warn,surrealdb_core=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}
