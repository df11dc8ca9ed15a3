//! Unknown paths.

use crate::Route;
use dioxus::prelude::*;

/// Any path without a page.
#[component]
pub fn NonTrovata(segments: Vec<String>) -> Element {
    let _ = segments;
    rsx! {
        document::Title { "Pagina non trovata — Servizi 0-6" }
        h1 { "Pagina non trovata" }
        p { "L'indirizzo richiesto non corrisponde a nessuna pagina." }
        Link { to: Route::Home {}, "Torna alla pagina iniziale" }
    }
}
