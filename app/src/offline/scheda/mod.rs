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

mod azioni;
mod caricata;

pub use caricata::*;

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
