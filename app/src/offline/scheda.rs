//! One life cycle on the device for every campaign form (children attending, planned
//! interventions, monitoring): the form is loaded from the server or, offline, from the copy on
//! the device; what is typed is kept on the device at once; saves and sends go through the
//! queue with one idempotency key per write (a retry is recognised); the form saves itself
//! three seconds after the last change; only one tab edits it; a refused write stays with the
//! user's values until they decide.

use super::stato::{use_bozza_sul_dispositivo, use_modifica_esclusiva, Fine, StatoOffline};
use super::Bozza;
use dioxus::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::campagna::data_ora_estesa;
use shared::campagna::Scheda;
use shared::coda::{modulo_scheda, Operazione, Voce};

/// A campaign form's data as typed.
pub trait DatiModulo: Clone + PartialEq + Serialize + DeserializeOwned + Default + 'static {
    /// What the server holds for `s` (`None`: never saved).
    fn salvati(s: &Scheda) -> Option<Self>;
    /// `dati` completed for `s` (a row per service, an entry per planned intervention).
    fn completa(s: &Scheda, dati: Self) -> Self;
    /// The form to show for `s`: what it holds, completed, or the blank form.
    fn da_scheda(s: &Scheda) -> Self {
        Self::completa(s, Self::salvati(s).unwrap_or_default())
    }
    /// Where `mie` differs from what the server holds, in Italian (for a refused save).
    fn differenze(s: &Scheda, mie: &Self) -> Vec<String> {
        let server = serde_json::to_value(Self::salvati(s).unwrap_or_default()).unwrap_or_default();
        let mio = serde_json::to_value(mie).unwrap_or_default();
        shared::campagna::differenze_json(&server, &mio)
            .into_iter()
            .map(|(campo, suo, mio)| format!("{campo}: sul server «{suo}», tuo «{mio}»"))
            .collect()
    }
}

/// A comune's form as loaded: from the server, or from the copy on the device when offline.
#[derive(Clone, Copy, PartialEq)]
pub struct Caricata {
    pub id: Signal<String>,
    pub codice: Signal<String>,
    pub utente: Memo<String>,
    /// `scheda:{campagna}:{comune}`: the name of its draft, copy, queue group and tab lock.
    pub modulo: Memo<String>,
    /// The form as last read (`None` until it is).
    pub corrente: Signal<Option<Scheda>>,
    /// It comes from the device's copy (the server could not be reached).
    pub da_copia: Signal<bool>,
    /// The last load's error, when there is no form to show.
    pub errore: Signal<Option<shared::ApiError>>,
}

/// Loads form `codice` of campaign `id` for `utente`, again after every answer to a queued
/// write; each server answer is kept as the device's copy.
pub fn use_caricata(id: String, codice: String, utente: Memo<String>) -> Caricata {
    let id = use_signal(|| id);
    let codice = use_signal(|| codice);
    let offline = use_context::<StatoOffline>();
    let modulo = use_memo(move || modulo_scheda(&id(), &codice()));
    let mut corrente = use_signal(|| None::<Scheda>);
    let mut da_copia = use_signal(|| false);
    let mut errore = use_signal(|| None::<shared::ApiError>);
    let caricata = use_resource(move || async move {
        let _ = (offline.risposte)();
        crate::api::campagne::scheda(id(), codice()).await
    });
    use_effect(move || match &*caricata.read() {
        Some(Ok(s)) => {
            let copia = s.clone();
            spawn(async move {
                super::scrivi(&utente.peek(), "copie", &modulo.peek(), &copia).await;
            });
            da_copia.set(false);
            corrente.set(Some(s.clone()));
        }
        Some(Err(e)) if e.0 == shared::ApiError::Unavailable => {
            let e = e.0.clone();
            spawn(async move {
                let copia: Option<Scheda> =
                    super::leggi(&utente.peek(), "copie", &modulo.peek()).await;
                match copia {
                    Some(s) => {
                        da_copia.set(true);
                        corrente.set(Some(s));
                    }
                    None => errore.set(Some(e)),
                }
            });
        }
        Some(Err(e)) => errore.set(Some(e.0.clone())),
        None => {}
    });
    Caricata {
        id,
        codice,
        utente,
        modulo,
        corrente,
        da_copia,
        errore,
    }
}

