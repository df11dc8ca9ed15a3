//! The comune's "Da fare", on its home: each campaign open (or about to open) for it, with its
//! form's state, what is missing, the deadline with a countdown, the block's reason and the
//! receipt once sent. The server computes all of it; the page only counts down.

use crate::api::campagne::da_fare;
use crate::components::ora::use_adesso;
use crate::Route;
use dioxus::prelude::*;
use shared::campagna::data_ora_estesa;
use shared::campagna_regole::StatoScheda;
use shared::tempo::tempo_mancante;

fn classe(stato: StatoScheda) -> &'static str {
    match stato {
        StatoScheda::Inviata | StatoScheda::Accettata => "badge bg-success",
        StatoScheda::Restituita => "badge bg-warning text-dark",
        StatoScheda::Bloccata => "badge bg-danger",
        StatoScheda::Bozza => "badge bg-warning text-dark",
        StatoScheda::NonIniziata => "badge bg-secondary",
    }
}

/// The list, for the comune with ISTAT code `codice`.
#[component]
pub fn DaFare(codice: String) -> Element {
    let voci = use_resource(da_fare);
    let ora = use_adesso();
    rsx! {
        section { id: "da-fare", class: "mt-4",
            h2 { class: "h4", "Da fare" }
            match &*voci.read() {
                None => rsx! { p { role: "status", "Caricamento…" } },
                Some(Err(e)) => rsx! { div { class: "alert alert-danger", role: "alert", "{e}" } },
                Some(Ok(v)) if v.is_empty() => rsx! { p { id: "niente-da-fare", "Nessuna rilevazione aperta per il tuo comune." } },
                Some(Ok(v)) => rsx! {
                    ul { class: "list-group",
                        for voce in v.iter() {
                            li { key: "{voce.campagna}", id: "da-fare-{voce.campagna}", class: "list-group-item",
                                div { class: "d-flex justify-content-between flex-wrap gap-2",
                                    Link { to: Route::Rilevazione { id: voce.campagna.clone() }, class: "fw-semibold", "{voce.titolo}" }
                                    span { class: classe(voce.stato), "{voce.stato.label()}" }
                                }
                                p { class: "small mb-1", "{voce.messaggio}" }
                                if voce.compilabile {
                                    p { class: "small fw-semibold mb-1 conto-alla-rovescia",
                                        "{tempo_mancante((voce.chiusura - ora()).num_seconds())} (fino al {data_ora_estesa(voce.chiusura)})."
                                    }
                                }
                                if !voce.manca.is_empty() {
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
                },
            }
        }
    }
}
