//! Offline work: what the device keeps for the signed-in user (drafts as typed, copies of the
//! data last read, the queue of writes not yet accepted by the server) in IndexedDB, the queue's
//! sending (on start, when the connection returns, with growing waits), the service worker and
//! its updates, and the state every page shows (online, changes not yet sent, last sync).
//! On the server (rendering) every function is a no-op: there is no device there.

pub mod scheda;
pub mod stato;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use shared::coda::Coda;

#[cfg(feature = "web")]
pub(crate) mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/offline/locale.js")]
    extern "C" {
        #[wasm_bindgen(catch)]
        pub async fn leggi(utente: &str, archivio: &str, chiave: &str) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch)]
        pub async fn scrivi(
            utente: &str,
            archivio: &str,
            chiave: &str,
            valore: &str,
        ) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch)]
        pub async fn aggiorna(
            utente: &str,
            archivio: &str,
            chiave: &str,
            cambia: &Closure<dyn FnMut(JsValue) -> JsValue>,
        ) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch)]
        pub async fn dimentica(utente: &str) -> Result<JsValue, JsValue>;
        pub fn registra_sw(nuova_versione: &Closure<dyn FnMut()>);
        #[wasm_bindgen(catch)]
        pub async fn attiva_nuova_versione() -> Result<JsValue, JsValue>;
        pub fn memorizza_pagina(url: &str);
        pub fn in_linea() -> bool;
        pub fn su_rete(cambiato: &Closure<dyn FnMut(bool)>);
        pub fn nuova_chiave() -> String;
        pub fn blocca(
            nome: &str,
            ottenuto: &Closure<dyn FnMut()>,
            occupato: &Closure<dyn FnMut()>,
        ) -> u32;
        pub fn rilascia(id: u32);
    }
}

/// A form's draft as typed, kept on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bozza<T> {
    /// The values as typed.
    pub dati: T,
    /// The version of the record they were typed on.
    pub versione: u64,
    /// When (ms since 1970, device clock).
    pub quando: i64,
}

/// Now in ms since 1970 (device clock: only to show and order local things).
pub fn adesso_ms() -> i64 {
    crate::components::ora::adesso().timestamp_millis()
}

/// A new idempotency key.
pub fn nuova_chiave() -> String {
    #[cfg(feature = "web")]
    return js::nuova_chiave();
    #[cfg(not(feature = "web"))]
    String::new()
}

/// Whether the browser says it is online (always true on the server).
#[cfg_attr(not(feature = "web"), allow(dead_code))]
pub fn in_linea() -> bool {
    #[cfg(feature = "web")]
    return js::in_linea();
    #[cfg(not(feature = "web"))]
    true
}

#[cfg_attr(not(feature = "web"), allow(unused_variables))]
async fn leggi_testo(utente: &str, archivio: &str, chiave: &str) -> Option<String> {
    #[cfg(feature = "web")]
    return js::leggi(utente, archivio, chiave)
        .await
        .ok()
        .and_then(|v| v.as_string());
    #[cfg(not(feature = "web"))]
    None
}

#[cfg_attr(not(feature = "web"), allow(unused_variables))]
async fn scrivi_testo(utente: &str, archivio: &str, chiave: &str, valore: &str) -> bool {
    #[cfg(feature = "web")]
    return js::scrivi(utente, archivio, chiave, valore).await.is_ok();
    #[cfg(not(feature = "web"))]
    false
}

/// Reads a JSON value the device keeps (`archivio`: `bozze` or `copie`).
pub async fn leggi<T: DeserializeOwned>(utente: &str, archivio: &str, chiave: &str) -> Option<T> {
    serde_json::from_str(&leggi_testo(utente, archivio, chiave).await?).ok()
}

/// Keeps a JSON value on the device; false if it could not (storage full or disabled).
pub async fn scrivi<T: Serialize>(utente: &str, archivio: &str, chiave: &str, valore: &T) -> bool {
    match serde_json::to_string(valore) {
        Ok(t) => scrivi_testo(utente, archivio, chiave, &t).await,
        Err(_) => false,
    }
}

/// The user's queue as stored.
pub async fn coda(utente: &str) -> Coda {
    leggi(utente, "coda", "coda").await.unwrap_or_default()
}

/// Changes the user's queue in one IndexedDB transaction (other tabs' changes are never lost)
/// and returns it as stored.
#[cfg_attr(not(feature = "web"), allow(unused_variables, unused_mut))]
#[cfg_attr(feature = "web", allow(clippy::needless_return))]
pub async fn modifica_coda(utente: &str, mut cambia: impl FnMut(&mut Coda) + 'static) -> Coda {
    #[cfg(feature = "web")]
    {
        use wasm_bindgen::prelude::*;
        let chiusura: Closure<dyn FnMut(JsValue) -> JsValue> = Closure::new(move |v: JsValue| {
            let mut c: Coda = v
                .as_string()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
            cambia(&mut c);
            JsValue::from_str(&serde_json::to_string(&c).unwrap_or_default())
        });
        let r = js::aggiorna(utente, "coda", "coda", &chiusura).await;
        return r
            .ok()
            .and_then(|v| v.as_string())
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
    }
    #[cfg(not(feature = "web"))]
    Coda::default()
}

/// Forgets everything this device keeps for `utente` (database and cached pages).
#[cfg_attr(not(feature = "web"), allow(unused_variables))]
pub async fn dimentica(utente: &str) {
    #[cfg(feature = "web")]
    let _ = js::dimentica(utente).await;
}

/// Asks the service worker to keep the page at `url` for offline use.
#[cfg_attr(not(feature = "web"), allow(unused_variables))]
pub fn memorizza_pagina(url: &str) {
    #[cfg(feature = "web")]
    js::memorizza_pagina(url);
}
