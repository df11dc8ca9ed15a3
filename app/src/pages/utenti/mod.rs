//! The Region's accounts: `/utenti` (the list, disabling and re-enabling, a new password,
//! a required change; regional accounts for administrators) and `/utenti/legali` (the comuni's
//! legal representatives, one by one or from a CSV file).

use crate::api::utenti::{
    cambio_obbligato, cambio_obbligato_tutti, crea_regionale, disabilita_utente, importa_legali,
    legali, registra_legale, reset_utente, riabilita_utente, utenti, FiltroLegali,
};
use crate::components::conferma::Conferma;
use crate::components::field::{Campo, Scelta};
use crate::components::navigazione::Briciole;
use crate::components::shell::{Idratata, Sessione};
use crate::components::stato::{Caricamento, ErroreCaricamento};
use crate::Route;
use dioxus::prelude::*;
use shared::auth::Ruolo;
use shared::text::message_for;
use shared::utente::{FiltroUtenti, IdentitaForm, LegaleForm, StatoUtente, UtenteVista};
use shared::FieldError;

fn serve_regione() -> Element {
    rsx! {
        div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
            "Questa pagina è per i funzionari della Regione. "
            Link { to: Route::Accesso { motivo: String::new() }, "Vai all'accesso" }
        }
    }
}

fn messaggio(e: &crate::api::AppError) -> String {
    e.0.fields()
        .first()
        .map_or_else(|| e.0.message(), |f| f.message.clone())
}

/// `/utenti`
#[component]
pub fn UtentiRegione() -> Element {
    let sessione = use_context::<Sessione>().0;
    let Some(u) = sessione().filter(|u| !u.ruolo.is_comunale()) else {
        return rsx! { h1 { "Utenti" } {serve_regione()} };
    };
    let amministratore = u.ruolo == Ruolo::Amministratore;
    rsx! {
        document::Title { "Utenti — Servizi 0-6" }
        h1 { "Utenti" }
        p {
            Link { to: Route::LegaliRappresentanti {}, id: "vai-legali", "Legali rappresentanti dei comuni" }
            " · "
            Link { to: Route::Registrazioni {}, id: "vai-coda", "Richieste di abilitazione" }
        }
        ElencoUtenti { amministratore }
        if amministratore {
            NuovoRegionale {}
            CambioPerTutti {}
        }
    }
}

#[component]
fn ElencoUtenti(amministratore: bool) -> Element {
    let mut ruolo = use_signal(String::new);
    let mut stato = use_signal(String::new);
    let mut q = use_signal(String::new);
    let mut filtro = use_signal(FiltroUtenti::default);
    let mut elenco = use_resource(move || async move { utenti(filtro()).await });
    let mut esito = use_signal(|| None::<(bool, String)>);
    let cerca = move |evt: FormEvent| {
        evt.prevent_default();
        filtro.set(FiltroUtenti {
            ruolo: ruolo(),
            stato: stato(),
            comune: String::new(),
            q: q(),
        });
    };
    rsx! {
        form { id: "filtri-utenti", class: "row g-2 align-items-end mb-3", onsubmit: cerca,
            div { class: "col-12 col-md-3",
                Scelta { id: "filtro-ruolo", etichetta: "Ruolo", vuota: "Tutti", valore: ruolo(),
                    opzioni: Ruolo::ALL.iter().map(|r| (r.code().to_owned(), r.label().to_owned())).collect::<Vec<_>>(),
                    errore: None, onchange: move |v: String| ruolo.set(v) }
            }
            div { class: "col-12 col-md-3",
                Scelta { id: "filtro-stato-utente", etichetta: "Stato", vuota: "Tutti", valore: stato(),
                    opzioni: StatoUtente::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect::<Vec<_>>(),
                    errore: None, onchange: move |v: String| stato.set(v) }
            }
            div { class: "col-12 col-md-4",
                Campo { id: "filtro-testo", etichetta: "Nome, codice fiscale o e-mail", valore: q(), errore: None,
                    oninput: move |v: String| q.set(v) }
            }
            div { class: "col-12 col-md-2 mb-4", button { id: "cerca-utenti", r#type: "submit", class: "btn btn-primary w-100", "Cerca" } }
        }
        if let Some((ok, m)) = esito() {
            div { id: "esito-utente", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: if ok { "status" } else { "alert" }, "{m}" }
        }
        match &*elenco.read() {
            None => rsx! { Caricamento {} },
            Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| elenco.restart() } },
            Some(Ok(v)) if v.is_empty() => rsx! { p { id: "nessun-utente", "Nessun account con questi filtri." } },
            Some(Ok(v)) => rsx! {
                p { id: "numero-utenti", "{v.len()} account." }
                ul { id: "elenco-utenti", class: "list-unstyled",
                    for u in v.iter().cloned() {
                        SchedaUtente { key: "{u.username}", gestibile: amministratore || u.ruolo.is_comunale(), u,
                            onfatto: move |m: Result<String, String>| {
                                esito.set(Some(match m { Ok(m) => (true, m), Err(m) => (false, m) }));
                                elenco.restart();
                            } }
                    }
                }
            },
        }
    }
}

