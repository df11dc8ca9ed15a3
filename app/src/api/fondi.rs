//! Funds: `/api/v1/riparti/{annualita}` (the Region's allocation table),
//! `/api/v1/riparti/{annualita}/{fonte}` (import from CSV) and
//! `/api/v1/riparti/{annualita}/comuni/{codice}` (one comune's amounts).

use super::ApiResult;
use dioxus::prelude::*;
use shared::fondi::{Assegnato, RiepilogoRiparto, RigaRiparto};

/// Every comune with an amount in the year (Region).
#[get("/api/v1/riparti/{annualita}")]
pub async fn riparto(annualita: String) -> ApiResult<Vec<RigaRiparto>> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::fondi::elenco(&state, &user, &annualita).await?)
}

/// Replaces the year's allocation of a source (`statale`, `regionale`) with a CSV file's
/// (`{"csv": "codice ISTAT;importo\n…"}`), all or nothing (Region).
#[put("/api/v1/riparti/{annualita}/{fonte}")]
pub async fn importa_riparto(
    annualita: String,
    fonte: String,
    csv: String,
) -> ApiResult<RiepilogoRiparto> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::fondi::importa(&state, &user, &annualita, &fonte, &csv).await?)
}

/// One comune's amounts for the year, per source (cents).
#[get("/api/v1/riparti/{annualita}/comuni/{codice}")]
pub async fn assegnato(annualita: String, codice: String) -> ApiResult<Assegnato> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::fondi::del_comune(&state, &user, &annualita, &codice).await?)
}
