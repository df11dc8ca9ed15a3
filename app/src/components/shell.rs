//! The page frame: header with the Region's name and the user's menu, main area, footer.
//! Provides the session context (the signed-in user) and marks the page once hydrated.

use crate::api::auth::{logout, me};
use crate::api::health::config_pubblica;
use crate::components::navigazione::MenuPrincipale;
use crate::offline::stato::{use_stato_offline, StatoOffline};
use crate::Route;
use dioxus::prelude::*;
use shared::auth::UtenteCorrente;

/// The signed-in user, shared by every page (None when nobody is signed in).
#[derive(Clone, Copy, PartialEq)]
pub struct Sessione(pub Signal<Option<UtenteCorrente>>);

/// The signed-in user's username (empty when nobody is signed in): whose drafts, copies and
/// queue on the device a page reads.
pub fn use_nome_utente() -> Memo<String> {
    let sessione = use_context::<Sessione>().0;
    use_memo(move || {
        sessione
            .read()
            .as_ref()
            .map(|u| u.username.clone())
            .unwrap_or_default()
    })
}

/// The installation's public settings (Region's name, footer, legal pages), loaded once by the
/// frame; the settings page restarts it after saving.
#[derive(Clone, Copy)]
pub struct ConfigSito(
    pub Resource<Result<crate::api::health::ConfigPubblica, crate::api::AppError>>,
);

/// Whether the page has been hydrated (browser code runs); false during server rendering.
#[derive(Clone, Copy, PartialEq)]
pub struct Idratata(pub Signal<bool>);

/// Layout of every page.
#[component]
pub fn Shell() -> Element {
    let config = use_server_future(config_pubblica)?;
    let utente_iniziale = use_server_future(me)?;
    use_context_provider(|| ConfigSito(config));
    let pubblica = config
        .read()
        .as_ref()
        .and_then(|r| r.as_ref().ok().cloned());
    let regione = pubblica
        .as_ref()
        .map(|c| c.regione.clone())
        .unwrap_or_default();
    let sito = pubblica.map(|c| c.sito).unwrap_or_default();
    let iniziale = utente_iniziale
        .read()
        .as_ref()
        .and_then(|r| r.as_ref().ok().cloned());
    let sessione = use_context_provider(|| Sessione(Signal::new(iniziale)));
    let mut idratata = use_context_provider(|| Idratata(Signal::new(false)));
    use_effect(move || {
        idratata.0.set(true);
    });
    let utente = use_memo(move || sessione.0.read().as_ref().map(|u| u.username.clone()));
    let offline = use_stato_offline(utente);
    // Each page a signed-in user opens is kept by the service worker for offline use.
    let percorso = use_route::<Route>().to_string();
    use_effect(use_reactive((&percorso,), move |(p,)| {
        if utente.peek().is_some() && p != "/accesso" {
            crate::offline::memorizza_pagina(&p);
        }
    }));

    rsx! {
        div { id: "app", "data-hydrated": "{idratata.0}",
            a { class: "visually-hidden-focusable", href: "#contenuto", "Vai al contenuto" }
            header { class: "it-header-wrapper",
                div { class: "it-header-slim-wrapper",
                    div { class: "container",
                        div { class: "it-header-slim-wrapper-content",
                            span { class: "navbar-brand", id: "regione", "Regione {regione}" }
                            div { class: "it-header-slim-right-zone gap-2",
                                if sessione.0.read().is_some() { StatoRete { offline } }
                                MenuUtente { sessione, offline }
                            }
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
                                if let Some(u) = sessione.0.read().clone() {
                                    MenuPrincipale { utente: u, percorso: percorso.clone() }
                                }
                            }
                        }
                    }
                }
            }
            main { id: "contenuto", class: "container my-4",
                if (offline.nuova_versione)() {
                    div { id: "nuova-versione", class: "alert alert-info d-flex flex-wrap align-items-center gap-2", role: "status",
                        span { "È disponibile una nuova versione dell'applicazione." }
                        button { id: "aggiorna-versione", class: "btn btn-primary btn-sm",
                            onclick: move |_| async move {
                                #[cfg(feature = "web")]
                                let _ = crate::offline::js::attiva_nuova_versione().await;
                            },
                            "Aggiorna ora" }
                    }
                }
                if sessione.0.read().as_ref().is_some_and(|u| u.cambio_password) && percorso != "/account" {
                    div { id: "cambio-password-richiesto", class: "alert alert-warning", role: "alert",
                        "Prima di continuare devi scegliere una nuova password. "
                        Link { to: Route::MioAccount {}, "Cambia la password" }
                    }
                }
                Outlet::<Route> {}
            }
            PiedePagina { regione, sito }
        }
    }
}

