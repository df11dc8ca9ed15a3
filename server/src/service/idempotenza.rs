//! Idempotency keys: a client that may retry a write (the offline queue, after a lost answer or
//! on reconnect) sends a key with it. The key is recorded in the write's own transaction, so a
//! write retried with the same key is applied once and answered as if it were the first time;
//! the same key on another user's, another record's or another body's write is refused (422),
//! never answered with another write's result.

use crate::state::AppState;
use crate::store::ChiaveScritta;
use serde_json::Value as Json;
use shared::auth::UtenteCorrente;
use shared::ApiError;

/// A checked key for one write.
#[derive(Debug, Clone)]
pub struct Chiave {
    chiave: String,
    utente: String,
    operazione: &'static str,
    oggetto: String,
    /// SHA-256 (hex) of the request's body, in canonical form.
    impronta: String,
}

/// Whether a key was already used for this very write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uso {
    /// Not recorded: apply the write (it records the key).
    Nuova,
    /// Recorded by this user for this write: answer without applying it again.
    GiaApplicata,
}

impl Chiave {
    /// The key sent with a write, if any: 8 to 64 letters, digits or `-` (a UUID fits), else
    /// 422. `corpo` is what the write applies (with the version it applies to): the same key
    /// with another body is another write.
    pub fn da(
        chiave: Option<&str>,
        user: &UtenteCorrente,
        operazione: &'static str,
        oggetto: &str,
        corpo: &impl serde::Serialize,
    ) -> Result<Option<Self>, ApiError> {
        let Some(c) = chiave.filter(|c| !c.is_empty()) else {
            return Ok(None);
        };
        if !(8..=64).contains(&c.len())
            || !c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(ApiError::Validation {
                fields: vec![shared::FieldError::new(
                    "chiave",
                    "chiave.formato",
                    "Chiave di idempotenza non valida: da 8 a 64 lettere, cifre o trattini.",
                )],
            });
        }
        let impronta = {
            use sha2::Digest;
            let v = serde_json::to_value(corpo).unwrap_or(Json::Null);
            hex::encode(sha2::Sha256::digest(canonico(&v).as_bytes()))
        };
        Ok(Some(Chiave {
            chiave: c.to_owned(),
            utente: user.username.clone(),
            operazione,
            oggetto: oggetto.to_owned(),
            impronta,
        }))
    }

    /// The key as the client sent it.
    pub fn testo(&self) -> &str {
        &self.chiave
    }

    /// Whether this key was already applied (422 if it names another user's or record's write).
    pub async fn uso(&self, state: &AppState) -> Result<Uso, ApiError> {
        let Some(r) = state.store.idempotenza(&self.chiave).await? else {
            return Ok(Uso::Nuova);
        };
        // Keys recorded before fingerprints existed match on the rest.
        let stesso_corpo = r.impronta.as_ref().is_none_or(|i| *i == self.impronta);
        if r.utente == self.utente
            && r.operazione == self.operazione
            && r.oggetto == self.oggetto
            && stesso_corpo
        {
            Ok(Uso::GiaApplicata)
        } else {
            Err(ApiError::Validation {
                fields: vec![shared::FieldError::new(
                    "chiave",
                    "chiave.riusata",
                    "Questa chiave di idempotenza è già stata usata per un'altra operazione: \
                     ogni operazione ha la sua chiave.",
                )],
            })
        }
    }
}

/// The statement parameters `$k` of [`crate::store::REGISTRA_CHIAVE`] (no key: `chiave` none).
pub fn parametri(c: &Option<Chiave>) -> ChiaveScritta {
    match c {
        Some(c) => ChiaveScritta {
            chiave: Some(c.chiave.clone()),
            utente: c.utente.clone(),
            operazione: c.operazione.to_owned(),
            oggetto: c.oggetto.clone(),
            impronta: c.impronta.clone(),
        },
        None => ChiaveScritta::default(),
    }
}

/// Whether `c` was already applied (no key: never).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn gia_applicata(state: &AppState, c: &Option<Chiave>) -> Result<bool, ApiError> {
    match c {
        Some(c) => Ok(c.uso(state).await? == Uso::GiaApplicata),
        None => Ok(false),
    }
}

/// JSON text with every object's keys sorted: equal values, equal text.
fn canonico(v: &Json) -> String {
    match v {
        Json::Object(m) => {
            let mut chiavi: Vec<&String> = m.keys().collect();
            chiavi.sort();
            let parti: Vec<String> = chiavi
                .into_iter()
                .map(|k| format!("{}:{}", Json::String(k.clone()), canonico(&m[k])))
                .collect();
            format!("{{{}}}", parti.join(","))
        }
        Json::Array(a) => format!("[{}]", a.iter().map(canonico).collect::<Vec<_>>().join(",")),
        altro => altro.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_text_ignores_key_order_only() {
        let a = serde_json::json!({ "b": 1, "a": [ { "y": 2, "x": "é" } ] });
        let b = serde_json::json!({ "a": [ { "x": "é", "y": 2 } ], "b": 1 });
        assert_eq!(canonico(&a), canonico(&b));
        assert_ne!(
            canonico(&a),
            canonico(&serde_json::json!({ "a": [], "b": 1 }))
        );
    }
}
