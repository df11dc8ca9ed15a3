//! Every eligible comune's form in a campaign, filterable, and the Region's actions on one
//! comune's form: block, unlock, reopen, its own later deadline.

use super::*;

/// Every eligible comune's form, filterable; "Gestisci" opens the actions on one comune.
#[component]
pub(super) fn QuadroSchede(
    id: String,
    righe: Resource<Result<Vec<shared::campagna::SchedaRiga>, AppError>>,
    onmodificata: EventHandler<()>,
) -> Element {
    let mut filtro_stato = use_signal(String::new);
    let mut filtro_nome = use_signal(String::new);
    let mut scelto = use_signal(|| None::<String>);
    let idratata = use_context::<Idratata>().0;
    rsx! {
        h2 { class: "h4 mt-4", "Schede dei comuni" }
        match &*righe.read() {
            None => rsx! { Caricamento {} },
            Some(Err(e)) => rsx! { div { class: "alert alert-danger", role: "alert", id: "errore-quadro", "{e}" } },
            Some(Ok(tutte)) => {
                let conta = |st: StatoScheda| tutte.iter().filter(|r| r.stato == st).count();
                let nome = filtro_nome().to_lowercase();
                let visibili: Vec<_> = tutte
                    .iter()
                    .filter(|r| filtro_stato().is_empty() || r.stato.code() == filtro_stato())
                    .filter(|r| nome.is_empty() || r.comune.nome.to_lowercase().contains(&nome))
                    .take(200)
                    .cloned()
                    .collect();
                rsx! {
                    p { id: "conteggi-schede",
                        "{tutte.len()} comuni: {conta(StatoScheda::Inviata)} inviate, {conta(StatoScheda::Bozza)} in bozza, "
                        "{conta(StatoScheda::Bloccata)} bloccate, {conta(StatoScheda::NonIniziata)} non iniziate."
                    }
                    div { class: "row g-2",
                        div { class: "col-6 col-md-3",
                            Scelta { id: "filtro-stato-scheda", etichetta: "Stato", valore: filtro_stato(),
                                opzioni: StatoScheda::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect::<Vec<_>>(),
                                errore: None, onchange: move |v: String| filtro_stato.set(v) }
                        }
                        div { class: "col-6 col-md-4",
                            Campo { id: "filtro-nome-comune", etichetta: "Comune", valore: filtro_nome(), errore: None,
                                oninput: move |v: String| filtro_nome.set(v) }
                        }
                    }
                    if let Some(codice) = scelto() {
                        GestioneScheda { key: "{codice}", id: id.clone(), codice: codice.clone(),
                            onchiudi: move |_| scelto.set(None),
                            onmodificata: move |_| onmodificata.call(()) }
                    }
                    div { class: "table-responsive",
                        table { class: "table table-sm align-middle tabella-schede", id: "quadro-schede",
                            thead { tr { th { "Comune" } th { "Stato" } th { "Ricevuta" } th { "Blocco" } th { span { class: "visually-hidden", "Azioni" } } } }
                            tbody {
                                for r in visibili.iter() {
                                    tr { key: "{r.comune.codice}",
                                        td { class: "fw-semibold", "{r.comune.nome}" }
                                        td { "data-etichetta": "Stato", "{r.stato.label()}" }
                                        td { "data-etichetta": "Ricevuta", {r.ricevuta.map(|n| format!("n. {n}")).unwrap_or_else(|| "—".into())} }
                                        td { "data-etichetta": "Blocco", {r.blocco.clone().unwrap_or_else(|| "—".into())} }
                                        td {
                                            button { id: "gestisci-{r.comune.codice}", class: "btn btn-link btn-sm p-0", disabled: !idratata(),
                                                "aria-label": "Gestisci la scheda di {r.comune.nome}",
                                                onclick: { let codice = r.comune.codice.clone(); move |_| scelto.set(Some(codice.clone())) },
                                                "Gestisci" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    if visibili.len() == 200 { p { class: "text-muted", "Mostrati i primi 200: restringi con i filtri." } }
                }
            }
        }
    }
}

/// One comune's form, for the Region: its state, and block, unlock, reopen, own deadline.
#[component]
pub(super) fn GestioneScheda(
    id: String,
    codice: String,
    onchiudi: EventHandler<()>,
    onmodificata: EventHandler<()>,
) -> Element {
    let id = use_signal(|| id);
    let codice = use_signal(|| codice);
    let mut s = use_resource(move || async move { scheda(id(), codice()).await });
    let mut motivo = use_signal(String::new);
    let mut chiusura = use_signal(String::new);
    let mut esito = use_signal(|| None::<(bool, String)>);
    let mut in_corso = use_signal(|| false);
    let mut conferma_riapri = use_signal(|| false);
    let idratata = use_context::<Idratata>().0;
    // One action: `azione` 0 block, 1 unlock, 2 reopen, 3 own deadline.
    let esegui = move |azione: u8| async move {
        in_corso.set(true);
        let r = match azione {
            0 => blocca_scheda(id(), codice(), motivo()).await,
            1 => sblocca_scheda(id(), codice(), motivo()).await,
            2 => riapri_scheda(id(), codice(), motivo()).await,
            _ => proroga_scheda(id(), codice(), chiusura(), motivo()).await,
        };
        in_corso.set(false);
        match r {
            Ok(nuova) => {
                let fatto = [
                    "Scheda bloccata.",
                    "Scheda sbloccata.",
                    "Scheda riaperta.",
                    "Termine del comune prorogato.",
                ];
                esito.set(Some((
                    true,
                    format!("{} {}", fatto[usize::from(azione.min(3))], nuova.messaggio),
                )));
                motivo.set(String::new());
                chiusura.set(String::new());
                s.restart();
                onmodificata.call(());
            }
            Err(e) => esito.set(Some((false, messaggio(e)))),
        }
    };
    let pronto = idratata() && !in_corso();
    rsx! {
        section { id: "gestione-scheda", class: "card card-bg mb-4", "aria-live": "polite",
            div { class: "card-body",
                match &*s.read() {
                    None => rsx! { Caricamento {} },
                    Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| s.restart() } },
                    Some(Ok(sc)) => rsx! {
                        h3 { class: "h5", "Scheda di {sc.comune.nome}" }
                        Conferma { id: "conferma-riapri", aperta: conferma_riapri, ritorno: "riapri-scheda",
                            titolo: "Riaprire la scheda inviata?",
                            testo: "La ricevuta dell'invio sarà annullata (resta nel registro delle operazioni): il comune dovrà correggere e inviare di nuovo la scheda.",
                            etichetta: "Riapri", pericolosa: true, onconferma: move |_| esegui(2) }
                        p { id: "gestione-stato", class: "mb-1", "{sc.stato.label()}: {sc.messaggio}" }
                        p { class: "small",
                            "Termine per il comune: {data_ora_estesa(sc.chiusura)}"
                            if let Some(p) = &sc.proroga_comune { " (proroga del comune: {p.motivo})" }
                        }
                        if let Some((ok, t)) = esito() {
                            div { id: "esito-gestione", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: "alert", "{t}" }
                        }
                        Campo { id: "gestione-motivo", etichetta: "Motivo (obbligatorio)", valore: motivo(), errore: None,
                            oninput: move |v: String| motivo.set(v) }
                        p { class: "small text-muted mt-n3", "Il motivo resta nel registro delle operazioni." }
                        div { class: "d-flex flex-wrap gap-2 mb-3",
                            if sc.ricevuta.is_some() {
                                button { id: "riapri-scheda", class: "btn btn-outline-primary btn-sm", disabled: !pronto, onclick: move |_| conferma_riapri.set(true), "Riapri la scheda inviata" }
                            } else if sc.blocco.is_some() {
                                button { id: "sblocca-scheda", class: "btn btn-primary btn-sm", disabled: !pronto, onclick: move |_| esegui(1), "Sblocca" }
                            } else {
                                button { id: "blocca-scheda", class: "btn btn-outline-danger btn-sm", disabled: !pronto, onclick: move |_| esegui(0), "Blocca" }
                            }
                        }
                        if sc.ricevuta.is_none() {
                            div { class: "row g-2 align-items-end mt-4",
                                div { class: "col-12 col-md-6",
                                    Campo { id: "gestione-chiusura", etichetta: "Termine del comune (gg/mm/aaaa hh:mm)", valore: chiusura(), errore: None,
                                        oninput: move |v: String| chiusura.set(v) }
                                }
                                div { class: "col-12 col-md-6 mb-4",
                                    button { id: "proroga-comune", class: "btn btn-outline-primary btn-sm", disabled: !pronto, onclick: move |_| esegui(3), "Proroga per questo comune" }
                                }
                            }
                        }
                        if sc.stato == StatoScheda::Inviata {
                            Revisione { id: id(), codice: codice(), invii: sc.invii.clone(),
                                onfatta: move |m: String| {
                                    esito.set(Some((true, m)));
                                    s.restart();
                                    onmodificata.call(());
                                },
                                onerrore: move |m: String| esito.set(Some((false, m))) }
                        }
                        button { id: "chiudi-gestione", class: "btn btn-link btn-sm", onclick: move |_| onchiudi.call(()), "Chiudi" }
                    },
                }
            }
        }
    }
}
