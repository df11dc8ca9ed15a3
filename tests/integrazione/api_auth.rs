use crate::helpers::{error_data, spawn_app, spawn_app_with, TestUser};
use backend::service::auth::token_hash;
use backend::service::demo::DEMO_PASSWORD;
use serde_json::json;
use shared::routes::{LOGIN, LOGOUT, ME, SESSION_COOKIE};

fn session_cookie(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with(SESSION_COOKIE))
        .expect("cookie di sessione")
}

fn token_of(cookie: &str) -> String {
    cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned()
}

#[tokio::test]
async fn login_with_the_right_password_returns_the_user_and_a_session() {
    let app = spawn_app().await;
    let client = app.client();
    let res = app.login(&client, "torino", DEMO_PASSWORD).await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["username"], "torino");
    assert_eq!(body["ruolo"], "operatore_comunale");
    assert_eq!(body["comune"]["codice"], "001272");
    assert_eq!(body["comune"]["nome"], "Torino");

    let (status, me) = app.get_json(&client, ME).await;
    assert_eq!(status, 200);
    assert_eq!(me, body);
}

#[tokio::test]
async fn the_username_is_case_and_space_insensitive() {
    let app = spawn_app().await;
    let res = app.login(&app.client(), "  Regione ", DEMO_PASSWORD).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_an_italian_message_and_no_cookie() {
    let app = spawn_app().await;
    let client = app.client();
    let res = app.login(&client, "torino", "password-sbagliata").await;
    assert_eq!(res.status(), 401);
    assert!(res.headers().get("set-cookie").is_none());
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["message"], "Nome utente o password non corretti.");
    assert_eq!(error_data(&body)["code"], "non_autenticato");
    let (status, _) = app.get_json(&client, ME).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn an_unknown_user_gets_the_same_answer_as_a_wrong_password() {
    let app = spawn_app().await;
    let res = app.login(&app.client(), "nessuno", DEMO_PASSWORD).await;
    assert_eq!(res.status(), 401);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["message"], "Nome utente o password non corretti.");
}

