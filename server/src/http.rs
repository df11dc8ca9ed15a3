//! The HTTP layers every route sits behind, and serving: application state as an extension,
//! same-origin enforcement for state-changing requests, security headers, compression,
//! request tracing, and the listener (port 0 supported) with graceful shutdown.

use crate::state::AppState;
use crate::turni::{Rifiuto, Turni};
use axum::body::Body;
use axum::extract::State;
use axum::extract::{ConnectInfo, Request};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use shared::error::ErrorBody;
use shared::{ApiError, FieldError};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Wraps the application's router with state and the common layers.
pub fn wrap(router: Router, state: AppState) -> Router {
    let app = &state.settings.application;
    let carico = Carico::nuovo(
        app.richieste_contemporanee,
        app.richieste_in_attesa,
        Duration::from_secs(app.attesa_massima_secondi),
    );
    router
        .layer(middleware::from_fn(api_errors))
        .layer(middleware::from_fn(secondo_cookie))
        .layer(middleware::from_fn(limite_corpo))
        .layer(middleware::from_fn(same_origin))
        .layer(middleware::from_fn_with_state(carico, a_turno))
        .layer(Extension(state))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

/// Serves `router` on `listener` (client addresses recorded) until Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// The requests worked on at once and the longest wait for a turn
/// (`application.richieste_contemporanee`, `…_in_attesa`, `attesa_massima_secondi`).
#[derive(Clone)]
pub struct Carico {
    turni: Arc<Turni>,
    attesa: Duration,
}

impl Carico {
    /// `contemporanee` at once, `in_attesa` waiting at most `attesa` each.
    pub fn nuovo(contemporanee: usize, in_attesa: usize, attesa: Duration) -> Self {
        Carico {
            turni: Arc::new(Turni::nuovo(contemporanee, in_attesa)),
            attesa,
        }
    }
}

/// Seconds a client refused for load is asked to wait before trying again.
const RIPROVA_TRA_SECONDI: u64 = 2;

/// Whether a request is served without a turn: a static file (a `GET` or `HEAD` outside
/// `/api/` whose last segment has an extension, `/assets/app.css`, `/sw.js`) touches no
/// database and is answered from memory or disk at once.
pub fn senza_turno(metodo: &Method, percorso: &str) -> bool {
    matches!(*metodo, Method::GET | Method::HEAD)
        && !percorso.starts_with("/api/")
        && percorso.rsplit('/').next().is_some_and(|s| s.contains('.'))
}

/// Gives every request (static files aside, [`senza_turno`]) a turn before anything reads it:
/// at most `richieste_contemporanee` are worked on at once, the others wait in arrival order
/// with their bodies still unread on the connection. A deadline surge then costs queueing
/// time, not memory: measured on the deadline bench, 1,502 comuni saving at once held 1.1 GiB
/// with every request half done at the same time. A request that finds the queue full, or
/// waits longer than `attesa_massima_secondi`, is answered 503 with `Retry-After`: the client
/// keeps the draft on the device and sends it again (`shared::coda`: 503 is "retry").
/// The turn is held until the response's head is ready: a page streamed afterwards is not
/// counted.
pub async fn a_turno(State(carico): State<Carico>, req: Request, next: Next) -> Response {
    if senza_turno(req.method(), req.uri().path()) {
        return next.run(req).await;
    }
    match carico.turni.aspetta(Some(carico.attesa)).await {
        Ok(turno) => {
            let res = next.run(req).await;
            drop(turno);
            res
        }
        Err(motivo) => {
            tracing::warn!(
                ?motivo,
                in_attesa = carico.turni.in_attesa(),
                percorso = req.uri().path(),
                "richiesta rifiutata: troppe richieste in corso"
            );
            troppo_carico(req.uri().path().starts_with("/api/"), motivo)
        }
    }
}

/// The 503 of a request refused for load: the envelope for the API, a short page otherwise.
fn troppo_carico(api: bool, motivo: Rifiuto) -> Response {
    let message = match motivo {
        Rifiuto::CodaPiena => "Il servizio è molto carico in questo momento",
        Rifiuto::AttesaScaduta => "Il servizio è molto carico e non ha risposto in tempo",
    };
    let message = format!(
        "{message}: riprova tra qualche secondo. Le modifiche ai moduli restano salvate su \
         questo dispositivo e vengono inviate appena possibile."
    );
    let mut res = if api {
        let mut body = ErrorBody::from(ApiError::Unavailable);
        body.message = message;
        body.retry_after_secs = Some(RIPROVA_TRA_SECONDI);
        envelope(StatusCode::SERVICE_UNAVAILABLE, body)
    } else {
        let pagina = format!(
            "<!doctype html><html lang=\"it\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Servizio molto carico - Servizi 0-6</title></head><body>\
             <main><h1>Servizio molto carico</h1><p>{message}</p>\
             <p><a href=\"\">Riprova</a></p></main></body></html>"
        );
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            pagina,
        )
            .into_response()
    };
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RIPROVA_TRA_SECONDI));
    res
}

