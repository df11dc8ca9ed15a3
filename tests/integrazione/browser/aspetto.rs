//! As an official meets the app on the first day, at a laptop's and a phone's width: what is
//! typed before the app has started stays (the login, the credentials check), the login works as a plain form before it starts,
//! forms read cleanly (no text over another, compared with committed screenshots), the
//! footer of a public administration's site comes from the Region's settings, the registry
//! is readable as cards on a phone, the funds page explains an empty allocation, and the
//! Region's home lists what waits for it.

use super::{app_for_browser, browser, browser_con, Browser, LARGO, MOBILE};
use crate::campagne_prova::{campagna, dichiara_tutti, righe};
use crate::helpers::{TestApp, TestUser};
use backend::service::demo::DEMO_PASSWORD;
use fantoccini::Locator;
use serde_json::{json, Value};
use shared::routes;
use std::time::Duration;

/// Opens `path` without waiting for the app to start (the WebAssembly may be held back) and
/// waits for the server-rendered element `id`.
async fn apri_prima_dell_avvio(b: &Browser, app: &TestApp, path: &str, id: &str) {
    b.client.goto(&app.url(path)).await.expect("navigazione");
    b.client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id} non comparso: {e}"));
    assert_eq!(
        b.js("return document.getElementById('app').dataset.hydrated;")
            .await,
        json!("false"),
        "la pagina non deve essere ancora avviata"
    );
}

async fn valore(b: &Browser, id: &str) -> Value {
    b.client
        .execute(
            "return document.getElementById(arguments[0]).value;",
            vec![json!(id)],
        )
        .await
        .expect("valore")
}

/// Signs in through the plain HTML form, the app held back (the click is the browser's own
/// form submission).
async fn entra_senza_app(b: &Browser, app: &TestApp, username: &str, password: &str) {
    apri_prima_dell_avvio(b, app, "/accesso", "username").await;
    b.type_into("username", username).await;
    b.type_into("password", password).await;
    let entra = b.client.find(Locator::Id("entra")).await.expect("«Entra»");
    entra.click().await.expect("clic su «Entra»");
}

