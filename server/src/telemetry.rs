//! Logging set-up: `RUST_LOG`-style filtering, defaulting to `info`.

use tracing_subscriber::EnvFilter;

/// The filter: `RUST_LOG` if set, else `info` with SurrealDB's own lines from `warn` up.
fn filtro() -> EnvFilter {
    EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,surrealdb=warn,surrealdb_core=warn"))
}

/// Installs the global subscriber once, writing to standard output.
pub fn init() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filtro())
        .try_init();
}

/// For tests: the same lines through the test harness's capture, so a test's log is printed
/// with its failure and not otherwise. Installed once; later calls are no-ops.
pub fn init_per_i_test() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filtro())
        .with_test_writer()
        .try_init();
}
