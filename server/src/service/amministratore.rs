//! The first regional administrator of a new installation, created from the command line
//! (`servizi-admin crea-amministratore`): an account `in_attesa` and a one-time activation
//! link printed for the person at the terminal. No password ever passes through the command.

use super::account::indirizzo_link;
use super::apertura::{self, Apertura};
use crate::state::AppState;
use crate::store::transazione::Transazione;
use shared::account::ScopoLink;
use shared::auth::Ruolo;
use shared::utente::IdentitaForm;
use shared::ApiError;

/// Creates an administrator for `form` (or reopens the person's disabled regional account)
/// and returns the activation link (valid for the configured activation lifetime, usable once).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn crea_amministratore(
    state: &AppState,
    form: &IdentitaForm,
) -> Result<String, ApiError> {
    let identita = form.controlla()?;
    let a = Apertura {
        persona: &identita,
        pec: None,
        ruolo: Ruolo::Amministratore,
        comune: None,
        campo_cf: "codice_fiscale",
        dettagli: true,
        per_posta: false,
    };
    let aperto = apertura::apri(state, "servizi-admin", &a, Transazione::new()).await?;
    let token = aperto
        .token
        .ok_or_else(|| super::internal("crea-amministratore", "collegamento non creato"))?;
    Ok(indirizzo_link(
        &state.settings.application.public_url,
        ScopoLink::Attivazione,
        &token,
    ))
}
