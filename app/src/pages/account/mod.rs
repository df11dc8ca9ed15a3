//! One's own account: the page a link opens to choose a password (activation, reset),
//! "password dimenticata", "verifica credenziali", and "Il mio account" (change the password).

use crate::api::account::{
    attiva, cambia_password, info_link, nuova_password, password_dimenticata, verifica_credenziali,
};
use crate::components::field::Campo;
use crate::components::password::{use_password_comuni, RegolePassword};
use crate::components::shell::{Idratata, Sessione};
use crate::Route;
use dioxus::prelude::*;
use shared::account::{EsitoVerifica, InfoLink, ScopoLink};
use shared::password::ContestoPassword;
use shared::text::message_for;
use shared::FieldError;

mod credenziali;

pub use credenziali::*;

/// The token in the page's address (`#t=…`), read once in the browser and then removed from
/// the address bar (it stays out of the history and of screenshots).
fn leggi_token() -> Option<String> {
    #[cfg(feature = "web")]
    {
        let w = web_sys::window()?;
        let hash = w.location().hash().ok()?;
        let token = hash.strip_prefix("#t=")?.to_owned();
        if let Ok(h) = w.history() {
            let pulito = w.location().pathname().unwrap_or_default();
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&pulito));
        }
        Some(token)
    }
    #[cfg(not(feature = "web"))]
    None
}

/// `/attivazione#t=…`
#[component]
pub fn Attivazione() -> Element {
    rsx! { ImpostaPassword { scopo: ScopoLink::Attivazione } }
}

/// `/nuova-password#t=…`
#[component]
pub fn NuovaPassword() -> Element {
    rsx! { ImpostaPassword { scopo: ScopoLink::Reset } }
}

/// Where the page of a link stands.
#[derive(Clone, PartialEq)]
enum StatoLink {
    /// Reading the address and asking the server.
    Verifica,
    /// The link works: whose account.
    Valido(String, InfoLink),
    /// It does not (the message says why).
    NonValido(String),
    /// Done.
    Fatto,
}

