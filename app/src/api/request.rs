//! Server-side access to the current request: application state, session token, client
//! address, response cookies.

use super::AppError;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderValue};
use backend::service::{auth, internal};
use backend::AppState;
use dioxus::fullstack::FullstackContext;
use shared::auth::UtenteCorrente;
use std::net::{IpAddr, SocketAddr};

fn context() -> Result<FullstackContext, AppError> {
    FullstackContext::current().ok_or_else(|| internal("richiesta", "nessun contesto").into())
}

/// The application state the router was built with.
pub fn state() -> Result<AppState, AppError> {
    context()?
        .extension::<AppState>()
        .ok_or_else(|| internal("richiesta", "stato applicazione assente").into())
}

/// The session token from the request's cookie.
pub fn session_token() -> Option<String> {
    let ctx = FullstackContext::current()?;
    let parts = ctx.parts_mut();
    backend::cookies::token(&parts.headers)
}

/// The device token from the request's cookie (a browser where an account signed in).
pub fn device_token() -> Option<String> {
    let ctx = FullstackContext::current()?;
    let parts = ctx.parts_mut();
    backend::cookies::device_token(&parts.headers)
}

/// The client's address (peer, or `X-Forwarded-For` behind a trusted proxy).
pub fn client_address(state: &AppState) -> Option<IpAddr> {
    let ctx = FullstackContext::current()?;
    let parts = ctx.parts_mut();
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>();
    backend::http::client_address(
        &parts.headers,
        peer,
        state.settings.application.trust_forwarded_for,
    )
}

/// The signed-in user, or 401.
pub async fn current_user(state: &AppState) -> Result<UtenteCorrente, AppError> {
    let token = session_token();
    Ok(auth::current_user(state, token.as_deref()).await?)
}

/// The application state and the signed-in user (401 without a valid session; 403
/// `cambio_password` while the user must first choose a new password): what every endpoint
/// behind login starts with.
pub async fn sessione() -> Result<(AppState, UtenteCorrente), AppError> {
    let state = state()?;
    let token = session_token();
    let user = auth::utente_operativo(&state, token.as_deref()).await?;
    Ok((state, user))
}

/// [`sessione`] for the few endpoints a user who must change the password may call: the
/// change itself (and `me`, logout).
pub async fn sessione_anche_da_cambiare() -> Result<(AppState, UtenteCorrente), AppError> {
    let state = state()?;
    let user = current_user(&state).await?;
    Ok((state, user))
}

/// Sets a second cookie on the response (after [`set_cookie`]).
pub fn set_secondo_cookie(value: &str) -> Result<(), AppError> {
    let value = HeaderValue::from_str(value).map_err(|e| AppError::from(internal("cookie", e)))?;
    context()?.add_response_header(
        axum::http::HeaderName::from_static(backend::http::SECONDO_COOKIE),
        value,
    );
    Ok(())
}

/// Sets a cookie on the response.
pub fn set_cookie(value: &str) -> Result<(), AppError> {
    let value = HeaderValue::from_str(value).map_err(|e| AppError::from(internal("cookie", e)))?;
    context()?.add_response_header(header::SET_COOKIE, value);
    Ok(())
}
