//! Privacy notice (informativa).

use dioxus::prelude::*;

/// `/privacy`
#[component]
pub fn Privacy() -> Element {
    rsx! {
        document::Title { "Informativa sulla privacy — Servizi 0-6" }
        h1 { "Informativa sul trattamento dei dati personali" }
        p {
            "Il sistema tratta i dati personali degli utenti abilitati (nome, ruolo, ente di "
            "appartenenza, credenziali di accesso) per consentire l'accesso e tracciare le operazioni "
            "svolte, ai sensi del Regolamento (UE) 2016/679. Non sono raccolti dati personali dei "
            "bambini: le rilevazioni contengono solo numeri aggregati e importi."
        }
        p {
            "Titolare del trattamento è la Regione. I log di accesso e il registro delle operazioni "
            "sono conservati per le finalità di sicurezza e di controllo previste dalla normativa."
        }
    }
}
