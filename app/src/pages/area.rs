//! Personal home after login: for a comune what it has to do, for the Region what waits for
//! it (sent forms to review, requests to approve); then who you are, your role and your comune.

use crate::api::campagne::{campagne, schede};
use crate::api::registrazioni::coda_richieste;
use crate::components::shell::Sessione;
use crate::components::stato::{Caricamento, ErroreCaricamento, Vuoto};
use crate::Route;
use dioxus::prelude::*;
use shared::auth::Ruolo;
use shared::campagna::StatoCampagna;
use shared::campagna::StatoScheda;
use shared::registrazione::FiltroRichieste;

/// A published campaign with forms sent and not yet reviewed.
#[derive(Clone, PartialEq)]
struct DaEsaminare {
    id: String,
    titolo: String,
    inviate: usize,
}

/// What waits for the Region: the forms sent and not yet accepted or returned, per published
/// campaign, and the users the comuni asked to enable.
#[component]
fn InAttesaRegione() -> Element {
    let mut attesa = use_resource(move || async move {
        let mut per_campagna = Vec::new();
        for c in campagne().await? {
            if c.stato != StatoCampagna::Pubblicata {
                continue;
            }
            let inviate = schede(c.id.clone())
                .await?
                .iter()
                .filter(|s| s.stato == StatoScheda::Inviata)
                .count();
            if inviate > 0 {
                per_campagna.push(DaEsaminare {
                    id: c.id,
                    titolo: c.dati.titolo,
                    inviate,
                });
            }
        }
        let coda = coda_richieste(FiltroRichieste::default()).await?;
        Ok::<_, crate::api::AppError>((
            per_campagna,
            coda.utenti_da_esaminare,
            coda.richieste_aperte,
        ))
    });
    rsx! {
        section { id: "in-attesa", class: "mb-4", "aria-labelledby": "titolo-in-attesa",
            h2 { id: "titolo-in-attesa", class: "h4", "In attesa della Regione" }
            match &*attesa.read() {
                None => rsx! { Caricamento {} },
                Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| attesa.restart() } },
                Some(Ok((schede, utenti, richieste))) => rsx! {
                    if schede.is_empty() && *utenti == 0 {
                        Vuoto { id: "niente-in-attesa", testo: "Nessuna scheda inviata da esaminare e nessuna richiesta di abilitazione in attesa.",
                            Link { to: Route::Rilevazioni {}, class: "btn btn-outline-primary", "Vai alle rilevazioni" }
                        }
                    } else {
                        ul { class: "list-group mb-0", id: "elenco-in-attesa",
                            for s in schede.iter() {
                                li { key: "{s.id}", class: "list-group-item d-flex flex-wrap justify-content-between gap-2", id: "attesa-{s.id}",
                                    Link { to: Route::Rilevazione { id: s.id.clone() }, class: "fw-semibold", "{s.titolo}" }
                                    span { class: "badge bg-primary",
                                        if s.inviate == 1 { "1 scheda inviata da esaminare" } else { "{s.inviate} schede inviate da esaminare" }
                                    }
                                }
                            }
                            if *utenti > 0 {
                                li { class: "list-group-item d-flex flex-wrap justify-content-between gap-2", id: "attesa-richieste",
                                    Link { to: Route::Registrazioni {}, class: "fw-semibold", "Richieste di abilitazione" }
                                    span { class: "badge bg-primary",
                                        if *utenti == 1 { "1 utente da esaminare" } else { "{utenti} utenti da esaminare" }
                                        " ({richieste} richieste)"
                                    }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}

/// `/area-riservata`
#[component]
pub fn AreaRiservata() -> Element {
    let sessione = use_context::<Sessione>().0;
    rsx! {
        document::Title { "Area riservata — Servizi 0-6" }
        match sessione() {
            Some(u) => rsx! {
                h1 { "Area riservata" }
                if let Some(c) = u.comune.as_ref().filter(|_| u.ruolo.is_comunale()) {
                    crate::pages::da_fare::DaFare { codice: c.codice.clone() }
                }
                if !u.ruolo.is_comunale() {
                    InAttesaRegione {}
                }
                div { class: "card-wrapper",
                    div { class: "card card-bg", id: "profilo",
                        div { class: "card-body",
                            h2 { class: "card-title h5", "Benvenuto, {u.nome_completo}" }
                            dl { class: "row mb-0",
                                dt { class: "col-sm-4", "Nome utente" }
                                dd { class: "col-sm-8", id: "profilo-username", "{u.username}" }
                                dt { class: "col-sm-4", "Ruolo" }
                                dd { class: "col-sm-8", id: "profilo-ruolo", "{u.ruolo.label()}" }
                                if let Some(c) = &u.comune {
                                    dt { class: "col-sm-4", "Comune" }
                                    dd { class: "col-sm-8", id: "profilo-comune", "{c.nome} (ISTAT {c.codice})" }
                                } else {
                                    dt { class: "col-sm-4", "Ambito" }
                                    dd { class: "col-sm-8", id: "profilo-comune", "Tutti i comuni della Regione" }
                                }
                            }
                            div { class: "d-flex flex-wrap gap-2 mt-3",
                                Link { to: Route::ServiziElenco {}, id: "vai-servizi", class: "btn btn-primary", "Servizi educativi" }
                                Link { to: Route::Rilevazioni {}, id: "vai-rilevazioni", class: "btn btn-outline-primary", "Rilevazioni" }
                                Link { to: Route::Fondi {}, id: "vai-fondi", class: "btn btn-outline-primary", "Fondi" }
                                if u.ruolo == Ruolo::LegaleRappresentante {
                                    Link { to: Route::Registrazioni {}, id: "vai-registrazioni", class: "btn btn-outline-primary", "Utenti del comune" }
                                }
                                if !u.ruolo.is_comunale() {
                                    Link { to: Route::Registrazioni {}, id: "vai-registrazioni", class: "btn btn-outline-primary", "Richieste di abilitazione" }
                                    Link { to: Route::UtentiRegione {}, id: "vai-utenti", class: "btn btn-outline-primary", "Utenti" }
                                    Link { to: Route::LegaliRappresentanti {}, id: "vai-legali", class: "btn btn-outline-primary", "Legali rappresentanti" }
                                }
                                if u.ruolo == Ruolo::Amministratore {
                                    Link { to: Route::PostaUscita {}, id: "vai-posta", class: "btn btn-outline-primary", "Posta in uscita" }
                                }
                                Link { to: Route::MioAccount {}, id: "vai-account", class: "btn btn-outline-primary", "Il mio account" }
                            }
                        }
                    }
                }
            },
            None => rsx! {
                h1 { "Area riservata" }
                div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
                    "Per vedere questa pagina devi accedere. "
                    Link { to: Route::Accesso { motivo: String::new() }, "Vai all'accesso" }
                }
            },
        }
    }
}
