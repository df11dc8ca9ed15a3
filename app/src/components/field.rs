//! Labelled inputs with their inline error (Bootstrap Italia markup, accessible): text,
//! select and a group of checkboxes.

use dioxus::prelude::*;

/// The script the page runs before the WebAssembly: it records the latest value typed (or
/// chosen) in each field, so that hydration, which sets each field from the app's state, does
/// not erase what was typed before the app started ([`use_digitato_prima`]). A field's record
/// is kept up to date until the app has read it once (typing goes on while the app starts: a
/// record that stopped at "hydrated" would hand back a value older than the field's), and
/// from then on that field is no longer recorded.
pub const REGISTRA_DIGITATO: &str = "window.__servizi06_digitato={};window.__servizi06_letti={};\
['input','change'].forEach(function(t){addEventListener(t,function(e){var x=e.target;\
if(x&&x.id&&'value' in x&&!window.__servizi06_letti[x.id]){window.__servizi06_digitato[x.id]=\
{percorso:location.pathname,valore:x.value};}},true);});";

/// What was typed into the field `id` of this page before the app read it, once: the entry
/// is consumed and the field is no longer recorded (the app's own handlers have it).
#[cfg(feature = "web")]
fn digitato_prima(id: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let w = web_sys::window()?;
    if let Ok(letti) = js_sys::Reflect::get(&w, &"__servizi06_letti".into()) {
        if letti.is_object() {
            let _ = js_sys::Reflect::set(&letti, &id.into(), &true.into());
        }
    }
    let mappa = js_sys::Reflect::get(&w, &"__servizi06_digitato".into()).ok()?;
    if !mappa.is_object() {
        return None;
    }
    let voce = js_sys::Reflect::get(&mappa, &id.into()).ok()?;
    if !voce.is_object() {
        return None;
    }
    let percorso = js_sys::Reflect::get(&voce, &"percorso".into())
        .ok()?
        .as_string()?;
    let valore = js_sys::Reflect::get(&voce, &"valore".into())
        .ok()?
        .as_string()?;
    let _ = js_sys::Reflect::delete_property(mappa.unchecked_ref::<js_sys::Object>(), &id.into());
    (percorso == w.location().pathname().ok()?).then_some(valore)
}

/// After hydration, hands what was typed into field `id` before the app started to `imposta`
/// (when it differs from the field's value in the app's state).
pub fn use_digitato_prima(id: &str, valore: &str, imposta: EventHandler<String>) {
    let (id, valore) = (id.to_owned(), valore.to_owned());
    use_effect(move || {
        #[cfg(feature = "web")]
        if let Some(v) = digitato_prima(&id) {
            if v != valore {
                imposta.call(v);
            }
        }
        #[cfg(not(feature = "web"))]
        let _ = (&id, &valore, &imposta);
    });
}

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
    use_digitato_prima(&id, &valore, oninput);
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

/// A select: label, options `(value, label)` with an empty first choice (`vuota`: "Scegli…" in
/// a form, "Tutti" in a filter), inline error. Bootstrap Italia's own select (one arrow).
#[component]
pub fn Scelta(
    id: String,
    etichetta: String,
    valore: String,
    opzioni: Vec<(String, String)>,
    errore: Option<String>,
    #[props(default)] disabilitato: bool,
    #[props(default = "Scegli…".to_string())] vuota: String,
    onchange: EventHandler<String>,
) -> Element {
    use_digitato_prima(&id, &valore, onchange);
    let invalid = errore.is_some();
    let errore_id = format!("{id}-errore");
    rsx! {
        div { class: "select-wrapper mb-4",
            label { r#for: "{id}", "{etichetta}" }
            select {
                id: "{id}",
                name: "{id}",
                class: if invalid { "is-invalid" } else { "" },
                disabled: disabilitato,
                "aria-invalid": "{invalid}",
                "aria-describedby": "{errore_id}",
                onchange: move |e| onchange.call(e.value()),
                option { value: "", selected: valore.is_empty(), "{vuota}" }
                for (v, l) in opzioni {
                    option { key: "{v}", value: "{v}", selected: v == valore, "{l}" }
                }
            }
            Errore { id: errore_id.clone(), errore }
        }
    }
}

/// A multi-line text field: label, textarea and inline error.
#[component]
pub fn Testo(
    id: String,
    etichetta: String,
    valore: String,
    errore: Option<String>,
    #[props(default = 5)] righe: u32,
    #[props(default)] aiuto: String,
    oninput: EventHandler<String>,
) -> Element {
    use_digitato_prima(&id, &valore, oninput);
    let invalid = errore.is_some();
    let errore_id = format!("{id}-errore");
    let aiuto_id = format!("{id}-aiuto");
    rsx! {
        div { class: "form-group mb-4",
            label { r#for: "{id}", class: "active", "{etichetta}" }
            textarea {
                id: "{id}",
                name: "{id}",
                class: if invalid { "form-control is-invalid" } else { "form-control" },
                rows: "{righe}",
                value: "{valore}",
                "aria-invalid": "{invalid}",
                "aria-describedby": "{errore_id} {aiuto_id}",
                oninput: move |e| oninput.call(e.value()),
            }
            if !aiuto.is_empty() { p { id: "{aiuto_id}", class: "small text-muted mb-0", "{aiuto}" } }
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