/// The footer of a public administration's site: the help desk's contacts, the Region
/// linking to its site, privacy, legal notes and the accessibility statement.
#[component]
fn PiedePagina(regione: String, sito: shared::sito::ImpostazioniSito) -> Element {
    let contatti = !(sito.assistenza_email.is_empty()
        && sito.assistenza_telefono.is_empty()
        && sito.assistenza_orari.is_empty());
    let tel: String = sito
        .assistenza_telefono
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    rsx! {
        footer { class: "it-footer", id: "piede",
            div { class: "it-footer-main",
                div { class: "container",
                    div { class: "row py-4",
                        div { class: "col-12 col-md-6 mb-3",
                            h2 { class: "h5 text-white", id: "piede-regione",
                                if sito.sito_regione.is_empty() {
                                    "Regione {regione}"
                                } else {
                                    a { id: "link-sito-regione", class: "text-white", href: "{sito.sito_regione}", "Regione {regione}" }
                                }
                            }
                            p { class: "text-white mb-0", "Servizi 0-6 — servizi educativi per l'infanzia" }
                        }
                        if contatti {
                            div { class: "col-12 col-md-6 mb-3", id: "piede-assistenza",
                                h2 { class: "h5 text-white", "Assistenza" }
                                ul { class: "list-unstyled text-white mb-0",
                                    if !sito.assistenza_email.is_empty() {
                                        li { "E-mail: " a { id: "piede-email", class: "text-white", href: "mailto:{sito.assistenza_email}", "{sito.assistenza_email}" } }
                                    }
                                    if !sito.assistenza_telefono.is_empty() {
                                        li { "Telefono: " a { id: "piede-telefono", class: "text-white", href: "tel:{tel}", "{sito.assistenza_telefono}" } }
                                    }
                                    if !sito.assistenza_orari.is_empty() {
                                        li { id: "piede-orari", "Orari: {sito.assistenza_orari}" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            div { class: "it-footer-small-prints clearfix",
                div { class: "container",
                    ul { class: "it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row",
                        li { class: "list-inline-item",
                            Link { to: Route::Privacy {}, id: "link-privacy", "Informativa sulla privacy" }
                        }
                        li { class: "list-inline-item",
                            Link { to: Route::NoteLegali {}, id: "link-note-legali", "Note legali" }
                        }
                        li { class: "list-inline-item",
                            Link { to: Route::DichiarazioneAccessibilita {}, id: "link-accessibilita", "Dichiarazione di accessibilità" }
                        }
                    }
                }
            }
        }
    }
}

/// Online or offline, changes not yet sent, last sync.
#[component]
fn StatoRete(offline: StatoOffline) -> Element {
    let online = (offline.online)();
    let n = (offline.in_attesa)();
    let rifiutate = (offline.rifiutate)();
    rsx! {
        div { id: "stato-rete", class: "d-flex flex-wrap align-items-center gap-2 small text-white", role: "status", "aria-live": "polite",
            span { id: "indicatore-rete", class: if online { "badge bg-success" } else { "badge bg-danger" },
                if online { "Online" } else { "Offline" }
            }
            if n > 0 {
                span { id: "modifiche-in-attesa",
                    if n == 1 { "1 modifica non ancora inviata" } else { "{n} modifiche non ancora inviate" }
                    if rifiutate > 0 { " ({rifiutate} da rivedere)" }
                }
            }
            if let Some(t) = (offline.ultima_sync)() {
                span { id: "ultima-sincronizzazione", class: "d-none d-md-inline",
                    {format!("Ultima sincronizzazione: {}", shared::tempo::ora_italiana(t).format("%H:%M"))}
                }
            }
        }
    }
}

/// Sign-in button, or the user's name with a sign-out button. Signing out wipes what this
/// device keeps for the user; with changes not yet sent it first says so and offers to send
/// them or download a copy.
#[component]
fn MenuUtente(sessione: Sessione, offline: StatoOffline) -> Element {
    let mut utente = sessione.0;
    let mut errore = use_signal(|| None::<String>);
    let mut conferma = use_signal(|| false);
    let mut copia = use_signal(|| None::<String>);
    let nav = navigator();
    let esci_ora = move || async move {
        let nome = utente.peek().as_ref().map(|u| u.username.clone());
        match logout().await {
            Ok(()) => {
                if let Some(n) = nome {
                    crate::offline::dimentica(&n).await;
                }
                utente.set(None);
                errore.set(None);
                conferma.set(false);
                nav.push(Route::Home {});
            }
            Err(e) => errore.set(Some(e.to_string())),
        }
    };
    let esci = move |_| async move {
        if (offline.in_attesa)() > 0 && !conferma() {
            conferma.set(true);
            return;
        }
        esci_ora().await;
    };
    let invia = move |_| async move {
        let nome = utente.peek().as_ref().map(|u| u.username.clone());
        if let Some(n) = nome {
            offline.invia_coda(&n).await;
        }
        if (offline.in_attesa)() == 0 {
            conferma.set(false);
        }
    };
    let scarica = move |_| async move {
        let nome = utente.peek().as_ref().map(|u| u.username.clone());
        if let Some(n) = nome {
            let c = crate::offline::coda(&n).await;
            let testo = serde_json::to_string_pretty(&c).unwrap_or_default();
            copia.set(Some(format!(
                "data:application/json;charset=utf-8,{}",
                percento(&testo)
            )));
        }
    };
    match utente() {
        Some(u) => rsx! {
            div { class: "d-flex align-items-center gap-2",
                span { id: "utente-nome", class: "text-white d-none d-sm-inline", "{u.nome_completo}" }
                button { id: "esci", class: "btn btn-primary btn-sm", onclick: esci,
                    if (offline.in_attesa)() > 0 { "Esci (modifiche non inviate)" } else { "Esci" }
                }
                if let Some(e) = errore() {
                    span { role: "alert", class: "text-white", "{e}" }
                }
            }
            if conferma() {
                // On white: the header's dark blue behind a theme alert would leave its buttons unreadable.
                div { id: "conferma-uscita", class: "alert alert-warning bg-white text-body position-absolute end-0 mt-5 me-2 shadow", style: "z-index: 1050; max-width: 22rem;", role: "alertdialog", "aria-labelledby": "conferma-uscita-testo",
                    p { id: "conferma-uscita-testo", class: "mb-2", "Hai {(offline.in_attesa)()} modifiche non ancora inviate al server. Uscendo, questo dispositivo le cancella." }
                    div { class: "d-flex flex-wrap gap-2",
                        button { id: "invia-prima-di-uscire", class: "btn btn-primary btn-sm", onclick: invia, "Invia ora" }
                        button { id: "scarica-modifiche", class: "btn btn-outline-primary btn-sm", onclick: scarica, "Scarica una copia" }
                        button { id: "esci-comunque", class: "btn btn-danger btn-sm", onclick: move |_| async move { esci_ora().await }, "Esci comunque" }
                        button { class: "btn btn-link btn-sm", onclick: move |_| conferma.set(false), "Annulla" }
                    }
                    if let Some(href) = copia() {
                        a { id: "link-copia-modifiche", class: "d-block mt-2", href: "{href}", download: "modifiche-non-inviate.json", "Salva il file delle modifiche" }
                    }
                }
            }
        },
        None => rsx! {
            Link { to: Route::Accesso { motivo: String::new() }, id: "link-accesso", class: "btn btn-primary btn-sm", "Accedi" }
        },
    }
}

/// Percent-encodes text for a `data:` link.
fn percento(t: &str) -> String {
    t.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