#[component]
fn ImpostaPassword(scopo: ScopoLink) -> Element {
    let mut stato = use_signal(|| StatoLink::Verifica);
    let mut password = use_signal(String::new);
    let mut conferma = use_signal(String::new);
    let mut campi = use_signal(Vec::<FieldError>::new);
    let mut in_corso = use_signal(|| false);
    let comuni = use_password_comuni();
    let idratata = use_context::<Idratata>().0;
    let titolo = match scopo {
        ScopoLink::Attivazione => "Attivazione dell'account",
        ScopoLink::Reset => "Nuova password",
    };
    use_effect(move || {
        if !idratata() {
            return;
        }
        spawn(async move {
            let Some(token) = leggi_token() else {
                stato.set(StatoLink::NonValido(
                    "L'indirizzo non contiene il collegamento ricevuto per e-mail: aprilo dal messaggio, senza modificarlo.".into(),
                ));
                return;
            };
            match info_link(token.clone()).await {
                Ok(i) if i.scopo == scopo => stato.set(StatoLink::Valido(token, i)),
                Ok(_) => stato.set(StatoLink::NonValido(
                    "Questo collegamento serve a un'altra operazione: aprilo dal messaggio ricevuto.".into(),
                )),
                Err(e) => stato.set(StatoLink::NonValido(
                    e.0.fields().first().map_or_else(|| e.0.message(), |f| f.message.clone()),
                )),
            }
        });
    });
    let invia = move |evt: FormEvent| async move {
        evt.prevent_default();
        let StatoLink::Valido(token, _) = stato() else {
            return;
        };
        in_corso.set(true);
        let esito = match scopo {
            ScopoLink::Attivazione => attiva(token, password(), conferma()).await,
            ScopoLink::Reset => nuova_password(token, password(), conferma()).await,
        };
        in_corso.set(false);
        match esito {
            Ok(()) => stato.set(StatoLink::Fatto),
            Err(e) if e.0.fields().iter().any(|f| f.field == "token") => {
                stato.set(StatoLink::NonValido(e.0.fields()[0].message.clone()))
            }
            Err(e) => campi.set(if e.0.fields().is_empty() {
                vec![FieldError::new("password", "errore", &e.0.message())]
            } else {
                e.0.fields().to_vec()
            }),
        }
    };
    rsx! {
        document::Title { "{titolo} — Servizi 0-6" }
        div { class: "row justify-content-center",
            div { class: "col-12 col-md-8 col-lg-6",
                h1 { "{titolo}" }
                match stato() {
                    StatoLink::Verifica => rsx! {
                        p { id: "link-verifica", role: "status", "Verifica del collegamento in corso…" }
                    },
                    StatoLink::NonValido(msg) => rsx! {
                        div { id: "link-non-valido", class: "alert alert-warning", role: "alert",
                            p { "{msg}" }
                            Link { to: Route::PasswordDimenticata {}, "Chiedi un nuovo collegamento" }
                        }
                    },
                    StatoLink::Fatto => rsx! {
                        div { id: "password-impostata", class: "alert alert-success", role: "status",
                            p { "La password è impostata. Ora puoi accedere con il tuo codice fiscale (o il nome utente) e la nuova password." }
                            Link { to: Route::Accesso { motivo: String::new() }, id: "vai-accesso", class: "btn btn-primary", "Vai all'accesso" }
                        }
                    },
                    StatoLink::Valido(_, info) => {
                        let contesto = ContestoPassword {
                            nome: info.nome.clone(),
                            cognome: info.cognome.clone(),
                            codice_fiscale: info.codice_fiscale.clone(),
                            username: info.username.clone(),
                        };
                        rsx! {
                            p { id: "saluto-link",
                                "Ciao {info.nome} {info.cognome}: scegli la password del tuo account (nome utente "
                                strong { "{info.username}" } ")."
                            }
                            form { id: "form-password", novalidate: true, onsubmit: invia,
                                // For password managers: the account the new password belongs to.
                                input { r#type: "text", class: "d-none", autocomplete: "username", value: "{info.username}", readonly: true, "aria-hidden": "true", tabindex: "-1" }
                                Campo { id: "password", etichetta: "Nuova password", tipo: "password", valore: password(), autocomplete: "new-password",
                                    errore: message_for(&campi.read(), "password").map(str::to_owned),
                                    oninput: move |v: String| { password.set(v); campi.set(Vec::new()); } }
                                Campo { id: "conferma", etichetta: "Ripeti la nuova password", tipo: "password", valore: conferma(), autocomplete: "new-password",
                                    errore: message_for(&campi.read(), "conferma").map(str::to_owned),
                                    oninput: move |v: String| { conferma.set(v); campi.set(Vec::new()); } }
                                RegolePassword { password: password(), conferma: conferma(), contesto, comuni }
                                button { id: "salva-password", r#type: "submit", class: "btn btn-primary w-100", disabled: in_corso(),
                                    if in_corso() { "Salvataggio…" } else { "Salva la password" }
                                }
                            }
                        }
                    },
                }
            }
        }
    }
}

/// `/account`: who you are, and changing your password (required before anything else when
/// the Region asked for it or the password expired).
#[component]
pub fn MioAccount() -> Element {
    let mut sessione = use_context::<Sessione>().0;
    let mut attuale = use_signal(String::new);
    let mut password = use_signal(String::new);
    let mut conferma = use_signal(String::new);
    let mut campi = use_signal(Vec::<FieldError>::new);
    let mut fatto = use_signal(|| false);
    let mut in_corso = use_signal(|| false);
    let comuni = use_password_comuni();
    let Some(u) = sessione() else {
        return rsx! {
            h1 { "Il mio account" }
            div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
                "Per vedere questa pagina devi accedere. "
                Link { to: Route::Accesso { motivo: String::new() }, "Vai all'accesso" }
            }
        };
    };
    let invia = move |evt: FormEvent| async move {
        evt.prevent_default();
        in_corso.set(true);
        let r = cambia_password(attuale(), password(), conferma()).await;
        in_corso.set(false);
        match r {
            Ok(()) => {
                fatto.set(true);
                attuale.set(String::new());
                password.set(String::new());
                conferma.set(String::new());
                sessione.with_mut(|s| {
                    if let Some(s) = s {
                        s.cambio_password = false;
                    }
                });
            }
            Err(e) => campi.set(if e.0.fields().is_empty() {
                vec![FieldError::new("password", "errore", &e.0.message())]
            } else {
                e.0.fields().to_vec()
            }),
        }
    };
    let (nome, cognome) = u
        .nome_completo
        .split_once(' ')
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .unwrap_or_default();
    let contesto = ContestoPassword {
        nome,
        cognome,
        codice_fiscale: String::new(),
        username: u.username.clone(),
    };
    rsx! {
        document::Title { "Il mio account — Servizi 0-6" }
        h1 { "Il mio account" }
        if u.cambio_password {
            div { id: "cambio-richiesto", class: "alert alert-warning", role: "alert",
                "Prima di continuare scegli una nuova password: la Regione l'ha chiesto, o la password attuale è scaduta."
            }
        }
        dl { class: "row",
            dt { class: "col-sm-3", "Nome" } dd { class: "col-sm-9", "{u.nome_completo}" }
            dt { class: "col-sm-3", "Nome utente" } dd { class: "col-sm-9", "{u.username}" }
            dt { class: "col-sm-3", "Profilo" } dd { class: "col-sm-9", "{u.ruolo.label()}" }
        }
        h2 { class: "h4", "Cambia la password" }
        p { "Cambiando la password si chiudono le sessioni aperte su altri dispositivi." }
        if fatto() {
            div { id: "password-cambiata", class: "alert alert-success", role: "status", "La password è stata cambiata." }
        }
        div { class: "row", div { class: "col-12 col-md-8 col-lg-6",
            form { id: "form-cambio-password", novalidate: true, onsubmit: invia,
                Campo { id: "attuale", etichetta: "Password attuale", tipo: "password", valore: attuale(), autocomplete: "current-password",
                    errore: message_for(&campi.read(), "attuale").map(str::to_owned),
                    oninput: move |v: String| { attuale.set(v); campi.set(Vec::new()); fatto.set(false); } }
                Campo { id: "password", etichetta: "Nuova password", tipo: "password", valore: password(), autocomplete: "new-password",
                    errore: message_for(&campi.read(), "password").map(str::to_owned),
                    oninput: move |v: String| { password.set(v); campi.set(Vec::new()); fatto.set(false); } }
                Campo { id: "conferma", etichetta: "Ripeti la nuova password", tipo: "password", valore: conferma(), autocomplete: "new-password",
                    errore: message_for(&campi.read(), "conferma").map(str::to_owned),
                    oninput: move |v: String| { conferma.set(v); campi.set(Vec::new()); } }
                RegolePassword { password: password(), conferma: conferma(), contesto, comuni }
                button { id: "salva-password", r#type: "submit", class: "btn btn-primary", disabled: in_corso(), "Cambia la password" }
            }
        } }
    }
}
