//! `PUT /api/v1/sito`: the footer's, legal notes' and accessibility statement's settings
//! (read by everyone with `GET /api/v1/config/pubblica`).

use super::ApiResult;
use dioxus::prelude::*;
use shared::sito::ImpostazioniSito;

/// Replaces the site's settings (Region): `{"impostazioni": {…}}`; what was saved.
#[put("/api/v1/sito")]
pub async fn salva_sito(impostazioni: ImpostazioniSito) -> ApiResult<ImpostazioniSito> {
    let (state, user) = super::request::sessione().await?;
    Ok(backend::service::sito::salva(&state, &user, &impostazioni).await?)
}
