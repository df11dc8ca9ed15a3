//! One campaign's page for the Region: edit and publish a draft, extend the deadline for
//! every comune (with its history and the notice's text).

use super::*;

/// The Region's page of one campaign.
#[component]
pub fn GestioneCampagna(id: String) -> Element {
    let id = use_signal(|| id);
    let mut c = use_resource(move || async move { campagna(id()).await });
    let mut righe = use_resource(move || async move { schede(id()).await });
    let mut esito = use_signal(|| None::<(bool, String)>);
    let mut in_corso = use_signal(|| false);
    let mut modifica = use_signal(|| false);
    let mut conferma_pubblica = use_signal(|| false);
    let idratata = use_context::<Idratata>().0;
    let pubblica = move |_: ()| async move {
        in_corso.set(true);
        let r = pubblica_campagna(id()).await;
        in_corso.set(false);
        match r {
            Ok(_) => {
                esito.set(Some((
                    true,
                    "Rilevazione pubblicata: i comuni ammessi la vedono.".into(),
                )));
                c.restart();
            }
            Err(e) => esito.set(Some((false, messaggio(e)))),
        }
    };
    let Some(Ok(camp)) = &*c.read() else {
        return rsx! {
            match &*c.read() {
                Some(Err(e)) => rsx! { div { id: "errore-quadro", ErroreCaricamento { errore: e.clone(), riprova: move |_| c.restart() } } },
                _ => rsx! { Caricamento { riprova: move |_| c.restart() } },
            }
        };
    };
    let camp = camp.clone();
    let bozza = camp.stato == StatoCampagna::Bozza;
    rsx! {
        document::Title { "{camp.dati.titolo} — Servizi 0-6" }
        Briciole { voci: vec![("Rilevazioni".to_string(), Route::Rilevazioni {})], pagina: camp.dati.titolo.clone() }
        h1 { class: "h2 my-2", "{camp.dati.titolo}" }
        dl { class: "row", id: "dati-campagna",
            dt { class: "col-sm-4", "Stato" } dd { class: "col-sm-8", id: "stato-campagna", "{camp.stato.label()}" }
            dt { class: "col-sm-4", "Tipo e annualità" } dd { class: "col-sm-8", "{camp.dati.tipo.label()}, {camp.dati.annualita}" }
            dt { class: "col-sm-4", "Data di riferimento" } dd { class: "col-sm-8", {shared::tempo::data_italiana(camp.dati.data_riferimento)} }
            dt { class: "col-sm-4", "Apertura" } dd { class: "col-sm-8", {data_ora_estesa(camp.dati.apertura)} }
            dt { class: "col-sm-4", "Termine" } dd { class: "col-sm-8", id: "termine-campagna", {data_ora_estesa(camp.chiusura_in_vigore)} }
            dt { class: "col-sm-4", "Comuni ammessi" }
            dd { class: "col-sm-8", {camp.dati.comuni_ammessi.as_ref().map(|l| l.len().to_string()).unwrap_or_else(|| "Tutti i comuni della Regione".into())} }
        }
        if camp.dati.tipo != TipoCampagna::Frequentanti {
            div { id: "esportazioni", class: "d-flex flex-wrap gap-2 mb-3",
                a { class: "btn btn-outline-primary btn-sm", href: "/api/v1/campagne/{camp.id}/esportazione.xlsx", download: "rilevazione.xlsx", "Scarica XLSX" }
                for foglio in ["comuni", "interventi", "province"] {
                    a { key: "{foglio}", class: "btn btn-outline-primary btn-sm", href: "/api/v1/campagne/{camp.id}/esportazione.csv?foglio={foglio}",
                        download: "rilevazione-{foglio}.csv", "CSV {foglio}" }
                }
            }
        }
        if let Some((ok, t)) = esito() {
            div { id: "esito-campagna", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: "alert", "{t}" }
        }
        Conferma { id: "conferma-pubblica", aperta: conferma_pubblica, ritorno: "pubblica-campagna",
            titolo: "Pubblicare la rilevazione?",
            testo: "Una volta pubblicata, i comuni ammessi la vedono e la rilevazione non si può più modificare: si potranno solo prorogarne i termini.",
            etichetta: "Pubblica", onconferma: pubblica }
        if bozza {
            div { class: "d-flex flex-wrap gap-2 mb-4",
                button { id: "pubblica-campagna", class: "btn btn-primary", disabled: !idratata() || in_corso(), onclick: move |_| conferma_pubblica.set(true), "Pubblica" }
                button { id: "modifica-campagna", class: "btn btn-outline-primary", disabled: !idratata(), onclick: move |_| modifica.toggle(),
                    if modifica() { "Chiudi la modifica" } else { "Modifica" } }
            }
            if modifica() {
                ModuloCampagna {
                    id: Some(camp.id.clone()),
                    iniziale: CampagnaForm::da_dati(&camp.dati),
                    onsalvata: move |_| {
                        modifica.set(false);
                        esito.set(Some((true, "Modifiche salvate.".into())));
                        c.restart();
                        righe.restart();
                    },
                }
            }
        } else {
            Proroga { id: camp.id.clone(), campagna: camp.clone(), onfatta: move |avviso: String| {
                esito.set(Some((true, format!("Proroga registrata. Testo dell'avviso: {avviso}"))));
                c.restart();
            } }
        }
        QuadroSchede { id: camp.id.clone(), righe, onmodificata: move |_| { righe.restart(); } }
    }
}

