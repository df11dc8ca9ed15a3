//! The confirmation of an action that cannot be undone (publishing a campaign, sending a form,
//! accepting or reopening it, disabling an account): Bootstrap Italia's modal, saying what
//! cannot be undone; the focus goes to "Annulla", stays inside the dialog (Tab and Shift+Tab
//! cycle its two buttons), Esc cancels, and on closing it returns to the button that opened it.

use dioxus::prelude::*;

/// Puts the focus on the element `id` (in the browser).
pub fn metti_a_fuoco(id: &str) {
    #[cfg(feature = "web")]
    {
        use wasm_bindgen::JsCast;
        if let Some(e) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = e.focus();
        }
    }
    #[cfg(not(feature = "web"))]
    let _ = id;
}

/// The id of the element that has the focus.
fn a_fuoco() -> String {
    #[cfg(feature = "web")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .map(|e| e.id())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "web"))]
    String::new()
}

/// The dialog, shown while `aperta` is true. `ritorno` is the id of the button that opened
/// it (the focus goes back there); `onconferma` runs when the person confirms.
#[component]
pub fn Conferma(
    id: String,
    aperta: Signal<bool>,
    titolo: String,
    testo: String,
    etichetta: String,
    ritorno: String,
    #[props(default)] pericolosa: bool,
    onconferma: EventHandler<()>,
) -> Element {
    let annulla_id = format!("{id}-annulla");
    let conferma_id = format!("{id}-conferma");
    {
        let annulla_id = annulla_id.clone();
        use_effect(move || {
            if aperta() {
                metti_a_fuoco(&annulla_id);
            }
        });
    }
    if !aperta() {
        return rsx! {};
    }
    let (a, c) = (annulla_id.clone(), conferma_id.clone());
    let (r1, r2) = (ritorno.clone(), ritorno.clone());
    rsx! {
        div { id: "{id}", class: "modal dialogo-conferma", tabindex: "-1", role: "dialog",
            "aria-modal": "true", "aria-labelledby": "{id}-titolo", "aria-describedby": "{id}-testo",
            onkeydown: move |e: KeyboardEvent| {
                match e.key() {
                    Key::Escape => {
                        e.prevent_default();
                        aperta.set(false);
                        metti_a_fuoco(&r1);
                    }
                    Key::Tab => {
                        let fuoco = a_fuoco();
                        let indietro = e.modifiers().shift();
                        if indietro && fuoco != c {
                            e.prevent_default();
                            metti_a_fuoco(&c);
                        } else if !indietro && fuoco != a {
                            e.prevent_default();
                            metti_a_fuoco(&a);
                        }
                    }
                    _ => {}
                }
            },
            div { class: "modal-dialog modal-dialog-centered", role: "document",
                div { class: "modal-content",
                    div { class: "modal-header",
                        h2 { id: "{id}-titolo", class: "modal-title h5", "{titolo}" }
                    }
                    div { class: "modal-body",
                        p { id: "{id}-testo", "{testo}" }
                    }
                    div { class: "modal-footer d-flex flex-wrap gap-2",
                        button { id: "{annulla_id}", r#type: "button", class: "btn btn-outline-primary",
                            onclick: move |_| {
                                aperta.set(false);
                                metti_a_fuoco(&r2);
                            },
                            "Annulla" }
                        button { id: "{conferma_id}", r#type: "button",
                            class: if pericolosa { "btn btn-danger" } else { "btn btn-primary" },
                            onclick: move |_| {
                                aperta.set(false);
                                onconferma.call(());
                            },
                            "{etichetta}"
                        }
                    }
                }
            }
        }
    }
}