/// One account with the Region's actions on it (each needs a reason but the new-password link).
#[component]
fn SchedaUtente(
    u: UtenteVista,
    gestibile: bool,
    onfatto: EventHandler<Result<String, String>>,
) -> Element {
    let mut motivo = use_signal(String::new);
    let mut conferma_disabilita = use_signal(|| false);
    let nome = format!("{} {}", u.nome, u.cognome);
    let username = u.username.clone();
    let azione = move |tipo: &'static str| {
        let (username, nome) = (username.clone(), nome.clone());
        move |_: ()| {
            let (username, nome) = (username.clone(), nome.clone());
            async move {
                let r = match tipo {
                    "disabilita" => disabilita_utente(username, motivo()).await.map(|_| format!("{nome}: account disabilitato; le sue sessioni sono chiuse.")),
                    "riabilita" => riabilita_utente(username, motivo()).await.map(|_| format!("{nome}: account riabilitato; riceverà un nuovo collegamento di attivazione.")),
                    "reset" => reset_utente(username).await.map(|_| format!("{nome}: inviato il collegamento per una nuova password.")),
                    _ => cambio_obbligato(username, motivo()).await.map(|_| format!("{nome}: al prossimo accesso dovrà scegliere una nuova password.")),
                };
                onfatto.call(r.map_err(|e| messaggio(&e)));
            }
        }
    };
    let comune = u
        .comune
        .as_ref()
        .map_or_else(|| "Regione".to_owned(), |c| c.nome.clone());
    rsx! {
        li { class: "border rounded p-3 mb-2", id: "utente-{u.username}",
            p { class: "mb-1",
                strong { "{u.nome} {u.cognome}" }
                " — {u.codice_fiscale} — {u.email} — {u.ruolo.label()} ({comune}) — "
                span { class: match u.stato { StatoUtente::Attivo => "badge bg-success", StatoUtente::InAttesa => "badge bg-warning text-dark", StatoUtente::Disabilitato => "badge bg-secondary" }, "{u.stato.label()}" }
                if u.cambio_obbligato { " — cambio password richiesto" }
            }
            p { class: "small mb-2",
                "Nome utente: {u.username}"
                if let Some(t) = u.ultimo_accesso { " — ultimo accesso: {shared::tempo::data_ora_italiana(t)}" }
            }
            if gestibile {
                Conferma { id: "conferma-disabilita-{u.username}", aperta: conferma_disabilita, ritorno: "disabilita-{u.username}",
                    titolo: "Disabilitare l'account di {u.nome} {u.cognome}?",
                    testo: "Ogni sessione aperta dell'account si chiude subito e i suoi collegamenti non valgono più. Per riaprirlo servirà una nuova attivazione: la vecchia password non funzionerà più.",
                    etichetta: "Disabilita", pericolosa: true, onconferma: azione("disabilita") }
                div { class: "row g-2 align-items-end",
                    div { class: "col-12 col-md-5",
                        Campo { id: "motivo-utente-{u.username}", etichetta: "Motivo", valore: motivo(), errore: None,
                            oninput: move |v: String| motivo.set(v) }
                    }
                    div { class: "col-12 col-md-7 d-flex flex-wrap gap-2 mb-4",
                        if u.stato == StatoUtente::Disabilitato {
                            button { id: "riabilita-{u.username}", class: "btn btn-outline-primary", onclick: { let f = azione("riabilita"); move |_| f(()) }, "Riabilita" }
                        } else {
                            button { id: "disabilita-{u.username}", class: "btn btn-danger", onclick: move |_| conferma_disabilita.set(true), "Disabilita" }
                        }
                        if u.stato == StatoUtente::Attivo {
                            button { id: "reset-{u.username}", class: "btn btn-outline-primary", onclick: { let f = azione("reset"); move |_| f(()) }, "Invia nuova password" }
                            button { id: "cambio-{u.username}", class: "btn btn-outline-primary", onclick: { let f = azione("cambio"); move |_| f(()) }, "Chiedi cambio password" }
                        }
                    }
                }
            }
        }
    }
}

