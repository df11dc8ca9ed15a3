//! Services: plain async functions, domain types in, domain types out, [`ApiError`] on failure.
//! Endpoints call exactly one of these; tests call them directly.

pub mod account;
pub mod amministratore;
pub mod apertura;
pub mod auth;
pub mod campagne;
pub mod comuni;
pub mod demo;
pub mod demo_servizi;
pub mod fondi;
pub mod idempotenza;
pub mod indice_servizi;
pub mod posta;
pub mod registrazioni;
pub mod riferimenti;
pub mod servizi;
pub mod sito;
pub mod utenti;

use crate::store::StoreError;
use shared::auth::{Ruolo, UtenteCorrente};
use shared::ApiError;

/// Regional roles only (403 otherwise).
pub(crate) fn solo_regione(user: &UtenteCorrente) -> Result<(), ApiError> {
    match user.ruolo {
        Ruolo::FunzionarioRegionale | Ruolo::Amministratore => Ok(()),
        _ => Err(ApiError::Forbidden),
    }
}

/// Logs an internal failure under a fresh id and returns the error that carries only the id.
pub fn internal(context: &str, error: impl std::fmt::Display) -> ApiError {
    let id = uuid::Uuid::new_v4().simple().to_string()[..12].to_uppercase();
    tracing::error!(error_id = %id, context, %error, "internal error");
    ApiError::Internal { id }
}

/// Every core busy hashing passwords and the queue full: 429, try again in a second.
impl From<crate::password::Errore> for ApiError {
    fn from(e: crate::password::Errore) -> Self {
        match e {
            crate::password::Errore::Occupato => ApiError::TooManyRequests {
                retry_after_secs: 1,
            },
            e => internal("password", e),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        internal("store", e)
    }
}
