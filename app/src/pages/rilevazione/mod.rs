//! `/rilevazioni/{id}`: a comune's form for one campaign, or the Region's page of the campaign.
//! Every kind of form (children attending, planned interventions, monitoring) shares one life
//! cycle on the device ([`crate::offline::scheda`]) and the parts shown here: why it is open or
//! closed and until when, the notices about other tabs, the network and the queue, the
//! refused writes with the user's values, the declaration, and the save and send buttons.

mod fondi;
mod frequentanti;
mod interventi;
mod monitoraggio;

use crate::components::conferma::Conferma;
use crate::components::ora::ContoAllaRovescia;
use crate::components::shell::Sessione;
use crate::offline::scheda::{use_caricata, ModuloScheda};
use dioxus::prelude::*;
use shared::campagna::Scheda;
use shared::campagna::TipoCampagna;
use shared::coda::Operazione;

/// `/rilevazioni/{id}`: the comune's form, or the Region's page of the campaign.
#[component]
pub fn Rilevazione(id: String) -> Element {
    let sessione = use_context::<Sessione>().0;
    match sessione().and_then(|u| u.comune.filter(|_| u.ruolo.is_comunale())) {
        Some(c) => rsx! { SchedaComune { key: "{id}", id: id.clone(), codice: c.codice } },
        None => {
            rsx! { crate::pages::campagna_regione::GestioneCampagna { key: "{id}", id: id.clone() } }
        }
    }
}

/// The comune's form: loaded (from the server, or offline from the device), then shown by
/// its campaign's kind.
#[component]
fn SchedaComune(id: String, codice: String) -> Element {
    let utente = crate::components::shell::use_nome_utente();
    let c = use_caricata(id, codice, utente);
    let Some(tipo) = (c.corrente)().map(|s| s.tipo) else {
        return rsx! {
            match (c.errore)() {
                Some(shared::ApiError::Unavailable) => rsx! {
                    div { class: "alert alert-warning", role: "alert", id: "errore-scheda",
                        "Sei offline e questa scheda non è ancora stata aperta su questo dispositivo: riaprila quando torna la connessione." }
                },
                Some(e) => rsx! { div { class: "alert alert-danger", role: "alert", id: "errore-scheda", "{e.message()}" } },
                None => rsx! { p { role: "status", "Caricamento della scheda…" } },
            }
        };
    };
    match tipo {
        TipoCampagna::Frequentanti => rsx! { frequentanti::SchedaFrequentanti { c } },
        TipoCampagna::Interventi | TipoCampagna::Monitoraggio => {
            rsx! { fondi::SchedaFondi { c } }
        }
    }
}

