//! Offline work in real Chromium: the network is cut both in the page (DevTools emulation) and
//! at the server (every request, the service worker's too, fails). What is typed survives a
//! reload with no network; queued saves reach the server once when the network returns; a
//! send queued offline is decided by the server's clock; refusals and conflicts stay visible
//! with the user's values; two tabs never overwrite each other; signing out wipes the device.

use super::{app_for_browser, browser, Browser, DESKTOP, MOBILE};
use crate::campagne_prova::campagna;
use crate::helpers::{TestApp, TestUser};
use chrono::Duration;
use fantoccini::Locator;
use serde_json::{json, Value};
use shared::routes;

/// A published frequentanti campaign open from an hour ago for `ore` hours; its id.
async fn campagna_aperta(app: &TestApp, ore: i64) -> String {
    let regione = app.logged_in(TestUser::Regione).await;
    let mut c = campagna(-60, 60 * ore, "");
    c["titolo"] = json!("Frequentanti (prova offline)");
    app.pubblica_campagna(&regione, c).await
}

/// Torino's form of campaign `id` through the API.
async fn scheda_via_api(app: &TestApp, id: &str) -> Value {
    let torino = app.logged_in(TestUser::Torino).await;
    app.get_json(&torino, &routes::scheda(id, "001272")).await.1
}

/// Logs in as Torino, waits for the service worker to control the page, opens the campaign's
/// form, confirms the declaration if needed and waits until the page is kept for offline use.
async fn apri_scheda(b: &Browser, app: &TestApp, id: &str) {
    apri_modulo(b, app, id, "r0-iscritti-2").await;
}

