//! `/utenti/legali`: the comuni's legal representatives, one by one or from a CSV file.

use super::*;

/// `/utenti/legali`
#[component]
pub fn LegaliRappresentanti() -> Element {
    let sessione = use_context::<Sessione>().0;
    if sessione().filter(|u| !u.ruolo.is_comunale()).is_none() {
        return rsx! { h1 { "Legali rappresentanti" } {serve_regione()} };
    }
    rsx! {
        document::Title { "Legali rappresentanti — Servizi 0-6" }
        Briciole { voci: vec![("Utenti".to_string(), Route::UtentiRegione {})], pagina: "Legali rappresentanti" }
        h1 { "Legali rappresentanti dei comuni" }
        p { "Il legale rappresentante (il sindaco o chi ne fa le veci) chiede l'abilitazione degli utenti del comune. Registrandolo riceve per e-mail il collegamento per attivare il proprio account; chi lo precedeva viene disabilitato." }
        Legali {}
    }
}

#[component]
pub(super) fn Legali() -> Element {
    let mut provincia = use_signal(String::new);
    let mut filtro = use_signal(FiltroLegali::default);
    let mut elenco = use_resource(move || async move { legali(filtro()).await });
    let mut f = use_signal(LegaleForm::default);
    let mut comune = use_signal(String::new);
    let mut campi = use_signal(Vec::<FieldError>::new);
    let mut esito = use_signal(|| None::<(bool, Vec<String>)>);
    let idratata = use_context::<Idratata>().0;
    let errore = move |c: &str| message_for(&campi.read(), c).map(str::to_owned);
    let registra = move |evt: FormEvent| async move {
        evt.prevent_default();
        match registra_legale(comune().trim().to_owned(), f()).await {
            Ok(u) => {
                esito.set(Some((
                    true,
                    vec![format!(
                        "Registrato {} {} ({}): riceverà il collegamento di attivazione.",
                        u.nome, u.cognome, u.username
                    )],
                )));
                f.set(LegaleForm::default());
                campi.set(Vec::new());
                elenco.restart();
            }
            Err(e) => {
                campi.set(e.0.fields().to_vec());
                esito.set(Some((false, vec![messaggio(&e)])));
            }
        }
    };
    let carica = move |e: FormEvent| async move {
        for file in e.files() {
            let testo = match file.read_bytes().await {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(_) => {
                    esito.set(Some((false, vec!["Il file non si può leggere.".into()])));
                    return;
                }
            };
            match importa_legali(testo).await {
                Ok(n) => {
                    esito.set(Some((
                        true,
                        vec![format!("Registrati {n} legali rappresentanti.")],
                    )));
                    elenco.restart();
                }
                Err(e) => {
                    let righe: Vec<String> =
                        e.0.fields().iter().map(|f| f.message.clone()).collect();
                    esito.set(Some((
                        false,
                        if righe.is_empty() {
                            vec![e.0.message()]
                        } else {
                            righe
                        },
                    )));
                }
            }
        }
    };
    rsx! {
        if let Some((ok, righe)) = esito() {
            div { id: "esito-legali", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: if ok { "status" } else { "alert" },
                ul { class: "mb-0", for r in righe.iter() { li { key: "{r}", "{r}" } } }
            }
        }
        section { class: "mb-4", "aria-labelledby": "titolo-registra-legale",
            h2 { id: "titolo-registra-legale", class: "h4", "Registra un legale rappresentante" }
            form { id: "form-legale", class: "row", novalidate: true, onsubmit: registra,
                div { class: "col-12 col-md-4", Campo { id: "lr-comune", etichetta: "Codice ISTAT del comune", valore: comune(), inputmode: "numeric", errore: errore("codice_istat"), oninput: move |v: String| comune.set(v) } }
                div { class: "col-12 col-md-4", Campo { id: "lr-nome", etichetta: "Nome", valore: f().nome, errore: errore("nome"), oninput: move |v: String| f.with_mut(|x| x.nome = v) } }
                div { class: "col-12 col-md-4", Campo { id: "lr-cognome", etichetta: "Cognome", valore: f().cognome, errore: errore("cognome"), oninput: move |v: String| f.with_mut(|x| x.cognome = v) } }
                div { class: "col-12 col-md-4", Campo { id: "lr-cf", etichetta: "Codice fiscale", valore: f().codice_fiscale, errore: errore("codice_fiscale"), oninput: move |v: String| f.with_mut(|x| x.codice_fiscale = v) } }
                div { class: "col-12 col-md-4", Campo { id: "lr-email", etichetta: "E-mail", tipo: "email", valore: f().email, errore: errore("email"), oninput: move |v: String| f.with_mut(|x| x.email = v) } }
                div { class: "col-12 col-md-4", Campo { id: "lr-pec", etichetta: "PEC", tipo: "email", valore: f().pec, errore: errore("pec"), oninput: move |v: String| f.with_mut(|x| x.pec = v) } }
                div { class: "col-12 mb-4", button { id: "registra-legale", r#type: "submit", class: "btn btn-primary", "Registra" } }
            }
            label { r#for: "csv-legali", class: "form-label", "Oppure carica un file CSV (codice ISTAT; codice fiscale; nome; cognome; e-mail; PEC)" }
            input { id: "csv-legali", r#type: "file", accept: ".csv,.txt,text/csv", class: "form-control", disabled: !idratata(), onchange: carica }
        }
        form { class: "row g-2 align-items-end mb-3", onsubmit: move |evt: FormEvent| { evt.prevent_default(); filtro.set(FiltroLegali { provincia: provincia() }); },
            div { class: "col-8 col-md-4", Campo { id: "filtro-provincia-legali", etichetta: "Provincia (sigla)", valore: provincia(), errore: None, oninput: move |v: String| provincia.set(v) } }
            div { class: "col-4 col-md-2 mb-4", button { id: "filtra-legali", r#type: "submit", class: "btn btn-primary w-100", "Filtra" } }
        }
        match &*elenco.read() {
            None => rsx! { Caricamento {} },
            Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| elenco.restart() } },
            Some(Ok(v)) => {
                let con = v.iter().filter(|c| c.legale.is_some()).count();
                rsx! {
                    p { id: "conteggio-legali", "{con} comuni su {v.len()} hanno un legale rappresentante registrato." }
                    ul { id: "elenco-legali", class: "list-unstyled",
                        for c in v.iter() {
                            li { key: "{c.comune.codice}", class: "border-bottom py-2", id: "legale-{c.comune.codice}",
                                strong { "{c.comune.nome} ({c.sigla_provincia})" }
                                " — "
                                match &c.legale {
                                    Some(l) => rsx! { "{l.nome} {l.cognome} — {l.stato.label()}" },
                                    None => rsx! { "nessun legale rappresentante registrato" },
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
