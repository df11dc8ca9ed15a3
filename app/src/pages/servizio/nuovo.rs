//! `/servizi/nuovo`: a new service registered in one's comune, its draft kept on the device
//! with the idempotency key of its registration.

use super::*;

/// `/servizi/nuovo`
#[component]
pub fn NuovoServizio() -> Element {
    let sessione = use_context::<Sessione>().0;
    match sessione().and_then(|u| u.comune.filter(|_| u.ruolo.is_comunale())) {
        Some(c) => rsx! { Nuovo { codice: c.codice, nome: c.nome } },
        None if sessione().is_some() => rsx! {
            Briciole { voci: vec![("Servizi".to_string(), Route::ServiziElenco {})], pagina: "Nuovo servizio" }
        h1 { "Nuovo servizio" }
            div { class: "alert alert-info", role: "alert",
                "I servizi si registrano dal profilo del comune in cui si trovano."
            }
        },
        None => serve_accesso(),
    }
}

/// A new service's draft on the device, with the idempotency key of its registration (kept
/// until it succeeds, so a retry can never register it twice).
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct NuovoInBozza {
    dati: ServizioForm,
    chiave: String,
}

#[component]
pub(super) fn Nuovo(codice: String, nome: String) -> Element {
    let mut form = use_signal(ServizioForm::nuovo);
    let mut campi_server = use_signal(Vec::<FieldError>::new);
    let mut errore = use_signal(|| None::<String>);
    let mut in_corso = use_signal(|| false);
    let mut chiave = use_signal(String::new);
    let mut pronta = use_signal(|| false);
    let idratata = use_context::<Idratata>().0;
    let utente = crate::components::shell::use_nome_utente();
    let modulo = format!("servizio:nuovo:{codice}");
    let editore = use_modifica_esclusiva(modulo.clone());
    let nav = navigator();
    // The draft left on this device (reload, crash, another tab) comes back.
    let m = modulo.clone();
    use_effect(move || {
        if editore() != Some(true) {
            return;
        }
        let m = m.clone();
        spawn(async move {
            let b: Option<NuovoInBozza> = crate::offline::leggi(&utente.peek(), "bozze", &m).await;
            match b {
                Some(b) => {
                    // Only into an untouched form: never over what is being typed.
                    if b.dati != ServizioForm::nuovo() && *form.peek() == ServizioForm::nuovo() {
                        form.set(b.dati);
                    }
                    chiave.set(b.chiave);
                }
                None => chiave.set(crate::offline::nuova_chiave()),
            }
            pronta.set(true);
            // What was typed while the draft was being read (the effect below writes only
            // once the form is ready) is kept now, not at the next keystroke.
            let dati = form.peek().clone();
            if dati != ServizioForm::nuovo() {
                let b = NuovoInBozza {
                    dati,
                    chiave: chiave.peek().clone(),
                };
                crate::offline::scrivi(&utente.peek(), "bozze", &m, &b).await;
            }
        });
    });
    let m = modulo.clone();
    use_effect(move || {
        let dati = form();
        if !*pronta.peek() || *editore.peek() != Some(true) {
            return;
        }
        let b = NuovoInBozza {
            dati,
            chiave: chiave.peek().clone(),
        };
        let m = m.clone();
        spawn(async move {
            crate::offline::scrivi(&utente.peek(), "bozze", &m, &b).await;
        });
    });
    let m = modulo.clone();
    let salva = move |_| {
        let codice = codice.clone();
        let m = m.clone();
        async move {
            in_corso.set(true);
            errore.set(None);
            let k = Some(chiave()).filter(|k| !k.is_empty());
            let esito = crea_servizio(codice, form(), k).await;
            in_corso.set(false);
            match esito {
                Ok(_) => {
                    // Registered: the draft and its key are done with.
                    let vuota = NuovoInBozza { dati: ServizioForm::nuovo(), chiave: crate::offline::nuova_chiave() };
                    crate::offline::scrivi(&utente(), "bozze", &m, &vuota).await;
                    nav.push(Route::ServiziElenco {});
                }
                Err(e) if e.0 == ApiError::Unavailable => errore.set(Some(
                    "Sei offline: il servizio NON è ancora registrato. Quanto hai scritto resta su questo dispositivo: \
                     registralo quando torna la connessione."
                        .into(),
                )),
                Err(e) => {
                    campi_server.set(e.0.fields().to_vec());
                    errore.set(Some(e.0.message()));
                }
            }
        }
    };
    rsx! {
        document::Title { "Nuovo servizio — Servizi 0-6" }
        Briciole { voci: vec![("Servizi".to_string(), Route::ServiziElenco {})], pagina: "Nuovo servizio" }
        h1 { "Nuovo servizio" }
        p { "Comune di {nome}. I campi si controllano mentre scrivi; il server ricontrolla al salvataggio." }
        if let Some(e) = errore() {
            div { id: "errore-salvataggio", class: "alert alert-danger", role: "alert", "{e}" }
        }
        if editore() == Some(false) {
            div { id: "altra-finestra", class: "alert alert-warning", role: "alert",
                "Questo modulo è aperto in un'altra finestra o scheda del browser: qui puoi solo leggerlo." }
        }
        ModuloServizio {
            form,
            campi_server,
            precedente: None,
            sola_lettura: editore() != Some(true),
            in_corso: in_corso(),
            pronto: idratata() && pronta() && editore() == Some(true),
            etichetta_salva: "Registra il servizio",
            onsalva: salva,
        }
    }
}
