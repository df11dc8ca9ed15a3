//! The server: the Dioxus router (pages, server functions, static files) wrapped in the
//! back end's layers and state, served on the configured address.

use backend::config::Settings;
use backend::{http, startup, telemetry, AppState};

/// The complete router for this state: what `main` serves and what tests serve on port 0.
pub fn router(state: AppState) -> axum::Router {
    let router = dioxus::server::router(crate::App)
        .merge(crate::api::export::routes())
        .route("/sw.js", axum::routing::get(service_worker))
        .route(
            crate::pages::accesso::ACCESSO_SENZA_APP,
            axum::routing::post(accesso_senza_app),
        )
        .route(
            crate::api::openapi::PERCORSO,
            axum::routing::get(crate::api::openapi::servi),
        )
        .layer(axum::middleware::from_fn(crate::csp::intestazioni));
    http::wrap(router, state)
}

/// `POST /accesso/entra`: the login form posted as plain HTML (the app has not started yet):
/// the same checks and session as `POST /api/v1/auth/login`, then a redirect (303) to the
/// personal home, or back to the login with the reason.
async fn accesso_senza_app(
    axum::Extension(state): axum::Extension<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: axum::http::HeaderMap,
    axum::Form(form): axum::Form<shared::auth::LoginForm>,
) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let indietro = |motivo: &str| {
        (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/accesso?motivo={motivo}"))],
        )
            .into_response()
    };
    let Ok(credenziali) = shared::auth::Credentials::parse(&form) else {
        return indietro("dati");
    };
    let indirizzo = backend::http::client_address(
        &headers,
        Some(&axum::extract::ConnectInfo(peer)),
        state.settings.application.trust_forwarded_for,
    );
    let dispositivo = backend::cookies::device_token(&headers);
    match backend::service::auth::login(&state, credenziali, indirizzo, dispositivo.as_deref())
        .await
    {
        Ok(s) => {
            let secure = state.settings.secure_cookies();
            let cookie = backend::cookies::session(&s.token, s.max_age, secure);
            let dove = if s.utente.cambio_password {
                "/account"
            } else {
                "/area-riservata"
            };
            let mut r = (
                StatusCode::SEE_OTHER,
                [
                    (header::LOCATION, dove.to_owned()),
                    (header::SET_COOKIE, cookie),
                ],
            )
                .into_response();
            if let Some(d) = &s.dispositivo {
                if let Ok(v) =
                    axum::http::HeaderValue::from_str(&backend::cookies::device(d, secure))
                {
                    r.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            r
        }
        Err(shared::ApiError::TooManyRequests { .. }) => indietro("tentativi"),
        Err(shared::ApiError::Unauthorized { .. }) => indietro("credenziali"),
        Err(_) => indietro("errore"),
    }
}

/// `GET /sw.js`: the service worker of the client build being served (generated once).
async fn service_worker() -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    static SW: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let js = SW.get_or_init(|| {
        let dir = backend::offline::cartella_public().unwrap_or_default();
        match backend::offline::service_worker(&dir) {
            Ok((js, versione)) => {
                tracing::info!(%versione, "service worker pronto");
                js
            }
            Err(e) => {
                tracing::warn!(error = %e, "service worker senza file da memorizzare");
                String::new()
            }
        }
    });
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        js.clone(),
    )
        .into_response()
}

/// Loads the configuration, builds the state and serves until stopped. Prints the bound
/// address (useful with `PORT=0`).
pub async fn run() -> anyhow::Result<()> {
    telemetry::init();
    let settings = Settings::load()?;
    if let Some(motivo) = settings.impedimento() {
        anyhow::bail!("configurazione: {motivo}");
    }
    let addr = format!(
        "{}:{}",
        settings.application.host, settings.application.port
    );
    let state = startup::build_state(settings).await?;
    startup::avvia_attivita(&state);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    let bound = listener.local_addr()?;
    println!("Servizi 0-6 in ascolto su http://{bound}");
    tracing::info!(%bound, "in ascolto");
    http::serve(listener, router(state.clone())).await?;
    tracing::info!("arresto");
    state.posta.ferma();
    state.store.close().await;
    Ok(())
}
