//! The Region's side: the queue of requests (a decision per user) and the requests to
//! disable users.

use super::*;

/// The Region's queue of requests.
#[component]
pub(super) fn CodaRegione() -> Element {
    let mut provincia = use_signal(String::new);
    let mut stato = use_signal(|| "da_esaminare".to_owned());
    let mut filtro = use_signal(FiltroRichieste::default);
    let mut coda = use_resource(move || async move { coda_richieste(filtro()).await });
    let mut esito = use_signal(|| None::<(bool, String)>);
    let applica = move |evt: FormEvent| {
        evt.prevent_default();
        filtro.set(FiltroRichieste {
            provincia: provincia(),
            comune: String::new(),
            stato: stato(),
        });
    };
    rsx! {
        section { class: "mb-5", "aria-labelledby": "titolo-coda",
            h2 { id: "titolo-coda", class: "visually-hidden", "Coda delle richieste" }
            form { id: "filtri-coda", class: "row g-2 align-items-end mb-3", onsubmit: applica,
                div { class: "col-12 col-md-4",
                    Campo { id: "filtro-provincia", etichetta: "Provincia (sigla, es. TO)", valore: provincia(), errore: None,
                        oninput: move |v: String| provincia.set(v) }
                }
                div { class: "col-12 col-md-4",
                    Scelta { id: "filtro-stato", etichetta: "Richieste", valore: stato(),
                        opzioni: vec![("da_esaminare".into(), "Da esaminare".into()), ("tutte".into(), "Tutte".into())],
                        errore: None, onchange: move |v: String| stato.set(v) }
                }
                div { class: "col-12 col-md-4 mb-4", button { id: "applica-filtri-coda", r#type: "submit", class: "btn btn-primary w-100", "Filtra" } }
            }
            if let Some((ok, m)) = esito() {
                div { id: "esito-decisione", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: if ok { "status" } else { "alert" }, "{m}" }
            }
            match &*coda.read() {
                None => rsx! { Caricamento {} },
                Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| coda.restart() } },
                Some(Ok(c)) => rsx! {
                    p { id: "conteggi-coda", "Richieste da esaminare: {c.richieste_aperte}; utenti in attesa di decisione: {c.utenti_da_esaminare}." }
                    if c.richieste.is_empty() {
                        p { id: "coda-vuota", "Nessuna richiesta con questi filtri." }
                    }
                    for r in c.richieste.iter().cloned() {
                        div { key: "{r.id}", class: "card card-bg mb-3", id: "richiesta-{r.numero}",
                            div { class: "card-body",
                                h3 { class: "h5 card-title", "{r.numero} — Comune di {r.comune.nome} ({r.sigla_provincia})" }
                                p { class: "small", "Inviata il {shared::tempo::data_ora_italiana(r.inviata)} da {r.richiedente_nome} — {r.stato.label()}" }
                                for (j, v) in r.utenti.iter().cloned().enumerate() {
                                    VoceDaDecidere { key: "{j}", richiesta: r.id.clone(), numero: r.numero.clone(), indice: j, voce: v,
                                        ondeciso: move |m: Result<String, String>| {
                                            esito.set(Some(match m { Ok(m) => (true, m), Err(m) => (false, m) }));
                                            coda.restart();
                                        } }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}

/// One user of a request, with the Region's decision (profile to approve, or reason to refuse).
#[component]
pub(super) fn VoceDaDecidere(
    richiesta: String,
    numero: String,
    indice: usize,
    voce: shared::registrazione::VoceRichiesta,
    ondeciso: EventHandler<Result<String, String>>,
) -> Element {
    let mut ruolo = use_signal(|| Ruolo::OperatoreComunale.code().to_owned());
    let mut motivo = use_signal(String::new);
    let mut errore = use_signal(|| None::<String>);
    let id = format!("{numero}-{indice}");
    let nome = format!("{} {}", voce.identita.nome, voce.identita.cognome);
    let (testo, classe) = esito_testo(&voce);
    let approva = {
        let (richiesta, nome) = (richiesta.clone(), nome.clone());
        move |_| {
            let (richiesta, nome) = (richiesta.clone(), nome.clone());
            async move {
                match approva_utente(richiesta, indice.to_string(), ruolo()).await {
                    Ok(_) => ondeciso.call(Ok(format!(
                        "{nome}: approvato. Riceverà il collegamento di attivazione."
                    ))),
                    Err(e) => ondeciso.call(Err(e
                        .0
                        .fields()
                        .first()
                        .map_or_else(|| e.0.message(), |f| f.message.clone()))),
                }
            }
        }
    };
    let rifiuta = move |_| {
        let (richiesta, nome) = (richiesta.clone(), nome.clone());
        async move {
            match rifiuta_utente(richiesta, indice.to_string(), motivo()).await {
                Ok(_) => ondeciso.call(Ok(format!("{nome}: rifiutato."))),
                Err(e) => errore.set(Some(
                    e.0.fields()
                        .first()
                        .map_or_else(|| e.0.message(), |f| f.message.clone()),
                )),
            }
        }
    };
    rsx! {
        div { class: "border-top pt-2 mt-2", id: "voce-{id}",
            p { class: "mb-1",
                strong { "{voce.identita.nome} {voce.identita.cognome}" }
                " — {voce.identita.codice_fiscale} — {voce.identita.email} "
                span { class: classe, "{testo}" }
            }
            if voce.esito.is_none() {
                div { class: "row g-2 align-items-end",
                    div { class: "col-12 col-md-4",
                        Scelta { id: "ruolo-{id}", etichetta: "Profilo", valore: ruolo(),
                            opzioni: vec![
                                (Ruolo::OperatoreComunale.code().into(), Ruolo::OperatoreComunale.label().into()),
                                (Ruolo::LegaleRappresentante.code().into(), Ruolo::LegaleRappresentante.label().into()),
                            ],
                            errore: None, onchange: move |v: String| ruolo.set(v) }
                    }
                    div { class: "col-12 col-md-2 mb-4", button { id: "approva-{id}", class: "btn btn-success w-100", onclick: approva, "Approva" } }
                    div { class: "col-12 col-md-4",
                        Campo { id: "motivo-{id}", etichetta: "Motivo del rifiuto", valore: motivo(), errore: errore(),
                            oninput: move |v: String| { motivo.set(v); errore.set(None); } }
                    }
                    div { class: "col-12 col-md-2 mb-4", button { id: "rifiuta-{id}", class: "btn btn-outline-danger w-100", onclick: rifiuta, "Rifiuta" } }
                }
            }
        }
    }
}

/// The requests to disable users, for the Region.
#[component]
pub(super) fn DisabilitazioniRegione() -> Element {
    let mut elenco = use_resource(move || async move { disabilitazioni().await });
    let mut esito = use_signal(|| None::<(bool, String)>);
    rsx! {
        section { "aria-labelledby": "titolo-disabilitazioni",
            h2 { id: "titolo-disabilitazioni", class: "h4", "Richieste di disabilitazione" }
            if let Some((ok, m)) = esito() {
                div { id: "esito-disabilitazioni", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: if ok { "status" } else { "alert" }, "{m}" }
            }
            match &*elenco.read() {
                None => rsx! { Caricamento {} },
                Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| elenco.restart() } },
                Some(Ok(v)) if v.is_empty() => rsx! { p { id: "nessuna-disabilitazione", "Nessuna richiesta di disabilitazione." } },
                Some(Ok(v)) => rsx! {
                    for d in v.iter().cloned() {
                        DisabilitazioneDaDecidere { key: "{d.id}", d,
                            ondeciso: move |m: Result<String, String>| {
                                esito.set(Some(match m { Ok(m) => (true, m), Err(m) => (false, m) }));
                                elenco.restart();
                            } }
                    }
                },
            }
        }
    }
}

#[component]
pub(super) fn DisabilitazioneDaDecidere(
    d: RichiestaDisabilitazione,
    ondeciso: EventHandler<Result<String, String>>,
) -> Element {
    let mut motivo = use_signal(String::new);
    let mut chiedi_conferma = use_signal(|| false);
    let nome = format!("{} {}", d.nome, d.cognome);
    let conferma = {
        let (id, nome) = (d.id.clone(), nome.clone());
        move |_: ()| {
            let (id, nome) = (id.clone(), nome.clone());
            async move {
                match conferma_disabilitazione(id).await {
                    Ok(_) => ondeciso.call(Ok(format!("{nome}: account disabilitato."))),
                    Err(e) => ondeciso.call(Err(e.0.message())),
                }
            }
        }
    };
    let rifiuta = {
        let (id, nome) = (d.id.clone(), nome.clone());
        move |_| {
            let (id, nome) = (id.clone(), nome.clone());
            async move {
                match rifiuta_disabilitazione(id, motivo()).await {
                    Ok(_) => ondeciso.call(Ok(format!("Richiesta per {nome} respinta."))),
                    Err(e) => ondeciso.call(Err(e
                        .0
                        .fields()
                        .first()
                        .map_or_else(|| e.0.message(), |f| f.message.clone()))),
                }
            }
        }
    };
    rsx! {
        div { class: "border rounded p-3 mb-2", id: "disabilitazione-{d.id}",
            p { class: "mb-1",
                strong { "{nome}" }
                " ({d.codice_fiscale}) — Comune di {d.comune.nome} — motivo: {d.motivo} — "
                span { class: "fw-semibold", "{d.stato.label()}" }
            }
            if d.stato == StatoDisabilitazione::InAttesa {
                Conferma { id: "dialogo-disabilita-{d.id}", aperta: chiedi_conferma, ritorno: "conferma-{d.id}",
                    titolo: "Disabilitare l'account di {nome}?",
                    testo: "Ogni sessione aperta dell'account si chiude subito e i suoi collegamenti non valgono più; il legale rappresentante riceve l'esito.",
                    etichetta: "Disabilita", pericolosa: true, onconferma: conferma }
                div { class: "row g-2 align-items-end",
                    div { class: "col-12 col-md-3 mb-4", button { id: "conferma-{d.id}", class: "btn btn-danger w-100", onclick: move |_| chiedi_conferma.set(true), "Disabilita l'account" } }
                    div { class: "col-12 col-md-6",
                        Campo { id: "motivo-respingi-{d.id}", etichetta: "Motivo per respingere", valore: motivo(), errore: None,
                            oninput: move |v: String| motivo.set(v) }
                    }
                    div { class: "col-12 col-md-3 mb-4", button { id: "respingi-{d.id}", class: "btn btn-outline-secondary w-100", onclick: rifiuta, "Respingi" } }
                }
            }
        }
    }
}
