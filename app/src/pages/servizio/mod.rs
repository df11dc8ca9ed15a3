//! `/servizi/nuovo` (register a service in one's comune) and `/servizi/{id}` (open, edit,
//! change status, see the history). A save based on an outdated version is refused by the
//! server; the page then shows what changed and lets the user choose.

use crate::api::servizi::{crea_servizio, servizio, storia_servizio};
use crate::components::modulo_servizio::ModuloServizio;
use crate::components::navigazione::Briciole;
use crate::components::shell::{Idratata, Sessione};
use crate::components::stato::{Caricamento, ErroreCaricamento};
use crate::offline::stato::{
    use_bozza_sul_dispositivo, use_modifica_esclusiva, Fine, StatoOffline,
};
use crate::offline::Bozza;
use crate::pages::servizi::classe_stato;
use crate::Route;
use dioxus::prelude::*;
use shared::coda::{modulo_servizio, Operazione, Voce};
use shared::servizio::regole::{controlla, ServizioForm};
use shared::servizio::{etichetta, Modifica, ServizioScheda, StoriaVoce};
use shared::tempo::data_ora_italiana;
use shared::{ApiError, FieldError};

mod nuovo;
mod storia;

pub use nuovo::*;
use storia::*;

fn serve_accesso() -> Element {
    rsx! {
        div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
            "Per vedere questa pagina devi accedere. "
            Link { to: Route::Accesso { motivo: String::new() }, "Vai all'accesso" }
        }
    }
}

/// `/servizi/{id}`
#[component]
pub fn SchedaServizio(id: String) -> Element {
    let sessione = use_context::<Sessione>().0;
    if sessione().is_none() {
        return serve_accesso();
    }
    rsx! { Scheda { key: "{id}", id: id.clone() } }
}

/// What the server holds now, when a save was refused because of it.
#[derive(Clone, PartialEq)]
struct Conflitto {
    attuale: ServizioScheda,
    differenze: Vec<Modifica>,
}

