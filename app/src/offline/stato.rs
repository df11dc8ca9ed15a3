//! The offline state shared by every page, the loop that sends the queue, and the one-editor
//! lock between tabs.

use super::{coda, modifica_coda};
use chrono::{DateTime, Utc};
use dioxus::prelude::*;
use shared::coda::{classifica, Esito, Operazione, Voce};
use shared::ApiError;

/// What the header and the forms show about the connection and the queue.
#[derive(Clone, Copy, PartialEq)]
pub struct StatoOffline {
    /// The browser is online.
    pub online: Signal<bool>,
    /// Writes not yet accepted by the server (refused ones included).
    pub in_attesa: Signal<usize>,
    /// Of those, the ones the server refused (they wait for the user).
    pub rifiutate: Signal<usize>,
    /// When the server last accepted a queued write.
    pub ultima_sync: Signal<Option<DateTime<Utc>>>,
    /// A newer version of the app is installed and waits for the user.
    pub nuova_versione: Signal<bool>,
    /// Bumped after each answer to a queued write: pages reload what they show.
    pub risposte: Signal<u64>,
    /// Bumped to make the loop send now.
    pub sveglia: Signal<u64>,
}

/// How a round of sending ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fine {
    /// Nothing left to send (refused writes wait for the user).
    Vuota,
    /// The server could not be reached: try again later.
    Riprova,
}

/// Sends one queued write with its idempotency key: the record's new version, if it has one.
async fn esegui(v: &Voce) -> Result<Option<u64>, ApiError> {
    let chiave = Some(v.chiave.clone());
    let r = match v.operazione.clone() {
        Operazione::SalvaScheda {
            campagna,
            comune,
            versione,
            dati,
        } => crate::api::campagne::salva_scheda(campagna, comune, versione, dati, chiave)
            .await
            .map(|s| Some(s.versione)),
        Operazione::InviaScheda { campagna, comune } => {
            crate::api::campagne::invia_scheda(campagna, comune, chiave)
                .await
                .map(|_| None)
        }
        Operazione::SalvaServizio {
            id,
            versione,
            servizio,
        } => crate::api::servizi::aggiorna_servizio(id, versione, *servizio, chiave)
            .await
            .map(|s| Some(s.versione)),
    };
    r.map_err(|e| e.0)
}

impl StatoOffline {
    /// Sends the queue in order until it is empty or the server cannot be reached.
    pub async fn invia_coda(mut self, utente: &str) -> Fine {
        let fine = loop {
            let c = coda(utente).await;
            let Some(v) = c.prossima().cloned() else {
                break Fine::Vuota;
            };
            let chiave = v.chiave.clone();
            match esegui(&v).await {
                Ok(versione) => {
                    modifica_coda(utente, move |c| c.accettata(&chiave, versione)).await;
                    self.ultima_sync.set(Some(crate::components::ora::adesso()));
                }
                Err(e) if classifica(&e) == Esito::Riprova => {
                    modifica_coda(utente, move |c| c.non_arrivata(&chiave)).await;
                    break Fine::Riprova;
                }
                Err(e) => {
                    modifica_coda(utente, move |c| c.rifiutata(&chiave, &e)).await;
                }
            }
            *self.risposte.write() += 1;
        };
        self.conta(utente).await;
        fine
    }

    /// Re-reads the counts from the stored queue.
    pub async fn conta(mut self, utente: &str) {
        let c = coda(utente).await;
        self.in_attesa.set(c.in_attesa());
        self.rifiutate
            .set(c.voci.iter().filter(|v| v.rifiuto.is_some()).count());
    }

    /// Queues a write and sends the queue now: [`Fine::Riprova`] means it waits on the device.
    pub async fn accoda_e_invia(self, utente: &str, operazione: Operazione) -> Fine {
        let voce = Voce {
            chiave: super::nuova_chiave(),
            operazione,
            creata: super::adesso_ms(),
            tentativi: 0,
            rifiuto: None,
        };
        modifica_coda(utente, move |c| c.accoda(voce.clone())).await;
        self.invia_coda(utente).await
    }
}

