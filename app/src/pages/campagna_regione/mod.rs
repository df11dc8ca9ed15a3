//! The Region's campaign pages: `/rilevazioni/nuova` (a new campaign; the eligible comuni typed,
//! pasted or loaded from a CSV file of ISTAT codes) and, on `/rilevazioni/{id}`, the campaign's
//! management: edit and publish a draft, extend the deadline (with its history and the public
//! notice), and every eligible comune's form with its state, where a comune's form is blocked,
//! unlocked, reopened or given its own later deadline. The server decides and audits each step.

use crate::api::campagne::{
    aggiorna_campagna, blocca_scheda, campagna, crea_campagna, proroga_campagna, proroga_scheda,
    pubblica_campagna, riapri_scheda, sblocca_scheda, scheda, schede,
};
use crate::api::AppError;
use crate::components::conferma::Conferma;
use crate::components::field::{Campo, Scelta};
use crate::components::navigazione::Briciole;
use crate::components::shell::{Idratata, Sessione};
use crate::components::stato::{Caricamento, ErroreCaricamento};
use crate::Route;
use dioxus::prelude::*;
use shared::campagna::{codici_da_csv, controlla_campagna, Campagna, CampagnaForm, StatoScheda};
use shared::campagna::{data_ora_estesa, StatoCampagna, TipoCampagna};
use shared::FieldError;
use std::collections::HashMap;

mod gestione;
mod revisione;
mod schede;

pub use gestione::*;
use revisione::*;
use schede::*;

/// `/rilevazioni/nuova`
#[component]
pub fn NuovaRilevazione() -> Element {
    let sessione = use_context::<Sessione>().0;
    let nav = navigator();
    rsx! {
        document::Title { "Nuova rilevazione — Servizi 0-6" }
        Briciole { voci: vec![("Rilevazioni".to_string(), Route::Rilevazioni {})], pagina: "Nuova rilevazione" }
        h1 { class: "h2 my-2", "Nuova rilevazione" }
        match sessione() {
            Some(u) if !u.ruolo.is_comunale() => rsx! {
                p { "La rilevazione nasce in bozza: i comuni la vedono solo dopo la pubblicazione." }
                ModuloCampagna {
                    id: None,
                    iniziale: CampagnaForm { tipo: TipoCampagna::Frequentanti.code().into(), ..Default::default() },
                    onsalvata: move |c: Campagna| { nav.push(Route::Rilevazione { id: c.id }); },
                }
            },
            Some(_) => rsx! { div { class: "alert alert-info", role: "alert", "Le rilevazioni sono create dalla Regione." } },
            None => rsx! {
                div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
                    "Per vedere questa pagina devi accedere. "
                    Link { to: Route::Accesso { motivo: String::new() }, "Vai all'accesso" }
                }
            },
        }
    }
}

