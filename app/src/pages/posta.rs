//! `/posta`: the outbox for administrators: what is queued, sent and undeliverable, with the
//! mail server's last answer; an undeliverable message can be queued again.

use crate::api::posta::{posta, riprova_messaggio};
use crate::components::field::Scelta;
use crate::components::shell::Sessione;
use crate::components::stato::{Caricamento, ErroreCaricamento};
use crate::Route;
use dioxus::prelude::*;
use shared::account::{FiltroPosta, StatoMessaggio};
use shared::auth::Ruolo;

/// `/posta`
#[component]
pub fn PostaUscita() -> Element {
    let sessione = use_context::<Sessione>().0;
    let mut stato = use_signal(String::new);
    let mut elenco =
        use_resource(move || async move { posta(FiltroPosta { stato: stato() }).await });
    let mut esito = use_signal(|| None::<String>);
    if sessione()
        .filter(|u| u.ruolo == Ruolo::Amministratore)
        .is_none()
    {
        return rsx! {
            h1 { "Posta in uscita" }
            div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
                "Questa pagina è per gli amministratori. "
                Link { to: Route::Accesso { motivo: String::new() }, "Vai all'accesso" }
            }
        };
    }
    rsx! {
        document::Title { "Posta in uscita — Servizi 0-6" }
        h1 { "Posta in uscita" }
        div { class: "row", div { class: "col-12 col-md-4",
            Scelta { id: "filtro-posta", etichetta: "Stato", vuota: "Tutti", valore: stato(),
                opzioni: StatoMessaggio::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect::<Vec<_>>(),
                errore: None, onchange: move |v: String| stato.set(v) }
        } }
        if let Some(m) = esito() { div { id: "esito-posta", class: "alert alert-info", role: "status", "{m}" } }
        match &*elenco.read() {
            None => rsx! { Caricamento {} },
            Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| elenco.restart() } },
            Some(Ok(p)) => rsx! {
                p { id: "conteggi-posta", "In coda: {p.in_coda} — inviati: {p.inviati} — non recapitabili: {p.falliti}." }
                ul { id: "elenco-posta", class: "list-unstyled",
                    for m in p.messaggi.iter().cloned() {
                        li { key: "{m.id}", class: "border rounded p-3 mb-2", id: "messaggio-{m.id}",
                            p { class: "mb-1",
                                strong { "{m.oggetto}" }
                                " — a {m.destinatario} — {m.stato.label()} — tentativi: {m.tentativi}"
                            }
                            p { class: "small mb-1", "Scritto il {shared::tempo::data_ora_italiana(m.creato)} ({m.causa})" }
                            if let Some(r) = &m.ultimo_esito { p { class: "small mb-1", "Ultima risposta: {r}" } }
                            if m.stato == StatoMessaggio::Fallito {
                                button { id: "riprova-{m.id}", class: "btn btn-outline-primary",
                                    onclick: { let id = m.id.clone(); move |_| { let id = id.clone(); async move {
                                        esito.set(Some(match riprova_messaggio(id).await { Ok(()) => "Messaggio rimesso in coda.".to_owned(), Err(e) => e.0.message() }));
                                        elenco.restart();
                                    } } },
                                    "Rimetti in coda"
                                }
                            }
                        }
                    }
                }
            },
        }
    }
}
