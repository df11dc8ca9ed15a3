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
    /// Campaigns, comuni and registries as the forms read them, in memory (checked against
    /// the database's generations at every form request).
    pub riferimenti: crate::service::riferimenti::Riferimenti,
    /// The clock that decides deadlines.
    pub orologio: Orologio,
    /// The background e-mail sender's handle.
    pub posta: crate::service::posta::Postino,
}

/// The server's clock, the only one that decides whether a window is open: the system clock
/// plus an offset that starts at zero and that only tests move forward (to see a deadline pass
/// without waiting). No request and no setting can change it.
#[derive(Clone, Default)]
pub struct Orologio(Arc<std::sync::atomic::AtomicI64>);

impl Orologio {
    /// Now.
    #[allow(
        clippy::disallowed_methods,
        reason = "the one place that reads the system clock: everything else asks this clock"
    )]
    pub fn adesso(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
            + chrono::Duration::milliseconds(self.0.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Today in Italy: the only "today" the rules are run with on the server.
    pub fn oggi(&self) -> chrono::NaiveDate {
        shared::tempo::oggi_in_italia(self.adesso())
    }

    /// Moves the clock forward by `d` (tests).
    pub fn avanza(&self, d: chrono::Duration) {
        self.0
            .fetch_add(d.num_milliseconds(), std::sync::atomic::Ordering::Relaxed);
    }
}