/// Refuses state-changing requests (anything but GET, HEAD, OPTIONS) that a browser marks as
/// coming from another site: a page elsewhere cannot make a logged-in browser act here.
/// Requests without these headers (curl, regional systems) are not browsers and pass.
async fn same_origin(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_site(req.headers()) {
        let mut body = ErrorBody::from(ApiError::Forbidden);
        body.message = "Richiesta rifiutata: proviene da un sito diverso da questo.".into();
        return envelope(StatusCode::FORBIDDEN, body);
    }
    next.run(req).await
}

/// The response header an endpoint sets for a second cookie: the framework's response
/// headers keep one value per name, so a second `Set-Cookie` travels under this name and
/// [`secondo_cookie`] turns it into a `Set-Cookie` of its own.
pub const SECONDO_COOKIE: &str = "x-servizi06-set-cookie";

async fn secondo_cookie(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if let Some(v) = res.headers_mut().remove(SECONDO_COOKIE) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// The largest body a route accepts: small where only a few fields travel (login, account
/// steps), sized for a form where a comune's whole form travels, larger for the CSV imports.
pub fn limite_corpo_di(metodo: &Method, percorso: &str) -> usize {
    const KB: usize = 1024;
    if matches!(*metodo, Method::GET | Method::HEAD | Method::OPTIONS) {
        return 16 * KB;
    }
    if percorso.starts_with("/api/v1/auth/") || percorso == "/accesso/entra" {
        return 16 * KB;
    }
    if percorso.starts_with("/api/v1/riparti/") || percorso.ends_with("/importazione") {
        return 8 * 1024 * KB;
    }
    if percorso.starts_with("/api/v1/campagne") || percorso.starts_with("/api/v1/comuni/") {
        return 1024 * KB;
    }
    256 * KB
}

/// Refuses a body larger than its route's limit ([`limite_corpo_di`]) with 413 in the
/// envelope, before anything parses it: by its declared length at once, and a chunked or
/// lying body as soon as it has sent one byte too many.
async fn limite_corpo(req: Request, next: Next) -> Response {
    let limite = limite_corpo_di(req.method(), req.uri().path());
    let troppo = || {
        let mut e = rifiuto_del_framework(StatusCode::PAYLOAD_TOO_LARGE);
        e.message = format!(
            "La richiesta è troppo grande: per questa operazione al massimo {} KB.",
            limite / 1024
        );
        envelope(StatusCode::PAYLOAD_TOO_LARGE, e)
    };
    let dichiarata = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if dichiarata.is_some_and(|n| n > limite as u64) {
        return troppo();
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, limite).await {
        Ok(b) => b,
        Err(_) => return troppo(),
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// An error response in the envelope every endpoint uses:
/// `{"message": <Italian>, "code": <status>, "data": {"code", "message", …}}`.
pub fn error_response(error: ApiError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    envelope(status, ErrorBody::from(error))
}

fn envelope(status: StatusCode, body: ErrorBody) -> Response {
    let json = serde_json::json!({
        "message": body.message,
        "code": status.as_u16(),
        "data": body,
    });
    (status, axum::Json(json)).into_response()
}

/// Keeps every `/api/` answer in the error envelope, with no framework text: a request body
/// the framework cannot decode becomes a 422, any other framework failure a 500 with an id
/// (details only in the log), and an unknown API path a JSON 404 instead of a page.
async fn api_errors(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let res = next.run(req).await;
    let status = res.status();
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        return error_response(ApiError::NotFound);
    }
    if !status.is_server_error() && !status.is_client_error() {
        return res;
    }
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 256 * 1024)
        .await
        .unwrap_or_default();
    let ours = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| {
            v.get("data")
                .and_then(|d| d.get("code"))
                .map(|c| c.is_string())
        })
        .unwrap_or(false);
    if ours {
        return Response::from_parts(parts, Body::from(bytes));
    }
    if status.is_client_error() {
        // A refusal by the framework itself (wrong method, body too large or not JSON…):
        // the same status, in the envelope, in Italian; its headers (`Allow`) kept.
        let mut res = envelope(status, rifiuto_del_framework(status));
        for (nome, valore) in &parts.headers {
            if nome != header::CONTENT_TYPE && nome != header::CONTENT_LENGTH {
                res.headers_mut().insert(nome.clone(), valore.clone());
            }
        }
        return res;
    }
    let text = String::from_utf8_lossy(&bytes);
    if text.contains("error deserializing") || text.contains("missing argument") {
        tracing::info!(%text, "richiesta non decodificabile");
        return error_response(ApiError::Validation {
            fields: vec![FieldError::new(
                "richiesta",
                "richiesta.formato",
                "La richiesta non è nel formato atteso.",
            )],
        });
    }
    error_response(crate::service::internal("framework", text))
}

