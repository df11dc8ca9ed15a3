//! The new-password checklist: the shared rule shown line by line while typing. The list of
//! common passwords is fetched once from the server (it is not carried in the WebAssembly).

use crate::api::account::password_comuni;
use dioxus::prelude::*;
use shared::password::{regole, ContestoPassword, PasswordComuni};

/// The list of common passwords, once loaded (empty until then: its rule shows "…").
pub fn use_password_comuni() -> Memo<PasswordComuni> {
    let elenco = use_resource(|| async { password_comuni().await.unwrap_or_default() });
    use_memo(move || {
        elenco
            .read()
            .as_ref()
            .map(|t| PasswordComuni::da_testo(t))
            .unwrap_or_default()
    })
}

/// Each rule of the new password, met or not (text and symbol, not colour alone).
#[component]
pub fn RegolePassword(
    password: String,
    conferma: String,
    contesto: ContestoPassword,
    comuni: Memo<PasswordComuni>,
) -> Element {
    let elenco = comuni.read();
    let voci = regole(&password, &conferma, &contesto, &elenco);
    rsx! {
        div { class: "mb-4",
            p { id: "regole-password-titolo", class: "mb-1 fw-semibold", "La password deve rispettare queste regole:" }
            ul { id: "regole-password", class: "list-unstyled mb-0", "aria-labelledby": "regole-password-titolo",
                for r in voci {
                    li { key: "{r.id}", id: "{r.id.replace('.', \"-\")}",
                        class: match r.rispettata { Some(true) => "text-success", Some(false) => "text-danger", None => "text-secondary" },
                        "data-rispettata": match r.rispettata { Some(true) => "si", Some(false) => "no", None => "in-verifica" },
                        span { "aria-hidden": "true",
                            match r.rispettata { Some(true) => "✓ ", Some(false) => "✗ ", None => "… " }
                        }
                        span { class: "visually-hidden",
                            match r.rispettata { Some(true) => "Rispettata: ", Some(false) => "Non rispettata: ", None => "In verifica: " }
                        }
                        "{r.testo}"
                    }
                }
            }
        }
    }
}
