//! `/fondi`: the allocation of the funds for a funding year. The Region loads each source's
//! amounts from a CSV file (all or nothing: every wrong line is named) and sees every comune's
//! amounts; a comune's officials see their own, read-only.

use crate::api::fondi::{assegnato, importa_riparto, riparto};
use crate::components::field::Campo;
use crate::components::shell::{Idratata, Sessione};
use crate::components::stato::{Caricamento, ErroreCaricamento};
use crate::Route;
use dioxus::prelude::*;
use shared::denaro::Importo;
use shared::fondi::Fonte;

/// `/fondi`
#[component]
pub fn Fondi() -> Element {
    let sessione = use_context::<Sessione>().0;
    let anno_iniziale = crate::components::ora::oggi().format("%Y").to_string();
    let mut anno = use_signal(move || anno_iniziale.clone());
    let Some(u) = sessione() else {
        return rsx! {
            div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
                "Per vedere questa pagina devi accedere. "
                Link { to: Route::Accesso { motivo: String::new() }, "Vai all'accesso" }
            }
        };
    };
    rsx! {
        document::Title { "Fondi — Servizi 0-6" }
        h1 { "Riparto dei fondi" }
        div { class: "row", div { class: "col-6 col-md-3",
            Campo { id: "anno-fondi", etichetta: "Annualità", valore: anno(), errore: None, inputmode: "numeric",
                oninput: move |v: String| anno.set(v) }
        } }
        match u.comune.filter(|_| u.ruolo.is_comunale()) {
            Some(c) => rsx! { FondiComune { key: "{anno}", anno: anno(), codice: c.codice } },
            None => rsx! { FondiRegione { key: "{anno}", anno: anno() } },
        }
    }
}

#[component]
fn FondiComune(anno: String, codice: String) -> Element {
    let annualita = anno.clone();
    let mut a = use_resource(move || {
        let (anno, codice) = (anno.clone(), codice.clone());
        async move { assegnato(anno, codice).await }
    });
    rsx! {
        match &*a.read() {
            None => rsx! { Caricamento {} },
            Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| a.restart() } },
            Some(Ok(a)) if Fonte::ALL.iter().all(|f| a.di(*f) == Importo::ZERO) => rsx! {
                crate::components::stato::Vuoto { id: "nessun-assegnato",
                    testo: format!("Per l'annualità {annualita} non risulta ancora nessun importo assegnato al comune. La Regione ripartisce i fondi dopo aver raccolto le rilevazioni dei fondi (interventi e monitoraggio): quando il riparto è caricato, gli importi compaiono qui."),
                    Link { to: Route::Rilevazioni {}, id: "vai-rilevazioni-fondi", class: "btn btn-outline-primary", "Vai alle rilevazioni" }
                }
            },
            Some(Ok(a)) => rsx! {
                dl { class: "row", id: "assegnato-comune",
                    for f in Fonte::ALL.iter() {
                        div { key: "{f.code()}", class: "col-12 row",
                            dt { class: "col-sm-6", "{f.label()}" }
                            dd { class: "col-sm-6", "€ {a.di(*f).testo()}" }
                        }
                    }
                }
            },
        }
    }
}

#[component]
fn FondiRegione(anno: String) -> Element {
    let anno = use_signal(|| anno);
    let mut righe = use_resource(move || async move { riparto(anno()).await });
    let mut esito = use_signal(|| None::<(bool, Vec<String>)>);
    let idratata = use_context::<Idratata>().0;
    let carica = move |fonte: Fonte, e: FormEvent| async move {
        for file in e.files() {
            let testo = match file.read_bytes().await {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(_) => {
                    esito.set(Some((false, vec!["Il file non si può leggere.".into()])));
                    return;
                }
            };
            match importa_riparto(anno(), fonte.code().into(), testo).await {
                Ok(r) => {
                    esito.set(Some((
                        true,
                        vec![format!(
                            "{}: importati {} comuni per un totale di € {}.",
                            r.fonte.label(),
                            r.comuni,
                            r.totale.testo()
                        )],
                    )));
                    righe.restart();
                }
                Err(e) => {
                    let campi: Vec<String> =
                        e.0.fields().iter().map(|f| f.message.clone()).collect();
                    esito.set(Some((
                        false,
                        if campi.is_empty() {
                            vec![e.0.message()]
                        } else {
                            campi
                        },
                    )));
                }
            }
        }
    };
    rsx! {
        div { class: "row g-3 mb-3",
            for f in Fonte::ALL.iter().copied() {
                div { key: "{f.code()}", class: "col-12 col-md-6",
                    label { r#for: "csv-{f.code()}", class: "form-label", "{f.label()}: file CSV (codice ISTAT;importo)" }
                    input { id: "csv-{f.code()}", r#type: "file", accept: ".csv,.txt,text/csv", class: "form-control", disabled: !idratata(),
                        onchange: move |e| carica(f, e) }
                }
            }
        }
        if let Some((ok, righe)) = esito() {
            div { id: "esito-riparto", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: "alert",
                ul { class: "mb-0", for r in righe.iter() { li { key: "{r}", "{r}" } } }
            }
        }
        match &*righe.read() {
            None => rsx! { Caricamento {} },
            Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| righe.restart() } },
            Some(Ok(v)) if v.is_empty() => rsx! { p { id: "riparto-vuoto", "Nessun importo per questa annualità: carica il file CSV di ciascuna fonte qui sopra. I comuni vedono i propri importi appena il file è caricato." } },
            Some(Ok(v)) => {
                let tot = |f: Fonte| Importo::somma(v.iter().map(|r| r.assegnato.di(f))).unwrap_or_default();
                rsx! {
                    div { class: "table-responsive",
                        table { class: "table table-sm tabella-schede", id: "tabella-riparto",
                            thead { tr { th { "Comune" } th { class: "text-end", "Statale (€)" } th { class: "text-end", "Regionale (€)" } } }
                            tbody {
                                for r in v.iter() {
                                    tr { key: "{r.comune.codice}",
                                        td { class: "fw-semibold", "{r.comune.nome}" }
                                        td { "data-etichetta": "Statale (€)", class: "text-md-end", "{r.assegnato.statale.testo()}" }
                                        td { "data-etichetta": "Regionale (€)", class: "text-md-end", "{r.assegnato.regionale.testo()}" }
                                    }
                                }
                            }
                            tfoot { tr { th { "Totale ({v.len()} comuni)" } th { "data-etichetta": "Statale (€)", class: "text-md-end", "{tot(Fonte::Statale).testo()}" } th { "data-etichetta": "Regionale (€)", class: "text-md-end", "{tot(Fonte::Regionale).testo()}" } } }
                        }
                    }
                }
            }
        }
    }
}