/// A form being compiled on this device. Not generic: what depends on the form's type is
/// reached through the four callbacks, so the life cycle and the parts of the page that use it
/// are compiled once for every kind of form, not once per kind (the browser bundle's weight).
#[derive(Clone, Copy)]
pub struct ModuloScheda {
    pub c: Caricata,
    /// This tab edits the form (`Some(false)`: another tab does).
    pub editore: Signal<Option<bool>>,
    /// The last outcome shown to the user: (success, message).
    pub esito: Signal<Option<(bool, String)>>,
    /// A save or send is under way.
    pub in_corso: Signal<bool>,
    /// This form's writes not yet accepted by the server (refused ones included).
    pub in_coda: Signal<Vec<Voce>>,
    /// The confirmation before sending is open.
    pub conferma_invio: Signal<bool>,
    /// The page's code runs (until then its buttons do nothing).
    pub idratata: Signal<bool>,
    pub offline: StatoOffline,
    /// The values as typed, as the queue carries them.
    dati: Callback<(), serde_json::Value>,
    /// The values typed differ from what the server holds for the form.
    cambiata: Callback<Scheda, bool>,
    /// Starts the values again for the form: from a queued save's values (completed), or with
    /// `None` from what the form holds on the server; `false` if the values are not this form's.
    riparti: Callback<(Scheda, Option<serde_json::Value>), bool>,
    /// Where a queued save's values differ from what the server holds, in Italian; `None` if
    /// they are not this form's.
    differenze: Callback<(Scheda, serde_json::Value), Option<Vec<String>>>,
}

/// The device's life cycle for form `c`, and the values as typed: the first time it is shown
/// the values start from it, or from the draft on the device when that holds newer typing (or
/// a save still queued).
pub fn use_modulo_scheda<T: DatiModulo>(c: Caricata) -> (ModuloScheda, Signal<T>) {
    let editore = use_modifica_esclusiva(c.modulo.peek().clone());
    let mut form = use_signal(T::default);
    let mut esito = use_signal(|| None::<(bool, String)>);
    let mut in_coda = use_signal(Vec::<Voce>::new);
    let mut inizializzato = use_signal(|| false);
    let m = ModuloScheda {
        c,
        editore,
        esito,
        in_corso: use_signal(|| false),
        in_coda,
        conferma_invio: use_signal(|| false),
        idratata: use_context::<crate::components::shell::Idratata>().0,
        offline: use_context::<StatoOffline>(),
        dati: use_callback(move |()| serde_json::to_value(&*form.peek()).unwrap_or_default()),
        cambiata: use_callback(move |s: Scheda| T::salvati(&s).as_ref() != Some(&*form.peek())),
        riparti: use_callback(
            move |(s, dati): (Scheda, Option<serde_json::Value>)| match dati {
                None => {
                    form.set(T::da_scheda(&s));
                    true
                }
                Some(d) => match serde_json::from_value::<T>(d) {
                    Ok(d) => {
                        form.set(T::completa(&s, d));
                        true
                    }
                    Err(_) => false,
                },
            },
        ),
        differenze: use_callback(move |(s, dati): (Scheda, serde_json::Value)| {
            serde_json::from_value::<T>(dati)
                .ok()
                .map(|mie| T::differenze(&s, &mie))
        }),
    };
    use_effect(move || {
        let Some(s) = (c.corrente)() else { return };
        spawn(async move {
            let u = c.utente.peek().clone();
            let coda = super::coda(&u).await;
            in_coda.set(coda.del_modulo(&c.modulo.peek()).cloned().collect());
            if *inizializzato.peek() {
                return;
            }
            let mut f = T::da_scheda(&s);
            let bozza: Option<Bozza<T>> = super::leggi(&u, "bozze", &c.modulo.peek()).await;
            if let Some(b) = bozza {
                let in_sospeso = coda.del_modulo(&c.modulo.peek()).next().is_some();
                if b.dati != f && (b.versione >= s.versione || in_sospeso) {
                    f = T::completa(&s, b.dati);
                    esito.set(Some((true, "Ripristinate da questo dispositivo le modifiche non ancora salvate sul server.".into())));
                }
            }
            form.set(f);
            inizializzato.set(true);
        });
    });
    // Every change is kept on the device at once (reload, crash or no network lose nothing).
    use_bozza_sul_dispositivo(
        c.utente,
        c.modulo,
        form,
        move || c.corrente.peek().as_ref().map(|s| s.versione).unwrap_or(0),
        editore,
        inizializzato,
    );
    // Autosave: three seconds after the last change, a changed form that can be compiled saves
    // itself (the form as loaded is not a change).
    use_effect(move || {
        let scritto = form();
        spawn(async move {
            #[cfg(feature = "web")]
            gloo_timers::future::TimeoutFuture::new(3_000).await;
            let Some(s) = (c.corrente)() else { return };
            if cfg!(feature = "web")
                && T::da_scheda(&s) != scritto
                && *form.peek() == scritto
                && !*m.in_corso.peek()
                && m.modificabile(&s)
                && s.dichiarazione.is_some()
            {
                m.salva(true).await;
            }
        });
    });
    (m, form)
}

