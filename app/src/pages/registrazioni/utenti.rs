//! The comune's accounts, and asking the Region to disable one.

use super::*;

/// The comune's accounts, and asking the Region to disable one.
#[component]
pub(super) fn UtentiComune(codice: String) -> Element {
    let codice = use_signal(|| codice);
    let mut utenti = use_resource(move || async move { utenti_del_comune(codice()).await });
    let mut richieste = use_resource(move || async move { disabilitazioni().await });
    let mut aperta = use_signal(|| None::<String>);
    let mut motivo = use_signal(String::new);
    let mut esito = use_signal(|| None::<(bool, String)>);
    rsx! {
        section { class: "mb-5", "aria-labelledby": "titolo-utenti-comune",
            h2 { id: "titolo-utenti-comune", class: "h4", "Utenti del comune" }
            if let Some((ok, m)) = esito() {
                div { id: "esito-disabilitazione", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: if ok { "status" } else { "alert" }, "{m}" }
            }
            match &*utenti.read() {
                None => rsx! { Caricamento {} },
                Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| utenti.restart() } },
                Some(Ok(v)) => rsx! {
                    ul { id: "utenti-comune", class: "list-unstyled",
                        for u in v.iter().cloned() {
                            li { key: "{u.username}", class: "border rounded p-3 mb-2", id: "utente-comune-{u.username}",
                                p { class: "mb-1",
                                    strong { "{u.nome} {u.cognome}" }
                                    " ({u.codice_fiscale}) — {u.ruolo.label()} — "
                                    span { class: if u.stato == StatoUtente::Attivo { "badge bg-success" } else { "badge bg-secondary" }, "{u.stato.label()}" }
                                }
                                if u.stato != StatoUtente::Disabilitato {
                                    if aperta() == Some(u.username.clone()) {
                                        form { novalidate: true,
                                            onsubmit: {
                                                let u = u.clone();
                                                move |evt: FormEvent| {
                                                    let u = u.clone();
                                                    async move {
                                                        evt.prevent_default();
                                                        let r = chiedi_disabilitazione(codice(), u.nome.clone(), u.cognome.clone(), u.codice_fiscale.clone(), motivo()).await;
                                                        match r {
                                                            Ok(_) => {
                                                                esito.set(Some((true, format!("Richiesta di disabilitare {} {} inviata alla Regione.", u.nome, u.cognome))));
                                                                aperta.set(None);
                                                                motivo.set(String::new());
                                                                richieste.restart();
                                                                utenti.restart();
                                                            }
                                                            Err(e) => esito.set(Some((false, e.0.fields().first().map_or_else(|| e.0.message(), |f| f.message.clone())))),
                                                        }
                                                    }
                                                }
                                            },
                                            Campo { id: "motivo-{u.username}", etichetta: "Motivo (es. trasferimento, cambio di mansione)", valore: motivo(), errore: None,
                                                oninput: move |v: String| motivo.set(v) }
                                            div { class: "d-flex flex-wrap gap-2",
                                                button { id: "conferma-disabilitazione-{u.username}", r#type: "submit", class: "btn btn-danger", "Chiedi la disabilitazione" }
                                                button { r#type: "button", class: "btn btn-outline-secondary", onclick: move |_| aperta.set(None), "Annulla" }
                                            }
                                        }
                                    } else {
                                        button { id: "chiedi-disabilitazione-{u.username}", class: "btn btn-outline-danger",
                                            onclick: { let n = u.username.clone(); move |_| { aperta.set(Some(n.clone())); esito.set(None); } },
                                            "Chiedi di disabilitare"
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
            }
            h3 { class: "h5", "Richieste di disabilitazione" }
            match &*richieste.read() {
                None => rsx! { Caricamento {} },
                Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| richieste.restart() } },
                Some(Ok(v)) if v.is_empty() => rsx! { p { id: "nessuna-disabilitazione", "Nessuna richiesta di disabilitazione." } },
                Some(Ok(v)) => rsx! {
                    ul { id: "disabilitazioni-comune",
                        for d in v.iter() {
                            li { key: "{d.id}", "{d.nome} {d.cognome} — {d.stato.label()}" }
                        }
                    }
                },
            }
        }
    }
}
