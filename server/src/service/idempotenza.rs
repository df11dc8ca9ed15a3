//! Idempotency keys: a client that may retry a write (the offline queue, after a lost answer or
//! on reconnect) sends a key with it. The key is recorded in the write's own transaction, so a
//! write retried with the same key is applied once and answered as if it were the first time;
//! the same key on another user's or another record's write is refused.

use crate::state::AppState;
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
    /// The key sent with a write, if any: 8 to 64 letters, digits or `-` (a UUID fits), else 422.
    pub fn da(
        chiave: Option<&str>,
        user: &UtenteCorrente,
        operazione: &'static str,
        oggetto: &str,
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
        Ok(Some(Chiave {
            chiave: c.to_owned(),
            utente: user.username.clone(),
            operazione,
            oggetto: oggetto.to_owned(),
        }))
    }

    /// Whether this key was already applied (422 if it names another user's or record's write).
    pub async fn uso(&self, state: &AppState) -> Result<Uso, ApiError> {
        let Some(r) = state.store.idempotenza(&self.chiave).await? else {
            return Ok(Uso::Nuova);
        };
        if r["utente"] == self.utente.as_str()
            && r["operazione"] == self.operazione
            && r["oggetto"] == self.oggetto.as_str()
        {
            Ok(Uso::GiaApplicata)
        } else {
            Err(ApiError::Validation {
                fields: vec![shared::FieldError::new(
                    "chiave",
                    "chiave.riusata",
                    "Questa chiave di idempotenza è già stata usata per un'altra operazione.",
                )],
            })
        }
    }
}

/// The statement parameters `$k` of [`crate::store::REGISTRA_CHIAVE`] (no key: `chiave` null).
pub fn parametri(c: &Option<Chiave>) -> Json {
    match c {
        Some(c) => serde_json::json!({ "chiave": c.chiave, "utente": c.utente,
                                       "operazione": c.operazione, "oggetto": c.oggetto }),
        None => serde_json::json!({ "chiave": null }),
    }
}

/// Whether `c` was already applied (no key: never).
pub async fn gia_applicata(state: &AppState, c: &Option<Chiave>) -> Result<bool, ApiError> {
    match c {
        Some(c) => Ok(c.uso(state).await? == Uso::GiaApplicata),
        None => Ok(false),
    }
}
