//! The public HTTP API (`/api/v1/…`): thin endpoints that parse input with `shared`, call one
//! `server` service and map its error. Paths are stable and documented in the README.

pub mod account;
pub mod auth;
pub mod campagne;
pub mod comuni;
pub mod error;
#[cfg(feature = "server")]
pub mod export;
pub mod fondi;
pub mod health;
#[cfg(feature = "server")]
pub mod openapi;
pub mod posta;
pub mod registrazioni;
#[cfg(feature = "server")]
mod request;
pub mod servizi;
pub mod sito;
pub mod utenti;

pub use error::{ApiResult, AppError};
