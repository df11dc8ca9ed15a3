//! `/servizi`: the list of services with status badges. A comune's officials see their
//! comune's and can register a new one; regional officials filter the whole Region (province,
//! comune, type, status, ownership, text), page through it and export it.

use crate::api::comuni::comuni_della_regione;
use crate::api::servizi::cerca_servizi;
use crate::components::field::{Campo, Scelta};
use crate::components::shell::Sessione;
use crate::components::stato::{Caricamento, ErroreCaricamento};
use crate::Route;
use dioxus::prelude::*;
use shared::comune::ComuneRef;
use shared::servizio::{FiltroServizi, StatoServizio, TipoServizio, Titolarita};

/// Bootstrap Italia badge class of a status.
pub fn classe_stato(s: StatoServizio) -> &'static str {
    match s {
        StatoServizio::Attivo => "badge bg-success",
        StatoServizio::Sospeso => "badge bg-warning text-dark",
        StatoServizio::Cessato => "badge bg-secondary",
    }
}

/// The ISTAT code a comune input refers to: `Nome (001272)`, a bare code, or an exact name.
fn codice_da_testo(testo: &str, comuni: &[ComuneRef]) -> Option<String> {
    let t = testo.trim();
    if let Some(start) = t.rfind('(') {
        let code = t[start + 1..].trim_end_matches(')');
        if comuni.iter().any(|c| c.codice == code) {
            return Some(code.to_owned());
        }
    }
    comuni
        .iter()
        .find(|c| c.codice == t || c.nome.eq_ignore_ascii_case(t))
        .map(|c| c.codice.clone())
}

/// `/servizi`
#[component]
pub fn ServiziElenco() -> Element {
    let sessione = use_context::<Sessione>().0;
    let Some(utente) = sessione() else {
        return rsx! {
            h1 { "Servizi educativi" }
            div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
                "Per vedere questa pagina devi accedere. "
                Link { to: Route::Accesso { motivo: String::new() }, "Vai all'accesso" }
            }
        };
    };
    let regionale = !utente.ruolo.is_comunale();
    let titolo = match &utente.comune {
        Some(c) if !regionale => format!("Servizi educativi di {}", c.nome),
        _ => "Servizi educativi della Regione".to_owned(),
    };
    rsx! { Elenco { regionale, titolo } }
}