/// Types the demo credentials while the app is held back, lets it start, and checks that
/// both fields still hold what was typed.
async fn credenziali_prima_dell_avvio(b: &Browser, app: &TestApp, size: (u32, u32)) {
    b.type_into("username", "torino").await;
    b.type_into("password", DEMO_PASSWORD).await;
    app.trattieni_wasm(false);
    b.wait_hydrated().await;
    assert_eq!(valore(b, "username").await, json!("torino"), "{size:?}");
    assert_eq!(
        valore(b, "password").await,
        json!(DEMO_PASSWORD),
        "{size:?}"
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn what_is_typed_before_the_app_starts_stays_and_the_login_works_without_the_app() {
    for size in [LARGO, MOBILE] {
        let app = app_for_browser().await;

        // Typed while the WebAssembly is still on its way: kept when the app starts, and
        // "Entra" then signs in through the app.
        app.trattieni_wasm(true);
        let b = browser_con(size, "eager").await;
        apri_prima_dell_avvio(&b, &app, "/accesso", "username").await;
        let entra = b.client.find(Locator::Id("entra")).await.unwrap();
        assert!(entra.is_enabled().await.unwrap(), "«Entra» usable at once");
        credenziali_prima_dell_avvio(&b, &app, size).await;
        b.click_id("entra").await;
        b.wait_id("profilo").await;
        b.close().await;

        // The app never arrives: the login is a plain form post; wrong credentials say so,
        // right ones open the personal home, rendered by the server.
        app.trattieni_wasm(true);
        let b = browser_con(size, "eager").await;
        entra_senza_app(&b, &app, "torino", "sbagliata").await;
        b.wait_text("login-errore", "Nome utente o password non corretti")
            .await;
        entra_senza_app(&b, &app, " TORINO ", DEMO_PASSWORD).await;
        b.wait_text("profilo-username", "torino").await;
        assert_eq!(
            b.js("return location.pathname;").await,
            json!("/area-riservata")
        );

        // Another form: what is typed before the app starts is still there after, and the
        // form then works through the app.
        apri_prima_dell_avvio(&b, &app, "/verifica-credenziali", "username").await;
        credenziali_prima_dell_avvio(&b, &app, size).await;
        b.click_id("verifica").await;
        b.wait_text("esito-verifica", "Le credenziali sono valide")
            .await;
        b.assert_no_horizontal_overflow(size).await;
        b.close().await;
    }
}

/// The person does not stop typing because the app is starting: characters typed before,
/// during and after its start, into a form whose fields appear once the session is known,
/// all end up in the field, in the app's state and in the draft on the device (a record of
/// pre-start typing that stopped at "started" handed back an older value and cut the rest).
#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn typing_that_goes_on_while_the_app_starts_is_kept_whole() {
    const TESTO: &str = "Nido comunale Il Girasole di Torino, sezione lattanti e divezzi";
    let app = app_for_browser().await;
    app.trattieni_wasm(true);
    let b = browser_con(MOBILE, "eager").await;
    entra_senza_app(&b, &app, "torino", DEMO_PASSWORD).await;
    b.wait_text("profilo-username", "torino").await;
    apri_prima_dell_avvio(&b, &app, "/servizi/nuovo", "denominazione").await;
    // One character every 3 ms, as input events, from before the start to well after it.
    b.client
        .execute(
            "const x = document.getElementById('denominazione'), t = arguments[0];
             let i = 0;
             window.__digitazione = setInterval(() => {
               const c = document.getElementById('denominazione');
               if (i >= t.length || !c) { clearInterval(window.__digitazione); window.__digitato = true; return; }
               c.value += t[i++];
               c.dispatchEvent(new Event('input', { bubbles: true }));
             }, 3);
             return !!x;",
            vec![json!(TESTO)],
        )
        .await
        .expect("digitazione simulata");
    app.trattieni_wasm(false);
    b.wait_hydrated().await;
    b.wait_js(
        "return window.__digitato === true;",
        "the end of the typing",
    )
    .await;
    // A later change saves the whole form as a draft: written after the app's start-up effects
    // have run, it shows that the form's state, not only the field, holds all that was typed.
    b.type_into("indirizzo", "Via Roma 1").await;
    super::offline::attendi_bozza(&b, "torino", "Via Roma 1").await;
    super::offline::attendi_bozza(&b, "torino", TESTO).await;
    assert_eq!(valore(&b, "denominazione").await, json!(TESTO));
    b.client.refresh().await.unwrap();
    b.wait_hydrated().await;
    b.wait_js(
        &format!(
            "const d = document.getElementById('denominazione');
             return !!d && d.value === {};",
            json!(TESTO)
        ),
        "the whole name back from the draft after a reload",
    )
    .await;
    b.close().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn forms_read_cleanly_and_match_their_reference_screenshots() {
    // At most 1 % of the pixels may differ from the committed reference: the same page
    // renders alike run after run on one machine; a heading over a label does not.
    const TOLLERANZA: f64 = 0.01;
    let app = app_for_browser().await;
    for size in [LARGO, MOBILE] {
        let w = size.0;
        let b = browser(size).await;
        b.open(&app.url("/accesso")).await;
        b.wait_id("username").await;
        b.assert_no_horizontal_overflow(size).await;
        b.confronta_schermata(&format!("accesso-{w}"), TOLLERANZA)
            .await;

        b.accedi(&app, "torino").await;
        b.open(&app.url("/servizi/nuovo")).await;
        b.wait_id("denominazione").await;
        b.assert_no_horizontal_overflow(size).await;
        b.confronta_schermata(&format!("nuovo-servizio-{w}"), TOLLERANZA)
            .await;

        b.open(&app.url("/fondi")).await;
        let anno = b.wait_id("anno-fondi").await;
        anno.clear().await.unwrap();
        anno.send_keys("2025").await.unwrap();
        b.wait_text("nessun-assegnato", "Per l'annualità 2025")
            .await;
        b.assert_no_horizontal_overflow(size).await;
        b.confronta_schermata(&format!("fondi-{w}"), TOLLERANZA)
            .await;
        b.close().await;

        let b = browser(size).await;
        b.accedi(&app, "regione").await;
        b.open(&app.url("/servizi")).await;
        b.wait_id("elenco-servizi").await;
        b.assert_no_horizontal_overflow(size).await;
        b.confronta_schermata(&format!("registro-regione-{w}"), TOLLERANZA)
            .await;
        b.close().await;
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn the_footer_and_legal_pages_come_from_the_regions_settings() {
    let app = app_for_browser().await;
    for size in [LARGO, MOBILE] {
        let b = browser(size).await;
        b.open(&app.url("/")).await;
        assert_eq!(b.text_of("piede-telefono").await, "011 000 0000");
        let sito = b.wait_id("link-sito-regione").await;
        assert_eq!(
            sito.attr("href").await.unwrap().as_deref(),
            Some("https://www.regione.piemonte.it")
        );
        b.assert_no_horizontal_overflow(size).await;
        b.click_id("link-accessibilita").await;
        b.wait_text("stato-conformita", "parzialmente conforme")
            .await;
        b.wait_text("data-redazione", "30/11/2026").await;
        let modulo = b.wait_id("modulo-agid").await;
        assert_eq!(
            modulo.attr("href").await.unwrap().as_deref(),
            Some("https://form.agid.gov.it/")
        );
        b.assert_no_horizontal_overflow(size).await;
        b.click_id("link-note-legali").await;
        b.wait_text("testo-note-legali", "Regione Piemonte").await;
        b.close().await;
    }

    // The Region changes the help desk's phone: a wrong one is named, the right one shows
    // in the footer at once.
    let b = browser(MOBILE).await;
    b.accedi(&app, "regione").await;
    b.open(&app.url("/impostazioni-sito")).await;
    let tel = b.wait_id("assistenza-telefono").await;
    tel.clear().await.unwrap();
    b.type_into("assistenza-telefono", "chiamate").await;
    b.click_id("salva-sito").await;
    b.wait_text("esito-sito", "Non salvato: 1 campo da correggere.")
        .await;
    b.wait_text("assistenza-telefono-errore", "Scrivi un numero di telefono")
        .await;
    b.assert_no_horizontal_overflow(MOBILE).await;
    let tel = b.wait_id("assistenza-telefono").await;
    tel.clear().await.unwrap();
    b.type_into("assistenza-telefono", "011 555 1234").await;
    b.click_id("salva-sito").await;
    b.wait_text("esito-sito", "Impostazioni salvate").await;
    b.wait_text("piede-telefono", "011 555 1234").await;
    b.close().await;

    // A comune's official cannot change them.
    let b = browser(LARGO).await;
    b.accedi(&app, "torino").await;
    b.open(&app.url("/impostazioni-sito")).await;
    b.wait_id("serve-accesso").await;
    b.close().await;
}

/// A form of Torino sent in a published campaign; the campaign's id.
async fn scheda_inviata(app: &TestApp) -> String {
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let id = app
        .pubblica_campagna(&regione, campagna(-60, 60 * 24, ""))
        .await;
    let scheda = routes::scheda(&id, "001272");
    let s = dichiara_tutti(app, &torino, &scheda).await;
    let dati = json!({ "righe": righe(&s["servizi"], 1), "giustificazione": "" });
    let (status, body) = app
        .put(&torino, &scheda, json!({ "versione": 0, "dati": dati }))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .post(&torino, &format!("{scheda}/invio"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    id
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn homes_say_what_waits_the_funds_page_explains_and_the_registry_reads_on_a_phone() {
    let app = app_for_browser().await;
    let id = scheda_inviata(&app).await;
    for size in [LARGO, MOBILE] {
        // The comune: "Da fare" first, then who you are; no allocation yet, said in words.
        let b = browser(size).await;
        b.accedi(&app, "torino").await;
        let ordine = b
            .js("const d = document.getElementById('da-fare'), p = document.getElementById('profilo');
                 return !!(d && p && (d.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING));")
            .await;
        assert_eq!(ordine, json!(true), "«Da fare» before the profile card");
        b.open(&app.url("/fondi")).await;
        b.wait_text("nessun-assegnato", "non risulta ancora nessun importo")
            .await;
        b.click_id("vai-rilevazioni-fondi").await;
        b.wait_js(
            "return location.pathname === '/rilevazioni';",
            "la pagina delle rilevazioni",
        )
        .await;
        b.close().await;

        // The Region: the sent form waits for review.
        let b = browser(size).await;
        b.accedi(&app, "regione").await;
        b.wait_text(&format!("attesa-{id}"), "1 scheda inviata da esaminare")
            .await;
        b.assert_no_horizontal_overflow(size).await;

        // The registry: on a phone each row is a card that names its columns.
        b.open(&app.url("/servizi")).await;
        b.wait_id("elenco-servizi").await;
        let stato = b
            .js("const c = document.querySelector('#elenco-servizi tbody tr td[data-etichetta=\"Stato\"]');
                 const r = c.getBoundingClientRect();
                 return [r.width > 0 && r.right <= window.innerWidth, getComputedStyle(c, '::before').content];")
            .await;
        if size == MOBILE {
            assert_eq!(stato, json!([true, "\"Stato: \""]), "{size:?}");
        } else {
            assert_eq!(stato, json!([true, "none"]), "{size:?}");
        }
        b.assert_no_horizontal_overflow(size).await;
        b.close().await;
    }
}