#[tokio::test]
async fn malformed_login_input_is_a_422_with_the_failing_fields() {
    let app = spawn_app().await;
    let res = app.login(&app.client(), "", "").await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    let fields: Vec<&str> = error_data(&body)["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["password", "username"]);
    assert_eq!(
        error_data(&body)["fields"][1]["message"],
        "Inserisci il codice fiscale o il nome utente."
    );
}

#[tokio::test]
async fn a_login_body_that_is_not_the_expected_json_is_refused_without_internal_details() {
    let app = spawn_app().await;
    let res = app
        .client()
        .post(app.url(LOGIN))
        .header("content-type", "application/json")
        .body(r#"{"username": 42}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["message"], "La richiesta non è nel formato atteso.");
    assert_eq!(error_data(&body)["fields"][0]["field"], "richiesta");
    assert!(!body.to_string().contains("deserializ"), "{body}");
}

#[tokio::test]
async fn repeated_failures_lock_the_account_with_an_italian_message() {
    let app = spawn_app().await;
    let client = app.client();
    for _ in 0..5 {
        let res = app.login(&client, "alba", "sbagliata").await;
        assert_eq!(res.status(), 401);
    }
    // Even the right password is refused now, without checking it.
    let res = app.login(&client, "alba", DEMO_PASSWORD).await;
    assert_eq!(res.status(), 429);
    let body: serde_json::Value = res.json().await.unwrap();
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with("Troppi tentativi di accesso non riusciti. Riprova tra "),
        "{message}"
    );
    let wait = error_data(&body)["retry_after_secs"].as_u64().unwrap();
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    // Other accounts are not affected.
    let res = app.login(&client, "torino", DEMO_PASSWORD).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn repeated_failures_from_one_address_are_throttled_across_accounts() {
    let app = spawn_app_with(|s| s.auth.max_failures_per_address = 3).await;
    let client = app.client();
    for name in ["uno", "due", "tre"] {
        let res = app.login(&client, name, "x").await;
        assert_eq!(res.status(), 401);
    }
    let res = app.login(&client, "torino", DEMO_PASSWORD).await;
    assert_eq!(res.status(), 429);
}

#[tokio::test]
async fn a_successful_login_resets_the_account_failure_count() {
    let app = spawn_app().await;
    let client = app.client();
    for _ in 0..4 {
        app.login(&client, "torino", "sbagliata").await;
    }
    assert_eq!(
        app.login(&client, "torino", DEMO_PASSWORD).await.status(),
        200
    );
    for _ in 0..4 {
        assert_eq!(
            app.login(&client, "torino", "sbagliata").await.status(),
            401
        );
    }
    assert_eq!(
        app.login(&client, "torino", DEMO_PASSWORD).await.status(),
        200
    );
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_and_not_secure_over_http() {
    let app = spawn_app().await;
    let res = app.login(&app.client(), "torino", DEMO_PASSWORD).await;
    let cookie = session_cookie(&res);
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
    assert_eq!(token_of(&cookie).len(), 64);
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_served_over_https() {
    let app =
        spawn_app_with(|s| s.application.public_url = "https://servizi06.regione.example".into())
            .await;
    let res = app.login(&app.client(), "torino", DEMO_PASSWORD).await;
    assert!(session_cookie(&res).contains("Secure"));
}

#[tokio::test]
async fn every_login_gets_a_new_session_id() {
    let app = spawn_app().await;
    let client = app.client();
    let first = token_of(&session_cookie(
        &app.login(&client, "torino", DEMO_PASSWORD).await,
    ));
    let second = token_of(&session_cookie(
        &app.login(&client, "torino", DEMO_PASSWORD).await,
    ));
    assert_ne!(first, second);
}

#[tokio::test]
async fn the_database_holds_only_a_hash_of_the_session_token() {
    let app = spawn_app().await;
    let token = token_of(&session_cookie(
        &app.login(&app.client(), "torino", DEMO_PASSWORD).await,
    ));
    let idle = std::time::Duration::from_secs(600);
    assert!(app
        .state
        .store
        .sessione_valid(&token, idle)
        .await
        .unwrap()
        .is_none());
    let row = app
        .state
        .store
        .sessione_valid(&token_hash(&token), idle)
        .await
        .unwrap();
    assert_eq!(row.unwrap().utente.unwrap().username, "torino");
}

#[tokio::test]
async fn logout_invalidates_the_session_on_the_server() {
    let app = spawn_app().await;
    let client = app.client();
    let res = app.login(&client, "torino", DEMO_PASSWORD).await;
    let token = token_of(&session_cookie(&res));
    let res = client.post(app.url(LOGOUT)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(session_cookie(&res).contains("Max-Age=0"));
    // The old token, replayed by another client that kept it, no longer works.
    let replay = reqwest::Client::new()
        .get(app.url(ME))
        .header("cookie", format!("{SESSION_COOKIE}={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401);
}

#[tokio::test]
async fn me_without_a_session_is_401_with_an_italian_message() {
    let app = spawn_app().await;
    let (status, body) = app.get_json(&app.client(), ME).await;
    assert_eq!(status, 401);
    assert_eq!(
        body["message"],
        "Sessione assente o scaduta: accedi di nuovo."
    );
    let forged = reqwest::Client::new()
        .get(app.url(ME))
        .header("cookie", format!("{SESSION_COOKIE}={}", "f".repeat(64)))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = spawn_app_with(|s| s.auth.session_idle_minutes = 0).await;
    let client = app.logged_in(TestUser::Torino).await;
    let (status, _) = app.get_json(&client, ME).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_session_past_its_absolute_end_expires_however_used() {
    let app = spawn_app().await;
    let client = app.logged_in(TestUser::Torino).await;
    assert_eq!(app.get_json(&client, ME).await.0, 200);
    // Started 13 hours ago (absolute limit 12 h) but used just now: only the absolute
    // limit can end it.
    app.state
        .store
        .sessioni_backdate(chrono::Duration::hours(13))
        .await
        .unwrap();
    assert_eq!(app.get_json(&client, ME).await.0, 401);
}

#[tokio::test]
async fn a_cross_site_post_is_refused() {
    let app = spawn_app().await;
    let res = app
        .client()
        .post(app.url(LOGIN))
        .header("origin", "http://sito-ostile.example")
        .json(&json!({"username": "torino", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn logins_and_failures_are_audited_without_passwords() {
    let app = spawn_app().await;
    let client = app.client();
    app.login(&client, "torino", "segreto-sbagliato").await;
    app.login(&client, "torino", DEMO_PASSWORD).await;
    let entries = app.state.store.audit_for("utente:torino").await.unwrap();
    let seen: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e.azione.as_str(), e.esito.as_str()))
        .collect();
    assert_eq!(seen, vec![("accesso", "rifiutato"), ("accesso", "ok")]);
    let dump = format!("{entries:?}");
    assert!(!dump.contains("segreto-sbagliato"));
}

/// A login from `indirizzo` (behind a trusted proxy that names the client), with `client`'s
/// cookies.
async fn login_da(
    app: &crate::helpers::TestApp,
    client: &reqwest::Client,
    indirizzo: &str,
    username: &str,
    password: &str,
) -> u16 {
    client
        .post(app.url(LOGIN))
        .header("x-forwarded-for", indirizzo)
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn concurrent_wrong_passwords_are_verified_no_more_than_the_limit() {
    let app = spawn_app().await;
    let tentativi: Vec<_> = (0..28)
        .map(|_| {
            let (client, url) = (app.client(), app.url(LOGIN));
            tokio::spawn(async move {
                let corpo = json!({ "username": "alba", "password": "sbagliata" });
                client
                    .post(url)
                    .json(&corpo)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut esiti = Vec::new();
    for t in tentativi {
        esiti.push(t.await.unwrap());
    }
    esiti.sort_unstable();
    let verificati = esiti.iter().filter(|s| **s == 401).count();
    let fermati = esiti.iter().filter(|s| **s == 429).count();
    assert_eq!(
        (verificati, fermati),
        (5, 23),
        "the count and the attempt are one step: {esiti:?}"
    );
    let failures = app
        .state
        .store
        .tentativi_count(
            "account:alba|indirizzo:127.0.0.1",
            std::time::Duration::from_secs(900),
        )
        .await
        .unwrap();
    assert_eq!(failures.n, 5);
}

#[tokio::test]
async fn a_stranger_failing_does_not_lock_the_rightful_user_out() {
    let app = spawn_app_with(|s| {
        s.application.trust_forwarded_for = true;
        s.auth.max_failures_per_account_globale = 8;
    })
    .await;
    // The rightful user signed in once on this browser: it is a known device.
    let ufficio = app.client();
    assert_eq!(
        login_da(&app, &ufficio, "10.0.0.1", "alba", DEMO_PASSWORD).await,
        200
    );

    // A stranger fails from one address until refused there.
    let estraneo = app.client();
    for _ in 0..5 {
        assert_eq!(
            login_da(&app, &estraneo, "203.0.113.9", "alba", "x").await,
            401
        );
    }
    assert_eq!(
        login_da(&app, &estraneo, "203.0.113.9", "alba", DEMO_PASSWORD).await,
        429
    );
    // The rightful user, from another address on a new browser, gets in.
    assert_eq!(
        login_da(&app, &app.client(), "10.0.0.2", "alba", DEMO_PASSWORD).await,
        200
    );

    // Spread over many addresses, the failures reach the account's ceiling: a new browser is
    // refused everywhere now, the known device still gets in (even from the stranger's
    // address).
    for n in 1..=3 {
        let ip = format!("198.51.100.{n}");
        assert_eq!(
            login_da(&app, &app.client(), &ip, "alba", "x").await,
            401,
            "{ip}"
        );
    }
    assert_eq!(
        login_da(&app, &app.client(), "10.0.0.3", "alba", DEMO_PASSWORD).await,
        429
    );
    assert_eq!(
        login_da(&app, &ufficio, "203.0.113.9", "alba", DEMO_PASSWORD).await,
        200
    );
    // A device cookie of another account counts for nothing.
    let torino = app.client();
    assert_eq!(
        login_da(&app, &torino, "10.0.0.4", "torino", DEMO_PASSWORD).await,
        200
    );
    assert_eq!(
        login_da(&app, &torino, "10.0.0.4", "alba", DEMO_PASSWORD).await,
        429
    );
}

#[tokio::test]
async fn the_plain_login_form_refuses_a_post_from_another_site() {
    let app = spawn_app().await;
    let client = app.client();
    let invia = |origine: Option<String>| {
        let mut r = client
            .post(app.url("/accesso/entra"))
            .form(&[("username", "torino"), ("password", DEMO_PASSWORD)]);
        if let Some(o) = origine {
            r = r.header("origin", o);
        }
        r.send()
    };
    let altro = invia(Some("https://malevolo.example".to_owned()))
        .await
        .unwrap();
    assert_eq!(
        altro.status(),
        403,
        "login CSRF refused by the same-origin layer"
    );
    assert!(altro.headers().get("set-cookie").is_none());
    let proprio = invia(Some(app.base.clone())).await.unwrap();
    assert_eq!(proprio.headers()["location"], "/area-riservata");
    let senza = invia(None).await.unwrap();
    assert_eq!(senza.headers()["location"], "/area-riservata");
}
