//! What the browser and the server must agree on: form DTOs, domain types built only through
//! their rules, the API error type and the HTTP routes. No I/O here: this crate builds for
//! `wasm32-unknown-unknown` (instant checks in the browser) and natively (the server re-checks).

pub mod account;
pub mod auth;
pub mod campagna;
pub mod coda;
pub mod codici;
pub mod comune;
pub mod denaro;
pub mod email;
pub mod error;
pub mod fiscale;
pub mod fondi;
pub mod fondi_inviati;
pub mod frequentanti;
pub mod health;
pub mod password;
pub mod registrazione;
pub mod routes;
pub mod servizio;
pub mod sito;
pub mod tempo;
pub mod text;
pub mod utente;

pub use error::{ApiError, FieldError};

#[cfg(test)]
mod test_robustezza;
