//! E-mail through an outbox. Services put messages into the transaction of the change that
//! causes them ([`messaggio`] + `Transazione::accoda`); a background sender ([`avvia`])
//! delivers them over SMTP (lettre) or, with no SMTP server configured, into a folder. A 5xx
//! answer is permanent and shown in the outbox; a 4xx or a connection failure is retried with
//! capped, doubling waits; every attempt carries the message's own `Message-ID`.

pub mod avvisi;
pub mod campagne;
pub mod consegna;
pub mod testi;

use crate::state::AppState;
use crate::store::posta::NuovoMessaggio;
use std::sync::Arc;
use std::time::Duration;
use testi::{Cornice, Testo};
use tokio::sync::Notify;

/// The handle of the background sender: wakes it (a message was queued) or stops it.
#[derive(Clone, Default)]
pub struct Postino {
    sveglia: Arc<Notify>,
    fermo: Arc<tokio::sync::watch::Sender<bool>>,
}

impl Postino {
    /// Asks the sender to look at the outbox now (after a transaction that queued mail).
    pub fn sveglia(&self) {
        self.sveglia.notify_one();
    }

    /// Stops the sender at its next pause.
    pub fn ferma(&self) {
        self.fermo.send_replace(true);
    }
}

/// The frame of every message of this installation.
pub fn cornice(state: &AppState) -> Cornice {
    Cornice {
        ente: format!("Regione {}", state.settings.regione.nome),
        indirizzo: state
            .settings
            .application
            .public_url
            .trim_end_matches('/')
            .to_owned(),
    }
}

/// The host part of the public address, for `Message-ID`s.
fn dominio(state: &AppState) -> String {
    let url = &state.settings.application.public_url;
    let senza = url
        .split_once("://")
        .map_or(url.as_str(), |(_, r)| r)
        .split(['/', ':'])
        .next()
        .unwrap_or_default();
    if senza.is_empty() {
        "servizi06.local".into()
    } else {
        senza.to_owned()
    }
}

/// A message for the outbox: to `destinatario`, saying `t`, for `causa`; `segreto` is the link
/// (with its token) that replaces the placeholder only at delivery.
pub fn messaggio(
    state: &AppState,
    destinatario: &str,
    t: &Testo,
    causa: &str,
    segreto: Option<String>,
) -> NuovoMessaggio {
    let c = cornice(state);
    let id = uuid::Uuid::new_v4().simple().to_string();
    NuovoMessaggio {
        message_id: format!("<{id}@{}>", dominio(state)),
        id,
        destinatario: destinatario.trim().to_owned(),
        oggetto: t.oggetto.clone(),
        testo: t.testo(&c),
        html: t.html(&c),
        segreto,
        causa: causa.to_owned(),
        creato: state.orologio.adesso(),
    }
}

/// Starts the background sender: it delivers what is due, writes the campaigns' scheduled
/// notices, then waits for a wake-up or the configured interval.
pub fn avvia(state: &AppState) {
    let state = state.clone();
    let mut fermo = state.posta.fermo.subscribe();
    tokio::spawn(async move {
        let intervallo = Duration::from_secs(state.settings.posta.intervallo_secondi.max(1));
        loop {
            if let Err(e) = avvisi::scrivi_dovuti(&state).await {
                tracing::warn!(error = %e, "avvisi delle rilevazioni non scritti");
            }
            if let Err(e) = consegna::consegna_dovuti(&state).await {
                tracing::warn!(error = %e, "consegna della posta interrotta");
            }
            tokio::select! {
                _ = state.posta.sveglia.notified() => {}
                _ = tokio::time::sleep(intervallo) => {}
                _ = fermo.wait_for(|f| *f) => break,
            }
        }
    });
}

fn vista(m: crate::store::posta::MessaggioRow) -> shared::account::MessaggioVista {
    use shared::account::StatoMessaggio;
    shared::account::MessaggioVista {
        stato: StatoMessaggio::from_code(&m.stato).unwrap_or(StatoMessaggio::InCoda),
        id: m.id,
        message_id: m.message_id,
        destinatario: m.destinatario,
        oggetto: m.oggetto,
        causa: m.causa,
        tentativi: u32::try_from(m.tentativi).unwrap_or(0),
        creato: m.creato,
        inviato: m.inviato,
        prossimo_tentativo: m.prossimo_tentativo,
        ultimo_esito: m.ultimo_esito,
    }
}

/// The outbox (administrators): counts and the newest messages of one state, or all.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn elenco(
    state: &AppState,
    user: &shared::auth::UtenteCorrente,
    f: &shared::account::FiltroPosta,
) -> Result<shared::account::Posta, shared::ApiError> {
    super::utenti::solo_amministratore(user)?;
    let stato = match f.stato.trim() {
        "" => None,
        s if shared::account::StatoMessaggio::from_code(s).is_some() => Some(s),
        _ => {
            return Err(shared::ApiError::Validation {
                fields: vec![shared::FieldError::new(
                    "stato",
                    "stato.valore",
                    "Stato non previsto: in_coda, inviato o fallito.",
                )],
            })
        }
    };
    let (conti, righe) = state.store.posta_elenco(stato).await?;
    let n = |x: i64| u32::try_from(x).unwrap_or(u32::MAX);
    Ok(shared::account::Posta {
        in_coda: n(conti.in_coda),
        inviati: n(conti.inviati),
        falliti: n(conti.falliti),
        messaggi: righe.into_iter().map(vista).collect(),
    })
}

/// Puts a failed message back in the queue (administrators); 409 for one that is not failed.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn riprova(
    state: &AppState,
    user: &shared::auth::UtenteCorrente,
    id: &str,
) -> Result<(), shared::ApiError> {
    super::utenti::solo_amministratore(user)?;
    if !shared::servizio::id_valido(id) {
        return Err(shared::ApiError::NotFound);
    }
    if state
        .store
        .posta_riprova(id, state.orologio.adesso())
        .await?
    {
        state.posta.sveglia();
        Ok(())
    } else {
        Err(shared::ApiError::Conflict {
            message: "Si può rimettere in coda solo un messaggio non recapitato e senza collegamento: per un'attivazione o una nuova password chiedi un nuovo collegamento (riabilitazione o «Invia nuova password»).".into(),
        })
    }
}
