//! `/registrazioni`: "Registrazione utenti". The comune's legal representative lists the
//! users to enable (a draft kept on the server, the shared rules inline while typing), sends
//! the request and gets its receipt number, follows its state, sees the comune's accounts and
//! asks to disable one. The Region sees the queue, oldest first, and decides on each user;
//! and confirms or refuses the requests to disable.

use crate::api::registrazioni::{
    approva_utente, bozza_richiesta, chiedi_disabilitazione, coda_richieste,
    conferma_disabilitazione, disabilitazioni, invia_richiesta, richieste_del_comune,
    rifiuta_disabilitazione, rifiuta_utente, salva_bozza_richiesta,
};
use crate::api::utenti::utenti_del_comune;
use crate::components::conferma::Conferma;
use crate::components::field::{Campo, Scelta};
use crate::components::shell::{Idratata, Sessione};
use crate::components::stato::{Caricamento, ErroreCaricamento};
use crate::Route;
use dioxus::prelude::*;
use shared::auth::Ruolo;
use shared::registrazione::{
    Decisione, FiltroRichieste, Richiesta, RichiestaDisabilitazione, RichiestaForm,
    StatoDisabilitazione, MAX_UTENTI_RICHIESTA,
};
use shared::text::message_for;
use shared::utente::{IdentitaForm, StatoUtente};
use shared::FieldError;

/// `/registrazioni`
#[component]
pub fn Registrazioni() -> Element {
    let sessione = use_context::<Sessione>().0;
    // Bumped when a request is sent: the list below reloads.
    let mut inviate = use_signal(|| 0u32);
    let Some(u) = sessione() else {
        return rsx! {
            h1 { "Registrazione utenti" }
            div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
                "Per vedere questa pagina devi accedere. "
                Link { to: Route::Accesso { motivo: String::new() }, "Vai all'accesso" }
            }
        };
    };
    rsx! {
        document::Title { "Registrazione utenti — Servizi 0-6" }
        match (u.ruolo, u.comune.clone()) {
            (Ruolo::LegaleRappresentante, Some(c)) => rsx! {
                h1 { "Registrazione utenti — Comune di {c.nome}" }
                RichiestaComune { codice: c.codice.clone(), oninviata: move |_| inviate += 1 }
                RichiesteComune { codice: c.codice.clone(), inviate }
                UtentiComune { codice: c.codice.clone() }
            },
            (Ruolo::OperatoreComunale, _) => rsx! {
                h1 { "Registrazione utenti" }
                div { id: "solo-legale", class: "alert alert-info", role: "status",
                    "Gli utenti del comune li chiede il legale rappresentante (il sindaco o chi ne fa le veci): rivolgiti a lui per abilitare o disabilitare un collega."
                }
            },
            _ => rsx! {
                h1 { "Richieste di abilitazione" }
                CodaRegione {}
                DisabilitazioniRegione {}
            },
        }
    }
}

/// The first message of `campo` (`utenti.2.email`).
fn errore_di(errori: &[FieldError], campo: &str) -> Option<String> {
    message_for(errori, campo).map(str::to_owned)
}

/// The request being written: rows of users, saved as a draft, then sent.
#[component]
fn RichiestaComune(codice: String, oninviata: EventHandler<()>) -> Element {
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

fn n_campi(n: usize) -> String {
    if n == 1 {
        "1 campo".into()
    } else {
        format!("{n} campi")
    }
}

/// The badge of a decision.
fn esito_testo(r: &shared::registrazione::VoceRichiesta) -> (String, &'static str) {
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
fn RichiesteComune(codice: String, inviate: Signal<u32>) -> Element {
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

/// The comune's accounts, and asking the Region to disable one.
#[component]
fn UtentiComune(codice: String) -> Element {
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

/// The Region's queue of requests.
#[component]
fn CodaRegione() -> Element {
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
fn VoceDaDecidere(
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
fn DisabilitazioniRegione() -> Element {
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
fn DisabilitazioneDaDecidere(
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