/// [`apri_scheda`] for any kind of form: `campo` is one of its fields, shown once declared.
pub(super) async fn apri_modulo(b: &Browser, app: &TestApp, id: &str, campo: &str) {
    b.accedi(app, "torino").await;
    b.wait_js(
        "return !!navigator.serviceWorker && !!navigator.serviceWorker.controller;",
        "the service worker controls the page",
    )
    .await;
    let errori = b
        .client
        .issue_cmd(super::Cdp::new("Page.getInstallabilityErrors", json!({})))
        .await
        .expect("installabilità");
    assert_eq!(
        errori["installabilityErrors"],
        json!([]),
        "installable as an app"
    );
    b.open(&app.url(&format!("/rilevazioni/{id}"))).await;
    if b.client.find(Locator::Id(campo)).await.is_err() {
        b.click_id("conferma-dichiarazione").await;
    }
    b.wait_id(campo).await;
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

/// Waits until one of `utente`'s drafts on the device contains `testo` (drafts are written as
/// the user types, asynchronously).
pub(super) async fn attendi_bozza(b: &Browser, utente: &str, testo: &str) {
    let limite = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let stato = bozze(b, utente).await;
        let trovata = stato["bozze"].as_array().is_some_and(|v| {
            v.iter()
                .any(|d| d.as_str().is_some_and(|d| d.contains(testo)))
        });
        if trovata {
            return;
        }
        if std::time::Instant::now() >= limite {
            panic!(
                "no draft containing {testo} on the device: {stato:#}\n{}",
                b.descrivi_pagina().await
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Every draft of `utente` on the device, with the values of the page's fields (for the
/// message of a failed wait).
async fn bozze(b: &Browser, utente: &str) -> Value {
    b.js_async(&format!(
        "const fine = arguments[arguments.length - 1];
         const campi = Object.fromEntries([...document.querySelectorAll('input[id], textarea[id], select[id]')]
           .map((e) => [e.id, e.value]));
         const nome = 'servizi06-{utente}';
         // Opened only if the app created it: opening a missing one would create it empty.
         indexedDB.databases().then((d) => {{
           if (!d.some((x) => x.name === nome)) return fine({{ campi, bozze: [] }});
           const r = indexedDB.open(nome);
           r.onerror = () => fine({{ campi, bozze: null }});
           r.onsuccess = () => {{
             try {{
               const q = r.result.transaction('bozze').objectStore('bozze').getAll();
               q.onsuccess = () => {{ r.result.close(); fine({{ campi, bozze: q.result }}); }};
             }} catch (e) {{ r.result.close(); fine({{ campi, bozze: String(e) }}); }}
           }};
         }});"
    ))
    .await
}

pub(super) async fn valore(b: &Browser, id: &str) -> String {
    b.wait_id(id)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Clears a field and types `testo` in it.
pub(super) async fn riscrivi(b: &Browser, id: &str, testo: &str) {
    b.wait_id(id).await.clear().await.unwrap();
    b.type_into(id, testo).await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
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
        .scheda(&id, "001272", shared::campagna::TipoCampagna::Frequentanti)
        .await
        .unwrap()
        .unwrap();
    assert!(
        nel_database.versione == 0 && nel_database.dati.is_none(),
        "nothing reached the server: {nel_database:?}"
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
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
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
    b.conferma("conferma-invio").await;
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

    // Clearing the browser's caches (pages and files) loses nothing of the queue.
    let svuotate = b
        .js_async(
            "const fine = arguments[arguments.length - 1];
             caches.keys().then((k) => Promise.all(k.map((x) => caches.delete(x)))).then(() => fine(true));",
        )
        .await;
    assert_eq!(svuotate, Value::Bool(true));
    b.client.refresh().await.unwrap();
    b.wait_hydrated().await;
    b.wait_text("modifiche-in-attesa", "da rivedere").await;
    b.wait_id("r0-frequentanti-2").await;
    assert_eq!(
        valore(&b, "r0-frequentanti-2").await,
        "0",
        "the draft survives too"
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
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
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
    let altro = app.logged_in(TestUser::Torino).await;
    let s = scheda_via_api(&app, &id).await;
    let mut dati = json!({ "righe": s["servizi"].as_array().unwrap().iter()
        .map(|x| json!({ "servizio": x["id"], "iscritti": ["", "", "5", ""] })).collect::<Vec<_>>() });
    dati["giustificazione"] = json!("");
    let r = altro
        .put(app.url(&routes::scheda(&id, "001272")))
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
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
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
    attendi_bozza(&b, "torino", r#""8""#).await;
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

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn a_registry_edit_made_offline_meets_a_newer_save_and_the_user_keeps_theirs() {
    let app = app_for_browser().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let (_, creato) =
        crate::api_servizi::crea(&app, &torino, "001272", &crate::api_servizi::modulo()).await;
    let id = creato["id"].as_str().unwrap().to_owned();
    let b = browser(MOBILE).await;
    b.accedi(&app, "torino").await;
    b.wait_js(
        "return !!navigator.serviceWorker && !!navigator.serviceWorker.controller;",
        "the service worker controls the page",
    )
    .await;
    b.open(&app.url(&format!("/servizi/{id}"))).await;
    b.wait_id("posti_autorizzati").await;

    b.rete(&app, false).await;
    b.wait_text("indicatore-rete", "Offline").await;
    riscrivi(&b, "posti_autorizzati", "44").await;
    b.click_id("salva").await;
    b.wait_text(
        "esito-salvataggio",
        "Sei offline: la modifica è salvata su questo dispositivo",
    )
    .await;

    // Meanwhile another session saves the same record.
    let mut altro = crate::api_servizi::modulo();
    altro["posti_autorizzati"] = json!(38);
    let r = torino
        .put(app.url(&format!("/api/v1/servizi/{id}")))
        .json(&json!({ "versione": 1, "servizio": altro }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    b.rete(&app, true).await;
    let conflitto = b
        .wait_text("conflitto", "Nel frattempo qualcun altro ha salvato")
        .await;
    assert!(
        conflitto.contains("38") && conflitto.contains("44"),
        "{conflitto}"
    );
    assert_eq!(valore(&b, "posti_autorizzati").await, "44", "nothing lost");
    b.assert_no_horizontal_overflow(MOBILE).await;
    b.click_id("mantieni-miei-valori").await;
    b.click_id("salva").await;
    b.wait_text("esito-salvataggio", "Modifiche salvate.").await;
    b.wait_js(
        "return !document.getElementById('modifiche-in-attesa');",
        "the queue drained",
    )
    .await;
    let (_, s) = app
        .get_json(&torino, &format!("/api/v1/servizi/{id}"))
        .await;
    assert_eq!(
        (
            s["versione"].as_u64(),
            s["dati"]["posti_autorizzati"].as_u64()
        ),
        (Some(3), Some(44)),
        "{s}"
    );
    b.close().await;
}

/// Fifty saves of fifty records queued on the device while offline all reach the server, each
/// once, when the network returns. Prints the time from reconnecting to the queue drained
/// (a figure for the docs, not a pass/fail threshold).
#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn fifty_queued_saves_reach_the_server_once_each_after_reconnecting() {
    use shared::coda::{Coda, Operazione, Voce};
    let app = app_for_browser().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let mut ids = Vec::new();
    for i in 0..50 {
        let mut m = crate::api_servizi::modulo();
        m["denominazione"] = json!(format!("Nido numero {i}"));
        let (status, s) = crate::api_servizi::crea(&app, &torino, "001272", &m).await;
        assert_eq!(status, 200, "{s}");
        ids.push(s["id"].as_str().unwrap().to_owned());
    }
    let b = browser(DESKTOP).await;
    b.accedi(&app, "torino").await;
    b.rete(&app, false).await;
    b.wait_text("indicatore-rete", "Offline").await;
    // The queue as the app leaves it after fifty offline saves.
    let coda = Coda {
        voci: ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let mut m = crate::api_servizi::modulo();
                m["denominazione"] = json!(format!("Nido numero {i}"));
                m["posti_autorizzati"] = json!(41);
                Voce {
                    chiave: format!("coda-prova-{i:04}"),
                    operazione: Operazione::SalvaServizio {
                        id: id.clone(),
                        versione: 1,
                        servizio: Box::new(serde_json::from_value(m).unwrap()),
                    },
                    creata: i as i64,
                    tentativi: 1,
                    rifiuto: None,
                }
            })
            .collect(),
    };
    let testo = serde_json::to_string(&serde_json::to_string(&coda).unwrap()).unwrap();
    let scritto = b
        .js_async(&format!(
            "const fine = arguments[arguments.length - 1];
             const r = indexedDB.open('servizi06-torino', 1);
             r.onupgradeneeded = () => ['bozze', 'coda', 'copie'].forEach((a) => r.result.createObjectStore(a));
             r.onsuccess = () => {{
               const tx = r.result.transaction('coda', 'readwrite');
               tx.objectStore('coda').put({testo}, 'coda');
               tx.oncomplete = () => fine(true);
               tx.onerror = () => fine(false);
             }};"
        ))
        .await;
    assert_eq!(scritto, Value::Bool(true));

    // The `online` event wakes the queue: time until the server holds all fifty.
    let inizio = std::time::Instant::now();
    b.rete(&app, true).await;
    let limite = inizio + std::time::Duration::from_secs(60);
    loop {
        let mut fatti = 0;
        for id in &ids {
            let s = app.state.store.servizio(id).await.unwrap().unwrap();
            fatti += usize::from(s.versione == 2);
        }
        if fatti == ids.len() {
            break;
        }
        assert!(
            std::time::Instant::now() < limite,
            "{fatti} of 50 after 60 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let durata = inizio.elapsed();
    b.wait_js(
        "return !document.getElementById('modifiche-in-attesa');",
        "the queue drained",
    )
    .await;
    eprintln!(
        "coda offline: 50 salvataggi inviati in {} ms dal ritorno della rete",
        durata.as_millis()
    );
    for id in &ids {
        let (_, s) = app
            .get_json(&torino, &format!("/api/v1/servizi/{id}"))
            .await;
        assert_eq!(
            (
                s["versione"].as_u64(),
                s["dati"]["posti_autorizzati"].as_u64()
            ),
            (Some(2), Some(41)),
            "{s}"
        );
    }
    b.close().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn a_new_service_typed_but_not_registered_survives_a_reload() {
    let app = app_for_browser().await;
    let b = browser(MOBILE).await;
    b.accedi(&app, "torino").await;
    b.open(&app.url("/servizi/nuovo")).await;
    b.type_into("denominazione", "Nido Il Girasole").await;
    b.type_into("indirizzo", "Via Roma").await;
    attendi_bozza(&b, "torino", "Via Roma").await;
    b.client.refresh().await.unwrap();
    b.wait_hydrated().await;
    attendi_campi(
        &b,
        "torino",
        &[
            ("denominazione", "Nido Il Girasole"),
            ("indirizzo", "Via Roma"),
        ],
    )
    .await;
    b.close().await;
}

/// A device whose storage answers slowly (a phone short of memory, a busy disk): each opening
/// of the local database waits 2 s. What is typed while the new-service form is still reading
/// its earlier draft is kept on the device once the read ends, without waiting for another
/// keystroke, and comes back after a reload.
#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn typing_while_the_device_storage_is_slow_is_kept_on_the_device() {
    let app = app_for_browser().await;
    let b = browser(MOBILE).await;
    b.prima_di_ogni_pagina(
        "const apri = IDBFactory.prototype.open;
         IDBFactory.prototype.open = function (...argomenti) {
           let vera = null;
           const finta = {
             get result() { return vera.result; },
             get error() { return vera.error; },
           };
           setTimeout(() => {
             vera = apri.apply(this, argomenti);
             for (const e of ['success', 'error', 'upgradeneeded', 'blocked']) {
               vera['on' + e] = (ev) => { if (finta['on' + e]) finta['on' + e](ev); };
             }
           }, 2000);
           return finta;
         };",
    )
    .await;
    b.accedi(&app, "torino").await;
    b.open(&app.url("/servizi/nuovo")).await;
    b.type_into("denominazione", "Nido Lento").await;
    b.type_into("indirizzo", "Via Po").await;
    attendi_bozza(&b, "torino", "Via Po").await;
    b.client.refresh().await.unwrap();
    b.wait_hydrated().await;
    attendi_campi(
        &b,
        "torino",
        &[("denominazione", "Nido Lento"), ("indirizzo", "Via Po")],
    )
    .await;
    b.close().await;
}

/// Waits (30 s: a reload under the whole suite can be slow) until each field holds its value;
/// if not, fails with what the fields, the page's notices and the drafts on the device hold.
async fn attendi_campi(b: &Browser, utente: &str, attesi: &[(&str, &str)]) {
    let limite = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let stato = bozze(b, utente).await;
        if attesi
            .iter()
            .all(|(id, v)| stato["campi"][*id].as_str() == Some(*v))
        {
            b.assert_accessible().await;
            return;
        }
        if std::time::Instant::now() >= limite {
            panic!(
                "after 30 s the fields do not hold {attesi:?}: {stato:#}\n{}",
                b.descrivi_pagina().await
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
