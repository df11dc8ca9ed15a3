//! Offline work in real Chromium: the network is cut both in the page (DevTools emulation) and
//! at the server (every request, the service worker's too, fails). What is typed survives a
//! reload with no network; queued saves reach the server once when the network returns; a
//! send queued offline is decided by the server's clock; refusals and conflicts stay visible
//! with the user's values; two tabs never overwrite each other; signing out wipes the device.

use super::{app_for_browser, browser, Browser, DESKTOP, MOBILE};
use crate::helpers::{TestApp, TestUser};
use chrono::{Duration, Utc};
use fantoccini::Locator;
use serde_json::{json, Value};

/// A published frequentanti campaign open from an hour ago for `ore` hours; its id.
async fn campagna_aperta(app: &TestApp, ore: i64) -> String {
    let regione = app.logged_in(TestUser::Regione).await;
    let ora = |m: i64| {
        shared::tempo::ora_italiana(Utc::now() + Duration::minutes(m))
            .format("%d/%m/%Y %H:%M")
            .to_string()
    };
    let c: Value = regione
        .post(app.url("/api/v1/campagne"))
        .json(&json!({ "campagna": {
            "tipo": "frequentanti", "titolo": "Frequentanti (prova offline)", "annualita": "2025",
            "data_riferimento": "31/12/2025", "apertura": ora(-60), "chiusura": ora(60 * ore), "comuni": ""
        }}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = c["id"].as_str().unwrap().to_owned();
    let r = regione
        .post(app.url(&format!("/api/v1/campagne/{id}/pubblica")))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    id
}

/// Torino's form of campaign `id` through the API.
async fn scheda_via_api(app: &TestApp, id: &str) -> Value {
    let torino = app.logged_in(TestUser::Torino).await;
    app.get_json(
        &torino,
        &format!("/api/v1/campagne/{id}/comuni/001272/scheda"),
    )
    .await
    .1
}

/// Logs in as Torino, waits for the service worker to control the page, opens the campaign's
/// form, confirms the declaration if needed and waits until the page is kept for offline use.
async fn apri_scheda(b: &Browser, app: &TestApp, id: &str) {
    b.accedi(app, "torino").await;
    b.wait_js(
        "return !!navigator.serviceWorker && !!navigator.serviceWorker.controller;",
        "the service worker controls the page",
    )
    .await;
    b.open(&app.url(&format!("/rilevazioni/{id}"))).await;
    if b.client.find(Locator::Id("r0-iscritti-2")).await.is_err() {
        b.click_id("conferma-dichiarazione").await;
    }
    b.wait_id("r0-iscritti-2").await;
    let percorso = format!("/rilevazioni/{id}");
    let script = format!(
        "const fine = arguments[arguments.length - 1];
         (async () => {{
           for (const k of await caches.keys()) {{
             if (k.startsWith('servizi06-pagine-') && await (await caches.open(k)).match('{percorso}')) return true;
           }}
           return false;
         }})().then(fine, () => fine(false));"
    );
    let limite = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while b.js_async(&script).await != Value::Bool(true) {
        assert!(
            std::time::Instant::now() < limite,
            "page not kept for offline use"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn valore(b: &Browser, id: &str) -> String {
    b.wait_id(id)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Clears a field and types `testo` in it.
async fn riscrivi(b: &Browser, id: &str, testo: &str) {
    b.wait_id(id).await.clear().await.unwrap();
    b.type_into(id, testo).await;
}

#[tokio::test]
async fn typed_offline_survives_a_reload_without_network_and_reaches_the_server_once() {
    let app = app_for_browser().await;
    let id = campagna_aperta(&app, 26).await;
    let b = browser(DESKTOP).await;
    apri_scheda(&b, &app, &id).await;

    b.rete(&app, false).await;
    b.wait_text("indicatore-rete", "Offline").await;
    riscrivi(&b, "r0-iscritti-2", "9").await;
    riscrivi(&b, "r1-iscritti-2", "4").await;
    b.click_id("salva-bozza").await;
    b.wait_text(
        "esito-scheda",
        "Sei offline: la bozza è salvata su questo dispositivo",
    )
    .await;
    b.wait_text("modifiche-in-attesa", "1 modifica non ancora inviata")
        .await;

    // A reload with no network: the page comes from the service worker, the values from the
    // device.
    b.client.refresh().await.unwrap();
    b.wait_hydrated().await;
    b.wait_js(
        "const a = document.getElementById('r0-iscritti-2'), c = document.getElementById('r1-iscritti-2');
         return !!a && !!c && a.value === '9' && c.value === '4';",
        "the values typed offline after the reload",
    )
    .await;
    b.wait_text("avviso-offline", "Sei offline").await;
    b.wait_text("modifiche-in-attesa", "1 modifica non ancora inviata")
        .await;
    let nel_database = app
        .state
        .store
        .scheda(&id, "001272")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        nel_database["versione"],
        Value::Null,
        "nothing reached the server: {nel_database}"
    );

    // The network returns: the queued save goes out by itself, once.
    b.rete(&app, true).await;
    b.wait_text("indicatore-rete", "Online").await;
    b.wait_js(
        "return !document.getElementById('modifiche-in-attesa');",
        "the queue drained",
    )
    .await;
    b.wait_id("ultima-sincronizzazione").await;
    let s = scheda_via_api(&app, &id).await;
    assert_eq!(s["versione"], 1, "applied once: {s}");
    assert_eq!(s["dati"]["righe"][0]["iscritti"][2], "9");
    assert_eq!(s["dati"]["righe"][1]["iscritti"][2], "4");
    let bozze = app
        .state
        .store
        .audit_for(&format!("scheda:{id}_001272"))
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.azione == "bozza")
        .count();
    assert_eq!(bozze, 1);

    // Signing out wipes what the device kept for the user.
    let prima = b
        .js_async(
            "const fine = arguments[arguments.length - 1];
             indexedDB.databases().then((d) => fine(d.map((x) => x.name)));",
        )
        .await;
    assert!(prima.to_string().contains("servizi06-torino"), "{prima}");
    b.click_id("esci").await;
    b.wait_id("link-accesso").await;
    let dopo = b
        .js_async(
            "const fine = arguments[arguments.length - 1];
             Promise.all([indexedDB.databases(), caches.keys()])
               .then(([d, c]) => fine({ db: d.map((x) => x.name), pagine: c.filter((k) => k.startsWith('servizi06-pagine-')) }));",
        )
        .await;
    assert_eq!(dopo["db"], json!([]), "{dopo}");
    assert_eq!(dopo["pagine"], json!([]), "{dopo}");
    b.close().await;
}

#[tokio::test]
async fn a_send_queued_offline_after_the_deadline_is_refused_with_the_reason_and_the_draft_stays() {
    let app = app_for_browser().await;
    let id = campagna_aperta(&app, 1).await;
    let b = browser(MOBILE).await;
    apri_scheda(&b, &app, &id).await;
    for i in 0..5 {
        riscrivi(&b, &format!("r{i}-iscritti-2"), "1").await;
        riscrivi(&b, &format!("r{i}-frequentanti-2"), "1").await;
    }
    b.click_id("salva-bozza").await;
    b.wait_text("esito-scheda", "Bozza salvata.").await;

    b.rete(&app, false).await;
    b.wait_text("indicatore-rete", "Offline").await;
    riscrivi(&b, "r0-frequentanti-2", "0").await;
    b.click_id("invia-scheda").await;
    b.wait_text(
        "esito-scheda",
        "Sei offline: la scheda NON è ancora inviata",
    )
    .await;
    b.wait_id("invio-in-coda").await;
    b.assert_no_horizontal_overflow(MOBILE).await;

    // The deadline passes on the server while the device is offline; the device's clock is
    // not consulted.
    app.state.orologio.avanza(Duration::hours(2));
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
    assert!(rifiuto.contains("non accettata dal server"), "{rifiuto}");
    assert!(rifiuto.contains("chiusa"), "{rifiuto}");
    assert_eq!(
        valore(&b, "r0-frequentanti-2").await,
        "0",
        "the draft stays"
    );
    b.wait_text("modifiche-in-attesa", "da rivedere").await;
    let s = scheda_via_api(&app, &id).await;
    assert_eq!(
        (s["stato"].as_str(), &s["ricevuta"]),
        (Some("bozza"), &Value::Null),
        "{s}"
    );

    // Signing out with a change not accepted: the user is told and decides.
    b.click_id("esci").await;
    b.wait_text("conferma-uscita", "non ancora inviate al server")
        .await;
    b.click_id("esci-comunque").await;
    b.wait_id("link-accesso").await;
    b.close().await;
}

#[tokio::test]
async fn a_conflict_after_reconnecting_shows_both_values_and_the_chosen_ones_win() {
    let app = app_for_browser().await;
    let id = campagna_aperta(&app, 26).await;
    let b = browser(DESKTOP).await;
    apri_scheda(&b, &app, &id).await;

    // Offline here, the same form is saved meanwhile from another session.
    b.rete(&app, false).await;
    b.wait_text("indicatore-rete", "Offline").await;
    riscrivi(&b, "r0-iscritti-2", "9").await;
    b.click_id("salva-bozza").await;
    b.wait_text("esito-scheda", "Sei offline").await;
    app.interrompi_rete(false);
    let altro = app.logged_in(TestUser::Torino).await;
    let s = scheda_via_api(&app, &id).await;
    let mut dati = json!({ "righe": s["servizi"].as_array().unwrap().iter()
        .map(|x| json!({ "servizio": x["id"], "iscritti": ["", "", "5", ""] })).collect::<Vec<_>>() });
    dati["giustificazione"] = json!("");
    let r = altro
        .put(app.url(&format!("/api/v1/campagne/{id}/comuni/001272/scheda")))
        .json(&json!({ "versione": 0, "dati": dati }))
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
        rifiuto.contains("iscritti 24–36 mesi: sul server «5», tuo «9»"),
        "{rifiuto}"
    );
    assert_eq!(valore(&b, "r0-iscritti-2").await, "9", "nothing lost");
    b.click(
        b.client
            .find(Locator::Css(".modifica-rifiutata .mantieni-miei"))
            .await
            .unwrap(),
    )
    .await;
    b.wait_text("esito-scheda", "Bozza salvata.").await;
    b.wait_js(
        "return !document.querySelector('.modifica-rifiutata') && !document.getElementById('modifiche-in-attesa');",
        "the conflict resolved",
    )
    .await;
    let s = scheda_via_api(&app, &id).await;
    assert_eq!(s["versione"], 2);
    assert_eq!(
        s["dati"]["righe"][0]["iscritti"][2], "9",
        "the chosen values win"
    );
    b.close().await;
}

#[tokio::test]
async fn two_tabs_on_one_form_have_one_editor_and_the_second_takes_over_the_latest_draft() {
    let app = app_for_browser().await;
    let id = campagna_aperta(&app, 26).await;
    let b = browser(DESKTOP).await;
    apri_scheda(&b, &app, &id).await;
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
        "const e = document.getElementById('r0-iscritti-2'); return !!e && e.disabled;",
        "read-only in the second tab",
    )
    .await;

    b.client.switch_to_window(prima.clone()).await.unwrap();
    riscrivi(&b, "r0-iscritti-2", "8").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    b.client.close_window().await.unwrap();
    b.client.switch_to_window(seconda.handle).await.unwrap();
    b.wait_js(
        "const e = document.getElementById('r0-iscritti-2');
         return !document.getElementById('altra-finestra') && !!e && !e.disabled && e.value === '8';",
        "the second tab becomes the editor with the first tab's latest draft",
    )
    .await;
    b.click_id("salva-bozza").await;
    b.wait_text("esito-scheda", "Bozza salvata").await;
    let s = scheda_via_api(&app, &id).await;
    assert_eq!(s["dati"]["righe"][0]["iscritti"][2], "8");
    assert_eq!(s["versione"], 1, "one save: {s}");
    b.close().await;
}
