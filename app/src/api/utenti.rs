//! Accounts for the Region: `/api/v1/utenti…`, the comuni's legal representatives
//! (`/api/v1/legali-rappresentanti…`, `/api/v1/comuni/{codice}/legale-rappresentante`) and
//! a comune's accounts (`/api/v1/comuni/{codice}/utenti`).

use super::ApiResult;
use dioxus::prelude::*;
use serde::{Deserialize, Serialize};
use shared::utente::{ComuneLegale, FiltroUtenti, IdentitaForm, LegaleForm, UtenteVista};

/// Filter of the list of legal representatives (query string).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(schemars::JsonSchema))]
pub struct FiltroLegali {
    /// Province abbreviation (`TO`); empty for the whole Region.
    #[serde(default)]
    pub provincia: String,
}

/// The accounts (Region), filtered by `ruolo`, `stato`, `comune` and text `q`.
#[get("/api/v1/utenti?:filtro")]
pub async fn utenti(filtro: FiltroUtenti) -> ApiResult<Vec<UtenteVista>> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::utenti::elenco(&state, &user, &filtro).await?)
}

/// Creates a regional account (administrators): identity and `ruolo`
/// (`funzionario_regionale`, `amministratore`); the person gets the activation link.
#[post("/api/v1/utenti")]
pub async fn crea_regionale(identita: IdentitaForm, ruolo: String) -> ApiResult<UtenteVista> {
    use shared::utente::NuovoRegionaleForm;
    let (state, user) = super::request::sessione().await?;
    let form = NuovoRegionaleForm { identita, ruolo };
    Ok(backend::service::utenti::crea_regionale(&state, &user, &form).await?)
}

/// One account (Region).
#[get("/api/v1/utenti/{username}")]
pub async fn utente(username: String) -> ApiResult<UtenteVista> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::utenti::utente(&state, &user, &username).await?)
}

/// Changes a regional account's role (administrators): `{"ruolo"}`.
#[put("/api/v1/utenti/{username}/ruolo")]
pub async fn ruolo_utente(username: String, ruolo: String) -> ApiResult<UtenteVista> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::utenti::imposta_ruolo(&state, &user, &username, &ruolo).await?)
}

/// Disables an account at once (Region; regional accounts: administrators): `{"motivo"}`.
/// Every session of the account ends.
#[post("/api/v1/utenti/{username}/disabilitazione")]
pub async fn disabilita_utente(username: String, motivo: String) -> ApiResult<UtenteVista> {
    use shared::registrazione::MotivazioneForm;
    let (state, user) = super::request::sessione().await?;
    let form = MotivazioneForm { motivo };
    Ok(backend::service::utenti::disabilita(&state, &user, &username, &form).await?)
}

/// Re-enables a disabled account (Region): `{"motivo"}`; the person gets a new activation link.
#[post("/api/v1/utenti/{username}/riabilitazione")]
pub async fn riabilita_utente(username: String, motivo: String) -> ApiResult<UtenteVista> {
    use shared::registrazione::MotivazioneForm;
    let (state, user) = super::request::sessione().await?;
    let form = MotivazioneForm { motivo };
    Ok(backend::service::utenti::riabilita(&state, &user, &username, &form).await?)
}

/// Sends the person a link to choose a new password (Region; the password is never seen).
#[post("/api/v1/utenti/{username}/nuova-password")]
pub async fn reset_utente(username: String) -> ApiResult<()> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::account::avvia_reset(&state, &user, &username).await?)
}

/// Requires a new password at the account's next sign-in (Region): `{"motivo"}`; how many
/// accounts must now change it.
#[post("/api/v1/utenti/{username}/cambio-obbligato")]
pub async fn cambio_obbligato(username: String, motivo: String) -> ApiResult<u64> {
    use shared::registrazione::MotivazioneForm;
    let (state, user) = super::request::sessione().await?;
    let form = MotivazioneForm { motivo };
    Ok(backend::service::utenti::obbliga_cambio(&state, &user, Some(&username), &form).await?)
}

/// Requires a new password of every active account (administrators, after a suspected
/// compromise): `{"motivo"}`; how many accounts must change it.
#[post("/api/v1/cambio-password-obbligato")]
pub async fn cambio_obbligato_tutti(motivo: String) -> ApiResult<u64> {
    use shared::registrazione::MotivazioneForm;
    let (state, user) = super::request::sessione().await?;
    let form = MotivazioneForm { motivo };
    Ok(backend::service::utenti::obbliga_cambio(&state, &user, None, &form).await?)
}

/// A comune's accounts (its legal representative, or the Region).
#[get("/api/v1/comuni/{codice}/utenti")]
pub async fn utenti_del_comune(codice: String) -> ApiResult<Vec<UtenteVista>> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::utenti::del_comune(&state, &user, &codice).await?)
}

/// The Region's comuni with their legal representative (Region), of one `provincia`.
#[get("/api/v1/legali-rappresentanti?:filtro")]
pub async fn legali(filtro: FiltroLegali) -> ApiResult<Vec<ComuneLegale>> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::utenti::legali(&state, &user, Some(&filtro.provincia)).await?)
}

/// Records a comune's legal representative (Region): `{"legale": {…}}`; a previous one in
/// office is disabled; the new one gets the activation link.
#[post("/api/v1/comuni/{codice}/legale-rappresentante")]
pub async fn registra_legale(codice: String, legale: LegaleForm) -> ApiResult<UtenteVista> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::utenti::registra_legale(&state, &user, &codice, &legale).await?)
}

/// Records the legal representatives of a CSV file (Region): `{"csv": "codice ISTAT;codice
/// fiscale;nome;cognome;e-mail;PEC\n…"}`, all or nothing; how many were recorded.
#[post("/api/v1/legali-rappresentanti/importazione")]
pub async fn importa_legali(csv: String) -> ApiResult<u64> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::utenti::importa_legali(&state, &user, &csv).await? as u64)
}
