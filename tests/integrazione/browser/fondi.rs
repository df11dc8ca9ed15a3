//! The monitoring of the funds in real Chromium: the comune compiles it and sees a money rule's
//! error inline before any request, sends it; the Region returns it with a comment on a field;
//! the comune sees the comment at the field, fixes and sends again; the Region sees what changed
//! and accepts it.

use super::{app_for_browser, browser, Browser, DESKTOP};
use crate::campagne_prova::{campagna_fondi, dichiara_tutti};
use crate::helpers::{TestApp, TestUser};
use serde_json::{json, Value};
use shared::routes;

async fn chiama(client: &reqwest::Client, metodo: &str, url: String, body: Value) -> Value {
    let req = match metodo {
        "PUT" => client.put(url),
        _ => client.post(url),
    };
    let r = req.json(&body).send().await.unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    r.json().await.unwrap_or(Value::Null)
}

async fn campagna(app: &TestApp, regione: &reqwest::Client, tipo: &str) -> String {
    app.pubblica_campagna(regione, campagna_fondi(tipo, -60, 600, "001272"))
        .await
}

async fn esci_e_entra(b: &Browser, app: &TestApp, chi: &str) {
    b.click_id("esci").await;
    b.wait_id("link-accesso").await;
    b.accedi(app, chi).await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn a_monitoring_is_compiled_sent_returned_with_a_comment_fixed_resent_and_accepted() {
    let app = app_for_browser().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    for (fonte, csv) in [("statale", "001272;10.000"), ("regionale", "001272;2.000")] {
        chiama(
            &regione,
            "PUT",
            app.url(&format!("/api/v1/riparti/2023/{fonte}")),
            json!({ "csv": csv }),
        )
        .await;
    }
    // The plan, sent through the API.
    let piano = campagna(&app, &regione, "interventi").await;
    let url = app.url(&routes::scheda(&piano, "001272"));
    dichiara_tutti(&app, &torino, &routes::scheda(&piano, "001272")).await;
    let intervento = |id: &str, linea: &str, fonte: &str, importo: &str, descrizione: &str| {
        json!({
        "id": id, "linea": linea, "fonte": fonte, "descrizione": descrizione, "servizi": [],
        "importo_previsto": importo, "inizio": "01/09/2022", "fine": "30/06/2023" })
    };
    chiama(
        &torino,
        "PUT",
        url.clone(),
        json!({ "versione": 0, "dati": { "interventi": [
        intervento("i1", "b", "statale", "8.000", "Gestione del nido Arcobaleno"),
        intervento("i2", "b", "statale", "2.000", "Gestione della sezione primavera"),
        intervento("i3", "c", "regionale", "2.000", "Formazione delle educatrici") ] } }),
    )
    .await;
    chiama(&torino, "POST", format!("{url}/invio"), json!({})).await;
    let mon = campagna(&app, &regione, "monitoraggio").await;

    let b = browser(DESKTOP).await;
    b.accedi(&app, "torino").await;
    b.open(&app.url(&format!("/rilevazioni/{mon}"))).await;
    b.click_id("conferma-dichiarazione").await;
    b.wait_id("v2-impegnato").await;
    let richieste = b.api_requests().await;
    b.type_into("v0-impegnato", "8.000").await;
    b.type_into("v0-liquidato", "9.000").await;
    b.wait_text("v0-liquidato-errore", "non può superare l'impegnato")
        .await;
    assert_eq!(
        b.api_requests().await,
        richieste,
        "the rule ran in the page, no request"
    );
    b.wait_id("v0-liquidato").await.clear().await.unwrap();
    b.type_into("v0-liquidato", "5.000").await;
    for (i, impegnato, liquidato) in [(0, "", ""), (1, "2.000", "0"), (2, "1.500", "1.500")] {
        if !impegnato.is_empty() {
            b.type_into(&format!("v{i}-impegnato"), impegnato).await;
            b.type_into(&format!("v{i}-liquidato"), liquidato).await;
        }
        b.type_into(&format!("v{i}-atto_numero"), "DD 12/2023")
            .await;
        b.type_into(&format!("v{i}-atto_data"), "15/03/2023").await;
        b.wait_id(&format!("v{i}-avanzamento"))
            .await
            .select_by_value("in_corso")
            .await
            .unwrap();
    }
    b.click_id("salva-bozza").await;
    b.wait_text("esito-scheda", "Bozza salvata.").await;
    b.wait_js(
        "return !document.getElementById('invia-scheda').disabled;",
        "send enabled",
    )
    .await;
    b.click_id("invia-scheda").await;
    b.conferma("conferma-invio").await;
    b.wait_text("esito-scheda", "Scheda inviata: ricevuta n. 1.")
        .await;

    // The Region returns it with a comment on a field.
    esci_e_entra(&b, &app, "regione").await;
    b.open(&app.url(&format!("/rilevazioni/{mon}"))).await;
    b.click_id("gestisci-001272").await;
    b.type_into("commento-campo", "voci[2].impegnato").await;
    b.type_into("commento-testo", "L'atto DD 12/2023 impegna 1.400 euro.")
        .await;
    b.click_id("restituisci-scheda").await;
    b.wait_text(
        "esito-gestione",
        "Scheda restituita al comune per correzioni.",
    )
    .await;

    // The comune sees the comment at the field, fixes and sends again.
    esci_e_entra(&b, &app, "torino").await;
    b.open(&app.url(&format!("/rilevazioni/{mon}"))).await;
    b.wait_text("commento-v2-impegnato", "impegna 1.400 euro")
        .await;
    b.wait_text(
        "stato-scheda-messaggio",
        "restituito la scheda per correzioni",
    )
    .await;
    for campo in ["v2-impegnato", "v2-liquidato"] {
        b.wait_id(campo).await.clear().await.unwrap();
        b.type_into(campo, "1.400").await;
    }
    b.click_id("salva-bozza").await;
    b.wait_text("esito-scheda", "Bozza salvata.").await;
    b.wait_js(
        "return !document.getElementById('invia-scheda').disabled;",
        "send enabled",
    )
    .await;
    b.click_id("invia-scheda").await;
    b.conferma("conferma-invio").await;
    b.wait_text("esito-scheda", "Scheda inviata: ricevuta n. 2.")
        .await;

    // The Region sees what changed and accepts.
    esci_e_entra(&b, &app, "regione").await;
    b.open(&app.url(&format!("/rilevazioni/{mon}"))).await;
    b.click_id("gestisci-001272").await;
    let diff = b
        .wait_text("differenze-invii", "voci[2].impegnato: «1.500» → «1.400»")
        .await;
    assert!(
        diff.contains("voci[2].liquidato: «1.500» → «1.400»"),
        "{diff}"
    );
    b.click_id("accetta-scheda").await;
    b.conferma("conferma-accetta").await;
    b.wait_text("esito-gestione", "Scheda accettata.").await;
    b.close().await;
    let s: Value = regione
        .get(app.url(&routes::scheda(&mon, "001272")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(s["stato"], "accettata");
    assert_eq!(s["invii"].as_array().unwrap().len(), 2);
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn the_region_loads_the_allocation_from_csv_and_the_comune_sees_it_and_files_a_request() {
    let size = super::MOBILE;
    let app = app_for_browser().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let dir = tempfile::tempdir().unwrap();
    let sbagliato = dir.path().join("riparto-sbagliato.csv");
    std::fs::write(&sbagliato, "Codice;Importo\n1272;1.234,567\nTorino;5\n").unwrap();
    let giusto = dir.path().join("riparto.csv");
    std::fs::write(&giusto, "Codice;Importo\n1272;1.234,56\n4003;100\n").unwrap();

    let b = browser(size).await;
    b.accedi(&app, "regione").await;
    b.click_id("vai-fondi").await;
    b.wait_id("anno-fondi").await.clear().await.unwrap();
    b.type_into("anno-fondi", "2023").await;
    b.wait_text("riparto-vuoto", "Nessun importo").await;
    b.wait_id("csv-statale")
        .await
        .send_keys(sbagliato.to_str().unwrap())
        .await
        .unwrap();
    let errori = b
        .wait_text(
            "esito-riparto",
            "Riga 2: L'importo ha al massimo due decimali",
        )
        .await;
    assert!(
        errori.contains("Riga 3: «Torino» non è un codice ISTAT di comune."),
        "{errori}"
    );
    b.wait_id("csv-statale")
        .await
        .send_keys(giusto.to_str().unwrap())
        .await
        .unwrap();
    b.wait_text(
        "esito-riparto",
        "importati 2 comuni per un totale di € 1.334,56",
    )
    .await;
    let tabella = b.wait_text("tabella-riparto", "Torino").await;
    assert!(
        tabella.contains("1.234,56") && tabella.contains("Totale (2 comuni)"),
        "{tabella}"
    );
    b.assert_no_horizontal_overflow(size).await;

    // The comune sees its amounts, and files a "services not reached" request on its monitoring.
    let mon = campagna(&app, &regione, "monitoraggio").await;
    esci_e_entra(&b, &app, "torino").await;
    b.click_id("vai-fondi").await;
    b.wait_id("anno-fondi").await.clear().await.unwrap();
    b.type_into("anno-fondi", "2023").await;
    b.wait_text("assegnato-comune", "€ 1.234,56").await;
    b.open(&app.url(&format!("/rilevazioni/{mon}"))).await;
    b.click_id("apri-segnalazione").await;
    b.type_into("segn-servizio", "Nido Il Castello").await;
    b.click_id("invia-segnalazione").await;
    b.wait_id("segn-motivo-errore").await;
    b.type_into("segn-indirizzo", "Via Roma 3, Torino").await;
    b.type_into("segn-titolare", "Cooperativa Il Castello")
        .await;
    b.type_into("segn-motivo", "Il gestore ha rinunciato al contributo.")
        .await;
    b.click_id("invia-segnalazione").await;
    b.wait_text("stato-scheda-messaggio", "segnalati servizi non raggiunti")
        .await;
    b.wait_text("segnalazioni-inviate", "Nido Il Castello")
        .await;
    b.assert_no_horizontal_overflow(size).await;
    b.close().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn a_plan_of_interventions_is_checked_against_the_allocation_as_typed_and_sent() {
    let app = app_for_browser().await;
    let regione = app.logged_in(TestUser::Regione).await;
    chiama(
        &regione,
        "PUT",
        app.url("/api/v1/riparti/2023/statale"),
        json!({ "csv": "001272;10.000" }),
    )
    .await;
    let piano = campagna(&app, &regione, "interventi").await;
    let b = browser(DESKTOP).await;
    b.accedi(&app, "torino").await;
    b.open(&app.url(&format!("/rilevazioni/{piano}"))).await;
    b.click_id("conferma-dichiarazione").await;
    b.wait_text("assegnato", "assegnati € 10.000,00").await;
    b.wait_id("i0-linea")
        .await
        .select_by_value("b")
        .await
        .unwrap();
    b.wait_id("i0-fonte")
        .await
        .select_by_value("statale")
        .await
        .unwrap();
    b.type_into("i0-descrizione", "Quota di gestione del nido")
        .await;
    b.type_into("i0-importo_previsto", "10.000,01").await;
    b.type_into("i0-inizio", "01/09/2022").await;
    b.type_into("i0-fine", "30/06/2023").await;
    b.wait_text("errori-generali", "supera l'assegnato (€ 10.000,00)")
        .await;
    // A second intervention, added and taken away again.
    b.click_id("aggiungi-intervento").await;
    b.wait_id("i1-descrizione").await;
    b.click(
        b.client
            .find(fantoccini::Locator::Css(
                "fieldset:nth-of-type(2) .btn-outline-danger",
            ))
            .await
            .unwrap(),
    )
    .await;
    b.wait_js(
        "return !document.getElementById('i1-descrizione');",
        "the second intervention removed",
    )
    .await;
    b.wait_id("i0-importo_previsto")
        .await
        .clear()
        .await
        .unwrap();
    b.type_into("i0-importo_previsto", "10.000").await;
    b.wait_js(
        "return !document.getElementById('errori-generali');",
        "no error left",
    )
    .await;
    b.click_id("salva-bozza").await;
    b.wait_text("esito-scheda", "Bozza salvata.").await;
    b.wait_js(
        "return !document.getElementById('invia-scheda').disabled;",
        "send enabled",
    )
    .await;
    b.click_id("invia-scheda").await;
    b.conferma("conferma-invio").await;
    b.wait_text("esito-scheda", "Scheda inviata: ricevuta n. 1.")
        .await;
    b.close().await;
}
