//! The registry of services: create, read, edit (with the version it was based on), history,
//! lists and exports, with the access rule of every call (a comune's officials only their
//! comune; regional officials the whole Region).

use super::idempotenza::{gia_applicata, Chiave};
use crate::state::AppState;
use crate::store::dichiarazione::CambioServizio;
use crate::store::servizi::{testo_ricerca, Collocazione, EsitoModifica, Filtro};
use shared::auth::UtenteCorrente;
use shared::servizio::regole::{ServizioForm, ServizioValido};
use shared::servizio::{
    FiltroServizi, PaginaServizi, ServizioRiga, ServizioScheda, StoriaVoce, PER_PAGINA,
};
use shared::ApiError;
use tracing::instrument;

/// The comune `codice` of the served Region, if `user` may act on it.
async fn collocazione(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
) -> Result<Collocazione, ApiError> {
    let comune = super::comuni::accessibile(state, user, codice).await?;
    Ok(Collocazione {
        comune: comune.codice,
        comune_nome: comune.nome,
        sigla_provincia: comune.sigla_provincia,
        codice_regione: comune.codice_regione,
    })
}

fn controlla_id(id: &str) -> Result<(), ApiError> {
    if shared::servizio::id_valido(id) {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// Registers a new service in comune `codice`.
#[instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn crea(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
    form: &ServizioForm,
    chiave: Option<&str>,
) -> Result<ServizioScheda, ApiError> {
    let dove = collocazione(state, user, codice).await?;
    // With an idempotency key the new record's id comes from the user and the key, and the
    // key is recorded with the comune and the body: a retried registration finds the record
    // it already created instead of making a second one; the same key for another comune or
    // another service is refused (422), never answered with the first one's record.
    let k = Chiave::da(chiave, user, "creazione", codice, form)?;
    let id = match &k {
        Some(k) => {
            use sha2::Digest;
            let h = sha2::Sha256::digest(format!("{}\n{}", user.username, k.testo()));
            hex::encode(&h[..16])
        }
        None => uuid::Uuid::new_v4().simple().to_string(),
    };
    if gia_applicata(state, &k).await? {
        return scheda(state, user, &id).await;
    }
    let valido = ServizioValido::parse(form, state.orologio.oggi(), None)?;
    let generazione = match state
        .store
        .servizio_create(
            &id,
            &dove,
            valido.dati(),
            &user.username,
            &super::idempotenza::parametri(&k),
        )
        .await
    {
        Ok(g) => g,
        // A concurrent retry with the same key created it first (or the key is another
        // write's: then `gia_applicata` answers 422).
        Err(_) if k.is_some() && gia_applicata(state, &k).await? => {
            return scheda(state, user, &id).await;
        }
        Err(e) => return Err(e.into()),
    };
    let s = scheda(state, user, &id).await?;
    aggiorna_indice(state, generazione, &s).await;
    Ok(s)
}

/// Puts a service just written through this process into the in-memory list.
pub(crate) async fn aggiorna_indice(state: &AppState, generazione: u64, s: &ServizioScheda) {
    let riga = ServizioRiga {
        id: s.id.clone(),
        denominazione: s.dati.denominazione.clone(),
        tipo: s.dati.tipo,
        titolarita: s.dati.titolarita,
        stato: s.dati.stato,
        posti_autorizzati: s.dati.posti_autorizzati,
        comune: s.comune.clone(),
        sigla_provincia: s.sigla_provincia.clone(),
        versione: s.versione,
    };
    let ricerca = testo_ricerca(&s.dati, &s.comune.nome);
    state
        .indice_servizi
        .aggiorna(generazione, riga, ricerca)
        .await;
}

/// One service, for a user allowed to see its comune.
#[tracing::instrument(skip_all, err(level = "info"), fields(servizio = %id))]
pub async fn scheda(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
) -> Result<ServizioScheda, ApiError> {
    controlla_id(id)?;
    let s = state.store.servizio(id).await?.ok_or(ApiError::NotFound)?;
    if !user.can_access_comune(&s.comune.codice) {
        return Err(ApiError::Forbidden);
    }
    Ok(s)
}

/// Applies an edit made on version `versione`: 409 if the service changed meanwhile, 422 if
/// a rule fails (a ceased service stays ceased). An edit that changes nothing writes nothing.
#[instrument(skip_all, err(level = "info"), fields(servizio = %id))]
pub async fn aggiorna(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    versione: u64,
    form: &ServizioForm,
    chiave: Option<&str>,
) -> Result<ServizioScheda, ApiError> {
    let attuale = scheda(state, user, id).await?;
    let k = Chiave::da(
        chiave,
        user,
        "modifica",
        &format!("servizio:{id}"),
        &serde_json::json!({ "versione": versione, "servizio": form }),
    )?;
    if gia_applicata(state, &k).await? {
        return Ok(attuale);
    }
    let c = cambio(state, &attuale, form)?;
    if versione != attuale.versione {
        return Err(conflitto());
    }
    let Some(c) = c else {
        return Ok(attuale);
    };
    let esito = state
        .store
        .servizio_update(
            id,
            versione,
            &c.dati,
            &c.comune_nome,
            &user.username,
            &c.modifiche,
            &super::idempotenza::parametri(&k),
        )
        .await;
    match esito {
        Ok(EsitoModifica::Fatto { generazione, .. }) => {
            let s = scheda(state, user, id).await?;
            aggiorna_indice(state, generazione, &s).await;
            Ok(s)
        }
        // The same key committed meanwhile by a concurrent retry (its version or key came first).
        _ if gia_applicata(state, &k).await? => scheda(state, user, id).await,
        Ok(EsitoModifica::VersioneSuperata) => Err(conflitto()),
        Err(e) => Err(e.into()),
    }
}

/// The change `form` makes to `attuale`, checked by the registry's rules (today from the
/// server's clock; a ceased service stays ceased): `None` when it changes nothing.
pub(crate) fn cambio(
    state: &AppState,
    attuale: &ServizioScheda,
    form: &ServizioForm,
) -> Result<Option<CambioServizio>, ApiError> {
    let valido = ServizioValido::parse(form, state.orologio.oggi(), Some(attuale.dati.stato))?;
    let modifiche = valido.dati().differenze(&attuale.dati);
    Ok((!modifiche.is_empty()).then(|| CambioServizio {
        id: attuale.id.clone(),
        versione: attuale.versione,
        dati: valido.dati().clone(),
        comune_nome: attuale.comune.nome.clone(),
        modifiche,
    }))
}

fn conflitto() -> ApiError {
    ApiError::Conflict {
        message: "Questo servizio è stato modificato da un altro utente dopo che l'hai aperto: \
                  controlla i nuovi valori prima di salvare di nuovo."
            .to_owned(),
    }
}

/// The history of a service, oldest first: who changed what and when, field by field.
#[tracing::instrument(skip_all, err(level = "info"), fields(servizio = %id))]
pub async fn storia(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
) -> Result<Vec<StoriaVoce>, ApiError> {
    scheda(state, user, id).await?;
    let voci = state
        .store
        .audit_dettagli(&format!("servizio:{id}"))
        .await?;
    Ok(voci
        .into_iter()
        .map(|v| {
            let dettagli = &v["dettagli"];
            StoriaVoce {
                quando: v["quando"].as_str().unwrap_or_default().to_owned(),
                attore: v["attore"].as_str().map(str::to_owned),
                azione: v["azione"].as_str().unwrap_or_default().to_owned(),
                versione: dettagli["versione"].as_u64(),
                modifiche: serde_json::from_value(dettagli["modifiche"].clone())
                    .unwrap_or_default(),
            }
        })
        .collect())
}

/// The services of one comune.
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn del_comune(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
) -> Result<Vec<ServizioRiga>, ApiError> {
    let dove = collocazione(state, user, codice).await?;
    Ok(state.store.servizi_del_comune(&dove.comune).await?)
}

/// Checks the filters and the caller's reach: a comune's official sees only their comune
/// (403 if another comune is asked for).
fn filtro(
    state: &AppState,
    user: &UtenteCorrente,
    f: &FiltroServizi,
) -> Result<(Filtro, u32), ApiError> {
    let f = f.normalizzato()?;
    let mut comune = f.comune.clone();
    if user.ruolo.is_comunale() {
        let proprio = user
            .comune
            .as_ref()
            .map(|c| c.codice.clone())
            .ok_or(ApiError::Forbidden)?;
        if comune.as_ref().is_some_and(|c| *c != proprio) {
            return Err(ApiError::Forbidden);
        }
        comune = Some(proprio);
    }
    Ok((
        Filtro {
            codice_regione: state.settings.regione.codice.clone(),
            comune,
            provincia: f.provincia,
            tipo: f.tipo,
            stato: f.stato,
            titolarita: f.titolarita,
            q: f.q,
        },
        f.page.unwrap_or(1),
    ))
}

/// One page of the Region's services matching the filters (from the in-memory list, current
/// with the database).
#[instrument(skip_all, err(level = "info"))]
pub async fn cerca(
    state: &AppState,
    user: &UtenteCorrente,
    f: &FiltroServizi,
) -> Result<PaginaServizi, ApiError> {
    let (filtro, pagina) = filtro(state, user, f)?;
    let normalizzato = filtro.come_query(pagina);
    let (voci, totale) = state
        .indice_servizi
        .cerca(
            &state.store,
            &state.settings.regione.codice,
            &normalizzato,
            pagina,
        )
        .await?;
    Ok(PaginaServizi {
        voci,
        totale,
        pagina,
        per_pagina: PER_PAGINA,
    })
}

/// Every service matching the filters, with its data (for exports).
#[instrument(skip_all, err(level = "info"))]
pub async fn tutti(
    state: &AppState,
    user: &UtenteCorrente,
    f: &FiltroServizi,
) -> Result<Vec<ServizioScheda>, ApiError> {
    let (filtro, _) = filtro(state, user, f)?;
    Ok(state.store.servizi_tutti(&filtro).await?)
}
