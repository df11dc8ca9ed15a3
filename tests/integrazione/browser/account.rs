//! Accounts as people use them, at a phone's width: the legal representative's request form
//! (the rules of each row shown while typing, a draft kept on the server, the receipt number),
//! the Region's decision, and the activation page a mail's link opens (the password rule as a
//! checklist while typing, then sign-in with the codice fiscale). Every state is checked with axe.

use super::{app_for_browser_with, browser, Browser, DESKTOP, MOBILE};
use crate::conti::{email, persona, PASSWORD_NUOVA};
use crate::smtp::ServerPosta;
use backend::config::SicurezzaSmtp;
use backend::service::demo::codice_fiscale_sintetico;

async fn app_e_posta() -> (crate::helpers::TestApp, ServerPosta) {
    let posta = ServerPosta::avvia(crate::smtp::porta_libera(), &Default::default());
    let porta = posta.porta;
    let app = app_for_browser_with(move |s| {
        s.posta.smtp_host = "127.0.0.1".into();
        s.posta.smtp_port = porta;
        s.posta.smtp_sicurezza = SicurezzaSmtp::Nessuna;
    })
    .await;
    (app, posta)
}

/// The value of an input.
async fn valore(b: &Browser, id: &str) -> String {
    b.wait_id(id)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

async fn compila(b: &Browser, riga: usize, n: u64, nome: &str, cognome: &str) {
    let cf = codice_fiscale_sintetico(n);
    for (campo, testo) in [
        ("nome", nome.to_owned()),
        ("cognome", cognome.to_owned()),
        ("codice_fiscale", cf),
        ("email", email(nome, cognome)),
    ] {
        b.type_into(&format!("utenti-{riga}-{campo}"), &testo).await;
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn the_request_form_checks_each_row_while_typing_keeps_a_draft_and_gives_a_receipt_on_a_phone(
) {
    let (app, _posta) = app_e_posta().await;
    let b = browser(MOBILE).await;
    b.accedi(&app, "sindaco.torino").await;
    b.click_id("vai-registrazioni").await;
    b.wait_id("form-richiesta").await;

    // A wrong codice fiscale is named under its field while typing, with no request.
    let prima = b.api_requests().await;
    b.type_into("utenti-0-codice_fiscale", "VRDNNA85M41L219A")
        .await;
    let msg = b.text_of("utenti-0-codice_fiscale-errore").await;
    assert!(msg.contains("carattere di controllo"), "{msg}");
    assert_eq!(b.api_requests().await, prima, "the check made no request");
    let cancella = "\u{0008}".repeat(16);
    b.type_into("utenti-0-codice_fiscale", &cancella).await;
    b.wait_js(
        "return document.getElementById('utenti-0-codice_fiscale').value === '';",
        "field emptied",
    )
    .await;
    compila(&b, 0, 201, "Anna", "Verdi").await;
    b.wait_js(
        "return document.getElementById('utenti-0-codice_fiscale-errore') === null;",
        "the error disappears",
    )
    .await;
    b.click_id("aggiungi-utente").await;
    compila(&b, 1, 202, "Bruno", "Neri").await;
    b.assert_no_horizontal_overflow(MOBILE).await;

    // The draft is kept on the server: a reload brings it back.
    b.click_id("salva-bozza").await;
    b.wait_text("avviso-richiesta", "Bozza salvata").await;
    b.open(&app.url("/registrazioni")).await;
    b.wait_js(
        "const e = document.getElementById('utenti-1-nome'); return e !== null && e.value === 'Bruno';",
        "the draft is back after a reload",
    )
    .await;
    assert_eq!(valore(&b, "utenti-0-cognome").await, "Verdi");

    b.click_id("invia-richiesta").await;
    let numero = b.text_of("numero-richiesta").await;
    assert!(numero.starts_with("REG-"), "{numero}");
    b.wait_text("richieste-comune", &numero).await;
    b.assert_no_horizontal_overflow(MOBILE).await;
    b.close().await;

    // The Region decides, on a desktop.
    let r = browser(DESKTOP).await;
    r.accedi(&app, "regione").await;
    r.click_id("vai-registrazioni").await;
    let card = format!("richiesta-{numero}");
    r.wait_id(&card).await;
    r.click_id(&format!("approva-{numero}-0")).await;
    r.wait_text("esito-decisione", "Anna Verdi: approvato")
        .await;
    r.type_into(&format!("motivo-{numero}-1"), "Non risulta in servizio")
        .await;
    r.click_id(&format!("rifiuta-{numero}-1")).await;
    r.wait_text("esito-decisione", "Bruno Neri: rifiutato")
        .await;
    r.close().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve Chromium con il bundle del browser: li prepara `./dev test` (feature esterni)"
)]
async fn the_activation_page_shows_the_rule_while_typing_and_activates_the_account_on_a_phone() {
    let (app, posta) = app_e_posta().await;
    let sindaco = app.logged_in(crate::helpers::TestUser::SindacoTorino).await;
    let regione = app.logged_in(crate::helpers::TestUser::Regione).await;
    let (_, r) =
        crate::conti::invia_richiesta(&app, &sindaco, "001272", &[persona(210, "Carla", "Gialli")])
            .await;
    let (status, _) = crate::conti::approva(
        &app,
        &regione,
        r["id"].as_str().unwrap(),
        0,
        "operatore_comunale",
    )
    .await;
    assert_eq!(status, 200);
    let token = posta
        .attendi(&email("Carla", "Gialli"), "Attiva")
        .await
        .token()
        .unwrap();

    let b = browser(MOBILE).await;
    // A link that is not (or no longer) valid says so and where to get a new one.
    b.open(&app.url(&format!("/attivazione#t={}", "0".repeat(64))))
        .await;
    b.wait_id("link-non-valido").await;

    // From another page, as a mail's link opens it (a change of the fragment alone would not
    // load the page again).
    b.open(&app.url("/")).await;
    b.open(&app.url(&format!("/attivazione#t={token}"))).await;
    let saluto = b.text_of("saluto-link").await;
    assert!(saluto.contains("Carla Gialli"), "{saluto}");
    let url = b.client.current_url().await.unwrap();
    assert!(
        url.fragment().is_none(),
        "the token leaves the address bar: {url}"
    );
    b.type_into("password", "corta").await;
    b.wait_js(
        "return document.getElementById('password-lunghezza').dataset.rispettata === 'no';",
        "the length rule shows as not met",
    )
    .await;
    b.type_into("password", &"\u{0008}".repeat(5)).await;
    b.type_into("password", "gialli e basta").await;
    b.wait_js(
        "return document.getElementById('password-personale').dataset.rispettata === 'no';",
        "the password holds the surname",
    )
    .await;
    b.type_into("password", &"\u{0008}".repeat(14)).await;
    b.type_into("password", PASSWORD_NUOVA).await;
    b.type_into("conferma", PASSWORD_NUOVA).await;
    b.wait_js(
        "return [...document.querySelectorAll('#regole-password li')].every(l => l.dataset.rispettata === 'si');",
        "every rule met (the common list loaded)",
    )
    .await;
    b.assert_no_horizontal_overflow(MOBILE).await;
    b.click_id("salva-password").await;
    b.wait_id("password-impostata").await;
    b.click_id("vai-accesso").await;
    b.type_into("username", &codice_fiscale_sintetico(210).to_lowercase())
        .await;
    b.type_into("password", PASSWORD_NUOVA).await;
    b.click_id("entra").await;
    assert_eq!(b.text_of("profilo-comune").await, "Torino (ISTAT 001272)");
    b.close().await;
}
