//! `/rilevazioni`: the campaigns a user can see; `/rilevazioni/{id}`: a comune's form for one
//! campaign: why it is open or closed and until when (countdown), one block of counts per
//! service operating at the reference date, the rules' findings while typing, draft saves,
//! sending and the receipt. The server decides; the page only shows.

use crate::api::campagne::{campagne, scheda};
use crate::components::conferma::Conferma;
use crate::components::field::{Campo, Scelta};
use crate::components::navigazione::Briciole;
use crate::components::ora::{use_adesso, ContoAllaRovescia};
use crate::components::shell::{Idratata, Sessione};
use crate::components::stato::{Caricamento, ErroreCaricamento, Vuoto};
use crate::offline::stato::{
    use_bozza_sul_dispositivo, use_modifica_esclusiva, Fine, StatoOffline,
};
use crate::offline::Bozza;
use crate::Route;
use dioxus::prelude::*;
use shared::campagna::data_ora_estesa;
use shared::campagna::{StatoCampagna, TipoCampagna};
use shared::campagna_regole::{Campagna, Ricevuta, Scheda};
use shared::coda::{modulo_scheda, Operazione, Voce};
use shared::frequentanti::{controlla, inviabile, FrequentantiForm, Gravita, RigaForm, FASCE};

/// `/rilevazioni`: a comune sees its own forms (open ones first, with their state, closed
/// ones apart); the Region every campaign, filtered by state, kind and year, 20 a page.
#[component]
pub fn Rilevazioni() -> Element {
    let sessione = use_context::<Sessione>().0;
    let Some(u) = sessione() else {
        return rsx! {
            div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
                "Per vedere questa pagina devi accedere. "
                Link { to: Route::Accesso { motivo: String::new() }, "Vai all'accesso" }
            }
        };
    };
    rsx! {
        document::Title { "Rilevazioni — Servizi 0-6" }
        h1 { "Rilevazioni" }
        match u.comune.clone().filter(|_| u.ruolo.is_comunale()) {
            Some(c) => rsx! { crate::pages::da_fare::DaFare { codice: c.codice, chiuse: true } },
            None => rsx! { RilevazioniRegione {} },
        }
    }
}

/// Campaigns per page in the Region's list.
const PER_PAGINA: usize = 20;