impl ModuloScheda {
    /// A send of this form waits in the queue.
    pub fn invio_in_attesa(&self) -> bool {
        self.in_coda
            .read()
            .iter()
            .any(|v| matches!(v.operazione, Operazione::InviaScheda { .. }) && v.rifiuto.is_none())
    }

    /// Where the values of a queued save differ from what the server holds for `s`, in Italian
    /// (`None`: they are not this form's values).
    pub fn differenze_da(&self, s: &Scheda, dati: &serde_json::Value) -> Option<Vec<String>> {
        self.differenze.call((s.clone(), dati.clone()))
    }

    /// This tab may change `s` now.
    pub fn modificabile(&self, s: &Scheda) -> bool {
        s.compilabile
            && s.ricevuta.is_none()
            && *self.editore.read() == Some(true)
            && !self.invio_in_attesa()
    }

    fn operazione_salva(&self, s: &Scheda) -> Operazione {
        Operazione::SalvaScheda {
            campagna: self.c.id.peek().clone(),
            comune: self.c.codice.peek().clone(),
            versione: s.versione,
            dati: self.dati.call(()),
        }
    }

    /// Re-reads this form's queued writes; the reason of the first refused one.
    async fn rileggi_coda(mut self) -> Option<shared::coda::Rifiuto> {
        let coda = super::coda(&self.c.utente.peek()).await;
        let modulo = self.c.modulo.peek().clone();
        self.in_coda
            .set(coda.del_modulo(&modulo).cloned().collect());
        let rifiuto = coda.del_modulo(&modulo).find_map(|v| v.rifiuto.clone());
        rifiuto
    }

    /// Queues the draft as typed and sends the queue; `automatico`: by the autosave.
    pub async fn salva(mut self, automatico: bool) {
        let Some(s) = self.c.corrente.peek().clone() else {
            return;
        };
        self.in_corso.set(true);
        let utente = self.c.utente.peek().clone();
        let fine = self
            .offline
            .accoda_e_invia(&utente, self.operazione_salva(&s))
            .await;
        self.in_corso.set(false);
        let rifiuto = self.rileggi_coda().await;
        let quando = shared::tempo::ora_italiana(crate::components::ora::adesso()).format("%H:%M");
        self.esito.set(Some(match (fine, rifiuto) {
            (_, Some(r)) => (false, r.messaggio),
            (Fine::Riprova, None) => (false, format!(
                "Sei offline: la bozza è salvata su questo dispositivo (alle {quando}) e sarà inviata al server appena torna la connessione."
            )),
            (Fine::Vuota, None) if automatico => (true, format!("Bozza salvata automaticamente alle {quando}.")),
            (Fine::Vuota, None) => (true, "Bozza salvata.".into()),
        }));
    }

