//! The states of a page's data, the same on every page: loading (Bootstrap Italia's spinner,
//! and after a while the offer to try again), an error (the message, with the code to quote
//! for an internal error, and "Riprova"), and empty (what is missing and what to do next).

use crate::api::AppError;
use dioxus::prelude::*;

/// Seconds after which a load that has not finished says so and offers to try again.
#[cfg(feature = "web")]
const LENTO_SECONDI: u32 = 15;

/// Data being loaded.
#[component]
pub fn Caricamento(#[props(default)] riprova: Option<EventHandler<()>>) -> Element {
    #[cfg_attr(not(feature = "web"), allow(unused_mut))]
    let mut lento = use_signal(|| false);
    use_future(move || async move {
        #[cfg(feature = "web")]
        {
            gloo_timers::future::TimeoutFuture::new(LENTO_SECONDI * 1_000).await;
            lento.set(true);
        }
    });
    rsx! {
        div { class: "d-flex flex-wrap align-items-center gap-2 my-3", role: "status",
            div { class: "progress-spinner progress-spinner-active size-sm", "aria-hidden": "true" }
            span { "Caricamento…" }
            if lento() {
                span { class: "small", "La risposta tarda: la connessione potrebbe essere lenta." }
                if let Some(r) = riprova {
                    button { r#type: "button", class: "btn btn-outline-primary btn-sm", onclick: move |_| r.call(()), "Riprova" }
                }
            }
        }
    }
}

/// Data that could not be loaded: the reason in Italian (an internal error carries the code
/// to give the help desk) and a button to try again.
#[component]
pub fn ErroreCaricamento(errore: AppError, riprova: EventHandler<()>) -> Element {
    rsx! {
        div { class: "alert alert-danger d-flex flex-wrap align-items-center gap-2", role: "alert",
            span { class: "flex-grow-1", "{errore.0.message()}" }
            button { r#type: "button", class: "btn btn-outline-primary btn-sm", onclick: move |_| riprova.call(()), "Riprova" }
        }
    }
}

/// Nothing to show: what is missing and, in `children`, what to do next.
#[component]
pub fn Vuoto(id: String, testo: String, children: Element) -> Element {
    rsx! {
        div { id: "{id}", class: "alert alert-info my-3", role: "status",
            p { class: "mb-2", "{testo}" }
            {children}
        }
    }
}
