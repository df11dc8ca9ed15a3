//! The Region's campaign pages: `/rilevazioni/nuova` (a new campaign; the eligible comuni typed,
//! pasted or loaded from a CSV file of ISTAT codes) and, on `/rilevazioni/{id}`, the campaign's
//! management: edit and publish a draft, extend the deadline (with its history and the public
//! notice), and every eligible comune's form with its state, where a comune's form is blocked,
//! unlocked, reopened or given its own later deadline. The server decides and audits each step.

use crate::api::campagne::{
    aggiorna_campagna, blocca_scheda, campagna, crea_campagna, proroga_campagna, proroga_scheda,
    pubblica_campagna, riapri_scheda, sblocca_scheda, scheda, schede,
};
use crate::api::AppError;
use crate::components::conferma::Conferma;
use crate::components::field::{Campo, Scelta};
use crate::components::navigazione::Briciole;
use crate::components::shell::{Idratata, Sessione};
use crate::components::stato::{Caricamento, ErroreCaricamento};
use crate::Route;
use dioxus::prelude::*;
use shared::campagna::{codici_da_csv, controlla_campagna, Campagna, CampagnaForm, StatoScheda};
use shared::campagna::{data_ora_estesa, StatoCampagna, TipoCampagna};
use shared::FieldError;
use std::collections::HashMap;

/// `/rilevazioni/nuova`
#[component]
pub fn NuovaRilevazione() -> Element {
    let sessione = use_context::<Sessione>().0;
    let nav = navigator();
    rsx! {
        document::Title { "Nuova rilevazione — Servizi 0-6" }
        Briciole { voci: vec![("Rilevazioni".to_string(), Route::Rilevazioni {})], pagina: "Nuova rilevazione" }
        h1 { class: "h2 my-2", "Nuova rilevazione" }
        match sessione() {
            Some(u) if !u.ruolo.is_comunale() => rsx! {
                p { "La rilevazione nasce in bozza: i comuni la vedono solo dopo la pubblicazione." }
                ModuloCampagna {
                    id: None,
                    iniziale: CampagnaForm { tipo: TipoCampagna::Frequentanti.code().into(), ..Default::default() },
                    onsalvata: move |c: Campagna| { nav.push(Route::Rilevazione { id: c.id }); },
                }
            },
            Some(_) => rsx! { div { class: "alert alert-info", role: "alert", "Le rilevazioni sono create dalla Regione." } },
            None => rsx! {
                div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
                    "Per vedere questa pagina devi accedere. "
                    Link { to: Route::Accesso { motivo: String::new() }, "Vai all'accesso" }
                }
            },
        }
    }
}

