//! An account's state by the Region's hand: disabled (its sessions and links end at once),
//! enabled again, made to change its password.

use super::*;

/// Disables an account at once (Region; regional accounts: administrators): its sessions end,
/// its links are void, waiting requests to disable it are closed, the person is told.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn disabilita(
    state: &AppState,
    user: &UtenteCorrente,
    username: &str,
    form: &MotivazioneForm,
) -> Result<UtenteVista, ApiError> {
    let row = gestibile(state, user, username).await?;
    let motivo = form.controlla()?;
    let mut tx = Transazione::new();
    prepara_disabilitazione(state, &mut tx, &user.username, &row, &motivo);
    if tx
        .esegui_con_guardie(&state.store, &[STATO_CAMBIATO])
        .await?
        .is_none()
    {
        return Err(ApiError::Conflict {
            message: "L'account è già disabilitato.".into(),
        });
    }
    state.posta.sveglia();
    utente(state, user, &row.username).await
}

/// The parts of disabling `row` (state, sessions, links, waiting requests, e-mail, audit).
pub(crate) fn prepara_disabilitazione(
    state: &AppState,
    tx: &mut Transazione,
    da: &str,
    row: &UtenteRow,
    motivo: &str,
) {
    let adesso = state.orologio.adesso();
    tx.richiedi_stato(&row.username, &["in_attesa", "attivo"]);
    tx.disabilita_account(&row.username, adesso);
    tx.chiudi_disabilitazioni(&row.username, da, adesso);
    let t = crate::service::posta::testi::disabilitato(&row.nome_completo(), motivo);
    tx.accoda(crate::service::posta::messaggio(
        state,
        &row.email,
        &t,
        "disabilitazione",
        None,
    ));
    tx.audit(AuditEntry::riuscita(
        da,
        "disabilitazione",
        &format!("utente:{}", row.username),
        serde_json::json!({ "motivo": motivo }),
    ));
}

/// Re-enables a disabled account (Region): back to `in_attesa` without its old password, and
/// a new activation link to the person.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn riabilita(
    state: &AppState,
    user: &UtenteCorrente,
    username: &str,
    form: &MotivazioneForm,
) -> Result<UtenteVista, ApiError> {
    let row = gestibile(state, user, username).await?;
    let motivo = form.controlla()?;
    let ruolo = Ruolo::from_code(&row.ruolo).unwrap_or(Ruolo::OperatoreComunale);
    let mut tx = Transazione::new();
    tx.richiedi_stato(&row.username, &["disabilitato"]);
    tx.riapri_account(&row.username, None, None);
    link_con_messaggio(
        state,
        &mut tx,
        &row.username,
        &row.nome_completo(),
        &row.email,
        ruolo,
        ScopoLink::Attivazione,
    );
    tx.audit(AuditEntry::riuscita(
        &user.username,
        "riabilitazione",
        &format!("utente:{}", row.username),
        serde_json::json!({ "motivo": motivo }),
    ));
    if tx
        .esegui_con_guardie(&state.store, &[STATO_CAMBIATO])
        .await?
        .is_none()
    {
        return Err(ApiError::Conflict {
            message: "Si riabilita solo un account disabilitato.".into(),
        });
    }
    state.posta.sveglia();
    utente(state, user, &row.username).await
}

/// Asks for a new password at the next sign-in: one account (Region), or every active one
/// (administrators: after a suspected compromise).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn obbliga_cambio(
    state: &AppState,
    user: &UtenteCorrente,
    username: Option<&str>,
    form: &MotivazioneForm,
) -> Result<u64, ApiError> {
    let oggetto = match username {
        Some(u) => {
            let row = gestibile(state, user, u).await?;
            if !row.attivo() {
                return Err(ApiError::Conflict {
                    message: "Si può chiedere di cambiare la password solo a un account attivo."
                        .into(),
                });
            }
            Some(row.username)
        }
        None => {
            solo_amministratore(user)?;
            None
        }
    };
    let motivo = form.controlla()?;
    let mut tx = Transazione::new();
    tx.obbliga_cambio(oggetto.as_deref());
    tx.audit(AuditEntry {
        attore: Some(user.username.clone()),
        azione: "cambio_password_obbligato".into(),
        oggetto: oggetto
            .as_ref()
            .map_or_else(|| "utente:*".into(), |u| format!("utente:{u}")),
        esito: "ok".into(),
        dettagli: Some(serde_json::json!({ "motivo": motivo })),
    });
    tx.esegui_con_riprova(&state.store).await?;
    match oggetto {
        Some(_) => Ok(1),
        None => Ok(state.store.utenti_con_cambio_obbligato().await?),
    }
}