#[component]
fn Scheda(id: String) -> Element {
    let id = use_signal(|| id);
    let utente = crate::components::shell::use_nome_utente();
    let offline = use_context::<StatoOffline>();
    let modulo = use_memo(move || modulo_servizio(&id()));
    let editore = use_modifica_esclusiva(modulo_servizio(&id.peek()));
    let mut form = use_signal(ServizioForm::default);
    let mut scheda = use_signal(|| None::<ServizioScheda>);
    let mut da_copia = use_signal(|| false);
    let mut inizializzato = use_signal(|| false);
    let mut campi_server = use_signal(Vec::<FieldError>::new);
    let mut messaggio = use_signal(|| None::<(bool, String)>);
    let mut conflitto = use_signal(|| None::<Conflitto>);
    let mut rifiutata = use_signal(|| None::<Voce>);
    let mut in_corso = use_signal(|| false);
    let idratata = use_context::<Idratata>().0;
    // Reloaded after every answer to a queued write.
    let mut iniziale = use_resource(move || async move {
        let _ = (offline.risposte)();
        servizio(id()).await
    });
    let mut storia = use_resource(move || async move {
        let _ = (offline.risposte)();
        storia_servizio(id()).await
    });
    // Shows `s` (from the server, or the device's copy offline); the first time the form starts
    // from it or from newer typing kept on the device; a refused queued save shows its reason
    // (a conflict: both values, field by field).
    let mut mostra = move |s: ServizioScheda, copia: bool| {
        da_copia.set(copia);
        scheda.set(Some(s.clone()));
        spawn(async move {
            let u = utente.peek().clone();
            let c = crate::offline::coda(&u).await;
            let rifiuto = c
                .del_modulo(&modulo.peek())
                .find(|v| v.rifiuto.is_some())
                .cloned();
            if let Some(v) = &rifiuto {
                if let (Operazione::SalvaServizio { servizio: mie, .. }, Some(r)) =
                    (&v.operazione, &v.rifiuto)
                {
                    if r.stato == 409 && !copia {
                        let differenze = controlla(mie, crate::components::ora::oggi(), None)
                            .map(|m| m.differenze(&s.dati))
                            .unwrap_or_default();
                        conflitto.set(Some(Conflitto {
                            attuale: s.clone(),
                            differenze,
                        }));
                    }
                    messaggio.set(Some((false, r.messaggio.clone())));
                }
            }
            rifiutata.set(rifiuto);
            if *inizializzato.peek() {
                return;
            }
            let mut f = ServizioForm::da_dati(&s.dati);
            let bozza: Option<Bozza<ServizioForm>> =
                crate::offline::leggi(&u, "bozze", &modulo.peek()).await;
            if let Some(b) = bozza {
                let in_sospeso = c.del_modulo(&modulo.peek()).next().is_some();
                if b.dati != f && (b.versione >= s.versione || in_sospeso) {
                    f = b.dati;
                    if messaggio.peek().is_none() {
                        messaggio.set(Some((true, "Ripristinate da questo dispositivo le modifiche non ancora salvate sul server.".into())));
                    }
                }
            }
            form.set(f);
            inizializzato.set(true);
        });
    };
    use_effect(move || match &*iniziale.read() {
        Some(Ok(s)) => {
            let copia = s.clone();
            let u = utente.peek().clone();
            spawn(async move {
                crate::offline::scrivi(&u, "copie", &modulo.peek(), &copia).await;
            });
            mostra(s.clone(), false);
        }
        Some(Err(e)) if e.0 == ApiError::Unavailable => {
            spawn(async move {
                let copia: Option<ServizioScheda> =
                    crate::offline::leggi(&utente.peek(), "copie", &modulo.peek()).await;
                if let Some(s) = copia {
                    mostra(s, true);
                }
            });
        }
        _ => {}
    });
    // Every change is kept on the device at once (reload, crash or no network lose nothing).
    use_bozza_sul_dispositivo(
        utente,
        modulo,
        form,
        move || scheda.peek().as_ref().map(|s| s.versione).unwrap_or(0),
        editore,
        inizializzato,
    );

    let salva = move |_| async move {
        let Some(attuale) = scheda() else { return };
        in_corso.set(true);
        messaggio.set(None);
        campi_server.set(Vec::new());
        let op = Operazione::SalvaServizio {
            id: id(),
            versione: attuale.versione,
            servizio: Box::new(form()),
        };
        let fine = offline.accoda_e_invia(&utente(), op).await;
        in_corso.set(false);
        let c = crate::offline::coda(&utente()).await;
        let rifiuto = c
            .del_modulo(&modulo())
            .find(|v| v.rifiuto.is_some())
            .cloned();
        match (fine, rifiuto) {
            (_, Some(v)) => {
                let r = v.rifiuto.clone().unwrap_or(shared::coda::Rifiuto { stato: 0, messaggio: String::new() });
                if r.stato == 409 {
                    if let Ok(nuova) = servizio(id()).await {
                        let mie = controlla(&form(), crate::components::ora::oggi(), None);
                        let differenze = mie.map(|m| m.differenze(&nuova.dati)).unwrap_or_default();
                        conflitto.set(Some(Conflitto { attuale: nuova, differenze }));
                    }
                }
                rifiutata.set(Some(v));
                messaggio.set(Some((false, r.messaggio)));
            }
            (Fine::Riprova, None) => messaggio.set(Some((false,
                "Sei offline: la modifica è salvata su questo dispositivo e sarà inviata al server appena torna la connessione.".to_owned()))),
            (Fine::Vuota, None) => {
                conflitto.set(None);
                messaggio.set(Some((true, "Modifiche salvate.".to_owned())));
                storia.restart();
            }
        }
    };
    // Removes the refused queued save once the user chose in the conflict panel.
    let togli_rifiutata = move || async move {
        if let Some(v) = rifiutata() {
            crate::offline::modifica_coda(&utente(), move |c| c.scarta(&v.chiave)).await;
            offline.conta(&utente()).await;
        }
        rifiutata.set(None);
    };

    let Some(s) = scheda() else {
        return rsx! {
            match &*iniziale.read() {
                Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| iniziale.restart() } },
                _ => rsx! { Caricamento { riprova: move |_| iniziale.restart() } },
            }
        };
    };
    rsx! {
        document::Title { "{s.dati.denominazione} — Servizi 0-6" }
        Briciole { voci: vec![("Servizi".to_string(), Route::ServiziElenco {})], pagina: s.dati.denominazione.clone() }
        div { class: "d-flex flex-wrap align-items-center gap-2 my-2",
            h1 { class: "mb-0", id: "titolo-servizio", "{s.dati.denominazione}" }
            span { class: classe_stato(s.dati.stato), id: "stato-servizio", "{s.dati.stato.label()}" }
        }
        p { class: "text-muted",
            "{s.comune.nome} ({s.sigla_provincia}) · versione {s.versione} · ultima modifica {data_ora(&s.aggiornato)}"
        }
        if editore() == Some(false) {
            div { id: "altra-finestra", class: "alert alert-warning", role: "alert",
                "Questo servizio è aperto in un'altra finestra o scheda del browser: qui puoi solo leggerlo. "
                "Chiudi l'altra per modificarlo qui." }
        }
        if da_copia() || !(offline.online)() {
            div { id: "avviso-offline", class: "alert alert-warning", role: "status",
                "Sei offline: puoi continuare a modificare; le modifiche restano su questo dispositivo e partono al ritorno della connessione." }
        }
        if let Some(v) = rifiutata().filter(|v| v.rifiuto.as_ref().is_some_and(|r| r.stato != 409)) {
            div { id: "modifica-rifiutata", class: "alert alert-danger", role: "alert",
                p { class: "mb-2", "La modifica in coda non è stata accettata: {v.rifiuto.as_ref().map(|r| r.messaggio.clone()).unwrap_or_default()}" }
                button { class: "btn btn-outline-primary btn-sm", onclick: move |_| async move { togli_rifiutata().await; messaggio.set(None); },
                    "Togli dalla coda (i valori restano nel modulo)" }
            }
        }
        if let Some((ok, testo)) = messaggio() {
            div { id: "esito-salvataggio", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: "alert", "{testo}" }
        }
        if let Some(c) = conflitto() {
            div { id: "conflitto", class: "alert alert-warning", role: "alert",
                p { class: "fw-bold", "Nel frattempo qualcun altro ha salvato questo servizio (versione {c.attuale.versione})." }
                if c.differenze.is_empty() {
                    p { "I valori salvati coincidono con i tuoi." }
                } else {
                    table { class: "table table-sm",
                        thead { tr { th { "Campo" } th { "Valore salvato ora" } th { "Il tuo valore" } } }
                        tbody {
                            for m in c.differenze.iter() {
                                tr { key: "{m.campo}", td { "{etichetta(&m.campo)}" } td { "{m.dopo}" } td { "{m.prima}" } }
                            }
                        }
                    }
                }
                div { class: "d-flex flex-wrap gap-2",
                    button { id: "usa-valori-salvati", class: "btn btn-outline-primary btn-sm",
                        onclick: move |_| async move {
                            if let Some(c) = conflitto() {
                                form.set(ServizioForm::da_dati(&c.attuale.dati));
                                scheda.set(Some(c.attuale));
                            }
                            conflitto.set(None);
                            messaggio.set(None);
                            togli_rifiutata().await;
                        },
                        "Usa i valori salvati"
                    }
                    button { id: "mantieni-miei-valori", class: "btn btn-primary btn-sm",
                        onclick: move |_| async move {
                            if let Some(c) = conflitto() {
                                scheda.set(Some(c.attuale));
                            }
                            conflitto.set(None);
                            togli_rifiutata().await;
                            messaggio.set(Some((true, "Tieni i tuoi valori: salva di nuovo per sovrascrivere quelli salvati.".to_owned())));
                        },
                        "Mantieni i miei valori"
                    }
                }
            }
        }
        ModuloServizio {
            form,
            campi_server,
            precedente: Some(s.dati.stato),
            sola_lettura: editore() != Some(true),
            in_corso: in_corso(),
            pronto: idratata() && conflitto().is_none() && editore() == Some(true),
            etichetta_salva: "Salva le modifiche",
            onsalva: salva,
        }
        h2 { class: "h4 mt-5", id: "storia", "Storia delle modifiche" }
        match &*storia.read() {
            Some(Ok(voci)) => rsx! { Storia { voci: voci.clone() } },
            Some(Err(e)) => rsx! { ErroreCaricamento { errore: e.clone(), riprova: move |_| storia.restart() } },
            None => rsx! { Caricamento {} },
        }
    }
}
