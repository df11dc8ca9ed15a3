//! Downloads, as plain axum handlers (the answer is a file, not JSON): `GET
//! /api/v1/servizi.csv` and `.xlsx` (the filtered list of services, same filters and reach as
//! `GET /api/v1/servizi`) and `GET …/scheda/ricevuta.pdf` (a sent form's receipt).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Extension, Query};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use backend::export::{self, File};
use backend::http::error_response;
use backend::service::{auth, internal, servizi};
use backend::AppState;
use shared::error::FieldError;
use shared::servizio::FiltroServizi;
use shared::ApiError;

/// `GET` path of a sent form's receipt.
pub const RICEVUTA_PDF: &str = "/api/v1/campagne/{id}/comuni/{codice}/scheda/ricevuta.pdf";
/// `GET` path of a funds campaign's export as XLSX.
pub const ESPORTAZIONE_XLSX: &str = "/api/v1/campagne/{id}/esportazione.xlsx";
/// `GET` path of one sheet of a funds campaign's export as CSV.
pub const ESPORTAZIONE_CSV: &str = "/api/v1/campagne/{id}/esportazione.csv";

/// Every path these routes answer (all `GET`), for the API's route list.
pub const PERCORSI: [&str; 5] = [
    shared::routes::SERVIZI_CSV,
    shared::routes::SERVIZI_XLSX,
    RICEVUTA_PDF,
    ESPORTAZIONE_XLSX,
    ESPORTAZIONE_CSV,
];

/// The export routes.
pub fn routes() -> Router {
    Router::new()
        .route(
            shared::routes::SERVIZI_CSV,
            get(|s, h, q| esporta(s, h, q, export::csv)),
        )
        .route(
            shared::routes::SERVIZI_XLSX,
            get(|s, h, q| esporta(s, h, q, export::xlsx)),
        )
        .route(RICEVUTA_PDF, get(ricevuta))
        .route(ESPORTAZIONE_XLSX, get(esportazione_xlsx))
        .route(ESPORTAZIONE_CSV, get(esportazione_csv))
}

/// Which sheet of a campaign's export as CSV: `comuni` (default), `interventi`, `province`.
#[derive(serde::Deserialize)]
struct QualeFoglio {
    #[serde(default)]
    foglio: String,
}

async fn fogli_campagna(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<Vec<backend::export::Foglio>, ApiError> {
    let token = backend::cookies::token(headers);
    let user = auth::utente_operativo(state, token.as_deref()).await?;
    backend::service::campagne::esportazione_fondi(state, &user, id).await
}

/// `GET /api/v1/campagne/{id}/esportazione.xlsx`: comuni, interventions and provinces (Region).
async fn esportazione_xlsx(
    Extension(state): Extension<AppState>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    let esito = async {
        let fogli = fogli_campagna(&state, &headers, &id).await?;
        tokio::task::spawn_blocking(move || backend::export::xlsx_fogli("rilevazione.xlsx", &fogli))
            .await
            .map_err(|e| internal("esportazione", e))?
            .map_err(|e| internal("esportazione", e))
    }
    .await;
    match esito {
        Ok(file) => scaricabile(file),
        Err(e) => error_response(e),
    }
}

/// `GET /api/v1/campagne/{id}/esportazione.csv?foglio=comuni|interventi|province` (Region).
async fn esportazione_csv(
    Extension(state): Extension<AppState>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
    quale: Result<Query<QualeFoglio>, QueryRejection>,
) -> Response {
    let esito = async {
        let nome = quale.map(|q| q.0.foglio).unwrap_or_default();
        let nome = if nome.is_empty() {
            "comuni".to_owned()
        } else {
            nome
        };
        let fogli = fogli_campagna(&state, &headers, &id).await?;
        let foglio = fogli
            .into_iter()
            .find(|f| f.nome.to_lowercase() == nome)
            .ok_or(ApiError::NotFound)?;
        backend::export::csv_foglio(&format!("rilevazione-{nome}.csv"), &foglio)
            .map_err(|e| internal("esportazione", e))
    }
    .await;
    match esito {
        Ok(file) => scaricabile(file),
        Err(e) => error_response(e),
    }
}

/// `GET …/scheda/ricevuta.pdf`: the receipt of a sent form.
async fn ricevuta(
    Extension(state): Extension<AppState>,
    headers: HeaderMap,
    axum::extract::Path((id, codice)): axum::extract::Path<(String, String)>,
) -> Response {
    let token = backend::cookies::token(&headers);
    let esito = async {
        let user = auth::utente_operativo(&state, token.as_deref()).await?;
        backend::service::campagne::ricevuta_pdf(&state, &user, &id, &codice).await
    }
    .await;
    match esito {
        Ok(file) => scaricabile(file),
        Err(e) => error_response(e),
    }
}

/// A file as a download response.
fn scaricabile(file: File) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", file.nome);
    let mut res = file.contenuto.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

async fn esporta(
    Extension(state): Extension<AppState>,
    headers: HeaderMap,
    filtro: Result<Query<FiltroServizi>, QueryRejection>,
    formato: fn(&[shared::servizio::ServizioScheda]) -> anyhow::Result<File>,
) -> Response {
    match genera(&state, &headers, filtro, formato).await {
        Ok(file) => scaricabile(file),
        Err(e) => error_response(e),
    }
}

async fn genera(
    state: &AppState,
    headers: &HeaderMap,
    filtro: Result<Query<FiltroServizi>, QueryRejection>,
    formato: fn(&[shared::servizio::ServizioScheda]) -> anyhow::Result<File>,
) -> Result<File, ApiError> {
    let token = backend::cookies::token(headers);
    let user = auth::utente_operativo(state, token.as_deref()).await?;
    let Query(filtro) = filtro.map_err(|_| ApiError::Validation {
        fields: vec![FieldError::new(
            "richiesta",
            "richiesta.formato",
            "I filtri non sono nel formato atteso.",
        )],
    })?;
    let righe = servizi::tutti(state, &user, &filtro).await?;
    tokio::task::spawn_blocking(move || formato(&righe))
        .await
        .map_err(|e| internal("esportazione", e))?
        .map_err(|e| internal("esportazione", e))
}
