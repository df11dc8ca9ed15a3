//! `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`, `GET /api/v1/auth/me`.

use super::ApiResult;
use dioxus::prelude::*;
use shared::auth::UtenteCorrente;

/// Logs in with username and password (JSON `{"username","password"}`); sets the session
/// cookie and returns the user. 422 for malformed input, 401 for wrong credentials, 429 when
/// too many attempts failed.
#[post("/api/v1/auth/login")]
pub async fn login(username: String, password: String) -> ApiResult<UtenteCorrente> {
    use backend::service::auth;
    use shared::auth::{Credentials, LoginForm};
    let credentials = Credentials::parse(&LoginForm { username, password })?;
    let state = super::request::state()?;
    let address = super::request::client_address(&state);
    let dispositivo = super::request::device_token();
    let session = auth::login(&state, credentials, address, dispositivo.as_deref()).await?;
    let secure = state.settings.secure_cookies();
    super::request::set_cookie(&backend::cookies::session(
        &session.token,
        session.max_age,
        secure,
    ))?;
    if let Some(d) = &session.dispositivo {
        super::request::set_secondo_cookie(&backend::cookies::device(d, secure))?;
    }
    Ok(session.utente)
}

/// Ends the current session server-side and clears the cookie.
#[post("/api/v1/auth/logout")]
pub async fn logout() -> ApiResult<()> {
    let state = super::request::state()?;
    let token = super::request::session_token();
    backend::service::auth::logout(&state, token.as_deref()).await?;
    super::request::set_cookie(&backend::cookies::cleared(state.settings.secure_cookies()))?;
    Ok(())
}

/// The user of the current session; 401 without a valid session.
#[get("/api/v1/auth/me")]
pub async fn me() -> ApiResult<UtenteCorrente> {
    let state = super::request::state()?;
    super::request::current_user(&state).await
}
