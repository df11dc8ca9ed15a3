//! Integration tests: HTTP against `spawn_app()` and browser end-to-end in headless Chromium.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accessi;
mod api_account;
mod api_auth;
mod api_campagne;
mod api_comuni;
mod api_contratto;
mod api_fondi;
mod api_fondi_ciclo;
mod api_health;
mod api_idempotenza;
mod api_posta;
mod api_servizi;
mod api_sito;
mod browser;
mod campagne_prova;
mod conti;
mod durabilita;
mod helpers;
mod iniezioni;
mod ostili;
mod produzione;
mod smtp;
