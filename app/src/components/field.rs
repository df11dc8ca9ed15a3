//! A labelled text input with its inline error (Bootstrap Italia markup, accessible).

use dioxus::prelude::*;

/// A form field: label, input and, when `errore` is set, the message under it.
#[component]
pub fn Campo(
    id: String,
    etichetta: String,
    valore: String,
    errore: Option<String>,
    #[props(default = "text".to_string())] tipo: String,
    #[props(default)] autocomplete: String,
    oninput: EventHandler<String>,
) -> Element {
    let invalid = errore.is_some();
    let errore_id = format!("{id}-errore");
    rsx! {
        div { class: "form-group mb-4",
            label { r#for: "{id}", class: "active", "{etichetta}" }
            input {
                id: "{id}",
                name: "{id}",
                r#type: "{tipo}",
                class: if invalid { "form-control is-invalid" } else { "form-control" },
                value: "{valore}",
                autocomplete: "{autocomplete}",
                "aria-invalid": "{invalid}",
                "aria-describedby": "{errore_id}",
                oninput: move |e| oninput.call(e.value()),
            }
            if let Some(msg) = errore {
                div { id: "{errore_id}", class: "invalid-feedback d-block", role: "alert", "{msg}" }
            }
        }
    }
}