#[component]
fn RilevazioniRegione() -> Element {
    let mut elenco = use_resource(campagne);
    let mut stato = use_signal(String::new);
    let mut tipo = use_signal(String::new);
    let mut anno = use_signal(String::new);
    let mut pagina = use_signal(|| 0usize);
    rsx! {
        Link { to: Route::NuovaRilevazione {}, id: "nuova-rilevazione", class: "btn btn-primary mb-3", "Nuova rilevazione" }
        form { id: "filtri-rilevazioni", class: "row g-2", onsubmit: move |e: FormEvent| e.prevent_default(),
            div { class: "col-12 col-md-4",
                Scelta { id: "filtro-stato-campagna", etichetta: "Stato", valore: stato(), vuota: "Tutti",
                    opzioni: StatoCampagna::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect::<Vec<_>>(),
                    errore: None, onchange: move |v: String| { stato.set(v); pagina.set(0); } }
            }
            div { class: "col-12 col-md-4",
                Scelta { id: "filtro-tipo-campagna", etichetta: "Tipo", valore: tipo(), vuota: "Tutti",
                    opzioni: TipoCampagna::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect::<Vec<_>>(),
                    errore: None, onchange: move |v: String| { tipo.set(v); pagina.set(0); } }
            }
            div { class: "col-12 col-md-4",
                Campo { id: "filtro-anno-campagna", etichetta: "Annualità", valore: anno(), inputmode: "numeric", errore: None,
                    oninput: move |v: String| { anno.set(v); pagina.set(0); } }
            }
        }
        match &*elenco.read() {
            None => rsx! { Caricamento { riprova: move |_| elenco.restart() } },
            Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| elenco.restart() } },
            Some(Ok(v)) if v.is_empty() => rsx! {
                Vuoto { id: "nessuna-rilevazione", testo: "Non c'è ancora nessuna rilevazione.",
                    Link { to: Route::NuovaRilevazione {}, "Crea la prima rilevazione" }
                }
            },
            Some(Ok(v)) => {
                let filtrate: Vec<&Campagna> = v
                    .iter()
                    .filter(|c| stato().is_empty() || c.stato.code() == stato())
                    .filter(|c| tipo().is_empty() || c.dati.tipo.code() == tipo())
                    .filter(|c| anno().trim().is_empty() || c.dati.annualita.to_string() == anno().trim())
                    .collect();
                let pagine = filtrate.len().div_ceil(PER_PAGINA).max(1);
                let p = pagina().min(pagine - 1);
                rsx! {
                    p { id: "numero-rilevazioni", role: "status",
                        if filtrate.len() == 1 { "1 rilevazione" } else { "{filtrate.len()} rilevazioni" }
                    }
                    if filtrate.is_empty() {
                        p { id: "nessuna-con-filtri", "Nessuna rilevazione con questi filtri: cambia stato, tipo o annualità." }
                    }
                    ul { class: "list-group", id: "elenco-rilevazioni",
                        for c in filtrate.iter().skip(p * PER_PAGINA).take(PER_PAGINA) {
                            li { key: "{c.id}", class: "list-group-item",
                                Link { to: Route::Rilevazione { id: c.id.clone() }, class: "fw-semibold", "{c.dati.titolo}" }
                                div { class: "small text-muted",
                                    "{c.dati.tipo.label()} · {c.stato.label()} · {c.dati.annualita} · termine: {data_ora_estesa(c.chiusura_in_vigore)}"
                                }
                            }
                        }
                    }
                    if pagine > 1 {
                        nav { class: "d-flex flex-wrap gap-2 align-items-center mt-3", "aria-label": "Pagine delle rilevazioni",
                            button { id: "pagina-precedente", class: "btn btn-outline-primary", disabled: p == 0, onclick: move |_| pagina.set(p.saturating_sub(1)), "Precedente" }
                            span { "Pagina {p + 1} di {pagine}" }
                            button { id: "pagina-successiva", class: "btn btn-outline-primary", disabled: p + 1 >= pagine, onclick: move |_| pagina.set(p + 1), "Successiva" }
                        }
                    }
                }
            }
        }
    }
}

/// `/rilevazioni/{id}`
#[component]
pub fn Rilevazione(id: String) -> Element {
    let sessione = use_context::<Sessione>().0;
    match sessione().and_then(|u| u.comune.filter(|_| u.ruolo.is_comunale())) {
        Some(c) => rsx! { SchedaComune { key: "{id}", id: id.clone(), codice: c.codice } },
        None => {
            rsx! { crate::pages::campagna_regione::GestioneCampagna { key: "{id}", id: id.clone() } }
        }
    }
}

