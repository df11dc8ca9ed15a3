//! Campaigns: the Region creates, publishes and extends them; a comune sees the published
//! campaigns it is eligible for. Each comune's form, step by step, is in the submodules: what
//! it shows ([`scheda`]), how a comune compiles and sends it ([`compilazione`]), what the
//! Region does with it ([`revisione`]) and what leaves the system ([`esportazione`]). The
//! server's clock alone decides: no request carries a time the server believes.

mod compilazione;
mod esportazione;
mod revisione;
mod scheda;

pub use compilazione::*;
pub use esportazione::*;
pub use revisione::*;
pub use scheda::*;

use super::idempotenza::{gia_applicata, parametri, Chiave};
use super::solo_regione;
use crate::state::AppState;
use crate::store::dichiarazione::EsitoDichiarazione;
use crate::store::schede::EsitoScheda;
use crate::store::StoreError;
use serde_json::Value as Json;
use shared::auth::UtenteCorrente;
use shared::campagna::TipoCampagna;
use shared::campagna::{avviso_proroga, Finestra, StatoCampagna};
use shared::campagna::{
    controlla_campagna, controlla_proroga, Blocco, Campagna, CampagnaForm, MotivoForm, Proroga,
    ProrogaForm, Scheda, StatoScheda,
};
use shared::campagna::{
    controlla_dichiarazione, cosa_manca, dati_canonici, DaFare, DichiarazioneForm, Ricevuta,
    SchedaRiga,
};
use shared::campagna::{Commento, DatiScheda, Invio, SchedaFondi, Segnalazione};
use shared::comune::ComuneRef;
use shared::fondi;
use shared::frequentanti;
use shared::ApiError;

fn corrupt(e: impl std::fmt::Display) -> ApiError {
    ApiError::from(StoreError::Corrupt(e.to_string()))
}

/// Runs `regole` on the form (if any) against its context on tokio's blocking pool and hands
/// both back with the findings: the rules are bounded and O(n log n), but a comune's largest
/// form still costs milliseconds of CPU, and on the async workers it would hold up every other
/// request (the health check included) for that long.
async fn controlla_fuori_dai_worker<F, C, R>(
    modulo: Option<F>,
    contesto: C,
    regole: fn(&F, &C) -> R,
) -> Result<(Option<F>, C, R), ApiError>
where
    F: Send + 'static,
    C: Send + 'static,
    R: Default + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        let esito = modulo
            .as_ref()
            .map(|m| regole(m, &contesto))
            .unwrap_or_default();
        (modulo, contesto, esito)
    })
    .await
    .map_err(|e| super::internal("controllo delle regole", e))
}

fn ammesso(c: &Campagna, comune: &str) -> bool {
    c.dati
        .comuni_ammessi
        .as_ref()
        .is_none_or(|l| l.iter().any(|x| x == comune))
}

/// A campaign as `user` may see it: regional roles any; a comune's officials only published
/// campaigns their comune is eligible for (404 otherwise: they do not learn it exists).
async fn campagna_visibile(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
) -> Result<Campagna, ApiError> {
    if !shared::servizio::id_valido(id) {
        return Err(ApiError::NotFound);
    }
    let c = state.store.campagna(id).await?.ok_or(ApiError::NotFound)?;
    visibile(user, c)
}

/// Campaign `c` if `user` may see it (see [`campagna_visibile`]), else 404.
fn visibile(user: &UtenteCorrente, c: Campagna) -> Result<Campagna, ApiError> {
    if user.ruolo.is_comunale() {
        let comune = user
            .comune
            .as_ref()
            .map(|c| c.codice.as_str())
            .unwrap_or_default();
        if c.stato != StatoCampagna::Pubblicata || !ammesso(&c, comune) {
            return Err(ApiError::NotFound);
        }
    }
    Ok(c)
}

/// Creates a campaign in draft (Region).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn crea(
    state: &AppState,
    user: &UtenteCorrente,
    form: &CampagnaForm,
) -> Result<Campagna, ApiError> {
    solo_regione(user)?;
    let dati = controlla_campagna(form)?;
    let id = uuid::Uuid::new_v4().simple().to_string();
    state
        .store
        .campagna_crea(&id, &dati, &user.username)
        .await?;
    campagna_visibile(state, user, &id).await
}

/// One campaign as `user` may see it (404 for a comune not eligible or a draft).
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id))]
pub async fn campagna(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
) -> Result<Campagna, ApiError> {
    campagna_visibile(state, user, id).await
}

/// Edits a draft campaign (Region): the same rules as a new one; once published, dates move
/// only through extensions (409).
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id))]
pub async fn aggiorna(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    form: &CampagnaForm,
) -> Result<Campagna, ApiError> {
    solo_regione(user)?;
    let prima = campagna_visibile(state, user, id).await?;
    let dati = controlla_campagna(form)?;
    if !state
        .store
        .campagna_aggiorna(id, &dati, &prima.dati, &user.username)
        .await?
    {
        return Err(ApiError::Conflict {
            message: "La rilevazione è già pubblicata: si può solo prorogarne il termine.".into(),
        });
    }
    campagna_visibile(state, user, id).await
}