/// The global extension: the history and a form for a new one.
#[component]
pub(super) fn Proroga(id: String, campagna: Campagna, onfatta: EventHandler<String>) -> Element {
    let mut chiusura = use_signal(String::new);
    let mut motivo = use_signal(String::new);
    let mut errore = use_signal(|| None::<String>);
    let mut in_corso = use_signal(|| false);
    let idratata = use_context::<Idratata>().0;
    let proroga = move |_| {
        let id = id.clone();
        async move {
            in_corso.set(true);
            let r = proroga_campagna(id, chiusura(), motivo()).await;
            in_corso.set(false);
            match r {
                Ok(p) => {
                    errore.set(None);
                    chiusura.set(String::new());
                    motivo.set(String::new());
                    onfatta.call(p.avviso);
                }
                Err(e) => errore.set(Some(messaggio(e))),
            }
        }
    };
    rsx! {
        section { id: "proroghe", class: "mb-4",
            h2 { class: "h5", "Proroghe" }
            if campagna.proroghe.is_empty() {
                p { class: "text-muted", "Nessuna proroga." }
            } else {
                ol { id: "storia-proroghe",
                    for p in campagna.proroghe.iter() {
                        li { key: "{p.quando}", "Al {data_ora_estesa(p.chiusura)} — {p.motivo} (da {p.da}, {data_ora_estesa(p.quando)})" }
                    }
                }
            }
            div { class: "row g-2 align-items-end",
                div { class: "col-12 col-md-4",
                    Campo { id: "proroga-chiusura", etichetta: "Nuovo termine (gg/mm/aaaa hh:mm)", valore: chiusura(), errore: None,
                        oninput: move |v: String| chiusura.set(v) }
                }
                div { class: "col-12 col-md-5",
                    Campo { id: "proroga-motivo", etichetta: "Motivo", valore: motivo(), errore: None, oninput: move |v: String| motivo.set(v) }
                }
                div { class: "col-12 col-md-3 mb-4",
                    button { id: "proroga-campagna", class: "btn btn-outline-primary", disabled: !idratata() || in_corso(), onclick: proroga, "Proroga per tutti" }
                }
            }
            if let Some(e) = errore() { div { id: "errore-proroga", class: "alert alert-danger", role: "alert", "{e}" } }
        }
    }
}
