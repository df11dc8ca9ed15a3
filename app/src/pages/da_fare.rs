//! The comune's campaigns with its own form's state: on its home ("Da fare": the ones open or
//! about to open, soonest deadline first) and on `/rilevazioni` (the same, then the closed ones
//! apart). Each with what is missing, the deadline with a countdown, the block's reason and the
//! receipt once sent. The server computes all of it; the page only counts down.

use crate::api::campagne::da_fare;
use crate::components::ora::ContoAllaRovescia;
use crate::components::stato::{Caricamento, ErroreCaricamento, Vuoto};
use crate::Route;
use dioxus::prelude::*;
use shared::campagna::data_ora_estesa;
use shared::campagna::{DaFare as Voce, FiltroDaFare, StatoScheda};

fn classe(stato: StatoScheda) -> &'static str {
    match stato {
        StatoScheda::Inviata | StatoScheda::Accettata => "badge bg-success",
        StatoScheda::Restituita => "badge bg-warning text-dark",
        StatoScheda::Bloccata => "badge bg-danger",
        StatoScheda::Bozza => "badge bg-warning text-dark",
        StatoScheda::NonIniziata => "badge bg-secondary",
    }
}

/// The comune's campaigns (ISTAT code `codice`): only those still open (`chiuse` false, the
/// home's "Da fare"), or also the closed ones in a list of their own.
#[component]
pub fn DaFare(codice: String, #[props(default)] chiuse: bool) -> Element {
    let mut voci = use_resource(move || async move { da_fare(FiltroDaFare { chiuse }).await });
    rsx! {
        section { id: "da-fare", class: "mt-4", "aria-labelledby": "titolo-da-fare",
            if chiuse {
                h2 { id: "titolo-da-fare", class: "h4", "Aperte e in arrivo" }
            } else {
                h2 { id: "titolo-da-fare", class: "h4", "Da fare" }
            }
            match &*voci.read() {
                None => rsx! { Caricamento { riprova: move |_| voci.restart() } },
                Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| voci.restart() } },
                Some(Ok(v)) => {
                    let aperte: Vec<Voce> = v.iter().filter(|x| !x.chiusa).cloned().collect();
                    let concluse: Vec<Voce> = v.iter().filter(|x| x.chiusa).cloned().collect();
                    rsx! {
                        if aperte.is_empty() {
                            Vuoto { id: "niente-da-fare", testo: "Nessuna rilevazione aperta per il tuo comune: quando la Regione ne apre una, la trovi qui e ricevi un messaggio.",
                                Link { to: Route::ServiziElenco {}, "Intanto puoi verificare i servizi del comune" }
                            }
                        } else {
                            ul { class: "list-group",
                                for voce in aperte {
                                    VoceDaFare { key: "{voce.campagna}", voce, codice: codice.clone() }
                                }
                            }
                        }
                        if chiuse {
                            h2 { id: "titolo-chiuse", class: "h4 mt-5", "Chiuse" }
                            if concluse.is_empty() {
                                p { id: "nessuna-chiusa", "Nessuna rilevazione chiusa." }
                            } else {
                                ul { id: "rilevazioni-chiuse", class: "list-group",
                                    for voce in concluse {
                                        VoceDaFare { key: "{voce.campagna}", voce, codice: codice.clone() }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn VoceDaFare(voce: Voce, codice: String) -> Element {
    rsx! {
        li { id: "da-fare-{voce.campagna}", class: "list-group-item",
            div { class: "d-flex justify-content-between flex-wrap gap-2",
                Link { to: Route::Rilevazione { id: voce.campagna.clone() }, class: "fw-semibold", "{voce.titolo}" }
                span { class: classe(voce.stato), "{voce.stato.label()}" }
            }
            p { class: "small mb-1", "{voce.messaggio}" }
            if voce.compilabile {
                ContoAllaRovescia { chiusura: voce.chiusura, classe: "small mb-1 conto-alla-rovescia" }
            } else if voce.chiusa {
                p { class: "small mb-1", "Chiusa il {data_ora_estesa(voce.chiusura)}." }
            }
            if !voce.manca.is_empty() && !voce.chiusa {
                ul { class: "small mb-1", "aria-label": "Cosa manca",
                    for m in voce.manca.iter() { li { key: "{m}", "{m}" } }
                }
            }
            if let Some(n) = voce.ricevuta {
                a { class: "small", href: "/api/v1/campagne/{voce.campagna}/comuni/{codice}/scheda/ricevuta.pdf",
                    download: "ricevuta-{n}.pdf", "Ricevuta n. {n} (PDF)" }
            }
        }
    }
}
