//! Public home: what the service is, and the way in.

use crate::components::shell::Sessione;
use crate::Route;
use dioxus::prelude::*;

/// `/`
#[component]
pub fn Home() -> Element {
    let sessione = use_context::<Sessione>();
    rsx! {
        document::Title { "Servizi 0-6" }
        h1 { "Servizi educativi 0-6" }
        p { class: "lead",
            "Il sistema con cui i Comuni tengono l'anagrafica dei servizi educativi per l'infanzia "
            "(nidi, micronidi, sezioni primavera, servizi integrativi) e rispondono alle rilevazioni "
            "della Regione: bambini frequentanti, interventi finanziati, monitoraggio delle risorse."
        }
        if sessione.0().is_some() {
            Link { to: Route::AreaRiservata {}, id: "vai-area", class: "btn btn-primary", "Vai all'area riservata" }
        } else {
            Link { to: Route::Accesso { motivo: String::new() }, id: "accedi", class: "btn btn-primary", "Accedi" }
        }
    }
}
