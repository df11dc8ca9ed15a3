//! A new installation in production mode, as a Region starts it: the first administrator
//! from the command line (the same code as `servizi-admin crea-amministratore`), then only
//! the browser's HTTP calls against the real server as a child process on a durable database,
//! with every e-mail through a real SMTP server — up to an official's form sent with its
//! receipt. No database edit, no second command. Afterwards the server's log holds no token,
//! password or password hash.

use crate::api_servizi::modulo;
use crate::campagne_prova::{campagna, righe, voci_operanti};
use crate::conti::{email, persona, PASSWORD_NUOVA};
use crate::smtp::{porta_libera, ServerPosta};
use backend::config::{Environment, Settings};
use backend::service::demo::codice_fiscale_sintetico;
use serde_json::{json, Value};
use shared::routes;
use std::time::Duration;
use tests::banco::server::{endpoint_surrealkv, Avvio, ServerFiglio};

/// A browser's session against the child server.
struct Sessione {
    base: String,
    client: reqwest::Client,
}

impl Sessione {
    fn nuova(base: &str) -> Self {
        Self {
            base: base.to_owned(),
            client: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .unwrap(),
        }
    }

    async fn chiama(&self, metodo: &str, path: &str, body: Value) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(metodo.as_bytes()).unwrap();
        let mut req = self
            .client
            .request(m.clone(), format!("{}{path}", self.base));
        if m != reqwest::Method::GET {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    async fn ok(&self, metodo: &str, path: &str, body: Value) -> Value {
        let (status, v) = self.chiama(metodo, path, body).await;
        assert_eq!(status, 200, "{metodo} {path}: {v}");
        v
    }

    /// Activates an account with a mail's token and signs in with the codice fiscale.
    async fn attiva_e_accedi(base: &str, token: &str, cf: &str) -> Self {
        let s = Self::nuova(base);
        s.ok(
            "POST",
            "/api/v1/auth/attivazione",
            json!({ "token": token, "password": PASSWORD_NUOVA, "conferma": PASSWORD_NUOVA }),
        )
        .await;
        s.ok(
            "POST",
            "/api/v1/auth/login",
            json!({ "username": cf, "password": PASSWORD_NUOVA }),
        )
        .await;
        s
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn a_new_production_installation_goes_from_the_first_administrator_to_a_sent_form() {
    let tmp = tempfile::tempdir().unwrap();
    let endpoint = endpoint_surrealkv(&tmp.path().join("db"), "every");
    let posta = ServerPosta::avvia(porta_libera(), &Default::default());
    let public_url = "https://servizi06.regione.prova.invalid";

    // The command line, once.
    let mut settings = Settings::for_tests().unwrap();
    settings.database.endpoint = endpoint.clone();
    settings.application.environment = Environment::Production;
    settings.application.public_url = public_url.into();
    let cf_admin = codice_fiscale_sintetico(900);
    let mut uscita = Vec::new();
    backend::cli::esegui(
        [
            "servizi-admin",
            "crea-amministratore",
            "--cf",
            &cf_admin,
            "--email",
            "admin@regione.prova.invalid",
            "--nome",
            "Laura",
            "--cognome",
            "Costa",
        ]
        .map(String::from),
        settings,
        &mut uscita,
    )
    .await
    .unwrap();
    let uscita = String::from_utf8(uscita).unwrap();
    let link = uscita
        .split_whitespace()
        .find(|w| w.starts_with(&format!("{public_url}/attivazione#t=")))
        .unwrap_or_else(|| panic!("nessun collegamento in: {uscita}"));
    let token_admin = link.split_once("#t=").unwrap().1.to_owned();

    // The server, in production (no demo data), mail through SMTP.
    let public = tmp.path().join("public");
    std::fs::create_dir_all(&public).unwrap();
    let log = tmp.path().join("server.log");
    let server = ServerFiglio::avvia(
        &Avvio {
            eseguibile: env!("CARGO_BIN_EXE_server-prova").into(),
            endpoint,
            regione: "01".into(),
            public,
            log: log.clone(),
            ambiente: [
                ("APP_POSTA__SMTP_HOST", "127.0.0.1".to_owned()),
                ("APP_POSTA__SMTP_PORT", posta.porta.to_string()),
                ("APP_POSTA__SMTP_SICUREZZA", "nessuna".to_owned()),
                ("APP_POSTA__INTERVALLO_SECONDI", "1".to_owned()),
                ("APP_APPLICATION__PUBLIC_URL", public_url.to_owned()),
                (
                    "RUST_LOG",
                    "debug,surrealdb=warn,surrealdb_core=warn,hyper=info,h2=info".to_owned(),
                ),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        },
        Duration::from_secs(180),
    )
    .unwrap();
    let base = server.base.clone();
    let anonimo = Sessione::nuova(&base);
    // No demo account exists in production.
    let (status, _) = anonimo
        .chiama(
            "POST",
            "/api/v1/auth/login",
            json!({ "username": "regione", "password": backend::service::demo::DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(status, 401);

    // The administrator activates, signs in, records Torino's legal representative.
    let admin = Sessione::attiva_e_accedi(&base, &token_admin, &cf_admin).await;
    let me = admin.ok("GET", "/api/v1/auth/me", json!({})).await;
    assert_eq!(me["ruolo"], "amministratore");
    let cf_lr = codice_fiscale_sintetico(901);
    admin
        .ok("POST", "/api/v1/comuni/001272/legale-rappresentante", json!({ "legale": {
            "nome": "Paolo", "cognome": "Serra", "codice_fiscale": cf_lr,
            "email": "sindaco@comune.torino.prova.invalid", "pec": "protocollo@pec.torino.prova.invalid" } }))
        .await;
    let t = posta
        .attendi("sindaco@comune.torino.prova.invalid", "Attiva")
        .await
        .token()
        .unwrap();

    // The legal representative activates and asks for two officials.
    let lr = Sessione::attiva_e_accedi(&base, &t, &cf_lr).await;
    let r = lr
        .ok("POST", "/api/v1/registrazioni", json!({ "comune": "001272", "utenti": [persona(902, "Giorgio", "Bruni"), persona(903, "Marta", "Lodi")] }))
        .await;
    let id = r["id"].as_str().unwrap().to_owned();
    for i in 0..2 {
        admin
            .ok(
                "POST",
                &format!("/api/v1/registrazioni/{id}/utenti/{i}/approvazione"),
                json!({ "ruolo": "operatore_comunale" }),
            )
            .await;
    }
    let t1 = posta
        .attendi(&email("Giorgio", "Bruni"), "Attiva")
        .await
        .token()
        .unwrap();
    let t2 = posta
        .attendi(&email("Marta", "Lodi"), "Attiva")
        .await
        .token()
        .unwrap();
    let giorgio = Sessione::attiva_e_accedi(&base, &t1, &codice_fiscale_sintetico(902)).await;
    Sessione::attiva_e_accedi(&base, &t2, &codice_fiscale_sintetico(903)).await;

    // The Region opens a campaign; the official registers a service and sends the form.
    let c = admin
        .ok(
            "POST",
            "/api/v1/campagne",
            json!({ "campagna": campagna(-60, 60 * 24, "001272") }),
        )
        .await;
    let cid = c["id"].as_str().unwrap().to_owned();
    admin
        .ok(
            "POST",
            &routes::campagna_azione(&cid, "pubblica"),
            json!({}),
        )
        .await;
    posta
        .attendi(&email("Giorgio", "Bruni"), "Aperta la rilevazione")
        .await;
    giorgio
        .ok(
            "POST",
            "/api/v1/comuni/001272/servizi",
            json!({ "servizio": modulo() }),
        )
        .await;
    let scheda = routes::scheda(&cid, "001272");
    let s = giorgio.ok("GET", &scheda, json!({})).await;
    let voci = voci_operanti(&s);
    let s = giorgio
        .ok(
            "POST",
            &format!("{scheda}/dichiarazione"),
            json!({ "voci": voci }),
        )
        .await;
    let dati = json!({ "righe": righe(&s["servizi"], 2), "giustificazione": "" });
    giorgio
        .ok("PUT", &scheda, json!({ "versione": 0, "dati": dati }))
        .await;
    let ricevuta = giorgio
        .ok("POST", &format!("{scheda}/invio"), json!({}))
        .await;
    assert_eq!(ricevuta["numero"], 1, "{ricevuta}");

    // Nothing secret in the server's log.
    drop(server);
    let testo = std::fs::read_to_string(&log).unwrap();
    assert!(
        testo.contains("messaggio consegnato"),
        "the log shows the deliveries"
    );
    for segreto in [
        token_admin.as_str(),
        &t,
        &t1,
        &t2,
        PASSWORD_NUOVA,
        "$argon2id$",
    ] {
        assert!(!testo.contains(segreto), "«{segreto}» nel log del server");
    }
    for t in [&token_admin, &t, &t1, &t2] {
        assert!(!testo.contains(&backend::service::auth::token_hash(t)));
    }
}
