//! Navigation: the header's menu, one per role, with the current section marked
//! (`aria-current`), folding into a "Menu" button on a phone; and the breadcrumbs of inner
//! pages.

use crate::Route;
use dioxus::prelude::*;
use shared::auth::{Ruolo, UtenteCorrente};

/// A section of the menu: id, label, where it goes, and the path prefixes it covers.
struct Voce {
    id: &'static str,
    etichetta: &'static str,
    rotta: Route,
    prefissi: &'static [&'static str],
}

/// The sections a user reaches, in order.
fn voci(u: &UtenteCorrente) -> Vec<Voce> {
    let v = |id, etichetta, rotta, prefissi| Voce {
        id,
        etichetta,
        rotta,
        prefissi,
    };
    let mut voci = Vec::new();
    if u.ruolo.is_comunale() {
        voci.push(v(
            "nav-da-fare",
            "Da fare",
            Route::AreaRiservata {},
            &["/area-riservata"][..],
        ));
        voci.push(v(
            "nav-servizi",
            "Servizi",
            Route::ServiziElenco {},
            &["/servizi"][..],
        ));
        voci.push(v(
            "nav-rilevazioni",
            "Rilevazioni",
            Route::Rilevazioni {},
            &["/rilevazioni"][..],
        ));
        voci.push(v("nav-fondi", "Fondi", Route::Fondi {}, &["/fondi"][..]));
        if u.ruolo == Ruolo::LegaleRappresentante {
            voci.push(v(
                "nav-utenti",
                "Utenti del comune",
                Route::Registrazioni {},
                &["/registrazioni"][..],
            ));
        }
    } else {
        voci.push(v(
            "nav-home",
            "Da fare",
            Route::AreaRiservata {},
            &["/area-riservata"][..],
        ));
        voci.push(v(
            "nav-rilevazioni",
            "Rilevazioni",
            Route::Rilevazioni {},
            &["/rilevazioni"][..],
        ));
        voci.push(v(
            "nav-servizi",
            "Servizi",
            Route::ServiziElenco {},
            &["/servizi"][..],
        ));
        voci.push(v("nav-fondi", "Fondi", Route::Fondi {}, &["/fondi"][..]));
        voci.push(v(
            "nav-richieste",
            "Richieste",
            Route::Registrazioni {},
            &["/registrazioni"][..],
        ));
        voci.push(v(
            "nav-utenti",
            "Utenti",
            Route::UtentiRegione {},
            &["/utenti"][..],
        ));
        voci.push(v(
            "nav-sito",
            "Sito",
            Route::ImpostazioniSitoPagina {},
            &["/impostazioni-sito"][..],
        ));
        if u.ruolo == Ruolo::Amministratore {
            voci.push(v(
                "nav-posta",
                "Posta",
                Route::PostaUscita {},
                &["/posta"][..],
            ));
        }
    }
    voci
}

/// The header's menu for `utente` on the page `percorso`.
#[component]
pub fn MenuPrincipale(utente: UtenteCorrente, percorso: String) -> Element {
    let mut aperto = use_signal(|| false);
    let voci = voci(&utente);
    rsx! {
        nav { id: "menu-principale", class: "ms-lg-auto", "aria-label": "Menu principale",
            button { id: "apri-menu", r#type: "button", class: "btn btn-outline-light d-lg-none",
                "aria-expanded": "{aperto}", "aria-controls": "voci-menu",
                onclick: move |_| aperto.toggle(),
                if aperto() { "Chiudi il menu" } else { "Menu" }
            }
            ul { id: "voci-menu",
                class: if aperto() { "menu-voci aperto list-unstyled mb-0" } else { "menu-voci list-unstyled mb-0" },
                for v in voci {
                    {
                        let corrente = v.prefissi.iter().any(|p| percorso == *p || percorso.starts_with(&format!("{p}/")));
                        rsx! {
                            li { key: "{v.id}",
                                Link { to: v.rotta, id: v.id,
                                    class: if corrente { "menu-voce attiva" } else { "menu-voce" },
                                    "aria-current": if corrente { Some("page") } else { None },
                                    onclick: move |_| aperto.set(false),
                                    "{v.etichetta}"
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The breadcrumbs of an inner page: the sections above it (label and where), then the page.
#[component]
pub fn Briciole(voci: Vec<(String, Route)>, pagina: String) -> Element {
    rsx! {
        nav { class: "breadcrumb-container", "aria-label": "Percorso",
            ol { class: "breadcrumb p-0 mb-2",
                for (i, (etichetta, rotta)) in voci.into_iter().enumerate() {
                    li { key: "{i}", class: "breadcrumb-item",
                        Link { to: rotta, "{etichetta}" }
                        span { class: "separator", "aria-hidden": "true", "/" }
                    }
                }
                li { class: "breadcrumb-item active", "aria-current": "page", "{pagina}" }
            }
        }
    }
}