/// The campaign form (new, or edit of a draft when `id` is set), checked as you type by the
/// same rules the server runs.
#[component]
fn ModuloCampagna(
    id: Option<String>,
    iniziale: CampagnaForm,
    onsalvata: EventHandler<Campagna>,
) -> Element {
    let mut form = use_signal(|| iniziale.clone());
    let mut tentato = use_signal(|| false);
    let mut campi_server = use_signal(Vec::<FieldError>::new);
    let mut errore = use_signal(|| None::<String>);
    let mut esito_file = use_signal(|| None::<(bool, String)>);
    let mut in_corso = use_signal(|| false);
    let idratata = use_context::<Idratata>().0;
    let controllo = controlla_campagna(&form());
    let ammessi = match &controllo {
        Ok(d) => d
            .comuni_ammessi
            .as_ref()
            .map(|l| format!("{} comuni ammessi.", l.len()))
            .unwrap_or_else(|| "Tutti i comuni della Regione.".into()),
        Err(_) => String::new(),
    };
    let f = form();
    let valore = |campo: &str| -> String {
        match campo {
            "tipo" => f.tipo.clone(),
            "titolo" => f.titolo.clone(),
            "annualita" => f.annualita.clone(),
            "data_riferimento" => f.data_riferimento.clone(),
            "apertura" => f.apertura.clone(),
            "chiusura" => f.chiusura.clone(),
            _ => f.comuni.clone(),
        }
    };
    // The rules' messages on fields already typed (all of them after a save attempt), then
    // the server's, which win.
    let mut errori: HashMap<String, String> = controllo
        .as_ref()
        .err()
        .map(|e| e.fields().to_vec())
        .unwrap_or_default()
        .into_iter()
        .filter(|e| tentato() || !valore(&e.field).trim().is_empty())
        .map(|e| (e.field, e.message))
        .collect();
    errori.extend(campi_server().into_iter().map(|e| (e.field, e.message)));
    let di = move |campo: &str| errori.get(campo).cloned();
    let mut cambia = move |modifica: &dyn Fn(&mut CampagnaForm)| {
        form.with_mut(|f| modifica(f));
        campi_server.set(Vec::new());
    };
    let modifica = id.clone();
    let salva = move |_| {
        let modifica = modifica.clone();
        async move {
            tentato.set(true);
            if controlla_campagna(&form()).is_err() {
                errore.set(Some(
                    "Alcuni campi non sono validi: correggili e riprova.".into(),
                ));
                return;
            }
            in_corso.set(true);
            errore.set(None);
            let esito = match modifica {
                Some(id) => aggiorna_campagna(id, form()).await,
                None => crea_campagna(form()).await,
            };
            in_corso.set(false);
            match esito {
                Ok(c) => onsalvata.call(c),
                Err(e) => {
                    campi_server.set(e.0.fields().to_vec());
                    errore.set(Some(e.0.message()));
                }
            }
        }
    };
    let carica = move |e: FormEvent| async move {
        for file in e.files() {
            if file.size() > 1_000_000 {
                esito_file.set(Some((
                    false,
                    "Il file supera 1 MB: non è un elenco di comuni.".into(),
                )));
                return;
            }
            let esito = match file.read_bytes().await {
                // The codes are ASCII: any encoding the office saved the file in will do.
                Ok(b) => codici_da_csv(&String::from_utf8_lossy(&b)),
                Err(_) => Err("Il file non si può leggere.".into()),
            };
            match esito {
                Ok(codici) => {
                    esito_file.set(Some((
                        true,
                        format!("Dal file {}: {} codici ISTAT.", file.name(), codici.len()),
                    )));
                    cambia(&|f: &mut CampagnaForm| f.comuni = codici.join("\n"));
                }
                Err(m) => esito_file.set(Some((false, m))),
            }
        }
    };
    rsx! {
        form { id: "modulo-campagna", novalidate: true, onsubmit: move |e| e.prevent_default(),
            div { class: "row g-2",
                div { class: "col-12 col-md-4",
                    Scelta { id: "campagna-tipo", etichetta: "Tipo di rilevazione", valore: f.tipo.clone(),
                        opzioni: TipoCampagna::ALL.iter().map(|t| (t.code().to_owned(), t.label().to_owned())).collect::<Vec<_>>(),
                        errore: di("tipo"), onchange: move |v: String| cambia(&|f: &mut CampagnaForm| f.tipo = v.clone()) }
                }
                div { class: "col-12 col-md-8",
                    Campo { id: "campagna-titolo", etichetta: "Titolo", valore: f.titolo.clone(), errore: di("titolo"),
                        oninput: move |v: String| cambia(&|f: &mut CampagnaForm| f.titolo = v.clone()) }
                }
                div { class: "col-6 col-md-3",
                    Campo { id: "campagna-annualita", etichetta: "Annualità", valore: f.annualita.clone(), errore: di("annualita"), inputmode: "numeric",
                        oninput: move |v: String| cambia(&|f: &mut CampagnaForm| f.annualita = v.clone()) }
                }
                div { class: "col-6 col-md-3",
                    Campo { id: "campagna-riferimento", etichetta: "Data di riferimento (gg/mm/aaaa)", valore: f.data_riferimento.clone(),
                        errore: di("data_riferimento"), inputmode: "numeric",
                        oninput: move |v: String| cambia(&|f: &mut CampagnaForm| f.data_riferimento = v.clone()) }
                }
                div { class: "col-12 col-md-3",
                    Campo { id: "campagna-apertura", etichetta: "Apertura (gg/mm/aaaa hh:mm)", valore: f.apertura.clone(), errore: di("apertura"),
                        oninput: move |v: String| cambia(&|f: &mut CampagnaForm| f.apertura = v.clone()) }
                }
                div { class: "col-12 col-md-3",
                    Campo { id: "campagna-chiusura", etichetta: "Chiusura (gg/mm/aaaa hh:mm)", valore: f.chiusura.clone(), errore: di("chiusura"),
                        oninput: move |v: String| cambia(&|f: &mut CampagnaForm| f.chiusura = v.clone()) }
                }
            }
            p { class: "small text-muted", "Date e ore sono quelle italiane (Europe/Rome)." }
            div { class: "form-group mb-2",
                label { r#for: "campagna-comuni", class: "active", "Comuni ammessi: codici ISTAT (vuoto: tutti i comuni della Regione)" }
                textarea { id: "campagna-comuni", class: if di("comuni").is_some() { "form-control is-invalid" } else { "form-control" },
                    rows: "3", value: "{f.comuni}", "aria-describedby": "campagna-comuni-errore campagna-comuni-conteggio",
                    oninput: move |e| cambia(&|f: &mut CampagnaForm| f.comuni = e.value()) }
                if let Some(m) = di("comuni") { div { id: "campagna-comuni-errore", class: "invalid-feedback d-block", "{m}" } }
                p { id: "campagna-comuni-conteggio", class: "small mb-0", "{ammessi}" }
            }
            div { class: "mb-4",
                label { r#for: "campagna-comuni-file", class: "form-label small", "Oppure carica un file CSV con i codici ISTAT (una riga per comune)" }
                input { id: "campagna-comuni-file", r#type: "file", accept: ".csv,.txt,text/csv", class: "form-control form-control-sm",
                    disabled: !idratata(), onchange: carica }
                if let Some((ok, m)) = esito_file() {
                    p { id: "esito-file-comuni", class: if ok { "small text-success" } else { "small text-danger" }, role: "status", "{m}" }
                }
            }
            if let Some(e) = errore() {
                div { id: "errore-campagna", class: "alert alert-danger", role: "alert", "{e}" }
            }
            button { id: "salva-campagna", r#type: "button", class: "btn btn-primary", disabled: !idratata() || in_corso(), onclick: salva,
                if id.is_some() { "Salva le modifiche" } else { "Crea la rilevazione in bozza" }
            }
        }
    }
}

/// Italian message of a failed call.
fn messaggio(e: AppError) -> String {
    e.0.message()
}
