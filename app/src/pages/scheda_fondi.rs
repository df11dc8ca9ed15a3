//! A comune's funds forms on `/rilevazioni/{id}`: the planned interventions (`interventi`) and
//! their monitoring (`monitoraggio`). The money rules run on every keystroke against the data
//! loaded with the form (allocation, registry, plan sent), the same rules the server runs when
//! it saves and sends. The Region's comments on a returned form sit next to their fields.

use crate::api::campagne::{invia_scheda, salva_scheda};
use crate::components::conferma::Conferma;
use crate::components::field::{Campo, Scelta};
use crate::components::navigazione::Briciole;
use crate::components::shell::Idratata;
use crate::Route;
use dioxus::prelude::*;
use shared::campagna::{data_ora_estesa, TipoCampagna};
use shared::campagna_regole::{Commento, Scheda, StatoScheda};
use shared::fondi::{
    controlla_interventi, controlla_monitoraggio, Avanzamento, Contesto, Fonte, InterventiForm,
    InterventoForm, Linea, MonitoraggioForm, MonitoraggioVoceForm,
};
use shared::frequentanti::{Gravita, Rilievo};
use std::collections::HashMap;

/// The monitoring as first shown: one entry per planned intervention.
fn monitoraggio_iniziale(s: &Scheda) -> MonitoraggioForm {
    let f = s.fondi.as_ref();
    if let Some(m) = f.and_then(|f| f.monitoraggio.clone()) {
        return m;
    }
    MonitoraggioForm {
        voci: f
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
            .unwrap_or_default(),
    }
}

fn interventi_iniziali(s: &Scheda) -> InterventiForm {
    s.fondi
        .as_ref()
        .and_then(|f| f.interventi.clone())
        .unwrap_or_else(|| InterventiForm {
            interventi: vec![InterventoForm {
                id: "i1".into(),
                ..Default::default()
            }],
            nota_residuo: String::new(),
        })
}

