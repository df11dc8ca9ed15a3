//! A service's history: who changed which field, from what to what, and when.

use super::*;

pub(super) fn data_ora(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| data_ora_italiana(d.with_timezone(&chrono::Utc)))
        .unwrap_or_else(|_| rfc3339.to_owned())
}

#[component]
pub(super) fn Storia(voci: Vec<StoriaVoce>) -> Element {
    rsx! {
        ol { class: "list-unstyled", id: "storia-voci",
            for (i, v) in voci.iter().enumerate().rev() {
                li { key: "{i}", class: "border-start border-3 ps-3 mb-3 voce-storia",
                    div { class: "fw-semibold",
                        "{data_ora(&v.quando)} — "
                        if v.azione == "creazione" { "registrazione" } else { "modifica" }
                        " di {v.attore.clone().unwrap_or_default()}"
                        if let Some(n) = v.versione { " (versione {n})" }
                    }
                    if !v.modifiche.is_empty() {
                        ul { class: "mb-0",
                            for m in v.modifiche.iter() {
                                li { key: "{m.campo}",
                                    span { class: "fw-semibold", "{etichetta(&m.campo)}: " }
                                    if m.prima.is_empty() { "(vuoto)" } else { "{m.prima}" }
                                    " → "
                                    if m.dopo.is_empty() { "(vuoto)" } else { "{m.dopo}" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
