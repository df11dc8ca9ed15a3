//! The registry of services: `/api/v1/comuni/{codice}/servizi`, `/api/v1/servizi/{id}`,
//! `/api/v1/servizi/{id}/storia`, `/api/v1/servizi?…`. (CSV and XLSX exports are plain HTTP
//! downloads, in [`super::export`].)

use super::ApiResult;
use dioxus::prelude::*;
use shared::servizio::regole::ServizioForm;
use shared::servizio::{FiltroServizi, PaginaServizi, ServizioRiga, ServizioScheda, StoriaVoce};

/// The services of a comune (its officials, or regional officials).
#[get("/api/v1/comuni/{codice}/servizi")]
pub async fn servizi_del_comune(codice: String) -> ApiResult<Vec<ServizioRiga>> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::servizi::del_comune(&state, &user, &codice).await?)
}

/// Registers a service in the comune (JSON `{"servizio": {…form…}}`); 422 with the failing
/// fields if a rule fails. Optional `"chiave"`: an idempotency key; a registration retried
/// with it gives the record created the first time.
#[post("/api/v1/comuni/{codice}/servizi")]
pub async fn crea_servizio(
    codice: String,
    servizio: ServizioForm,
    chiave: Option<String>,
) -> ApiResult<ServizioScheda> {
    let (state, user) = super::request::sessione().await?;
    Ok(
        backend::service::servizi::crea(&state, &user, &codice, &servizio, chiave.as_deref())
            .await?,
    )
}

/// One service.
#[get("/api/v1/servizi/{id}")]
pub async fn servizio(id: String) -> ApiResult<ServizioScheda> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::servizi::scheda(&state, &user, &id).await?)
}

/// Saves an edit (JSON `{"versione": n, "servizio": {…form…}}`): 409 if the service changed
/// after version `n`, 422 with the failing fields if a rule fails. Optional `"chiave"`: an
/// idempotency key; a save retried with it is applied once.
#[put("/api/v1/servizi/{id}")]
pub async fn aggiorna_servizio(
    id: String,
    versione: u64,
    servizio: ServizioForm,
    chiave: Option<String>,
) -> ApiResult<ServizioScheda> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::servizi::aggiorna(
        &state,
        &user,
        &id,
        versione,
        &servizio,
        chiave.as_deref(),
    )
    .await?)
}

/// Who changed what and when, oldest first.
#[get("/api/v1/servizi/{id}/storia")]
pub async fn storia_servizio(id: String) -> ApiResult<Vec<StoriaVoce>> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::servizi::storia(&state, &user, &id).await?)
}

/// The Region's services, filtered (`provincia`, `comune`, `tipo`, `stato`, `titolarita`,
/// `q`) and paginated (`page`). A comune's officials get only their comune's.
#[get("/api/v1/servizi?:filtro")]
pub async fn cerca_servizi(filtro: FiltroServizi) -> ApiResult<PaginaServizi> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::servizi::cerca(&state, &user, &filtro).await?)
}
