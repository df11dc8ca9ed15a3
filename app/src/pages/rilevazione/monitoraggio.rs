//! The monitoring of the interventions at the reference date: for each planned intervention
//! (or one not in the plan, with its reason) the amounts committed and paid, the act, the
//! progress; and the request for funded services not reached.

use super::fondi::{commenti, contesto, intestazione, Rilievi, SegnalaServizi};
use crate::components::field::{Campo, Scelta};
use crate::offline::scheda::{use_modulo_scheda, Caricata};
use dioxus::prelude::*;
use shared::campagna::{Scheda, StatoScheda};
use shared::fondi::{controlla_monitoraggio, Avanzamento, MonitoraggioForm};

#[component]
pub(super) fn SchedaMonitoraggio(c: Caricata) -> Element {
    let (m, mut form) = use_modulo_scheda::<MonitoraggioForm>(c);
    let Some(s) = (c.corrente)() else {
        return rsx! {};
    };
    let contesto = contesto(&s);
    let (rilievi, totali) = controlla_monitoraggio(&form.read(), &contesto);
    let r = Rilievi::da(&rilievi);
    let puo_inviare = r.errori.is_empty();
    let commenti = commenti(&s);
    let modificabile = m.modificabile(&s);
    let errori = r.errori.clone();
    let err = move |campo: String| errori.get(&campo).cloned();
    let com = move |campo: String| commenti.get(&campo).cloned();

    rsx! {
        {intestazione(m, &s, &totali, &r.generali)}
        if s.dichiarazione.is_some() {
            for (i, v) in form().voci.iter().enumerate() {
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
                                    oninput: move |x: String| form.with_mut(|m| {
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
                                onchange: move |x: String| form.with_mut(|m| m.voci[i].avanzamento = x) }
                        }
                    }
                }
            }
        }
        {super::pulsanti(m, &s, puo_inviare)}
        if s.ricevuta.is_none() && s.stato != StatoScheda::Accettata {
            SegnalaServizi { scheda: s.clone(), onfatta: move |n: Scheda| m.aggiornata(n,
                "Segnalazione inviata: la scheda resta bloccata finché la Regione non la verifica.") }
        }
        if !s.segnalazioni.is_empty() {
            section { id: "segnalazioni-inviate", class: "mb-4",
                h2 { class: "h6", "Segnalazioni di servizi non raggiunti" }
                ul { for g in s.segnalazioni.iter() { li { key: "{g.servizio}{g.motivo}", "{g.servizio} ({g.indirizzo}; {g.titolare}): {g.motivo}" } } }
            }
        }
    }
}
