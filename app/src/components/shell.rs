//! The page frame: header with the Region's name and the user's menu, main area, footer.
//! Provides the session context (the signed-in user) and marks the page once hydrated.

use crate::api::auth::{logout, me};
use crate::api::health::config_pubblica;
use crate::Route;
use dioxus::prelude::*;
use shared::auth::UtenteCorrente;

/// The signed-in user, shared by every page (None when nobody is signed in).
#[derive(Clone, Copy, PartialEq)]
pub struct Sessione(pub Signal<Option<UtenteCorrente>>);

/// Whether the page has been hydrated (browser code runs); false during server rendering.
#[derive(Clone, Copy, PartialEq)]
pub struct Idratata(pub Signal<bool>);

/// Layout of every page.
#[component]
pub fn Shell() -> Element {
    let config = use_server_future(config_pubblica)?;
    let utente_iniziale = use_server_future(me)?;
    let regione = config
        .read()
        .as_ref()
        .and_then(|r| r.as_ref().ok().map(|c| c.regione.clone()))
        .unwrap_or_default();
    let iniziale = utente_iniziale
        .read()
        .as_ref()
        .and_then(|r| r.as_ref().ok().cloned());
    let sessione = use_context_provider(|| Sessione(Signal::new(iniziale)));
    let mut idratata = use_context_provider(|| Idratata(Signal::new(false)));
    use_effect(move || idratata.0.set(true));

    rsx! {
        div { id: "app", "data-hydrated": "{idratata.0}",
            a { class: "visually-hidden-focusable", href: "#contenuto", "Vai al contenuto" }
            header { class: "it-header-wrapper",
                div { class: "it-header-slim-wrapper",
                    div { class: "container",
                        div { class: "it-header-slim-wrapper-content",
                            span { class: "navbar-brand", id: "regione", "Regione {regione}" }
                            div { class: "it-header-slim-right-zone", MenuUtente { sessione } }
                        }
                    }
                }
                div { class: "it-nav-wrapper",
                    div { class: "it-header-center-wrapper",
                        div { class: "container",
                            div { class: "it-header-center-content-wrapper",
                                div { class: "it-brand-wrapper",
                                    Link { to: Route::Home {}, id: "marchio",
                                        div { class: "it-brand-text",
                                            div { class: "it-brand-title", "Servizi 0-6" }
                                            div { class: "it-brand-tagline d-none d-md-block",
                                                "Servizi educativi per l'infanzia"
                                            }
                                        }
                                    }
                                }
                                if sessione.0.read().is_some() {
                                    nav { class: "ms-auto", "aria-label": "Menu principale",
                                        Link { to: Route::ServiziElenco {}, id: "nav-servizi", class: "btn btn-outline-light btn-sm", "Servizi" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            main { id: "contenuto", class: "container my-4",
                Outlet::<Route> {}
            }
            footer { class: "it-footer",
                div { class: "it-footer-small-prints clearfix",
                    div { class: "container",
                        ul { class: "it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row",
                            li { class: "list-inline-item",
                                Link { to: Route::Privacy {}, id: "link-privacy", "Informativa sulla privacy" }
                            }
                            li { class: "list-inline-item text-white", "Regione {regione} — Servizi 0-6" }
                        }
                    }
                }
            }
        }
    }
}

/// Sign-in button, or the user's name with a sign-out button.
#[component]
fn MenuUtente(sessione: Sessione) -> Element {
    let mut utente = sessione.0;
    let mut errore = use_signal(|| None::<String>);
    let nav = navigator();
    let esci = move |_| async move {
        match logout().await {
            Ok(()) => {
                utente.set(None);
                errore.set(None);
                nav.push(Route::Home {});
            }
            Err(e) => errore.set(Some(e.to_string())),
        }
    };
    match utente() {
        Some(u) => rsx! {
            div { class: "d-flex align-items-center gap-2",
                span { id: "utente-nome", class: "text-white d-none d-sm-inline", "{u.nome_completo}" }
                button { id: "esci", class: "btn btn-primary btn-sm", onclick: esci, "Esci" }
                if let Some(e) = errore() {
                    span { role: "alert", class: "text-white", "{e}" }
                }
            }
        },
        None => rsx! {
            Link { to: Route::Accesso {}, id: "link-accesso", class: "btn btn-primary btn-sm", "Accedi" }
        },
    }
}
