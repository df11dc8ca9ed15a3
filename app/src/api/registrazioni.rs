//! "Registrazione utenti": `/api/v1/registrazioni…`, `/api/v1/comuni/{codice}/registrazioni…`,
//! and the requests to disable a user, `/api/v1/disabilitazioni…`.

use super::ApiResult;
use dioxus::prelude::*;
use shared::registrazione::{
    BozzaRichiesta, CodaRichieste, FiltroRichieste, Richiesta, RichiestaDisabilitazione,
};
use shared::utente::IdentitaForm;

/// Sends a request to enable users (the comune's legal representative): `{"comune": "001272",
/// "utenti": [{nome, cognome, codice_fiscale, email, telefono, ufficio}, …]}`; the request with
/// its receipt number.
#[post("/api/v1/registrazioni")]
pub async fn invia_richiesta(comune: String, utenti: Vec<IdentitaForm>) -> ApiResult<Richiesta> {
    use shared::registrazione::RichiestaForm;
    let (state, user) = super::request::sessione().await?;
    let form = RichiestaForm { utenti };
    Ok(backend::service::registrazioni::invia(&state, &user, &comune, &form).await?)
}

/// The Region's queue: requests with users to decide (`stato=tutte` for all), oldest first,
/// of a `provincia` or `comune`, with the counts.
#[get("/api/v1/registrazioni?:filtro")]
pub async fn coda_richieste(filtro: FiltroRichieste) -> ApiResult<CodaRichieste> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::registrazioni::coda(&state, &user, &filtro).await?)
}

/// One request (its comune's legal representative, or the Region).
#[get("/api/v1/registrazioni/{id}")]
pub async fn richiesta(id: String) -> ApiResult<Richiesta> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::registrazioni::una(&state, &user, &id).await?)
}

/// Approves user number `indice` (from 0) of a request with a profile (Region): `{"ruolo"}`.
#[post("/api/v1/registrazioni/{id}/utenti/{indice}/approvazione")]
pub async fn approva_utente(id: String, indice: String, ruolo: String) -> ApiResult<Richiesta> {
    use shared::registrazione::ApprovazioneForm;
    let (state, user) = super::request::sessione().await?;
    let n = indice
        .parse::<usize>()
        .map_err(|_| shared::ApiError::NotFound)?;
    let form = ApprovazioneForm { ruolo };
    Ok(backend::service::registrazioni::approva(&state, &user, &id, n, &form).await?)
}

/// Refuses user number `indice` of a request, with a reason (Region): `{"motivo"}`.
#[post("/api/v1/registrazioni/{id}/utenti/{indice}/rifiuto")]
pub async fn rifiuta_utente(id: String, indice: String, motivo: String) -> ApiResult<Richiesta> {
    use shared::registrazione::MotivazioneForm;
    let (state, user) = super::request::sessione().await?;
    let n = indice
        .parse::<usize>()
        .map_err(|_| shared::ApiError::NotFound)?;
    let form = MotivazioneForm { motivo };
    Ok(backend::service::registrazioni::rifiuta(&state, &user, &id, n, &form).await?)
}

/// A comune's requests, newest first (its legal representative, or the Region).
#[get("/api/v1/comuni/{codice}/registrazioni")]
pub async fn richieste_del_comune(codice: String) -> ApiResult<Vec<Richiesta>> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::registrazioni::del_comune(&state, &user, &codice).await?)
}

/// The comune's draft request (its legal representative).
#[get("/api/v1/comuni/{codice}/registrazioni/bozza")]
pub async fn bozza_richiesta(codice: String) -> ApiResult<BozzaRichiesta> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::registrazioni::bozza(&state, &user, &codice).await?)
}

/// Saves the comune's draft request as typed: `{"versione": n, "utenti": […]}`; 409 if it was
/// saved elsewhere after version `n`.
#[put("/api/v1/comuni/{codice}/registrazioni/bozza")]
pub async fn salva_bozza_richiesta(
    codice: String,
    versione: u64,
    utenti: Vec<IdentitaForm>,
) -> ApiResult<BozzaRichiesta> {
    let (state, user) = super::request::sessione().await?;
    Ok(
        backend::service::registrazioni::salva_bozza(&state, &user, &codice, versione, &utenti)
            .await?,
    )
}

/// Asks the Region to disable a user of the comune (its legal representative):
/// `{"nome","cognome","codice_fiscale","motivo"}`.
#[post("/api/v1/comuni/{codice}/disabilitazioni")]
pub async fn chiedi_disabilitazione(
    codice: String,
    nome: String,
    cognome: String,
    codice_fiscale: String,
    motivo: String,
) -> ApiResult<RichiestaDisabilitazione> {
    use shared::registrazione::DisabilitazioneForm;
    let (state, user) = super::request::sessione().await?;
    let form = DisabilitazioneForm {
        nome,
        cognome,
        codice_fiscale,
        motivo,
    };
    Ok(
        backend::service::registrazioni::chiedi_disabilitazione(&state, &user, &codice, &form)
            .await?,
    )
}

/// Requests to disable users: the Region's (all, waiting first) or a legal representative's.
#[get("/api/v1/disabilitazioni")]
pub async fn disabilitazioni() -> ApiResult<Vec<RichiestaDisabilitazione>> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::registrazioni::disabilitazioni(&state, &user).await?)
}

/// Confirms a request to disable (Region): the account is disabled at once.
#[post("/api/v1/disabilitazioni/{id}/conferma")]
pub async fn conferma_disabilitazione(id: String) -> ApiResult<RichiestaDisabilitazione> {
    let (state, user) = super::request::sessione().await?;
    Ok(
        backend::service::registrazioni::decidi_disabilitazione(&state, &user, &id, true, None)
            .await?,
    )
}

/// Refuses a request to disable, with a reason (Region): `{"motivo"}`.
#[post("/api/v1/disabilitazioni/{id}/rifiuto")]
pub async fn rifiuta_disabilitazione(
    id: String,
    motivo: String,
) -> ApiResult<RichiestaDisabilitazione> {
    use shared::registrazione::MotivazioneForm;
    let (state, user) = super::request::sessione().await?;
    let form = MotivazioneForm { motivo };
    Ok(backend::service::registrazioni::decidi_disabilitazione(
        &state,
        &user,
        &id,
        false,
        Some(&form),
    )
    .await?)
}
