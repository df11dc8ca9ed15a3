//! The preliminary declaration of a campaign form: for each of the comune's active services,
//! operating, suspended or ceased at the reference date (with the date and the reason); the
//! server updates the registry and then lets the form be compiled.

use crate::api::campagne::dichiara;
use crate::components::field::{Campo, Scelta};
use crate::components::shell::Idratata;
use dioxus::prelude::*;
use shared::campagna::{Scheda, VoceDichiarazione};

/// The declaration of form `scheda`; `onconfermata` gets the form after it, `onerrore` the
/// server's message.
#[component]
pub fn Dichiarazione(
    scheda: Scheda,
    onconfermata: EventHandler<Scheda>,
    onerrore: EventHandler<String>,
) -> Element {
    let servizi = scheda.da_dichiarare.clone();
    let mut voci = use_signal(move || {
        servizi
            .iter()
            .map(|x| VoceDichiarazione {
                servizio: x.id.clone(),
                stato: "operante".into(),
                ..Default::default()
            })
            .collect::<Vec<_>>()
    });
    let mut in_corso = use_signal(|| false);
    // The per-service choices are shown only when some service was not operating.
    let mut eccezioni = use_signal(|| false);
    let idratata = use_context::<Idratata>().0;
    let n = scheda.da_dichiarare.len();
    let (campagna, comune) = (scheda.campagna.clone(), scheda.comune.codice.clone());
    let conferma = move |_| {
        let (campagna, comune) = (campagna.clone(), comune.clone());
        async move {
            in_corso.set(true);
            let r = dichiara(campagna, comune, voci()).await;
            in_corso.set(false);
            match r {
                Ok(nuova) => onconfermata.call(nuova),
                Err(e) => onerrore.call(e.0.message()),
            }
        }
    };
    rsx! {
        section { id: "dichiarazione", class: "mb-4",
            h2 { class: "h5", "Dichiarazione preliminare" }
            p { "Per ogni servizio attivo indica se alla data di riferimento era operante, sospeso o cessato. I servizi sospesi o cessati sono aggiornati nell'anagrafica." }
            {
                let diversi = voci().iter().filter(|v| v.stato != "operante").count();
                rsx! {
                    p { id: "riepilogo-dichiarazione", class: "fw-semibold", role: "status",
                        if diversi == 0 {
                            if n == 1 { "Il servizio risulta operante." } else { "Tutti i {n} servizi risultano operanti." }
                        } else {
                            "{n - diversi} servizi operanti, {diversi} sospesi o cessati."
                        }
                    }
                }
            }
            div { class: "d-flex flex-wrap gap-2 mb-3",
                if !eccezioni() {
                    button { id: "indica-eccezioni", r#type: "button", class: "btn btn-outline-primary",
                        onclick: move |_| eccezioni.set(true), "Indica i servizi sospesi o cessati" }
                } else {
                    button { id: "tutti-operanti", r#type: "button", class: "btn btn-outline-primary",
                        onclick: move |_| voci.with_mut(|d| for v in d.iter_mut() {
                            v.stato = "operante".into();
                            v.dal.clear();
                            v.motivo.clear();
                        }),
                        "Tutti operanti" }
                }
            }
            for (i, v) in voci().iter().enumerate().filter(|_| eccezioni()) {
                div { key: "{v.servizio}", class: "row g-2 align-items-end border-bottom mb-2",
                    div { class: "col-12 col-md-4 fw-semibold mb-3",
                        {scheda.da_dichiarare.iter().find(|x| x.id == v.servizio).map(|x| x.denominazione.clone()).unwrap_or_default()}
                    }
                    div { class: "col-12 col-md-3",
                        Scelta { id: format!("d{i}-stato"), etichetta: "Alla data di riferimento", valore: v.stato.clone(),
                            opzioni: vec![("operante".to_owned(), "Operante".to_owned()), ("sospeso".to_owned(), "Sospeso".to_owned()), ("cessato".to_owned(), "Cessato".to_owned())],
                            errore: None,
                            onchange: move |x: String| voci.with_mut(|d| d[i].stato = x) }
                    }
                    if v.stato != "operante" {
                        div { class: "col-6 col-md-2",
                            Campo { id: format!("d{i}-dal"), etichetta: "Dal (gg/mm/aaaa)", valore: v.dal.clone(), errore: None, inputmode: "numeric",
                                oninput: move |x: String| voci.with_mut(|d| d[i].dal = x) }
                        }
                        div { class: "col-6 col-md-3",
                            Campo { id: format!("d{i}-motivo"), etichetta: "Motivo", valore: v.motivo.clone(), errore: None,
                                oninput: move |x: String| voci.with_mut(|d| d[i].motivo = x) }
                        }
                    }
                }
            }
            button { id: "conferma-dichiarazione", class: "btn btn-primary", disabled: !idratata() || in_corso(), onclick: conferma, "Conferma la dichiarazione" }
        }
    }
}
