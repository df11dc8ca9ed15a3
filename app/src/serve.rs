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
            crate::api::openapi::PERCORSO,
            axum::routing::get(crate::api::openapi::servi),
        );
    http::wrap(router, state)
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