/// The campaign form (new, or edit of a draft when `id` is set), checked as you type by the
/// same rules the server runs.
#[component]
fn ModuloCampagna(
    id: Option<String>,
    iniziale: CampagnaForm,
    onsalvata: EventHandler<Campagna>,
) -> Element {
    let mut form = use_signal(|| iniziale.clone());
    let mut tentato = use_signal(|| false);
    let mut campi_server = use_signal(Vec::<FieldError>::new);
    let mut errore = use_signal(|| None::<String>);
    let mut esito_file = use_signal(|| None::<(bool, String)>);
    let mut in_corso = use_signal(|| false);
    let idratata = use_context::<Idratata>().0;
    let controllo = controlla_campagna(&form());
    let ammessi = match &controllo {
        Ok(d) => d
            .comuni_ammessi
            .as_ref()
            .map(|l| format!("{} comuni ammessi.", l.len()))
            .unwrap_or_else(|| "Tutti i comuni della Regione.".into()),
        Err(_) => String::new(),
    };
    let f = form();
    let valore = |campo: &str| -> String {
        match campo {
            "tipo" => f.tipo.clone(),
            "titolo" => f.titolo.clone(),
            "annualita" => f.annualita.clone(),
            "data_riferimento" => f.data_riferimento.clone(),
            "apertura" => f.apertura.clone(),
            "chiusura" => f.chiusura.clone(),
            _ => f.comuni.clone(),
        }
    };
    // The rules' messages on fields already typed (all of them after a save attempt), then
    // the server's, which win.
    let mut errori: HashMap<String, String> = controllo
        .as_ref()
        .err()
        .map(|e| e.fields().to_vec())
        .unwrap_or_default()
        .into_iter()
        .filter(|e| tentato() || !valore(&e.field).trim().is_empty())
        .map(|e| (e.field, e.message))
        .collect();
    errori.extend(campi_server().into_iter().map(|e| (e.field, e.message)));
    let di = move |campo: &str| errori.get(campo).cloned();
    let mut cambia = move |modifica: &dyn Fn(&mut CampagnaForm)| {
        form.with_mut(|f| modifica(f));
        campi_server.set(Vec::new());
    };
    let modifica = id.clone();
    let salva = move |_| {
        let modifica = modifica.clone();
        async move {
            tentato.set(true);
            if controlla_campagna(&form()).is_err() {
                errore.set(Some(
                    "Alcuni campi non sono validi: correggili e riprova.".into(),
                ));
                return;
            }
            in_corso.set(true);
            errore.set(None);
            let esito = match modifica {
                Some(id) => aggiorna_campagna(id, form()).await,
                None => crea_campagna(form()).await,
            };
            in_corso.set(false);
            match esito {
                Ok(c) => onsalvata.call(c),
                Err(e) => {
                    campi_server.set(e.0.fields().to_vec());
                    errore.set(Some(e.0.message()));
                }
            }
        }
    };
    let carica = move |e: FormEvent| async move {
        for file in e.files() {
            if file.size() > 1_000_000 {
                esito_file.set(Some((
                    false,
                    "Il file supera 1 MB: non è un elenco di comuni.".into(),
                )));
                return;
            }
            let esito = match file.read_bytes().await {
                // The codes are ASCII: any encoding the office saved the file in will do.
                Ok(b) => codici_da_csv(&String::from_utf8_lossy(&b)),
                Err(_) => Err("Il file non si può leggere.".into()),
            };
            match esito {
                Ok(codici) => {
                    esito_file.set(Some((
                        true,
                        format!("Dal file {}: {} codici ISTAT.", file.name(), codici.len()),
                    )));
                    cambia(&|f: &mut CampagnaForm| f.comuni = codici.join("\n"));
                }
                Err(m) => esito_file.set(Some((false, m))),
            }
        }
    };
    rsx! {
        form { id: "modulo-campagna", novalidate: true, onsubmit: move |e| e.prevent_default(),
            div { class: "row g-2",
                div { class: "col-12 col-md-4",
                    Scelta { id: "campagna-tipo", etichetta: "Tipo di rilevazione", valore: f.tipo.clone(),
                        opzioni: TipoCampagna::ALL.iter().map(|t| (t.code().to_owned(), t.label().to_owned())).collect::<Vec<_>>(),
                        errore: di("tipo"), onchange: move |v: String| cambia(&|f: &mut CampagnaForm| f.tipo = v.clone()) }
                }
                div { class: "col-12 col-md-8",
                    Campo { id: "campagna-titolo", etichetta: "Titolo", valore: f.titolo.clone(), errore: di("titolo"),
                        oninput: move |v: String| cambia(&|f: &mut CampagnaForm| f.titolo = v.clone()) }
                }
                div { class: "col-6 col-md-3",
                    Campo { id: "campagna-annualita", etichetta: "Annualità", valore: f.annualita.clone(), errore: di("annualita"), inputmode: "numeric",
                        oninput: move |v: String| cambia(&|f: &mut CampagnaForm| f.annualita = v.clone()) }
                }
                div { class: "col-6 col-md-3",
                    Campo { id: "campagna-riferimento", etichetta: "Data di riferimento (gg/mm/aaaa)", valore: f.data_riferimento.clone(),
                        errore: di("data_riferimento"), inputmode: "numeric",
                        oninput: move |v: String| cambia(&|f: &mut CampagnaForm| f.data_riferimento = v.clone()) }
                }
                div { class: "col-12 col-md-3",
                    Campo { id: "campagna-apertura", etichetta: "Apertura (gg/mm/aaaa hh:mm)", valore: f.apertura.clone(), errore: di("apertura"),
                        oninput: move |v: String| cambia(&|f: &mut CampagnaForm| f.apertura = v.clone()) }
                }
                div { class: "col-12 col-md-3",
                    Campo { id: "campagna-chiusura", etichetta: "Chiusura (gg/mm/aaaa hh:mm)", valore: f.chiusura.clone(), errore: di("chiusura"),
                        oninput: move |v: String| cambia(&|f: &mut CampagnaForm| f.chiusura = v.clone()) }
                }
            }
            p { class: "small text-muted", "Date e ore sono quelle italiane (Europe/Rome)." }
            div { class: "form-group mb-2",
                label { r#for: "campagna-comuni", class: "active", "Comuni ammessi: codici ISTAT (vuoto: tutti i comuni della Regione)" }
                textarea { id: "campagna-comuni", class: if di("comuni").is_some() { "form-control is-invalid" } else { "form-control" },
                    rows: "3", value: "{f.comuni}", "aria-describedby": "campagna-comuni-errore campagna-comuni-conteggio",
                    oninput: move |e| cambia(&|f: &mut CampagnaForm| f.comuni = e.value()) }
                if let Some(m) = di("comuni") { div { id: "campagna-comuni-errore", class: "invalid-feedback d-block", "{m}" } }
                p { id: "campagna-comuni-conteggio", class: "small mb-0", "{ammessi}" }
            }
            div { class: "mb-4",
                label { r#for: "campagna-comuni-file", class: "form-label small", "Oppure carica un file CSV con i codici ISTAT (una riga per comune)" }
                input { id: "campagna-comuni-file", r#type: "file", accept: ".csv,.txt,text/csv", class: "form-control form-control-sm",
                    disabled: !idratata(), onchange: carica }
                if let Some((ok, m)) = esito_file() {
                    p { id: "esito-file-comuni", class: if ok { "small text-success" } else { "small text-danger" }, role: "status", "{m}" }
                }
            }
            if let Some(e) = errore() {
                div { id: "errore-campagna", class: "alert alert-danger", role: "alert", "{e}" }
            }
            button { id: "salva-campagna", r#type: "button", class: "btn btn-primary", disabled: !idratata() || in_corso(), onclick: salva,
                if id.is_some() { "Salva le modifiche" } else { "Crea la rilevazione in bozza" }
            }
        }
    }
}

/// Italian message of a failed call.
fn messaggio(e: AppError) -> String {
    e.0.message()
}

/// The Region's page of one campaign.
#[component]
pub fn GestioneCampagna(id: String) -> Element {
    let id = use_signal(|| id);
    let mut c = use_resource(move || async move { campagna(id()).await });
    let mut righe = use_resource(move || async move { schede(id()).await });
    let mut esito = use_signal(|| None::<(bool, String)>);
    let mut in_corso = use_signal(|| false);
    let mut modifica = use_signal(|| false);
    let mut conferma_pubblica = use_signal(|| false);
    let idratata = use_context::<Idratata>().0;
    let pubblica = move |_: ()| async move {
        in_corso.set(true);
        let r = pubblica_campagna(id()).await;
        in_corso.set(false);
        match r {
            Ok(_) => {
                esito.set(Some((
                    true,
                    "Rilevazione pubblicata: i comuni ammessi la vedono.".into(),
                )));
                c.restart();
            }
            Err(e) => esito.set(Some((false, messaggio(e)))),
        }
    };
    let Some(Ok(camp)) = &*c.read() else {
        return rsx! {
            match &*c.read() {
                Some(Err(e)) => rsx! { div { id: "errore-quadro", ErroreCaricamento { errore: e.clone(), riprova: move |_| c.restart() } } },
                _ => rsx! { Caricamento { riprova: move |_| c.restart() } },
            }
        };
    };
    let camp = camp.clone();
    let bozza = camp.stato == StatoCampagna::Bozza;
    rsx! {
        document::Title { "{camp.dati.titolo} — Servizi 0-6" }
        Briciole { voci: vec![("Rilevazioni".to_string(), Route::Rilevazioni {})], pagina: camp.dati.titolo.clone() }
        h1 { class: "h2 my-2", "{camp.dati.titolo}" }
        dl { class: "row", id: "dati-campagna",
            dt { class: "col-sm-4", "Stato" } dd { class: "col-sm-8", id: "stato-campagna", "{camp.stato.label()}" }
            dt { class: "col-sm-4", "Tipo e annualità" } dd { class: "col-sm-8", "{camp.dati.tipo.label()}, {camp.dati.annualita}" }
            dt { class: "col-sm-4", "Data di riferimento" } dd { class: "col-sm-8", {shared::tempo::data_italiana(camp.dati.data_riferimento)} }
            dt { class: "col-sm-4", "Apertura" } dd { class: "col-sm-8", {data_ora_estesa(camp.dati.apertura)} }
            dt { class: "col-sm-4", "Termine" } dd { class: "col-sm-8", id: "termine-campagna", {data_ora_estesa(camp.chiusura_in_vigore)} }
            dt { class: "col-sm-4", "Comuni ammessi" }
            dd { class: "col-sm-8", {camp.dati.comuni_ammessi.as_ref().map(|l| l.len().to_string()).unwrap_or_else(|| "Tutti i comuni della Regione".into())} }
        }
        if camp.dati.tipo != TipoCampagna::Frequentanti {
            div { id: "esportazioni", class: "d-flex flex-wrap gap-2 mb-3",
                a { class: "btn btn-outline-primary btn-sm", href: "/api/v1/campagne/{camp.id}/esportazione.xlsx", download: "rilevazione.xlsx", "Scarica XLSX" }
                for foglio in ["comuni", "interventi", "province"] {
                    a { key: "{foglio}", class: "btn btn-outline-primary btn-sm", href: "/api/v1/campagne/{camp.id}/esportazione.csv?foglio={foglio}",
                        download: "rilevazione-{foglio}.csv", "CSV {foglio}" }
                }
            }
        }
        if let Some((ok, t)) = esito() {
            div { id: "esito-campagna", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: "alert", "{t}" }
        }
        Conferma { id: "conferma-pubblica", aperta: conferma_pubblica, ritorno: "pubblica-campagna",
            titolo: "Pubblicare la rilevazione?",
            testo: "Una volta pubblicata, i comuni ammessi la vedono e la rilevazione non si può più modificare: si potranno solo prorogarne i termini.",
            etichetta: "Pubblica", onconferma: pubblica }
        if bozza {
            div { class: "d-flex flex-wrap gap-2 mb-4",
                button { id: "pubblica-campagna", class: "btn btn-primary", disabled: !idratata() || in_corso(), onclick: move |_| conferma_pubblica.set(true), "Pubblica" }
                button { id: "modifica-campagna", class: "btn btn-outline-primary", disabled: !idratata(), onclick: move |_| modifica.toggle(),
                    if modifica() { "Chiudi la modifica" } else { "Modifica" } }
            }
            if modifica() {
                ModuloCampagna {
                    id: Some(camp.id.clone()),
                    iniziale: CampagnaForm::da_dati(&camp.dati),
                    onsalvata: move |_| {
                        modifica.set(false);
                        esito.set(Some((true, "Modifiche salvate.".into())));
                        c.restart();
                        righe.restart();
                    },
                }
            }
        } else {
            Proroga { id: camp.id.clone(), campagna: camp.clone(), onfatta: move |avviso: String| {
                esito.set(Some((true, format!("Proroga registrata. Testo dell'avviso: {avviso}"))));
                c.restart();
            } }
        }
        QuadroSchede { id: camp.id.clone(), righe, onmodificata: move |_| { righe.restart(); } }
    }
}

/// The global extension: the history and a form for a new one.
#[component]
fn Proroga(id: String, campagna: Campagna, onfatta: EventHandler<String>) -> Element {
    let mut chiusura = use_signal(String::new);
    let mut motivo = use_signal(String::new);
    let mut errore = use_signal(|| None::<String>);
    let mut in_corso = use_signal(|| false);
    let idratata = use_context::<Idratata>().0;
    let proroga = move |_| {
        let id = id.clone();
        async move {
            in_corso.set(true);
            let r = proroga_campagna(id, chiusura(), motivo()).await;
            in_corso.set(false);
            match r {
                Ok(p) => {
                    errore.set(None);
                    chiusura.set(String::new());
                    motivo.set(String::new());
                    onfatta.call(p.avviso);
                }
                Err(e) => errore.set(Some(messaggio(e))),
            }
        }
    };
    rsx! {
        section { id: "proroghe", class: "mb-4",
            h2 { class: "h5", "Proroghe" }
            if campagna.proroghe.is_empty() {
                p { class: "text-muted", "Nessuna proroga." }
            } else {
                ol { id: "storia-proroghe",
                    for p in campagna.proroghe.iter() {
                        li { key: "{p.quando}", "Al {data_ora_estesa(p.chiusura)} — {p.motivo} (da {p.da}, {data_ora_estesa(p.quando)})" }
                    }
                }
            }
            div { class: "row g-2 align-items-end",
                div { class: "col-12 col-md-4",
                    Campo { id: "proroga-chiusura", etichetta: "Nuovo termine (gg/mm/aaaa hh:mm)", valore: chiusura(), errore: None,
                        oninput: move |v: String| chiusura.set(v) }
                }
                div { class: "col-12 col-md-5",
                    Campo { id: "proroga-motivo", etichetta: "Motivo", valore: motivo(), errore: None, oninput: move |v: String| motivo.set(v) }
                }
                div { class: "col-12 col-md-3 mb-4",
                    button { id: "proroga-campagna", class: "btn btn-outline-primary", disabled: !idratata() || in_corso(), onclick: proroga, "Proroga per tutti" }
                }
            }
            if let Some(e) = errore() { div { id: "errore-proroga", class: "alert alert-danger", role: "alert", "{e}" } }
        }
    }
}

/// Every eligible comune's form, filterable; "Gestisci" opens the actions on one comune.
#[component]
fn QuadroSchede(
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
fn GestioneScheda(
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

/// The Region's review of a sent form: what changed since the previous version, then accept it
/// or return it with a comment on a field or section.
#[component]
fn Revisione(
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
