//! Start-up: one function builds everything `main` runs; tests call the same function with
//! `mem://` and port 0.

use crate::config::{Environment, Settings};
use crate::istat;
use crate::service::{comuni, demo, demo_servizi};
use crate::state::{AppState, Orologio};
use crate::store::Store;
use std::sync::Arc;

/// Connects the database, applies the schema, loads the ISTAT comuni (only differences are
/// written) and, in development, seeds the demo accounts.
pub async fn build_state(settings: Settings) -> anyhow::Result<AppState> {
    settings.campagne.giorni().map_err(|e| anyhow::anyhow!(e))?;
    if !settings.posta.smtp() && settings.application.environment == Environment::Production {
        tracing::warn!(
            cartella = %settings.posta.cartella,
            "nessun server SMTP configurato (posta.smtp_host): i messaggi sono scritti nella cartella, non spediti"
        );
    }
    let store = Store::connect(&settings.database).await?;
    let orologio = Orologio::default();
    if settings.database.import_comuni {
        let mut list = istat::parse(istat::ELENCO_COMUNI)?;
        if settings.database.import_solo_regione {
            list.retain(|c| c.codice_regione == settings.regione.codice);
        }
        let report = comuni::import(&store, list, orologio.adesso(), |_, _| {}).await?;
        tracing::info!(
            nuovi = report.nuovi,
            aggiornati = report.aggiornati,
            invariati = report.invariati,
            cessati = report.cessati,
            "elenco comuni ISTAT"
        );
    }
    if settings.seed_demo() {
        let created = demo::seed(&store).await?;
        if created > 0 {
            tracing::info!(created, "account dimostrativi creati");
        }
        let servizi = demo_servizi::seed(&store, orologio.oggi()).await?;
        if servizi > 0 {
            tracing::info!(servizi, "servizi dimostrativi creati");
        }
    }
    Ok(AppState {
        store,
        settings: Arc::new(settings),
        indice_servizi: Default::default(),
        riferimenti: Default::default(),
        orologio,
        posta: Default::default(),
    })
}

/// Starts what runs beside the requests: the e-mail sender (which also writes the campaigns'
/// scheduled notices). `main` and the tests call it; tools that only seed data do not.
pub fn avvia_attivita(state: &AppState) {
    crate::service::posta::avvia(state);
}