/// The error body of a request the framework refused before any endpoint ran.
fn rifiuto_del_framework(status: StatusCode) -> ErrorBody {
    let (code, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            "metodo_non_consentito",
            "Operazione non prevista per questo indirizzo.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => {
            ("richiesta_troppo_grande", "La richiesta è troppo grande.")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "formato_non_supportato",
            "Formato della richiesta non supportato: invia JSON.",
        ),
        StatusCode::NOT_FOUND => ("non_trovato", "La risorsa richiesta non esiste."),
        _ => (
            "richiesta_non_valida",
            "La richiesta non è nel formato atteso.",
        ),
    };
    ErrorBody {
        code: code.to_owned(),
        message: message.to_owned(),
        fields: Vec::new(),
        id: None,
        retry_after_secs: None,
    }
}

/// Whether the browser says the request comes from another origin.
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return true;
        }
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .unwrap_or("");
    origin_host != host
}

/// The client's address: the connection's peer, or the first `X-Forwarded-For` hop when the
/// app runs behind a trusted proxy (`application.trust_forwarded_for`).
pub fn client_address(
    headers: &HeaderMap,
    peer: Option<&ConnectInfo<SocketAddr>>,
    trust_forwarded_for: bool,
) -> Option<IpAddr> {
    if trust_forwarded_for {
        let forwarded = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    peer.map(|ConnectInfo(addr)| addr.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_files_need_no_turn_everything_else_does() {
        let get = Method::GET;
        assert!(senza_turno(&get, "/assets/app-1a2b.css"));
        assert!(senza_turno(&get, "/sw.js"));
        assert!(senza_turno(&Method::HEAD, "/wasm/app_bg.wasm"));
        assert!(!senza_turno(&get, "/"));
        assert!(!senza_turno(&get, "/area-riservata"));
        assert!(!senza_turno(
            &get,
            "/api/v1/campagne/c/comuni/001001/scheda"
        ));
        assert!(!senza_turno(&get, "/api/v1/esportazioni/servizi.csv"));
        assert!(!senza_turno(&Method::POST, "/assets/app.css"));
    }

    /// One turn, one place in the queue, a 200 ms wait: a request that keeps its turn makes
    /// the next wait and be served when it ends, the one after that find the queue full (503
    /// in the envelope, `Retry-After`), and one that waits too long get 503 too; a page gets
    /// the refusal as a page; static files pass while every turn is taken.
    #[tokio::test]
    async fn requests_beyond_the_turns_wait_and_beyond_the_queue_get_503() {
        use axum::routing::get;
        use tower::ServiceExt;
        // A gate the slow handler waits at until the test closes it (then it passes at once).
        let cancello = Arc::new(tokio::sync::Semaphore::new(0));
        let lento = {
            let cancello = cancello.clone();
            move || {
                let cancello = cancello.clone();
                async move {
                    let _ = cancello.acquire().await;
                    "fatto"
                }
            }
        };
        let carico = Carico::nuovo(1, 1, Duration::from_millis(200));
        let app = Router::new()
            .route("/api/lento", get(lento.clone()))
            .route("/pagina", get(lento))
            .route("/assets/a.css", get(|| async { "css" }))
            .layer(middleware::from_fn_with_state(carico.clone(), a_turno));
        let richiesta = |p: &str| {
            axum::http::Request::builder()
                .uri(p)
                .body(Body::empty())
                .unwrap()
        };
        let primo = tokio::spawn(app.clone().oneshot(richiesta("/api/lento")));
        while carico.turni.liberi() > 0 {
            tokio::task::yield_now().await;
        }
        let secondo = tokio::spawn(app.clone().oneshot(richiesta("/api/lento")));
        while carico.turni.in_attesa() == 0 {
            tokio::task::yield_now().await;
        }
        let pieno = app.clone().oneshot(richiesta("/api/lento")).await.unwrap();
        assert_eq!(pieno.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(pieno.headers()[header::RETRY_AFTER], "2");
        let corpo = axum::body::to_bytes(pieno.into_body(), 4096).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&corpo).unwrap();
        assert_eq!(v["data"]["code"], "non_disponibile");
        assert_eq!(v["data"]["retry_after_secs"], 2);
        assert!(v["message"].as_str().unwrap().contains("molto carico"));
        let css = app
            .clone()
            .oneshot(richiesta("/assets/a.css"))
            .await
            .unwrap();
        assert_eq!(css.status(), StatusCode::OK);
        // The waiting one runs out of time: 503 as a page for a page.
        let pagina = secondo.await.unwrap().unwrap();
        assert_eq!(pagina.status(), StatusCode::SERVICE_UNAVAILABLE);
        let pagina = app.clone().oneshot(richiesta("/pagina")).await.unwrap();
        assert_eq!(pagina.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(pagina.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        // Within the wait, a request gets the turn as soon as it is given back.
        let terzo = tokio::spawn(app.clone().oneshot(richiesta("/api/lento")));
        while carico.turni.in_attesa() == 0 {
            tokio::task::yield_now().await;
        }
        cancello.close();
        assert_eq!(primo.await.unwrap().unwrap().status(), StatusCode::OK);
        assert_eq!(terzo.await.unwrap().unwrap().status(), StatusCode::OK);
        assert_eq!(carico.turni.liberi(), 1);
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_requests_are_recognised() {
        type Case<'a> = (&'a [(&'a str, &'a str)], bool, &'a str);
        let cases: &[Case] = &[
            (&[], false, "no browser headers (curl)"),
            (
                &[("host", "a.it"), ("origin", "http://a.it")],
                false,
                "same origin",
            ),
            (
                &[("host", "a.it"), ("origin", "https://a.it")],
                false,
                "same origin over https",
            ),
            (
                &[("host", "a.it"), ("origin", "http://evil.it")],
                true,
                "other origin",
            ),
            (
                &[("host", "a.it"), ("origin", "null")],
                true,
                "opaque origin",
            ),
            (
                &[("sec-fetch-site", "cross-site")],
                true,
                "fetch metadata cross-site",
            ),
            (
                &[("sec-fetch-site", "same-site")],
                true,
                "fetch metadata same-site",
            ),
            (
                &[("sec-fetch-site", "same-origin")],
                false,
                "fetch metadata same-origin",
            ),
        ];
        for (pairs, expected, why) in cases {
            assert_eq!(is_cross_site(&headers(pairs)), *expected, "{why}");
        }
    }

    #[test]
    fn forwarded_addresses_are_used_only_when_trusted() {
        let h = headers(&[("x-forwarded-for", "203.0.113.7, 10.0.0.1")]);
        let peer = ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 9)));
        assert_eq!(
            client_address(&h, Some(&peer), true),
            Some("203.0.113.7".parse().unwrap())
        );
        assert_eq!(
            client_address(&h, Some(&peer), false),
            Some("127.0.0.1".parse().unwrap())
        );
        assert_eq!(client_address(&HeaderMap::new(), None, false), None);
    }
}
