//! A comune's official fills in a campaign form as a person does: the countdown and the reason
//! the form is open, the rules' warning asking for a justification, a draft save, the sending
//! and its receipt; the Region then sees the form as sent.

use super::{app_for_browser, browser, DESKTOP, MOBILE};
use crate::campagne_prova::campagna;
use fantoccini::Locator;
use serde_json::json;
use shared::routes;

const TITOLO: &str = "Frequentanti al 31/12/2025";

async fn compila_e_invia(size: (u32, u32)) {
    let app = app_for_browser().await;
    let regione = app.logged_in(crate::helpers::TestUser::Regione).await;
    let mut c = campagna(-60, 60 * 26, "");
    c["titolo"] = json!(TITOLO);
    let id = app.pubblica_campagna(&regione, c).await;

    let b = browser(size).await;
    b.accedi(&app, "torino").await;
    b.click_id("vai-rilevazioni").await;
    b.click(
        b.client
            .wait()
            .for_element(Locator::LinkText(TITOLO))
            .await
            .unwrap(),
    )
    .await;
    let msg = b.text_of("stato-scheda-messaggio").await;
    assert!(msg.starts_with("La compilazione è aperta fino al"), "{msg}");
    let conto = b.text_of("conto-alla-rovescia").await;
    assert!(conto.starts_with("Mancano 1 giorno e 1 ora"), "{conto}");

    // The preliminary declaration first: every active service operating.
    b.click_id("conferma-dichiarazione").await;
    assert_eq!(
        b.text_of("esito-scheda").await,
        "Dichiarazione confermata: ora puoi compilare la scheda."
    );
    // Every service operating at the reference date has its block; the 24–36 months band is
    // admitted by all the demo services.
    b.wait_id("r4-iscritti-2").await;
    assert!(
        b.client.find(Locator::Id("r5-iscritti-2")).await.is_err(),
        "five services"
    );
    for i in 0..5 {
        let n = if i == 0 { "100" } else { "2" };
        b.type_into(&format!("r{i}-iscritti-2"), n).await;
        b.type_into(&format!("r{i}-frequentanti-2"), n).await;
    }
    // Above the authorised places: a warning, and sending needs a justification.
    let avvisi = b.text_of("avvisi").await;
    assert!(avvisi.contains("superano i"), "{avvisi}");
    b.type_into("giustificazione", "Deroga temporanea concessa per lavori")
        .await;
    b.click_id("salva-bozza").await;
    // The message replaces the declaration's one: wait for the text, not the element.
    b.wait_js(
        "const e = document.getElementById('esito-scheda'); return !!e && e.innerText === 'Bozza salvata.';",
        "the draft saved",
    )
    .await;
    b.wait_js(
        "return !document.getElementById('invia-scheda').disabled;",
        "send enabled",
    )
    .await;
    // Sending cannot be undone: a dialog says so. Esc cancels and gives the focus back;
    // Tab stays inside the dialog.
    b.click_id("invia-scheda").await;
    b.wait_id("conferma-invio").await;
    let attivo = b.client.active_element().await.unwrap();
    attivo.send_keys("\u{e00c}").await.unwrap();
    b.wait_js(
        "return document.getElementById('conferma-invio') === null \
         && document.activeElement.id === 'invia-scheda';",
        "Esc closes the dialog and the focus is back on the button",
    )
    .await;
    b.click_id("invia-scheda").await;
    b.wait_id("conferma-invio").await;
    for atteso in [
        "conferma-invio-conferma",
        "conferma-invio-annulla",
        "conferma-invio-conferma",
    ] {
        premi_tab(&b).await;
        b.wait_js(
            &format!("return document.activeElement.id === '{atteso}';"),
            "Tab cycles the dialog's buttons",
        )
        .await;
    }
    premi_tab(&b).await;
    b.conferma("conferma-invio").await;
    let ricevuta = b.text_of("ricevuta").await;
    assert!(ricevuta.contains("Ricevuta n. 1"), "{ricevuta}");
    assert!(
        b.client.find(Locator::Id("invia-scheda")).await.is_err(),
        "a sent form is locked"
    );
    b.assert_no_horizontal_overflow(size).await;

    // The regional official sees Torino's form as sent, with its receipt number.
    b.click_id("esci").await;
    b.wait_id("link-accesso").await;
    b.accedi(&app, "regione").await;
    b.click_id("vai-rilevazioni").await;
    b.click(
        b.client
            .wait()
            .for_element(Locator::LinkText(TITOLO))
            .await
            .unwrap(),
    )
    .await;
    let conteggi = b.text_of("conteggi-schede").await;
    assert!(conteggi.starts_with("1180 comuni: 1 inviate"), "{conteggi}");
    b.wait_id("filtro-stato-scheda")
        .await
        .select_by_value("inviata")
        .await
        .unwrap();
    b.wait_js(
        "const t = document.getElementById('quadro-schede'); \
         return !!t && t.tBodies[0].rows.length === 1 && t.innerText.includes('Torino') && t.innerText.includes('n. 1');",
        "Torino sent, receipt n. 1",
    )
    .await;
    b.assert_no_horizontal_overflow(size).await;
    b.close().await;

    let (_, s) = app.get_json(&regione, &routes::scheda(&id, "001272")).await;
    assert_eq!(s["stato"], "inviata");
    assert_eq!(s["ricevuta"]["numero"], 1);
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn an_official_fills_in_justifies_and_sends_a_form_and_gets_the_receipt_on_desktop() {
    compila_e_invia(DESKTOP).await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn an_official_fills_in_justifies_and_sends_a_form_and_gets_the_receipt_on_a_phone() {
    compila_e_invia(MOBILE).await;
}

/// Presses Tab where the focus is.
async fn premi_tab(b: &super::Browser) {
    let attivo = b.client.active_element().await.expect("elemento attivo");
    attivo.send_keys("\u{e004}").await.expect("Tab");
}