/// The list for a signed-in user (hooks here always run in the same order).
#[component]
fn Elenco(regionale: bool, titolo: String) -> Element {
    let mut filtro = use_signal(FiltroServizi::default);
    let mut testo_comune = use_signal(String::new);
    let mut testo_q = use_signal(String::new);
    let comuni = use_resource(move || async move {
        if regionale {
            comuni_della_regione().await.unwrap_or_default()
        } else {
            Vec::new()
        }
    });
    let mut pagina = use_resource(move || async move { cerca_servizi(filtro()).await });
    let errore_comune = use_memo(move || {
        let t = testo_comune();
        let elenco = comuni.read();
        let elenco = elenco.as_deref().unwrap_or_default();
        (!t.trim().is_empty() && !elenco.is_empty() && codice_da_testo(&t, elenco).is_none())
            .then(|| "Scegli un comune dall'elenco (nome o codice ISTAT).".to_owned())
    });
    let applica = move |evt: FormEvent| {
        evt.prevent_default();
        let elenco = comuni.read();
        let codice = codice_da_testo(&testo_comune(), elenco.as_deref().unwrap_or_default());
        filtro.with_mut(|f| {
            f.comune = codice;
            f.q = Some(testo_q()).filter(|q| !q.trim().is_empty());
            f.page = None;
        });
    };
    let query = {
        let mut f = filtro();
        f.page = None;
        f.query_string()
    };
    let opz = |v: Vec<(&'static str, &'static str)>| -> Vec<(String, String)> {
        v.into_iter()
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .collect()
    };

    rsx! {
        document::Title { "Servizi — Servizi 0-6" }
        div { class: "d-flex flex-wrap justify-content-between align-items-center gap-2 mb-3",
            h1 { class: "mb-0", "{titolo}" }
            if !regionale {
                Link { to: Route::NuovoServizio {}, id: "nuovo-servizio", class: "btn btn-primary", "Nuovo servizio" }
            }
        }
        form { id: "filtri", class: "row g-2 align-items-end mb-3", onsubmit: applica,
            if regionale {
                div { class: "col-6 col-md-2",
                    Campo { id: "filtro-provincia", etichetta: "Provincia (sigla)",
                        valore: filtro().provincia.unwrap_or_default(), errore: None,
                        oninput: move |v: String| filtro.with_mut(|f| { f.provincia = Some(v).filter(|v| !v.is_empty()); f.page = None; }) }
                }
                div { class: "col-12 col-md-4",
                    div { class: "form-group mb-4",
                        label { r#for: "filtro-comune", class: "active", "Comune" }
                        input { id: "filtro-comune", class: "form-control", list: "elenco-comuni",
                            value: "{testo_comune}", autocomplete: "off",
                            oninput: move |e| testo_comune.set(e.value()) }
                        datalist { id: "elenco-comuni",
                            for c in comuni.read().as_deref().unwrap_or_default().iter().take(2000) {
                                option { key: "{c.codice}", value: "{c.nome} ({c.codice})" }
                            }
                        }
                        if let Some(e) = errore_comune() {
                            div { class: "invalid-feedback d-block", role: "alert", "{e}" }
                        }
                    }
                }
            }
            div { class: "col-6 col-md-2",
                Scelta { id: "filtro-tipo", etichetta: "Tipologia", vuota: "Tutte", valore: filtro().tipo.unwrap_or_default(),
                    opzioni: opz(TipoServizio::ALL.iter().map(|t| (t.code(), t.label())).collect()), errore: None,
                    onchange: move |v: String| filtro.with_mut(|f| { f.tipo = Some(v).filter(|v| !v.is_empty()); f.page = None; }) }
            }
            div { class: "col-6 col-md-2",
                Scelta { id: "filtro-stato", etichetta: "Stato", vuota: "Tutti", valore: filtro().stato.unwrap_or_default(),
                    opzioni: opz(StatoServizio::ALL.iter().map(|t| (t.code(), t.label())).collect()), errore: None,
                    onchange: move |v: String| filtro.with_mut(|f| { f.stato = Some(v).filter(|v| !v.is_empty()); f.page = None; }) }
            }
            if regionale {
                div { class: "col-6 col-md-2",
                    Scelta { id: "filtro-titolarita", etichetta: "Titolarità", vuota: "Tutte", valore: filtro().titolarita.unwrap_or_default(),
                        opzioni: opz(Titolarita::ALL.iter().map(|t| (t.code(), t.label())).collect()), errore: None,
                        onchange: move |v: String| filtro.with_mut(|f| { f.titolarita = Some(v).filter(|v| !v.is_empty()); f.page = None; }) }
                }
            }
            div { class: "col-12 col-md-4",
                Campo { id: "filtro-q", etichetta: "Cerca (nome, titolare, indirizzo)", valore: testo_q(), errore: None,
                    oninput: move |v: String| testo_q.set(v) }
            }
            div { class: "col-12 col-md-auto mb-4",
                button { id: "applica-filtri", r#type: "submit", class: "btn btn-outline-primary", "Cerca" }
            }
        }
        match &*pagina.read() {
            None => rsx! { Caricamento { riprova: move |_| pagina.restart() } },
            Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| pagina.restart() } },
            Some(Ok(p)) => rsx! {
                div { class: "d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2",
                    p { id: "totale-servizi", class: "mb-0", role: "status",
                        if p.totale == 1 { "1 servizio" } else { "{p.totale} servizi" }
                    }
                    div { class: "d-flex gap-2",
                        a { id: "esporta-csv", class: "btn btn-outline-secondary btn-sm", href: "/api/v1/servizi.csv?{query}", download: "servizi.csv", "Esporta CSV" }
                        a { id: "esporta-xlsx", class: "btn btn-outline-secondary btn-sm", href: "/api/v1/servizi.xlsx?{query}", download: "servizi.xlsx", "Esporta XLSX" }
                    }
                }
                div { class: "table-responsive",
                    table { class: "table table-hover tabella-schede", id: "elenco-servizi",
                        thead { tr {
                            th { scope: "col", "Denominazione" }
                            th { scope: "col", "Tipologia" }
                            th { scope: "col", "Comune" }
                            th { scope: "col", "Stato" }
                            th { scope: "col", class: "text-md-end", "Posti" }
                        } }
                        tbody {
                            for r in p.voci.iter() {
                                tr { key: "{r.id}",
                                    td { Link { to: Route::SchedaServizio { id: r.id.clone() }, class: "link-servizio fw-semibold", "{r.denominazione}" } }
                                    td { "data-etichetta": "Tipologia", "{r.tipo.label()}" }
                                    td { "data-etichetta": "Comune", "{r.comune.nome} ({r.sigla_provincia})" }
                                    td { "data-etichetta": "Stato", span { class: classe_stato(r.stato), "{r.stato.label()}" } }
                                    td { "data-etichetta": "Posti", class: "text-md-end", "{r.posti_autorizzati}" }
                                }
                            }
                        }
                    }
                }
                if p.pagine() > 1 {
                    nav { "aria-label": "Pagine dei servizi", class: "d-flex align-items-center gap-3",
                        button { id: "pagina-precedente", class: "btn btn-outline-primary btn-sm", disabled: p.pagina <= 1,
                            onclick: move |_| filtro.with_mut(|f| f.page = Some(f.page.unwrap_or(1).saturating_sub(1).max(1))),
                            "Precedente" }
                        span { id: "pagina-corrente", "Pagina {p.pagina} di {p.pagine()}" }
                        button { id: "pagina-successiva", class: "btn btn-outline-primary btn-sm", disabled: p.pagina >= p.pagine(),
                            onclick: move |_| filtro.with_mut(|f| f.page = Some(f.page.unwrap_or(1) + 1)),
                            "Successiva" }
                    }
                }
            },
        }
    }
}
