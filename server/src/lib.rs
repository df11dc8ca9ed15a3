//! Servizi 0-6 back end: configuration, start-up, services, SurrealDB store, authentication.
//! Native only: never compiled to wasm.

pub mod cli;
pub mod config;
pub mod cookies;
pub mod export;
pub mod http;
pub mod istat;
pub mod offline;
pub mod password;
pub mod pdf;
pub mod service;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod turni;

pub use state::AppState;
