//! The service form: every field runs `shared`'s rules while the user types (no request), the
//! save button stays disabled while any rule fails, and the server's 422 field errors show in
//! the same places.

use crate::components::field::{Campo, Caselle, Scelta};
use crate::components::ora::oggi;
use dioxus::prelude::*;
use shared::servizio::regole::{controlla, ServizioForm};
use shared::servizio::{etichetta, Gestione, StatoServizio, TipoServizio, Titolarita, MESI};
use shared::text::message_for;
use shared::FieldError;
use std::collections::HashSet;

fn opzioni<T: Copy>(
    tutti: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    tutti
        .iter()
        .map(|t| (code(*t).to_owned(), label(*t).to_owned()))
        .collect()
}

/// The form bound to `form`. `campi_server` holds the server's field errors of the last save
/// (a field's error goes away when the field is edited). `onsalva` runs only when every rule
/// passes.
#[component]
pub fn ModuloServizio(
    form: Signal<ServizioForm>,
    campi_server: Signal<Vec<FieldError>>,
    precedente: Option<StatoServizio>,
    sola_lettura: bool,
    in_corso: bool,
    pronto: bool,
    etichetta_salva: String,
    onsalva: EventHandler<()>,
) -> Element {
    let mut toccati = use_signal(HashSet::<&'static str>::new);
    let mut tentato = use_signal(|| false);
    let errori = use_memo(move || {
        controlla(&form.read(), oggi(), precedente)
            .err()
            .unwrap_or_default()
    });
    let errore = move |campo: &'static str| -> Option<String> {
        let server = campi_server.read();
        let locali = errori.read();
        message_for(&server, campo)
            .or(if tentato() || toccati.read().contains(campo) {
                message_for(&locali, campo)
            } else {
                None
            })
            .map(str::to_owned)
    };
    let mut imposta = move |campo: &'static str, valore: String| {
        form.with_mut(|f| match campo {
            "denominazione" => f.denominazione = valore,
            "tipo" => f.tipo = valore,
            "titolarita" => f.titolarita = valore,
            "gestione" => f.gestione = valore,
            "titolare_denominazione" => f.titolare_denominazione = valore,
            "titolare_codice_fiscale" => f.titolare_codice_fiscale = valore,
            "indirizzo" => f.indirizzo = valore,
            "numero_civico" => f.numero_civico = valore,
            "cap" => f.cap = valore,
            "posti_autorizzati" => f.posti_autorizzati = valore,
            "eta_min_mesi" => f.eta_min_mesi = valore,
            "eta_max_mesi" => f.eta_max_mesi = valore,
            "autorizzazione_numero" => f.autorizzazione_numero = valore,
            "autorizzazione_data" => f.autorizzazione_data = valore,
            "autorizzazione_ente" => f.autorizzazione_ente = valore,
            "email" => f.email = valore,
            "pec" => f.pec = valore,
            "telefono" => f.telefono = valore,
            "orario_apertura" => f.orario_apertura = valore,
            "orario_chiusura" => f.orario_chiusura = valore,
            "stato" => f.stato = valore,
            "stato_dal" => f.stato_dal = valore,
            "stato_motivo" => f.stato_motivo = valore,
            _ => {}
        });
        toccati.with_mut(|t| {
            t.insert(campo);
        });
        campi_server.with_mut(|c| c.retain(|e| e.field != campo));
    };
    // A text field bound to the form.
    let testo =
        move |campo: &'static str, tipo: &'static str, inputmode: &'static str, valore: String| {
            rsx! {
                Campo {
                    id: campo,
                    etichetta: etichetta(campo),
                    valore,
                    tipo,
                    inputmode,
                    disabilitato: sola_lettura,
                    errore: errore(campo),
                    oninput: move |v: String| imposta(campo, v),
                }
            }
        };
    let f = form();
    let n_errori = errori.read().len();
    let attivo = f.stato == StatoServizio::Attivo.code() || f.stato.is_empty();
    let invia = move |evt: FormEvent| {
        evt.prevent_default();
        tentato.set(true);
        if errori.read().is_empty() {
            onsalva.call(());
        }
    };
    rsx! {
        form { id: "modulo-servizio", novalidate: true, onsubmit: invia,
            h2 { class: "h5 mt-2", "Dati del servizio" }
            {testo("denominazione", "text", "", f.denominazione.clone())}
            div { class: "row",
                div { class: "col-md-4",
                    Scelta { id: "tipo", etichetta: etichetta("tipo"), valore: f.tipo.clone(),
                        opzioni: opzioni(TipoServizio::ALL, TipoServizio::code, TipoServizio::label),
                        errore: errore("tipo"), disabilitato: sola_lettura,
                        onchange: move |v| imposta("tipo", v) }
                }
                div { class: "col-md-4",
                    Scelta { id: "titolarita", etichetta: etichetta("titolarita"), valore: f.titolarita.clone(),
                        opzioni: opzioni(Titolarita::ALL, Titolarita::code, Titolarita::label),
                        errore: errore("titolarita"), disabilitato: sola_lettura,
                        onchange: move |v| imposta("titolarita", v) }
                }
                div { class: "col-md-4",
                    Scelta { id: "gestione", etichetta: etichetta("gestione"), valore: f.gestione.clone(),
                        opzioni: opzioni(Gestione::ALL, Gestione::code, Gestione::label),
                        errore: errore("gestione"), disabilitato: sola_lettura,
                        onchange: move |v| imposta("gestione", v) }
                }
            }
            h2 { class: "h5 mt-2", "Titolare" }
            div { class: "row",
                div { class: "col-md-7", {testo("titolare_denominazione", "text", "", f.titolare_denominazione.clone())} }
                div { class: "col-md-5", {testo("titolare_codice_fiscale", "text", "", f.titolare_codice_fiscale.clone())} }
            }
            h2 { class: "h5 mt-2", "Sede" }
            div { class: "row",
                div { class: "col-md-7", {testo("indirizzo", "text", "", f.indirizzo.clone())} }
                div { class: "col-6 col-md-2", {testo("numero_civico", "text", "", f.numero_civico.clone())} }
                div { class: "col-6 col-md-3", {testo("cap", "text", "numeric", f.cap.clone())} }
            }
            h2 { class: "h5 mt-2", "Capienza ed età" }
            div { class: "row",
                div { class: "col-md-4", {testo("posti_autorizzati", "text", "numeric", f.posti_autorizzati.clone())} }
                div { class: "col-6 col-md-4", {testo("eta_min_mesi", "text", "numeric", f.eta_min_mesi.clone())} }
                div { class: "col-6 col-md-4", {testo("eta_max_mesi", "text", "numeric", f.eta_max_mesi.clone())} }
            }
            h2 { class: "h5 mt-2", "Autorizzazione al funzionamento" }
            div { class: "row",
                div { class: "col-md-3", {testo("autorizzazione_numero", "text", "", f.autorizzazione_numero.clone())} }
                div { class: "col-md-3", {testo("autorizzazione_data", "text", "numeric", f.autorizzazione_data.clone())} }
                div { class: "col-md-6", {testo("autorizzazione_ente", "text", "", f.autorizzazione_ente.clone())} }
            }
            h2 { class: "h5 mt-2", "Recapiti" }
            div { class: "row",
                div { class: "col-md-4", {testo("email", "email", "email", f.email.clone())} }
                div { class: "col-md-4", {testo("pec", "email", "email", f.pec.clone())} }
                div { class: "col-md-4", {testo("telefono", "tel", "tel", f.telefono.clone())} }
            }
            h2 { class: "h5 mt-2", "Apertura" }
            Caselle {
                id: "mesi_apertura",
                etichetta: etichetta("mesi_apertura"),
                opzioni: MESI.iter().enumerate().map(|(i, m)| (i as u8 + 1, m.to_string())).collect::<Vec<_>>(),
                scelti: f.mesi_apertura.clone(),
                errore: errore("mesi_apertura"),
                disabilitato: sola_lettura,
                onchange: move |v: Vec<u8>| {
                    form.with_mut(|f| f.mesi_apertura = v);
                    toccati.with_mut(|t| { t.insert("mesi_apertura"); });
                    campi_server.with_mut(|c| c.retain(|e| e.field != "mesi_apertura"));
                },
            }
            div { class: "row",
                div { class: "col-6", {testo("orario_apertura", "time", "", f.orario_apertura.clone())} }
                div { class: "col-6", {testo("orario_chiusura", "time", "", f.orario_chiusura.clone())} }
            }
            h2 { class: "h5 mt-2", "Stato" }
            div { class: "row",
                div { class: "col-md-4",
                    Scelta { id: "stato", etichetta: etichetta("stato"), valore: f.stato.clone(),
                        opzioni: opzioni(StatoServizio::ALL, StatoServizio::code, StatoServizio::label),
                        errore: errore("stato"), disabilitato: sola_lettura,
                        onchange: move |v| imposta("stato", v) }
                }
                if !attivo {
                    div { class: "col-md-3", {testo("stato_dal", "text", "numeric", f.stato_dal.clone())} }
                    div { class: "col-md-5", {testo("stato_motivo", "text", "", f.stato_motivo.clone())} }
                }
            }
            if !sola_lettura {
                div { class: "d-flex flex-wrap align-items-center gap-3 mt-3",
                    button {
                        id: "salva",
                        r#type: "submit",
                        class: "btn btn-primary",
                        disabled: !pronto || in_corso || n_errori > 0,
                        if in_corso { "Salvataggio in corso…" } else { "{etichetta_salva}" }
                    }
                    if n_errori > 0 {
                        span { id: "errori-conteggio", class: "text-danger",
                            if n_errori == 1 { "1 campo da correggere o completare" } else { "{n_errori} campi da correggere o completare" }
                        }
                    }
                }
            }
        }
    }
}
