//! `GET /api/v1/comuni`: the Region's comuni; `GET /api/v1/comuni/{codice}`: a comune's card,
//! for users allowed to see it.

use super::ApiResult;
use dioxus::prelude::*;
use shared::comune::{Comune, ComuneRef};

/// One comune: comune roles see only their own (403 otherwise), regional roles the Region's.
#[get("/api/v1/comuni/{codice}")]
pub async fn comune(codice: String) -> ApiResult<Comune> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::comuni::comune_for(&state, &user, &codice).await?)
}

/// The active comuni of the served Region, by name (for pickers).
#[get("/api/v1/comuni")]
pub async fn comuni_della_regione() -> ApiResult<Vec<ComuneRef>> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::comuni::della_regione(&state, &user).await?)
}
