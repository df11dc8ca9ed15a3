//! What every request handler needs: the store and the configuration.

use crate::config::Settings;
use crate::store::Store;
use std::sync::Arc;

/// Shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The configuration.
    pub settings: Arc<Settings>,
}
