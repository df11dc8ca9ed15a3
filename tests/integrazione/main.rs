//! Integration tests: HTTP against `spawn_app()` and browser end-to-end in headless Chromium.

mod api_auth;
mod api_comuni;
mod api_health;
mod browser;
mod helpers;
