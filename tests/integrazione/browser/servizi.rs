//! The registry of services as a person uses it, on a desktop and on a phone: an invalid
//! codice fiscale shows its message while typing with no request made and keeps the save button
//! disabled; fixed, the service is saved and listed; edited, its history shows the change; the
//! regional official finds it by filtering on the comune.

use super::{app_for_browser, browser, Browser, DESKTOP, MOBILE};
use fantoccini::Locator;

const NOME: &str = "Nido Prova Le Rondini";

async fn scegli(b: &Browser, id: &str, valore: &str) {
    b.wait_id(id).await.select_by_value(valore).await.unwrap();
}

/// Replaces an input's text as typing does (backspaces, then the new text).
async fn riscrivi(b: &Browser, id: &str, testo: &str) {
    let el = b.wait_id(id).await;
    let attuale = el.prop("value").await.unwrap().unwrap_or_default();
    let cancella = "\u{0008}".repeat(attuale.chars().count());
    el.send_keys(&format!("{cancella}{testo}")).await.unwrap();
}

async fn salva_abilitato(b: &Browser) -> bool {
    b.wait_id("salva")
        .await
        .attr("disabled")
        .await
        .unwrap()
        .is_none()
}

async fn registry_flow(size: (u32, u32)) {
    let app = app_for_browser().await;
    let b = browser(size).await;
    b.accedi(&app, "torino").await;
    b.click_id("vai-servizi").await;
    b.click_id("nuovo-servizio").await;
    b.wait_id("modulo-servizio").await;

    for (id, testo) in [
        ("denominazione", NOME),
        ("titolare_denominazione", "Le Rondini Società Cooperativa"),
        ("indirizzo", "Via Po"),
        ("numero_civico", "7"),
        ("cap", "10124"),
        ("posti_autorizzati", "40"),
        ("eta_min_mesi", "3"),
        ("eta_max_mesi", "36"),
        ("autorizzazione_numero", "12/2022"),
        ("autorizzazione_data", "01/09/2022"),
        ("autorizzazione_ente", "Comune di Torino"),
        ("email", "lerondini@example.it"),
    ] {
        b.type_into(id, testo).await;
    }
    scegli(&b, "tipo", "nido_infanzia").await;
    scegli(&b, "titolarita", "privata").await;
    scegli(&b, "gestione", "privata_convenzionata").await;

    // An invalid codice fiscale: the message shows while typing, and no request is made.
    let prima = b.api_requests().await;
    b.type_into("titolare_codice_fiscale", "RSSMRA85T10A562X")
        .await;
    let msg = b.text_of("titolare_codice_fiscale-errore").await;
    assert!(msg.contains("carattere di controllo"), "{msg}");
    assert!(
        !salva_abilitato(&b).await,
        "save disabled while a rule fails"
    );
    assert_eq!(b.api_requests().await, prima, "the check made no request");

    riscrivi(&b, "titolare_codice_fiscale", "RSSMRA85T10A562S").await;
    b.wait_js(
        "return document.getElementById('titolare_codice_fiscale-errore') === null \
         && !document.getElementById('salva').disabled;",
        "the error disappears and save is enabled",
    )
    .await;
    assert_eq!(b.api_requests().await, prima);
    b.click_id("salva").await;

    // Back on the list, the new service is there.
    b.wait_js(
        &format!("return !!document.getElementById('elenco-servizi') && document.getElementById('elenco-servizi').innerText.includes('{NOME}');"),
        "the new service in the list",
    )
    .await;
    b.click(b.client.find(Locator::LinkText(NOME)).await.unwrap())
        .await;
    b.wait_id("titolo-servizio").await;
    b.wait_js(
        "return document.getElementById('posti_autorizzati').value === '40';",
        "the form holds the stored values",
    )
    .await;
    riscrivi(&b, "posti_autorizzati", "30").await;
    b.wait_js(
        "return !document.getElementById('salva').disabled;",
        "save enabled",
    )
    .await;
    b.click_id("salva").await;
    assert_eq!(b.text_of("esito-salvataggio").await, "Modifiche salvate.");
    b.wait_js(
        "return document.getElementById('storia-voci') !== null && \
         document.getElementById('storia-voci').innerText.includes('Posti autorizzati: 40 → 30');",
        "the history shows the change",
    )
    .await;
    b.assert_no_horizontal_overflow(size).await;
    b.click_id("esci").await;
    b.wait_id("link-accesso").await;

    // The regional official filters by comune and finds it.
    b.accedi(&app, "regione").await;
    b.click_id("vai-servizi").await;
    b.wait_id("elenco-servizi").await;
    b.wait_js(
        "return document.querySelectorAll('#elenco-comuni option').length > 1000;",
        "the Region's comuni in the picker",
    )
    .await;
    b.type_into("filtro-comune", "Torino (001272)").await;
    b.click_id("applica-filtri").await;
    b.wait_js(
        &format!("const t = document.getElementById('elenco-servizi'); return !!t && t.innerText.includes('{NOME}') && !t.innerText.includes('Il Bruco');"),
        "Torino's services, the new one among them",
    )
    .await;
    b.close().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn an_official_registers_and_edits_a_service_and_the_region_finds_it_on_desktop() {
    registry_flow(DESKTOP).await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn an_official_registers_and_edits_a_service_and_the_region_finds_it_on_a_phone() {
    registry_flow(MOBILE).await;
}