    /// Sends the form: the draft first if changed, then the intention to send; offline both
    /// wait in the queue and the user is told the form is NOT sent yet.
    pub async fn invia(mut self) {
        let Some(s) = self.c.corrente.peek().clone() else {
            return;
        };
        self.in_corso.set(true);
        let utente = self.c.utente.peek().clone();
        if self.cambiata.call(s.clone()) {
            let voce = Voce {
                chiave: super::nuova_chiave(),
                operazione: self.operazione_salva(&s),
                creata: super::adesso_ms(),
                tentativi: 0,
                rifiuto: None,
            };
            super::modifica_coda(&utente, move |c| c.accoda(voce.clone())).await;
        }
        let invio = Operazione::InviaScheda {
            campagna: self.c.id.peek().clone(),
            comune: self.c.codice.peek().clone(),
        };
        let fine = self.offline.accoda_e_invia(&utente, invio).await;
        let rifiuto = self.rileggi_coda().await;
        let esito = match (fine, rifiuto) {
            (_, Some(r)) => (false, r.messaggio),
            (Fine::Riprova, None) => (false, format!(
                "Sei offline: la scheda NON è ancora inviata. L'invio è in coda su questo dispositivo e partirà al ritorno \
                 della connessione; vale l'ora in cui il server lo riceve (termine: {}).",
                data_ora_estesa(s.chiusura)
            )),
            (Fine::Vuota, None) => {
                let letta =
                    crate::api::campagne::scheda(self.c.id.peek().clone(), self.c.codice.peek().clone())
                        .await;
                match letta.ok().filter(|n| n.ricevuta.is_some()) {
                    Some(n) => {
                        let numero = n.ricevuta.as_ref().map(|r| r.numero).unwrap_or_default();
                        self.c.corrente.set(Some(n));
                        (true, format!("Scheda inviata: ricevuta n. {numero}."))
                    }
                    None => (true, "Scheda inviata.".into()),
                }
            }
        };
        self.in_corso.set(false);
        self.esito.set(Some(esito));
    }

    /// The user's decision on the refused queued write `chiave`: keep their values (saved
    /// again on the current version) or take the server's.
    pub async fn decidi(mut self, chiave: String, mantieni: bool) {
        let Some(s) = self.c.corrente.peek().clone() else {
            return;
        };
        let utente = self.c.utente.peek().clone();
        let dati = self
            .in_coda
            .peek()
            .iter()
            .find(|v| v.chiave == chiave)
            .and_then(|v| match &v.operazione {
                Operazione::SalvaScheda { dati, .. } => Some(dati.clone()),
                _ => None,
            });
        super::modifica_coda(&utente, move |c| c.scarta(&chiave)).await;
        match (mantieni, dati) {
            (true, Some(d)) if self.riparti.call((s.clone(), Some(d.clone()))) => {
                self.salva(false).await;
            }
            (false, Some(d)) if self.differenze_da(&s, &d).is_some() => {
                self.riparti.call((s, None));
                self.esito
                    .set(Some((true, "Ripresi i valori salvati sul server.".into())));
            }
            _ => self.esito.set(Some((
                true,
                "Operazione tolta dalla coda; i valori scritti restano nel modulo.".into(),
            ))),
        }
        self.rileggi_coda().await;
        self.offline.conta(&utente).await;
    }

    /// Shows `nuova`, the form after its declaration was confirmed (the form starts again
    /// from it: its rows are the services declared operating), kept as the device's copy.
    pub async fn dichiarata(self, nuova: Scheda) {
        self.riparti.call((nuova.clone(), None));
        self.aggiornata(
            nuova,
            "Dichiarazione confermata: ora puoi compilare la scheda.",
        )
        .await;
    }

    /// Shows `nuova`, the form after a change made straight on the server (a request to the
    /// Region), kept as the device's copy; the values typed stay.
    pub async fn aggiornata(mut self, nuova: Scheda, messaggio: &str) {
        super::scrivi(
            &self.c.utente.peek(),
            "copie",
            &self.c.modulo.peek(),
            &nuova,
        )
        .await;
        self.c.corrente.set(Some(nuova));
        self.esito.set(Some((true, messaggio.to_owned())));
    }
}