/// Provides the offline state for `utente` (the signed-in user's name) and runs the loop that
/// sends the queue: at start, when the connection returns, when woken, and after growing waits
/// while the server cannot be reached. Registers the service worker.
#[cfg_attr(not(feature = "web"), allow(unused_variables))]
pub fn use_stato_offline(utente: Memo<Option<String>>) -> StatoOffline {
    let stato = use_context_provider(|| StatoOffline {
        online: Signal::new(true),
        in_attesa: Signal::new(0),
        rifiutate: Signal::new(0),
        ultima_sync: Signal::new(None),
        nuova_versione: Signal::new(false),
        risposte: Signal::new(0),
        sveglia: Signal::new(0),
    });
    #[cfg(feature = "web")]
    use_hook(move || {
        use wasm_bindgen::prelude::*;
        let mut s = stato;
        s.online.set(super::in_linea());
        let rete: Closure<dyn FnMut(bool)> = Closure::new(move |on: bool| {
            s.online.set(on);
            if on {
                *s.sveglia.write() += 1;
            }
        });
        super::js::su_rete(&rete);
        rete.forget();
        let nuova: Closure<dyn FnMut()> = Closure::new(move || s.nuova_versione.set(true));
        super::js::registra_sw(&nuova);
        nuova.forget();
    });
    use_future(move || async move {
        #[cfg(feature = "web")]
        {
            let mut tentativi = 0u32;
            let mut prossimo = 0i64;
            let mut ultima_sveglia = u64::MAX;
            loop {
                let Some(u) = utente.peek().clone() else {
                    gloo_timers::future::TimeoutFuture::new(500).await;
                    continue;
                };
                let ora = super::adesso_ms();
                let sveglia = *stato.sveglia.peek();
                if sveglia != ultima_sveglia || ora >= prossimo {
                    ultima_sveglia = sveglia;
                    match stato.invia_coda(&u).await {
                        Fine::Vuota => {
                            tentativi = 0;
                            prossimo = ora + 30_000;
                        }
                        Fine::Riprova => {
                            prossimo = ora + shared::coda::attesa_ms(tentativi) as i64;
                            tentativi += 1;
                        }
                    }
                }
                gloo_timers::future::TimeoutFuture::new(250).await;
            }
        }
    });
    stato
}

/// Whether this tab may edit the form `nome`: `Some(true)` while it holds the form's lock (and
/// at first, as the server renders the page, so hydration matches), `Some(false)` as soon as
/// another tab of this browser is found holding it (this one then waits its turn and becomes
/// the editor when the other closes the form).
#[cfg_attr(not(feature = "web"), allow(unused_variables))]
pub fn use_modifica_esclusiva(nome: String) -> Signal<Option<bool>> {
    #[cfg(not(feature = "web"))]
    return use_signal(|| Some(true));
    #[cfg(feature = "web")]
    {
        use wasm_bindgen::prelude::*;
        let stato = use_signal(|| Some(true));
        let id = use_hook(move || {
            let mut s = stato;
            let ottenuto: Closure<dyn FnMut()> = Closure::new(move || s.set(Some(true)));
            let mut s = stato;
            let occupato: Closure<dyn FnMut()> = Closure::new(move || s.set(Some(false)));
            let id = super::js::blocca(&format!("servizi06:{nome}"), &ottenuto, &occupato);
            ottenuto.forget();
            occupato.forget();
            id
        });
        use_drop(move || super::js::rilascia(id));
        stato
    }
}

/// Keeps a form's values on the device as they are typed (once `inizializzato`, and only in
/// the tab that edits it), with the record version they were typed on (`versione`); and when
/// this tab becomes the editor later, takes the draft the other tab left.
pub fn use_bozza_sul_dispositivo<T>(
    utente: Memo<String>,
    modulo: Memo<String>,
    mut form: Signal<T>,
    versione: impl Fn() -> u64 + Copy + 'static,
    editore: Signal<Option<bool>>,
    inizializzato: Signal<bool>,
) where
    T: Clone + PartialEq + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    use_effect(move || {
        if editore() == Some(true) && *inizializzato.peek() {
            spawn(async move {
                let bozza: Option<super::Bozza<T>> =
                    super::leggi(&utente.peek(), "bozze", &modulo.peek()).await;
                if let Some(b) = bozza {
                    form.set(b.dati);
                }
            });
        }
    });
    use_effect(move || {
        let dati = form();
        if !*inizializzato.peek() || *editore.peek() != Some(true) {
            return;
        }
        let b = super::Bozza {
            dati,
            versione: versione(),
            quando: super::adesso_ms(),
        };
        spawn(async move {
            super::scrivi(&utente.peek(), "bozze", &modulo.peek(), &b).await;
        });
    });
}
