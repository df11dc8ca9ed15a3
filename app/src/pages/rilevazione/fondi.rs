//! A comune's funds forms: the planned interventions (`interventi`) and their monitoring
//! (`monitoraggio`). The money rules run on every keystroke against the data loaded with the
//! form (allocation, registry, plan sent), the same rules the server runs when it saves and
//! sends. The Region's comments on a returned form sit next to their fields. Both forms live on
//! the device like every campaign form ([`crate::offline::scheda`]).

use crate::components::field::Campo;
use crate::components::navigazione::Briciole;
use crate::offline::scheda::{Caricata, DatiModulo, ModuloScheda};
use crate::Route;
use dioxus::prelude::*;
use shared::campagna::{data_ora_estesa, TipoCampagna};
use shared::campagna::{Commento, Scheda, StatoScheda};
use shared::fondi::{
    Contesto, Fonte, InterventiForm, InterventoForm, MonitoraggioForm, MonitoraggioVoceForm,
    TotaliFondi,
};
use shared::frequentanti::{Gravita, Rilievo};
use std::collections::HashMap;

impl DatiModulo for InterventiForm {
    fn salvati(s: &Scheda) -> Option<Self> {
        s.fondi.as_ref().and_then(|f| f.interventi.clone())
    }

    /// A plan starts with one intervention to fill in.
    fn completa(_: &Scheda, mut f: Self) -> Self {
        if f.interventi.is_empty() {
            f.interventi.push(InterventoForm {
                id: "i1".into(),
                ..Default::default()
            });
        }
        f
    }
}

impl DatiModulo for MonitoraggioForm {
    fn salvati(s: &Scheda) -> Option<Self> {
        s.fondi.as_ref().and_then(|f| f.monitoraggio.clone())
    }

    /// A monitoring starts with one entry per planned intervention.
    fn completa(s: &Scheda, mut m: Self) -> Self {
        if m.voci.is_empty() {
            m.voci = s
                .fondi
                .as_ref()
                .map(|f| {
                    f.contesto
                        .piano
                        .interventi
                        .iter()
                        .map(|p| MonitoraggioVoceForm {
                            intervento: p.id.clone(),
                            ..Default::default()
                        })
                        .collect()
                })
                .unwrap_or_default();
        }
        m
    }
}

/// The form of a funds campaign, by its kind.
#[component]
pub(super) fn SchedaFondi(c: Caricata) -> Element {
    match (c.corrente)().map(|s| s.tipo) {
        Some(TipoCampagna::Monitoraggio) => {
            rsx! { super::monitoraggio::SchedaMonitoraggio { c } }
        }
        _ => rsx! { super::interventi::SchedaInterventi { c } },
    }
}

/// The context the rules read (allocation, registry, reference date, plan sent).
pub(super) fn contesto(s: &Scheda) -> Contesto {
    s.fondi
        .as_ref()
        .map(|f| f.contesto.clone())
        .unwrap_or_default()
}

/// The rules' findings split for the page: the error per field, the warnings, the errors on
/// the whole form.
pub(super) struct Rilievi {
    pub errori: HashMap<String, String>,
    pub avvisi: Vec<Rilievo>,
    pub generali: Vec<String>,
}

impl Rilievi {
    pub fn da(rilievi: &[Rilievo]) -> Self {
        Rilievi {
            errori: rilievi
                .iter()
                .filter(|r| r.gravita == Gravita::Errore)
                .rev()
                .map(|r| (r.campo.clone(), r.messaggio.clone()))
                .collect(),
            avvisi: rilievi
                .iter()
                .filter(|r| r.gravita == Gravita::Avviso)
                .cloned()
                .collect(),
            generali: rilievi
                .iter()
                .filter(|r| {
                    r.gravita == Gravita::Errore && (r.campo == "voci" || r.campo == "interventi")
                })
                .map(|r| r.messaggio.clone())
                .collect(),
        }
    }
}

/// The Region's comments on field `campo` of `s`.
pub(super) fn commenti(s: &Scheda) -> HashMap<String, String> {
    s.commenti
        .iter()
        .map(|c| (c.campo.clone(), c.testo.clone()))
        .collect()
}

