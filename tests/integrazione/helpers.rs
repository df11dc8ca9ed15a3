//! `spawn_app()`: the real router on 127.0.0.1:0 with a fresh in-memory database, and typed
//! request helpers. The server task ends with the test's runtime.

use axum::response::IntoResponse;
use backend::config::Settings;
use backend::service::demo::DEMO_PASSWORD;
use backend::{http, startup, AppState};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// A running app.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Its state (for looking into the database).
    pub state: AppState,
    rete_interrotta: Arc<AtomicBool>,
    wasm_trattenuto: Arc<AtomicBool>,
    /// Where its mail goes without an SMTP server (removed with the app).
    _posta: tempfile::TempDir,
}

/// A demo account of each role.
#[derive(Debug, Clone, Copy)]
pub enum TestUser {
    /// `regione`: funzionario regionale.
    Regione,
    /// `torino`: operatore comunale of Torino (001272).
    Torino,
    /// `alba`: operatore comunale of Alba (004003).
    Alba,
    /// `sindaco.torino`: legale rappresentante of Torino (001272).
    SindacoTorino,
    /// `amministratore`: amministratore.
    Amministratore,
}

impl TestUser {
    /// The username.
    pub fn username(self) -> &'static str {
        match self {
            TestUser::Regione => "regione",
            TestUser::Torino => "torino",
            TestUser::Alba => "alba",
            TestUser::SindacoTorino => "sindaco.torino",
            TestUser::Amministratore => "amministratore",
        }
    }
}

/// The `tests/` folder of the clone being tested: cargo sets `CARGO_MANIFEST_DIR` when it
/// runs the binary. The path baked in at compile time is only a fallback: the build cache is
/// shared by every clone, and a binary cargo reuses from another clone would otherwise read
/// that clone's reference screenshots, scripts and tools.
pub fn cartella_test() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// The static files the server serves: the web client (`tools/client.sh`) when available (the
/// README's test command builds it and sets `DIOXUS_PUBLIC_PATH`), else an empty folder.
pub fn public_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = match std::env::var_os("DIOXUS_PUBLIC_PATH") {
            Some(d) => PathBuf::from(d),
            None => {
                let empty = std::env::temp_dir().join("servizi06-test-public-vuota");
                std::fs::create_dir_all(&empty).expect("cartella public di prova");
                // Set once, before any router is built; the server reads it per router.
                std::env::set_var("DIOXUS_PUBLIC_PATH", &empty);
                empty
            }
        };
        assert!(
            dir.is_dir(),
            "DIOXUS_PUBLIC_PATH non è una cartella: {dir:?}"
        );
        dir
    })
}

