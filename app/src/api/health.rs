//! `GET /api/v1/health` and `GET /api/v1/config/pubblica`.

use super::ApiResult;
use dioxus::prelude::*;
use serde::{Deserialize, Serialize};
use shared::health::Health;

/// Liveness and database reachability.
#[get("/api/v1/health")]
pub async fn health() -> ApiResult<Health> {
    let state = super::request::state()?;
    let db_ok = state.store.ping().await;
    Ok(Health {
        status: if db_ok { "ok" } else { "degraded" }.to_owned(),
        database: if db_ok { "ok" } else { "non raggiungibile" }.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// What the public pages show about this installation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(schemars::JsonSchema))]
pub struct ConfigPubblica {
    /// The Region's name (`Piemonte`).
    pub regione: String,
    /// The footer's settings, the legal notes and the accessibility statement.
    pub sito: shared::sito::ImpostazioniSito,
}

/// The installation's public settings.
#[get("/api/v1/config/pubblica")]
pub async fn config_pubblica() -> ApiResult<ConfigPubblica> {
    let state = super::request::state()?;
    Ok(ConfigPubblica {
        regione: state.settings.regione.nome.clone(),
        sito: backend::service::sito::leggi(&state).await?,
    })
}
