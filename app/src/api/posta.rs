//! The outbox for administrators: `/api/v1/posta`, `/api/v1/posta/{id}/nuovo-tentativo`.

use super::ApiResult;
use dioxus::prelude::*;
use shared::account::{FiltroPosta, Posta};

/// The outbox's counts and its newest messages (administrators), of one `stato`.
#[get("/api/v1/posta?:filtro")]
pub async fn posta(filtro: FiltroPosta) -> ApiResult<Posta> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::posta::elenco(&state, &user, &filtro).await?)
}

/// Puts a message that could not be delivered back in the queue (administrators).
#[post("/api/v1/posta/{id}/nuovo-tentativo")]
pub async fn riprova_messaggio(id: String) -> ApiResult<()> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::posta::riprova(&state, &user, &id).await?)
}
