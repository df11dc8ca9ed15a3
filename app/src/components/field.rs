//! Labelled inputs with their inline error (Bootstrap Italia markup, accessible): text,
//! select and a group of checkboxes.

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
    /// `numeric`, `tel`, `email`…: the keyboard phones show.
    #[props(default)]
    inputmode: String,
    #[props(default)] disabilitato: bool,
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
                autocomplete: if autocomplete.is_empty() { None } else { Some(autocomplete.clone()) },
                inputmode: if inputmode.is_empty() { None } else { Some(inputmode.clone()) },
                disabled: disabilitato,
                "aria-invalid": "{invalid}",
                "aria-describedby": "{errore_id}",
                oninput: move |e| oninput.call(e.value()),
            }
            Errore { id: errore_id.clone(), errore }
        }
    }
}

/// A select: label, options `(value, label)` with an empty first choice, inline error.
#[component]
pub fn Scelta(
    id: String,
    etichetta: String,
    valore: String,
    opzioni: Vec<(String, String)>,
    errore: Option<String>,
    #[props(default)] disabilitato: bool,
    onchange: EventHandler<String>,
) -> Element {
    let invalid = errore.is_some();
    let errore_id = format!("{id}-errore");
    rsx! {
        div { class: "select-wrapper mb-4",
            label { r#for: "{id}", "{etichetta}" }
            select {
                id: "{id}",
                name: "{id}",
                class: if invalid { "form-select is-invalid" } else { "form-select" },
                disabled: disabilitato,
                "aria-invalid": "{invalid}",
                "aria-describedby": "{errore_id}",
                onchange: move |e| onchange.call(e.value()),
                option { value: "", selected: valore.is_empty(), "Scegli…" }
                for (v, l) in opzioni {
                    option { key: "{v}", value: "{v}", selected: v == valore, "{l}" }
                }
            }
            Errore { id: errore_id.clone(), errore }
        }
    }
}

/// Checkboxes for a set of small numbers (e.g. months): `(value, label)`.
#[component]
pub fn Caselle(
    id: String,
    etichetta: String,
    opzioni: Vec<(u8, String)>,
    scelti: Vec<u8>,
    errore: Option<String>,
    #[props(default)] disabilitato: bool,
    onchange: EventHandler<Vec<u8>>,
) -> Element {
    let errore_id = format!("{id}-errore");
    rsx! {
        fieldset { class: "mb-4", id: "{id}", "aria-describedby": "{errore_id}",
            legend { class: "h6", "{etichetta}" }
            div { class: "d-flex flex-wrap gap-3",
                for (v, l) in opzioni {
                    div { key: "{v}", class: "form-check form-check-inline m-0",
                        input {
                            id: "{id}-{v}",
                            r#type: "checkbox",
                            checked: scelti.contains(&v),
                            disabled: disabilitato,
                            onchange: {
                                let scelti = scelti.clone();
                                move |e: FormEvent| {
                                    let mut nuovi: Vec<u8> = scelti.iter().copied().filter(|x| *x != v).collect();
                                    if e.checked() {
                                        nuovi.push(v);
                                        nuovi.sort_unstable();
                                    }
                                    onchange.call(nuovi);
                                }
                            },
                        }
                        label { r#for: "{id}-{v}", "{l}" }
                    }
                }
            }
            Errore { id: errore_id.clone(), errore }
        }
    }
}

/// The inline error under a field (nothing when there is none).
#[component]
fn Errore(id: String, errore: Option<String>) -> Element {
    rsx! {
        if let Some(msg) = errore {
            div { id: "{id}", class: "invalid-feedback d-block", role: "alert", "{msg}" }
        }
    }
}
