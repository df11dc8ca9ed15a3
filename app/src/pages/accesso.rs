//! Login page: the rules from `shared` run on every keystroke; the server checks again.

use crate::api::auth::login;
use crate::components::field::Campo;
use crate::components::shell::Sessione;
use crate::Route;
use dioxus::prelude::*;
use shared::auth::LoginForm;
use shared::text::{field_errors, message_for};
use shared::FieldError;
use validator::Validate;

/// Where the login form posts when the app has not started yet (a plain HTML form): the
/// server answers with a redirect to the personal home, or back here with `?motivo=`.
pub const ACCESSO_SENZA_APP: &str = "/accesso/entra";

/// The message of a refused plain-form login (`?motivo=`).
fn messaggio_motivo(motivo: &str) -> Option<&'static str> {
    match motivo {
        "credenziali" => Some("Nome utente o password non corretti."),
        "dati" => Some("Inserisci il codice fiscale (o il nome utente) e la password."),
        "tentativi" => {
            Some("Troppi tentativi di accesso non riusciti: riprova tra qualche minuto.")
        }
        "errore" => Some("Si è verificato un errore imprevisto. Riprova tra poco."),
        _ => None,
    }
}

/// `/accesso` (`?motivo=` after a refused plain-form login)
#[component]
pub fn Accesso(motivo: String) -> Element {
    let mut username = use_signal(String::new);
    let mut password = use_signal(String::new);
    // Fields the user has touched: their errors show while typing.
    let mut toccati = use_signal(|| (false, false));
    let mut errore_server = use_signal(move || messaggio_motivo(&motivo).map(str::to_owned));
    let mut campi_server = use_signal(Vec::<FieldError>::new);
    let mut in_corso = use_signal(|| false);
    let mut sessione = use_context::<Sessione>().0;
    let nav = navigator();

    let form = use_memo(move || LoginForm {
        username: username(),
        password: password(),
    });
    let errori = use_memo(move || match form().normalized().validate() {
        Ok(()) => Vec::new(),
        Err(e) => field_errors(&e),
    });
    let errore_di = move |campo: &str, toccato: bool| -> Option<String> {
        let locale = errori.read();
        let server = campi_server.read();
        message_for(&server, campo)
            .or(if toccato {
                message_for(&locale, campo)
            } else {
                None
            })
            .map(str::to_owned)
    };

    let invia = move |evt: FormEvent| async move {
        evt.prevent_default();
        toccati.set((true, true));
        campi_server.set(Vec::new());
        errore_server.set(None);
        if !errori.read().is_empty() {
            return;
        }
        in_corso.set(true);
        let risultato = login(username(), password()).await;
        in_corso.set(false);
        match risultato {
            Ok(utente) => {
                let cambio = utente.cambio_password;
                sessione.set(Some(utente));
                if cambio {
                    nav.push(Route::MioAccount {});
                } else {
                    nav.push(Route::AreaRiservata {});
                }
            }
            Err(e) => {
                campi_server.set(e.0.fields().to_vec());
                errore_server.set(Some(e.0.message()));
            }
        }
    };

    rsx! {
        document::Title { "Accesso — Servizi 0-6" }
        div { class: "row justify-content-center",
            div { class: "col-12 col-md-8 col-lg-5",
                h1 { "Accesso" }
                p { "Accedi con il tuo codice fiscale (o il nome utente) e la password che hai scelto attivando l'account." }
                if let Some(msg) = errore_server() {
                    div { id: "login-errore", class: "alert alert-danger", role: "alert", "{msg}" }
                }
                // Before the app starts, a plain form post to the server (nothing typed is lost
                // and nothing goes into the address); once started, the app's own call.
                form { id: "form-accesso", method: "post", action: ACCESSO_SENZA_APP, novalidate: true, onsubmit: invia,
                    Campo {
                        id: "username",
                        etichetta: "Codice fiscale o nome utente",
                        valore: username(),
                        autocomplete: "username",
                        errore: errore_di("username", toccati().0),
                        oninput: move |v: String| {
                            username.set(v);
                            toccati.with_mut(|t| t.0 = true);
                            campi_server.with_mut(|c| c.retain(|f| f.field != "username"));
                        },
                    }
                    Campo {
                        id: "password",
                        etichetta: "Password",
                        tipo: "password",
                        valore: password(),
                        autocomplete: "current-password",
                        errore: errore_di("password", toccati().1),
                        oninput: move |v: String| {
                            password.set(v);
                            toccati.with_mut(|t| t.1 = true);
                            campi_server.with_mut(|c| c.retain(|f| f.field != "password"));
                        },
                    }
                    button {
                        id: "entra",
                        r#type: "submit",
                        class: "btn btn-primary w-100",
                        disabled: in_corso(),
                        if in_corso() { "Accesso in corso…" } else { "Entra" }
                    }
                }
                ul { class: "list-unstyled mt-3",
                    li { Link { to: Route::PasswordDimenticata {}, id: "link-password-dimenticata", "Password dimenticata?" } }
                    li { Link { to: Route::VerificaCredenziali {}, id: "link-verifica-credenziali", "Verifica le tue credenziali" } }
                }
            }
        }
    }
}
