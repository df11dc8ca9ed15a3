//! The Region's review of a sent form: the changes since the previous version, then accept
//! it or return it with a comment.

use super::*;

/// The Region's review of a sent form: what changed since the previous version, then accept it
/// or return it with a comment on a field or section.
#[component]
pub(super) fn Revisione(
    id: String,
    codice: String,
    invii: Vec<shared::campagna::Invio>,
    onfatta: EventHandler<String>,
    onerrore: EventHandler<String>,
) -> Element {
    let mut campo = use_signal(String::new);
    let mut testo = use_signal(String::new);
    let mut conferma_accetta = use_signal(|| false);
    let mut in_corso = use_signal(|| false);
    let differenze = match invii.as_slice() {
        [.., prima, ultima] => Some(shared::campagna::differenze_json(&prima.dati, &ultima.dati)),
        _ => None,
    };
    let (id2, codice2) = (id.clone(), codice.clone());
    let accetta = move |_: ()| {
        let (id, codice) = (id.clone(), codice.clone());
        async move {
            in_corso.set(true);
            let r = crate::api::campagne::accetta_scheda(id, codice).await;
            in_corso.set(false);
            match r {
                Ok(_) => onfatta.call("Scheda accettata.".into()),
                Err(e) => onerrore.call(e.0.message()),
            }
        }
    };
    let restituisci = move |_| {
        let (id, codice) = (id2.clone(), codice2.clone());
        async move {
            in_corso.set(true);
            let commenti = vec![shared::campagna::Commento {
                campo: campo(),
                testo: testo(),
            }];
            let r = crate::api::campagne::restituisci_scheda(id, codice, commenti).await;
            in_corso.set(false);
            match r {
                Ok(_) => {
                    campo.set(String::new());
                    testo.set(String::new());
                    onfatta.call("Scheda restituita al comune per correzioni.".into());
                }
                Err(e) => onerrore.call(e.0.message()),
            }
        }
    };
    rsx! {
        section { id: "revisione", class: "border-top pt-3 mb-3",
            h4 { class: "h6", "Esame della scheda inviata" }
            if let Some(d) = differenze {
                div { id: "differenze-invii",
                    p { class: "small mb-1", "Cambiato rispetto all'invio precedente:" }
                    if d.is_empty() { p { class: "small", "nessuna differenza." } }
                    ul { class: "small",
                        for (via, prima, dopo) in d.iter() {
                            li { key: "{via}", "{via}: «{prima}» → «{dopo}»" }
                        }
                    }
                }
            }
            button { id: "accetta-scheda", class: "btn btn-primary btn-sm mb-3", disabled: in_corso(), onclick: move |_| conferma_accetta.set(true), "Accetta" }
            Conferma { id: "conferma-accetta", aperta: conferma_accetta, ritorno: "accetta-scheda",
                titolo: "Accettare la scheda?",
                testo: "L'accettazione è definitiva: la scheda non potrà più essere restituita al comune né riaperta.",
                etichetta: "Accetta", onconferma: accetta }
            Campo { id: "commento-campo", etichetta: "Campo o sezione (es. voci[0].impegnato; vuoto: tutta la scheda)", valore: campo(), errore: None,
                oninput: move |v: String| campo.set(v) }
            Campo { id: "commento-testo", etichetta: "Commento per il comune", valore: testo(), errore: None,
                oninput: move |v: String| testo.set(v) }
            button { id: "restituisci-scheda", class: "btn btn-outline-danger btn-sm", disabled: in_corso(), onclick: restituisci, "Restituisci per correzioni" }
        }
    }
}
