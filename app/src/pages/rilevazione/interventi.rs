//! The plan of interventions: each intervention's line, fund, description, amount, dates and
//! services, checked against the allocation as it is typed.

use super::fondi::{commenti, contesto, intestazione, Rilievi};
use crate::components::field::{Campo, Scelta};
use crate::offline::scheda::{use_modulo_scheda, Caricata};
use dioxus::prelude::*;
use shared::fondi::{controlla_interventi, Fonte, InterventiForm, InterventoForm, Linea};

#[component]
pub(super) fn SchedaInterventi(c: Caricata) -> Element {
    let (m, mut form) = use_modulo_scheda::<InterventiForm>(c);
    let Some(s) = (c.corrente)() else {
        return rsx! {};
    };
    let contesto = contesto(&s);
    let (rilievi, totali) = controlla_interventi(&form.read(), &contesto);
    let r = Rilievi::da(&rilievi);
    let puo_inviare = r.errori.is_empty();
    let commenti = commenti(&s);
    let modificabile = m.modificabile(&s);
    let avvisi = r.avvisi.clone();
    let errori = r.errori.clone();
    let nota_errore = errori.get("nota_residuo").cloned();
    let err = move |campo: String| errori.get(&campo).cloned();
    let com = move |campo: String| commenti.get(&campo).cloned();

    rsx! {
        {intestazione(m, &s, &totali, &r.generali)}
        if s.dichiarazione.is_some() {
            for (i, x) in form().interventi.iter().enumerate() {
                fieldset { key: "{x.id}", class: "border rounded p-3 mb-3",
                    legend { class: "h6 float-none w-auto px-2", "Intervento {i + 1}" }
                    div { class: "row g-2",
                        div { class: "col-12 col-md-6",
                            Scelta { id: format!("i{i}-linea"), etichetta: "Linea (D.Lgs. 65/2017 art. 8)", valore: x.linea.clone(), disabilitato: !modificabile,
                                opzioni: Linea::ALL.iter().map(|l| (l.code().to_owned(), l.label().to_owned())).collect::<Vec<_>>(),
                                errore: err(format!("interventi[{i}].linea")),
                                onchange: move |v: String| form.with_mut(|f| f.interventi[i].linea = v) }
                        }
                        div { class: "col-12 col-md-6",
                            Scelta { id: format!("i{i}-fonte"), etichetta: "Fondo", valore: x.fonte.clone(), disabilitato: !modificabile,
                                opzioni: Fonte::ALL.iter().map(|l| (l.code().to_owned(), l.label().to_owned())).collect::<Vec<_>>(),
                                errore: err(format!("interventi[{i}].fonte")),
                                onchange: move |v: String| form.with_mut(|f| f.interventi[i].fonte = v) }
                        }
                        for (nome, etichetta, modo) in [("descrizione", "Descrizione", ""), ("importo_previsto", "Importo previsto (€)", "decimal"), ("inizio", "Inizio (gg/mm/aaaa)", "numeric"), ("fine", "Fine (gg/mm/aaaa)", "numeric")] {
                            div { key: "{nome}", class: if nome == "descrizione" { "col-12" } else { "col-12 col-md-4" },
                                Campo { id: format!("i{i}-{nome}"), etichetta: etichetta, inputmode: modo, disabilitato: !modificabile,
                                    valore: match nome { "descrizione" => x.descrizione.clone(), "importo_previsto" => x.importo_previsto.clone(), "inizio" => x.inizio.clone(), _ => x.fine.clone() },
                                    errore: err(format!("interventi[{i}].{nome}")),
                                    oninput: move |v: String| form.with_mut(|f| {
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
                                        onchange: { let sid = serv.id.clone(); move |e: FormEvent| { let on = e.checked(); let sid = sid.clone(); form.with_mut(|f| {
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
                    if modificabile && form().interventi.len() > 1 {
                        button { class: "btn btn-outline-danger btn-sm mt-2", onclick: move |_| { form.with_mut(|f| { f.interventi.remove(i); }); }, "Togli l'intervento" }
                    }
                }
            }
            if modificabile {
                button { id: "aggiungi-intervento", class: "btn btn-outline-primary mb-3",
                    onclick: move |_| form.with_mut(|f| {
                        let n = (1..).find(|n| !f.interventi.iter().any(|x| x.id == format!("i{n}"))).unwrap_or(1);
                        f.interventi.push(InterventoForm { id: format!("i{n}"), ..Default::default() });
                    }),
                    "Aggiungi un intervento" }
            }
            if !avvisi.is_empty() {
                div { id: "avvisi", class: "alert alert-warning", role: "alert",
                    ul { class: "mb-2", for a in avvisi.iter() { li { key: "{a.messaggio}", "{a.messaggio}" } } }
                    // A label above the field, not floating into it: at 360 px it takes two
                    // lines, and a floating label would cover the warnings above.
                    label { r#for: "nota_residuo", class: "form-label", "Nota: a cosa è destinata la parte non programmata" }
                    textarea { id: "nota_residuo", rows: "2", disabled: !modificabile,
                        class: if nota_errore.is_some() { "form-control is-invalid" } else { "form-control" },
                        "aria-invalid": "{nota_errore.is_some()}", "aria-describedby": "nota_residuo-errore",
                        value: "{form().nota_residuo}",
                        oninput: move |e| form.with_mut(|f| f.nota_residuo = e.value()) }
                    if let Some(e) = nota_errore.clone() {
                        div { id: "nota_residuo-errore", class: "invalid-feedback d-block", "{e}" }
                    }
                }
            }
        }
        {super::pulsanti(m, &s, puo_inviare)}
    }
}