/// Title, state and notices, the Region's comments on the whole form, the receipt, the
/// allocation with what is planned (or committed) per fund, and the declaration.
pub(super) fn intestazione(
    m: ModuloScheda,
    s: &Scheda,
    totali: &TotaliFondi,
    generali: &[String],
) -> Element {
    let e_monitoraggio = s.tipo == TipoCampagna::Monitoraggio;
    let assegnato = contesto(s).assegnato;
    let sezione_commenti: Vec<Commento> = s
        .commenti
        .iter()
        .filter(|c| !c.campo.contains('[') || c.campo.is_empty())
        .cloned()
        .collect();
    rsx! {
        document::Title { "Scheda — Servizi 0-6" }
        Briciole { voci: vec![("Rilevazioni".to_string(), Route::Rilevazioni {})], pagina: "Scheda" }
        h1 { class: "h2 my-2", "{s.tipo.label()} — {s.comune.nome}" }
        {super::avvisi(m, s)}
        if s.stato == StatoScheda::Restituita || !sezione_commenti.is_empty() {
            for c in sezione_commenti.iter() {
                div { class: "alert alert-warning commento-regione", role: "note", "Commento della Regione: {c.testo}" }
            }
        }
        if let Some(r) = &s.ricevuta {
            p { id: "ricevuta", class: "fw-semibold", "Ricevuta n. {r.numero} del {data_ora_estesa(r.quando)}." }
        }
        dl { class: "row", id: "assegnato",
            for f in Fonte::ALL.iter() {
                div { key: "{f.code()}", class: "col-12 row",
                    dt { class: "col-sm-6", "{f.label()}" }
                    dd { class: "col-sm-6",
                        "assegnati € {assegnato.di(*f).testo()}; "
                        if e_monitoraggio { "impegnati € {totali.impegnato.di(*f).testo()}" } else { "previsti € {totali.previsto.di(*f).testo()}" }
                    }
                }
            }
        }
        {super::dichiarazione(m, s)}
        if s.dichiarazione.is_some() && !generali.is_empty() {
            div { id: "errori-generali", class: "alert alert-danger", role: "alert",
                ul { class: "mb-0", for g in generali.iter() { li { key: "{g}", "{g}" } } }
            }
        }
    }
}

/// The request for funded services not reached for reasons other than ceasing or suspension:
/// it replaces the e-mail to the Region and blocks the form until the Region checks it.
#[component]
pub(super) fn SegnalaServizi(scheda: Scheda, onfatta: EventHandler<Scheda>) -> Element {
    let mut aperta = use_signal(|| false);
    let mut f = use_signal(shared::campagna::Segnalazione::default);
    let mut errori = use_signal(HashMap::<String, String>::new);
    let mut messaggio = use_signal(|| None::<String>);
    let mut in_corso = use_signal(|| false);
    let (campagna, comune) = (scheda.campagna.clone(), scheda.comune.codice.clone());
    let invia = move |_| {
        let (campagna, comune) = (campagna.clone(), comune.clone());
        async move {
            let g = f();
            if let Err(e) = g.controlla() {
                errori.set(
                    e.fields()
                        .iter()
                        .map(|x| (x.field.clone(), x.message.clone()))
                        .collect(),
                );
                return;
            }
            in_corso.set(true);
            let r = crate::api::campagne::segnala_servizi(
                campagna,
                comune,
                g.servizio,
                g.indirizzo,
                g.titolare,
                g.motivo,
            )
            .await;
            in_corso.set(false);
            match r {
                Ok(n) => {
                    aperta.set(false);
                    onfatta.call(n);
                }
                Err(e) => messaggio.set(Some(e.0.message())),
            }
        }
    };
    let e = errori();
    rsx! {
        section { class: "mb-4",
            button { id: "apri-segnalazione", class: "btn btn-outline-secondary btn-sm", onclick: move |_| aperta.toggle(),
                "Servizi finanziati non raggiunti (per motivi diversi da cessazione o sospensione)?" }
            if aperta() {
                div { id: "segnalazione", class: "card card-bg mt-2",
                    div { class: "card-body",
                        p { class: "small", "La segnalazione sostituisce l'e-mail alla Regione. La scheda resta bloccata finché un funzionario regionale non la verifica e la sblocca." }
                        Campo { id: "segn-servizio", etichetta: "Denominazione del servizio", valore: f().servizio, errore: e.get("servizio").cloned(),
                            oninput: move |v: String| f.with_mut(|g| g.servizio = v) }
                        Campo { id: "segn-indirizzo", etichetta: "Indirizzo", valore: f().indirizzo, errore: e.get("indirizzo").cloned(),
                            oninput: move |v: String| f.with_mut(|g| g.indirizzo = v) }
                        Campo { id: "segn-titolare", etichetta: "Titolare", valore: f().titolare, errore: e.get("titolare").cloned(),
                            oninput: move |v: String| f.with_mut(|g| g.titolare = v) }
                        Campo { id: "segn-motivo", etichetta: "Motivo", valore: f().motivo, errore: e.get("motivo").cloned(),
                            oninput: move |v: String| f.with_mut(|g| g.motivo = v) }
                        if let Some(m) = messaggio() { div { class: "alert alert-danger", role: "alert", "{m}" } }
                        button { id: "invia-segnalazione", class: "btn btn-primary btn-sm", disabled: in_corso(), onclick: invia, "Invia la segnalazione" }
                    }
                }
            }
        }
    }
}