/// A comune's "Da fare": each published campaign it is eligible for and not yet closed for
/// it (server clock), with its form's state and what is missing (the comune's officials),
/// soonest deadline first; with `chiuse`, then the closed ones, latest first.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn da_fare(
    state: &AppState,
    user: &UtenteCorrente,
    chiuse: bool,
) -> Result<Vec<DaFare>, ApiError> {
    let Some(comune) = user.comune.as_ref().filter(|_| user.ruolo.is_comunale()) else {
        return Err(ApiError::Forbidden);
    };
    let adesso = state.orologio.adesso();
    let mut voci = Vec::new();
    for c in elenco(state, user).await? {
        let s = scheda(state, user, &c.id, &comune.codice).await?;
        let chiusa = s.chiusura <= adesso;
        if chiusa && !chiuse {
            continue;
        }
        voci.push(DaFare {
            campagna: c.id,
            titolo: c.dati.titolo,
            tipo: c.dati.tipo,
            stato: s.stato,
            compilabile: s.compilabile,
            messaggio: s.messaggio.clone(),
            chiusura: s.chiusura,
            blocco: s.blocco.as_ref().map(|b| b.motivo.clone()),
            ricevuta: s.ricevuta.as_ref().map(|r| r.numero),
            manca: cosa_manca(&s),
            chiusa,
        });
    }
    voci.sort_by(|a, b| match (a.chiusa, b.chiusa) {
        (false, false) => a.chiusura.cmp(&b.chiusura),
        (true, true) => b.chiusura.cmp(&a.chiusura),
        (a, b) => a.cmp(&b),
    });
    Ok(voci)
}

/// The campaigns `user` may see.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn elenco(state: &AppState, user: &UtenteCorrente) -> Result<Vec<Campagna>, ApiError> {
    let tutte = state.store.campagne().await?;
    if !user.ruolo.is_comunale() {
        return Ok(tutte);
    }
    let comune = user
        .comune
        .as_ref()
        .map(|c| c.codice.clone())
        .unwrap_or_default();
    Ok(tutte
        .into_iter()
        .filter(|c| c.stato == StatoCampagna::Pubblicata && ammesso(c, &comune))
        .collect())
}

/// Every published campaign (the scheduled notices read them).
pub(crate) async fn pubblicate(state: &AppState) -> Result<Vec<Campagna>, ApiError> {
    Ok(state
        .store
        .campagne()
        .await?
        .into_iter()
        .filter(|c| c.stato == StatoCampagna::Pubblicata)
        .collect())
}

/// The comuni of a campaign that need no reminder: form sent or accepted, blocked, or given a
/// deadline of their own later than the campaign's.
pub(crate) async fn comuni_senza_promemoria(
    state: &AppState,
    c: &Campagna,
) -> Result<std::collections::HashSet<String>, ApiError> {
    let mut esclusi = std::collections::HashSet::new();
    for s in state.store.schede_campagna(&c.id).await? {
        let fuori = s.stato.chiusa()
            || s.blocco.is_some()
            || s.proroga_comune
                .is_some_and(|p| p.chiusura > c.chiusura_in_vigore);
        if fuori {
            esclusi.insert(s.comune);
        }
    }
    Ok(esclusi)
}

/// Publishes a draft campaign (Region).
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id))]
pub async fn pubblica(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
) -> Result<Campagna, ApiError> {
    solo_regione(user)?;
    let c = campagna_visibile(state, user, id).await?;
    if c.stato != StatoCampagna::Bozza {
        return Err(ApiError::Conflict {
            message: "La rilevazione è già stata pubblicata.".into(),
        });
    }
    state
        .store
        .campagna_stato(id, StatoCampagna::Pubblicata, &user.username)
        .await?;
    campagna_visibile(state, user, id).await
}

/// Extends the deadline for every comune (Region): later than the one in force, with a reason;
/// the notice text is audited. Returns the campaign and the notice.
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id))]
pub async fn proroga(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    form: &ProrogaForm,
) -> Result<(Campagna, String), ApiError> {
    solo_regione(user)?;
    let c = campagna_visibile(state, user, id).await?;
    let (chiusura, motivo) = controlla_proroga(form, c.chiusura_in_vigore)?;
    let p = Proroga {
        chiusura,
        motivo,
        quando: state.orologio.adesso(),
        da: user.username.clone(),
    };
    let avviso = avviso_proroga(&c.dati.titolo, chiusura);
    let esclusi = comuni_senza_promemoria(state, &c).await?;
    let posta = super::posta::campagne::ai_comuni(
        state,
        c.dati.comuni_ammessi.clone(),
        &esclusi,
        "proroga",
        |cornice, nome| super::posta::testi::prorogata(cornice, nome, &avviso, id),
    )
    .await?;
    state
        .store
        .campagna_proroga(id, &p, &user.username, &avviso, posta)
        .await?;
    state.posta.sveglia();
    Ok((campagna_visibile(state, user, id).await?, avviso))
}
