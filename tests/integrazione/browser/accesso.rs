//! Logging in and out as a person does, on a desktop and on a phone.

use super::{app_for_browser, browser, Browser, DESKTOP, MOBILE};
use backend::service::demo::DEMO_PASSWORD;
use fantoccini::Locator;

async fn login_through_the_form_shows_the_personal_home(size: (u32, u32)) {
    let app = app_for_browser().await;
    let b: Browser = browser(size).await;
    b.open(&app.url("/")).await;
    // Marks this page load: a full reload would lose it.
    b.js("window.__stessaPagina = true; return true;").await;

    b.wait_id("accedi").await.click().await.unwrap();
    b.type_into("username", "torino").await;
    b.type_into("password", DEMO_PASSWORD).await;
    b.wait_id("entra").await.click().await.unwrap();

    let comune = b.text_of("profilo-comune").await;
    assert_eq!(comune, "Torino (ISTAT 001272)");
    assert_eq!(b.text_of("profilo-ruolo").await, "Operatore comunale");
    let url = b.client.current_url().await.unwrap();
    assert_eq!(url.path(), "/area-riservata");
    assert_eq!(
        b.js("return window.__stessaPagina === true;").await,
        serde_json::Value::Bool(true),
        "the app navigated without a full reload"
    );
    b.assert_no_horizontal_overflow(size).await;
    b.close().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn logging_in_through_the_form_shows_the_personal_home_on_desktop() {
    login_through_the_form_shows_the_personal_home(DESKTOP).await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn logging_in_through_the_form_shows_the_personal_home_on_a_phone() {
    login_through_the_form_shows_the_personal_home(MOBILE).await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn a_wrong_password_shows_the_italian_error_in_the_page() {
    let app = app_for_browser().await;
    let b = browser(MOBILE).await;
    b.open(&app.url("/accesso")).await;
    b.type_into("username", "alba").await;
    b.type_into("password", "non-e-questa").await;
    b.wait_id("entra").await.click().await.unwrap();
    assert_eq!(
        b.text_of("login-errore").await,
        "Nome utente o password non corretti."
    );
    let url = b.client.current_url().await.unwrap();
    assert_eq!(url.path(), "/accesso");
    b.close().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn an_invalid_username_shows_its_error_while_typing_before_any_request() {
    let app = app_for_browser().await;
    let b = browser(DESKTOP).await;
    b.open(&app.url("/accesso")).await;
    let before = b.api_requests().await;
    b.type_into("username", "1abc").await;
    let message = b.text_of("username-errore").await;
    assert!(
        message.contains("deve iniziare con una lettera"),
        "{message}"
    );
    let invalid = b
        .wait_id("username")
        .await
        .attr("aria-invalid")
        .await
        .unwrap();
    assert_eq!(invalid.as_deref(), Some("true"));
    assert_eq!(b.api_requests().await, before, "the check made no request");
    // Fixing it removes the message, still without a request.
    b.type_into("username", "\u{0008}\u{0008}\u{0008}\u{0008}torino")
        .await;
    b.wait_js(
        "return document.getElementById('username-errore') === null;",
        "the error disappears",
    )
    .await;
    assert_eq!(b.api_requests().await, before);
    b.close().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn logging_out_returns_to_the_public_home_and_closes_the_session() {
    let app = app_for_browser().await;
    let b = browser(DESKTOP).await;
    b.open(&app.url("/accesso")).await;
    b.type_into("username", "regione").await;
    b.type_into("password", DEMO_PASSWORD).await;
    b.wait_id("entra").await.click().await.unwrap();
    assert_eq!(
        b.text_of("profilo-comune").await,
        "Tutti i comuni della Regione"
    );
    b.wait_id("esci").await.click().await.unwrap();
    b.wait_id("link-accesso").await;
    // A fresh load of the reserved page, rendered by the server, no longer knows the user.
    b.open(&app.url("/area-riservata")).await;
    b.wait_id("serve-accesso").await;
    assert!(b.client.find(Locator::Id("profilo")).await.is_err());
    b.close().await;
}
