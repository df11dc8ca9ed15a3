//! `/rilevazioni`: the campaigns a user can see (a comune its own forms, the Region every
//! campaign). A campaign's own page is in [`super::rilevazione`].

use crate::api::campagne::campagne;
use crate::components::field::{Campo, Scelta};
use crate::components::shell::Sessione;
use crate::components::stato::{Caricamento, ErroreCaricamento, Vuoto};
use crate::Route;
use dioxus::prelude::*;
use shared::campagna::Campagna;
use shared::campagna::{data_ora_estesa, StatoCampagna, TipoCampagna};

/// `/rilevazioni`: a comune sees its own forms (open ones first, with their state, closed
/// ones apart); the Region every campaign, filtered by state, kind and year, 20 a page.
#[component]
pub fn Rilevazioni() -> Element {
    let sessione = use_context::<Sessione>().0;
    let Some(u) = sessione() else {
        return rsx! {
            div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
                "Per vedere questa pagina devi accedere. "
                Link { to: Route::Accesso { motivo: String::new() }, "Vai all'accesso" }
            }
        };
    };
    rsx! {
        document::Title { "Rilevazioni — Servizi 0-6" }
        h1 { "Rilevazioni" }
        match u.comune.clone().filter(|_| u.ruolo.is_comunale()) {
            Some(c) => rsx! { crate::pages::da_fare::DaFare { codice: c.codice, chiuse: true } },
            None => rsx! { RilevazioniRegione {} },
        }
    }
}

/// Campaigns per page in the Region's list.
const PER_PAGINA: usize = 20;

#[component]
fn RilevazioniRegione() -> Element {
    let mut elenco = use_resource(campagne);
    let mut stato = use_signal(String::new);
    let mut tipo = use_signal(String::new);
    let mut anno = use_signal(String::new);
    let mut pagina = use_signal(|| 0usize);
    rsx! {
        Link { to: Route::NuovaRilevazione {}, id: "nuova-rilevazione", class: "btn btn-primary mb-3", "Nuova rilevazione" }
        form { id: "filtri-rilevazioni", class: "row g-2", onsubmit: move |e: FormEvent| e.prevent_default(),
            div { class: "col-12 col-md-4",
                Scelta { id: "filtro-stato-campagna", etichetta: "Stato", valore: stato(), vuota: "Tutti",
                    opzioni: StatoCampagna::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect::<Vec<_>>(),
                    errore: None, onchange: move |v: String| { stato.set(v); pagina.set(0); } }
            }
            div { class: "col-12 col-md-4",
                Scelta { id: "filtro-tipo-campagna", etichetta: "Tipo", valore: tipo(), vuota: "Tutti",
                    opzioni: TipoCampagna::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect::<Vec<_>>(),
                    errore: None, onchange: move |v: String| { tipo.set(v); pagina.set(0); } }
            }
            div { class: "col-12 col-md-4",
                Campo { id: "filtro-anno-campagna", etichetta: "Annualità", valore: anno(), inputmode: "numeric", errore: None,
                    oninput: move |v: String| { anno.set(v); pagina.set(0); } }
            }
        }
        match &*elenco.read() {
            None => rsx! { Caricamento { riprova: move |_| elenco.restart() } },
            Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| elenco.restart() } },
            Some(Ok(v)) if v.is_empty() => rsx! {
                Vuoto { id: "nessuna-rilevazione", testo: "Non c'è ancora nessuna rilevazione.",
                    Link { to: Route::NuovaRilevazione {}, "Crea la prima rilevazione" }
                }
            },
            Some(Ok(v)) => {
                let filtrate: Vec<&Campagna> = v
                    .iter()
                    .filter(|c| stato().is_empty() || c.stato.code() == stato())
                    .filter(|c| tipo().is_empty() || c.dati.tipo.code() == tipo())
                    .filter(|c| anno().trim().is_empty() || c.dati.annualita.to_string() == anno().trim())
                    .collect();
                let pagine = filtrate.len().div_ceil(PER_PAGINA).max(1);
                let p = pagina().min(pagine - 1);
                rsx! {
                    p { id: "numero-rilevazioni", role: "status",
                        if filtrate.len() == 1 { "1 rilevazione" } else { "{filtrate.len()} rilevazioni" }
                    }
                    if filtrate.is_empty() {
                        p { id: "nessuna-con-filtri", "Nessuna rilevazione con questi filtri: cambia stato, tipo o annualità." }
                    }
                    ul { class: "list-group", id: "elenco-rilevazioni",
                        for c in filtrate.iter().skip(p * PER_PAGINA).take(PER_PAGINA) {
                            li { key: "{c.id}", class: "list-group-item",
                                Link { to: Route::Rilevazione { id: c.id.clone() }, class: "fw-semibold", "{c.dati.titolo}" }
                                div { class: "small text-muted",
                                    "{c.dati.tipo.label()} · {c.stato.label()} · {c.dati.annualita} · termine: {data_ora_estesa(c.chiusura_in_vigore)}"
                                }
                            }
                        }
                    }
                    if pagine > 1 {
                        nav { class: "d-flex flex-wrap gap-2 align-items-center mt-3", "aria-label": "Pagine delle rilevazioni",
                            button { id: "pagina-precedente", class: "btn btn-outline-primary", disabled: p == 0, onclick: move |_| pagina.set(p.saturating_sub(1)), "Precedente" }
                            span { "Pagina {p + 1} di {pagine}" }
                            button { id: "pagina-successiva", class: "btn btn-outline-primary", disabled: p + 1 >= pagine, onclick: move |_| pagina.set(p + 1), "Successiva" }
                        }
                    }
                }
            }
        }
    }
}