#[component]
fn SchedaComune(id: String, codice: String) -> Element {
    let id = use_signal(|| id);
    let codice = use_signal(|| codice);
    let sessione = use_context::<Sessione>().0;
    let utente = use_memo(move || {
        sessione
            .read()
            .as_ref()
            .map(|u| u.username.clone())
            .unwrap_or_default()
    });
    let offline = use_context::<StatoOffline>();
    let modulo = use_memo(move || modulo_scheda(&id(), &codice()));
    let editore = use_modifica_esclusiva(modulo_scheda(&id.peek(), &codice.peek()));
    let mut corrente = use_signal(|| None::<Scheda>);
    let mut da_copia = use_signal(|| false);
    let mut inizializzato = use_signal(|| false);
    let mut form = use_signal(FrequentantiForm::default);
    let mut esito = use_signal(|| None::<(bool, String)>);
    let mut ricevuta = use_signal(|| None::<Ricevuta>);
    let mut in_corso = use_signal(|| false);
    let mut conferma_invio = use_signal(|| false);
    let mut in_coda = use_signal(Vec::<Voce>::new);
    let ora = use_adesso();
    let idratata = use_context::<Idratata>().0;
    // Reloaded after every answer to a queued write.
    let caricata = use_resource(move || async move {
        let _ = (offline.risposte)();
        scheda(id(), codice()).await
    });
    // Shows `s` (from the server, or the copy on the device when offline); the first time, the
    // form starts from it, or from the draft on the device when that holds newer typing.
    let mut mostra = move |s: Scheda, copia: bool| {
        ricevuta.set(s.ricevuta.clone());
        da_copia.set(copia);
        corrente.set(Some(s.clone()));
        spawn(async move {
            let u = utente.peek().clone();
            let c = crate::offline::coda(&u).await;
            in_coda.set(c.del_modulo(&modulo.peek()).cloned().collect());
            if *inizializzato.peek() {
                return;
            }
            let mut f = con_righe(&s);
            let bozza: Option<Bozza<FrequentantiForm>> =
                crate::offline::leggi(&u, "bozze", &modulo.peek()).await;
            if let Some(b) = bozza {
                let in_sospeso = c.del_modulo(&modulo.peek()).next().is_some();
                if b.dati != f && (b.versione >= s.versione || in_sospeso) {
                    f = con_righe(&Scheda {
                        dati: Some(b.dati),
                        ..s.clone()
                    });
                    esito.set(Some((true, "Ripristinate da questo dispositivo le modifiche non ancora salvate sul server.".into())));
                }
            }
            form.set(f);
            inizializzato.set(true);
        });
    };
    use_effect(move || match &*caricata.read() {
        Some(Ok(s)) => {
            let copia = s.clone();
            let u = utente.peek().clone();
            spawn(async move {
                crate::offline::scrivi(&u, "copie", &modulo.peek(), &copia).await;
            });
            mostra(s.clone(), false);
        }
        Some(Err(e)) if e.0 == shared::ApiError::Unavailable => {
            spawn(async move {
                let u = utente.peek().clone();
                let copia: Option<Scheda> =
                    crate::offline::leggi(&u, "copie", &modulo.peek()).await;
                if let Some(s) = copia {
                    mostra(s, true);
                }
            });
        }
        _ => {}
    });
    // Every change is kept on the device at once (reload, crash or no network lose nothing).
    use_bozza_sul_dispositivo(
        utente,
        modulo,
        form,
        move || corrente.peek().as_ref().map(|s| s.versione).unwrap_or(0),
        editore,
        inizializzato,
    );

    // Queues the draft as typed and sends the queue; `automatico`: by the autosave.
    let salva_bozza = move |automatico: bool| async move {
        let Some(s) = corrente() else { return };
        in_corso.set(true);
        let op = Operazione::SalvaScheda {
            campagna: id(),
            comune: codice(),
            versione: s.versione,
            dati: form(),
        };
        let fine = offline.accoda_e_invia(&utente(), op).await;
        in_corso.set(false);
        let c = crate::offline::coda(&utente()).await;
        in_coda.set(c.del_modulo(&modulo()).cloned().collect());
        let rifiuto = c.del_modulo(&modulo()).find_map(|v| v.rifiuto.clone());
        let quando = shared::tempo::ora_italiana(crate::components::ora::adesso()).format("%H:%M");
        esito.set(Some(match (fine, rifiuto) {
            (_, Some(r)) => (false, r.messaggio),
            (Fine::Riprova, None) => (false, format!(
                "Sei offline: la bozza è salvata su questo dispositivo (alle {quando}) e sarà inviata al server appena torna la connessione."
            )),
            (Fine::Vuota, None) if automatico => (true, format!("Bozza salvata automaticamente alle {quando}.")),
            (Fine::Vuota, None) => (true, "Bozza salvata.".into()),
        }));
    };
    // Autosave: three seconds after the last change, a changed form that can be compiled saves
    // itself (the form as loaded is not a change).
    use_effect(move || {
        let scritto = form();
        spawn(async move {
            #[cfg(feature = "web")]
            gloo_timers::future::TimeoutFuture::new(3_000).await;
            let Some(s) = corrente() else { return };
            let cambiato = s.dati.as_ref() != Some(&scritto) && con_righe(&s) != scritto;
            if cfg!(feature = "web")
                && cambiato
                && form() == scritto
                && !in_corso()
                && editore() == Some(true)
                && s.compilabile
                && s.dichiarazione.is_some()
                && ricevuta().is_none()
            {
                salva_bozza(true).await;
            }
        });
    });
    let Some(s) = corrente() else {
        return rsx! {
            match &*caricata.read() {
                Some(Err(e)) if e.0 == shared::ApiError::Unavailable => rsx! {
                    div { class: "alert alert-warning", role: "alert", id: "errore-scheda",
                        "Sei offline e questa scheda non è ancora stata aperta su questo dispositivo: riaprila quando torna la connessione." }
                },
                Some(Err(e)) => rsx! { div { class: "alert alert-danger", role: "alert", id: "errore-scheda", "{e}" } },
                _ => rsx! { p { role: "status", "Caricamento della scheda…" } },
            }
        };
    };
    // The funds campaigns have their own form.
    if s.tipo != shared::campagna::TipoCampagna::Frequentanti {
        return rsx! { crate::pages::scheda_fondi::SchedaFondi { key: "{s.campagna}", scheda: s.clone() } };
    }
    let (rilievi, totali) = controlla(&form.read(), &s.servizi);
    let puo_inviare = inviabile(&rilievi);
    let avvisi: Vec<_> = rilievi
        .iter()
        .filter(|r| r.gravita == Gravita::Avviso)
        .cloned()
        .collect();
    // The rules ran once above for this render; each field looks its error up.
    let errori_campo: std::collections::HashMap<String, String> = rilievi
        .iter()
        .filter(|r| r.gravita == Gravita::Errore)
        .rev()
        .map(|r| (r.campo.clone(), r.messaggio.clone()))
        .collect();
    let messaggio_di = |campo: String| -> Option<String> { errori_campo.get(&campo).cloned() };
    let secondi = (s.chiusura - ora()).num_seconds();
    let in_attesa_invio = in_coda()
        .iter()
        .any(|v| matches!(v.operazione, Operazione::InviaScheda { .. }) && v.rifiuto.is_none());
    let modificabile =
        s.compilabile && ricevuta().is_none() && editore() == Some(true) && !in_attesa_invio;
    let online = (offline.online)();

    let salva = move |_| salva_bozza(false);
    // Sending: the draft first if changed, then the intention to send; offline both wait in
    // the queue and the user is told the form is NOT sent yet.
    let invia = move |_: ()| async move {
        let Some(s) = corrente() else { return };
        in_corso.set(true);
        if s.dati.as_ref() != Some(&form()) {
            let op = Operazione::SalvaScheda {
                campagna: id(),
                comune: codice(),
                versione: s.versione,
                dati: form(),
            };
            crate::offline::modifica_coda(&utente(), {
                let voce = Voce {
                    chiave: crate::offline::nuova_chiave(),
                    operazione: op,
                    creata: crate::offline::adesso_ms(),
                    tentativi: 0,
                    rifiuto: None,
                };
                move |c| c.accoda(voce.clone())
            })
            .await;
        }
        let fine = offline
            .accoda_e_invia(
                &utente(),
                Operazione::InviaScheda {
                    campagna: id(),
                    comune: codice(),
                },
            )
            .await;
        in_corso.set(false);
        let c = crate::offline::coda(&utente()).await;
        in_coda.set(c.del_modulo(&modulo()).cloned().collect());
        let rifiuto = c.del_modulo(&modulo()).find_map(|v| v.rifiuto.clone());
        esito.set(Some(match (fine, rifiuto) {
            (_, Some(r)) => (false, r.messaggio),
            (Fine::Riprova, None) => (false, format!(
                "Sei offline: la scheda NON è ancora inviata. L'invio è in coda su questo dispositivo e partirà al ritorno \
                 della connessione; vale l'ora in cui il server lo riceve (termine: {}).",
                data_ora_estesa(s.chiusura)
            )),
            (Fine::Vuota, None) => (true, "Scheda inviata.".into()),
        }));
    };
    let dichiarata = s.dichiarazione.is_some();
    // The user's decision on a refused queued write.
    let decidi = move |chiave: String, mantieni: bool| async move {
        let Some(s) = corrente() else { return };
        let mut tenuta = None;
        crate::offline::modifica_coda(&utente(), {
            let chiave = chiave.clone();
            move |c| c.scarta(&chiave)
        })
        .await;
        if let Some(v) = in_coda().into_iter().find(|v| v.chiave == chiave) {
            if let Operazione::SalvaScheda { dati, .. } = v.operazione {
                tenuta = Some(dati);
            }
        }
        match (mantieni, tenuta) {
            (true, Some(dati)) => {
                form.set(con_righe(&Scheda {
                    dati: Some(dati),
                    ..s.clone()
                }));
                salva_bozza(false).await;
            }
            (false, Some(_)) => {
                form.set(con_righe(&s));
                esito.set(Some((true, "Ripresi i valori salvati sul server.".into())));
            }
            _ => esito.set(Some((
                true,
                "Operazione tolta dalla coda; i valori scritti restano nel modulo.".into(),
            ))),
        }
        let c = crate::offline::coda(&utente()).await;
        in_coda.set(c.del_modulo(&modulo()).cloned().collect());
        offline.conta(&utente()).await;
    };

    rsx! {
        document::Title { "Scheda — Servizi 0-6" }
        Briciole { voci: vec![("Rilevazioni".to_string(), Route::Rilevazioni {})], pagina: "Scheda" }
        h1 { class: "h2 my-2", "Scheda di {s.comune.nome}" }
        div { id: "stato-scheda", class: if s.compilabile { "alert alert-info" } else { "alert alert-warning" }, role: "status",
            p { class: "mb-1", id: "stato-scheda-messaggio", "{s.messaggio}" }
            if s.compilabile {
                ContoAllaRovescia { chiusura: s.chiusura, id: "conto-alla-rovescia", classe: "mb-0" }
            }
        }
        if editore() == Some(false) {
            div { id: "altra-finestra", class: "alert alert-warning", role: "alert",
                "Questa scheda è aperta in un'altra finestra o scheda del browser: qui puoi solo leggerla. "
                "Chiudi l'altra per modificarla qui (riprende da dove l'hai lasciata)." }
        }
        if da_copia() || !online {
            div { id: "avviso-offline", class: "alert alert-warning", role: "status",
                if da_copia() { "Sei offline: la scheda è quella conservata su questo dispositivo. " } else { "Sei offline. " }
                "Puoi continuare a compilare: le modifiche restano sul dispositivo e partono al ritorno della connessione. "
                "Per inviare la scheda serve la connessione: vale l'ora del server."
                if s.compilabile && secondi < 86_400 { strong { " Il termine è vicino: collegati appena puoi." } }
            }
        }
        if let Some((ok, t)) = esito() {
            div { id: "esito-scheda", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: "alert", "{t}" }
        }
        if in_attesa_invio {
            div { id: "invio-in-coda", class: "alert alert-warning", role: "status",
                "Invio in coda su questo dispositivo: la scheda NON è ancora inviata." }
        }
        for v in in_coda().into_iter().filter(|v| v.rifiuto.is_some()) {
            div { key: "{v.chiave}", class: "alert alert-danger modifica-rifiutata", role: "alert",
                p { class: "mb-1 fw-semibold", "{v.operazione.descrizione()} non accettata dal server:" }
                p { class: "mb-2", {v.rifiuto.as_ref().map(|r| r.messaggio.clone()).unwrap_or_default()} }
                if let Operazione::SalvaScheda { dati, .. } = &v.operazione {
                    ul { class: "small differenze",
                        for d in differenze(&s, dati) { li { key: "{d}", "{d}" } }
                    }
                }
                div { class: "d-flex flex-wrap gap-2",
                    if matches!(v.operazione, Operazione::SalvaScheda { .. }) && s.compilabile {
                        button { class: "btn btn-primary btn-sm mantieni-miei", disabled: in_corso(),
                            onclick: { let k = v.chiave.clone(); move |_| decidi(k.clone(), true) }, "Mantieni i miei valori" }
                        button { class: "btn btn-outline-primary btn-sm usa-salvati", disabled: in_corso(),
                            onclick: { let k = v.chiave.clone(); move |_| decidi(k.clone(), false) }, "Usa i valori salvati" }
                    } else {
                        button { class: "btn btn-outline-primary btn-sm scarta-rifiutata", disabled: in_corso(),
                            onclick: { let k = v.chiave.clone(); move |_| decidi(k.clone(), false) }, "Togli dalla coda (i valori restano nel modulo)" }
                    }
                }
            }
        }
        if let Some(r) = ricevuta() {
            div { id: "ricevuta", class: "card card-bg mb-4",
                div { class: "card-body",
                    h2 { class: "h5", "Ricevuta n. {r.numero}" }
                    p { class: "mb-1", "Inviata il {data_ora_estesa(r.quando)} da {r.da}." }
                    p { class: "small text-break", "Impronta SHA-256 dei dati inviati: " code { "{r.impronta}" } }
                    a { id: "scarica-ricevuta", class: "btn btn-outline-primary btn-sm",
                        href: "/api/v1/campagne/{id}/comuni/{codice}/scheda/ricevuta.pdf", download: "ricevuta-{r.numero}.pdf",
                        "Scarica la ricevuta (PDF)" }
                }
            }
        }
        if modificabile && !dichiarata {
            crate::components::dichiarazione::Dichiarazione {
                scheda: s.clone(),
                onconfermata: move |nuova: Scheda| async move {
                    form.set(con_righe(&nuova));
                    let copia = nuova.clone();
                    crate::offline::scrivi(&utente(), "copie", &modulo(), &copia).await;
                    corrente.set(Some(nuova));
                    esito.set(Some((true, "Dichiarazione confermata: ora puoi compilare la scheda.".into())));
                },
                onerrore: move |m: String| esito.set(Some((false, m))),
            }
        }
        for (i, riga) in form().righe.iter().enumerate().filter(|_| dichiarata) {
            fieldset { key: "{riga.servizio}", class: "border rounded p-3 mb-3",
                legend { class: "h6 float-none w-auto px-2",
                    {s.servizi.iter().find(|x| x.id == riga.servizio).map(|x| x.denominazione.clone()).unwrap_or_else(|| riga.servizio.clone())}
                }
                div { class: "row g-2",
                    for (f, (_, _, nome)) in FASCE.iter().enumerate() {
                        for (tipo, etichetta) in [("iscritti", "Iscritti"), ("frequentanti", "Frequentanti")] {
                            div { key: "{tipo}-{f}", class: "col-6 col-md-3",
                                CampoConteggio {
                                    id: format!("r{i}-{tipo}-{f}"),
                                    etichetta: format!("{etichetta} {nome}"),
                                    valore: if tipo == "iscritti" { riga.iscritti.get(f).cloned().unwrap_or_default() } else { riga.frequentanti.get(f).cloned().unwrap_or_default() },
                                    errore: messaggio_di(format!("righe[{i}].{tipo}[{f}]")),
                                    disabilitato: !modificabile,
                                    oninput: move |v: String| form.with_mut(|fm| {
                                        let r = &mut fm.righe[i];
                                        let col = if tipo == "iscritti" { &mut r.iscritti } else { &mut r.frequentanti };
                                        col.resize(4, String::new());
                                        col[f] = v;
                                    }),
                                }
                            }
                        }
                    }
                    div { class: "col-6 col-md-3",
                        CampoConteggio { id: format!("r{i}-disabili"), etichetta: "di cui con disabilità",
                            valore: riga.disabili.clone(), errore: messaggio_di(format!("righe[{i}].disabili")), disabilitato: !modificabile,
                            oninput: move |v: String| form.with_mut(|fm| fm.righe[i].disabili = v) }
                    }
                    div { class: "col-6 col-md-3",
                        CampoConteggio { id: format!("r{i}-posti"), etichetta: "Posti disponibili",
                            valore: riga.posti_disponibili.clone(), errore: messaggio_di(format!("righe[{i}].posti_disponibili")), disabilitato: !modificabile,
                            oninput: move |v: String| form.with_mut(|fm| fm.righe[i].posti_disponibili = v) }
                    }
                }
            }
        }
        if dichiarata { p { id: "totali", "Totale iscritti {totali.iscritti}, frequentanti {totali.frequentanti}, con disabilità {totali.disabili}, posti disponibili {totali.posti_disponibili}." } }
        if dichiarata && !avvisi.is_empty() {
            div { id: "avvisi", class: "alert alert-warning", role: "alert",
                ul { class: "mb-2", for a in avvisi.iter() { li { key: "{a.campo}", "{a.messaggio}" } } }
                label { r#for: "giustificazione", class: "form-label", "Giustificazione" }
                textarea { id: "giustificazione", class: "form-control", rows: "3", disabled: !modificabile,
                    value: "{form().giustificazione}",
                    oninput: move |e| form.with_mut(|f| f.giustificazione = e.value()) }
                if let Some(m) = messaggio_di("giustificazione".into()) {
                    div { id: "giustificazione-errore", class: "invalid-feedback d-block", "{m}" }
                }
            }
        }
        if modificabile && dichiarata {
            div { class: "d-flex flex-wrap gap-2 mb-5",
                button { id: "salva-bozza", class: "btn btn-outline-primary", disabled: !idratata() || in_corso(), onclick: salva, "Salva bozza" }
                button { id: "invia-scheda", class: "btn btn-primary", disabled: !idratata() || in_corso() || !puo_inviare, onclick: move |_| conferma_invio.set(true), "Invia" }
                Conferma { id: "conferma-invio", aperta: conferma_invio, ritorno: "invia-scheda",
                    titolo: "Inviare la scheda alla Regione?",
                    testo: "Inviata, la scheda non si può più modificare: la ricevuta ne fissa i dati, e solo la Regione può riaprirla o restituirla per correzioni.",
                    etichetta: "Invia", onconferma: invia }
            }
        }
    }
}

/// The cells where `mie` differs from the data saved on the server, in Italian.
fn differenze(s: &Scheda, mie: &FrequentantiForm) -> Vec<String> {
    let salvate = s.dati.clone().unwrap_or_default();
    let mut out = Vec::new();
    for r in &mie.righe {
        let nome = s
            .servizi
            .iter()
            .find(|x| x.id == r.servizio)
            .map(|x| x.denominazione.clone())
            .unwrap_or_default();
        let altra = salvate
            .righe
            .iter()
            .find(|x| x.servizio == r.servizio)
            .cloned()
            .unwrap_or_default();
        let mut confronta = |campo: String, mio: &str, suo: &str| {
            if mio.trim() != suo.trim() {
                out.push(format!("{nome}, {campo}: sul server «{suo}», tuo «{mio}»"));
            }
        };
        for (f, (_, _, fascia)) in FASCE.iter().enumerate() {
            let g = |v: &Vec<String>| v.get(f).cloned().unwrap_or_default();
            confronta(
                format!("iscritti {fascia}"),
                &g(&r.iscritti),
                &g(&altra.iscritti),
            );
            confronta(
                format!("frequentanti {fascia}"),
                &g(&r.frequentanti),
                &g(&altra.frequentanti),
            );
        }
        confronta("con disabilità".into(), &r.disabili, &altra.disabili);
        confronta(
            "posti disponibili".into(),
            &r.posti_disponibili,
            &altra.posti_disponibili,
        );
    }
    if mie.giustificazione.trim() != salvate.giustificazione.trim() {
        out.push(format!(
            "Giustificazione: sul server «{}», tua «{}»",
            salvate.giustificazione, mie.giustificazione
        ));
    }
    out
}

/// The form's data with a row for every service operating at the reference date.
fn con_righe(s: &Scheda) -> FrequentantiForm {
    let mut f = s.dati.clone().unwrap_or_default();
    for serv in &s.servizi {
        if !f.righe.iter().any(|r| r.servizio == serv.id) {
            f.righe.push(RigaForm {
                servizio: serv.id.clone(),
                iscritti: vec![String::new(); 4],
                frequentanti: vec![String::new(); 4],
                ..Default::default()
            });
        }
    }
    f.righe
        .retain(|r| s.servizi.iter().any(|x| x.id == r.servizio));
    f
}

#[component]
fn CampoConteggio(
    id: String,
    etichetta: String,
    valore: String,
    errore: Option<String>,
    disabilitato: bool,
    oninput: EventHandler<String>,
) -> Element {
    rsx! {
        crate::components::field::Campo {
            id,
            etichetta,
            valore,
            errore,
            autocomplete: "off",
            inputmode: "numeric",
            disabilitato,
            oninput,
        }
    }
}
