//! The first regional administrator of a new installation, created from the command line
//! (`servizi-admin crea-amministratore`): an account `in_attesa` and a one-time activation
//! link printed for the person at the terminal. No password ever passes through the command.

use super::account::{indirizzo_link, nuovo_link};
use crate::state::AppState;
use crate::store::audit::AuditEntry;
use crate::store::transazione::Transazione;
use shared::account::ScopoLink;
use shared::auth::Ruolo;
use shared::utente::IdentitaForm;
use shared::ApiError;

/// Creates an administrator for `form` and returns the activation link (valid for the
/// configured activation lifetime, usable once).
pub async fn crea_amministratore(
    state: &AppState,
    form: &IdentitaForm,
) -> Result<String, ApiError> {
    let identita = form.controlla()?;
    if let Some(r) = state.store.utente_per_cf(&identita.codice_fiscale).await? {
        return Err(super::utenti::cf_esistente(&r, "codice_fiscale"));
    }
    let nuovo =
        super::utenti::nuovo_account(state, &identita, None, Ruolo::Amministratore, None).await?;
    let username = nuovo.username.clone();
    let a = &state.settings.auth;
    let (token, link) = nuovo_link(
        (a.attivazione_ore, a.reset_minuti),
        state.orologio.adesso(),
        &username,
        ScopoLink::Attivazione,
    );
    let mut tx = Transazione::new();
    tx.crea_account(nuovo);
    tx.crea_link(link);
    tx.audit(AuditEntry {
        attore: None,
        azione: "creazione_amministratore".into(),
        oggetto: format!("utente:{username}"),
        esito: "ok".into(),
        dettagli: Some(serde_json::json!({ "da": "servizi-admin" })),
    });
    tx.esegui_con_riprova(&state.store).await?;
    Ok(indirizzo_link(
        &state.settings.application.public_url,
        ScopoLink::Attivazione,
        &token,
    ))
}
