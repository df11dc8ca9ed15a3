//! Campaigns: `/api/v1/campagne`, `/api/v1/campagne/{id}`, `/api/v1/da-fare`, `/api/v1/campagne/{id}/pubblica`, `/api/v1/campagne/{id}/proroghe`,
//! `/api/v1/campagne/{id}/comuni/{codice}/scheda` and its `/blocco`, `/sblocco`, `/proroga`.

use super::ApiResult;
use dioxus::prelude::*;
use serde::{Deserialize, Serialize};
use shared::campagna::{Campagna, CampagnaForm, DaFare, Ricevuta, Scheda, SchedaRiga};

/// A campaign after an extension, with the public notice's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(schemars::JsonSchema))]
pub struct ProrogaConcessa {
    pub campagna: Campagna,
    pub avviso: String,
}

/// The campaigns the user may see (a comune: the published ones it is eligible for).
#[get("/api/v1/campagne")]
pub async fn campagne() -> ApiResult<Vec<Campagna>> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::campagne::elenco(&state, &user).await?)
}

/// Creates a campaign in draft (Region): `{"campagna": {…}}`.
#[post("/api/v1/campagne")]
pub async fn crea_campagna(campagna: CampagnaForm) -> ApiResult<Campagna> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::campagne::crea(&state, &user, &campagna).await?)
}

/// One campaign (a comune: only a published one it is eligible for).
#[get("/api/v1/campagne/{id}")]
pub async fn campagna(id: String) -> ApiResult<Campagna> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::campagne::campagna(&state, &user, &id).await?)
}

/// Edits a draft campaign (Region): `{"campagna": {…}}`; 409 once published.
#[put("/api/v1/campagne/{id}")]
pub async fn aggiorna_campagna(id: String, campagna: CampagnaForm) -> ApiResult<Campagna> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::campagne::aggiorna(&state, &user, &id, &campagna).await?)
}

/// The comune's "Da fare": its forms of the campaigns open now or about to open.
#[get("/api/v1/da-fare?:filtro")]
pub async fn da_fare(filtro: shared::campagna::FiltroDaFare) -> ApiResult<Vec<DaFare>> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::campagne::da_fare(&state, &user, filtro.chiuse).await?)
}

/// Publishes a draft campaign (Region).
#[post("/api/v1/campagne/{id}/pubblica")]
pub async fn pubblica_campagna(id: String) -> ApiResult<Campagna> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::campagne::pubblica(&state, &user, &id).await?)
}

/// Extends the deadline for every comune (Region): `{"chiusura": "gg/mm/aaaa hh:mm", "motivo": …}`.
#[post("/api/v1/campagne/{id}/proroghe")]
pub async fn proroga_campagna(
    id: String,
    chiusura: String,
    motivo: String,
) -> ApiResult<ProrogaConcessa> {
    let (state, user) = super::request::sessione().await?;
    let form = shared::campagna::ProrogaForm { chiusura, motivo };
    let (campagna, avviso) = backend::service::campagne::proroga(&state, &user, &id, &form).await?;
    Ok(ProrogaConcessa { campagna, avviso })
}

/// One comune's form: state, block, deadline, and whether it can be compiled now and why.
#[get("/api/v1/campagne/{id}/comuni/{codice}/scheda")]
pub async fn scheda(id: String, codice: String) -> ApiResult<Scheda> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::campagne::scheda(&state, &user, &id, &codice).await?)
}

/// Blocks a comune's form (Region): `{"motivo": …}`.
#[post("/api/v1/campagne/{id}/comuni/{codice}/scheda/blocco")]
pub async fn blocca_scheda(id: String, codice: String, motivo: String) -> ApiResult<Scheda> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::campagne::blocca(
        &state,
        &user,
        &id,
        &codice,
        &shared::campagna::MotivoForm { motivo },
    )
    .await?)
}

/// Unlocks a comune's form (Region): `{"motivo": …}`.
#[post("/api/v1/campagne/{id}/comuni/{codice}/scheda/sblocco")]
pub async fn sblocca_scheda(id: String, codice: String, motivo: String) -> ApiResult<Scheda> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::campagne::sblocca(
        &state,
        &user,
        &id,
        &codice,
        &shared::campagna::MotivoForm { motivo },
    )
    .await?)
}

