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

mod amministratore;
mod legali;

use amministratore::*;
pub use legali::*;

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
