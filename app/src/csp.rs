//! The Content-Security-Policy of the HTML pages, with the framing and permissions headers.
//!
//! Scripts run only from this site and, inline, only those the app itself writes: each page's
//! inline scripts are hashed into its policy **when their text is one the app writes** — the
//! loader of the client build and the framework's streaming setup (texts known at start), the
//! record of what is typed before start ([`crate::components::field::REGISTRA_DIGITATO`]) and
//! the hydration data (`window.initial_dioxus_hydration_data="<base64>";`, plus in debug builds
//! two JSON arrays). A script injected into a page matches none of these and does not run,
//! and nothing in the page is rewritten. `'unsafe-eval'` stays because Dioxus 0.7's document
//! evaluator (`document::Title` and friends on the client) runs through `new Function`;
//! `'wasm-unsafe-eval'` compiles the WebAssembly.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// The largest page the policy is computed for (bigger pages are not expected; they get the
/// policy with no inline script allowed).
const PAGINA_MAX: usize = 4 * 1024 * 1024;

/// The inline scripts' texts known when the server starts.
fn testi_noti() -> &'static Vec<String> {
    static NOTI: OnceLock<Vec<String>> = OnceLock::new();
    NOTI.get_or_init(|| {
        let mut v = vec![
            dioxus_interpreter_js::INITIALIZE_STREAMING_JS.to_owned(),
            crate::components::field::REGISTRA_DIGITATO.to_owned(),
        ];
        if let Some(dir) = backend::offline::cartella_public() {
            if let Ok(html) = std::fs::read_to_string(dir.join("index.html")) {
                v.extend(script_in_linea(&html).into_iter().map(str::to_owned));
            }
        }
        v
    })
}

/// The text of every inline `<script>` (no `src`) of a page, in order.
pub fn script_in_linea(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut resto = html;
    while let Some(i) = resto.find("<script") {
        let dopo = &resto[i + 7..];
        let Some(fine_tag) = dopo.find('>') else {
            break;
        };
        let attributi = &dopo[..fine_tag];
        let corpo = &dopo[fine_tag + 1..];
        let Some(chiusura) = corpo.find("</script>") else {
            break;
        };
        if !attributi.contains("src=") {
            out.push(&corpo[..chiusura]);
        }
        resto = &corpo[chiusura + 9..];
    }
    out
}

/// Whether an inline script's text is one the app writes.
pub fn ammesso(testo: &str, noti: &[String]) -> bool {
    noti.iter().any(|n| n == testo) || dati_di_idratazione(testo)
}

/// `window.initial_dioxus_hydration_data="<base64>";`, optionally followed (debug builds) by
/// `window.initial_dioxus_hydration_debug_types=<JSON>;window.initial_dioxus_hydration_debug_locations=<JSON>;`.
fn dati_di_idratazione(testo: &str) -> bool {
    let Some(r) = testo.strip_prefix("window.initial_dioxus_hydration_data=\"") else {
        return false;
    };
    let Some(fine) = r.find("\";") else {
        return false;
    };
    let (dati, resto) = (&r[..fine], &r[fine + 2..]);
    if !dati
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'))
    {
        return false;
    }
    if resto.is_empty() {
        return true;
    }
    let Some(r) = resto.strip_prefix("window.initial_dioxus_hydration_debug_types=") else {
        return false;
    };
    let Some((tipi, r)) = r.split_once(";window.initial_dioxus_hydration_debug_locations=") else {
        return false;
    };
    let Some(luoghi) = r.strip_suffix(';') else {
        return false;
    };
    serde_json::from_str::<Vec<serde_json::Value>>(tipi).is_ok()
        && serde_json::from_str::<Vec<serde_json::Value>>(luoghi).is_ok()
}

/// The policy of a page whose allowed inline scripts hash to `hash`.
pub fn politica(hash: &[String]) -> String {
    let script: String = hash.iter().map(|h| format!(" 'sha256-{h}'")).collect();
    format!(
        "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'{script}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
    )
}

/// Adds the policy, `X-Frame-Options` and `Permissions-Policy` to every HTML answer.
pub async fn intestazioni(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let (corpo, hash) = match axum::body::to_bytes(body, PAGINA_MAX).await {
        Ok(b) => {
            let testo = String::from_utf8_lossy(&b);
            let noti = testi_noti();
            let mut hash: Vec<String> = script_in_linea(&testo)
                .into_iter()
                .filter(|s| ammesso(s, noti))
                .map(|s| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s)))
                .collect();
            hash.sort();
            hash.dedup();
            (Body::from(b), hash)
        }
        Err(_) => (Body::empty(), Vec::new()),
    };
    let h = &mut parts.headers;
    if let Ok(v) = HeaderValue::from_str(&politica(&hash)) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static(
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        ),
    );
    h.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, corpo)
}