/// An administrator creates a regional account.
#[component]
fn NuovoRegionale() -> Element {
    let mut f = use_signal(IdentitaForm::default);
    let mut ruolo = use_signal(|| Ruolo::FunzionarioRegionale.code().to_owned());
    let mut campi = use_signal(Vec::<FieldError>::new);
    let mut esito = use_signal(|| None::<String>);
    let locali = use_memo(move || {
        f().controlla()
            .err()
            .map(|e| e.fields().to_vec())
            .unwrap_or_default()
    });
    let mut tentato = use_signal(|| false);
    let errore = move |c: &str| -> Option<String> {
        let server = message_for(&campi.read(), c).map(str::to_owned);
        server.or_else(|| {
            if tentato() {
                message_for(&locali.read(), c).map(str::to_owned)
            } else {
                None
            }
        })
    };
    let crea = move |evt: FormEvent| async move {
        evt.prevent_default();
        tentato.set(true);
        if !locali.read().is_empty() {
            return;
        }
        match crea_regionale(f(), ruolo()).await {
            Ok(u) => {
                esito.set(Some(format!(
                    "Creato l'account {} ({}): riceverà il collegamento di attivazione.",
                    u.username,
                    u.ruolo.label()
                )));
                f.set(IdentitaForm::default());
                tentato.set(false);
                campi.set(Vec::new());
            }
            Err(e) => campi.set(if e.0.fields().is_empty() {
                vec![FieldError::new("nome", "errore", &e.0.message())]
            } else {
                e.0.fields().to_vec()
            }),
        }
    };
    rsx! {
        section { class: "mt-5", "aria-labelledby": "titolo-nuovo-regionale",
            h2 { id: "titolo-nuovo-regionale", class: "h4", "Nuovo account regionale" }
            if let Some(m) = esito() { div { id: "esito-nuovo-regionale", class: "alert alert-success", role: "status", "{m}" } }
            form { id: "form-nuovo-regionale", class: "row", novalidate: true, onsubmit: crea,
                div { class: "col-12 col-md-6", Campo { id: "nr-nome", etichetta: "Nome", valore: f().nome, errore: errore("nome"), oninput: move |v: String| f.with_mut(|x| x.nome = v) } }
                div { class: "col-12 col-md-6", Campo { id: "nr-cognome", etichetta: "Cognome", valore: f().cognome, errore: errore("cognome"), oninput: move |v: String| f.with_mut(|x| x.cognome = v) } }
                div { class: "col-12 col-md-6", Campo { id: "nr-cf", etichetta: "Codice fiscale", valore: f().codice_fiscale, errore: errore("codice_fiscale"), oninput: move |v: String| f.with_mut(|x| x.codice_fiscale = v) } }
                div { class: "col-12 col-md-6", Campo { id: "nr-email", etichetta: "E-mail", tipo: "email", valore: f().email, errore: errore("email"), oninput: move |v: String| f.with_mut(|x| x.email = v) } }
                div { class: "col-12 col-md-6",
                    Scelta { id: "nr-ruolo", etichetta: "Ruolo", valore: ruolo(),
                        opzioni: vec![
                            (Ruolo::FunzionarioRegionale.code().into(), Ruolo::FunzionarioRegionale.label().into()),
                            (Ruolo::Amministratore.code().into(), Ruolo::Amministratore.label().into()),
                        ],
                        errore: errore("ruolo"), onchange: move |v: String| ruolo.set(v) }
                }
                div { class: "col-12 col-md-6 mb-4", button { id: "crea-regionale", r#type: "submit", class: "btn btn-primary w-100", "Crea l'account" } }
            }
        }
    }
}

/// An administrator asks every active account for a new password.
#[component]
fn CambioPerTutti() -> Element {
    let mut motivo = use_signal(String::new);
    let mut esito = use_signal(|| None::<(bool, String)>);
    let invia = move |evt: FormEvent| async move {
        evt.prevent_default();
        esito.set(Some(match cambio_obbligato_tutti(motivo()).await {
            Ok(n) => (
                true,
                format!("{n} account dovranno scegliere una nuova password al prossimo accesso."),
            ),
            Err(e) => (false, messaggio(&e)),
        }));
    };
    rsx! {
        section { class: "mt-5", "aria-labelledby": "titolo-cambio-tutti",
            h2 { id: "titolo-cambio-tutti", class: "h4", "Cambio password per tutti" }
            p { "Da usare solo dopo una sospetta compromissione: ogni account attivo dovrà scegliere una nuova password al prossimo accesso." }
            if let Some((ok, m)) = esito() { div { id: "esito-cambio-tutti", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: if ok { "status" } else { "alert" }, "{m}" } }
            form { id: "form-cambio-tutti", class: "row", novalidate: true, onsubmit: invia,
                div { class: "col-12 col-md-8", Campo { id: "motivo-cambio-tutti", etichetta: "Motivo", valore: motivo(), errore: None, oninput: move |v: String| motivo.set(v) } }
                div { class: "col-12 col-md-4 mb-4", button { id: "cambio-tutti", r#type: "submit", class: "btn btn-danger w-100", "Chiedi a tutti" } }
            }
        }
    }
}

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
fn Legali() -> Element {
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
