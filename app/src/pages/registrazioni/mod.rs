//! `/registrazioni`: "Registrazione utenti". The comune's legal representative lists the
//! users to enable (a draft kept on the server, the shared rules inline while typing), sends
//! the request and gets its receipt number, follows its state, sees the comune's accounts and
//! asks to disable one. The Region sees the queue, oldest first, and decides on each user;
//! and confirms or refuses the requests to disable.

use crate::api::registrazioni::{
    approva_utente, bozza_richiesta, chiedi_disabilitazione, coda_richieste,
    conferma_disabilitazione, disabilitazioni, invia_richiesta, richieste_del_comune,
    rifiuta_disabilitazione, rifiuta_utente, salva_bozza_richiesta,
};
use crate::api::utenti::utenti_del_comune;
use crate::components::conferma::Conferma;
use crate::components::field::{Campo, Scelta};
use crate::components::shell::{Idratata, Sessione};
use crate::components::stato::{Caricamento, ErroreCaricamento};
use crate::Route;
use dioxus::prelude::*;
use shared::auth::Ruolo;
use shared::registrazione::{
    Decisione, FiltroRichieste, Richiesta, RichiestaDisabilitazione, RichiestaForm,
    StatoDisabilitazione, MAX_UTENTI_RICHIESTA,
};
use shared::text::message_for;
use shared::utente::{IdentitaForm, StatoUtente};
use shared::FieldError;

mod regione;
mod richiesta;
mod utenti;

use regione::*;
use richiesta::*;
use utenti::*;

/// `/registrazioni`
#[component]
pub fn Registrazioni() -> Element {
    let sessione = use_context::<Sessione>().0;
    // Bumped when a request is sent: the list below reloads.
    let mut inviate = use_signal(|| 0u32);
    let Some(u) = sessione() else {
        return rsx! {
            h1 { "Registrazione utenti" }
            div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
                "Per vedere questa pagina devi accedere. "
                Link { to: Route::Accesso { motivo: String::new() }, "Vai all'accesso" }
            }
        };
    };
    rsx! {
        document::Title { "Registrazione utenti — Servizi 0-6" }
        match (u.ruolo, u.comune.clone()) {
            (Ruolo::LegaleRappresentante, Some(c)) => rsx! {
                h1 { "Registrazione utenti — Comune di {c.nome}" }
                RichiestaComune { codice: c.codice.clone(), oninviata: move |_| inviate += 1 }
                RichiesteComune { codice: c.codice.clone(), inviate }
                UtentiComune { codice: c.codice.clone() }
            },
            (Ruolo::OperatoreComunale, _) => rsx! {
                h1 { "Registrazione utenti" }
                div { id: "solo-legale", class: "alert alert-info", role: "status",
                    "Gli utenti del comune li chiede il legale rappresentante (il sindaco o chi ne fa le veci): rivolgiti a lui per abilitare o disabilitare un collega."
                }
            },
            _ => rsx! {
                h1 { "Richieste di abilitazione" }
                CodaRegione {}
                DisabilitazioniRegione {}
            },
        }
    }
}

/// The first message of `campo` (`utenti.2.email`).
fn errore_di(errori: &[FieldError], campo: &str) -> Option<String> {
    message_for(errori, campo).map(str::to_owned)
}