/// Why the form is open or closed (with the countdown while open), and the notices: another
/// tab edits it, the device is offline, the last outcome, a send waiting, each refused write
/// with its differences and the user's choice.
fn avvisi(m: ModuloScheda, s: &Scheda) -> Element {
    let online = (m.offline.online)();
    let secondi = (s.chiusura - crate::components::ora::adesso()).num_seconds();
    let compilabile = s.compilabile;
    let rifiutate: Vec<_> = (m.in_coda)()
        .into_iter()
        .filter(|v| v.rifiuto.is_some())
        .collect();
    rsx! {
        div { id: "stato-scheda", class: if s.compilabile { "alert alert-info" } else { "alert alert-warning" }, role: "status",
            p { class: "mb-1", id: "stato-scheda-messaggio", "{s.messaggio}" }
            if s.tipo != TipoCampagna::Frequentanti {
                p { class: "mb-1 small", "Stato: {s.stato.label()} · termine: {shared::campagna::data_ora_estesa(s.chiusura)}" }
            }
            if s.compilabile {
                ContoAllaRovescia { chiusura: s.chiusura, id: "conto-alla-rovescia", classe: "mb-0" }
            }
        }
        if (m.editore)() == Some(false) {
            div { id: "altra-finestra", class: "alert alert-warning", role: "alert",
                "Questa scheda è aperta in un'altra finestra o scheda del browser: qui puoi solo leggerla. "
                "Chiudi l'altra per modificarla qui (riprende da dove l'hai lasciata)." }
        }
        if (m.c.da_copia)() || !online {
            div { id: "avviso-offline", class: "alert alert-warning", role: "status",
                if (m.c.da_copia)() { "Sei offline: la scheda è quella conservata su questo dispositivo. " } else { "Sei offline. " }
                "Puoi continuare a compilare: le modifiche restano sul dispositivo e partono al ritorno della connessione. "
                "Per inviare la scheda serve la connessione: vale l'ora del server."
                if compilabile && secondi < 86_400 { strong { " Il termine è vicino: collegati appena puoi." } }
            }
        }
        if let Some((ok, t)) = (m.esito)() {
            div { id: "esito-scheda", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: "alert", "{t}" }
        }
        if m.invio_in_attesa() {
            div { id: "invio-in-coda", class: "alert alert-warning", role: "status",
                "Invio in coda su questo dispositivo: la scheda NON è ancora inviata." }
        }
        for v in rifiutate {
            div { key: "{v.chiave}", class: "alert alert-danger modifica-rifiutata", role: "alert",
                p { class: "mb-1 fw-semibold", "{v.operazione.descrizione()} non accettata dal server:" }
                p { class: "mb-2", {v.rifiuto.as_ref().map(|r| r.messaggio.clone()).unwrap_or_default()} }
                if let Operazione::SalvaScheda { dati, .. } = &v.operazione {
                    ul { class: "small differenze",
                        for d in m.differenze_da(s, dati).unwrap_or_default() {
                            li { key: "{d}", "{d}" }
                        }
                    }
                }
                div { class: "d-flex flex-wrap gap-2",
                    if matches!(v.operazione, Operazione::SalvaScheda { .. }) && compilabile {
                        button { class: "btn btn-primary btn-sm mantieni-miei", disabled: (m.in_corso)(),
                            onclick: { let k = v.chiave.clone(); move |_| m.decidi(k.clone(), true) }, "Mantieni i miei valori" }
                        button { class: "btn btn-outline-primary btn-sm usa-salvati", disabled: (m.in_corso)(),
                            onclick: { let k = v.chiave.clone(); move |_| m.decidi(k.clone(), false) }, "Usa i valori salvati" }
                    } else {
                        button { class: "btn btn-outline-primary btn-sm scarta-rifiutata", disabled: (m.in_corso)(),
                            onclick: { let k = v.chiave.clone(); move |_| m.decidi(k.clone(), false) }, "Togli dalla coda (i valori restano nel modulo)" }
                    }
                }
            }
        }
    }
}

/// The preliminary declaration, while the form can be changed and before it is confirmed.
fn dichiarazione(m: ModuloScheda, s: &Scheda) -> Element {
    let mut esito = m.esito;
    rsx! {
        if m.modificabile(s) && s.dichiarazione.is_none() {
            crate::components::dichiarazione::Dichiarazione {
                scheda: s.clone(),
                onconfermata: move |nuova: Scheda| m.dichiarata(nuova),
                onerrore: move |t: String| esito.set(Some((false, t))),
            }
        }
    }
}

/// "Salva bozza" and "Invia" (with its confirmation), while the form can be changed;
/// `inviabile`: the rules found no error.
fn pulsanti(m: ModuloScheda, s: &Scheda, inviabile: bool) -> Element {
    let (conferma_invio, idratata) = (m.conferma_invio, m.idratata);
    let mut conferma = conferma_invio;
    rsx! {
        if m.modificabile(s) && s.dichiarazione.is_some() {
            div { class: "d-flex flex-wrap gap-2 mb-5",
                button { id: "salva-bozza", class: "btn btn-outline-primary", disabled: !idratata() || (m.in_corso)(),
                    onclick: move |_| m.salva(false), "Salva bozza" }
                button { id: "invia-scheda", class: "btn btn-primary", disabled: !idratata() || (m.in_corso)() || !inviabile,
                    onclick: move |_| conferma.set(true), "Invia" }
                Conferma { id: "conferma-invio", aperta: conferma_invio, ritorno: "invia-scheda",
                    titolo: "Inviare la scheda alla Regione?",
                    testo: "Inviata, la scheda non si può più modificare: la ricevuta ne fissa i dati, e solo la Regione può riaprirla o restituirla per correzioni.",
                    etichetta: "Invia", onconferma: move |_: ()| m.invia() }
                if !inviabile { span { class: "align-self-center text-danger", "Correggi gli errori per poter inviare." } }
            }
        }
    }
}
