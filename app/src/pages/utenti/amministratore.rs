//! What only an administrator does on `/utenti`: create a regional account, ask every
//! active account for a new password.

use super::*;

/// An administrator creates a regional account.
#[component]
pub(super) fn NuovoRegionale() -> Element {
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
pub(super) fn CambioPerTutti() -> Element {
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