/// `gg/mm/aaaa hh:mm` in Italian time, `minuti` from now: a campaign's window as the Region
/// types it. (The system clock: an app under test starts with its clock there, and a test
/// that moves the app's clock says so.)
#[allow(
    clippy::disallowed_methods,
    reason = "the tests' one reading of the system clock, standing for the Region's wall clock"
)]
pub fn tra(minuti: i64) -> String {
    shared::tempo::ora_italiana(chrono::Utc::now() + chrono::Duration::minutes(minuti))
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// The header that marks the test's own HTTP clients (see [`TestApp::interrompi_rete`]).
const CLIENT_DI_PROVA: &str = "x-client-di-prova";

/// The app with the test settings (in-memory database, demo accounts).
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The app with adjusted settings.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    backend::telemetry::init_per_i_test();
    public_dir();
    let mut settings = Settings::for_tests().expect("impostazioni di prova");
    let posta = tempfile::tempdir().expect("cartella della posta");
    settings.posta.cartella = posta.path().to_string_lossy().into_owned();
    adjust(&mut settings);
    let state = startup::build_state(settings).await.expect("avvio");
    startup::avvia_attivita(&state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("porta libera");
    let addr = listener.local_addr().expect("indirizzo");
    let interrotta = Arc::new(AtomicBool::new(false));
    let taglio = interrotta.clone();
    let trattenuto = Arc::new(AtomicBool::new(false));
    let attesa_wasm = trattenuto.clone();
    // The network between browser and server: when cut, every request of the browser fails
    // as through a gateway that cannot reach the server (503), service-worker fetches included.
    // The test's own HTTP clients ([`TestApp::client`], marked by [`CLIENT_DI_PROVA`]) stand
    // for other devices and still get through: a change they make while the browser is
    // offline is in place before the browser can send anything.
    let router = app::serve::router(state.clone()).layer(axum::middleware::from_fn(
        move |req: axum::extract::Request, next: axum::middleware::Next| {
            let taglio = taglio.clone();
            let attesa_wasm = attesa_wasm.clone();
            async move {
                // A slow connection: the WebAssembly arrives only when the test lets it.
                if req.uri().path().ends_with(".wasm") {
                    while attesa_wasm.load(Ordering::SeqCst) {
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    }
                }
                if taglio.load(Ordering::SeqCst) && !req.headers().contains_key(CLIENT_DI_PROVA) {
                    axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response()
                } else {
                    next.run(req).await
                }
            }
        },
    ));
    tokio::spawn(async move {
        let _ = http::serve(listener, router).await;
    });
    TestApp {
        base: format!("http://{addr}"),
        state,
        rete_interrotta: interrotta,
        wasm_trattenuto: trattenuto,
        _posta: posta,
    }
}

impl TestApp {
    /// Cuts (`true`) or restores the network between the browser and the server.
    pub fn interrompi_rete(&self, interrotta: bool) {
        self.rete_interrotta.store(interrotta, Ordering::SeqCst);
    }

    /// Holds (`true`) or lets through the download of the WebAssembly: while held, pages are
    /// served and shown but the app does not start (a slow phone connection).
    pub fn trattieni_wasm(&self, trattenuto: bool) {
        self.wasm_trattenuto.store(trattenuto, Ordering::SeqCst);
    }

    /// A client with its own cookie jar (one browser).
    pub fn client(&self) -> reqwest::Client {
        let mut marca = reqwest::header::HeaderMap::new();
        marca.insert(
            CLIENT_DI_PROVA,
            reqwest::header::HeaderValue::from_static("1"),
        );
        reqwest::Client::builder()
            .default_headers(marca)
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client http")
    }

    /// Full URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `POST /api/v1/auth/login` with a JSON body.
    pub async fn login(
        &self,
        client: &reqwest::Client,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url(shared::routes::LOGIN))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("richiesta di accesso")
    }

    /// Creates an active account with the demo password and an invented codice fiscale
    /// (fixtures beyond the demo accounts); returns the codice fiscale.
    pub async fn crea_utente(
        &self,
        username: &str,
        ruolo: shared::auth::Ruolo,
        comune: Option<&str>,
    ) -> String {
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let hash = backend::password::hash(DEMO_PASSWORD.to_owned())
            .await
            .expect("hash");
        let n = N.fetch_add(1, Ordering::SeqCst) + 1_000_000;
        let cf = backend::service::demo::codice_fiscale_sintetico(n);
        self.state
            .store
            .utente_create(backend::store::utenti::NewUtente {
                username: username.to_owned(),
                password_hash: Some(hash),
                nome: "Prova".into(),
                cognome: username.replace(['.', '-', '_'], " "),
                codice_fiscale: cf.clone(),
                email: format!("{username}@prova.invalid"),
                pec: None,
                telefono: None,
                ufficio: None,
                ruolo: ruolo.code().to_owned(),
                comune: comune.map(str::to_owned),
                stato: "attivo".into(),
                creato: self.state.orologio.adesso(),
            })
            .await
            .expect("utente creato");
        cf
    }

    /// A client already logged in as `user`.
    pub async fn logged_in(&self, user: TestUser) -> reqwest::Client {
        let client = self.client();
        let res = self.login(&client, user.username(), DEMO_PASSWORD).await;
        assert_eq!(res.status(), 200, "accesso di {user:?}");
        client
    }

    /// `METHOD path` with this client and a JSON body (none for `GET`); status and JSON body.
    pub async fn chiama(
        &self,
        client: &reqwest::Client,
        metodo: &str,
        path: &str,
        body: &Value,
    ) -> (u16, Value) {
        let metodo = reqwest::Method::from_bytes(metodo.as_bytes()).expect("metodo");
        let mut req = client.request(metodo.clone(), self.url(path));
        if metodo != reqwest::Method::GET {
            req = req.json(body);
        }
        let res = req.send().await.expect("richiesta");
        let status = res.status().as_u16();
        let bytes = res.bytes().await.unwrap_or_default();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// `POST path` with this client and JSON `body`; status and JSON body.
    pub async fn post(&self, client: &reqwest::Client, path: &str, body: Value) -> (u16, Value) {
        self.chiama(client, "POST", path, &body).await
    }

    /// `PUT path` with this client and JSON `body`; status and JSON body.
    pub async fn put(&self, client: &reqwest::Client, path: &str, body: Value) -> (u16, Value) {
        self.chiama(client, "PUT", path, &body).await
    }

    /// `GET path` with this client; status and JSON body.
    pub async fn get_json(&self, client: &reqwest::Client, path: &str) -> (u16, Value) {
        let res = client.get(self.url(path)).send().await.expect("richiesta");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }
}

/// The `data` of Dioxus's error envelope: our `{code, message, fields…}`.
/// The text of page 1 of a PDF, read back by a PDF parser (`lopdf`): what a reader shows,
/// whatever the file's encoding and compression.
pub fn testo_pdf(pdf: &[u8]) -> String {
    lopdf::Document::load_mem(pdf)
        .expect("a PDF that parses")
        .extract_text(&[1])
        .expect("the text of page 1")
}

pub fn error_data(body: &Value) -> &Value {
    &body["data"]
}

/// Waits (up to 30 s, checking every 50 ms) until `prova` gives a value, and returns it; fails
/// naming `cosa` otherwise.
pub async fn attendi<T, F, Fut>(cosa: &str, mut prova: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let fine = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if let Some(v) = prova().await {
            return v;
        }
        assert!(std::time::Instant::now() < fine, "in attesa di: {cosa}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
