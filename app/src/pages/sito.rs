//! The site's own pages: `/accessibilita` (the accessibility statement), `/note-legali`, and
//! `/impostazioni-sito`, where the Region edits them and the footer's contacts.

use crate::api::health::ConfigPubblica;
use crate::api::sito::salva_sito;
use crate::components::field::{Campo, Scelta, Testo};
use crate::components::shell::{ConfigSito, Idratata, Sessione};
use crate::components::stato::Caricamento;
use crate::Route;
use dioxus::prelude::*;
use shared::sito::{etichetta_stato, paragrafi, ImpostazioniSito, STATI_CONFORMITA};
use shared::text::message_for;
use shared::FieldError;

/// The installation's public settings, as the frame loaded them.
fn config() -> Option<ConfigPubblica> {
    let c = use_context::<ConfigSito>().0;
    let letto = c.read().as_ref().and_then(|r| r.as_ref().ok().cloned());
    letto
}

/// `/accessibilita`
#[component]
pub fn DichiarazioneAccessibilita() -> Element {
    let Some(c) = config() else {
        return rsx! { Caricamento {} };
    };
    let a = &c.sito.accessibilita;
    let data = chrono::NaiveDate::parse_from_str(&a.data_redazione, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .ok();
    rsx! {
        document::Title { "Dichiarazione di accessibilità — Servizi 0-6" }
        h1 { "Dichiarazione di accessibilità" }
        p {
            "La Regione {c.regione} si impegna a rendere accessibile il proprio servizio "
            "\"Servizi 0-6\", conformemente alla legge 9 gennaio 2004, n. 4, e alle Linee guida "
            "sull'accessibilità degli strumenti informatici dell'AgID."
        }
        h2 { class: "h4", "Stato di conformità" }
        p { id: "stato-conformita",
            "Il servizio è "
            strong { {etichetta_stato(&a.stato).to_lowercase()} }
            " ai requisiti previsti dall'allegato A alla norma UNI CEI EN 301549 (WCAG 2.1 livello AA)."
        }
        h2 { class: "h4", "Contenuti non accessibili" }
        if paragrafi(&a.contenuti_non_accessibili).is_empty() {
            p { id: "contenuti-non-accessibili", "Non sono noti contenuti non accessibili." }
        } else {
            div { id: "contenuti-non-accessibili",
                for (i, p) in paragrafi(&a.contenuti_non_accessibili).into_iter().enumerate() { p { key: "{i}", "{p}" } }
            }
        }
        h2 { class: "h4", "Redazione della dichiarazione" }
        p { id: "data-redazione",
            match data {
                Some(d) => rsx! { "La dichiarazione è stata redatta il {d}." },
                None => rsx! { "La data di redazione non è ancora stata indicata." },
            }
        }
        h2 { class: "h4", "Feedback e recapiti" }
        if a.email_segnalazioni.is_empty() {
            p { "Per segnalare un problema di accessibilità scrivi all'assistenza del servizio." }
        } else {
            p {
                "Per segnalare un contenuto non accessibile o chiedere informazioni scrivi a "
                a { id: "email-segnalazioni", href: "mailto:{a.email_segnalazioni}", "{a.email_segnalazioni}" }
                "."
            }
        }
        h2 { class: "h4", "Procedura di attuazione" }
        p {
            "Se la risposta non arriva entro 30 giorni o non è soddisfacente, puoi inviare una "
            "segnalazione all'AgID con il "
            a { id: "modulo-agid", href: "{a.url_modulo_agid}", rel: "noopener", "modulo dell'AgID" }
            "."
        }
    }
}

/// `/note-legali`
#[component]
pub fn NoteLegali() -> Element {
    let Some(c) = config() else {
        return rsx! { Caricamento {} };
    };
    rsx! {
        document::Title { "Note legali — Servizi 0-6" }
        h1 { "Note legali" }
        div { id: "testo-note-legali",
            for (i, p) in paragrafi(&c.sito.note_legali).into_iter().enumerate() { p { key: "{i}", "{p}" } }
        }
    }
}

/// `/impostazioni-sito` (Region)
#[component]
pub fn ImpostazioniSitoPagina() -> Element {
    let sessione = use_context::<Sessione>().0;
    let config = config();
    if sessione().filter(|u| !u.ruolo.is_comunale()).is_none() {
        return rsx! {
            h1 { "Impostazioni del sito" }
            div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
                "Questa pagina è per la Regione. "
                Link { to: Route::Accesso { motivo: String::new() }, "Vai all'accesso" }
            }
        };
    }
    let Some(c) = config else {
        return rsx! { Caricamento {} };
    };
    rsx! { ModuloSito { iniziali: c.sito } }
}

