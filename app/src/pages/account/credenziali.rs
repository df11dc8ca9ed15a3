//! `/password-dimenticata` and `/verifica-credenziali`: the two pages that work without a
//! session.

use super::*;

/// `/password-dimenticata`
#[component]
pub fn PasswordDimenticata() -> Element {
    let mut ident = use_signal(String::new);
    let mut esito = use_signal(|| None::<Result<String, String>>);
    let mut in_corso = use_signal(|| false);
    let idratata = use_context::<Idratata>().0;
    let invia = move |evt: FormEvent| async move {
        evt.prevent_default();
        in_corso.set(true);
        let r = password_dimenticata(ident()).await;
        in_corso.set(false);
        esito.set(Some(match r {
            Ok(p) => Ok(p.messaggio),
            Err(e) => Err(e
                .0
                .fields()
                .first()
                .map_or_else(|| e.0.message(), |f| f.message.clone())),
        }));
    };
    rsx! {
        document::Title { "Password dimenticata — Servizi 0-6" }
        div { class: "row justify-content-center",
            div { class: "col-12 col-md-8 col-lg-5",
                h1 { "Password dimenticata" }
                p { "Indica il tuo codice fiscale, il nome utente o l'indirizzo e-mail del tuo account: riceverai un collegamento per scegliere una nuova password." }
                match esito() {
                    Some(Ok(m)) => rsx! { div { id: "esito-reset", class: "alert alert-info", role: "status", "{m}" } },
                    _ => rsx! {
                        form { id: "form-reset", novalidate: true, onsubmit: invia,
                            Campo { id: "identificativo", etichetta: "Codice fiscale, nome utente o e-mail", valore: ident(), autocomplete: "username",
                                errore: match esito() { Some(Err(m)) => Some(m), _ => None },
                                oninput: move |v: String| { ident.set(v); esito.set(None); } }
                            button { id: "invia-reset", r#type: "submit", class: "btn btn-primary w-100", disabled: !idratata() || in_corso(), "Invia il collegamento" }
                        }
                    },
                }
                p { class: "mt-3", Link { to: Route::Accesso { motivo: String::new() }, "Torna all'accesso" } }
            }
        }
    }
}

/// `/verifica-credenziali`
#[component]
pub fn VerificaCredenziali() -> Element {
    let mut username = use_signal(String::new);
    let mut password = use_signal(String::new);
    let mut esito = use_signal(|| None::<Result<(EsitoVerifica, String), String>>);
    let mut in_corso = use_signal(|| false);
    let idratata = use_context::<Idratata>().0;
    let invia = move |evt: FormEvent| async move {
        evt.prevent_default();
        in_corso.set(true);
        let r = verifica_credenziali(username(), password()).await;
        in_corso.set(false);
        esito.set(Some(match r {
            Ok(v) => Ok((v.esito, v.messaggio)),
            Err(e) => Err(e.0.message()),
        }));
    };
    rsx! {
        document::Title { "Verifica credenziali — Servizi 0-6" }
        div { class: "row justify-content-center",
            div { class: "col-12 col-md-8 col-lg-5",
                h1 { "Verifica credenziali" }
                p { "Controlla che le tue credenziali funzionino e quando scade la password, senza entrare nel servizio." }
                if let Some(e) = esito() {
                    match e {
                        Ok((EsitoVerifica::Valide, m)) => rsx! { div { id: "esito-verifica", class: "alert alert-success", role: "status", "{m}" } },
                        Ok((_, m)) => rsx! { div { id: "esito-verifica", class: "alert alert-warning", role: "status", "{m}" } },
                        Err(m) => rsx! { div { id: "esito-verifica", class: "alert alert-danger", role: "alert", "{m}" } },
                    }
                }
                form { id: "form-verifica", novalidate: true, onsubmit: invia,
                    Campo { id: "username", etichetta: "Codice fiscale o nome utente", valore: username(), autocomplete: "username",
                        errore: None, oninput: move |v: String| username.set(v) }
                    Campo { id: "password", etichetta: "Password", tipo: "password", valore: password(), autocomplete: "current-password",
                        errore: None, oninput: move |v: String| password.set(v) }
                    button { id: "verifica", r#type: "submit", class: "btn btn-primary w-100", disabled: !idratata() || in_corso(), "Verifica" }
                }
            }
        }
    }
}