/// Gives one comune its own later deadline (Region): `{"chiusura": …, "motivo": …}`.
#[post("/api/v1/campagne/{id}/comuni/{codice}/scheda/proroga")]
pub async fn proroga_scheda(
    id: String,
    codice: String,
    chiusura: String,
    motivo: String,
) -> ApiResult<Scheda> {
    let (state, user) = super::request::sessione().await?;
    let form = shared::campagna::ProrogaForm { chiusura, motivo };
    Ok(backend::service::campagne::proroga_comune(&state, &user, &id, &codice, &form).await?)
}

/// Saves the comune's draft (`{"versione": n, "dati": {…}}`): 409 if the form changed after
/// version n, or if it is not compilable now (with the reason). Optional `"chiave"`: an
/// idempotency key; a save retried with it is applied once.
#[put("/api/v1/campagne/{id}/comuni/{codice}/scheda")]
pub async fn salva_scheda(
    id: String,
    codice: String,
    versione: u64,
    dati: serde_json::Value,
    chiave: Option<String>,
) -> ApiResult<Scheda> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::campagne::salva(
        &state,
        &user,
        &id,
        &codice,
        versione,
        &dati,
        chiave.as_deref(),
    )
    .await?)
}

/// Sends the saved form: the receipt; 422 with the failing rules; 409 if not compilable now.
/// Optional `{"chiave"}`: an idempotency key; a send retried with it gives the same receipt.
#[post("/api/v1/campagne/{id}/comuni/{codice}/scheda/invio")]
pub async fn invia_scheda(
    id: String,
    codice: String,
    chiave: Option<String>,
) -> ApiResult<Ricevuta> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::campagne::invia(&state, &user, &id, &codice, chiave.as_deref()).await?)
}

/// The Region's overview: every eligible comune with its form's state.
#[get("/api/v1/campagne/{id}/schede")]
pub async fn schede(id: String) -> ApiResult<Vec<SchedaRiga>> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::campagne::schede(&state, &user, &id).await?)
}

/// Confirms the preliminary declaration (`{"voci": [{servizio, stato, dal, motivo}]}`): suspended
/// and ceased services are updated in the registry; required before compiling.
#[post("/api/v1/campagne/{id}/comuni/{codice}/scheda/dichiarazione")]
pub async fn dichiara(
    id: String,
    codice: String,
    voci: Vec<shared::campagna::VoceDichiarazione>,
) -> ApiResult<Scheda> {
    let (state, user) = super::request::sessione().await?;
    let form = shared::campagna::DichiarazioneForm { voci };
    Ok(backend::service::campagne::dichiara(&state, &user, &id, &codice, &form).await?)
}

/// Reopens a sent form (Region): `{"motivo": …}`; the comune can correct and send it again.
#[post("/api/v1/campagne/{id}/comuni/{codice}/scheda/riapertura")]
pub async fn riapri_scheda(id: String, codice: String, motivo: String) -> ApiResult<Scheda> {
    let (state, user) = super::request::sessione().await?;
    let form = shared::campagna::MotivoForm { motivo };
    Ok(backend::service::campagne::riapri(&state, &user, &id, &codice, &form).await?)
}

/// Accepts a sent form (Region): final.
#[post("/api/v1/campagne/{id}/comuni/{codice}/scheda/accettazione")]
pub async fn accetta_scheda(id: String, codice: String) -> ApiResult<Scheda> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::campagne::accetta(&state, &user, &id, &codice).await?)
}

/// Returns a sent form for corrections (Region): `{"commenti": [{"campo", "testo"}]}`.
#[post("/api/v1/campagne/{id}/comuni/{codice}/scheda/restituzione")]
pub async fn restituisci_scheda(
    id: String,
    codice: String,
    commenti: Vec<shared::campagna::Commento>,
) -> ApiResult<Scheda> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::campagne::restituisci(&state, &user, &id, &codice, &commenti).await?)
}

/// Files a "services not reached" request on a monitoring form (the comune):
/// `{"servizio", "indirizzo", "titolare", "motivo"}`; the form stays blocked until the Region
/// unlocks it.
#[post("/api/v1/campagne/{id}/comuni/{codice}/scheda/segnalazioni")]
pub async fn segnala_servizi(
    id: String,
    codice: String,
    servizio: String,
    indirizzo: String,
    titolare: String,
    motivo: String,
) -> ApiResult<Scheda> {
    let (state, user) = super::request::sessione().await?;
    let form = shared::campagna::Segnalazione {
        servizio,
        indirizzo,
        titolare,
        motivo,
    };
    Ok(backend::service::campagne::segnala(&state, &user, &id, &codice, &form).await?)
}
