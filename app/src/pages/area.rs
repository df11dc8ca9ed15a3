//! Personal home after login: who you are, your role and your comune.

use crate::components::shell::Sessione;
use crate::Route;
use dioxus::prelude::*;
use shared::auth::Ruolo;

/// `/area-riservata`
#[component]
pub fn AreaRiservata() -> Element {
    let sessione = use_context::<Sessione>().0;
    rsx! {
        document::Title { "Area riservata — Servizi 0-6" }
        match sessione() {
            Some(u) => rsx! {
                h1 { "Area riservata" }
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
                if let Some(c) = u.comune.as_ref().filter(|_| u.ruolo.is_comunale()) {
                    crate::pages::da_fare::DaFare { codice: c.codice.clone() }
                }
            },
            None => rsx! {
                h1 { "Area riservata" }
                div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
                    "Per vedere questa pagina devi accedere. "
                    Link { to: Route::Accesso {}, "Vai all'accesso" }
                }
            },
        }
    }
}
