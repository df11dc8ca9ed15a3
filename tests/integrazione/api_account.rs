//! Real accounts end to end over HTTP, with every e-mail delivered to a real SMTP server on
//! loopback: the legal representative's request, the Region's decisions, activation, sign-in
//! with the codice fiscale, reset, verification, forced change, disabling; what a pending,
//! refused or disabled account cannot do; links that must not work.

use crate::conti::{
    app_con_posta, app_e_posta, approva, email, email_di, invia_richiesta, operatore_approvato,
    persona, primo_tentativo, rifiuta, sveglia, usa_link, PASSWORD_NUOVA,
};
use crate::helpers::{attendi, error_data, TestApp, TestUser};
use crate::smtp::{porta_libera, ServerPosta};
use backend::service::demo::{codice_fiscale_sintetico, DEMO_PASSWORD};
use serde_json::{json, Value};
use std::time::Duration;

fn campi(body: &Value) -> Vec<(String, String)> {
    error_data(body)["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["field"].as_str().unwrap_or_default().to_owned(),
                        f["rule"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every audit entry, as text.
async fn audit_intero(app: &TestApp) -> String {
    let v = app.state.store.audit_tutti().await.unwrap();
    serde_json::to_string(&v).unwrap()
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn three_users_requested_two_approved_one_refused_the_two_activate_by_mail_and_sign_in() {
    let (app, posta) = app_e_posta().await;
    let sindaco = app.logged_in(TestUser::SindacoTorino).await;
    let regione = app.logged_in(TestUser::Regione).await;
    let persone = [
        persona(1, "Anna", "Verdi"),
        persona(2, "Bruno", "Neri"),
        persona(3, "Carla", "Gialli"),
    ];
    let (status, r) = invia_richiesta(&app, &sindaco, "001272", &persone).await;
    assert_eq!(status, 200, "{r}");
    let numero = r["numero"].as_str().unwrap().to_owned();
    assert!(
        numero.starts_with("REG-") && numero.ends_with("-000001"),
        "{numero}"
    );
    assert_eq!(r["stato"], "inviata");
    let id = r["id"].as_str().unwrap().to_owned();
    posta
        .attendi(&email_di(TestUser::SindacoTorino), &numero)
        .await;

    // The Region's queue lists it with the counts.
    let (status, coda) = app
        .get_json(&regione, "/api/v1/registrazioni?provincia=TO")
        .await;
    assert_eq!(status, 200, "{coda}");
    assert_eq!(coda["richieste_aperte"], 1);
    assert_eq!(coda["utenti_da_esaminare"], 3);
    assert_eq!(coda["richieste"][0]["numero"], numero.as_str());

    assert_eq!(
        approva(&app, &regione, &id, 0, "operatore_comunale")
            .await
            .0,
        200
    );
    assert_eq!(
        approva(&app, &regione, &id, 1, "legale_rappresentante")
            .await
            .0,
        200
    );
    let (status, r) = rifiuta(&app, &regione, &id, 2, "Non risulta dipendente del comune").await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["stato"], "parzialmente_approvata");
    assert_eq!(
        r["utenti"][2]["esito"]["motivo"],
        "Non risulta dipendente del comune"
    );
    // A decision is taken once.
    let (status, _) = approva(&app, &regione, &id, 2, "operatore_comunale").await;
    assert_eq!(status, 409);

    let anna = posta
        .attendi(&email("Anna", "Verdi"), "Attiva il tuo account")
        .await;
    let bruno = posta
        .attendi(&email("Bruno", "Neri"), "Attiva il tuo account")
        .await;
    assert!(
        anna.testo
            .contains("https://servizi06.prova.invalid/attivazione#t="),
        "{}",
        anna.testo
    );
    assert!(anna.html.contains("/attivazione#t="));
    for decisione in ["Anna Verdi", "Bruno Neri", "Carla Gialli"] {
        posta
            .attendi(&email_di(TestUser::SindacoTorino), decisione)
            .await;
    }
    assert!(
        posta.per(&email("Carla", "Gialli")).is_empty(),
        "a refused person gets no link"
    );

    // Before activating, the account is nothing: no sign-in.
    let cf_anna = codice_fiscale_sintetico(1);
    assert_eq!(
        app.login(&app.client(), &cf_anna, PASSWORD_NUOVA)
            .await
            .status(),
        401
    );

    // The link says whose account it opens, then sets the password once.
    let token = anna.token().expect("token nel messaggio");
    let (status, info) = app
        .post(
            &app.client(),
            "/api/v1/auth/link",
            json!({ "token": token }),
        )
        .await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["scopo"], "attivazione");
    assert_eq!(info["nome"], "Anna");
    assert_eq!(info["codice_fiscale"], cf_anna.as_str());
    let (status, r) = usa_link(&app, "attivazione", &token, "anna").await;
    assert_eq!(status, 422, "a weak password is refused: {r}");
    assert!(
        campi(&r)
            .iter()
            .any(|(_, regola)| regola == "password.lunghezza"),
        "{r}"
    );
    assert_eq!(
        usa_link(&app, "attivazione", &token, PASSWORD_NUOVA)
            .await
            .0,
        200
    );
    assert_eq!(
        usa_link(&app, "attivazione", &bruno.token().unwrap(), PASSWORD_NUOVA)
            .await
            .0,
        200
    );

    // Sign-in with the codice fiscale, lower case with spaces, or with the username.
    let con_spazi = format!("{} {}", &cf_anna[..6].to_lowercase(), &cf_anna[6..]);
    let res = app.login(&app.client(), &con_spazi, PASSWORD_NUOVA).await;
    assert_eq!(res.status(), 200);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["username"], "anna.verdi");
    assert_eq!(me["ruolo"], "operatore_comunale");
    assert_eq!(me["comune"]["codice"], "001272");
    let res = app.login(&app.client(), "Bruno.Neri", PASSWORD_NUOVA).await;
    assert_eq!(res.status(), 200);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["ruolo"], "legale_rappresentante");

    // The refused person has no account at all.
    let cf_carla = codice_fiscale_sintetico(3);
    assert_eq!(
        app.login(&app.client(), &cf_carla, PASSWORD_NUOVA)
            .await
            .status(),
        401
    );
    assert!(app
        .state
        .store
        .utente_per_cf(&cf_carla)
        .await
        .unwrap()
        .is_none());

    // The legal representative follows the request.
    let (status, lista) = app
        .get_json(&sindaco, "/api/v1/comuni/001272/registrazioni")
        .await;
    assert_eq!(status, 200);
    assert_eq!(lista[0]["stato"], "parzialmente_approvata");
    assert_eq!(lista[0]["utenti"][0]["esito"]["account"], "anna.verdi");

    // No token, password or hash in the audit log or in the outbox as administrators see it.
    let audit = audit_intero(&app).await;
    let amministratore = app.logged_in(TestUser::Amministratore).await;
    let (_, outbox) = app.get_json(&amministratore, "/api/v1/posta").await;
    let outbox = outbox.to_string();
    for segreto in [
        token.as_str(),
        PASSWORD_NUOVA,
        "$argon2id$",
        &backend::service::auth::token_hash(&token),
    ] {
        assert!(!audit.contains(segreto), "{segreto} nel registro di audit");
        assert!(!outbox.contains(segreto), "{segreto} nella posta in uscita");
    }
    assert!(audit.contains("approvazione_utente") && audit.contains("rifiuto_utente"));
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn the_request_rules_name_each_row_and_refuse_a_cf_already_enabled() {
    let (app, _posta) = app_e_posta().await;
    let sindaco = app.logged_in(TestUser::SindacoTorino).await;
    let mut sbagliata = persona(10, "Dario", "Blu");
    sbagliata["codice_fiscale"] = json!("DRABLU80A01L219X");
    sbagliata["email"] = json!("dario@");
    let doppia = persona(11, "Elena", "Rosa");
    let (status, r) = invia_richiesta(
        &app,
        &sindaco,
        "001272",
        &[sbagliata, doppia.clone(), doppia],
    )
    .await;
    assert_eq!(status, 422, "{r}");
    let c = campi(&r);
    assert!(
        c.contains(&(
            "utenti.0.codice_fiscale".into(),
            "codice_fiscale.controllo".into()
        )),
        "{c:?}"
    );
    assert!(
        c.contains(&("utenti.0.email".into(), "email.formato".into())),
        "{c:?}"
    );
    assert!(
        c.contains(&(
            "utenti.2.codice_fiscale".into(),
            "codice_fiscale.ripetuto".into()
        )),
        "{c:?}"
    );
    // The demo operator of Torino already has an account.
    let mut torino = persona(12, "Marco", "Bianchi");
    torino["codice_fiscale"] = json!(backend::service::demo::con_controllo("BNCMRC80A01L219"));
    let (status, r) = invia_richiesta(&app, &sindaco, "001272", &[torino]).await;
    assert_eq!(status, 422, "{r}");
    assert_eq!(
        campi(&r),
        vec![(
            "utenti.0.codice_fiscale".to_owned(),
            "codice_fiscale.gia_abilitato".to_owned()
        )]
    );
    // Nothing was recorded.
    assert_eq!(app.state.store.conta("registrazione").await.unwrap(), 0);

    // The draft is kept on the server between visits, with its version.
    let bozza = json!({ "versione": 0, "utenti": [persona(13, "Franco", "Viola")] });
    let (status, b) = app
        .chiama(
            &sindaco,
            "PUT",
            "/api/v1/comuni/001272/registrazioni/bozza",
            &bozza,
        )
        .await;
    assert_eq!(status, 200, "{b}");
    assert_eq!(b["versione"], 1);
    let (status, b) = app
        .chiama(
            &sindaco,
            "PUT",
            "/api/v1/comuni/001272/registrazioni/bozza",
            &bozza,
        )
        .await;
    assert_eq!(status, 409, "a stale draft version: {b}");
    let (_, b) = app
        .get_json(&sindaco, "/api/v1/comuni/001272/registrazioni/bozza")
        .await;
    assert_eq!(b["utenti"][0]["nome"], "Franco");
    // Sending removes the draft.
    let (status, _) =
        invia_richiesta(&app, &sindaco, "001272", &[persona(13, "Franco", "Viola")]).await;
    assert_eq!(status, 200);
    let (_, b) = app
        .get_json(&sindaco, "/api/v1/comuni/001272/registrazioni/bozza")
        .await;
    assert_eq!(b["versione"], 0);
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn a_legal_representative_acts_only_for_the_own_comune_and_approves_nothing() {
    let (app, _posta) = app_e_posta().await;
    let sindaco = app.logged_in(TestUser::SindacoTorino).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let (status, _) =
        invia_richiesta(&app, &sindaco, "004003", &[persona(20, "Gino", "Alba")]).await;
    assert_eq!(status, 403, "another comune");
    let (status, _) =
        invia_richiesta(&app, &torino, "001272", &[persona(20, "Gino", "Alba")]).await;
    assert_eq!(status, 403, "an operator is not the legal representative");
    let (status, r) =
        invia_richiesta(&app, &sindaco, "001272", &[persona(20, "Gino", "Alba")]).await;
    assert_eq!(status, 200);
    let id = r["id"].as_str().unwrap();
    assert_eq!(
        approva(&app, &sindaco, id, 0, "legale_rappresentante")
            .await
            .0,
        403
    );
    assert_eq!(app.get_json(&sindaco, "/api/v1/registrazioni").await.0, 403);
    assert_eq!(
        app.get_json(&sindaco, "/api/v1/comuni/004003/utenti")
            .await
            .0,
        403
    );
    assert_eq!(
        app.get_json(&torino, &format!("/api/v1/registrazioni/{id}"))
            .await
            .0,
        403
    );
    assert_eq!(
        app.get_json(&sindaco, &format!("/api/v1/registrazioni/{id}"))
            .await
            .0,
        200
    );
    // The Region cannot give a regional role through a comune's request.
    let regione = app.logged_in(TestUser::Regione).await;
    let (status, r) = approva(&app, &regione, id, 0, "amministratore").await;
    assert_eq!(status, 422, "{r}");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn pending_and_refused_users_cannot_sign_in_reset_or_use_a_link_of_another_state() {
    let (app, posta) = app_e_posta().await;
    let (_, a) = operatore_approvato(&app, 30, "Ivo", "Bassi").await;
    let attivazione = posta.attendi(&a, "Attiva").await.token().unwrap();
    let cf = codice_fiscale_sintetico(30);
    // Pending: no sign-in with any password, no reset mail, the activation link is not a reset link.
    assert_eq!(
        app.login(&app.client(), &cf, PASSWORD_NUOVA).await.status(),
        401
    );
    let (status, _) = app
        .post(
            &app.client(),
            "/api/v1/auth/password-dimenticata",
            json!({ "identificativo": cf }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        usa_link(&app, "nuova-password", &attivazione, PASSWORD_NUOVA)
            .await
            .0,
        422
    );
    // Activated: now the activation link is spent, and the reset mail goes out.
    assert_eq!(
        usa_link(&app, "attivazione", &attivazione, PASSWORD_NUOVA)
            .await
            .0,
        200
    );
    assert_eq!(
        usa_link(&app, "attivazione", &attivazione, "un'altra password lunga")
            .await
            .0,
        422
    );
    let (status, _) = app
        .post(
            &app.client(),
            "/api/v1/auth/password-dimenticata",
            json!({ "identificativo": cf }),
        )
        .await;
    assert_eq!(status, 200);
    posta.attendi(&a, "Nuova password").await;
    // Exactly one reset mail: the one asked while pending never existed.
    let reset: Vec<_> = posta
        .per(&a)
        .into_iter()
        .filter(|m| m.oggetto.contains("Nuova password"))
        .collect();
    assert_eq!(reset.len(), 1);
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn a_forgotten_password_is_reset_by_mail_and_the_old_one_stops_working() {
    let (app, posta) = app_e_posta().await;
    let aperta = app.logged_in(TestUser::Torino).await;
    let (status, r) = app
        .post(
            &app.client(),
            "/api/v1/auth/password-dimenticata",
            json!({ "identificativo": email_di(TestUser::Torino) }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let m = posta
        .attendi(&email_di(TestUser::Torino), "Nuova password")
        .await;
    assert!(m.testo.contains("/nuova-password#t="));
    let token = m.token().unwrap();
    let (status, info) = app
        .post(
            &app.client(),
            "/api/v1/auth/link",
            json!({ "token": token }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(info["scopo"], "reset");
    assert_eq!(
        usa_link(&app, "nuova-password", &token, PASSWORD_NUOVA)
            .await
            .0,
        200
    );
    assert_eq!(
        app.login(&app.client(), "torino", DEMO_PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.login(&app.client(), "torino", PASSWORD_NUOVA)
            .await
            .status(),
        200
    );
    // Every session of the account ended with the reset.
    assert_eq!(app.get_json(&aperta, shared::routes::ME).await.0, 401);
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn expired_reused_forged_and_superseded_links_are_refused() {
    let (app, posta) = app_e_posta().await;
    let chiedi = || async {
        let (s, _) = app
            .post(
                &app.client(),
                "/api/v1/auth/password-dimenticata",
                json!({ "identificativo": "alba" }),
            )
            .await;
        assert_eq!(s, 200);
    };
    let attendi_n = |n: usize| {
        let posta = &posta;
        attendi("un altro messaggio per Alba", move || async move {
            let m = posta.per(&email_di(TestUser::Alba));
            m.get(n - 1).map(|m| m.token().unwrap())
        })
    };
    chiedi().await;
    let primo = attendi_n(1).await;
    chiedi().await;
    let secondo = attendi_n(2).await;
    assert_ne!(primo, secondo);
    let (status, r) = usa_link(&app, "nuova-password", &primo, PASSWORD_NUOVA).await;
    assert_eq!(status, 422, "superseded by the newer one: {r}");
    assert_eq!(
        campi(&r),
        vec![("token".to_owned(), "link.non_valido".to_owned())]
    );
    // Forged: right shape, unknown; and wrong shapes.
    for falso in [
        "0".repeat(64),
        "abc".to_owned(),
        format!("{}'", "a".repeat(63)),
        // The real link with its last digit changed (one that is the link's own, whatever
        // its letters: upper-casing alone may leave a link with no "a" readable as itself).
        format!(
            "{}{}",
            &secondo[..63],
            if secondo.ends_with('0') { '1' } else { '0' }
        ),
    ] {
        let (status, r) = usa_link(&app, "nuova-password", &falso, PASSWORD_NUOVA).await;
        assert_eq!(status, 422, "{falso}: {r}");
    }
    // Expired: 60 minutes by default.
    app.state.orologio.avanza(chrono::Duration::minutes(61));
    assert_eq!(
        usa_link(&app, "nuova-password", &secondo, PASSWORD_NUOVA)
            .await
            .0,
        422
    );
    chiedi().await;
    let terzo = attendi_n(3).await;
    assert_eq!(
        usa_link(&app, "nuova-password", &terzo, PASSWORD_NUOVA)
            .await
            .0,
        200
    );
    assert_eq!(
        usa_link(&app, "nuova-password", &terzo, "un'altra password lunga")
            .await
            .0,
        422,
        "used once"
    );
    // An activation link lasts 72 hours.
    let (_, a) = operatore_approvato(&app, 40, "Lia", "Ferri").await;
    let t = posta.attendi(&a, "Attiva").await.token().unwrap();
    app.state.orologio.avanza(chrono::Duration::hours(73));
    assert_eq!(
        usa_link(&app, "attivazione", &t, PASSWORD_NUOVA).await.0,
        422
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn two_tabs_racing_on_one_link_set_the_password_once() {
    let (app, posta) = app_e_posta().await;
    let (_, a) = operatore_approvato(&app, 41, "Ada", "Gori").await;
    let t = posta.attendi(&a, "Attiva").await.token().unwrap();
    let (uno, due) = tokio::join!(
        usa_link(&app, "attivazione", &t, PASSWORD_NUOVA),
        usa_link(&app, "attivazione", &t, "un'altra password lunga")
    );
    let mut stati = [uno.0, due.0];
    stati.sort_unstable();
    assert_eq!(stati, [200, 422], "{uno:?} {due:?}");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn unknown_and_known_identities_get_the_same_answer_and_only_the_known_one_gets_mail() {
    let (app, posta) = app_e_posta().await;
    let chiedi = |ident: String| {
        let app = &app;
        async move {
            let res = app
                .client()
                .post(app.url("/api/v1/auth/password-dimenticata"))
                .json(&json!({ "identificativo": ident }))
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.bytes().await.unwrap())
        }
    };
    let nota = chiedi(email_di(TestUser::Torino)).await;
    let ignota = chiedi("nessuno@comune.prova.invalid".into()).await;
    let cf_ignoto = chiedi(codice_fiscale_sintetico(999)).await;
    assert_eq!(nota, ignota);
    assert_eq!(nota, cf_ignoto);
    assert_eq!(nota.0, 200);
    posta
        .attendi(&email_di(TestUser::Torino), "Nuova password")
        .await;
    let mut tutti = app
        .state
        .store
        .posta_per("nessuno@comune.prova.invalid")
        .await
        .unwrap();
    assert!(tutti.is_empty());
    tutti = app
        .state
        .store
        .posta_per(&email_di(TestUser::Torino))
        .await
        .unwrap();
    assert_eq!(tutti.len(), 1);
    // A malformed request is told so without revealing anything about accounts.
    let (status, _) = chiedi(String::new()).await;
    assert_eq!(status, 422);
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn a_mail_written_while_the_smtp_server_is_down_is_delivered_once_when_it_comes_back() {
    let porta = porta_libera();
    let app = app_con_posta(porta).await;
    let (_, a) = operatore_approvato(&app, 50, "Rita", "Conte").await;
    // Nobody listens: the attempt fails and the message waits in the outbox.
    let in_attesa = primo_tentativo(&app, &a).await;
    assert_eq!(in_attesa.stato, "in_coda");
    assert!(
        in_attesa.segreto.is_some(),
        "the link waits with the message"
    );
    assert!(in_attesa
        .ultimo_esito
        .as_deref()
        .unwrap_or_default()
        .contains("non raggiungibile"));
    // The server comes back; the retry is due after the first wait (60 s by default).
    let posta = ServerPosta::avvia(porta, &Default::default());
    app.state.orologio.avanza(chrono::Duration::minutes(2));
    sveglia(&app);
    let m = posta.attendi(&a, "Attiva").await;
    assert_eq!(m.message_id, in_attesa.message_id);
    // Later wake-ups send nothing more.
    for _ in 0..3 {
        app.state.orologio.avanza(chrono::Duration::hours(2));
        sveglia(&app);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(posta.per(&a).len(), 1, "delivered once");
    let stato = app.state.store.posta_per(&a).await.unwrap();
    assert_eq!(stato[0].stato, "inviato");
    assert!(
        stato[0].segreto.is_none(),
        "the link is wiped once delivered"
    );
    // The link still works: it is the same message.
    assert_eq!(
        usa_link(&app, "attivazione", &m.token().unwrap(), PASSWORD_NUOVA)
            .await
            .0,
        200
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn a_permanent_refusal_is_shown_in_the_outbox_and_not_retried() {
    let posta = ServerPosta::avvia(
        porta_libera(),
        &crate::smtp::Opzioni {
            rifiuta: Some("respinto".into()),
            ..Default::default()
        },
    );
    let app = app_con_posta(posta.porta).await;
    let sindaco = app.logged_in(TestUser::SindacoTorino).await;
    let regione = app.logged_in(TestUser::Regione).await;
    let mut p = persona(60, "Sara", "Monti");
    p["email"] = json!("respinto@comune.prova.invalid");
    let (_, r) = invia_richiesta(&app, &sindaco, "001272", &[p]).await;
    assert_eq!(
        approva(
            &app,
            &regione,
            r["id"].as_str().unwrap(),
            0,
            "operatore_comunale"
        )
        .await
        .0,
        200
    );
    let amministratore = app.logged_in(TestUser::Amministratore).await;
    let fallito = attendi("un messaggio non recapitabile", || async {
        sveglia(&app);
        let (status, p) = app
            .get_json(&amministratore, "/api/v1/posta?stato=fallito")
            .await;
        assert_eq!(status, 200, "{p}");
        p["messaggi"].as_array().and_then(|m| m.first()).cloned()
    })
    .await;
    assert_eq!(fallito["destinatario"], "respinto@comune.prova.invalid");
    assert_eq!(fallito["tentativi"], 1);
    assert!(
        fallito["ultimo_esito"].as_str().unwrap().contains("550"),
        "{fallito}"
    );
    let riga = app
        .state
        .store
        .posta_per("respinto@comune.prova.invalid")
        .await
        .unwrap();
    assert!(
        riga[0].segreto.is_none(),
        "a message given up drops its link"
    );
    app.state.orologio.avanza(chrono::Duration::hours(1));
    sveglia(&app);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let riga = app
        .state
        .store
        .posta_per("respinto@comune.prova.invalid")
        .await
        .unwrap();
    assert_eq!(riga[0].tentativi, 1, "not retried");
    // Its link was wiped when it was given up: it cannot be queued again without one (a new
    // activation is the way); a message without a link can.
    let id = fallito["id"].as_str().unwrap();
    let (status, r) = app
        .post(
            &amministratore,
            &format!("/api/v1/posta/{id}/nuovo-tentativo"),
            json!({}),
        )
        .await;
    assert_eq!(status, 409, "{r}");
    assert!(r["message"]
        .as_str()
        .unwrap()
        .contains("nuovo collegamento"));
    assert_eq!(
        app.get_json(&regione, "/api/v1/posta").await.0,
        403,
        "administrators only"
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn disabling_a_user_ends_their_open_session_at_the_next_request_and_voids_their_links() {
    let (app, posta) = app_e_posta().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let regione = app.logged_in(TestUser::Regione).await;
    assert_eq!(app.get_json(&torino, shared::routes::ME).await.0, 200);
    // A reset link asked before the disabling.
    app.post(
        &app.client(),
        "/api/v1/auth/password-dimenticata",
        json!({ "identificativo": "torino" }),
    )
    .await;
    let reset = posta
        .attendi(&email_di(TestUser::Torino), "Nuova password")
        .await
        .token()
        .unwrap();
    let (status, r) = app
        .post(
            &regione,
            "/api/v1/utenti/torino/disabilitazione",
            json!({ "motivo": "Trasferito ad altro ente" }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["stato"], "disabilitato");
    assert_eq!(
        app.get_json(&torino, shared::routes::ME).await.0,
        401,
        "the open session ends at once"
    );
    assert_eq!(app.get_json(&torino, "/api/v1/campagne").await.0, 401);
    assert_eq!(
        app.login(&app.client(), "torino", DEMO_PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        usa_link(&app, "nuova-password", &reset, PASSWORD_NUOVA)
            .await
            .0,
        422,
        "links are void"
    );
    posta
        .attendi(&email_di(TestUser::Torino), "disabilitato")
        .await;
    // History is kept: the account is there, disabled.
    let (_, u) = app.get_json(&regione, "/api/v1/utenti/torino").await;
    assert_eq!(u["stato"], "disabilitato");
    // Re-enabled: a new activation, the old password no longer works.
    let (status, r) = app
        .post(
            &regione,
            "/api/v1/utenti/torino/riabilitazione",
            json!({ "motivo": "Rientrato in servizio" }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["stato"], "in_attesa");
    assert_eq!(
        app.login(&app.client(), "torino", DEMO_PASSWORD)
            .await
            .status(),
        401
    );
    let t = posta
        .attendi(&email_di(TestUser::Torino), "Attiva")
        .await
        .token()
        .unwrap();
    assert_eq!(
        usa_link(&app, "attivazione", &t, PASSWORD_NUOVA).await.0,
        200
    );
    assert_eq!(
        app.login(&app.client(), "torino", PASSWORD_NUOVA)
            .await
            .status(),
        200
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn the_legal_representative_asks_to_disable_and_the_region_confirms() {
    let (app, posta) = app_e_posta().await;
    let sindaco = app.logged_in(TestUser::SindacoTorino).await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let cf = backend::service::demo::con_controllo("BNCMRC80A01L219");
    // The data must match an account of the comune.
    let (status, r) = app
        .post(&sindaco, "/api/v1/comuni/001272/disabilitazioni", json!({ "nome": "Marco", "cognome": "Rossi", "codice_fiscale": cf, "motivo": "Trasferito" }))
        .await;
    assert_eq!(status, 422, "{r}");
    let (status, d) = app
        .post(&sindaco, "/api/v1/comuni/001272/disabilitazioni", json!({ "nome": "MARCO", "cognome": "bianchi", "codice_fiscale": cf.to_lowercase(), "motivo": "Trasferito ad altro ente" }))
        .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["stato"], "in_attesa");
    // Asking is not disabling.
    assert_eq!(app.get_json(&torino, shared::routes::ME).await.0, 200);
    let id = d["id"].as_str().unwrap();
    assert_eq!(
        app.post(
            &sindaco,
            &format!("/api/v1/disabilitazioni/{id}/conferma"),
            json!({})
        )
        .await
        .0,
        403
    );
    let (status, d) = app
        .post(
            &regione,
            &format!("/api/v1/disabilitazioni/{id}/conferma"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["stato"], "confermata");
    assert_eq!(app.get_json(&torino, shared::routes::ME).await.0, 401);
    posta
        .attendi(
            &email_di(TestUser::SindacoTorino),
            "Disabilitazione di Marco Bianchi",
        )
        .await;
}

#[tokio::test]
async fn verifying_credentials_opens_no_session_and_says_valid_invalid_or_expired() {
    let app = crate::helpers::spawn_app_with(|s| s.auth.password_scadenza_giorni = 90).await;
    let client = app.client();
    let verifica = |u: &str, p: &str| {
        let (client, app) = (&client, &app);
        let body = json!({ "username": u, "password": p });
        async move {
            let res = client
                .post(app.url("/api/v1/auth/verifica"))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert!(res.headers().get("set-cookie").is_none(), "no session");
            (res.status().as_u16(), res.json::<Value>().await.unwrap())
        }
    };
    let (status, v) = verifica("torino", DEMO_PASSWORD).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["esito"], "valide");
    assert_eq!(v["stato"], "attivo");
    assert!(v["scadenza"].is_string());
    assert_eq!(app.get_json(&client, shared::routes::ME).await.0, 401);
    let (_, v) = verifica("torino", "sbagliata").await;
    assert_eq!(v["esito"], "non_valide");
    assert!(
        v["stato"].is_null(),
        "nothing about the account without the password"
    );
    let (_, v) = verifica("nessuno", "sbagliata").await;
    assert_eq!(v["esito"], "non_valide");
    // Expired after 90 days: valid credentials that only let the user change the password.
    app.state.orologio.avanza(chrono::Duration::days(91));
    let (_, v) = verifica("torino", DEMO_PASSWORD).await;
    assert_eq!(v["esito"], "scadute", "{v}");
    let c = app.logged_in(TestUser::Torino).await;
    let (_, me) = app.get_json(&c, shared::routes::ME).await;
    assert_eq!(me["cambio_password"], true);
    let (status, r) = app.get_json(&c, "/api/v1/campagne").await;
    assert_eq!(status, 403);
    assert_eq!(error_data(&r)["code"], "cambio_password");
    // Throttled like login: the failures above count.
    for _ in 0..5 {
        verifica("alba", "sbagliata").await;
    }
    let (status, _) = verifica("alba", DEMO_PASSWORD).await;
    assert_eq!(status, 429);
}

#[tokio::test]
async fn a_forced_change_lets_the_user_in_only_to_change_the_password_and_ends_other_sessions() {
    let app = crate::helpers::spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let altra = app.logged_in(TestUser::Torino).await;
    let (status, n) = app
        .post(
            &regione,
            "/api/v1/utenti/torino/cambio-obbligato",
            json!({ "motivo": "Sospetta compromissione" }),
        )
        .await;
    assert_eq!(status, 200, "{n}");
    assert_eq!(n, 1);
    let torino = app.logged_in(TestUser::Torino).await;
    let (_, me) = app.get_json(&torino, shared::routes::ME).await;
    assert_eq!(me["cambio_password"], true);
    for path in ["/api/v1/campagne", "/api/v1/servizi", "/api/v1/da-fare"] {
        let (status, r) = app.get_json(&torino, path).await;
        assert_eq!(
            (status, error_data(&r)["code"].clone()),
            (403, json!("cambio_password")),
            "{path}"
        );
    }
    let (status, r) = app
        .post(&torino, "/api/v1/account/password", json!({ "attuale": "sbagliata", "password": PASSWORD_NUOVA, "conferma": PASSWORD_NUOVA }))
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        campi(&r),
        vec![("attuale".to_owned(), "password.attuale".to_owned())]
    );
    let (status, r) = app
        .post(&torino, "/api/v1/account/password", json!({ "attuale": DEMO_PASSWORD, "password": PASSWORD_NUOVA, "conferma": PASSWORD_NUOVA }))
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        app.get_json(&torino, "/api/v1/campagne").await.0,
        200,
        "this session goes on"
    );
    assert_eq!(
        app.get_json(&altra, shared::routes::ME).await.0,
        401,
        "the other session ended"
    );
    // All at once (administrators only).
    let amministratore = app.logged_in(TestUser::Amministratore).await;
    assert_eq!(
        app.post(
            &regione,
            "/api/v1/cambio-password-obbligato",
            json!({ "motivo": "Incidente" })
        )
        .await
        .0,
        403
    );
    let (status, n) = app
        .post(
            &amministratore,
            "/api/v1/cambio-password-obbligato",
            json!({ "motivo": "Incidente" }),
        )
        .await;
    assert_eq!(status, 200);
    assert!(n.as_u64().unwrap() >= 4, "{n}");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn the_region_records_a_legal_representative_who_replaces_the_previous_one() {
    let (app, posta) = app_e_posta().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let vecchio = app.logged_in(TestUser::SindacoTorino).await;
    let legale = json!({ "legale": {
        "nome": "Teresa", "cognome": "Sereno", "codice_fiscale": codice_fiscale_sintetico(70),
        "email": "teresa.sereno@comune.prova.invalid", "pec": "protocollo@pec.comune.prova.invalid" } });
    let (status, u) = app
        .chiama(
            &regione,
            "POST",
            "/api/v1/comuni/001272/legale-rappresentante",
            &legale,
        )
        .await;
    assert_eq!(status, 200, "{u}");
    assert_eq!(u["ruolo"], "legale_rappresentante");
    assert_eq!(u["stato"], "in_attesa");
    assert_eq!(u["pec"], "protocollo@pec.comune.prova.invalid");
    assert_eq!(
        app.get_json(&vecchio, shared::routes::ME).await.0,
        401,
        "the previous one is disabled"
    );
    let t = posta
        .attendi("teresa.sereno@comune.prova.invalid", "Attiva")
        .await
        .token()
        .unwrap();
    assert_eq!(
        usa_link(&app, "attivazione", &t, PASSWORD_NUOVA).await.0,
        200
    );
    let (_, elenco) = app
        .get_json(&regione, "/api/v1/legali-rappresentanti?provincia=TO")
        .await;
    let torino = elenco
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["comune"]["codice"] == "001272")
        .unwrap();
    assert_eq!(torino["legale"]["cognome"], "Sereno");
    assert_eq!(torino["legale"]["stato"], "attivo");

    // From a CSV: all or nothing, every wrong line named.
    let buono = format!(
        "4003;{};Luca;Bosco;luca.bosco@comune.prova.invalid;pec@pec.alba.prova.invalid",
        codice_fiscale_sintetico(71)
    );
    let csv = format!("codice;cf;nome;cognome;email;pec\n{buono}\n999999;{};Ugo;Neri;u@x.it;p@x.it\n1272;XXX;Ugo;Neri;u@x.it;p@x.it\n", codice_fiscale_sintetico(72));
    let (status, r) = app
        .post(
            &regione,
            "/api/v1/legali-rappresentanti/importazione",
            json!({ "csv": csv }),
        )
        .await;
    assert_eq!(status, 422, "{r}");
    let messaggi: Vec<String> = error_data(&r)["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        messaggi
            .iter()
            .any(|m| m.starts_with("Riga 4, codice fiscale")),
        "{messaggi:?}"
    );
    assert!(posta.per("luca.bosco@comune.prova.invalid").is_empty());
    let (status, r) = app
        .post(
            &regione,
            "/api/v1/legali-rappresentanti/importazione",
            json!({ "csv": format!("{buono}\n") }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r, 1);
    posta
        .attendi("luca.bosco@comune.prova.invalid", "Attiva")
        .await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn an_administrator_manages_regional_accounts_and_officials_do_not() {
    let (app, posta) = app_e_posta().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let amministratore = app.logged_in(TestUser::Amministratore).await;
    let nuovo = json!({ "identita": { "nome": "Ugo", "cognome": "Bellini", "codice_fiscale": codice_fiscale_sintetico(80),
                        "email": "ugo.bellini@regione.prova.invalid" }, "ruolo": "funzionario_regionale" });
    assert_eq!(
        app.chiama(&regione, "POST", "/api/v1/utenti", &nuovo)
            .await
            .0,
        403
    );
    let (status, u) = app
        .chiama(&amministratore, "POST", "/api/v1/utenti", &nuovo)
        .await;
    assert_eq!(status, 200, "{u}");
    assert_eq!(u["username"], "ugo.bellini");
    posta
        .attendi("ugo.bellini@regione.prova.invalid", "Attiva")
        .await;
    let (status, _) = app
        .post(
            &regione,
            "/api/v1/utenti/ugo.bellini/disabilitazione",
            json!({ "motivo": "Prova" }),
        )
        .await;
    assert_eq!(status, 403, "a regional account is the administrators'");
    let (status, u) = app
        .put(
            &amministratore,
            "/api/v1/utenti/ugo.bellini/ruolo",
            json!({ "ruolo": "amministratore" }),
        )
        .await;
    assert_eq!(status, 200, "{u}");
    assert_eq!(u["ruolo"], "amministratore");
    // The same person twice is refused with the reason.
    let (status, r) = app
        .chiama(&amministratore, "POST", "/api/v1/utenti", &nuovo)
        .await;
    assert_eq!(status, 422);
    assert_eq!(campi(&r)[0].1, "codice_fiscale.account_esistente");
    // A reset started by the Region reaches the person, who alone sets the password.
    let (status, _) = app
        .post(&regione, "/api/v1/utenti/alba/nuova-password", json!({}))
        .await;
    assert_eq!(status, 200);
    posta
        .attendi(&email_di(TestUser::Alba), "Nuova password")
        .await;
    assert_eq!(
        app.login(&app.client(), "alba", DEMO_PASSWORD)
            .await
            .status(),
        200,
        "the old one works until the person changes it"
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn a_request_cannot_take_over_a_disabled_regional_account_or_another_persons() {
    let (app, posta) = app_e_posta().await;
    let amministratore = app.logged_in(TestUser::Amministratore).await;
    let regione = app.logged_in(TestUser::Regione).await;
    let sindaco = app.logged_in(TestUser::SindacoTorino).await;
    // A regional official, disabled.
    let cf = codice_fiscale_sintetico(90);
    let nuovo = json!({ "identita": { "nome": "Nora", "cognome": "Galli", "codice_fiscale": cf,
                        "email": "nora.galli@regione.prova.invalid" }, "ruolo": "funzionario_regionale" });
    assert_eq!(
        app.chiama(&amministratore, "POST", "/api/v1/utenti", &nuovo)
            .await
            .0,
        200
    );
    let (status, _) = app
        .post(
            &amministratore,
            "/api/v1/utenti/nora.galli/disabilitazione",
            json!({ "motivo": "Pensione" }),
        )
        .await;
    assert_eq!(status, 200);
    // Named in a comune's request, with another e-mail: the Region cannot approve it.
    let mut p = persona(90, "Nora", "Galli");
    p["email"] = json!("altra.casella@prova.invalid");
    let (status, r) = invia_richiesta(&app, &sindaco, "001272", &[p]).await;
    assert_eq!(status, 200, "{r}");
    let (status, r) = approva(
        &app,
        &regione,
        r["id"].as_str().unwrap(),
        0,
        "operatore_comunale",
    )
    .await;
    assert_eq!(status, 409, "{r}");
    let u = app.state.store.utente("nora.galli").await.unwrap().unwrap();
    assert_eq!(
        (u.ruolo.as_str(), u.stato.as_str(), u.email.as_str()),
        (
            "funzionario_regionale",
            "disabilitato",
            "nora.galli@regione.prova.invalid"
        )
    );
    assert!(posta.per("altra.casella@prova.invalid").is_empty());
    // A disabled comune account reopens only for the same person by name.
    let (_, d) = app
        .post(
            &regione,
            "/api/v1/utenti/alba/disabilitazione",
            json!({ "motivo": "Trasferita" }),
        )
        .await;
    assert_eq!(d["stato"], "disabilitato");
    let cf_alba = backend::service::demo::con_controllo("RNLGLI85H55A124");
    let mut falsa = persona(91, "Eva", "Bruni");
    falsa["codice_fiscale"] = json!(cf_alba);
    let (_, r) = invia_richiesta(&app, &sindaco, "001272", &[falsa]).await;
    assert_eq!(
        approva(
            &app,
            &regione,
            r["id"].as_str().unwrap(),
            0,
            "operatore_comunale"
        )
        .await
        .0,
        409
    );
    let mut vera = persona(92, "Giulia", "Rinaldi");
    vera["codice_fiscale"] = json!(cf_alba);
    vera["email"] = json!("giulia.rinaldi@comune.torino.prova.invalid");
    let (_, r) = invia_richiesta(&app, &sindaco, "001272", &[vera]).await;
    let (status, r) = approva(
        &app,
        &regione,
        r["id"].as_str().unwrap(),
        0,
        "operatore_comunale",
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        r["utenti"][0]["esito"]["account"], "alba",
        "the same account, moved to Torino"
    );
    let u = app.state.store.utente("alba").await.unwrap().unwrap();
    assert_eq!(
        (u.comune.as_deref(), u.stato.as_str()),
        (Some("001272"), "in_attesa")
    );
    posta
        .attendi("giulia.rinaldi@comune.torino.prova.invalid", "Attiva")
        .await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn a_legal_representative_does_not_learn_where_another_account_is() {
    let (app, _posta) = app_e_posta().await;
    let sindaco = app.logged_in(TestUser::SindacoTorino).await;
    let mut alba = persona(93, "Giulia", "Rinaldi");
    alba["codice_fiscale"] = json!(backend::service::demo::con_controllo("RNLGLI85H55A124"));
    let (status, r) = invia_richiesta(&app, &sindaco, "001272", &[alba]).await;
    assert_eq!(status, 422);
    let m = error_data(&r)["fields"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!m.contains("Alba") && !m.contains("attivo)"), "{m}");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn changing_the_password_voids_a_reset_link_asked_before() {
    let (app, posta) = app_e_posta().await;
    let torino = app.logged_in(TestUser::Torino).await;
    app.post(
        &app.client(),
        "/api/v1/auth/password-dimenticata",
        json!({ "identificativo": "torino" }),
    )
    .await;
    let t = posta
        .attendi(&email_di(TestUser::Torino), "Nuova password")
        .await
        .token()
        .unwrap();
    let (status, _) = app
        .post(&torino, "/api/v1/account/password", json!({ "attuale": DEMO_PASSWORD, "password": PASSWORD_NUOVA, "conferma": PASSWORD_NUOVA }))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        usa_link(&app, "nuova-password", &t, "un'altra password lunga")
            .await
            .0,
        422
    );
    assert_eq!(
        app.login(&app.client(), "torino", PASSWORD_NUOVA)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn what_is_typed_for_an_unknown_account_stays_out_of_the_audit_log() {
    let app = crate::helpers::spawn_app().await;
    let scritto = "password-nel-campo-sbagliato";
    assert_eq!(app.login(&app.client(), scritto, "x").await.status(), 401);
    assert_eq!(
        app.login(&app.client(), &codice_fiscale_sintetico(94), "x")
            .await
            .status(),
        401
    );
    let audit = audit_intero(&app).await;
    assert!(audit.contains("accesso"), "the failure is audited");
    assert!(
        !audit.contains(scritto) && !audit.contains(&codice_fiscale_sintetico(94)),
        "{audit}"
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn a_former_official_is_recorded_again_as_legal_representative() {
    let (app, posta) = app_e_posta().await;
    let regione = app.logged_in(TestUser::Regione).await;
    app.post(
        &regione,
        "/api/v1/utenti/alba/disabilitazione",
        json!({ "motivo": "Eletta sindaca" }),
    )
    .await;
    let legale = json!({ "legale": { "nome": "Giulia", "cognome": "Rinaldi",
        "codice_fiscale": backend::service::demo::con_controllo("RNLGLI85H55A124"),
        "email": "sindaca@comune.alba.prova.invalid", "pec": "protocollo@pec.alba.prova.invalid" } });
    let (status, u) = app
        .chiama(
            &regione,
            "POST",
            "/api/v1/comuni/004003/legale-rappresentante",
            &legale,
        )
        .await;
    assert_eq!(status, 200, "{u}");
    assert_eq!(u["username"], "alba");
    assert_eq!(u["ruolo"], "legale_rappresentante");
    assert_eq!(u["pec"], "protocollo@pec.alba.prova.invalid");
    posta
        .attendi("sindaca@comune.alba.prova.invalid", "Attiva")
        .await;
}
