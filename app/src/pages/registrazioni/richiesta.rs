//! The legal representative's request: the users to enable, kept as a draft on the server,
//! sent with a receipt number, followed to the Region's decision.

use super::*;

/// The request being written: rows of users, saved as a draft, then sent.
#[component]
pub(super) fn RichiestaComune(codice: String, oninviata: EventHandler<()>) -> Element {
    let codice = use_signal(|| codice);
    let mut righe = use_signal(|| vec![IdentitaForm::default()]);
    let mut versione = use_signal(|| 0u64);
    let mut toccati = use_signal(std::collections::HashSet::<String>::new);
    let mut tentato = use_signal(|| false);
    let mut avviso = use_signal(|| None::<(bool, String)>);
    let mut campi_server = use_signal(Vec::<FieldError>::new);
    let mut inviata = use_signal(|| None::<Richiesta>);
    let mut in_corso = use_signal(|| false);
    let idratata = use_context::<Idratata>().0;
    let bozza = use_resource(move || async move { bozza_richiesta(codice()).await });
    use_effect(move || {
        if let Some(Ok(b)) = &*bozza.read() {
            if !b.utenti.is_empty() {
                righe.set(b.utenti.clone());
            }
            versione.set(b.versione);
        }
    });
    let errori = use_memo(move || {
        let form = RichiestaForm { utenti: righe() };
        match form.controlla() {
            Ok(_) => Vec::new(),
            Err(e) => e.fields().to_vec(),
        }
    });
    let mostra = move |campo: &str| -> Option<String> {
        errore_di(&campi_server.read(), campo).or_else(|| {
            (tentato() || toccati.read().contains(campo))
                .then(|| errore_di(&errori.read(), campo))
                .flatten()
        })
    };
    let salva = move |_| async move {
        in_corso.set(true);
        let r = salva_bozza_richiesta(codice(), versione(), righe()).await;
        in_corso.set(false);
        match r {
            Ok(b) => {
                versione.set(b.versione);
                avviso.set(Some((
                    true,
                    "Bozza salvata: la ritrovi anche da un altro dispositivo.".into(),
                )));
            }
            Err(e) => avviso.set(Some((false, e.0.message()))),
        }
    };
    let invia = move |evt: FormEvent| async move {
        evt.prevent_default();
        tentato.set(true);
        campi_server.set(Vec::new());
        avviso.set(None);
        if !errori.read().is_empty() {
            avviso.set(Some((
                false,
                format!(
                    "{} da correggere prima di inviare.",
                    n_campi(errori.read().len())
                ),
            )));
            return;
        }
        in_corso.set(true);
        let r = invia_richiesta(codice(), righe()).await;
        in_corso.set(false);
        match r {
            Ok(ric) => {
                inviata.set(Some(ric));
                oninviata.call(());
                righe.set(vec![IdentitaForm::default()]);
                versione.set(0);
                tentato.set(false);
                toccati.set(Default::default());
            }
            Err(e) => {
                campi_server.set(e.0.fields().to_vec());
                avviso.set(Some((false, e.0.message())));
            }
        }
    };
    let campo = move |i: usize,
                      nome: &'static str,
                      etichetta: &'static str,
                      tipo: &'static str,
                      auto: &'static str| {
        let id = format!("utenti-{i}-{nome}");
        let chiave = format!("utenti.{i}.{nome}");
        let valore = righe
            .read()
            .get(i)
            .map(|r| match nome {
                "nome" => r.nome.clone(),
                "cognome" => r.cognome.clone(),
                "codice_fiscale" => r.codice_fiscale.clone(),
                "email" => r.email.clone(),
                "telefono" => r.telefono.clone(),
                _ => r.ufficio.clone(),
            })
            .unwrap_or_default();
        let errore = mostra(&chiave);
        rsx! {
            div { class: "col-12 col-md-6",
                Campo { id: id.clone(), etichetta, tipo, valore, errore, autocomplete: auto,
                    oninput: move |v: String| {
                        righe.with_mut(|r| if let Some(r) = r.get_mut(i) {
                            match nome {
                                "nome" => r.nome = v,
                                "cognome" => r.cognome = v,
                                "codice_fiscale" => r.codice_fiscale = v,
                                "email" => r.email = v,
                                "telefono" => r.telefono = v,
                                _ => r.ufficio = v,
                            }
                        });
                        toccati.with_mut(|t| { t.insert(chiave.clone()); });
                        campi_server.with_mut(|c| c.retain(|f| f.field != chiave));
                    } }
            }
        }
    };
    rsx! {
        section { class: "mb-5", "aria-labelledby": "titolo-nuova-richiesta",
            h2 { id: "titolo-nuova-richiesta", class: "h4", "Nuova richiesta di abilitazione" }
            p { "Indica le persone da abilitare (al massimo {MAX_UTENTI_RICHIESTA} per richiesta). La Regione esamina la richiesta e ogni persona abilitata riceve per e-mail il collegamento per attivare il proprio account." }
            if let Some(r) = inviata() {
                div { id: "ricevuta-richiesta", class: "alert alert-success", role: "status",
                    "Richiesta inviata: numero "
                    strong { id: "numero-richiesta", "{r.numero}" }
                    ", {r.utenti.len()} utenti. Riceverai un messaggio per ogni decisione della Regione."
                }
            }
            if let Some((ok, m)) = avviso() {
                div { id: "avviso-richiesta", class: if ok { "alert alert-info" } else { "alert alert-danger" }, role: if ok { "status" } else { "alert" }, "{m}" }
            }
            form { id: "form-richiesta", novalidate: true, onsubmit: invia,
                for i in 0..righe.read().len() {
                    fieldset { key: "{i}", class: "border rounded p-3 mb-3", id: "utente-{i}",
                        legend { class: "h6 float-none w-auto px-1", "Utente {i + 1}" }
                        div { class: "row",
                            {campo(i, "nome", "Nome", "text", "given-name")}
                            {campo(i, "cognome", "Cognome", "text", "family-name")}
                            {campo(i, "codice_fiscale", "Codice fiscale", "text", "off")}
                            {campo(i, "email", "E-mail", "email", "email")}
                            {campo(i, "telefono", "Telefono (facoltativo)", "tel", "tel")}
                            {campo(i, "ufficio", "Ufficio (facoltativo)", "text", "organization-title")}
                        }
                        if righe.read().len() > 1 {
                            button { id: "rimuovi-{i}", r#type: "button", class: "btn btn-outline-danger",
                                onclick: move |_| {
                                    righe.with_mut(|r| { if i < r.len() { r.remove(i); } });
                                    toccati.set(Default::default());
                                },
                                "Rimuovi l'utente {i + 1}"
                            }
                        }
                    }
                }
                div { class: "d-flex flex-wrap gap-2",
                    button { id: "aggiungi-utente", r#type: "button", class: "btn btn-outline-primary",
                        disabled: righe.read().len() >= MAX_UTENTI_RICHIESTA,
                        onclick: move |_| righe.with_mut(|r| r.push(IdentitaForm::default())),
                        "Aggiungi un utente"
                    }
                    button { id: "salva-bozza", r#type: "button", class: "btn btn-outline-primary", disabled: !idratata() || in_corso(), onclick: salva, "Salva la bozza" }
                    button { id: "invia-richiesta", r#type: "submit", class: "btn btn-primary", disabled: !idratata() || in_corso(),
                        if in_corso() { "Invio in corso…" } else { "Invia la richiesta" }
                    }
                }
            }
        }
    }
}

