//! Typed helpers for the account tests: an app whose mail goes to a real SMTP server, people
//! to enable, and the calls of the registration flow.

use crate::helpers::{spawn_app_with, TestApp, TestUser};
use crate::smtp::ServerPosta;
use backend::config::SicurezzaSmtp;
use backend::service::demo::{codice_fiscale_sintetico, email_demo};
use serde_json::{json, Value};

/// A password that passes the rule.
pub const PASSWORD_NUOVA: &str = "cavallo batteria graffetta";

/// The app with its mail sent to the SMTP server on `porta` (plain, on loopback).
pub async fn app_con_posta(porta: u16) -> TestApp {
    spawn_app_with(|s| {
        s.posta.smtp_host = "127.0.0.1".into();
        s.posta.smtp_port = porta;
        s.posta.smtp_sicurezza = SicurezzaSmtp::Nessuna;
        s.application.public_url = "https://servizi06.prova.invalid".into();
    })
    .await
}

/// The app and a running SMTP server it writes to.
pub async fn app_e_posta() -> (TestApp, ServerPosta) {
    let posta = ServerPosta::avvia(crate::smtp::porta_libera(), &Default::default());
    (app_con_posta(posta.porta).await, posta)
}

/// A person to enable: invented name and a valid codice fiscale different for each `n`.
pub fn persona(n: u64, nome: &str, cognome: &str) -> Value {
    json!({
        "nome": nome,
        "cognome": cognome,
        "codice_fiscale": codice_fiscale_sintetico(n),
        "email": email(nome, cognome),
        "telefono": "011 4431234",
        "ufficio": "Servizi educativi",
    })
}

/// The e-mail address of [`persona`].
pub fn email(nome: &str, cognome: &str) -> String {
    format!(
        "{}.{}@comune.prova.invalid",
        nome.to_lowercase(),
        cognome.to_lowercase()
    )
}

/// The demo address of a demo account.
pub fn email_di(u: TestUser) -> String {
    email_demo(u.username())
}

/// `POST /api/v1/registrazioni` for `comune`; status and body.
pub async fn invia_richiesta(
    app: &TestApp,
    client: &reqwest::Client,
    comune: &str,
    utenti: &[Value],
) -> (u16, Value) {
    app.post(
        client,
        "/api/v1/registrazioni",
        json!({ "comune": comune, "utenti": utenti }),
    )
    .await
}

/// Approves user `i` of request `id` with `ruolo`; status and body.
pub async fn approva(
    app: &TestApp,
    regione: &reqwest::Client,
    id: &str,
    i: usize,
    ruolo: &str,
) -> (u16, Value) {
    app.post(
        regione,
        &format!("/api/v1/registrazioni/{id}/utenti/{i}/approvazione"),
        json!({ "ruolo": ruolo }),
    )
    .await
}

/// Refuses user `i` of request `id`; status and body.
pub async fn rifiuta(
    app: &TestApp,
    regione: &reqwest::Client,
    id: &str,
    i: usize,
    motivo: &str,
) -> (u16, Value) {
    app.post(
        regione,
        &format!("/api/v1/registrazioni/{id}/utenti/{i}/rifiuto"),
        json!({ "motivo": motivo }),
    )
    .await
}

/// Uses an activation (`attivazione`) or reset (`nuova-password`) link; status and body.
pub async fn usa_link(app: &TestApp, pagina: &str, token: &str, password: &str) -> (u16, Value) {
    app.post(
        &app.client(),
        &format!("/api/v1/auth/{pagina}"),
        json!({ "token": token, "password": password, "conferma": password }),
    )
    .await
}

/// Sends a request of one person for Torino as its legal representative and approves it
/// as operator; the request's id and the person's e-mail.
pub async fn operatore_approvato(
    app: &TestApp,
    n: u64,
    nome: &str,
    cognome: &str,
) -> (String, String) {
    let sindaco = app.logged_in(TestUser::SindacoTorino).await;
    let regione = app.logged_in(TestUser::Regione).await;
    let (status, r) = invia_richiesta(app, &sindaco, "001272", &[persona(n, nome, cognome)]).await;
    assert_eq!(status, 200, "{r}");
    let id = r["id"].as_str().unwrap().to_owned();
    let (status, r) = approva(app, &regione, &id, 0, "operatore_comunale").await;
    assert_eq!(status, 200, "{r}");
    (id, email(nome, cognome))
}

/// Asks the sender to look at the outbox now.
pub fn sveglia(app: &TestApp) {
    app.state.posta.sveglia();
}

/// The first message to `destinatario` the sender has tried at least once (waking it).
pub async fn primo_tentativo(
    app: &TestApp,
    destinatario: &str,
) -> backend::store::posta::MessaggioRow {
    crate::helpers::attendi("un tentativo di consegna", || async {
        sveglia(app);
        let m = app.state.store.posta_per(destinatario).await.unwrap();
        m.into_iter().find(|m| m.tentativi >= 1)
    })
    .await
}
