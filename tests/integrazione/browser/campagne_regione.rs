//! The Region runs a campaign from its pages, on a phone's width: creates it with the eligible
//! comuni loaded from a CSV file, publishes it, extends it (history and notice), blocks one
//! comune's form with a reason; that comune's home then shows the block and what is missing.
//! Once unlocked, the comune's form saves itself as it is typed and survives a reload.

use super::{app_for_browser, browser, MOBILE};
use fantoccini::Locator;
use serde_json::json;
use shared::routes;

const TITOLO: &str = "Frequentanti al 31/12/2025 (prova)";

use crate::helpers::tra as ora;

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn the_region_creates_publishes_extends_and_blocks_and_the_comune_sees_why_then_autosaves() {
    let size = MOBILE;
    let app = app_for_browser().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("comuni-ammessi.csv");
    // As a spreadsheet saves it: a header, and the leading zeros lost.
    std::fs::write(&csv, "Comune;Codice ISTAT\r\nTorino;1272\r\nAlba;4003\r\n").unwrap();

    let b = browser(size).await;
    b.accedi(&app, "regione").await;
    b.click_id("vai-rilevazioni").await;
    b.click_id("nuova-rilevazione").await;
    b.type_into("campagna-titolo", TITOLO).await;
    b.type_into("campagna-annualita", "2025").await;
    b.type_into("campagna-riferimento", "31/12/2025").await;
    b.type_into("campagna-apertura", &ora(-60)).await;
    // A closing time before the opening is refused while typing, as the server would.
    b.type_into("campagna-chiusura", &ora(-120)).await;
    b.wait_text(
        "campagna-chiusura-errore",
        "La chiusura deve essere successiva all'apertura.",
    )
    .await;
    b.wait_id("campagna-chiusura").await.clear().await.unwrap();
    b.type_into("campagna-chiusura", &ora(60 * 24)).await;
    b.wait_id("campagna-comuni-file")
        .await
        .send_keys(csv.to_str().unwrap())
        .await
        .unwrap();
    b.wait_text(
        "esito-file-comuni",
        "Dal file comuni-ammessi.csv: 2 codici ISTAT.",
    )
    .await;
    b.wait_text("campagna-comuni-conteggio", "2 comuni ammessi.")
        .await;
    b.click_id("salva-campagna").await;

    assert_eq!(b.wait_text("stato-campagna", "Bozza").await, "Bozza");
    b.wait_text("conteggi-schede", "2 comuni: 0 inviate").await;
    b.click_id("pubblica-campagna").await;
    b.conferma("conferma-pubblica").await;
    b.wait_text("stato-campagna", "Pubblicata").await;

    // An extension by two days: its history and the public notice.
    b.type_into("proroga-chiusura", &ora(60 * 24 * 3)).await;
    b.type_into("proroga-motivo", "Richiesta dell'ANCI regionale")
        .await;
    b.click_id("proroga-campagna").await;
    let esito = b
        .wait_text("esito-campagna", "sono stati prorogati al")
        .await;
    assert!(esito.contains(TITOLO), "{esito}");
    b.wait_text("storia-proroghe", "Richiesta dell'ANCI regionale")
        .await;

    // Torino's form blocked, with the reason.
    b.click_id("gestisci-001272").await;
    b.wait_text("gestione-stato", "Non iniziata").await;
    b.type_into("gestione-motivo", "Verifica dei posti autorizzati")
        .await;
    b.click_id("blocca-scheda").await;
    b.wait_text("esito-gestione", "Scheda bloccata.").await;
    b.wait_text("conteggi-schede", "1 bloccate").await;
    b.assert_no_horizontal_overflow(size).await;

    // Torino's home: the campaign, blocked, with the reason and what is missing.
    b.click_id("esci").await;
    b.wait_id("link-accesso").await;
    b.accedi(&app, "torino").await;
    let voce = b
        .client
        .wait()
        .for_element(Locator::Css("#da-fare li.list-group-item"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(voce.contains(TITOLO) && voce.contains("Bloccata"), "{voce}");
    assert!(
        voce.contains("La scheda è bloccata dalla Regione: Verifica dei posti autorizzati"),
        "{voce}"
    );
    assert!(
        voce.contains("Confermare la dichiarazione preliminare"),
        "{voce}"
    );
    b.assert_no_horizontal_overflow(size).await;

    // Unlocked by the Region: the home counts down; the form saves itself as typed.
    let regione = app.logged_in(crate::helpers::TestUser::Regione).await;
    let (_, elenco) = app.get_json(&regione, "/api/v1/campagne").await;
    let id = elenco[0]["id"].as_str().unwrap().to_owned();
    let res = regione
        .post(app.url(&format!(
            "/api/v1/campagne/{id}/comuni/001272/scheda/sblocco"
        )))
        .json(&json!({ "motivo": "Verifica conclusa" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    b.client.refresh().await.unwrap();
    b.wait_hydrated().await;
    let conto = b
        .wait_text(&format!("da-fare-{id}"), "Mancano 2 giorni e 23 ore")
        .await;
    assert!(conto.contains("Non iniziata"), "{conto}");

    b.click(
        b.client
            .wait()
            .for_element(Locator::LinkText(TITOLO))
            .await
            .unwrap(),
    )
    .await;
    b.click_id("conferma-dichiarazione").await;
    b.type_into("r0-iscritti-2", "7").await;
    b.wait_text("esito-scheda", "Bozza salvata automaticamente alle")
        .await;
    b.client.refresh().await.unwrap();
    b.wait_hydrated().await;
    b.wait_js(
        "const e = document.getElementById('r0-iscritti-2'); return !!e && e.value === '7';",
        "the autosaved value after a reload",
    )
    .await;
    b.close().await;

    let torino = app.logged_in(crate::helpers::TestUser::Torino).await;
    let (_, s) = app.get_json(&torino, &routes::scheda(&id, "001272")).await;
    assert_eq!(
        (s["stato"].as_str(), s["versione"].as_u64()),
        (Some("bozza"), Some(1))
    );
    assert_eq!(s["dati"]["righe"][0]["iscritti"][2], "7");
}