pub(super) fn n_campi(n: usize) -> String {
    if n == 1 {
        "1 campo".into()
    } else {
        format!("{n} campi")
    }
}

/// The badge of a decision.
pub(super) fn esito_testo(r: &shared::registrazione::VoceRichiesta) -> (String, &'static str) {
    match &r.esito {
        None => ("In attesa di decisione".into(), "badge bg-secondary"),
        Some(e) if e.decisione == Decisione::Approvato => (
            format!("Approvato — {}", e.ruolo.map_or("", |x| x.label())),
            "badge bg-success",
        ),
        Some(e) => (
            format!("Rifiutato: {}", e.motivo.clone().unwrap_or_default()),
            "badge bg-danger",
        ),
    }
}

/// The comune's requests and their state.
#[component]
pub(super) fn RichiesteComune(codice: String, inviate: Signal<u32>) -> Element {
    let codice = use_signal(|| codice);
    let mut elenco = use_resource(move || async move {
        let _ = inviate();
        richieste_del_comune(codice()).await
    });
    rsx! {
        section { class: "mb-5", "aria-labelledby": "titolo-richieste",
            h2 { id: "titolo-richieste", class: "h4", "Richieste inviate" }
            match &*elenco.read() {
                None => rsx! { Caricamento {} },
                Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| elenco.restart() } },
                Some(Ok(v)) if v.is_empty() => rsx! { p { id: "nessuna-richiesta", "Nessuna richiesta inviata finora." } },
                Some(Ok(v)) => rsx! {
                    ul { id: "richieste-comune", class: "list-unstyled",
                        for r in v.iter() {
                            li { key: "{r.id}", class: "border rounded p-3 mb-2",
                                p { class: "mb-1",
                                    strong { "{r.numero}" }
                                    " — inviata il {shared::tempo::data_ora_italiana(r.inviata)} — "
                                    span { class: "fw-semibold", "{r.stato.label()}" }
                                }
                                ul { class: "mb-0",
                                    for (j, v) in r.utenti.iter().enumerate() {
                                        li { key: "{j}",
                                            "{v.identita.nome} {v.identita.cognome} ({v.identita.codice_fiscale}) "
                                            span { class: esito_testo(v).1, "{esito_testo(v).0}" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}