/// The form of a funds campaign, from the form as loaded.
#[component]
pub fn SchedaFondi(scheda: Scheda) -> Element {
    let iniziale = scheda.clone();
    let mut corrente = use_signal(|| iniziale.clone());
    let mut interventi = use_signal(|| interventi_iniziali(&iniziale));
    let mut monitoraggio = use_signal(|| monitoraggio_iniziale(&iniziale));
    let mut esito = use_signal(|| None::<(bool, String)>);
    let mut in_corso = use_signal(|| false);
    let mut conferma_invio = use_signal(|| false);
    let idratata = use_context::<Idratata>().0;
    let s = corrente();
    let contesto: Contesto = s
        .fondi
        .as_ref()
        .map(|f| f.contesto.clone())
        .unwrap_or_default();
    let e_monitoraggio = s.tipo == TipoCampagna::Monitoraggio;
    let (rilievi, totali) = if e_monitoraggio {
        controlla_monitoraggio(&monitoraggio.read(), &contesto)
    } else {
        controlla_interventi(&interventi.read(), &contesto)
    };
    let errori: HashMap<String, String> = rilievi
        .iter()
        .filter(|r| r.gravita == Gravita::Errore)
        .rev()
        .map(|r| (r.campo.clone(), r.messaggio.clone()))
        .collect();
    let avvisi: Vec<Rilievo> = rilievi
        .iter()
        .filter(|r| r.gravita == Gravita::Avviso)
        .cloned()
        .collect();
    let generali: Vec<String> = rilievi
        .iter()
        .filter(|r| r.gravita == Gravita::Errore && (r.campo == "voci" || r.campo == "interventi"))
        .map(|r| r.messaggio.clone())
        .collect();
    let commenti: HashMap<String, String> = s
        .commenti
        .iter()
        .map(|c| (c.campo.clone(), c.testo.clone()))
        .collect();
    let modificabile = s.compilabile && s.dichiarazione.is_some();
    let puo_inviare = errori.is_empty();
    let dichiarata = s.dichiarazione.is_some();
    let err = move |campo: String| errori.get(&campo).cloned();
    let com = move |campo: String| commenti.get(&campo).cloned();

    let ricarica = move || async move {
        let c = corrente.peek().clone();
        if let Ok(n) =
            crate::api::campagne::scheda(c.campagna.clone(), c.comune.codice.clone()).await
        {
            corrente.set(n);
        }
    };
    let salva = move |_| async move {
        let c = corrente();
        let dati = if c.tipo == TipoCampagna::Monitoraggio {
            serde_json::to_value(monitoraggio()).unwrap_or_default()
        } else {
            serde_json::to_value(interventi()).unwrap_or_default()
        };
        in_corso.set(true);
        let r = salva_scheda(
            c.campagna.clone(),
            c.comune.codice.clone(),
            c.versione,
            dati,
            Some(crate::offline::nuova_chiave()),
        )
        .await;
        in_corso.set(false);
        match r {
            Ok(n) => {
                corrente.set(n);
                esito.set(Some((true, "Bozza salvata.".into())));
            }
            Err(e) => esito.set(Some((false, e.0.message()))),
        }
    };
    let invia = move |_: ()| async move {
        let c = corrente();
        in_corso.set(true);
        let r = invia_scheda(
            c.campagna.clone(),
            c.comune.codice.clone(),
            Some(crate::offline::nuova_chiave()),
        )
        .await;
        in_corso.set(false);
        match r {
            Ok(ric) => {
                esito.set(Some((
                    true,
                    format!("Scheda inviata: ricevuta n. {}.", ric.numero),
                )));
                ricarica().await;
            }
            Err(e) => esito.set(Some((false, e.0.message()))),
        }
    };
    let salvata = if e_monitoraggio {
        s.fondi.as_ref().and_then(|f| f.monitoraggio.as_ref()) == Some(&monitoraggio())
    } else {
        s.fondi.as_ref().and_then(|f| f.interventi.as_ref()) == Some(&interventi())
    };
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
        div { id: "stato-scheda", class: if s.compilabile { "alert alert-info" } else { "alert alert-warning" }, role: "status",
            p { class: "mb-1", id: "stato-scheda-messaggio", "{s.messaggio}" }
            p { class: "mb-0 small", "Stato: {s.stato.label()} · termine: {data_ora_estesa(s.chiusura)}" }
        }
        if let Some((ok, t)) = esito() {
            div { id: "esito-scheda", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: "alert", "{t}" }
        }
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
                        "assegnati € {contesto.assegnato.di(*f).testo()}; "
                        if e_monitoraggio { "impegnati € {totali.impegnato.di(*f).testo()}" } else { "previsti € {totali.previsto.di(*f).testo()}" }
                    }
                }
            }
        }
        if s.compilabile && !dichiarata {
            crate::components::dichiarazione::Dichiarazione {
                scheda: s.clone(),
                onconfermata: move |n: Scheda| {
                    corrente.set(n);
                    esito.set(Some((true, "Dichiarazione confermata: ora puoi compilare la scheda.".into())));
                },
                onerrore: move |m: String| esito.set(Some((false, m))),
            }
        }
        if dichiarata {
            if !generali.is_empty() {
                div { id: "errori-generali", class: "alert alert-danger", role: "alert",
                    ul { class: "mb-0", for g in generali.iter() { li { key: "{g}", "{g}" } } }
                }
            }
            if e_monitoraggio {
                for (i, v) in monitoraggio().voci.iter().enumerate() {
                    fieldset { key: "{v.intervento}", class: "border rounded p-3 mb-3",
                        legend { class: "h6 float-none w-auto px-2",
                            {contesto.piano.interventi.iter().find(|p| p.id == v.intervento)
                                .map(|p| format!("{} — previsti € {}", p.descrizione, shared::denaro::Importo::parse(&p.importo_previsto).unwrap_or_default().testo()))
                                .unwrap_or_else(|| v.descrizione.clone())}
                        }
                        div { class: "row g-2",
                            for (nome, etichetta, modo) in [("impegnato", "Impegnato (€)", "decimal"), ("atto_numero", "Atto di impegno: numero", ""), ("atto_data", "Atto: data (gg/mm/aaaa)", "numeric"), ("liquidato", "Liquidato (€)", "decimal"), ("non_utilizzato", "Non utilizzato (€)", "decimal"), ("motivo_non_utilizzato", "Motivo del non utilizzato", "")] {
                                div { key: "{nome}", class: "col-12 col-md-4",
                                    Campo { id: format!("v{i}-{nome}"), etichetta: etichetta, inputmode: modo, disabilitato: !modificabile,
                                        valore: match nome { "impegnato" => v.impegnato.clone(), "atto_numero" => v.atto_numero.clone(), "atto_data" => v.atto_data.clone(), "liquidato" => v.liquidato.clone(), "non_utilizzato" => v.non_utilizzato.clone(), _ => v.motivo_non_utilizzato.clone() },
                                        errore: err(format!("voci[{i}].{nome}")),
                                        oninput: move |x: String| monitoraggio.with_mut(|m| {
                                            let v = &mut m.voci[i];
                                            match nome { "impegnato" => v.impegnato = x, "atto_numero" => v.atto_numero = x, "atto_data" => v.atto_data = x, "liquidato" => v.liquidato = x, "non_utilizzato" => v.non_utilizzato = x, _ => v.motivo_non_utilizzato = x }
                                        }) }
                                    if let Some(c) = com(format!("voci[{i}].{nome}")) {
                                        div { id: "commento-v{i}-{nome}", class: "alert alert-warning py-1 px-2 small commento-regione", role: "note", "Commento della Regione: {c}" }
                                    }
                                }
                            }
                            div { class: "col-12 col-md-4",
                                Scelta { id: format!("v{i}-avanzamento"), etichetta: "Stato di avanzamento", valore: v.avanzamento.clone(), disabilitato: !modificabile,
                                    opzioni: Avanzamento::ALL.iter().map(|a| (a.code().to_owned(), a.label().to_owned())).collect::<Vec<_>>(),
                                    errore: err(format!("voci[{i}].avanzamento")),
                                    onchange: move |x: String| monitoraggio.with_mut(|m| m.voci[i].avanzamento = x) }
                            }
                        }
                    }
                }
            } else {
                for (i, x) in interventi().interventi.iter().enumerate() {
                    fieldset { key: "{x.id}", class: "border rounded p-3 mb-3",
                        legend { class: "h6 float-none w-auto px-2", "Intervento {i + 1}" }
                        div { class: "row g-2",
                            div { class: "col-12 col-md-6",
                                Scelta { id: format!("i{i}-linea"), etichetta: "Linea (D.Lgs. 65/2017 art. 8)", valore: x.linea.clone(), disabilitato: !modificabile,
                                    opzioni: Linea::ALL.iter().map(|l| (l.code().to_owned(), l.label().to_owned())).collect::<Vec<_>>(),
                                    errore: err(format!("interventi[{i}].linea")),
                                    onchange: move |v: String| interventi.with_mut(|f| f.interventi[i].linea = v) }
                            }
                            div { class: "col-12 col-md-6",
                                Scelta { id: format!("i{i}-fonte"), etichetta: "Fondo", valore: x.fonte.clone(), disabilitato: !modificabile,
                                    opzioni: Fonte::ALL.iter().map(|l| (l.code().to_owned(), l.label().to_owned())).collect::<Vec<_>>(),
                                    errore: err(format!("interventi[{i}].fonte")),
                                    onchange: move |v: String| interventi.with_mut(|f| f.interventi[i].fonte = v) }
                            }
                            for (nome, etichetta, modo) in [("descrizione", "Descrizione", ""), ("importo_previsto", "Importo previsto (€)", "decimal"), ("inizio", "Inizio (gg/mm/aaaa)", "numeric"), ("fine", "Fine (gg/mm/aaaa)", "numeric")] {
                                div { key: "{nome}", class: if nome == "descrizione" { "col-12" } else { "col-12 col-md-4" },
                                    Campo { id: format!("i{i}-{nome}"), etichetta: etichetta, inputmode: modo, disabilitato: !modificabile,
                                        valore: match nome { "descrizione" => x.descrizione.clone(), "importo_previsto" => x.importo_previsto.clone(), "inizio" => x.inizio.clone(), _ => x.fine.clone() },
                                        errore: err(format!("interventi[{i}].{nome}")),
                                        oninput: move |v: String| interventi.with_mut(|f| {
                                            let x = &mut f.interventi[i];
                                            match nome { "descrizione" => x.descrizione = v, "importo_previsto" => x.importo_previsto = v, "inizio" => x.inizio = v, _ => x.fine = v }
                                        }) }
                                    if let Some(c) = com(format!("interventi[{i}].{nome}")) {
                                        div { class: "alert alert-warning py-1 px-2 small commento-regione", role: "note", "Commento della Regione: {c}" }
                                    }
                                }
                            }
                            fieldset { class: "col-12",
                                legend { class: "small fw-semibold", "Servizi interessati" }
                                for serv in contesto.servizi.iter() {
                                    div { key: "{serv.id}", class: "form-check",
                                        input { r#type: "checkbox", class: "form-check-input", id: "i{i}-s-{serv.id}", disabled: !modificabile,
                                            checked: x.servizi.contains(&serv.id),
                                            onchange: { let sid = serv.id.clone(); move |e: FormEvent| { let on = e.checked(); let sid = sid.clone(); interventi.with_mut(|f| {
                                                let l = &mut f.interventi[i].servizi;
                                                l.retain(|v| v != &sid);
                                                if on { l.push(sid); }
                                            }) } } }
                                        label { class: "form-check-label", r#for: "i{i}-s-{serv.id}", "{serv.denominazione}" }
                                    }
                                }
                                if let Some(m) = err(format!("interventi[{i}].servizi")) {
                                    div { class: "invalid-feedback d-block", "{m}" }
                                }
                            }
                        }
                        if modificabile && interventi().interventi.len() > 1 {
                            button { class: "btn btn-outline-danger btn-sm mt-2", onclick: move |_| { interventi.with_mut(|f| { f.interventi.remove(i); }); }, "Togli l'intervento" }
                        }
                    }
                }
                if modificabile {
                    button { id: "aggiungi-intervento", class: "btn btn-outline-primary mb-3",
                        onclick: move |_| interventi.with_mut(|f| {
                            let n = (1..).find(|n| !f.interventi.iter().any(|x| x.id == format!("i{n}"))).unwrap_or(1);
                            f.interventi.push(InterventoForm { id: format!("i{n}"), ..Default::default() });
                        }),
                        "Aggiungi un intervento" }
                }
                if !avvisi.is_empty() {
                    div { id: "avvisi", class: "alert alert-warning", role: "alert",
                        ul { class: "mb-2", for a in avvisi.iter() { li { key: "{a.messaggio}", "{a.messaggio}" } } }
                        Campo { id: "nota_residuo", etichetta: "Nota: a cosa è destinata la parte non programmata", valore: interventi().nota_residuo,
                            errore: err("nota_residuo".into()), disabilitato: !modificabile,
                            oninput: move |v: String| interventi.with_mut(|f| f.nota_residuo = v) }
                    }
                }
            }
            if modificabile {
                div { class: "d-flex flex-wrap gap-2 mb-4",
                    button { id: "salva-bozza", class: "btn btn-outline-primary", disabled: !idratata() || in_corso(), onclick: salva, "Salva bozza" }
                    button { id: "invia-scheda", class: "btn btn-primary", disabled: !idratata() || in_corso() || !puo_inviare || !salvata, onclick: move |_| conferma_invio.set(true), "Invia" }
                Conferma { id: "conferma-invio", aperta: conferma_invio, ritorno: "invia-scheda",
                    titolo: "Inviare la scheda alla Regione?",
                    testo: "Inviata, la scheda non si può più modificare: la ricevuta ne fissa i dati, e solo la Regione può riaprirla o restituirla per correzioni.",
                    etichetta: "Invia", onconferma: invia }
                    if !salvata { span { class: "align-self-center text-muted", "Salva la bozza prima di inviare." } }
                    if !puo_inviare { span { class: "align-self-center text-danger", "Correggi gli errori per poter inviare." } }
                }
            }
        }
        if e_monitoraggio && s.ricevuta.is_none() && s.stato != StatoScheda::Accettata {
            SegnalaServizi { scheda: s.clone(), onfatta: move |n: Scheda| {
                corrente.set(n);
                esito.set(Some((true, "Segnalazione inviata: la scheda resta bloccata finché la Regione non la verifica.".into())));
            } }
        }
        if !s.segnalazioni.is_empty() {
            section { id: "segnalazioni-inviate", class: "mb-4",
                h2 { class: "h6", "Segnalazioni di servizi non raggiunti" }
                ul { for g in s.segnalazioni.iter() { li { key: "{g.servizio}{g.motivo}", "{g.servizio} ({g.indirizzo}; {g.titolare}): {g.motivo}" } } }
            }
        }
    }
}

/// The request for funded services not reached for reasons other than ceasing or suspension:
/// it replaces the e-mail to the Region and blocks the form until the Region checks it.
#[component]
fn SegnalaServizi(scheda: Scheda, onfatta: EventHandler<Scheda>) -> Element {
    let mut aperta = use_signal(|| false);
    let mut f = use_signal(shared::campagna_regole::Segnalazione::default);
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
