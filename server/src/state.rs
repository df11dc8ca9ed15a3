//! What every request handler needs: the store, the configuration, the list index.

use crate::config::Settings;
use crate::service::indice_servizi::IndiceServizi;
use crate::store::Store;
use std::sync::Arc;

/// Shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The configuration.
    pub settings: Arc<Settings>,
    /// The served Region's list of services, in memory (checked against the database's
    /// generation at every use).
    pub indice_servizi: IndiceServizi,
}