#[component]
fn ModuloSito(iniziali: ImpostazioniSito) -> Element {
    let mut f = use_signal(|| iniziali.clone());
    let mut campi = use_signal(Vec::<FieldError>::new);
    let mut esito = use_signal(|| None::<(bool, String)>);
    let mut config = use_context::<ConfigSito>().0;
    let idratata = use_context::<Idratata>().0;
    let errore = move |c: &str| message_for(&campi.read(), c).map(str::to_owned);
    let salva = move |evt: FormEvent| async move {
        evt.prevent_default();
        match salva_sito(f()).await {
            Ok(s) => {
                f.set(s);
                campi.set(Vec::new());
                esito.set(Some((
                    true,
                    "Impostazioni salvate: il piè di pagina e le pagine pubbliche le mostrano già."
                        .into(),
                )));
                config.restart();
            }
            Err(e) => {
                let n = e.0.fields().len();
                campi.set(e.0.fields().to_vec());
                esito.set(Some((
                    false,
                    if n == 1 {
                        "Non salvato: 1 campo da correggere.".to_owned()
                    } else if n > 1 {
                        format!("Non salvato: {n} campi da correggere.")
                    } else {
                        e.0.message()
                    },
                )));
            }
        }
    };
    let stati: Vec<(String, String)> = STATI_CONFORMITA
        .iter()
        .map(|(c, e)| ((*c).to_owned(), (*e).to_owned()))
        .collect();
    rsx! {
        document::Title { "Impostazioni del sito — Servizi 0-6" }
        h1 { "Impostazioni del sito" }
        p { "Quello che il piè di pagina di ogni pagina mostra, le note legali e la dichiarazione di accessibilità. Le modifiche valgono subito per tutti." }
        form { id: "form-sito", novalidate: true, onsubmit: salva,
            fieldset { class: "mb-4",
                legend { class: "h4", "Piè di pagina e assistenza" }
                div { class: "row",
                    div { class: "col-12 col-md-6",
                        Campo { id: "sito-regione", etichetta: "Sito della Regione", tipo: "url", valore: f().sito_regione, errore: errore("sito_regione"),
                            oninput: move |v: String| f.with_mut(|x| x.sito_regione = v) } }
                    div { class: "col-12 col-md-6",
                        Campo { id: "assistenza-email", etichetta: "E-mail dell'assistenza", tipo: "email", valore: f().assistenza_email, errore: errore("assistenza_email"),
                            oninput: move |v: String| f.with_mut(|x| x.assistenza_email = v) } }
                    div { class: "col-12 col-md-6",
                        Campo { id: "assistenza-telefono", etichetta: "Telefono dell'assistenza", tipo: "tel", inputmode: "tel", valore: f().assistenza_telefono, errore: errore("assistenza_telefono"),
                            oninput: move |v: String| f.with_mut(|x| x.assistenza_telefono = v) } }
                    div { class: "col-12 col-md-6",
                        Campo { id: "assistenza-orari", etichetta: "Orari dell'assistenza", valore: f().assistenza_orari, errore: errore("assistenza_orari"),
                            oninput: move |v: String| f.with_mut(|x| x.assistenza_orari = v) } }
                }
                Testo { id: "note-legali", etichetta: "Note legali", valore: f().note_legali, errore: errore("note_legali"),
                    aiuto: "Testo semplice; separa i paragrafi con una riga vuota.",
                    oninput: move |v: String| f.with_mut(|x| x.note_legali = v) }
            }
            fieldset { class: "mb-4",
                legend { class: "h4", "Dichiarazione di accessibilità" }
                div { class: "row",
                    div { class: "col-12 col-md-6",
                        Scelta { id: "acc-stato", etichetta: "Stato di conformità", valore: f().accessibilita.stato, opzioni: stati, errore: errore("accessibilita.stato"),
                            onchange: move |v: String| f.with_mut(|x| x.accessibilita.stato = v) } }
                    div { class: "col-12 col-md-6",
                        Campo { id: "acc-data", etichetta: "Data di redazione", tipo: "date", valore: f().accessibilita.data_redazione, errore: errore("accessibilita.data_redazione"),
                            oninput: move |v: String| f.with_mut(|x| x.accessibilita.data_redazione = v) } }
                    div { class: "col-12 col-md-6",
                        Campo { id: "acc-email", etichetta: "E-mail per le segnalazioni", tipo: "email", valore: f().accessibilita.email_segnalazioni, errore: errore("accessibilita.email_segnalazioni"),
                            oninput: move |v: String| f.with_mut(|x| x.accessibilita.email_segnalazioni = v) } }
                    div { class: "col-12 col-md-6",
                        Campo { id: "acc-modulo", etichetta: "Indirizzo del modulo AgID", tipo: "url", valore: f().accessibilita.url_modulo_agid, errore: errore("accessibilita.url_modulo_agid"),
                            oninput: move |v: String| f.with_mut(|x| x.accessibilita.url_modulo_agid = v) } }
                }
                Testo { id: "acc-contenuti", etichetta: "Contenuti non accessibili", valore: f().accessibilita.contenuti_non_accessibili, errore: errore("accessibilita.contenuti_non_accessibili"),
                    aiuto: "Cosa non è accessibile e perché; vuoto se non è noto nulla.",
                    oninput: move |v: String| f.with_mut(|x| x.accessibilita.contenuti_non_accessibili = v) }
            }
            if let Some((ok, m)) = esito() {
                div { id: "esito-sito", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: if ok { "status" } else { "alert" }, "{m}" }
            }
            button { id: "salva-sito", r#type: "submit", class: "btn btn-primary", disabled: !idratata(), "Salva le impostazioni" }
        }
    }
}
