//! One's own account: `/api/v1/auth/link`, `/api/v1/auth/attivazione`,
//! `/api/v1/auth/nuova-password`, `/api/v1/auth/password-dimenticata`,
//! `/api/v1/auth/verifica`, `/api/v1/account/password`, `/api/v1/password/comuni`.

use super::ApiResult;
use dioxus::prelude::*;
use shared::account::{InfoLink, Presa, VerificaCredenziali};

/// What an activation or reset link is for and whose account it opens (`{"token"}`); 422
/// for a link that cannot be used, whatever the reason.
#[post("/api/v1/auth/link")]
pub async fn info_link(token: String) -> ApiResult<InfoLink> {
    let state = super::request::state()?;
    Ok(backend::service::account::info_link(&state, token.trim()).await?)
}

/// Activates an account with its link, choosing the password (`{"token","password","conferma"}`).
#[post("/api/v1/auth/attivazione")]
pub async fn attiva(token: String, password: String, conferma: String) -> ApiResult<()> {
    use shared::account::{NuovaPasswordForm, ScopoLink};
    let state = super::request::state()?;
    let form = NuovaPasswordForm {
        token,
        password,
        conferma,
    };
    Ok(backend::service::account::usa_link(&state, &form, ScopoLink::Attivazione).await?)
}

/// Sets a new password with a reset link (`{"token","password","conferma"}`); every session of
/// the account ends.
#[post("/api/v1/auth/nuova-password")]
pub async fn nuova_password(token: String, password: String, conferma: String) -> ApiResult<()> {
    use shared::account::{NuovaPasswordForm, ScopoLink};
    let state = super::request::state()?;
    let form = NuovaPasswordForm {
        token,
        password,
        conferma,
    };
    Ok(backend::service::account::usa_link(&state, &form, ScopoLink::Reset).await?)
}

/// "Password dimenticata" (`{"identificativo"}`: codice fiscale, username or e-mail): always
/// the same answer; a link is e-mailed to an active account named.
#[post("/api/v1/auth/password-dimenticata")]
pub async fn password_dimenticata(identificativo: String) -> ApiResult<Presa> {
    use shared::account::PasswordDimenticataForm;
    let state = super::request::state()?;
    let address = super::request::client_address(&state);
    let form = PasswordDimenticataForm { identificativo };
    Ok(backend::service::account::password_dimenticata(&state, &form, address).await?)
}

/// "Verifica credenziali" (`{"username","password"}`): valid, not valid or expired, and the
/// account's state for the right password; opens no session. Throttled like login.
#[post("/api/v1/auth/verifica")]
pub async fn verifica_credenziali(
    username: String,
    password: String,
) -> ApiResult<VerificaCredenziali> {
    use shared::auth::{Credentials, LoginForm};
    let credentials = Credentials::parse(&LoginForm { username, password })?;
    let state = super::request::state()?;
    let address = super::request::client_address(&state);
    Ok(backend::service::account::verifica(&state, credentials, address).await?)
}

/// Changes one's own password (`{"attuale","password","conferma"}`); the other sessions end.
/// Allowed also while a change is required.
#[post("/api/v1/account/password")]
pub async fn cambia_password(attuale: String, password: String, conferma: String) -> ApiResult<()> {
    use shared::account::CambioPasswordForm;
    let (state, user) = super::request::sessione_anche_da_cambiare().await?;
    let address = super::request::client_address(&state);
    let token = super::request::session_token();
    let form = CambioPasswordForm {
        attuale,
        password,
        conferma,
    };
    Ok(
        backend::service::account::cambia_password(&state, &user, token.as_deref(), &form, address)
            .await?,
    )
}

/// The list of common passwords the new-password rule refuses (one per line), for the
/// browser's checklist.
#[get("/api/v1/password/comuni")]
pub async fn password_comuni() -> ApiResult<String> {
    Ok(shared::password::ELENCO_COMUNI.to_owned())
}
