//! Every page of the app, as each kind of visitor sees it, passes axe-core's WCAG 2.1 A/AA
//! rules once its data has loaded: the flows check the pages they pass through, this test
//! also reaches those no flow opens (privacy, not found, a new campaign, a record's history).

use super::{app_for_browser, browser, Browser, DESKTOP, MOBILE};
use crate::helpers::{TestApp, TestUser};

/// Opens `path`, waits until nothing says "Caricamento…" any more, then checks it (the wait
/// itself runs the check on the settled page).
async fn visita(b: &Browser, app: &TestApp, path: &str) {
    b.open(&app.url(path)).await;
    b.wait_js(
        "return !!document.querySelector('h1') && ![...document.querySelectorAll('[role=status]')]
           .some((e) => e.innerText.startsWith('Caricamento'));",
        &format!("{path} caricata"),
    )
    .await;
}

async fn ogni_pagina(size: (u32, u32)) {
    let app = app_for_browser().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let (_, elenco) = app.get_json(&torino, "/api/v1/comuni/001272/servizi").await;
    let servizio = elenco[0]["id"].as_str().expect("servizio demo").to_owned();

    let b = browser(size).await;
    for path in [
        "/",
        "/accesso",
        "/privacy",
        "/accessibilita",
        "/note-legali",
        "/pagina-che-non-esiste",
        "/area-riservata",
        "/password-dimenticata",
        "/verifica-credenziali",
        "/attivazione",
        "/nuova-password",
    ] {
        visita(&b, &app, path).await;
    }
    b.accedi(&app, "torino").await;
    for path in [
        "/",
        "/area-riservata",
        "/servizi",
        "/servizi/nuovo",
        &format!("/servizi/{servizio}"),
        "/rilevazioni",
        "/fondi",
        "/account",
        "/registrazioni",
    ] {
        visita(&b, &app, path).await;
    }
    b.click_id("esci").await;
    b.wait_id("link-accesso").await;
    b.accedi(&app, "amministratore").await;
    for path in [
        "/posta",
        "/utenti",
        "/utenti/legali",
        "/registrazioni",
        "/impostazioni-sito",
    ] {
        visita(&b, &app, path).await;
    }
    b.click_id("esci").await;
    b.wait_id("link-accesso").await;
    b.accedi(&app, "regione").await;
    for path in [
        "/area-riservata",
        "/servizi",
        &format!("/servizi/{servizio}"),
        "/rilevazioni",
        "/rilevazioni/nuova",
        "/fondi",
    ] {
        visita(&b, &app, path).await;
    }
    b.close().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn every_page_meets_wcag_2_1_aa_on_desktop() {
    ogni_pagina(DESKTOP).await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn every_page_meets_wcag_2_1_aa_on_a_phone() {
    ogni_pagina(MOBILE).await;
}
