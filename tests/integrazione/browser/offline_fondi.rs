//! The funds forms offline in real Chromium, as the children-attending form: the plan typed
//! with no network survives a reload and reaches the server once when the network returns; a
//! save that meets a newer one shows both values and the chosen ones win; two tabs have one
//! editor, and the second takes over the first one's latest draft.

use super::offline::{apri_modulo, attendi_bozza, riscrivi, valore};
use super::{app_for_browser, browser, DESKTOP, MOBILE};
use crate::campagne_prova::campagna_fondi;
use crate::helpers::{TestApp, TestUser};
use fantoccini::Locator;
use serde_json::{json, Value};
use shared::routes;

/// An allocation of € 10.000 (state fund) to Torino for 2023 and a published plan of
/// interventions open for ten hours; the campaign's id.
async fn piano_aperto(app: &TestApp) -> String {
    let regione = app.logged_in(TestUser::Regione).await;
    let r = regione
        .put(app.url("/api/v1/riparti/2023/statale"))
        .json(&json!({ "csv": "001272;10.000" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut c = campagna_fondi("interventi", -60, 600, "");
    c["titolo"] = json!("Interventi 2023 (prova offline)");
    app.pubblica_campagna(&regione, c).await
}

async fn piano_via_api(app: &TestApp, id: &str) -> Value {
    let torino = app.logged_in(TestUser::Torino).await;
    let url = routes::scheda(id, "001272");
    app.get_json(&torino, &url).await.1
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn a_plan_typed_offline_survives_a_reload_and_reaches_the_server_once() {
    let app = app_for_browser().await;
    let id = piano_aperto(&app).await;
    let b = browser(MOBILE).await;
    apri_modulo(&b, &app, &id, "i0-descrizione").await;

    b.rete(&app, false).await;
    b.wait_text("indicatore-rete", "Offline").await;
    riscrivi(&b, "i0-descrizione", "Quota di gestione del nido").await;
    riscrivi(&b, "i0-importo_previsto", "9.500").await;
    b.click_id("salva-bozza").await;
    b.wait_text(
        "esito-scheda",
        "Sei offline: la bozza è salvata su questo dispositivo",
    )
    .await;
    b.wait_text("modifiche-in-attesa", "1 modifica non ancora inviata")
        .await;

    b.client.refresh().await.unwrap();
    b.wait_hydrated().await;
    b.wait_js(
        "const d = document.getElementById('i0-descrizione'), i = document.getElementById('i0-importo_previsto');
         return !!d && !!i && d.value === 'Quota di gestione del nido' && i.value === '9.500';",
        "the plan typed offline after the reload",
    )
    .await;
    b.wait_text("avviso-offline", "Sei offline").await;
    b.assert_no_horizontal_overflow(MOBILE).await;
    let s = piano_via_api(&app, &id).await;
    assert_eq!(s["versione"], 0, "nothing reached the server: {s}");

    b.rete(&app, true).await;
    b.wait_js(
        "return !document.getElementById('modifiche-in-attesa');",
        "the queue drained",
    )
    .await;
    let s = piano_via_api(&app, &id).await;
    assert_eq!(s["versione"], 1, "applied once: {s}");
    assert_eq!(
        s["fondi"]["interventi"]["interventi"][0]["importo_previsto"],
        "9.500"
    );
    let salvataggi = app
        .state
        .store
        .audit_for(&format!("scheda:{id}_001272"))
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.azione == "bozza")
        .count();
    assert_eq!(salvataggi, 1);
    b.close().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn a_plan_saved_offline_meets_a_newer_save_and_the_user_keeps_theirs() {
    let app = app_for_browser().await;
    let id = piano_aperto(&app).await;
    let b = browser(DESKTOP).await;
    apri_modulo(&b, &app, &id, "i0-importo_previsto").await;

    b.rete(&app, false).await;
    b.wait_text("indicatore-rete", "Offline").await;
    riscrivi(&b, "i0-importo_previsto", "8.000").await;
    b.click_id("salva-bozza").await;
    b.wait_text("esito-scheda", "Sei offline").await;
    let altro = app.logged_in(TestUser::Torino).await;
    let r = altro
        .put(app.url(&routes::scheda(&id, "001272")))
        .json(&json!({ "versione": 0, "dati": { "interventi": [{ "id": "i1", "importo_previsto": "7.000" }] } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    b.rete(&app, true).await;
    let rifiuto = b
        .client
        .wait()
        .for_element(Locator::Css(".modifica-rifiutata"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        rifiuto.contains("interventi[0].importo_previsto: sul server «7.000», tuo «8.000»"),
        "{rifiuto}"
    );
    assert_eq!(
        valore(&b, "i0-importo_previsto").await,
        "8.000",
        "nothing lost"
    );
    b.click(
        b.client
            .find(Locator::Css(".modifica-rifiutata .mantieni-miei"))
            .await
            .unwrap(),
    )
    .await;
    b.wait_text("esito-scheda", "Bozza salvata.").await;
    let s = piano_via_api(&app, &id).await;
    assert_eq!(s["versione"], 2, "{s}");
    assert_eq!(
        s["fondi"]["interventi"]["interventi"][0]["importo_previsto"], "8.000",
        "the chosen values win"
    );
    b.close().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn two_tabs_on_a_plan_have_one_editor_and_the_second_takes_over_the_latest_draft() {
    let app = app_for_browser().await;
    let id = piano_aperto(&app).await;
    let b = browser(DESKTOP).await;
    apri_modulo(&b, &app, &id, "i0-descrizione").await;
    let prima = b.client.window().await.unwrap();
    let seconda = b.client.new_window(true).await.unwrap();
    b.client
        .switch_to_window(seconda.handle.clone())
        .await
        .unwrap();
    b.open(&app.url(&format!("/rilevazioni/{id}"))).await;
    b.wait_text("altra-finestra", "aperta in un'altra finestra")
        .await;
    b.wait_js(
        "const e = document.getElementById('i0-descrizione'); return !!e && e.disabled;",
        "read-only in the second tab",
    )
    .await;

    b.client.switch_to_window(prima.clone()).await.unwrap();
    riscrivi(&b, "i0-descrizione", "Formazione delle educatrici").await;
    attendi_bozza(&b, "torino", "Formazione delle educatrici").await;
    b.client.close_window().await.unwrap();
    b.client.switch_to_window(seconda.handle).await.unwrap();
    b.wait_js(
        "const e = document.getElementById('i0-descrizione');
         return !document.getElementById('altra-finestra') && !!e && !e.disabled && e.value === 'Formazione delle educatrici';",
        "the second tab becomes the editor with the first tab's latest draft",
    )
    .await;
    // The plan saves itself three seconds after the last change.
    b.type_into("i0-importo_previsto", "1.000").await;
    b.wait_text("esito-scheda", "Bozza salvata automaticamente alle")
        .await;
    let s = piano_via_api(&app, &id).await;
    let piano = &s["fondi"]["interventi"]["interventi"][0];
    assert_eq!(
        (
            piano["descrizione"].as_str(),
            piano["importo_previsto"].as_str()
        ),
        (Some("Formazione delle educatrici"), Some("1.000"))
    );
    assert_eq!(s["versione"], 1, "one save: {s}");
    b.close().await;
}
